"""transcripts-services: the Transcripts v2 API services, the gateway and the transcription service.

The seed's Argo CD Application ``transcripts-services`` syncs this app's folder
(``dist/<env>/transcripts-services``, built by ``apps/transcripts_gitops.py``) into the
namespace ``endpoints`` (set in ``environments/dev.yaml``; the seed's "local" overlay is
``dev`` here). Two :class:`~cdk8s_gitops.platform.Microservice` objects, with images from the
in-cluster registry (``docker-registry.infrastructure.svc.cluster.local:5000/transcripts/<service>``)
and their tags in ``apps.transcripts-services.images`` of the environment file:

- ``gateway``: the API gateway, exposed on the environment's Gateway (HTTPRoute);
- ``transcription``: internal; it reads PostgreSQL and MinIO of ``transcripts-infrastructure``.

Secrets: the database password and the MinIO keys are generated in the ``infrastructure``
namespace (External Secrets Password generators). A SecretStore ``transcripts-infrastructure``
with the Kubernetes provider reads them from there as the ServiceAccount
``transcripts-infrastructure-reader``, which the infrastructure app's Role allows to get exactly
those two Secrets; the services' ExternalSecrets copy them here, and the pods read them as files.
``environments/dev.yaml`` points this app's ``secret_store`` at that SecretStore.

Image tags: the CI pipeline (``transcripts-ci-pipeline``) tags builds
``<YYYYMMDD>-<HHMMSS>`` (the seed's ``{{workflow.creationTimestamp}}`` holds ':' and is not a
valid tag), so this app's ``image_policy.tag_pattern`` in dev accepts exactly that form; the
seed's mutable ``:latest`` is not used. Ports are not given by the seed: 8080 in the container,
80 on the Services (the Microservice defaults).
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ServiceAccount
from cdk8s_gitops.platform import Microservice, MicroserviceProps, Resources, SecretEnv
from cdk8s_gitops.secrets import (
    CAProvider,
    KubernetesAuth,
    KubernetesProvider,
    KubernetesServer,
    SecretStore,
    SecretStoreProvider,
    SecretStoreSpec,
    ServiceAccountSelector,
)

REGISTRY = "docker-registry.infrastructure.svc.cluster.local:5000"
"""The in-cluster registry of apps/transcripts_infrastructure.py (Service docker-registry, port 5000)."""
INFRASTRUCTURE_NAMESPACE = "infrastructure"
CREDENTIALS_READER = "transcripts-infrastructure-reader"
SECRET_STORE = "transcripts-infrastructure"
SERVICES = ("gateway", "transcription")


def image(service: str) -> str:
    """The image repository of ``service`` in the in-cluster registry (no tag)."""
    return f"{REGISTRY}/transcripts/{service}"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ServiceAccount(metadata=ObjectMeta(name=CREDENTIALS_READER),
                                        automount_service_account_token=False), sync_wave=-2)
    TypedResource(scope, SecretStore(
        metadata=ObjectMeta(name=SECRET_STORE),
        spec=SecretStoreSpec(provider=SecretStoreProvider(kubernetes=KubernetesProvider(
            remote_namespace=INFRASTRUCTURE_NAMESPACE,
            server=KubernetesServer(ca_provider=CAProvider(type="ConfigMap", name="kube-root-ca.crt", key="ca.crt")),
            auth=KubernetesAuth(service_account=ServiceAccountSelector(name=CREDENTIALS_READER)),
        ))),
    ), sync_wave=-2)
    Microservice(scope, "gateway", MicroserviceProps(
        name="gateway",
        image=image("gateway"),
        component="api-gateway",
        env={"TRANSCRIPTION_URL": f"http://transcription.{env.namespace}.svc.cluster.local"},
    ))
    Microservice(scope, "transcription", MicroserviceProps(
        name="transcription",
        image=image("transcription"),
        component="transcription",
        route=None,
        env={
            "DATABASE_HOST": f"postgresql.{INFRASTRUCTURE_NAMESPACE}.svc.cluster.local",
            "DATABASE_PORT": "5432",
            "DATABASE_NAME": "transcripts",
            "DATABASE_USER": "transcripts",
            "S3_ENDPOINT": f"http://minio.{INFRASTRUCTURE_NAMESPACE}.svc.cluster.local:9000",
        },
        secret_env={
            "DATABASE_PASSWORD": SecretEnv(key="postgresql-credentials", property="password"),
            "S3_ACCESS_KEY": SecretEnv(key="minio-credentials", property="root-user"),
            "S3_SECRET_KEY": SecretEnv(key="minio-credentials", property="root-password"),
        },
        resources=Resources(cpu_request="250m", cpu_limit="2", memory_request="512Mi", memory_limit="2Gi"),
    ))
