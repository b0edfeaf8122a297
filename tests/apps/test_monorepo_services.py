"""monorepo-services (seed 004): CloudNativePG cnpg-cluster, its admin credentials, certificates, secret store, socat-auth, api, Drizzle."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name


def objects(synth_app: Any, env: str = "dev") -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(synth_app("monorepo-services", env).manifests)


class TestSnapshot:
    @pytest.mark.parametrize("env", ["dev"])
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment the app runs in, for review."""
        assert synth_app("monorepo-services", env).manifests == yaml_snapshot


class TestDatabase:
    def test_cluster_spec(self, synth_app) -> None:  # noqa: ANN001
        """cnpg-cluster: the Voltade image, one instance, logical replication, pgsodium off, supabase_vault preloaded."""
        cluster = objects(synth_app)[("Cluster", "cnpg-cluster")]
        assert cluster["apiVersion"] == "postgresql.cnpg.io/v1"
        assert cluster["metadata"]["namespace"] == "services"
        spec = cluster["spec"]
        assert spec["imageName"] == "ghcr.io/voltade/postgres:17.5-20250805-859fe66"
        assert spec["instances"] == 1
        assert spec["postgresql"]["parameters"] == {"wal_level": "logical", "max_wal_senders": "10",
                                                    "max_replication_slots": "10",
                                                    "pgsodium.enable_event_trigger": "off"}
        assert spec["postgresql"]["shared_preload_libraries"] == ["supabase_vault"]

    def test_admin_role(self, synth_app) -> None:  # noqa: ANN001
        """The managed role admin logs in as superuser with replication, its password in cnpg-cluster-admin."""
        [role] = objects(synth_app)[("Cluster", "cnpg-cluster")]["spec"]["managed"]["roles"]
        assert (role["name"], role["login"], role["superuser"], role["replication"]) == ("admin", True, True, True)
        assert role["passwordSecret"] == {"name": "cnpg-cluster-admin"}

    def test_admin_secret_from_generator(self, synth_app) -> None:  # noqa: ANN001
        """cnpg-cluster-admin is a basic-auth Secret made once from ClusterGenerator password-64-length, user admin."""
        es = objects(synth_app)[("ExternalSecret", "cnpg-cluster-admin")]
        assert es["spec"]["refreshPolicy"] == "CreatedOnce"
        assert es["spec"]["dataFrom"] == [{"sourceRef": {"generatorRef": {
            "apiVersion": "generators.external-secrets.io/v1alpha1", "kind": "ClusterGenerator",
            "name": "password-64-length"}}}]
        template = es["spec"]["target"]["template"]
        assert template["type"] == "kubernetes.io/basic-auth"
        assert template["data"] == {"username": "admin"}
        assert es["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"

    def test_server_certificate(self, synth_app) -> None:  # noqa: ANN001
        """The database's server certificate comes from selfsigned-cluster-issuer and covers cnpg-cluster-rw."""
        objs = objects(synth_app)
        cert = objs[("Certificate", "cnpg-cluster-server")]["spec"]
        assert cert["issuerRef"]["name"] == "selfsigned-cluster-issuer"
        assert "cnpg-cluster-rw.services.svc" in cert["dnsNames"]
        assert objs[("Cluster", "cnpg-cluster")]["spec"]["certificates"]["serverTLSSecret"] == cert["secretName"]


class TestSecrets:
    def test_cluster_secret_store_reads_only_shared_secrets(self, synth_app) -> None:  # noqa: ANN001
        """The ClusterSecretStore reads namespace services through a reader allowed to get only cnpg-cluster-admin."""
        objs = objects(synth_app)
        store = objs[("ClusterSecretStore", "services-secrets")]["spec"]["provider"]["kubernetes"]
        assert store["remoteNamespace"] == "services"
        assert store["auth"]["serviceAccount"]["name"] == "services-secrets-reader"
        assert objs[("Role", "services-secrets-reader")]["rules"] == [
            {"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["cnpg-cluster-admin"], "verbs": ["get"]}]

    def test_mailer_config_points_at_maildev(self, synth_app) -> None:  # noqa: ANN001
        """The mailer configuration sends through Maildev's SMTP port 1025."""
        data = objects(synth_app)[("ConfigMap", "mailer-config")]["data"]
        assert (data["SMTP_HOST"], data["SMTP_PORT"]) == ("maildev.maildev.svc", "1025")

    def test_no_secret_values(self, synth_app) -> None:  # noqa: ANN001
        """No Secret is emitted."""
        assert not any(m["kind"] == "Secret" for m in synth_app("monorepo-services", "dev").manifests)


class TestAuthProxy:
    def test_socat_deployment(self, synth_app) -> None:  # noqa: ANN001
        """socat-auth: alpine/socat:1.8.0.3 forwarding TCP 4000 to host.docker.internal:4000."""
        deployment = objects(synth_app)[("Deployment", "socat-auth")]
        [container] = deployment["spec"]["template"]["spec"]["containers"]
        assert container["name"] == "socat-auth"
        assert container["image"] == "alpine/socat:1.8.0.3"
        assert container["args"] == ["-d", "TCP4-LISTEN:4000,fork,reuseaddr", "TCP4:host.docker.internal:4000"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True

    def test_service_and_route(self, synth_app) -> None:  # noqa: ANN001
        """The Service exposes 4000; HTTPRoute socat-auth on cilium-gateway sends auth.127.0.0.1.nip.io to it."""
        objs = objects(synth_app)
        assert [p["port"] for p in objs[("Service", "socat-auth")]["spec"]["ports"]] == [4000]
        route = objs[("HTTPRoute", "socat-auth")]["spec"]
        assert route["parentRefs"] == [{"name": "cilium-gateway", "namespace": "gateway"}]
        assert route["hostnames"] == ["auth.127.0.0.1.nip.io"]
        assert route["rules"][0]["backendRefs"] == [{"name": "socat-auth", "port": 4000}]

    def test_api_route(self, synth_app) -> None:  # noqa: ANN001
        """HTTPRoute api answers api.127.0.0.1.nip.io and sends /auth to the auth proxy."""
        route = objects(synth_app)[("HTTPRoute", "api")]["spec"]
        assert route["hostnames"] == ["api.127.0.0.1.nip.io"]
        assert route["rules"][0]["matches"][0]["path"]["value"] == "/auth"


class TestDrizzle:
    def test_drizzle_gateway_route(self, synth_app) -> None:  # noqa: ANN001
        """Drizzle Gateway is reachable at drizzle.127.0.0.1.nip.io on port 4983."""
        route = objects(synth_app)[("HTTPRoute", "drizzle-gateway")]["spec"]
        assert route["hostnames"] == ["drizzle.127.0.0.1.nip.io"]
        assert route["rules"][0]["backendRefs"] == [{"name": "drizzle-gateway", "port": 4983}]
