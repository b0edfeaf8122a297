"""monorepo-services: the monorepo platform's shared services (database, certificates, secrets, auth proxy, API route).

Seed 004 ("ArgoCD GitOps Setup"): the ``argocd/services/{common,auth,api}/envs/dev`` folders,
synthesized for dev only, all in namespace ``services`` (the seed's services namespace). The
``services`` ApplicationSet of app ``monorepo-appsets`` syncs ``dist/dev/monorepo-services`` as
Application ``monorepo-services``; Temporal, the fourth services component, is its own app
(``monorepo-temporal``) because it alone also runs in production.

- **common**:

  - CloudNativePG Cluster ``cnpg-cluster``: image ``ghcr.io/voltade/postgres`` (tag
    ``apps.monorepo-services.images.postgres``, ``17.5-20250805-859fe66``), one instance, logical
    replication (``wal_level: logical``, ``max_wal_senders``/``max_replication_slots`` ``"10"``),
    ``pgsodium.enable_event_trigger: "off"``, ``supabase_vault`` preloaded, and the managed role
    ``admin`` (login, superuser, replication). The operator serves it as ``cnpg-cluster-rw:5432``.
  - ``cnpg-cluster-admin``: the admin role's ``kubernetes.io/basic-auth`` Secret, written by an
    ExternalSecret from the ClusterGenerator ``password-64-length`` (app ``monorepo-infra``)
    once (``refreshPolicy: CreatedOnce``), user name ``admin``. Temporal reads ``username`` and
    ``password`` from it.
  - TLS certificates for services: ``cnpg-cluster-server``, the database's server certificate
    (``cnpg-cluster-rw``/``-ro``/``-r`` names) issued by ``selfsigned-cluster-issuer``.
  - the cluster secret store ``services-secrets`` (Kubernetes provider over namespace
    ``services``, through ServiceAccount ``services-secrets-reader``, which may read only the
    shared Secrets listed in ``SHARED_SECRETS``: ``cnpg-cluster-admin``), so that workloads in
    other namespaces get the database credentials with ExternalSecrets.
  - the mailer configuration ``mailer-config``: SMTP settings of Maildev
    (``maildev.maildev.svc:1025``, no TLS, no credentials).
  - Drizzle Gateway (database UI) at ``drizzle.<domain>``.

- **auth**: the socat proxy ``socat-auth`` (``alpine/socat:1.8.0.3``, container ``socat-auth``)
  forwarding TCP 4000 to ``host.docker.internal:4000``, where the auth service runs on the
  developer's machine; its Service (port 4000) and HTTPRoute ``socat-auth`` at ``auth.<domain>``.
- **api**: the HTTPRoute ``api`` at ``api.<domain>``, the entry point of the API; the seed gives
  no backend, so it routes ``/auth`` to the auth proxy (the only API service in the seed).

Routes attach to the Cilium gateway ``cilium-gateway`` (namespace ``gateway``, created by
``monorepo-infra``); the domain ``127.0.0.1.nip.io`` comes from this app's gateway override in
``environments/dev.yaml``.

Sync waves: the secret store, the admin Secret's ExternalSecret and the certificate -1 (with
``SkipDryRunOnMissingResource=true``, their CRDs come with the operators); the database and
workloads 0.

Modernised: the mailer settings, which hold nothing secret for Maildev, are a ConfigMap
instead of a Secret (no Secret with values goes into ``dist/``); Kustomize
``patchesStrategicMerge`` overlays -> per-environment values in ``environments/dev.yaml``.

Left out: Drizzle Gateway's ``MASTERPASS`` (the image reads it only from a plain environment
variable and the UI is reachable only on 127.0.0.1; set it before exposing the gateway
elsewhere).
"""

from __future__ import annotations

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.addons.cert_manager import Certificate, CertificateSpec, IssuerRef
from cdk8s_gitops.addons.cloudnative_pg import Cluster, ClusterSpec
from cdk8s_gitops.argocd import sync_options_annotation
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.gateway import (
    HTTPBackendRef,
    HTTPPathMatch,
    HTTPRoute,
    HTTPRouteMatch,
    HTTPRouteRule,
    HTTPRouteSpec,
    ParentReference,
)
from cdk8s_gitops.kube import ConfigMap, PolicyRule, Role, RoleBinding, RoleRef, ServiceAccount, Subject
from cdk8s_gitops.models.cert_manager_io_v1 import CertificateSpecPrivateKey, Metadata
from cdk8s_gitops.models.external_secrets_io_v1 import (
    ExternalSecretSpecDataFrom,
    ExternalSecretSpecDataSourceRef,
    ExternalSecretSpecTarget,
    ExternalSecretSpecTargetTemplate,
    ExternalSecretSpecTargetTemplateMetadata,
)
from cdk8s_gitops.models.postgresql_cnpg_io_v1 import (
    ClusterSpecCertificates,
    ClusterSpecManaged,
    ClusterSpecManagedRoles,
    ClusterSpecPostgresql,
    ClusterSpecStorage,
    Secret,
)
from cdk8s_gitops.platform.backing_service import (
    BackingPort,
    BackingService,
    BackingServiceProps,
    VolumeSettings,
)
from cdk8s_gitops.secrets import (
    CAProvider,
    ClusterSecretStore,
    ExternalSecret,
    ExternalSecretSpec,
    GeneratorRef,
    KubernetesAuth,
    KubernetesProvider,
    KubernetesServer,
    SecretStoreProvider,
    SecretStoreSpec,
    ServiceAccountSelector,
)

