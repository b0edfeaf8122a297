"""Upstream example manifests of the kinds in cdk8s_gitops.kube load and emit again unchanged.

The corpus is ``../shared/upstream-examples`` next to the repository. Without it the
tests skip, except under CI (``CI`` set), where a missing corpus is a failure.
"""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk8s_gitops import Resource, kube

from ._k8s import assert_same

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT.parent / "shared" / "upstream-examples"

KUBE_KINDS: dict[tuple[str, str], type[Resource]] = {
    (version, cls.KIND): cls
    for cls in (getattr(kube, name) for name in kube.__all__)
    if inspect.isclass(cls) and issubclass(cls, Resource) and cls.KIND
    for version in cls.API_VERSIONS
}


def _documents() -> list[Any]:
    """Every document of a kube kind in the corpus, as a pytest param with a file:index id."""
    if not EXAMPLES.is_dir():
        return []
    params = []
    for path in sorted(EXAMPLES.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        with path.open(encoding="utf-8") as handle:
            docs = list(yaml.safe_load_all(handle))
        for index, doc in enumerate(docs):
            if isinstance(doc, dict) and (doc.get("apiVersion"), doc.get("kind")) in KUBE_KINDS:
                name = f"{path.relative_to(EXAMPLES)}:{index}:{doc['kind']}"
                params.append(pytest.param(doc, id=name))
    return params


DOCUMENTS = _documents()


class TestCorpus:
    def test_corpus_present(self) -> None:
        """The shared corpus is there (skip locally without it; fail under CI)."""
        if not EXAMPLES.is_dir():
            if os.environ.get("CI"):
                pytest.fail(f"upstream examples not found at {EXAMPLES}; CI must check out ../shared next to the repository")
            pytest.skip(f"upstream examples not found at {EXAMPLES} (../shared is not checked out)")
        assert DOCUMENTS, f"no document of a kube kind found under {EXAMPLES}"

    def test_kinds_covered(self) -> None:
        """The corpus exercises the core kinds it contains (Deployment, Service, Secret, ...)."""
        if not DOCUMENTS:
            pytest.skip("no corpus")
        kinds = {param.values[0]["kind"] for param in DOCUMENTS}
        assert {"Deployment", "Service", "Secret", "Namespace", "ClusterRole", "ClusterRoleBinding", "Ingress"} <= kinds


class TestRoundTrip:
    @pytest.mark.parametrize("doc", DOCUMENTS)
    def test_round_trip(self, doc: dict[str, Any]) -> None:
        """The upstream document loads into its model and emits the same object, types included."""
        cls = KUBE_KINDS[(doc["apiVersion"], doc["kind"])]
        assert_same(cls.from_manifest(doc).to_manifest(), doc)
