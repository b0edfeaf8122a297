"""``OpenTelemetryCollector`` (opentelemetry.io) as typed models, with the operator's mode rules.

Two served versions with different shapes, so two classes:

- :class:`OpenTelemetryCollector` is ``opentelemetry.io/v1beta1``: ``spec.config`` is the
  structured :class:`~cdk8s_gitops.observability.collector_config.CollectorConfig`, checked
  against the collector's start-up rules.
- :class:`OpenTelemetryCollectorV1Alpha1` is ``opentelemetry.io/v1alpha1``: ``spec.config``
  is the configuration as YAML text. It round-trips exactly as written; the text is parsed
  to run the same start-up rules (:meth:`OpenTelemetryCollectorV1Alpha1.parsed_config`).

The operator's admission rules (its validating webhook and the CRD's CEL rules) are
checked at build time: ``volumeClaimTemplates`` and ``persistentVolumeClaimRetentionPolicy``
only with mode ``statefulset``; no ``tolerations``, ``priorityClassName``, ``affinity``,
``additionalContainers`` or ``ingress`` of type ``ingress`` with mode ``sidecar``; the
target allocator only with ``statefulset`` or ``daemonset`` (``daemonset`` exactly with
the ``per-node`` strategy); the DaemonSet update strategy only with ``daemonset`` and the
Deployment one only with ``deployment``; autoscaler bounds (``minReplicas`` needs
``maxReplicas``, neither ``replicas`` nor ``minReplicas`` above ``maxReplicas``,
stabilization windows 0-3600 s, only ``Pods`` metrics with a positive target); a
``subdomain`` ingress needs a hostname; valid port names and numbers. ``replicas`` and
``autoscaler`` with ``daemonset`` or ``sidecar`` are ignored by the current operator
(older ones refused ``replicas``): a warning.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, ValidationError, model_validator

from ..core.errors import format_value
from ..core.fields import Issues, warn
from ..core.model import K8sModel, Resource, validate_model
from ..kube import (
    Container,
    EmbeddedPersistentVolumeClaim,
    EnvFromSource,
    EnvVar,
    HostAlias,
    PodDNSConfig,
    PodSecurityContext,
    Probe,
    ResourceRequirements,
    SecurityContext,
    Toleration,
    Volume,
    VolumeMount,
)
from .collector_config import CollectorConfig, _load_yaml

__all__ = [
    "AutoscalerSpec",
    "CollectorIngress",
    "CollectorPort",
    "CollectorSpec",
    "CollectorSpecV1Alpha1",
    "OpenTelemetryCollector",
    "OpenTelemetryCollectorV1Alpha1",
    "TargetAllocatorEmbedded",
]

Mode = Literal["daemonset", "deployment", "sidecar", "statefulset"]
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


class CollectorPort(K8sModel):
    """One entry of ``spec.ports``: an extra port on the collector's Service.

    Attributes:
        name: ``name``: IANA service name (at most 15 lowercase letters, digits and '-').
            Default: none.
        port: ``port``: Service port. Required.
        protocol: ``protocol``. Default: TCP.
        target_port: ``targetPort``: container port number or name. Default: ``port``.
        app_protocol: ``appProtocol``. Default: none.
        node_port: ``nodePort``. Default: allocated by Kubernetes for NodePort Services.
        host_port: ``hostPort``. Default: none.
    """

    name: str | None = None
    port: int
    protocol: str | None = None
    target_port: int | str | None = None
    app_protocol: str | None = None
    node_port: int | None = None
    host_port: int | None = None


class AutoscalerSpec(K8sModel):
    """``spec.autoscaler``: the HorizontalPodAutoscaler the operator creates.

    Attributes:
        min_replicas: ``minReplicas``. Default: ``spec.replicas``.
        max_replicas: ``maxReplicas``: needed for any autoscaling. Default: none (no HPA).
        target_cpu_utilization: ``targetCPUUtilization`` (percent). Default: 90 when neither
            target is set.
        target_memory_utilization: ``targetMemoryUtilization`` (percent). Default: none.
        behavior: ``behavior``: HPA scale-up/down behaviour, kept as given. Default: HPA defaults.
        metrics: ``metrics``: extra HPA metrics (only ``Pods`` metrics), kept as given. Default: none.
    """

    min_replicas: int | None = None
    max_replicas: int | None = None
    target_cpu_utilization: int | None = Field(default=None, alias="targetCPUUtilization")
    target_memory_utilization: int | None = None
    behavior: dict[str, Any] | None = None
    metrics: list[dict[str, Any]] | None = None


class CollectorIngress(K8sModel):
    """``spec.ingress``: how the operator exposes the collector's receivers.

    Attributes:
        type: ``type``: ``ingress`` or ``route`` (OpenShift). Default: none (not exposed).
        rule_type: ``ruleType``: ``path`` or ``subdomain``. Default: ``path``.
        hostname: ``hostname``: required, and not ``*``, for ``subdomain``. Default: none.
        annotations: ``annotations``. Default: none.
        ingress_class_name: ``ingressClassName``. Default: the cluster default.
        tls: ``tls``: Ingress TLS entries, kept as given. Default: none.
        route: ``route``: OpenShift Route settings, kept as given. Default: edge termination.
    """

    type: Literal["ingress", "route"] | None = None
    rule_type: Literal["path", "subdomain"] | None = None
    hostname: str | None = None
    annotations: dict[str, str] | None = None
    ingress_class_name: str | None = None
    tls: list[dict[str, Any]] | None = None
    route: dict[str, Any] | None = None


class TargetAllocatorEmbedded(K8sModel):
    """``spec.targetAllocator``: the Prometheus target allocator deployed next to the collector.

    Pod-level settings (affinity, env, resources, ...) are kept as given.

    Attributes:
        enabled: ``enabled``. Default: false.
        allocation_strategy: ``allocationStrategy``: ``least-weighted``, ``consistent-hashing``
            or ``per-node`` (required with mode ``daemonset``). Default: ``consistent-hashing``.
        filter_strategy: ``filterStrategy``. Default: ``relabel-config``.
        replicas: ``replicas``. Default: 1.
        image: ``image``. Default: the operator's.
        service_account: ``serviceAccount``. Default: one created by the operator.
        prometheus_cr: ``prometheusCR``: ServiceMonitor/PodMonitor discovery, kept as given. Default: off.
        affinity: ``affinity``: the allocator pod's setting, kept as given. Default: none.
        env: ``env``: the allocator pod's setting, kept as given. Default: none.
        node_selector: ``nodeSelector``: the allocator pod's setting, kept as given. Default: none.
        observability: ``observability``: the allocator pod's setting, kept as given. Default: none.
        pod_disruption_budget: ``podDisruptionBudget``: the allocator pod's setting, kept as given. Default: none.
        pod_security_context: ``podSecurityContext``: the allocator pod's setting, kept as given. Default: none.
        resources: ``resources``: the allocator pod's setting, kept as given. Default: none.
        security_context: ``securityContext``: the allocator pod's setting, kept as given. Default: none.
        tolerations: ``tolerations``: the allocator pod's setting, kept as given. Default: none.
        topology_spread_constraints: ``topologySpreadConstraints``: the allocator pod's setting, kept as given. Default: none.
        collector_not_ready_grace_period: ``collectorNotReadyGracePeriod`` (v1beta1). Default: upstream's (30s).
        collector_target_reload_interval: ``collectorTargetReloadInterval`` (v1beta1). Default: upstream's (30s).
    """

    enabled: bool | None = None
    allocation_strategy: Literal["least-weighted", "consistent-hashing", "per-node"] | None = None
    filter_strategy: str | None = None
    replicas: int | None = None
    image: str | None = None
    service_account: str | None = None
    prometheus_cr: dict[str, Any] | None = Field(default=None, alias="prometheusCR")
    affinity: dict[str, Any] | None = None
    env: list[dict[str, Any]] | None = None
    node_selector: dict[str, str] | None = None
    observability: dict[str, Any] | None = None
    pod_disruption_budget: dict[str, Any] | None = None
    pod_security_context: dict[str, Any] | None = None
    resources: dict[str, Any] | None = None
    security_context: dict[str, Any] | None = None
    tolerations: list[dict[str, Any]] | None = None
    topology_spread_constraints: list[dict[str, Any]] | None = None
    collector_not_ready_grace_period: str | None = None
    collector_target_reload_interval: str | None = None


class _CollectorSpecBase(K8sModel):
    """Fields both served versions share (see :class:`CollectorSpec` for their meaning)."""

    mode: Mode | None = None
    management_state: Literal["managed", "unmanaged"] | None = None
    upgrade_strategy: Literal["automatic", "none"] | None = None
    image: str | None = None
    image_pull_policy: str | None = None
    replicas: int | None = None
    autoscaler: AutoscalerSpec | None = None
    ports: list[CollectorPort] | None = None
    ingress: CollectorIngress | None = None
    target_allocator: TargetAllocatorEmbedded | None = None
    service_account: str | None = None
    service_name: str | None = None
    args: dict[str, str] | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    resources: ResourceRequirements | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: dict[str, Any] | None = None
    priority_class_name: str | None = None
    additional_containers: list[Container] | None = None
    init_containers: list[Container] | None = None
    volumes: list[Volume] | None = None
    volume_mounts: list[VolumeMount] | None = None
    volume_claim_templates: list[EmbeddedPersistentVolumeClaim] | None = None
    configmaps: list[dict[str, Any]] | None = None
    pod_annotations: dict[str, str] | None = None
    pod_security_context: PodSecurityContext | None = None
    security_context: SecurityContext | None = None
    pod_disruption_budget: dict[str, Any] | None = None
    deployment_update_strategy: dict[str, Any] | None = None
    host_network: bool | None = None
    share_process_namespace: bool | None = None
    lifecycle: dict[str, Any] | None = None
    liveness_probe: Probe | None = None
    observability: dict[str, Any] | None = None
    termination_grace_period_seconds: int | None = None
    topology_spread_constraints: list[dict[str, Any]] | None = None
    traffic_distribution: str | None = None

    _DAEMONSET_STRATEGY_FIELD: ClassVar[str] = "daemonSetUpdateStrategy"

    def _daemonset_strategy(self) -> dict[str, Any] | None:
        return None

    def _pvc_retention(self) -> dict[str, Any] | None:
        return None

    def mode_problems(self) -> Issues:
        """The operator's admission rules this spec breaks (locations relative to ``spec``)."""
        issues = Issues()
        mode = self.mode or "deployment"
        shown = f"{mode!r}" + ("" if self.mode else " (the default)")
        if mode != "statefulset" and self.volume_claim_templates:
            issues.add(("volumeClaimTemplates",), f"mode {shown} does not support volumeClaimTemplates; "
                                                  "use mode 'statefulset' or remove volumeClaimTemplates")
        if mode != "statefulset" and self._pvc_retention() is not None:
            issues.add(("persistentVolumeClaimRetentionPolicy",),
                       f"mode {shown} does not support persistentVolumeClaimRetentionPolicy; use mode 'statefulset' or remove it")
        if mode == "sidecar":
            for key, value in (("tolerations", self.tolerations), ("priorityClassName", self.priority_class_name),
                               ("affinity", self.affinity), ("additionalContainers", self.additional_containers)):
                if value:
                    issues.add((key,), f"mode 'sidecar' does not support {key} (the collector runs inside other pods); "
                                       f"remove {key} or use mode 'deployment', 'daemonset' or 'statefulset'")
            if self.ingress and self.ingress.type == "ingress":
                issues.add(("ingress", "type"), "mode 'sidecar' cannot be exposed through an Ingress; "
                                                "use mode 'deployment', 'daemonset' or 'statefulset', or remove ingress")
        if self.ingress and self.ingress.rule_type == "subdomain" and self.ingress.hostname in (None, "", "*"):
            issues.add(("ingress", "hostname"), f"ingress ruleType 'subdomain' needs a hostname, got "
                                                f"{format_value(self.ingress.hostname)}; set ingress.hostname to a domain")
        ta = self.target_allocator
        if ta is not None and ta.enabled:
            strategy = ta.allocation_strategy or "consistent-hashing"
            if mode not in ("statefulset", "daemonset"):
                issues.add(("targetAllocator", "enabled"),
                           f"mode {shown} does not support the target allocator; use mode 'statefulset' "
                           "(or 'daemonset' with allocationStrategy 'per-node')")
            elif mode == "daemonset" and strategy != "per-node":
                issues.add(("targetAllocator", "allocationStrategy"),
                           f"mode 'daemonset' needs target allocation strategy 'per-node', got {strategy!r}; "
                           "set targetAllocator.allocationStrategy to 'per-node'")
            elif strategy == "per-node" and mode != "daemonset":
                issues.add(("targetAllocator", "allocationStrategy"),
                           f"target allocation strategy 'per-node' works only with mode 'daemonset', not {shown}; "
                           "use mode 'daemonset' or another strategy")
        if mode != "daemonset" and self._daemonset_strategy():
            key = self._DAEMONSET_STRATEGY_FIELD
            issues.add((key,), f"mode {shown} does not support {key}; use mode 'daemonset' or remove {key}")
        if mode != "deployment" and (self.deployment_update_strategy or {}).get("type"):
            issues.add(("deploymentUpdateStrategy",), f"mode {shown} does not support deploymentUpdateStrategy; "
                                                      "use mode 'deployment' or remove deploymentUpdateStrategy")
        for i, port in enumerate(self.ports or []):
            if port.name is not None and not _valid_port_name(port.name):
                issues.add(("ports", i, "name"), f"port name {port.name!r} is not an IANA service name; use at most 15 "
                                                 "lowercase letters, digits and '-', with at least one letter")
            if not 1 <= port.port <= 65535:
                issues.add(("ports", i, "port"), f"port {port.port} is out of range; use a port between 1 and 65535")
        self._autoscaler_problems(issues)
        return issues

    def _min_max(self) -> tuple[int | None, int | None]:
        a = self.autoscaler
        return (a.min_replicas if a else None), (a.max_replicas if a else None)

    def _autoscaler_problems(self, issues: Issues) -> None:
        a = self.autoscaler
        low, high = self._min_max()
        if low is not None and high is None:
            issues.add(("autoscaler", "maxReplicas"), f"minReplicas is {low} but maxReplicas is not set; "
                                                      "set autoscaler.maxReplicas (autoscaling needs both)")
        if high is not None:
            if self.replicas is not None and self.replicas > high:
                issues.add(("replicas",), f"replicas {self.replicas} is above maxReplicas {high}; "
                                          f"use at most {high} replicas or raise maxReplicas")
            floor = low if low is not None else self.replicas
            if floor is not None and floor > high:
                issues.add(("autoscaler", "minReplicas"), f"minReplicas {floor} is above maxReplicas {high}; "
                                                          f"use a minReplicas between 1 and {high}")
        if a is None or high is None:
            return
        for direction in ("scaleDown", "scaleUp"):
            window = ((a.behavior or {}).get(direction) or {}).get("stabilizationWindowSeconds")
            if isinstance(window, int) and not 0 <= window <= 3600:
                issues.add(("autoscaler", "behavior", direction, "stabilizationWindowSeconds"),
                           f"stabilizationWindowSeconds {window} is out of range; use 0 to 3600 seconds")
        for i, metric in enumerate(a.metrics or []):
            if metric.get("type") != "Pods":
                issues.add(("autoscaler", "metrics", i, "type"), f"metric type {metric.get('type')!r} is not supported "
                                                                 "by the operator; use type 'Pods'")
                continue
            target = ((metric.get("pods") or {}).get("target")) or {}
            kind = target.get("type")
            field = {"AverageValue": "averageValue", "Value": "value"}.get(kind or "")
            if field is None:
                issues.add(("autoscaler", "metrics", i, "pods", "target", "type"),
                           f"pods target type {kind!r} is not supported; use 'AverageValue' or 'Value'")
            elif not _positive_quantity(target.get(field)):
                issues.add(("autoscaler", "metrics", i, "pods", "target", field),
                           f"{field} {format_value(target.get(field))} must be greater than 0; use a positive value")

    def mode_warnings(self) -> list[tuple[str, str]]:
        """Settings the operator ignores for the chosen mode, as (path under spec, "message; fix")."""
        out: list[tuple[str, str]] = []
        mode = self.mode or "deployment"
        if mode in ("daemonset", "sidecar"):
            if self.replicas is not None:
                out.append(("replicas", f"mode {mode!r} ignores replicas ({self.replicas}): a {mode} runs one collector "
                                        f"per {'node' if mode == 'daemonset' else 'pod'}; remove replicas"))
            if self.autoscaler is not None:
                out.append(("autoscaler", f"mode {mode!r} ignores autoscaler: only 'deployment' and 'statefulset' "
                                          "collectors get a HorizontalPodAutoscaler; remove autoscaler"))
        return out


