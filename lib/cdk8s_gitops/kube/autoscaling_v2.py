"""Autoscaling API group (``autoscaling/v2``): HorizontalPodAutoscaler.

Only ``autoscaling/v2`` is modelled: ``autoscaling/v1`` is still served but has a
different, CPU-only shape that nothing here writes.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import model_validator

from ..core.fields import Issues, NonNegativeInt, PositiveInt, Quantity
from ..core.model import K8sModel, Resource
from .core_v1 import LabelSelector

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


class CrossVersionObjectReference(K8sModel):
    """The object scaled (or described by an Object metric).

    Attributes:
        api_version: ``apiVersion`` of the target (``apps/v1``, ``argoproj.io/v1alpha1``). Default: none.
        kind: ``kind`` of the target (``Deployment``, ``Rollout``). Required.
        name: ``name`` of the target. Required.
    """

    api_version: str | None = None
    kind: str
    name: str


class MetricTarget(K8sModel):
    """The value a metric is steered towards.

    Attributes:
        average_utilization: ``averageUtilization``: percent of the pods' requests (type ``Utilization``). Default: none.
        average_value: ``averageValue`` per pod (type ``AverageValue``). Default: none.
        type: ``type``: ``Utilization``, ``Value`` or ``AverageValue``. Required.
        value: ``value`` in total (type ``Value``). Default: none.
    """

    average_utilization: PositiveInt | None = None
    average_value: Quantity | None = None
    type: Literal["Utilization", "Value", "AverageValue"]
    value: Quantity | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        needed = {"Utilization": ("averageUtilization", self.average_utilization),
                  "Value": ("value", self.value), "AverageValue": ("averageValue", self.average_value)}[self.type]
        if needed[1] is None:
            raise ValueError(f"target type {self.type!r} has no {needed[0]}; set {needed[0]}")
        return self


class MetricIdentifier(K8sModel):
    """A metric by name and labels.

    Attributes:
        name: ``name`` of the metric. Required.
        selector: ``selector`` on the metric's labels. Default: none.
    """

    name: str
    selector: LabelSelector | None = None


class ResourceMetricSource(K8sModel):
    """CPU or memory of the pods (``type: Resource``).

    Attributes:
        name: ``name`` of the resource (``cpu``, ``memory``). Required.
        target: ``target``. Required.
    """

    name: str
    target: MetricTarget


class ContainerResourceMetricSource(K8sModel):
    """CPU or memory of one container in each pod (``type: ContainerResource``).

    Attributes:
        container: ``container`` name. Required.
        name: ``name`` of the resource. Required.
        target: ``target``. Required.
    """

    container: str
    name: str
    target: MetricTarget


class PodsMetricSource(K8sModel):
    """A custom metric averaged over the pods (``type: Pods``).

    Attributes:
        metric: ``metric``. Required.
        target: ``target`` (AverageValue). Required.
    """

    metric: MetricIdentifier
    target: MetricTarget


class ObjectMetricSource(K8sModel):
    """A metric of another object, such as an Ingress (``type: Object``).

    Attributes:
        described_object: ``describedObject``. Required.
        metric: ``metric``. Required.
        target: ``target``. Required.
    """

    described_object: CrossVersionObjectReference
    metric: MetricIdentifier
    target: MetricTarget


class ExternalMetricSource(K8sModel):
    """A metric from outside the cluster (``type: External``).

    Attributes:
        metric: ``metric``. Required.
        target: ``target``. Required.
    """

    metric: MetricIdentifier
    target: MetricTarget


_SOURCE_FIELD = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
                 "Object": "object", "External": "external"}


class MetricSpec(K8sModel):
    """One metric the autoscaler follows: a type and the source of that type.

    Attributes:
        container_resource: ``containerResource``. Default: none.
        external: ``external``. Default: none.
        object: ``object``. Default: none.
        pods: ``pods``. Default: none.
        resource: ``resource``. Default: none.
        type: ``type``: ``Resource``, ``ContainerResource``, ``Pods``, ``Object`` or ``External``. Required.
    """

    container_resource: ContainerResourceMetricSource | None = None
    external: ExternalMetricSource | None = None
    object: ObjectMetricSource | None = None
    pods: PodsMetricSource | None = None
    resource: ResourceMetricSource | None = None
    type: Literal["Resource", "ContainerResource", "Pods", "Object", "External"]

    @model_validator(mode="after")
    def _check(self) -> Self:
        values = {"resource": self.resource, "containerResource": self.container_resource, "pods": self.pods,
                  "object": self.object, "external": self.external}
        wanted = _SOURCE_FIELD[self.type]
        others = [k for k, v in values.items() if v is not None and k != wanted]
        if values[wanted] is None:
            raise ValueError(f"metric type {self.type!r} has no {wanted!r} source; add {wanted} or change type")
        if others:
            raise ValueError(f"metric type {self.type!r} also sets {', '.join(others)}; remove the sources that do not match the type")
        return self


class HPAScalingPolicy(K8sModel):
    """How much the replica count may change in one period.

    Attributes:
        period_seconds: ``periodSeconds`` the policy looks back, 1-1800. Required.
        type: ``type``: ``Pods`` or ``Percent``. Required.
        value: ``value``: pods or percent, > 0. Required.
    """

    period_seconds: PositiveInt
    type: Literal["Pods", "Percent"]
    value: PositiveInt

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.period_seconds > 1800:
            issues = Issues()
            issues.add(("periodSeconds",), f"periodSeconds {self.period_seconds} is above 1800; use at most 1800 (30 minutes)",
                       self.period_seconds)
            issues.raise_any("HPAScalingPolicy")
        return self


class HPAScalingRules(K8sModel):
    """Scaling rules for one direction.

    Attributes:
        policies: ``policies``. Default: none (upstream: up 100% or 4 pods per 15s; down 100% per 15s).
        select_policy: ``selectPolicy``: ``Max``, ``Min`` or ``Disabled``. Default: none (upstream: ``Max``).
        stabilization_window_seconds: ``stabilizationWindowSeconds``, 0-3600. Default: none (upstream: 0 up, 300 down).
        tolerance: ``tolerance``: ignored relative change (HPAConfigurableTolerance). Default: none (upstream: 0.1).
    """

    policies: list[HPAScalingPolicy] | None = None
    select_policy: Literal["Max", "Min", "Disabled"] | None = None
    stabilization_window_seconds: NonNegativeInt | None = None
    tolerance: Quantity | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.stabilization_window_seconds is not None and self.stabilization_window_seconds > 3600:
            issues = Issues()
            issues.add(("stabilizationWindowSeconds",), f"stabilizationWindowSeconds {self.stabilization_window_seconds} is above 3600; "
                                                        f"use at most 3600 (one hour)", self.stabilization_window_seconds)
            issues.raise_any("HPAScalingRules")
        return self


class HorizontalPodAutoscalerBehavior(K8sModel):
    """Scaling speed limits.

    Attributes:
        scale_down: ``scaleDown``. Default: none (upstream: 300s window, 100% per 15s).
        scale_up: ``scaleUp``. Default: none (upstream: no window, max of 100% or 4 pods per 15s).
    """

    scale_down: HPAScalingRules | None = None
    scale_up: HPAScalingRules | None = None


class HorizontalPodAutoscalerSpec(K8sModel):
    """Desired state of a HorizontalPodAutoscaler.

    Attributes:
        behavior: ``behavior``. Default: none (upstream defaults per direction).
        max_replicas: ``maxReplicas``, >= 1 and >= minReplicas. Required.
        metrics: ``metrics``. Default: none (upstream: 80% average CPU utilization).
        min_replicas: ``minReplicas``, >= 1. Default: none (upstream: 1).
        scale_target_ref: ``scaleTargetRef``: the Deployment, StatefulSet or Rollout scaled. Required.
    """

    behavior: HorizontalPodAutoscalerBehavior | None = None
    max_replicas: PositiveInt
    metrics: list[MetricSpec] | None = None
    min_replicas: PositiveInt | None = None
    scale_target_ref: CrossVersionObjectReference

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.min_replicas is not None and self.min_replicas > self.max_replicas:
            issues = Issues()
            issues.add(("minReplicas",), f"minReplicas {self.min_replicas} is above maxReplicas {self.max_replicas}; "
                                         f"make minReplicas at most maxReplicas", self.min_replicas)
            issues.raise_any("HorizontalPodAutoscalerSpec")
        return self


class HorizontalPodAutoscaler(Resource):
    """An ``autoscaling/v2`` HorizontalPodAutoscaler.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "HorizontalPodAutoscaler"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("autoscaling/v2",)

    spec: HorizontalPodAutoscalerSpec
    status: dict[str, Any] | None = None
