"""Helpers of the observability tests: shared data locations, schema validation, error capture."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from cdk8s_gitops import ManifestError

__all__ = ["EXAMPLES", "SCHEMAS", "error_of", "require", "schema_errors", "warnings_of"]

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
EXAMPLES = SHARED / "upstream-examples"
SCHEMAS = SHARED / "schemas" / "crds"


def require(path: Path) -> Path:
    """``path``, or skip the test (fail under CI, where the shared data must be present)."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI needs ../shared next to the repository")
        pytest.skip(f"{path} is not available")
    return path


@lru_cache(maxsize=None)
def _validator(group: str, kind: str, version: str) -> Draft7Validator:
    path = require(SCHEMAS / group / f"{kind.lower()}_{version}.json")
    return Draft7Validator(json.loads(path.read_text()))


def schema_errors(manifest: dict[str, Any]) -> list[str]:
    """Messages of every JSON-schema error of ``manifest`` against ``../shared/schemas/crds``."""
    group, _, version = manifest["apiVersion"].rpartition("/")
    validator = _validator(group, manifest["kind"], version)
    return [f"{'.'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]


def error_of(build: Callable[[], Any]) -> str:
    """The message of the ManifestError that ``build()`` raises (fails the test if none)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with pytest.raises(ManifestError) as info:
            build()
    return str(info.value)


def warnings_of(build: Callable[[], Any]) -> list[str]:
    """The UserWarning messages ``build()`` emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        build()
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
