"""User mistakes reach the user through synth as one line each: file and line, field path, value and fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest

from cdk8s_gitops import ManifestError, SynthError, TypedResource
from cdk8s_gitops.cli import main
from cdk8s_gitops.platform import MicroserviceProps
from cdk8s_gitops.secrets import ExternalSecret
from cdk8s_gitops.testing import synth_chart

from .conftest import snapshot_tree

HEAD = '"""shop."""\nfrom cdk8s_gitops import TypedResource\nfrom cdk8s_gitops.platform import Microservice, MicroserviceProps, SecretEnv\n'


def _synth_error(project: Path, app: str, capsys: pytest.CaptureFixture[str]) -> str:
    (project / "apps" / "shop.py").write_text(HEAD + app)
    dist_before = sorted(p.as_posix() for p in (project / "dist").rglob("*")) if (project / "dist").exists() else []
    assert main(["-C", str(project), "synth"]) == 1
    assert (sorted(p.as_posix() for p in (project / "dist").rglob("*")) if (project / "dist").exists() else []) == dist_before
    return capsys.readouterr().err


class TestPropsErrors:
    def test_props_raise_the_library_error(self) -> None:
        """A bad props value raises ManifestError (a ValueError) naming class, name, field, value and fix."""
        with pytest.raises(ManifestError) as info:
            MicroserviceProps(name="web", image="ghcr.io/example/web", port="eighty")  # type: ignore[arg-type]
        assert isinstance(info.value, ValueError)
        assert str(info.value) == ("MicroserviceProps 'web': port: Input should be a valid integer, got 'eighty'; "
                                   "use an integer without quotes")

    def test_unknown_props_field_lists_the_allowed_keys(self) -> None:
        """A misspelt keyword names the field and the keys that exist."""
        with pytest.raises(ManifestError, match=r"MicroserviceProps 'web': prot: unknown field \(value 80\); .*port"):
            MicroserviceProps(name="web", image="ghcr.io/example/web", prot=80)  # type: ignore[call-arg]

    def test_synth_names_file_line_field_and_value(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """synth reports the props mistake with apps/shop.py and the line that wrote it, without --debug."""
        err = _synth_error(project, '\n\ndef build(scope, env):\n    Microservice(scope, "web", MicroserviceProps(\n'
                                    '        name="web", image="ghcr.io/example/web", port="eighty"))\n', capsys)
        assert "MicroserviceProps 'web' (apps/shop.py:7, environment dev): port: Input should be a valid integer, " \
               "got 'eighty'; use an integer without quotes" in err
        assert "ValidationError" not in err and "Traceback" not in err

    def test_a_pydantic_model_of_the_app_is_reported_the_same_way(self, project: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
        """Even the app's own pydantic model errors come out as field, value and fix (never pydantic's text)."""
        err = _synth_error(project, 'from pydantic import BaseModel\n\n\nclass Knobs(BaseModel):\n    size: int\n\n\n'
                                    'def build(scope, env):\n    Knobs(size="big")\n', capsys)
        assert "Knobs (apps/shop.py:12, environment dev): size: " in err and "'big'" in err
        assert "validation error for" not in err

    def test_other_exceptions_name_the_line(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Any exception in app code names the app file and the line that raised."""
        err = _synth_error(project, '\n\ndef build(scope, env):\n    raise RuntimeError("boom")\n', capsys)
        assert "(apps/shop.py:7, environment dev): build failed: RuntimeError: boom" in err


TYPED_HEAD = '''"""shop."""
from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ConfigMap, Container, Deployment, DeploymentSpec, LabelSelector, PodSpec, PodTemplateSpec


def build(scope: Construct, env: ResolvedAppSettings) -> None:
'''

TYPED_DEPLOYMENT = """    TypedResource(scope, Deployment(metadata=ObjectMeta(name="web"), spec=DeploymentSpec(
        replicas={replicas},
        selector=LabelSelector(match_labels={{"app": "web"}}),
        template=PodTemplateSpec(metadata=ObjectMeta(labels={{"app": "web"}}), spec=PodSpec(containers=[
            Container(name="web", image="nginx:1.27"{container})])),
    )))
"""


