"""monorepo-infra: the monorepo platform's cluster infrastructure (cert-manager CA, operators, Kafka, dev tools).

Seed 004 ("ArgoCD GitOps Setup", the monorepo template on a local kind-like cluster with the
Cilium Gateway). Its ``argocd/infra/<component>/envs/dev`` folders become this one app,
synthesized for dev only (the seed wires only dev). The ``infra`` ApplicationSet of app
``monorepo-appsets`` finds ``dist/dev/monorepo-infra`` with its Git directory generator and
names the Application after the path segment (``monorepo-infra``, also its destination
namespace, which holds nothing: every object here names its component's namespace).

Why one app and not one per component: ``dist/`` has exactly one folder per app and
environment, and nine infra folders in a repository shared by five platforms would crowd
it. The seed's components survive as namespaces and, for the operators, as Argo CD
Applications with the seed's names:

- **cert-manager** (namespace ``cert-manager``): the operator (Helm Application
  ``cert-manager``); the self-signed CA: a bootstrap ClusterIssuer ``selfsigned-issuer``
  (``selfSigned``), the CA Certificate ``selfsigned-ca`` (secret ``selfsigned-ca``) it signs,
  and the ClusterIssuer ``selfsigned-cluster-issuer`` (``ca.secretName: selfsigned-ca``);
  plus the wildcard certificate of the gateway domain (``gateway-wildcard``, namespace
  ``gateway``), which Reflector copies into ``kafka`` for the external listener.
- **cnpg-system**: the CloudNativePG operator (Helm Application ``cnpg-system``).
- **external-secrets**: the ClusterGenerator ``password-64-length`` (Password, length 64, no
  symbols, upper case allowed, repeats allowed). The operator itself is shared: a cluster runs
  one External Secrets operator, and dev's already comes from the Application
  ``external-secrets`` of app ``talana-platform`` (namespace ``external-secrets``, the name and
  namespace the seed's ApplicationSet would give it; the seed's prose says
  ``external-secrets-system``, its ApplicationSet deploys to the folder name). A second
  Application of the same name here would fight over that object.
- **strimzi**: the Kafka operator (Helm Application ``strimzi``, watching every namespace).
- **kafka**: Kafka ``kafka-cluster`` in KRaft mode with the KafkaNodePool ``dual-role``
  (controller and broker, one node); listeners ``plain`` (9092, internal, no TLS) and
  ``external`` (9094, ``cluster-ip``, TLS) whose broker 0 is advertised as
  ``broker0.<domain>:9094``.
- **kafka-ui**: Kafka UI (a Microservice in namespace ``kafka-ui``, reached with
  ``kubectl port-forward``: the seed lists no hostname for it).
- **maildev**: SMTP on 1025 and the web UI on 1080, routed at ``maildev.<domain>``.
- **minio**: S3-compatible storage with a volume and generated root credentials.
- **reflector**: the Secret/ConfigMap reflector (Helm Application ``reflector``).
- the Gateway ``cilium-gateway`` (namespace ``gateway``, GatewayClass ``cilium``) that the
  seed's routes attach to: HTTP on 80 and HTTPS on 443 for ``*.<domain>``.

The domain is ``127.0.0.1.nip.io`` through this app's gateway override in
``environments/dev.yaml``.

The operator Applications use the seed's sync policy (automated, prune, self-heal,
``CreateNamespace``, ``ApplyOutOfSyncOnly``) even though this app's own ``sync`` in
``environments/dev.yaml`` is manual: the environment's generated Application
``monorepo-infra-dev`` must not compete with the ApplicationSet's ``monorepo-infra``.

Sync waves: operator Applications -10 (from HelmAddon); Namespaces -3; objects that need an
operator's CRDs (issuers, the CA certificate, the generator) -1 with
``SkipDryRunOnMissingResource=true`` as in the seed, so a first sync succeeds before the CRDs
exist; Kafka, its node pool and the workloads 0.

Modernised: Strimzi ``kafka.strimzi.io/v1beta2`` -> ``v1`` (served from Strimzi 0.49, hence the
operator chart 0.49.0 rather than the catalog's 0.47.0); in ``v1`` KRaft and node pools are
the only mode, so the seed's ``strimzi.io/kraft``/``strimzi.io/node-pools`` annotations are
kept only to document it. Kafka UI: the unmaintained ``provectuslabs/kafka-ui`` -> its
maintained fork ``kafbat/kafka-ui``. Kustomize ``patchesStrategicMerge`` overlays -> nothing:
per-environment values come from ``environments/dev.yaml``.

Left out: the operators' own manifests (they come from their pinned Helm charts), Kafka
Connect (the seed only names it), and a route for the Kafka external listener (a TLS
passthrough route is not modelled yet; the seed's host reaches it through its own port
mapping).
"""

