"""Shared test helpers (importable as `helpers`).

Where the repository and ../shared are, and the support code the test suites share:

- ``require``, ``shared_dir``: a path of ../shared; the test skips when it is absent, and fails when ``CI`` is set.
- ``upstream_documents``: the YAML documents of ../shared/upstream-examples, optionally of some kinds only.
- ``crd_schema``, ``schema_validator``, ``schema_errors``, ``assert_schema_valid``: JSON Schema (Draft 7)
  validation against ../shared/schemas/crds/<group>/<kind>_<version>.json.
- ``assert_same``, ``error_message``, ``manifest_error``, ``refused``: comparisons and ManifestError checks.
- ``by_kind_and_name``: synthesized manifests keyed by (kind, name).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
import yaml
from jsonschema import Draft7Validator

from cdk8s_gitops import ManifestError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
UPSTREAM_EXAMPLES = SHARED / "upstream-examples"
CRD_SCHEMAS = SHARED / "schemas" / "crds"

YAML_SUFFIXES = (".yaml", ".yml")


# -- ../shared ------------------------------------------------------------------------------------
def require(path: Path) -> Path:
    """``path``, a folder or file of ../shared; skip the test when absent, fail when CI is set (CI must have it)."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI runs with ../shared beside the repository")
        pytest.skip(f"{path} is not present (run with ../shared beside the repository)")
    return path


def shared_dir(*parts: str) -> Path:
    """A folder (or file) of ../shared, by its parts: ``shared_dir("schemas", "crds")`` (see :func:`require`)."""
    return require(SHARED.joinpath(*parts))


# -- upstream examples ----------------------------------------------------------------------------
class UpstreamDocument(NamedTuple):
    """One YAML document of ../shared/upstream-examples."""

    name: str
    """The file, relative to upstream-examples (``"kong/plugin.yaml"``)."""
    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose: the name reads best
    """The document's position in its file (counting every document, also empty ones)."""
    doc: dict[str, Any]
    """The document as PyYAML loads it."""

    @property
    def path(self) -> Path:
        """The file the document is in."""
        return UPSTREAM_EXAMPLES / self.name


def upstream_documents(*folders: str, kinds: Collection[Any] | None = None, group: str | None = None,
                       required: bool = True) -> list[UpstreamDocument]:
    """Every mapping document in the YAML files (.yaml, .yml) of upstream-examples or of its ``folders``.

    Files are read in ``folders`` order (the whole corpus when none is named), sorted by path within
    each, including sub-folders. ``kinds`` keeps only the documents of those kinds: a collection of kind
    names (``{"Issuer", ...}``, a dict keyed by kind also serves) or of ``(apiVersion, kind)`` pairs.
    ``group`` keeps only the documents whose apiVersion is in that API group.

    ``required`` (in a test): skip when a folder is absent, fail when CI is set (see :func:`require`).
    ``required=False`` (at collection, to parametrize over): an absent folder holds no documents.
    """
    roots = [UPSTREAM_EXAMPLES.joinpath(folder) for folder in folders] or [UPSTREAM_EXAMPLES]
    found = []
    for root in roots:
        if required:
            require(root)
        elif not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()):
            with path.open(encoding="utf-8") as handle:
                docs = list(yaml.safe_load_all(handle))
            for index, doc in enumerate(docs):
                if not isinstance(doc, dict):
                    continue
                if kinds is not None and doc.get("kind") not in kinds and (doc.get("apiVersion"), doc.get("kind")) not in kinds:
                    continue
                if group is not None and not str(doc.get("apiVersion", "")).startswith(f"{group}/"):
                    continue
                found.append(UpstreamDocument(path.relative_to(UPSTREAM_EXAMPLES).as_posix(), index, doc))
    return found


# -- CRD schemas ----------------------------------------------------------------------------------
@cache
def crd_schema(api_version: str, kind: str) -> dict[str, Any]:
    """The JSON schema of ``kind`` from ../shared/schemas/crds/<group>/<kind>_<version>.json (skip/fail if absent).

    Read once per run and shared between tests: do not change it.
    """
    group, _, version = api_version.rpartition("/")
    path = require(CRD_SCHEMAS / group / f"{kind.lower()}_{version}.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def schema_validator(api_version: str, kind: str) -> Draft7Validator:
    """A JSON Schema Draft 7 validator for ``kind`` in ``api_version`` (see :func:`crd_schema`)."""
    return Draft7Validator(crd_schema(api_version, kind))


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """The JSON Schema (Draft 7) errors of ``manifest`` against its CRD schema, as sorted ``path: message`` lines."""
    validator = schema_validator(manifest["apiVersion"], manifest["kind"])
    return sorted(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest))


def assert_schema_valid(manifest: dict[str, Any] | Any) -> None:
    """Assert ``manifest`` (or a model's manifest) validates against its CRD schema; the message lists every error."""
    errors = schema_errors(manifest if isinstance(manifest, dict) else manifest.to_manifest())
    assert not errors, "\n".join(errors)


# -- comparisons and refusals ---------------------------------------------------------------------
def assert_same(actual: Any, expected: Any, path: str = "") -> None:
    """Equal values *and* equal JSON types (``1`` and ``1.0`` and ``True`` are all different)."""
    where = path or "<root>"
    assert type(actual) is type(expected), (
        f"{where}: {actual!r} ({type(actual).__name__}) != {expected!r} ({type(expected).__name__})")
    if isinstance(expected, dict):
        assert set(actual) == set(expected), f"{where}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}" if path else str(key))
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{where}: {len(actual)} items != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def error_message(make: Callable[[], Any]) -> str:
    """The message of the :class:`ManifestError` that ``make()`` raises (fails the test if none)."""
    with pytest.raises(ManifestError) as info:
        make()
    return str(info.value)


def manifest_error(cls: type[Any], doc: dict[str, Any]) -> str:
    """The message of the :class:`ManifestError` that ``cls.from_manifest(doc)`` raises (fails if it loads)."""
    return error_message(lambda: cls.from_manifest(doc))


def refused(make: Callable[[], Any], subject: str, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming ``subject``, ``path`` and every value; return the message."""
    message = error_message(make)
    assert subject in message, message
    assert f"{path}: " in message, message
    for value in values:
        assert str(value) in message, message
    return message


def by_kind_and_name(manifests: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """``manifests`` keyed by (kind, metadata.name)."""
    return {(m["kind"], m["metadata"]["name"]): m for m in manifests}


def fresh_python(script: str) -> str:
    """The output of ``script`` run in a new Python process (nothing imported or used before); fails on an error."""
    import subprocess
    import sys
    import textwrap

    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout
