"""``argoproj.io/v1alpha1`` Rollout: canary and blue-green strategies, steps, traffic routing.

Argo Rollouts' own spec validation (the checks its controller applies before acting) is
reproduced in the model validators, so that a Rollout the controller would refuse is
refused at synth with the field path and the bad value:

- exactly one strategy (``canary`` or ``blueGreen``);
- canary and stable Services differ, and both are set when traffic routing is used;
- ``maxSurge`` and ``maxUnavailable`` are not both zero;
- each step has exactly one action;
- ``setWeight`` between 0 and ``trafficRouting.maxTrafficWeight`` (100 by default);
- pause durations are not negative;
- ``progressDeadlineSeconds`` greater than ``minReadySeconds``;
- ``replicas``, ``minReadySeconds`` and ``revisionHistoryLimit`` are not negative;
- the selector matches the pod template labels;
- blue-green active and preview Services differ;
- ``scaleDownDelayRevisionLimit`` at most ``revisionHistoryLimit``;
- ``setCanaryScale``, ``setHeaderRoute`` and ``setMirrorRoute`` only with traffic routing (the
  route steps also need ``trafficRouting.managedRoutes`` listing their route);
- and the smaller rules next to them upstream (anti-affinity, ping-pong, ``dynamicStableScale``,
  ``scaleDownDelaySeconds``, experiment template weights).

Weights that go down between steps are allowed by Argo Rollouts; they raise a
``UserWarning`` instead of an error.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar, Literal, Self

from pydantic import ConfigDict, Field, model_validator

from ..core.fields import IntOrPercent, Issues, NonNegativeInt, PositiveInt
from ..core.model import K8sModel, Resource
from ..kube import LabelSelector, PodTemplateSpec, pod_template_issues, selector_template_issues
from ._types import Duration, PauseDuration, Percent, duration_seconds, percent_value
from .common import AnalysisRunArgument, BackgroundAnalysis, DryRun, PodMetadata, RolloutAnalysis, StringMatch

__all__ = [
    "DEFAULT_MAX_TRAFFIC_WEIGHT",
    "GATEWAY_API_PLUGIN",
    "AntiAffinity",
    "BlueGreenStrategy",
    "CanaryStep",
    "CanaryStrategy",
    "ExperimentAnalysis",
    "ExperimentService",
    "ExperimentTemplate",
    "GatewayAPIConfig",
    "GatewayAPIRoute",
    "HeaderRoutingMatch",
    "ManagedRoute",
    "MirrorRouteMatch",
    "PingPong",
    "PluginStep",
    "PreferredAntiAffinity",
    "ReplicaProgressThreshold",
    "RequiredAntiAffinity",
    "RollbackWindow",
    "Rollout",
    "RolloutAnalysisHistory",
    "RolloutExperimentStep",
    "RolloutPause",
    "RolloutSpec",
    "RolloutStrategy",
    "SetCanaryScale",
    "SetHeaderRoute",
    "SetMirrorRoute",
    "TrafficRouting",
    "TrafficRoutingPlugins",
    "WorkloadRef",
]

GATEWAY_API_PLUGIN = "argoproj-labs/gatewayAPI"
"""The ``trafficRouting.plugins`` key of the Gateway API traffic router plugin."""

DEFAULT_MAX_TRAFFIC_WEIGHT = 100
"""``trafficRouting.maxTrafficWeight`` when unset: weights are percentages."""

DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600


# =====================================================================================
# Traffic routing
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


class TrafficRoutingPlugins(K8sModel):
    """``trafficRouting.plugins``: traffic router plugins by name.

    The Gateway API plugin is typed; other plugins' configurations are kept as given.

    Attributes:
        gateway_api: ``argoproj-labs/gatewayAPI``: see :class:`GatewayAPIConfig`. Default: none.
    """

    model_config = ConfigDict(extra="allow")

    gateway_api: GatewayAPIConfig | None = Field(default=None, alias=GATEWAY_API_PLUGIN)

    def names(self) -> list[str]:
        """Every plugin configured here."""
        names = [GATEWAY_API_PLUGIN] if self.gateway_api is not None else []
        return names + list(self.model_extra or {})


class ManagedRoute(K8sModel):
    """A route Argo Rollouts may add for header or mirror steps (``trafficRouting.managedRoutes[]``).

    Attributes:
        name: ``name``, referenced by ``setHeaderRoute.name`` and ``setMirrorRoute.name``. Required.
    """

    name: str


class TrafficRouting(K8sModel):
    """``spec.strategy.canary.trafficRouting``: who shifts traffic between stable and canary.

    The Gateway API plugin and the common fields are typed; the built-in routers (Istio,
    NGINX, ALB, SMI, Ambassador, App Mesh, Traefik, APISIX) are kept as given.

    Attributes:
        plugins: ``plugins``: traffic router plugins. Default: none.
        max_traffic_weight: ``maxTrafficWeight``: the weight meaning "all traffic" (NGINX and plugins only). Default: none (upstream: 100).
        managed_routes: ``managedRoutes``: routes header and mirror steps may create, in precedence order. Default: none.
        istio: ``istio``, kept as given. Default: none.
        nginx: ``nginx``, kept as given. Default: none.
        alb: ``alb``, kept as given. Default: none.
        smi: ``smi``, kept as given. Default: none.
        ambassador: ``ambassador``, kept as given. Default: none.
        app_mesh: ``appMesh``, kept as given. Default: none.
        traefik: ``traefik``, kept as given. Default: none.
        apisix: ``apisix``, kept as given. Default: none.
    """

    plugins: TrafficRoutingPlugins | None = None
    max_traffic_weight: PositiveInt | None = None
    managed_routes: list[ManagedRoute] | None = None
    istio: dict[str, Any] | None = None
    nginx: dict[str, Any] | None = None
    alb: dict[str, Any] | None = None
    smi: dict[str, Any] | None = None
    ambassador: dict[str, Any] | None = None
    app_mesh: dict[str, Any] | None = None
    traefik: dict[str, Any] | None = None
    apisix: dict[str, Any] | None = None

    @property
    def has_plugins(self) -> bool:
        """Whether any traffic router plugin is configured."""
        return bool(self.plugins and self.plugins.names())

    def routers(self) -> list[str]:
        """The routers configured (upstream keys, plugins as ``plugins.<name>``)."""
        built_in = [k for k in ("istio", "nginx", "alb", "smi", "ambassador", "appMesh", "traefik", "apisix")
                    if getattr(self, "app_mesh" if k == "appMesh" else k) is not None]
        return built_in + [f"plugins.{name}" for name in (self.plugins.names() if self.plugins else [])]


# =====================================================================================
# Canary steps
# =====================================================================================
class RolloutPause(K8sModel):
    """A ``pause`` step: wait for a duration, or (without one) until promoted.

    Attributes:
        duration: ``duration``: seconds as an integer or a string with a unit (``30s``, ``5m``). Default: none
            (pause until ``kubectl argo rollouts promote``).
    """

    duration: PauseDuration | None = None

    @property
    def seconds(self) -> float | None:
        """The pause in seconds, or None for an indefinite pause."""
        return None if self.duration is None else duration_seconds(self.duration)


class SetCanaryScale(K8sModel):
    """A ``setCanaryScale`` step: size the canary independently of its traffic weight (traffic routing only).

    Attributes:
        weight: ``weight``: canary replicas as a percentage of ``spec.replicas``. Default: none.
        replicas: ``replicas``: an absolute canary replica count. Default: none.
        match_traffic_weight: ``matchTrafficWeight``: go back to scaling with the traffic weight. Default: none.
    """

    weight: Percent | None = None
    replicas: NonNegativeInt | None = None
    match_traffic_weight: bool | None = None


class HeaderRoutingMatch(K8sModel):
    """One header condition of a ``setHeaderRoute`` step.

    Attributes:
        header_name: ``headerName``. Required.
        header_value: ``headerValue``: exactly one of exact, prefix, regex. Required.
    """

    header_name: str
    header_value: StringMatch


class SetHeaderRoute(K8sModel):
    """A ``setHeaderRoute`` step: send requests with matching headers to the canary (traffic routing only).

    Attributes:
        name: ``name``: one of ``trafficRouting.managedRoutes``. Required.
        match: ``match``: header conditions; none removes the route. Default: none.
    """

    name: str
    match: list[HeaderRoutingMatch] | None = None


class MirrorRouteMatch(K8sModel):
    """One condition of a ``setMirrorRoute`` step (all given parts must match).

    Attributes:
        method: ``method``. Default: none.
        path: ``path``. Default: none.
        headers: ``headers``: header name to match. Default: none.
    """

    method: StringMatch | None = None
    path: StringMatch | None = None
    headers: dict[str, StringMatch] | None = None


class SetMirrorRoute(K8sModel):
    """A ``setMirrorRoute`` step: copy matching requests to the canary (traffic routing only).

    Attributes:
        name: ``name``: one of ``trafficRouting.managedRoutes``. Required.
        match: ``match``: conditions; none removes the route. Default: none.
        percentage: ``percentage`` of matching requests mirrored. Default: none (upstream: 100).
    """

    name: str
    match: list[MirrorRouteMatch] | None = None
    percentage: Percent | None = None


class ExperimentService(K8sModel):
    """A Service created for an experiment template.

    Attributes:
        name: ``name``. Default: none (generated by the controller).
    """

    name: str | None = None


class ExperimentTemplate(K8sModel):
    """A ReplicaSet an ``experiment`` step runs, from the stable or canary pod template.

    Attributes:
        name: ``name``. Required.
        spec_ref: ``specRef``: ``stable`` or ``canary``. Required.
        replicas: ``replicas``. Default: none (upstream: 1).
        metadata: ``metadata``: labels and annotations added to the pods. Default: none.
        selector: ``selector``: overrides the Rollout's selector. Default: none.
        weight: ``weight``: traffic percentage (ALB, SMI and Istio routing only). Default: none.
        service: ``service``: create a Service for the template. Default: none.
    """

    name: str
    spec_ref: Literal["stable", "canary"]
    replicas: NonNegativeInt | None = None
    metadata: PodMetadata | None = None
    selector: LabelSelector | None = None
    weight: Percent | None = None
    service: ExperimentService | None = None


class ExperimentAnalysis(K8sModel):
    """An analysis run by an ``experiment`` step.

    Attributes:
        name: ``name`` of the analysis within the experiment. Required.
        template_name: ``templateName``. Required.
        cluster_scope: ``clusterScope``: the template is a ClusterAnalysisTemplate. Default: none (upstream: false).
        args: ``args``. Default: none.
        required_for_completion: ``requiredForCompletion``: the experiment ends when this analysis does. Default: none (upstream: false).
    """

    name: str
    template_name: str
    cluster_scope: bool | None = None
    args: list[AnalysisRunArgument] | None = None
    required_for_completion: bool | None = None


class RolloutExperimentStep(K8sModel):
    """An ``experiment`` step: run extra ReplicaSets (and analyses) side by side.

    Attributes:
        templates: ``templates``: at least one, names unique. Required.
        duration: ``duration``: how long the experiment runs (Go duration). Default: none (until the analyses finish).
        analyses: ``analyses``. Default: none.
        dry_run: ``dryRun`` metrics. Default: none.
        analysis_run_metadata: ``analysisRunMetadata``. Default: none.
        scale_down_delay_seconds: ``scaleDownDelaySeconds``. Default: none.
    """

    templates: list[ExperimentTemplate]
    duration: Duration | None = None
    analyses: list[ExperimentAnalysis] | None = None
    dry_run: list[DryRun] | None = None
    analysis_run_metadata: PodMetadata | None = None
    scale_down_delay_seconds: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        if not self.templates:
            problems.add(("templates",), "the experiment has no templates ([]); add at least one template with a name and specRef", [])
        seen: dict[str, int] = {}
        for i, template in enumerate(self.templates):
            if template.name in seen:
                problems.add(("templates", i, "name"), f"template name {template.name!r} is already used by templates[{seen[template.name]}]; "
                                                       "give every experiment template a distinct name", template.name)
            seen.setdefault(template.name, i)
        problems.raise_any("RolloutExperimentStep")
        return self


class PluginStep(K8sModel):
    """A ``plugin`` step: run a step plugin.

    Attributes:
        name: ``name`` of the step plugin. Required.
        config: ``config``, kept as given. Default: none.
    """

    name: str
    config: dict[str, Any] | None = None


_STEP_ACTIONS = ("setWeight", "pause", "experiment", "analysis", "setCanaryScale", "setHeaderRoute", "setMirrorRoute", "plugin")


class CanaryStep(K8sModel):
    """One canary step: exactly one action.

    Attributes:
        set_weight: ``setWeight``: percentage of traffic (or of replicas, without traffic routing) for the canary. Default: none.
        pause: ``pause``: see :class:`RolloutPause`. Default: none.
        experiment: ``experiment``: see :class:`RolloutExperimentStep`. Default: none.
        analysis: ``analysis``: run analysis templates and wait for the result. Default: none.
        set_canary_scale: ``setCanaryScale`` (traffic routing only). Default: none.
        set_header_route: ``setHeaderRoute`` (traffic routing only). Default: none.
        set_mirror_route: ``setMirrorRoute`` (traffic routing only). Default: none.
        plugin: ``plugin``: a step plugin. Default: none.
    """

    set_weight: int | None = None
    pause: RolloutPause | None = None
    experiment: RolloutExperimentStep | None = None
    analysis: RolloutAnalysis | None = None
    set_canary_scale: SetCanaryScale | None = None
    set_header_route: SetHeaderRoute | None = None
    set_mirror_route: SetMirrorRoute | None = None
    plugin: PluginStep | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        actions = self.actions()
        if len(actions) != 1:
            shown = self.dump()
            if not actions:
                raise ValueError(f"the step {shown!r} has no action; set exactly one of {', '.join(_STEP_ACTIONS)}")
            raise ValueError(f"the step {shown!r} has {len(actions)} actions ({', '.join(actions)}); "
                             "give each step exactly one action: split it into one step per action")
        if self.set_weight is not None and self.set_weight < 0:
            raise ValueError(f"setWeight: {self.set_weight} is negative; use a weight between 0 and maxTrafficWeight (100 by default)")
        return self

    def actions(self) -> list[str]:
        """The upstream names of the actions this step sets."""
        return [a for a in _STEP_ACTIONS if getattr(self, _snake(a)) is not None]


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


# =====================================================================================
# Strategies
# =====================================================================================
class PreferredAntiAffinity(K8sModel):
    """Prefer spreading new pods away from the previous version's nodes.

    Attributes:
        weight: ``weight``, 1-100. Required.
    """

    weight: int


class RequiredAntiAffinity(K8sModel):
    """Require spreading new pods away from the previous version's nodes (no fields)."""


