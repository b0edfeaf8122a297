"""monorepo-infra (seed 004): cert-manager CA, operators, password generator, Kafka, Kafka UI, Maildev, MinIO, Reflector, gateway."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name


def objects(synth_app: Any, env: str = "dev") -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(synth_app("monorepo-infra", env).manifests)


def annotations_of(obj: dict[str, Any]) -> dict[str, str]:
    return obj["metadata"].get("annotations", {})


class TestSnapshot:
    @pytest.mark.parametrize("env", ["dev"])
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment the app runs in, for review."""
        assert synth_app("monorepo-infra", env).manifests == yaml_snapshot


class TestCertManager:
    def test_ca_cluster_issuer(self, synth_app) -> None:  # noqa: ANN001
        """ClusterIssuer selfsigned-cluster-issuer signs with the CA in Secret selfsigned-ca."""
        issuer = objects(synth_app)[("ClusterIssuer", "selfsigned-cluster-issuer")]
        assert issuer["apiVersion"] == "cert-manager.io/v1"
        assert issuer["spec"] == {"ca": {"secretName": "selfsigned-ca"}}
        assert "namespace" not in issuer["metadata"]

    def test_ca_bootstrap(self, synth_app) -> None:  # noqa: ANN001
        """A selfSigned ClusterIssuer signs the CA Certificate whose Secret the CA issuer reads (in cert-manager)."""
        objs = objects(synth_app)
        assert objs[("ClusterIssuer", "selfsigned-issuer")]["spec"] == {"selfSigned": {}}
        ca = objs[("Certificate", "selfsigned-ca")]
        assert ca["metadata"]["namespace"] == "cert-manager"
        assert ca["spec"]["isCA"] is True and ca["spec"]["secretName"] == "selfsigned-ca"
        assert ca["spec"]["issuerRef"]["name"] == "selfsigned-issuer"

    def test_issuers_sync_early(self, synth_app) -> None:  # noqa: ANN001
        """Issuers and the CA certificate are in wave -1 and skip the dry run until cert-manager's CRDs exist."""
        objs = objects(synth_app)
        for key in (("ClusterIssuer", "selfsigned-issuer"), ("ClusterIssuer", "selfsigned-cluster-issuer"),
                    ("Certificate", "selfsigned-ca")):
            assert annotations_of(objs[key])["argocd.argoproj.io/sync-wave"] == "-1"
            assert annotations_of(objs[key])["argocd.argoproj.io/sync-options"] == "SkipDryRunOnMissingResource=true"

    def test_wildcard_certificate_reflected_to_kafka(self, synth_app) -> None:  # noqa: ANN001
        """The gateway's wildcard certificate is issued by the CA and reflected into kafka."""
        cert = objects(synth_app)[("Certificate", "gateway-wildcard")]["spec"]
        assert cert["dnsNames"] == ["*.127.0.0.1.nip.io", "127.0.0.1.nip.io"]
        assert cert["issuerRef"]["name"] == "selfsigned-cluster-issuer"
        assert cert["secretTemplate"]["annotations"]["reflector.v1.k8s.emberstack.com/reflection-auto-namespaces"] == "kafka"


