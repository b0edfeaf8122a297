"""Autoscaling API group (``autoscaling/v2``): HorizontalPodAutoscaler on the generated models.

The classes are those of :mod:`cdk8s_gitops.models.autoscaling_v2` (``autoscaling/v1`` is
still served but has a different, CPU-only shape that nothing here writes). The semantic
checks here refuse a metric whose source does not match its type, a target without the
value its type needs, scaling windows above upstream's limits, and minReplicas above
maxReplicas.
"""

from __future__ import annotations

from ..core.fields import Issues, set_fields, wire_name
from ..core.schema import semantic_check
from ..models.autoscaling_v2 import (
    ContainerResourceMetricSource,
    CrossVersionObjectReference,
    ExternalMetricSource,
    HorizontalPodAutoscaler,
    HorizontalPodAutoscalerBehavior,
    HorizontalPodAutoscalerSpec,
    HPAScalingPolicy,
    HPAScalingRules,
    MetricIdentifier,
    MetricSpec,
    MetricTarget,
    ObjectMetricSource,
    PodsMetricSource,
    ResourceMetricSource,
)
from ._checks import NON_NEGATIVE, POSITIVE, QUANTITY, require, value_rules

__all__ = [
    "ContainerResourceMetricSource",
    "CrossVersionObjectReference",
    "ExternalMetricSource",
    "HPAScalingPolicy",
    "HPAScalingRules",
    "HorizontalPodAutoscaler",
    "HorizontalPodAutoscalerBehavior",
    "HorizontalPodAutoscalerSpec",
    "MetricIdentifier",
    "MetricSpec",
    "MetricTarget",
    "ObjectMetricSource",
    "PodsMetricSource",
    "ResourceMetricSource",
]

require(HorizontalPodAutoscaler, "spec")

value_rules(MetricTarget, average_utilization=POSITIVE, average_value=QUANTITY, value=QUANTITY)
value_rules(HPAScalingPolicy, period_seconds=POSITIVE, value=POSITIVE)
value_rules(HPAScalingRules, stabilization_window_seconds=NON_NEGATIVE, tolerance=QUANTITY)
value_rules(HorizontalPodAutoscalerSpec, max_replicas=POSITIVE, min_replicas=POSITIVE)


@semantic_check(MetricTarget)
def _target_value(target: MetricTarget) -> None:
    wire, value = {"Utilization": ("averageUtilization", target.average_utilization),
                   "Value": ("value", target.value), "AverageValue": ("averageValue", target.average_value)}[target.type]
    if value is None:
        raise ValueError(f"target type {target.type!r} has no {wire}; set {wire}")


#: The source field (Python name) each metric ``type`` needs.
_SOURCE_FIELD = {"Resource": "resource", "ContainerResource": "container_resource", "Pods": "pods",
                 "Object": "object", "External": "external"}


@semantic_check(MetricSpec)
def _metric_source(metric: MetricSpec) -> None:
    given = set_fields(metric, tuple(_SOURCE_FIELD.values()))
    wanted = wire_name(MetricSpec, _SOURCE_FIELD[metric.type])
    others = [k for k in given if k != wanted]
    if wanted not in given:
        raise ValueError(f"metric type {metric.type!r} has no {wanted!r} source; add {wanted} or change type")
    if others:
        raise ValueError(f"metric type {metric.type!r} also sets {', '.join(others)}; remove the sources that do not match the type")


@semantic_check(HPAScalingPolicy)
def _policy_period(policy: HPAScalingPolicy) -> None:
    if policy.period_seconds > 1800:
        issues = Issues()
        issues.add(("periodSeconds",), f"periodSeconds {policy.period_seconds} is above 1800; use at most 1800 (30 minutes)",
                   policy.period_seconds)
        issues.raise_any("HPAScalingPolicy")


@semantic_check(HPAScalingRules)
def _rules_window(rules: HPAScalingRules) -> None:
    if rules.stabilization_window_seconds is not None and rules.stabilization_window_seconds > 3600:
        issues = Issues()
        issues.add(("stabilizationWindowSeconds",), f"stabilizationWindowSeconds {rules.stabilization_window_seconds} is above 3600; "
                                                    f"use at most 3600 (one hour)", rules.stabilization_window_seconds)
        issues.raise_any("HPAScalingRules")


@semantic_check(HorizontalPodAutoscalerSpec)
def _replica_bounds(spec: HorizontalPodAutoscalerSpec) -> None:
    if spec.min_replicas is not None and spec.min_replicas > spec.max_replicas:
        issues = Issues()
        issues.add(("minReplicas",), f"minReplicas {spec.min_replicas} is above maxReplicas {spec.max_replicas}; "
                                     f"make minReplicas at most maxReplicas", spec.min_replicas)
        issues.raise_any("HorizontalPodAutoscalerSpec")
