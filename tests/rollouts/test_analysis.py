"""AnalysisTemplate and ClusterAnalysisTemplate: typed providers, round trip, and metric validation."""

from __future__ import annotations

import copy
from typing import Any

import cdk8s
import pytest
from helpers import manifest_error

from cdk8s_gitops import GitOpsChart, TypedResource
from cdk8s_gitops.rollouts import AnalysisTemplate, ClusterAnalysisTemplate, PrometheusMetric, WebMetric


def prometheus_metric(**fields: Any) -> dict[str, Any]:
    """A valid Prometheus success-rate metric; ``fields`` replace or add keys (None removes one)."""
    metric: dict[str, Any] = {
        "name": "success-rate",
        "interval": "1m",
        "count": 5,
        "successCondition": "result[0] >= 0.95",
        "failureCondition": "result[0] < 0.90",
        "failureLimit": 2,
        "inconclusiveLimit": 1,
        "consecutiveErrorLimit": 3,
        "provider": {
            "prometheus": {
                "address": "http://prometheus.monitoring:9090",
                "query": 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[2m])) / '
                         'sum(rate(http_requests_total{service="{{args.service}}"}[2m]))',
                "timeout": 20,
                "headers": [{"key": "X-Scope-OrgID", "value": "shop"}],
            }
        },
    }
    metric.update(fields)
    return {k: v for k, v in metric.items() if v is not None}


