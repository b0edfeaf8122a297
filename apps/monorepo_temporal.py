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

from typing import Any

from constructs import Construct

from cdk8s_gitops import TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.gateway import GRPCRoute
from cdk8s_gitops.kube import Deployment, Job, NetworkPolicy, PodDisruptionBudget, Service, ServiceAccount
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
    TypedResource(scope, ServiceAccount.build(metadata={"name": NAME, "labels": labels},
                                              automountServiceAccountToken=False), sync_wave=-2)
    TypedResource(scope, _schema_job(env), sync_wave=-1)
    TypedResource(scope, _server(env, labels))
    TypedResource(scope, Service.build(metadata={"name": NAME, "labels": labels}, spec={
        "type": "ClusterIP", "selector": dict(SELECTOR),
        "ports": [{"name": "grpc", "port": RPC_PORT, "targetPort": "rpc", "protocol": "TCP",
                   "appProtocol": "kubernetes.io/h2c"}]}))
    TypedResource(scope, _network_policy(env, labels))
    # The setup Jobs serve nothing: no ingress at all.
    TypedResource(scope, NetworkPolicy.build(metadata={"name": "temporal-setup", "labels": labels}, spec={
        "podSelector": {"matchLabels": dict(SETUP_LABELS)}, "policyTypes": ["Ingress"]}))
    if env.replicas >= 2:
        TypedResource(scope, PodDisruptionBudget.build(metadata={"name": NAME, "labels": labels}, spec={
            "maxUnavailable": 1, "selector": {"matchLabels": dict(SELECTOR)}}))
    TypedResource(scope, _namespace_job(env))
    TypedResource(scope, GRPCRoute.build(metadata={"name": "temporal-server", "labels": labels}, spec={
        "parentRefs": [_parent(env)], "hostnames": [f"temporal-server.{env.gateway.domain}"],
        "rules": [{"backendRefs": [{"name": NAME, "port": RPC_PORT}]}]}))
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
def _parent(env: ResolvedAppSettings) -> dict[str, Any]:
    assert env.gateway is not None
    parent: dict[str, Any] = {"name": env.gateway.name}
    if env.gateway.namespace:
        parent["namespace"] = env.gateway.namespace
    if env.gateway.section_name:
        parent["sectionName"] = env.gateway.section_name
    return parent


def _image(env: ResolvedAppSettings, repository: str, service: str) -> str:
    return env.image_reference(service, repository)


def _secret_env(name: str, key: str) -> dict[str, Any]:
    return {"name": name, "valueFrom": {"secretKeyRef": {"name": DATABASE_SECRET, "key": key}}}


def _security() -> dict[str, Any]:
    return {"allowPrivilegeEscalation": False, "privileged": False, "readOnlyRootFilesystem": True,
            "runAsNonRoot": True, "runAsUser": UID, "runAsGroup": UID,
            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}


def _pod_spec(containers: list[dict[str, Any]], volumes: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"serviceAccountName": NAME, "automountServiceAccountToken": False,
            "securityContext": {"runAsNonRoot": True, "runAsUser": UID, "runAsGroup": UID, "fsGroup": UID,
                                "seccompProfile": {"type": "RuntimeDefault"}},
            "containers": containers, "volumes": volumes, **extra}


def _strategy(env: ResolvedAppSettings) -> dict[str, Any]:
    strategy = env.rollout.strategy
    if strategy == "recreate":
        return {"type": "Recreate"}
    if strategy == "rolling":
        return {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}
    raise ValueError(f"app {env.app!r}: rollout strategy {strategy!r} is not possible for the Temporal server "
                     f"(a Deployment); set apps.{env.app}.rollout.strategy to recreate or rolling in "
                     f"environments/{env.environment}.yaml")