def _valid_port_name(name: str) -> bool:
    return (len(name) <= 15 and bool(_PORT_NAME.match(name)) and "--" not in name
            and any(c.isalpha() for c in name))


def _positive_quantity(value: Any) -> bool:
    from ..core.units import parse_quantity

    try:
        return parse_quantity(value) >= 1
    except (ValueError, TypeError):
        return False


class CollectorSpec(_CollectorSpecBase):
    """``spec`` of an ``opentelemetry.io/v1beta1`` OpenTelemetryCollector.

    Pod-level structures use the typed models of :mod:`cdk8s_gitops.kube` (``env``,
    ``envFrom``, ``resources``, ``tolerations``, ``volumes``, ``volumeMounts``, probes,
    security contexts, ``additionalContainers``, ``initContainers``, ``hostAliases``,
    ``podDnsConfig``, ``volumeClaimTemplates``); ``affinity``, ``lifecycle``,
    ``topologySpreadConstraints`` and the update strategies are kept as given.

    Attributes:
        config: ``config``: the collector configuration, see
            :class:`~cdk8s_gitops.observability.collector_config.CollectorConfig`. Required.
        mode: ``mode``: ``deployment``, ``daemonset``, ``statefulset`` or ``sidecar``.
            Default: ``deployment``.
        management_state: ``managementState``: ``managed`` or ``unmanaged``. Default: ``managed``.
        upgrade_strategy: ``upgradeStrategy``: ``automatic`` or ``none``. Default: ``automatic``.
        image: ``image``: collector image. Default: the operator's default collector image.
        replicas: ``replicas``. Default: 1.
        autoscaler: ``autoscaler``: see :class:`AutoscalerSpec`. Default: none.
        ports: ``ports``: extra Service ports, see :class:`CollectorPort`. Default: derived
            from the receivers.
        ingress: ``ingress``: see :class:`CollectorIngress`. Default: not exposed.
        target_allocator: ``targetAllocator``: see :class:`TargetAllocatorEmbedded`. Default: disabled.
        service_account: ``serviceAccount``. Default: one created by the operator.
        daemon_set_update_strategy: ``daemonSetUpdateStrategy`` (mode ``daemonset`` only). Default: RollingUpdate.
        deployment_update_strategy: ``deploymentUpdateStrategy`` (mode ``deployment`` only). Default: RollingUpdate.
        persistent_volume_claim_retention_policy: ``persistentVolumeClaimRetentionPolicy``
            (mode ``statefulset`` only). Default: Retain.
        volume_claim_templates: ``volumeClaimTemplates`` (mode ``statefulset`` only). Default: none.
        config_versions: ``configVersions``: ConfigMap versions kept. Default: 3.
        image_pull_policy: ``imagePullPolicy``. Default: Kubernetes' rule for the tag.
        service_name: ``serviceName``: StatefulSet governing Service. Default: derived from the name.
        args: ``args``: extra collector command-line flags by name. Default: none.
        env, env_from: ``env``, ``envFrom`` (:class:`~cdk8s_gitops.kube.EnvVar`,
            :class:`~cdk8s_gitops.kube.EnvFromSource`). Default: none.
        resources: ``resources`` (:class:`~cdk8s_gitops.kube.ResourceRequirements`). Default: none.
        node_selector: ``nodeSelector``. Default: none.
        tolerations: ``tolerations`` (not with ``sidecar``). Default: none.
        affinity: ``affinity`` (not with ``sidecar``), kept as given. Default: none.
        priority_class_name: ``priorityClassName`` (not with ``sidecar``). Default: none.
        additional_containers, init_containers: ``additionalContainers`` (not with ``sidecar``),
            ``initContainers`` (:class:`~cdk8s_gitops.kube.Container`). Default: none.
        volumes, volume_mounts: ``volumes``, ``volumeMounts`` (kube models). Default: none.
        configmaps: ``configmaps``: ConfigMaps mounted under ``/var/conf``, kept as given. Default: none.
        pod_annotations: ``podAnnotations``. Default: none.
        pod_security_context, security_context: ``podSecurityContext``, ``securityContext``
            (kube models). Default: none.
        pod_disruption_budget: ``podDisruptionBudget``, kept as given. Default: maxUnavailable 1.
        host_network, host_pid, host_users, share_process_namespace: ``hostNetwork``,
            ``hostPID``, ``hostUsers``, ``shareProcessNamespace``. Default: Kubernetes' (false, false, true, false).
        dns_policy, pod_dns_config, host_aliases: ``dnsPolicy``, ``podDnsConfig``,
            ``hostAliases``. Default: Kubernetes'.
        lifecycle: ``lifecycle``, kept as given. Default: none.
        liveness_probe, readiness_probe, startup_probe: ``livenessProbe``, ``readinessProbe``,
            ``startupProbe`` (:class:`~cdk8s_gitops.kube.Probe`). Default: the operator's
            probes on the health_check extension when it is configured.
        observability: ``observability``: the operator's metrics for the collector, kept as given. Default: none.
        termination_grace_period_seconds: ``terminationGracePeriodSeconds``. Default: 30.
        topology_spread_constraints: ``topologySpreadConstraints``, kept as given. Default: none.
        traffic_distribution: ``trafficDistribution`` of the Services. Default: none.
        http_route: ``httpRoute``: a Gateway API route, kept as given. Default: none.
        ip_families, ip_family_policy: ``ipFamilies``, ``ipFamilyPolicy`` of the Services.
            Default: ``SingleStack``.
        network_policy: ``networkPolicy``, kept as given. Default: the operator's setting.
        pod_management_policy: ``podManagementPolicy`` (StatefulSet). Default: ``OrderedReady``.
    """

    config: CollectorConfig
    config_versions: int | None = None
    daemon_set_update_strategy: dict[str, Any] | None = None
    persistent_volume_claim_retention_policy: dict[str, Any] | None = None
    dns_policy: str | None = None
    host_aliases: list[HostAlias] | None = None
    host_pid: bool | None = Field(default=None, alias="hostPID")
    host_users: bool | None = None
    http_route: dict[str, Any] | None = None
    ip_families: list[str] | None = None
    ip_family_policy: str | None = None
    network_policy: dict[str, Any] | None = None
    pod_dns_config: PodDNSConfig | None = None
    pod_management_policy: Literal["OrderedReady", "Parallel"] | None = None
    readiness_probe: Probe | None = None
    startup_probe: Probe | None = None

    def _daemonset_strategy(self) -> dict[str, Any] | None:
        return (self.daemon_set_update_strategy or {}).get("type")

    def _pvc_retention(self) -> dict[str, Any] | None:
        return self.persistent_volume_claim_retention_policy

    @model_validator(mode="after")
    def _check_mode(self) -> Self:
        self.mode_problems().raise_any("CollectorSpec")
        return self


