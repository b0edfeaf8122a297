"""Rollout: the typed model, its round trip, and Argo Rollouts' spec validation (one test per rule)."""

from __future__ import annotations

import copy
import warnings
from typing import Any

import cdk8s
import pytest
from helpers import manifest_error

from cdk8s_gitops import GitOpsChart, ManifestError, TypedResource
from cdk8s_gitops.core.model import validate_model
from cdk8s_gitops.rollouts import (
    GATEWAY_API_PLUGIN,
    CanaryStrategy,
    GatewayAPIConfig,
    Rollout,
    canary_max_traffic_weight,
    canary_weights,
    pause_seconds,
    rollout_blue_green,
    rollout_canary,
    rollout_gateway_api,
    rollout_pod_labels,
    rollout_services,
    step_actions,
    traffic_routers,
)


def canary_doc(**canary: Any) -> dict[str, Any]:
    """A valid canary Rollout routed by the Gateway API plugin; ``canary`` keys replace the defaults."""
    strategy: dict[str, Any] = {
        "stableService": "checkout-stable",
        "canaryService": "checkout-canary",
        "trafficRouting": {"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": "checkout", "namespace": "shop"}}},
        "steps": [
            {"setWeight": 10}, {"pause": {"duration": "1m"}},
            {"setWeight": 30}, {"pause": {"duration": "1m"}},
            {"setWeight": 50}, {"pause": {"duration": "2m"}},
            {"setWeight": 100},
        ],
    }
    strategy.update(canary)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "checkout", "namespace": "shop"},
        "spec": {
            "replicas": 3,
            "revisionHistoryLimit": 3,
            "selector": {"matchLabels": {"app": "checkout"}},
            "template": {
                "metadata": {"labels": {"app": "checkout"}},
                "spec": {"containers": [{"name": "app", "image": "ghcr.io/acme/checkout:1.4.2", "ports": [{"containerPort": 8080}]}]},
            },
            "strategy": {"canary": {k: v for k, v in strategy.items() if v is not None}},
        },
    }


def blue_green_doc(**blue_green: Any) -> dict[str, Any]:
    """A valid blue-green Rollout; ``blue_green`` keys replace the defaults."""
    doc = canary_doc()
    strategy = {"activeService": "checkout-active", "previewService": "checkout-preview", "autoPromotionEnabled": False}
    strategy.update(blue_green)
    doc["spec"]["strategy"] = {"blueGreen": {k: v for k, v in strategy.items() if v is not None}}
    return doc


def refused(doc: dict[str, Any]) -> str:
    """The ManifestError message for ``doc`` (fails the test if it loads)."""
    return manifest_error(Rollout, doc)


def assert_names(message: str, path: str, *values: object) -> None:
    """The message names the field path and every bad value."""
    assert "Rollout 'checkout'" in message, message
    assert path in message, message
    for value in values:
        assert str(value) in message, message


