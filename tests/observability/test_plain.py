"""The collector as plain Kubernetes objects: ConfigMap, Deployment or DaemonSet, Service."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
import yaml

from cdk8s_gitops import ManifestError
from cdk8s_gitops.kube import ConfigMap, DaemonSet, Deployment, Service
from cdk8s_gitops.observability import CollectorConfig, collector_ports, plain_collector_manifests

from ._support import warnings_of

K8S_VERSION = "1.33"

CONFIG: dict[str, Any] = {
    "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {}}},
                  "jaeger": {"protocols": {"thrift_compact": {}}}},
    "processors": {"batch": {}},
    "exporters": {"prometheus": {"endpoint": "0.0.0.0:8889"}, "debug": {}},
    "extensions": {"health_check": {"endpoint": "0.0.0.0:13133"}},
    "service": {"extensions": ["health_check"], "pipelines": {
        "traces": {"receivers": ["otlp", "jaeger"], "processors": ["batch"], "exporters": ["debug"]},
        "metrics": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["prometheus"]},
    }},
}


class TestCollectorPorts:
    def test_ports_from_receivers_exporters_and_health(self) -> None:
        """Endpoints written in the config win; OTLP and Jaeger defaults fill the rest; health is container-only."""
        ports = {(p.name, p.port, p.protocol, p.service) for p in collector_ports(CollectorConfig.from_dict(CONFIG))}
        assert ports == {("otlp-grpc", 4317, "TCP", True), ("otlp-http", 4318, "TCP", True),
                         ("jaeger-compact", 6831, "UDP", True), ("prometheus", 8889, "TCP", True),
                         ("health", 13133, "TCP", False)}


class TestPlainManifests:
    def test_deployment_mode(self) -> None:
        """Deployment mode gives ConfigMap, Deployment and Service that pass strict Kubernetes validation."""
        objects = plain_collector_manifests(CollectorConfig.from_dict(CONFIG), name="otel-gateway",
                                            namespace="observability", replicas=2)
        assert [type(o) for o in objects] == [ConfigMap, Deployment, Service]
        for obj in objects:
            kubernetes_validate.validate(obj.to_manifest(), K8S_VERSION, strict=True)
        config_map, deployment, service = (o.to_manifest() for o in objects)
        assert yaml.safe_load(config_map["data"]["config.yaml"]) == CONFIG
        pod = deployment["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["args"] == ["--config=/etc/otelcol/config.yaml"]
        assert {"name": "GOMEMLIMIT", "value": "409MiB"} in container["env"]
        assert container["readinessProbe"]["httpGet"]["port"] == 13133
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert deployment["spec"]["replicas"] == 2
        assert {p["port"] for p in service["spec"]["ports"]} == {4317, 4318, 6831, 8889}

    def test_daemonset_mode(self) -> None:
        """DaemonSet mode gives a DaemonSet with the node name in the environment."""
        objects = plain_collector_manifests(CONFIG, name="otel-agent", mode="daemonset")
        daemonset = objects[1]
        assert isinstance(daemonset, DaemonSet)
        kubernetes_validate.validate(daemonset.to_manifest(), K8S_VERSION, strict=True)
        env = daemonset.to_manifest()["spec"]["template"]["spec"]["containers"][0]["env"]
        assert any(e["name"] == "K8S_NODE_NAME" for e in env)

    def test_config_change_restarts_pods(self) -> None:
        """A different configuration gives a different checksum annotation on the pods."""
        other = copy.deepcopy(CONFIG)
        other["processors"]["batch"] = {"timeout": "2s"}

        def checksum(config: dict[str, Any]) -> str:
            return plain_collector_manifests(config, name="otel")[1].to_manifest()["spec"]["template"]["metadata"]["annotations"]["checksum/config"]

        assert checksum(CONFIG) != checksum(other)
        assert checksum(CONFIG) == checksum(copy.deepcopy(CONFIG))

    def test_broken_config_is_refused(self) -> None:
        """A configuration breaking a start-up rule is refused before any object is made."""
        broken = copy.deepcopy(CONFIG)
        broken["service"]["pipelines"]["traces"]["exporters"] = ["otlp"]
        with pytest.raises(ManifestError, match="pipeline 'traces' references exporter 'otlp'"):
            plain_collector_manifests(broken, name="otel")

    def test_replicas_with_daemonset_refused(self) -> None:
        """replicas makes no sense for a DaemonSet and is refused."""
        with pytest.raises(ManifestError, match="replicas"):
            plain_collector_manifests(CONFIG, name="otel", mode="daemonset", replicas=2)

    def test_no_health_check_warns(self) -> None:
        """Without the health_check extension the pods get no probes, and a warning says so."""
        config = copy.deepcopy(CONFIG)
        del config["extensions"]
        del config["service"]["extensions"]
        assert any("health_check" in m for m in warnings_of(lambda: plain_collector_manifests(config, name="otel")))
