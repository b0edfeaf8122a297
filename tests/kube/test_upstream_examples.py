"""Upstream example manifests of the kinds in cdk8s_gitops.kube load and emit again unchanged.

The corpus is ``../shared/upstream-examples`` next to the repository. Without it the
tests skip, except under CI (``CI`` set), where a missing corpus is a failure.
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from helpers import UPSTREAM_EXAMPLES as EXAMPLES
from helpers import assert_same, shared_dir, upstream_documents

from cdk8s_gitops import Resource, kube

KUBE_KINDS: dict[tuple[str, str], type[Resource]] = {
    (version, cls.KIND): cls
    for cls in (getattr(kube, name) for name in kube.__all__)
    if inspect.isclass(cls) and issubclass(cls, Resource) and cls.KIND
    for version in cls.API_VERSIONS
}


def _documents() -> list[Any]:
    """Every document of a kube kind in the corpus, as a pytest param with a file:index id."""
    return [pytest.param(doc, id=f"{name}:{index}:{doc['kind']}")
            for name, index, doc in upstream_documents(kinds=KUBE_KINDS, required=False)]


DOCUMENTS = _documents()


class TestCorpus:
    def test_corpus_present(self) -> None:
        """The shared corpus is there (skip locally without it; fail under CI)."""
        shared_dir("upstream-examples")
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