class TestOperators:
    def test_operator_applications(self, synth_app) -> None:  # noqa: ANN001
        """cert-manager, cnpg-system, strimzi and reflector are pinned Helm charts in argocd."""
        objs = objects(synth_app)
        expected = {"cert-manager": ("cert-manager", "cert-manager"), "cnpg-system": ("cloudnative-pg", "cnpg-system"),
                    "strimzi": ("strimzi-kafka-operator", "strimzi"), "reflector": ("reflector", "reflector")}
        for name, (chart, namespace) in expected.items():
            app = objs[("Application", name)]
            assert app["metadata"]["namespace"] == "argocd"
            assert app["spec"]["source"]["chart"] == chart
            assert app["spec"]["destination"]["namespace"] == namespace
            assert app["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
            assert {"CreateNamespace=true", "ApplyOutOfSyncOnly=true"} <= set(app["spec"]["syncPolicy"]["syncOptions"])
            assert annotations_of(app)["argocd.argoproj.io/sync-wave"] == "-10"

    def test_external_secrets_operator_is_shared(self, synth_app) -> None:  # noqa: ANN001
        """The External Secrets operator is not installed a second time (dev's comes from talana-platform)."""
        assert ("Application", "external-secrets") not in objects(synth_app)
        talana = {(m["kind"], m["metadata"]["name"]) for m in synth_app("talana-platform", "dev").manifests}
        assert ("Application", "external-secrets") in talana

    def test_strimzi_serves_v1(self, synth_app) -> None:  # noqa: ANN001
        """The Strimzi chart is 0.49.0, the first release serving kafka.strimzi.io/v1."""
        assert objects(synth_app)[("Application", "strimzi")]["spec"]["source"]["targetRevision"] == "0.49.0"


class TestPasswordGenerator:
    def test_cluster_generator(self, synth_app) -> None:  # noqa: ANN001
        """ClusterGenerator password-64-length: Password, length 64, no symbols, upper case, repeats allowed."""
        gen = objects(synth_app)[("ClusterGenerator", "password-64-length")]
        assert gen["apiVersion"] == "generators.external-secrets.io/v1alpha1"
        assert gen["spec"] == {"kind": "Password", "generator": {"passwordSpec": {
            "length": 64, "symbols": 0, "noUpper": False, "allowRepeat": True}}}
        assert annotations_of(gen)["argocd.argoproj.io/sync-wave"] == "-1"


class TestKafka:
    def test_kraft_cluster_with_node_pool(self, synth_app) -> None:  # noqa: ANN001
        """Kafka kafka-cluster in namespace kafka, KRaft with a dual-role node pool labelled for it."""
        objs = objects(synth_app)
        kafka = objs[("Kafka", "kafka-cluster")]
        assert kafka["apiVersion"] == "kafka.strimzi.io/v1"
        assert kafka["metadata"]["namespace"] == "kafka"
        assert annotations_of(kafka)["strimzi.io/kraft"] == "enabled"
        assert annotations_of(kafka)["strimzi.io/node-pools"] == "enabled"
        pool = objs[("KafkaNodePool", "dual-role")]
        assert pool["metadata"]["labels"]["strimzi.io/cluster"] == "kafka-cluster"
        assert pool["spec"]["roles"] == ["controller", "broker"]
        assert pool["spec"]["replicas"] == 1

    def test_listeners(self, synth_app) -> None:  # noqa: ANN001
        """plain 9092 internal without TLS; external 9094 cluster-ip with TLS, broker 0 at broker0.127.0.0.1.nip.io:9094."""
        plain, external = objects(synth_app)[("Kafka", "kafka-cluster")]["spec"]["kafka"]["listeners"]
        assert plain == {"name": "plain", "port": 9092, "type": "internal", "tls": False}
        assert (external["name"], external["port"], external["type"], external["tls"]) == ("external", 9094, "cluster-ip", True)
        assert external["configuration"]["brokers"] == [
            {"broker": 0, "advertisedHost": "broker0.127.0.0.1.nip.io", "advertisedPort": 9094}]


class TestDevTools:
    def test_kafka_ui(self, synth_app) -> None:  # noqa: ANN001
        """Kafka UI runs in kafka-ui and reads the plain listener."""
        deployment = objects(synth_app)[("Deployment", "kafka-ui")]
        assert deployment["metadata"]["namespace"] == "kafka-ui"
        env = {e["name"]: e["value"] for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert env["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"] == "kafka-cluster-kafka-bootstrap.kafka.svc:9092"

    def test_maildev_ports_and_route(self, synth_app) -> None:  # noqa: ANN001
        """Maildev: SMTP 1025 and web 1080 in namespace maildev; the web UI at maildev.127.0.0.1.nip.io."""
        objs = objects(synth_app)
        service = objs[("Service", "maildev")]
        assert service["metadata"]["namespace"] == "maildev"
        assert {p["name"]: p["port"] for p in service["spec"]["ports"]} == {"smtp": 1025, "http": 1080}
        route = objs[("HTTPRoute", "maildev")]["spec"]
        assert route["hostnames"] == ["maildev.127.0.0.1.nip.io"]
        assert route["rules"][0]["backendRefs"] == [{"name": "maildev", "port": 1080}]
        assert route["parentRefs"] == [{"name": "cilium-gateway", "namespace": "gateway"}]

    def test_minio(self, synth_app) -> None:  # noqa: ANN001
        """MinIO runs in namespace minio with a volume and generated root credentials read from files."""
        objs = objects(synth_app)
        minio = objs[("StatefulSet", "minio")]
        assert minio["metadata"]["namespace"] == "minio"
        env = {e["name"] for e in minio["spec"]["template"]["spec"]["containers"][0]["env"]}
        assert {"MINIO_ROOT_USER_FILE", "MINIO_ROOT_PASSWORD_FILE"} <= env
        assert objs[("ExternalSecret", "minio-credentials")]["metadata"]["namespace"] == "minio"

    def test_gateway(self, synth_app) -> None:  # noqa: ANN001
        """The Cilium gateway cilium-gateway in namespace gateway, GatewayClass cilium, for *.127.0.0.1.nip.io."""
        gateway = objects(synth_app)[("Gateway", "cilium-gateway")]
        assert gateway["metadata"]["namespace"] == "gateway"
        assert gateway["spec"]["gatewayClassName"] == "cilium"
        assert {listener["hostname"] for listener in gateway["spec"]["listeners"]} == {"*.127.0.0.1.nip.io"}

    def test_component_namespaces(self, synth_app) -> None:  # noqa: ANN001
        """Every namespace an object of this app lives in is created (or comes with an operator Application)."""
        manifests = synth_app("monorepo-infra", "dev").manifests
        created = {m["metadata"]["name"] for m in manifests if m["kind"] == "Namespace"}
        used = {m["metadata"]["namespace"] for m in manifests if m["metadata"].get("namespace")}
        assert used - created == {"argocd"}

    def test_no_secret_values(self, synth_app) -> None:  # noqa: ANN001
        """No Secret is emitted: credentials come from generators through ExternalSecrets."""
        assert not any(m["kind"] == "Secret" for m in synth_app("monorepo-infra", "dev").manifests)
