"""Fail closed: synth refuses a Secret with values; namespaced stores stay in their namespace."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import schema_errors

from cdk8s_gitops import SynthError, TypedResource
from cdk8s_gitops.core.validation import global_checks
from cdk8s_gitops.secrets import ExternalSecret, SecretStore, checks
from cdk8s_gitops.testing import synth_chart


def plain_secret(scope: Any, name: str, **body: Any) -> cdk8s.ApiObject:
    """A Secret made without this library's models (as cdk8s code or another library would)."""
    obj = cdk8s.ApiObject(scope, f"secret-{name}", api_version="v1", kind="Secret", metadata=cdk8s.ApiObjectMetadata(name=name))
    for key, value in body.items():
        obj.add_json_patch(cdk8s.JsonPatch.add(f"/{key}", value))
    return obj


STORE = {"provider": {"vault": {"server": "https://vault.acme.org", "path": "secret",
                                "auth": {"kubernetes": {"mountPath": "kubernetes", "role": "shop",
                                                        "serviceAccountRef": {"name": "shop"}}}}}}
EXTERNAL = {"secretStoreRef": {"name": "vault", "kind": "SecretStore"}, "refreshInterval": "1h",
            "target": {"name": "db", "creationPolicy": "Owner"},
            "data": [{"secretKey": "password", "remoteRef": {"key": "shop/db", "property": "password"}}]}


class TestNoSecretValues:
    def test_registered_on_import(self) -> None:
        """Importing cdk8s_gitops.secrets registers the check with the global check registry."""
        assert checks.no_secret_values in global_checks()

    def test_string_data_is_refused(self) -> None:
        """A Secret with stringData makes synth fail, naming the Secret, the field and ExternalSecret; the value is not shown."""
        def build(scope: Any, env: Any) -> None:
            plain_secret(scope, "db", stringData={"password": "hunter2"})

        with pytest.raises(SynthError) as info:
            synth_chart(build)
        message = str(info.value)
        assert "Secret 'db'" in message
        assert "stringData" in message and "password" in message
        assert "ExternalSecret" in message
        assert "hunter2" not in message
        assert info.value.problems[0].where  # the construct path of the offending object

    def test_data_is_refused(self) -> None:
        """A Secret with base64 data is refused the same way."""
        def build(scope: Any, env: Any) -> None:
            plain_secret(scope, "tls", type="kubernetes.io/tls", data={"tls.crt": "Y2VydA==", "tls.key": "a2V5"})

        with pytest.raises(SynthError) as info:
            synth_chart(build)
        message = str(info.value)
        assert "Secret 'tls'" in message and "data" in message and "tls.key" in message
        assert "a2V5" not in message

    def test_every_offending_secret_is_reported(self) -> None:
        """All Secrets with values are listed together, each with its own problem."""
        def build(scope: Any, env: Any) -> None:
            plain_secret(scope, "a", data={"k": "dg=="})
            plain_secret(scope, "b", stringData={"k": "v"}, data={"j": "dg=="})

        with pytest.raises(SynthError) as info:
            synth_chart(build)
        assert len(info.value.problems) == 2
        assert info.value.problems[1].path == "data and stringData"

    def test_secret_without_values_is_allowed(self) -> None:
        """A Secret that carries no values (a token Secret filled by Kubernetes, an empty data map) passes."""
        def build(scope: Any, env: Any) -> None:
            plain_secret(scope, "token", type="kubernetes.io/service-account-token", data={})

        manifests = synth_chart(build)
        assert [m["kind"] for m in manifests] == ["Secret"]

    def test_external_secret_and_store_synthesize(self) -> None:
        """The supported path, a SecretStore and an ExternalSecret, synthesizes and validates against the schemas."""
        def build(scope: Any, env: Any) -> None:
            TypedResource(scope, SecretStore.from_manifest({"metadata": {"name": "vault"}, "spec": STORE}), sync_wave=-2)
            TypedResource(scope, ExternalSecret.from_manifest({"metadata": {"name": "db"}, "spec": EXTERNAL}), sync_wave=-1)

        manifests = synth_chart(build)
        assert sorted(m["kind"] for m in manifests) == ["ExternalSecret", "SecretStore"]
        for manifest in manifests:
            assert manifest["metadata"]["namespace"]
            assert schema_errors(manifest) == []


class TestSecretStoreNamespaces:
    def test_reference_outside_the_chart_namespace(self) -> None:
        """A SecretStore that gets the chart's namespace may not reference another namespace (checked at synth)."""
        store = {"provider": {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {
            "name": "vault-token", "key": "token", "namespace": "vault-creds"}}}}}

        def build(scope: Any, env: Any) -> None:
            TypedResource(scope, SecretStore.from_manifest({"metadata": {"name": "vault"}, "spec": store}))

        with pytest.raises(SynthError) as info:
            synth_chart(build, app="shop")
        problem = info.value.problems[0]
        assert problem.path == "spec.provider.vault.auth.tokenSecretRef.namespace"
        assert "'vault-creds'" in problem.message and "ClusterSecretStore" in problem.fix

    def test_reference_inside_the_chart_namespace(self) -> None:
        """Naming the chart's own namespace is fine."""
        def build(scope: Any, env: Any) -> None:
            namespace = scope.default_namespace
            store = {"provider": {"vault": {"server": "https://v", "auth": {"tokenSecretRef": {
                "name": "vault-token", "key": "token", "namespace": namespace}}}}}
            TypedResource(scope, SecretStore.from_manifest({"metadata": {"name": "vault"}, "spec": store}))

        assert len(synth_chart(build)) == 1
