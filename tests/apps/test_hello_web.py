"""hello-web, the foundation's small app: per-environment output, snapshots paired with field assertions."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


class TestHelloWeb:
    @pytest.mark.parametrize("env", ["dev", "staging", "production"])
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment, for review (the assertions below check what matters)."""
        assert synth_app("hello-web", env).manifests == yaml_snapshot

    def test_dev_recreates_one_replica(self, synth_app) -> None:  # noqa: ANN001
        """dev: a Deployment with Recreate, one replica, no autoscaler, the dev image tag."""
        objs = objects(synth_app("hello-web", "dev"))
        spec = objs[("Deployment", "web")]["spec"]
        assert spec["strategy"] == {"type": "Recreate"}
        assert spec["replicas"] == 1
        assert spec["template"]["spec"]["containers"][0]["image"].endswith(":dev-4f2a9c1")
        assert ("HorizontalPodAutoscaler", "web") not in objs

    def test_staging_rolls_and_autoscales(self, synth_app) -> None:  # noqa: ANN001
        """staging: RollingUpdate and an HPA from 2 to 5."""
        objs = objects(synth_app("hello-web", "staging"))
        assert objs[("Deployment", "web")]["spec"]["strategy"]["type"] == "RollingUpdate"
        hpa = objs[("HorizontalPodAutoscaler", "web")]["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 5)

    def test_production_canary(self, synth_app) -> None:  # noqa: ANN001
        """production: a canary Rollout (10/30/50/100 with 1m/1m/2m pauses), HPA 3-20, a semver tag."""
        objs = objects(synth_app("hello-web", "production"))
        rollout = objs[("Rollout", "web")]["spec"]
        weights = [s["setWeight"] for s in rollout["strategy"]["canary"]["steps"] if "setWeight" in s]
        pauses = [s["pause"]["duration"] for s in rollout["strategy"]["canary"]["steps"] if "pause" in s]
        assert (weights, pauses) == ([10, 30, 50, 100], ["1m", "1m", "2m"])
        assert rollout["template"]["spec"]["containers"][0]["image"].endswith(":v1.4.2")
        hpa = objs[("HorizontalPodAutoscaler", "web")]["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"], hpa["scaleTargetRef"]["kind"]) == (3, 20, "Rollout")
        assert objs[("HTTPRoute", "web")]["spec"]["hostnames"] == ["web.example.com"]

    def test_no_secret_values(self, synth_app) -> None:  # noqa: ANN001
        """The database password arrives through an ExternalSecret; no Secret object is emitted."""
        for env in ("dev", "staging", "production"):
            kinds = {k for k, _ in objects(synth_app("hello-web", env))}
            assert "ExternalSecret" in kinds and "Secret" not in kinds

    def test_namespace_baseline(self, synth_app) -> None:  # noqa: ANN001
        """Every environment's namespace gets restricted Pod Security, a default-deny policy, DNS and a quota."""
        for env, pods in (("dev", "2"), ("staging", "10"), ("production", "40")):
            objs = objects(synth_app("hello-web", env))
            ns = objs[("Namespace", f"hello-web-{env}")]
            assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
            assert objs[("NetworkPolicy", "default-deny")]["spec"]["podSelector"] == {}
            assert ("NetworkPolicy", "allow-dns") in objs
            assert objs[("ResourceQuota", "namespace-quota")]["spec"]["hard"]["pods"] == pods
