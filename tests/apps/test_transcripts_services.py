"""transcripts-services (seed 003): the gateway and transcription services in namespace endpoints."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

APP = "transcripts-services"
REGISTRY = "docker-registry.infrastructure.svc.cluster.local:5000"


@pytest.fixture
def objs(synth_app) -> dict[tuple[str, str], dict[str, Any]]:  # noqa: ANN001
    return by_kind_and_name(synth_app(APP, "dev").manifests)


def container(objs: dict[tuple[str, str], dict[str, Any]], name: str) -> dict[str, Any]:
    return objs[("Deployment", name)]["spec"]["template"]["spec"]["containers"][0]


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev (the seed's local overlay), for review."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot


class TestServices:
    def test_everything_in_endpoints(self, objs) -> None:  # noqa: ANN001
        """Every object lands in the seed's namespace endpoints."""
        assert {m["metadata"]["namespace"] for m in objs.values()} == {"endpoints"}

    @pytest.mark.parametrize("name", ["gateway", "transcription"])
    def test_images_from_local_registry(self, objs, name: str) -> None:  # noqa: ANN001
        """Both services pull transcripts/<service> from the in-cluster registry, with a <YYYYMMDD>-<HHMMSS> build tag."""
        repo, tag = container(objs, name)["image"].rsplit(":", 1)
        assert repo == f"{REGISTRY}/transcripts/{name}"
        assert len(tag) == 15 and tag[8] == "-" and tag.replace("-", "").isdigit()

    def test_gateway_exposed_transcription_internal(self, objs) -> None:  # noqa: ANN001
        """The API gateway has an HTTPRoute on the environment's Gateway; transcription has none."""
        assert objs[("HTTPRoute", "gateway")]["spec"]["hostnames"] == ["gateway.dev.example.com"]
        assert ("HTTPRoute", "transcription") not in objs

    def test_dev_recreates_one_replica(self, objs) -> None:  # noqa: ANN001
        """dev: Deployments with Recreate and one replica."""
        for name in ("gateway", "transcription"):
            spec = objs[("Deployment", name)]["spec"]
            assert (spec["strategy"], spec["replicas"]) == ({"type": "Recreate"}, 1)


class TestInfrastructureAccess:
    def test_secret_store_reads_infrastructure(self, objs) -> None:  # noqa: ANN001
        """The SecretStore reads Secrets of namespace infrastructure as transcripts-infrastructure-reader."""
        kube = objs[("SecretStore", "transcripts-infrastructure")]["spec"]["provider"]["kubernetes"]
        assert kube["remoteNamespace"] == "infrastructure"
        assert kube["auth"] == {"serviceAccount": {"name": "transcripts-infrastructure-reader"}}
        assert objs[("ServiceAccount", "transcripts-infrastructure-reader")]["automountServiceAccountToken"] is False

    def test_transcription_credentials(self, objs) -> None:  # noqa: ANN001
        """transcription's database and S3 credentials are copied from the generated Secrets and read as files."""
        es = objs[("ExternalSecret", "transcription")]["spec"]
        assert es["secretStoreRef"] == {"kind": "SecretStore", "name": "transcripts-infrastructure"}
        refs = {d["secretKey"]: (d["remoteRef"]["key"], d["remoteRef"]["property"]) for d in es["data"]}
        assert refs == {"DATABASE_PASSWORD": ("postgresql-credentials", "password"),
                        "S3_ACCESS_KEY": ("minio-credentials", "root-user"),
                        "S3_SECRET_KEY": ("minio-credentials", "root-password")}
        env = {e["name"]: e["value"] for e in container(objs, "transcription")["env"]}
        assert env["DATABASE_HOST"] == "postgresql.infrastructure.svc.cluster.local"
        assert env["S3_ENDPOINT"] == "http://minio.infrastructure.svc.cluster.local:9000"
        assert env["DATABASE_PASSWORD_FILE"].startswith("/var/run/secrets/transcription/")

    def test_no_secret_values(self, objs) -> None:  # noqa: ANN001
        """No Secret object is emitted."""
        assert not [k for k, _ in objs if k == "Secret"]


class TestEnvironments:
    def test_dev_only(self, synth_app) -> None:  # noqa: ANN001
        """The seed wires only its local overlay, which is dev here."""
        for env in ("staging", "production"):
            with pytest.raises(KeyError, match="no output"):
                synth_app(APP, env)
