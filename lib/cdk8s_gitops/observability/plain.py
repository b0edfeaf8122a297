"""The collector as plain Kubernetes objects, for clusters without the OpenTelemetry Operator.

:func:`plain_collector_manifests` turns a checked
:class:`~cdk8s_gitops.observability.collector_config.CollectorConfig` into a ConfigMap
(``config.yaml``), a Deployment (gateway) or a DaemonSet (agent on every node), and a
Service exposing the receivers' ports, all typed models from :mod:`cdk8s_gitops.kube`.
Hand each to ``TypedResource``. The pods restart when the configuration changes (a
checksum annotation), meet the restricted Pod Security Standard, get ``GOMEMLIMIT`` from
the memory limit, and get probes when the ``health_check`` extension runs.

:func:`collector_ports` derives the ports from the configuration: the ``endpoint`` of
each receiver in use (the OTLP, Jaeger and Zipkin defaults when none is written), the
Prometheus exporter's scrape endpoint and the ``health_check`` extension.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..core.errors import ManifestError, Problem
from ..core.fields import warn
from ..core.model import ObjectMeta, Resource
from ..core.units import parse_quantity
from ..kube import (
    Capabilities,
    ConfigMap,
    ConfigMapVolumeSource,
    Container,
    ContainerPort,
    DaemonSet,
    DaemonSetSpec,
    Deployment,
    DeploymentSpec,
    EnvVar,
    EnvVarSource,
    HTTPGetAction,
    KeyToPath,
    LabelSelector,
    ObjectFieldSelector,
    PodSecurityContext,
    PodSpec,
    PodTemplateSpec,
    Probe,
    ResourceRequirements,
    SeccompProfile,
    SecurityContext,
    Service,
    ServicePort,
    ServiceSpec,
    Volume,
    VolumeMount,
)
from .collector_config import CollectorConfig

__all__ = ["DEFAULT_COLLECTOR_IMAGE", "CollectorPortInfo", "collector_ports", "plain_collector_manifests"]

DEFAULT_COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib:0.120.0"
"""Image used when none is given: the contrib distribution, pinned (never ``latest``)."""

CONFIG_KEY = "config.yaml"
CONFIG_DIR = "/etc/otelcol"

Protocol = Literal["TCP", "UDP", "SCTP"]

# Receiver type -> {protocol key: (default port, transport)}; "" = the receiver itself.
_DEFAULT_PORTS: dict[str, dict[str, tuple[int, Protocol]]] = {
    "otlp": {"grpc": (4317, "TCP"), "http": (4318, "TCP")},
    "jaeger": {"grpc": (14250, "TCP"), "thrift_http": (14268, "TCP"),
               "thrift_compact": (6831, "UDP"), "thrift_binary": (6832, "UDP")},
    "zipkin": {"": (9411, "TCP")},
}
_PORT_IN_ENDPOINT = re.compile(r":(\d{1,5})$")


@dataclass(frozen=True)
class CollectorPortInfo:
    """One port the collector listens on: ``service`` ports go on the Service, all on the container."""

    name: str
    port: int
    protocol: Protocol = "TCP"
    service: bool = True


def _endpoint_port(endpoint: Any) -> int | None:
    if not isinstance(endpoint, str):
        return None
    match = _PORT_IN_ENDPOINT.search(endpoint.strip())
    return int(match.group(1)) if match else None


def _port_name(text: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-")
    base = re.sub(r"-{2,}", "-", base)[:15].strip("-") or "port"
    if not any(c.isalpha() for c in base):
        base = ("p-" + base)[:15]
    name, n = base, 2
    while name in taken:
        suffix = f"-{n}"
        name = base[: 15 - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(name)
    return name


def collector_ports(config: CollectorConfig) -> list[CollectorPortInfo]:
    """The ports the collector opens for ``config`` (receivers in use, Prometheus exporter, health check)."""
    used = {(role, ref) for _pid, role, _i, ref in config.references()}
    out: list[CollectorPortInfo] = []
    taken: set[str] = set()
    seen: set[tuple[int, str]] = set()

    def add(label: str, port: int | None, protocol: Protocol = "TCP", service: bool = True) -> None:
        if port is None or (port, protocol) in seen or not 1 <= port <= 65535:
            return
        seen.add((port, protocol))
        out.append(CollectorPortInfo(_port_name(label, taken), port, protocol, service))

    for cid, settings in config.section("receivers").items():
        if ("receivers", cid) not in used:
            continue
        settings = settings or {}
        type_ = cid.partition("/")[0]
        defaults = _DEFAULT_PORTS.get(type_)
        label = cid.replace("/", "-").replace("_", "-")
        if defaults and "" not in defaults:
            protocols = settings.get("protocols") or {}
            if isinstance(protocols, Mapping):
                for proto, proto_settings in protocols.items():
                    default = defaults.get(proto)
                    port = _endpoint_port((proto_settings or {}).get("endpoint")) if isinstance(proto_settings, Mapping) else None
                    if default or port:
                        short = proto.replace("thrift_", "").replace("_", "-")
                        add(f"{label}-{short}", port or (default[0] if default else 0), default[1] if default else "TCP")
        else:
            port = _endpoint_port(settings.get("endpoint"))
            if port is None and defaults:
                port = defaults[""][0]
            add(label, port)
    for cid, settings in config.section("exporters").items():
        if ("exporters", cid) in used and cid.partition("/")[0] == "prometheus":
            add(cid.replace("/", "-"), _endpoint_port((settings or {}).get("endpoint")))
    service_exts = set((config.service.extensions if config.service else None) or [])
    for cid, settings in config.section("extensions").items():
        if cid in service_exts and cid.partition("/")[0] == "health_check":
            add("health", _endpoint_port((settings or {}).get("endpoint")) or 13133, service=False)
    return out


def _health_port(config: CollectorConfig) -> int | None:
    return next((p.port for p in collector_ports(config) if p.name.startswith("health")), None)


def plain_collector_manifests(
    config: CollectorConfig | Mapping[str, Any],
    *,
    name: str,
    namespace: str | None = None,
    mode: Literal["deployment", "daemonset"] = "deployment",
    image: str = DEFAULT_COLLECTOR_IMAGE,
    replicas: int | None = None,
    labels: Mapping[str, str] | None = None,
    resources: ResourceRequirements | Mapping[str, Any] | None = None,
    service_account_name: str | None = None,
    env: Sequence[EnvVar | Mapping[str, Any]] | None = None,
) -> list[Resource]:
    """ConfigMap, Deployment or DaemonSet, and Service running ``config`` without the operator.

    Args:
        config: the collector configuration (a mapping is checked like :meth:`CollectorConfig.from_dict`).
        name: name of all three objects (a DNS-1035 label, as the Service needs).
        namespace: ``metadata.namespace`` of all three. Default: none (the chart's).
        mode: ``deployment`` (a gateway behind the Service) or ``daemonset`` (an agent per node).
            Default: ``deployment``.
        image: collector image, pinned. Default: :data:`DEFAULT_COLLECTOR_IMAGE`.
        replicas: Deployment replicas (``deployment`` mode only). Default: none (upstream: 1).
        labels: extra labels on the objects and pods. Default: none.
        resources: container requests and limits. Default: requests 100m CPU / 256Mi, limit 512Mi memory.
        service_account_name: ``serviceAccountName`` of the pods. Default: none (``default``).
        env: extra container environment variables. Default: none (``GOMEMLIMIT`` and, for
            ``daemonset``, ``K8S_NODE_NAME`` are always set).

    Returns:
        ``[ConfigMap, Deployment | DaemonSet, Service]`` as typed models.
    """
    subject = f"collector {name!r}"
    if not isinstance(config, CollectorConfig):
        config = CollectorConfig.from_dict(config)
    if mode not in ("deployment", "daemonset"):
        raise ManifestError(Problem(subject, "mode", f"mode {mode!r} is not supported for plain manifests",
                                    "use 'deployment' or 'daemonset' (sidecars need the operator)"))
    if mode == "daemonset" and replicas is not None:
        raise ManifestError(Problem(subject, "replicas", f"replicas {replicas} is set but mode is 'daemonset', which runs "
                                                         "one pod per node", "remove replicas or use mode 'deployment'"))
    config_text = config.to_yaml()
    checksum = hashlib.sha256(config_text.encode()).hexdigest()
    selector = {"app.kubernetes.io/name": name, "app.kubernetes.io/component": "opentelemetry-collector"}
    all_labels = {**(dict(labels) if labels else {}), **selector}
    meta = ObjectMeta(name=name, labels=all_labels) if namespace is None else \
        ObjectMeta(name=name, namespace=namespace, labels=all_labels)

    if resources is None:
        resources = ResourceRequirements(requests={"cpu": "100m", "memory": "256Mi"}, limits={"memory": "512Mi"})
    elif not isinstance(resources, ResourceRequirements):
        resources = ResourceRequirements.model_validate(resources)
    container_env: list[EnvVar] = []
    memory_limit = (resources.limits or {}).get("memory")
    if memory_limit is not None:
        container_env.append(EnvVar(name="GOMEMLIMIT", value=f"{int(parse_quantity(memory_limit) * 0.8 / 2**20)}MiB"))
    else:
        warn(subject, "resources.limits.memory", "no memory limit is set, so GOMEMLIMIT is not set and the collector "
                                                 "can grow until it is OOM-killed; set a memory limit")
    if mode == "daemonset":
        container_env.append(EnvVar(name="K8S_NODE_NAME",
                                    value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="spec.nodeName"))))
    container_env.extend(e if isinstance(e, EnvVar) else EnvVar.model_validate(e) for e in env or [])

    ports = collector_ports(config)
    health = _health_port(config)
    if health is None:
        warn(subject, "extensions.health_check", "the health_check extension is not enabled, so the collector pods get "
                                                 "no liveness or readiness probe; add extensions: {health_check: "
                                                 "{endpoint: '0.0.0.0:13133'}} and list it in service.extensions")
    # Fields set only when they have a value (an explicit None would be written as null).
    optional: dict[str, Any] = {}
    if ports:
        optional["ports"] = [ContainerPort(name=p.name, container_port=p.port, protocol=p.protocol) for p in ports]
    if health is not None:
        probe = Probe(http_get=HTTPGetAction(path="/", port=health))
        optional.update(liveness_probe=probe, readiness_probe=probe)
    container = Container(
        name="otel-collector",
        image=image,
        args=[f"--config={CONFIG_DIR}/{CONFIG_KEY}"],
        env=container_env,
        resources=resources,
        volume_mounts=[VolumeMount(name="config", mount_path=CONFIG_DIR, read_only=True)],
        security_context=SecurityContext(allow_privilege_escalation=False, read_only_root_filesystem=True,
                                         run_as_non_root=True, capabilities=Capabilities(drop=["ALL"]),
                                         seccomp_profile=SeccompProfile(type="RuntimeDefault")),
        **optional,
    )
    pod_spec = PodSpec(
        containers=[container],
        security_context=PodSecurityContext(run_as_non_root=True, seccomp_profile=SeccompProfile(type="RuntimeDefault")),
        volumes=[Volume(name="config", config_map=ConfigMapVolumeSource(
            name=name, items=[KeyToPath(key=CONFIG_KEY, path=CONFIG_KEY)]))],
    )
    if service_account_name is not None:
        pod_spec = PodSpec(containers=pod_spec.containers, security_context=pod_spec.security_context, volumes=pod_spec.volumes,
                           service_account_name=service_account_name)
    template = PodTemplateSpec(metadata=ObjectMeta(labels=all_labels, annotations={"checksum/config": checksum}), spec=pod_spec)

    config_map = ConfigMap(metadata=meta, data={CONFIG_KEY: config_text})
    workload: Resource
    if mode == "deployment":
        spec = DeploymentSpec(selector=LabelSelector(match_labels=selector), template=template) if replicas is None else \
            DeploymentSpec(replicas=replicas, selector=LabelSelector(match_labels=selector), template=template)
        workload = Deployment(metadata=meta, spec=spec)
    else:
        workload = DaemonSet(metadata=meta, spec=DaemonSetSpec(selector=LabelSelector(match_labels=selector), template=template))
    service_ports = [ServicePort(name=p.name, port=p.port, target_port=p.name, protocol=p.protocol) for p in ports if p.service]
    if not service_ports:
        warn(subject, "receivers", "no receiver in use opens a port, so the Service has no ports; "
                                   "add an otlp receiver or drop the Service")
    service = Service(metadata=meta, spec=ServiceSpec(selector=selector, ports=service_ports) if service_ports else
                      ServiceSpec(selector=selector))
    return [config_map, workload, service]
