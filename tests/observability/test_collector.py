"""OpenTelemetryCollector (v1beta1 and v1alpha1): the config is checked, the operator's mode rules hold."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from helpers import fresh_python, schema_errors

from cdk8s_gitops import from_manifest
from cdk8s_gitops.observability import (
    CollectorConfig,
    OpenTelemetryCollector,
    OpenTelemetryCollectorV1Alpha1,
    collector_config,
)

from ._support import error_of, warnings_of

CONFIG: dict[str, Any] = {
    "receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}}},
    "processors": {"memory_limiter": {"check_interval": "1s", "limit_percentage": 80}, "batch": {}},
    "exporters": {"otlp/jaeger": {"endpoint": "jaeger-collector:4317", "tls": {"insecure": True}}, "debug": {}},
    "service": {"pipelines": {
        "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["otlp/jaeger"]},
        "logs": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["debug"]},
    }},
}


def collector(**spec: Any) -> OpenTelemetryCollector:
    return OpenTelemetryCollector.from_manifest({"metadata": {"name": "otel", "namespace": "observability"},
                                        "spec": {"config": copy.deepcopy(CONFIG), **spec}})


class TestOpenTelemetryCollector:
    def test_build_and_round_trip(self) -> None:
        """A collector built in Python gets v1beta1, and its manifest loads back unchanged."""
        model = collector(mode="deployment", replicas=2)
        manifest = model.to_manifest()
        assert manifest["apiVersion"] == "opentelemetry.io/v1beta1"
        assert manifest["spec"]["config"] == CONFIG
        assert from_manifest(manifest).to_manifest() == manifest

    def test_config_is_typed(self) -> None:
        """collector_config() gives spec.config as the CollectorConfig model."""
        config = collector_config(collector())
        assert isinstance(config, CollectorConfig)
        assert config.pipelines()["traces"].exporters == ["otlp/jaeger"]

    def test_broken_config_names_object_pipeline_and_component(self) -> None:
        """An undefined exporter is refused with the object, the full path, the pipeline and the component."""
        config = copy.deepcopy(CONFIG)
        config["service"]["pipelines"]["traces"]["exporters"] = ["jaeger"]
        message = error_of(lambda: OpenTelemetryCollector.from_manifest({"metadata": {"name": "otel"}, "spec": {"config": config}}))
        assert "OpenTelemetryCollector 'otel'" in message
        assert "spec.config.service.pipelines.traces.exporters[0]" in message
        assert "pipeline 'traces' references exporter 'jaeger'" in message

    def test_unused_component_warning_names_object(self) -> None:
        """Unused components warn with the object's name and the spec.config path."""
        config = copy.deepcopy(CONFIG)
        config["receivers"]["zipkin"] = {}
        messages = warnings_of(lambda: OpenTelemetryCollector.from_manifest({"metadata": {"name": "otel"}, "spec": {"config": config}}))
        assert any("OpenTelemetryCollector 'otel': spec.config.receivers.zipkin" in m for m in messages)

    def test_typed_pod_fields(self) -> None:
        """env, resources, volumes and volumeMounts use the kube models and round-trip."""
        model = collector(env=[{"name": "GOMEMLIMIT", "value": "400MiB"}],
                          resources={"limits": {"memory": "512Mi"}, "requests": {"cpu": "100m"}},
                          volumes=[{"name": "ca", "configMap": {"name": "ca"}}],
                          volumeMounts=[{"name": "ca", "mountPath": "/etc/ca", "readOnly": True}])
        assert model.spec is not None and (model.spec.env or [])[0].name == "GOMEMLIMIT"
        assert from_manifest(model.to_manifest()).to_manifest() == model.to_manifest()

    def test_validates_against_crd_schema(self) -> None:
        """Built collectors in every mode validate against the v1beta1 CRD schema."""
        for spec in ({"mode": "deployment", "replicas": 2, "managementState": "managed"},
                     {"mode": "daemonset", "managementState": "managed"},
                     {"mode": "statefulset", "managementState": "managed",
                      "targetAllocator": {"enabled": True, "prometheusCR": {"enabled": True}}},
                     {"mode": "sidecar", "managementState": "managed"}):
            assert schema_errors(collector(**spec).to_manifest()) == []


