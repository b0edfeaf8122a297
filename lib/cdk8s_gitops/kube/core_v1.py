"""Core API group (``v1``): the generated models and what the API server checks beyond their schema.

The classes are the generated ones (:mod:`cdk8s_gitops.models.core_v1`, and the label
selector of :mod:`cdk8s_gitops.models.meta_v1`), re-exported under their upstream names.
This module adds the semantic rules as :func:`~cdk8s_gitops.core.schema.semantic_check`
functions, so that an object built in Python and one loaded from YAML are checked the
same way:

- label selectors: operators and values agree, ``matchLabels`` are valid labels;
- environment: exactly one ``valueFrom`` source;
- resources: quantities are valid and non-negative, requests at most limits;
- probes: exactly one check; security profiles: ``localhostProfile`` only with ``Localhost``;
- counts, modes, ports and port names within their ranges;
- Secrets: key characters and base64 data; Services: port names, node ports, selector labels.

The pod rules (containers, volumes, pod spec) and the helpers that workload kinds share
(:func:`pod_template_issues`, :func:`selector_template_issues`) are in :mod:`._pod`,
re-exported here. :func:`selector_matches` and :func:`selector_is_empty` evaluate a
selector against labels.
"""

from __future__ import annotations

import base64
import binascii
import re

from ..core.fields import Issues, check_labels
from ..core.schema import semantic_check
from ..core.units import parse_quantity
from ..models.core_v1 import (
    AppArmorProfile,
    Capabilities,
    ClientIPConfig,
    ConfigMap,
    ConfigMapEnvSource,
    ConfigMapKeySelector,
    ConfigMapProjection,
    ConfigMapVolumeSource,
    Container,
    ContainerPort,
    ContainerResizePolicy,
    DownwardAPIProjection,
    DownwardAPIVolumeFile,
    DownwardAPIVolumeSource,
    EmbeddedPersistentVolumeClaim,
    EmptyDirVolumeSource,
    EnvFromSource,
    EnvVar,
    EnvVarSource,
    EphemeralVolumeSource,
    ExecAction,
    FileKeySelector,
    GRPCAction,
    HostAlias,
    HTTPGetAction,
    HTTPHeader,
    KeyToPath,
    LocalObjectReference,
    Namespace,
    ObjectFieldSelector,
    ObjectReference,
    PersistentVolumeClaim,
    PersistentVolumeClaimSpec,
    PersistentVolumeClaimTemplate,
    PersistentVolumeClaimVolumeSource,
    PodDNSConfig,
    PodDNSConfigOption,
    PodOS,
    PodReadinessGate,
    PodSchedulingGate,
    PodSecurityContext,
    PodSpec,
    PodTemplateSpec,
    Probe,
    ProjectedVolumeSource,
    ResourceClaim,
    ResourceFieldSelector,
    ResourceQuota,
    ResourceQuotaSpec,
    ResourceRequirements,
    ScopedResourceSelectorRequirement,
    ScopeSelector,
    SeccompProfile,
    Secret,
    SecretEnvSource,
    SecretKeySelector,
    SecretProjection,
    SecretVolumeSource,
    SecurityContext,
    SELinuxOptions,
    Service,
    ServiceAccount,
    ServiceAccountTokenProjection,
    ServicePort,
    ServiceSpec,
    SessionAffinityConfig,
    Sysctl,
    TCPSocketAction,
    Toleration,
    TypedLocalObjectReference,
    TypedObjectReference,
    Volume,
    VolumeDevice,
    VolumeMount,
    VolumeProjection,
    VolumeResourceRequirements,
    WindowsSecurityContextOptions,
)
from ..models.meta_v1 import LabelSelector, LabelSelectorRequirement
from ._checks import (
    DNS_LABEL,
    NON_NEGATIVE,
    PORT,
    PORT_OR_NAME,
    POSITIVE,
    QUANTITY,
    RESOURCE_QUANTITY,
    field_issues,
    value_rules,
)
from ._pod import (
    pod_template_issues,
    selector_is_empty,
    selector_matches,
    selector_template_issues,
    volume_mount_issues,
)

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
    "selector_is_empty",
    "selector_matches",
    "selector_template_issues",
    "volume_mount_issues",
]


# -- label selectors (meta/v1) -------------------------------------------------------------
@semantic_check(LabelSelectorRequirement)
def _requirement_values(expr: LabelSelectorRequirement) -> None:
    if expr.operator in ("In", "NotIn") and not expr.values:
        raise ValueError(f"operator {expr.operator!r} on key {expr.key!r} has no values; list at least one value")
    if expr.operator in ("Exists", "DoesNotExist") and expr.values:
        raise ValueError(f"operator {expr.operator!r} on key {expr.key!r} takes no values, got {expr.values!r}; remove values")


@semantic_check(LabelSelector)
def _selector_labels(selector: LabelSelector) -> None:
    why = check_labels(selector.match_labels, "matchLabels")
    if why:
        issues = Issues()
        issues.add(("matchLabels",), why, selector.match_labels)
        issues.raise_any("LabelSelector")


# -- environment -----------------------------------------------------------------------------
_ENV_SOURCES = (("configMapKeyRef", "config_map_key_ref"), ("fieldRef", "field_ref"), ("fileKeyRef", "file_key_ref"),
                ("resourceFieldRef", "resource_field_ref"), ("secretKeyRef", "secret_key_ref"))


