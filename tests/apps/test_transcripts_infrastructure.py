"""transcripts-infrastructure (seed 003): the in-cluster registry, MinIO and PostgreSQL in namespace infrastructure."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

APP = "transcripts-infrastructure"


@pytest.fixture
def objs(synth_app) -> dict[tuple[str, str], dict[str, Any]]:  # noqa: ANN001
    return by_kind_and_name(synth_app(APP, "dev").manifests)


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev (the seed's local overlay), for review."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot


class TestNamespace:
    def test_everything_in_infrastructure(self, objs) -> None:  # noqa: ANN001
        """Every object lands in the seed's namespace infrastructure."""
        assert {m["metadata"]["namespace"] for m in objs.values()} == {"infrastructure"}


class TestRegistry:
    def test_service_port_and_node_port(self, objs) -> None:  # noqa: ANN001
        """docker-registry: Service port 5000, NodePort 30500 for pushes from the host."""
        service = objs[("Service", "docker-registry")]["spec"]
        assert service["type"] == "NodePort"
        assert [(p["port"], p["nodePort"]) for p in service["ports"]] == [(5000, 30500)]

    def test_deployment_with_volume(self, objs) -> None:  # noqa: ANN001
        """The registry is a Deployment (as in the seed) with a PersistentVolumeClaim, Recreate, on port 5000."""
        deployment = objs[("Deployment", "docker-registry")]["spec"]
        assert deployment["strategy"] == {"type": "Recreate"}
        container = deployment["template"]["spec"]["containers"][0]
        assert container["ports"][0]["containerPort"] == 5000
        assert container["image"].startswith("registry:3.")
        assert ("PersistentVolumeClaim", "docker-registry-data") in objs

    def test_reachable_from_outside(self, objs) -> None:  # noqa: ANN001
        """Its NetworkPolicy admits every source on 5000 (node-port traffic comes from outside any namespace)."""
        assert objs[("NetworkPolicy", "docker-registry")]["spec"]["ingress"] == [{"ports": [{"protocol": "TCP", "port": 5000}]}]


class TestStores:
    @pytest.mark.parametrize(("name", "ports"), [("minio", [9000, 9001]), ("postgresql", [5432])])
    def test_statefulsets_with_claims(self, objs, name: str, ports: list[int]) -> None:  # noqa: ANN001
        """MinIO and PostgreSQL are StatefulSets with a volume claim template and their Service ports."""
        spec = objs[("StatefulSet", name)]["spec"]
        assert spec["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
        assert [p["port"] for p in objs[("Service", name)]["spec"]["ports"]] == ports

    @pytest.mark.parametrize("name", ["minio", "postgresql"])
    def test_only_services_namespace_connects(self, objs, name: str) -> None:  # noqa: ANN001
        """Only this app's pods and the namespace endpoints reach MinIO and PostgreSQL."""
        peers = objs[("NetworkPolicy", name)]["spec"]["ingress"][0]["from"]
        assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "endpoints"}}} in peers
        assert len(peers) == 2


class TestCredentials:
    @pytest.mark.parametrize("name", ["minio", "postgresql"])
    def test_generated_never_literal(self, objs, name: str) -> None:  # noqa: ANN001
        """Credentials come from a Password generator through an ExternalSecret created once; no Secret is emitted."""
        es = objs[("ExternalSecret", f"{name}-credentials")]["spec"]
        assert es["dataFrom"][0]["sourceRef"]["generatorRef"] == {
            "apiVersion": "generators.external-secrets.io/v1alpha1", "kind": "Password", "name": f"{name}-password"}
        assert es["refreshPolicy"] == "CreatedOnce"
        assert ("Password", f"{name}-password") in objs
        assert not [k for k, _ in objs if k == "Secret"]

    def test_servers_read_files(self, objs) -> None:  # noqa: ANN001
        """MinIO and PostgreSQL read their credentials from mounted files (*_FILE variables)."""
        env = {e["name"]: e["value"] for e in objs[("StatefulSet", "postgresql")]["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["POSTGRES_PASSWORD_FILE"] == "/var/run/secrets/postgresql/password"
        env = {e["name"]: e["value"] for e in objs[("StatefulSet", "minio")]["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["MINIO_ROOT_PASSWORD_FILE"] == "/var/run/secrets/minio/root-password"

    def test_services_reader_can_get_exactly_these(self, objs) -> None:  # noqa: ANN001
        """The Role lets the services' reader get only the two credential Secrets; the binding names it in endpoints."""
        rules = objs[("Role", "transcripts-infrastructure-reader")]["rules"]
        assert rules == [{"apiGroups": [""], "resources": ["secrets"],
                          "resourceNames": ["minio-credentials", "postgresql-credentials"], "verbs": ["get"]}]
        subjects = objs[("RoleBinding", "transcripts-infrastructure-reader")]["subjects"]
        assert subjects == [{"kind": "ServiceAccount", "name": "transcripts-infrastructure-reader", "namespace": "endpoints"}]


class TestEnvironments:
    def test_dev_only(self, synth_app) -> None:  # noqa: ANN001
        """The seed wires only its local overlay, which is dev here."""
        for env in ("staging", "production"):
            with pytest.raises(KeyError, match="no output"):
                synth_app(APP, env)
