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
        assert main(["-C", str(REPO), "validate", "--schema-dir", str(schemas)]) == 0, capsys.readouterr().out

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
        assert main(["validate", str(path), "--schema-dir", str(schemas)]) == 1
        assert "Application 'a': spec.project: 5 is not of type 'string'" in capsys.readouterr().out

    def test_kind_without_schema_is_reported(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A custom resource with no schema is a problem, never a silent pass."""
        path = write(tmp_path, {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
        assert main(["validate", str(path)]) == 1
        assert "no schema for example.com/v1 Widget" in capsys.readouterr().out

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
