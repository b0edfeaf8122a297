"""The pytest plugin and YAML snapshots, used the way another repository would use them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.testing import YamlSnapshotExtension, changed_objects, make_settings, synth_chart
from cdk8s_gitops.testing.plugin import MISSING_SYRUPY

DOWNSTREAM_TEST = '''
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def test_shop_dev(synth_app, yaml_snapshot):
    out = synth_app("shop", "dev")
    assert out.manifests[0]["kind"] == "ConfigMap"
    assert out.manifests == yaml_snapshot


def test_chart(synth_chart):
    manifests = synth_chart(lambda scope, env: TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="x"))), app="unit")
    assert manifests[0]["metadata"]["namespace"] == "unit-test"
'''

APP = '''from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"tag": env.image_tag("web")}))
'''

ENV = "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\napps:\n  shop:\n    images:\n      web: {tag}\n"


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without pytest's own variables (xdist workers set PYTEST_XDIST_WORKER etc.)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(extra)
    return env


def _pytest(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=repo,
                          capture_output=True, text=True, check=False, env=env or _clean_env())


def _repository(root: Path, test: str = DOWNSTREAM_TEST) -> Path:
    (root / "apps").mkdir(parents=True)
    (root / "apps" / "shop.py").write_text(APP)
    (root / "environments").mkdir()
    (root / "environments" / "dev.yaml").write_text(ENV.format(tag="v1.0.0"))
    (root / "tests").mkdir()
    (root / "tests" / "test_shop.py").write_text(test)
    (root / "pytest.ini").write_text("[pytest]\n")
    return root


class TestDownstreamRepository:
    def test_fixtures_and_yaml_snapshots(self, tmp_path: Path) -> None:
        """A repository that only installs the package gets the fixtures; snapshots are YAML files that catch changes."""
        _repository(tmp_path)
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
        # The changed object is named before the line diff.
        named = changed.stdout.index("changed: ConfigMap shop-dev/shop")
        assert named < changed.stdout.index("v1.0.1")


class TestHarness:
    def test_synth_chart_applies_settings(self) -> None:
        """synth_chart builds with test settings and returns manifests with the chart's defaults."""
        manifests = synth_chart(lambda scope, env: env, app="a")
        assert manifests == []
        settings = make_settings("a", replicas=3)
        assert settings.replicas == 3 and settings.namespace == "a-test"

    def test_snapshot_serializer(self) -> None:
        """The extension writes models and dicts as multi-document YAML."""
        text = YamlSnapshotExtension().serialize([ConfigMap.from_manifest({"metadata": {"name": "a"}}), {"kind": "X"}])
        assert list(yaml.safe_load_all(text)) == [
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}, {"kind": "X"}]


STARTUP_TEST = """
import sys


def test_nothing_heavy_at_start_up():
    assert "cdk8s_gitops.testing.plugin" in sys.modules
    assert not [m for m in ("cdk8s", "jsii", "constructs", "pydantic") if m in sys.modules]
"""


class TestWithoutExtras:
    def test_plugin_imports_nothing_heavy(self, tmp_path: Path) -> None:
        """Loading the plugin imports neither cdk8s, jsii, pydantic nor syrupy."""
        code = ("import sys, cdk8s_gitops.testing.plugin; "
                "print([m for m in ('cdk8s', 'jsii', 'constructs', 'pydantic', 'syrupy') if m in sys.modules])")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_clean_env())
        assert done.stdout.strip() == "[]"
        (tmp_path / "test_startup.py").write_text(STARTUP_TEST)
        result = _pytest(tmp_path, "test_startup.py")
        assert result.returncode == 0, result.stdout + result.stderr

    def test_without_syrupy_pytest_starts_and_the_fixture_says_what_to_install(self, tmp_path: Path) -> None:
        """Without syrupy, pytest runs; only a test using yaml_snapshot errors, naming the testing extra."""
        blocker = tmp_path / "no-syrupy" / "syrupy"
        blocker.mkdir(parents=True)
        (blocker / "__init__.py").write_text("raise ImportError('syrupy is not installed (simulated)')\n")
        repo = _repository(tmp_path / "repo", DOWNSTREAM_TEST)
        env = _clean_env(PYTHONPATH=str(blocker.parent))
        result = _pytest(repo, "-p", "no:syrupy", "-rE", env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "1 passed, 1 error" in result.stdout  # test_chart ran; test_shop_dev could not get its fixture
        assert MISSING_SYRUPY in result.stdout
        assert "pip install 'cdk8s-gitops[testing]'" in MISSING_SYRUPY


class TestChangedObjects:
    def test_names_kind_namespace_and_name(self) -> None:
        """The summary lists added, removed and changed objects; unchanged ones are not listed."""
        old = "kind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: '1'}\n---\nkind: Namespace\nmetadata: {name: x}\n"
        new = "kind: ConfigMap\nmetadata: {name: a, namespace: x}\ndata: {k: '2'}\n---\nkind: Service\nmetadata: {name: s, namespace: x}\n"
        assert changed_objects(old, new) == ["changed: ConfigMap x/a", "removed: Namespace x", "added:   Service x/s"]
        assert changed_objects(old, old) == []


class TestHarnessErrors:
    def test_bad_test_settings_raise_the_library_error(self) -> None:
        """A wrong environment field given to the harness is a ConfigError naming the field, not pydantic's error."""
        from cdk8s_gitops import ConfigError

        with pytest.raises(ConfigError, match=r"environment 'test' \(test settings\): images: unknown field"):
            make_settings("a", images={"web": "v1"})
