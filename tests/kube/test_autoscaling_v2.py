"""Tests of cdk8s_gitops.kube.autoscaling_v2: HorizontalPodAutoscaler."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.kube import HorizontalPodAutoscaler

from ._k8s import assert_round_trip, validate_strict


def hpa(**spec: Any) -> dict[str, Any]:
    """An HPA scaling a Rollout on CPU, memory and a custom metric; ``spec`` keys override."""
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": [
                {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}},
                {"type": "Resource", "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "400Mi"}}},
                {"type": "ContainerResource", "containerResource": {"name": "cpu", "container": "web",
                                                                     "target": {"type": "Utilization", "averageUtilization": 80}}},
                {"type": "Pods", "pods": {"metric": {"name": "http_requests_per_second"},
                                          "target": {"type": "AverageValue", "averageValue": 100}}},
                {"type": "Object", "object": {"describedObject": {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "name": "web"},
                                              "metric": {"name": "requests"}, "target": {"type": "Value", "value": "10k"}}},
                {"type": "External", "external": {"metric": {"name": "queue_depth", "selector": {"matchLabels": {"queue": "orders"}}},
                                                  "target": {"type": "AverageValue", "averageValue": 30}}},
            ],
            "behavior": {
                "scaleUp": {"stabilizationWindowSeconds": 0, "selectPolicy": "Max",
                            "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}, {"type": "Pods", "value": 4, "periodSeconds": 15}]},
                "scaleDown": {"stabilizationWindowSeconds": 300, "policies": [{"type": "Percent", "value": 10, "periodSeconds": 60}]},
            },
            **spec,
        },
    }


class TestHorizontalPodAutoscaler:
    def test_round_trip(self) -> None:
        """An HPA with every metric type and a scaling behavior round-trips and passes the strict schema."""
        doc = hpa()
        assert_round_trip(HorizontalPodAutoscaler, doc)
        validate_strict(doc)

    def test_only_v2(self) -> None:
        """Only autoscaling/v2 is modelled; v1 is refused with the served version named."""
        doc = hpa()
        doc["apiVersion"] = "autoscaling/v1"
        message = manifest_error(HorizontalPodAutoscaler, doc)
        assert "'autoscaling/v1'" in message and "autoscaling/v2" in message

    def test_min_above_max(self) -> None:
        """minReplicas above maxReplicas is refused at spec.minReplicas, naming both values."""
        message = manifest_error(HorizontalPodAutoscaler, hpa(minReplicas=12, maxReplicas=10))
        assert ("HorizontalPodAutoscaler 'web': spec.minReplicas: minReplicas 12 is above maxReplicas 10; "
                "make minReplicas at most maxReplicas") in message

    @pytest.mark.parametrize("field", ["minReplicas", "maxReplicas"])
    def test_at_least_one(self, field: str) -> None:
        """minReplicas and maxReplicas below 1 are refused at their path."""
        assert f"spec.{field}: 0 is below 1" in manifest_error(HorizontalPodAutoscaler, hpa(**{field: 0}))

    def test_max_replicas_required(self) -> None:
        """maxReplicas is required."""
        doc = hpa()
        del doc["spec"]["maxReplicas"]
        assert "spec.maxReplicas: required field is missing" in manifest_error(HorizontalPodAutoscaler, doc)

    def test_metric_source_matches_type(self) -> None:
        """A metric whose type has no matching source is refused."""
        doc = hpa()
        doc["spec"]["metrics"][0]["type"] = "Pods"
        message = manifest_error(HorizontalPodAutoscaler, doc)
        assert "spec.metrics[0]: metric type 'Pods' has no 'pods' source" in message

    def test_target_value_matches_type(self) -> None:
        """A Utilization target without averageUtilization is refused."""
        doc = hpa()
        doc["spec"]["metrics"][0]["resource"]["target"] = {"type": "Utilization", "averageValue": "500m"}
        message = manifest_error(HorizontalPodAutoscaler, doc)
        assert "spec.metrics[0].resource.target: target type 'Utilization' has no averageUtilization" in message

    def test_policy_period(self) -> None:
        """A scaling policy period above 1800 seconds is refused."""
        doc = hpa()
        doc["spec"]["behavior"]["scaleDown"]["policies"][0]["periodSeconds"] = 3600
        message = manifest_error(HorizontalPodAutoscaler, doc)
        assert "spec.behavior.scaleDown.policies[0].periodSeconds: periodSeconds 3600 is above 1800" in message

    def test_stabilization_window(self) -> None:
        """A stabilization window above one hour is refused."""
        doc = hpa()
        doc["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] = 7200
        message = manifest_error(HorizontalPodAutoscaler, doc)
        assert "spec.behavior.scaleDown.stabilizationWindowSeconds: stabilizationWindowSeconds 7200 is above 3600" in message
