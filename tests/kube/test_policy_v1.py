"""Tests of cdk8s_gitops.kube.policy_v1: PodDisruptionBudget."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.kube import PodDisruptionBudget

from ._k8s import assert_round_trip, validate_strict


def pdb(**spec: Any) -> dict[str, Any]:
    """A PDB for the web pods; ``spec`` keys are the budget."""
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {"selector": {"matchLabels": {"app.kubernetes.io/name": "web"}}, **spec},
    }


class TestPodDisruptionBudget:
    @pytest.mark.parametrize("budget", [{"maxUnavailable": 1}, {"minAvailable": "50%"}, {"minAvailable": 2},
                                        {"maxUnavailable": "25%", "unhealthyPodEvictionPolicy": "AlwaysAllow"}])
    def test_round_trip(self, budget: dict[str, Any]) -> None:
        """Integer and percentage budgets round-trip with their types and pass the strict schema."""
        doc = pdb(**budget)
        assert_round_trip(PodDisruptionBudget, doc)
        validate_strict(doc)

    def test_both_set(self) -> None:
        """minAvailable together with maxUnavailable is refused, naming both values."""
        message = manifest_error(PodDisruptionBudget, pdb(minAvailable=2, maxUnavailable="10%"))
        assert ("PodDisruptionBudget 'web': spec: both minAvailable (2) and maxUnavailable ('10%') are set; "
                "keep exactly one of them") in message

    def test_neither_set(self) -> None:
        """A budget without minAvailable and maxUnavailable is refused."""
        assert "spec: neither minAvailable nor maxUnavailable is set" in manifest_error(PodDisruptionBudget, pdb())

    @pytest.mark.parametrize("value,shown", [("50", "'50' is not a percentage"), (-1, "-1 is negative"),
                                              (1.5, "1.5 (float) is neither an integer nor a string"),
                                              (True, "True (boolean) is neither an integer nor a string")])
    def test_value_format(self, value: Any, shown: str) -> None:
        """Budgets are non-negative integers or percentage strings."""
        assert f"spec.minAvailable: {shown}" in manifest_error(PodDisruptionBudget, pdb(minAvailable=value))

    def test_eviction_policy(self) -> None:
        """unhealthyPodEvictionPolicy accepts IfHealthyBudget and AlwaysAllow."""
        message = manifest_error(PodDisruptionBudget, pdb(maxUnavailable=1, unhealthyPodEvictionPolicy="Always"))
        assert "spec.unhealthyPodEvictionPolicy" in message and "'AlwaysAllow'" in message
