"""Argo Rollouts' rules for a Rollout's strategies and spec, as semantic checks on the generated classes.

See :mod:`cdk8s_gitops.rollouts.rollout` for the list of rules; this module holds the ones that
look at a whole strategy (services, routers, steps in the context of their traffic routing),
at the spec (pod template, deadlines, revision limits) and at the Rollout (weights that go down).
"""

from __future__ import annotations

import warnings
from typing import Any, Literal

from ..core.fields import IntOrPercent, Issues, NonNegativeInt, PositiveInt
from ..core.schema import semantic_check
from ..kube import LabelSelector, PodTemplateSpec, pod_template_issues, selector_template_issues
from ..models.argoproj_io_v1alpha1 import (
    Rollout,
    RolloutSpec,
    RolloutSpecAnalysis,
    RolloutSpecRollbackWindow,
    RolloutSpecStrategy,
    RolloutSpecStrategyBlueGreen,
    RolloutSpecStrategyBlueGreenAntiAffinity,
    RolloutSpecStrategyCanary,
    RolloutSpecStrategyCanaryReplicaProgressThreshold,
    RolloutSpecStrategyCanarySteps,
    RolloutSpecWorkloadRef,
)
from ._types import Problems, as_kube, field_issues, percent_value
from .rollout import canary_max_traffic_weight, canary_weights, has_plugins, traffic_routers

__all__: list[str] = []

DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600


# =====================================================================================
# Strategies
# =====================================================================================
@semantic_check(RolloutSpecStrategyBlueGreenAntiAffinity)
def _check_anti_affinity(anti_affinity: RolloutSpecStrategyBlueGreenAntiAffinity) -> None:
    preferred = anti_affinity.preferred_during_scheduling_ignored_during_execution
    required = anti_affinity.required_during_scheduling_ignored_during_execution
    if (preferred is None) == (required is None):
        what = "sets both" if preferred is not None else "sets neither of"
        raise ValueError(f"antiAffinity {anti_affinity.dump()!r} {what} preferredDuringSchedulingIgnoredDuringExecution and "
                         "requiredDuringSchedulingIgnoredDuringExecution; set exactly one of them")
    problems = Issues()
    if required:
        problems.add(("requiredDuringSchedulingIgnoredDuringExecution",),
                     f"requiredDuringSchedulingIgnoredDuringExecution {required!r} has keys, but upstream's has no fields; "
                     "write it as {} (an empty mapping)", required)
    if preferred is not None and not 1 <= preferred.weight <= 100:
        problems.add(("preferredDuringSchedulingIgnoredDuringExecution", "weight"),
                     f"anti-affinity weight {preferred.weight} is outside 1-100; use a weight between 1 and 100", preferred.weight)
    problems.raise_any("AntiAffinity")


@semantic_check(RolloutSpecStrategyCanaryReplicaProgressThreshold)
def _check_replica_progress(threshold: RolloutSpecStrategyCanaryReplicaProgressThreshold) -> None:
    field_issues(threshold, {"type": Literal["Pod", "Percent"], "value": NonNegativeInt}).raise_any("ReplicaProgressThreshold")


_CANARY_FIELDS: dict[str, Any] = {
    "max_surge": IntOrPercent, "max_unavailable": IntOrPercent, "scale_down_delay_seconds": NonNegativeInt,
    "scale_down_delay_revision_limit": NonNegativeInt, "abort_scale_down_delay_seconds": NonNegativeInt,
    "min_pods_per_replica_set": PositiveInt,
}


@semantic_check(RolloutSpecStrategyCanary)
def _check_canary(canary: RolloutSpecStrategyCanary) -> None:
    problems = field_issues(canary, _CANARY_FIELDS)
    _check_surge(canary, problems)
    _check_services(canary, problems)
    _check_routing_only_fields(canary, problems)
    for i, step in enumerate(canary.steps or []):
        _check_canary_step(canary, i, step, problems)
    problems.raise_any("CanaryStrategy")


def _check_surge(canary: RolloutSpecStrategyCanary, problems: Issues) -> None:
    if canary.max_surge is None or canary.max_unavailable is None:
        return  # an unset one defaults to 25%
    if percent_value(canary.max_surge) == 0 and percent_value(canary.max_unavailable) == 0:
        problems.add(("maxSurge",), f"maxSurge {canary.max_surge!r} and maxUnavailable {canary.max_unavailable!r} are both zero, "
                                    "so the update could never replace a pod; let at least one be above zero (for example maxSurge: 1)",
                     canary.max_surge)


