"""Core API group (``v1``): the pod template and its parts, Service, ServiceAccount, Secret,
ConfigMap, Namespace, ResourceQuota and PersistentVolumeClaim.

Field sets follow the Kubernetes 1.36 API. Rarely used, large structures (affinity,
topology spread constraints, container lifecycle hooks, storage-driver volume sources)
are kept as plain mappings so that they round-trip unchanged; everything a platform
writes every day is typed.

:class:`LabelSelector` lives here too (upstream it is ``meta/v1``), since every
workload, Service-like and policy kind uses it.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import (
    DNSLabel,
    Issues,
    NonNegativeInt,
    Port,
    PortName,
    PortOrName,
    PositiveInt,
    Quantity,
    ResourceQuantity,
    check_labels,
)
from ..core.model import K8sModel, ObjectMeta, Resource
from ..core.units import parse_quantity

__all__ = [
    "AppArmorProfile",
    "Capabilities",
    "ClientIPConfig",
    "ConfigMap",
    "ConfigMapEnvSource",
    "ConfigMapKeySelector",
    "ConfigMapProjection",
    "ConfigMapVolumeSource",
    "Container",
    "ContainerPort",
    "ContainerResizePolicy",
    "DownwardAPIProjection",
    "DownwardAPIVolumeFile",
    "DownwardAPIVolumeSource",
    "EmbeddedPersistentVolumeClaim",
    "EmptyDirVolumeSource",
    "EnvFromSource",
    "EnvVar",
    "EnvVarSource",
    "EphemeralVolumeSource",
    "ExecAction",
    "FileKeySelector",
    "GRPCAction",
    "HTTPGetAction",
    "HTTPHeader",
    "HostAlias",
    "KeyToPath",
    "LabelSelector",
    "LabelSelectorRequirement",
    "LocalObjectReference",
    "Namespace",
    "ObjectFieldSelector",
    "ObjectReference",
    "PersistentVolumeClaim",
    "PersistentVolumeClaimSpec",
    "PersistentVolumeClaimTemplate",
    "PersistentVolumeClaimVolumeSource",
    "PodDNSConfig",
    "PodDNSConfigOption",
    "PodOS",
    "PodReadinessGate",
    "PodSchedulingGate",
    "PodSecurityContext",
    "PodSpec",
    "PodTemplateSpec",
    "Probe",
    "ProjectedVolumeSource",
    "ResourceClaim",
    "ResourceFieldSelector",
    "ResourceQuota",
    "ResourceQuotaSpec",
    "ResourceRequirements",
    "SELinuxOptions",
    "ScopeSelector",
    "ScopedResourceSelectorRequirement",
    "SeccompProfile",
    "Secret",
    "SecretEnvSource",
    "SecretKeySelector",
    "SecretProjection",
    "SecretVolumeSource",
    "SecurityContext",
    "Service",
    "ServiceAccount",
    "ServiceAccountTokenProjection",
    "ServicePort",
    "ServiceSpec",
    "SessionAffinityConfig",
    "Sysctl",
    "TCPSocketAction",
    "Toleration",
    "TypedLocalObjectReference",
    "TypedObjectReference",
    "Volume",
    "VolumeDevice",
    "VolumeMount",
    "VolumeProjection",
    "VolumeResourceRequirements",
    "WindowsSecurityContextOptions",
    "pod_template_issues",
    "selector_template_issues",
]

Protocol = Literal["TCP", "UDP", "SCTP"]


# =====================================================================================
# Label selectors (meta/v1)
# =====================================================================================
class LabelSelectorRequirement(K8sModel):
    """One expression of a label selector.

    Attributes:
        key: ``key``: the label key tested. Required.
        operator: ``operator``: ``In``, ``NotIn``, ``Exists`` or ``DoesNotExist``. Required.
        values: ``values``: the values for ``In``/``NotIn`` (must be non-empty there, absent
            for ``Exists``/``DoesNotExist``). Default: none.
    """

    key: str
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"]
    values: list[str] | None = None

    @model_validator(mode="after")
    def _check_values(self) -> Self:
        if self.operator in ("In", "NotIn") and not self.values:
            raise ValueError(f"operator {self.operator!r} on key {self.key!r} has no values; list at least one value")
        if self.operator in ("Exists", "DoesNotExist") and self.values:
            raise ValueError(f"operator {self.operator!r} on key {self.key!r} takes no values, got {self.values!r}; remove values")
        return self

    def matches(self, labels: dict[str, str]) -> bool:
        """Whether ``labels`` satisfy this expression."""
        if self.operator == "Exists":
            return self.key in labels
        if self.operator == "DoesNotExist":
            return self.key not in labels
        if self.operator == "In":
            return labels.get(self.key) in (self.values or [])
        return labels.get(self.key) not in (self.values or [])


class LabelSelector(K8sModel):
    """A label query (``selector``, ``podSelector``, ``namespaceSelector``).

    An empty selector (``{}``) selects everything where upstream allows it
    (NetworkPolicy ``podSelector``) and is refused by workloads.

    Attributes:
        match_labels: ``matchLabels``: labels that must all be present with these values. Default: none.
        match_expressions: ``matchExpressions``: further requirements, all ANDed. Default: none.
    """

    match_labels: dict[str, str] | None = None
    match_expressions: list[LabelSelectorRequirement] | None = None

    @model_validator(mode="after")
    def _check_labels(self) -> Self:
        why = check_labels(self.match_labels, "matchLabels")
        if why:
            issues = Issues()
            issues.add(("matchLabels",), why, self.match_labels)
            issues.raise_any("LabelSelector")
        return self

    @property
    def is_empty(self) -> bool:
        """True when the selector has neither labels nor expressions (it selects everything)."""
        return not self.match_labels and not self.match_expressions

    def matches(self, labels: dict[str, str] | None) -> bool:
        """Whether an object with ``labels`` is selected."""
        labels = labels or {}
        if any(labels.get(k) != v for k, v in (self.match_labels or {}).items()):
            return False
        return all(expr.matches(labels) for expr in self.match_expressions or [])


def selector_template_issues(selector: LabelSelector, template: PodTemplateSpec, kind: str) -> Issues:
    """Check that a workload's ``selector`` selects its own pod ``template``.

    Locations are relative to the workload spec (``selector.matchLabels``).
    """
    issues = Issues()
    if selector.is_empty:
        issues.add(("selector",), f"the selector of a {kind} is empty and would select every pod in the namespace; "
                                  "set selector.matchLabels to the pod template's identifying labels", selector.dump())
        return issues
    labels = (template.metadata.labels if template.metadata else None) or {}
    missing = {k: v for k, v in (selector.match_labels or {}).items() if labels.get(k) != v}
    if missing:
        differences = ", ".join(f"{k}={v!r}" for k, v in missing.items())
        issues.add(
            ("selector", "matchLabels"),
            f"selector.matchLabels {selector.match_labels!r} is not a subset of template.metadata.labels {labels!r} "
            f"({differences} missing or different in the template); make template.metadata.labels include every selector label",
            selector.match_labels,
        )
    for i, expr in enumerate(selector.match_expressions or []):
        if not expr.matches(labels):
            issues.add(
                ("selector", "matchExpressions", i),
                f"selector.matchExpressions[{i}] ({expr.key} {expr.operator} {expr.values or []}) does not match "
                f"template.metadata.labels {labels!r}; change the expression or the template labels so that the selector selects the template",
                expr.dump(),
            )
    return issues


# =====================================================================================
# References
# =====================================================================================
class LocalObjectReference(K8sModel):
    """A reference to an object by name in the same namespace (``imagePullSecrets`` entries).

    Attributes:
        name: ``name``: the referenced object's name. Default: none (upstream: effectively required).
    """

    name: str | None = None


class ObjectReference(K8sModel):
    """A full object reference (ServiceAccount ``secrets``).

    Attributes:
        api_version: ``apiVersion`` of the referent. Default: none.
        field_path: ``fieldPath`` inside the referent. Default: none.
        kind: ``kind`` of the referent. Default: none.
        name: ``name`` of the referent. Default: none.
        namespace: ``namespace`` of the referent. Default: none.
        resource_version: ``resourceVersion`` pinned. Default: none.
        uid: ``uid`` of the referent. Default: none.
    """

    api_version: str | None = None
    field_path: str | None = None
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    resource_version: str | None = None
    uid: str | None = None


class TypedLocalObjectReference(K8sModel):
    """A typed reference in the same namespace (PVC ``dataSource``).

    Attributes:
        api_group: ``apiGroup`` of the referent; empty for the core group. Default: none.
        kind: ``kind`` of the referent. Required.
        name: ``name`` of the referent. Required.
    """

    api_group: str | None = None
    kind: str
    name: str


class TypedObjectReference(K8sModel):
    """A typed reference, possibly in another namespace (PVC ``dataSourceRef``).

    Attributes:
        api_group: ``apiGroup`` of the referent; empty for the core group. Default: none.
        kind: ``kind`` of the referent. Required.
        name: ``name`` of the referent. Required.
        namespace: ``namespace`` of the referent. Default: none (the claim's namespace).
    """

    api_group: str | None = None
    kind: str
    name: str
    namespace: str | None = None


# =====================================================================================
# Environment
# =====================================================================================
class ConfigMapKeySelector(K8sModel):
    """One key of a ConfigMap (``env[].valueFrom.configMapKeyRef``).

    Attributes:
        key: ``key`` in the ConfigMap's ``data``. Required.
        name: ``name`` of the ConfigMap. Default: none (upstream: effectively required).
        optional: ``optional``: start the pod even if the ConfigMap or key is missing. Default: none (upstream: false).
    """

    key: str
    name: str | None = None
    optional: bool | None = None


class SecretKeySelector(K8sModel):
    """One key of a Secret (``env[].valueFrom.secretKeyRef``).

    Attributes:
        key: ``key`` in the Secret's ``data``. Required.
        name: ``name`` of the Secret. Default: none (upstream: effectively required).
        optional: ``optional``: start the pod even if the Secret or key is missing. Default: none (upstream: false).
    """

    key: str
    name: str | None = None
    optional: bool | None = None


class ObjectFieldSelector(K8sModel):
    """A field of the pod (``fieldRef``: ``metadata.name``, ``status.podIP``, ...).

    Attributes:
        api_version: ``apiVersion`` the path is written against. Default: none (upstream: ``v1``).
        field_path: ``fieldPath``: the pod field. Required.
    """

    api_version: str | None = None
    field_path: str


class ResourceFieldSelector(K8sModel):
    """A container's resource request or limit (``resourceFieldRef``).

    Attributes:
        container_name: ``containerName``: whose resources; required in volumes. Default: none (this container).
        divisor: ``divisor``: unit of the exposed value. Default: none (upstream: ``1``).
        resource: ``resource``: ``limits.cpu``, ``requests.memory``, ... Required.
    """

    container_name: str | None = None
    divisor: Quantity | None = None
    resource: str


class FileKeySelector(K8sModel):
    """A key of an env file inside a volume (``fileKeyRef``, EnvFiles feature).

    Attributes:
        key: ``key`` in the file. Required.
        optional: ``optional``: tolerate a missing file or key. Default: none (upstream: false).
        path: ``path`` of the file inside the volume. Required.
        volume_name: ``volumeName``: the volume holding the file. Required.
    """

    key: str
    optional: bool | None = None
    path: str
    volume_name: str


class EnvVarSource(K8sModel):
    """Where an environment variable's value comes from (exactly one source).

    Attributes:
        config_map_key_ref: ``configMapKeyRef``. Default: none.
        field_ref: ``fieldRef``. Default: none.
        file_key_ref: ``fileKeyRef``. Default: none.
        resource_field_ref: ``resourceFieldRef``. Default: none.
        secret_key_ref: ``secretKeyRef``. Default: none.
    """

    config_map_key_ref: ConfigMapKeySelector | None = None
    field_ref: ObjectFieldSelector | None = None
    file_key_ref: FileKeySelector | None = None
    resource_field_ref: ResourceFieldSelector | None = None
    secret_key_ref: SecretKeySelector | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        given = [camel for camel, value in (
            ("configMapKeyRef", self.config_map_key_ref), ("fieldRef", self.field_ref), ("fileKeyRef", self.file_key_ref),
            ("resourceFieldRef", self.resource_field_ref), ("secretKeyRef", self.secret_key_ref)) if value is not None]
        if len(given) != 1:
            what = "no source" if not given else f"several sources ({', '.join(given)})"
            raise ValueError(f"valueFrom has {what}; set exactly one of configMapKeyRef, fieldRef, fileKeyRef, resourceFieldRef, secretKeyRef")
        return self


class EnvVar(K8sModel):
    """One environment variable of a container.

    Attributes:
        name: ``name`` of the variable. Required.
        value: ``value``; ``$(VAR)`` references to earlier variables are expanded. Default: none (upstream: "").
        value_from: ``valueFrom``: take the value from a ConfigMap, Secret, pod field or resource. Default: none.
    """

    name: str
    value: str | None = None
    value_from: EnvVarSource | None = None

    @model_validator(mode="after")
    def _value_or_source(self) -> Self:
        if self.value and self.value_from is not None:
            raise ValueError(f"env {self.name!r} sets both value and valueFrom; keep only one of them")
        return self


class ConfigMapEnvSource(K8sModel):
    """A ConfigMap whose keys all become variables (``envFrom[].configMapRef``).

    Attributes:
        name: ``name`` of the ConfigMap. Default: none (upstream: effectively required).
        optional: ``optional``: tolerate a missing ConfigMap. Default: none (upstream: false).
    """

    name: str | None = None
    optional: bool | None = None


class SecretEnvSource(K8sModel):
    """A Secret whose keys all become variables (``envFrom[].secretRef``).

    Attributes:
        name: ``name`` of the Secret. Default: none (upstream: effectively required).
        optional: ``optional``: tolerate a missing Secret. Default: none (upstream: false).
    """

    name: str | None = None
    optional: bool | None = None


class EnvFromSource(K8sModel):
    """A bulk source of environment variables.

    Attributes:
        config_map_ref: ``configMapRef``. Default: none.
        prefix: ``prefix`` put before every imported key. Default: none.
        secret_ref: ``secretRef``. Default: none.
    """

    config_map_ref: ConfigMapEnvSource | None = None
    prefix: str | None = None
    secret_ref: SecretEnvSource | None = None


# =====================================================================================
# Resources
# =====================================================================================
class ResourceClaim(K8sModel):
    """A dynamic resource claim used by a container (``resources.claims``).

    Attributes:
        name: ``name``: an entry of the pod's ``resourceClaims``. Required.
        request: ``request`` inside that claim. Default: none (all of it).
    """

    name: str
    request: str | None = None


def _requests_within_limits(requests: dict[str, Any] | None, limits: dict[str, Any] | None) -> Issues:
    issues = Issues()
    limits = limits or {}
    for key, request in (requests or {}).items():
        if key in limits and parse_quantity(request) > parse_quantity(limits[key]):
            issues.add(("requests", key), f"requests.{key} {request!r} is above limits.{key} {limits[key]!r}; "
                                          f"lower the request or raise the limit", request)
    return issues


class ResourceRequirements(K8sModel):
    """Compute resources of a container (or of the whole pod).

    Attributes:
        claims: ``claims``: dynamic resource claims used. Default: none.
        limits: ``limits``: maximum per resource (``cpu: 500m``, ``memory: 512Mi``), non-negative. Default: none.
        requests: ``requests``: guaranteed amount per resource, at most the limit. Default: none
            (upstream: the limit when only a limit is set).
    """

    claims: list[ResourceClaim] | None = None
    limits: dict[str, ResourceQuantity] | None = None
    requests: dict[str, ResourceQuantity] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _requests_within_limits(self.requests, self.limits).raise_any("ResourceRequirements")
        return self


class VolumeResourceRequirements(K8sModel):
    """Storage requested by a PersistentVolumeClaim.

    Attributes:
        limits: ``limits`` per resource. Default: none.
        requests: ``requests`` per resource (``storage: 10Gi``). Default: none.
    """

    limits: dict[str, ResourceQuantity] | None = None
    requests: dict[str, ResourceQuantity] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _requests_within_limits(self.requests, self.limits).raise_any("VolumeResourceRequirements")
        return self


# =====================================================================================
# Probes
# =====================================================================================
class HTTPHeader(K8sModel):
    """A header sent by an HTTP probe.

    Attributes:
        name: ``name`` of the header. Required.
        value: ``value`` of the header. Required.
    """

    name: str
    value: str


class HTTPGetAction(K8sModel):
    """An HTTP GET check (``httpGet``).

    Attributes:
        host: ``host`` to connect to. Default: none (upstream: the pod IP).
        http_headers: ``httpHeaders`` to send. Default: none.
        path: ``path`` requested. Default: none (upstream: ``/``).
        port: ``port``: number (1-65535) or container port name. Required.
        scheme: ``scheme``: ``HTTP`` or ``HTTPS``. Default: none (upstream: ``HTTP``).
    """

    host: str | None = None
    http_headers: list[HTTPHeader] | None = None
    path: str | None = None
    port: PortOrName
    scheme: Literal["HTTP", "HTTPS"] | None = None


class TCPSocketAction(K8sModel):
    """A TCP connect check (``tcpSocket``).

    Attributes:
        host: ``host`` to connect to. Default: none (upstream: the pod IP).
        port: ``port``: number (1-65535) or container port name. Required.
    """

    host: str | None = None
    port: PortOrName


class ExecAction(K8sModel):
    """A command run in the container (``exec``); exit status 0 is success.

    Attributes:
        command: ``command`` and its arguments, run without a shell. Default: none.
    """

    command: list[str] | None = None


class GRPCAction(K8sModel):
    """A gRPC health check (``grpc``).

    Attributes:
        port: ``port`` number of the gRPC server, 1-65535. Required.
        service: ``service`` name sent in the health request. Default: none (upstream: "", the server's overall health).
    """

    port: Port
    service: str | None = None


class Probe(K8sModel):
    """A liveness, readiness or startup check (exactly one of exec, httpGet, tcpSocket, grpc).

    Attributes:
        exec: ``exec``. Default: none.
        failure_threshold: ``failureThreshold``: consecutive failures before acting. Default: none (upstream: 3).
        grpc: ``grpc``. Default: none.
        http_get: ``httpGet``. Default: none.
        initial_delay_seconds: ``initialDelaySeconds`` after start before the first probe. Default: none (upstream: 0).
        period_seconds: ``periodSeconds`` between probes. Default: none (upstream: 10).
        success_threshold: ``successThreshold``: consecutive successes to pass again; must be 1 for
            liveness and startup probes. Default: none (upstream: 1).
        tcp_socket: ``tcpSocket``. Default: none.
        termination_grace_period_seconds: ``terminationGracePeriodSeconds`` after a failed liveness or
            startup probe. Default: none (upstream: the pod's value).
        timeout_seconds: ``timeoutSeconds`` per probe. Default: none (upstream: 1).
    """

    exec: ExecAction | None = None
    failure_threshold: NonNegativeInt | None = None
    grpc: GRPCAction | None = None
    http_get: HTTPGetAction | None = None
    initial_delay_seconds: NonNegativeInt | None = None
    period_seconds: NonNegativeInt | None = None
    success_threshold: NonNegativeInt | None = None
    tcp_socket: TCPSocketAction | None = None
    termination_grace_period_seconds: PositiveInt | None = None
    timeout_seconds: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _one_handler(self) -> Self:
        given = [name for name, value in (("exec", self.exec), ("grpc", self.grpc), ("httpGet", self.http_get),
                                          ("tcpSocket", self.tcp_socket)) if value is not None]
        if len(given) != 1:
            what = "no check" if not given else f"several checks ({', '.join(given)})"
            raise ValueError(f"probe has {what}; set exactly one of exec, grpc, httpGet, tcpSocket")
        return self


# =====================================================================================
# Security
# =====================================================================================
class Capabilities(K8sModel):
    """Linux capabilities added to and dropped from a container.

    Attributes:
        add: ``add``: capabilities granted (``NET_BIND_SERVICE``). Default: none.
        drop: ``drop``: capabilities removed (``ALL`` for the restricted standard). Default: none.
    """

    add: list[str] | None = None
    drop: list[str] | None = None


class SeccompProfile(K8sModel):
    """The seccomp filter of a pod or container.

    Attributes:
        localhost_profile: ``localhostProfile``: profile file on the node; only (and required) with ``Localhost``. Default: none.
        type: ``type``: ``RuntimeDefault``, ``Unconfined`` or ``Localhost``. Required.
    """

    localhost_profile: str | None = None
    type: Literal["RuntimeDefault", "Unconfined", "Localhost"]

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.type == "Localhost" and not self.localhost_profile:
            raise ValueError("type 'Localhost' needs localhostProfile; set localhostProfile or use type 'RuntimeDefault'")
        if self.type != "Localhost" and self.localhost_profile is not None:
            raise ValueError(f"localhostProfile {self.localhost_profile!r} is only allowed with type 'Localhost', got {self.type!r}; remove localhostProfile")
        return self


class AppArmorProfile(K8sModel):
    """The AppArmor profile of a pod or container.

    Attributes:
        localhost_profile: ``localhostProfile``: profile loaded on the node; only (and required) with ``Localhost``. Default: none.
        type: ``type``: ``RuntimeDefault``, ``Unconfined`` or ``Localhost``. Required.
    """

    localhost_profile: str | None = None
    type: Literal["RuntimeDefault", "Unconfined", "Localhost"]

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.type == "Localhost" and not self.localhost_profile:
            raise ValueError("type 'Localhost' needs localhostProfile; set localhostProfile or use type 'RuntimeDefault'")
        if self.type != "Localhost" and self.localhost_profile is not None:
            raise ValueError(f"localhostProfile {self.localhost_profile!r} is only allowed with type 'Localhost', got {self.type!r}; remove localhostProfile")
        return self


class SELinuxOptions(K8sModel):
    """SELinux labels.

    Attributes:
        level: ``level`` label. Default: none.
        role: ``role`` label. Default: none.
        type: ``type`` label. Default: none.
        user: ``user`` label. Default: none.
    """

    level: str | None = None
    role: str | None = None
    type: str | None = None
    user: str | None = None


class WindowsSecurityContextOptions(K8sModel):
    """Windows-only security settings.

    Attributes:
        gmsa_credential_spec: ``gmsaCredentialSpec`` contents. Default: none.
        gmsa_credential_spec_name: ``gmsaCredentialSpecName``. Default: none.
        host_process: ``hostProcess``: run as a host process container. Default: none (upstream: false).
        run_as_user_name: ``runAsUserName``. Default: none (upstream: the image's user).
    """

    gmsa_credential_spec: str | None = None
    gmsa_credential_spec_name: str | None = None
    host_process: bool | None = None
    run_as_user_name: str | None = None


class SecurityContext(K8sModel):
    """Security settings of one container (override the pod's).

    Attributes:
        allow_privilege_escalation: ``allowPrivilegeEscalation``; false for the restricted standard.
            Default: none (upstream: true).
        app_armor_profile: ``appArmorProfile``. Default: none (upstream: the pod's, else the runtime default).
        capabilities: ``capabilities`` added and dropped. Default: none (upstream: the runtime's default set).
        privileged: ``privileged``: run with all host privileges. Default: none (upstream: false).
        proc_mount: ``procMount``: ``Default`` or ``Unmasked``. Default: none (upstream: ``Default``).
        read_only_root_filesystem: ``readOnlyRootFilesystem``. Default: none (upstream: false).
        run_as_group: ``runAsGroup`` GID. Default: none (upstream: the runtime default).
        run_as_non_root: ``runAsNonRoot``: refuse to start as UID 0. Default: none (upstream: false).
        run_as_user: ``runAsUser`` UID. Default: none (upstream: the image's user).
        se_linux_options: ``seLinuxOptions``. Default: none.
        seccomp_profile: ``seccompProfile``. Default: none (upstream: the pod's, else Unconfined).
        windows_options: ``windowsOptions``. Default: none.
    """

    allow_privilege_escalation: bool | None = None
    app_armor_profile: AppArmorProfile | None = None
    capabilities: Capabilities | None = None
    privileged: bool | None = None
    proc_mount: Literal["Default", "Unmasked"] | None = None
    read_only_root_filesystem: bool | None = None
    run_as_group: NonNegativeInt | None = None
    run_as_non_root: bool | None = None
    run_as_user: NonNegativeInt | None = None
    se_linux_options: SELinuxOptions | None = None
    seccomp_profile: SeccompProfile | None = None
    windows_options: WindowsSecurityContextOptions | None = None


class Sysctl(K8sModel):
    """A namespaced kernel parameter set for the pod.

    Attributes:
        name: ``name`` of the sysctl. Required.
        value: ``value`` to set. Required.
    """

    name: str
    value: str


class PodSecurityContext(K8sModel):
    """Security settings of the whole pod (defaults for every container).

    Attributes:
        app_armor_profile: ``appArmorProfile``. Default: none.
        fs_group: ``fsGroup``: GID owning mounted volumes. Default: none.
        fs_group_change_policy: ``fsGroupChangePolicy``: ``OnRootMismatch`` or ``Always``. Default: none (upstream: ``Always``).
        run_as_group: ``runAsGroup`` GID. Default: none.
        run_as_non_root: ``runAsNonRoot``. Default: none (upstream: false).
        run_as_user: ``runAsUser`` UID. Default: none (upstream: the image's user).
        se_linux_change_policy: ``seLinuxChangePolicy``: ``MountOption`` or ``Recursive``. Default: none.
        se_linux_options: ``seLinuxOptions``. Default: none.
        seccomp_profile: ``seccompProfile``. Default: none (upstream: Unconfined).
        supplemental_groups: ``supplementalGroups`` GIDs. Default: none.
        supplemental_groups_policy: ``supplementalGroupsPolicy``: ``Merge`` or ``Strict``. Default: none (upstream: ``Merge``).
        sysctls: ``sysctls``. Default: none.
        windows_options: ``windowsOptions``. Default: none.
    """

    app_armor_profile: AppArmorProfile | None = None
    fs_group: NonNegativeInt | None = None
    fs_group_change_policy: Literal["OnRootMismatch", "Always"] | None = None
    run_as_group: NonNegativeInt | None = None
    run_as_non_root: bool | None = None
    run_as_user: NonNegativeInt | None = None
    se_linux_change_policy: str | None = None
    se_linux_options: SELinuxOptions | None = None
    seccomp_profile: SeccompProfile | None = None
    supplemental_groups: list[NonNegativeInt] | None = None
    supplemental_groups_policy: Literal["Merge", "Strict"] | None = None
    sysctls: list[Sysctl] | None = None
    windows_options: WindowsSecurityContextOptions | None = None


# =====================================================================================
# Containers
# =====================================================================================
class ContainerPort(K8sModel):
    """A port a container listens on.

    Attributes:
        container_port: ``containerPort``, 1-65535. Required.
        host_ip: ``hostIP`` to bind a host port to. Default: none.
        host_port: ``hostPort`` on the node, 1-65535. Default: none (no host port).
        name: ``name`` (IANA service name) that probes and Services can refer to. Default: none.
        protocol: ``protocol``: ``TCP``, ``UDP`` or ``SCTP``. Default: none (upstream: ``TCP``).
    """

    container_port: Port
    host_ip: str | None = Field(default=None, alias="hostIP")
    host_port: Port | None = None
    name: PortName | None = None
    protocol: Protocol | None = None


class VolumeMount(K8sModel):
    """A pod volume mounted into a container.

    Attributes:
        mount_path: ``mountPath`` inside the container. Required.
        mount_propagation: ``mountPropagation``: ``None``, ``HostToContainer`` or ``Bidirectional``. Default: none (upstream: ``None``).
        name: ``name`` of a pod volume (or StatefulSet volume claim template). Required.
        read_only: ``readOnly``. Default: none (upstream: false).
        recursive_read_only: ``recursiveReadOnly``: ``Disabled``, ``IfPossible`` or ``Enabled``. Default: none (upstream: ``Disabled``).
        sub_path: ``subPath`` inside the volume. Default: none (the volume root).
        sub_path_expr: ``subPathExpr``: like subPath with ``$(VAR)`` expansion. Default: none.
    """

    mount_path: str
    mount_propagation: Literal["None", "HostToContainer", "Bidirectional"] | None = None
    name: str
    read_only: bool | None = None
    recursive_read_only: Literal["Disabled", "IfPossible", "Enabled"] | None = None
    sub_path: str | None = None
    sub_path_expr: str | None = None


class VolumeDevice(K8sModel):
    """A raw block volume exposed as a device.

    Attributes:
        device_path: ``devicePath`` inside the container. Required.
        name: ``name`` of a persistentVolumeClaim volume. Required.
    """

    device_path: str
    name: str


class ContainerResizePolicy(K8sModel):
    """How a container reacts to an in-place resize of one resource.

    Attributes:
        resource_name: ``resourceName``: ``cpu`` or ``memory``. Required.
        restart_policy: ``restartPolicy``: ``NotRequired`` or ``RestartContainer``. Required.
    """

    resource_name: str
    restart_policy: Literal["NotRequired", "RestartContainer"]


class Container(K8sModel):
    """One container of a pod (also used for init containers).

    Attributes:
        args: ``args``: arguments to the entrypoint. Default: none (the image's CMD).
        command: ``command``: the entrypoint, run without a shell. Default: none (the image's ENTRYPOINT).
        env: ``env``: environment variables. Default: none.
        env_from: ``envFrom``: ConfigMaps and Secrets imported as variables. Default: none.
        image: ``image`` reference. Default: none (upstream: required for pods; optional in workload templates).
        image_pull_policy: ``imagePullPolicy``: ``Always``, ``IfNotPresent`` or ``Never``.
            Default: none (upstream: ``Always`` for ``:latest`` or no tag, else ``IfNotPresent``).
        lifecycle: ``lifecycle`` (postStart/preStop hooks, stopSignal), kept as given. Default: none.
        liveness_probe: ``livenessProbe``. Default: none.
        name: ``name``: a DNS label unique in the pod. Required.
        ports: ``ports`` the container listens on. Default: none.
        readiness_probe: ``readinessProbe``. Default: none.
        resize_policy: ``resizePolicy`` for in-place resizes. Default: none.
        resources: ``resources`` requests and limits. Default: none.
        restart_policy: ``restartPolicy`` of this container; ``Always`` on an init container makes it a
            sidecar. Default: none (upstream: the pod's).
        restart_policy_rules: ``restartPolicyRules``, kept as given. Default: none.
        security_context: ``securityContext``. Default: none.
        startup_probe: ``startupProbe``. Default: none.
        stdin: ``stdin``. Default: none (upstream: false).
        stdin_once: ``stdinOnce``. Default: none (upstream: false).
        termination_message_path: ``terminationMessagePath``. Default: none (upstream: ``/dev/termination-log``).
        termination_message_policy: ``terminationMessagePolicy``: ``File`` or ``FallbackToLogsOnError``. Default: none (upstream: ``File``).
        tty: ``tty``. Default: none (upstream: false).
        volume_devices: ``volumeDevices``. Default: none.
        volume_mounts: ``volumeMounts``. Default: none.
        working_dir: ``workingDir``. Default: none (the image's).
    """

    args: list[str] | None = None
    command: list[str] | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    image: str | None = None
    image_pull_policy: Literal["Always", "IfNotPresent", "Never"] | None = None
    lifecycle: dict[str, Any] | None = None
    liveness_probe: Probe | None = None
    name: DNSLabel
    ports: list[ContainerPort] | None = None
    readiness_probe: Probe | None = None
    resize_policy: list[ContainerResizePolicy] | None = None
    resources: ResourceRequirements | None = None
    restart_policy: Literal["Always", "OnFailure", "Never"] | None = None
    restart_policy_rules: list[dict[str, Any]] | None = None
    security_context: SecurityContext | None = None
    startup_probe: Probe | None = None
    stdin: bool | None = None
    stdin_once: bool | None = None
    termination_message_path: str | None = None
    termination_message_policy: Literal["File", "FallbackToLogsOnError"] | None = None
    tty: bool | None = None
    volume_devices: list[VolumeDevice] | None = None
    volume_mounts: list[VolumeMount] | None = None
    working_dir: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for field, probe in (("livenessProbe", self.liveness_probe), ("startupProbe", self.startup_probe)):
            if probe is not None and probe.success_threshold not in (None, 1):
                issues.add((field, "successThreshold"),
                           f"{field}.successThreshold is {probe.success_threshold} in container {self.name!r}; "
                           f"use 1 (upstream requires 1 for {field}s)", probe.success_threshold)
        seen: dict[str, int] = {}
        for i, port in enumerate(self.ports or []):
            if port.name is None:
                continue
            if port.name in seen:
                issues.add(("ports", i, "name"), f"port name {port.name!r} is already used by ports[{seen[port.name]}] of container "
                                                 f"{self.name!r}; give each port a distinct name", port.name)
            seen.setdefault(port.name, i)
        mounts: dict[str, int] = {}
        for i, mount in enumerate(self.volume_mounts or []):
            if mount.mount_path in mounts:
                issues.add(("volumeMounts", i, "mountPath"), f"mountPath {mount.mount_path!r} is already used by "
                                                             f"volumeMounts[{mounts[mount.mount_path]}]; mount each path once", mount.mount_path)
            mounts.setdefault(mount.mount_path, i)
        issues.raise_any("Container")
        return self


# =====================================================================================
# Volumes
# =====================================================================================
class KeyToPath(K8sModel):
    """A key of a ConfigMap or Secret projected to a file.

    Attributes:
        key: ``key`` to project. Required.
        mode: ``mode`` bits of the file (decimal in JSON, often octal in YAML). Default: none (the volume's defaultMode).
        path: ``path`` of the file, relative. Required.
    """

    key: str
    mode: NonNegativeInt | None = None
    path: str


class ConfigMapVolumeSource(K8sModel):
    """A ConfigMap mounted as files (``volumes[].configMap``).

    Attributes:
        default_mode: ``defaultMode`` bits of the files. Default: none (upstream: 0644).
        items: ``items``: keys to project and their paths. Default: none (every key, as a file of that name).
        name: ``name`` of the ConfigMap. Default: none (upstream: effectively required).
        optional: ``optional``: tolerate a missing ConfigMap. Default: none (upstream: false).
    """

    default_mode: NonNegativeInt | None = None
    items: list[KeyToPath] | None = None
    name: str | None = None
    optional: bool | None = None


class SecretVolumeSource(K8sModel):
    """A Secret mounted as files (``volumes[].secret``).

    Attributes:
        default_mode: ``defaultMode`` bits of the files. Default: none (upstream: 0644).
        items: ``items``: keys to project and their paths. Default: none (every key).
        optional: ``optional``: tolerate a missing Secret. Default: none (upstream: false).
        secret_name: ``secretName``: the Secret. Default: none (upstream: effectively required).
    """

    default_mode: NonNegativeInt | None = None
    items: list[KeyToPath] | None = None
    optional: bool | None = None
    secret_name: str | None = None


class EmptyDirVolumeSource(K8sModel):
    """A scratch directory that lives as long as the pod (``volumes[].emptyDir``).

    Attributes:
        medium: ``medium``: "" (node disk) or ``Memory`` (tmpfs). Default: none (upstream: "").
        size_limit: ``sizeLimit`` quantity. Default: none (no limit beyond the node's).
    """

    medium: str | None = None
    size_limit: ResourceQuantity | None = None


class PersistentVolumeClaimVolumeSource(K8sModel):
    """An existing PersistentVolumeClaim (``volumes[].persistentVolumeClaim``).

    Attributes:
        claim_name: ``claimName`` of the claim in the pod's namespace. Required.
        read_only: ``readOnly``: force read-only mounts. Default: none (upstream: false).
    """

    claim_name: str
    read_only: bool | None = None


class DownwardAPIVolumeFile(K8sModel):
    """One file of pod information.

    Attributes:
        field_ref: ``fieldRef``: a pod field (labels, annotations, name, namespace, uid). Default: none.
        mode: ``mode`` bits of the file. Default: none (the volume's defaultMode).
        path: ``path`` of the file, relative. Required.
        resource_field_ref: ``resourceFieldRef``: a container's request or limit. Default: none.
    """

    field_ref: ObjectFieldSelector | None = None
    mode: NonNegativeInt | None = None
    path: str
    resource_field_ref: ResourceFieldSelector | None = None


class DownwardAPIVolumeSource(K8sModel):
    """Pod information as files (``volumes[].downwardAPI``).

    Attributes:
        default_mode: ``defaultMode`` bits of the files. Default: none (upstream: 0644).
        items: ``items``: the files. Default: none.
    """

    default_mode: NonNegativeInt | None = None
    items: list[DownwardAPIVolumeFile] | None = None


class DownwardAPIProjection(K8sModel):
    """Pod information inside a projected volume.

    Attributes:
        items: ``items``: the files. Default: none.
    """

    items: list[DownwardAPIVolumeFile] | None = None


class ConfigMapProjection(K8sModel):
    """A ConfigMap inside a projected volume.

    Attributes:
        items: ``items``: keys and their paths. Default: none (every key).
        name: ``name`` of the ConfigMap. Default: none (upstream: effectively required).
        optional: ``optional``. Default: none (upstream: false).
    """

    items: list[KeyToPath] | None = None
    name: str | None = None
    optional: bool | None = None


class SecretProjection(K8sModel):
    """A Secret inside a projected volume.

    Attributes:
        items: ``items``: keys and their paths. Default: none (every key).
        name: ``name`` of the Secret. Default: none (upstream: effectively required).
        optional: ``optional``. Default: none (upstream: false).
    """

    items: list[KeyToPath] | None = None
    name: str | None = None
    optional: bool | None = None


class ServiceAccountTokenProjection(K8sModel):
    """A bound service account token inside a projected volume.

    Attributes:
        audience: ``audience`` of the token. Default: none (upstream: the API server's).
        expiration_seconds: ``expirationSeconds`` of validity, at least 600. Default: none (upstream: 3600).
        path: ``path`` of the token file. Required.
    """

    audience: str | None = None
    expiration_seconds: NonNegativeInt | None = None
    path: str


class VolumeProjection(K8sModel):
    """One source of a projected volume (exactly one field set).

    Attributes:
        cluster_trust_bundle: ``clusterTrustBundle``, kept as given. Default: none.
        config_map: ``configMap``. Default: none.
        downward_api: ``downwardAPI``. Default: none.
        pod_certificate: ``podCertificate``, kept as given. Default: none.
        secret: ``secret``. Default: none.
        service_account_token: ``serviceAccountToken``. Default: none.
    """

    cluster_trust_bundle: dict[str, Any] | None = None
    config_map: ConfigMapProjection | None = None
    downward_api: DownwardAPIProjection | None = Field(default=None, alias="downwardAPI")
    pod_certificate: dict[str, Any] | None = None
    secret: SecretProjection | None = None
    service_account_token: ServiceAccountTokenProjection | None = None


class ProjectedVolumeSource(K8sModel):
    """Several sources merged into one directory (``volumes[].projected``).

    Attributes:
        default_mode: ``defaultMode`` bits of the files. Default: none (upstream: 0644).
        sources: ``sources``. Default: none.
    """

    default_mode: NonNegativeInt | None = None
    sources: list[VolumeProjection] | None = None


class PersistentVolumeClaimSpec(K8sModel):
    """What storage a claim asks for.

    Attributes:
        access_modes: ``accessModes``: ``ReadWriteOnce``, ``ReadOnlyMany``, ``ReadWriteMany``, ``ReadWriteOncePod``. Default: none.
        data_source: ``dataSource``: a snapshot or claim to copy. Default: none.
        data_source_ref: ``dataSourceRef``: any populator object. Default: none.
        resources: ``resources``: ``requests.storage`` and limits. Default: none.
        selector: ``selector`` over PersistentVolumes. Default: none.
        storage_class_name: ``storageClassName``. Default: none (upstream: the default StorageClass).
        volume_attributes_class_name: ``volumeAttributesClassName``. Default: none.
        volume_mode: ``volumeMode``: ``Filesystem`` or ``Block``. Default: none (upstream: ``Filesystem``).
        volume_name: ``volumeName``: bind to this PersistentVolume. Default: none.
    """

    access_modes: list[Literal["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"]] | None = None
    data_source: TypedLocalObjectReference | None = None
    data_source_ref: TypedObjectReference | None = None
    resources: VolumeResourceRequirements | None = None
    selector: LabelSelector | None = None
    storage_class_name: str | None = None
    volume_attributes_class_name: str | None = None
    volume_mode: Literal["Filesystem", "Block"] | None = None
    volume_name: str | None = None


class PersistentVolumeClaimTemplate(K8sModel):
    """The claim created for a generic ephemeral volume (``volumes[].ephemeral.volumeClaimTemplate``).

    Attributes:
        metadata: ``metadata`` (labels, annotations) copied to the claim. Default: none.
        spec: ``spec`` of the claim. Required.
    """

    metadata: ObjectMeta | None = None
    spec: PersistentVolumeClaimSpec


class EphemeralVolumeSource(K8sModel):
    """A per-pod claim created and deleted with the pod (``volumes[].ephemeral``).

    Attributes:
        volume_claim_template: ``volumeClaimTemplate``. Default: none (upstream: effectively required).
    """

    volume_claim_template: PersistentVolumeClaimTemplate | None = None


class Volume(K8sModel):
    """A pod volume: a name and exactly one source.

    The sources platforms use (configMap, secret, emptyDir, persistentVolumeClaim,
    projected, downwardAPI, ephemeral) are typed; storage-driver and deprecated in-tree
    sources are kept as given.

    Attributes:
        name: ``name``: a DNS label unique in the pod, used by volumeMounts. Required.
        config_map: ``configMap``. Default: none.
        secret: ``secret``. Default: none.
        empty_dir: ``emptyDir``. Default: none (upstream: emptyDir when no source is given).
        persistent_volume_claim: ``persistentVolumeClaim``. Default: none.
        projected: ``projected``. Default: none.
        downward_api: ``downwardAPI``. Default: none.
        ephemeral: ``ephemeral``. Default: none.
        csi: ``csi``, kept as given. Default: none.
        host_path: ``hostPath``, kept as given (not allowed by the restricted standard). Default: none.
        image: ``image`` (OCI image volume), kept as given. Default: none.
        nfs: ``nfs``, kept as given. Default: none.
        aws_elastic_block_store: ``awsElasticBlockStore``, an in-tree driver source, kept as given. Default: none.
        azure_disk: ``azureDisk``, an in-tree driver source, kept as given. Default: none.
        azure_file: ``azureFile``, an in-tree driver source, kept as given. Default: none.
        cephfs: ``cephfs``, an in-tree driver source, kept as given. Default: none.
        cinder: ``cinder``, an in-tree driver source, kept as given. Default: none.
        fc: ``fc``, an in-tree driver source, kept as given. Default: none.
        flex_volume: ``flexVolume``, an in-tree driver source, kept as given. Default: none.
        flocker: ``flocker``, an in-tree driver source, kept as given. Default: none.
        gce_persistent_disk: ``gcePersistentDisk``, an in-tree driver source, kept as given. Default: none.
        git_repo: ``gitRepo``, an in-tree driver source, kept as given. Default: none.
        glusterfs: ``glusterfs``, an in-tree driver source, kept as given. Default: none.
        iscsi: ``iscsi``, an in-tree driver source, kept as given. Default: none.
        photon_persistent_disk: ``photonPersistentDisk``, an in-tree driver source, kept as given. Default: none.
        portworx_volume: ``portworxVolume``, an in-tree driver source, kept as given. Default: none.
        quobyte: ``quobyte``, an in-tree driver source, kept as given. Default: none.
        rbd: ``rbd``, an in-tree driver source, kept as given. Default: none.
        scale_io: ``scaleIO``, an in-tree driver source, kept as given. Default: none.
        storageos: ``storageos``, an in-tree driver source, kept as given. Default: none.
        vsphere_volume: ``vsphereVolume``, an in-tree driver source, kept as given. Default: none.
    """

    name: DNSLabel
    config_map: ConfigMapVolumeSource | None = None
    secret: SecretVolumeSource | None = None
    empty_dir: EmptyDirVolumeSource | None = None
    persistent_volume_claim: PersistentVolumeClaimVolumeSource | None = None
    projected: ProjectedVolumeSource | None = None
    downward_api: DownwardAPIVolumeSource | None = Field(default=None, alias="downwardAPI")
    ephemeral: EphemeralVolumeSource | None = None
    csi: dict[str, Any] | None = None
    host_path: dict[str, Any] | None = None
    image: dict[str, Any] | None = None
    nfs: dict[str, Any] | None = None
    aws_elastic_block_store: dict[str, Any] | None = None
    azure_disk: dict[str, Any] | None = None
    azure_file: dict[str, Any] | None = None
    cephfs: dict[str, Any] | None = None
    cinder: dict[str, Any] | None = None
    fc: dict[str, Any] | None = None
    flex_volume: dict[str, Any] | None = None
    flocker: dict[str, Any] | None = None
    gce_persistent_disk: dict[str, Any] | None = None
    git_repo: dict[str, Any] | None = None
    glusterfs: dict[str, Any] | None = None
    iscsi: dict[str, Any] | None = None
    photon_persistent_disk: dict[str, Any] | None = None
    portworx_volume: dict[str, Any] | None = None
    quobyte: dict[str, Any] | None = None
    rbd: dict[str, Any] | None = None
    scale_io: dict[str, Any] | None = Field(default=None, alias="scaleIO")
    storageos: dict[str, Any] | None = None
    vsphere_volume: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        fields = type(self).model_fields
        given = sorted(fields[f].alias or f for f in self.model_fields_set if f != "name" and getattr(self, f) is not None)
        if len(given) > 1:
            raise ValueError(f"volume {self.name!r} has several sources ({', '.join(given)}); give each volume exactly one source")
        return self


# =====================================================================================
# Pods
# =====================================================================================
class Toleration(K8sModel):
    """Lets the pod schedule onto (or stay on) nodes with a matching taint.

    Attributes:
        effect: ``effect``: ``NoSchedule``, ``PreferNoSchedule``, ``NoExecute`` or "" (all). Default: none (all effects).
        key: ``key`` of the taint. Default: none (with ``Exists``: every taint).
        operator: ``operator``: ``Equal``, ``Exists``, ``Lt`` or ``Gt``. Default: none (upstream: ``Equal``).
        toleration_seconds: ``tolerationSeconds`` a ``NoExecute`` taint is tolerated. Default: none (forever).
        value: ``value`` of the taint for ``Equal``. Default: none.
    """

    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute", ""] | None = None
    key: str | None = None
    operator: Literal["Equal", "Exists", "Lt", "Gt"] | None = None
    toleration_seconds: int | None = None
    value: str | None = None


class HostAlias(K8sModel):
    """An extra ``/etc/hosts`` entry.

    Attributes:
        hostnames: ``hostnames`` for the IP. Default: none.
        ip: ``ip`` address. Required.
    """

    hostnames: list[str] | None = None
    ip: str


class PodDNSConfigOption(K8sModel):
    """A resolver option (``ndots: "2"``).

    Attributes:
        name: ``name`` of the option. Default: none (upstream: required).
        value: ``value`` of the option. Default: none.
    """

    name: str | None = None
    value: str | None = None


class PodDNSConfig(K8sModel):
    """DNS settings merged into the pod's resolver configuration.

    Attributes:
        nameservers: ``nameservers`` IPs. Default: none.
        options: ``options``. Default: none.
        searches: ``searches`` domains. Default: none.
    """

    nameservers: list[str] | None = None
    options: list[PodDNSConfigOption] | None = None
    searches: list[str] | None = None


class PodOS(K8sModel):
    """The operating system the pod needs.

    Attributes:
        name: ``name``: ``linux`` or ``windows``. Required.
    """

    name: str


class PodReadinessGate(K8sModel):
    """An extra pod condition that must be true for readiness.

    Attributes:
        condition_type: ``conditionType``. Required.
    """

    condition_type: str


class PodSchedulingGate(K8sModel):
    """A gate that holds the pod back from scheduling until removed.

    Attributes:
        name: ``name`` of the gate. Required.
    """

    name: str


class PodSpec(K8sModel):
    """What runs in a pod and how.

    Attributes:
        active_deadline_seconds: ``activeDeadlineSeconds`` before the pod is failed. Default: none (no deadline).
        affinity: ``affinity`` (node, pod and anti-affinity), kept as given. Default: none.
        automount_service_account_token: ``automountServiceAccountToken``. Default: none (upstream: the ServiceAccount's, true).
        containers: ``containers``: at least one, names unique across containers and init containers. Required.
        dns_config: ``dnsConfig``. Default: none.
        dns_policy: ``dnsPolicy``: ``ClusterFirst``, ``ClusterFirstWithHostNet``, ``Default`` or ``None``. Default: none (upstream: ``ClusterFirst``).
        enable_service_links: ``enableServiceLinks``: inject Service env variables. Default: none (upstream: true).
        ephemeral_containers: ``ephemeralContainers`` (debugging), kept as given. Default: none.
        host_aliases: ``hostAliases``. Default: none.
        host_ipc: ``hostIPC``. Default: none (upstream: false).
        host_network: ``hostNetwork``. Default: none (upstream: false).
        host_pid: ``hostPID``. Default: none (upstream: false).
        host_users: ``hostUsers``: false gives the pod its own user namespace. Default: none (upstream: true).
        hostname: ``hostname``. Default: none (the pod name).
        hostname_override: ``hostnameOverride``. Default: none.
        image_pull_secrets: ``imagePullSecrets``. Default: none.
        init_containers: ``initContainers``, run in order before the containers. Default: none.
        node_name: ``nodeName``: bypass the scheduler. Default: none.
        node_selector: ``nodeSelector`` labels. Default: none.
        os: ``os``. Default: none.
        overhead: ``overhead`` quantities (set by RuntimeClass admission). Default: none.
        preemption_policy: ``preemptionPolicy``: ``PreemptLowerPriority`` or ``Never``. Default: none (upstream: ``PreemptLowerPriority``).
        priority: ``priority`` value (set from the priority class). Default: none.
        priority_class_name: ``priorityClassName``. Default: none.
        readiness_gates: ``readinessGates``. Default: none.
        resource_claims: ``resourceClaims`` (dynamic resource allocation), kept as given. Default: none.
        resources: ``resources`` of the whole pod. Default: none.
        restart_policy: ``restartPolicy``: ``Always``, ``OnFailure`` or ``Never``. Default: none (upstream: ``Always``).
        runtime_class_name: ``runtimeClassName``. Default: none.
        scheduler_name: ``schedulerName``. Default: none (upstream: ``default-scheduler``).
        scheduling_gates: ``schedulingGates``. Default: none.
        scheduling_group: ``schedulingGroup``, kept as given. Default: none.
        security_context: ``securityContext``. Default: none.
        service_account: ``serviceAccount``: deprecated alias of serviceAccountName. Default: none.
        service_account_name: ``serviceAccountName``. Default: none (upstream: ``default``).
        set_hostname_as_fqdn: ``setHostnameAsFQDN``. Default: none (upstream: false).
        share_process_namespace: ``shareProcessNamespace``. Default: none (upstream: false).
        subdomain: ``subdomain`` (with a headless Service of that name). Default: none.
        termination_grace_period_seconds: ``terminationGracePeriodSeconds``. Default: none (upstream: 30).
        tolerations: ``tolerations``. Default: none.
        topology_spread_constraints: ``topologySpreadConstraints``, kept as given. Default: none.
        volumes: ``volumes``: names unique. Default: none.
    """

    active_deadline_seconds: PositiveInt | None = None
    affinity: dict[str, Any] | None = None
    automount_service_account_token: bool | None = None
    containers: list[Container]
    dns_config: PodDNSConfig | None = None
    dns_policy: Literal["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"] | None = None
    enable_service_links: bool | None = None
    ephemeral_containers: list[dict[str, Any]] | None = None
    host_aliases: list[HostAlias] | None = None
    host_ipc: bool | None = Field(default=None, alias="hostIPC")
    host_network: bool | None = None
    host_pid: bool | None = Field(default=None, alias="hostPID")
    host_users: bool | None = None
    hostname: str | None = None
    hostname_override: str | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    init_containers: list[Container] | None = None
    node_name: str | None = None
    node_selector: dict[str, str] | None = None
    os: PodOS | None = None
    overhead: dict[str, ResourceQuantity] | None = None
    preemption_policy: Literal["PreemptLowerPriority", "Never"] | None = None
    priority: int | None = None
    priority_class_name: str | None = None
    readiness_gates: list[PodReadinessGate] | None = None
    resource_claims: list[dict[str, Any]] | None = None
    resources: ResourceRequirements | None = None
    restart_policy: Literal["Always", "OnFailure", "Never"] | None = None
    runtime_class_name: str | None = None
    scheduler_name: str | None = None
    scheduling_gates: list[PodSchedulingGate] | None = None
    scheduling_group: dict[str, Any] | None = None
    security_context: PodSecurityContext | None = None
    service_account: str | None = None
    service_account_name: str | None = None
    set_hostname_as_fqdn: bool | None = Field(default=None, alias="setHostnameAsFQDN")
    share_process_namespace: bool | None = None
    subdomain: str | None = None
    termination_grace_period_seconds: NonNegativeInt | None = None
    tolerations: list[Toleration] | None = None
    topology_spread_constraints: list[dict[str, Any]] | None = None
    volumes: list[Volume] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if not self.containers:
            issues.add(("containers",), "the pod has no containers; add at least one container", [])
        names: dict[str, str] = {}
        for field, containers in (("initContainers", self.init_containers), ("containers", self.containers)):
            for i, container in enumerate(containers or []):
                where = f"{field}[{i}]"
                if container.name in names:
                    issues.add((field, i, "name"), f"container name {container.name!r} is already used by {names[container.name]}; "
                                                   f"give every container and init container a distinct name", container.name)
                names.setdefault(container.name, where)
        volumes: dict[str, int] = {}
        for i, volume in enumerate(self.volumes or []):
            if volume.name in volumes:
                issues.add(("volumes", i, "name"), f"volume name {volume.name!r} is already used by volumes[{volumes[volume.name]}]; "
                                                   f"give every volume a distinct name", volume.name)
            volumes.setdefault(volume.name, i)
        why = check_labels(self.node_selector, "nodeSelector")
        if why:
            issues.add(("nodeSelector",), why, self.node_selector)
        issues.raise_any("PodSpec")
        return self

    def volume_mount_issues(self, extra_volumes: set[str] | frozenset[str] = frozenset()) -> Issues:
        """Mounts that name no pod volume (``extra_volumes``: StatefulSet claim template names).

        Not run by the model itself (a StatefulSet template may mount its claim templates);
        workload specs call it with what they add. Locations are relative to this PodSpec.
        """
        issues = Issues()
        known = {v.name for v in self.volumes or []} | set(extra_volumes)
        for field, containers in (("initContainers", self.init_containers), ("containers", self.containers)):
            for i, container in enumerate(containers or []):
                for j, mount in enumerate(container.volume_mounts or []):
                    if mount.name not in known:
                        listed = ", ".join(sorted(known)) or "none"
                        issues.add((field, i, "volumeMounts", j, "name"),
                                   f"container {container.name!r} mounts volume {mount.name!r}, which the pod does not define "
                                   f"(volumes: {listed}); add a volume named {mount.name!r} or fix the mount's name", mount.name)
        return issues


class PodTemplateSpec(K8sModel):
    """The pod a workload creates (``spec.template``).

    Attributes:
        metadata: ``metadata`` of the pods (labels must include the workload's selector). Default: none.
        spec: ``spec`` of the pods. Default: none (upstream: effectively required).
    """

    metadata: ObjectMeta | None = None
    spec: PodSpec | None = None


def pod_template_issues(
    template: PodTemplateSpec,
    *,
    allowed_restart: tuple[str, ...] | None,
    kind: str,
    extra_volumes: set[str] | frozenset[str] = frozenset(),
) -> Issues:
    """Checks of a workload's pod template that depend on the workload kind.

    ``allowed_restart``: the pod restartPolicy values the kind accepts; for a kind that
    needs one set explicitly (Jobs), the tuple excludes ``Always``. Locations are relative
    to the template (``spec.restartPolicy``).
    """
    issues = Issues()
    spec = template.spec
    if spec is None:
        issues.add((), f"the pod template of a {kind} has no spec; add template.spec with at least one container", None)
        return issues
    if allowed_restart is not None:
        policy = spec.restart_policy or "Always"
        if policy not in allowed_restart:
            shown = repr(spec.restart_policy) if spec.restart_policy else "unset (Always)"
            issues.add(("spec", "restartPolicy"), f"restartPolicy is {shown}, which a {kind} does not accept; "
                                                  f"use {' or '.join(repr(p) for p in allowed_restart)}", spec.restart_policy)
    issues.extend(("spec",), spec.volume_mount_issues(extra_volumes))
    return issues


# =====================================================================================
# Namespace, ConfigMap, Secret, ServiceAccount
# =====================================================================================
class Namespace(Resource):
    """A ``v1`` Namespace (cluster-scoped).

    Attributes:
        spec: ``spec`` (finalizers), kept as given. Default: none.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Namespace"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)
    NAME_RULE: ClassVar[str] = "label"
    NAMESPACED: ClassVar[bool] = False

    spec: dict[str, Any] | None = None
    status: dict[str, Any] | None = None


class ConfigMap(Resource):
    """A ``v1`` ConfigMap.

    Attributes:
        data: ``data``: string values by key. Default: none.
        binary_data: ``binaryData``: base64 values by key. Default: none.
        immutable: ``immutable``. Default: none (upstream: false).
    """

    KIND: ClassVar[str] = "ConfigMap"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)

    data: dict[str, str] | None = None
    binary_data: dict[str, str] | None = None
    immutable: bool | None = None


_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


class Secret(Resource):
    """A ``v1`` Secret.

    Modelled so that existing manifests load; this library never writes secret values
    into ``dist/`` (synth refuses Secrets with data and uses External Secrets instead).

    Attributes:
        data: ``data``: base64-encoded values by key. Default: none.
        immutable: ``immutable``. Default: none (upstream: false).
        string_data: ``stringData``: plain values by key, merged into data by the API server. Default: none.
        type: ``type`` (``Opaque``, ``kubernetes.io/tls``, ``kubernetes.io/dockerconfigjson``, ...). Default: none (upstream: ``Opaque``).
    """

    KIND: ClassVar[str] = "Secret"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)

    data: dict[str, str] | None = None
    immutable: bool | None = None
    string_data: dict[str, str] | None = None
    type: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for field, values in (("data", self.data), ("stringData", self.string_data)):
            for key, value in (values or {}).items():
                if not _SECRET_KEY.match(key):
                    issues.add((field, key), f"key {key!r} has characters other than letters, digits, '-', '_' and '.'; rename the key", key)
                if field == "data":
                    try:
                        base64.b64decode(value, validate=True)
                    except (binascii.Error, ValueError):
                        issues.add((field, key), f"the value of {key!r} is not valid base64; encode it with base64 or move it to stringData",
                                   "<redacted>")
        issues.raise_any("Secret")
        return self


class ServiceAccount(Resource):
    """A ``v1`` ServiceAccount.

    Attributes:
        automount_service_account_token: ``automountServiceAccountToken``: mount an API token into
            pods using this account (false unless the workload calls the API). Default: none (upstream: true).
        image_pull_secrets: ``imagePullSecrets`` added to pods using this account. Default: none.
        secrets: ``secrets`` (legacy token Secrets). Default: none.
    """

    KIND: ClassVar[str] = "ServiceAccount"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)

    automount_service_account_token: bool | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    secrets: list[ObjectReference] | None = None


# =====================================================================================
# Service
# =====================================================================================
class ServicePort(K8sModel):
    """A port a Service exposes.

    Attributes:
        app_protocol: ``appProtocol`` hint (``http``, ``kubernetes.io/h2c``, ...). Default: none.
        name: ``name``: a DNS label; required when the Service has several ports. Default: none.
        node_port: ``nodePort`` on every node (NodePort and LoadBalancer only), 1-65535. Default: none (allocated).
        port: ``port`` the Service listens on, 1-65535. Required.
        protocol: ``protocol``: ``TCP``, ``UDP`` or ``SCTP``. Default: none (upstream: ``TCP``).
        target_port: ``targetPort``: pod port number (1-65535) or container port name. Default: none (upstream: ``port``).
    """

    app_protocol: str | None = None
    name: DNSLabel | None = None
    node_port: Port | None = None
    port: Port
    protocol: Protocol | None = None
    target_port: PortOrName | None = None


class ClientIPConfig(K8sModel):
    """Client IP session affinity settings.

    Attributes:
        timeout_seconds: ``timeoutSeconds`` of stickiness, 1-86400. Default: none (upstream: 10800).
    """

    timeout_seconds: PositiveInt | None = None


class SessionAffinityConfig(K8sModel):
    """Session affinity settings.

    Attributes:
        client_ip: ``clientIP``. Default: none.
    """

    client_ip: ClientIPConfig | None = Field(default=None, alias="clientIP")


class ServiceSpec(K8sModel):
    """How a Service is exposed and which pods back it.

    Attributes:
        allocate_load_balancer_node_ports: ``allocateLoadBalancerNodePorts``. Default: none (upstream: true).
        cluster_ip: ``clusterIP``: "None" for a headless Service. Default: none (allocated).
        cluster_ips: ``clusterIPs``. Default: none (allocated).
        external_ips: ``externalIPs``. Default: none.
        external_name: ``externalName``: the DNS name for ``ExternalName`` Services. Default: none.
        external_traffic_policy: ``externalTrafficPolicy``: ``Cluster`` or ``Local``. Default: none (upstream: ``Cluster``).
        health_check_node_port: ``healthCheckNodePort``. Default: none (allocated when needed).
        internal_traffic_policy: ``internalTrafficPolicy``: ``Cluster`` or ``Local``. Default: none (upstream: ``Cluster``).
        ip_families: ``ipFamilies``: ``IPv4``/``IPv6``. Default: none (the cluster's).
        ip_family_policy: ``ipFamilyPolicy``: ``SingleStack``, ``PreferDualStack`` or ``RequireDualStack``. Default: none (upstream: ``SingleStack``).
        load_balancer_class: ``loadBalancerClass``. Default: none (the cloud provider's).
        load_balancer_ip: ``loadBalancerIP`` (deprecated upstream). Default: none.
        load_balancer_source_ranges: ``loadBalancerSourceRanges`` CIDRs. Default: none (everyone).
        ports: ``ports``: names unique, and set when there are several ports. Default: none.
        publish_not_ready_addresses: ``publishNotReadyAddresses``. Default: none (upstream: false).
        selector: ``selector``: labels of the backing pods. Default: none (endpoints managed by hand).
        session_affinity: ``sessionAffinity``: ``ClientIP`` or ``None``. Default: none (upstream: ``None``).
        session_affinity_config: ``sessionAffinityConfig``. Default: none.
        traffic_distribution: ``trafficDistribution`` (``PreferClose``, ``PreferSameZone``, ``PreferSameNode``). Default: none.
        type: ``type``: ``ClusterIP``, ``NodePort``, ``LoadBalancer`` or ``ExternalName``. Default: none (upstream: ``ClusterIP``).
    """

    allocate_load_balancer_node_ports: bool | None = None
    cluster_ip: str | None = Field(default=None, alias="clusterIP")
    cluster_ips: list[str] | None = Field(default=None, alias="clusterIPs")
    external_ips: list[str] | None = Field(default=None, alias="externalIPs")
    external_name: str | None = None
    external_traffic_policy: Literal["Cluster", "Local"] | None = None
    health_check_node_port: Port | None = None
    internal_traffic_policy: Literal["Cluster", "Local"] | None = None
    ip_families: list[Literal["IPv4", "IPv6"]] | None = None
    ip_family_policy: Literal["SingleStack", "PreferDualStack", "RequireDualStack"] | None = None
    load_balancer_class: str | None = None
    load_balancer_ip: str | None = Field(default=None, alias="loadBalancerIP")
    load_balancer_source_ranges: list[str] | None = None
    ports: list[ServicePort] | None = None
    publish_not_ready_addresses: bool | None = None
    selector: dict[str, str] | None = None
    session_affinity: Literal["ClientIP", "None"] | None = None
    session_affinity_config: SessionAffinityConfig | None = None
    traffic_distribution: str | None = None
    type: Literal["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        ports = self.ports or []
        names: dict[str, int] = {}
        for i, port in enumerate(ports):
            if len(ports) > 1 and not port.name:
                issues.add(("ports", i, "name"), f"ports[{i}] (port {port.port}) has no name, which a Service with several ports needs; "
                                                 f"name every port, for example 'http' or 'metrics'", None)
            if port.name:
                if port.name in names:
                    issues.add(("ports", i, "name"), f"port name {port.name!r} is already used by ports[{names[port.name]}]; "
                                                     f"give every port a distinct name", port.name)
                names.setdefault(port.name, i)
            if port.node_port is not None and self.type not in ("NodePort", "LoadBalancer"):
                issues.add(("ports", i, "nodePort"), f"nodePort {port.node_port} is set but the Service type is "
                                                     f"{self.type or 'ClusterIP (default)'}; remove nodePort or use type NodePort or LoadBalancer",
                           port.node_port)
        if self.type == "ExternalName" and not self.external_name:
            issues.add(("externalName",), "type ExternalName needs externalName; set externalName to the DNS name to alias", None)
        why = check_labels(self.selector, "selector")
        if why:
            issues.add(("selector",), why, self.selector)
        issues.raise_any("ServiceSpec")
        return self


class Service(Resource):
    """A ``v1`` Service (names are RFC 1035 labels: they become DNS names and env variable prefixes).

    Attributes:
        spec: ``spec``. Default: none (upstream: effectively required).
        status: ``status`` (load balancer ingress), kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Service"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)
    NAME_RULE: ClassVar[str] = "dns1035"

    spec: ServiceSpec | None = None
    status: dict[str, Any] | None = None


# =====================================================================================
# ResourceQuota, PersistentVolumeClaim
# =====================================================================================
class ScopedResourceSelectorRequirement(K8sModel):
    """One scope expression of a quota.

    Attributes:
        operator: ``operator``: ``In``, ``NotIn``, ``Exists`` or ``DoesNotExist``. Required.
        scope_name: ``scopeName`` (``PriorityClass``, ``Terminating``, ``BestEffort``, ...). Required.
        values: ``values`` for ``In``/``NotIn``. Default: none.
    """

    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"]
    scope_name: str
    values: list[str] | None = None


class ScopeSelector(K8sModel):
    """Scope expressions of a quota, ANDed.

    Attributes:
        match_expressions: ``matchExpressions``. Default: none.
    """

    match_expressions: list[ScopedResourceSelectorRequirement] | None = None


class ResourceQuotaSpec(K8sModel):
    """Limits of a ResourceQuota.

    Attributes:
        hard: ``hard``: maximum per resource name (``requests.cpu``, ``pods``, ``count/deployments.apps``). Default: none.
        scope_selector: ``scopeSelector``. Default: none.
        scopes: ``scopes`` the quota applies to. Default: none (every object).
    """

    hard: dict[str, ResourceQuantity] | None = None
    scope_selector: ScopeSelector | None = None
    scopes: list[str] | None = None


class ResourceQuota(Resource):
    """A ``v1`` ResourceQuota: caps on the resources of one namespace.

    Attributes:
        spec: ``spec``. Default: none.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "ResourceQuota"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)

    spec: ResourceQuotaSpec | None = None
    status: dict[str, Any] | None = None


class PersistentVolumeClaim(Resource):
    """A ``v1`` PersistentVolumeClaim.

    Attributes:
        spec: ``spec``. Default: none (upstream: effectively required).
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "PersistentVolumeClaim"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("v1",)

    spec: PersistentVolumeClaimSpec | None = None
    status: dict[str, Any] | None = None


class EmbeddedPersistentVolumeClaim(K8sModel):
    """A claim template inside another object (StatefulSet ``volumeClaimTemplates``).

    Unlike :class:`PersistentVolumeClaim`, ``apiVersion`` and ``kind`` are optional and
    not filled in, so templates round-trip as written.

    Attributes:
        api_version: ``apiVersion``. Default: none (upstream: ``v1``).
        kind: ``kind``. Default: none (upstream: ``PersistentVolumeClaim``).
        metadata: ``metadata``: ``name`` is what containers mount. Default: none.
        spec: ``spec``. Default: none.
        status: ``status``, kept as given. Default: none.
    """

    api_version: Literal["v1"] | None = None
    kind: Literal["PersistentVolumeClaim"] | None = None
    metadata: ObjectMeta | None = None
    spec: PersistentVolumeClaimSpec | None = None
    status: dict[str, Any] | None = None

