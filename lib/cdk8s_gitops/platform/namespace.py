"""NamespaceBaseline: the isolation every tenant namespace starts from.

Composes, from one :class:`NamespaceBaselineProps`:

- the ``Namespace`` itself (optional), labelled for Pod Security Admission (``restricted``
  enforced by default; PodSecurityPolicy, removed in Kubernetes 1.25, is replaced by these labels);
- a default-deny ``NetworkPolicy`` selecting every pod of the namespace (ingress, and egress unless
  turned off): whatever a workload needs is then allowed by its own policy (a Microservice's);
- a ``NetworkPolicy`` that lets every pod reach the cluster DNS (otherwise a default-deny egress
  breaks name resolution);
- a ``ResourceQuota`` capping requests, limits, pods and the objects that cost money or open
  the namespace to the outside (LoadBalancer and NodePort Services, volume claims).

No ``LimitRange``: workloads built with the platform constructs always set requests and limits,
which a compute ResourceQuota requires of every pod.

Example::

    NamespaceBaseline(scope, "baseline", NamespaceBaselineProps(
        namespace=env.namespace,
        quota=QuotaSettings.for_pods(10, cpu_request="100m", cpu_limit="500m",
                                     memory_request="128Mi", memory_limit="256Mi"),
    ))
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Annotated, Any, Literal

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta
from ..core.resource import TypedResource
from ..core.schema import Quantity
from ..core.units import parse_quantity
from ..kube import (
    LabelSelector,
    Namespace,
    NetworkPolicy,
    NetworkPolicyEgressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    ResourceQuota,
    ResourceQuotaSpec,
)
from .props import PropsModel, dns_label

__all__ = ["NamespaceBaseline", "NamespaceBaselineProps", "QuotaSettings", "format_cpu", "format_memory"]

PodSecurityLevel = Literal["restricted", "baseline", "privileged"]

_MI = 2**20


def format_cpu(cores: float) -> str:
    """A CPU amount as a Kubernetes quantity: whole cores as ``"2"``, otherwise millicores (``"1500m"``)."""
    milli = math.ceil(Decimal(str(cores)) * 1000)
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"


def format_memory(size: float) -> str:
    """A memory size in bytes as a quantity: ``Gi`` when whole, else ``Mi`` (rounded up)."""
    mebi = math.ceil(Decimal(str(size)) / _MI)
    return f"{mebi // 1024}Gi" if mebi % 1024 == 0 else f"{mebi}Mi"


def _quantity(value: str) -> str:
    try:
        parse_quantity(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return value


class QuotaSettings(PropsModel):
    """What a namespace may consume (``ResourceQuota.spec.hard``).

    Attributes:
        requests_cpu: ``requests.cpu``: total CPU requested by all pods. Required.
        limits_cpu: ``limits.cpu``: total CPU limits. Required.
        requests_memory: ``requests.memory``. Required.
        limits_memory: ``limits.memory``. Required.
        pods: ``pods``: how many pods may exist (running or pending). Required.
        services: ``services``. Default: none (no cap).
        services_load_balancers: ``services.loadbalancers``. Default: 0 (traffic enters through the Gateway).
        services_node_ports: ``services.nodeports``. Default: 0.
        persistent_volume_claims: ``persistentvolumeclaims``. Default: 0 (stateless namespace); ``None`` for no cap.
        requests_storage: ``requests.storage``. Default: none.
        extra: other ``hard`` entries as given (``count/jobs.batch: "10"``). Default: none.
    """

    requests_cpu: str
    limits_cpu: str
    requests_memory: str
    limits_memory: str
    pods: Annotated[int, Field(ge=0)]
    services: Annotated[int, Field(ge=0)] | None = None
    services_load_balancers: Annotated[int, Field(ge=0)] | None = 0
    services_node_ports: Annotated[int, Field(ge=0)] | None = 0
    persistent_volume_claims: Annotated[int, Field(ge=0)] | None = 0
    requests_storage: str | None = None
    extra: dict[str, str] = Field(default_factory=dict)

    @field_validator("requests_cpu", "limits_cpu", "requests_memory", "limits_memory", "requests_storage")
    @classmethod
    def _quantities(cls, value: str | None) -> str | None:
        return None if value is None else _quantity(value)

    @model_validator(mode="after")
    def _requests_within_limits(self) -> QuotaSettings:
        for what in ("cpu", "memory"):
            req, lim = getattr(self, f"requests_{what}"), getattr(self, f"limits_{what}")
            if parse_quantity(req) > parse_quantity(lim):
                raise ValueError(f"requests_{what}: {req} is above limits_{what} {lim}; "
                                 f"a pod's requests never exceed its limits, so raise limits_{what} or lower requests_{what}")
        return self

    @classmethod
    def for_pods(cls, pods: int, *, cpu_request: str, cpu_limit: str, memory_request: str, memory_limit: str,
                 **fields: Any) -> QuotaSettings:
        """A quota sized for ``pods`` pods of the given per-pod requests and limits (the totals rounded up)."""
        if pods < 0:
            raise ValueError(f"pods {pods} is negative; use the number of pods the namespace may run")
        return cls(requests_cpu=format_cpu(pods * parse_quantity(cpu_request)),
                   limits_cpu=format_cpu(pods * parse_quantity(cpu_limit)),
                   requests_memory=format_memory(pods * parse_quantity(memory_request)),
                   limits_memory=format_memory(pods * parse_quantity(memory_limit)),
                   pods=pods, **fields)

    def hard(self) -> dict[str, str]:
        """The ``spec.hard`` mapping (counts as strings, as the API returns them)."""
        hard = {"requests.cpu": self.requests_cpu, "limits.cpu": self.limits_cpu,
                "requests.memory": self.requests_memory, "limits.memory": self.limits_memory,
                "pods": str(self.pods)}
        counts = {"services": self.services, "services.loadbalancers": self.services_load_balancers,
                  "services.nodeports": self.services_node_ports, "persistentvolumeclaims": self.persistent_volume_claims}
        hard.update({key: str(value) for key, value in counts.items() if value is not None})
        if self.requests_storage is not None:
            hard["requests.storage"] = self.requests_storage
        hard.update(self.extra)
        return dict(sorted(hard.items()))


class NamespaceBaselineProps(PropsModel):
    """The isolation of one namespace.

    Attributes:
        namespace: the namespace's name. Required.
        manage_namespace: emit the ``Namespace`` object (with the Pod Security Admission labels).
            Default: true. Turn it off when the namespace is created elsewhere.
        pod_security: the Pod Security Standard enforced, audited and warned about
            (``pod-security.kubernetes.io/{enforce,audit,warn}``). Default: ``restricted``.
        namespace_labels: extra labels of the Namespace. Default: none.
        deny_egress: the default-deny policy covers egress too (``policyTypes: [Ingress, Egress]``).
            Default: true. Workloads then need an egress rule for each destination.
        allow_dns: add the ``allow-dns`` policy letting every pod reach the cluster DNS on port 53
            (only with ``deny_egress``). Default: true.
        dns_namespace: the namespace of the cluster DNS pods. Default: ``kube-system``.
        dns_pod_labels: labels of the DNS pods. Default: ``k8s-app: kube-dns`` (CoreDNS and kube-dns).
        quota: the ResourceQuota, or none. Default: none.
        deny_policy_name: name of the default-deny NetworkPolicy. Default: ``default-deny``.
        quota_name: name of the ResourceQuota. Default: ``namespace-quota``.
        sync_wave: Argo CD sync wave of the NetworkPolicies and the ResourceQuota (before the workloads,
            so a pod never starts unconfined). Default: -2. The Namespace keeps the default wave of its
            kind (-3, before everything).
    """

    namespace: str
    manage_namespace: bool = True
    pod_security: PodSecurityLevel = "restricted"
    namespace_labels: dict[str, str] = Field(default_factory=dict)
    deny_egress: bool = True
    allow_dns: bool = True
    dns_namespace: str = "kube-system"
    dns_pod_labels: dict[str, str] = Field(default_factory=lambda: {"k8s-app": "kube-dns"})
    quota: QuotaSettings | None = None
    deny_policy_name: str = "default-deny"
    quota_name: str = "namespace-quota"
    sync_wave: int | None = -2

    @field_validator("namespace", "dns_namespace")
    @classmethod
    def _label(cls, value: str) -> str:
        return dns_label(value)

    @field_validator("namespace_labels")
    @classmethod
    def _own_labels(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if key.startswith("pod-security.kubernetes.io/"):
                raise ValueError(f"{key!r} is set from pod_security; remove it from namespace_labels and set pod_security")
        return value


class NamespaceBaseline(LazyConstruct):
    """Namespace, default-deny NetworkPolicy, DNS egress and ResourceQuota of one tenant namespace.

    Args:
        scope: a construct in a :class:`~cdk8s_gitops.core.chart.GitOpsChart`.
        id: construct id, unique in the scope.
        props: the isolation wanted.

    Attributes set after construction (each the :class:`TypedResource` created, or None):
    ``namespace``, ``deny_policy``, ``dns_policy``, ``quota``.
    """

    def __init__(self, scope: constructs.Construct, id: str, props: NamespaceBaselineProps) -> None:
        super().__init__(scope, id)
        self._gitops_chart = chart_of(scope)
        self.props = props
        ns = props.namespace
        wave = props.sync_wave
        self.namespace = TypedResource(self, Namespace(metadata=ObjectMeta(
            name=ns, labels={**props.namespace_labels, **self.pod_security_labels()},
        ))) if props.manage_namespace else None
        types: list[Literal["Ingress", "Egress"]] = ["Ingress", "Egress"] if props.deny_egress else ["Ingress"]
        # An empty podSelector selects every pod; no rules means nothing is allowed.
        self.deny_policy = TypedResource(self, NetworkPolicy(
            metadata=ObjectMeta(name=props.deny_policy_name, namespace=ns),
            spec=NetworkPolicySpec(pod_selector=LabelSelector(), policy_types=types),
        ), sync_wave=wave)
        dns = NetworkPolicyPeer(
            namespace_selector=LabelSelector(match_labels={"kubernetes.io/metadata.name": props.dns_namespace}),
            pod_selector=LabelSelector(match_labels=dict(props.dns_pod_labels)))
        self.dns_policy = TypedResource(self, NetworkPolicy(
            metadata=ObjectMeta(name="allow-dns", namespace=ns),
            spec=NetworkPolicySpec(pod_selector=LabelSelector(), policy_types=["Egress"], egress=[NetworkPolicyEgressRule(
                to=[dns],
                ports=[NetworkPolicyPort(protocol="UDP", port=53), NetworkPolicyPort(protocol="TCP", port=53)],
            )]),
        ), sync_wave=wave) if props.deny_egress and props.allow_dns else None
        hard: dict[str, Quantity] | None = dict(props.quota.hard()) if props.quota is not None else None
        self.quota = TypedResource(self, ResourceQuota(
            metadata=ObjectMeta(name=props.quota_name, namespace=ns),
            spec=ResourceQuotaSpec(hard=hard),
        ), sync_wave=wave) if hard is not None else None

    def pod_security_labels(self) -> dict[str, str]:
        """The Pod Security Admission labels of the namespace (enforce, audit and warn at one level)."""
        level = self.props.pod_security
        return {f"pod-security.kubernetes.io/{mode}": level for mode in ("audit", "enforce", "warn")}
