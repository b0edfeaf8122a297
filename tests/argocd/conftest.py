"""Fixtures for the Argo CD model tests: valid manifests to start from."""

from __future__ import annotations

from typing import Any

import pytest


def _replace(body: dict[str, Any], spec: dict[str, Any]) -> None:
    """Set each of ``spec``'s fields in ``body``; a None value removes the field."""
    for key, value in spec.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value


def app_manifest(name: str = "shop", **spec: Any) -> dict[str, Any]:
    """A valid Application manifest; keyword arguments replace spec fields (None removes one)."""
    body: dict[str, Any] = {
        "project": "default",
        "source": {"repoURL": "https://github.com/acme/gitops.git", "path": "dist/dev/shop", "targetRevision": "main"},
        "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"},
    }
    _replace(body, spec)
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
    _replace(body, spec)
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
            "metadata": {"name": name, "namespace": "argocd"}, "spec": body}


def project_manifest(name: str = "team-shop", **spec: Any) -> dict[str, Any]:
    """A valid AppProject manifest; keyword arguments replace spec fields."""
    body: dict[str, Any] = {
        "description": "Shop team",
        "sourceRepos": ["https://github.com/acme/gitops.git"],
        "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "shop-*"}],
    }
    _replace(body, spec)
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
