"""ExternalSecret and ClusterExternalSecret: typed building, round trip, and refusals that name field and value."""

from __future__ import annotations

import copy
from typing import Any

import cdk8s
import pytest
from helpers import assert_same, error_message, fresh_python, manifest_error, schema_errors

import cdk8s_gitops
from cdk8s_gitops import GitOpsChart, ManifestError, ObjectMeta, TypedResource
from cdk8s_gitops.models.external_secrets_io_v1 import (
    ExternalSecretSpecData,
    ExternalSecretSpecDataRemoteRef,
    ExternalSecretSpecDataSourceRefStoreRef,
)
from cdk8s_gitops.secrets import (
    ClusterExternalSecret,
    ClusterExternalSecretV1Beta1,
    ExternalSecret,
    ExternalSecretSpec,
    ExternalSecretV1Alpha1,
    ExternalSecretV1Beta1,
    generator_refs,
    store_refs,
    target_secret_name,
)
from cdk8s_gitops.secrets.external_secret import is_flat, store_kind

V1 = "external-secrets.io/v1"
V1BETA1 = "external-secrets.io/v1beta1"
V1ALPHA1 = "external-secrets.io/v1alpha1"
# Each served version is its own generated class.
ES_CLASSES: dict[str, type] = {V1: ExternalSecret, V1BETA1: ExternalSecretV1Beta1, V1ALPHA1: ExternalSecretV1Alpha1}


def es_doc(spec: dict[str, Any], api_version: str = V1, name: str = "db") -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "ExternalSecret", "metadata": {"name": name, "namespace": "shop"}, "spec": spec}


def base_spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "secretStoreRef": {"name": "gcp-store", "kind": "ClusterSecretStore"},
        "refreshInterval": "1h",
        "target": {"name": "db-credentials", "creationPolicy": "Owner"},
        "data": [{"secretKey": "password", "remoteRef": {"key": "shop-db-password"}}],
    }
    spec.update(changes)
    return spec


def es_error(spec: dict[str, Any], api_version: str = V1) -> str:
    return manifest_error(ES_CLASSES.get(api_version, ExternalSecret), es_doc(spec, api_version))


FULL_SPEC: dict[str, Any] = {
    "secretStoreRef": {"name": "vault", "kind": "SecretStore"},
    "refreshInterval": "15m",
    "refreshPolicy": "Periodic",
    "target": {
        "name": "shop-db",
        "creationPolicy": "Owner",
        "deletionPolicy": "Retain",
        "immutable": False,
        "template": {
            "type": "kubernetes.io/basic-auth",
            "engineVersion": "v2",
            "mergePolicy": "Replace",
            "metadata": {"labels": {"app.kubernetes.io/name": "shop"}, "annotations": {"a": "b"}},
            "data": {"username": "{{ .user }}", "password": "{{ .password }}"},
            "templateFrom": [
                {"configMap": {"name": "tpl", "items": [{"key": "config.yaml", "templateAs": "Values"}]}},
                {"literal": "dsn: {{ .user }}", "target": "Annotations"},
            ],
        },
    },
    "data": [
        {"secretKey": "user", "remoteRef": {"key": "shop/db", "property": "user", "version": "3",
                                            "decodingStrategy": "None", "conversionStrategy": "Default",
                                            "metadataPolicy": "None", "nullBytePolicy": "Fail"}},
        {"secretKey": "password", "remoteRef": {"key": "shop/db", "property": "password"},
         "sourceRef": {"storeRef": {"name": "other-vault", "kind": "ClusterSecretStore"}}},
    ],
    "dataFrom": [
        {"extract": {"key": "shop/common", "decodingStrategy": "Auto"},
         "rewrite": [{"regexp": {"source": "^(.*)$", "target": "common-$1"}}, {"transform": {"template": "{{ .value | lower }}"}}]},
        {"find": {"path": "shop/", "name": {"regexp": "^feature-"}, "tags": {"team": "shop"}, "nullBytePolicy": "Ignore"}},
        {"sourceRef": {"generatorRef": {"apiVersion": "generators.external-secrets.io/v1alpha1", "kind": "Password",
                                        "name": "session-key"}}},
    ],
}


