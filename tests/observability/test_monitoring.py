"""ServiceMonitor, PodMonitor and PrometheusRule: typed, round-tripping, rules checked like promtool."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import schema_errors

from cdk8s_gitops import from_manifest
from cdk8s_gitops.observability import PodMonitor, PrometheusRule, ServiceMonitor, check_promql

from ._support import error_of


def rule_object(*rules: dict[str, Any], **group: Any) -> PrometheusRule:
    return PrometheusRule.from_manifest({"metadata": {"name": "app-rules"},
                                "spec": {"groups": [{"name": "app.rules", **group, "rules": list(rules)}]}})


def alert(**fields: Any) -> dict[str, Any]:
    return {"alert": "HighErrorRate", "expr": 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1', "for": "5m", **fields}


class TestServiceMonitor:
    def manifest(self) -> dict[str, Any]:
        return {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor",
                "metadata": {"name": "checkout", "namespace": "shop", "labels": {"release": "kube-prometheus-stack"}},
                "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "checkout"}},
                         "namespaceSelector": {"matchNames": ["shop"]},
                         "endpoints": [{"port": "metrics", "path": "/metrics", "interval": "30s", "scrapeTimeout": "10s",
                                        "relabelings": [{"sourceLabels": ["__meta_kubernetes_pod_name"], "targetLabel": "pod"}],
                                        "metricRelabelings": [{"action": "drop", "regex": "go_.*",
                                                               "sourceLabels": ["__name__"]}]}]}}

    def test_round_trip_and_schema(self) -> None:
        """A typed ServiceMonitor round-trips and validates against the CRD schema."""
        model = from_manifest(self.manifest())
        assert isinstance(model, ServiceMonitor)
        assert model.to_manifest() == self.manifest()
        assert schema_errors(model.to_manifest()) == []

    def test_interval_must_be_a_duration(self) -> None:
        """An interval that is not a Prometheus duration is refused with path and value."""
        doc = self.manifest()
        doc["spec"]["endpoints"][0]["interval"] = "30 seconds"
        message = error_of(lambda: from_manifest(doc))
        assert "spec.endpoints[0].interval" in message and "'30 seconds'" in message

    def test_timeout_longer_than_interval(self) -> None:
        """scrapeTimeout longer than interval is refused."""
        doc = self.manifest()
        doc["spec"]["endpoints"][0]["scrapeTimeout"] = "1m"
        assert "spec.endpoints[0].scrapeTimeout" in error_of(lambda: from_manifest(doc))

    def test_replace_relabeling_needs_target_label(self) -> None:
        """A replace relabeling (the default action) without targetLabel is refused."""
        doc = self.manifest()
        doc["spec"]["endpoints"][0]["relabelings"] = [{"sourceLabels": ["a"]}]
        message = error_of(lambda: from_manifest(doc))
        assert "spec.endpoints[0].relabelings[0].targetLabel" in message and "'replace'" in message

    def test_missing_selector_refused(self) -> None:
        """A ServiceMonitor without selector is refused: the monitoring.coreos.com/v1 CRD requires it (v0.89)."""
        doc = self.manifest()
        del doc["spec"]["selector"]
        assert "ServiceMonitor 'checkout': spec.selector: required field is missing" in error_of(lambda: from_manifest(doc))


class TestPodMonitor:
    def test_build_round_trip_and_schema(self) -> None:
        """A PodMonitor built in Python validates against the CRD schema and round-trips."""
        model = PodMonitor.from_manifest({"metadata": {"name": "cnpg", "namespace": "db"},
                                 "spec": {"selector": {"matchLabels": {"cnpg.io/cluster": "main"}},
                                       "podMetricsEndpoints": [{"port": "metrics", "interval": "1m"},
                                                               {"portNumber": 9187}]}})
        manifest = model.to_manifest()
        assert manifest["apiVersion"] == "monitoring.coreos.com/v1"
        assert schema_errors(manifest) == []
        assert from_manifest(manifest).to_manifest() == manifest

    def test_port_number_positive(self) -> None:
        """portNumber below 1 is refused with path and value."""
        message = error_of(lambda: PodMonitor.from_manifest({"metadata": {"name": "x"}, "spec": {
            "selector": {"matchLabels": {"a": "b"}}, "podMetricsEndpoints": [{"portNumber": 0}]}}))
        assert "spec.podMetricsEndpoints[0].portNumber" in message and "0" in message


class TestPromQL:
    @pytest.mark.parametrize("expr", [
        'up == 0', 'sum by (job) (rate(http_requests_total[5m])) > 0.5', 'absent(up{job="x"})',
        'histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))', 'max_over_time(up[1h:5m] offset 1d)', 1,
    ])
    def test_valid_expressions(self, expr: Any) -> None:
        """Valid PromQL (and the integer literal the CRD allows) passes."""
        assert check_promql(expr) is None

    @pytest.mark.parametrize("expr,reason", [
        ("sum(rate(x[5m])", "parenthesis"),
        ("rate(x)", "matrix"),
        ('up{job="a"', "braces"),
        ("up >", ""),
        ("", "empty"),
    ])
    def test_invalid_expressions(self, expr: str, reason: str) -> None:
        """Unbalanced parentheses, wrong argument types, unterminated selectors and empty expressions are refused."""
        why = check_promql(expr)
        assert why is not None and reason in why

    def test_invalid_expr_in_rule_names_path_and_value(self) -> None:
        """A rule with invalid PromQL is refused with the full path, the expression and the parser's reason."""
        message = error_of(lambda: rule_object(alert(), alert(alert="Broken", expr="sum(rate(http_requests_total[5m])")))
        assert "PrometheusRule 'app-rules'" in message
        assert "spec.groups[0].rules[1].expr" in message
        assert "sum(rate(http_requests_total[5m])" in message and "not valid PromQL" in message


