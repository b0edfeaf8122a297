"""PostgresBackupCronJob: a scheduled ``pg_dump`` shipped to S3-compatible object storage.

One :class:`PostgresBackupProps` gives:

- a ``CronJob`` whose pod runs two containers from two official images, so neither image
  has to carry both tools: an init container ``pg-dump`` (the PostgreSQL image) writes
  ``<prefix>_<UTC timestamp>.sql`` to a scratch ``emptyDir``, then the main container
  (the AWS CLI image) copies that folder to the ``s3://`` destination. The upload only
  runs once the dump has succeeded (init containers finish first);
- a ``ServiceAccount`` without an API token (the job never talks to the API server);
- a ``NetworkPolicy`` (optional) that limits the pod's egress to the database port, the
  object storage port and DNS.

Secrets are read as files, never as environment variables: the database password from
a Secret mounted read-only (exported for ``pg_dump`` inside the script only), the
object storage credentials as an AWS shared-credentials file (``AWS_SHARED_CREDENTIALS_FILE``).
Images pinned by tag only get checkov's skip annotation for CKV_K8S_43 (image by digest) with the
reason; pass ``image@sha256:...`` to pin by digest and drop it. Pods meet the restricted Pod Security Standard: non-root UID (>= 10000), no privilege
escalation, all capabilities dropped, seccomp ``RuntimeDefault``, read-only root filesystem
(``/backup`` and ``/tmp`` are ``emptyDir``), requests and limits on both containers.

Example::

    PostgresBackupCronJob(scope, "backup", PostgresBackupProps(
        schedule="0 3 * * *",
        host="postgresql", database="shop", user="shop", password_secret="postgresql-credentials",
        destination=ObjectStorageTarget(url="s3://shop-backups/postgres/",
                                        endpoint_url="https://s3.gra.io.cloud.ovh.net", region="gra",
                                        credentials_secret="object-storage"),
    ))
"""

from __future__ import annotations

import re
import shlex
from typing import Annotated, Literal

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.cron import CronSchedule
from ..core.images import parse_image
from ..core.labels import COMPONENT, NAME, PART_OF
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta
from ..core.resource import TypedResource
from ..kube import (
    Container,
    CronJob,
    CronJobSpec,
    EmptyDirVolumeSource,
    EnvVar,
    JobSpec,
    JobTemplateSpec,
    KeyToPath,
    LabelSelector,
    NetworkPolicy,
    NetworkPolicyEgressRule,
    NetworkPolicyPort,
    NetworkPolicySpec,
    PodSpec,
    PodTemplateSpec,
    SecretVolumeSource,
    SecurityContext,
    ServiceAccount,
    Volume,
    VolumeMount,
)
from ..kube.batch_v1 import TimeZone
from .props import PropsModel, Resources, dns_label
from .security import restricted_container_security, restricted_pod_security

__all__ = ["DEFAULT_DUMP_IMAGE", "DEFAULT_UPLOAD_IMAGE", "ObjectStorageTarget", "PostgresBackupCronJob",
           "PostgresBackupProps"]

DEFAULT_DUMP_IMAGE = "postgres:14.17"
"""The image that runs ``pg_dump`` when none is given: official PostgreSQL 14, pinned to a minor release."""

DEFAULT_UPLOAD_IMAGE = "amazon/aws-cli:2.17.9"
"""The image that uploads when none is given: the official AWS CLI v2, pinned (``AWS_ENDPOINT_URL`` needs >= 2.13)."""

SCRATCH = "/backup"
SECRETS_DIR = "/var/run/secrets"
_S3_URL = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/[^\s]*)?$")


