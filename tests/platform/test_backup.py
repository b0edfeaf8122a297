"""PostgresBackupCronJob: the CronJob, ServiceAccount and NetworkPolicy it makes, its secure defaults, and clear errors."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

from cdk8s_gitops import ManifestError
from cdk8s_gitops.kube import CronJob, SecurityContext
from cdk8s_gitops.platform.backup import (
    DEFAULT_DUMP_IMAGE,
    DEFAULT_UPLOAD_IMAGE,
    ObjectStorageTarget,
    PostgresBackupCronJob,
    PostgresBackupProps,
)
from cdk8s_gitops.testing import synth_chart

TARGET = ObjectStorageTarget(url="s3://shop-backups/postgres/", endpoint_url="https://s3.gra.io.cloud.ovh.net",
                             region="gra", credentials_secret="object-storage")
PROPS = PostgresBackupProps(schedule="0 */6 * * *", host="postgres", database="shop", user="postgres",
                            password_secret="db", destination=TARGET)


def build(props: PostgresBackupProps = PROPS) -> dict[tuple[str, str], dict[str, Any]]:
    manifests = synth_chart(lambda scope, env: PostgresBackupCronJob(scope, "backup", props), app="shop")
    return by_kind_and_name(manifests)


def pod_of(objs: dict[tuple[str, str], dict[str, Any]], name: str = "postgres-backup") -> dict[str, Any]:
    return objs[("CronJob", name)]["spec"]["jobTemplate"]["spec"]["template"]["spec"]


class TestObjects:
    def test_three_objects(self) -> None:
        """A CronJob, its ServiceAccount (no token) and an egress NetworkPolicy, all named after the backup."""
        objs = build()
        assert set(objs) == {("CronJob", "postgres-backup"), ("ServiceAccount", "postgres-backup"),
                             ("NetworkPolicy", "postgres-backup")}
        assert objs[("ServiceAccount", "postgres-backup")]["automountServiceAccountToken"] is False

    def test_schedule_and_job_settings(self) -> None:
        """The schedule is kept; runs never overlap, retry twice and stop after an hour."""
        spec = build()[("CronJob", "postgres-backup")]["spec"]
        assert spec["schedule"] == "0 */6 * * *"
        assert spec["concurrencyPolicy"] == "Forbid"
        assert spec["jobTemplate"]["spec"]["backoffLimit"] == 2
        assert spec["jobTemplate"]["spec"]["activeDeadlineSeconds"] == 3600
        assert "timeZone" not in spec

    def test_dump_then_upload(self) -> None:
        """pg_dump runs in the init container, the upload in the main one; both share /backup."""
        pod = pod_of(build())
        dump, = pod["initContainers"]
        upload, = pod["containers"]
        assert dump["name"] == "pg-dump" and dump["image"] == DEFAULT_DUMP_IMAGE
        assert upload["name"] == "postgres-backup" and upload["image"] == DEFAULT_UPLOAD_IMAGE
        script = dump["command"][2]
        assert "pg_dump -h postgres -p 5432 -U postgres -d shop" in script
        assert '"/backup/shop_backup_${TIMESTAMP}.sql"' in script
        assert "aws s3 cp /backup/ s3://shop-backups/postgres/ --recursive" in upload["command"][2]
        assert {"name": "backup-storage", "mountPath": "/backup"} in dump["volumeMounts"]
        assert {"name": "backup-storage", "mountPath": "/backup"} in upload["volumeMounts"]
        assert pod["restartPolicy"] == "OnFailure"

    def test_object_storage_settings(self) -> None:
        """The endpoint, region and credentials file reach the AWS CLI through its variables."""
        env = {e["name"]: e["value"] for e in pod_of(build())["containers"][0]["env"]}
        assert env["AWS_ENDPOINT_URL"] == "https://s3.gra.io.cloud.ovh.net"
        assert env["AWS_DEFAULT_REGION"] == "gra"
        assert env["AWS_SHARED_CREDENTIALS_FILE"] == "/var/run/secrets/object-storage/credentials"

    def test_egress_policy(self) -> None:
        """The pod may reach only the database port, the object storage port and DNS."""
        spec = build()[("NetworkPolicy", "postgres-backup")]["spec"]
        assert spec["policyTypes"] == ["Egress"]
        ports = {(p["protocol"], p["port"]) for rule in spec["egress"] for p in rule["ports"]}
        assert ports == {("TCP", 5432), ("TCP", 443), ("TCP", 53), ("UDP", 53)}
        assert spec["podSelector"]["matchLabels"]["app.kubernetes.io/name"] == "postgres-backup"

    def test_no_network_policy(self) -> None:
        """network_policy=False leaves the NetworkPolicy out."""
        objs = build(PROPS.model_copy(update={"network_policy": False}))
        assert ("NetworkPolicy", "postgres-backup") not in objs


class TestSecurity:
    def test_restricted_pod(self) -> None:
        """Both containers run non-root (>= 10000), read-only, without privileges, with requests and limits."""
        pod = pod_of(build())
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in (*pod["initContainers"], *pod["containers"]):
            ctx = container["securityContext"]
            assert ctx["runAsUser"] >= 10000 and ctx["runAsNonRoot"] is True
            assert ctx["readOnlyRootFilesystem"] is True and ctx["allowPrivilegeEscalation"] is False
            assert ctx["capabilities"] == {"drop": ["ALL"]}
            assert ctx["seccompProfile"] == {"type": "RuntimeDefault"}
            assert container["imagePullPolicy"] == "Always"
            assert set(container["resources"]) == {"requests", "limits"}

    def test_secrets_are_files(self) -> None:
        """The password and the storage keys are mounted files; no variable reads a Secret."""
        pod = pod_of(build())
        for container in (*pod["initContainers"], *pod["containers"]):
            assert all("valueFrom" not in e for e in container.get("env", []))
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert volumes["database-credentials"]["secret"]["secretName"] == "db"
        assert volumes["object-storage-credentials"]["secret"]["secretName"] == "object-storage"
        assert 'PGPASSWORD="$(cat /var/run/secrets/database/password)"' in pod["initContainers"][0]["command"][2]

    def test_digest_skip_only_for_tags(self) -> None:
        """Tag-pinned images carry the CKV_K8S_43 skip with its reason; digests do not need it."""
        meta = build()[("CronJob", "postgres-backup")]["metadata"]
        assert meta["annotations"]["checkov.io/skip1"].startswith("CKV_K8S_43=")
        digest = "@sha256:" + "a" * 64
        pinned = PROPS.model_copy(update={"dump_image": "postgres" + digest, "upload_image": "amazon/aws-cli" + digest})
        assert "annotations" not in build(pinned)[("CronJob", "postgres-backup")]["metadata"]


class TestProps:
    def test_url_must_be_a_folder(self) -> None:
        """An S3 URL without the trailing slash is refused with the fixed spelling."""
        with pytest.raises(ManifestError, match="s3://shop-backups/postgres/"):
            ObjectStorageTarget(url="s3://shop-backups/postgres")

    def test_url_must_be_s3(self) -> None:
        """Only s3:// URLs are accepted."""
        with pytest.raises(ManifestError, match="not an S3 URL"):
            ObjectStorageTarget(url="https://bucket/")

    def test_schedule_checked(self) -> None:
        """A schedule with the wrong number of fields is refused where it is written."""
        with pytest.raises(ManifestError, match="has 4 fields"):
            PROPS.model_validate({**PROPS.model_dump(), "schedule": "0 */6 * *"})

    def test_run_as_user_at_least_10000(self) -> None:
        """A UID under 10000 is refused (the restricted baseline wants high UIDs)."""
        with pytest.raises(ManifestError, match="greater than or equal to 10000"):
            PROPS.model_validate({**PROPS.model_dump(), "run_as_user": 999})

    def test_unpinned_image_refused(self) -> None:
        """An image without a tag, or with latest, is refused with the fix."""
        with pytest.raises(ManifestError, match="pin the image"):
            PROPS.model_validate({**PROPS.model_dump(), "dump_image": "postgres"})
        with pytest.raises(ManifestError, match="mutable tag 'latest'"):
            PROPS.model_validate({**PROPS.model_dump(), "upload_image": "amazon/aws-cli:latest"})

    def test_shell_unsafe_names_refused(self) -> None:
        """Host, database and user go into the script, so anything but plain names is refused."""
        with pytest.raises(ManifestError, match="plain host, database or role name"):
            PROPS.model_validate({**PROPS.model_dump(), "database": "shop; rm -rf /"})

    def test_long_name_refused(self) -> None:
        """A CronJob name over 52 characters is refused."""
        with pytest.raises(ManifestError, match="at most 52"):
            PROPS.model_validate({**PROPS.model_dump(), "name": "b" * 53})

    def test_unknown_field_refused(self) -> None:
        """Props refuse unknown keys."""
        with pytest.raises(ManifestError, match="PostgresBackupProps 'postgres-backup': retention: unknown field \\(value '7d'\\)"):
            PostgresBackupProps.model_validate({**PROPS.model_dump(), "retention": "7d"})


class TestTypedModels:
    def test_cron_job_is_typed(self) -> None:
        """The CronJob is a typed model down to its containers, whose security contexts are typed SecurityContexts."""
        made: list[PostgresBackupCronJob] = []
        synth_chart(lambda scope, env: made.append(PostgresBackupCronJob(scope, "backup", PROPS)), app="shop")
        cron = made[0].cron_job.resource
        assert isinstance(cron, CronJob) and cron.spec is not None and cron.spec.job_template.spec is not None
        pod = cron.spec.job_template.spec.template.spec
        assert pod is not None and pod.init_containers is not None
        containers = [*pod.init_containers, *pod.containers]
        assert [c.name for c in containers] == ["pg-dump", "postgres-backup"]
        for container in containers:
            assert isinstance(container.security_context, SecurityContext)
            assert container.security_context.run_as_user == PROPS.run_as_user
