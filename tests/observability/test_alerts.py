"""The platform alert pack: the alerts the issue lists, with the metric names each exporter publishes."""

from __future__ import annotations

from typing import Any

import promql_parser
import pytest
from helpers import schema_errors

from cdk8s_gitops import from_manifest
from cdk8s_gitops.observability import PrometheusRule, alert_pack


def rules_by_alert(rule: PrometheusRule) -> dict[str, dict[str, Any]]:
    return {r["alert"]: r for g in rule.to_manifest()["spec"]["groups"] for r in g["rules"]}


def selectors(expr: str) -> set[str]:
    """Metric names the expression selects (from the PromQL syntax tree)."""
    names: set[str] = set()

    def visit(node: promql_parser.Expr) -> bool:
        if isinstance(node, promql_parser.VectorSelector) and node.name:
            names.add(node.name)
        return True

    promql_parser.walk(promql_parser.parse(expr), visit)
    return names


class TestAlertPack:
    def test_every_listed_alert_is_present(self) -> None:
        """The pack covers out-of-sync, degraded apps, rollouts, unavailable replicas, limits, secrets, certificates."""
        alerts = rules_by_alert(alert_pack())
        assert set(alerts) == {
            "ArgoCDApplicationOutOfSync", "ArgoCDApplicationDegraded", "RolloutAborted", "RolloutDegraded",
            "DeploymentReplicasUnavailable", "DeploymentRolloutStuck", "ContainerMemoryNearLimit",
            "ContainerCPUNearLimit", "ExternalSecretSyncFailing", "CertificateExpiringSoon"}

    @pytest.mark.parametrize("alert,metrics", [
        ("ArgoCDApplicationOutOfSync", {"argocd_app_info"}),
        ("ArgoCDApplicationDegraded", {"argocd_app_info"}),
        ("RolloutAborted", {"rollout_info"}),
        ("RolloutDegraded", {"rollout_info"}),
        ("DeploymentReplicasUnavailable", {"kube_deployment_status_replicas_unavailable"}),
        ("ContainerMemoryNearLimit", {"container_memory_working_set_bytes", "kube_pod_container_resource_limits"}),
        ("ContainerCPUNearLimit", {"container_cpu_usage_seconds_total", "kube_pod_container_resource_limits"}),
        ("ExternalSecretSyncFailing", {"externalsecret_status_condition"}),
        ("CertificateExpiringSoon", {"certmanager_certificate_expiration_timestamp_seconds"}),
    ])
    def test_metric_names(self, alert: str, metrics: set[str]) -> None:
        """Each alert selects the metrics its exporter publishes."""
        assert selectors(rules_by_alert(alert_pack())[alert]["expr"]) == metrics

    def test_label_values(self) -> None:
        """Label matchers use the exporters' values (OutOfSync, Degraded, Abort, Ready/False)."""
        alerts = rules_by_alert(alert_pack())
        assert 'sync_status="OutOfSync"' in alerts["ArgoCDApplicationOutOfSync"]["expr"]
        assert 'health_status="Degraded"' in alerts["ArgoCDApplicationDegraded"]["expr"]
        assert 'phase="Abort"' in alerts["RolloutAborted"]["expr"]
        assert 'condition="Ready", status="False"' in alerts["ExternalSecretSyncFailing"]["expr"]

    def test_out_of_sync_for_five_minutes(self) -> None:
        """Out of sync fires after 5 minutes by default, and the duration is configurable."""
        assert rules_by_alert(alert_pack())["ArgoCDApplicationOutOfSync"]["for"] == "5m"
        assert rules_by_alert(alert_pack(out_of_sync_for="10m"))["ArgoCDApplicationOutOfSync"]["for"] == "10m"

    def test_every_alert_has_severity_and_summary(self) -> None:
        """Every alert carries a severity label and summary/description annotations."""
        for rule in rules_by_alert(alert_pack()).values():
            assert rule["labels"]["severity"] in ("warning", "critical")
            assert {"summary", "description"} <= set(rule["annotations"])

    def test_metadata_and_schema(self) -> None:
        """Name, namespace and labels are applied; the object validates against the CRD and round-trips."""
        rule = alert_pack(namespace="monitoring", labels={"release": "kube-prometheus-stack"})
        manifest = rule.to_manifest()
        assert manifest["metadata"] == {"name": "platform-alerts", "namespace": "monitoring",
                                        "labels": {"release": "kube-prometheus-stack"}}
        assert schema_errors(manifest) == []
        assert from_manifest(manifest).to_manifest() == manifest

    def test_bad_threshold_is_refused(self) -> None:
        """A ratio that is not a fraction, or a bad duration, is refused."""
        with pytest.raises(ValueError, match="resource_ratio"):
            alert_pack(resource_ratio=90)
        with pytest.raises(ValueError, match=r"out_of_sync_for|for"):
            alert_pack(out_of_sync_for="five minutes")
