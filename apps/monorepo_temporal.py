"""monorepo-temporal: Temporal on the monorepo platform's CloudNativePG database, with its UI and routes.

Seed 004 ("ArgoCD GitOps Setup"): ``argocd/services/temporal``, the one component with
separate dev and prod configurations, so this app runs in dev and production (seed "prod"),
in the seed's namespace ``services`` in both. In dev the ``services`` ApplicationSet (app
``monorepo-appsets``) syncs it as Application ``monorepo-temporal``; in production the
environment's generated Application does (manual sync, like every production app).

- Deployment ``temporal`` (container ``temporal``): the Temporal server on PostgreSQL:
  ``DB=postgres12``, ``POSTGRES_SEEDS=cnpg-cluster-rw`` (the CloudNativePG Cluster
  ``cnpg-cluster`` of app ``monorepo-services``), ``DB_PORT=5432``, ``POSTGRES_USER`` and
  ``POSTGRES_PWD`` from the Secret ``cnpg-cluster-admin`` (keys ``username``, ``password``).
  Its Service ``temporal`` serves gRPC on 7233.
- ``temporal-ui`` (a Microservice): the web UI on port 8080, talking to ``temporal:7233``.
- HTTPRoute ``temporal-ui`` at ``temporal.<domain>`` -> ``temporal-ui:8080`` and GRPCRoute
  ``temporal-server`` at ``temporal-server.<domain>`` -> ``temporal:7233``, both on the
  environment's gateway: in dev the Cilium gateway ``cilium-gateway`` (namespace ``gateway``,
  GatewayClass ``cilium``) with domain ``127.0.0.1.nip.io`` (this app's override in
  ``environments/dev.yaml``); in production the production gateway and domain.

Per environment (``environments/<env>.yaml``, ``apps.monorepo-temporal``): image tags, replicas,
the rollout (Recreate in dev, RollingUpdate in production; the server cannot run a canary, so
``canary`` and ``blue_green`` are refused with the fix), the gateway and the sync policy.

Modernised: the seed runs ``temporalio/auto-setup:1.26.2``, which Temporal deprecated (it is
meant for local trials). Its three jobs are split as Temporal's own Helm chart does:
``temporalio/server:1.26.2`` runs the server; the schema setup (create the ``temporal`` and
``temporal_visibility`` databases, ``setup-schema`` and ``update-schema`` with
``temporal-sql-tool``) is the Job ``temporal-schema`` from ``temporalio/admin-tools:1.26.2``, an
Argo CD ``Sync`` hook in wave -1, so it finishes before the server starts and runs once per sync
rather than in every replica; the ``default`` namespace is registered by the ``PostSync`` hook
Job ``temporal-default-namespace``. The server's root filesystem is read-only: an init container
copies the image's configuration folder into an ``emptyDir``, where the image renders its
configuration at start.

checkov skips (with reasons, on the objects): ``CKV_K8S_35`` on ``temporal`` and the schema Job
(the server's configuration template and ``temporal-sql-tool`` read the database credentials only
from environment variables) and ``CKV_K8S_43`` (images pinned by version tags that the
environment's ``image_policy`` checks).
"""

from __future__ import annotations

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.gateway import GRPCBackendRef, GRPCRoute, GRPCRouteRule, GRPCRouteSpec, ParentReference
from cdk8s_gitops.kube import (
    Capabilities,
    Container,
    ContainerPort,
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    EmptyDirVolumeSource,
    EnvVar,
    EnvVarSource,
    GRPCAction,
    Job,
    JobSpec,
    LabelSelector,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    ObjectFieldSelector,
    PodDisruptionBudget,
    PodDisruptionBudgetSpec,
    PodSecurityContext,
    PodSpec,
    PodTemplateSpec,
    Probe,
    ResourceRequirements,
    RollingUpdateDeployment,
    SeccompProfile,
    SecretKeySelector,
    SecurityContext,
    Service,
    ServiceAccount,
    ServicePort,
    ServiceSpec,
    TCPSocketAction,
    Volume,
    VolumeMount,
)
from cdk8s_gitops.platform import Microservice, MicroserviceProps, RouteSettings

NAME = "temporal"
DATABASE_HOST = "cnpg-cluster-rw"
DATABASE_PORT = 5432
DATABASE_SECRET = "cnpg-cluster-admin"
RPC_PORT = 7233
MEMBERSHIP_PORTS = {"membership-fe": 6933, "membership-hi": 6934, "membership-ma": 6935, "membership-wo": 6939}
SCHEMA_DIR = "/etc/temporal/schema/postgresql/v12"
UID = 10001

