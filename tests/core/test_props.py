"""Props: the base of construct props refuses bad input with ManifestError, never pydantic's ValidationError."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import Field, ValidationError, field_validator

from cdk8s_gitops import ManifestError, Props
from cdk8s_gitops.platform import MicroserviceProps, NamespaceBaselineProps, Resources


class Inner(Props):
    size: str = "1Gi"

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if not value.endswith("i"):
            raise ValueError("is not a binary quantity; write it like '10Gi'")
        return value


class Outer(Props):
    name: str
    replicas: int = 1
    inner: Inner = Inner()
    by_name: dict[str, Inner] = Field(default_factory=dict)


def refusal(excinfo: pytest.ExceptionInfo[ManifestError]) -> str:
    return str(excinfo.value)


class TestProps:
    def test_wrong_type_names_class_field_value_and_fix(self) -> None:
        """A wrongly typed field: ManifestError (a ValueError) with the class, field, bad value and fix."""
        with pytest.raises(ManifestError) as excinfo:
            Outer(name="web", replicas="3")  # type: ignore[arg-type]  # the mistake under test
        assert isinstance(excinfo.value, ValueError)
        assert not isinstance(excinfo.value, ValidationError)
        (problem,) = excinfo.value.problems
        assert problem.subject == "Outer 'web'"  # the props' own name, when they have one
        assert problem.path == "replicas"
        assert "'3'" in problem.message
        assert problem.fix == "use an integer without quotes"

    def test_unknown_field_lists_the_known_ones(self) -> None:
        """A misspelled field is refused and the fix lists the fields the class has."""
        with pytest.raises(ManifestError) as excinfo:
            Outer(name="web", replicsa=2)  # type: ignore[call-arg]  # the mistake under test
        (problem,) = excinfo.value.problems
        assert (problem.subject, problem.path) == ("Outer 'web'", "replicsa")
        assert "unknown field (value 2)" in problem.message
        assert "by_name, inner, name, replicas" in problem.fix

    def test_missing_field(self) -> None:
        """A required field left out is named."""
        with pytest.raises(ManifestError, match=r"^Outer: name: required field is missing; add this field$"):
            Outer()  # type: ignore[call-arg]  # the mistake under test

    def test_validator_message_gets_the_value(self) -> None:
        """A validator that does not repeat the value still shows it, next to its own message and fix."""
        with pytest.raises(ManifestError) as excinfo:
            Inner(size="10G")
        assert refusal(excinfo) == "Inner: size: is not a binary quantity (got '10G'); write it like '10Gi'"

    def test_nested_mapping_reports_once_from_the_outer_class(self) -> None:
        """Nested props given as mappings: one problem, its path running from the class the user called."""
        with pytest.raises(ManifestError) as excinfo:
            Outer.model_validate({"name": "web", "inner": {"size": "10G"}, "by_name": {"a": {"sise": "1Gi"}}})
        assert [(p.subject, p.path) for p in excinfo.value.problems] == [
            ("Outer 'web'", "inner.size"), ("Outer 'web'", "by_name.a.sise")]

    def test_every_problem_at_once(self) -> None:
        """All mistakes of one call are reported together."""
        with pytest.raises(ManifestError) as excinfo:
            Outer(name=1, replicas="x")  # type: ignore[arg-type]  # the mistakes under test
        assert sorted(p.path for p in excinfo.value.problems) == ["name", "replicas"]
        assert str(excinfo.value).startswith("2 problems:")

    def test_valid_props_are_frozen(self) -> None:
        """Valid input builds the props; they cannot be changed afterwards."""
        props = Outer(name="web", inner=Inner(size="2Gi"))
        assert props.inner.size == "2Gi"
        with pytest.raises(ManifestError, match=r"^Outer 'web': name: Instance is frozen, got 'api'; objects are immutable"):
            props.name = "api"  # type: ignore[misc]  # the mistake under test


class TestPlatformProps:
    def test_microservice_props(self) -> None:
        """MicroserviceProps refuses a quoted port with the library's error."""
        with pytest.raises(ManifestError, match=r"^MicroserviceProps 'web': port: .*got '8080'; use an integer without quotes$"):
            MicroserviceProps(name="web", image="ghcr.io/example/web", port="8080")  # type: ignore[arg-type]  # the mistake under test

    def test_resources_nested_in_microservice(self) -> None:
        """A bad value in nested Resources given as a mapping is reported under resources.<field>."""
        with pytest.raises(ManifestError) as excinfo:
            MicroserviceProps.model_validate({"name": "web", "image": "ghcr.io/example/web", "resources": {"cpu_request": 1}})
        (problem,) = excinfo.value.problems
        assert (problem.subject, problem.path) == ("MicroserviceProps 'web'", "resources.cpu_request")

    def test_namespace_baseline_props(self) -> None:
        """NamespaceBaselineProps names a bad namespace and what a valid one looks like."""
        with pytest.raises(ManifestError, match=r"^NamespaceBaselineProps: namespace: 'Shop_Dev' must be a DNS label"):
            NamespaceBaselineProps(namespace="Shop_Dev")

    def test_resources(self) -> None:
        """Resources is a props class too."""
        with pytest.raises(ManifestError, match=r"^Resources: cpu_limit: Input should be a valid string, got 1"):
            Resources(cpu_limit=1)  # type: ignore[arg-type]  # the mistake under test


APP = '''"""shop: one microservice with a mistake in its props."""
from cdk8s_gitops.platform import Microservice, MicroserviceProps


def build(scope, env):
    Microservice(scope, "web", MicroserviceProps(name="web", image="ghcr.io/example/web", port="8080"))
'''

ENV = """name: dev
git:
  repo_url: https://github.com/example/platform.git
apps:
  shop:
    images:
      web: v1.0.0
"""


class TestThroughSynth:
    def test_cli_shows_the_props_problem_without_traceback(self, tmp_path: Path) -> None:
        """cdk8s-gitops synth of an app with bad props: exit non-zero, the field and value shown, nothing written."""
        (tmp_path / "apps").mkdir()
        (tmp_path / "apps" / "shop.py").write_text(APP)
        (tmp_path / "environments").mkdir()
        (tmp_path / "environments" / "dev.yaml").write_text(ENV)
        result = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(tmp_path), "synth"],
                                capture_output=True, text=True, check=False)
        assert result.returncode != 0
        assert "MicroserviceProps 'web' (apps/shop.py:6, environment dev): port: Input should be a valid integer, got '8080'; " \
               "use an integer without quotes" in result.stderr
        assert "ValidationError" not in result.stderr + result.stdout
        assert "Traceback" not in result.stderr + result.stdout
        assert not (tmp_path / "dist").exists()