class ObjectStorageTarget(PropsModel):
    """Where the dumps go: an S3 URL on AWS or any S3-compatible store (OVHcloud, MinIO, ...).

    Attributes:
        url: the destination folder, ``s3://<bucket>/<prefix>/`` (must end with ``/``). Required.
        endpoint_url: the store's S3 endpoint, set as ``AWS_ENDPOINT_URL`` (``https://s3.gra.io.cloud.ovh.net``).
            Default: none (AWS S3).
        region: the region, set as ``AWS_DEFAULT_REGION``. Default: none.
        credentials_secret: a Secret holding an AWS shared-credentials file (``[default]`` with
            ``aws_access_key_id`` and ``aws_secret_access_key``), mounted read-only. Default: none
            (the CLI's other sources, such as a web identity).
        credentials_key: the key of that file in the Secret. Default: ``credentials``.
        port: the TCP port of the endpoint, allowed by the NetworkPolicy. Default: 443.
    """

    url: str
    endpoint_url: str | None = None
    region: str | None = None
    credentials_secret: str | None = None
    credentials_key: str = "credentials"
    port: Annotated[int, Field(ge=1, le=65535)] = 443

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not _S3_URL.match(value):
            raise ValueError(f"{value!r} is not an S3 URL; write it as s3://<bucket>/<prefix>/")
        if not value.endswith("/"):
            raise ValueError(f"{value!r} does not end with '/', so the dump would be uploaded as that object name; "
                             f"write the folder as {value + '/'!r}")
        return value

    @field_validator("endpoint_url")
    @classmethod
    def _endpoint(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+(/\S*)?$", value):
            raise ValueError(f"{value!r} is not a URL; use the store's S3 endpoint, such as https://s3.gra.io.cloud.ovh.net")
        return value

    @field_validator("credentials_secret")
    @classmethod
    def _secret(cls, value: str | None) -> str | None:
        return dns_label(value) if value is not None else None


class PostgresBackupProps(PropsModel):
    """A scheduled logical backup of one PostgreSQL database.

    Attributes:
        name: name of the CronJob, its ServiceAccount and NetworkPolicy, and the ``app.kubernetes.io/name``
            label (at most 52 characters, a CronJob limit). Default: ``postgres-backup``.
        namespace: ``metadata.namespace`` of the objects. Default: none (the chart's namespace).
        schedule: ``spec.schedule``: five cron fields or a macro. Required.
        time_zone: ``spec.timeZone`` (IANA name). Default: none (the controller's zone, usually UTC).
        host: the database host ``pg_dump -h`` connects to (a Service name or DNS name). Required.
        port: the database port (``-p``), also allowed by the NetworkPolicy. Default: 5432.
        database: the database to dump. Required.
        user: the role ``pg_dump -U`` connects as. Required.
        password_secret: the Secret holding the password (read from a file, never an env var). Required.
        password_key: the key of the password in that Secret. Default: ``password``.
        file_prefix: dump file name before ``_<YYYYmmdd_HHMMSS>.sql``. Default: ``<database>_backup``.
        destination: where the dumps go. Required.
        dump_image: image with ``pg_dump`` (its major version at least the server's). Default:
            :data:`DEFAULT_DUMP_IMAGE`.
        upload_image: image with the ``aws`` CLI. Default: :data:`DEFAULT_UPLOAD_IMAGE`.
        resources: requests and limits of each container. Default: see :class:`Resources`.
        scratch_size_limit: ``sizeLimit`` of the ``emptyDir`` holding the dump. Default: ``10Gi``.
        run_as_user: the non-root UID (and GID, fsGroup) both containers run as; at least 10000. Default: 10001.
        concurrency_policy: ``spec.concurrencyPolicy``. Default: ``Forbid`` (never two dumps at once).
        starting_deadline_seconds: ``spec.startingDeadlineSeconds``. Default: 600.
        active_deadline_seconds: ``jobTemplate.spec.activeDeadlineSeconds``: a run taking longer is stopped. Default: 3600.
        backoff_limit: ``jobTemplate.spec.backoffLimit``: retries of a failed run. Default: 2.
        successful_jobs_history_limit: ``spec.successfulJobsHistoryLimit``. Default: 3.
        failed_jobs_history_limit: ``spec.failedJobsHistoryLimit``. Default: 3.
        restart_policy: the pod's ``restartPolicy``. Default: ``OnFailure``.
        container_name: name of the upload container. Default: ``name``.
        labels: extra labels on the objects and pods. Default: none.
        network_policy: add the egress NetworkPolicy. Default: true.
    """

    name: str = "postgres-backup"
    namespace: str | None = None
    schedule: CronSchedule
    time_zone: TimeZone | None = None
    host: str
    port: Annotated[int, Field(ge=1, le=65535)] = 5432
    database: str
    user: str
    password_secret: str
    password_key: str = "password"
    file_prefix: str | None = None
    destination: ObjectStorageTarget
    dump_image: str = DEFAULT_DUMP_IMAGE
    upload_image: str = DEFAULT_UPLOAD_IMAGE
    resources: Resources = Resources()
    scratch_size_limit: str = "10Gi"
    run_as_user: Annotated[int, Field(ge=10000)] = 10001
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] = "Forbid"
    starting_deadline_seconds: Annotated[int, Field(ge=0)] | None = 600
    active_deadline_seconds: Annotated[int, Field(ge=1)] | None = 3600
    backoff_limit: Annotated[int, Field(ge=0)] = 2
    successful_jobs_history_limit: Annotated[int, Field(ge=0)] = 3
    failed_jobs_history_limit: Annotated[int, Field(ge=0)] = 3
    restart_policy: Literal["OnFailure", "Never"] = "OnFailure"
    container_name: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    network_policy: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 52:
            raise ValueError(f"{value!r} is {len(value)} characters; a CronJob name has at most 52")
        return dns_label(value)

    @field_validator("password_secret", "container_name")
    @classmethod
    def _label(cls, value: str | None) -> str | None:
        return dns_label(value) if value is not None else None

    @field_validator("host", "database", "user")
    @classmethod
    def _word(cls, value: str) -> str:
        if not re.match(r"^[A-Za-z0-9_.\-]+$", value):
            raise ValueError(f"{value!r} has characters other than letters, digits, '_', '.' and '-'; "
                             "use the plain host, database or role name")
        return value

    @field_validator("file_prefix")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^[A-Za-z0-9_.\-]+$", value):
            raise ValueError(f"{value!r} has characters other than letters, digits, '_', '.' and '-'; "
                             "use a plain file name prefix such as 'shop_backup'")
        return value

    @field_validator("dump_image", "upload_image")
    @classmethod
    def _image(cls, value: str) -> str:
        try:
            ref = parse_image(value)
        except ValueError as exc:
            raise ValueError(f"{exc}; pin the image by a version tag or digest") from None
        if ref.tag == "latest":
            raise ValueError(f"{value!r} uses the mutable tag 'latest'; pin a version")
        return value

    @model_validator(mode="after")
    def _container(self) -> PostgresBackupProps:
        if self.container_name == "pg-dump":
            raise ValueError("container_name: 'pg-dump' is the init container's name; choose another name")
        return self


