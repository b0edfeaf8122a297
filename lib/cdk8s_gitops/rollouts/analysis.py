"""``argoproj.io/v1alpha1`` AnalysisTemplate, ClusterAnalysisTemplate and AnalysisRun: Argo Rollouts' metric rules.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`): every
provider (Prometheus, web, Job, Datadog, New Relic, Wavefront, Kayenta, CloudWatch, Graphite,
InfluxDB, SkyWalking, metric plugins) is typed there. This module adds Argo Rollouts' metric
validation as semantic checks, for templates and runs alike: at least one metric (or
template reference), unique metric and argument names, exactly one provider per metric,
``count`` not below ``failureLimit`` or ``inconclusiveLimit``, an ``interval`` when ``count``
is above 1, valid durations, limits that are not negative, a web body only with POST or PUT,
and a Job provider whose pods the kube package accepts for a Job. Values written as argument
placeholders (``{{args.count}}``) are checked when the analysis runs, not here.

Old names kept for code written against the hand-written classes: ``PrometheusMetric``,
``WebMetric``, ``MetricProvider`` and ``Metric``.
"""

from __future__ import annotations

from typing import Any, Literal

from ..core.fields import Issues, NonNegativeInt, set_fields, wire_name
from ..core.schema import semantic_check
from ..kube import JobSpec
from ..models.argoproj_io_v1alpha1 import (
    AnalysisRun,
    AnalysisRunSpec,
    AnalysisTemplate,
    AnalysisTemplateSpec,
    AnalysisTemplateSpecMetricsProvider,
    AnalysisTemplateSpecMetricsProviderPrometheus,
    AnalysisTemplateSpecMetricsProviderWeb,
    ClusterAnalysisTemplate,
    Metrics,
)
from ._types import Duration, IntOrTemplate, Problems, as_int, as_kube, field_issues

__all__ = [
    "AnalysisRun",
    "AnalysisRunSpec",
    "AnalysisTemplate",
    "AnalysisTemplateSpec",
    "AnalysisTemplateSpecMetricsProvider",
    "AnalysisTemplateSpecMetricsProviderPrometheus",
    "AnalysisTemplateSpecMetricsProviderWeb",
    "ClusterAnalysisTemplate",
    "Metric",
    "MetricProvider",
    "Metrics",
    "PrometheusMetric",
    "WebMetric",
    "argument_names",
    "metric_names",
    "provider_names",
]

#: ``metrics[].provider.prometheus``: a PromQL query.
PrometheusMetric = AnalysisTemplateSpecMetricsProviderPrometheus
#: ``metrics[].provider.web``: an HTTP request whose JSON response is the measurement.
WebMetric = AnalysisTemplateSpecMetricsProviderWeb
#: ``metrics[].provider``: exactly one source of measurements.
MetricProvider = AnalysisTemplateSpecMetricsProvider
#: ``metrics[]``: one measurement an analysis takes, possibly repeatedly.
Metric = Metrics

#: The built-in metric providers (Python field names): a provider sets exactly one, or a plugin.
_PROVIDERS = ("prometheus", "web", "job", "datadog", "new_relic", "wavefront", "kayenta", "cloud_watch", "graphite",
              "influxdb", "skywalking")
#: The limits of a metric (Python field names), each a count that may not be negative.
_LIMITS = ("failure_limit", "inconclusive_limit", "consecutive_error_limit", "consecutive_success_limit")


# =====================================================================================
# Helpers
# =====================================================================================
def provider_names(provider: AnalysisTemplateSpecMetricsProvider) -> list[str]:
    """The providers set (upstream keys; each metric plugin as ``plugin.<name>``)."""
    names = set_fields(provider, _PROVIDERS)
    return names + [f"plugin.{name}" for name in provider.plugin or {}]


def metric_names(template: AnalysisTemplate | ClusterAnalysisTemplate | AnalysisRun) -> list[str]:
    """The names of the metrics, in order."""
    return [m.name for m in template.spec.metrics or []]


def argument_names(template: AnalysisTemplate | ClusterAnalysisTemplate | AnalysisRun) -> list[str]:
    """The arguments the template declares (or the run received)."""
    return [a.name for a in template.spec.args or []]


# =====================================================================================
# Providers
# =====================================================================================
@semantic_check(AnalysisTemplateSpecMetricsProviderPrometheus)
def _check_prometheus(metric: AnalysisTemplateSpecMetricsProviderPrometheus) -> None:
    field_issues(metric, {"timeout": NonNegativeInt}).raise_any("PrometheusMetric")


