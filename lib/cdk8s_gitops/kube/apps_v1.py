"""Apps API group (``apps/v1``): Deployment, StatefulSet, DaemonSet.

Every workload spec checks that its selector selects its own pod template (the
mistake the API server reports only at apply time), that its update strategy is
consistent, and that every volume mount names a volume.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import model_validator

from ..core.fields import IntOrPercent, NonNegativeInt, PositiveInt
from ..core.model import K8sModel, Resource
from .core_v1 import (
    EmbeddedPersistentVolumeClaim,
    LabelSelector,
    PodTemplateSpec,
    pod_template_issues,
    selector_template_issues,
)

__all__ = [
    "DaemonSet",
    "DaemonSetSpec",
    "DaemonSetUpdateStrategy",
    "Deployment",
    "DeploymentSpec",
    "DeploymentStrategy",
    "RollingUpdateDaemonSet",
    "RollingUpdateDeployment",
    "RollingUpdateStatefulSetStrategy",
    "StatefulSet",
    "StatefulSetOrdinals",
    "StatefulSetPersistentVolumeClaimRetentionPolicy",
    "StatefulSetSpec",
    "StatefulSetUpdateStrategy",
]


def _both_zero(max_surge: int | str | None, max_unavailable: int | str | None) -> bool:
    def zero(v: int | str | None) -> bool:
        return v in (0, "0%")
    return zero(max_surge) and zero(max_unavailable)


# =====================================================================================
# Deployment
# =====================================================================================
class RollingUpdateDeployment(K8sModel):
    """Pace of a Deployment's rolling update.

    Attributes:
        max_surge: ``maxSurge``: pods above the desired count during the update, a count or a
            percentage. Default: none (upstream: ``25%``).
        max_unavailable: ``maxUnavailable``: pods below the desired count during the update, a count
            or a percentage; not 0 together with a zero maxSurge. Default: none (upstream: ``25%``).
    """

    max_surge: IntOrPercent | None = None
    max_unavailable: IntOrPercent | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if _both_zero(self.max_surge, self.max_unavailable):
            raise ValueError(
                f"maxSurge {self.max_surge!r} and maxUnavailable {self.max_unavailable!r} are both zero, so the update could never "
                f"make progress; allow at least one extra or one unavailable pod (for example maxSurge: 1)"
            )
        return self


class DeploymentStrategy(K8sModel):
    """How a Deployment replaces old pods.

    Attributes:
        rolling_update: ``rollingUpdate``: only with type ``RollingUpdate``. Default: none (upstream: 25%/25%).
        type: ``type``: ``RollingUpdate`` or ``Recreate``. Default: none (upstream: ``RollingUpdate``).
    """

    rolling_update: RollingUpdateDeployment | None = None
    type: Literal["Recreate", "RollingUpdate"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.type == "Recreate" and self.rolling_update is not None:
            raise ValueError("strategy type 'Recreate' does not take rollingUpdate; remove rollingUpdate or use type 'RollingUpdate'")
        return self


class DeploymentSpec(K8sModel):
    """Desired state of a Deployment.

    Attributes:
        min_ready_seconds: ``minReadySeconds`` a new pod must be ready to count as available. Default: none (upstream: 0).
        paused: ``paused``: stop rolling out template changes. Default: none (upstream: false).
        progress_deadline_seconds: ``progressDeadlineSeconds`` before a stuck rollout is reported
            failed; above minReadySeconds. Default: none (upstream: 600).
        replicas: ``replicas``, >= 0; leave unset when an HPA scales the Deployment. Default: none (upstream: 1).
        revision_history_limit: ``revisionHistoryLimit``: old ReplicaSets kept for rollback, >= 0. Default: none (upstream: 10).
        selector: ``selector`` of the pods; its matchLabels must be a subset of template.metadata.labels. Required.
        strategy: ``strategy``. Default: none (upstream: RollingUpdate 25%/25%).
        template: ``template``: the pods. Required.
    """

    min_ready_seconds: NonNegativeInt | None = None
    paused: bool | None = None
    progress_deadline_seconds: PositiveInt | None = None
    replicas: NonNegativeInt | None = None
    revision_history_limit: NonNegativeInt | None = None
    selector: LabelSelector
    strategy: DeploymentStrategy | None = None
    template: PodTemplateSpec

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = selector_template_issues(self.selector, self.template, "Deployment")
        issues.extend(("template",), pod_template_issues(self.template, allowed_restart=("Always",), kind="Deployment"))
        if (self.progress_deadline_seconds is not None and self.min_ready_seconds is not None
                and self.progress_deadline_seconds <= self.min_ready_seconds):
            issues.add(("progressDeadlineSeconds",),
                       f"progressDeadlineSeconds {self.progress_deadline_seconds} is not above minReadySeconds {self.min_ready_seconds}; "
                       f"make progressDeadlineSeconds larger than minReadySeconds", self.progress_deadline_seconds)
        issues.raise_any("DeploymentSpec")
        return self


class Deployment(Resource):
    """An ``apps/v1`` Deployment: stateless pods updated by rolling ReplicaSets.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Deployment"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("apps/v1",)

    spec: DeploymentSpec
    status: dict[str, Any] | None = None