class AntiAffinity(K8sModel):
    """``antiAffinity`` between the new and the previous ReplicaSet: exactly one of the two forms.

    Attributes:
        preferred_during_scheduling_ignored_during_execution: ``preferredDuringSchedulingIgnoredDuringExecution``. Default: none.
        required_during_scheduling_ignored_during_execution: ``requiredDuringSchedulingIgnoredDuringExecution``. Default: none.
    """

    preferred_during_scheduling_ignored_during_execution: PreferredAntiAffinity | None = None
    required_during_scheduling_ignored_during_execution: RequiredAntiAffinity | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        preferred = self.preferred_during_scheduling_ignored_during_execution
        required = self.required_during_scheduling_ignored_during_execution
        if (preferred is None) == (required is None):
            what = "sets both" if preferred is not None else "sets neither of"
            raise ValueError(f"antiAffinity {self.dump()!r} {what} preferredDuringSchedulingIgnoredDuringExecution and "
                             "requiredDuringSchedulingIgnoredDuringExecution; set exactly one of them")
        if preferred is not None and not 1 <= preferred.weight <= 100:
            problems = Issues()
            problems.add(("preferredDuringSchedulingIgnoredDuringExecution", "weight"),
                         f"anti-affinity weight {preferred.weight} is outside 1-100; use a weight between 1 and 100", preferred.weight)
            problems.raise_any("AntiAffinity")
        return self