class TestTypedModelErrors:
    """A mistake in a typed object that an app builds reaches the user through synth as the library's message."""

    CASES: ClassVar[dict[str, tuple[str, str, str]]] = {
        "nested constructor": (TYPED_DEPLOYMENT.format(replicas="env.replicas", container=', tty="yes"'), 'tty="yes"',
                               "Container ({where}): tty: Input should be a valid boolean, got 'yes'; use true or false without quotes"),
        "spec constructor": (TYPED_DEPLOYMENT.format(replicas='"two"', container=""), "spec=DeploymentSpec(",
                             "DeploymentSpec ({where}): replicas: Input should be a valid integer, got 'two'; "
                             "use an integer without quotes"),
        "model_validate": ('    TypedResource(scope, ConfigMap.model_validate({"metadata": {"name": "cfg"}, "data": {"a": 1}}))\n',
                           "ConfigMap.model_validate",
                           "ConfigMap 'cfg' ({where}): data.a: Input should be a valid string, got 1; use a string (quote it in YAML)"),
        "model_validate_json": ('    TypedResource(scope, ConfigMap.model_validate_json(\'{"metadata": {"name": "Cfg"}}\'))\n',
                                "model_validate_json", "ConfigMap 'Cfg' ({where}): metadata.name 'Cfg' must be a DNS subdomain"),
    }

    @pytest.mark.parametrize("case", sorted(CASES))
    def test_synth_prints_file_line_field_value_and_fix(self, case: str, project: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
        """synth names the app file and line, the class or object, the field, the value and the fix; no pydantic
        text, no traceback, and dist/ keeps every byte it had."""
        assert main(["-C", str(project), "synth"]) == 0
        before = snapshot_tree(project / "dist")
        assert before
        body, marker, expected = self.CASES[case]
        source = TYPED_HEAD + body
        line = next(n for n, text in enumerate(source.splitlines(), 1) if marker in text)
        (project / "apps" / "shop.py").write_text(source)
        capsys.readouterr()
        assert main(["-C", str(project), "synth"]) == 1
        err = capsys.readouterr().err
        assert expected.format(where=f"apps/shop.py:{line}, environment dev") in err, err
        assert "ValidationError" not in err and "validation error for" not in err and "Traceback" not in err
        assert "errors.pydantic.dev" not in err
        assert snapshot_tree(project / "dist") == before

    def test_the_installed_command_prints_no_traceback(self, project: Path) -> None:
        """The console command itself (a separate process) exits 1 with the one-line problem on stderr."""
        (project / "apps" / "shop.py").write_text(TYPED_HEAD + self.CASES["nested constructor"][0])
        result = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(project), "synth"],
                                capture_output=True, text=True, timeout=300, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "Container (apps/shop.py:14, environment dev): tty: Input should be a valid boolean, got 'yes'" in result.stderr
        assert "Traceback" not in result.stderr and "ValidationError" not in result.stderr
        assert not (project / "dist").exists()