from __future__ import annotations

from typing import Any

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.addons.cert_manager import Certificate, CertificateSpec, ClusterIssuer, IssuerRef, IssuerSpec
from cdk8s_gitops.addons.strimzi import Kafka, KafkaNodePool
from cdk8s_gitops.argocd import sync_options_annotation
from cdk8s_gitops.environment import ResolvedAppSettings, SyncPolicySpec
from cdk8s_gitops.gateway import (
    AllowedRoutes,
    Gateway,
    GatewaySpec,
    HTTPBackendRef,
    HTTPPathMatch,
    HTTPRoute,
    HTTPRouteMatch,
    HTTPRouteRule,
    HTTPRouteSpec,
    Listener,
    ListenerTLSConfig,
    ParentReference,
    RouteNamespaces,
    SecretObjectReference,
)
from cdk8s_gitops.kube import Namespace
from cdk8s_gitops.models.cert_manager_io_v1 import CertificateSpecPrivateKey, IssuerSpecCa, IssuerSpecSelfSigned, Metadata
from cdk8s_gitops.models.kafka_strimzi_io_v1 import (
    CertificateAndKey,
    KafkaNodePoolSpec,
    KafkaNodePoolSpecStorage,
    KafkaNodePoolSpecStorageVolumes,
    KafkaSpec,
    KafkaSpecEntityOperator,
    KafkaSpecEntityOperatorTopicOperator,
    KafkaSpecEntityOperatorUserOperator,
    KafkaSpecKafka,
    KafkaSpecKafkaListeners,
    KafkaSpecKafkaListenersConfiguration,
    KafkaSpecKafkaListenersConfigurationBrokers,
)
from cdk8s_gitops.platform import Microservice, MicroserviceProps, Resources
from cdk8s_gitops.platform.addons import CATALOG, HelmAddon, HelmChart
from cdk8s_gitops.platform.backing_service import (
    BackingPort,
    BackingProbe,
    BackingService,
    BackingServiceProps,
    GeneratedCredentials,
    VolumeSettings,
)
from cdk8s_gitops.secrets import ClusterGenerator, ClusterGeneratorSpec, GeneratorSpecs, PasswordSpec

KAFKA_NAMESPACE = "kafka"
KAFKA_CLUSTER = "kafka-cluster"
GATEWAY_CLASS = "cilium"
CA_ISSUER = "selfsigned-cluster-issuer"
CA_SECRET = "selfsigned-ca"
WILDCARD_SECRET = "gateway-wildcard-tls"
REFLECTOR = "reflector.v1.k8s.emberstack.com"

# Namespaces that hold objects of this app (the operators' own come from their Applications).
NAMESPACES = ("cert-manager", "gateway", KAFKA_NAMESPACE, "kafka-ui", "maildev", "minio")

STRIMZI_CHART = HelmChart("https://strimzi.io/charts/", "strimzi-kafka-operator", "0.49.0", "strimzi")
REFLECTOR_CHART = HelmChart("https://emberstack.github.io/helm-charts", "reflector", "9.1.26", "reflector")
# The seed's sync policy for every Application it creates. The operators' Applications use it
# directly: this app's own `sync` in environments/dev.yaml is manual (see there) because the
# ApplicationSet `infra`, not the environment's generated Application, syncs this folder.
SEED_SYNC = SyncPolicySpec(automated=True, prune=True, self_heal=True,
                           sync_options=("CreateNamespace=true", "ApplyOutOfSyncOnly=true"))
