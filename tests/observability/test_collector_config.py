"""The collector configuration model: the collector's start-up rules, refused at build time."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.observability import CollectorConfig, ComponentId

from ._support import error_of, warnings_of


def base() -> dict[str, Any]:
    """A valid configuration: OTLP in, batch, debug out, one traces pipeline."""
    return {
        "receivers": {"otlp": {"protocols": {"grpc": {}, "http": {}}}},
        "processors": {"batch": {}},
        "exporters": {"debug": {}},
        "extensions": {"health_check": {}},
        "service": {
            "extensions": ["health_check"],
            "pipelines": {"traces": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["debug"]}},
        },
    }


def with_pipelines(**pipelines: dict[str, Any]) -> dict[str, Any]:
    doc = base()
    doc["service"]["pipelines"] = pipelines
    return doc


SEED = {  # seed 001: the collector config of the Keiko platform, as written there
    "receivers": {
        "otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}},
        "prometheus": {"config": {"scrape_configs": [{"job_name": "kubernetes-pods",
                                                        "kubernetes_sd_configs": [{"role": "pod"}]}]}},
    },
    "processors": {"batch": {"timeout": "1s", "send_batch_size": 1024}, "memory_limiter": {"limit_mib": 512}},
    "exporters": {
        "jaeger": {"endpoint": "jaeger-collector:14250", "tls": {"insecure": True}},
        "prometheus": {"endpoint": "0.0.0.0:8889"},
        "elasticsearch": {"endpoints": ["http://elasticsearch:9200"], "index": "otel-logs"},
    },
    "service": {"pipelines": {
        "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["jaeger"]},
        "metrics": {"receivers": ["otlp", "prometheus"], "processors": ["memory_limiter", "batch"], "exporters": ["prometheus"]},
        "logs": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["elasticsearch"]},
    }},
}


class TestComponentId:
    def test_type_and_name(self) -> None:
        """An ID is type[/name]; the name may hold '/', '.', '-' and ':'."""
        assert ComponentId.parse("otlp") == ComponentId("otlp")
        assert ComponentId.parse("otlp/backend.eu-1") == ComponentId("otlp", "backend.eu-1")
        assert str(ComponentId.parse("batch/a/b")) == "batch/a/b"

    @pytest.mark.parametrize("text", ["", "1otlp", "otlp/", "ot lp", "otlp/a b", "/name"])
    def test_invalid_ids_are_refused(self, text: str) -> None:
        """Empty IDs, types not starting with a letter, empty names and names with spaces are refused."""
        with pytest.raises(ValueError, match=r"type|name|component ID"):
            ComponentId.parse(text)

    def test_invalid_id_in_config_names_section_and_id(self) -> None:
        """A configured component with an invalid ID is refused at its place, naming the ID."""
        doc = base()
        doc["receivers"]["otlp x"] = {}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "receivers.otlp x" in message and "'otlp x'" in message


class TestValidConfig:
    def test_valid_config_round_trips(self) -> None:
        """A valid configuration loads and emits the same mapping, null components included."""
        doc = base()
        doc["processors"]["memory_limiter"] = None
        doc["service"]["pipelines"]["traces"]["processors"] = ["memory_limiter", "batch"]
        config = CollectorConfig.from_dict(copy.deepcopy(doc))
        assert config.to_dict() == doc

    def test_yaml_round_trip(self) -> None:
        """to_yaml writes config.yaml text that from_yaml reads back to the same model."""
        config = CollectorConfig.from_dict(base())
        assert CollectorConfig.from_yaml(config.to_yaml()) == config

    def test_invalid_yaml_is_refused(self) -> None:
        """Text that is not YAML is refused with the line of the error."""
        message = error_of(lambda: CollectorConfig.from_yaml("receivers: [otlp\n"))
        assert "not valid YAML" in message

    def test_pipeline_named_with_signal_and_name(self) -> None:
        """Pipelines may be named signal/name for every known signal."""
        doc = with_pipelines(**{"traces/a": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["debug"]},
                                "metrics/b": {"receivers": ["otlp"], "exporters": ["debug"]},
                                "logs": {"receivers": ["otlp"], "exporters": ["debug"]}})
        CollectorConfig.from_dict(doc)


class TestStartupRules:
    def test_at_least_one_pipeline(self) -> None:
        """A configuration without pipelines is refused at service.pipelines."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines()))
        assert "service.pipelines" in message and "no pipeline" in message

    def test_missing_service_is_refused(self) -> None:
        """A configuration without a service section has no pipeline either."""
        doc = base()
        del doc["service"]
        del doc["extensions"]
        assert "no pipeline is defined" in error_of(lambda: CollectorConfig.from_dict(doc))

    def test_unknown_signal(self) -> None:
        """A pipeline whose ID is not traces, metrics, logs or profiles[/name] is refused, naming it."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(spans={"receivers": ["otlp"], "exporters": ["debug"]})))
        assert "service.pipelines.spans" in message and "pipeline 'spans'" in message and "unknown signal 'spans'" in message

    def test_empty_pipeline_name(self) -> None:
        """'traces/' (a slash without a name) is refused."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(**{"traces/": {"receivers": ["otlp"], "exporters": ["debug"]}})))
        assert "pipeline 'traces/'" in message and "empty name" in message

    def test_pipeline_needs_a_receiver(self) -> None:
        """A pipeline without receivers is refused, naming the pipeline."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(traces={"receivers": [], "exporters": ["debug"]})))
        assert "service.pipelines.traces.receivers" in message and "pipeline 'traces' has no receiver" in message

    def test_pipeline_needs_an_exporter(self) -> None:
        """A pipeline without exporters is refused, naming the pipeline."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(metrics={"receivers": ["otlp"]})))
        assert "service.pipelines.metrics.exporters" in message and "pipeline 'metrics' has no exporter" in message

    def test_undefined_receiver(self) -> None:
        """A receiver a pipeline lists but nobody defines is refused, naming pipeline and receiver."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(traces={"receivers": ["otlp", "zipkin"], "exporters": ["debug"]})))
        assert "service.pipelines.traces.receivers[1]" in message
        assert "pipeline 'traces' references receiver 'zipkin'" in message and "not configured" in message

    def test_undefined_processor(self) -> None:
        """An undefined processor is refused, naming pipeline and processor."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(
            logs={"receivers": ["otlp"], "processors": ["batch", "memory_limiter"], "exporters": ["debug"]})))
        assert "service.pipelines.logs.processors[1]" in message
        assert "pipeline 'logs' references processor 'memory_limiter'" in message

    def test_undefined_exporter(self) -> None:
        """An undefined exporter is refused, naming pipeline and exporter."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(
            **{"metrics/app": {"receivers": ["otlp"], "exporters": ["prometheusremotewrite"]}})))
        assert "service.pipelines.metrics/app.exporters[0]" in message
        assert "pipeline 'metrics/app' references exporter 'prometheusremotewrite'" in message

    def test_named_component_must_match_exactly(self) -> None:
        """'otlp/backend' is a different component from 'otlp': defining one does not define the other."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(traces={"receivers": ["otlp/backend"], "exporters": ["debug"]})))
        assert "receiver 'otlp/backend'" in message

    def test_processor_listed_twice(self) -> None:
        """A processor listed twice in one pipeline is refused, naming pipeline and processor."""
        message = error_of(lambda: CollectorConfig.from_dict(with_pipelines(
            traces={"receivers": ["otlp"], "processors": ["batch", "batch"], "exporters": ["debug"]})))
        assert "service.pipelines.traces.processors[1]" in message
        assert "pipeline 'traces' lists processor 'batch' more than once" in message

    def test_same_processor_in_two_pipelines_is_fine(self) -> None:
        """Sharing a processor between pipelines is allowed."""
        CollectorConfig.from_dict(with_pipelines(traces={"receivers": ["otlp"], "processors": ["batch"], "exporters": ["debug"]},
                                                 logs={"receivers": ["otlp"], "processors": ["batch"], "exporters": ["debug"]}))

    def test_service_extension_must_be_configured(self) -> None:
        """An extension listed in service.extensions but not configured is refused, naming it."""
        doc = base()
        doc["service"]["extensions"] = ["health_check", "pprof"]
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "service.extensions[1]" in message and "extension 'pprof'" in message and "not configured" in message

    def test_id_both_connector_and_exporter(self) -> None:
        """An ID defined as connector and exporter is ambiguous and refused, naming it."""
        doc = base()
        doc["connectors"] = {"debug": {}}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "connectors.debug" in message and "'debug' is used by both a connector and an exporter" in message

    def test_id_both_connector_and_receiver(self) -> None:
        """An ID defined as connector and receiver is ambiguous and refused, naming it."""
        doc = base()
        doc["connectors"] = {"otlp": {}}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "connectors.otlp" in message and "'otlp' is used by both a connector and a" in message

    def test_several_problems_reported_together(self) -> None:
        """Every broken rule is reported at once, each with its own path."""
        doc = with_pipelines(traces={"receivers": ["nope"], "processors": ["gone"], "exporters": ["none"]})
        with pytest.raises(ManifestError) as info:
            CollectorConfig.from_dict(doc)
        assert len(info.value.problems) == 3
        assert {p.path for p in info.value.problems} == {
            "service.pipelines.traces.receivers[0]", "service.pipelines.traces.processors[0]", "service.pipelines.traces.exporters[0]"}