class PingPong(K8sModel):
    """Ping-pong Services (ALB traffic routing): the two Services swap the stable and canary roles.

    Attributes:
        ping_service: ``pingService``. Required.
        pong_service: ``pongService``. Required.
    """

    ping_service: str
    pong_service: str


class ReplicaProgressThreshold(K8sModel):
    """How many canary pods must be ready before a step counts as done.

    Attributes:
        type: ``type``: ``Pod`` (a count) or ``Percent``. Required.
        value: ``value``. Required.
    """

    type: Literal["Pod", "Percent"]
    value: NonNegativeInt


class CanaryStrategy(K8sModel):
    """``spec.strategy.canary``: move traffic (or replicas) to the new version step by step.

    Attributes:
        canary_service: ``canaryService``: the Service selecting canary pods. Default: none.
        stable_service: ``stableService``: the Service selecting stable pods. Default: none.
        canary_metadata: ``canaryMetadata``: labels and annotations on canary pods. Default: none.
        stable_metadata: ``stableMetadata``: labels and annotations on stable pods. Default: none.
        steps: ``steps``. Default: none (upstream: promote at once, a rolling update).
        traffic_routing: ``trafficRouting``. Default: none (weights approximated with replica counts).
        max_surge: ``maxSurge``: extra pods during the update. Default: none (upstream: ``25%``).
        max_unavailable: ``maxUnavailable``: pods that may be unavailable. Default: none (upstream: ``25%``).
        analysis: ``analysis``: background analysis for the whole update. Default: none.
        anti_affinity: ``antiAffinity``. Default: none.
        scale_down_delay_seconds: ``scaleDownDelaySeconds`` before the old ReplicaSet is scaled down
            (traffic routing only). Default: none (upstream: 30 with traffic routing).
        scale_down_delay_revision_limit: ``scaleDownDelayRevisionLimit``. Default: none (no limit).
        abort_scale_down_delay_seconds: ``abortScaleDownDelaySeconds``. Default: none (upstream: 30).
        dynamic_stable_scale: ``dynamicStableScale``: scale the stable side down as the canary takes traffic
            (traffic routing only). Default: none (upstream: false).
        ping_pong: ``pingPong``: see :class:`PingPong`. Default: none.
        min_pods_per_replica_set: ``minPodsPerReplicaSet``. Default: none (upstream: 1).
        replica_progress_threshold: ``replicaProgressThreshold``. Default: none (all pods ready).
    """

    canary_service: str | None = None
    stable_service: str | None = None
    canary_metadata: PodMetadata | None = None
    stable_metadata: PodMetadata | None = None
    steps: list[CanaryStep] | None = None
    traffic_routing: TrafficRouting | None = None
    max_surge: IntOrPercent | None = None
    max_unavailable: IntOrPercent | None = None
    analysis: BackgroundAnalysis | None = None
    anti_affinity: AntiAffinity | None = None
    scale_down_delay_seconds: NonNegativeInt | None = None
    scale_down_delay_revision_limit: NonNegativeInt | None = None
    abort_scale_down_delay_seconds: NonNegativeInt | None = None
    dynamic_stable_scale: bool | None = None
    ping_pong: PingPong | None = None
    min_pods_per_replica_set: PositiveInt | None = None
    replica_progress_threshold: ReplicaProgressThreshold | None = None

    @property
    def max_traffic_weight(self) -> int:
        """``trafficRouting.maxTrafficWeight``, or 100 when unset."""
        tr = self.traffic_routing
        return tr.max_traffic_weight if tr is not None and tr.max_traffic_weight is not None else DEFAULT_MAX_TRAFFIC_WEIGHT

    def weights(self) -> list[tuple[int, int]]:
        """``(step index, setWeight)`` for every setWeight step, in order."""
        return [(i, s.set_weight) for i, s in enumerate(self.steps or []) if s.set_weight is not None]

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        self._check_surge(problems)
        self._check_services(problems)
        self._check_routing_only_fields(problems)
        for i, step in enumerate(self.steps or []):
            self._check_step(i, step, problems)
        problems.raise_any("CanaryStrategy")
        return self

    def _check_surge(self, problems: Issues) -> None:
        if self.max_surge is None or self.max_unavailable is None:
            return  # an unset one defaults to 25%
        if percent_value(self.max_surge) == 0 and percent_value(self.max_unavailable) == 0:
            problems.add(("maxSurge",), f"maxSurge {self.max_surge!r} and maxUnavailable {self.max_unavailable!r} are both zero, "
                                        "so the update could never replace a pod; let at least one be above zero (for example maxSurge: 1)",
                         self.max_surge)

    def _check_services(self, problems: Issues) -> None:
        tr = self.traffic_routing
        if self.canary_service and self.stable_service and self.canary_service == self.stable_service:
            problems.add(("canaryService",), f"canaryService and stableService are both {self.canary_service!r}; "
                                             "use two different Services, one selecting canary pods and one selecting stable pods",
                         self.canary_service)
        if self.ping_pong is not None:
            pp = self.ping_pong
            if tr is not None and tr.alb is None:
                problems.add(("trafficRouting",), f"pingPong is set but trafficRouting uses {', '.join(tr.routers()) or 'no router'}; "
                                                  "ping-pong Services work with ALB traffic routing only", tr.routers())
            if pp.ping_service == pp.pong_service:
                problems.add(("pingPong", "pingService"), f"pingService and pongService are both {pp.ping_service!r}; use two different Services",
                             pp.ping_service)
            if tr is not None and tr.alb is not None and not tr.alb.get("rootService"):
                problems.add(("trafficRouting", "alb", "rootService"), "trafficRouting.alb.rootService is not set, but pingPong is; "
                                                                       "set rootService to the Service the ALB ingress points at", None)
        needs_services = tr is not None and self.ping_pong is None and not (tr.istio is not None and tr.istio.get("destinationRule"))
        if tr is not None and needs_services:
            routers = ", ".join(tr.routers()) or "trafficRouting"
            for key, value in (("stableService", self.stable_service), ("canaryService", self.canary_service)):
                if not value:
                    problems.add((key,), f"{key} is not set ({value!r}), but traffic routing ({routers}) is; set both stableService and "
                                         f"canaryService to Services selecting the Rollout's pods", value)

    def _check_routing_only_fields(self, problems: Issues) -> None:
        tr = self.traffic_routing
        if tr is None:
            if self.scale_down_delay_seconds is not None:
                problems.add(("scaleDownDelaySeconds",), f"scaleDownDelaySeconds {self.scale_down_delay_seconds} is set without trafficRouting; "
                                                         "remove it, or configure trafficRouting", self.scale_down_delay_seconds)
            if self.dynamic_stable_scale:
                problems.add(("dynamicStableScale",), "dynamicStableScale true needs trafficRouting; remove it, or configure trafficRouting",
                             self.dynamic_stable_scale)
            return
        if self.scale_down_delay_seconds is not None and self.dynamic_stable_scale:
            problems.add(("dynamicStableScale",), f"dynamicStableScale true cannot be combined with scaleDownDelaySeconds "
                                                  f"{self.scale_down_delay_seconds}; remove one of them", self.dynamic_stable_scale)
        if tr.max_traffic_weight is not None and tr.nginx is None and not tr.has_plugins:
            problems.add(("trafficRouting", "maxTrafficWeight"),
                         f"maxTrafficWeight {tr.max_traffic_weight} is only supported with NGINX or plugin traffic routing, not "
                         f"{', '.join(tr.routers()) or 'no router'}; remove it (weights are then percentages)", tr.max_traffic_weight)

    def _check_step(self, i: int, step: CanaryStep, problems: Issues) -> None:
        tr = self.traffic_routing
        where = ("steps", i)
        if step.set_weight is not None and step.set_weight > self.max_traffic_weight:
            problems.add(where + ("setWeight",), f"{step.set_weight} is above maxTrafficWeight {self.max_traffic_weight}; "
                                                 f"use a weight between 0 and {self.max_traffic_weight}", step.set_weight)
        if step.set_canary_scale is not None and tr is None:
            problems.add(where + ("setCanaryScale",), f"setCanaryScale {step.set_canary_scale.dump()!r} needs trafficRouting; "
                                                      "configure trafficRouting (such as the Gateway API plugin) or remove the step",
                         step.set_canary_scale.dump())
        if step.set_header_route is not None:
            route = step.set_header_route
            if tr is None or (tr.istio is None and tr.alb is None and tr.apisix is None and not tr.has_plugins):
                using = "no trafficRouting" if tr is None else f"trafficRouting with {', '.join(tr.routers()) or 'no router'}"
                problems.add(where + ("setHeaderRoute",), f"setHeaderRoute {route.name!r} needs trafficRouting with Istio, ALB, APISIX or a "
                                                          f"plugin, but the Rollout has {using}; configure such traffic routing or remove the step",
                             route.dump())
            elif tr.alb is not None:
                for j, match in enumerate(route.match or []):
                    value = match.header_value
                    if not value.exact:
                        problems.add(where + ("setHeaderRoute", "match", j, "headerValue"),
                                     f"headerValue {value.dump()!r} is not an exact match, the only kind ALB supports; use exact", value.dump())
        if step.set_mirror_route is not None and (tr is None or (tr.istio is None and not tr.has_plugins)):
            using = "no trafficRouting" if tr is None else f"trafficRouting with {', '.join(tr.routers()) or 'no router'}"
            problems.add(where + ("setMirrorRoute",), f"setMirrorRoute {step.set_mirror_route.name!r} needs trafficRouting with Istio or a "
                                                      f"plugin, but the Rollout has {using}; configure such traffic routing or remove the step",
                         step.set_mirror_route.dump())
        if tr is not None:
            for key, step_route in (("setHeaderRoute", step.set_header_route), ("setMirrorRoute", step.set_mirror_route)):
                if step_route is None:
                    continue
                managed = [r.name for r in tr.managed_routes or []]
                if tr.managed_routes is None:
                    problems.add(("trafficRouting", "managedRoutes"),
                                 f"is not set, but steps[{i}].{key} uses route {step_route.name!r}; list it in trafficRouting.managedRoutes", None)
                elif step_route.name not in managed:
                    problems.add(where + (key, "name"), f"route {step_route.name!r} is not in trafficRouting.managedRoutes {managed!r}; "
                                                        f"add {{name: {step_route.name}}} to managedRoutes or use one of its names", step_route.name)
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
                                 f"{', '.join(tr.routers()) or 'no router'}; remove weight", template.weight)


