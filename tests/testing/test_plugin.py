"""The pytest plugin and YAML snapshots, used the way another repository would use them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.testing import YamlSnapshotExtension, make_settings, synth_chart

DOWNSTREAM_TEST = '''
from cdk8s_gitops import TypedResource
from cdk8s_gitops.kube import ConfigMap


def test_shop_dev(synth_app, yaml_snapshot):
    out = synth_app("shop", "dev")
    assert out.manifests[0]["kind"] == "ConfigMap"
    assert out.manifests == yaml_snapshot


def test_chart(synth_chart):
    manifests = synth_chart(lambda scope, env: TypedResource(scope, ConfigMap.build(metadata={"name": "x"})), app="unit")
    assert manifests[0]["metadata"]["namespace"] == "unit-test"
'''

APP = '''from cdk8s_gitops import TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap.build(metadata={"name": "shop"}, data={"tag": env.image_tag("web")}))
'''

ENV = "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\napps:\n  shop:\n    images:\n      web: {tag}\n"


def _pytest(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # A clean pytest, as in the downstream repository: not a pytest-xdist worker of this run (its PYTEST_XDIST_*
    # variables), nor with this run's options (PYTEST_ADDOPTS) or current test.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTEST_XDIST_") and k not in ("PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST")}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=repo,
                          capture_output=True, text=True, check=False, env=env)


class TestDownstreamRepository:
    def test_fixtures_and_yaml_snapshots(self, tmp_path: Path) -> None:
        """A repository that only installs the package gets the fixtures; snapshots are YAML files that catch changes."""
        (tmp_path / "apps").mkdir()
        (tmp_path / "apps" / "shop.py").write_text(APP)
        (tmp_path / "environments").mkdir()
        (tmp_path / "environments" / "dev.yaml").write_text(ENV.format(tag="v1.0.0"))
        (tmp_path / "tests").mkdir()
        (tmp_path / "tests" / "test_shop.py").write_text(DOWNSTREAM_TEST)
        (tmp_path / "pytest.ini").write_text("[pytest]\n")

        first = _pytest(tmp_path, "--snapshot-update")
        assert first.returncode == 0, first.stdout + first.stderr
        snapshots = list((tmp_path / "tests" / "__snapshots__").rglob("*.yaml"))
        assert len(snapshots) == 1
        doc = yaml.safe_load(snapshots[0].read_text())
        assert doc["kind"] == "ConfigMap" and doc["data"] == {"tag": "v1.0.0"}

        assert _pytest(tmp_path).returncode == 0
        (tmp_path / "environments" / "dev.yaml").write_text(ENV.format(tag="v1.0.1"))
        changed = _pytest(tmp_path)
        assert changed.returncode == 1
        assert "1 snapshot failed" in changed.stdout
        assert "v1.0.1" in changed.stdout


class TestHarness:
    def test_synth_chart_applies_settings(self) -> None:
        """synth_chart builds with test settings and returns manifests with the chart's defaults."""
        manifests = synth_chart(lambda scope, env: env, app="a")
        assert manifests == []
        settings = make_settings("a", replicas=3)
        assert settings.replicas == 3 and settings.namespace == "a-test"

    def test_snapshot_serializer(self) -> None:
        """The extension writes models and dicts as multi-document YAML."""
        text = YamlSnapshotExtension().serialize([ConfigMap.build(metadata={"name": "a"}), {"kind": "X"}])
        assert list(yaml.safe_load_all(text)) == [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, {"kind": "X"}]
