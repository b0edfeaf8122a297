"""Helpers of the secrets tests: the shared corpus, JSON-schema validation, exact comparison."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from cdk8s_gitops import ManifestError
from cdk8s_gitops import secrets as es

__all__ = [
    "EXAMPLES",
    "MODELS",
    "SCHEMAS",
    "assert_same",
    "manifest_error",
    "require",
    "schema_errors",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
EXAMPLES = SHARED / "upstream-examples" / "external-secrets"
SCHEMAS = SHARED / "schemas" / "crds"

MODELS: dict[tuple[str, str], type[Any]] = {
    (version, cls.KIND): cls
    for cls in (es.ExternalSecret, es.ClusterExternalSecret, es.SecretStore, es.ClusterSecretStore,
                es.Password, es.ClusterGenerator)
    for version in cls.API_VERSIONS
}
"""Every (apiVersion, kind) the secrets package models."""


def require(path: Path) -> Path:
    """``path`` from ../shared: skip when absent, fail under CI (``CI`` set)."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI runs with ../shared next to the repository")
        pytest.skip(f"{path} is not present (put ../shared next to the repository)")
    return path


@cache
def _validator(group: str, kind: str, version: str) -> Draft7Validator:
    path = require(SCHEMAS / group / f"{kind.lower()}_{version}.json")
    return Draft7Validator(json.loads(path.read_text(encoding="utf-8")))


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """Messages of the JSON-schema (Draft 7) errors of ``manifest`` against ../shared/schemas/crds."""
    group, _, version = manifest["apiVersion"].rpartition("/")
    validator = _validator(group, manifest["kind"], version)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(manifest)]


def assert_same(actual: Any, expected: Any, path: str = "") -> None:
    """Equal values *and* equal JSON types (``1``, ``1.0`` and ``True`` are all different)."""
    where = path or "<root>"
    assert type(actual) is type(expected), f"{where}: {actual!r} != {expected!r}"
    if isinstance(expected, dict):
        assert list(actual) == list(expected) or set(actual) == set(expected), f"{where}: keys {sorted(actual)} != {sorted(expected)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}.{key}" if path else str(key))
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{where}: {len(actual)} items != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def manifest_error(cls: type[Any], doc: dict[str, Any]) -> str:
    """The message of the ManifestError ``cls.from_manifest(doc)`` raises (fails if it loads)."""
    with pytest.raises(ManifestError) as info:
        cls.from_manifest(doc)
    return str(info.value)
