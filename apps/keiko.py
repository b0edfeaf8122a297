"""keiko: the Keiko learning-passport microservices on OVHcloud Managed Kubernetes, with their collector, secrets, policy and backups.

From seed 001 (Keiko, OVHcloud, GitOps and CI/CD design), per environment (dev, staging,
production; replicas, rollout strategy, image tags and sync policy in the ``apps.keiko``
block of ``environments/<env>.yaml``):

- the six Rust microservices ``identity-service``, ``learning-service``, ``reputation-service``,
  ``passport-service``, ``governance-service``, ``marketplace-service`` and the ``api-gateway``
  (the only one routed from the environment's Gateway), images
  ``registry.gra.cloud.ovh.net/keikolatam/<service>:<git sha>``; each a ``Microservice``
  (workload, Service, ServiceAccount, NetworkPolicy, PDB when replicated) labelled
  ``app.kubernetes.io/part-of: keiko`` and sending OTLP to the collector;
- the OpenTelemetry collector: ConfigMap ``otel-collector-config`` (``config.yaml``) with the
  seed's receivers (``otlp`` gRPC 4317 / HTTP 4318, ``prometheus`` job ``kubernetes-pods`` with
  pod discovery), processors (``batch`` 1s / 1024, ``memory_limiter`` 512 MiB) and the three
  pipelines traces / metrics / logs exactly as the seed wires them, plus Deployment and Service
  ``otel-collector`` (one replica: every replica would scrape every pod), its ServiceAccount and
  the ClusterRole ``keiko-otel-collector`` pod discovery needs;
- External Secrets from Vault with Kubernetes auth: SecretStore ``ovh-secret-store``
  (``https://vault.ovh.net``, path ``secret``, KV ``v2``, mount ``kubernetes``, role ``keiko-role``)
  and ExternalSecret ``database-credentials`` (every ``1h`` into Secret ``database-secret``,
  ``username`` and ``password`` from key ``database``);
- the NetworkPolicy ``microservices-network-policy`` of the seed: Keiko pods accept traffic from
  Keiko pods and from the namespace labelled ``name: ingress-nginx``, and may reach Keiko pods,
  TCP 5432 (PostgreSQL), TCP 6379 (Redis) and DNS (TCP and UDP 53);
- CronJob ``postgres-backup`` every 6 hours (``0 */6 * * *``): ``pg_dump`` of ``keiko_db`` on
  ``postgres-service`` as ``postgres`` into ``keiko_backup_<timestamp>.sql``, uploaded to
  ``s3://keikolatam-backups/postgres/`` (``PostgresBackupCronJob``).

Modernised: ``external-secrets.io/v1beta1`` -> ``v1`` (ESO 0.17+ no longer serves v1beta1); the
collector's ``jaeger`` exporter (removed from the collector in v0.85.0) -> an ``otlp`` exporter
to ``jaeger-collector:4317`` (Jaeger ingests OTLP natively; TLS still off as in the seed); the
elasticsearch exporter's deprecated ``index`` -> ``logs_index: otel-logs``; ``memory_limiter``
gains the ``check_interval`` (1s) it requires; a ``health_check`` extension (port 13133) gives
the collector probes. The seed's backup ran ``aws`` inside ``postgres:14``, which has no AWS CLI:
the dump now runs in an init container from ``postgres:14.17`` and the upload in the
``postgres-backup`` container from ``amazon/aws-cli`` (two official images sharing the
``backup-storage`` emptyDir at ``/backup``), both as non-root with a read-only root filesystem;
the password is read from the mounted ``database-secret`` file instead of a ``PGPASSWORD``
variable from the Secret, and the OVHcloud Object Storage keys come from an ExternalSecret
``object-storage-credentials`` (Vault key ``object-storage``) rendered as an AWS credentials file.
The seed's ``to: []`` egress rule is written without ``to`` (the same meaning: any destination
on those ports). ``:latest`` tags are refused: only commit SHAs are deployed. Kustomize overlays
and ``kustomize edit set image`` give way to ``environments/<env>.yaml`` and ``cdk8s-gitops set-image``.

Extra NetworkPolicies let the pieces the seed's policy would cut off keep working: the
collector may reach the Kubernetes API, its exporters and every pod it scrapes, and Prometheus
(namespace ``monitoring``) may scrape its port 8889; the backup may reach object storage on 443.

Left out: the Terraform clusters and node pools, the GitHub Actions workflow, and the
Prometheus, Grafana, Jaeger and ELK back ends themselves (the collector exports to them by the
seed's Service names); Istio (the seed's blue-green needs no mesh: production uses an Argo
Rollouts blue-green with manual promotion). The app-of-apps ``keiko-apps`` is the app
``keiko-apps`` (``apps/keiko_apps.py``).
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from constructs import Construct
from pydantic import BaseModel

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.core.errors import ManifestError, Problem
from cdk8s_gitops.core.labels import COMPONENT, NAME, PART_OF
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import (
    ClusterRole,
    ClusterRoleBinding,
    ConfigMap,
    Deployment,
    LabelSelector,
    NetworkPolicy,
    NetworkPolicyEgressRule,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    PolicyRule,
    RoleRef,
    ServiceAccount,
    Subject,
)
from cdk8s_gitops.models.external_secrets_io_v1 import (
    ExternalSecretSpecData,
    ExternalSecretSpecDataRemoteRef,
    ExternalSecretSpecDataSourceRefStoreRef,
    ExternalSecretSpecTarget,
    ExternalSecretSpecTargetTemplate,
)
from cdk8s_gitops.observability import CollectorConfig, plain_collector_manifests
from cdk8s_gitops.platform import Microservice, MicroserviceProps, RouteSettings
from cdk8s_gitops.platform.backup import ObjectStorageTarget, PostgresBackupCronJob, PostgresBackupProps
from cdk8s_gitops.secrets import (
    ClusterSecretStore,
    ExternalSecret,
    ExternalSecretSpec,
    SecretStore,
    SecretStoreProvider,
    SecretStoreSpec,
    VaultAuth,
    VaultKubernetesAuth,
    VaultProvider,
)

REGISTRY = "registry.gra.cloud.ovh.net/keikolatam"
SERVICES = ("identity-service", "learning-service", "reputation-service", "passport-service",
            "governance-service", "marketplace-service")
GATEWAY_SERVICE = "api-gateway"
SERVICE_PORT = 8080

VAULT_SERVER = "https://vault.ovh.net"
VAULT_PATH = "secret"
VAULT_ROLE = "keiko-role"

COLLECTOR = "otel-collector"
COLLECTOR_CONFIG = "otel-collector-config"
COLLECTOR_UID = 10001
PROMETHEUS_NAMESPACE = "monitoring"

BACKUP_BUCKET = "s3://keikolatam-backups/postgres/"
OBJECT_STORAGE_ENDPOINT = "https://s3.gra.io.cloud.ovh.net"
OBJECT_STORAGE_REGION = "gra"


def collector_config() -> CollectorConfig:
    """The seed's collector configuration, brought up to date (see the module docstring)."""
    processors = ["memory_limiter", "batch"]
    return CollectorConfig.from_dict({
        "receivers": {
            "otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}},
            "prometheus": {"config": {"scrape_configs": [
                {"job_name": "kubernetes-pods", "kubernetes_sd_configs": [{"role": "pod"}]}]}},
        },
        "processors": {
            "batch": {"timeout": "1s", "send_batch_size": 1024},
            "memory_limiter": {"check_interval": "1s", "limit_mib": 512},
        },
        "exporters": {
            "otlp/jaeger": {"endpoint": "jaeger-collector:4317", "tls": {"insecure": True}},
            "prometheus": {"endpoint": "0.0.0.0:8889"},
            "elasticsearch": {"endpoints": ["http://elasticsearch:9200"], "logs_index": "otel-logs"},
        },
        "extensions": {"health_check": {"endpoint": "0.0.0.0:13133"}},
        "service": {
            "extensions": ["health_check"],
            "pipelines": {
                "traces": {"receivers": ["otlp"], "processors": processors, "exporters": ["otlp/jaeger"]},
                "metrics": {"receivers": ["otlp", "prometheus"], "processors": processors, "exporters": ["prometheus"]},
                "logs": {"receivers": ["otlp"], "processors": processors, "exporters": ["elasticsearch"]},
            },
        },
    })


