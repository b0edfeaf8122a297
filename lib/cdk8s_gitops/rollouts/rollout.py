"""``argoproj.io/v1alpha1`` Rollout: Argo Rollouts' strategy rules on the generated model.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`; the pod
template uses the core classes of :mod:`cdk8s_gitops.models.core_v1`). Argo Rollouts' own spec
validation (the checks its controller applies before acting) is registered here as semantic
checks, so that a Rollout the controller would refuse is refused at synth, built in Python or
loaded from YAML, with the field path and the bad value:

- exactly one strategy (``canary`` or ``blueGreen``);
- canary and stable Services differ, and both are set when traffic routing is used;
- ``maxSurge`` and ``maxUnavailable`` are not both zero;
- each step has exactly one action;
- ``setWeight`` between 0 and ``trafficRouting.maxTrafficWeight`` (100 by default);
- pause durations are not negative;
- ``progressDeadlineSeconds`` greater than ``minReadySeconds``;
- ``replicas``, ``minReadySeconds`` and ``revisionHistoryLimit`` are not negative;
- the selector matches the pod template labels, and the pod template passes the kube
  package's checks for a ReplicaSet-managed pod (``restartPolicy: Always``);
- blue-green active and preview Services differ;
- ``scaleDownDelayRevisionLimit`` at most ``revisionHistoryLimit``;
- ``setCanaryScale``, ``setHeaderRoute`` and ``setMirrorRoute`` only with traffic routing (the
  route steps also need ``trafficRouting.managedRoutes`` listing their route);
- the ``argoproj-labs/gatewayAPI`` plugin configuration (free-form in the CRD) is checked
  against :class:`GatewayAPIConfig`;
- and the smaller rules next to them upstream (anti-affinity, ping-pong, ``dynamicStableScale``,
  ``scaleDownDelaySeconds``, experiment template weights).

Weights that go down between steps are allowed by Argo Rollouts; they raise a
``UserWarning`` instead of an error.

Old names kept for code written against the hand-written classes: ``CanaryStrategy``,
``BlueGreenStrategy``, ``CanaryStep`` and ``TrafficRouting``.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import ValidationError, model_validator

from ..core.fields import NonNegativeInt, PositiveInt, set_fields, wire_name
from ..core.model import K8sModel
from ..core.model_errors import pydantic_validate
from ..core.schema import semantic_check
from ..kube import LabelSelector
from ..models.argoproj_io_v1alpha1 import (
    Rollout,
    RolloutSpec,
    RolloutSpecSelector,
    RolloutSpecStrategy,
    RolloutSpecStrategyBlueGreen,
    RolloutSpecStrategyCanary,
    RolloutSpecStrategyCanarySteps,
    RolloutSpecStrategyCanaryStepsExperiment,
    RolloutSpecStrategyCanaryStepsExperimentTemplates,
    RolloutSpecStrategyCanaryStepsPause,
    RolloutSpecStrategyCanaryStepsSetCanaryScale,
    RolloutSpecStrategyCanaryStepsSetMirrorRoute,
    RolloutSpecStrategyCanaryTrafficRouting,
)
from ._types import Duration, PauseDuration, Percent, Problems, duration_seconds, field_issues

__all__ = [
    "DEFAULT_MAX_TRAFFIC_WEIGHT",
    "GATEWAY_API_PLUGIN",
    "BlueGreenStrategy",
    "CanaryPause",
    "CanaryStep",
    "CanaryStrategy",
    "GatewayAPIConfig",
    "GatewayAPIRoute",
    "Rollout",
    "RolloutSelector",
    "RolloutSpec",
    "RolloutSpecStrategy",
    "RolloutSpecStrategyBlueGreen",
    "RolloutSpecStrategyCanary",
    "RolloutSpecStrategyCanarySteps",
    "RolloutSpecStrategyCanaryTrafficRouting",
    "RolloutStrategy",
    "TrafficRouting",
    "canary_max_traffic_weight",
    "canary_weights",
    "gateway_api_config",
    "has_plugins",
    "pause_seconds",
    "rollout_blue_green",
    "rollout_canary",
    "rollout_gateway_api",
    "rollout_pod_labels",
    "rollout_services",
    "step_actions",
    "traffic_routers",
]

GATEWAY_API_PLUGIN = "argoproj-labs/gatewayAPI"
"""The ``trafficRouting.plugins`` key of the Gateway API traffic router plugin."""

DEFAULT_MAX_TRAFFIC_WEIGHT = 100
"""``trafficRouting.maxTrafficWeight`` when unset: weights are percentages."""

DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600

#: ``spec.strategy.canary``: move traffic (or replicas) to the new version step by step.
CanaryStrategy = RolloutSpecStrategyCanary
#: ``spec.strategy.blueGreen``: run the new version beside the old one, then switch the active Service.
BlueGreenStrategy = RolloutSpecStrategyBlueGreen
#: ``spec.strategy.canary.steps[]``: one canary step, exactly one action.
CanaryStep = RolloutSpecStrategyCanarySteps
#: ``spec.strategy.canary.trafficRouting``: who shifts traffic between stable and canary.
TrafficRouting = RolloutSpecStrategyCanaryTrafficRouting
#: ``spec.strategy.canary.steps[].pause``: wait ``duration``, or until promoted when unset.
CanaryPause = RolloutSpecStrategyCanaryStepsPause
#: ``spec.strategy``: exactly one of ``canary`` and ``blueGreen``.
RolloutStrategy = RolloutSpecStrategy
#: ``spec.selector``: the pods the Rollout owns (``matchLabels``, ``matchExpressions``).
RolloutSelector = RolloutSpecSelector


# =====================================================================================
# The Gateway API traffic router plugin (its configuration is free-form in the CRD)
# =====================================================================================
class GatewayAPIRoute(K8sModel):
    """One route managed by the Gateway API plugin (``httpRoutes[]``, ``grpcRoutes[]``, ...).

    Attributes:
        name: ``name`` of the route object. Required.
        use_header_routes: ``useHeaderRoutes``: add the ``setHeaderRoute`` matches to this route. Default: none (plugin: false).
    """

    name: str
    use_header_routes: bool | None = None


class GatewayAPIConfig(K8sModel):
    """Configuration of the ``argoproj-labs/gatewayAPI`` traffic router plugin.

    The plugin shifts the weights of the stable and canary Services' ``backendRefs`` in the
    named routes; every route must list both Services.

    Attributes:
        http_route: ``httpRoute``: one HTTPRoute name. Default: none.
        http_routes: ``httpRoutes``: several HTTPRoutes. Default: none.
        grpc_route: ``grpcRoute``: one GRPCRoute name. Default: none.
        grpc_routes: ``grpcRoutes``. Default: none.
        tcp_route: ``tcpRoute``: one TCPRoute name. Default: none.
        tcp_routes: ``tcpRoutes``. Default: none.
        tls_route: ``tlsRoute``: one TLSRoute name. Default: none.
        tls_routes: ``tlsRoutes``. Default: none.
        http_route_selector: ``httpRouteSelector``: find HTTPRoutes by label. Default: none.
        grpc_route_selector: ``grpcRouteSelector``. Default: none.
        tcp_route_selector: ``tcpRouteSelector``. Default: none.
        tls_route_selector: ``tlsRouteSelector``. Default: none.
        namespace: ``namespace`` of the routes. Default: none (plugin: the Rollout's namespace).
        config_map: ``configMap`` where the plugin records managed header routes. Default: none
            (plugin: ``argo-gatewayapi-configmap``).
        disable_in_progress_label: ``disableInProgressLabel``. Default: none (plugin: false, routes are
            labelled while a canary runs).
        in_progress_label_key: ``inProgressLabelKey``. Default: none (plugin's own key).
        in_progress_label_value: ``inProgressLabelValue``. Default: none (plugin's own value).
    """

    http_route: str | None = None
    http_routes: list[GatewayAPIRoute] | None = None
    grpc_route: str | None = None
    grpc_routes: list[GatewayAPIRoute] | None = None
    tcp_route: str | None = None
    tcp_routes: list[GatewayAPIRoute] | None = None
    tls_route: str | None = None
    tls_routes: list[GatewayAPIRoute] | None = None
    http_route_selector: LabelSelector | None = None
    grpc_route_selector: LabelSelector | None = None
    tcp_route_selector: LabelSelector | None = None
    tls_route_selector: LabelSelector | None = None
    namespace: str | None = None
    config_map: str | None = None
    disable_in_progress_label: bool | None = None
    in_progress_label_key: str | None = None
    in_progress_label_value: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        kinds = ("http", "grpc", "tcp", "tls")
        if not any(getattr(self, f"{k}_route") or getattr(self, f"{k}_routes") or getattr(self, f"{k}_route_selector")
                   for k in kinds):
            raise ValueError(f"the {GATEWAY_API_PLUGIN} plugin config {self.dump()!r} names no route; "
                             "set httpRoute (or httpRoutes, grpcRoute, grpcRoutes, a route selector) to the route whose weights it shifts")
        return self

    def route_names(self, kind: Literal["http", "grpc", "tcp", "tls"] = "http") -> list[str]:
        """The names of the routes of ``kind`` the plugin manages (single and list forms)."""
        names = [getattr(self, f"{kind}_route")] if getattr(self, f"{kind}_route") else []
        names += [r.name for r in getattr(self, f"{kind}_routes") or []]
        return names


def gateway_api_config(traffic_routing: RolloutSpecStrategyCanaryTrafficRouting | None) -> GatewayAPIConfig | None:
    """The ``argoproj-labs/gatewayAPI`` plugin configuration of ``traffic_routing``, typed; None when not configured."""
    raw = (traffic_routing.plugins or {}).get(GATEWAY_API_PLUGIN) if traffic_routing is not None else None
    if raw is None:
        return None
    return raw if isinstance(raw, GatewayAPIConfig) else GatewayAPIConfig.model_validate(raw)


# =====================================================================================
# Views used by constructs, cross-object checks and the checks below
# =====================================================================================
#: The built-in traffic routers and the actions of a canary step (Python field names; each is a one-of).
_ROUTERS = ("istio", "nginx", "alb", "smi", "ambassador", "app_mesh", "traefik", "apisix")
_STEP_ACTIONS = ("set_weight", "pause", "experiment", "analysis", "set_canary_scale", "set_header_route", "set_mirror_route",
                 "plugin")


def traffic_routers(traffic_routing: RolloutSpecStrategyCanaryTrafficRouting) -> list[str]:
    """The routers configured (upstream keys, plugins as ``plugins.<name>``)."""
    built_in = set_fields(traffic_routing, _ROUTERS)
    return built_in + [f"plugins.{name}" for name in traffic_routing.plugins or {}]


def has_plugins(traffic_routing: RolloutSpecStrategyCanaryTrafficRouting) -> bool:
    """Whether any traffic router plugin is configured."""
    return bool(traffic_routing.plugins)


def step_actions(step: RolloutSpecStrategyCanarySteps) -> list[str]:
    """The upstream names of the actions a canary step sets."""
    return set_fields(step, _STEP_ACTIONS)


def pause_seconds(pause: RolloutSpecStrategyCanaryStepsPause) -> float | None:
    """The pause in seconds, or None for an indefinite pause (until promoted)."""
    return None if pause.duration is None else duration_seconds(pause.duration)


def canary_max_traffic_weight(canary: RolloutSpecStrategyCanary) -> int:
    """``trafficRouting.maxTrafficWeight``, or 100 when unset."""
    tr = canary.traffic_routing
    return tr.max_traffic_weight if tr is not None and tr.max_traffic_weight is not None else DEFAULT_MAX_TRAFFIC_WEIGHT


def canary_weights(canary: RolloutSpecStrategyCanary) -> list[tuple[int, int]]:
    """``(step index, setWeight)`` for every setWeight step, in order."""
    return [(i, s.set_weight) for i, s in enumerate(canary.steps or []) if s.set_weight is not None]


def rollout_canary(rollout: Rollout) -> RolloutSpecStrategyCanary | None:
    """``spec.strategy.canary``, or None."""
    return rollout.spec.strategy.canary if rollout.spec.strategy else None


def rollout_blue_green(rollout: Rollout) -> RolloutSpecStrategyBlueGreen | None:
    """``spec.strategy.blueGreen``, or None."""
    return rollout.spec.strategy.blue_green if rollout.spec.strategy else None


def rollout_pod_labels(rollout: Rollout) -> dict[str, str]:
    """The labels of the pod template (empty with ``workloadRef``)."""
    template = rollout.spec.template
    return dict((template.metadata.labels if template and template.metadata else None) or {})


def rollout_services(rollout: Rollout) -> dict[str, str]:
    """The Services the Rollout manages, by role: ``stable``/``canary`` or ``active``/``preview``."""
    out: dict[str, str] = {}
    canary, blue_green = rollout_canary(rollout), rollout_blue_green(rollout)
    if canary is not None:
        if canary.stable_service:
            out["stable"] = canary.stable_service
        if canary.canary_service:
            out["canary"] = canary.canary_service
    if blue_green is not None:
        out["active"] = blue_green.active_service
        if blue_green.preview_service:
            out["preview"] = blue_green.preview_service
    return out


def rollout_gateway_api(rollout: Rollout) -> GatewayAPIConfig | None:
    """The ``argoproj-labs/gatewayAPI`` plugin configuration, or None."""
    canary = rollout_canary(rollout)
    return gateway_api_config(canary.traffic_routing if canary else None)


# =====================================================================================
# Traffic routing and canary steps
# =====================================================================================
@semantic_check(RolloutSpecStrategyCanaryTrafficRouting)
def _check_traffic_routing(tr: RolloutSpecStrategyCanaryTrafficRouting) -> None:
    problems = Problems()
    field_issues(tr, {"max_traffic_weight": PositiveInt}, problems)
    raw = (tr.plugins or {}).get(GATEWAY_API_PLUGIN)
    if raw is not None and not isinstance(raw, GatewayAPIConfig):
        where: tuple[str | int, ...] = ("plugins", GATEWAY_API_PLUGIN)
        try:
            pydantic_validate(GatewayAPIConfig, raw)  # pydantic's error: its locations go under plugins.<name>
        except ValidationError as exc:
            known = ", ".join(sorted(f.alias or n for n, f in GatewayAPIConfig.model_fields.items()))
            for item in exc.errors(include_url=False):
                loc = where + tuple(item.get("loc", ()))
                if item["type"] == "extra_forbidden":
                    problems.add(loc, f"unknown key of the {GATEWAY_API_PLUGIN} plugin configuration (value {item.get('input')!r}); "
                                      f"remove it or fix its spelling; the keys allowed here are: {known}", item.get("input"))
                else:
                    problems.add_error(where, item)
    problems.raise_any("TrafficRouting")


@semantic_check(RolloutSpecStrategyCanaryStepsPause)
def _check_pause(pause: RolloutSpecStrategyCanaryStepsPause) -> None:
    field_issues(pause, {"duration": PauseDuration}).raise_any("RolloutPause")


@semantic_check(RolloutSpecStrategyCanaryStepsSetCanaryScale)
def _check_set_canary_scale(scale: RolloutSpecStrategyCanaryStepsSetCanaryScale) -> None:
    field_issues(scale, {"weight": Percent, "replicas": NonNegativeInt}).raise_any("SetCanaryScale")


@semantic_check(RolloutSpecStrategyCanaryStepsSetMirrorRoute)
def _check_set_mirror_route(route: RolloutSpecStrategyCanaryStepsSetMirrorRoute) -> None:
    field_issues(route, {"percentage": Percent}).raise_any("SetMirrorRoute")


@semantic_check(RolloutSpecStrategyCanaryStepsExperimentTemplates)
def _check_experiment_template(template: RolloutSpecStrategyCanaryStepsExperimentTemplates) -> None:
    rules = {"spec_ref": Literal["stable", "canary"], "replicas": NonNegativeInt, "weight": Percent}
    field_issues(template, rules).raise_any("ExperimentTemplate")


@semantic_check(RolloutSpecStrategyCanaryStepsExperiment)
def _check_experiment(experiment: RolloutSpecStrategyCanaryStepsExperiment) -> None:
    problems = field_issues(experiment, {"duration": Duration, "scale_down_delay_seconds": NonNegativeInt})
    if not experiment.templates:
        problems.add(("templates",), "the experiment has no templates ([]); add at least one template with a name and specRef", [])
    seen: dict[str, int] = {}
    for i, template in enumerate(experiment.templates):
        if template.name in seen:
            problems.add(("templates", i, "name"), f"template name {template.name!r} is already used by templates[{seen[template.name]}]; "
                                                   "give every experiment template a distinct name", template.name)
        seen.setdefault(template.name, i)
    problems.raise_any("RolloutExperimentStep")


@semantic_check(RolloutSpecStrategyCanarySteps)
def _check_step(step: RolloutSpecStrategyCanarySteps) -> None:
    actions = step_actions(step)
    if len(actions) != 1:
        shown = step.dump()
        if not actions:
            raise ValueError(f"the step {shown!r} has no action; set exactly one of "
                             f"{', '.join(wire_name(RolloutSpecStrategyCanarySteps, n) for n in _STEP_ACTIONS)}")
        raise ValueError(f"the step {shown!r} has {len(actions)} actions ({', '.join(actions)}); "
                         "give each step exactly one action: split it into one step per action")
    if step.set_weight is not None and step.set_weight < 0:
        raise ValueError(f"setWeight: {step.set_weight} is negative; use a weight between 0 and maxTrafficWeight (100 by default)")