DATABASE = "cnpg-cluster"
ADMIN_SECRET = "cnpg-cluster-admin"
ADMIN_ROLE = "admin"
PASSWORD_GENERATOR = "password-64-length"
CA_ISSUER = "selfsigned-cluster-issuer"
SECRET_STORE = "services-secrets"
SHARED_SECRETS = (ADMIN_SECRET,)
"""The Secrets of this namespace the store may read (and nothing else)."""
SOCAT_IMAGE = "alpine/socat:1.8.0.3"
DRIZZLE_IMAGE = "ghcr.io/drizzle-team/gateway:1.3.0"
AUTH_PORT = 4000


def _needs_crds(name: str) -> ObjectMeta:
    """Metadata of an object whose kind an operator installs: skip the dry run until the CRD exists."""
    return ObjectMeta(name=name, annotations=sync_options_annotation("SkipDryRunOnMissingResource=true"))


def _domain(env: ResolvedAppSettings) -> str:
    if env.gateway is None:
        raise ValueError(f"app {env.app!r} needs a gateway in environments/{env.environment}.yaml "
                         f"(apps.{env.app}.gateway): the auth proxy, the API and Drizzle are routed through it")
    return env.gateway.domain


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    domain = _domain(env)
    _database(scope, env)
    _secret_store(scope, env)
    _mailer_config(scope)
    auth = _auth_proxy(scope, env)
    _route(scope, env, "socat-auth", f"auth.{domain}", [("/", auth, AUTH_PORT)])
    _route(scope, env, "api", f"api.{domain}", [("/auth", auth, AUTH_PORT)])
    drizzle = BackingService(scope, "drizzle-gateway", BackingServiceProps(
        name="drizzle-gateway",
        image=DRIZZLE_IMAGE,
        ports=(BackingPort(name="http", port=4983),),
        env={"PORT": "4983", "STORE_PATH": "/data"},
        volume=VolumeSettings(mount_path="/data", size="1Gi"),
        allow_from_namespaces=("gateway",),
        component="drizzle-gateway",
    ))
    _route(scope, env, "drizzle-gateway", f"drizzle.{domain}", [("/", drizzle.service.name, 4983)])


def _database(scope: Construct, env: ResolvedAppSettings) -> None:
    """The shared PostgreSQL cluster, its admin credentials and its server certificate."""
    TypedResource(scope, ExternalSecret(
        metadata=_needs_crds(ADMIN_SECRET),
        spec=ExternalSecretSpec(
            refresh_policy="CreatedOnce",
            target=ExternalSecretSpecTarget(
                name=ADMIN_SECRET, creation_policy="Owner",
                template=ExternalSecretSpecTargetTemplate(
                    type="kubernetes.io/basic-auth", engine_version="v2", merge_policy="Merge",
                    metadata=ExternalSecretSpecTargetTemplateMetadata(labels={"cnpg.io/reload": "true"}),
                    data={"username": ADMIN_ROLE})),
            data_from=[ExternalSecretSpecDataFrom(source_ref=ExternalSecretSpecDataSourceRef(
                generator_ref=GeneratorRef(
                    api_version="generators.external-secrets.io/v1alpha1", kind="ClusterGenerator",
                    name=PASSWORD_GENERATOR)))]),
    ), sync_wave=-1)
    server_secret = f"{DATABASE}-server-tls"
    names = [f"{DATABASE}-{kind}" for kind in ("rw", "ro", "r")]
    dns = [f"{n}{suffix}" for n in names for suffix in ("", f".{env.namespace}", f".{env.namespace}.svc")]
    TypedResource(scope, Certificate(
        metadata=_needs_crds(f"{DATABASE}-server"),
        spec=CertificateSpec(
            secret_name=server_secret, common_name=f"{DATABASE}-rw", dns_names=dns,
            usages=["server auth"], private_key=CertificateSpecPrivateKey(algorithm="ECDSA", size=256),
            # CloudNativePG reloads the server certificate when cert-manager renews it.
            secret_template=Metadata(labels={"cnpg.io/reload": "true"}),
            issuer_ref=IssuerRef(name=CA_ISSUER, kind="ClusterIssuer", group="cert-manager.io")),
    ), sync_wave=-1)
    TypedResource(scope, Cluster(
        metadata=_needs_crds(DATABASE),
        spec=ClusterSpec(
            image_name=env.image_reference("postgres", "ghcr.io/voltade/postgres"),
            instances=1,
            postgresql=ClusterSpecPostgresql(
                # PostgreSQL's own settings (free-form upstream: any postgresql.conf parameter).
                parameters={"wal_level": "logical", "max_wal_senders": "10", "max_replication_slots": "10",
                            "pgsodium.enable_event_trigger": "off"},
                shared_preload_libraries=["supabase_vault"],
            ),
            managed=ClusterSpecManaged(roles=[ClusterSpecManagedRoles(
                name=ADMIN_ROLE, ensure="present", login=True, superuser=True, replication=True,
                password_secret=Secret(name=ADMIN_SECRET))]),
            certificates=ClusterSpecCertificates(server_tls_secret=server_secret, server_ca_secret=server_secret),
            storage=ClusterSpecStorage(size="10Gi"),
        ),
    ))