class PostgresBackupCronJob(LazyConstruct):
    """A CronJob that dumps a PostgreSQL database and uploads the dump to object storage.

    Args:
        scope: a construct in a :class:`~cdk8s_gitops.core.chart.GitOpsChart`.
        id: construct id, unique in the scope.
        props: what to back up, when, and where to.

    Attributes set after construction: ``service_account``, ``cron_job`` and
    ``network_policy`` (the :class:`TypedResource` created, or None).
    """

    def __init__(self, scope: constructs.Construct, id: str, props: PostgresBackupProps) -> None:
        super().__init__(scope, id)
        self._gitops_chart = chart_of(scope)
        self.props = props
        chart = self._gitops_chart
        app = getattr(chart, "app_name", None)
        self.selector = {NAME: props.name, **({PART_OF: app} if app else {})}
        self.service_account = TypedResource(self, ServiceAccount(
            metadata=self._meta(), automount_service_account_token=False))
        by_tag = any("@sha256:" not in image for image in (props.dump_image, props.upload_image))
        cron_meta = self._meta(annotations={
            "checkov.io/skip1": "CKV_K8S_43=the backup images are pinned by version tags "
                                "(pass image@sha256:... to pin them by digest)"} if by_tag else None)
        self.cron_job = TypedResource(self, CronJob(metadata=cron_meta, spec=self._spec()))
        self.network_policy = TypedResource(self, NetworkPolicy(
            metadata=self._meta(), spec=self._egress())) if props.network_policy else None

    # -- helpers ---------------------------------------------------------------------
    def _labels(self) -> dict[str, str]:
        return {**self.props.labels, **self.selector, COMPONENT: "backup"}

    def _meta(self, annotations: dict[str, str] | None = None) -> ObjectMeta:
        return ObjectMeta(name=self.props.name, namespace=self.props.namespace, labels=self._labels(),
                          annotations=annotations)

    def _security(self) -> SecurityContext:
        return restricted_container_security(self.props.run_as_user)

    def dump_script(self) -> str:
        """The shell script of the ``pg-dump`` init container."""
        p = self.props
        prefix = p.file_prefix or f"{p.database}_backup"
        password = f"{SECRETS_DIR}/database/{p.password_key}"
        return "\n".join([
            "set -eu",
            'TIMESTAMP="$(date -u +%Y%m%d_%H%M%S)"',
            f'PGPASSWORD="$(cat {shlex.quote(password)})"',
            "export PGPASSWORD",
            f"pg_dump -h {p.host} -p {p.port} -U {p.user} -d {p.database} --no-password "
            f'-f "{SCRATCH}/{prefix}_${{TIMESTAMP}}.sql"',
            "",
        ])

    def upload_script(self) -> str:
        """The shell script of the upload container."""
        return "\n".join([
            "set -eu",
            f"aws s3 cp {SCRATCH}/ {shlex.quote(self.props.destination.url)} --recursive --no-progress",
            "",
        ])

    def _spec(self) -> CronJobSpec:
        p, dest = self.props, self.props.destination
        writable = [VolumeMount(name="backup-storage", mount_path=SCRATCH), VolumeMount(name="tmp", mount_path="/tmp")]
        dump = Container(
            name="pg-dump",
            image=p.dump_image,
            image_pull_policy="Always",
            command=["/bin/sh", "-c", self.dump_script()],
            env=[EnvVar(name="HOME", value="/tmp")],
            resources=p.resources.requirements(),
            security_context=self._security(),
            volume_mounts=[*writable, VolumeMount(name="database-credentials", mount_path=f"{SECRETS_DIR}/database",
                                                  read_only=True)],
        )
        env = [EnvVar(name="HOME", value="/tmp")]
        if dest.endpoint_url:
            env.append(EnvVar(name="AWS_ENDPOINT_URL", value=dest.endpoint_url))
        if dest.region:
            env.append(EnvVar(name="AWS_DEFAULT_REGION", value=dest.region))
        mounts = list(writable)
        volumes = [
            Volume(name="backup-storage", empty_dir=EmptyDirVolumeSource(size_limit=p.scratch_size_limit)),
            Volume(name="tmp", empty_dir=EmptyDirVolumeSource(size_limit="256Mi")),
            Volume(name="database-credentials", secret=SecretVolumeSource(
                secret_name=p.password_secret, default_mode=0o440,
                items=[KeyToPath(key=p.password_key, path=p.password_key)])),
        ]
        if dest.credentials_secret:
            env.append(EnvVar(name="AWS_SHARED_CREDENTIALS_FILE",
                              value=f"{SECRETS_DIR}/object-storage/{dest.credentials_key}"))
            mounts.append(VolumeMount(name="object-storage-credentials", mount_path=f"{SECRETS_DIR}/object-storage",
                                      read_only=True))
            volumes.append(Volume(name="object-storage-credentials", secret=SecretVolumeSource(
                secret_name=dest.credentials_secret, default_mode=0o440,
                items=[KeyToPath(key=dest.credentials_key, path=dest.credentials_key)])))
        upload = Container(
            name=p.container_name or p.name,
            image=p.upload_image,
            image_pull_policy="Always",
            command=["/bin/sh", "-c", self.upload_script()],
            env=env,
            resources=p.resources.requirements(),
            security_context=self._security(),
            volume_mounts=mounts,
        )
        pod = PodTemplateSpec(
            metadata=ObjectMeta(labels=self._labels()),
            spec=PodSpec(
                service_account_name=p.name,
                automount_service_account_token=False,
                restart_policy=p.restart_policy,
                security_context=restricted_pod_security(p.run_as_user),
                init_containers=[dump],
                containers=[upload],
                volumes=volumes,
            ),
        )
        job = JobSpec(backoff_limit=p.backoff_limit, active_deadline_seconds=p.active_deadline_seconds, template=pod)
        return CronJobSpec(
            schedule=p.schedule,
            time_zone=p.time_zone,
            concurrency_policy=p.concurrency_policy,
            starting_deadline_seconds=p.starting_deadline_seconds,
            successful_jobs_history_limit=p.successful_jobs_history_limit,
            failed_jobs_history_limit=p.failed_jobs_history_limit,
            job_template=JobTemplateSpec(metadata=ObjectMeta(labels=dict(self.selector)), spec=job),
        )

    def _egress(self) -> NetworkPolicySpec:
        p = self.props
        ports = sorted({p.port, p.destination.port})
        return NetworkPolicySpec(
            pod_selector=LabelSelector(match_labels={**self.selector, COMPONENT: "backup"}),
            policy_types=["Egress"],
            egress=[
                NetworkPolicyEgressRule(ports=[NetworkPolicyPort(protocol="TCP", port=port) for port in ports]),
                NetworkPolicyEgressRule(ports=[NetworkPolicyPort(protocol="UDP", port=53),
                                               NetworkPolicyPort(protocol="TCP", port=53)]),
            ],
        )
