"""SecretStore and ClusterSecretStore: typed providers, exactly one provider, and provider-specific rules."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from helpers import assert_same, fresh_python, manifest_error, schema_errors

from cdk8s_gitops.secrets import (
    AWSProvider,
    ClusterSecretStore,
    ClusterSecretStoreV1Alpha1,
    ClusterSecretStoreV1Beta1,
    GCPSMProvider,
    KubernetesProvider,
    SecretStore,
    SecretStoreV1Alpha1,
    SecretStoreV1Beta1,
    VaultProvider,
    provider_config,
    provider_name,
)

V1 = "external-secrets.io/v1"
V1BETA1 = "external-secrets.io/v1beta1"
V1ALPHA1 = "external-secrets.io/v1alpha1"

SECRET = {"name": "creds", "key": "token"}

PROVIDERS: dict[str, dict[str, Any]] = {
    "gcpsm-workload-identity": {"gcpsm": {"projectID": "acme-prod", "location": "europe-west1",
                                          "auth": {"workloadIdentity": {"serviceAccountRef": {"name": "eso", "audiences": ["x"]},
                                                                        "clusterLocation": "europe-west1", "clusterName": "prod",
                                                                        "clusterProjectID": "acme-infra"}}}},
    "gcpsm-service-account-key": {"gcpsm": {"projectID": "acme-prod",
                                            "auth": {"secretRef": {"secretAccessKeySecretRef": {"name": "gcp-sa", "key": "key.json"}}}}},
    "vault-kubernetes": {"vault": {"server": "https://vault.acme.org:8200", "path": "secret", "version": "v2", "namespace": "team",
                                   "caProvider": {"type": "ConfigMap", "name": "vault-ca", "key": "ca.crt"},
                                   "auth": {"kubernetes": {"mountPath": "kubernetes", "role": "shop",
                                                           "serviceAccountRef": {"name": "shop"}, "secretRef": SECRET}}}},
    "vault-token": {"vault": {"server": "https://vault.acme.org", "version": "v1", "caBundle": "LS0tLS1CRUdJTg==",
                              "auth": {"tokenSecretRef": SECRET}}},
    "vault-approle": {"vault": {"server": "https://vault.acme.org", "path": "kv",
                                "auth": {"appRole": {"path": "approle", "roleRef": {"name": "approle", "key": "role-id"},
                                                     "secretRef": {"name": "approle", "key": "secret-id"}}}}},
    "vault-jwt-tls": {"vault": {"server": "https://vault.acme.org",
                                "tls": {"certSecretRef": {"name": "c", "key": "tls.crt"}, "keySecretRef": {"name": "c", "key": "tls.key"}},
                                "auth": {"jwt": {"path": "jwt", "role": "r",
                                                 "kubernetesServiceAccountToken": {"serviceAccountRef": {"name": "sa"},
                                                                                   "audiences": ["vault"], "expirationSeconds": 600}}}}},
    "aws-secrets-manager-irsa": {"aws": {"service": "SecretsManager", "region": "eu-central-1",
                                         "role": "arn:aws:iam::123456789012:role/eso",
                                         "auth": {"jwt": {"serviceAccountRef": {"name": "eso"}}},
                                         "secretsManager": {"recoveryWindowInDays": 7}}},
    "aws-parameter-store-keys": {"aws": {"service": "ParameterStore", "region": "us-east-1", "prefix": "/shop/",
                                         "auth": {"secretRef": {"accessKeyIDSecretRef": {"name": "aws", "key": "id"},
                                                                "secretAccessKeySecretRef": {"name": "aws", "key": "secret"},
                                                                "sessionTokenSecretRef": {"name": "aws", "key": "session"}}}}},
    "kubernetes": {"kubernetes": {"remoteNamespace": "source",
                                  "server": {"url": "https://kubernetes.default",
                                             "caProvider": {"type": "ConfigMap", "name": "kube-root-ca.crt", "key": "ca.crt"}},
                                  "auth": {"serviceAccount": {"name": "reader"}}}},
    "azurekv-kept-as-given": {"azurekv": {"authType": "WorkloadIdentity", "vaultUrl": "https://kv.vault.azure.net",
                                          "serviceAccountRef": {"name": "eso"}}},
}


def store_doc(provider: dict[str, Any], kind: str = "SecretStore", api_version: str = V1, namespace: str | None = "shop",
              **spec: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": "store"}
    if namespace and kind == "SecretStore":
        metadata["namespace"] = namespace
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": {"provider": provider, **spec}}


STORE_CLASSES: dict[tuple[str, str], type[Any]] = {
    ("SecretStore", V1): SecretStore, ("SecretStore", V1BETA1): SecretStoreV1Beta1,
    ("SecretStore", V1ALPHA1): SecretStoreV1Alpha1, ("ClusterSecretStore", V1): ClusterSecretStore,
    ("ClusterSecretStore", V1BETA1): ClusterSecretStoreV1Beta1, ("ClusterSecretStore", V1ALPHA1): ClusterSecretStoreV1Alpha1,
}


def store_error(provider: dict[str, Any], kind: str = "SecretStore", api_version: str = V1, **spec: Any) -> str:
    cls = STORE_CLASSES[kind, api_version]
    return manifest_error(cls, store_doc(provider, kind, api_version, **spec))


class TestStoreModels:
    @pytest.mark.parametrize("name", sorted(PROVIDERS))
    @pytest.mark.parametrize("kind", ["SecretStore", "ClusterSecretStore"])
    def test_provider_round_trips_and_validates(self, name: str, kind: str) -> None:
        """Each typed provider (and a provider kept as given) loads, emits itself unchanged and passes the v1 schema."""
        cls = SecretStore if kind == "SecretStore" else ClusterSecretStore
        doc = store_doc(PROVIDERS[name], kind)
        model = cls.from_manifest(doc)
        assert_same(model.to_manifest(), doc)
        assert schema_errors(model.to_manifest()) == []

    def test_typed_provider_classes(self) -> None:
        """gcpsm, vault, aws and kubernetes are typed models; the provider name and config are exposed."""
        expected = {"gcpsm-workload-identity": GCPSMProvider, "vault-token": VaultProvider,
                    "aws-secrets-manager-irsa": AWSProvider, "kubernetes": KubernetesProvider}
        for name, cls in expected.items():
            model = SecretStore.from_manifest(store_doc(PROVIDERS[name]))
            assert isinstance(provider_config(model), cls)
            assert provider_name(model) == name.split("-")[0]
        other = SecretStore.from_manifest(store_doc(PROVIDERS["azurekv-kept-as-given"]))
        assert provider_name(other) == "azurekv"
        assert provider_config(other).model_dump(by_alias=True, exclude_none=True) == PROVIDERS["azurekv-kept-as-given"]["azurekv"]

    def test_build_with_python_names(self) -> None:
        """Stores can be built with snake_case names; the output uses upstream keys (projectID, clusterProjectID)."""
        model = ClusterSecretStore.from_manifest({
            "metadata": {"name": "gcp"},
            "spec": {"provider": {"gcpsm": GCPSMProvider(project_id="acme", auth={"workload_identity": {  # type: ignore[arg-type]  # a mapping, as YAML gives
                "service_account_ref": {"name": "eso", "namespace": "external-secrets"}, "cluster_project_id": "infra"}})},
                  "retry_settings": {"max_retries": 3, "retry_interval": "10s"}, "refresh_interval": 60},
        })
        manifest = model.to_manifest()
        assert manifest["spec"] == {
            "provider": {"gcpsm": {"projectID": "acme", "auth": {"workloadIdentity": {
                "serviceAccountRef": {"name": "eso", "namespace": "external-secrets"}, "clusterProjectID": "infra"}}}},
            "retrySettings": {"maxRetries": 3, "retryInterval": "10s"}, "refreshInterval": 60}
        assert "namespace" not in manifest["metadata"]
        assert schema_errors(manifest) == []

    def test_cluster_store_conditions(self) -> None:
        """A ClusterSecretStore may restrict the namespaces that use it."""
        conditions = [{"namespaceSelector": {"matchLabels": {"team": "shop"}}}, {"namespaces": ["a"], "namespaceRegexes": ["^shop-.*$"]}]
        doc = store_doc(PROVIDERS["vault-token"], "ClusterSecretStore", conditions=conditions)
        assert ClusterSecretStore.from_manifest(doc).to_manifest() == doc
        assert schema_errors(doc) == []

    def test_one_auth_method_loads_without_warning(self) -> None:
        """A store with one auth method loads without any warning."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            SecretStore.from_manifest(store_doc(PROVIDERS["vault-kubernetes"]))

    def test_older_versions(self) -> None:
        """v1beta1 and v1alpha1 stores load and pass their own schemas."""
        for version in (V1BETA1, V1ALPHA1):
            doc = store_doc(PROVIDERS["vault-kubernetes"], api_version=version)
            assert STORE_CLASSES["SecretStore", version].from_manifest(doc).to_manifest() == doc
            assert schema_errors(doc) == []