class TestRolloutModel:
    def test_canary_round_trip(self) -> None:
        """A canary Rollout with the Gateway API plugin loads and emits itself unchanged."""
        doc = canary_doc()
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_blue_green_round_trip(self) -> None:
        """A blue-green Rollout with analysis and every typed field loads and emits itself unchanged."""
        doc = blue_green_doc(
            autoPromotionSeconds=30, scaleDownDelaySeconds=60, scaleDownDelayRevisionLimit=2, previewReplicaCount=1,
            prePromotionAnalysis={"templates": [{"templateName": "smoke"}], "args": [{"name": "svc", "value": "checkout-preview"}]},
            postPromotionAnalysis={"templates": [{"templateName": "success-rate", "clusterScope": True}]},
            activeMetadata={"labels": {"role": "active"}}, previewMetadata={"labels": {"role": "preview"}},
            antiAffinity={"preferredDuringSchedulingIgnoredDuringExecution": {"weight": 50}},
        )
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_every_canary_step_kind_round_trips(self) -> None:
        """Every step kind (weights, timed and open pauses, canary scale, analysis, experiment, header and mirror routes,
        plugin) round-trips."""
        doc = canary_doc(
            steps=[
                {"setCanaryScale": {"replicas": 1}},
                {"setWeight": 5},
                {"pause": {}},
                {"pause": {"duration": 30}},
                {"pause": {"duration": "45"}},
                {"setHeaderRoute": {"name": "beta", "match": [{"headerName": "x-beta", "headerValue": {"exact": "1"}}]}},
                {"setMirrorRoute": {"name": "mirror", "percentage": 20, "match": [{"method": {"exact": "GET"}, "path": {"prefix": "/api"}}]}},
                {"analysis": {"templates": [{"templateName": "success-rate"}],
                              "args": [{"name": "hash", "valueFrom": {"podTemplateHashValue": "Latest"}},
                                       {"name": "app", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['app']"}}}]}},
                {"experiment": {"duration": "5m", "templates": [{"name": "baseline", "specRef": "stable"}, {"name": "canary", "specRef": "canary"}],
                                "analyses": [{"name": "compare", "templateName": "compare", "requiredForCompletion": True}]}},
                {"plugin": {"name": "acme/notify", "config": {"channel": "#deploys"}}},
                {"setCanaryScale": {"matchTrafficWeight": True}},
                {"setHeaderRoute": {"name": "beta"}},
                {"setWeight": 100},
            ],
            trafficRouting={"plugins": {GATEWAY_API_PLUGIN: {"httpRoutes": [{"name": "checkout", "useHeaderRoutes": True}],
                                                             "grpcRoute": "checkout-grpc"}},
                            "managedRoutes": [{"name": "beta"}, {"name": "mirror"}]},
            analysis={"templates": [{"templateName": "error-rate"}], "startingStep": 2},
            maxSurge="25%", maxUnavailable=0, dynamicStableScale=True,
        )
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_workload_ref_round_trip(self) -> None:
        """A Rollout that takes its pods from a Deployment (workloadRef) needs no selector or template."""
        doc = canary_doc()
        del doc["spec"]["template"], doc["spec"]["selector"]
        doc["spec"]["workloadRef"] = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout", "scaleDown": "progressively"}
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_other_traffic_router_plugins_kept_as_given(self) -> None:
        """Plugins other than the Gateway API one are kept as given; built-in routers too."""
        doc = canary_doc()
        doc["spec"]["strategy"]["canary"]["trafficRouting"]["plugins"]["acme/mesh"] = {"anything": [1, 2]}
        model = Rollout.from_manifest(doc)
        assert model.to_manifest() == doc
        routing = model.spec.strategy.canary.traffic_routing  # type: ignore[union-attr]
        assert routing is not None and routing.plugins is not None
        assert traffic_routers(routing) == [f"plugins.{GATEWAY_API_PLUGIN}", "plugins.acme/mesh"]
        assert routing.plugins["acme/mesh"] == {"anything": [1, 2]}

    def test_build_from_python_emits_camel_case(self) -> None:
        """Built in Python with snake_case names, the Rollout emits upstream camelCase and its type meta."""
        rollout = Rollout.from_manifest({
            "metadata": {"name": "checkout"},
            "spec": {
                "selector": {"match_labels": {"app": "checkout"}},
                "template": {"metadata": {"labels": {"app": "checkout"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.27"}]}},
                "strategy": {"blue_green": {"active_service": "checkout-active", "auto_promotion_enabled": False}},
            },
        })
        manifest = rollout.to_manifest()
        assert manifest["apiVersion"] == "argoproj.io/v1alpha1"
        assert manifest["spec"]["strategy"] == {"blueGreen": {"activeService": "checkout-active", "autoPromotionEnabled": False}}
        assert manifest["spec"]["selector"] == {"matchLabels": {"app": "checkout"}}
        assert "replicas" not in manifest["spec"]  # defaults are not written

    def test_views(self) -> None:
        """The convenience views give services by role, the plugin config, pod labels and the weights."""
        rollout = Rollout.from_manifest(canary_doc())
        assert rollout_services(rollout) == {"stable": "checkout-stable", "canary": "checkout-canary"}
        assert isinstance(rollout_gateway_api(rollout), GatewayAPIConfig)
        assert rollout_gateway_api(rollout).route_names() == ["checkout"]  # type: ignore[union-attr]
        assert rollout_pod_labels(rollout) == {"app": "checkout"}
        canary = rollout_canary(rollout)
        assert canary is not None and canary.steps is not None
        assert [w for _, w in canary_weights(canary)] == [10, 30, 50, 100]
        assert canary_max_traffic_weight(canary) == 100
        assert step_actions(canary.steps[1]) == ["pause"]
        assert pause_seconds(canary.steps[1].pause) == 60  # type: ignore[arg-type]
        blue_green = Rollout.from_manifest(blue_green_doc())
        assert rollout_services(blue_green) == {"active": "checkout-active", "preview": "checkout-preview"}
        assert rollout_gateway_api(blue_green) is None
        assert rollout_canary(blue_green) is None and rollout_blue_green(blue_green) is not None

    def test_typed_resource_in_chart(self) -> None:
        """In a GitOpsChart the Rollout becomes one ApiObject with the chart's labels and namespace."""
        chart = GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop", namespace="shop-dev")
        doc = canary_doc()
        del doc["metadata"]["namespace"]
        resource = TypedResource(chart, Rollout.from_manifest(doc))
        manifest = resource.to_manifest()
        assert manifest["metadata"]["namespace"] == "shop-dev"
        assert manifest["metadata"]["labels"]["app.kubernetes.io/part-of"] == "shop"
        assert manifest["spec"] == doc["spec"]

    def test_strict_types(self) -> None:
        """A quoted number is not an integer: setWeight '10' is refused like the API server refuses it."""
        message = refused(canary_doc(steps=[{"setWeight": "10"}]))
        assert_names(message, "spec.strategy.canary.steps[0].setWeight", "'10'")

    def test_unknown_plugin_key_lists_known_keys(self) -> None:
        """A misspelt Gateway API plugin key is refused and the message lists the plugin's keys."""
        message = refused(canary_doc(trafficRouting={"plugins": {GATEWAY_API_PLUGIN: {"httpRoot": "checkout"}}}))
        assert_names(message, f"trafficRouting.plugins.{GATEWAY_API_PLUGIN}.httpRoot", "'checkout'")
        assert "httpRoute" in message


class TestStrategyRules:
    def test_both_strategies_refused(self) -> None:
        """Exactly one strategy: canary and blueGreen together are refused."""
        doc = canary_doc()
        doc["spec"]["strategy"]["blueGreen"] = {"activeService": "checkout-active"}
        assert_names(refused(doc), "spec.strategy", "canary", "blueGreen")

    def test_empty_strategy_refused(self) -> None:
        """Exactly one strategy: an empty strategy is refused."""
        doc = canary_doc()
        doc["spec"]["strategy"] = {}
        assert_names(refused(doc), "spec.strategy", "{}", "neither canary nor blueGreen")

    def test_missing_strategy_refused(self) -> None:
        """Exactly one strategy: a spec without strategy is refused."""
        doc = canary_doc()
        del doc["spec"]["strategy"]
        assert_names(refused(doc), "spec.strategy", "None")


class TestCanaryServiceRules:
    def test_same_stable_and_canary_service_refused(self) -> None:
        """The canary and stable Services must differ."""
        message = refused(canary_doc(canaryService="checkout", stableService="checkout"))
        assert_names(message, "spec.strategy.canary.canaryService", "'checkout'")

    @pytest.mark.parametrize("missing", ["stableService", "canaryService"])
    def test_traffic_routing_needs_both_services(self, missing: str) -> None:
        """With traffic routing, both stableService and canaryService must be set."""
        message = refused(canary_doc(**{missing: None}))
        assert_names(message, f"spec.strategy.canary.{missing}", "None", GATEWAY_API_PLUGIN)

    def test_services_optional_without_traffic_routing(self) -> None:
        """Without traffic routing (replica-weighted canary) the Services may be left out."""
        doc = canary_doc(trafficRouting=None, stableService=None, canaryService=None)
        assert Rollout.from_manifest(doc).to_manifest() == doc


class TestSurgeRule:
    @pytest.mark.parametrize(("surge", "unavailable"), [(0, 0), ("0%", 0), (0, "0%")])
    def test_both_zero_refused(self, surge: int | str, unavailable: int | str) -> None:
        """maxSurge and maxUnavailable must not both be zero."""
        message = refused(canary_doc(maxSurge=surge, maxUnavailable=unavailable))
        assert_names(message, "spec.strategy.canary.maxSurge", repr(surge), repr(unavailable))

    def test_one_zero_allowed(self) -> None:
        """A zero maxSurge with the default maxUnavailable (25%) is fine."""
        doc = canary_doc(maxSurge=0)
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_bad_percentage_refused(self) -> None:
        """maxSurge is a count or a percentage string."""
        assert_names(refused(canary_doc(maxSurge="lots")), "spec.strategy.canary.maxSurge", "'lots'")


class TestStepRules:
    def test_two_actions_refused(self) -> None:
        """Each step has exactly one action: setWeight and pause in one step are refused."""
        message = refused(canary_doc(steps=[{"setWeight": 20, "pause": {"duration": "1m"}}]))
        assert_names(message, "spec.strategy.canary.steps[0]", "setWeight", "pause", "20")

    def test_no_action_refused(self) -> None:
        """Each step has exactly one action: an empty step is refused."""
        message = refused(canary_doc(steps=[{"setWeight": 20}, {}]))
        assert_names(message, "spec.strategy.canary.steps[1]", "{}", "no action")

    def test_weight_above_default_max_refused(self) -> None:
        """setWeight may not exceed maxTrafficWeight, 100 by default."""
        message = refused(canary_doc(steps=[{"setWeight": 10}, {"setWeight": 130}]))
        assert_names(message, "spec.strategy.canary.steps[1].setWeight", "130", "100")

    def test_weight_above_custom_max_refused(self) -> None:
        """setWeight is checked against trafficRouting.maxTrafficWeight when set."""
        routing = {"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": "checkout"}}, "maxTrafficWeight": 1000}
        message = refused(canary_doc(trafficRouting=routing, steps=[{"setWeight": 1200}]))
        assert_names(message, "spec.strategy.canary.steps[0].setWeight", "1200", "1000")
        doc = canary_doc(trafficRouting=routing, steps=[{"setWeight": 500}])
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_negative_weight_refused(self) -> None:
        """setWeight may not be negative."""
        assert_names(refused(canary_doc(steps=[{"setWeight": -5}])), "spec.strategy.canary.steps[0].setWeight", "-5")

    @pytest.mark.parametrize("duration", ["-30s", -30, "-1"])
    def test_negative_pause_refused(self, duration: int | str) -> None:
        """Pause durations may not be negative (as an integer, a numeric string or a Go duration)."""
        message = refused(canary_doc(steps=[{"setWeight": 10}, {"pause": {"duration": duration}}]))
        assert_names(message, "spec.strategy.canary.steps[1].pause.duration", duration)

    def test_unparsable_pause_refused(self) -> None:
        """A pause duration that is not a duration is refused with the accepted forms."""
        message = refused(canary_doc(steps=[{"pause": {"duration": "soon"}}]))
        assert_names(message, "spec.strategy.canary.steps[0].pause.duration", "'soon'", "'30s'")

    def test_canary_scale_needs_traffic_routing(self) -> None:
        """setCanaryScale is only allowed with traffic routing."""
        doc = canary_doc(trafficRouting=None, steps=[{"setCanaryScale": {"weight": 10}}, {"setWeight": 10}])
        assert_names(refused(doc), "spec.strategy.canary.steps[0].setCanaryScale", "{'weight': 10}", "trafficRouting")

    def test_header_route_needs_traffic_routing(self) -> None:
        """setHeaderRoute is only allowed with traffic routing."""
        step = {"setHeaderRoute": {"name": "beta", "match": [{"headerName": "x-beta", "headerValue": {"exact": "1"}}]}}
        doc = canary_doc(trafficRouting=None, steps=[{"setWeight": 10}, step])
        assert_names(refused(doc), "spec.strategy.canary.steps[1].setHeaderRoute", "'beta'", "trafficRouting")

    def test_mirror_route_needs_traffic_routing(self) -> None:
        """setMirrorRoute is only allowed with traffic routing (Istio or a plugin)."""
        doc = canary_doc(trafficRouting=None, steps=[{"setMirrorRoute": {"name": "mirror", "percentage": 10}}])
        assert_names(refused(doc), "spec.strategy.canary.steps[0].setMirrorRoute", "'mirror'")

    def test_route_steps_need_managed_routes(self) -> None:
        """Header and mirror steps need trafficRouting.managedRoutes, listing their route."""
        step = {"setHeaderRoute": {"name": "beta", "match": [{"headerName": "x-beta", "headerValue": {"exact": "1"}}]}}
        assert_names(refused(canary_doc(steps=[step])), "spec.strategy.canary.trafficRouting.managedRoutes", "'beta'")
        routing = {"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": "checkout"}}, "managedRoutes": [{"name": "other"}]}
        assert_names(refused(canary_doc(trafficRouting=routing, steps=[step])),
                     "spec.strategy.canary.steps[0].setHeaderRoute.name", "'beta'", "'other'")

    def test_string_match_needs_exactly_one_kind(self) -> None:
        """A header match sets exactly one of exact, prefix and regex."""
        routing = {"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": "checkout"}}, "managedRoutes": [{"name": "beta"}]}
        step = {"setHeaderRoute": {"name": "beta", "match": [{"headerName": "x", "headerValue": {"exact": "1", "prefix": "1"}}]}}
        message = refused(canary_doc(trafficRouting=routing, steps=[step]))
        assert_names(message, "spec.strategy.canary.steps[0].setHeaderRoute.match[0].headerValue", "exact and prefix")

    def test_experiment_weight_needs_suitable_routing(self) -> None:
        """Experiment template weights need SMI, ALB or Istio routing."""
        step = {"experiment": {"templates": [{"name": "canary", "specRef": "canary", "weight": 10}]}}
        message = refused(canary_doc(steps=[step]))
        assert_names(message, "spec.strategy.canary.steps[0].experiment.templates[0].weight", "10")

    def test_experiment_template_names_unique(self) -> None:
        """Experiment template names are unique within the step."""
        step = {"experiment": {"templates": [{"name": "a", "specRef": "canary"}, {"name": "a", "specRef": "stable"}]}}
        assert_names(refused(canary_doc(steps=[step])), "spec.strategy.canary.steps[0].experiment.templates[1].name", "'a'")

    def test_analysis_field_ref_must_be_rollout_metadata(self) -> None:
        """Analysis arguments read only Rollout metadata the downward API offers."""
        step = {"analysis": {"templates": [{"templateName": "t"}],
                             "args": [{"name": "x", "valueFrom": {"fieldRef": {"fieldPath": "metadata.generateName"}}}]}}
        message = refused(canary_doc(steps=[step]))
        assert_names(message, "spec.strategy.canary.steps[0].analysis.args[0].valueFrom.fieldRef.fieldPath", "'metadata.generateName'")


class TestRoutingOnlyFields:
    def test_scale_down_delay_needs_traffic_routing(self) -> None:
        """Canary scaleDownDelaySeconds is only allowed with traffic routing."""
        doc = canary_doc(trafficRouting=None, scaleDownDelaySeconds=30)
        assert_names(refused(doc), "spec.strategy.canary.scaleDownDelaySeconds", "30")

    def test_dynamic_stable_scale_needs_traffic_routing(self) -> None:
        """dynamicStableScale is only allowed with traffic routing."""
        assert_names(refused(canary_doc(trafficRouting=None, dynamicStableScale=True)), "spec.strategy.canary.dynamicStableScale", "true")

    def test_dynamic_stable_scale_excludes_scale_down_delay(self) -> None:
        """dynamicStableScale cannot be combined with scaleDownDelaySeconds."""
        message = refused(canary_doc(dynamicStableScale=True, scaleDownDelaySeconds=30))
        assert_names(message, "spec.strategy.canary.dynamicStableScale", "30")

    def test_max_traffic_weight_needs_nginx_or_plugin(self) -> None:
        """maxTrafficWeight works only with NGINX or plugin routing."""
        routing = {"istio": {"virtualService": {"name": "checkout"}}, "maxTrafficWeight": 1000}
        message = refused(canary_doc(trafficRouting=routing))
        assert_names(message, "spec.strategy.canary.trafficRouting.maxTrafficWeight", "1000", "istio")

    def test_gateway_plugin_needs_a_route(self) -> None:
        """The Gateway API plugin configuration must name a route."""
        message = refused(canary_doc(trafficRouting={"plugins": {GATEWAY_API_PLUGIN: {"namespace": "shop"}}}))
        assert_names(message, f"spec.strategy.canary.trafficRouting.plugins.{GATEWAY_API_PLUGIN}", "'namespace': 'shop'", "httpRoute")


class TestAntiAffinityAndPingPong:
    def test_anti_affinity_exactly_one_form(self) -> None:
        """antiAffinity sets exactly one of the preferred and required forms."""
        message = refused(canary_doc(antiAffinity={}))
        assert_names(message, "spec.strategy.canary.antiAffinity", "{}", "neither")

    def test_anti_affinity_weight_range(self) -> None:
        """The preferred anti-affinity weight is 1-100."""
        message = refused(canary_doc(antiAffinity={"preferredDuringSchedulingIgnoredDuringExecution": {"weight": 0}}))
        assert_names(message, "spec.strategy.canary.antiAffinity.preferredDuringSchedulingIgnoredDuringExecution.weight", "0")

    def test_ping_pong_services_differ(self) -> None:
        """Ping-pong needs two different Services and ALB routing."""
        routing = {"alb": {"ingress": "checkout", "servicePort": 80, "rootService": "checkout-root"}}
        message = refused(canary_doc(trafficRouting=routing, stableService=None, canaryService=None,
                                     pingPong={"pingService": "ping", "pongService": "ping"}))
        assert_names(message, "spec.strategy.canary.pingPong.pingService", "'ping'")
        message = refused(canary_doc(stableService=None, canaryService=None, pingPong={"pingService": "ping", "pongService": "pong"}))
        assert_names(message, "spec.strategy.canary.trafficRouting", "ALB")


class TestSpecRules:
    def test_deadline_not_above_min_ready_refused(self) -> None:
        """progressDeadlineSeconds must be greater than minReadySeconds."""
        doc = canary_doc()
        doc["spec"].update(progressDeadlineSeconds=30, minReadySeconds=30)
        assert_names(refused(doc), "spec.progressDeadlineSeconds", "30")

    def test_min_ready_against_default_deadline_refused(self) -> None:
        """Without progressDeadlineSeconds, minReadySeconds must stay below its default of 600."""
        doc = canary_doc()
        doc["spec"]["minReadySeconds"] = 600
        assert_names(refused(doc), "spec.minReadySeconds", "600")

    @pytest.mark.parametrize("field", ["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"])
    def test_negative_counts_refused(self, field: str) -> None:
        """replicas, minReadySeconds, revisionHistoryLimit and progressDeadlineSeconds are not negative."""
        doc = canary_doc()
        doc["spec"][field] = -1
        assert_names(refused(doc), f"spec.{field}", "-1")

    def test_selector_must_match_template_labels(self) -> None:
        """The selector must select the pod template's labels."""
        doc = canary_doc()
        doc["spec"]["template"]["metadata"]["labels"] = {"app": "payments"}
        assert_names(refused(doc), "spec.selector.matchLabels", "'checkout'", "'payments'")

    def test_selector_expressions_must_match_template_labels(self) -> None:
        """matchExpressions are checked against the template labels too."""
        doc = canary_doc()
        doc["spec"]["selector"]["matchExpressions"] = [{"key": "tier", "operator": "In", "values": ["web"]}]
        assert_names(refused(doc), "spec.selector.matchExpressions[0]", "tier")

    def test_empty_selector_refused(self) -> None:
        """An empty selector would select every pod; it is refused."""
        doc = canary_doc()
        doc["spec"]["selector"] = {}
        assert_names(refused(doc), "spec.selector", "empty")

    def test_selector_and_template_required_without_workload_ref(self) -> None:
        """Without workloadRef, selector and template are required."""
        doc = canary_doc()
        del doc["spec"]["selector"], doc["spec"]["template"]
        message = refused(doc)
        assert_names(message, "spec.selector", "None")
        assert "spec.template" in message

    def test_template_with_workload_ref_refused(self) -> None:
        """With workloadRef the template must be empty: the pods come from the referenced workload."""
        doc = canary_doc()
        doc["spec"]["workloadRef"] = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "checkout"}
        assert_names(refused(doc), "spec.template", "'checkout'")

    def test_template_restart_policy_always(self) -> None:
        """The Rollout's pods are managed by ReplicaSets, so restartPolicy must be Always."""
        doc = canary_doc()
        doc["spec"]["template"]["spec"]["restartPolicy"] = "Never"
        assert_names(refused(doc), "spec.template.spec.restartPolicy", "'Never'")

    def test_scale_down_revision_limit_above_history_refused(self) -> None:
        """scaleDownDelayRevisionLimit may not exceed revisionHistoryLimit."""
        doc = blue_green_doc(scaleDownDelayRevisionLimit=5)
        doc["spec"]["revisionHistoryLimit"] = 3
        assert_names(refused(doc), "spec.strategy.blueGreen.scaleDownDelayRevisionLimit", "5", "3")

    def test_scale_down_revision_limit_against_default_history(self) -> None:
        """Without revisionHistoryLimit the limit is checked against its default, 10."""
        doc = blue_green_doc(scaleDownDelayRevisionLimit=11)
        del doc["spec"]["revisionHistoryLimit"]
        assert_names(refused(doc), "spec.strategy.blueGreen.scaleDownDelayRevisionLimit", "11", "10")
        doc = blue_green_doc(scaleDownDelayRevisionLimit=10)
        del doc["spec"]["revisionHistoryLimit"]
        assert Rollout.from_manifest(doc).to_manifest() == doc

    def test_canary_scale_down_revision_limit_checked_too(self) -> None:
        """The canary strategy's scaleDownDelayRevisionLimit is held to the same bound."""
        doc = canary_doc(scaleDownDelayRevisionLimit=4)
        assert_names(refused(doc), "spec.strategy.canary.scaleDownDelayRevisionLimit", "4", "3")