@semantic_check(AnalysisTemplateSpecMetricsProviderWeb)
def _check_web(metric: AnalysisTemplateSpecMetricsProviderWeb) -> None:
    problems = field_issues(metric, {"method": Literal["GET", "POST", "PUT"], "timeout_seconds": NonNegativeInt})
    json_body_set = "json_body" in metric.model_fields_set
    if metric.body is not None and json_body_set:
        problems.add(("jsonBody",), "body and jsonBody are both set; use only one of them", metric.json_body)
    for key, given in (("body", metric.body is not None), ("jsonBody", json_body_set)):
        if given and (metric.method or "GET") == "GET":
            problems.add((key,), f"{key} is set but method is {metric.method or 'GET (the default)'}; "
                                 "use method POST or PUT to send a body", metric.method)
    problems.raise_any("WebMetric")


@semantic_check(AnalysisTemplateSpecMetricsProvider)
def _check_provider(provider: AnalysisTemplateSpecMetricsProvider) -> None:
    names = provider_names(provider)
    if not names:
        raise ValueError(f"the provider {provider.dump()!r} names no metric source; set exactly one of "
                         f"{', '.join(wire_name(AnalysisTemplateSpecMetricsProvider, n) for n in _PROVIDERS)} or plugin")
    if len(names) > 1:
        raise ValueError(f"the provider sets {len(names)} metric sources ({', '.join(names)}); "
                         "use exactly one provider per metric (add another metric for the other source)")
    job = provider.job
    if job is not None:
        problems = Problems()
        if job.spec is None:
            problems.add(("job", "spec"), "the Job provider has no spec; add job.spec with the Job's pod template", None)
        else:
            as_kube(JobSpec, job.spec, ("job", "spec"), problems)
        problems.raise_any("MetricProvider")


# =====================================================================================
# Metrics and templates
# =====================================================================================
_METRIC_FIELDS: dict[str, Any] = {
    "interval": Duration, "initial_delay": Duration, "count": IntOrTemplate, "failure_limit": IntOrTemplate,
    "inconclusive_limit": IntOrTemplate, "consecutive_error_limit": IntOrTemplate, "consecutive_success_limit": IntOrTemplate,
}


@semantic_check(Metrics)
def _check_metric(metric: Metrics) -> None:
    problems = field_issues(metric, _METRIC_FIELDS)
    if problems:
        problems.raise_any("Metric")
    count = as_int(metric.count)
    limits = {wire_name(Metrics, name): getattr(metric, name) for name in _LIMITS}
    if count is not None and count < 0:
        problems.add(("count",), f"count {metric.count!r} is negative; use 0 (unlimited) or a positive count", metric.count)
    for key, raw in limits.items():
        value = as_int(raw)
        if value is not None and value < 0:
            problems.add((key,), f"{key} {raw!r} is negative; use 0 or a positive integer", raw)
    if count is not None and count > 0:
        for key in list(limits)[:2]:  # failureLimit, inconclusiveLimit
            value = as_int(limits[key])
            if value is not None and count < value:
                problems.add(("count",), f"count {metric.count!r} is below {key} {limits[key]!r}, so the limit can never be reached; "
                                         f"raise count to at least {value} or lower {key}", metric.count)
    if count is not None and count > 1 and metric.interval is None:
        problems.add(("interval",), f"interval is not set, but count is {metric.count!r}; set interval (such as '1m') "
                                    "to space the measurements", None)
    problems.raise_any("Metric")


def _metric_and_argument_issues(spec: AnalysisTemplateSpec | AnalysisRunSpec) -> Issues:
    problems = Issues()
    seen: dict[str, int] = {}
    for i, metric in enumerate(spec.metrics or []):
        if metric.name in seen:
            problems.add(("metrics", i, "name"), f"metric name {metric.name!r} is already used by metrics[{seen[metric.name]}]; "
                                                 "give every metric a distinct name", metric.name)
        seen.setdefault(metric.name, i)
    args: dict[str, int] = {}
    for i, arg in enumerate(spec.args or []):
        if arg.name in args:
            problems.add(("args", i, "name"), f"argument {arg.name!r} is already declared by args[{args[arg.name]}]; "
                                              "declare every argument once", arg.name)
        args.setdefault(arg.name, i)
    return problems


@semantic_check(AnalysisTemplateSpec)
def _check_template_spec(spec: AnalysisTemplateSpec) -> None:
    problems = Issues()
    if not spec.metrics and not spec.templates:
        problems.add(("metrics",), f"metrics is empty ({spec.metrics!r}) and no templates are referenced; add at least one metric",
                     spec.metrics)
    problems.extend((), _metric_and_argument_issues(spec))
    problems.raise_any("AnalysisTemplateSpec")


@semantic_check(AnalysisRunSpec)
def _check_run_spec(spec: AnalysisRunSpec) -> None:
    problems = Issues()
    if not spec.metrics:
        problems.add(("metrics",), f"metrics is empty ({spec.metrics!r}); add at least one metric", spec.metrics)
    problems.extend((), _metric_and_argument_issues(spec))
    problems.raise_any("AnalysisRunSpec")