class TestRules:
    def test_valid_rules_round_trip_and_schema(self) -> None:
        """Alerting and recording rules with every field validate and round-trip."""
        model = rule_object(alert(keep_firing_for="10m", labels={"severity": "critical"},
                                  annotations={"summary": "{{ $labels.job }} fails"}),
                            {"record": "job:http_requests:rate5m", "expr": "sum by (job) (rate(http_requests_total[5m]))"},
                            interval="1m", query_offset="30s", limit=10)
        manifest = model.to_manifest()
        assert manifest["spec"]["groups"][0]["rules"][0]["keep_firing_for"] == "10m"
        assert schema_errors(manifest) == []
        assert from_manifest(manifest).to_manifest() == manifest

    @pytest.mark.parametrize("value", ["5 minutes", "5", "m5", "1m1h", "-1m"])
    def test_for_must_be_a_duration(self, value: str) -> None:
        """'for' must be a Prometheus duration, units largest first."""
        message = error_of(lambda: rule_object(alert(**{"for": value})))
        assert "spec.groups[0].rules[0].for" in message and repr(value) in message

    def test_for_accepts_days(self) -> None:
        """Prometheus durations allow days and weeks."""
        rule_object(alert(**{"for": "1d12h"}))

    def test_keep_firing_for_must_be_a_duration(self) -> None:
        """keep_firing_for must be a duration too."""
        assert "spec.groups[0].rules[0].keep_firing_for" in error_of(lambda: rule_object(alert(keep_firing_for="soon")))

    def test_alert_and_record_exclusive(self) -> None:
        """A rule with both alert and record is refused; one with neither too."""
        assert "both alert" in error_of(lambda: rule_object(alert(record="a:b")))
        assert "neither alert nor record" in error_of(lambda: rule_object({"expr": "up"}))

    def test_record_name_is_a_metric_name(self) -> None:
        """A recording rule name must be a metric name (colons allowed)."""
        message = error_of(lambda: rule_object({"record": "job-http requests", "expr": "up"}))
        assert "spec.groups[0].rules[0].record" in message and "'job-http requests'" in message

    def test_record_with_braces(self) -> None:
        """Putting a selector in the record name is refused."""
        assert "record" in error_of(lambda: rule_object({"record": 'up{job="a"}', "expr": "up"}))

    def test_alert_name_not_empty(self) -> None:
        """An empty alert name is refused."""
        assert "spec.groups[0].rules[0].alert" in error_of(lambda: rule_object(alert(alert=" ")))

    def test_recording_rule_takes_no_for_or_annotations(self) -> None:
        """for and annotations belong to alerting rules only."""
        message = error_of(lambda: rule_object({"record": "a:b", "expr": "up", "for": "5m", "annotations": {"x": "y"}}))
        assert "spec.groups[0].rules[0].for" in message and "spec.groups[0].rules[0].annotations" in message

    def test_label_names(self) -> None:
        """Label names must be valid and not __name__."""
        message = error_of(lambda: rule_object(alert(labels={"team-name": "a"})))
        assert "spec.groups[0].rules[0].labels.team-name" in message and "'team-name'" in message
        assert "reserved" in error_of(lambda: rule_object(alert(labels={"__name__": "a"})))

    def test_annotation_names(self) -> None:
        """Annotation names must be valid label names."""
        assert "'run book'" in error_of(lambda: rule_object(alert(annotations={"run book": "x"})))

    def test_group_names_unique(self) -> None:
        """Two groups with one name are refused."""
        message = error_of(lambda: PrometheusRule.from_manifest({"metadata": {"name": "r"}, "spec": {"groups": [
            {"name": "g", "rules": [alert()]}, {"name": "g", "rules": [alert()]}]}}))
        assert "spec.groups[1].name" in message and "'g'" in message

    def test_group_interval_is_a_duration(self) -> None:
        """The group interval must be a duration."""
        assert "spec.groups[0].interval" in error_of(lambda: rule_object(alert(), interval="often"))
