"""keiko (seed 001): snapshots per environment plus the parts of the seed, by the names the seed gives."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import by_kind_and_name

ENVS = ("dev", "staging", "production")
SERVICES = ("identity-service", "learning-service", "reputation-service", "passport-service",
            "governance-service", "marketplace-service", "api-gateway")
SHAS = {"dev": "a7320807c713f3896713da47e0f2dcf1d7c84105", "staging": "16900125d3aab8441f26934638395f7427ebcd70",
        "production": "7fc15f42dcc87fd470ec73ddec870eb3390ffd1b"}


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


def workload(objs: dict[tuple[str, str], dict[str, Any]], name: str) -> dict[str, Any]:
    return objs.get(("Deployment", name)) or objs[("Rollout", name)]


def collector_config(objs: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    return yaml.safe_load(objs[("ConfigMap", "otel-collector-config")]["data"]["config.yaml"])


class TestSnapshots:
    @pytest.mark.parametrize("env", ENVS)
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment, for review (the classes below check what the seed specifies)."""
        assert synth_app("keiko", env).manifests == yaml_snapshot


class TestMicroservices:
    @pytest.mark.parametrize("env", ENVS)
    def test_seven_services_with_sha_images(self, env: str, synth_app) -> None:  # noqa: ANN001
        """The six microservices and the api-gateway run registry.gra.cloud.ovh.net/keikolatam/<service>:<sha>."""
        objs = objects(synth_app("keiko", env))
        for service in SERVICES:
            container = workload(objs, service)["spec"]["template"]["spec"]["containers"][0]
            assert container["image"] == f"registry.gra.cloud.ovh.net/keikolatam/{service}:{SHAS[env]}"
            assert ("Service", service) in objs

    @pytest.mark.parametrize("env", ENVS)
    def test_part_of_keiko_on_workloads(self, env: str, synth_app) -> None:  # noqa: ANN001
        """Every pod template (services, collector, backup) carries app.kubernetes.io/part-of: keiko."""
        objs = objects(synth_app("keiko", env))
        for service in (*SERVICES, "otel-collector"):
            labels = workload(objs, service)["spec"]["template"]["metadata"]["labels"]
            assert labels["app.kubernetes.io/part-of"] == "keiko"
        backup = objs[("CronJob", "postgres-backup")]["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
        assert backup["app.kubernetes.io/part-of"] == "keiko"

    @pytest.mark.parametrize(("env", "replicas", "kind", "strategy"), [
        ("dev", 1, "Deployment", {"type": "Recreate"}),
        ("staging", 2, "Deployment", "RollingUpdate"),
        ("production", 3, "Rollout", "blueGreen"),
    ])
    def test_replicas_and_strategy_per_environment(self, env: str, replicas: int, kind: str, strategy: Any,
                                                   synth_app) -> None:  # noqa: ANN001
        """Replicas come from apps.keiko: 1 (Recreate) in dev, 2 (RollingUpdate) in staging, 3 (blue-green) in production."""
        objs = objects(synth_app("keiko", env))
        for service in SERVICES:
            spec = objs[(kind, service)]["spec"]
            assert spec["replicas"] == replicas
            if env == "dev":
                assert spec["strategy"] == strategy
            elif env == "staging":
                assert spec["strategy"]["type"] == strategy
            else:
                blue = spec["strategy"][strategy]
                assert (blue["activeService"], blue["previewService"]) == (service, f"{service}-preview")
                assert blue["autoPromotionEnabled"] is False
            assert ("HorizontalPodAutoscaler", service) not in objs

    def test_only_the_gateway_is_routed(self, synth_app) -> None:  # noqa: ANN001
        """The api-gateway gets the HTTPRoute; the six services stay internal."""
        objs = objects(synth_app("keiko", "staging"))
        routes = [name for kind, name in objs if kind == "HTTPRoute"]
        assert routes == ["api-gateway"]

    def test_services_send_otlp_to_the_collector(self, synth_app) -> None:  # noqa: ANN001
        """Each service's OpenTelemetry SDK points at the collector's OTLP gRPC port."""
        objs = objects(synth_app("keiko", "dev"))
        for service in SERVICES:
            env = {e["name"]: e.get("value") for e in workload(objs, service)["spec"]["template"]["spec"]["containers"][0]["env"]}
            assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4317"
            assert env["OTEL_SERVICE_NAME"] == service


class TestCollector:
    def test_receivers(self, synth_app) -> None:  # noqa: ANN001
        """otlp on gRPC 4317 and HTTP 4318; prometheus job kubernetes-pods with pod discovery."""
        config = collector_config(objects(synth_app("keiko", "dev")))
        otlp = config["receivers"]["otlp"]["protocols"]
        assert (otlp["grpc"]["endpoint"], otlp["http"]["endpoint"]) == ("0.0.0.0:4317", "0.0.0.0:4318")
        job, = config["receivers"]["prometheus"]["config"]["scrape_configs"]
        assert job == {"job_name": "kubernetes-pods", "kubernetes_sd_configs": [{"role": "pod"}]}

    def test_processors(self, synth_app) -> None:  # noqa: ANN001
        """batch 1s / 1024; memory_limiter 512 MiB with the check_interval it needs."""
        config = collector_config(objects(synth_app("keiko", "dev")))
        assert config["processors"]["batch"] == {"timeout": "1s", "send_batch_size": 1024}
        assert config["processors"]["memory_limiter"] == {"check_interval": "1s", "limit_mib": 512}

    def test_exporters_modernised(self, synth_app) -> None:  # noqa: ANN001
        """jaeger is replaced by otlp to jaeger-collector:4317; prometheus on 8889; elasticsearch logs_index otel-logs."""
        exporters = collector_config(objects(synth_app("keiko", "dev")))["exporters"]
        assert "jaeger" not in exporters
        assert exporters["otlp/jaeger"] == {"endpoint": "jaeger-collector:4317", "tls": {"insecure": True}}
        assert exporters["prometheus"] == {"endpoint": "0.0.0.0:8889"}
        assert exporters["elasticsearch"] == {"endpoints": ["http://elasticsearch:9200"], "logs_index": "otel-logs"}

    def test_pipelines_as_the_seed(self, synth_app) -> None:  # noqa: ANN001
        """traces, metrics and logs wire the seed's receivers, processors (memory_limiter first) and exporters."""
        pipelines = collector_config(objects(synth_app("keiko", "dev")))["service"]["pipelines"]
        processors = ["memory_limiter", "batch"]
        assert pipelines == {
            "traces": {"receivers": ["otlp"], "processors": processors, "exporters": ["otlp/jaeger"]},
            "metrics": {"receivers": ["otlp", "prometheus"], "processors": processors, "exporters": ["prometheus"]},
            "logs": {"receivers": ["otlp"], "processors": processors, "exporters": ["elasticsearch"]},
        }

    def test_deployment_reads_the_seed_configmap(self, synth_app) -> None:  # noqa: ANN001
        """Deployment otel-collector (one replica) mounts ConfigMap otel-collector-config; the Service opens 4317, 4318, 8889."""
        objs = objects(synth_app("keiko", "production"))
        spec = objs[("Deployment", "otel-collector")]["spec"]
        assert spec["replicas"] == 1
        assert spec["template"]["spec"]["volumes"][0]["configMap"]["name"] == "otel-collector-config"
        ports = {p["port"] for p in objs[("Service", "otel-collector")]["spec"]["ports"]}
        assert ports == {4317, 4318, 8889}

    def test_pod_discovery_rbac(self, synth_app) -> None:  # noqa: ANN001
        """The collector's ServiceAccount may only get, list and watch pods, cluster-wide."""
        objs = objects(synth_app("keiko", "dev"))
        role = objs[("ClusterRole", "keiko-otel-collector")]
        assert role["rules"] == [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}]
        binding = objs[("ClusterRoleBinding", "keiko-otel-collector")]
        assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "otel-collector", "namespace": "keiko-dev"}]


