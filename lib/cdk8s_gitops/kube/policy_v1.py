"""Policy API group (``policy/v1``): PodDisruptionBudget on the generated models.

The class is that of :mod:`cdk8s_gitops.models.policy_v1`; the semantic check here makes
a budget set exactly one of ``minAvailable`` and ``maxUnavailable``, each a count or a
percentage.
"""

from __future__ import annotations

from ..core.schema import semantic_check
from ..models.policy_v1 import PodDisruptionBudget, PodDisruptionBudgetSpec
from ._checks import INT_OR_PERCENT, require, value_rules

__all__ = ["PodDisruptionBudget", "PodDisruptionBudgetSpec"]

require(PodDisruptionBudget, "spec")

value_rules(PodDisruptionBudgetSpec, max_unavailable=INT_OR_PERCENT, min_available=INT_OR_PERCENT)


@semantic_check(PodDisruptionBudgetSpec)
def _exactly_one(spec: PodDisruptionBudgetSpec) -> None:
    if spec.min_available is not None and spec.max_unavailable is not None:
        raise ValueError(f"both minAvailable ({spec.min_available!r}) and maxUnavailable ({spec.max_unavailable!r}) are set; "
                         f"keep exactly one of them")
    if spec.min_available is None and spec.max_unavailable is None:
        raise ValueError("neither minAvailable nor maxUnavailable is set; set exactly one of them, for example maxUnavailable: 1")
