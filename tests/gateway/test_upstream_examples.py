"""Round trip over upstream's own manifests, and their validity against upstream's JSON schemas.

Every Gateway, GatewayClass, HTTPRoute, GRPCRoute and ReferenceGrant in
../shared/upstream-examples/{gateway-api,rollouts-gatewayapi-plugin,kong} must load and
emit itself unchanged. Documents whose kind is not modelled here are skipped. The objects
../shared/upstream-examples/SOURCES.md lists as invalid are named below, with what is
expected of them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import UPSTREAM_EXAMPLES, YAML_SUFFIXES, schema_errors, shared_dir

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.core.model import Resource
from cdk8s_gitops.gateway import (
    Gateway,
    GatewayClass,
    GatewayClassV1Beta1,
    GatewayV1Beta1,
    GRPCRoute,
    GRPCRouteV1Alpha2,
    HTTPRoute,
    HTTPRouteV1Beta1,
    ReferenceGrant,
    ReferenceGrantV1Alpha2,
    ReferenceGrantV1Beta1,
)

FOLDERS = ("gateway-api", "rollouts-gatewayapi-plugin", "kong")
# One generated class per kind and served version: from_manifest picks it by apiVersion.
MODELS: tuple[type[Resource], ...] = (
    Gateway, GatewayV1Beta1, GatewayClass, GatewayClassV1Beta1, HTTPRoute, HTTPRouteV1Beta1,
    GRPCRoute, GRPCRouteV1Alpha2, ReferenceGrant, ReferenceGrantV1Beta1, ReferenceGrantV1Alpha2,
)
KINDS = {model.KIND for model in MODELS}
VERSIONS = {(version, model.KIND): model for model in MODELS for version in model.API_VERSIONS}

# SOURCES.md: objects that are not valid as published.
REFUSED = {
    # The ReferenceGrant document has no apiVersion (upstream omission): from_manifest cannot tell its version.
    ("kong/cross-namespace-plugin-grant.yaml", "ReferenceGrant", "example"): "apiVersion",
}
SCHEMA_INVALID = {
    # spec.addresses oneOf branches overlap for addresses without a type (schema quirk; the API server accepts it).
    ("gateway-api/standard__gateway-addresses.yaml", "Gateway", "gateway-addresses"),
}

# What the corpus holds (per folder and kind), so that a lost or skipped document is noticed.
EXPECTED_COUNTS = {
    ("gateway-api", "Gateway"): 24, ("gateway-api", "GatewayClass"): 4, ("gateway-api", "HTTPRoute"): 48,
    ("gateway-api", "GRPCRoute"): 7, ("gateway-api", "ReferenceGrant"): 3,
    ("rollouts-gatewayapi-plugin", "Gateway"): 4, ("rollouts-gatewayapi-plugin", "GatewayClass"): 2,
    ("rollouts-gatewayapi-plugin", "HTTPRoute"): 4,
    ("kong", "Gateway"): 3, ("kong", "GatewayClass"): 3, ("kong", "HTTPRoute"): 5,
}


def example_files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (UPSTREAM_EXAMPLES / folder).glob("*") if p.suffix in YAML_SUFFIXES)


def documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if isinstance(doc, dict)]


def key_of(path: Path, doc: dict[str, Any]) -> tuple[str, str, str]:
    return (f"{path.parent.name}/{path.name}", doc.get("kind", ""), (doc.get("metadata") or {}).get("name", ""))


def modelled(doc: dict[str, Any]) -> bool:
    return doc.get("kind") in KINDS


@pytest.fixture(scope="module")
def examples() -> Path:
    return shared_dir("upstream-examples")


class TestRoundTrip:
    @pytest.mark.parametrize("path", example_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
    def test_every_modelled_object_round_trips(self, examples: Path, path: Path) -> None:
        """Each modelled object loads through from_manifest and emits exactly the document it came from."""
        for doc in filter(modelled, documents(path)):
            key = key_of(path, doc)
            if key in REFUSED:
                with pytest.raises(ManifestError, match=REFUSED[key]):
                    from_manifest(doc)
                continue
            model = from_manifest(doc)
            assert type(model) is VERSIONS[(doc["apiVersion"], doc["kind"])]
            assert model.to_manifest() == doc, key

    def test_counts(self, examples: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The corpus holds the expected number of objects per folder and kind; all of them round-trip."""
        counts: Counter[tuple[str, str]] = Counter()
        refused = 0
        for path in example_files():
            for doc in filter(modelled, documents(path)):
                if key_of(path, doc) in REFUSED:
                    refused += 1
                    continue
                assert from_manifest(doc).to_manifest() == doc
                counts[(path.parent.name, doc["kind"])] += 1
        with capsys.disabled():
            print(f"\ngateway round trip: {sum(counts.values())} objects "
                  + ", ".join(f"{f}/{k}={n}" for (f, k), n in sorted(counts.items())) + f"; {refused} refused as listed")
        assert dict(counts) == EXPECTED_COUNTS
        assert refused == len(REFUSED)


class TestUpstreamSchemas:
    @pytest.mark.parametrize("path", example_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
    def test_emitted_examples_validate(self, examples: Path, path: Path) -> None:
        """What the models emit for upstream's examples validates against the CRD schema (known quirks excepted)."""
        for doc in filter(modelled, documents(path)):
            key = key_of(path, doc)
            if key in REFUSED:
                continue
            errors = schema_errors(from_manifest(doc).to_manifest())
            if key in SCHEMA_INVALID:
                assert errors, f"{key} is listed as schema-invalid but validates; update SCHEMA_INVALID"
            else:
                assert not errors, (key, errors)