class TestModeRules:
    @pytest.mark.parametrize("field,value", [
        ("tolerations", [{"key": "a", "operator": "Exists"}]),
        ("priorityClassName", "high"),
        ("affinity", {"nodeAffinity": {}}),
        ("additionalContainers", [{"name": "x", "image": "busybox:1.36"}]),
    ])
    def test_sidecar_refuses_pod_placement_fields(self, field: str, value: Any) -> None:
        """Mode sidecar refuses tolerations, priorityClassName, affinity and additionalContainers."""
        message = error_of(lambda: collector(mode="sidecar", **{field: value}))
        assert f"spec.{field}" in message and "mode 'sidecar'" in message

    def test_volume_claim_templates_need_statefulset(self) -> None:
        """volumeClaimTemplates only work with mode statefulset (the default mode deployment is refused)."""
        message = error_of(lambda: collector(volumeClaimTemplates=[{"metadata": {"name": "data"}}]))
        assert "spec.volumeClaimTemplates" in message and "'deployment' (the default)" in message

    def test_target_allocator_needs_statefulset_or_daemonset(self) -> None:
        """The target allocator is refused with mode deployment."""
        message = error_of(lambda: collector(mode="deployment", targetAllocator={"enabled": True}))
        assert "spec.targetAllocator.enabled" in message and "target allocator" in message

    def test_daemonset_target_allocator_needs_per_node(self) -> None:
        """Mode daemonset needs allocation strategy per-node."""
        message = error_of(lambda: collector(mode="daemonset", targetAllocator={"enabled": True}))
        assert "spec.targetAllocator.allocationStrategy" in message and "per-node" in message

    def test_per_node_needs_daemonset(self) -> None:
        """Strategy per-node works only with mode daemonset."""
        message = error_of(lambda: collector(mode="statefulset", targetAllocator={"enabled": True, "allocationStrategy": "per-node"}))
        assert "per-node" in message and "'statefulset'" in message

    def test_update_strategies_match_mode(self) -> None:
        """daemonSetUpdateStrategy needs daemonset; deploymentUpdateStrategy needs deployment."""
        assert "spec.daemonSetUpdateStrategy" in error_of(lambda: collector(daemonSetUpdateStrategy={"type": "RollingUpdate"}))
        assert "spec.deploymentUpdateStrategy" in error_of(
            lambda: collector(mode="daemonset", deploymentUpdateStrategy={"type": "RollingUpdate"}))

    def test_autoscaler_bounds(self) -> None:
        """minReplicas needs maxReplicas; replicas and minReplicas may not exceed maxReplicas."""
        assert "spec.autoscaler.maxReplicas" in error_of(lambda: collector(autoscaler={"minReplicas": 2}))
        message = error_of(lambda: collector(replicas=5, autoscaler={"maxReplicas": 3}))
        assert "spec.replicas" in message and "5" in message and "maxReplicas 3" in message
        assert "minReplicas 4" in error_of(lambda: collector(autoscaler={"minReplicas": 4, "maxReplicas": 3}))

    def test_autoscaler_metrics_and_behavior(self) -> None:
        """Only Pods metrics with a positive target; stabilization windows within 0-3600 s."""
        message = error_of(lambda: collector(autoscaler={"maxReplicas": 3, "metrics": [{"type": "Resource"}]}))
        assert "spec.autoscaler.metrics[0].type" in message and "'Resource'" in message
        message = error_of(lambda: collector(autoscaler={"maxReplicas": 3, "behavior": {"scaleUp": {"stabilizationWindowSeconds": 4000}}}))
        assert "stabilizationWindowSeconds" in message and "4000" in message

    def test_ingress_rules(self) -> None:
        """An Ingress is refused for sidecars; a subdomain ingress needs a hostname."""
        assert "spec.ingress.type" in error_of(lambda: collector(mode="sidecar", ingress={"type": "ingress"}))
        assert "spec.ingress.hostname" in error_of(lambda: collector(ingress={"type": "ingress", "ruleType": "subdomain"}))

    def test_port_names(self) -> None:
        """Extra ports need IANA service names."""
        message = error_of(lambda: collector(ports=[{"name": "Very_Long_Port_Name", "port": 9999}]))
        assert "spec.ports[0].name" in message and "Very_Long_Port_Name" in message

    def test_mode_value(self) -> None:
        """An unknown mode is refused, listing the modes."""
        message = error_of(lambda: collector(mode="replicaset"))
        assert "spec.mode" in message and "'replicaset'" in message and "daemonset" in message

    def test_replicas_with_daemonset_warns(self) -> None:
        """replicas and autoscaler are ignored by daemonset and sidecar collectors: a warning."""
        messages = warnings_of(lambda: collector(mode="daemonset", replicas=3, autoscaler={"maxReplicas": 5}))
        assert any("spec.replicas" in m and "daemonset" in m for m in messages)
        assert any("spec.autoscaler" in m for m in messages)