class TestExactlyOneProvider:
    def test_no_provider(self) -> None:
        """An empty provider is refused at spec.provider."""
        message = store_error({})
        assert "SecretStore 'store'" in message and "spec.provider" in message and "no provider" in message

    def test_two_providers(self) -> None:
        """Two providers in one store are refused, naming both."""
        provider = {**PROVIDERS["vault-token"], **PROVIDERS["aws-secrets-manager-irsa"]}
        message = store_error(provider, "ClusterSecretStore")
        assert "spec.provider" in message and "aws" in message and "vault" in message and "exactly one" in message

    def test_kept_providers_count_too(self) -> None:
        """Providers kept as given count for the rule as well."""
        message = store_error({**PROVIDERS["gcpsm-service-account-key"], "azurekv": {"vaultUrl": "https://x"}})
        assert "2 providers" in message and "azurekv" in message and "gcpsm" in message

    def test_provider_not_served_in_version(self) -> None:
        """A provider only newer versions know (barbican) is refused in v1beta1; device42 is gone in v1."""
        message = store_error({"barbican": {"authURL": "https://keystone"}}, api_version=V1BETA1)
        assert "spec.provider.barbican" in message and "v1beta1" in message
        message = store_error({"device42": {"host": "d42"}})
        assert "spec.provider.device42" in message and "v1beta1" in message

    def test_misspelt_provider(self) -> None:
        """A misspelt provider key is refused, listing the known ones."""
        message = store_error({"hashicorpvault": {"server": "https://v"}})
        assert "spec.provider.hashicorpvault" in message and "vault" in message