MAILDEV_IMAGE = "maildev/maildev:2.2.1"
MINIO_IMAGE = "quay.io/minio/minio:RELEASE.2025-04-22T22-12-26Z"


def _needs_crds(name: str, namespace: str | None = None, *, labels: dict[str, str] | None = None,
                annotations: dict[str, str] | None = None) -> ObjectMeta:
    """Metadata of an object whose kind an operator installs: skip the dry run until the CRD exists."""
    meta = ObjectMeta(name=name, annotations={**(annotations or {}),
                                              **sync_options_annotation("SkipDryRunOnMissingResource=true")})
    # Only the fields given: an unset field stays out of the manifest (None would be written as null).
    given: dict[str, Any] = {"namespace": namespace, "labels": labels}
    return meta.model_copy(update={key: value for key, value in given.items() if value is not None})


def _in(env: ResolvedAppSettings, namespace: str) -> ResolvedAppSettings:
    """The app's settings with another namespace (for a component that lives in its own)."""
    return env.model_copy(update={"namespace": namespace})


def _domain(env: ResolvedAppSettings) -> str:
    if env.gateway is None:
        raise ValueError(f"app {env.app!r} needs a gateway in environments/{env.environment}.yaml "
                         f"(apps.{env.app}.gateway): its routes and Kafka's advertised host use the gateway domain")
    return env.gateway.domain


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    domain = _domain(env)
    for namespace in NAMESPACES:
        TypedResource(scope, Namespace(metadata=ObjectMeta(name=namespace)), sync_wave=-3)
    _operators(scope, env)
    _certificates(scope, env, domain)
    _password_generator(scope)
    _gateway(scope, env, domain)
    _kafka(scope, domain)
    _kafka_ui(scope, env)
    _maildev(scope, env, domain)
    _minio(scope, env)


def _operators(scope: Construct, env: ResolvedAppSettings) -> None:
    """The controllers, each an Application of its pinned chart, named like the seed's components."""
    env = env.model_copy(update={"sync": SEED_SYNC})
    HelmAddon(scope, "cert-manager", values={"crds": {"enabled": True}}, env=env)
    HelmAddon(scope, "cnpg-system", chart=CATALOG["cloudnative-pg"], env=env)
    HelmAddon(scope, "strimzi", chart=STRIMZI_CHART, values={"watchAnyNamespace": True}, env=env)
    HelmAddon(scope, "reflector", chart=REFLECTOR_CHART, env=env)


def _certificates(scope: Construct, env: ResolvedAppSettings, domain: str) -> None:
    """The self-signed CA chain and the gateway domain's wildcard certificate."""
    ecdsa = CertificateSpecPrivateKey(algorithm="ECDSA", size=256)
    TypedResource(scope, ClusterIssuer(metadata=_needs_crds("selfsigned-issuer"),
                                       spec=IssuerSpec(self_signed=IssuerSpecSelfSigned())), sync_wave=-1)
    TypedResource(scope, Certificate(
        metadata=_needs_crds(CA_SECRET, "cert-manager"),
        spec=CertificateSpec(is_ca=True, common_name=CA_SECRET, secret_name=CA_SECRET, duration="87600h",
                             private_key=ecdsa,
                             issuer_ref=IssuerRef(name="selfsigned-issuer", kind="ClusterIssuer", group="cert-manager.io")),
    ), sync_wave=-1)
    TypedResource(scope, ClusterIssuer(metadata=_needs_crds(CA_ISSUER),
                                       spec=IssuerSpec(ca=IssuerSpecCa(secret_name=CA_SECRET))), sync_wave=-1)
    # The gateway's certificate; Reflector copies its Secret into kafka for the external listener.
    TypedResource(scope, Certificate(
        metadata=_needs_crds("gateway-wildcard", "gateway"),
        spec=CertificateSpec(
            secret_name=WILDCARD_SECRET, dns_names=[f"*.{domain}", domain],
            private_key=ecdsa,
            issuer_ref=IssuerRef(name=CA_ISSUER, kind="ClusterIssuer", group="cert-manager.io"),
            secret_template=Metadata(annotations={
                f"{REFLECTOR}/reflection-allowed": "true",
                f"{REFLECTOR}/reflection-allowed-namespaces": KAFKA_NAMESPACE,
                f"{REFLECTOR}/reflection-auto-enabled": "true",
                f"{REFLECTOR}/reflection-auto-namespaces": KAFKA_NAMESPACE})),
    ))


