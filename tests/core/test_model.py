"""Typed models: round trip, strict types, and errors that name kind, name, field, value and fix."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from helpers import REPO

import cdk8s_gitops
from cdk8s_gitops import ManifestError, ObjectMeta, Resource, from_manifest
from cdk8s_gitops.core.model import camel
from cdk8s_gitops.kube import ConfigMap, Namespace


class TestCamel:
    def test_snake_to_camel(self) -> None:
        """Python snake_case names map to upstream camelCase keys; a trailing underscore is dropped."""
        assert camel("match_labels") == "matchLabels"
        assert camel("from_") == "from"
        assert camel("api_version") == "apiVersion"


class TestRoundTrip:
    def test_manifest_round_trips_unchanged(self) -> None:
        """Loading a manifest and emitting it again gives the same dict, with no defaults added."""
        doc = {"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": "cfg", "namespace": "shop", "labels": {"a": "b"}},
               "data": {"k": "v"}}
        model = from_manifest(doc)
        assert isinstance(model, ConfigMap)
        assert model.to_manifest() == doc
        assert list(model.to_manifest())[:3] == ["apiVersion", "kind", "metadata"]

    def test_models_built_in_python_emit_type_meta(self) -> None:
        """A model built in Python carries its kind and current apiVersion without the user writing them."""
        manifest = Namespace(metadata=ObjectMeta(name="shop")).to_manifest()
        assert manifest == {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}


class TestErrors:
    def test_manifest_error_is_value_error(self) -> None:
        """ManifestError is a ValueError, so callers can catch either."""
        assert issubclass(ManifestError, ValueError)
        assert cdk8s_gitops.ManifestError is ManifestError

    def test_wrong_type_names_kind_name_path_value_and_fix(self) -> None:
        """A wrong type is refused with the kind, the object's name, the field path, the value and the fix."""
        with pytest.raises(ManifestError) as info:
            from_manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"port": 8080}})
        message = str(info.value)
        assert "ConfigMap 'cfg'" in message
        assert "data.port" in message
        assert "8080" in message
        assert "use a string" in message

    def test_strict_integers(self) -> None:
        """A quoted number is not an integer, as for the API server."""
        with pytest.raises(ManifestError, match=r"metadata\.generation.*'3'"):
            from_manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "generation": "3"}})

    def test_unknown_field_lists_known_fields(self) -> None:
        """A misspelt field is refused and the message lists the keys allowed at that place."""
        with pytest.raises(ManifestError) as info:
            from_manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "dat": {}})
        assert "dat: unknown field" in str(info.value)
        assert "binaryData" in str(info.value)

    def test_unknown_kind_lists_supported_kinds(self) -> None:
        """An unmodelled kind is refused with the list of kinds the library supports."""
        with pytest.raises(ManifestError) as info:
            from_manifest({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}})
        assert "Widget" in str(info.value)
        assert "ConfigMap (v1)" in str(info.value)

    def test_unserved_version_lists_served_versions(self) -> None:
        """A known kind under a version upstream does not serve names the versions that exist."""
        with pytest.raises(ManifestError, match=r"'v2' is not a served version of ConfigMap.*v1"):
            from_manifest({"apiVersion": "v2", "kind": "ConfigMap", "metadata": {"name": "c"}})

    def test_invalid_name(self) -> None:
        """metadata.name must be a DNS subdomain; the message names the bad name."""
        with pytest.raises(ManifestError, match=r"metadata.name 'Bad_Name'"):
            ConfigMap(metadata=ObjectMeta(name="Bad_Name"))

    def test_invalid_label(self) -> None:
        """Label keys and values are checked like the API server checks them."""
        with pytest.raises(ManifestError, match=r"label 'app' value 'a b'"):
            ConfigMap(metadata=ObjectMeta(name="c", labels={"app": "a b"}))

    def test_not_a_mapping(self) -> None:
        """from_manifest refuses a list with a clear message instead of a crash."""
        with pytest.raises(ManifestError, match="expected a mapping"):
            from_manifest(["not", "a", "dict"])  # type: ignore[arg-type]

    def test_models_are_frozen(self) -> None:
        """Typed models are immutable; build a new one instead of editing."""
        model = ConfigMap(metadata=ObjectMeta(name="c"))
        with pytest.raises(ManifestError, match=r"ConfigMap 'c': data: Instance is frozen"):
            model.data = {}  # type: ignore[misc]




def _build_calls(path: Path) -> list[int]:
    """Lines of ``path`` that call ``<Kind>.build(...)`` with keyword arguments (the untyped constructor)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "build" \
                and node.keywords and not node.args:
            base = node.func.value
            name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
            if name[:1].isupper() or any(k.arg == "metadata" for k in node.keywords):
                lines.append(node.lineno)
    return lines


class TestUntypedBuild:
    def test_models_have_no_untyped_constructor(self) -> None:
        """The untyped ``Kind.build(**fields)`` is gone: the typed constructor and from_manifest are the ways in."""
        assert not hasattr(Resource, "build") and not hasattr(ConfigMap, "build")
        assert ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "b"}}) == \
            ConfigMap(metadata=ObjectMeta(name="c"), data={"a": "b"})

    def test_no_code_calls_it(self) -> None:
        """Nothing builds objects with Kind.build: the library, apps and tests write typed models, or use
        from_manifest for manifest dicts."""
        roots = [REPO / "lib" / "cdk8s_gitops", REPO / "apps", REPO / "tests", REPO / "benchmarks"]
        found = []
        for root in roots:
            for path in sorted(root.rglob("*.py")):
                rel = path.relative_to(REPO).as_posix()
                if rel.startswith("lib/cdk8s_gitops/models/"):
                    continue
                found += [f"{rel}:{line}" for line in _build_calls(path)]
        assert found == []