def _check_services(canary: RolloutSpecStrategyCanary, problems: Issues) -> None:
    tr = canary.traffic_routing
    if canary.canary_service and canary.stable_service and canary.canary_service == canary.stable_service:
        problems.add(("canaryService",), f"canaryService and stableService are both {canary.canary_service!r}; "
                                         "use two different Services, one selecting canary pods and one selecting stable pods",
                     canary.canary_service)
    if canary.ping_pong is not None:
        pp = canary.ping_pong
        if tr is not None and tr.alb is None:
            problems.add(("trafficRouting",), f"pingPong is set but trafficRouting uses {', '.join(traffic_routers(tr)) or 'no router'}; "
                                              "ping-pong Services work with ALB traffic routing only", traffic_routers(tr))
        if pp.ping_service == pp.pong_service:
            problems.add(("pingPong", "pingService"), f"pingService and pongService are both {pp.ping_service!r}; use two different Services",
                         pp.ping_service)
        if tr is not None and tr.alb is not None and not tr.alb.root_service:
            problems.add(("trafficRouting", "alb", "rootService"), "trafficRouting.alb.rootService is not set, but pingPong is; "
                                                                   "set rootService to the Service the ALB ingress points at", None)
    if tr is not None and canary.ping_pong is None and not (tr.istio is not None and tr.istio.destination_rule is not None):
        routers = ", ".join(traffic_routers(tr)) or "trafficRouting"
        for key, value in (("stableService", canary.stable_service), ("canaryService", canary.canary_service)):
            if not value:
                problems.add((key,), f"{key} is not set ({value!r}), but traffic routing ({routers}) is; set both stableService and "
                                     f"canaryService to Services selecting the Rollout's pods", value)


def _check_routing_only_fields(canary: RolloutSpecStrategyCanary, problems: Issues) -> None:
    tr = canary.traffic_routing
    if tr is None:
        if canary.scale_down_delay_seconds is not None:
            problems.add(("scaleDownDelaySeconds",), f"scaleDownDelaySeconds {canary.scale_down_delay_seconds} is set without trafficRouting; "
                                                     "remove it, or configure trafficRouting", canary.scale_down_delay_seconds)
        if canary.dynamic_stable_scale:
            problems.add(("dynamicStableScale",), "dynamicStableScale true needs trafficRouting; remove it, or configure trafficRouting",
                         canary.dynamic_stable_scale)
        return
    if canary.scale_down_delay_seconds is not None and canary.dynamic_stable_scale:
        problems.add(("dynamicStableScale",), f"dynamicStableScale true cannot be combined with scaleDownDelaySeconds "
                                              f"{canary.scale_down_delay_seconds}; remove one of them", canary.dynamic_stable_scale)
    if tr.max_traffic_weight is not None and tr.nginx is None and not has_plugins(tr):
        problems.add(("trafficRouting", "maxTrafficWeight"),
                     f"maxTrafficWeight {tr.max_traffic_weight} is only supported with NGINX or plugin traffic routing, not "
                     f"{', '.join(traffic_routers(tr)) or 'no router'}; remove it (weights are then percentages)", tr.max_traffic_weight)


def _check_canary_step(canary: RolloutSpecStrategyCanary, i: int, step: RolloutSpecStrategyCanarySteps, problems: Issues) -> None:
    tr = canary.traffic_routing
    where: tuple[str | int, ...] = ("steps", i)
    max_weight = canary_max_traffic_weight(canary)
    if step.set_weight is not None and step.set_weight > max_weight:
        problems.add(where + ("setWeight",), f"{step.set_weight} is above maxTrafficWeight {max_weight}; "
                                             f"use a weight between 0 and {max_weight}", step.set_weight)
    if step.set_canary_scale is not None and tr is None:
        problems.add(where + ("setCanaryScale",), f"setCanaryScale {step.set_canary_scale.dump()!r} needs trafficRouting; "
                                                  "configure trafficRouting (such as the Gateway API plugin) or remove the step",
                     step.set_canary_scale.dump())
    if step.set_header_route is not None:
        route = step.set_header_route
        if tr is None or (tr.istio is None and tr.alb is None and tr.apisix is None and not has_plugins(tr)):
            using = "no trafficRouting" if tr is None else f"trafficRouting with {', '.join(traffic_routers(tr)) or 'no router'}"
            problems.add(where + ("setHeaderRoute",), f"setHeaderRoute {route.name!r} needs trafficRouting with Istio, ALB, APISIX or a "
                                                      f"plugin, but the Rollout has {using}; configure such traffic routing or remove the step",
                         route.dump())
        elif tr.alb is not None:
            for j, match in enumerate(route.match_ or []):
                value = match.header_value
                if not value.exact:
                    problems.add(where + ("setHeaderRoute", "match", j, "headerValue"),
                                 f"headerValue {value.dump()!r} is not an exact match, the only kind ALB supports; use exact", value.dump())
    if step.set_mirror_route is not None and (tr is None or (tr.istio is None and not has_plugins(tr))):
        using = "no trafficRouting" if tr is None else f"trafficRouting with {', '.join(traffic_routers(tr)) or 'no router'}"
        problems.add(where + ("setMirrorRoute",), f"setMirrorRoute {step.set_mirror_route.name!r} needs trafficRouting with Istio or a "
                                                  f"plugin, but the Rollout has {using}; configure such traffic routing or remove the step",
                     step.set_mirror_route.dump())
    if tr is not None:
        for key, named in (("setHeaderRoute", step.set_header_route), ("setMirrorRoute", step.set_mirror_route)):
            if named is None:
                continue
            managed = [r.name for r in tr.managed_routes or []]
            if tr.managed_routes is None:
                problems.add(("trafficRouting", "managedRoutes"),
                             f"is not set, but steps[{i}].{key} uses route {named.name!r}; list it in trafficRouting.managedRoutes", None)
            elif named.name not in managed:
                problems.add(where + (key, "name"), f"route {named.name!r} is not in trafficRouting.managedRoutes {managed!r}; "
                                                    f"add {{name: {named.name}}} to managedRoutes or use one of its names", named.name)
    if step.experiment is not None:
        for j, template in enumerate(step.experiment.templates):
            if template.weight is None:
                continue
            if tr is None:
                problems.add(where + ("experiment", "templates", j, "weight"),
                             f"experiment template weight {template.weight} needs trafficRouting; remove weight or configure traffic routing",
                             template.weight)
            elif tr.alb is None and tr.smi is None and tr.istio is None:
                problems.add(where + ("experiment", "templates", j, "weight"),
                             f"experiment template weight {template.weight} works with SMI, ALB or Istio routing only, not "
                             f"{', '.join(traffic_routers(tr)) or 'no router'}; remove weight", template.weight)


_BLUE_GREEN_FIELDS: dict[str, Any] = {
    "auto_promotion_seconds": NonNegativeInt, "scale_down_delay_seconds": NonNegativeInt,
    "scale_down_delay_revision_limit": NonNegativeInt, "abort_scale_down_delay_seconds": NonNegativeInt,
    "preview_replica_count": NonNegativeInt, "max_unavailable": IntOrPercent,
}


@semantic_check(RolloutSpecStrategyBlueGreen)
def _check_blue_green(blue_green: RolloutSpecStrategyBlueGreen) -> None:
    problems = field_issues(blue_green, _BLUE_GREEN_FIELDS)
    if not blue_green.active_service:
        problems.add(("activeService",), "activeService is empty (''); name the Service that receives production traffic",
                     blue_green.active_service)
    elif blue_green.active_service == blue_green.preview_service:
        problems.add(("activeService",), f"activeService and previewService are both {blue_green.active_service!r}; "
                                         "use two different Services (or leave previewService out)", blue_green.active_service)
    problems.raise_any("BlueGreenStrategy")


@semantic_check(RolloutSpecStrategy)
def _check_strategy(strategy: RolloutSpecStrategy) -> None:
    # Both at once is refused by the schema rule of RolloutSpecStrategy (codegen/overlays.py).
    if strategy.canary is None and strategy.blue_green is None:
        raise ValueError(f"the strategy {strategy.dump()!r} sets neither canary nor blueGreen; set exactly one of them")


# =====================================================================================
# The Rollout
# =====================================================================================
@semantic_check(RolloutSpecWorkloadRef)
def _check_workload_ref(ref: RolloutSpecWorkloadRef) -> None:
    problems = field_issues(ref, {"scale_down": Literal["never", "onsuccess", "progressively"]})
    for key, value in (("apiVersion", ref.api_version), ("kind", ref.kind), ("name", ref.name)):
        if not value:
            problems.add((key,), f"{key} is not set ({value!r}); workloadRef needs apiVersion, kind and name of the workload "
                                 "(such as apps/v1, Deployment, checkout)", value)
    problems.raise_any("WorkloadRef")


@semantic_check(RolloutSpecRollbackWindow)
def _check_rollback_window(window: RolloutSpecRollbackWindow) -> None:
    field_issues(window, {"revisions": NonNegativeInt}).raise_any("RollbackWindow")


