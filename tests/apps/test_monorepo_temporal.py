"""monorepo-temporal (seed 004): Temporal on CloudNativePG with its UI, HTTPRoute and GRPCRoute, in dev and production."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import REPO, by_kind_and_name

ENVS = ["dev", "production"]


def objects(synth_app: Any, env: str) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(synth_app("monorepo-temporal", env).manifests)


def container(obj: dict[str, Any]) -> dict[str, Any]:
    return obj["spec"]["template"]["spec"]["containers"][0]


class TestSnapshot:
    @pytest.mark.parametrize("env", ENVS)
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment, for review."""
        assert synth_app("monorepo-temporal", env).manifests == yaml_snapshot


class TestServer:
    @pytest.mark.parametrize("env", ENVS)
    def test_database_settings(self, env: str, synth_app) -> None:  # noqa: ANN001
        """Deployment temporal: DB=postgres12, POSTGRES_SEEDS=cnpg-cluster-rw, user from cnpg-cluster-admin/username."""
        server = objects(synth_app, env)[("Deployment", "temporal")]
        assert server["metadata"]["namespace"] == "services"
        main = container(server)
        assert main["name"] == "temporal"
        variables = {e["name"]: e for e in main["env"]}
        assert variables["DB"]["value"] == "postgres12"
        assert variables["POSTGRES_SEEDS"]["value"] == "cnpg-cluster-rw"
        assert variables["POSTGRES_USER"]["valueFrom"] == {"secretKeyRef": {"name": "cnpg-cluster-admin", "key": "username"}}
        assert variables["POSTGRES_PWD"]["valueFrom"] == {"secretKeyRef": {"name": "cnpg-cluster-admin", "key": "password"}}

    def test_images_per_environment(self, synth_app) -> None:  # noqa: ANN001
        """The server runs temporalio/server at the tag of the environment file (auto-setup is deprecated)."""
        for env in ENVS:
            assert container(objects(synth_app, env)[("Deployment", "temporal")])["image"] == "temporalio/server:1.26.2"

    def test_rollout_and_replicas_per_environment(self, synth_app) -> None:  # noqa: ANN001
        """dev: one replica, Recreate; production: the environment's 3 replicas, RollingUpdate and a PDB."""
        dev = objects(synth_app, "dev")
        assert dev[("Deployment", "temporal")]["spec"]["replicas"] == 1
        assert dev[("Deployment", "temporal")]["spec"]["strategy"] == {"type": "Recreate"}
        assert ("PodDisruptionBudget", "temporal") not in dev
        prod = objects(synth_app, "production")
        assert prod[("Deployment", "temporal")]["spec"]["replicas"] == 3
        assert prod[("Deployment", "temporal")]["spec"]["strategy"]["type"] == "RollingUpdate"
        assert ("PodDisruptionBudget", "temporal") in prod
        assert ("HorizontalPodAutoscaler", "temporal-ui") not in prod

    def test_grpc_service(self, synth_app) -> None:  # noqa: ANN001
        """Service temporal serves gRPC on 7233."""
        [port] = objects(synth_app, "dev")[("Service", "temporal")]["spec"]["ports"]
        assert (port["port"], port["appProtocol"]) == (7233, "kubernetes.io/h2c")

    def test_restricted_pods(self, synth_app) -> None:  # noqa: ANN001
        """Every container of the server and the Jobs runs non-root with a read-only root filesystem."""
        objs = objects(synth_app, "dev")
        for key in (("Deployment", "temporal"), ("Job", "temporal-schema"), ("Job", "temporal-default-namespace")):
            spec = objs[key]["spec"]["template"]["spec"]
            assert spec["automountServiceAccountToken"] is False
            for c in [*spec["containers"], *spec.get("initContainers", [])]:
                sc = c["securityContext"]
                assert sc["runAsNonRoot"] and sc["runAsUser"] >= 10000 and sc["readOnlyRootFilesystem"]
                assert sc["capabilities"] == {"drop": ["ALL"]} and sc["allowPrivilegeEscalation"] is False