StoreRef = tuple[Literal["ClusterSecretStore", "SecretStore"], str, str]
"""The secret store the ExternalSecrets read from: (kind, name, refresh interval)."""
M = TypeVar("M", bound=BaseModel)


def _secret_store(scope: Construct, env: ResolvedAppSettings) -> StoreRef:
    """The Vault store (unless the environment says it is managed elsewhere); returns (kind, name, refresh)."""
    store = env.secret_store
    if store is None:
        raise ManifestError(Problem("app 'keiko'", "secret_store", f"environment {env.environment!r} gives keiko no secret_store",
                                    f"add apps.keiko.secret_store (kind SecretStore, name ovh-secret-store) to "
                                    f"environments/{env.environment}.yaml"))
    if not store.external:
        model = SecretStore if store.kind == "SecretStore" else ClusterSecretStore
        TypedResource(scope, model(metadata=ObjectMeta(name=store.name), spec=SecretStoreSpec(
            provider=SecretStoreProvider(vault=VaultProvider(
                server=VAULT_SERVER, path=VAULT_PATH, version="v2",
                auth=VaultAuth(kubernetes=VaultKubernetesAuth(mount_path="kubernetes", role=VAULT_ROLE))))),
        ), sync_wave=-2)
    return store.kind, store.name, store.refresh_interval