class TestExternalSecretModel:
    def test_build_in_python_emits_the_manifest(self) -> None:
        """Built from Python values, an ExternalSecret gets its apiVersion (v1) and kind and emits exactly what was set."""
        model = ExternalSecret.from_manifest({"metadata": {"name": "db", "namespace": "shop"}, "spec": base_spec()})
        assert model.to_manifest() == es_doc(base_spec())
        assert model.api_version == V1

    def test_full_spec_round_trips_with_exact_types(self) -> None:
        """Every typed field (data, dataFrom extract/find/rewrite/generatorRef, target template) round-trips unchanged."""
        doc = es_doc(copy.deepcopy(FULL_SPEC))
        assert_same(ExternalSecret.from_manifest(doc).to_manifest(), doc)

    def test_full_spec_validates_against_the_schema(self) -> None:
        """The manifest built from the typed model passes the external-secrets.io v1 JSON schema."""
        manifest = ExternalSecret.from_manifest({"metadata": {"name": "db", "namespace": "shop"}, "spec": FULL_SPEC}).to_manifest()
        assert schema_errors(manifest) == []

    def test_snake_case_python_names(self) -> None:
        """Python code may use snake_case names; the YAML keeps upstream camelCase."""
        model = ExternalSecret(
            metadata=ObjectMeta(name="db"),
            spec=ExternalSecretSpec(secret_store_ref=ExternalSecretSpecDataSourceRefStoreRef(name="s"), refresh_interval="30m",
                                    data=[ExternalSecretSpecData(secret_key="k", remote_ref=ExternalSecretSpecDataRemoteRef(
                                        key="r", metadata_policy="Fetch"))]),
        )
        spec = model.to_manifest()["spec"]
        assert spec == {"secretStoreRef": {"name": "s"}, "refreshInterval": "30m",
                        "data": [{"secretKey": "k", "remoteRef": {"key": "r", "metadataPolicy": "Fetch"}}]}

    def test_v1beta1_and_v1alpha1_manifests_validate(self) -> None:
        """The older versions the seeds use load, and what they emit passes their own schemas."""
        beta = ExternalSecretV1Beta1.from_manifest(es_doc(base_spec(refreshPolicy="OnChange",
                                                             dataFrom=[{"extract": {"key": "shop/common"}}]), V1BETA1))
        assert schema_errors(beta.to_manifest()) == []
        alpha = ExternalSecretV1Alpha1.from_manifest(es_doc(base_spec(dataFrom=[{"key": "shop/common", "property": "x"}]),
                                                            V1ALPHA1))
        assert schema_errors(alpha.to_manifest()) == []
        assert alpha.spec is not None and beta.spec is not None
        assert alpha.spec.data_from is not None and is_flat(alpha.spec.data_from[0])
        assert not is_flat(beta.spec.data_from[0])  # type: ignore[index]

    def test_typed_resource_in_a_chart(self) -> None:
        """TypedResource turns the model into one object with the chart's namespace and labels."""
        chart = GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop", namespace="shop-dev")
        res = TypedResource(chart, ExternalSecret.from_manifest({"metadata": {"name": "db"}, "spec": base_spec()}), sync_wave=-1)
        manifest = res.to_manifest()
        assert manifest["metadata"]["namespace"] == "shop-dev"
        assert manifest["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"
        assert schema_errors(manifest) == []

    def test_registered_with_from_manifest(self) -> None:
        """cdk8s_gitops.from_manifest finds the model of every served version."""
        for version, cls in ES_CLASSES.items():
            assert type(cdk8s_gitops.from_manifest(es_doc(base_spec(), version))) is cls

    def test_store_refs_and_target_name(self) -> None:
        """The stores an ExternalSecret reads from (for cross-object checks) and the Secret it writes are exposed."""
        model = ExternalSecret.from_manifest(es_doc(copy.deepcopy(FULL_SPEC)))
        assert [(store_kind(r), r.name) for r in store_refs(model)] == [("SecretStore", "vault"),
                                                                        ("ClusterSecretStore", "other-vault")]
        assert [g.name for g in generator_refs(model)] == ["session-key"]
        assert target_secret_name(model) == "shop-db"
        no_target = ExternalSecret.from_manifest(es_doc({"secretStoreRef": {"name": "s"}, "dataFrom": [{"extract": {"key": "k"}}]}))
        assert target_secret_name(no_target) == "db"
        assert [store_kind(r) for r in store_refs(no_target)] == ["SecretStore"]

    def test_build_raises_manifest_error(self) -> None:
        """A bad manifest raises ManifestError (a ValueError), never pydantic's ValidationError."""
        with pytest.raises(ManifestError):
            ExternalSecret.from_manifest({"metadata": {"name": "db"}, "spec": base_spec(refreshInterval="soon")})

    def test_generator_only_needs_no_store(self) -> None:
        """An ExternalSecret fed only by generators needs no secretStoreRef (as in the upstream generator examples)."""
        spec = {"dataFrom": [{"sourceRef": {"generatorRef": {"kind": "Password", "name": "pw"}}}]}
        model = ExternalSecret.from_manifest(es_doc(spec))
        assert store_refs(model) == []


class TestRefreshInterval:
    def test_refresh_interval_must_be_a_duration(self) -> None:
        """refreshInterval is a Go duration; '1 hour' is refused with the field path and the value."""
        message = es_error(base_spec(refreshInterval="1 hour"))
        assert "ExternalSecret 'db'" in message
        assert "spec.refreshInterval" in message
        assert "'1 hour'" in message
        assert "'30s'" in message  # the fix shows the accepted form

    def test_go_durations_and_zero_are_accepted(self) -> None:
        """'1h0m0s', '90s' and '0' (fetch once) are valid refresh intervals."""
        for value in ("1h0m0s", "90s", "0", "1.5h"):
            ExternalSecret.from_manifest(es_doc(base_spec(refreshInterval=value)))

    def test_refresh_interval_must_be_a_string(self) -> None:
        """An unquoted number is not a duration."""
        message = es_error(base_spec(refreshInterval=3600))
        assert "spec.refreshInterval" in message and "3600" in message


class TestStoreReference:
    def test_unknown_store_kind(self) -> None:
        """secretStoreRef.kind must be SecretStore or ClusterSecretStore."""
        message = es_error(base_spec(secretStoreRef={"name": "gcp", "kind": "Vault"}))
        assert "spec.secretStoreRef.kind" in message
        assert "'Vault'" in message
        assert "ClusterSecretStore" in message

    def test_unknown_store_kind_in_source_ref(self) -> None:
        """A per-entry sourceRef.storeRef has the same rule."""
        spec = base_spec(data=[{"secretKey": "k", "remoteRef": {"key": "r"},
                                "sourceRef": {"storeRef": {"name": "x", "kind": "secretstore"}}}])
        message = es_error(spec)
        assert "spec.data[0].sourceRef.storeRef.kind" in message and "'secretstore'" in message

    def test_store_name_must_be_an_object_name(self) -> None:
        """The store's name is a DNS subdomain."""
        message = es_error(base_spec(secretStoreRef={"name": "GCP_Store"}))
        assert "spec.secretStoreRef.name" in message and "'GCP_Store'" in message

    def test_missing_store_reference(self) -> None:
        """Without secretStoreRef, an entry that reads from a store has nowhere to read from."""
        spec = base_spec()
        del spec["secretStoreRef"]
        message = es_error(spec)
        assert "spec.secretStoreRef" in message
        assert "data[0]" in message and "'password'" in message


class TestRemoteKey:
    def test_data_entry_without_remote_key(self) -> None:
        """Every data entry needs remoteRef.key (the schema requires it); the message names the entry's path."""
        message = es_error(base_spec(data=[{"secretKey": "password", "remoteRef": {"property": "pw"}}]))
        assert "spec.data[0].remoteRef.key: required field is missing" in message

    def test_data_entry_with_empty_remote_key(self) -> None:
        """An empty remote key is refused too, showing the empty value."""
        message = es_error(base_spec(data=[{"secretKey": "a", "remoteRef": {"key": "x"}},
                                           {"secretKey": "b", "remoteRef": {"key": ""}}]))
        assert "spec.data[1].remoteRef.key" in message and "''" in message

    def test_data_entry_without_remote_ref(self) -> None:
        """A data entry with no remoteRef at all is refused at spec.data[i].remoteRef (required by the schema)."""
        message = es_error(base_spec(data=[{"secretKey": "token"}]))
        assert "spec.data[0].remoteRef: required field is missing" in message

    def test_extract_without_key(self) -> None:
        """dataFrom[].extract needs a key as well."""
        message = es_error(base_spec(dataFrom=[{"extract": {"key": " "}}]))
        assert "spec.dataFrom[0].extract.key" in message and "' '" in message

    def test_invalid_secret_key(self) -> None:
        """secretKey must be a valid Secret key (letters, digits, '-', '_', '.')."""
        message = es_error(base_spec(data=[{"secretKey": "db password", "remoteRef": {"key": "x"}}]))
        assert "spec.data[0].secretKey" in message and "'db password'" in message


class TestDataSources:
    def test_neither_data_nor_data_from(self) -> None:
        """An ExternalSecret that fetches nothing is refused."""
        spec = base_spec()
        del spec["data"]
        message = es_error(spec)
        assert "spec.data" in message and "None" in message and "dataFrom" in message

    def test_duplicate_secret_key(self) -> None:
        """Two data entries may not write the same key (with the default deletionPolicy Retain)."""
        message = es_error(base_spec(data=[{"secretKey": "pw", "remoteRef": {"key": "a"}},
                                           {"secretKey": "pw", "remoteRef": {"key": "b"}}]))
        assert "spec.data[1].secretKey" in message and "'pw'" in message and "data[0]" in message

    def test_data_from_without_a_source(self) -> None:
        """A dataFrom entry needs extract, find or sourceRef."""
        message = es_error(base_spec(dataFrom=[{"rewrite": [{"transform": {"template": "{{ .value }}"}}]}]))
        assert "spec.dataFrom[0]" in message and "rewrite" in message

    def test_data_from_with_two_sources(self) -> None:
        """extract, find and sourceRef.generatorRef are alternatives within one entry."""
        message = es_error(base_spec(dataFrom=[{"extract": {"key": "a"}, "find": {"path": "p/"}}]))
        assert "spec.dataFrom[0]" in message and "extract and find" in message

    def test_source_ref_with_store_and_generator(self) -> None:
        """sourceRef takes storeRef or generatorRef, not both."""
        spec = base_spec(dataFrom=[{"sourceRef": {"storeRef": {"name": "a"},
                                                  "generatorRef": {"kind": "Password", "name": "p"}}}])
        message = es_error(spec)
        assert "spec.dataFrom[0].sourceRef" in message and "storeRef and generatorRef" in message

    def test_store_ref_alone_reads_nothing(self) -> None:
        """sourceRef.storeRef without extract or find names nothing to read."""
        message = es_error(base_spec(dataFrom=[{"sourceRef": {"storeRef": {"name": "a"}}}]))
        assert "spec.dataFrom[0]" in message and "storeRef" in message

    def test_unknown_generator_kind(self) -> None:
        """generatorRef.kind must be a generator kind upstream knows."""
        message = es_error(base_spec(dataFrom=[{"sourceRef": {"generatorRef": {"kind": "Passwd", "name": "p"}}}]))
        assert "spec.dataFrom[0].sourceRef.generatorRef.kind" in message and "'Passwd'" in message

    def test_invalid_find_regexp(self) -> None:
        """find.name.regexp must compile."""
        message = es_error(base_spec(dataFrom=[{"find": {"name": {"regexp": "([a-z"}}}]))
        assert "spec.dataFrom[0].find.name.regexp" in message and "'([a-z'" in message

    def test_invalid_rewrite_regexp(self) -> None:
        """rewrite[].regexp.source must compile."""
        message = es_error(base_spec(dataFrom=[{"extract": {"key": "k"}, "rewrite": [{"regexp": {"source": "*x", "target": "y"}}]}]))
        assert "spec.dataFrom[0].rewrite[0].regexp.source" in message and "'*x'" in message

    def test_rewrite_step_with_two_operations(self) -> None:
        """Each rewrite step is exactly one operation."""
        step = {"regexp": {"source": "a", "target": "b"}, "transform": {"template": "t"}}
        message = es_error(base_spec(dataFrom=[{"extract": {"key": "k"}, "rewrite": [step]}]))
        assert "spec.dataFrom[0].rewrite[0]" in message and "regexp, transform" in message

    def test_unknown_decoding_strategy(self) -> None:
        """Enumerated fields refuse values upstream does not know."""
        message = es_error(base_spec(data=[{"secretKey": "k", "remoteRef": {"key": "r", "decodingStrategy": "base64"}}]))
        assert "spec.data[0].remoteRef.decodingStrategy" in message and "'base64'" in message

    def test_misspelt_field_lists_the_allowed_keys(self) -> None:
        """A misspelt key is refused and the message lists the keys allowed there."""
        message = es_error(base_spec(data=[{"secretKey": "k", "remoteref": {"key": "r"}}]))
        assert "spec.data[0].remoteref" in message and "remoteRef" in message


class TestTarget:
    def test_delete_policy_needs_an_owned_secret(self) -> None:
        """deletionPolicy Delete with creationPolicy Merge would delete a Secret the controller does not own."""
        message = es_error(base_spec(target={"creationPolicy": "Merge", "deletionPolicy": "Delete"}))
        assert "spec.target.deletionPolicy" in message and "'Delete'" in message and "'Merge'" in message

    def test_merge_policy_needs_a_secret(self) -> None:
        """deletionPolicy Merge with creationPolicy None has nothing to merge into."""
        message = es_error(base_spec(target={"creationPolicy": "None", "deletionPolicy": "Merge"}))
        assert "spec.target.deletionPolicy" in message and "'Merge'" in message and "'None'" in message

    def test_unknown_creation_policy(self) -> None:
        """creationPolicy is one of Owner, Orphan, Merge, None."""
        message = es_error(base_spec(target={"creationPolicy": "Create"}))
        assert "spec.target.creationPolicy" in message and "'Create'" in message

    def test_target_name_must_be_an_object_name(self) -> None:
        """target.name becomes a Secret name: a DNS subdomain."""
        message = es_error(base_spec(target={"name": "DB_Credentials"}))
        assert "spec.target.name" in message and "'DB_Credentials'" in message

    def test_template_engine_v1_is_gone(self) -> None:
        """Template engine v1 is only served by v1alpha1."""
        message = es_error(base_spec(target={"template": {"engineVersion": "v1"}}))
        assert "spec.target.template.engineVersion" in message and "'v1'" in message

    def test_template_from_target_must_be_a_secret_part(self) -> None:
        """Without target.manifest, templateFrom[].target is Data, Annotations or Labels."""
        template = {"templateFrom": [{"literal": "x", "target": "spec.config"}]}
        message = es_error(base_spec(target={"template": template}))
        assert "spec.target.template.templateFrom[0].target" in message and "'spec.config'" in message

    def test_template_from_needs_a_source(self) -> None:
        """A templateFrom entry names a ConfigMap, a Secret or a literal template."""
        message = es_error(base_spec(target={"template": {"templateFrom": [{"target": "Data"}]}}))
        assert "spec.target.template.templateFrom[0]" in message and "literal" in message


class TestServedVersions:
    def test_field_newer_than_the_version(self) -> None:
        """nullBytePolicy exists only in v1; a v1beta1 object carrying it is refused at its path."""
        spec = base_spec(data=[{"secretKey": "k", "remoteRef": {"key": "r", "nullBytePolicy": "Fail"}}])
        message = es_error(spec, V1BETA1)
        assert "spec.data[0].remoteRef.nullBytePolicy" in message and "v1beta1" in message
        assert "only in v1" in message

    def test_refresh_policy_not_in_v1alpha1(self) -> None:
        """refreshPolicy came with v1beta1."""
        message = es_error(base_spec(refreshPolicy="OnChange"), V1ALPHA1)
        assert "spec.refreshPolicy" in message and "v1alpha1" in message

    def test_flat_data_from_is_v1alpha1_only(self) -> None:
        """The old flat dataFrom (key/property/version) is refused in v1, pointing to extract."""
        message = es_error(base_spec(dataFrom=[{"key": "shop/common"}]))
        assert "spec.dataFrom[0].key" in message and "extract" in message

    def test_extract_is_not_in_v1alpha1(self) -> None:
        """v1alpha1 has no extract/find."""
        message = es_error(base_spec(dataFrom=[{"extract": {"key": "k"}}]), V1ALPHA1)
        assert "spec.dataFrom[0].extract" in message and "v1alpha1" in message

    def test_mixed_data_from_forms(self) -> None:
        """One entry may not mix the flat and the structured form."""
        message = es_error(base_spec(dataFrom=[{"key": "k", "extract": {"key": "k"}}]))
        assert "spec.dataFrom[0]" in message and "extract" in message

    def test_orphan_not_in_v1alpha1(self) -> None:
        """creationPolicy Orphan is not served by v1alpha1."""
        message = es_error(base_spec(target={"creationPolicy": "Orphan"}), V1ALPHA1)
        assert "spec.target.creationPolicy" in message and "'Orphan'" in message

    def test_v1alpha1_requires_store_and_target(self) -> None:
        """v1alpha1's schema requires secretStoreRef and target."""
        spec = {"secretStoreRef": {"name": "s"}, "data": [{"secretKey": "k", "remoteRef": {"key": "r"}}]}
        message = es_error(spec, V1ALPHA1)
        assert "spec.target: required field is missing" in message

    def test_unknown_api_version(self) -> None:
        """An apiVersion the kind is not served in is refused, listing the served ones."""
        message = error_message(lambda: cdk8s_gitops.from_manifest(es_doc(base_spec(), "external-secrets.io/v2")))
        assert "apiVersion" in message and "'external-secrets.io/v2'" in message and V1BETA1 in message


def ces_doc(spec: dict[str, Any], api_version: str = V1) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "ClusterExternalSecret", "metadata": {"name": "shared"}, "spec": spec}


