"""The platform alert pack: one PrometheusRule for what a GitOps platform must notice.

Metric names and labels are the ones each exporter publishes:

- Argo CD application controller: ``argocd_app_info`` with ``sync_status``
  (``Synced``/``OutOfSync``/``Unknown``) and ``health_status`` (``Healthy``,
  ``Progressing``, ``Degraded``, ``Suspended``, ``Missing``, ``Unknown``).
- Argo Rollouts controller: ``rollout_info`` with ``phase`` set to the controller's
  reconcile phase: ``Completed``, ``Progressing``, ``Paused``, ``Timeout``, ``Error``,
  ``Abort`` or ``InvalidSpec`` (not the ``Degraded`` shown by ``kubectl argo rollouts``;
  a degraded Rollout is one in ``Timeout``, ``Error`` or ``InvalidSpec``, an aborted one
  is ``Abort``).
- kube-state-metrics: ``kube_deployment_status_replicas_unavailable``,
  ``kube_deployment_status_condition`` (``condition``/``status`` in lower case) and
  ``kube_pod_container_resource_limits{resource, unit}``.
- cAdvisor (kubelet): ``container_memory_working_set_bytes``, ``container_cpu_usage_seconds_total``.
- External Secrets Operator: ``externalsecret_status_condition{name, namespace, condition, status}``.
- cert-manager: ``certmanager_certificate_expiration_timestamp_seconds{name, namespace}``.
"""

from __future__ import annotations

from typing import Any

from ..core.model import ObjectMeta
from ..models.monitoring_coreos_com_v1 import PrometheusRuleSpecGroupsRules as RuleGroupRule
from .monitoring import PrometheusRule, PrometheusRuleSpec, RuleGroup

__all__ = ["alert_pack", "platform_alert_rules"]


def _rule(alert: str, expr: str, for_: str, severity: str, summary: str, description: str) -> RuleGroupRule:
    return RuleGroupRule(alert=alert, expr=expr, for_=for_, labels={"severity": severity},
                         annotations={"summary": summary, "description": description})


def platform_alert_rules(
    *,
    out_of_sync_for: str = "5m",
    degraded_for: str = "5m",
    unavailable_for: str = "15m",
    resource_ratio: float = 0.9,
    resource_for: str = "15m",
    secret_sync_for: str = "10m",
    certificate_days: int = 21,
) -> list[RuleGroup]:
    """The alert groups of :func:`alert_pack` (thresholds documented there)."""
    if not 0 < resource_ratio <= 1:
        raise ValueError(f"resource_ratio {resource_ratio!r} is not a fraction of the limit; use a value such as 0.9")
    if certificate_days < 1:
        raise ValueError(f"certificate_days {certificate_days!r} must be at least 1; use a number of days such as 21")
    pct = f"{resource_ratio * 100:g}%"
    mem_usage = ('sum by (namespace, pod, container) (container_memory_working_set_bytes{container!="", container!="POD"})')
    mem_limit = ('sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory", unit="byte"})')
    cpu_usage = ('sum by (namespace, pod, container) '
                 '(rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m]))')
    cpu_limit = ('sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="cpu", unit="core"})')
    groups: list[RuleGroup] = [
        RuleGroup(name="platform.argocd", rules=[
            _rule("ArgoCDApplicationOutOfSync", 'argocd_app_info{sync_status="OutOfSync"} == 1', out_of_sync_for, "warning",
                  "Argo CD application {{ $labels.name }} is out of sync",
                  f"Application {{{{ $labels.name }}}} (project {{{{ $labels.project }}}}) has differed from Git for more "
                  f"than {out_of_sync_for}."),
            _rule("ArgoCDApplicationDegraded", 'argocd_app_info{health_status="Degraded"} == 1', degraded_for, "critical",
                  "Argo CD application {{ $labels.name }} is degraded",
                  f"Application {{{{ $labels.name }}}} (project {{{{ $labels.project }}}}) has reported health Degraded "
                  f"for more than {degraded_for}."),
        ]),
        RuleGroup(name="platform.rollouts", rules=[
            _rule("RolloutAborted", 'rollout_info{phase="Abort"} == 1', "1m", "critical",
                  "Rollout {{ $labels.namespace }}/{{ $labels.name }} was aborted",
                  "The rollout was aborted (by an analysis or by hand) and traffic went back to the stable version."),
            _rule("RolloutDegraded", 'rollout_info{phase=~"Error|Timeout|InvalidSpec"} == 1', degraded_for, "critical",
                  "Rollout {{ $labels.namespace }}/{{ $labels.name }} is degraded",
                  f"The rollout has been in phase {{{{ $labels.phase }}}} for more than {degraded_for}."),
        ]),
        RuleGroup(name="platform.workloads", rules=[
            _rule("DeploymentReplicasUnavailable", "kube_deployment_status_replicas_unavailable > 0", unavailable_for,
                  "warning", "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has unavailable replicas",
                  f"{{{{ $value }}}} replicas have been unavailable for more than {unavailable_for}."),
            _rule("DeploymentRolloutStuck", 'kube_deployment_status_condition{condition="Progressing", status="false"} == 1',
                  "5m", "critical", "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} failed to roll out",
                  "The Deployment exceeded its progress deadline; the new pods never became available."),
            _rule("ContainerMemoryNearLimit", f"({mem_usage}\n  / on (namespace, pod, container)\n{mem_limit}) > {resource_ratio}",
                  resource_for, "warning",
                  "Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is close to its memory limit",
                  f"Working set memory has been above {pct} of the limit for more than {resource_for}; "
                  "the container will be OOM-killed at the limit."),
            _rule("ContainerCPUNearLimit", f"({cpu_usage}\n  / on (namespace, pod, container)\n{cpu_limit}) > {resource_ratio}",
                  resource_for, "warning",
                  "Container {{ $labels.namespace }}/{{ $labels.pod }}/{{ $labels.container }} is close to its CPU limit",
                  f"CPU use has been above {pct} of the limit for more than {resource_for}; the container is being throttled."),
        ]),
        RuleGroup(name="platform.secrets", rules=[
            _rule("ExternalSecretSyncFailing", 'externalsecret_status_condition{condition="Ready", status="False"} == 1',
                  secret_sync_for, "critical",
                  "ExternalSecret {{ $labels.namespace }}/{{ $labels.name }} fails to sync",
                  f"The ExternalSecret has not been Ready for more than {secret_sync_for}; the Secret it manages is stale "
                  "or missing."),
        ]),
        RuleGroup(name="platform.certificates", rules=[
            _rule("CertificateExpiringSoon",
                  f"(certmanager_certificate_expiration_timestamp_seconds - time()) < {certificate_days} * 24 * 3600",
                  "1h", "warning",
                  "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires soon",
                  f"The certificate expires in less than {certificate_days} days "
                  "({{ $value | humanizeDuration }} left); cert-manager has not renewed it."),
        ]),
    ]
    return groups