class TestSecrets:
    @pytest.mark.parametrize("env", ENVS)
    def test_vault_secret_store(self, env: str, synth_app) -> None:  # noqa: ANN001
        """SecretStore ovh-secret-store (external-secrets.io/v1): Vault at vault.ovh.net, KV v2, Kubernetes auth keiko-role."""
        store = objects(synth_app("keiko", env))[("SecretStore", "ovh-secret-store")]
        assert store["apiVersion"] == "external-secrets.io/v1"
        assert store["spec"]["provider"]["vault"] == {
            "server": "https://vault.ovh.net", "path": "secret", "version": "v2",
            "auth": {"kubernetes": {"mountPath": "kubernetes", "role": "keiko-role"}}}

    def test_database_credentials(self, synth_app) -> None:  # noqa: ANN001
        """ExternalSecret database-credentials: every 1h into database-secret (Owner), username and password from key database."""
        es = objects(synth_app("keiko", "staging"))[("ExternalSecret", "database-credentials")]
        assert es["apiVersion"] == "external-secrets.io/v1"
        spec = es["spec"]
        assert spec["refreshInterval"] == "1h"
        assert spec["secretStoreRef"] == {"name": "ovh-secret-store", "kind": "SecretStore"}
        assert spec["target"] == {"name": "database-secret", "creationPolicy": "Owner"}
        assert spec["data"] == [{"secretKey": k, "remoteRef": {"key": "database", "property": k}} for k in ("username", "password")]

    def test_store_before_secrets(self, synth_app) -> None:  # noqa: ANN001
        """Sync waves: the store (-2) before the ExternalSecrets (-1) before the workloads."""
        objs = objects(synth_app("keiko", "dev"))
        wave = lambda key: objs[key]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]  # noqa: E731
        assert wave(("SecretStore", "ovh-secret-store")) == "-2"
        assert wave(("ExternalSecret", "database-credentials")) == "-1"

    @pytest.mark.parametrize("env", ENVS)
    def test_no_secret_values(self, env: str, synth_app) -> None:  # noqa: ANN001
        """No Secret object is emitted: everything secret comes from Vault."""
        assert all(kind != "Secret" for kind, _ in objects(synth_app("keiko", env)))