def ces_spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "externalSecretName": "shared-credentials",
        "externalSecretMetadata": {"labels": {"team": "platform"}},
        "namespaceSelectors": [{"matchLabels": {"shared-credentials": "true"}},
                               {"matchExpressions": [{"key": "team", "operator": "In", "values": ["shop"]}]}],
        "refreshTime": "1m",
        "externalSecretSpec": base_spec(),
    }
    spec.update(changes)
    return spec


class TestClusterExternalSecret:
    def test_build_validates_against_schema_in_both_versions(self) -> None:
        """A ClusterExternalSecret built in Python passes the v1 and v1beta1 schemas and has no namespace."""
        for version, cls in ((V1, ClusterExternalSecret), (V1BETA1, ClusterExternalSecretV1Beta1)):
            model = cls.from_manifest(ces_doc(ces_spec(), version))
            manifest = model.to_manifest()
            assert manifest == ces_doc(ces_spec(), version)
            assert schema_errors(manifest) == []
        assert ClusterExternalSecret.NAMESPACED is False
        built = ClusterExternalSecret.from_manifest({"metadata": {"name": "shared"}, "spec": ces_spec()})
        assert [r.name for r in store_refs(built)] == ["gcp-store"]

    def test_deprecated_selection_fields_still_load(self) -> None:
        """namespaceSelector and namespaces (deprecated upstream) still load and round-trip."""
        spec = ces_spec(namespaceSelectors=None, namespaceSelector={"matchLabels": {"a": "b"}}, namespaces=["shop"])
        spec = {k: v for k, v in spec.items() if v is not None}
        doc = ces_doc(spec)
        assert ClusterExternalSecret.from_manifest(doc).to_manifest() == doc

    def test_no_namespace_selected(self) -> None:
        """A ClusterExternalSecret that selects no namespace would create nothing: refused."""
        spec = ces_spec()
        del spec["namespaceSelectors"]
        message = manifest_error(ClusterExternalSecret, ces_doc(spec))
        assert "spec.namespaceSelectors" in message and "no namespace" in message

    def test_refresh_time_must_be_a_duration(self) -> None:
        """refreshTime is a Go duration."""
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(refreshTime="daily")))
        assert "spec.refreshTime" in message and "'daily'" in message

    def test_namespaces_are_dns_labels(self) -> None:
        """namespaces lists namespace names."""
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(namespaces=["Shop"])))
        assert "spec.namespaces[0]" in message and "'Shop'" in message

    def test_selector_operator(self) -> None:
        """A namespace selector expression uses a known operator."""
        bad = [{"matchExpressions": [{"key": "team", "operator": "Equals", "values": ["x"]}]}]
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(namespaceSelectors=bad)))
        assert "spec.namespaceSelectors[0].matchExpressions[0].operator" in message and "'Equals'" in message

    def test_external_secret_spec_is_checked(self) -> None:
        """The embedded ExternalSecret spec gets every ExternalSecret rule, at its nested path."""
        inner = base_spec(data=[{"secretKey": "k", "remoteRef": {"property": "p"}}])
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(externalSecretSpec=inner)))
        assert "spec.externalSecretSpec.data[0].remoteRef.key" in message

    def test_external_secret_spec_version_rules(self) -> None:
        """Version-specific rules apply to the embedded spec too (template engine v1 is gone in v1beta1)."""
        inner = base_spec(target={"template": {"engineVersion": "v1"}})
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(externalSecretSpec=inner), V1BETA1))
        assert "spec.externalSecretSpec.target.template.engineVersion" in message and "'v1'" in message

    def test_v1alpha1_is_not_served(self) -> None:
        """ClusterExternalSecret has no v1alpha1."""
        message = manifest_error(ClusterExternalSecret, ces_doc(ces_spec(), V1ALPHA1))
        assert "apiVersion" in message and "v1alpha1" in message


