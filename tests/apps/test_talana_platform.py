"""talana-platform (seed 000): the Argo CD add-on Applications, bootstrapped as app of apps."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

APP = "talana-platform"


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


@pytest.fixture
def apps(synth_app) -> dict[str, dict[str, Any]]:  # noqa: ANN001
    return {name: m for (kind, name), m in objects(synth_app(APP, "dev")).items() if kind == "Application"}


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev (assertions below check what matters)."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot


class TestApplications:
    def test_seed_names_and_destinations(self, apps) -> None:  # noqa: ANN001
        """The seed's Applications, each into the seed's namespace, all in argocd."""
        assert {name: a["spec"]["destination"]["namespace"] for name, a in apps.items()} == {
            "gateway-api-crds": "default", "argo-rollouts": "argo-rollouts", "external-secrets": "external-secrets",
            "kong": "kong", "cluster-secret-store": "external-secrets"}
        assert {a["metadata"]["namespace"] for a in apps.values()} == {"argocd"}

    def test_gateway_api_crds_from_git_pinned(self, apps) -> None:  # noqa: ANN001
        """Gateway API CRDs come from kubernetes-sigs/gateway-api at a pinned tag, server-side, never pruned."""
        spec = apps["gateway-api-crds"]["spec"]
        assert spec["source"]["repoURL"] == "https://github.com/kubernetes-sigs/gateway-api.git"
        assert spec["source"]["path"] == "config/crd"
        assert spec["source"]["targetRevision"].startswith("v1.")
        assert spec["syncPolicy"]["automated"]["prune"] is False
        assert "ServerSideApply=true" in spec["syncPolicy"]["syncOptions"]

    @pytest.mark.parametrize(("name", "repo", "chart"), [
        ("argo-rollouts", "https://argoproj.github.io/argo-helm", "argo-rollouts"),
        ("external-secrets", "https://charts.external-secrets.io", "external-secrets"),
        ("kong", "https://charts.konghq.com", "ingress"),
    ])
    def test_helm_charts_pinned(self, apps, name: str, repo: str, chart: str) -> None:  # noqa: ANN001
        """The controllers come from their Helm charts at a pinned chart version (x.y.z)."""
        source = apps[name]["spec"]["source"]
        assert (source["repoURL"], source["chart"]) == (repo, chart)
        assert source["targetRevision"].count(".") == 2 and source["targetRevision"][0].isdigit()

    def test_argo_rollouts_gateway_api_plugin(self, apps) -> None:  # noqa: ANN001
        """Argo Rollouts loads the argoproj-labs/gatewayAPI traffic-router plugin and gets its RBAC."""
        values = apps["argo-rollouts"]["spec"]["source"]["helm"]["valuesObject"]
        (plugin,) = values["controller"]["trafficRouterPlugins"]
        assert plugin["name"] == "argoproj-labs/gatewayAPI"
        assert plugin["location"].startswith("https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/")
        assert values["providerRBAC"]["providers"]["gatewayAPI"] is True

    def test_external_secrets_workload_identity(self, apps) -> None:  # noqa: ANN001
        """The operator's ServiceAccount is bound to a Google service account of the seed's project."""
        values = apps["external-secrets"]["spec"]["source"]["helm"]["valuesObject"]
        gsa = values["serviceAccount"]["annotations"]["iam.gke.io/gcp-service-account"]
        assert gsa.endswith("@talana-sre-challenge-jesben.iam.gserviceaccount.com")

    def test_cluster_secret_store_points_at_dist(self, apps) -> None:  # noqa: ANN001
        """cluster-secret-store syncs the folder synth writes for the store: dist/dev/talana-cluster-secret-store."""
        source = apps["cluster-secret-store"]["spec"]["source"]
        assert source["path"] == "dist/dev/talana-cluster-secret-store"
        assert source["repoURL"] == "https://github.com/example-org/gitops-platform.git"

    def test_auto_sync(self, apps) -> None:  # noqa: ANN001
        """Everything auto-syncs with self-heal, as the seed's k8s/** flow does."""
        for name, a in apps.items():
            assert a["spec"]["syncPolicy"]["automated"]["selfHeal"] is True, name

    def test_sync_waves(self, apps) -> None:  # noqa: ANN001
        """CRDs first, then the controllers, then the secret store."""
        wave = {n: int(a["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) for n, a in apps.items()}
        assert wave["gateway-api-crds"] < wave["argo-rollouts"] == wave["external-secrets"] == wave["kong"] < wave["cluster-secret-store"]


class TestAppOfApps:
    def test_root_and_children(self, gitops_project) -> None:  # noqa: ANN001
        """The wiring's root syncs dist/dev/argocd-apps; its children sync this folder, the store's and the backend's."""
        from cdk8s_gitops.synth import synthesize

        result = synthesize(gitops_project, ["dev"], [APP, "talana-cluster-secret-store", "talana-backend"])
        wiring = {name: m for (kind, name), m in objects(result.output("dev", "argocd-apps")).items() if kind == "Application"}
        assert wiring["dev-root"]["spec"]["source"]["path"] == "dist/dev/argocd-apps"
        assert wiring["talana-platform-dev"]["spec"]["source"]["path"] == "dist/dev/talana-platform"
        assert wiring["talana-platform-dev"]["spec"]["destination"]["namespace"] == "argocd"
        assert wiring["talana-backend-dev"]["spec"]["source"]["path"] == "dist/dev/talana-backend"
        assert int(wiring["talana-platform-dev"]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]) < 0
        # One owner for the store: the seed's cluster-secret-store syncs it; the wiring generates no child for it.
        assert "talana-cluster-secret-store-dev" not in wiring