class TestSignals:
    def test_metrics_only_receiver_in_traces_pipeline(self) -> None:
        """The prometheus receiver only produces metrics: in a traces pipeline it is refused, naming both."""
        doc = base()
        doc["receivers"]["prometheus"] = {"config": {"scrape_configs": []}}
        doc["service"]["pipelines"]["traces"]["receivers"] = ["otlp", "prometheus"]
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "service.pipelines.traces.receivers[1]" in message and "receiver 'prometheus' does not handle traces" in message

    def test_metrics_only_exporter_in_logs_pipeline(self) -> None:
        """The prometheus exporter only takes metrics: in a logs pipeline it is refused."""
        doc = base()
        doc["exporters"]["prometheus"] = {"endpoint": "0.0.0.0:8889"}
        doc["service"]["pipelines"]["logs"] = {"receivers": ["otlp"], "exporters": ["prometheus"]}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "pipeline 'logs'" in message and "exporter 'prometheus' does not handle logs" in message

    def test_profiles_pipeline_warns_about_feature_gate(self) -> None:
        """A profiles pipeline is accepted with a warning naming the feature gate."""
        messages = warnings_of(lambda: CollectorConfig.from_dict(with_pipelines(profiles={"receivers": ["otlp"], "exporters": ["debug"]})))
        assert any("service.profilesSupport" in m and "pipeline 'profiles'" in m for m in messages)