def _external_secrets(scope: Construct, store: StoreRef) -> None:
    kind, name, refresh = store
    ref = ExternalSecretSpecDataSourceRefStoreRef(name=name, kind=kind)
    TypedResource(scope, ExternalSecret(metadata=ObjectMeta(name="database-credentials"), spec=ExternalSecretSpec(
        refresh_interval=refresh, secret_store_ref=ref,
        target=ExternalSecretSpecTarget(name="database-secret", creation_policy="Owner"),
        data=[ExternalSecretSpecData(secret_key=key, remote_ref=ExternalSecretSpecDataRemoteRef(key="database", property=key))
              for key in ("username", "password")],
    )), sync_wave=-1)
    credentials = "[default]\naws_access_key_id = {{ .access_key_id }}\naws_secret_access_key = {{ .secret_access_key }}\n"
    TypedResource(scope, ExternalSecret(metadata=ObjectMeta(name="object-storage-credentials"), spec=ExternalSecretSpec(
        refresh_interval=refresh, secret_store_ref=ref,
        target=ExternalSecretSpecTarget(name="object-storage-credentials", creation_policy="Owner",
                                        template=ExternalSecretSpecTargetTemplate(engine_version="v2",
                                                                                  data={"credentials": credentials})),
        data=[ExternalSecretSpecData(secret_key=key,
                                     remote_ref=ExternalSecretSpecDataRemoteRef(key="object-storage", property=key))
              for key in ("access_key_id", "secret_access_key")],
    )), sync_wave=-1)


def _microservices(scope: Construct, env: ResolvedAppSettings) -> None:
    for service in (*SERVICES, GATEWAY_SERVICE):
        Microservice(scope, service, MicroserviceProps(
            name=service,
            image=f"{REGISTRY}/{service}",
            port=SERVICE_PORT,
            component="api-gateway" if service == GATEWAY_SERVICE else "microservice",
            env={"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://{COLLECTOR}:4317", "OTEL_SERVICE_NAME": service,
                 "OTEL_RESOURCE_ATTRIBUTES": f"deployment.environment={env.environment}"},
            route=RouteSettings() if service == GATEWAY_SERVICE else None,
        ))


def _network_policy(scope: Construct, app: str) -> None:
    keiko = NetworkPolicyPeer(pod_selector=LabelSelector(match_labels={PART_OF: app}))
    TypedResource(scope, NetworkPolicy(metadata=ObjectMeta(name="microservices-network-policy"), spec=NetworkPolicySpec(
        pod_selector=LabelSelector(match_labels={PART_OF: app}),
        policy_types=["Ingress", "Egress"],
        ingress=[NetworkPolicyIngressRule(from_=[
            keiko, NetworkPolicyPeer(namespace_selector=LabelSelector(match_labels={"name": "ingress-nginx"}))])],
        egress=[
            NetworkPolicyEgressRule(to=[keiko]),
            NetworkPolicyEgressRule(ports=[NetworkPolicyPort(protocol="TCP", port=5432),
                                           NetworkPolicyPort(protocol="TCP", port=6379),
                                           NetworkPolicyPort(protocol="TCP", port=53),
                                           NetworkPolicyPort(protocol="UDP", port=53)]),
        ],
    )))


