"""Every External Secrets object in ../shared/upstream-examples loads and emits itself unchanged.

Kinds: ExternalSecret, SecretStore, ClusterSecretStore, ClusterExternalSecret, Password,
ClusterGenerator. The corpus' SOURCES.md lists files that are invalid against the
published schemas; those may be refused with a ManifestError (and are listed here one by
one). Without ../shared the tests skip, except under CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import UPSTREAM_EXAMPLES, assert_same, require, schema_errors, upstream_documents

from cdk8s_gitops import ManifestError
from cdk8s_gitops import secrets as es

EXAMPLES = UPSTREAM_EXAMPLES / "external-secrets"

MODELS: dict[tuple[str, str], type[Any]] = {
    (version, cls.KIND): cls
    for cls in (es.ExternalSecret, es.ExternalSecretV1Beta1, es.ExternalSecretV1Alpha1, es.ClusterExternalSecret,
                es.ClusterExternalSecretV1Beta1, es.SecretStore, es.SecretStoreV1Beta1, es.SecretStoreV1Alpha1,
                es.ClusterSecretStore, es.ClusterSecretStoreV1Beta1, es.ClusterSecretStoreV1Alpha1, es.Password,
                es.ClusterGenerator)
    for version in cls.API_VERSIONS
}
"""Every (apiVersion, kind) the secrets package models."""

KNOWN_INVALID = {
    # reference files listing every provider at once, '...' placeholders
    "full-secret-store.yaml": "refused",
    "full-cluster-secret-store.yaml": "refused",
    # '[PROJECT_ID]' placeholders are YAML lists where the schema wants strings
    "gcpsm-sa-secret-store.yaml": "refused",
    "gcpsm-wif-core-controller-secret-store.yaml": "refused",
    "gcpsm-wif-iam-secret-store.yaml": "refused",
    "gcpsm-wif-non-native-iam-secret-store.yaml": "refused",
    "gcpsm-wif-sa-secret-store-with-explicit-name-and-location.yaml": "refused",
    "gcpsm-wif-sa-secret-store.yaml": "refused",
    # old flat dataFrom [{key, version, property}] under v1
    "full-cluster-external-secret.yaml": "refused",
    # omit allowRepeat/noUpper (schema-required, API-server defaulted): they load
    "generator-password-encoding-examples.yaml": "loads",
    "generator-password-multiple-keys.yaml": "loads",
    # 'SecretRef' typo inside the passworddepot provider (auth.secretRef): the typed provider refuses it
    "passworddepot-secret-store.yaml": "refused",
    # 'auth: ...' placeholder and tls.clientCert/secretRef (not schema fields)
    "vault-mtls-store.yaml": "refused",
}
"""The files SOURCES.md lists as invalid, and what the models do with them."""


def _documents() -> list[Any]:
    return [pytest.param(example.path.name, example.doc, id=f"{example.path.name}:{example.index}:{example.doc['kind']}")
            for example in upstream_documents("external-secrets", kinds=MODELS, required=False)]


DOCUMENTS = _documents()


def _load(doc: dict[str, Any]) -> Any:
    cls = MODELS[(doc["apiVersion"], doc["kind"])]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # reference files set several auth methods on purpose
        return cls.from_manifest(doc)


class TestUpstreamExamples:
    @pytest.mark.parametrize(("file", "doc"), DOCUMENTS)
    def test_round_trip(self, file: str, doc: dict[str, Any]) -> None:
        """The document loads and emits itself unchanged (known-invalid files: refused as listed)."""
        expected = KNOWN_INVALID.get(file, "loads")
        if expected == "refused":
            with pytest.raises(ManifestError) as info:
                _load(doc)
            assert "spec." in str(info.value)  # the refusal names the field
            return
        assert_same(_load(doc).to_manifest(), doc)

    @pytest.mark.parametrize(("file", "doc"), [p for p in DOCUMENTS if p.values[0] not in KNOWN_INVALID])
    def test_valid_examples_match_the_schema(self, file: str, doc: dict[str, Any]) -> None:
        """What the models emit for a schema-valid example is still schema-valid."""
        assert schema_errors(_load(doc).to_manifest()) == []

    def test_counts(self, record_property: Any) -> None:
        """Every modelled kind occurs in the corpus; the counts are printed and recorded."""
        require(EXAMPLES)
        loaded: Counter[str] = Counter()
        refused: Counter[str] = Counter()
        for param in DOCUMENTS:
            file, doc = param.values
            try:
                _load(doc)
                loaded[doc["kind"]] += 1
            except ManifestError:
                refused[doc["kind"]] += 1
                assert KNOWN_INVALID.get(file) == "refused", f"{file} was refused but is not listed as invalid"
        for kind, count in sorted((loaded + refused).items()):
            record_property(f"{kind}_total", count)
        record_property("round_tripped", sum(loaded.values()))
        record_property("refused_known_invalid", sum(refused.values()))
        print(f"\nexternal-secrets examples: {sum(loaded.values())} round-tripped, {sum(refused.values())} refused "
              f"(known invalid); by kind: {dict(sorted((loaded + refused).items()))}; refused: {dict(refused)}")
        assert set(loaded) == {"ExternalSecret", "SecretStore", "ClusterSecretStore", "ClusterExternalSecret", "Password",
                               "ClusterGenerator"}
        assert sum(loaded.values()) == 41 and sum(refused.values()) == 11

    def test_known_invalid_files_exist(self) -> None:
        """Each file listed as invalid is in the corpus (the list does not go stale silently)."""
        require(EXAMPLES)
        missing = [name for name in KNOWN_INVALID if not (EXAMPLES / name).is_file()]
        assert missing == []
        assert Path(EXAMPLES.parent / "SOURCES.md").is_file()