def _password_generator(scope: Construct) -> None:
    """The cluster-wide password generator the services' ExternalSecrets use."""
    TypedResource(scope, ClusterGenerator(
        metadata=_needs_crds("password-64-length"),
        spec=ClusterGeneratorSpec(kind="Password", generator=GeneratorSpecs(password_spec=PasswordSpec(
            length=64, symbols=0, no_upper=False, allow_repeat=True))),
    ), sync_wave=-1)


def _gateway(scope: Construct, env: ResolvedAppSettings, domain: str) -> None:
    """The Cilium Gateway every route of the platform attaches to."""
    gateway = env.gateway
    assert gateway is not None
    everyone = AllowedRoutes(namespaces=RouteNamespaces(from_="All"))
    TypedResource(scope, Gateway(
        metadata=ObjectMeta(name=gateway.name, namespace=gateway.namespace or env.namespace),
        spec=GatewaySpec(gateway_class_name=GATEWAY_CLASS, listeners=[
            Listener(name="http", protocol="HTTP", port=80, hostname=f"*.{domain}", allowed_routes=everyone),
            Listener(name="https", protocol="HTTPS", port=443, hostname=f"*.{domain}", allowed_routes=everyone,
                     tls=ListenerTLSConfig(mode="Terminate",
                                           certificate_refs=[SecretObjectReference(kind="Secret", name=WILDCARD_SECRET)])),
        ]),
    ))


def _kafka(scope: Construct, domain: str) -> None:
    """Kafka ``kafka-cluster`` in KRaft mode with one dual-role node."""
    TypedResource(scope, Kafka(
        metadata=_needs_crds(KAFKA_CLUSTER, KAFKA_NAMESPACE,
                             annotations={"strimzi.io/kraft": "enabled", "strimzi.io/node-pools": "enabled"}),
        spec=KafkaSpec(
            kafka=KafkaSpecKafka(
                listeners=[
                    KafkaSpecKafkaListeners(name="plain", port=9092, type="internal", tls=False),
                    KafkaSpecKafkaListeners(
                        name="external", port=9094, type="cluster-ip", tls=True,
                        configuration=KafkaSpecKafkaListenersConfiguration(
                            brokers=[KafkaSpecKafkaListenersConfigurationBrokers(
                                broker=0, advertised_host=f"broker0.{domain}", advertised_port=9094)],
                            broker_cert_chain_and_key=CertificateAndKey(secret_name=WILDCARD_SECRET,
                                                                        certificate="tls.crt", key="tls.key"))),
                ],
                # Kafka's broker configuration (free-form upstream). One node: every internal topic
                # keeps a single replica.
                config={"offsets.topic.replication.factor": 1, "transaction.state.log.replication.factor": 1,
                        "transaction.state.log.min.isr": 1, "default.replication.factor": 1,
                        "min.insync.replicas": 1},
            ),
            entity_operator=KafkaSpecEntityOperator(topic_operator=KafkaSpecEntityOperatorTopicOperator(),
                                                    user_operator=KafkaSpecEntityOperatorUserOperator()),
        ),
    ))
    TypedResource(scope, KafkaNodePool(
        metadata=_needs_crds("dual-role", KAFKA_NAMESPACE, labels={"strimzi.io/cluster": KAFKA_CLUSTER}),
        spec=KafkaNodePoolSpec(replicas=1, roles=["controller", "broker"], storage=KafkaNodePoolSpecStorage(
            type="jbod", volumes=[KafkaNodePoolSpecStorageVolumes(
                id=0, type="persistent-claim", size="10Gi", delete_claim=False, kraft_metadata="shared")])),
    ))


