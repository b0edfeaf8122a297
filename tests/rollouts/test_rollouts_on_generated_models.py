"""The rollouts package on the generated models: one class per upstream structure, Argo Rollouts' rules on top."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from helpers import error_message

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.models import argoproj_io_v1alpha1 as generated
from cdk8s_gitops.rollouts import (
    GATEWAY_API_PLUGIN,
    AnalysisRun,
    BackgroundAnalysis,
    CanaryStep,
    CanaryStrategy,
    Rollout,
    RolloutAnalysis,
    TrafficRouting,
    has_plugins,
    traffic_routers,
)

POD = {"selector": {"matchLabels": {"app": "web"}},
       "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}


def rollout_doc(**canary: Any) -> dict[str, Any]:
    """A valid canary Rollout without traffic routing; ``canary`` keys are added to the strategy."""
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web"},
            "spec": {**POD, "strategy": {"canary": {"steps": [{"setWeight": 50}, {"pause": {}}], **canary}}}}


def run_doc(*metrics: dict[str, Any]) -> dict[str, Any]:
    """An AnalysisRun with ``metrics`` (a valid web metric when none are given)."""
    metric = {"name": "ok", "provider": {"web": {"url": "https://status.example.com/ok"}}}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "AnalysisRun", "metadata": {"name": "web-1"},
            "spec": {"metrics": list(metrics) or [metric]}}


class TestOneClassPerStructure:
    def test_public_names_are_the_generated_classes(self) -> None:
        """The package's kinds and the old structure names are the generated classes, not copies."""
        assert Rollout is generated.Rollout
        assert AnalysisRun is generated.AnalysisRun
        assert CanaryStrategy is generated.RolloutSpecStrategyCanary
        assert CanaryStep is generated.RolloutSpecStrategyCanarySteps
        assert TrafficRouting is generated.RolloutSpecStrategyCanaryTrafficRouting
        assert RolloutAnalysis is generated.RolloutSpecStrategyBlueGreenPostPromotionAnalysis
        assert BackgroundAnalysis is generated.RolloutSpecStrategyCanaryAnalysis

    def test_from_manifest_returns_the_generated_rollout_with_its_rules(self) -> None:
        """from_manifest loads a Rollout into the generated class, and Argo Rollouts' rules run on it."""
        model = from_manifest(rollout_doc())
        assert type(model) is generated.Rollout
        with pytest.raises(ManifestError, match=r"spec\.strategy\.canary\.steps\[0\]\.setWeight: 130 is above maxTrafficWeight 100"):
            from_manifest(rollout_doc(steps=[{"setWeight": 130}]))

    def test_rules_run_for_objects_built_in_python(self) -> None:
        """A strategy built with snake_case keywords gets the same checks as one loaded from YAML."""
        message = error_message(lambda: CanaryStrategy(steps=[CanaryStep(set_weight=10), CanaryStep(set_weight=120)]))
        assert "steps[1].setWeight: 120 is above maxTrafficWeight 100" in message
        message = error_message(lambda: CanaryStep(set_weight=10, pause=generated.RolloutSpecStrategyCanaryStepsPause(duration="1m")))
        assert "has 2 actions (setWeight, pause)" in message

    def test_field_rules_of_the_hand_written_types(self) -> None:
        """Constraints the schema does not state (non-negative counts, percentages, enums) are checked at their path."""
        message = error_message(lambda: Rollout.from_manifest(rollout_doc(steps=[
            {"experiment": {"templates": [{"name": "base", "specRef": "baseline", "replicas": -1}]}}])))
        assert "spec.strategy.canary.steps[0].experiment.templates[0].specRef: Input should be 'stable' or 'canary', got 'baseline'" \
            in message
        assert "spec.strategy.canary.steps[0].experiment.templates[0].replicas: -1 is negative" in message
        doc = rollout_doc()
        doc["spec"]["replicas"] = -2
        assert "spec.replicas: -2 is negative; use 0 or a positive integer" in error_message(lambda: Rollout.from_manifest(doc))


class TestGatewayPluginConfig:
    def test_wrong_type_in_plugin_config_named_at_its_path(self) -> None:
        """The plugin configuration is free-form in the CRD; its typed check reports a wrong type at the full path."""
        doc = rollout_doc(stableService="s", canaryService="c",
                          trafficRouting={"plugins": {GATEWAY_API_PLUGIN: {"httpRoute": 5}}})
        message = error_message(lambda: Rollout.from_manifest(doc))
        assert f"spec.strategy.canary.trafficRouting.plugins.{GATEWAY_API_PLUGIN}.httpRoute" in message
        assert "5" in message

    def test_routers_and_plugins(self) -> None:
        """The views over trafficRouting list built-in routers and plugins."""
        nginx = generated.RolloutSpecStrategyCanaryTrafficRoutingNginx(stable_ingress="web")
        routing = TrafficRouting(plugins={GATEWAY_API_PLUGIN: {"httpRoute": "web"}}, nginx=nginx)
        assert has_plugins(routing)
        assert traffic_routers(routing) == ["nginx", f"plugins.{GATEWAY_API_PLUGIN}"]


class TestAnalysisRun:
    def test_valid_run_round_trips(self) -> None:
        """An AnalysisRun, typed by the generated model, round-trips."""
        doc = run_doc()
        assert AnalysisRun.from_manifest(doc).to_manifest() == doc

    def test_metric_rules_apply_to_runs(self) -> None:
        """The metric rules of templates also hold for runs: unique names, count not below failureLimit."""
        metric = {"name": "ok", "provider": {"web": {"url": "https://status.example.com/ok"}}}
        message = error_message(lambda: AnalysisRun.from_manifest(run_doc(metric, metric)))
        assert "spec.metrics[1].name: metric name 'ok' is already used by metrics[0]" in message
        limited = {**metric, "count": 1, "failureLimit": 3, "interval": "1m"}
        message = error_message(lambda: AnalysisRun.from_manifest(run_doc(limited)))
        assert "spec.metrics[0].count: count 1 is below failureLimit 3" in message

    def test_metric_needs_exactly_one_provider(self) -> None:
        """A metric with two providers is refused, naming both."""
        metric = {"name": "ok", "provider": {"web": {"url": "https://x"}, "prometheus": {"query": "up"}}}
        message = error_message(lambda: AnalysisRun.from_manifest(run_doc(metric)))
        assert "spec.metrics[0].provider" in message and "2 metric sources (prometheus, web)" in message


class TestWarnings:
    def test_weights_going_down_warn(self) -> None:
        """A setWeight below an earlier one is allowed by Argo Rollouts and gives a warning."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Rollout.from_manifest(rollout_doc(steps=[{"setWeight": 50}, {"setWeight": 20}]))
        assert any("steps[1].setWeight: 20 is below the earlier setWeight 50" in str(w.message) for w in caught)
