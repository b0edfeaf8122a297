"""The dist writer: layout, atomicity, pruning, --check and diff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from cdk8s_gitops.cli import main

from .conftest import snapshot_tree


def synth(project: Path, *args: str) -> int:
    return main(["-C", str(project), "synth", *args])


class TestLayout:
    def test_source_hydrator_layout(self, project: Path) -> None:
        """dist/<env>/<app>/ holds manifest.yaml, README.md and an extension-less provenance file; no kustomization."""
        assert synth(project) == 0
        files = sorted(snapshot_tree(project / "dist"))
        assert files == [
            ".cdk8s-gitops-dist", "dev/README.md", "dev/argocd-apps/README.md", "dev/argocd-apps/hydrator.metadata",
            "dev/argocd-apps/manifest.yaml", "dev/shop/README.md", "dev/shop/hydrator.metadata", "dev/shop/manifest.yaml",
            "production/README.md", "production/argocd-apps/README.md", "production/argocd-apps/hydrator.metadata",
            "production/argocd-apps/manifest.yaml", "production/shop/README.md", "production/shop/hydrator.metadata",
            "production/shop/manifest.yaml",
        ]
        doc = yaml.safe_load((project / "dist/production/shop/manifest.yaml").read_text())
        assert doc["data"] == {"tag": "v1.0.3", "replicas": "3"}
        assert doc["metadata"]["namespace"] == "shop-production"
        assert not list((project / "dist").rglob("kustomization.yaml"))

    def test_no_timestamps(self, project: Path) -> None:
        """Nothing in dist/ depends on the clock: a second synth changes no byte."""
        synth(project)
        first = snapshot_tree(project / "dist")
        synth(project)
        assert snapshot_tree(project / "dist") == first


class TestAtomic:
    def test_broken_environment_leaves_dist_unchanged(self, project: Path, capsys) -> None:  # noqa: ANN001
        """A broken environment file exits 2 with the file named, and dist/ is exactly as it was."""
        synth(project)
        before = snapshot_tree(project / "dist")
        (project / "environments/dev.yaml").write_text("name: dev\ngit: [\n")
        assert synth(project) == 2
        assert snapshot_tree(project / "dist") == before
        err = capsys.readouterr().err
        assert "environments/dev.yaml" in err
        assert "Traceback" not in err

    def test_failing_app_leaves_dist_unchanged(self, project: Path, capsys) -> None:  # noqa: ANN001
        """An app that raises is reported (exit 1) with its file and environment; dist/ is unchanged."""
        synth(project)
        before = snapshot_tree(project / "dist")
        (project / "apps/shop.py").write_text("def build(scope, env):\n    raise RuntimeError('boom')\n")
        assert synth(project) == 1
        assert snapshot_tree(project / "dist") == before
        err = capsys.readouterr().err
        assert "apps/shop.py" in err and "boom" in err and "Traceback" not in err

    def test_invalid_model_in_app_names_field(self, project: Path, capsys) -> None:  # noqa: ANN001
        """A ManifestError raised while building an app reaches the user with the field path."""
        (project / "apps/shop.py").write_text(
            "from cdk8s_gitops import ObjectMeta\nfrom cdk8s_gitops.kube import ConfigMap\n"
            "def build(scope, env):\n    ConfigMap(metadata=ObjectMeta(name='x'), data={'a': 1})\n")
        assert synth(project) == 1
        err = capsys.readouterr().err
        assert "ConfigMap 'x'" in err and "data.a" in err

    def test_stale_apps_and_environments_are_removed(self, project: Path) -> None:
        """A successful synth removes folders of environments and apps that no longer exist."""
        synth(project)
        (project / "environments/production.yaml").unlink()
        assert synth(project) == 0
        assert sorted(p.name for p in (project / "dist").iterdir()) == [".cdk8s-gitops-dist", "dev"]
        assert "production/shop/manifest.yaml" not in (project / "dist/.cdk8s-gitops-dist").read_text()

    def test_env_selection_only_touches_that_environment(self, project: Path) -> None:
        """synth --env dev rewrites dist/dev and leaves other environments alone."""
        synth(project)
        (project / "dist/production/shop/manifest.yaml").write_text("hand edit\n")
        assert synth(project, "--env", "dev") == 0
        assert (project / "dist/production/shop/manifest.yaml").read_text() == "hand edit\n"


class TestCheckAndDiff:
    def test_check_passes_when_up_to_date(self, project: Path) -> None:
        """--check exits 0 right after a synth."""
        synth(project)
        assert synth(project, "--check") == 0

    def test_check_lists_stale_files(self, project: Path, capsys) -> None:  # noqa: ANN001
        """--check exits 1 and lists each differing file when dist/ is stale, writing nothing."""
        synth(project)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        before = snapshot_tree(project / "dist")
        capsys.readouterr()
        assert synth(project, "--check") == 1
        out = capsys.readouterr().out
        assert "changed: dev/shop/manifest.yaml" in out
        assert snapshot_tree(project / "dist") == before

    def test_diff_shows_object_changes(self, project: Path, capsys) -> None:  # noqa: ANN001
        """diff prints a per-object unified diff and exits 1 when synth would change something."""
        synth(project)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        capsys.readouterr()
        assert main(["-C", str(project), "diff"]) == 1
        out = capsys.readouterr().out
        assert "### dev/shop: ConfigMap shop-dev/shop (changed)" in out
        assert "-  tag: v1.0.1" in out and "+  tag: v1.0.9" in out

    def test_list(self, project: Path, capsys) -> None:  # noqa: ANN001
        """list shows each app per environment with its namespace and object count."""
        assert main(["-C", str(project), "list"]) == 0
        out = capsys.readouterr().out
        assert "shop" in out and "shop-production" in out


class TestDeterminism:
    def test_hash_seed_and_time_zone_do_not_change_bytes(self, project: Path) -> None:
        """Two synths in fresh processes with different PYTHONHASHSEED and TZ give identical bytes."""
        trees = []
        for seed, tz in (("1", "UTC"), ("4242", "Asia/Kolkata")):
            out = project / f"out-{seed}"
            env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
            subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(project), "synth", "-o", str(out)],
                           check=True, env=env, capture_output=True)
            trees.append(snapshot_tree(out))
        assert trees[0] == trees[1]
        assert trees[0]


class TestMarkdownDiff:
    def test_grouped_by_environment_app_and_object(self, project: Path, capsys) -> None:  # noqa: ANN001
        """diff --markdown groups changes by environment, app and object, with a diff block each."""
        synth(project)
        for env in ("dev", "production"):
            path = project / f"environments/{env}.yaml"
            path.write_text(path.read_text().replace("web: v1.0.", "web: v2.0."))
        capsys.readouterr()
        assert main(["-C", str(project), "diff", "--markdown"]) == 1
        out = capsys.readouterr().out
        assert out.index("### Environment `dev`") < out.index("### Environment `production`")
        assert "#### App `shop`" in out
        assert "changed: <code>ConfigMap shop-dev/shop</code>" in out
        assert "```diff" in out and "+  tag: v2.0.1" in out

    def test_no_changes(self, project: Path, capsys) -> None:  # noqa: ANN001
        """With dist/ up to date the markdown says so and the exit code is 0."""
        synth(project)
        capsys.readouterr()
        assert main(["-C", str(project), "diff", "--markdown"]) == 0
        assert "No changes to `dist/`." in capsys.readouterr().out