def template_doc(*metrics: dict[str, Any], kind: str = "AnalysisTemplate") -> dict[str, Any]:
    """An analysis template with ``metrics`` (one Prometheus metric by default) and a ``service`` argument."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": kind,
        "metadata": {"name": "success-rate"},
        "spec": {
            "args": [{"name": "service"}, {"name": "token", "valueFrom": {"secretKeyRef": {"name": "metrics", "key": "token"}}}],
            "metrics": list(metrics) or [prometheus_metric()],
        },
    }


def refused(doc: dict[str, Any]) -> str:
    """The ManifestError message for ``doc``."""
    cls = ClusterAnalysisTemplate if doc["kind"] == "ClusterAnalysisTemplate" else AnalysisTemplate
    return manifest_error(cls, doc)


def assert_names(message: str, path: str, *values: object) -> None:
    """The message names the template, the field path and every bad value."""
    assert "AnalysisTemplate 'success-rate'" in message, message
    assert path in message, message
    for value in values:
        assert str(value) in message, message


JOB_PROVIDER = {
    "job": {
        "metadata": {"labels": {"team": "shop"}},
        "spec": {
            "backoffLimit": 0,
            "template": {"spec": {"containers": [{"name": "smoke", "image": "curlimages/curl:8.10.1",
                                                  "args": ["-fsS", "http://checkout-preview/healthz"]}],
                                  "restartPolicy": "Never"}},
        },
    }
}


class TestAnalysisTemplate:
    def test_prometheus_round_trip(self) -> None:
        """A Prometheus metric with interval, count, conditions and limits round-trips, typed."""
        doc = template_doc()
        model = AnalysisTemplate.from_manifest(doc)
        assert model.to_manifest() == doc
        assert isinstance(model.spec.metrics[0].provider.prometheus, PrometheusMetric)  # type: ignore[index]
        assert model.metric_names() == ["success-rate"]
        assert model.argument_names() == ["service", "token"]

    def test_web_round_trip(self) -> None:
        """A web metric with a JSON body, path and headers round-trips, typed."""
        web = {"web": {"url": "https://status.example.com/api/{{args.service}}", "method": "POST", "jsonBody": {"window": "5m"},
                       "jsonPath": "{$.ok}", "timeoutSeconds": 5, "headers": [{"key": "Authorization", "value": "Bearer {{args.token}}"}]}}
        doc = template_doc(prometheus_metric(name="status", provider=web, successCondition="result == true", count=None,
                                             interval=None, failureLimit=None, inconclusiveLimit=None))
        model = AnalysisTemplate.from_manifest(doc)
        assert model.to_manifest() == doc
        assert isinstance(model.spec.metrics[0].provider.web, WebMetric)  # type: ignore[index]

    def test_job_round_trip(self) -> None:
        """A Job metric with a typed pod template round-trips."""
        doc = template_doc(prometheus_metric(name="smoke", provider=JOB_PROVIDER, count=1, interval=None, failureLimit=0,
                                             inconclusiveLimit=None, successCondition=None, failureCondition=None))
        assert AnalysisTemplate.from_manifest(doc).to_manifest() == doc

    def test_other_providers_kept_as_given(self) -> None:
        """Providers that are not typed (Datadog here) are kept as given."""
        doc = template_doc(prometheus_metric(provider={"datadog": {"apiVersion": "v2", "query": "avg:errors{*}"}}))
        assert AnalysisTemplate.from_manifest(doc).to_manifest() == doc

    def test_placeholders_accepted(self) -> None:
        """count, limits and interval may be argument placeholders, checked when the analysis runs."""
        doc = template_doc(prometheus_metric(count="{{args.count}}", failureLimit="{{args.limit}}", interval="{{args.interval}}"))
        assert AnalysisTemplate.from_manifest(doc).to_manifest() == doc

    def test_cluster_template_is_cluster_scoped(self) -> None:
        """A ClusterAnalysisTemplate gets no namespace from the chart; an AnalysisTemplate does."""
        chart = GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop", namespace="shop-dev")
        cluster = TypedResource(chart, ClusterAnalysisTemplate.from_manifest(template_doc(kind="ClusterAnalysisTemplate")))
        local = TypedResource(chart, AnalysisTemplate.from_manifest(template_doc()))
        assert "namespace" not in cluster.to_manifest()["metadata"]
        assert local.to_manifest()["metadata"]["namespace"] == "shop-dev"
        assert cluster.to_manifest()["kind"] == "ClusterAnalysisTemplate"


class TestMetricRules:
    def test_count_below_failure_limit_refused(self) -> None:
        """count must not be below failureLimit."""
        assert_names(refused(template_doc(prometheus_metric(count=2, failureLimit=3))), "spec.metrics[0].count", "2", "failureLimit 3")

    def test_count_below_inconclusive_limit_refused(self) -> None:
        """count must not be below inconclusiveLimit."""
        message = refused(template_doc(prometheus_metric(count=1, failureLimit=0, inconclusiveLimit=2)))
        assert_names(message, "spec.metrics[0].count", "1", "inconclusiveLimit 2")

    def test_count_needs_interval(self) -> None:
        """count above 1 needs an interval."""
        assert_names(refused(template_doc(prometheus_metric(interval=None))), "spec.metrics[0].interval", "5")

    @pytest.mark.parametrize("field", ["failureLimit", "inconclusiveLimit", "consecutiveErrorLimit"])
    def test_negative_limits_refused(self, field: str) -> None:
        """failureLimit, inconclusiveLimit and consecutiveErrorLimit are not negative."""
        assert_names(refused(template_doc(prometheus_metric(**{field: -1}))), f"spec.metrics[0].{field}", "-1")

    def test_bad_interval_refused(self) -> None:
        """interval is a Go duration."""
        assert_names(refused(template_doc(prometheus_metric(interval="5 minutes"))), "spec.metrics[0].interval", "'5 minutes'")

    def test_count_must_be_integer(self) -> None:
        """count is an integer or a placeholder, not arbitrary text."""
        assert_names(refused(template_doc(prometheus_metric(count="many"))), "spec.metrics[0].count", "'many'")

    def test_no_provider_refused(self) -> None:
        """Each metric has a provider."""
        assert_names(refused(template_doc(prometheus_metric(provider={}))), "spec.metrics[0].provider", "{}")

    def test_two_providers_refused(self) -> None:
        """Each metric has exactly one provider."""
        provider = {"prometheus": {"query": "up"}, "web": {"url": "http://x"}}
        assert_names(refused(template_doc(prometheus_metric(provider=provider))), "spec.metrics[0].provider", "prometheus, web")

    def test_duplicate_metric_names_refused(self) -> None:
        """Metric names are unique within a template."""
        message = refused(template_doc(prometheus_metric(), prometheus_metric()))
        assert_names(message, "spec.metrics[1].name", "'success-rate'")

    def test_no_metrics_refused(self) -> None:
        """A template without metrics (and without template references) is refused."""
        doc = template_doc()
        doc["spec"]["metrics"] = []
        assert_names(refused(doc), "spec.metrics", "[]")

    def test_duplicate_arguments_refused(self) -> None:
        """Each argument is declared once."""
        doc = template_doc()
        doc["spec"]["args"].append({"name": "service", "value": "x"})
        assert_names(refused(doc), "spec.args[2].name", "'service'")

    def test_web_body_needs_post_or_put(self) -> None:
        """A web metric sends a body only with POST or PUT."""
        web = {"web": {"url": "http://x", "body": "{}"}}
        assert_names(refused(template_doc(prometheus_metric(provider=web))), "spec.metrics[0].provider.web.body", "GET")

    def test_web_url_required(self) -> None:
        """A web metric needs a url."""
        message = refused(template_doc(prometheus_metric(provider={"web": {"method": "GET"}})))
        assert_names(message, "spec.metrics[0].provider.web.url", "required")

    def test_job_restart_policy(self) -> None:
        """A Job metric's pods use restartPolicy Never or OnFailure."""
        provider: dict[str, Any] = copy.deepcopy(JOB_PROVIDER)
        provider["job"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
        message = refused(template_doc(prometheus_metric(provider=provider)))
        assert_names(message, "spec.metrics[0].provider.job.spec.template.spec.restartPolicy", "'Always'")

    def test_cluster_template_validated_alike(self) -> None:
        """ClusterAnalysisTemplate applies the same metric rules."""
        message = refused(template_doc(prometheus_metric(count=1, failureLimit=4), kind="ClusterAnalysisTemplate"))
        assert "ClusterAnalysisTemplate 'success-rate'" in message
        assert "spec.metrics[0].count" in message
