"""Policy API group (``policy/v1``): PodDisruptionBudget."""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import model_validator

from ..core.fields import IntOrPercent
from ..core.model import K8sModel, Resource
from .core_v1 import LabelSelector

__all__ = ["PodDisruptionBudget", "PodDisruptionBudgetSpec"]


class PodDisruptionBudgetSpec(K8sModel):
    """How many selected pods voluntary disruptions (drains, evictions) must leave.

    Exactly one of ``min_available`` and ``max_unavailable`` is set.

    Attributes:
        max_unavailable: ``maxUnavailable``: pods that may be down at once, a count or a percentage. Default: none.
        min_available: ``minAvailable``: pods that must stay up, a count or a percentage. Default: none.
        selector: ``selector`` of the protected pods. Default: none (upstream: a missing selector
            protects no pods; an empty one, ``{}``, protects every pod in the namespace).
        unhealthy_pod_eviction_policy: ``unhealthyPodEvictionPolicy``: ``IfHealthyBudget`` or ``AlwaysAllow``.
            Default: none (upstream: ``IfHealthyBudget``).
    """

    max_unavailable: IntOrPercent | None = None
    min_available: IntOrPercent | None = None
    selector: LabelSelector | None = None
    unhealthy_pod_eviction_policy: Literal["IfHealthyBudget", "AlwaysAllow"] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        if self.min_available is not None and self.max_unavailable is not None:
            raise ValueError(f"both minAvailable ({self.min_available!r}) and maxUnavailable ({self.max_unavailable!r}) are set; "
                             f"keep exactly one of them")
        if self.min_available is None and self.max_unavailable is None:
            raise ValueError("neither minAvailable nor maxUnavailable is set; set exactly one of them, for example maxUnavailable: 1")
        return self


class PodDisruptionBudget(Resource):
    """A ``policy/v1`` PodDisruptionBudget.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "PodDisruptionBudget"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("policy/v1",)

    spec: PodDisruptionBudgetSpec
    status: dict[str, Any] | None = None