SELECTOR = {"app.kubernetes.io/name": NAME}
SETUP_LABELS = {"app.kubernetes.io/component": "setup"}
SECRET_ENV_SKIP = ("CKV_K8S_35=the Temporal server's configuration template and temporal-sql-tool read the "
                   "database credentials only from environment variables")
TAG_SKIP = "CKV_K8S_43=images are pinned by version tags that the environment's image_policy checks"

SCHEMA_SCRIPT = f"""set -eu
for db in temporal temporal_visibility; do
  SQL_DATABASE="$db" temporal-sql-tool create-database || echo "database $db exists"
done
SQL_DATABASE=temporal temporal-sql-tool setup-schema -v 0.0
SQL_DATABASE=temporal temporal-sql-tool update-schema -d {SCHEMA_DIR}/temporal/versioned
SQL_DATABASE=temporal_visibility temporal-sql-tool setup-schema -v 0.0
SQL_DATABASE=temporal_visibility temporal-sql-tool update-schema -d {SCHEMA_DIR}/visibility/versioned
"""

NAMESPACE_SCRIPT = """set -eu
until temporal operator cluster health; do sleep 5; done
temporal operator namespace describe --namespace default \\
  || temporal operator namespace create --namespace default --retention 72h
"""


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    if env.gateway is None:
        raise ValueError(f"app {env.app!r} needs a gateway in environments/{env.environment}.yaml "
                         f"(apps.{env.app}.gateway): the UI and the gRPC endpoint are routed through it")
    labels = {**SELECTOR, "app.kubernetes.io/component": "server"}
    TypedResource(scope, ServiceAccount(metadata=ObjectMeta(name=NAME, labels=labels),
                                        automount_service_account_token=False), sync_wave=-2)
    TypedResource(scope, _schema_job(env), sync_wave=-1)
    TypedResource(scope, _server(env, labels))
    TypedResource(scope, Service(metadata=ObjectMeta(name=NAME, labels=labels), spec=ServiceSpec(
        type="ClusterIP", selector=dict(SELECTOR),
        ports=[ServicePort(name="grpc", port=RPC_PORT, target_port="rpc", protocol="TCP",
                           app_protocol="kubernetes.io/h2c")])))
    TypedResource(scope, _network_policy(env, labels))
    # The setup Jobs serve nothing: no ingress at all.
    TypedResource(scope, NetworkPolicy(metadata=ObjectMeta(name="temporal-setup", labels=labels), spec=NetworkPolicySpec(
        pod_selector=LabelSelector(match_labels=dict(SETUP_LABELS)), policy_types=["Ingress"])))
    if env.replicas >= 2:
        TypedResource(scope, PodDisruptionBudget(metadata=ObjectMeta(name=NAME, labels=labels), spec=PodDisruptionBudgetSpec(
            max_unavailable=1, selector=LabelSelector(match_labels=dict(SELECTOR)))))
    TypedResource(scope, _namespace_job(env))
    TypedResource(scope, GRPCRoute(metadata=ObjectMeta(name="temporal-server", labels=labels), spec=GRPCRouteSpec(
        parent_refs=[_parent(env)], hostnames=[f"temporal-server.{env.gateway.domain}"],
        rules=[GRPCRouteRule(backend_refs=[GRPCBackendRef(name=NAME, port=RPC_PORT)])])))
    Microservice(scope, "temporal-ui", MicroserviceProps(
        name="temporal-ui",
        image="temporalio/ui",
        port=8080,
        service_port=8080,
        env={"TEMPORAL_ADDRESS": f"{NAME}:{RPC_PORT}", "TEMPORAL_UI_PORT": "8080"},
        health_path="/",
        route=RouteSettings(hostnames=(f"temporal.{env.gateway.domain}",)),
        writable_paths=("/tmp", "/home/ui-server/config"),
        component="ui",
    ))


# -- pieces ------------------------------------------------------------------------------
def _parent(env: ResolvedAppSettings) -> ParentReference:
    assert env.gateway is not None
    # Only the fields the environment sets: an unset field stays out of the manifest.
    given = {"namespace": env.gateway.namespace, "section_name": env.gateway.section_name}
    return ParentReference(name=env.gateway.name).model_copy(update={key: value for key, value in given.items() if value})