class TestBlueGreenRules:
    def test_same_active_and_preview_refused(self) -> None:
        """Blue-green active and preview Services must differ."""
        message = refused(blue_green_doc(previewService="checkout-active"))
        assert_names(message, "spec.strategy.blueGreen.activeService", "'checkout-active'", "previewService")

    def test_active_service_required(self) -> None:
        """activeService is required."""
        message = refused(blue_green_doc(activeService=None))
        assert_names(message, "spec.strategy.blueGreen.activeService", "required")

    def test_negative_preview_replicas_refused(self) -> None:
        """previewReplicaCount and the delays are not negative."""
        assert_names(refused(blue_green_doc(previewReplicaCount=-1)), "spec.strategy.blueGreen.previewReplicaCount", "-1")


class TestWeightWarnings:
    def test_weight_going_down_warns(self) -> None:
        """A weight below an earlier one is allowed by Argo Rollouts: a UserWarning names the step, not an error."""
        doc = canary_doc(steps=[{"setWeight": 50}, {"pause": {}}, {"setWeight": 20}])
        with pytest.warns(UserWarning, match=r"Rollout 'checkout': spec\.strategy\.canary\.steps\[2\]\.setWeight: 20 .* 50"):
            model = Rollout.from_manifest(doc)
        assert model.to_manifest() == doc

    def test_rising_weights_do_not_warn(self) -> None:
        """Weights that only go up raise no warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Rollout.from_manifest(canary_doc())


class TestErrorsCollected:
    def test_several_problems_reported_together(self) -> None:
        """Problems found in the same part of the spec are reported together, each with its path."""
        doc = canary_doc(canaryService="same", stableService="same", steps=[{"setWeight": 101}, {"setWeight": 102}])
        message = refused(copy.deepcopy(doc))
        assert "3 problems" in message
        for path in ("canaryService", "steps[0].setWeight", "steps[1].setWeight"):
            assert f"spec.strategy.canary.{path}" in message


class TestCanaryStrategyDirect:
    def test_strategy_model_validates_alone(self) -> None:
        """The canary strategy can be validated on its own; paths are then relative to the strategy."""
        with pytest.raises(ManifestError, match=r"^RolloutSpecStrategyCanary: steps\[0\]\.setWeight: 101 is above"):
            validate_model(CanaryStrategy, {"steps": [{"setWeight": 101}]})