class TestVault:
    def test_server_is_required(self) -> None:
        """vault.server is required."""
        message = store_error({"vault": {"path": "secret"}})
        assert "spec.provider.vault.server" in message and "required" in message

    def test_server_must_be_a_url(self) -> None:
        """vault.server is an http(s) URL."""
        message = store_error({"vault": {"server": "vault.acme.org"}})
        assert "spec.provider.vault.server" in message and "'vault.acme.org'" in message

    def test_kv_version(self) -> None:
        """vault.version is v1 or v2."""
        message = store_error({"vault": {"server": "https://v", "version": "2"}})
        assert "spec.provider.vault.version" in message and "'2'" in message

    def test_app_role_needs_a_role_id(self) -> None:
        """AppRole auth needs roleId or roleRef."""
        message = store_error({"vault": {"server": "https://v", "auth": {"appRole": {"path": "approle", "secretRef": SECRET}}}})
        assert "spec.provider.vault.auth.appRole.roleId" in message and "None" in message

    def test_app_role_needs_a_secret_ref(self) -> None:
        """AppRole auth needs the secret ID's secretRef."""
        message = store_error({"vault": {"server": "https://v", "auth": {"appRole": {"path": "approle", "roleId": "r"}}}})
        assert "spec.provider.vault.auth.appRole.secretRef" in message and "required" in message

    def test_kubernetes_auth_needs_role_and_mount_path(self) -> None:
        """Kubernetes auth needs mountPath and role."""
        message = store_error({"vault": {"server": "https://v", "auth": {"kubernetes": {"mountPath": "kubernetes"}}}})
        assert "spec.provider.vault.auth.kubernetes.role" in message

    def test_jwt_needs_a_token_source(self) -> None:
        """JWT auth needs a secretRef or a kubernetesServiceAccountToken."""
        message = store_error({"vault": {"server": "https://v", "auth": {"jwt": {"path": "jwt", "role": "r"}}}})
        assert "spec.provider.vault.auth.jwt.secretRef" in message and "token source" in message

    def test_client_tls_needs_both_halves(self) -> None:
        """Client TLS needs both the certificate and the key."""
        message = store_error({"vault": {"server": "https://v", "tls": {"certSecretRef": SECRET}}})
        assert "spec.provider.vault.tls.keySecretRef" in message and "certSecretRef" in message

    def test_ca_provider_type(self) -> None:
        """caProvider.type is Secret or ConfigMap."""
        message = store_error({"vault": {"server": "https://v", "caProvider": {"type": "File", "name": "ca"}}})
        assert "spec.provider.vault.caProvider.type" in message and "'File'" in message

    def test_several_auth_methods_warn(self) -> None:
        """Several auth methods at once load, with a warning that only one is used."""
        provider = {"vault": {"server": "https://v", "auth": {"tokenSecretRef": SECRET,
                                                              "kubernetes": {"mountPath": "k", "role": "r"}}}}
        with pytest.warns(UserWarning, match=r"vault\.auth.*tokenSecretRef, kubernetes"):
            SecretStore.from_manifest(store_doc(provider))

    def test_role_ref_not_in_v1alpha1(self) -> None:
        """appRole.roleRef exists from v1beta1 on."""
        provider = {"vault": {"server": "https://v", "auth": {"appRole": {"path": "a", "roleRef": SECRET, "secretRef": SECRET}}}}
        message = store_error(provider, api_version=V1ALPHA1)
        assert "spec.provider.vault.auth.appRole.roleRef" in message and "v1alpha1" in message


