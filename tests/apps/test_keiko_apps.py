"""keiko-apps (seed 001): the app-of-apps keiko-apps and its child, per environment."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

from cdk8s_gitops import SynthError
from cdk8s_gitops.synth import Project, synthesize

ENVS = ("dev", "staging", "production")
SERVERS = {"dev": "https://kubernetes.default.svc", "staging": "https://staging.k8s.example.com",
           "production": "https://production.k8s.example.com"}
SEED_SYNC = {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]}


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


class TestSnapshots:
    @pytest.mark.parametrize("env", ENVS)
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment, for review."""
        assert synth_app("keiko-apps", env).manifests == yaml_snapshot


class TestAppOfApps:
    @pytest.mark.parametrize("env", ENVS)
    def test_parent(self, env: str, synth_app) -> None:  # noqa: ANN001
        """keiko-apps: project default, keiko-dapp at HEAD, in-cluster, automated prune + self-heal, CreateNamespace=true."""
        app = objects(synth_app("keiko-apps", env))[("Application", "keiko-apps")]
        assert app["metadata"]["namespace"] == "argocd"
        spec = app["spec"]
        assert spec["project"] == "default"
        assert spec["source"] == {"repoURL": "https://github.com/keikolatam/keiko-dapp", "targetRevision": "HEAD",
                                  "path": f"dist/{env}/keiko-apps"}
        assert spec["destination"]["server"] == "https://kubernetes.default.svc"
        assert spec["syncPolicy"] == SEED_SYNC

    @pytest.mark.parametrize("env", ENVS)
    def test_child_points_at_dist(self, env: str, synth_app) -> None:  # noqa: ANN001
        """The child syncs dist/<env>/keiko into keiko-<env> on the environment's cluster, with the seed's policy."""
        objs = objects(synth_app("keiko-apps", env))
        assert [name for kind, name in objs if kind == "Application"] == ["keiko-apps", f"keiko-platform-{env}"]
        spec = objs[("Application", f"keiko-platform-{env}")]["spec"]
        assert spec["source"]["path"] == f"dist/{env}/keiko"
        assert spec["destination"] == {"server": SERVERS[env], "namespace": f"keiko-{env}"}
        assert spec["syncPolicy"] == SEED_SYNC

    @pytest.mark.parametrize("env", ENVS)
    def test_child_namespace_is_keikos(self, env: str, synth_app) -> None:  # noqa: ANN001
        """The child's destination namespace is the one app keiko's objects are synthesized into."""
        child = objects(synth_app("keiko-apps", env))[("Application", f"keiko-platform-{env}")]
        namespaces = {m["metadata"].get("namespace") for m in synth_app("keiko", env).manifests} - {None}
        assert namespaces == {child["spec"]["destination"]["namespace"]}

    @pytest.mark.parametrize("env", ENVS)
    def test_generated_wiring_leaves_keiko_to_keiko_apps(self, env: str, gitops_project) -> None:  # noqa: ANN001
        """synth's own wiring generates no Application for the keiko folders: keiko-apps alone applies them."""
        import yaml

        wiring = gitops_project.dist_dir / env / "argocd-apps" / "manifest.yaml"
        paths = [d["spec"].get("source", {}).get("path", "") for d in yaml.safe_load_all(wiring.read_text())]
        assert not [p for p in paths if p.endswith(("/keiko", "/keiko-apps"))]


class TestChecks:
    def test_missing_folder_refused(self, tmp_path, gitops_project) -> None:  # noqa: ANN001
        """A child whose app is not listed in the environment points at no folder: synth refuses it."""
        import shutil

        root = tmp_path / "repo"
        (root / "apps").mkdir(parents=True)
        shutil.copy(gitops_project.apps_dir / "keiko_apps.py", root / "apps" / "keiko_apps.py")
        (root / "environments").mkdir()
        (root / "environments" / "dev.yaml").write_text(
            "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\n"
            "apps:\n  keiko-apps:\n    namespace: argocd\n")
        with pytest.raises(SynthError, match="dist/dev/keiko' is not a folder synth produces"):
            synthesize(Project(root=root), ["dev"], ["keiko-apps"])
