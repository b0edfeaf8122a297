"""Prometheus Operator kinds (``monitoring.coreos.com/v1``): ServiceMonitor, PodMonitor, PrometheusRule.

Scrape settings are typed (selectors, endpoints, relabelings, intervals); authentication
and TLS blocks are kept as given. Rules are checked when they are built, as Prometheus
checks them when it loads the rule file (``promtool check rules``):

- each rule is either an alerting rule (``alert``) or a recording rule (``record``), not both;
- ``expr`` is valid PromQL (parsed with ``promql-parser``);
- ``for``, ``keep_firing_for``, group ``interval`` and ``query_offset`` are Prometheus durations;
- ``record`` is a metric name; ``alert`` is a non-empty label value;
- label and annotation names are valid; recording rules carry no ``for``,
  ``keep_firing_for`` or annotations; group names are unique and not empty.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues, warn
from ..core.model import K8sModel, Resource
from ..kube import LabelSelector
from .promql import (
    check_alert_name,
    check_label_name,
    check_label_value,
    check_metric_name,
    check_prometheus_duration,
    check_promql,
)

__all__ = [
    "NamespaceSelector",
    "PodMetricsEndpoint",
    "PodMonitor",
    "PodMonitorSpec",
    "PrometheusRule",
    "PrometheusRuleSpec",
    "RelabelConfig",
    "Rule",
    "RuleGroup",
    "ServiceMonitor",
    "ServiceMonitorEndpoint",
    "ServiceMonitorSpec",
]

ScrapeProtocol = Literal["PrometheusProto", "OpenMetricsText0.0.1", "OpenMetricsText1.0.0",
                         "PrometheusText0.0.4", "PrometheusText1.0.0"]
RelabelAction = Literal["replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod",
                        "labelmap", "LabelMap", "labeldrop", "LabelDrop", "labelkeep", "LabelKeep",
                        "lowercase", "Lowercase", "uppercase", "Uppercase", "keepequal", "KeepEqual",
                        "dropequal", "DropEqual"]
_NEEDS_TARGET = {"replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"}


class NamespaceSelector(K8sModel):
    """``namespaceSelector``: where the monitored Services or Pods live.

    Attributes:
        any: ``any``: every namespace. Default: false.
        match_names: ``matchNames``: these namespaces. Default: none (the monitor's own namespace).
    """

    any: bool | None = None
    match_names: list[str] | None = None


class RelabelConfig(K8sModel):
    """A relabeling step (``relabelings`` / ``metricRelabelings``).

    Attributes:
        action: ``action``. Default: ``replace``.
        source_labels: ``sourceLabels``: labels whose values are joined and matched. Default: none.
        separator: ``separator``: joins the source label values. Default: ``;``.
        regex: ``regex``: RE2 expression matched against the joined value. Default: ``(.*)``.
        target_label: ``targetLabel``: label written; required by replace, hashmod,
            lowercase, uppercase, keepequal and dropequal. Default: none.
        replacement: ``replacement``: written value, may use capture groups. Default: ``$1``.
        modulus: ``modulus``: for ``hashmod`` (required there). Default: none.
    """

    action: RelabelAction | None = None
    source_labels: list[str] | None = None
    separator: str | None = None
    regex: str | None = None
    target_label: str | None = None
    replacement: str | None = None
    modulus: int | None = None

    @model_validator(mode="after")
    def _check_action(self) -> Self:
        action = (self.action or "replace").lower()
        if action in _NEEDS_TARGET and not self.target_label:
            raise ValueError(f"targetLabel: action {action!r} needs targetLabel, got none; set targetLabel "
                             "(or use action 'keep', 'drop', 'labelmap', 'labeldrop' or 'labelkeep')")
        if action == "hashmod" and not self.modulus:
            raise ValueError("modulus: action 'hashmod' needs a positive modulus; set modulus, such as 4")
        return self


class _ScrapeEndpoint(K8sModel):
    """Settings shared by ServiceMonitor and PodMonitor endpoints (see their docstrings)."""

    port: str | None = None
    target_port: int | str | None = None
    path: str | None = None
    scheme: Literal["http", "https", "HTTP", "HTTPS"] | None = None
    params: dict[str, list[str]] | None = None
    interval: str | None = None
    scrape_timeout: str | None = None
    honor_labels: bool | None = None
    honor_timestamps: bool | None = None
    track_timestamps_staleness: bool | None = None
    relabelings: list[RelabelConfig] | None = None
    metric_relabelings: list[RelabelConfig] | None = None
    filter_running: bool | None = None
    follow_redirects: bool | None = None
    enable_http2: bool | None = None
    tls_config: dict[str, Any] | None = None
    authorization: dict[str, Any] | None = None
    basic_auth: dict[str, Any] | None = None
    oauth2: dict[str, Any] | None = None
    bearer_token_secret: dict[str, Any] | None = None
    proxy_url: str | None = None
    no_proxy: str | None = None
    proxy_from_environment: bool | None = None
    proxy_connect_header: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_durations(self) -> Self:
        issues = Issues()
        for key, value in (("interval", self.interval), ("scrapeTimeout", self.scrape_timeout)):
            if value is not None:
                why = check_prometheus_duration(value, key)
                if why:
                    issues.add((key,), why, value)
        if not issues and self.interval and self.scrape_timeout:
            from ..core.units import parse_duration

            interval = parse_duration(self.interval, allow_days=True) if self.interval != "0" else 0
            timeout = parse_duration(self.scrape_timeout, allow_days=True) if self.scrape_timeout != "0" else 0
            if interval and timeout > interval:
                issues.add(("scrapeTimeout",), f"scrapeTimeout {self.scrape_timeout!r} is longer than interval "
                                               f"{self.interval!r}; use a timeout no longer than the interval")
        issues.raise_any(type(self).__name__)
        return self


class ServiceMonitorEndpoint(_ScrapeEndpoint):
    """One ``spec.endpoints`` entry of a ServiceMonitor: how to scrape one Service port.

    Attributes:
        port: ``port``: name of the Service port. Default: none (then ``targetPort``).
        target_port: ``targetPort``: container port name or number behind the Service. Default: none.
        path: ``path``. Default: ``/metrics``.
        scheme: ``scheme``: ``http`` or ``https``. Default: ``http``.
        params: ``params``: URL query parameters. Default: none.
        interval: ``interval``: Prometheus duration. Default: Prometheus' global scrape interval.
        scrape_timeout: ``scrapeTimeout``: at most ``interval``. Default: the global timeout.
        honor_labels: ``honorLabels``. Default: false.
        honor_timestamps: ``honorTimestamps``. Default: true.
        track_timestamps_staleness: ``trackTimestampsStaleness``. Default: false.
        relabelings: ``relabelings``: applied to targets, see :class:`RelabelConfig`. Default: none.
        metric_relabelings: ``metricRelabelings``: applied to samples. Default: none.
        filter_running: ``filterRunning``: drop targets of pods not running. Default: true.
        follow_redirects: ``followRedirects``. Default: true.
        enable_http2: ``enableHttp2``. Default: true.
        tls_config: ``tlsConfig``, kept as given. Default: none.
        authorization: ``authorization``, kept as given. Default: none.
        basic_auth: ``basicAuth``, kept as given. Default: none.
        oauth2: ``oauth2``, kept as given. Default: none.
        bearer_token_secret: ``bearerTokenSecret``, kept as given. Default: none.
        bearer_token_file: ``bearerTokenFile`` (deprecated upstream). Default: none.
        proxy_url: ``proxyUrl``. Default: none.
        no_proxy: ``noProxy``. Default: none.
        proxy_from_environment: ``proxyFromEnvironment``. Default: false.
        proxy_connect_header: ``proxyConnectHeader``, kept as given. Default: none.
    """

    bearer_token_file: str | None = None


class PodMetricsEndpoint(_ScrapeEndpoint):
    """One ``spec.podMetricsEndpoints`` entry of a PodMonitor: how to scrape one container port.

    Attributes:
        port: ``port``: name of the container port. Default: none.
        port_number: ``portNumber``: container port number (at least 1). Default: none.
        target_port: ``targetPort`` (deprecated upstream: use ``port`` or ``portNumber``). Default: none.

    The other fields mean what they mean in :class:`ServiceMonitorEndpoint`.
    """

    port_number: int | None = Field(default=None, ge=1)


class _MonitorSpec(K8sModel):
    """Settings shared by ServiceMonitor and PodMonitor specs (see their docstrings)."""

    selector: LabelSelector | None = None
    namespace_selector: NamespaceSelector | None = None
    job_label: str | None = None
    pod_target_labels: list[str] | None = None
    sample_limit: int | None = None
    target_limit: int | None = None
    label_limit: int | None = None
    label_name_length_limit: int | None = None
    label_value_length_limit: int | None = None
    keep_dropped_targets: int | None = None
    body_size_limit: str | None = None
    scrape_protocols: list[ScrapeProtocol] | None = None
    fallback_scrape_protocol: ScrapeProtocol | None = None
    scrape_classic_histograms: bool | None = None
    scrape_native_histograms: bool | None = None
    convert_classic_histograms_to_nhcb: bool | None = Field(default=None, alias="convertClassicHistogramsToNHCB")
    native_histogram_bucket_limit: int | None = None
    native_histogram_min_bucket_factor: int | float | str | None = None
    attach_metadata: dict[str, Any] | None = None
    scrape_class: str | None = None
    selector_mechanism: Literal["RelabelConfig", "RoleSelector"] | None = None


class ServiceMonitorSpec(_MonitorSpec):
    """``spec`` of a ServiceMonitor: which Services to scrape and how.

    Attributes:
        selector: ``selector``: labels of the Services to scrape (:class:`cdk8s_gitops.kube.LabelSelector`). Required by the v0.89 CRD
            (loaded when missing so that older manifests round-trip; a warning says so).
        endpoints: ``endpoints``: see :class:`ServiceMonitorEndpoint`. Required.
        namespace_selector: ``namespaceSelector``: see :class:`NamespaceSelector`. Default: own namespace.
        job_label: ``jobLabel``: Service label whose value becomes the ``job`` label. Default: the Service name.
        target_labels: ``targetLabels``: Service labels copied onto the samples. Default: none.
        pod_target_labels: ``podTargetLabels``: Pod labels copied onto the samples. Default: none.
        sample_limit: ``sampleLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        target_limit: ``targetLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        label_limit: ``labelLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        label_name_length_limit: ``labelNameLengthLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        label_value_length_limit: ``labelValueLengthLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        keep_dropped_targets: ``keepDroppedTargets``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        body_size_limit: ``bodySizeLimit``: a per-scrape limit. Default: Prometheus' (unlimited unless configured there).
        scrape_protocols: ``scrapeProtocols``. Default: Prometheus' negotiation order.
        fallback_scrape_protocol: ``fallbackScrapeProtocol``. Default: Prometheus'.
        scrape_classic_histograms: ``scrapeClassicHistograms``: histogram handling. Default: Prometheus'.
        scrape_native_histograms: ``scrapeNativeHistograms``: histogram handling. Default: Prometheus'.
        convert_classic_histograms_to_nhcb: ``convertClassicHistogramsToNHCB``: histogram handling. Default: Prometheus'.
        native_histogram_bucket_limit: ``nativeHistogramBucketLimit``: histogram handling. Default: Prometheus'.
        native_histogram_min_bucket_factor: ``nativeHistogramMinBucketFactor``: histogram handling. Default: Prometheus'.
        attach_metadata: ``attachMetadata``, kept as given. Default: none.
        scrape_class: ``scrapeClass``: a scrape class of the Prometheus object. Default: its default class.
        selector_mechanism: ``selectorMechanism``. Default: ``RelabelConfig``.
        service_discovery_role: ``serviceDiscoveryRole``: ``Endpoints`` or ``EndpointSlice``.
            Default: the Prometheus object's setting.
    """

    endpoints: list[ServiceMonitorEndpoint]
    target_labels: list[str] | None = None
    service_discovery_role: Literal["Endpoints", "EndpointSlice"] | None = None


class PodMonitorSpec(_MonitorSpec):
    """``spec`` of a PodMonitor: which Pods to scrape and how.

    Attributes:
        selector: ``selector``: labels of the Pods to scrape (:class:`cdk8s_gitops.kube.LabelSelector`). Required by the v0.89 CRD
            (loaded when missing so that older manifests round-trip; a warning says so).
        pod_metrics_endpoints: ``podMetricsEndpoints``: see :class:`PodMetricsEndpoint`. Default: none.

    The other fields mean what they mean in :class:`ServiceMonitorSpec`.
    """

    pod_metrics_endpoints: list[PodMetricsEndpoint] | None = None


class _Monitor(Resource):
    @model_validator(mode="after")
    def _warn_selector(self) -> Self:
        spec = getattr(self, "spec", None)
        if spec is not None and spec.selector is None:
            target = "Services" if self.KIND == "ServiceMonitor" else "Pods"
            warn(self.describe() if self.name else f"{self.KIND} (unnamed)", "spec.selector", f"no selector is set, which the monitoring.coreos.com/v1 CRD "
                                                   f"requires (v0.89); set spec.selector.matchLabels to the labels of the "
                                                   f"{target} to scrape")
        return self


class ServiceMonitor(_Monitor):
    """A ``monitoring.coreos.com/v1`` ServiceMonitor: Prometheus scrapes the selected Services.

    Attributes:
        spec: ``spec``: see :class:`ServiceMonitorSpec`. Required.
    """

    KIND: ClassVar[str] = "ServiceMonitor"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("monitoring.coreos.com/v1",)

    spec: ServiceMonitorSpec


class PodMonitor(_Monitor):
    """A ``monitoring.coreos.com/v1`` PodMonitor: Prometheus scrapes the selected Pods.

    Attributes:
        spec: ``spec``: see :class:`PodMonitorSpec`. Required.
    """

    KIND: ClassVar[str] = "PodMonitor"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("monitoring.coreos.com/v1",)

    spec: PodMonitorSpec


class Rule(K8sModel):
    """One alerting or recording rule.

    Attributes:
        alert: ``alert``: alert name (an alerting rule). Exactly one of ``alert`` and ``record``.
        record: ``record``: metric name the result is stored as (a recording rule).
        expr: ``expr``: PromQL expression (an integer is read as a number literal). Required.
        for_: ``for``: how long the condition must hold before the alert fires (alerting
            rules only). Default: 0 (fires at once).
        keep_firing_for: ``keep_firing_for``: how long the alert keeps firing after the
            condition clears (alerting rules only). Default: 0.
        labels: ``labels``: labels added to the alert or series. Default: none.
        annotations: ``annotations``: alert annotations, Go templates (alerting rules only). Default: none.
    """

    alert: str | None = None
    record: str | None = None
    expr: int | str
    for_: str | None = None
    keep_firing_for: str | None = Field(default=None, alias="keep_firing_for")
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    @model_validator(mode="after")
    def _check_rule(self) -> Self:
        issues = Issues()
        if self.alert is not None and self.record is not None:
            issues.add(("record",), f"rule sets both alert {self.alert!r} and record {self.record!r}; "
                                    "keep only one (alert for an alerting rule, record for a recording rule)")
        elif self.alert is None and self.record is None:
            issues.add(("alert",), "rule sets neither alert nor record; name the rule with alert (alerting rule) "
                                   "or record (recording rule)")
        why = check_promql(self.expr)
        if why:
            issues.add(("expr",), why, self.expr)
        if self.alert is not None:
            why = check_alert_name(self.alert)
            if why:
                issues.add(("alert",), why, self.alert)
        if self.record is not None:
            why = check_metric_name(self.record)
            if why:
                issues.add(("record",), why, self.record)
            for key, value in (("for", self.for_), ("keep_firing_for", self.keep_firing_for)):
                if value is not None and not check_prometheus_duration(value, key) and _seconds(value) > 0:
                    issues.add((key,), f"recording rule {self.record!r} sets {key} {value!r}, which only alerting "
                                       f"rules take; remove {key}")
            if self.annotations:
                issues.add(("annotations",), f"recording rule {self.record!r} sets annotations, which only alerting "
                                             "rules take; remove annotations")
        for key, value in (("for", self.for_), ("keep_firing_for", self.keep_firing_for)):
            if value is not None:
                why = check_prometheus_duration(value, key)
                if why:
                    issues.add((key,), why, value)
        for name, value in (self.labels or {}).items():
            why = check_label_name(name) or check_label_value(value, f"label {name!r} value")
            if why:
                issues.add(("labels", name), why, name)
        for name in self.annotations or {}:
            why = check_label_name(name, "annotation")
            if why:
                issues.add(("annotations", name), why, name)
        issues.raise_any("Rule")
        return self


def _seconds(value: str) -> float:
    from ..core.units import parse_duration

    return 0.0 if value == "0" else parse_duration(value, allow_days=True)


class RuleGroup(K8sModel):
    """A group of rules evaluated together.

    Attributes:
        name: ``name``: unique in the PrometheusRule. Required.
        interval: ``interval``: evaluation interval (Prometheus duration). Default: the global one.
        query_offset: ``query_offset``: evaluation time offset. Default: none (Prometheus >= 2.53).
        limit: ``limit``: most alerts or series a rule may produce. Default: 0 (no limit).
        partial_response_strategy: ``partial_response_strategy``: Thanos Ruler only,
            ``abort`` or ``warn``. Default: none.
        labels: ``labels``: labels added to every rule's output (Prometheus >= 3.0). Default: none.
        rules: ``rules``: see :class:`Rule`. Default: none.
    """

    name: str
    interval: str | None = None
    query_offset: str | None = Field(default=None, alias="query_offset")
    limit: int | None = None
    partial_response_strategy: str | None = Field(default=None, alias="partial_response_strategy")
    labels: dict[str, str] | None = None
    rules: list[Rule] | None = None

    @model_validator(mode="after")
    def _check_group(self) -> Self:
        issues = Issues()
        if not self.name:
            issues.add(("name",), "rule group name is empty; give every group a name such as 'platform.rules'")
        for key, value in (("interval", self.interval), ("query_offset", self.query_offset)):
            if value is not None:
                why = check_prometheus_duration(value, key)
                if why:
                    issues.add((key,), why, value)
        if self.partial_response_strategy is not None and self.partial_response_strategy.lower() not in ("", "abort", "warn"):
            issues.add(("partial_response_strategy",), f"partial_response_strategy {self.partial_response_strategy!r} is "
                                                       "not known; use 'abort' or 'warn'")
        for name, value in (self.labels or {}).items():
            why = check_label_name(name) or check_label_value(value, f"label {name!r} value")
            if why:
                issues.add(("labels", name), why, name)
        issues.raise_any("RuleGroup")
        return self


class PrometheusRuleSpec(K8sModel):
    """``spec`` of a PrometheusRule.

    Attributes:
        groups: ``groups``: see :class:`RuleGroup`; names must be unique. Default: none.
    """

    groups: list[RuleGroup] | None = None

    @model_validator(mode="after")
    def _unique_groups(self) -> Self:
        issues = Issues()
        seen: set[str] = set()
        for i, group in enumerate(self.groups or []):
            if group.name in seen:
                issues.add(("groups", i, "name"), f"rule group name {group.name!r} is used twice; give each group its "
                                                  "own name", group.name)
            seen.add(group.name)
        issues.raise_any("PrometheusRuleSpec")
        return self


class PrometheusRule(Resource):
    """A ``monitoring.coreos.com/v1`` PrometheusRule: alerting and recording rules for Prometheus.

    Attributes:
        spec: ``spec``: see :class:`PrometheusRuleSpec`. Required.
    """

    KIND: ClassVar[str] = "PrometheusRule"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("monitoring.coreos.com/v1",)

    spec: PrometheusRuleSpec