class TestConnectors:
    def spanmetrics(self) -> dict[str, Any]:
        doc = base()
        doc["connectors"] = {"spanmetrics": {}}
        doc["service"]["pipelines"] = {
            "traces": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["debug", "spanmetrics"]},
            "metrics": {"receivers": ["spanmetrics"], "exporters": ["debug"]},
        }
        return doc

    def test_connector_between_pipelines_is_valid(self) -> None:
        """A connector used as exporter of one pipeline and receiver of another is valid."""
        CollectorConfig.from_dict(self.spanmetrics())

    def test_connector_only_as_exporter(self) -> None:
        """A connector never used as receiver is refused, naming the connector and the pipeline."""
        doc = self.spanmetrics()
        doc["service"]["pipelines"]["metrics"]["receivers"] = ["otlp"]
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "connectors.spanmetrics" in message
        assert "connector 'spanmetrics' is used as exporter in pipeline 'traces' but as receiver in no pipeline" in message

    def test_connector_only_as_receiver(self) -> None:
        """A connector never used as exporter is refused, naming the connector and the pipeline."""
        doc = self.spanmetrics()
        doc["service"]["pipelines"]["traces"]["exporters"] = ["debug"]
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "connector 'spanmetrics' is used as receiver in pipeline 'metrics' but as exporter in no pipeline" in message

    def test_connector_signal_pair_unsupported(self) -> None:
        """spanmetrics turns traces into metrics; feeding a logs pipeline is refused, naming both pipelines' ends."""
        doc = self.spanmetrics()
        doc["service"]["pipelines"]["logs"] = doc["service"]["pipelines"].pop("metrics")
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "service.pipelines.traces.exporters[1]" in message and "connector 'spanmetrics'" in message
        assert "pipeline 'logs'" in message

    def test_connector_cycle(self) -> None:
        """A forward connector feeding its own pipeline forms a cycle and is refused, naming pipeline and connector."""
        doc = base()
        doc["connectors"] = {"forward": {}}
        doc["service"]["pipelines"]["traces"] = {"receivers": ["otlp", "forward"], "exporters": ["debug", "forward"]}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "cycle" in message and "'forward'" in message and "pipeline 'traces'" in message

    def test_unknown_connector_types_are_not_signal_checked(self) -> None:
        """Connectors whose signal pairs the library does not know are only checked for use both ways."""
        doc = self.spanmetrics()
        doc["connectors"] = {"mything": {}}
        doc["service"]["pipelines"] = {"traces": {"receivers": ["otlp"], "processors": ["batch"], "exporters": ["mything"]},
                                       "logs": {"receivers": ["mything"], "exporters": ["debug"]}}
        CollectorConfig.from_dict(doc)


