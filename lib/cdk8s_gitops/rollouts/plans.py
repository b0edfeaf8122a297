"""Builders for the common shapes of a Rollout strategy.

The microservice construct (``platform/``) turns an environment's delivery settings
into a strategy with these; they are equally usable by hand::

    steps = canary_steps([10, 30, 50, 100], pauses=["1m", "1m", "2m"])
    canary = gateway_api_canary(
        stable_service="checkout-stable", canary_service="checkout-canary",
        http_route="checkout", steps=steps,
    )

Every builder returns a frozen, validated model and raises
:class:`~cdk8s_gitops.ManifestError` (naming the field and the bad value) for bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from ..core.errors import ManifestError, Problem
from ..core.model import validate_model
from .common import BackgroundAnalysis, RolloutAnalysis
from .rollout import GATEWAY_API_PLUGIN, BlueGreenStrategy, CanaryStep, CanaryStrategy, TrafficRouting

__all__ = [
    "analysis_step",
    "blue_green_strategy",
    "canary_steps",
    "gateway_api_canary",
    "gateway_api_routing",
    "rollout_analysis",
]

PauseSpec = str | int | None
"""A pause after a weight: a duration (``"1m"``, or seconds as an int), or None to wait until promoted."""


def _given(**fields: Any) -> dict[str, Any]:
    """Only the fields that were passed (None means "leave unset, upstream default")."""
    return {k: v for k, v in fields.items() if v is not None}


def canary_steps(weights: Sequence[int], pauses: Sequence[PauseSpec] | str | int = ()) -> list[CanaryStep]:
    """``setWeight`` steps, each followed by its pause.

    Args:
        weights: canary weights in order, such as ``[10, 30, 50, 100]``.
        pauses: the pause after each weight, aligned with ``weights``: a duration (``"1m"``,
            ``90``) or None for a pause until ``kubectl argo rollouts promote``. A shorter list
            leaves the remaining weights without a pause. A single duration pauses after every
            weight but the last. Default: no pauses.

    Returns:
        The steps, for ``CanaryStrategy.steps``.

    Example: ``canary_steps([10, 30, 50, 100], ["1m", "1m", "2m"])`` gives setWeight 10, pause 1m,
    setWeight 30, pause 1m, setWeight 50, pause 2m, setWeight 100.
    """
    weights = list(weights)
    if not weights:
        raise ManifestError(Problem("canary_steps", "weights", "no weights were given ([])", "pass at least one weight, such as [10, 50, 100]"))
    if isinstance(pauses, bool):
        raise ManifestError(Problem("canary_steps", "pauses", f"{pauses!r} is not a pause",
                                    "pass a duration such as '1m', seconds as an integer, or a list of them"))
    if isinstance(pauses, str | int):
        pause_list: list[PauseSpec] = [pauses] * (len(weights) - 1)
    else:
        pause_list = list(pauses)
    if len(pause_list) > len(weights):
        raise ManifestError(Problem("canary_steps", "pauses", f"{len(pause_list)} pauses for {len(weights)} weights ({pause_list!r})",
                                    "give at most one pause per weight"))
    raw: list[dict[str, Any]] = []
    for i, weight in enumerate(weights):
        raw.append({"setWeight": weight})
        if i < len(pause_list):
            pause = pause_list[i]
            raw.append({"pause": {} if pause is None else {"duration": pause}})
    steps = validate_model(CanaryStrategy, {"steps": raw}, subject="canary_steps").steps
    assert steps is not None
    return list(steps)


@overload
def rollout_analysis(*template_names: str, args: Mapping[str, str] | None = None, cluster_scope: bool = False,
                     background: Literal[True], starting_step: int | None = None) -> BackgroundAnalysis: ...


@overload
def rollout_analysis(*template_names: str, args: Mapping[str, str] | None = None, cluster_scope: bool = False,
                     background: Literal[False] = False, starting_step: None = None) -> RolloutAnalysis: ...


def rollout_analysis(
    *template_names: str,
    args: Mapping[str, str] | None = None,
    cluster_scope: bool = False,
    background: bool = False,
    starting_step: int | None = None,
) -> RolloutAnalysis:
    """An analysis reference: the named templates, run together with ``args``.

    Args:
        template_names: AnalysisTemplate names (ClusterAnalysisTemplate names with ``cluster_scope``).
        args: argument values by name (strings). Default: none.
        cluster_scope: the names are ClusterAnalysisTemplates. Default: false.
        background: return a :class:`BackgroundAnalysis` for ``CanaryStrategy.analysis``. Default: false.
        starting_step: with ``background``, the step index at which the analysis starts. Default: none (from the start).
    """
    if not template_names:
        raise ManifestError(Problem("rollout_analysis", "templates", "no template names were given", "pass at least one AnalysisTemplate name"))
    data: dict[str, Any] = {
        "templates": [{"templateName": name, **({"clusterScope": True} if cluster_scope else {})} for name in template_names],
    }
    if args:
        data["args"] = [{"name": k, "value": v} for k, v in args.items()]
    if background:
        if starting_step is not None:
            data["startingStep"] = starting_step
        return validate_model(BackgroundAnalysis, data, subject="rollout_analysis")
    if starting_step is not None:
        raise ManifestError(Problem("rollout_analysis", "startingStep", f"starting_step {starting_step} is only used by background analysis",
                                    "pass background=True or leave starting_step out"))
    return validate_model(RolloutAnalysis, data, subject="rollout_analysis")


def analysis_step(*template_names: str, args: Mapping[str, str] | None = None, cluster_scope: bool = False) -> CanaryStep:
    """A canary ``analysis`` step running the named templates (see :func:`rollout_analysis`)."""
    analysis = rollout_analysis(*template_names, args=args, cluster_scope=cluster_scope)
    return validate_model(CanaryStep, {"analysis": analysis}, subject="analysis_step")


def gateway_api_routing(
    http_route: str | Sequence[str] = (),
    *,
    grpc_route: str | Sequence[str] = (),
    namespace: str | None = None,
    config_map: str | None = None,
    max_traffic_weight: int | None = None,
    managed_routes: Sequence[str] = (),
) -> TrafficRouting:
    """``trafficRouting`` through the ``argoproj-labs/gatewayAPI`` plugin.

    Args:
        http_route: the HTTPRoute name (``httpRoute``), or several names (``httpRoutes``).
        grpc_route: the GRPCRoute name (``grpcRoute``), or several (``grpcRoutes``).
        namespace: the routes' namespace. Default: none (the Rollout's).
        config_map: the plugin's ConfigMap for header routes. Default: none (the plugin's default).
        max_traffic_weight: ``maxTrafficWeight``. Default: none (100).
        managed_routes: names for ``setHeaderRoute``/``setMirrorRoute`` steps. Default: none.
    """
    config: dict[str, Any] = {}
    for kind, value in (("http", http_route), ("grpc", grpc_route)):
        if isinstance(value, str):
            config[f"{kind}Route"] = value
        elif value:
            config[f"{kind}Routes"] = [{"name": name} for name in value]
    config.update(_given(namespace=namespace, configMap=config_map))
    data: dict[str, Any] = {"plugins": {GATEWAY_API_PLUGIN: config}}
    data.update(_given(maxTrafficWeight=max_traffic_weight))
    if managed_routes:
        data["managedRoutes"] = [{"name": name} for name in managed_routes]
    return validate_model(TrafficRouting, data, subject="gateway_api_routing")


def gateway_api_canary(
    *,
    stable_service: str,
    canary_service: str,
    http_route: str | Sequence[str] = (),
    grpc_route: str | Sequence[str] = (),
    steps: Sequence[CanaryStep] = (),
    namespace: str | None = None,
    analysis: BackgroundAnalysis | None = None,
    max_surge: int | str | None = None,
    max_unavailable: int | str | None = None,
    dynamic_stable_scale: bool | None = None,
    abort_scale_down_delay_seconds: int | None = None,
) -> CanaryStrategy:
    """A canary strategy whose weights the Gateway API plugin applies to the route(s).

    The route(s) must list both Services as ``backendRefs``; the platform construct that
    writes the HTTPRoute takes care of it. Unset arguments stay unset (upstream defaults).
    """
    data: dict[str, Any] = {
        "stableService": stable_service,
        "canaryService": canary_service,
        "trafficRouting": gateway_api_routing(http_route, grpc_route=grpc_route, namespace=namespace),
    }
    if steps:
        data["steps"] = list(steps)
    data.update(_given(analysis=analysis, maxSurge=max_surge, maxUnavailable=max_unavailable,
                       dynamicStableScale=dynamic_stable_scale, abortScaleDownDelaySeconds=abort_scale_down_delay_seconds))
    return validate_model(CanaryStrategy, data, subject="gateway_api_canary")


def blue_green_strategy(
    active_service: str,
    preview_service: str | None = None,
    *,
    auto_promotion_enabled: bool | None = None,
    auto_promotion_seconds: int | None = None,
    pre_promotion_analysis: RolloutAnalysis | None = None,
    post_promotion_analysis: RolloutAnalysis | None = None,
    scale_down_delay_seconds: int | None = None,
    scale_down_delay_revision_limit: int | None = None,
    preview_replica_count: int | None = None,
) -> BlueGreenStrategy:
    """A blue-green strategy; unset arguments stay unset (upstream defaults: auto-promotion on, 30 s delay)."""
    data = _given(
        activeService=active_service,
        previewService=preview_service,
        autoPromotionEnabled=auto_promotion_enabled,
        autoPromotionSeconds=auto_promotion_seconds,
        prePromotionAnalysis=pre_promotion_analysis,
        postPromotionAnalysis=post_promotion_analysis,
        scaleDownDelaySeconds=scale_down_delay_seconds,
        scaleDownDelayRevisionLimit=scale_down_delay_revision_limit,
        previewReplicaCount=preview_replica_count,
    )
    return validate_model(BlueGreenStrategy, data, subject="blue_green_strategy")
