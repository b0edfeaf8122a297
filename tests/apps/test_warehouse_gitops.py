"""warehouse-gitops (seed 002): the app-of-apps parent, its three children and the least-privilege AppProjects."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import REPO as ROOT
from helpers import by_kind_and_name

from cdk8s_gitops.environment.loader import load_environment

CHILDREN = {"dev": "warehouse-dev", "staging": "warehouse-staging", "production": "warehouse-prod"}


def group(api_version: str) -> str:
    return api_version.split("/", 1)[0] if "/" in api_version else ""


@pytest.fixture
def gitops(synth_app) -> dict[tuple[str, str], dict[str, Any]]:  # noqa: ANN001
    return by_kind_and_name(synth_app("warehouse-gitops", "production").manifests)


class TestSnapshot:
    def test_snapshot(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML, for review (the classes below check what the seed asks)."""
        assert synth_app("warehouse-gitops", "production").manifests == yaml_snapshot

    def test_production_only(self) -> None:
        """The hierarchy exists once: only production synthesizes it, into Argo CD's namespace."""
        for env in ("dev", "staging"):
            assert "warehouse-gitops" not in load_environment(ROOT / "environments" / f"{env}.yaml").apps
        assert load_environment(ROOT / "environments" / "production.yaml").for_app("warehouse-gitops").namespace == "argocd"


class TestAppOfApps:
    def test_parent(self, gitops) -> None:  # noqa: ANN001
        """app-of-apps syncs this folder into argocd on Argo CD's cluster, self-healing but never pruning."""
        parent = gitops[("Application", "app-of-apps")]
        assert parent["metadata"]["namespace"] == "argocd"
        spec = parent["spec"]
        assert spec["project"] == "warehouse-bootstrap"
        assert spec["source"]["path"] == "dist/production/warehouse-gitops"
        assert spec["destination"] == {"server": "https://kubernetes.default.svc", "namespace": "argocd"}
        assert spec["syncPolicy"] == {"automated": {"prune": False, "selfHeal": True}}

    def test_children(self, gitops) -> None:  # noqa: ANN001
        """The parent holds exactly warehouse-dev, warehouse-staging and warehouse-prod (plus itself)."""
        apps = sorted(name for kind, name in gitops if kind == "Application")
        assert apps == ["app-of-apps", "warehouse-dev", "warehouse-prod", "warehouse-staging"]

    @pytest.mark.parametrize("env", ["dev", "staging", "production"])
    def test_child_targets(self, env: str, gitops) -> None:  # noqa: ANN001
        """Each child syncs dist/<env>/warehouse to that environment's cluster and warehouse namespace."""
        spec_file = load_environment(ROOT / "environments" / f"{env}.yaml")
        child = gitops[("Application", CHILDREN[env])]["spec"]
        assert child["project"] == "warehouse"
        assert child["source"] == {"repoURL": spec_file.git.repo_url, "targetRevision": spec_file.git.revision,
                                   "path": f"{spec_file.git.dist_path}/{env}/warehouse"}
        assert child["destination"] == {"server": spec_file.cluster.server,
                                        "namespace": spec_file.for_app("warehouse").namespace}

    @pytest.mark.parametrize("env", ["dev", "staging"])
    def test_auto_sync_dev_staging(self, env: str, gitops) -> None:  # noqa: ANN001
        """dev and staging sync automatically with prune and self-heal, and delete their resources with them."""
        child = gitops[("Application", CHILDREN[env])]
        assert child["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
        assert child["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]

    def test_manual_production(self, gitops) -> None:  # noqa: ANN001
        """production has no automated sync (manual approval) and no cascading finalizer."""
        child = gitops[("Application", "warehouse-prod")]
        assert "automated" not in child["spec"]["syncPolicy"]
        assert "finalizers" not in child["metadata"]

    def test_projects_before_applications(self, gitops) -> None:  # noqa: ANN001
        """The AppProjects sync in an earlier wave than the Applications that use them."""
        for name in ("warehouse", "warehouse-bootstrap"):
            assert gitops[("AppProject", name)]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"


class TestTeamProject:
    def test_source_repos(self, gitops) -> None:  # noqa: ANN001
        """Only this repository is a source."""
        repo = load_environment(ROOT / "environments" / "production.yaml").git.repo_url
        assert gitops[("AppProject", "warehouse")]["spec"]["sourceRepos"] == [repo]

    def test_destinations_cover_exactly_what_the_app_uses(self, gitops, synth_app) -> None:  # noqa: ANN001
        """Destinations are exactly the (cluster, namespace) pairs the warehouse objects go to, no wildcards."""
        allowed = {(d["server"], d["namespace"]) for d in gitops[("AppProject", "warehouse")]["spec"]["destinations"]}
        used = set()
        for env in ("dev", "staging", "production"):
            server = load_environment(ROOT / "environments" / f"{env}.yaml").cluster.server
            for manifest in synth_app("warehouse", env).manifests:
                if manifest["metadata"].get("namespace"):
                    used.add((server, manifest["metadata"]["namespace"]))
        assert allowed == used

    def test_kinds_cover_exactly_what_the_app_uses(self, gitops, synth_app) -> None:  # noqa: ANN001
        """Namespaced kinds allowed are exactly those synthesized; Namespace is the only cluster-scoped kind."""
        spec = gitops[("AppProject", "warehouse")]["spec"]
        namespaced: set[tuple[str, str]] = set()
        cluster: set[tuple[str, str]] = set()
        for env in ("dev", "staging", "production"):
            for m in synth_app("warehouse", env).manifests:
                (namespaced if m["metadata"].get("namespace") else cluster).add((group(m["apiVersion"]), m["kind"]))
        assert {(k["group"], k["kind"]) for k in spec["namespaceResourceWhitelist"]} == namespaced
        assert [(k["group"], k["kind"]) for k in spec["clusterResourceWhitelist"]] == sorted(cluster) == [("", "Namespace")]

    def test_roles_per_environment(self, gitops) -> None:  # noqa: ANN001
        """developers sync dev and staging only; release-managers sync and run Rollout actions in production."""
        roles = {r["name"]: r["policies"] for r in gitops[("AppProject", "warehouse")]["spec"]["roles"]}
        dev_syncs = [p for p in roles["developers"] if ", sync, " in p]
        assert dev_syncs == ["p, proj:warehouse:developers, applications, sync, warehouse/warehouse-dev, allow",
                             "p, proj:warehouse:developers, applications, sync, warehouse/warehouse-staging, allow"]
        assert "p, proj:warehouse:release-managers, applications, sync, warehouse/warehouse-prod, allow" in roles["release-managers"]
        assert not any("warehouse-prod" in p for p in roles["developers"])


class TestBootstrapProject:
    def test_only_applications_in_argocd(self, gitops) -> None:  # noqa: ANN001
        """The parent's project may only create Applications and AppProjects in argocd, nothing cluster-wide."""
        spec = gitops[("AppProject", "warehouse-bootstrap")]["spec"]
        assert spec["destinations"] == [{"server": "https://kubernetes.default.svc", "namespace": "argocd"}]
        assert {k["kind"] for k in spec["namespaceResourceWhitelist"]} == {"Application", "AppProject"}
        assert "clusterResourceWhitelist" not in spec
