"""Prometheus Operator kinds (``monitoring.coreos.com/v1``): ServiceMonitor, PodMonitor, PrometheusRule.

The classes are the generated models of :mod:`cdk8s_gitops.models.monitoring_coreos_com_v1`
(every field typed from the CRD schemas, which also state the duration syntax and the
required ``selector``). This module adds what Prometheus checks beyond them: a relabeling
has what its action needs, ``scrapeTimeout`` is not longer than ``interval``, and rules
are checked as Prometheus checks them when it loads the rule file (``promtool check rules``):

- each rule is either an alerting rule (``alert``) or a recording rule (``record``), not both;
- ``expr`` is valid PromQL (parsed with ``promql-parser``);
- ``for``, ``keep_firing_for``, group ``interval`` and ``query_offset`` are Prometheus durations;
- ``record`` is a metric name; ``alert`` is a non-empty label value;
- label and annotation names are valid; recording rules carry no ``for``,
  ``keep_firing_for`` or annotations; group names are unique and not empty.
"""

from __future__ import annotations

from typing import Any

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models.monitoring_coreos_com_v1 import (
    PodMonitor,
    PodMonitorSpec,
    PodMonitorSpecPodMetricsEndpoints,
    PrometheusRule,
    PrometheusRuleSpec,
    PrometheusRuleSpecGroups,
    PrometheusRuleSpecGroupsRules,
    Relabelings,
    ServiceMonitor,
    ServiceMonitorSpec,
    ServiceMonitorSpecEndpoints,
)
from .promql import (
    check_alert_name,
    check_label_name,
    check_label_value,
    check_metric_name,
    check_prometheus_duration,
    check_promql,
)

__all__ = [
    "PodMonitor",
    "PodMonitorSpec",
    "PrometheusRule",
    "PrometheusRuleSpec",
    "RuleGroup",
    "ScrapeEndpoint",
    "ServiceMonitor",
    "ServiceMonitorSpec",
]

RuleGroup = PrometheusRuleSpecGroups
#: ``spec.endpoints[]`` of a ServiceMonitor: a Service port to scrape (``port``, ``path``, ``interval``).
ScrapeEndpoint = ServiceMonitorSpecEndpoints
"""One ``spec.groups`` entry of a PrometheusRule (the generated class under its short name)."""

_NEEDS_TARGET = {"replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"}


@semantic_check(Relabelings)
def _relabeling(self: Relabelings) -> None:
    action = (self.action or "replace").lower()
    if action in _NEEDS_TARGET and not self.target_label:
        raise ValueError(f"targetLabel: action {action!r} needs targetLabel, got none; set targetLabel "
                         "(or use action 'keep', 'drop', 'labelmap', 'labeldrop' or 'labelkeep')")
    if action == "hashmod" and not self.modulus:
        raise ValueError("modulus: action 'hashmod' needs a positive modulus; set modulus, such as 4")


def _seconds(value: str) -> float:
    return 0.0 if value == "0" else parse_duration(value, allow_days=True)


@semantic_check(ServiceMonitorSpecEndpoints, PodMonitorSpecPodMetricsEndpoints)
def _scrape_endpoint(self: ServiceMonitorSpecEndpoints | PodMonitorSpecPodMetricsEndpoints) -> None:
    issues = Issues()
    for key, value in (("interval", self.interval), ("scrapeTimeout", self.scrape_timeout)):
        if value is not None:
            why = check_prometheus_duration(value, key)
            if why:
                issues.add((key,), why, value)
    if not issues and self.interval and self.scrape_timeout:
        interval, timeout = _seconds(self.interval), _seconds(self.scrape_timeout)
        if interval and timeout > interval:
            issues.add(("scrapeTimeout",), f"scrapeTimeout {self.scrape_timeout!r} is longer than interval "
                                           f"{self.interval!r}; use a timeout no longer than the interval")
    issues.raise_any(type(self).__name__)


@semantic_check(PrometheusRuleSpecGroupsRules)
def _rule(self: PrometheusRuleSpecGroupsRules) -> None:
    issues = Issues()
    if self.alert is not None and self.record is not None:
        issues.add(("record",), f"rule sets both alert {self.alert!r} and record {self.record!r}; "
                                "keep only one (alert for an alerting rule, record for a recording rule)")
    elif self.alert is None and self.record is None:
        issues.add(("alert",), "rule sets neither alert nor record; name the rule with alert (alerting rule) "
                               "or record (recording rule)")
    why = check_promql(str(self.expr))
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
    _check_labels(self.labels, issues)
    for name in self.annotations or {}:
        why = check_label_name(name, "annotation")
        if why:
            issues.add(("annotations", name), why, name)
    issues.raise_any("Rule")


def _check_labels(labels: dict[str, Any] | None, issues: Issues) -> None:
    for name, value in (labels or {}).items():
        why = check_label_name(name) or check_label_value(value, f"label {name!r} value")
        if why:
            issues.add(("labels", name), why, name)


@semantic_check(PrometheusRuleSpecGroups)
def _rule_group(self: PrometheusRuleSpecGroups) -> None:
    issues = Issues()
    if not self.name:
        issues.add(("name",), "rule group name is empty; give every group a name such as 'platform.rules'")
    for key, value in (("interval", self.interval), ("query_offset", self.query_offset)):
        if value is not None:
            why = check_prometheus_duration(value, key)
            if why:
                issues.add((key,), why, value)
    _check_labels(self.labels, issues)
    issues.raise_any("RuleGroup")


@semantic_check(PrometheusRuleSpec)
def _unique_groups(self: PrometheusRuleSpec) -> None:
    issues = Issues()
    seen: set[str] = set()
    for i, group in enumerate(self.groups or []):
        if group.name in seen:
            issues.add(("groups", i, "name"), f"rule group name {group.name!r} is used twice; give each group its "
                                              "own name", group.name)
        seen.add(group.name)
    issues.raise_any("PrometheusRuleSpec")