class TestRemovedComponents:
    def test_jaeger_exporter_names_otlp_replacement(self) -> None:
        """The jaeger exporter is refused with the replacement: OTLP to Jaeger's OTLP endpoint."""
        message = error_of(lambda: CollectorConfig.from_dict(SEED))
        assert "exporters.jaeger" in message and "exporter 'jaeger'" in message and "removed" in message
        assert "pipeline 'traces'" in message and "'otlp' exporter" in message and "4317" in message

    def test_logging_exporter_names_debug_replacement(self) -> None:
        """The logging exporter is refused with the replacement: the debug exporter."""
        doc = base()
        doc["exporters"] = {"logging": {"loglevel": "debug"}}
        doc["service"]["pipelines"]["traces"]["exporters"] = ["logging"]
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "exporter 'logging'" in message and "'debug' exporter" in message and "pipeline 'traces'" in message

    def test_removed_component_refused_even_when_unused(self) -> None:
        """The collector fails on an unknown type while decoding, used or not."""
        doc = base()
        doc["exporters"]["logging/x"] = {}
        assert "exporter 'logging/x'" in error_of(lambda: CollectorConfig.from_dict(doc))

    def test_memory_ballast_extension(self) -> None:
        """The memory_ballast extension is refused with the GOMEMLIMIT replacement."""
        doc = base()
        doc["extensions"]["memory_ballast"] = {"size_mib": 64}
        doc["service"]["extensions"].append("memory_ballast")
        assert "GOMEMLIMIT" in error_of(lambda: CollectorConfig.from_dict(doc))

    def test_jaeger_receiver_is_still_valid(self) -> None:
        """Only the jaeger exporter was removed; the jaeger receiver still exists."""
        doc = base()
        doc["receivers"] = {"jaeger": {"protocols": {"grpc": {}}}}
        doc["service"]["pipelines"]["traces"]["receivers"] = ["jaeger"]
        CollectorConfig.from_dict(doc)

    def test_telemetry_metrics_address(self) -> None:
        """service.telemetry.metrics.address is refused with the readers form."""
        doc = base()
        doc["service"]["telemetry"] = {"metrics": {"address": "0.0.0.0:8888"}}
        message = error_of(lambda: CollectorConfig.from_dict(doc))
        assert "service.telemetry.metrics.address" in message and "readers" in message

    def test_seed_config_fixed_is_valid(self) -> None:
        """The seed's configuration with the jaeger exporter replaced by OTLP passes every rule."""
        doc: dict[str, Any] = copy.deepcopy(SEED)
        doc["exporters"]["otlp/jaeger"] = {"endpoint": "jaeger-collector:4317", "tls": {"insecure": True}}
        del doc["exporters"]["jaeger"]
        doc["service"]["pipelines"]["traces"]["exporters"] = ["otlp/jaeger"]
        CollectorConfig.from_dict(doc)


class TestWarnings:
    def test_unused_components_warn(self) -> None:
        """Receivers, processors, exporters and connectors no pipeline uses give warnings naming them."""
        doc = base()
        doc["receivers"]["zipkin"] = {}
        doc["processors"]["memory_limiter"] = {}
        doc["exporters"]["otlp"] = {}
        doc["connectors"] = {"forward": {}}
        messages = "\n".join(warnings_of(lambda: CollectorConfig.from_dict(doc)))
        for text in ("receiver 'zipkin'", "processor 'memory_limiter'", "exporter 'otlp'", "connector 'forward'"):
            assert text in messages

    def test_extension_not_enabled_warns(self) -> None:
        """A configured extension missing from service.extensions gives a warning."""
        doc = base()
        doc["extensions"]["zpages"] = {}
        assert any("extension 'zpages'" in m for m in warnings_of(lambda: CollectorConfig.from_dict(doc)))

    def test_deprecated_loki_exporter_warns(self) -> None:
        """The deprecated loki exporter is accepted with a warning pointing at OTLP."""
        doc = base()
        doc["exporters"]["loki"] = {"endpoint": "http://loki:3100/loki/api/v1/push"}
        doc["service"]["pipelines"]["logs"] = {"receivers": ["otlp"], "exporters": ["loki"]}
        assert any("otlphttp" in m for m in warnings_of(lambda: CollectorConfig.from_dict(doc)))

    def test_valid_config_gives_no_warning(self) -> None:
        """A configuration using everything it defines warns about nothing."""
        assert warnings_of(lambda: CollectorConfig.from_dict(base())) == []