class TestAWS:
    def test_service_is_an_aws_secret_service(self) -> None:
        """aws.service is SecretsManager or ParameterStore."""
        message = store_error({"aws": {"service": "KMS", "region": "eu-west-1"}})
        assert "spec.provider.aws.service" in message and "'KMS'" in message

    def test_region_is_required(self) -> None:
        """aws.region is required."""
        message = store_error({"aws": {"service": "SecretsManager"}})
        assert "spec.provider.aws.region" in message and "required" in message

    def test_role_must_be_an_arn(self) -> None:
        """aws.role is an IAM role ARN."""
        message = store_error({"aws": {"service": "SecretsManager", "region": "eu-west-1", "role": "eso-role"}})
        assert "spec.provider.aws.role" in message and "'eso-role'" in message

    def test_secrets_manager_options_need_secrets_manager(self) -> None:
        """secretsManager options make no sense for ParameterStore."""
        message = store_error({"aws": {"service": "ParameterStore", "region": "eu-west-1",
                                       "secretsManager": {"forceDeleteWithoutRecovery": True}}})
        assert "spec.provider.aws.secretsManager" in message and "'ParameterStore'" in message

    def test_recovery_window_range(self) -> None:
        """recoveryWindowInDays is 7 to 30."""
        message = store_error({"aws": {"service": "SecretsManager", "region": "eu-west-1",
                                       "secretsManager": {"recoveryWindowInDays": 3}}})
        assert "spec.provider.aws.secretsManager.recoveryWindowInDays" in message and "3" in message

    def test_recovery_window_conflicts_with_force_delete(self) -> None:
        """forceDeleteWithoutRecovery and recoveryWindowInDays exclude each other."""
        message = store_error({"aws": {"service": "SecretsManager", "region": "eu-west-1",
                                       "secretsManager": {"forceDeleteWithoutRecovery": True, "recoveryWindowInDays": 10}}})
        assert "recoveryWindowInDays" in message and "10" in message and "forceDeleteWithoutRecovery" in message


class TestKubernetesProvider:
    def test_exactly_one_auth_method(self) -> None:
        """kubernetes.auth sets exactly one of serviceAccount, token, cert."""
        message = store_error({"kubernetes": {"auth": {"serviceAccount": {"name": "a"}, "token": {"bearerToken": SECRET}}}})
        assert "spec.provider.kubernetes.auth" in message and "serviceAccount, token" in message

    def test_remote_namespace_is_a_namespace_name(self) -> None:
        """remoteNamespace is a namespace name."""
        message = store_error({"kubernetes": {"remoteNamespace": "Source_NS", "auth": {"serviceAccount": {"name": "a"}}}})
        assert "spec.provider.kubernetes.remoteNamespace" in message and "'Source_NS'" in message