class BlueGreenStrategy(K8sModel):
    """``spec.strategy.blueGreen``: run the new version beside the old one, then switch the active Service.

    Attributes:
        active_service: ``activeService``: the Service that receives production traffic. Required.
        preview_service: ``previewService``: a Service selecting the new version before promotion. Default: none.
        auto_promotion_enabled: ``autoPromotionEnabled``: promote as soon as the new version is ready. Default: none (upstream: true).
        auto_promotion_seconds: ``autoPromotionSeconds``: promote automatically after this pause. Default: none.
        scale_down_delay_seconds: ``scaleDownDelaySeconds`` before the old version is scaled down. Default: none (upstream: 30).
        scale_down_delay_revision_limit: ``scaleDownDelayRevisionLimit``: old ReplicaSets kept running
            during the delay; at most ``spec.revisionHistoryLimit``. Default: none (no limit).
        abort_scale_down_delay_seconds: ``abortScaleDownDelaySeconds``. Default: none (upstream: 30).
        pre_promotion_analysis: ``prePromotionAnalysis``: must pass before the switch. Default: none.
        post_promotion_analysis: ``postPromotionAnalysis``: runs after the switch; failure switches back. Default: none.
        preview_replica_count: ``previewReplicaCount``: replicas of the preview before promotion. Default: none (upstream: ``spec.replicas``).
        max_unavailable: ``maxUnavailable``. Default: none (upstream: ``25%``).
        anti_affinity: ``antiAffinity``. Default: none.
        active_metadata: ``activeMetadata``: labels and annotations of active pods. Default: none.
        preview_metadata: ``previewMetadata``: labels and annotations of preview pods. Default: none.
    """

    active_service: str
    preview_service: str | None = None
    auto_promotion_enabled: bool | None = None
    auto_promotion_seconds: NonNegativeInt | None = None
    scale_down_delay_seconds: NonNegativeInt | None = None
    scale_down_delay_revision_limit: NonNegativeInt | None = None
    abort_scale_down_delay_seconds: NonNegativeInt | None = None
    pre_promotion_analysis: RolloutAnalysis | None = None
    post_promotion_analysis: RolloutAnalysis | None = None
    preview_replica_count: NonNegativeInt | None = None
    max_unavailable: IntOrPercent | None = None
    anti_affinity: AntiAffinity | None = None
    active_metadata: PodMetadata | None = None
    preview_metadata: PodMetadata | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        if not self.active_service:
            problems.add(("activeService",), "activeService is empty (''); name the Service that receives production traffic", self.active_service)
        elif self.active_service == self.preview_service:
            problems.add(("activeService",), f"activeService and previewService are both {self.active_service!r}; "
                                             "use two different Services (or leave previewService out)", self.active_service)
        problems.raise_any("BlueGreenStrategy")
        return self