class TestSetupJobs:
    def test_schema_job_runs_before_the_server(self, synth_app) -> None:  # noqa: ANN001
        """temporal-schema is an Argo CD Sync hook in wave -1 running temporal-sql-tool for both databases."""
        job = objects(synth_app, "dev")[("Job", "temporal-schema")]
        notes = job["metadata"]["annotations"]
        assert (notes["argocd.argoproj.io/hook"], notes["argocd.argoproj.io/sync-wave"]) == ("Sync", "-1")
        script = container(job)["command"][-1]
        assert "temporal_visibility" in script and "update-schema" in script
        assert container(job)["image"] == "temporalio/admin-tools:1.26.2"

    def test_default_namespace_after_sync(self, synth_app) -> None:  # noqa: ANN001
        """temporal-default-namespace registers the default namespace in PostSync."""
        job = objects(synth_app, "dev")[("Job", "temporal-default-namespace")]
        assert job["metadata"]["annotations"]["argocd.argoproj.io/hook"] == "PostSync"
        assert "namespace create --namespace default" in container(job)["command"][-1]

    def test_job_pods_stay_out_of_the_service(self, synth_app) -> None:  # noqa: ANN001
        """The Job pods do not carry the server's selector labels."""
        objs = objects(synth_app, "dev")
        selector = objs[("Service", "temporal")]["spec"]["selector"]
        for name in ("temporal-schema", "temporal-default-namespace"):
            labels = objs[("Job", name)]["spec"]["template"]["metadata"]["labels"]
            assert not selector.items() <= labels.items()


class TestRoutes:
    def test_ui(self, synth_app) -> None:  # noqa: ANN001
        """temporal-ui listens on 8080 and talks to temporal:7233."""
        objs = objects(synth_app, "dev")
        ui = container(objs[("Deployment", "temporal-ui")])
        assert {e["name"]: e["value"] for e in ui["env"]}["TEMPORAL_ADDRESS"] == "temporal:7233"
        assert [p["port"] for p in objs[("Service", "temporal-ui")]["spec"]["ports"]] == [8080]

    def test_dev_routes_on_cilium_gateway(self, synth_app) -> None:  # noqa: ANN001
        """dev: HTTPRoute temporal-ui and GRPCRoute temporal-server on cilium-gateway/gateway with nip.io hosts."""
        objs = objects(synth_app, "dev")
        http = objs[("HTTPRoute", "temporal-ui")]["spec"]
        grpc = objs[("GRPCRoute", "temporal-server")]["spec"]
        for route in (http, grpc):
            assert route["parentRefs"] == [{"name": "cilium-gateway", "namespace": "gateway"}]
        assert http["hostnames"] == ["temporal.127.0.0.1.nip.io"]
        assert http["rules"][0]["backendRefs"] == [{"name": "temporal-ui", "port": 8080}]
        assert grpc["hostnames"] == ["temporal-server.127.0.0.1.nip.io"]
        assert grpc["rules"][0]["backendRefs"] == [{"name": "temporal", "port": 7233}]

    def test_production_routes_use_the_production_domain(self, synth_app) -> None:  # noqa: ANN001
        """production: the same routes under the production gateway's domain."""
        objs = objects(synth_app, "production")
        assert objs[("HTTPRoute", "temporal-ui")]["spec"]["hostnames"] == ["temporal.example.com"]
        assert objs[("GRPCRoute", "temporal-server")]["spec"]["hostnames"] == ["temporal-server.example.com"]


class TestErrors:
    def test_canary_is_refused_with_the_fix(self, synth_chart) -> None:  # noqa: ANN001
        """A canary rollout cannot apply to the server's Deployment: the error names the setting to change."""
        import importlib.util

        path = REPO / "apps" / "monorepo_temporal.py"
        spec = importlib.util.spec_from_file_location("monorepo_temporal_under_test", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with pytest.raises(Exception, match=r"rollout\.strategy to recreate or rolling"):
            synth_chart(module.build, app="monorepo-temporal", rollout={"strategy": "canary"},
                        gateway={"name": "gw", "namespace": "gateway", "domain": "example.com"},
                        apps={"monorepo-temporal": {"images": {"temporal": "1.26.2", "admin-tools": "1.26.2",
                                                                "temporal-ui": "2.34.0"}}})