class TestNetworkPolicy:
    def test_seed_policy(self, synth_app) -> None:  # noqa: ANN001
        """microservices-network-policy: Keiko pods, ingress from Keiko or ingress-nginx, egress to Keiko, 5432, 6379, DNS."""
        spec = objects(synth_app("keiko", "production"))[("NetworkPolicy", "microservices-network-policy")]["spec"]
        keiko = {"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "keiko"}}}
        assert spec["podSelector"] == keiko["podSelector"]
        assert spec["policyTypes"] == ["Ingress", "Egress"]
        assert spec["ingress"] == [{"from": [keiko, {"namespaceSelector": {"matchLabels": {"name": "ingress-nginx"}}}]}]
        assert spec["egress"][0] == {"to": [keiko]}
        ports = [(p["protocol"], p["port"]) for p in spec["egress"][1]["ports"]]
        assert ports == [("TCP", 5432), ("TCP", 6379), ("TCP", 53), ("UDP", 53)]

    def test_collector_keeps_its_reach(self, synth_app) -> None:  # noqa: ANN001
        """The collector may scrape pods, reach its back ends and the API server; Prometheus may scrape 8889."""
        spec = objects(synth_app("keiko", "dev"))[("NetworkPolicy", "otel-collector")]["spec"]
        assert {"to": [{"namespaceSelector": {}}]} in spec["egress"]
        assert spec["ingress"][0]["ports"] == [{"protocol": "TCP", "port": 8889}]


class TestBackup:
    def test_every_six_hours(self, synth_app) -> None:  # noqa: ANN001
        """CronJob postgres-backup runs at 0 */6 * * *, one run at a time."""
        spec = objects(synth_app("keiko", "production"))[("CronJob", "postgres-backup")]["spec"]
        assert spec["schedule"] == "0 */6 * * *"
        assert spec["concurrencyPolicy"] == "Forbid"

    def test_dump_and_upload(self, synth_app) -> None:  # noqa: ANN001
        """pg_dump of keiko_db on postgres-service as postgres, then upload to s3://keikolatam-backups/postgres/."""
        pod = objects(synth_app("keiko", "dev"))[("CronJob", "postgres-backup")]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        dump = pod["initContainers"][0]["command"][2]
        assert "pg_dump -h postgres-service -p 5432 -U postgres -d keiko_db" in dump
        assert "/backup/keiko_backup_${TIMESTAMP}.sql" in dump
        upload = pod["containers"][0]
        assert upload["name"] == "postgres-backup"
        assert "s3://keikolatam-backups/postgres/" in upload["command"][2]
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes["database-credentials"]["secret"]["secretName"] == "database-secret"
        assert "emptyDir" in volumes["backup-storage"]

    def test_images_have_their_tools(self, synth_app) -> None:  # noqa: ANN001
        """The dump runs in the PostgreSQL image, the upload in the AWS CLI image (postgres:14 has no aws)."""
        pod = objects(synth_app("keiko", "dev"))[("CronJob", "postgres-backup")]["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        assert pod["initContainers"][0]["image"].startswith("postgres:14.")
        assert pod["containers"][0]["image"].startswith("amazon/aws-cli:")