class RolloutStrategy(K8sModel):
    """``spec.strategy``: exactly one of ``canary`` or ``blueGreen``.

    Attributes:
        canary: ``canary``: see :class:`CanaryStrategy`. Default: none.
        blue_green: ``blueGreen``: see :class:`BlueGreenStrategy`. Default: none.
    """

    canary: CanaryStrategy | None = None
    blue_green: BlueGreenStrategy | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.canary is not None and self.blue_green is not None:
            raise ValueError("the strategy sets both canary and blueGreen (canary=set, blueGreen=set); choose exactly one strategy")
        if self.canary is None and self.blue_green is None:
            raise ValueError(f"the strategy {self.dump()!r} sets neither canary nor blueGreen; set exactly one of them")
        return self


# =====================================================================================
# The Rollout
# =====================================================================================
class WorkloadRef(K8sModel):
    """``spec.workloadRef``: take the pod template (and selector) from an existing Deployment.

    Attributes:
        api_version: ``apiVersion`` of the referenced workload (``apps/v1``). Required.
        kind: ``kind`` (``Deployment``). Required.
        name: ``name``. Required.
        scale_down: ``scaleDown``: what happens to the Deployment: ``never``, ``onsuccess`` or
            ``progressively``. Default: none (upstream: ``never``).
    """

    api_version: str = Field(alias="apiVersion")
    kind: str
    name: str
    scale_down: Literal["never", "onsuccess", "progressively"] | None = None