class CollectorSpecV1Alpha1(_CollectorSpecBase):
    """``spec`` of an ``opentelemetry.io/v1alpha1`` OpenTelemetryCollector.

    Attributes:
        config: ``config``: the collector configuration as YAML text, kept exactly as written
            and checked with the collector's start-up rules. Required.
        min_replicas: ``minReplicas`` (older form of ``autoscaler.minReplicas``). Default: none.
        max_replicas: ``maxReplicas`` (older form of ``autoscaler.maxReplicas``). Default: none.
        update_strategy: ``updateStrategy``: DaemonSet update strategy (mode ``daemonset`` only),
            kept as given. Default: RollingUpdate.

    The other fields mean what they mean in :class:`CollectorSpec`.
    """

    _DAEMONSET_STRATEGY_FIELD: ClassVar[str] = "updateStrategy"

    config: str
    min_replicas: int | None = None
    max_replicas: int | None = None
    update_strategy: dict[str, Any] | None = None

    def _daemonset_strategy(self) -> dict[str, Any] | None:
        return (self.update_strategy or {}).get("type")

    def _min_max(self) -> tuple[int | None, int | None]:
        low, high = super()._min_max()
        return (low if low is not None else self.min_replicas), (high if high is not None else self.max_replicas)

    def parsed_config(self) -> CollectorConfig:
        """``config`` parsed into the typed model (raises :class:`ManifestError` when invalid)."""
        return validate_model(CollectorConfig, _load_yaml(self.config, "OpenTelemetryCollector", "spec.config"),
                              "OpenTelemetryCollector spec.config")

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = self.mode_problems()
        try:
            CollectorConfig.model_validate(_load_yaml(self.config, "OpenTelemetryCollector", "spec.config"))
        except ValidationError as exc:
            for item in exc.errors(include_url=False):
                message = str(item.get("msg", "")).removeprefix("Value error, ")
                issues.add(("config",) + tuple(item.get("loc", ())), message, item.get("input"))
        except ValueError as exc:  # ManifestError from YAML parsing
            problems = getattr(exc, "problems", ())
            text = f"{problems[0].message}; {problems[0].fix}" if problems else str(exc)
            issues.add(("config",), text)
        issues.raise_any("CollectorSpecV1Alpha1")
        return self


