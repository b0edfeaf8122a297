"""Apps API group (``apps/v1``): Deployment, StatefulSet, DaemonSet on the generated models.

The classes are those of :mod:`cdk8s_gitops.models.apps_v1`. The semantic checks here
make every workload spec verify that its selector selects its own pod template (the
mistake the API server reports only at apply time), that its update strategy can make
progress, that every volume mount names a volume, and that counts are not negative.
"""

from __future__ import annotations

from ..core.schema import semantic_check
from ..models.apps_v1 import (
    DaemonSet,
    DaemonSetSpec,
    DaemonSetUpdateStrategy,
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    RollingUpdateDaemonSet,
    RollingUpdateDeployment,
    RollingUpdateStatefulSetStrategy,
    StatefulSet,
    StatefulSetOrdinals,
    StatefulSetPersistentVolumeClaimRetentionPolicy,
    StatefulSetSpec,
    StatefulSetUpdateStrategy,
)
from ._checks import INT_OR_PERCENT, NON_NEGATIVE, POSITIVE, require, value_rules
from ._pod import pod_template_issues, selector_template_issues

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

for _kind in (Deployment, StatefulSet, DaemonSet):
    require(_kind, "spec")


def _zero(value: int | str | None) -> bool:
    return value in (0, "0%")


# -- Deployment ------------------------------------------------------------------------------
value_rules(RollingUpdateDeployment, max_surge=INT_OR_PERCENT, max_unavailable=INT_OR_PERCENT)
value_rules(DeploymentSpec, min_ready_seconds=NON_NEGATIVE, progress_deadline_seconds=POSITIVE, replicas=NON_NEGATIVE,
            revision_history_limit=NON_NEGATIVE)


@semantic_check(RollingUpdateDeployment)
def _deployment_progress(update: RollingUpdateDeployment) -> None:
    if _zero(update.max_surge) and _zero(update.max_unavailable):
        raise ValueError(
            f"maxSurge {update.max_surge!r} and maxUnavailable {update.max_unavailable!r} are both zero, so the update could never "
            f"make progress; allow at least one extra or one unavailable pod (for example maxSurge: 1)"
        )


@semantic_check(DeploymentSpec)
def _deployment_spec(spec: DeploymentSpec) -> None:
    issues = selector_template_issues(spec.selector, spec.template, "Deployment")
    issues.extend(("template",), pod_template_issues(spec.template, allowed_restart=("Always",), kind="Deployment"))
    if (spec.progress_deadline_seconds is not None and spec.min_ready_seconds is not None
            and spec.progress_deadline_seconds <= spec.min_ready_seconds):
        issues.add(("progressDeadlineSeconds",),
                   f"progressDeadlineSeconds {spec.progress_deadline_seconds} is not above minReadySeconds {spec.min_ready_seconds}; "
                   f"make progressDeadlineSeconds larger than minReadySeconds", spec.progress_deadline_seconds)
    issues.raise_any("DeploymentSpec")


# -- StatefulSet -----------------------------------------------------------------------------
value_rules(RollingUpdateStatefulSetStrategy, max_unavailable=INT_OR_PERCENT, partition=NON_NEGATIVE)
value_rules(StatefulSetOrdinals, start=NON_NEGATIVE)
value_rules(StatefulSetSpec, min_ready_seconds=NON_NEGATIVE, replicas=NON_NEGATIVE, revision_history_limit=NON_NEGATIVE)


@semantic_check(RollingUpdateStatefulSetStrategy)
def _statefulset_progress(update: RollingUpdateStatefulSetStrategy) -> None:
    if _zero(update.max_unavailable):
        raise ValueError(f"maxUnavailable {update.max_unavailable!r} would block the update; use at least 1 (or a percentage above 0%)")


@semantic_check(StatefulSetSpec)
def _statefulset_spec(spec: StatefulSetSpec) -> None:
    issues = selector_template_issues(spec.selector, spec.template, "StatefulSet")
    claims: set[str] = set()
    for i, claim in enumerate(spec.volume_claim_templates or []):
        name = claim.metadata.name if claim.metadata else None
        if not name:
            issues.add(("volumeClaimTemplates", i, "metadata", "name"),
                       f"volumeClaimTemplates[{i}] has no metadata.name; name it, containers mount it by that name", None)
        else:
            claims.add(name)
    issues.extend(("template",), pod_template_issues(spec.template, allowed_restart=("Always",), kind="StatefulSet",
                                                     extra_volumes=frozenset(claims)))
    issues.raise_any("StatefulSetSpec")


# -- DaemonSet -------------------------------------------------------------------------------
value_rules(RollingUpdateDaemonSet, max_surge=INT_OR_PERCENT, max_unavailable=INT_OR_PERCENT)
value_rules(DaemonSetSpec, min_ready_seconds=NON_NEGATIVE, revision_history_limit=NON_NEGATIVE)


@semantic_check(RollingUpdateDaemonSet)
def _daemonset_progress(update: RollingUpdateDaemonSet) -> None:
    if _zero(update.max_surge) and _zero(update.max_unavailable):
        raise ValueError(
            f"maxSurge {update.max_surge!r} and maxUnavailable {update.max_unavailable!r} are both zero, so the update could never "
            f"make progress; set maxUnavailable to 1 or maxSurge above 0"
        )


@semantic_check(DaemonSetSpec)
def _daemonset_spec(spec: DaemonSetSpec) -> None:
    issues = selector_template_issues(spec.selector, spec.template, "DaemonSet")
    issues.extend(("template",), pod_template_issues(spec.template, allowed_restart=("Always",), kind="DaemonSet"))
    issues.raise_any("DaemonSetSpec")
