"""Builders for strategy shapes: canary steps, Gateway API canary, blue-green, analysis references."""

from __future__ import annotations

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.rollouts import (
    GATEWAY_API_PLUGIN,
    BackgroundAnalysis,
    Rollout,
    RolloutAnalysis,
    analysis_step,
    blue_green_strategy,
    canary_steps,
    gateway_api_canary,
    gateway_api_routing,
    rollout_analysis,
    rollout_gateway_api,
)

POD = {
    "selector": {"matchLabels": {"app": "checkout"}},
    "template": {"metadata": {"labels": {"app": "checkout"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}},
}


class TestCanarySteps:
    def test_seed_plan(self) -> None:
        """10% -> 30% -> 50% -> 100% with 1m/1m/2m pauses gives alternating weight and pause steps."""
        steps = canary_steps([10, 30, 50, 100], ["1m", "1m", "2m"])
        assert [s.dump() for s in steps] == [
            {"setWeight": 10}, {"pause": {"duration": "1m"}},
            {"setWeight": 30}, {"pause": {"duration": "1m"}},
            {"setWeight": 50}, {"pause": {"duration": "2m"}},
            {"setWeight": 100},
        ]

    def test_single_pause_between_weights(self) -> None:
        """One duration pauses after every weight but the last."""
        steps = canary_steps([25, 50, 100], 30)
        assert [s.dump() for s in steps] == [{"setWeight": 25}, {"pause": {"duration": 30}}, {"setWeight": 50},
                                             {"pause": {"duration": 30}}, {"setWeight": 100}]

    def test_none_pauses_until_promoted(self) -> None:
        """None as a pause waits for manual promotion ({})."""
        assert [s.dump() for s in canary_steps([20, 100], [None])] == [{"setWeight": 20}, {"pause": {}}, {"setWeight": 100}]

    def test_no_pauses(self) -> None:
        """Without pauses, only weights."""
        assert [s.dump() for s in canary_steps([50, 100])] == [{"setWeight": 50}, {"setWeight": 100}]

    def test_bad_weight_refused(self) -> None:
        """A weight above 100 is refused with its step path and value."""
        with pytest.raises(ManifestError, match=r"canary_steps: steps\[2\]\.setWeight: 150 is above"):
            canary_steps([10, 150], ["1m"])

    def test_bad_pause_refused(self) -> None:
        """A negative pause is refused with its path and value."""
        with pytest.raises(ManifestError, match=r"steps\[1\]\.pause\.duration: pause duration '-1m' is negative"):
            canary_steps([10, 100], ["-1m"])

    def test_too_many_pauses_refused(self) -> None:
        """More pauses than weights is a mistake."""
        with pytest.raises(ManifestError, match="3 pauses for 2 weights"):
            canary_steps([10, 100], ["1m", "1m", "1m"])

    def test_no_weights_refused(self) -> None:
        """At least one weight is needed."""
        with pytest.raises(ManifestError, match="no weights"):
            canary_steps([])


class TestGatewayApiCanary:
    def test_strategy_shape(self) -> None:
        """The canary names both Services and routes through the Gateway API plugin."""
        canary = gateway_api_canary(stable_service="checkout-stable", canary_service="checkout-canary", http_route="checkout",
                                    namespace="shop", steps=canary_steps([10, 100], ["1m"]))
        assert canary.dump() == {
            "stableService": "checkout-stable",
            "canaryService": "checkout-canary",
            "trafficRouting": {"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": "checkout", "namespace": "shop"}}},
            "steps": [{"setWeight": 10}, {"pause": {"duration": "1m"}}, {"setWeight": 100}],
        }

    def test_several_routes(self) -> None:
        """Several route names become httpRoutes / grpcRoutes lists."""
        routing = gateway_api_routing(["web", "api"], grpc_route=["grpc"], managed_routes=["beta"], max_traffic_weight=1000)
        assert routing.dump() == {
            "plugins": {GATEWAY_API_PLUGIN: {"httpRoutes": [{"name": "web"}, {"name": "api"}], "grpcRoutes": [{"name": "grpc"}]}},
            "maxTrafficWeight": 1000,
            "managedRoutes": [{"name": "beta"}],
        }

    def test_same_services_refused(self) -> None:
        """The builder applies the strategy rules: identical Services are refused."""
        with pytest.raises(ManifestError, match=r"gateway_api_canary: canaryService: .*'checkout'"):
            gateway_api_canary(stable_service="checkout", canary_service="checkout", http_route="checkout")

    def test_no_route_refused(self) -> None:
        """The plugin needs a route."""
        with pytest.raises(ManifestError, match="names no route"):
            gateway_api_canary(stable_service="a", canary_service="b")

    def test_rollout_from_builders(self) -> None:
        """A Rollout assembled from the builders validates and keeps its plugin configuration."""
        canary = gateway_api_canary(stable_service="checkout-stable", canary_service="checkout-canary", http_route="checkout",
                                    steps=canary_steps([10, 30, 50, 100], ["1m", "1m", "2m"]),
                                    analysis=rollout_analysis("success-rate", args={"service": "checkout-canary"}, background=True,
                                                              starting_step=2))
        rollout = Rollout.from_manifest({"metadata": {"name": "checkout"}, "spec": {**POD, "strategy": {"canary": canary}}})
        assert rollout_gateway_api(rollout).http_route == "checkout"  # type: ignore[union-attr]
        manifest = rollout.to_manifest()
        assert manifest["spec"]["strategy"]["canary"]["analysis"] == {
            "templates": [{"templateName": "success-rate"}], "args": [{"name": "service", "value": "checkout-canary"}], "startingStep": 2}


class TestBlueGreen:
    def test_only_given_fields(self) -> None:
        """Unset arguments stay unset, so upstream defaults apply."""
        strategy = blue_green_strategy("checkout-active", "checkout-preview", auto_promotion_enabled=False,
                                       pre_promotion_analysis=rollout_analysis("smoke"))
        assert strategy.dump() == {"activeService": "checkout-active", "previewService": "checkout-preview",
                                   "autoPromotionEnabled": False, "prePromotionAnalysis": {"templates": [{"templateName": "smoke"}]}}

    def test_same_services_refused(self) -> None:
        """Active and preview Services must differ."""
        with pytest.raises(ManifestError, match=r"blue_green_strategy: activeService: .*'checkout'"):
            blue_green_strategy("checkout", "checkout")


class TestRolloutAnalysis:
    def test_step_and_cluster_scope(self) -> None:
        """analysis_step references ClusterAnalysisTemplates with clusterScope."""
        step = analysis_step("error-rate", cluster_scope=True)
        assert step.dump() == {"analysis": {"templates": [{"templateName": "error-rate", "clusterScope": True}]}}

    def test_kinds(self) -> None:
        """background=True gives a BackgroundAnalysis; otherwise a RolloutAnalysis."""
        assert type(rollout_analysis("a")) is RolloutAnalysis
        assert isinstance(rollout_analysis("a", background=True), BackgroundAnalysis)

    def test_starting_step_only_in_background(self) -> None:
        """startingStep belongs to background analysis."""
        with pytest.raises(ManifestError, match="starting_step 1 is only used by background analysis"):
            rollout_analysis("a", starting_step=1)  # type: ignore[call-overload]  # the mistake under test

    def test_no_template_refused(self) -> None:
        """At least one template name is needed."""
        with pytest.raises(ManifestError, match="no template names"):
            rollout_analysis()