class TestV1Alpha1:
    def doc(self, config: dict[str, Any] | str) -> dict[str, Any]:
        text = config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False)
        return {"apiVersion": "opentelemetry.io/v1alpha1", "kind": "OpenTelemetryCollector",
                "metadata": {"name": "old"}, "spec": {"mode": "sidecar", "config": text}}

    def test_yaml_text_round_trips_exactly(self) -> None:
        """The config text (comments and spacing included) is emitted as written."""
        text = "# keep me\nreceivers:\n  otlp:\n    protocols: {grpc: {}}\nexporters:\n  debug: {}\n" \
               "service:\n  pipelines:\n    traces: {receivers: [otlp], exporters: [debug]}\n"
        model = from_manifest(self.doc(text))
        assert isinstance(model, OpenTelemetryCollectorV1Alpha1)
        assert model.to_manifest() == self.doc(text)
        assert collector_config(model).pipelines()["traces"].receivers == ["otlp"]

    def test_yaml_config_checked_with_same_rules(self) -> None:
        """The YAML text is checked with the collector's rules; the path points inside spec.config."""
        config = copy.deepcopy(CONFIG)
        config["service"]["pipelines"]["logs"]["processors"] = ["batch", "batch"]
        message = error_of(lambda: from_manifest(self.doc(config)))
        assert "spec.config.service.pipelines.logs.processors[1]" in message and "processor 'batch'" in message

    def test_invalid_yaml_text(self) -> None:
        """Config text that is not YAML is refused at spec.config."""
        assert "spec.config" in error_of(lambda: from_manifest(self.doc("receivers: [\n")))

    def test_min_max_replicas_top_level(self) -> None:
        """The v1alpha1 top-level minReplicas/maxReplicas obey the autoscaler bounds."""
        doc = self.doc(CONFIG)
        doc["spec"].update(mode="deployment", minReplicas=5, maxReplicas=2)
        assert "minReplicas 5" in error_of(lambda: from_manifest(doc))

    def test_validates_against_crd_schema(self) -> None:
        """A v1alpha1 collector with managementState validates against the v1alpha1 CRD schema."""
        doc = self.doc(CONFIG)
        doc["spec"]["managementState"] = "managed"
        assert schema_errors(from_manifest(doc).to_manifest()) == []


class TestGeneratedModels:
    def test_from_manifest_returns_the_generated_classes(self) -> None:
        """Both versions load as the generated models; the public names are those classes."""
        from cdk8s_gitops.models import opentelemetry_io_v1alpha1, opentelemetry_io_v1beta1

        assert OpenTelemetryCollector is opentelemetry_io_v1beta1.OpenTelemetryCollector
        assert OpenTelemetryCollectorV1Alpha1 is opentelemetry_io_v1alpha1.OpenTelemetryCollector
        manifest = collector(mode="deployment").to_manifest()
        assert type(from_manifest(manifest)) is opentelemetry_io_v1beta1.OpenTelemetryCollector

    def test_config_rules_apply_when_loaded(self) -> None:
        """A loaded v1beta1 manifest gets the same start-up rules at the spec.config path."""
        manifest = collector().to_manifest()
        manifest["spec"]["config"]["service"]["pipelines"]["traces"]["receivers"] = ["kafka"]
        message = error_of(lambda: from_manifest(manifest))
        assert "spec.config.service.pipelines.traces.receivers[0]" in message and "'kafka'" in message

    def test_v1alpha1_unused_component_warns(self) -> None:
        """Unused components in v1alpha1 YAML text warn with the object and the spec.config path."""
        config = copy.deepcopy(CONFIG)
        config["exporters"]["otlp/unused"] = {"endpoint": "x:4317"}
        doc = TestV1Alpha1().doc(config)
        messages = warnings_of(lambda: from_manifest(doc))
        assert any("OpenTelemetryCollector 'old': spec.config.exporters.otlp/unused" in m for m in messages)


class TestCollectorOnFirstUse:
    """Importing the observability package imports no collector module; a collector then gets the checks all the
    same, also when built from the generated models (each case in a fresh process)."""

    def test_import_creates_no_collector_class(self) -> None:
        out = fresh_python("""
            import sys
            import cdk8s_gitops.observability, cdk8s_gitops.platform.microservice
            print(sorted(m for m in sys.modules if m.endswith(("open_telemetry_collector", ".collector", ".alerts"))))
        """)
        assert out.strip() == "[]"

    def test_collector_from_the_generated_models_gets_the_mode_checks(self) -> None:
        out = fresh_python(f"""
            from cdk8s_gitops import ManifestError
            import cdk8s_gitops.observability  # noqa: F401 - what synth imports
            from cdk8s_gitops.models.opentelemetry_io_v1beta1 import OpenTelemetryCollector  # not through observability
            try:
                OpenTelemetryCollector.from_manifest({{"metadata": {{"name": "otel", "namespace": "o"}},
                                                      "spec": {{"mode": "daemonset", "config": {CONFIG!r},
                                                               "deploymentUpdateStrategy": {{"type": "RollingUpdate"}}}}}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.deploymentUpdateStrategy" in out and "daemonset" in out

    def test_lazy_names_are_the_modules_own(self) -> None:
        import importlib

        import cdk8s_gitops.observability as package
        from cdk8s_gitops.observability import alerts, collector, plain

        config_module = importlib.import_module("cdk8s_gitops.observability.collector_config")

        for name in package.__all__:
            assert getattr(package, name) is not None
        assert package.OpenTelemetryCollector is collector.OpenTelemetryCollector
        assert package.CollectorConfig is config_module.CollectorConfig
        assert package.collector_config is collector.collector_config  # the function, not the module of that name
        assert package.plain_collector_manifests is plain.plain_collector_manifests
        assert package.alert_pack is alerts.alert_pack
        with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
            package.Nothing  # noqa: B018