@semantic_check(RolloutSpecAnalysis)
def _check_analysis_history(history: RolloutSpecAnalysis) -> None:
    rules = {"successful_run_history_limit": NonNegativeInt, "unsuccessful_run_history_limit": NonNegativeInt}
    field_issues(history, rules).raise_any("RolloutAnalysisHistory")


_SPEC_FIELDS: dict[str, Any] = {
    "replicas": NonNegativeInt, "min_ready_seconds": NonNegativeInt, "revision_history_limit": NonNegativeInt,
    "progress_deadline_seconds": NonNegativeInt,
}


@semantic_check(RolloutSpec)
def _check_spec(spec: RolloutSpec) -> None:
    problems = Problems()
    field_issues(spec, _SPEC_FIELDS, problems)
    if spec.strategy is None:
        problems.add(("strategy",), "strategy is not set (None); set strategy.canary or strategy.blueGreen", None)
    _check_template(spec, problems)
    _check_deadline(spec, problems)
    _check_revision_limits(spec, problems)
    problems.raise_any("RolloutSpec")


def _check_template(spec: RolloutSpec, problems: Problems) -> None:
    if spec.workload_ref is not None:
        return  # template together with workloadRef is refused by the schema rule of RolloutSpec (codegen/overlays.py)
    if spec.selector is None:
        problems.add(("selector",), "selector is not set (None); set selector.matchLabels to labels of the pod template "
                                    "(or use workloadRef)", None)
    if spec.template is None:
        problems.add(("template",), "template is not set (None); add the pod template (or use workloadRef)", None)
        return
    # The kube package owns the pod template's rules; a template it refuses is reported under spec.template.
    template = as_kube(PodTemplateSpec, spec.template, ("template",), problems)
    if template is None:
        return
    if spec.selector is not None:
        selector = as_kube(LabelSelector, spec.selector, ("selector",), problems)
        if selector is not None:
            problems.extend((), selector_template_issues(selector, template, "Rollout"))
    problems.extend(("template",), pod_template_issues(template, allowed_restart=("Always",), kind="Rollout"))


def _check_deadline(spec: RolloutSpec, problems: Issues) -> None:
    deadline = spec.progress_deadline_seconds
    min_ready = spec.min_ready_seconds or 0
    if deadline is not None and deadline <= min_ready:
        problems.add(("progressDeadlineSeconds",), f"progressDeadlineSeconds {deadline} is not greater than minReadySeconds {min_ready}; "
                                                   f"use a deadline above {min_ready} seconds", deadline)
    elif deadline is None and min_ready >= DEFAULT_PROGRESS_DEADLINE_SECONDS:
        problems.add(("minReadySeconds",), f"minReadySeconds {min_ready} is not below progressDeadlineSeconds "
                                           f"({DEFAULT_PROGRESS_DEADLINE_SECONDS} by default); lower minReadySeconds or set "
                                           f"progressDeadlineSeconds above {min_ready}", min_ready)


def _check_revision_limits(spec: RolloutSpec, problems: Issues) -> None:
    if spec.strategy is None:
        return
    limit = spec.revision_history_limit if spec.revision_history_limit is not None else DEFAULT_REVISION_HISTORY_LIMIT
    shown = f"{limit}" if spec.revision_history_limit is not None else f"{limit} by default"
    for key, strategy in (("canary", spec.strategy.canary), ("blueGreen", spec.strategy.blue_green)):
        if strategy is None or strategy.scale_down_delay_revision_limit is None:
            continue
        value = strategy.scale_down_delay_revision_limit
        if value > limit:
            problems.add(("strategy", key, "scaleDownDelayRevisionLimit"),
                         f"scaleDownDelayRevisionLimit {value} is above revisionHistoryLimit ({shown}); "
                         f"use at most {limit} or raise spec.revisionHistoryLimit", value)


@semantic_check(Rollout)
def _warn_weights_down(rollout: Rollout) -> None:
    canary = rollout.spec.strategy.canary if rollout.spec.strategy else None
    if canary is None:
        return
    previous: tuple[int, int] | None = None
    for index, weight in canary_weights(canary):
        if previous is not None and weight < previous[1]:
            warnings.warn(
                f"{rollout.describe()}: spec.strategy.canary.steps[{index}].setWeight: {weight} is below the earlier setWeight "
                f"{previous[1]} (steps[{previous[0]}]), so traffic moves back to the stable version here; "
                "check the order of the steps if that is not intended",
                UserWarning,
                stacklevel=2,
            )
        previous = (index, weight)