def _image(env: ResolvedAppSettings, repository: str, service: str) -> str:
    return f"{repository}:{env.image_tag(service)}"


def _secret_env(name: str, key: str) -> EnvVar:
    return EnvVar(name=name, value_from=EnvVarSource(secret_key_ref=SecretKeySelector(name=DATABASE_SECRET, key=key)))


def _security() -> SecurityContext:
    return SecurityContext(allow_privilege_escalation=False, privileged=False, read_only_root_filesystem=True,
                           run_as_non_root=True, run_as_user=UID, run_as_group=UID,
                           capabilities=Capabilities(drop=["ALL"]), seccomp_profile=SeccompProfile(type="RuntimeDefault"))


def _resources(limits: tuple[str, str], requests: tuple[str, str]) -> ResourceRequirements:
    """CPU and memory limits and requests, each as (cpu, memory)."""
    return ResourceRequirements(limits={"cpu": limits[0], "memory": limits[1]},
                                requests={"cpu": requests[0], "memory": requests[1]})


def _empty_dirs(*names: str) -> list[Volume]:
    return [Volume(name=name, empty_dir=EmptyDirVolumeSource()) for name in names]


def _pod_spec(containers: list[Container], volumes: list[Volume], *, init_containers: list[Container] | None = None,
              restart_policy: str | None = None) -> PodSpec:
    spec = PodSpec(service_account_name=NAME, automount_service_account_token=False,
                   security_context=PodSecurityContext(run_as_non_root=True, run_as_user=UID, run_as_group=UID,
                                                       fs_group=UID, seccomp_profile=SeccompProfile(type="RuntimeDefault")),
                   containers=containers, volumes=volumes)
    # Only the fields given: an unset field stays out of the manifest.
    given = {"init_containers": init_containers, "restart_policy": restart_policy}
    return spec.model_copy(update={key: value for key, value in given.items() if value is not None})


def _strategy(env: ResolvedAppSettings) -> DeploymentStrategy:
    strategy = env.rollout.strategy
    if strategy == "recreate":
        return DeploymentStrategy(type="Recreate")
    if strategy == "rolling":
        return DeploymentStrategy(type="RollingUpdate", rolling_update=RollingUpdateDeployment(max_surge=1, max_unavailable=0))
    raise ValueError(f"app {env.app!r}: rollout strategy {strategy!r} is not possible for the Temporal server "
                     f"(a Deployment); set apps.{env.app}.rollout.strategy to recreate or rolling in "
                     f"environments/{env.environment}.yaml")


def _server(env: ResolvedAppSettings, labels: dict[str, str]) -> Deployment:
    """The Temporal server (frontend, history, matching and worker services in one process)."""
    image = _image(env, "temporalio/server", "temporal")
    config_copy = Container(
        name="config", image=image, image_pull_policy="Always",
        command=["sh", "-c", "cp -R /etc/temporal/config/. /config/"],
        resources=_resources(limits=("100m", "64Mi"), requests=("10m", "16Mi")),
        security_context=_security(),
        volume_mounts=[VolumeMount(name="config", mount_path="/config")],
    )
    ports = [ContainerPort(name="rpc", container_port=RPC_PORT, protocol="TCP")]
    ports += [ContainerPort(name=name, container_port=port, protocol="TCP") for name, port in MEMBERSHIP_PORTS.items()]
    server = Container(
        name=NAME, image=image, image_pull_policy="Always",
        ports=ports,
        env=[
            EnvVar(name="DB", value="postgres12"),
            EnvVar(name="DB_PORT", value=str(DATABASE_PORT)),
            EnvVar(name="POSTGRES_SEEDS", value=DATABASE_HOST),
            _secret_env("POSTGRES_USER", "username"),
            _secret_env("POSTGRES_PWD", "password"),
            EnvVar(name="BIND_ON_IP", value="0.0.0.0"),
            EnvVar(name="TEMPORAL_BROADCAST_ADDRESS",
                   value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="status.podIP"))),
        ],
        resources=_resources(limits=("1", "1Gi"), requests=("250m", "512Mi")),
        liveness_probe=Probe(tcp_socket=TCPSocketAction(port="rpc"), initial_delay_seconds=30, period_seconds=10,
                             failure_threshold=6),
        readiness_probe=Probe(grpc=GRPCAction(port=RPC_PORT, service="temporal.api.workflowservice.v1.WorkflowService"),
                              initial_delay_seconds=10, period_seconds=10, failure_threshold=6),
        security_context=_security(),
        volume_mounts=[VolumeMount(name="config", mount_path="/etc/temporal/config"),
                       VolumeMount(name="tmp", mount_path="/tmp")],
    )
    return Deployment(
        metadata=ObjectMeta(name=NAME, labels=labels,
                            annotations={"checkov.io/skip1": SECRET_ENV_SKIP, "checkov.io/skip2": TAG_SKIP}),
        spec=DeploymentSpec(
            replicas=env.replicas, revision_history_limit=5, selector=LabelSelector(match_labels=dict(SELECTOR)),
            strategy=_strategy(env),
            template=PodTemplateSpec(
                metadata=ObjectMeta(labels={**labels, "app.kubernetes.io/version": env.image_tag("temporal")}),
                spec=_pod_spec([server], _empty_dirs("config", "tmp"), init_containers=[config_copy]))),
    )