def _secret_store(scope: Construct, env: ResolvedAppSettings) -> None:
    """A ClusterSecretStore over this namespace's Secrets, read through a ServiceAccount of its own."""
    reader = f"{SECRET_STORE}-reader"
    TypedResource(scope, ServiceAccount(metadata=ObjectMeta(name=reader), automount_service_account_token=False),
                  sync_wave=-2)
    TypedResource(scope, Role(metadata=ObjectMeta(name=reader), rules=[
        PolicyRule(api_groups=[""], resources=["secrets"], resource_names=list(SHARED_SECRETS), verbs=["get"])]),
        sync_wave=-2)
    TypedResource(scope, RoleBinding(
        metadata=ObjectMeta(name=reader),
        role_ref=RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=reader),
        subjects=[Subject(kind="ServiceAccount", name=reader, namespace=env.namespace)]), sync_wave=-2)
    TypedResource(scope, ClusterSecretStore(
        metadata=_needs_crds(SECRET_STORE),
        spec=SecretStoreSpec(provider=SecretStoreProvider(kubernetes=KubernetesProvider(
            remote_namespace=env.namespace,
            server=KubernetesServer(ca_provider=CAProvider(type="ConfigMap", name="kube-root-ca.crt", key="ca.crt",
                                                           namespace=env.namespace)),
            auth=KubernetesAuth(service_account=ServiceAccountSelector(name=reader, namespace=env.namespace))))),
    ), sync_wave=-1)


def _mailer_config(scope: Construct) -> None:
    """How the services send mail in dev: through Maildev's SMTP port, no TLS, no credentials."""
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="mailer-config"), data={
        "SMTP_HOST": "maildev.maildev.svc", "SMTP_PORT": "1025", "SMTP_SECURE": "false",
        "MAIL_FROM": "no-reply@monorepo.local"}))


def _auth_proxy(scope: Construct, env: ResolvedAppSettings) -> str:
    """socat from the cluster to the auth service on the developer's machine."""
    proxy = BackingService(scope, "socat-auth", BackingServiceProps(
        name="socat-auth",
        image=SOCAT_IMAGE,
        workload="Deployment",
        ports=(BackingPort(name="auth", port=AUTH_PORT),),
        args=("-d", f"TCP4-LISTEN:{AUTH_PORT},fork,reuseaddr", f"TCP4:host.docker.internal:{AUTH_PORT}"),
        writable_paths=(),
        allow_from_namespaces=("gateway",),
        component="auth",
    ))
    return proxy.service.name


def _route(scope: Construct, env: ResolvedAppSettings, name: str, host: str, rules: list[tuple[str, str, int]]) -> None:
    gateway = env.gateway
    assert gateway is not None
    parent = ParentReference(name=gateway.name, namespace=gateway.namespace) if gateway.namespace else \
        ParentReference(name=gateway.name)
    TypedResource(scope, HTTPRoute(
        metadata=ObjectMeta(name=name),
        spec=HTTPRouteSpec(parent_refs=[parent], hostnames=[host], rules=[HTTPRouteRule(
            matches=[HTTPRouteMatch(path=HTTPPathMatch(type="PathPrefix", value=prefix))],
            backend_refs=[HTTPBackendRef(name=service, port=port)]) for prefix, service, port in rules]),
    ))