@semantic_check(EnvVarSource)
def _one_env_source(source: EnvVarSource) -> None:
    given = [wire for wire, name in _ENV_SOURCES if getattr(source, name) is not None]
    if len(given) != 1:
        what = "no source" if not given else f"several sources ({', '.join(given)})"
        raise ValueError(f"valueFrom has {what}; set exactly one of configMapKeyRef, fieldRef, fileKeyRef, resourceFieldRef, secretKeyRef")


value_rules(ResourceFieldSelector, divisor=QUANTITY)


# -- resources -------------------------------------------------------------------------------
def _requests_within_limits(requests: dict[str, str | int | float] | None, limits: dict[str, str | int | float] | None,
                            issues: Issues) -> None:
    limits = limits or {}
    for key, request in (requests or {}).items():
        limit = limits.get(key)
        if limit is None:
            continue
        try:
            above = parse_quantity(request) > parse_quantity(limit)
        except ValueError:
            continue  # reported by the quantity rule
        if above:
            issues.add(("requests", key), f"requests.{key} {request!r} is above limits.{key} {limit!r}; "
                                          f"lower the request or raise the limit", request)


def _resource_requirements(res: ResourceRequirements | VolumeResourceRequirements) -> None:
    issues = field_issues(res, {"limits": RESOURCE_QUANTITY, "requests": RESOURCE_QUANTITY})
    if not issues:
        _requests_within_limits(res.requests, res.limits, issues)
    issues.raise_any(type(res).__name__)


semantic_check(ResourceRequirements)(_resource_requirements)
semantic_check(VolumeResourceRequirements)(_resource_requirements)


value_rules(ResourceQuotaSpec, hard=RESOURCE_QUANTITY)
value_rules(EmptyDirVolumeSource, size_limit=RESOURCE_QUANTITY)


# -- probes ----------------------------------------------------------------------------------
value_rules(HTTPGetAction, port=PORT_OR_NAME)
value_rules(TCPSocketAction, port=PORT_OR_NAME)
value_rules(GRPCAction, port=PORT)
value_rules(Probe, failure_threshold=NON_NEGATIVE, initial_delay_seconds=NON_NEGATIVE, period_seconds=NON_NEGATIVE,
            success_threshold=NON_NEGATIVE, termination_grace_period_seconds=POSITIVE, timeout_seconds=NON_NEGATIVE)


@semantic_check(Probe)
def _one_probe_handler(probe: Probe) -> None:
    given = [wire for wire, value in (("exec", probe.exec), ("grpc", probe.grpc), ("httpGet", probe.http_get),
                                      ("tcpSocket", probe.tcp_socket)) if value is not None]
    if len(given) != 1:
        what = "no check" if not given else f"several checks ({', '.join(given)})"
        raise ValueError(f"probe has {what}; set exactly one of exec, grpc, httpGet, tcpSocket")


# -- security --------------------------------------------------------------------------------
def _localhost_profile(profile: SeccompProfile | AppArmorProfile) -> None:
    if profile.type == "Localhost" and not profile.localhost_profile:
        raise ValueError("type 'Localhost' needs localhostProfile; set localhostProfile or use type 'RuntimeDefault'")
    if profile.type != "Localhost" and profile.localhost_profile is not None:
        raise ValueError(f"localhostProfile {profile.localhost_profile!r} is only allowed with type 'Localhost', "
                         f"got {profile.type!r}; remove localhostProfile")


semantic_check(SeccompProfile)(_localhost_profile)
semantic_check(AppArmorProfile)(_localhost_profile)


value_rules(SecurityContext, run_as_group=NON_NEGATIVE, run_as_user=NON_NEGATIVE)
value_rules(PodSecurityContext, fs_group=NON_NEGATIVE, run_as_group=NON_NEGATIVE, run_as_user=NON_NEGATIVE,
            supplemental_groups=NON_NEGATIVE)


# -- volumes ---------------------------------------------------------------------------------
value_rules(KeyToPath, mode=NON_NEGATIVE)
value_rules(DownwardAPIVolumeFile, mode=NON_NEGATIVE)
value_rules(ConfigMapVolumeSource, default_mode=NON_NEGATIVE)
value_rules(SecretVolumeSource, default_mode=NON_NEGATIVE)
value_rules(DownwardAPIVolumeSource, default_mode=NON_NEGATIVE)
value_rules(ProjectedVolumeSource, default_mode=NON_NEGATIVE)
value_rules(ServiceAccountTokenProjection, expiration_seconds=NON_NEGATIVE)


# -- Secret ------------------------------------------------------------------------------------
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


@semantic_check(Secret)
def _secret_keys(secret: Secret) -> None:
    issues = Issues()
    for field, values in (("data", secret.data), ("stringData", secret.string_data)):
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


# -- Service -----------------------------------------------------------------------------------
value_rules(ServicePort, name=DNS_LABEL, node_port=PORT, port=PORT, target_port=PORT_OR_NAME)
value_rules(ServiceSpec, health_check_node_port=PORT)
value_rules(ClientIPConfig, timeout_seconds=POSITIVE)


@semantic_check(ServiceSpec)
def _service_ports(spec: ServiceSpec) -> None:
    issues = Issues()
    ports = spec.ports or []
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
        if port.node_port is not None and spec.type not in ("NodePort", "LoadBalancer"):
            issues.add(("ports", i, "nodePort"), f"nodePort {port.node_port} is set but the Service type is "
                                                 f"{spec.type or 'ClusterIP (default)'}; remove nodePort or use type NodePort or LoadBalancer",
                       port.node_port)
    why = check_labels(spec.selector, "selector")
    if why:
        issues.add(("selector",), why, spec.selector)
    issues.raise_any("ServiceSpec")
