"""``cdk8s synth`` (the real cdk8s CLI from npm) never loses dist/ and writes what ``cdk8s-gitops synth`` writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cdk8s_cli_support import gitops_bin_dir, path_without_gitops, run_cdk8s_synth

from cdk8s_gitops.synth.cdk8s_cli import CDK8S_YAML, SCRATCH

BROKEN_PROPS = '''"""shop, with a mistake in its props."""
from cdk8s_gitops.platform import Microservice, MicroserviceProps


def build(scope, env):
    Microservice(scope, "web", MicroserviceProps(name="web", image="ghcr.io/example/web", port="eighty"))
'''


def snapshot_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()} if root.exists() else {}


def _gitops_synth(project: Path, out: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(project), "synth", "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def cdk8s_project(project: Path) -> Path:
    """The throwaway project with the cdk8s.yaml that `cdk8s-gitops init` writes."""
    (project / "cdk8s.yaml").write_text(CDK8S_YAML)
    return project


class TestCdk8sSynth:
    def test_success_writes_the_same_tree_as_cdk8s_gitops_synth(self, cdk8s_project: Path, tmp_path: Path) -> None:
        """cdk8s synth writes dist/ equal to cdk8s-gitops synth; the CLI's scratch folder gets the manifests."""
        result = run_cdk8s_synth(cdk8s_project, path_without_gitops([gitops_bin_dir()]))
        assert result.returncode == 0, result.stdout + result.stderr
        expected = tmp_path / "expected"
        _gitops_synth(cdk8s_project, expected)
        dist = snapshot_tree(cdk8s_project / "dist")
        assert dist == snapshot_tree(expected)
        assert "dev/shop/manifest.yaml" in dist and "production/argocd-apps/manifest.yaml" in dist
        scratch = snapshot_tree(cdk8s_project / SCRATCH)
        assert set(scratch) == {p for p in dist if p.endswith("manifest.yaml")}
        assert all(scratch[p] == dist[p] for p in scratch)
        assert f"{SCRATCH}/dev/shop/manifest.yaml" in result.stdout  # the cdk8s CLI lists what it found

    def test_failure_leaves_dist_exactly_as_it_was(self, cdk8s_project: Path) -> None:
        """A mistake in app code fails cdk8s synth with the file and field named, and dist/ does not change."""
        assert run_cdk8s_synth(cdk8s_project, path_without_gitops([gitops_bin_dir()])).returncode == 0
        before = snapshot_tree(cdk8s_project / "dist")
        (cdk8s_project / "apps" / "shop.py").write_text(BROKEN_PROPS)
        result = run_cdk8s_synth(cdk8s_project, path_without_gitops([gitops_bin_dir()]))
        assert result.returncode != 0
        assert snapshot_tree(cdk8s_project / "dist") == before
        assert "apps/shop.py" in result.stderr and "port" in result.stderr and "'eighty'" in result.stderr

    def test_missing_command_says_how_to_fix_it(self, cdk8s_project: Path) -> None:
        """Without cdk8s-gitops on PATH (and no .venv), the message says what to install; dist/ is untouched."""
        _gitops_synth(cdk8s_project, cdk8s_project / "dist")
        before = snapshot_tree(cdk8s_project / "dist")
        result = run_cdk8s_synth(cdk8s_project, path_without_gitops())
        assert result.returncode != 0
        assert "cdk8s-gitops command was not found" in result.stderr
        assert ".venv/bin/pip install" in result.stderr and "activate" in result.stderr
        assert snapshot_tree(cdk8s_project / "dist") == before

    def test_project_venv_is_used_when_not_on_path(self, cdk8s_project: Path, tmp_path: Path) -> None:
        """With the virtualenv not activated, the project's .venv/bin/cdk8s-gitops is run."""
        (cdk8s_project / ".venv" / "bin").mkdir(parents=True)
        (cdk8s_project / ".venv" / "bin" / "cdk8s-gitops").symlink_to(Path(gitops_bin_dir()) / "cdk8s-gitops")
        result = run_cdk8s_synth(cdk8s_project, path_without_gitops())
        assert result.returncode == 0, result.stdout + result.stderr
        expected = tmp_path / "expected"
        _gitops_synth(cdk8s_project, expected)
        assert snapshot_tree(cdk8s_project / "dist") == snapshot_tree(expected)

    def test_output_dist_still_works_and_warns(self, cdk8s_project: Path, tmp_path: Path) -> None:
        """An old cdk8s.yaml with output: dist gets the full tree and a warning saying how to change it."""
        config = yaml.safe_load(CDK8S_YAML)
        config["output"] = "dist"
        (cdk8s_project / "cdk8s.yaml").write_text(yaml.safe_dump(config))
        result = run_cdk8s_synth(cdk8s_project, path_without_gitops([gitops_bin_dir()]))
        assert result.returncode == 0, result.stderr
        assert f"set 'output: {SCRATCH}'" in result.stderr
        expected = tmp_path / "expected"
        _gitops_synth(cdk8s_project, expected)
        assert snapshot_tree(cdk8s_project / "dist") == snapshot_tree(expected)


class TestRepositoryConfig:
    def test_repository_cdk8s_yaml_is_the_safe_one(self) -> None:
        """This repository's cdk8s.yaml is the one init writes (scratch output, never dist/)."""
        from helpers import REPO

        assert (REPO / "cdk8s.yaml").read_text() == CDK8S_YAML
        assert yaml.safe_load(CDK8S_YAML)["output"] == SCRATCH