class RollbackWindow(K8sModel):
    """``spec.rollbackWindow``: revisions that roll back quickly, without steps.

    Attributes:
        revisions: ``revisions``. Default: none.
    """

    revisions: NonNegativeInt | None = None


class RolloutAnalysisHistory(K8sModel):
    """``spec.analysis``: how many finished AnalysisRuns to keep.

    Attributes:
        successful_run_history_limit: ``successfulRunHistoryLimit``. Default: none (upstream: 5).
        unsuccessful_run_history_limit: ``unsuccessfulRunHistoryLimit``. Default: none (upstream: 5).
    """

    successful_run_history_limit: NonNegativeInt | None = None
    unsuccessful_run_history_limit: NonNegativeInt | None = None


class RolloutSpec(K8sModel):
    """``spec`` of a Rollout.

    Attributes:
        replicas: ``replicas``. Default: none (upstream: 1). Leave it out when an HPA scales the Rollout.
        selector: ``selector``: must select the pod template's labels; required unless ``workloadRef`` is set. Default: none.
        template: ``template``: the pod template; required unless ``workloadRef`` is set. Default: none.
        workload_ref: ``workloadRef``: see :class:`WorkloadRef`. Default: none.
        strategy: ``strategy``: see :class:`RolloutStrategy`. Required by Argo Rollouts.
        min_ready_seconds: ``minReadySeconds``. Default: none (upstream: 0).
        revision_history_limit: ``revisionHistoryLimit``: old ReplicaSets kept. Default: none (upstream: 10).
        paused: ``paused``. Default: none (upstream: false).
        progress_deadline_seconds: ``progressDeadlineSeconds``: greater than ``minReadySeconds``. Default: none (upstream: 600).
        progress_deadline_abort: ``progressDeadlineAbort``: abort when the deadline passes. Default: none (upstream: false).
        restart_at: ``restartAt``: restart pods created before this RFC 3339 time. Default: none.
        rollback_window: ``rollbackWindow``. Default: none.
        analysis: ``analysis``: AnalysisRun history limits. Default: none.
    """

    replicas: NonNegativeInt | None = None
    selector: LabelSelector | None = None
    template: PodTemplateSpec | None = None
    workload_ref: WorkloadRef | None = None
    strategy: RolloutStrategy | None = None
    min_ready_seconds: NonNegativeInt | None = None
    revision_history_limit: NonNegativeInt | None = None
    paused: bool | None = None
    progress_deadline_seconds: NonNegativeInt | None = None
    progress_deadline_abort: bool | None = None
    restart_at: str | None = None
    rollback_window: RollbackWindow | None = None
    analysis: RolloutAnalysisHistory | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        problems = Issues()
        if self.strategy is None:
            problems.add(("strategy",), "strategy is not set (None); set strategy.canary or strategy.blueGreen", None)
        self._check_template(problems)
        self._check_deadline(problems)
        self._check_revision_limits(problems)
        problems.raise_any("RolloutSpec")
        return self

    def _check_template(self, problems: Issues) -> None:
        if self.workload_ref is not None:
            if self.template is not None:
                problems.add(("template",), f"template is set together with workloadRef (the {self.workload_ref.kind} "
                                            f"{self.workload_ref.name!r}); remove template, the pods come from the referenced workload",
                             "template")
            return
        if self.selector is None:
            problems.add(("selector",), "selector is not set (None); set selector.matchLabels to labels of the pod template "
                                        "(or use workloadRef)", None)
        if self.template is None:
            problems.add(("template",), "template is not set (None); add the pod template (or use workloadRef)", None)
        if self.selector is not None and self.template is not None:
            problems.extend((), selector_template_issues(self.selector, self.template, "Rollout"))
        if self.template is not None:
            problems.extend(("template",), pod_template_issues(self.template, allowed_restart=("Always",), kind="Rollout"))

    def _check_deadline(self, problems: Issues) -> None:
        deadline = self.progress_deadline_seconds
        min_ready = self.min_ready_seconds or 0
        if deadline is not None and deadline <= min_ready:
            problems.add(("progressDeadlineSeconds",), f"progressDeadlineSeconds {deadline} is not greater than minReadySeconds {min_ready}; "
                                                       f"use a deadline above {min_ready} seconds", deadline)
        elif deadline is None and min_ready >= DEFAULT_PROGRESS_DEADLINE_SECONDS:
            problems.add(("minReadySeconds",), f"minReadySeconds {min_ready} is not below progressDeadlineSeconds "
                                               f"({DEFAULT_PROGRESS_DEADLINE_SECONDS} by default); lower minReadySeconds or set "
                                               f"progressDeadlineSeconds above {min_ready}", min_ready)

    def _check_revision_limits(self, problems: Issues) -> None:
        if self.strategy is None:
            return
        limit = self.revision_history_limit if self.revision_history_limit is not None else DEFAULT_REVISION_HISTORY_LIMIT
        shown = f"{limit}" if self.revision_history_limit is not None else f"{limit} by default"
        for key, strategy in (("canary", self.strategy.canary), ("blueGreen", self.strategy.blue_green)):
            if strategy is None or strategy.scale_down_delay_revision_limit is None:
                continue
            value = strategy.scale_down_delay_revision_limit
            if value > limit:
                problems.add(("strategy", key, "scaleDownDelayRevisionLimit"),
                             f"scaleDownDelayRevisionLimit {value} is above revisionHistoryLimit ({shown}); "
                             f"use at most {limit} or raise spec.revisionHistoryLimit", value)