def _collector(scope: Construct, env: ResolvedAppSettings) -> None:
    labels = {PART_OF: env.app, COMPONENT: "opentelemetry-collector"}
    config_map, deployment, service = plain_collector_manifests(
        collector_config(), name=COLLECTOR, replicas=1, labels={PART_OF: env.app},
        service_account_name=COLLECTOR,
        resources={"requests": {"cpu": "200m", "memory": "512Mi"}, "limits": {"cpu": "1", "memory": "768Mi"}},
    )
    assert isinstance(config_map, ConfigMap) and isinstance(deployment, Deployment)
    # The seed names the ConfigMap otel-collector-config; the Deployment and Service keep otel-collector.
    TypedResource(scope, _evolve(config_map, metadata=_evolve(config_map.metadata, name=COLLECTOR_CONFIG)))
    TypedResource(scope, _harden_collector(deployment))
    TypedResource(scope, service)
    TypedResource(scope, ServiceAccount(metadata=ObjectMeta(name=COLLECTOR, labels=labels)))
    # kubernetes_sd_configs role pod without namespaces lists pods cluster-wide.
    cluster_name = f"{env.app}-{COLLECTOR}"
    TypedResource(scope, ClusterRole(metadata=ObjectMeta(name=cluster_name, labels=labels), rules=[
        PolicyRule(api_groups=[""], resources=["pods"], verbs=["get", "list", "watch"])]))
    TypedResource(scope, ClusterRoleBinding(
        metadata=ObjectMeta(name=cluster_name, labels=labels),
        role_ref=RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=cluster_name),
        subjects=[Subject(kind="ServiceAccount", name=COLLECTOR, namespace=env.namespace)]))
    selector = {NAME: COLLECTOR, COMPONENT: "opentelemetry-collector"}
    prometheus = LabelSelector(match_labels={"kubernetes.io/metadata.name": PROMETHEUS_NAMESPACE})
    TypedResource(scope, NetworkPolicy(metadata=ObjectMeta(name=COLLECTOR, labels=labels), spec=NetworkPolicySpec(
        pod_selector=LabelSelector(match_labels=selector),
        policy_types=["Ingress", "Egress"],
        ingress=[NetworkPolicyIngressRule(from_=[NetworkPolicyPeer(namespace_selector=prometheus)],
                                          ports=[NetworkPolicyPort(protocol="TCP", port=8889)])],
        egress=[
            # scraping (kubernetes-pods) and the exporters' back ends (jaeger-collector, elasticsearch)
            NetworkPolicyEgressRule(to=[NetworkPolicyPeer(namespace_selector=LabelSelector())]),
            # the Kubernetes API for pod discovery
            NetworkPolicyEgressRule(ports=[NetworkPolicyPort(protocol="TCP", port=443),
                                           NetworkPolicyPort(protocol="TCP", port=6443)]),
        ],
    )))


def _evolve(model: M, **changes: Any) -> M:
    """A copy of ``model`` with ``changes`` (field names) on top of the fields it sets, validated again."""
    fields = {name: getattr(model, name) for name in model.model_fields_set}
    return type(model)(**{**fields, **changes})


def _harden_collector(deployment: Deployment) -> Deployment:
    """The plain collector Deployment, brought to the restricted baseline the checks ask for."""
    spec = deployment.spec
    pod = spec.template.spec if spec else None
    assert spec and pod and pod.volumes and pod.security_context, "plain collector layout"
    volume, container = pod.volumes[0], pod.containers[0]
    assert volume.config_map and container.security_context, "plain collector layout"
    hardened_pod = _evolve(
        pod,
        automount_service_account_token=True,
        volumes=[_evolve(volume, config_map=_evolve(volume.config_map, name=COLLECTOR_CONFIG)), *pod.volumes[1:]],
        security_context=_evolve(pod.security_context, run_as_user=COLLECTOR_UID, run_as_group=COLLECTOR_UID,
                                 fs_group=COLLECTOR_UID),
        containers=[_evolve(container, image_pull_policy="Always",
                            security_context=_evolve(container.security_context, run_as_user=COLLECTOR_UID,
                                                     run_as_group=COLLECTOR_UID, privileged=False)),
                    *pod.containers[1:]],
    )
    annotations = {
        "checkov.io/skip1": "CKV_K8S_43=the collector image is pinned by an immutable version tag",
        "checkov.io/skip2": "CKV_K8S_38=the prometheus receiver discovers pods through the Kubernetes API, which needs the token",
    }
    return _evolve(deployment, metadata=_evolve(deployment.metadata, annotations=annotations),
                   spec=_evolve(spec, template=_evolve(spec.template, spec=hardened_pod)))


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    store = _secret_store(scope, env)
    _external_secrets(scope, store)
    _microservices(scope, env)
    _network_policy(scope, env.app)
    _collector(scope, env)
    PostgresBackupCronJob(scope, "postgres-backup", PostgresBackupProps(
        name="postgres-backup",
        schedule="0 */6 * * *",
        host="postgres-service",
        database="keiko_db",
        user="postgres",
        password_secret="database-secret",
        file_prefix="keiko_backup",
        destination=ObjectStorageTarget(url=BACKUP_BUCKET, endpoint_url=OBJECT_STORAGE_ENDPOINT,
                                        region=OBJECT_STORAGE_REGION, credentials_secret="object-storage-credentials"),
    ))
