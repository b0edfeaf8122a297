"""cdk8s-gitops init: a new platform repository whose own checks pass straight away."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cdk8s_gitops import ConfigError
from cdk8s_gitops.cli import main
from cdk8s_gitops.scaffold import init
from cdk8s_gitops.synth.cdk8s_cli import CDK8S_YAML


class TestInit:
    def test_writes_a_complete_repository(self, tmp_path: Path) -> None:
        """Every promised file is there, dist/ is synthesized, and the snapshots are recorded."""
        root = tmp_path / "shop-platform"
        result = init(root)
        for rel in ("pyproject.toml", "cdk8s.yaml", "apps/hello.py", "environments/dev.yaml", "environments/production.yaml",
                    "tests/test_hello.py", ".github/workflows/ci.yml", "README.md", ".gitignore",
                    "dist/dev/hello/manifest.yaml", "dist/production/argocd-apps/manifest.yaml",
                    "tests/__snapshots__/test_hello/test_snapshot[dev].yaml"):
            assert (root / rel).is_file(), rel
        assert result.overwritten == []
        assert (root / "cdk8s.yaml").read_text() == CDK8S_YAML
        pyproject = (root / "pyproject.toml").read_text()
        assert 'name = "shop-platform"' in pyproject
        assert '"cdk8s-gitops",' in pyproject and '"cdk8s-gitops[testing]",' in pyproject
        kinds = {d["kind"] for d in yaml.safe_load_all((root / "dist/production/hello/manifest.yaml").read_text())}
        assert {"Rollout", "HTTPRoute", "HorizontalPodAutoscaler"} <= kinds

    def test_app_module_is_typed(self, tmp_path: Path) -> None:
        """The app init writes is in the typed form (typed models, typed build signature) and passes mypy --strict."""
        if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
            pytest.skip("mypy is not installed (dev extra)")
        from cdk8s_gitops.scaffold.templates import APP

        code = APP.format(project="shop-platform")
        assert ".build(" not in code and "def build(scope: Construct, env: ResolvedAppSettings) -> None:" in code
        (tmp_path / "hello.py").write_text(code, encoding="utf-8")
        (tmp_path / "mypy.ini").write_text("[mypy]\nstrict = True\nplugins = pydantic.mypy\n", encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir", str(tmp_path / "cache"),
                               "hello.py"], capture_output=True, text=True, check=False, cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr

    def test_ci_workflow_runs_the_three_checks(self, tmp_path: Path) -> None:
        """The workflow installs the test extra and runs synth --check, validate and pytest, read-only."""
        init(tmp_path / "p")
        workflow = yaml.safe_load((tmp_path / "p" / ".github/workflows/ci.yml").read_text())
        runs = [s.get("run", "") for s in workflow["jobs"]["check"]["steps"]]
        assert runs[2:] == ["python -m pip install -e '.[test]'", "cdk8s-gitops synth --check", "cdk8s-gitops validate",
                            "python -m pytest"]
        assert workflow["permissions"] == {"contents": "read"}

    def test_checks_pass_in_the_new_repository(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """synth --check and validate pass on what init wrote."""
        init(tmp_path / "p")
        assert main(["-C", str(tmp_path / "p"), "synth", "--check"]) == 0
        assert main(["-C", str(tmp_path / "p"), "validate"]) == 0, capsys.readouterr().out

    def test_refuses_a_non_empty_folder(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A folder with files is refused (naming them) and left untouched."""
        (tmp_path / "notes.txt").write_text("mine")
        with pytest.raises(ConfigError, match=r"is not empty \(notes.txt\); .*--force"):
            init(tmp_path)
        assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
        assert main(["init", str(tmp_path)]) == 2
        assert "is not empty" in capsys.readouterr().err

    def test_force_replaces_scaffold_files_and_keeps_the_rest(self, tmp_path: Path) -> None:
        """--force writes the scaffold's files over same-named ones, lists them, and keeps other files."""
        (tmp_path / "notes.txt").write_text("mine")
        (tmp_path / "README.md").write_text("old")
        result = init(tmp_path, force=True)
        assert result.overwritten == ["README.md"]
        assert (tmp_path / "notes.txt").read_text() == "mine"
        assert (tmp_path / "README.md").read_text().startswith("# ")

    @pytest.mark.parametrize(("spec", "runtime", "testing"), [
        ("cdk8s-gitops>=0.1", "cdk8s-gitops>=0.1", "cdk8s-gitops[testing]>=0.1"),
        ("cdk8s-gitops[extra] @ https://example.com/x.whl", "cdk8s-gitops[extra] @ https://example.com/x.whl",
         "cdk8s-gitops[extra,testing] @ https://example.com/x.whl"),
    ])
    def test_package_spec(self, tmp_path: Path, spec: str, runtime: str, testing: str) -> None:
        """--package-spec is the dependency; the test extra adds [testing] to it."""
        init(tmp_path / "p", package_spec=spec)
        pyproject = (tmp_path / "p" / "pyproject.toml").read_text()
        assert f'"{runtime}",' in pyproject and f'"{testing}",' in pyproject

    def test_local_checkout_becomes_a_file_url(self, tmp_path: Path) -> None:
        """A path to a checkout (or wheel) is written as a file:// requirement."""
        checkout = tmp_path / "checkout"
        checkout.mkdir()
        init(tmp_path / "p", package_spec=str(checkout))
        assert f'"cdk8s-gitops @ {checkout.resolve().as_uri()}",' in (tmp_path / "p" / "pyproject.toml").read_text()