def _server(env: ResolvedAppSettings, labels: dict[str, str]) -> Deployment:
    """The Temporal server (frontend, history, matching and worker services in one process)."""
    image = _image(env, "temporalio/server", "temporal")
    config_copy = {
        "name": "config", "image": image, "imagePullPolicy": "Always",
        "command": ["sh", "-c", "cp -R /etc/temporal/config/. /config/"],
        "resources": {"limits": {"cpu": "100m", "memory": "64Mi"}, "requests": {"cpu": "10m", "memory": "16Mi"}},
        "securityContext": _security(),
        "volumeMounts": [{"name": "config", "mountPath": "/config"}],
    }
    ports = [{"name": "rpc", "containerPort": RPC_PORT, "protocol": "TCP"}]
    ports += [{"name": name, "containerPort": port, "protocol": "TCP"} for name, port in MEMBERSHIP_PORTS.items()]
    server = {
        "name": NAME, "image": image, "imagePullPolicy": "Always",
        "ports": ports,
        "env": [
            {"name": "DB", "value": "postgres12"},
            {"name": "DB_PORT", "value": str(DATABASE_PORT)},
            {"name": "POSTGRES_SEEDS", "value": DATABASE_HOST},
            _secret_env("POSTGRES_USER", "username"),
            _secret_env("POSTGRES_PWD", "password"),
            {"name": "BIND_ON_IP", "value": "0.0.0.0"},
            {"name": "TEMPORAL_BROADCAST_ADDRESS", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
        ],
        "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": "250m", "memory": "512Mi"}},
        "livenessProbe": {"tcpSocket": {"port": "rpc"}, "initialDelaySeconds": 30, "periodSeconds": 10,
                          "failureThreshold": 6},
        "readinessProbe": {"grpc": {"port": RPC_PORT, "service": "temporal.api.workflowservice.v1.WorkflowService"},
                           "initialDelaySeconds": 10, "periodSeconds": 10, "failureThreshold": 6},
        "securityContext": _security(),
        "volumeMounts": [{"name": "config", "mountPath": "/etc/temporal/config"},
                         {"name": "tmp", "mountPath": "/tmp"}],
    }
    return Deployment.build(
        metadata={"name": NAME, "labels": labels,
                  "annotations": {"checkov.io/skip1": SECRET_ENV_SKIP, "checkov.io/skip2": TAG_SKIP}},
        spec={"replicas": env.replicas, "revisionHistoryLimit": 5, "selector": {"matchLabels": dict(SELECTOR)},
              "strategy": _strategy(env),
              "template": {"metadata": {"labels": {**labels, "app.kubernetes.io/version": env.image_version("temporal")}},
                           "spec": _pod_spec([server], [{"name": "config", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}],
                                             initContainers=[config_copy])}},
    )


def _tool(env: ResolvedAppSettings, name: str, script: str, extra_env: list[dict[str, Any]]) -> dict[str, Any]:
    """A container of the admin tools image running ``script``."""
    return {
        "name": name, "image": _image(env, "temporalio/admin-tools", "admin-tools"), "imagePullPolicy": "Always",
        "command": ["sh", "-c", script],
        "env": [{"name": "HOME", "value": "/tmp"}, *extra_env],
        "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}, "requests": {"cpu": "50m", "memory": "64Mi"}},
        "securityContext": _security(),
        "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}],
    }


def _job(name: str, container: dict[str, Any], annotations: dict[str, str]) -> Job:
    # Own name label: the pods must not match the server's Service selector.
    labels = {"app.kubernetes.io/name": name, **SETUP_LABELS}
    return Job.build(
        metadata={"name": name, "labels": labels, "annotations": annotations},
        spec={"backoffLimit": 10, "activeDeadlineSeconds": 900,
              "template": {"metadata": {"labels": dict(labels)},
                           "spec": _pod_spec([container], [{"name": "tmp", "emptyDir": {}}], restartPolicy="Never")}},
    )


def _schema_job(env: ResolvedAppSettings) -> Job:
    """Create the databases and bring both schemas to the image's version, before the server starts."""
    container = _tool(env, "schema", SCHEMA_SCRIPT, [
        {"name": "SQL_PLUGIN", "value": "postgres12"},
        {"name": "SQL_HOST", "value": DATABASE_HOST},
        {"name": "SQL_PORT", "value": str(DATABASE_PORT)},
        _secret_env("SQL_USER", "username"),
        _secret_env("SQL_PASSWORD", "password"),
    ])
    return _job("temporal-schema", container, {
        "argocd.argoproj.io/hook": "Sync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "checkov.io/skip1": SECRET_ENV_SKIP, "checkov.io/skip2": TAG_SKIP})


def _namespace_job(env: ResolvedAppSettings) -> Job:
    """Register the ``default`` Temporal namespace once the server answers."""
    container = _tool(env, "default-namespace", NAMESPACE_SCRIPT,
                      [{"name": "TEMPORAL_ADDRESS", "value": f"{NAME}:{RPC_PORT}"}])
    return _job("temporal-default-namespace", container, {
        "argocd.argoproj.io/hook": "PostSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation",
        "checkov.io/skip1": TAG_SKIP})


def _network_policy(env: ResolvedAppSettings, labels: dict[str, str]) -> NetworkPolicy:
    """gRPC from this namespace (workers, the UI) and the gateway; membership only between servers."""
    assert env.gateway is not None
    peers: list[dict[str, Any]] = [{"podSelector": {}}]
    if env.gateway.namespace:
        peers.append({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": env.gateway.namespace}}})
    return NetworkPolicy.build(metadata={"name": NAME, "labels": labels}, spec={
        "podSelector": {"matchLabels": dict(SELECTOR)}, "policyTypes": ["Ingress"],
        "ingress": [
            {"from": peers, "ports": [{"protocol": "TCP", "port": RPC_PORT}]},
            {"from": [{"podSelector": {"matchLabels": dict(SELECTOR)}}],
             "ports": [{"protocol": "TCP", "port": port} for port in MEMBERSHIP_PORTS.values()]},
        ]})
