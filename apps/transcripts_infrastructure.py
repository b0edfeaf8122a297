"""transcripts-infrastructure: the in-cluster registry, MinIO and PostgreSQL of Transcripts v2.

The seed's Argo CD Application ``transcripts-infrastructure`` syncs this app's folder
(``dist/<env>/transcripts-infrastructure``, built by ``apps/transcripts_gitops.py``) into the
namespace ``infrastructure`` (set in ``environments/dev.yaml``; the seed's "local" overlay is
``dev`` here, the only environment the seed wires). It holds:

- ``docker-registry``: the local Docker registry, a Deployment with a PersistentVolumeClaim
  and a Service on port 5000, so images are ``docker-registry.infrastructure.svc.cluster.local:5000/transcripts/<service>``
  inside the cluster; the Service is a ``NodePort`` on 30500, as the seed asks, for pushes from
  the developer's machine (``localhost:30500``). A NodePort fits the security baseline
  (checkov has no check against it, the pod is unchanged); its NetworkPolicy admits every
  source on port 5000 because node-port traffic arrives from outside any namespace.
- ``minio`` (object storage, API 9000, console 9001) and ``postgresql`` (5432): StatefulSets with
  a volume claim template each.
- Credentials made in the cluster by External Secrets ``Password`` generators
  (``minio-credentials``, ``postgresql-credentials``, created once), mounted as files
  (``MINIO_ROOT_*_FILE``, ``POSTGRES_*_FILE``); no Secret with values in ``dist/``.
- A Role and RoleBinding that let the ServiceAccount ``transcripts-infrastructure-reader`` of
  the services namespace ``endpoints`` read exactly those two Secrets, through the
  Kubernetes-provider SecretStore of ``apps/transcripts_services.py``.

Modernised from the seed: the registry runs distribution v3 (``registry:3.0.0``) with its
OpenTelemetry exporter off; servers run as non-root UIDs with read-only root filesystems
(MinIO keeps its certificate folder in ``/tmp``; PostgreSQL keeps ``PGDATA`` in a
sub-folder of its volume). Left out: registry authentication (the seed relies on the
registry being cluster-internal; the NodePort is for a local cluster) and TLS.
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import PolicyRule, Role, RoleBinding, RoleRef, Subject
from cdk8s_gitops.platform.backing_service import (
    BackingPort,
    BackingProbe,
    BackingService,
    BackingServiceProps,
    GeneratedCredentials,
    VolumeSettings,
)
from cdk8s_gitops.platform.props import Resources

REGISTRY_IMAGE = "registry:3.0.0"
MINIO_IMAGE = "quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z"
POSTGRES_IMAGE = "postgres:17.6"

SERVICES_NAMESPACE = "endpoints"
"""Namespace of apps/transcripts_services.py, whose pods use MinIO and PostgreSQL."""
CREDENTIALS_READER = "transcripts-infrastructure-reader"
"""ServiceAccount (in SERVICES_NAMESPACE) the services' SecretStore authenticates as."""
DATABASE = "transcripts"


def registry() -> BackingServiceProps:
    """The local Docker registry: Service port 5000, NodePort 30500, images kept on a volume."""
    return BackingServiceProps(
        name="docker-registry",
        component="registry",
        image=REGISTRY_IMAGE,
        workload="Deployment",
        ports=(BackingPort(name="registry", port=5000, node_port=30500),),
        env={"REGISTRY_STORAGE_DELETE_ENABLED": "true", "OTEL_TRACES_EXPORTER": "none"},
        volume=VolumeSettings(mount_path="/var/lib/registry", size="20Gi"),
        liveness=BackingProbe(http_path="/v2/"),
        resources=Resources(cpu_request="50m", cpu_limit="500m", memory_request="128Mi", memory_limit="512Mi"),
        allow_from_anywhere=True,
    )


def minio() -> BackingServiceProps:
    """MinIO object storage: S3 API on 9000, console on 9001, root credentials generated in the cluster."""
    return BackingServiceProps(
        name="minio",
        component="object-storage",
        image=MINIO_IMAGE,
        ports=(BackingPort(name="api", port=9000), BackingPort(name="console", port=9001)),
        args=("server", "/data", "--console-address", ":9001", "--certs-dir", "/tmp/certs"),
        credentials=GeneratedCredentials(
            generated_keys=("root-password",), fixed={"root-user": "transcripts-admin"},
            file_env={"MINIO_ROOT_USER_FILE": "root-user", "MINIO_ROOT_PASSWORD_FILE": "root-password"}),
        volume=VolumeSettings(mount_path="/data", size="20Gi"),
        liveness=BackingProbe(http_path="/minio/health/live"),
        readiness=BackingProbe(http_path="/minio/health/ready"),
        resources=Resources(cpu_request="100m", cpu_limit="1", memory_request="512Mi", memory_limit="1Gi"),
        allow_from_namespaces=(SERVICES_NAMESPACE,),
    )


def postgresql() -> BackingServiceProps:
    """PostgreSQL 17: database ``transcripts``, its password generated in the cluster."""
    return BackingServiceProps(
        name="postgresql",
        component="database",
        image=POSTGRES_IMAGE,
        ports=(BackingPort(name="postgres", port=5432),),
        env={"PGDATA": "/var/lib/postgresql/data/pgdata"},
        credentials=GeneratedCredentials(
            fixed={"username": DATABASE, "database": DATABASE},
            file_env={"POSTGRES_USER_FILE": "username", "POSTGRES_PASSWORD_FILE": "password", "POSTGRES_DB_FILE": "database"}),
        volume=VolumeSettings(mount_path="/var/lib/postgresql/data", size="10Gi"),
        writable_paths=("/tmp", "/var/run/postgresql"),
        liveness=BackingProbe(command=("pg_isready", "-h", "127.0.0.1", "-p", "5432"), initial_delay_seconds=30),
        readiness=BackingProbe(command=("pg_isready", "-h", "127.0.0.1", "-p", "5432"), initial_delay_seconds=5),
        resources=Resources(cpu_request="250m", cpu_limit="1", memory_request="512Mi", memory_limit="1Gi"),
        allow_from_namespaces=(SERVICES_NAMESPACE,),
    )


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    BackingService(scope, "registry", registry())
    stores = [BackingService(scope, "minio", minio()), BackingService(scope, "postgresql", postgresql())]
    secrets = sorted(s.credentials_secret for s in stores if s.credentials_secret)
    TypedResource(scope, Role(
        metadata=ObjectMeta(name=CREDENTIALS_READER),
        rules=[PolicyRule(api_groups=[""], resources=["secrets"], resource_names=secrets, verbs=["get"])],
    ))
    TypedResource(scope, RoleBinding(
        metadata=ObjectMeta(name=CREDENTIALS_READER),
        role_ref=RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=CREDENTIALS_READER),
        subjects=[Subject(kind="ServiceAccount", name=CREDENTIALS_READER, namespace=SERVICES_NAMESPACE)],
    ))