# =====================================================================================
# StatefulSet
# =====================================================================================
class RollingUpdateStatefulSetStrategy(K8sModel):
    """Pace of a StatefulSet's rolling update.

    Attributes:
        max_unavailable: ``maxUnavailable`` pods during the update, a count (>= 1) or a percentage
            (MaxUnavailableStatefulSet feature). Default: none (upstream: 1).
        partition: ``partition``: only ordinals >= this are updated (staged rollouts). Default: none (upstream: 0).
    """

    max_unavailable: IntOrPercent | None = None
    partition: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.max_unavailable in (0, "0%"):
            raise ValueError(f"maxUnavailable {self.max_unavailable!r} would block the update; use at least 1 (or a percentage above 0%)")
        return self


class StatefulSetUpdateStrategy(K8sModel):
    """How a StatefulSet replaces its pods.

    Attributes:
        rolling_update: ``rollingUpdate``: only with type ``RollingUpdate``. Default: none.
        type: ``type``: ``RollingUpdate`` or ``OnDelete``. Default: none (upstream: ``RollingUpdate``).
    """

    rolling_update: RollingUpdateStatefulSetStrategy | None = None
    type: Literal["RollingUpdate", "OnDelete"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.type == "OnDelete" and self.rolling_update is not None:
            raise ValueError("updateStrategy type 'OnDelete' does not take rollingUpdate; remove rollingUpdate or use type 'RollingUpdate'")
        return self


class StatefulSetPersistentVolumeClaimRetentionPolicy(K8sModel):
    """What happens to claims from volumeClaimTemplates.

    Attributes:
        when_deleted: ``whenDeleted``: ``Retain`` or ``Delete`` when the StatefulSet is deleted. Default: none (upstream: ``Retain``).
        when_scaled: ``whenScaled``: ``Retain`` or ``Delete`` when it scales down. Default: none (upstream: ``Retain``).
    """

    when_deleted: Literal["Retain", "Delete"] | None = None
    when_scaled: Literal["Retain", "Delete"] | None = None


class StatefulSetOrdinals(K8sModel):
    """Numbering of a StatefulSet's pods.

    Attributes:
        start: ``start``: the first ordinal. Default: none (upstream: 0).
    """

    start: NonNegativeInt | None = None


class StatefulSetSpec(K8sModel):
    """Desired state of a StatefulSet.

    Attributes:
        min_ready_seconds: ``minReadySeconds``. Default: none (upstream: 0).
        ordinals: ``ordinals``. Default: none (start at 0).
        persistent_volume_claim_retention_policy: ``persistentVolumeClaimRetentionPolicy``. Default: none (Retain/Retain).
        pod_management_policy: ``podManagementPolicy``: ``OrderedReady`` or ``Parallel``. Default: none (upstream: ``OrderedReady``).
        replicas: ``replicas``, >= 0. Default: none (upstream: 1).
        revision_history_limit: ``revisionHistoryLimit``, >= 0. Default: none (upstream: 10).
        selector: ``selector`` of the pods; must select the template. Required.
        service_name: ``serviceName``: the headless Service giving pods stable DNS names. Default: none.
        template: ``template``: the pods; mounts may name volumeClaimTemplates. Required.
        update_strategy: ``updateStrategy``. Default: none (upstream: RollingUpdate).
        volume_claim_templates: ``volumeClaimTemplates``: one claim per pod and template. Default: none.
    """

    min_ready_seconds: NonNegativeInt | None = None
    ordinals: StatefulSetOrdinals | None = None
    persistent_volume_claim_retention_policy: StatefulSetPersistentVolumeClaimRetentionPolicy | None = None
    pod_management_policy: Literal["OrderedReady", "Parallel"] | None = None
    replicas: NonNegativeInt | None = None
    revision_history_limit: NonNegativeInt | None = None
    selector: LabelSelector
    service_name: str | None = None
    template: PodTemplateSpec
    update_strategy: StatefulSetUpdateStrategy | None = None
    volume_claim_templates: list[EmbeddedPersistentVolumeClaim] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = selector_template_issues(self.selector, self.template, "StatefulSet")
        claims: set[str] = set()
        for i, claim in enumerate(self.volume_claim_templates or []):
            name = claim.metadata.name if claim.metadata else None
            if not name:
                issues.add(("volumeClaimTemplates", i, "metadata", "name"),
                           f"volumeClaimTemplates[{i}] has no metadata.name; name it, containers mount it by that name", None)
            else:
                claims.add(name)
        issues.extend(("template",), pod_template_issues(self.template, allowed_restart=("Always",), kind="StatefulSet",
                                                         extra_volumes=frozenset(claims)))
        issues.raise_any("StatefulSetSpec")
        return self


class StatefulSet(Resource):
    """An ``apps/v1`` StatefulSet: pods with stable names and per-pod storage.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "StatefulSet"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("apps/v1",)

    spec: StatefulSetSpec
    status: dict[str, Any] | None = None


# =====================================================================================
# DaemonSet
# =====================================================================================
class RollingUpdateDaemonSet(K8sModel):
    """Pace of a DaemonSet's rolling update.

    Attributes:
        max_surge: ``maxSurge``: nodes that may run an extra new pod during the update. Default: none (upstream: 0).
        max_unavailable: ``maxUnavailable``: nodes whose pod may be down during the update. Default: none (upstream: 1).
    """

    max_surge: IntOrPercent | None = None
    max_unavailable: IntOrPercent | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if _both_zero(self.max_surge, self.max_unavailable):
            raise ValueError(
                f"maxSurge {self.max_surge!r} and maxUnavailable {self.max_unavailable!r} are both zero, so the update could never "
                f"make progress; set maxUnavailable to 1 or maxSurge above 0"
            )
        return self


class DaemonSetUpdateStrategy(K8sModel):
    """How a DaemonSet replaces its pods.

    Attributes:
        rolling_update: ``rollingUpdate``: only with type ``RollingUpdate``. Default: none.
        type: ``type``: ``RollingUpdate`` or ``OnDelete``. Default: none (upstream: ``RollingUpdate``).
    """

    rolling_update: RollingUpdateDaemonSet | None = None
    type: Literal["RollingUpdate", "OnDelete"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.type == "OnDelete" and self.rolling_update is not None:
            raise ValueError("updateStrategy type 'OnDelete' does not take rollingUpdate; remove rollingUpdate or use type 'RollingUpdate'")
        return self


class DaemonSetSpec(K8sModel):
    """Desired state of a DaemonSet.

    Attributes:
        min_ready_seconds: ``minReadySeconds``. Default: none (upstream: 0).
        revision_history_limit: ``revisionHistoryLimit``, >= 0. Default: none (upstream: 10).
        selector: ``selector`` of the pods; must select the template. Required.
        template: ``template``: the pod run on every selected node. Required.
        update_strategy: ``updateStrategy``. Default: none (upstream: RollingUpdate, maxUnavailable 1).
    """

    min_ready_seconds: NonNegativeInt | None = None
    revision_history_limit: NonNegativeInt | None = None
    selector: LabelSelector
    template: PodTemplateSpec
    update_strategy: DaemonSetUpdateStrategy | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = selector_template_issues(self.selector, self.template, "DaemonSet")
        issues.extend(("template",), pod_template_issues(self.template, allowed_restart=("Always",), kind="DaemonSet"))
        issues.raise_any("DaemonSetSpec")
        return self


class DaemonSet(Resource):
    """An ``apps/v1`` DaemonSet: one pod on every (selected) node.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "DaemonSet"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("apps/v1",)

    spec: DaemonSetSpec
    status: dict[str, Any] | None = None