class TestOlderVersionsOnFirstUse:
    """Importing the secrets package creates no ClusterExternalSecret and no older ExternalSecret version; their
    checks and the version explanations are there all the same on first use (each case in a fresh process)."""

    def test_import_creates_no_older_version(self) -> None:
        out = fresh_python("""
            import sys
            import cdk8s_gitops.secrets, cdk8s_gitops.platform.microservice
            print(sorted(m for m in sys.modules if m.startswith(("cdk8s_gitops.models.external_secrets_io_v1beta1.",
                                                                   "cdk8s_gitops.models.external_secrets_io_v1alpha1."))
                         or m.endswith("cluster_external_secret")))
        """)
        assert out.strip() == "[]"

    def test_first_v1_refusal_points_to_extract(self) -> None:
        """The explanation of what each version lacks is registered when the first error is explained."""
        out = fresh_python(f"""
            from cdk8s_gitops import ManifestError
            from cdk8s_gitops.secrets import ExternalSecret
            try:
                ExternalSecret.from_manifest({es_doc(base_spec(dataFrom=[{"key": "shop/common"}]))!r})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.dataFrom[0].key" in out and "is not served in v1 (only in v1alpha1)" in out
        assert "move key, property and version under extract" in out

    def test_older_version_gets_the_checks(self) -> None:
        out = fresh_python(f"""
            from cdk8s_gitops import ManifestError
            import cdk8s_gitops.secrets  # noqa: F401 - what an app imports
            from cdk8s_gitops.models.external_secrets_io_v1beta1 import ExternalSecret
            try:
                ExternalSecret.from_manifest({es_doc(base_spec(data=[{"secretKey": "k", "remoteRef": {"key": " "}}]), V1BETA1)!r})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.data[0].remoteRef.key" in out and "empty remote key" in out

    def test_lazy_names_are_the_generated_classes(self) -> None:
        import cdk8s_gitops.secrets as package
        from cdk8s_gitops.models import external_secrets_io_v1 as v1
        from cdk8s_gitops.models import external_secrets_io_v1alpha1 as v1alpha1
        from cdk8s_gitops.models import external_secrets_io_v1beta1 as v1beta1

        assert package.ExternalSecretV1Beta1 is v1beta1.ExternalSecret
        assert package.ExternalSecretV1Alpha1 is v1alpha1.ExternalSecret
        assert package.ClusterExternalSecret is v1.ClusterExternalSecret
        assert package.ClusterExternalSecretV1Beta1 is v1beta1.ClusterExternalSecret
        assert package.ClusterExternalSecretSpec is v1.ClusterExternalSecretSpec