def alert_pack(
    name: str = "platform-alerts",
    *,
    namespace: str | None = None,
    labels: dict[str, str] | None = None,
    **thresholds: Any,
) -> PrometheusRule:
    """The platform alerts as one PrometheusRule.

    Args:
        name: ``metadata.name``. Default: ``platform-alerts``.
        namespace: ``metadata.namespace``. Default: none (the chart's namespace).
        labels: extra ``metadata.labels``, such as the label your Prometheus ``ruleSelector``
            matches (``release: kube-prometheus-stack``). Default: none.
        thresholds: keyword overrides, each with its default:
            ``out_of_sync_for="5m"`` (Argo CD application out of sync),
            ``degraded_for="5m"`` (application health Degraded, Rollout degraded),
            ``unavailable_for="15m"`` (Deployment with unavailable replicas),
            ``resource_ratio=0.9`` and ``resource_for="15m"`` (container above 90% of its
            memory or CPU limit), ``secret_sync_for="10m"`` (ExternalSecret not Ready),
            ``certificate_days=21`` (certificate expiring within 21 days: cert-manager
            renews a 90-day certificate 30 days before expiry, so this means renewal is stuck).

    Alerts: ArgoCDApplicationOutOfSync, ArgoCDApplicationDegraded, RolloutAborted,
    RolloutDegraded, DeploymentReplicasUnavailable, DeploymentRolloutStuck,
    ContainerMemoryNearLimit, ContainerCPUNearLimit, ExternalSecretSyncFailing,
    CertificateExpiringSoon; each with a ``severity`` label and summary/description annotations.
    """
    # Only the fields given are set: a field set to None would be written as null.
    if namespace is not None and labels:
        metadata = ObjectMeta(name=name, namespace=namespace, labels=dict(labels))
    elif namespace is not None:
        metadata = ObjectMeta(name=name, namespace=namespace)
    elif labels:
        metadata = ObjectMeta(name=name, labels=dict(labels))
    else:
        metadata = ObjectMeta(name=name)
    return PrometheusRule(metadata=metadata, spec=PrometheusRuleSpec(groups=platform_alert_rules(**thresholds)))
