"""warehouse (seed 002): the web frontend per environment, namespace isolation, alerts, dashboards and backups."""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

import pytest
from helpers import REPO as ROOT
from helpers import by_kind_and_name

from cdk8s_gitops.environment.loader import load_environment
from cdk8s_gitops.environment.spec import check_image_tag

ENVS = ("dev", "staging", "production")
NAMESPACES = {"dev": "warehouse-dev", "staging": "warehouse-staging", "production": "warehouse-prod"}


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


def settings(env: str) -> Any:
    return load_environment(ROOT / "environments" / f"{env}.yaml").for_app("warehouse")


class TestSnapshots:
    @pytest.mark.parametrize("env", ENVS)
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment, for review (the classes below check what the seed asks)."""
        assert synth_app("warehouse", env).manifests == yaml_snapshot


class TestStrategies:
    def test_dev_recreate_one_replica(self, synth_app) -> None:  # noqa: ANN001
        """dev: a Deployment web with Recreate, one replica and no HPA (and so no PDB)."""
        objs = objects(synth_app("warehouse", "dev"))
        spec = objs[("Deployment", "web")]["spec"]
        assert spec["strategy"] == {"type": "Recreate"}
        assert spec["replicas"] == 1
        assert ("HorizontalPodAutoscaler", "web") not in objs
        assert ("PodDisruptionBudget", "web") not in objs

    def test_staging_rolling_update_hpa_2_to_5(self, synth_app) -> None:  # noqa: ANN001
        """staging: RollingUpdate and an HPA from 2 to 5 replicas on the Deployment."""
        objs = objects(synth_app("warehouse", "staging"))
        assert objs[("Deployment", "web")]["spec"]["strategy"]["type"] == "RollingUpdate"
        hpa = objs[("HorizontalPodAutoscaler", "web")]["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 5)
        assert hpa["scaleTargetRef"]["kind"] == "Deployment"

    def test_production_blue_green_hpa_3_to_20(self, synth_app) -> None:  # noqa: ANN001
        """production: a blue-green Rollout with manual promotion, a preview Service, and an HPA 3-20 on it."""
        objs = objects(synth_app("warehouse", "production"))
        assert ("Deployment", "web") not in objs
        blue_green = objs[("Rollout", "web")]["spec"]["strategy"]["blueGreen"]
        assert blue_green["activeService"] == "web" and blue_green["previewService"] == "web-preview"
        assert blue_green["autoPromotionEnabled"] is False
        assert blue_green["scaleDownDelaySeconds"] == 600
        assert ("Service", "web-preview") in objs
        hpa = objs[("HorizontalPodAutoscaler", "web")]["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 20)
        assert hpa["scaleTargetRef"] == {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "web"}


class TestImages:
    PATTERNS: ClassVar[dict[str, str]] = {"dev": r"dev-[0-9a-f]{7,40}", "staging": r"staging-[0-9a-f]{7,40}",
                "production": r"v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?"}

    @pytest.mark.parametrize("env", ENVS)
    def test_tag_scheme(self, env: str, synth_app) -> None:  # noqa: ANN001
        """The web image carries the environment's tag scheme: dev-<sha>, staging-<sha>, v<semver>."""
        objs = objects(synth_app("warehouse", env))
        workload = objs.get(("Deployment", "web")) or objs[("Rollout", "web")]
        image = workload["spec"]["template"]["spec"]["containers"][0]["image"]
        repository, tag = image.rsplit(":", 1)
        assert repository.endswith("/web")
        assert re.fullmatch(self.PATTERNS[env], tag)

    @pytest.mark.parametrize(("env", "tag"), [
        ("dev", "dev-latest"), ("dev", "staging-8b1f0c2"), ("dev", "v1.2.3"),
        ("staging", "staging-latest"), ("staging", "dev-8b1f0c2"),
        ("production", "prod-latest"), ("production", "latest"), ("production", "staging-8b1f0c2"), ("production", "1.2.3"),
    ])
    def test_policy_refuses_other_tags(self, env: str, tag: str) -> None:
        """The per-app image_policy refuses moving *-latest tags and the other environments' schemes."""
        assert check_image_tag(tag, settings(env).image_policy) is not None

    @pytest.mark.parametrize(("env", "tag"), [("dev", "dev-0123abc"), ("staging", "staging-0123abcdef"),
                                              ("production", "v2.0.0"), ("production", "v2.1.0-rc.1")])
    def test_policy_accepts_scheme(self, env: str, tag: str) -> None:
        """Tags of the environment's own scheme are accepted."""
        assert check_image_tag(tag, settings(env).image_policy) is None