class TestCrossObjectErrors:
    def test_cross_object_errors_name_the_app_file(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A check across objects names the app file next to the construct path."""
        err = _synth_error(project, 'from cdk8s_gitops import ObjectMeta\n'
                                    'from cdk8s_gitops.kube import CrossVersionObjectReference, HorizontalPodAutoscaler, '
                                    'HorizontalPodAutoscalerSpec\n\n\ndef build(scope, env):\n'
                                    '    TypedResource(scope, HorizontalPodAutoscaler(metadata=ObjectMeta(name="h"), spec=HorizontalPodAutoscalerSpec(\n'
                                    '        scale_target_ref=CrossVersionObjectReference(api_version="apps/v1", kind="Deployment", name="x"),\n'
                                    '        max_replicas=2)))\n', capsys)
        assert "HorizontalPodAutoscaler 'h' (apps/shop.py: dev-shop/" in err


class TestStoreFix:
    def test_plain_external_secret_gets_the_annotation_fix(self) -> None:
        """An ExternalSecret written by hand is told to add the store or annotate it, not external: true."""
        def build(scope, env):  # noqa: ANN001, ANN202
            TypedResource(scope, ExternalSecret.from_manifest({"metadata": {"name": "db"}, "spec": {
                "secretStoreRef": {"kind": "ClusterSecretStore", "name": "vault"}, "target": {"name": "db"},
                "data": [{"secretKey": "pw", "remoteRef": {"key": "db"}}]}}))
        with pytest.raises(SynthError) as info:
            synth_chart(build)
        text = str(info.value)
        assert "ClusterSecretStore 'vault' is not synthesized" in text
        assert "gitops.cdk8s.io/external: <why>" in text and "external: true" not in text

    def test_microservice_gets_the_environment_switch(self) -> None:
        """A Microservice's ExternalSecret reads the environment's store: the fix is secret_store.external: true."""
        from cdk8s_gitops.platform import Microservice, SecretEnv

        def build(scope, env):  # noqa: ANN001, ANN202
            Microservice(scope, "web", MicroserviceProps(name="web", image="ghcr.io/example/web", port=8080,
                                                         secret_env={"DB": SecretEnv(key="db")}))
        with pytest.raises(SynthError) as info:
            synth_chart(build, apps={"test": {"images": {"web": "v1"}}}, secret_store={"name": "vault"})
        text = str(info.value)
        assert "ClusterSecretStore 'vault' is not synthesized" in text
        assert "set secret_store.external: true in environments/test.yaml" in text
        assert "gitops.cdk8s.io/external" not in text


class TestFrictions:
    def test_subdirectory_finds_the_project_root(self, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
        """Run from apps/, a command works on the project above it, as git does."""
        monkeypatch.chdir(project / "apps")
        assert main(["synth"]) == 0
        assert (project / "dist" / "dev" / "shop" / "manifest.yaml").is_file()
        assert not (project / "apps" / "dist").exists()

    def test_outside_a_project_says_where_it_looked(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
        """Outside any project the error names the folder, what was looked for and the ways out."""
        monkeypatch.chdir(tmp_path)
        assert main(["synth"]) == 2
        err = capsys.readouterr().err
        assert str(tmp_path) in err and "cdk8s.yaml" in err and "--project-dir" in err and "cdk8s-gitops init" in err

    def test_unlisted_app_module_is_named(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An app module that no environment lists gets a warning naming the file."""
        (project / "apps" / "orphan.py").write_text("def build(scope, env):\n    pass\n")
        assert main(["-C", str(project), "synth"]) == 0
        err = capsys.readouterr().err
        assert "warning: apps/orphan.py: app 'orphan' is in no environment file" in err

    def test_promote_shows_patterns_with_single_backslashes(self, project: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
        """A refused promotion prints the tag pattern as written in the file (no doubled backslashes)."""
        assert main(["-C", str(project), "synth"]) == 0  # promote synthesizes into an existing dist/ only
        prod = project / "environments" / "production.yaml"
        prod.write_text(prod.read_text() + "image_policy:\n  tag_pattern: '^v\\d+\\.\\d+$'\n")
        (project / "environments" / "dev.yaml").write_text(
            (project / "environments" / "dev.yaml").read_text().replace("v1.0.1", "dev-abc"))
        assert main(["-C", str(project), "promote", "--from", "dev", "--to", "production"]) == 2
        err = capsys.readouterr().err
        assert "tag_pattern '^v\\d+\\.\\d+$'" in err and "\\\\" not in err


class TestSafetyNet:
    def test_a_stray_validation_error_is_printed_as_problems(self, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
        """Should a pydantic ValidationError escape a command, the CLI still prints field, value and fix."""
        from pydantic import BaseModel

        import cdk8s_gitops.cli as cli

        class Knobs(BaseModel):
            size: int

        def explode(args: object) -> int:
            Knobs.model_validate({"size": "big"})
            return 0

        monkeypatch.setattr(cli, "_cmd_list", explode)
        assert cli.main(["list"]) == 1
        err = capsys.readouterr().err
        assert "error: Knobs: size: Input should be a valid integer" in err and "'big'" in err
        assert "validation error for" not in err