class TestGCPSM:
    def test_workload_identity_needs_a_service_account(self) -> None:
        """workloadIdentity.serviceAccountRef is required."""
        message = store_error({"gcpsm": {"projectID": "p", "auth": {"workloadIdentity": {"clusterName": "c"}}}})
        assert "spec.provider.gcpsm.auth.workloadIdentity.serviceAccountRef" in message

    def test_project_id_is_a_string(self) -> None:
        """projectID is a string (the upstream '[PROJECT_ID]' placeholder is a YAML list)."""
        message = store_error({"gcpsm": {"projectID": ["PROJECT_ID"]}})
        assert "spec.provider.gcpsm.projectID" in message and "['PROJECT_ID']" in message

    def test_location_not_in_v1alpha1(self) -> None:
        """gcpsm.location exists from v1beta1 on."""
        message = store_error({"gcpsm": {"projectID": "p", "location": "europe-west1"}}, api_version=V1ALPHA1)
        assert "spec.provider.gcpsm.location" in message and "v1alpha1" in message

    def test_several_auth_methods_warn(self) -> None:
        """A key and Workload Identity at once load with a warning."""
        auth = {"secretRef": {"secretAccessKeySecretRef": SECRET}, "workloadIdentity": {"serviceAccountRef": {"name": "a"}}}
        with pytest.warns(UserWarning, match="gcpsm.auth"):
            SecretStore.from_manifest(store_doc({"gcpsm": {"projectID": "p", "auth": auth}}))


class TestNamespaces:
    def test_namespaced_store_references_only_its_namespace(self) -> None:
        """A SecretStore refusing a Secret reference in another namespace, naming the path and both namespaces."""
        provider = {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {**SECRET, "namespace": "vault-creds"}}}}
        message = store_error(provider)
        assert "spec.provider.vault.auth.tokenSecretRef.namespace" in message
        assert "'vault-creds'" in message and "'shop'" in message and "ClusterSecretStore" in message

    def test_same_namespace_is_fine(self) -> None:
        """Naming the store's own namespace is allowed."""
        provider = {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {**SECRET, "namespace": "shop"}}}}
        SecretStore.from_manifest(store_doc(provider))

    def test_cluster_store_may_reference_any_namespace(self) -> None:
        """A ClusterSecretStore names the namespace of its credentials."""
        provider = {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {**SECRET, "namespace": "vault-creds"}}}}
        ClusterSecretStore.from_manifest(store_doc(provider, "ClusterSecretStore"))

    def test_conditions_only_on_cluster_stores(self) -> None:
        """conditions restrict a ClusterSecretStore; on a SecretStore they are refused."""
        message = store_error(PROVIDERS["vault-token"], conditions=[{"namespaces": ["a"]}])
        assert "spec.conditions" in message and "ClusterSecretStore" in message

    def test_condition_regex_must_compile(self) -> None:
        """namespaceRegexes entries are regular expressions."""
        message = store_error(PROVIDERS["vault-token"], "ClusterSecretStore", conditions=[{"namespaceRegexes": ["shop-(["]}])
        assert "spec.conditions[0].namespaceRegexes[0]" in message and "'shop-(['" in message

    def test_conditions_not_in_v1alpha1(self) -> None:
        """conditions exist from v1beta1 on."""
        message = store_error(PROVIDERS["vault-token"], "ClusterSecretStore", V1ALPHA1, conditions=[{"namespaces": ["a"]}])
        assert "spec.conditions" in message and "v1alpha1" in message


class TestStoreSpec:
    def test_retry_interval_is_a_duration(self) -> None:
        """retrySettings.retryInterval is a Go duration."""
        message = store_error(PROVIDERS["vault-token"], retrySettings={"retryInterval": "ten seconds"})
        assert "spec.retrySettings.retryInterval" in message and "'ten seconds'" in message

    def test_refresh_interval_is_seconds(self) -> None:
        """spec.refreshInterval is an integer number of seconds (not a duration string)."""
        message = store_error(PROVIDERS["vault-token"], refreshInterval="1h")
        assert "spec.refreshInterval" in message and "'1h'" in message

    def test_provider_is_required(self) -> None:
        """spec.provider is required."""
        doc = store_doc({})
        del doc["spec"]["provider"]
        message = manifest_error(SecretStore, doc)
        assert "spec.provider" in message and "required" in message


