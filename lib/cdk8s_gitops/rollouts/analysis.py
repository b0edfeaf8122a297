"""``argoproj.io/v1alpha1`` AnalysisTemplate and ClusterAnalysisTemplate: metrics and their providers.

The Prometheus, web and Kubernetes Job providers are typed; the other providers (Datadog,
New Relic, Wavefront, Kayenta, CloudWatch, Graphite, InfluxDB, SkyWalking, metric
plugins) are kept as given.

Argo Rollouts' metric validation is reproduced: at least one metric (or template
reference), unique metric names, exactly one provider per metric, ``count`` not below
``failureLimit`` or ``inconclusiveLimit``, an ``interval`` when ``count`` is above 1,
valid durations, and limits that are not negative. Values written as argument
placeholders (``{{args.count}}``) are checked when the analysis runs, not here.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import model_validator

from ..core.fields import Issues, NonNegativeInt
from ..core.model import K8sModel, Resource
from ..kube import JobSpec
from ._types import Duration, IntOrTemplate, as_int
from .common import AnalysisTemplateRef, Argument, DryRun, MeasurementRetention, PodMetadata

__all__ = [
    "AnalysisTemplate",
    "AnalysisTemplateSpec",
    "ClusterAnalysisTemplate",
    "JobMetric",
    "Metric",
    "MetricAuthentication",
    "MetricProvider",
    "OAuth2Config",
    "PrometheusMetric",
    "PrometheusRangeQuery",
    "Sigv4Config",
    "WebMetric",
    "WebMetricHeader",
]


# =====================================================================================
# Providers
# =====================================================================================
class WebMetricHeader(K8sModel):
    """An HTTP header sent with a metric query.

    Attributes:
        key: ``key``: the header name. Required.
        value: ``value``. Required.
    """

    key: str
    value: str


class Sigv4Config(K8sModel):
    """AWS SigV4 request signing (Amazon Managed Prometheus).

    Attributes:
        region: ``region``. Default: none.
        profile: ``profile``. Default: none.
        role_arn: ``roleArn``. Default: none.
    """

    region: str | None = None
    profile: str | None = None
    role_arn: str | None = None


class OAuth2Config(K8sModel):
    """OAuth2 client-credentials authentication.

    Attributes:
        token_url: ``tokenUrl``. Default: none.
        client_id: ``clientId``. Default: none.
        client_secret: ``clientSecret`` (use an argument from a Secret, never a literal). Default: none.
        scopes: ``scopes``. Default: none.
    """

    token_url: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    scopes: list[str] | None = None


class MetricAuthentication(K8sModel):
    """``authentication`` of a Prometheus or web metric.

    Attributes:
        sigv4: ``sigv4``. Default: none.
        oauth2: ``oauth2``. Default: none.
    """

    sigv4: Sigv4Config | None = None
    oauth2: OAuth2Config | None = None


class PrometheusRangeQuery(K8sModel):
    """A range query instead of an instant query.

    Attributes:
        start: ``start``: an expression such as ``now() - duration('5m')``. Default: none.
        end: ``end``. Default: none.
        step: ``step``: resolution (``1m``). Default: none.
    """

    start: str | None = None
    end: str | None = None
    step: str | None = None


class PrometheusMetric(K8sModel):
    """``provider.prometheus``: a PromQL query.

    Attributes:
        address: ``address`` of the Prometheus server. Default: none (the controller's default, if configured).
        query: ``query``: PromQL, may use ``{{args.<name>}}``. Default: none (upstream: effectively required).
        timeout: ``timeout`` in seconds. Default: none (upstream: 30).
        insecure: ``insecure``: skip TLS verification. Default: none (upstream: false).
        headers: ``headers``. Default: none.
        authentication: ``authentication``. Default: none.
        range_query: ``rangeQuery``. Default: none (an instant query).
    """

    address: str | None = None
    query: str | None = None
    timeout: NonNegativeInt | None = None
    insecure: bool | None = None
    headers: list[WebMetricHeader] | None = None
    authentication: MetricAuthentication | None = None
    range_query: PrometheusRangeQuery | None = None


class WebMetric(K8sModel):
    """``provider.web``: an HTTP request whose JSON response is the measurement.

    Attributes:
        url: ``url``. Required.
        method: ``method``: ``GET``, ``POST`` or ``PUT``. Default: none (upstream: ``GET``).
        headers: ``headers``. Default: none.
        body: ``body``: a request body as text (POST and PUT only). Default: none.
        json_body: ``jsonBody``: a request body as JSON (POST and PUT only), kept as given. Default: none.
        timeout_seconds: ``timeoutSeconds``. Default: none (upstream: 10).
        json_path: ``jsonPath``: the part of the response that is the result (``{$.data.ok}``). Default: none (the whole body).
        insecure: ``insecure``: skip TLS verification. Default: none (upstream: false).
        authentication: ``authentication``. Default: none.
    """

    url: str
    method: Literal["GET", "POST", "PUT"] | None = None
    headers: list[WebMetricHeader] | None = None
    body: str | None = None
    json_body: Any = None
    timeout_seconds: NonNegativeInt | None = None
    json_path: str | None = None
    insecure: bool | None = None
    authentication: MetricAuthentication | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        if self.body is not None and "json_body" in self.model_fields_set:
            problems.add(("jsonBody",), "body and jsonBody are both set; use only one of them", self.json_body)
        for key, given in (("body", self.body is not None), ("jsonBody", "json_body" in self.model_fields_set)):
            if given and (self.method or "GET") == "GET":
                problems.add((key,), f"{key} is set but method is {self.method or 'GET (the default)'}; "
                                     "use method POST or PUT to send a body", self.method)
        problems.raise_any("WebMetric")
        return self


class JobMetric(K8sModel):
    """``provider.job``: a Kubernetes Job whose success or failure is the measurement.

    Attributes:
        metadata: ``metadata``: labels and annotations of the Job. Default: none.
        spec: ``spec``: a ``batch/v1`` JobSpec (:class:`cdk8s_gitops.kube.JobSpec`; pods use restartPolicy
            ``Never`` or ``OnFailure``). Required.
    """

    metadata: PodMetadata | None = None
    spec: JobSpec


_OTHER_PROVIDERS = {"datadog": "datadog", "newRelic": "new_relic", "wavefront": "wavefront", "kayenta": "kayenta",
                    "cloudWatch": "cloud_watch", "graphite": "graphite", "influxdb": "influxdb", "skywalking": "skywalking"}


class MetricProvider(K8sModel):
    """``metrics[].provider``: exactly one source of measurements.

    Attributes:
        prometheus: ``prometheus``: see :class:`PrometheusMetric`. Default: none.
        web: ``web``: see :class:`WebMetric`. Default: none.
        job: ``job``: see :class:`JobMetric`. Default: none.
        datadog: ``datadog``, kept as given. Default: none.
        new_relic: ``newRelic``, kept as given. Default: none.
        wavefront: ``wavefront``, kept as given. Default: none.
        kayenta: ``kayenta``, kept as given. Default: none.
        cloud_watch: ``cloudWatch``, kept as given. Default: none.
        graphite: ``graphite``, kept as given. Default: none.
        influxdb: ``influxdb``, kept as given. Default: none.
        skywalking: ``skywalking``, kept as given. Default: none.
        plugin: ``plugin``: metric plugins by name, each config kept as given. Default: none.
    """

    prometheus: PrometheusMetric | None = None
    web: WebMetric | None = None
    job: JobMetric | None = None
    datadog: dict[str, Any] | None = None
    new_relic: dict[str, Any] | None = None
    wavefront: dict[str, Any] | None = None
    kayenta: dict[str, Any] | None = None
    cloud_watch: dict[str, Any] | None = None
    graphite: dict[str, Any] | None = None
    influxdb: dict[str, Any] | None = None
    skywalking: dict[str, Any] | None = None
    plugin: dict[str, Any] | None = None

    def names(self) -> list[str]:
        """The providers set (upstream keys; each metric plugin as ``plugin.<name>``)."""
        names = [k for k in ("prometheus", "web", "job") if getattr(self, k) is not None]
        names += [key for key, attr in _OTHER_PROVIDERS.items() if getattr(self, attr) is not None]
        names += [f"plugin.{name}" for name in self.plugin or {}]
        return names

    @model_validator(mode="after")
    def _check(self) -> Self:
        names = self.names()
        if not names:
            raise ValueError(f"the provider {self.dump()!r} names no metric source; set exactly one of prometheus, web, job, "
                             f"{', '.join(_OTHER_PROVIDERS)} or plugin")
        if len(names) > 1:
            raise ValueError(f"the provider sets {len(names)} metric sources ({', '.join(names)}); "
                             "use exactly one provider per metric (add another metric for the other source)")
        return self


# =====================================================================================
# Metrics and templates
# =====================================================================================
class Metric(K8sModel):
    """One measurement an analysis takes, possibly repeatedly.

    ``count``, ``failureLimit``, ``inconclusiveLimit`` and ``consecutiveErrorLimit`` accept an
    integer or an argument placeholder (``{{args.count}}``).

    Attributes:
        name: ``name``: unique within the template. Required.
        provider: ``provider``: see :class:`MetricProvider`. Required.
        interval: ``interval`` between measurements (Go duration). Default: none (measure once). Required when count > 1.
        initial_delay: ``initialDelay`` before the first measurement. Default: none.
        count: ``count``: measurements to take. Default: none (upstream: 1 without interval, unlimited with one).
        success_condition: ``successCondition``: an expression over ``result``. Default: none.
        failure_condition: ``failureCondition``: an expression over ``result``. Default: none.
        failure_limit: ``failureLimit``: failed measurements tolerated. Default: none (upstream: 0).
        inconclusive_limit: ``inconclusiveLimit``: inconclusive measurements tolerated. Default: none (upstream: 0).
        consecutive_error_limit: ``consecutiveErrorLimit``: errors in a row tolerated. Default: none (upstream: 4).
        consecutive_success_limit: ``consecutiveSuccessLimit``: successes in a row that end the metric. Default: none.
    """

    name: str
    provider: MetricProvider
    interval: Duration | None = None
    initial_delay: Duration | None = None
    count: IntOrTemplate | None = None
    success_condition: str | None = None
    failure_condition: str | None = None
    failure_limit: IntOrTemplate | None = None
    inconclusive_limit: IntOrTemplate | None = None
    consecutive_error_limit: IntOrTemplate | None = None
    consecutive_success_limit: IntOrTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        count = as_int(self.count)
        limits = {
            "failureLimit": self.failure_limit,
            "inconclusiveLimit": self.inconclusive_limit,
            "consecutiveErrorLimit": self.consecutive_error_limit,
            "consecutiveSuccessLimit": self.consecutive_success_limit,
        }
        if count is not None and count < 0:
            problems.add(("count",), f"count {self.count!r} is negative; use 0 (unlimited) or a positive count", self.count)
        for key, raw in limits.items():
            value = as_int(raw)
            if value is not None and value < 0:
                problems.add((key,), f"{key} {raw!r} is negative; use 0 or a positive integer", raw)
        if count is not None and count > 0:
            for key in ("failureLimit", "inconclusiveLimit"):
                value = as_int(limits[key])
                if value is not None and count < value:
                    problems.add(("count",), f"count {self.count!r} is below {key} {limits[key]!r}, so the limit can never be reached; "
                                             f"raise count to at least {value} or lower {key}", self.count)
        if count is not None and count > 1 and self.interval is None:
            problems.add(("interval",), f"interval is not set, but count is {self.count!r}; set interval (such as '1m') "
                                        "to space the measurements", None)
        problems.raise_any("Metric")
        return self


class AnalysisTemplateSpec(K8sModel):
    """``spec`` of an AnalysisTemplate or ClusterAnalysisTemplate.

    Attributes:
        metrics: ``metrics``: names unique. Default: none (then ``templates`` must be set).
        args: ``args`` the metrics use as ``{{args.<name>}}``. Default: none.
        dry_run: ``dryRun``: metrics that never fail the analysis. Default: none.
        measurement_retention: ``measurementRetention``. Default: none.
        templates: ``templates``: other templates whose metrics are included. Default: none.
    """

    metrics: list[Metric] | None = None
    args: list[Argument] | None = None
    dry_run: list[DryRun] | None = None
    measurement_retention: list[MeasurementRetention] | None = None
    templates: list[AnalysisTemplateRef] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        if not self.metrics and not self.templates:
            problems.add(("metrics",), f"metrics is empty ({self.metrics!r}) and no templates are referenced; add at least one metric",
                         self.metrics)
        seen: dict[str, int] = {}
        for i, metric in enumerate(self.metrics or []):
            if metric.name in seen:
                problems.add(("metrics", i, "name"), f"metric name {metric.name!r} is already used by metrics[{seen[metric.name]}]; "
                                                     "give every metric a distinct name", metric.name)
            seen.setdefault(metric.name, i)
        args: dict[str, int] = {}
        for i, arg in enumerate(self.args or []):
            if arg.name in args:
                problems.add(("args", i, "name"), f"argument {arg.name!r} is already declared by args[{args[arg.name]}]; "
                                                  "declare every argument once", arg.name)
            args.setdefault(arg.name, i)
        problems.raise_any("AnalysisTemplateSpec")
        return self


class _AnalysisTemplateBase(Resource):
    """What AnalysisTemplate and ClusterAnalysisTemplate share (not a kind itself)."""

    spec: AnalysisTemplateSpec

    def metric_names(self) -> list[str]:
        """The names of the metrics, in order."""
        return [m.name for m in self.spec.metrics or []]

    def argument_names(self) -> list[str]:
        """The arguments the template declares."""
        return [a.name for a in self.spec.args or []]


class AnalysisTemplate(_AnalysisTemplateBase):
    """An ``AnalysisTemplate`` (``argoproj.io/v1alpha1``): how to judge a new version, in one namespace.

    Attributes:
        spec: ``spec``: see :class:`AnalysisTemplateSpec`. Required.
    """

    KIND: ClassVar[str] = "AnalysisTemplate"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)


class ClusterAnalysisTemplate(_AnalysisTemplateBase):
    """A ``ClusterAnalysisTemplate`` (``argoproj.io/v1alpha1``): an AnalysisTemplate usable from every namespace.

    Referenced with ``clusterScope: true``.

    Attributes:
        spec: ``spec``: see :class:`AnalysisTemplateSpec`. Required.
    """

    KIND: ClassVar[str] = "ClusterAnalysisTemplate"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)
    NAMESPACED: ClassVar[bool] = False
