"""Fixtures for the Argo CD model tests: ../shared (skipped when absent, required under CI) and manifests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skip the test when it is absent, fail when the CI variable is set."""
    path = SHARED.joinpath(*parts).resolve()
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing; CI runs with ../shared beside the repository")
        pytest.skip(f"{path} is not present (run with ../shared beside the repository)")
    return path


def load_schema(kind: str, version: str = "v1alpha1", group: str = "argoproj.io") -> dict[str, Any]:
    """The JSON schema of ``kind`` from ../shared/schemas/crds/<group>/<kind>_<version>.json."""
    path = shared_path("schemas", "crds", group, f"{kind.lower()}_{version}.json")
    return json.loads(path.read_text())


def app_manifest(name: str = "shop", **spec: Any) -> dict[str, Any]:
    """A valid Application manifest; keyword arguments replace spec fields (None removes one)."""
    body: dict[str, Any] = {
        "project": "default",
        "source": {"repoURL": "https://github.com/acme/gitops.git", "path": "dist/dev/shop", "targetRevision": "main"},
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
    }
    for key, value in spec.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": body}


def appset_manifest(name: str = "shop", **spec: Any) -> dict[str, Any]:
    """A valid ApplicationSet manifest (git directory generator); keyword arguments replace spec fields."""
    body: dict[str, Any] = {
        "goTemplate": True,
        "goTemplateOptions": ["missingkey=error"],
        "generators": [{"git": {"repoURL": "https://github.com/acme/gitops.git", "revision": "main",
                                "directories": [{"path": "dist/dev/*"}]}}],
        "template": {
            "metadata": {"name": "dev-{{.path.basename}}"},
            "spec": {
                "project": "default",
                "source": {"repoURL": "https://github.com/acme/gitops.git", "targetRevision": "main", "path": "{{.path.path}}"},
                "destination": {"server": "https://kubernetes.default.svc", "namespace": "{{.path.basename}}"},
                "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]},
            },
        },
    }
    for key, value in spec.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": body}


def project_manifest(name: str = "team-shop", **spec: Any) -> dict[str, Any]:
    """A valid AppProject manifest; keyword arguments replace spec fields."""
    body: dict[str, Any] = {
        "description": "Shop team",
        "sourceRepos": ["https://github.com/acme/gitops.git"],
        "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "shop-*"}],
    }
    for key, value in spec.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "AppProject",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": body}


@pytest.fixture
def make_app() -> Any:
    """:func:`app_manifest`, as a fixture."""
    return app_manifest


@pytest.fixture
def make_appset() -> Any:
    """:func:`appset_manifest`, as a fixture."""
    return appset_manifest


@pytest.fixture
def make_project() -> Any:
    """:func:`project_manifest`, as a fixture."""
    return project_manifest


@pytest.fixture
def shared() -> Any:
    """:func:`shared_path`, as a fixture."""
    return shared_path


@pytest.fixture
def schema() -> Any:
    """:func:`load_schema`, as a fixture."""
    return load_schema