class TestGeneratedModels:
    def test_from_manifest_returns_the_generated_class_of_each_version(self) -> None:
        """cdk8s_gitops.from_manifest finds the generated model of every served version of both kinds."""
        import cdk8s_gitops

        for (kind, version), cls in STORE_CLASSES.items():
            doc = store_doc(PROVIDERS["vault-token"], kind, version)
            model = cdk8s_gitops.from_manifest(doc)
            assert type(model) is cls and model.to_manifest() == doc

    @pytest.mark.parametrize("version", [V1, V1BETA1, V1ALPHA1])
    def test_provider_rules_apply_in_every_version(self, version: str) -> None:
        """The semantic checks are registered on each version's classes, not only on v1."""
        message = store_error({"vault": {"server": "vault.acme.org", "auth": {"tokenSecretRef": SECRET}}}, api_version=version)
        assert "spec.provider.vault.server" in message and "'vault.acme.org'" in message and "not a URL" in message
        message = store_error({}, "ClusterSecretStore", version)
        assert "spec.provider" in message and "no provider" in message

    def test_namespaced_store_rule_applies_in_older_versions(self) -> None:
        """A v1beta1 SecretStore also only reads from its own namespace."""
        provider = {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {**SECRET, "namespace": "vault-creds"}}}}
        message = store_error(provider, api_version=V1BETA1)
        assert "spec.provider.vault.auth.tokenSecretRef.namespace" in message and "'vault-creds'" in message

    def test_condition_namespace_selector_is_checked(self) -> None:
        """conditions[].namespaceSelector is a label selector with its rules (In needs values)."""
        conditions = [{"namespaceSelector": {"matchExpressions": [{"key": "team", "operator": "In"}]}}]
        message = store_error(PROVIDERS["vault-token"], "ClusterSecretStore", conditions=conditions)
        assert "spec.conditions[0].namespaceSelector.matchExpressions[0].values" in message and "needs at least one value" in message


class TestCreatedOnFirstUse:
    """Importing the secrets package creates no store class; the first store validated gets every check and
    version explanation all the same (each case in a fresh process, where nothing was used before)."""

    def test_import_creates_no_store_class(self) -> None:
        out = fresh_python("""
            import sys
            import cdk8s_gitops.secrets, cdk8s_gitops.platform.microservice
            print(sorted(m for m in sys.modules if m.endswith(("secret_store", "password", "cluster_generator"))))
        """)
        assert out.strip() == "[]"

    def test_first_store_gets_provider_checks(self) -> None:
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            from cdk8s_gitops.models.external_secrets_io_v1 import SecretStore  # not through the secrets package
            import cdk8s_gitops.secrets  # noqa: F401 - what synth imports (its global checks)
            try:
                SecretStore.model_validate({"apiVersion": "external-secrets.io/v1", "kind": "SecretStore",
                                            "metadata": {"name": "s", "namespace": "n"},
                                            "spec": {"provider": {"vault": {"server": "vault.acme.org"}}}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.provider.vault.server" in out and "is not a URL" in out

    def test_first_store_refusal_explains_the_version(self) -> None:
        """The first use is a refusal (no after-validator ran): the 'not served in' explanation is there."""
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            from cdk8s_gitops.secrets import SecretStoreV1Beta1
            try:
                SecretStoreV1Beta1.model_validate({"apiVersion": "external-secrets.io/v1beta1", "kind": "SecretStore",
                                                   "metadata": {"name": "s", "namespace": "n"},
                                                   "spec": {"provider": {"barbican": {"authURL": "https://keystone"}}}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.provider.barbican" in out and "v1beta1" in out and "not served" in out

    def test_first_password_gets_its_check(self) -> None:
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            from cdk8s_gitops.secrets import PasswordSpec
            try:
                PasswordSpec(length=4, digits=3, symbols=3)
            except ManifestError as exc:
                print(exc)
        """)
        assert "more than length" in out
