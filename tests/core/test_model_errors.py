"""Every way into a model or props class refuses bad input with ManifestError, never pydantic's ValidationError."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import cdk8s_gitops
from cdk8s_gitops import K8sModel, ManifestError, ObjectMeta, Props, from_manifest
from cdk8s_gitops.core.model_errors import GuardedModel
from cdk8s_gitops.environment import EnvironmentSpec
from cdk8s_gitops.kube import ConfigMap, Container, Deployment, DeploymentSpec, LabelSelector
from cdk8s_gitops.platform import MicroserviceProps, Resources


def refusal(make: Callable[[], object]) -> ManifestError:
    """The ManifestError ``make()`` raises; fails on any other outcome (pydantic's error included)."""
    try:
        make()
    except ManifestError as exc:
        assert not isinstance(exc, ValidationError)
        assert isinstance(exc, ValueError)
        assert "validation error for" not in str(exc) and "errors.pydantic.dev" not in str(exc)
        return exc
    except Exception as exc:  # noqa: BLE001 - the point of the test: name what escaped instead
        pytest.fail(f"{type(exc).__module__}.{type(exc).__name__} escaped instead of ManifestError: {exc}")
    pytest.fail("no error raised")


class TestNestedModelsBuiltDirectly:
    def test_container_wrong_type(self) -> None:
        """A nested generated structure built on its own names its class, the field, the value and the fix."""
        exc = refusal(lambda: Container(name=1))  # type: ignore[arg-type]  # the mistake under test
        assert str(exc) == "Container: name: Input should be a valid string, got 1; use a string (quote it in YAML)"

    def test_deployment_spec_wrong_replicas(self) -> None:
        """DeploymentSpec(replicas="x") names replicas, the quoted value and the fix, with the other problems listed."""
        exc = refusal(lambda: DeploymentSpec(replicas="x"))  # type: ignore[arg-type]  # the mistake under test
        by_path = {p.path: p for p in exc.problems}
        assert by_path["replicas"].subject == "DeploymentSpec"
        assert "'x'" in by_path["replicas"].message and by_path["replicas"].fix == "use an integer without quotes"
        assert {"selector", "template"} <= set(by_path)  # required fields are reported in the same error

    def test_object_meta_label_value(self) -> None:
        """A model validator's refusal (label value) comes through with its own fix text."""
        exc = refusal(lambda: ObjectMeta(name="a", labels={"app": "no spaces"}))
        assert "ObjectMeta" in str(exc) and "'no spaces'" in str(exc)


class TestModelValidate:
    def test_whole_object_from_dict(self) -> None:
        """model_validate on a dict names the kind and the object, the camelCase path, the value and the fix."""
        doc = {"metadata": {"name": "web"}, "spec": {"replicas": "x", "selector": {}, "template": {}}}
        exc = refusal(lambda: Deployment.model_validate(doc))
        (problem,) = exc.problems
        assert (problem.subject, problem.path) == ("Deployment 'web'", "spec.replicas")
        assert "'x'" in problem.message and problem.fix == "use an integer without quotes"

    def test_nested_model_from_dict(self) -> None:
        """model_validate on a nested structure names the class."""
        exc = refusal(lambda: Container.model_validate({"name": "web", "imagePullPolicy": "Sometimes"}))
        (problem,) = exc.problems
        assert (problem.subject, problem.path) == ("Container", "imagePullPolicy")
        assert "'Sometimes'" in problem.message and "Always" in problem.fix

    def test_not_a_mapping(self) -> None:
        """A list where an object belongs is refused with the library's error."""
        exc = refusal(lambda: ConfigMap.model_validate([1, 2]))
        assert "ConfigMap" in str(exc) and "[1, 2]" in str(exc) and "use a mapping" in str(exc)

    def test_semantic_check_through_model_validate(self) -> None:
        """Hand-written checks on generated classes refuse through model_validate too."""
        exc = refusal(lambda: LabelSelector.model_validate({"matchExpressions": [{"key": "tier", "operator": "In"}]}))
        assert "LabelSelector" in str(exc) and "operator In needs at least one value" in str(exc)

    def test_valid_input_is_unchanged(self) -> None:
        """The conversion changes only the failure path: valid input gives the same object as the constructor."""
        made = ConfigMap.model_validate({"metadata": {"name": "web"}, "data": {"a": "b"}})
        assert made == ConfigMap(metadata=ObjectMeta(name="web"), data={"a": "b"})
        assert made.to_manifest() == {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web"}, "data": {"a": "b"}}


class TestJsonAndStrings:
    def test_model_validate_json_bad_value(self) -> None:
        """model_validate_json names the object, field, value and fix."""
        exc = refusal(lambda: ConfigMap.model_validate_json('{"metadata": {"name": "cfg"}, "data": {"a": 1}}'))
        assert str(exc) == "ConfigMap 'cfg': data.a: Input should be a valid string, got 1; use a string (quote it in YAML)"

    def test_model_validate_json_bad_json(self) -> None:
        """Text that is not JSON is refused with the library's error, too."""
        exc = refusal(lambda: ConfigMap.model_validate_json("{not json"))
        assert "ConfigMap" in str(exc) and "Invalid JSON" in str(exc) and "pass valid JSON text" in str(exc)

    def test_model_validate_strings(self) -> None:
        """model_validate_strings (values as text) names the field and value."""
        exc = refusal(lambda: Container.model_validate_strings({"name": "web", "tty": "maybe"}))
        assert str(exc) == ("Container: tty: Input should be a valid boolean, unable to interpret input, got 'maybe'; "
                            "use true or false without quotes")

    def test_props_json(self) -> None:
        """Props classes have the same entry points."""
        exc = refusal(lambda: MicroserviceProps.model_validate_json('{"name": "web", "image": "ghcr.io/x/web", "port": "80"}'))
        assert str(exc).startswith("MicroserviceProps 'web': port: Input should be a valid integer, got '80'")
        exc = refusal(lambda: Resources.model_validate_strings({"cpu_request": "100m", "unknown": "x"}))
        assert "Resources: unknown: unknown field" in str(exc)


class TestFrozenObjects:
    def test_assigning_a_model_field(self) -> None:
        """Assigning to a field of a (frozen) model names the object, the field and how to get a changed copy."""
        cm = ConfigMap(metadata=ObjectMeta(name="cfg"))
        exc = refusal(lambda: setattr(cm, "data", {"a": "b"}))
        assert str(exc).startswith("ConfigMap 'cfg': data: Instance is frozen")
        assert "model_copy(update=" in str(exc)

    def test_deleting_a_props_field(self) -> None:
        """Deleting a field of frozen props is refused the same way."""
        props = Resources()
        exc = refusal(lambda: delattr(props, "cpu_request"))
        assert str(exc).startswith("Resources: cpu_request: Instance is frozen")


class TestEnvironmentAndManifests:
    def test_environment_spec_model_validate(self) -> None:
        """The environment models refuse through model_validate with the library's error (the loader adds the file)."""
        exc = refusal(lambda: EnvironmentSpec.model_validate({"name": "dev", "replicas": "two"}))
        assert any(p.path == "replicas" and "'two'" in p.message for p in exc.problems), str(exc)

    def test_from_manifest(self) -> None:
        """from_manifest names the kind, the object and the path."""
        exc = refusal(lambda: from_manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"k": 2}}))
        assert str(exc) == "ConfigMap 'c': data.k: Input should be a valid string, got 2; use a string (quote it in YAML)"