class TestNamespaceIsolation:
    @pytest.mark.parametrize("env", ENVS)
    def test_namespace(self, env: str, synth_app) -> None:  # noqa: ANN001
        """Everything lands in warehouse-<dev|staging|prod> (restricted Pod Security), except the Velero Schedule."""
        out = synth_app("warehouse", env)
        ns = NAMESPACES[env]
        assert out.settings.namespace == ns
        objs = objects(out)
        labels = objs[("Namespace", ns)]["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
        for (kind, name), obj in objs.items():
            expected = {"Namespace": None, "Schedule": "velero"}.get(kind, ns)
            assert obj["metadata"].get("namespace") == expected, (kind, name)

    @pytest.mark.parametrize("env", ENVS)
    def test_network_policies(self, env: str, synth_app) -> None:  # noqa: ANN001
        """A default-deny policy for every pod (ingress and egress), DNS egress, and the Microservice's own policy."""
        objs = objects(synth_app("warehouse", env))
        assert objs[("NetworkPolicy", "default-deny")]["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert objs[("NetworkPolicy", "allow-dns")]["spec"]["policyTypes"] == ["Egress"]
        web = objs[("NetworkPolicy", "web")]["spec"]
        assert web["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "web"
        assert all(rule["ports"] == [{"protocol": "TCP", "port": 8080}] for rule in web["ingress"])

    @pytest.mark.parametrize(("env", "pods", "limits_cpu"), [("dev", "2", "1"), ("staging", "10", "5"),
                                                             ("production", "40", "20")])
    def test_resource_quota(self, env: str, pods: str, limits_cpu: str, synth_app) -> None:  # noqa: ANN001
        """The quota leaves room for two full versions at the most replicas (1, 5, 20) and forbids external Services."""
        hard = objects(synth_app("warehouse", env))[("ResourceQuota", "namespace-quota")]["spec"]["hard"]
        assert (hard["pods"], hard["limits.cpu"]) == (pods, limits_cpu)
        assert hard["services.loadbalancers"] == hard["services.nodeports"] == "0"

    @pytest.mark.parametrize("env", ENVS)
    def test_no_secret_values(self, env: str, synth_app) -> None:  # noqa: ANN001
        """No Secret object is emitted."""
        assert all(kind != "Secret" for kind, _ in objects(synth_app("warehouse", env)))


class TestMonitoring:
    @pytest.mark.parametrize("env", ENVS)
    def test_alert_pack(self, env: str, synth_app) -> None:  # noqa: ANN001
        """The alert pack covers the seed's alerts: deployment failures, out of sync > 5m, degraded health, limits."""
        rule = objects(synth_app("warehouse", env))[("PrometheusRule", "warehouse-alerts")]
        alerts = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
        assert alerts["ArgoCDApplicationOutOfSync"]["for"] == "5m"
        for name in ("ArgoCDApplicationDegraded", "DeploymentRolloutStuck", "RolloutDegraded",
                     "ContainerMemoryNearLimit", "ContainerCPUNearLimit"):
            assert name in alerts

    @pytest.mark.parametrize("env", ENVS)
    def test_dashboards(self, env: str, synth_app) -> None:  # noqa: ANN001
        """Deployment, Application and Cost dashboards as ConfigMaps with the grafana_dashboard label."""
        objs = objects(synth_app("warehouse", env))
        titles = {}
        for part in ("deployment", "application", "cost"):
            cm = objs[("ConfigMap", f"warehouse-{part}-dashboard")]
            assert cm["metadata"]["labels"]["grafana_dashboard"] == "1"
            board = json.loads(cm["data"][f"warehouse-{part}-dashboard.json"])
            assert board["uid"] == f"warehouse-{part}"
            assert board["panels"]
            titles[part] = board["title"]
        assert titles == {"deployment": "Deployment Dashboard", "application": "Application Dashboard",
                          "cost": "Cost Dashboard"}

    def test_service_monitor(self, synth_app) -> None:  # noqa: ANN001
        """Prometheus scrapes the web Service's /metrics."""
        monitor = objects(synth_app("warehouse", "staging"))[("ServiceMonitor", "web")]["spec"]
        assert monitor["endpoints"][0]["path"] == "/metrics"


class TestBackups:
    @pytest.mark.parametrize("env", ENVS)
    def test_daily_velero_schedule(self, env: str, synth_app) -> None:  # noqa: ANN001
        """A daily Velero Schedule (02:00) in namespace velero backs up the app's namespace for 30 days."""
        ns = NAMESPACES[env]
        schedule = objects(synth_app("warehouse", env))[("Schedule", f"{ns}-daily")]
        assert schedule["apiVersion"] == "velero.io/v1"
        assert schedule["metadata"]["namespace"] == "velero"
        assert schedule["spec"]["schedule"] == "0 2 * * *"
        assert schedule["spec"]["template"] == {"includedNamespaces": [ns], "ttl": "720h0m0s"}