def _kafka_ui(scope: Construct, env: ResolvedAppSettings) -> None:
    """Kafka UI pointed at the plain listener (internal: no route)."""
    Microservice(scope, "kafka-ui", MicroserviceProps(
        name="kafka-ui",
        image="ghcr.io/kafbat/kafka-ui",
        port=8080,
        service_port=8080,
        env={"KAFKA_CLUSTERS_0_NAME": KAFKA_CLUSTER,
             "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS": f"{KAFKA_CLUSTER}-kafka-bootstrap.{KAFKA_NAMESPACE}.svc:9092",
             "JAVA_TOOL_OPTIONS": "-XX:MaxRAMPercentage=75"},
        health_path="/actuator/health",
        resources=Resources(cpu_request="100m", cpu_limit="1", memory_request="512Mi", memory_limit="1Gi"),
        route=None,
        component="kafka-ui",
    ), env=_in(env, "kafka-ui"))


def _maildev(scope: Construct, env: ResolvedAppSettings, domain: str) -> None:
    """Maildev: SMTP on 1025 for the services, the web UI on 1080 at ``maildev.<domain>``."""
    maildev = BackingService(scope, "maildev", BackingServiceProps(
        name="maildev",
        image=MAILDEV_IMAGE,
        workload="Deployment",
        ports=(BackingPort(name="smtp", port=1025), BackingPort(name="http", port=1080)),
        env={"MAILDEV_SMTP_PORT": "1025", "MAILDEV_WEB_PORT": "1080", "MAILDEV_MAIL_DIRECTORY": "/tmp/maildev"},
        liveness=BackingProbe(http_path="/healthz", port="http"),
        allow_from_namespaces=("gateway", "services"),
        component="maildev",
    ), env=_in(env, "maildev"))
    _route(scope, env, "maildev", "maildev", f"maildev.{domain}", maildev.service.name, 1080)


def _minio(scope: Construct, env: ResolvedAppSettings) -> None:
    """MinIO: S3 API on 9000, console on 9001, root credentials generated in the cluster."""
    BackingService(scope, "minio", BackingServiceProps(
        name="minio",
        image=MINIO_IMAGE,
        ports=(BackingPort(name="api", port=9000), BackingPort(name="console", port=9001)),
        args=("server", "/data", "--console-address", ":9001", "--certs-dir", "/tmp/certs"),
        credentials=GeneratedCredentials(fixed={"username": "minio"},
                                         file_env={"MINIO_ROOT_USER_FILE": "username",
                                                   "MINIO_ROOT_PASSWORD_FILE": "password"}),
        volume=VolumeSettings(mount_path="/data", size="10Gi"),
        liveness=BackingProbe(http_path="/minio/health/live", port="api"),
        readiness=BackingProbe(http_path="/minio/health/ready", port="api"),
        resources=Resources(cpu_request="100m", cpu_limit="1", memory_request="256Mi", memory_limit="1Gi"),
        allow_from_namespaces=("services",),
        component="minio",
    ), env=_in(env, "minio"))


def _route(scope: Construct, env: ResolvedAppSettings, name: str, namespace: str, host: str, service: str, port: int) -> None:
    gateway = env.gateway
    assert gateway is not None
    parent = ParentReference(name=gateway.name, namespace=gateway.namespace) if gateway.namespace else \
        ParentReference(name=gateway.name)
    TypedResource(scope, HTTPRoute(
        metadata=ObjectMeta(name=name, namespace=namespace),
        spec=HTTPRouteSpec(parent_refs=[parent], hostnames=[host], rules=[HTTPRouteRule(
            matches=[HTTPRouteMatch(path=HTTPPathMatch(type="PathPrefix", value="/"))],
            backend_refs=[HTTPBackendRef(name=service, port=port)])]),
    ))