class _CollectorResource(Resource):
    """Shared warnings of both versions."""

    def _config_model(self) -> CollectorConfig | None:
        return None

    @model_validator(mode="after")
    def _warn(self) -> Self:
        spec = getattr(self, "spec", None)
        if spec is None:
            return self
        subject = self.describe()
        for path, message in spec.mode_warnings():
            warn(subject, f"spec.{path}", message)
        config = self._config_model()
        if config is not None:
            config.unused_warnings(subject, "spec.config")
        return self


class OpenTelemetryCollector(_CollectorResource):
    """An ``opentelemetry.io/v1beta1`` OpenTelemetryCollector: the operator runs a collector from it.

    Attributes:
        spec: ``spec``: see :class:`CollectorSpec`. Required.
        status: ``status``: written by the operator, kept as given for round trip.
    """

    KIND: ClassVar[str] = "OpenTelemetryCollector"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("opentelemetry.io/v1beta1",)

    spec: CollectorSpec
    status: dict[str, Any] | None = None

    def _config_model(self) -> CollectorConfig | None:
        return self.spec.config


class OpenTelemetryCollectorV1Alpha1(_CollectorResource):
    """An ``opentelemetry.io/v1alpha1`` OpenTelemetryCollector (configuration as YAML text).

    New objects should use :class:`OpenTelemetryCollector` (v1beta1); this class loads and
    emits existing v1alpha1 manifests unchanged.

    Attributes:
        spec: ``spec``: see :class:`CollectorSpecV1Alpha1`. Required.
        status: ``status``: written by the operator, kept as given for round trip.
    """

    KIND: ClassVar[str] = "OpenTelemetryCollector"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("opentelemetry.io/v1alpha1",)

    spec: CollectorSpecV1Alpha1
    status: dict[str, Any] | None = None

    def _config_model(self) -> CollectorConfig | None:
        return self.spec.parsed_config()
