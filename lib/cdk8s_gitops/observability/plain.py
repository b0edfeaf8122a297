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
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from ..core.errors import ManifestError, Problem
from ..core.fields import warn
from ..core.model import Resource
from ..core.units import parse_quantity
from ..kube import ConfigMap, DaemonSet, Deployment, Service
from .collector_config import CollectorConfig

__all__ = ["DEFAULT_COLLECTOR_IMAGE", "CollectorPortInfo", "collector_ports", "plain_collector_manifests"]

DEFAULT_COLLECTOR_IMAGE = "otel/opentelemetry-collector-contrib:0.120.0"
"""Image used when none is given: the contrib distribution, pinned (never ``latest``)."""

CONFIG_KEY = "config.yaml"
CONFIG_DIR = "/etc/otelcol"

# Receiver type -> {protocol key: (default port, transport)}; "" = the receiver itself.
_DEFAULT_PORTS: dict[str, dict[str, tuple[int, str]]] = {
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
    protocol: str = "TCP"
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

    def add(label: str, port: int | None, protocol: str = "TCP", service: bool = True) -> None:
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
    resources: Mapping[str, Any] | None = None,
    service_account_name: str | None = None,
    env: list[Mapping[str, Any]] | None = None,
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
    meta: dict[str, Any] = {"name": name, "labels": all_labels}
    if namespace is not None:
        meta["namespace"] = namespace

    resources = dict(resources) if resources is not None else {
        "requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}}
    container_env: list[dict[str, Any]] = []
    memory_limit = (resources.get("limits") or {}).get("memory")
    if memory_limit is not None:
        container_env.append({"name": "GOMEMLIMIT", "value": f"{int(parse_quantity(memory_limit) * 0.8 / 2**20)}MiB"})
    else:
        warn(subject, "resources.limits.memory", "no memory limit is set, so GOMEMLIMIT is not set and the collector "
                                                 "can grow until it is OOM-killed; set a memory limit")
    if mode == "daemonset":
        container_env.append({"name": "K8S_NODE_NAME", "valueFrom": {"fieldRef": {"fieldPath": "spec.nodeName"}}})
    container_env.extend(dict(e) for e in env or [])

    ports = collector_ports(config)
    container: dict[str, Any] = {
        "name": "otel-collector",
        "image": image,
        "args": [f"--config={CONFIG_DIR}/{CONFIG_KEY}"],
        "env": container_env,
        "resources": resources,
        "volumeMounts": [{"name": "config", "mountPath": CONFIG_DIR, "readOnly": True}],
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True, "runAsNonRoot": True,
                            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
    }
    if ports:
        container["ports"] = [{"name": p.name, "containerPort": p.port, "protocol": p.protocol} for p in ports]
    health = _health_port(config)
    if health is not None:
        container["livenessProbe"] = {"httpGet": {"path": "/", "port": health}}
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": health}}
    else:
        warn(subject, "extensions.health_check", "the health_check extension is not enabled, so the collector pods get "
                                                 "no liveness or readiness probe; add extensions: {health_check: "
                                                 "{endpoint: '0.0.0.0:13133'}} and list it in service.extensions")
    pod_spec: dict[str, Any] = {
        "containers": [container],
        "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
        "volumes": [{"name": "config", "configMap": {"name": name, "items": [{"key": CONFIG_KEY, "path": CONFIG_KEY}]}}],
    }
    if service_account_name is not None:
        pod_spec["serviceAccountName"] = service_account_name
    template = {"metadata": {"labels": all_labels, "annotations": {"checksum/config": checksum}}, "spec": pod_spec}
    workload_spec: dict[str, Any] = {"selector": {"matchLabels": selector}, "template": template}

    config_map = ConfigMap.build(metadata=meta, data={CONFIG_KEY: config_text})
    if mode == "deployment":
        if replicas is not None:
            workload_spec = {"replicas": replicas, **workload_spec}
        workload: Resource = Deployment.build(metadata=meta, spec=workload_spec)
    else:
        workload = DaemonSet.build(metadata=meta, spec=workload_spec)
    service_ports = [{"name": p.name, "port": p.port, "targetPort": p.name, "protocol": p.protocol}
                     for p in ports if p.service]
    service_spec: dict[str, Any] = {"selector": selector}
    if service_ports:
        service_spec["ports"] = service_ports
    else:
        warn(subject, "receivers", "no receiver in use opens a port, so the Service has no ports; "
                                   "add an otlp receiver or drop the Service")
    service = Service.build(metadata=meta, spec=service_spec)
    return [config_map, workload, service]