def _tool(env: ResolvedAppSettings, name: str, script: str, extra_env: list[EnvVar]) -> Container:
    """A container of the admin tools image running ``script``."""
    return Container(
        name=name, image=_image(env, "temporalio/admin-tools", "admin-tools"), image_pull_policy="Always",
        command=["sh", "-c", script],
        env=[EnvVar(name="HOME", value="/tmp"), *extra_env],
        resources=_resources(limits=("500m", "256Mi"), requests=("50m", "64Mi")),
        security_context=_security(),
        volume_mounts=[VolumeMount(name="tmp", mount_path="/tmp")],
    )


def _job(name: str, container: Container, annotations: dict[str, str]) -> Job:
    # Own name label: the pods must not match the server's Service selector.
    labels = {"app.kubernetes.io/name": name, **SETUP_LABELS}
    return Job(
        metadata=ObjectMeta(name=name, labels=labels, annotations=annotations),
        spec=JobSpec(backoff_limit=10, active_deadline_seconds=900,
                     template=PodTemplateSpec(metadata=ObjectMeta(labels=dict(labels)),
                                              spec=_pod_spec([container], _empty_dirs("tmp"), restart_policy="Never"))),
    )


def _schema_job(env: ResolvedAppSettings) -> Job:
    """Create the databases and bring both schemas to the image's version, before the server starts."""
    container = _tool(env, "schema", SCHEMA_SCRIPT, [
        EnvVar(name="SQL_PLUGIN", value="postgres12"),
        EnvVar(name="SQL_HOST", value=DATABASE_HOST),
        EnvVar(name="SQL_PORT", value=str(DATABASE_PORT)),
        _secret_env("SQL_USER", "username"),
        _secret_env("SQL_PASSWORD", "password"),
    ])
    return _job("temporal-schema", container, {
        "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "checkov.io/skip1": SECRET_ENV_SKIP, "checkov.io/skip2": TAG_SKIP})


def _namespace_job(env: ResolvedAppSettings) -> Job:
    """Register the ``default`` Temporal namespace once the server answers."""
    container = _tool(env, "default-namespace", NAMESPACE_SCRIPT,
                      [EnvVar(name="TEMPORAL_ADDRESS", value=f"{NAME}:{RPC_PORT}")])
    return _job("temporal-default-namespace", container, {
        "argocd.argoproj.io/hook": "PostSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "checkov.io/skip1": TAG_SKIP})


def _network_policy(env: ResolvedAppSettings, labels: dict[str, str]) -> NetworkPolicy:
    """gRPC from this namespace (workers, the UI) and the gateway; membership only between servers."""
    assert env.gateway is not None
    peers = [NetworkPolicyPeer(pod_selector=LabelSelector())]
    if env.gateway.namespace:
        peers.append(NetworkPolicyPeer(namespace_selector=LabelSelector(
            match_labels={"kubernetes.io/metadata.name": env.gateway.namespace})))
    return NetworkPolicy(metadata=ObjectMeta(name=NAME, labels=labels), spec=NetworkPolicySpec(
        pod_selector=LabelSelector(match_labels=dict(SELECTOR)), policy_types=["Ingress"],
        ingress=[
            NetworkPolicyIngressRule(from_=peers, ports=[NetworkPolicyPort(protocol="TCP", port=RPC_PORT)]),
            NetworkPolicyIngressRule(
                from_=[NetworkPolicyPeer(pod_selector=LabelSelector(match_labels=dict(SELECTOR)))],
                ports=[NetworkPolicyPort(protocol="TCP", port=port) for port in MEMBERSHIP_PORTS.values()]),
        ]))
