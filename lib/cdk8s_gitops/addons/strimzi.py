"""Strimzi (``kafka.strimzi.io``): Kafka, KafkaNodePool and KafkaTopic.

A Kafka cluster in KRaft mode is one ``Kafka`` (listeners, configuration, entity operator)
and node pools that give it nodes: each ``KafkaNodePool`` carries the label
``strimzi.io/cluster: <kafka name>``, a replica count, roles (``controller``, ``broker``) and
storage. A ``KafkaTopic`` with the same label is a topic the topic operator keeps::

    kafka = Kafka.build(metadata={"name": "events", "namespace": "kafka"},
                        spec={"kafka": {"version": "4.1.0", "listeners": [
                                  {"name": "plain", "port": 9092, "type": "internal", "tls": False}]},
                              "entityOperator": {"topicOperator": {}, "userOperator": {}}})
    pool = KafkaNodePool.build(metadata={"name": "dual", "namespace": "kafka",
                                         "labels": {CLUSTER_LABEL: "events"}},
                               spec={"replicas": 3, "roles": ["controller", "broker"],
                                     "storage": {"type": "jbod", "volumes": [
                                         {"id": 0, "type": "persistent-claim", "size": "20Gi",
                                          "kraftMetadata": "shared"}]}})

Versions: ``kafka.strimzi.io/v1`` (Strimzi 0.49+, the current API; KRaft and node pools only)
and ``v1beta2`` (deprecated, removed in Strimzi 1.0). ``v1`` has no ``spec.zookeeper``,
``spec.jmxTrans``, ``spec.kafka.replicas``/``storage``/``resources``, ``tlsSidecar`` or
``oauth`` listener authentication; those are refused on a ``v1`` object with the fix.
KafkaTopic is also served as ``v1beta1`` and ``v1alpha1`` (same fields).

Validation follows Strimzi's listener rules (names of 1-11 lowercase letters and digits,
unique names and ports, ports from 9092 except 9404 and 9999, TLS for route and ingress,
type-specific options only on their listener types), storage rules (``jbod`` with volumes,
a size for ``persistent-claim``, unique volume ids, one KRaft metadata volume) and node
pool roles. Kafka ``config`` keys Strimzi manages itself (``listeners``, ``ssl.*``,
``node.id``...) raise a warning, as Strimzi ignores them.

Across objects (at synth): a node pool's ``strimzi.io/cluster`` names a Kafka in its
namespace, and a KRaft Kafka has node pools with the ``controller`` and ``broker`` roles.

Kept as given: listener ``authentication`` (its ``type`` is checked), ``authorization``,
``cruiseControl``, ``kafkaExporter``, the CA settings, pod templates, logging, metrics
and JVM options, and the contents of ``config``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.errors import Problem, format_value
from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ..core.validation import ObjectIndex, add_global_check
from ..kube import ResourceRequirements

__all__ = [
    "CLUSTER_LABEL",
    "CertAndKeySecretSource",
    "EntityOperatorSpec",
    "GenericKafkaListener",
    "GenericKafkaListenerConfiguration",
    "GenericKafkaListenerConfigurationBootstrap",
    "GenericKafkaListenerConfigurationBroker",
    "Kafka",
    "KafkaClusterSpec",
    "KafkaNodePool",
    "KafkaNodePoolSpec",
    "KafkaSpec",
    "KafkaStorage",
    "KafkaStorageVolume",
    "KafkaTopic",
    "KafkaTopicSpec",
    "kafka_node_pools",
]

GROUP = "kafka.strimzi.io"
V1 = f"{GROUP}/v1"
V1BETA2 = f"{GROUP}/v1beta2"

CLUSTER_LABEL = "strimzi.io/cluster"
"""The label that ties a KafkaNodePool, KafkaTopic or KafkaUser to its Kafka."""

NODE_POOLS_ANNOTATION = "strimzi.io/node-pools"
KRAFT_ANNOTATION = "strimzi.io/kraft"

FORBIDDEN_PORTS = (9404, 9999)
LOWEST_PORT = 9092
_LISTENER_NAME = re.compile(r"^[a-z0-9]{1,11}$")
_TOPIC_NAME = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
_SIZE_LIMIT = re.compile(r"^([0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")

ListenerType = Literal["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"]
_AUTH_TYPES = ("tls", "scram-sha-512", "oauth", "custom")

# Kafka broker options Strimzi sets itself (it ignores them in spec.kafka.config).
_FORBIDDEN_CONFIG = ("listeners", "advertised.", "broker.", "listener.", "host.name", "port", "inter.broker.listener.name",
                     "sasl.", "ssl.", "security.", "password.", "log.dir", "zookeeper.connect", "zookeeper.set.acl",
                     "zookeeper.ssl", "zookeeper.clientCnxnSocket", "authorizer.", "super.user",
                     "cruise.control.metrics.topic", "cruise.control.metrics.reporter.bootstrap.servers", "node.id",
                     "process.roles", "controller.")
_FORBIDDEN_CONFIG_EXCEPTIONS = ("zookeeper.connection.timeout.ms", "sasl.server.max.receive.size", "ssl.cipher.suites",
                                "ssl.protocol", "ssl.enabled.protocols", "ssl.secure.random.implementation",
                                "cruise.control.metrics.topic.num.partitions",
                                "cruise.control.metrics.topic.replication.factor",
                                "cruise.control.metrics.topic.retention.ms",
                                "cruise.control.metrics.topic.auto.create.retries",
                                "cruise.control.metrics.topic.auto.create.timeout.ms",
                                "cruise.control.metrics.topic.min.insync.replicas",
                                "controller.quorum.election.backoff.max.ms", "controller.quorum.election.timeout.ms",
                                "controller.quorum.fetch.timeout.ms")


def forbidden_config_key(key: str) -> bool:
    """Whether Strimzi manages the Kafka option ``key`` itself (and ignores it in ``config``)."""
    if key in _FORBIDDEN_CONFIG_EXCEPTIONS:
        return False
    return any(key == prefix or key.startswith(prefix) for prefix in _FORBIDDEN_CONFIG)


# =====================================================================================
# Listeners
# =====================================================================================
class GenericKafkaListenerConfigurationBootstrap(K8sModel):
    """``configuration.bootstrap``: the bootstrap Service, route or ingress of an external listener.

    Attributes:
        alternative_names: ``alternativeNames``: extra names in the broker certificates. Default: none.
        host: ``host``: route or ingress host name (route and ingress listeners only). Default: none.
        load_balancer_ip: ``loadBalancerIP`` (loadbalancer listeners only). Default: none.
        node_port: ``nodePort`` (nodeport listeners only). Default: none (assigned).
        external_ips: ``externalIPs``. Default: none.
        annotations: ``annotations`` on the Service, Route or Ingress (loadbalancer, nodeport and ingress
            listeners only). Default: none.
        labels: ``labels`` on it. Default: none.
    """

    alternative_names: list[str] | None = None
    host: str | None = None
    load_balancer_ip: str | None = Field(default=None, alias="loadBalancerIP")
    node_port: int | None = None
    external_ips: list[str] | None = Field(default=None, alias="externalIPs")
    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class GenericKafkaListenerConfigurationBroker(K8sModel):
    """One ``configuration.brokers`` entry: per-broker overrides of an external listener.

    Attributes:
        broker: ``broker``: the node ID. Required.
        advertised_host: ``advertisedHost``: host name clients are told to connect to. Default: none.
        advertised_port: ``advertisedPort``: port clients are told to connect to. Default: none.
        host: ``host``: route or ingress host (route and ingress listeners only). Default: none.
        load_balancer_ip: ``loadBalancerIP`` (loadbalancer listeners only). Default: none.
        node_port: ``nodePort`` (nodeport listeners only). Default: none.
        external_ips: ``externalIPs``. Default: none.
        annotations: ``annotations`` (loadbalancer, nodeport and ingress listeners only). Default: none.
        labels: ``labels``. Default: none.
    """

    broker: int
    advertised_host: str | None = None
    advertised_port: int | None = None
    host: str | None = None
    load_balancer_ip: str | None = Field(default=None, alias="loadBalancerIP")
    node_port: int | None = None
    external_ips: list[str] | None = Field(default=None, alias="externalIPs")
    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class CertAndKeySecretSource(K8sModel):
    """``brokerCertChainAndKey``: a custom listener certificate from a Secret.

    Attributes:
        secret_name: ``secretName``. Required.
        certificate: ``certificate``: the key of the certificate in the Secret. Required.
        key: ``key``: the key of the private key in the Secret. Required.
    """

    secret_name: str
    certificate: str
    key: str


class GenericKafkaListenerConfiguration(K8sModel):
    """``configuration`` of a listener.

    Attributes:
        bootstrap: ``bootstrap``: see :class:`GenericKafkaListenerConfigurationBootstrap`. Default: none.
        brokers: ``brokers``: see :class:`GenericKafkaListenerConfigurationBroker`. Default: none.
        broker_cert_chain_and_key: ``brokerCertChainAndKey``: TLS listeners only. Default: none (the cluster CA).
        class_: ``class``: Ingress or load balancer class. Default: none.
        advertised_host_template: ``advertisedHostTemplate``. Default: none.
        host_template: ``hostTemplate``. Default: none.
        allocate_load_balancer_node_ports: ``allocateLoadBalancerNodePorts``. Default: none.
        create_bootstrap_service: ``createBootstrapService``. Default: none (true).
        external_traffic_policy: ``externalTrafficPolicy``: ``Local`` or ``Cluster`` (loadbalancer and nodeport
            listeners only). Default: none (``Cluster``).
        finalizers: ``finalizers`` of the load balancer Services. Default: none.
        ip_families: ``ipFamilies``. Default: none.
        ip_family_policy: ``ipFamilyPolicy``. Default: none.
        load_balancer_source_ranges: ``loadBalancerSourceRanges`` (loadbalancer listeners only). Default: none.
        max_connection_creation_rate: ``maxConnectionCreationRate``. Default: none.
        max_connections: ``maxConnections``. Default: none.
        preferred_node_port_address_type: ``preferredNodePortAddressType`` (nodeport listeners only). Default: none.
        publish_not_ready_addresses: ``publishNotReadyAddresses``. Default: none.
        use_service_dns_domain: ``useServiceDnsDomain`` (internal listeners only). Default: none (false).
    """

    bootstrap: GenericKafkaListenerConfigurationBootstrap | None = None
    brokers: list[GenericKafkaListenerConfigurationBroker] | None = None
    broker_cert_chain_and_key: CertAndKeySecretSource | None = None
    class_: str | None = None
    advertised_host_template: str | None = None
    host_template: str | None = None
    allocate_load_balancer_node_ports: bool | None = None
    create_bootstrap_service: bool | None = None
    external_traffic_policy: Literal["Local", "Cluster"] | None = None
    finalizers: list[str] | None = None
    ip_families: list[Literal["IPv4", "IPv6"]] | None = None
    ip_family_policy: Literal["SingleStack", "PreferDualStack", "RequireDualStack"] | None = None
    load_balancer_source_ranges: list[str] | None = None
    max_connection_creation_rate: int | None = None
    max_connections: int | None = None
    preferred_node_port_address_type: Literal["ExternalIP", "ExternalDNS", "InternalIP", "InternalDNS",
                                              "Hostname"] | None = None
    publish_not_ready_addresses: bool | None = None
    use_service_dns_domain: bool | None = None


class GenericKafkaListener(K8sModel):
    """One ``spec.kafka.listeners`` entry.

    Attributes:
        name: ``name``: 1-11 lowercase letters and digits, unique in the cluster. Required.
        port: ``port``: from 9092, not 9404 or 9999 (Strimzi uses them), unique in the cluster. Required.
        type: ``type``: ``internal``, ``cluster-ip``, ``route``, ``loadbalancer``, ``nodeport`` or ``ingress``. Required.
        tls: ``tls``: encrypt the listener (required for ``route`` and ``ingress``). Required.
        authentication: ``authentication`` (``type``: ``tls`` (TLS listeners only), ``scram-sha-512``, ``custom``,
            ``oauth`` (``v1beta2`` only)), kept as given. Default: none (no authentication).
        configuration: ``configuration``: see :class:`GenericKafkaListenerConfiguration`. Default: none.
        network_policy_peers: ``networkPolicyPeers``: who may connect, kept as given. Default: none (everyone).
    """

    name: str
    port: int
    type: ListenerType
    tls: bool
    authentication: dict[str, Any] | None = None
    configuration: GenericKafkaListenerConfiguration | None = None
    network_policy_peers: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if not _LISTENER_NAME.match(self.name):
            issues.add(("name",), f"{self.name!r} is not a listener name (1-11 lowercase letters and digits); use a name "
                                  f"such as 'plain', 'tls' or 'external'", self.name)
        if self.port < LOWEST_PORT:
            issues.add(("port",), f"{self.port} is below {LOWEST_PORT} (lower ports are Strimzi's own); use a port such as "
                                  f"9092, 9093 or 9094", self.port)
        elif self.port in FORBIDDEN_PORTS:
            issues.add(("port",), f"{self.port} is reserved by Strimzi (9404 is the metrics port, 9999 the JMX port); use "
                                  f"another port such as 9094", self.port)
        if self.type in ("route", "ingress") and not self.tls:
            issues.add(("tls",), f"false on a {self.type} listener; {self.type} listeners need tls: true (TLS passthrough)",
                       self.tls)
        auth_type = (self.authentication or {}).get("type") if self.authentication is not None else None
        if self.authentication is not None and auth_type not in _AUTH_TYPES:
            issues.add(("authentication", "type"), f"{auth_type!r} is not a listener authentication type; use one of "
                                                   f"{', '.join(_AUTH_TYPES)}", auth_type)
        if auth_type == "tls" and not self.tls:
            issues.add(("authentication", "type"), f"'tls' (client certificates) on listener {self.name!r} without TLS; "
                                                   f"set tls: true or use scram-sha-512", auth_type)
        if self.configuration is not None:
            self._check_configuration(issues, self.configuration)
        if self.type == "ingress":
            conf = self.configuration
            if conf is None or conf.bootstrap is None or not conf.bootstrap.host:
                issues.add(("configuration", "bootstrap", "host"), f"is not set on ingress listener {self.name!r}; give the "
                                                                   f"bootstrap host name the Ingress serves")
            if conf is None or not conf.brokers or any(not b.host for b in conf.brokers):
                issues.add(("configuration", "brokers"), f"ingress listener {self.name!r} needs a host for every broker; "
                                                         f"add configuration.brokers[] entries with broker and host")
        issues.raise_any("GenericKafkaListener")
        return self

    def _check_configuration(self, issues: Issues, conf: GenericKafkaListenerConfiguration) -> None:
        kind = self.type
        rules: list[tuple[tuple[str | int, ...], Any, tuple[str, ...]]] = [
            (("useServiceDnsDomain",), conf.use_service_dns_domain, ("internal",)),
            (("externalTrafficPolicy",), conf.external_traffic_policy, ("loadbalancer", "nodeport")),
            (("loadBalancerSourceRanges",), conf.load_balancer_source_ranges or None, ("loadbalancer",)),
            (("preferredNodePortAddressType",), conf.preferred_node_port_address_type, ("nodeport",)),
        ]
        if conf.bootstrap is not None:
            b = conf.bootstrap
            rules += [
                (("bootstrap", "host"), b.host, ("route", "ingress")),
                (("bootstrap", "loadBalancerIP"), b.load_balancer_ip, ("loadbalancer",)),
                (("bootstrap", "nodePort"), b.node_port, ("nodeport",)),
                (("bootstrap", "annotations"), b.annotations or None, ("loadbalancer", "nodeport", "ingress")),
            ]
        for i, broker in enumerate(conf.brokers or []):
            rules += [
                (("brokers", i, "host"), broker.host, ("route", "ingress")),
                (("brokers", i, "loadBalancerIP"), broker.load_balancer_ip, ("loadbalancer",)),
                (("brokers", i, "nodePort"), broker.node_port, ("nodeport",)),
                (("brokers", i, "annotations"), broker.annotations or None, ("loadbalancer", "nodeport", "ingress")),
            ]
        for loc, value, types in rules:
            if value is not None and kind not in types:
                shown = str(value).lower() if isinstance(value, bool) else repr(value)
                issues.add(("configuration", *loc), f"{shown} only applies to {' or '.join(types)} listeners, but "
                                                    f"{self.name!r} is {kind}; remove it or change the listener type", value)
        if conf.broker_cert_chain_and_key is not None and not self.tls:
            issues.add(("configuration", "brokerCertChainAndKey"), f"a custom certificate on listener {self.name!r} "
                                                                   f"without TLS; set tls: true or remove it")


# =====================================================================================
# Storage
# =====================================================================================
class _StorageFields(K8sModel):
    id: int | None = None
    size: str | None = None
    size_limit: str | None = None
    class_: str | None = None
    delete_claim: bool | None = None
    kraft_metadata: Literal["shared"] | None = None
    selector: dict[str, str] | None = None
    volume_attributes_class: str | None = None
    overrides: list[dict[str, Any]] | None = None

    def _check_volume(self, issues: Issues, prefix: tuple[str | int, ...]) -> None:
        kind = getattr(self, "type")  # noqa: B009 - each subclass declares its own type field
        if kind == "persistent-claim" and not self.size:
            issues.add((*prefix, "size"), "is not set on a persistent-claim volume; give a size such as '100Gi'")
        if self.size_limit is not None and not _SIZE_LIMIT.match(self.size_limit):
            issues.add((*prefix, "sizeLimit"), f"{self.size_limit!r} is not a size; use a quantity such as '1Gi'",
                       self.size_limit)
        if self.id is not None and self.id < 0:
            issues.add((*prefix, "id"), f"{self.id} is negative; use 0 or more", self.id)


class KafkaStorageVolume(_StorageFields):
    """One volume of ``jbod`` storage.

    Attributes:
        type: ``type``: ``persistent-claim`` or ``ephemeral``. Required.
        id: ``id``: the volume's number, unique in the JBOD (``data-<id>`` claims). Required in a JBOD.
        size: ``size``: required for ``persistent-claim`` (``100Gi``). Default: none.
        size_limit: ``sizeLimit`` of an ``ephemeral`` volume. Default: none.
        class_: ``class``: StorageClass. Default: none (the default class).
        delete_claim: ``deleteClaim``: delete the claim with the cluster. Default: none (false).
        kraft_metadata: ``kraftMetadata``: ``shared`` to keep the KRaft metadata log here (one volume at most).
            Default: none (the lowest id).
        selector: ``selector``: labels of the PersistentVolume to use. Default: none.
        volume_attributes_class: ``volumeAttributesClass``. Default: none.
        overrides: ``overrides`` per broker (``v1beta2`` only, deprecated), kept as given. Default: none.
    """

    type: Literal["ephemeral", "persistent-claim"]


class KafkaStorage(_StorageFields):
    """``storage`` of a node pool (or of a ``v1beta2`` Kafka without node pools).

    Attributes:
        type: ``type``: ``jbod`` (one or more volumes, the usual form), ``persistent-claim`` or ``ephemeral``. Required.
        volumes: ``volumes`` of a ``jbod``: see :class:`KafkaStorageVolume`; ids unique. Required for ``jbod``.
        id: ``id``. Default: none.
        size: ``size``: required for ``persistent-claim``. Default: none.
        size_limit: ``sizeLimit`` of ``ephemeral`` storage. Default: none.
        class_: ``class``: StorageClass. Default: none.
        delete_claim: ``deleteClaim``. Default: none (false).
        kraft_metadata: ``kraftMetadata``. Default: none.
        selector: ``selector``. Default: none.
        volume_attributes_class: ``volumeAttributesClass``. Default: none.
        overrides: ``overrides`` (``v1beta2`` only), kept as given. Default: none.
    """

    type: Literal["ephemeral", "persistent-claim", "jbod"]
    volumes: list[KafkaStorageVolume] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.type == "jbod":
            if not self.volumes:
                issues.add(("volumes",), "a jbod storage has no volumes; add at least one volume with id and type")
            ids: dict[int, int] = {}
            shared = []
            for i, volume in enumerate(self.volumes or []):
                volume._check_volume(issues, ("volumes", i))
                if volume.id is None:
                    issues.add(("volumes", i, "id"), "is not set; every jbod volume needs an id (0, 1, ...)")
                elif volume.id in ids:
                    issues.add(("volumes", i, "id"), f"{volume.id} is already used by volumes[{ids[volume.id]}]; give "
                                                     f"each volume its own id", volume.id)
                else:
                    ids[volume.id] = i
                if volume.kraft_metadata == "shared":
                    shared.append(i)
            if len(shared) > 1:
                issues.add(("volumes", shared[1], "kraftMetadata"), f"'shared' is also set on volumes[{shared[0]}]; "
                                                                    f"keep the KRaft metadata on one volume only", "shared")
        else:
            if self.volumes is not None:
                issues.add(("volumes",), f"volumes only apply to jbod storage, but type is {self.type!r}; set type: jbod "
                                         f"or remove volumes")
            self._check_volume(issues, ())
        issues.raise_any("KafkaStorage")
        return self


# =====================================================================================
# Kafka
# =====================================================================================
class KafkaClusterSpec(K8sModel):
    """``spec.kafka``: the brokers and controllers.

    Attributes:
        version: ``version``: the Kafka version (``4.1.0``). Default: none (the operator's default).
        metadata_version: ``metadataVersion``: KRaft metadata version (``4.1-IV1``). Default: none (the version's).
        listeners: ``listeners``: see :class:`GenericKafkaListener`; at least one, names and ports unique. Required.
        config: ``config``: broker options (``default.replication.factor: 3``), kept as given; options Strimzi
            manages itself warn. Default: none.
        authorization: ``authorization`` (``simple``, ``opa``, ``keycloak``, ``custom``), kept as given. Default: none.
        replicas: ``replicas`` (``v1beta2`` without node pools only). Default: none.
        storage: ``storage`` (``v1beta2`` without node pools only): see :class:`KafkaStorage`. Default: none.
        resources: ``resources`` (``v1beta2`` only; set them on node pools). Default: none.
        image: ``image``. Default: none (the operator's image for ``version``).
        broker_rack_init_image: ``brokerRackInitImage``. Default: none.
        rack: ``rack`` awareness, kept as given. Default: none.
        logging: ``logging``, kept as given. Default: none.
        metrics_config: ``metricsConfig``, kept as given. Default: none (no metrics).
        jmx_options: ``jmxOptions``, kept as given. Default: none.
        jvm_options: ``jvmOptions``, kept as given. Default: none.
        liveness_probe: ``livenessProbe``, kept as given. Default: none.
        readiness_probe: ``readinessProbe``, kept as given. Default: none.
        quotas: ``quotas`` plugin, kept as given. Default: none.
        tiered_storage: ``tieredStorage``, kept as given. Default: none.
        template: ``template`` (pods, Services, ...), kept as given. Default: none.
    """

    version: str | None = None
    metadata_version: str | None = None
    listeners: list[GenericKafkaListener]
    config: dict[str, Any] | None = None
    authorization: dict[str, Any] | None = None
    replicas: int | None = None
    storage: KafkaStorage | None = None
    resources: ResourceRequirements | None = None
    image: str | None = None
    broker_rack_init_image: str | None = None
    rack: dict[str, Any] | None = None
    logging: dict[str, Any] | None = None
    metrics_config: dict[str, Any] | None = None
    jmx_options: dict[str, Any] | None = None
    jvm_options: dict[str, Any] | None = None
    liveness_probe: dict[str, Any] | None = None
    readiness_probe: dict[str, Any] | None = None
    quotas: dict[str, Any] | None = None
    tiered_storage: dict[str, Any] | None = None
    template: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if not self.listeners:
            issues.add(("listeners",), "is empty; add at least one listener such as "
                                       "{name: plain, port: 9092, type: internal, tls: false}")
        names: dict[str, int] = {}
        ports: dict[int, int] = {}
        for i, listener in enumerate(self.listeners):
            if listener.name in names:
                issues.add(("listeners", i, "name"), f"{listener.name!r} is already used by listeners[{names[listener.name]}]; "
                                                     f"give every listener a unique name", listener.name)
            names.setdefault(listener.name, i)
            if listener.port in ports:
                issues.add(("listeners", i, "port"), f"{listener.port} is already used by listeners[{ports[listener.port]}]; "
                                                     f"give every listener its own port", listener.port)
            ports.setdefault(listener.port, i)
        if self.replicas is not None and self.replicas < 1:
            issues.add(("replicas",), f"{self.replicas} is below 1; use at least 1", self.replicas)
        issues.raise_any("KafkaClusterSpec")
        managed = sorted(key for key in self.config or {} if forbidden_config_key(key))
        if managed:
            warnings.warn(f"kafka.config: {', '.join(repr(k) for k in managed)} are managed by Strimzi and ignored; "
                          f"configure them through listeners, authorization and node pools instead", UserWarning,
                          stacklevel=2)
        return self


class EntityOperatorSpec(K8sModel):
    """``spec.entityOperator``: the topic and user operators of the cluster.

    Attributes:
        topic_operator: ``topicOperator`` settings (``{}`` to run it with defaults), kept as given. Default: none
            (not deployed).
        user_operator: ``userOperator`` settings (``{}`` for defaults), kept as given. Default: none (not deployed).
        template: ``template``, kept as given. Default: none.
        tls_sidecar: ``tlsSidecar`` (``v1beta2`` only, unused since KRaft), kept as given. Default: none.
    """

    topic_operator: dict[str, Any] | None = None
    user_operator: dict[str, Any] | None = None
    template: dict[str, Any] | None = None
    tls_sidecar: dict[str, Any] | None = None


class KafkaSpec(K8sModel):
    """``spec`` of a Kafka.

    Attributes:
        kafka: ``kafka``: see :class:`KafkaClusterSpec`. Required.
        entity_operator: ``entityOperator``: see :class:`EntityOperatorSpec`. Default: none (no topic or user operator).
        cruise_control: ``cruiseControl`` (rebalancing), kept as given. Default: none (not deployed).
        kafka_exporter: ``kafkaExporter``, kept as given. Default: none (not deployed).
        clients_ca: ``clientsCa`` settings, kept as given. Default: none.
        cluster_ca: ``clusterCa`` settings, kept as given. Default: none.
        maintenance_time_windows: ``maintenanceTimeWindows``: cron expressions of when rolling restarts for CA
            renewal may happen. Default: none (any time).
        zookeeper: ``zookeeper`` (``v1beta2`` only; removed with ZooKeeper support), kept as given. Default: none.
        jmx_trans: ``jmxTrans`` (``v1beta2`` only, removed upstream), kept as given. Default: none.
    """

    kafka: KafkaClusterSpec
    entity_operator: EntityOperatorSpec | None = None
    cruise_control: dict[str, Any] | None = None
    kafka_exporter: dict[str, Any] | None = None
    clients_ca: dict[str, Any] | None = None
    cluster_ca: dict[str, Any] | None = None
    maintenance_time_windows: list[str] | None = None
    zookeeper: dict[str, Any] | None = None
    jmx_trans: dict[str, Any] | None = None


class Kafka(Resource):
    """A Strimzi Kafka cluster (``kafka.strimzi.io/v1``, also ``v1beta2``).

    In KRaft mode (the only mode of ``v1`` and of Strimzi 0.46+) the nodes come from
    KafkaNodePools labelled ``strimzi.io/cluster: <this name>``; with ``v1beta2`` set the
    annotations ``strimzi.io/kraft: enabled`` and ``strimzi.io/node-pools: enabled``.

    Attributes:
        spec: ``spec``: see :class:`KafkaSpec`. Required.
        status: ``status``: written by the operator (listener addresses...), kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Kafka"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (V1, V1BETA2)

    spec: KafkaSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_version(self) -> Self:
        spec = self.spec
        if self.api_version == V1:
            issues = Issues()
            removed = [(("spec", "zookeeper"), spec.zookeeper, "ZooKeeper is not supported; use KRaft with node pools"),
                       (("spec", "jmxTrans"), spec.jmx_trans, "JmxTrans was removed; use metricsConfig"),
                       (("spec", "kafka", "replicas"), spec.kafka.replicas, "set replicas on KafkaNodePools"),
                       (("spec", "kafka", "storage"), spec.kafka.storage, "set storage on KafkaNodePools"),
                       (("spec", "kafka", "resources"), spec.kafka.resources, "set resources on KafkaNodePools"),
                       (("spec", "entityOperator", "tlsSidecar"),
                        spec.entity_operator.tls_sidecar if spec.entity_operator else None, "remove it")]
            for loc, value, fix in removed:
                if value is not None:
                    shown = format_value(value.dump() if isinstance(value, K8sModel) else value)
                    issues.add(loc, f"{shown} is not served by {V1}; {fix}", value)
            for i, listener in enumerate(spec.kafka.listeners):
                if (listener.authentication or {}).get("type") == "oauth":
                    issues.add(("spec", "kafka", "listeners", i, "authentication", "type"),
                               f"'oauth' is not served by {V1}; use type: custom with the OAuth callback handler "
                               f"settings in listenerConfig", "oauth")
            sidecar = (spec.cruise_control or {}).get("tlsSidecar")
            if sidecar is not None:
                issues.add(("spec", "cruiseControl", "tlsSidecar"), f"{format_value(sidecar)} is not served by {V1}; "
                                                                    f"remove it", sidecar)
            issues.raise_any("Kafka")
        else:
            annotations = self.metadata.annotations or {}
            if annotations.get(NODE_POOLS_ANNOTATION) == "enabled":
                ignored = [k for k, v in (("replicas", spec.kafka.replicas), ("storage", spec.kafka.storage)) if v is not None]
                if ignored:
                    warnings.warn(f"spec.kafka.{' and spec.kafka.'.join(ignored)}: ignored because node pools are enabled "
                                  f"({NODE_POOLS_ANNOTATION}: enabled); set them on the KafkaNodePools", UserWarning,
                                  stacklevel=2)
        return self

    @property
    def uses_node_pools(self) -> bool:
        """Whether the cluster takes its nodes from KafkaNodePools (always with ``v1``)."""
        return self.api_version == V1 or (self.metadata.annotations or {}).get(NODE_POOLS_ANNOTATION) == "enabled"

    @property
    def kraft(self) -> bool:
        """Whether the cluster runs in KRaft mode (always with ``v1``)."""
        return self.api_version == V1 or (self.metadata.annotations or {}).get(KRAFT_ANNOTATION) == "enabled"


# =====================================================================================
# KafkaNodePool
# =====================================================================================
class KafkaNodePoolSpec(K8sModel):
    """``spec`` of a KafkaNodePool.

    Attributes:
        replicas: ``replicas``: nodes in the pool, 0 or more. Required.
        roles: ``roles``: ``controller``, ``broker`` or both, each once. Required.
        storage: ``storage``: see :class:`KafkaStorage`. Required.
        resources: ``resources`` of each node. Default: none.
        jvm_options: ``jvmOptions`` (``-Xms``, ``-Xmx``...), kept as given. Default: none.
        template: ``template`` (pods, claims...), kept as given. Default: none.
    """

    replicas: int
    roles: list[Literal["controller", "broker"]]
    storage: KafkaStorage
    resources: ResourceRequirements | None = None
    jvm_options: dict[str, Any] | None = None
    template: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.replicas < 0:
            raise ValueError(f"replicas: {self.replicas} is negative; use 0 or more")
        if not self.roles:
            raise ValueError("roles: is empty; give the pool the controller role, the broker role or both")
        if len(set(self.roles)) != len(self.roles):
            twice = next(r for r in self.roles if self.roles.count(r) > 1)
            raise ValueError(f"roles: {twice!r} is listed twice; list each role once")
        return self


class KafkaNodePool(Resource):
    """A Strimzi KafkaNodePool (``kafka.strimzi.io/v1``, also ``v1beta2``): a group of Kafka nodes.

    The label ``strimzi.io/cluster`` names the Kafka the pool belongs to (same namespace); it is required.

    Attributes:
        spec: ``spec``: see :class:`KafkaNodePoolSpec`. Required.
        status: ``status``: written by the operator (node IDs...), kept as given. Default: none.
    """

    KIND: ClassVar[str] = "KafkaNodePool"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (V1, V1BETA2)

    spec: KafkaNodePoolSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not (self.metadata.labels or {}).get(CLUSTER_LABEL):
            raise ValueError(f"metadata.labels: has no {CLUSTER_LABEL!r} label (labels: {self.metadata.labels or {}}); "
                             f"add {CLUSTER_LABEL}: <name of the Kafka> so that the operator uses this pool")
        if self.api_version == V1:
            storage = self.spec.storage
            locs = ["spec.storage.overrides"] if storage.overrides is not None else []
            locs += [f"spec.storage.volumes[{i}].overrides" for i, v in enumerate(storage.volumes or [])
                     if v.overrides is not None]
            if locs:
                raise ValueError(f"{locs[0]}: is not served by {V1}; use one node pool per storage class instead")
        return self

    @property
    def cluster(self) -> str:
        """The Kafka this pool belongs to (its ``strimzi.io/cluster`` label)."""
        return (self.metadata.labels or {}).get(CLUSTER_LABEL, "")


# =====================================================================================
# KafkaTopic
# =====================================================================================
class KafkaTopicSpec(K8sModel):
    """``spec`` of a KafkaTopic.

    Attributes:
        topic_name: ``topicName``: the Kafka topic name when it differs from ``metadata.name`` (upper case,
            underscores): letters, digits, ``.``, ``_`` and ``-``, at most 249 characters. Default: none
            (``metadata.name``).
        partitions: ``partitions``: at least 1; can grow, never shrink. Default: none (the broker's
            ``num.partitions``).
        replicas: ``replicas``: replication factor, 1-32767. Default: none (the broker's
            ``default.replication.factor``).
        config: ``config``: topic options (``retention.ms: 7200000``), kept as given. Default: none.
    """

    topic_name: str | None = None
    partitions: int | None = None
    replicas: int | None = None
    config: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.topic_name is not None and (not _TOPIC_NAME.match(self.topic_name) or self.topic_name in (".", "..")):
            issues.add(("topicName",), f"{self.topic_name!r} is not a Kafka topic name; use letters, digits, '.', '_' and "
                                       f"'-' (at most 249 characters)", self.topic_name)
        if self.partitions is not None and self.partitions < 1:
            issues.add(("partitions",), f"{self.partitions} is below 1; use at least 1 partition", self.partitions)
        if self.replicas is not None and not 1 <= self.replicas <= 32767:
            issues.add(("replicas",), f"{self.replicas} is outside 1-32767; use a replication factor such as 3", self.replicas)
        issues.raise_any("KafkaTopicSpec")
        return self


class KafkaTopic(Resource):
    """A Strimzi KafkaTopic (``kafka.strimzi.io/v1``; also ``v1beta2``, ``v1beta1``, ``v1alpha1``).

    The topic operator only manages topics labelled ``strimzi.io/cluster: <kafka name>``;
    a topic without the label raises a warning.

    Attributes:
        spec: ``spec``: see :class:`KafkaTopicSpec`. Required with ``v1``; optional with older versions
            (broker defaults).
        status: ``status``: written by the topic operator, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "KafkaTopic"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (V1, V1BETA2, f"{GROUP}/v1beta1", f"{GROUP}/v1alpha1")

    spec: KafkaTopicSpec | None = None
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.spec is None and self.api_version == V1:
            raise ValueError(f"spec: is not set, but {V1} requires it; give partitions and replicas (or {{}} for the "
                             f"broker defaults)")
        if not (self.metadata.labels or {}).get(CLUSTER_LABEL):
            warnings.warn(f"KafkaTopic {self.name!r}: metadata.labels has no {CLUSTER_LABEL!r} label; the topic operator "
                          f"ignores it until you add {CLUSTER_LABEL}: <name of the Kafka>", UserWarning, stacklevel=2)
        return self


# =====================================================================================
# Across objects
# =====================================================================================
@add_global_check
def kafka_node_pools(index: ObjectIndex) -> Iterable[Problem]:
    """Node pools name an existing Kafka; a Kafka that uses node pools has controllers and brokers.

    - every KafkaNodePool's ``strimzi.io/cluster`` label names a Kafka in the same namespace;
    - every Kafka that uses node pools has at least one pool, a pool with the ``broker`` role and,
      in KRaft mode, one with the ``controller`` role.
    """
    kafkas = {(obj.namespace, obj.name): obj for obj in index.of_kind("Kafka", group=GROUP)}
    pools: dict[tuple[str | None, str], list[tuple[str, set[str]]]] = {}
    for obj in index.of_kind("KafkaNodePool", group=GROUP):
        labels = (obj.manifest.get("metadata") or {}).get("labels") or {}
        cluster = labels.get(CLUSTER_LABEL, "")
        roles = set(((obj.manifest.get("spec") or {}).get("roles")) or [])
        pools.setdefault((obj.namespace, cluster), []).append((obj.name, roles))
        if (obj.namespace, cluster) not in kafkas:
            where = f" in namespace {obj.namespace!r}" if obj.namespace else ""
            yield Problem(subject=f"KafkaNodePool {obj.name!r}", path=f"metadata.labels.{CLUSTER_LABEL}",
                          message=f"{cluster!r} names no Kafka{where}",
                          fix="set the label to the name of the Kafka this pool belongs to (same namespace)",
                          where=obj.where())
    for (namespace, name), obj in kafkas.items():
        annotations = (obj.manifest.get("metadata") or {}).get("annotations") or {}
        uses_pools = obj.api_version == V1 or annotations.get(NODE_POOLS_ANNOTATION) == "enabled"
        kraft = obj.api_version == V1 or annotations.get(KRAFT_ANNOTATION) == "enabled"
        if not uses_pools:
            continue
        mine = pools.get((namespace, name), [])
        roles = set().union(*(r for _, r in mine)) if mine else set()
        needed = ["broker"] + (["controller"] if kraft else [])
        missing = [role for role in needed if role not in roles]
        if not mine:
            message = "uses node pools but no KafkaNodePool is labelled for it"
        elif missing:
            message = f"has no node pool with the {' and '.join(missing)} role (pools: {', '.join(n for n, _ in mine)})"
        else:
            continue
        yield Problem(subject=f"Kafka {name!r}", path="metadata.name", message=message,
                      fix=f"add a KafkaNodePool with labels {{{CLUSTER_LABEL}: {name}}} and roles [{', '.join(needed)}]",
                      where=obj.where())
