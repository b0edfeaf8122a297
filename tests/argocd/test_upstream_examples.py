"""Round trip over upstream's own examples (../shared/upstream-examples): load, emit, compare.

Every Application, ApplicationSet, AppProject and ImageUpdater in ``argo-cd/`` and
``argocd-image-updater/`` must load and emit itself unchanged. The files that
../shared/upstream-examples/SOURCES.md lists as invalid against the schema may be
refused instead; they are named below, and each one must be either refused with a
ManifestError or round-trip.
"""

from __future__ import annotations

import warnings
from collections import Counter
from typing import Any

import pytest
import yaml
from helpers import schema_errors, shared_dir, upstream_documents

from cdk8s_gitops import ManifestError, Resource
from cdk8s_gitops.argocd import Application, ApplicationSet, AppProject, ImageUpdater

MODELS: dict[tuple[str, str], type[Resource]] = {
    ("argoproj.io/v1alpha1", "Application"): Application,
    ("argoproj.io/v1alpha1", "ApplicationSet"): ApplicationSet,
    ("argoproj.io/v1alpha1", "AppProject"): AppProject,
    ("argocd-image-updater.argoproj.io/v1alpha1", "ImageUpdater"): ImageUpdater,
}

FOLDERS = ("argo-cd", "argocd-image-updater")

# SOURCES.md: "Examples that do not validate against ../schemas" (argo-cd rows).
KNOWN_INVALID = frozenset({
    "argo-cd/applicationset.yaml",
    "argo-cd/design-doc__applicationset-fasttemplate.yaml",
    "argo-cd/design-doc__applicationset.yaml",
    "argo-cd/design-doc__git-directory-discovery-fasttemplate.yaml",
    "argo-cd/design-doc__git-directory-discovery.yaml",
    "argo-cd/design-doc__git-files-discovery-fasttemplate.yaml",
    "argo-cd/design-doc__git-files-discovery.yaml",
    "argo-cd/design-doc__git-files-literal-fasttemplate.yaml",
    "argo-cd/design-doc__git-files-literal.yaml",
    "argo-cd/design-doc__proposal__filters.yaml",
})

# Round trips seen when this test was written (floors, so that a lost folder or kind is noticed).
MIN_ROUND_TRIPS = {"Application": 2, "ApplicationSet": 40, "AppProject": 1, "ImageUpdater": 6}


class TestUpstreamExamples:
    def test_round_trip(self, record_property: Any) -> None:
        """Every modelled object loads and emits itself unchanged; only the listed known-invalid files may be refused."""
        round_trips: Counter[str] = Counter()
        refused: list[str] = []
        skipped = 0
        failures: list[str] = []
        for name, _, doc in upstream_documents(*FOLDERS):
            model = MODELS.get((doc.get("apiVersion"), doc.get("kind")))
            if model is None:
                skipped += 1
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    out = model.from_manifest(doc).to_manifest()
            except ManifestError as exc:
                if name in KNOWN_INVALID:
                    refused.append(name)
                else:
                    failures.append(f"{name}: refused: {exc}")
                continue
            if out != doc:
                failures.append(f"{name}: emitted manifest differs from the input")
            else:
                round_trips[doc["kind"]] += 1
        summary = (f"argocd round trip: {sum(round_trips.values())} objects unchanged ({dict(sorted(round_trips.items()))}), "
                   f"{len(refused)} known-invalid refused, {skipped} other kinds skipped")
        print(summary)
        record_property("argocd_round_trip", summary)
        assert not failures, "\n".join(failures)
        for kind, floor in MIN_ROUND_TRIPS.items():
            assert round_trips[kind] >= floor, f"only {round_trips[kind]} {kind} objects round-tripped, expected {floor}+"

    def test_known_invalid_files_exist(self) -> None:
        """Every file named as known-invalid is present (the list is not stale)."""
        root = shared_dir("upstream-examples")
        missing = [name for name in KNOWN_INVALID if not (root / name).exists()]
        assert not missing

    def test_round_tripped_examples_validate_against_schemas(self) -> None:
        """What the models emit for the valid examples passes the CRD JSON schemas (Draft 7)."""
        checked = 0
        for name, _, doc in upstream_documents(*FOLDERS):
            model = MODELS.get((doc.get("apiVersion"), doc.get("kind")))
            if model is None or name in KNOWN_INVALID:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                out = model.from_manifest(doc).to_manifest()
            errors = schema_errors(out)
            assert not errors, f"{name}: {errors[:3]}"
            checked += 1
        assert checked >= sum(MIN_ROUND_TRIPS.values())

    @pytest.mark.parametrize("name", sorted(KNOWN_INVALID))
    def test_known_invalid_are_refused_with_a_located_message(self, name: str) -> None:
        """The known-invalid examples are refused (or round-trip); a refusal names the kind, object and field."""
        path = shared_dir("upstream-examples", *name.split("/"))
        for doc in yaml.safe_load_all(path.read_text()):
            model = MODELS[(doc["apiVersion"], doc["kind"])]
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    assert model.from_manifest(doc).to_manifest() == doc
            except ManifestError as exc:
                assert f"{doc['kind']} '{doc['metadata']['name']}': spec." in str(exc)