class Rollout(Resource):
    """An Argo Rollouts ``Rollout`` (``argoproj.io/v1alpha1``): a Deployment with canary or blue-green updates.

    Attributes:
        spec: ``spec``: see :class:`RolloutSpec`. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Rollout"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)

    spec: RolloutSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _warn_weights_down(self) -> Self:
        canary = self.canary
        if canary is None:
            return self
        previous: tuple[int, int] | None = None
        for index, weight in canary.weights():
            if previous is not None and weight < previous[1]:
                warnings.warn(
                    f"{self.describe()}: spec.strategy.canary.steps[{index}].setWeight: {weight} is below the earlier setWeight "
                    f"{previous[1]} (steps[{previous[0]}]), so traffic moves back to the stable version here; "
                    "check the order of the steps if that is not intended",
                    UserWarning,
                    stacklevel=2,
                )
            previous = (index, weight)
        return self

    # -- convenience views used by constructs and cross-object checks --------------------
    @property
    def canary(self) -> CanaryStrategy | None:
        """``spec.strategy.canary``, or None."""
        return self.spec.strategy.canary if self.spec.strategy else None

    @property
    def blue_green(self) -> BlueGreenStrategy | None:
        """``spec.strategy.blueGreen``, or None."""
        return self.spec.strategy.blue_green if self.spec.strategy else None

    def pod_labels(self) -> dict[str, str]:
        """The labels of the pod template (empty with ``workloadRef``)."""
        template = self.spec.template
        return dict((template.metadata.labels if template and template.metadata else None) or {})

    def services(self) -> dict[str, str]:
        """The Services the Rollout manages, by role: ``stable``/``canary`` or ``active``/``preview``."""
        out: dict[str, str] = {}
        if self.canary is not None:
            if self.canary.stable_service:
                out["stable"] = self.canary.stable_service
            if self.canary.canary_service:
                out["canary"] = self.canary.canary_service
        if self.blue_green is not None:
            out["active"] = self.blue_green.active_service
            if self.blue_green.preview_service:
                out["preview"] = self.blue_green.preview_service
        return out

    def gateway_api(self) -> GatewayAPIConfig | None:
        """The ``argoproj-labs/gatewayAPI`` plugin configuration, or None."""
        canary = self.canary
        tr = canary.traffic_routing if canary else None
        return tr.plugins.gateway_api if tr and tr.plugins else None