def _library_models() -> list[type[BaseModel]]:
    """Every pydantic model class the library defines (all modules imported, generated ones included)."""
    for info in pkgutil.walk_packages(cdk8s_gitops.__path__, "cdk8s_gitops."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)
    found: list[type[BaseModel]] = []
    stack: list[type[Any]] = [BaseModel]
    seen: set[type[Any]] = set()
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if sub.__module__.startswith("cdk8s_gitops.") and not sub.__pydantic_generic_metadata__["origin"]:
                    found.append(sub)
    return found


class TestEveryModelClass:
    ENTRY_POINTS = ("__init__", "model_validate", "model_validate_json", "model_validate_strings", "__setattr__", "__delattr__")

    def test_every_class_is_guarded(self) -> None:
        """Every model and props class of the library (hand-written and generated) takes its ways in from
        GuardedModel, so none of them can let pydantic's ValidationError out; none overrides one of them."""
        models = _library_models()
        assert len(models) > 1000  # the generated layer is there
        unguarded = sorted(f"{c.__module__}.{c.__qualname__}" for c in models if not issubclass(c, GuardedModel))
        assert unguarded == []
        # K8sModel.__init__ drops keywords given as None and converts the error as GuardedModel.__init__ does
        # (TestNestedModelsBuiltDirectly and TestModelValidate check its errors).
        delegating = {(K8sModel, "__init__")}
        overriding = sorted(
            f"{c.__module__}.{c.__qualname__}.{name}" for c in models for name in self.ENTRY_POINTS
            for owner in [next(k for k in c.__mro__ if name in vars(k))]
            if owner is not GuardedModel and (owner, name) not in delegating
        )
        assert overriding == []

    @pytest.mark.parametrize("kind", ["Deployment", "ConfigMap", "HTTPRoute", "Rollout", "ExternalSecret", "Application"])
    def test_unknown_field_on_registered_kinds(self, kind: str) -> None:
        """A sample of kinds across API groups: an unknown field through each way in is the library's error."""
        cls = next(c for (_, k), c in cdk8s_gitops.registered_kinds(generated=False).items() if k == kind)
        doc: dict[str, Any] = {"metadata": {"name": "x"}, "notAField": 1}
        for make in (lambda: cls(**doc), lambda: cls.model_validate(doc), lambda: cls.model_validate_json('{"notAField": 1}')):
            exc = refusal(make)
            assert "notAField" in str(exc) and "unknown field" in str(exc)


class TestSubclassesOfUsers:
    def test_a_users_props_class(self) -> None:
        """A props class a user derives from Props gets the same ways in."""
        class Knobs(Props):
            size: int = 1

        assert "Knobs: size:" in str(refusal(lambda: Knobs.model_validate({"size": "big"})))
        assert "Knobs: size:" in str(refusal(lambda: Knobs.model_validate_json('{"size": "big"}')))
