"""cdk8s-gitops validate: strict core schemas, CRD schemas, policy, and kinds without a schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO, shared_dir

from cdk8s_gitops.cli import main


def write(tmp_path: Path, *docs: dict[str, Any]) -> Path:
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump_all(docs))
    return path


class TestValidate:
    def test_committed_dist_is_valid(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every object in the committed dist/ validates: zero problems, zero objects without a schema."""
        schemas = shared_dir("schemas")
        assert main(["-C", str(REPO), "validate", "--schemas", str(schemas)]) == 0, capsys.readouterr().out

    def test_unknown_core_field_is_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Strict mode: an unknown field in a core kind is one line naming file, object and field."""
        path = write(tmp_path, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "dataa": {}})
        assert main(["validate", str(path)]) == 1
        out = capsys.readouterr().out
        assert "manifest.yaml: ConfigMap 'c'" in out and "dataa" in out

    def test_crd_checked_against_schema_dir(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A custom resource is validated against <schema-dir>/<group>/<kind>_<version>.json."""
        schemas = shared_dir("schemas")
        path = write(tmp_path, {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"},
                                "spec": {"project": 5, "destination": {}, "source": {"repoURL": "x"}}})
        assert main(["validate", str(path), "--schemas", str(schemas)]) == 1
        assert "Application 'a': spec.project: 5 is not of type 'string'" in capsys.readouterr().out

    def test_kind_without_schema_is_reported(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A custom resource with no schema is a problem, never a silent pass."""
        path = write(tmp_path, {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
        assert main(["validate", str(path)]) == 1
        out = capsys.readouterr().out
        assert "Widget 'w': example.com/v1 Widget is not a kind the library models and has no schema" in out
        assert "pass --schemas DIR with example.com/widget_v1.json" in out

    def test_secret_with_data_is_a_policy_problem(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A Secret carrying values fails the policy check, pointing at External Secrets."""
        path = write(tmp_path, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "stringData": {"a": "b"}})
        assert main(["validate", str(path)]) == 1
        assert "ExternalSecret" in capsys.readouterr().out

    def test_latest_image_is_a_policy_problem(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An image with no tag or :latest is reported with its field path."""
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "a", "image": "nginx:latest"}]}}
        assert main(["validate", str(write(tmp_path, pod))]) == 1
        assert "spec.containers[0].image" in capsys.readouterr().out


WIDGET_SCHEMA = {"type": "object", "required": ["spec"],
                 "properties": {"spec": {"type": "object", "properties": {"size": {"type": "integer"}}}}}


class TestWithOnlyThePackage:
    def test_dist_validates_without_any_schema_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
        """From another folder, with no --schemas, every object of dist/ is checked (the modelled kinds by their models)."""
        monkeypatch.chdir(tmp_path)
        assert main(["validate", str(REPO / "dist")]) == 0, capsys.readouterr().out
        out = capsys.readouterr().out
        assert "no problems" in out and "warning" not in out

    def test_modelled_custom_resource_checked_by_its_model(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A Rollout mistake is found by the library's model, naming the field, value and fix, with no schema folder."""
        rollout = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web"},
                   "spec": {"selector": {"matchLabels": {"a": "b"}},
                            "template": {"metadata": {"labels": {"a": "b"}},
                                         "spec": {"containers": [{"name": "w", "image": "x:v1"}]}},
                            "strategy": {"canary": {"steps": [{"setWeight": "ten"}]}}}}
        assert main(["validate", str(write(tmp_path, rollout))]) == 1
        out = capsys.readouterr().out
        assert "Rollout 'web': spec.strategy.canary.steps[0].setWeight" in out and "'ten'" in out

    def test_schema_folders_are_repeatable(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--schemas takes several folders (kubeconform layout); the one holding the kind's schema is used."""
        import json

        (tmp_path / "empty").mkdir()
        (tmp_path / "mine" / "example.com").mkdir(parents=True)
        (tmp_path / "mine" / "example.com" / "widget_v1.json").write_text(json.dumps(WIDGET_SCHEMA))
        good = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"size": 3}}
        bad = {**good, "metadata": {"name": "v"}, "spec": {"size": "big"}}
        path = write(tmp_path, good, bad)
        assert main(["validate", str(path), "--schemas", str(tmp_path / "empty"), "--schemas", str(tmp_path / "mine")]) == 1
        out = capsys.readouterr().out
        assert "Widget 'v': spec.size: 'big' is not of type 'integer'" in out and "Widget 'w'" not in out

    def test_unknown_kind_can_be_a_warning(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--unknown warn reports a kind nothing can check as a warning and exits 0."""
        path = write(tmp_path, {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
        assert main(["validate", str(path), "--unknown", "warn"]) == 0
        captured = capsys.readouterr()
        assert "warning: " in captured.err and "Widget 'w'" in captured.err
        assert "1 object(s) of kinds nothing could check" in captured.out
