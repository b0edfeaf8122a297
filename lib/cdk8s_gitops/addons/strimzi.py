"""Strimzi (``kafka.strimzi.io``): Kafka, KafkaNodePool and KafkaTopic.

A Kafka cluster in KRaft mode is one ``Kafka`` (listeners, configuration, entity operator)
and node pools that give it nodes: each ``KafkaNodePool`` carries the label
``strimzi.io/cluster: <kafka name>``, a replica count, roles (``controller``, ``broker``) and
storage. A ``KafkaTopic`` with the same label is a topic the topic operator keeps::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.strimzi import CLUSTER_LABEL, Kafka, KafkaNodePool
    from cdk8s_gitops.models.kafka_strimzi_io_v1 import (
        KafkaNodePoolSpec,
        KafkaNodePoolSpecStorage,
        KafkaNodePoolSpecStorageVolumes,
        KafkaSpec,
        KafkaSpecEntityOperator,
        KafkaSpecEntityOperatorTopicOperator,
        KafkaSpecEntityOperatorUserOperator,
        KafkaSpecKafka,
        KafkaSpecKafkaListeners,
    )

    kafka = Kafka(
        metadata=ObjectMeta(name="events", namespace="kafka"),
        spec=KafkaSpec(
            kafka=KafkaSpecKafka(version="4.1.0", listeners=[
                KafkaSpecKafkaListeners(name="plain", port=9092, type="internal", tls=False)]),
            entity_operator=KafkaSpecEntityOperator(topic_operator=KafkaSpecEntityOperatorTopicOperator(),
                                                    user_operator=KafkaSpecEntityOperatorUserOperator()),
        ),
    )
    pool = KafkaNodePool(
        metadata=ObjectMeta(name="dual", namespace="kafka", labels={CLUSTER_LABEL: "events"}),
        spec=KafkaNodePoolSpec(replicas=3, roles=["controller", "broker"], storage=KafkaNodePoolSpecStorage(
            type="jbod", volumes=[KafkaNodePoolSpecStorageVolumes(id=0, type="persistent-claim", size="20Gi",
                                                                   kraft_metadata="shared")])),
    )

Versions: ``kafka.strimzi.io/v1`` (Strimzi 0.49+, the current API; KRaft and node pools only)
and ``v1beta2`` (deprecated, removed in Strimzi 1.0). Each version is its own generated class
(:mod:`cdk8s_gitops.models.kafka_strimzi_io_v1` and ``..._v1beta2``): ``Kafka``,
``KafkaNodePool`` and ``KafkaTopic`` here are the ``v1`` classes, ``KafkaV1Beta2``,
``KafkaNodePoolV1Beta2`` and ``KafkaTopicV1Beta2`` (also ``...V1Beta1``, ``...V1Alpha1``) the
older ones; every check below is registered on every version. ``v1`` has no
``spec.zookeeper``, ``spec.jmxTrans``, ``spec.kafka.replicas``/``storage``/``resources``,
``tlsSidecar``, storage ``overrides`` or ``oauth`` listener authentication: its schema refuses
them as unknown fields (or values).

Validation follows Strimzi's listener rules (names of 1-11 lowercase letters and digits,
unique names and ports, ports from 9092 except 9404 and 9999, TLS for route and ingress,
type-specific options only on their listener types), storage rules (``jbod`` with volumes,
a size for ``persistent-claim``, unique volume ids, one KRaft metadata volume) and node
pool roles. Kafka ``config`` keys Strimzi manages itself (``listeners``, ``ssl.*``,
``node.id``...) raise a warning, as Strimzi ignores them.

Across objects (at synth): a node pool's ``strimzi.io/cluster`` names a Kafka in its
namespace, and a KRaft Kafka has node pools with the ``controller`` and ``broker`` roles.

``config`` is kept as given (free-form upstream).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from typing import Any

from ..core.errors import Problem
from ..core.fields import Issues
from ..core.model import removed_field
from ..core.schema import semantic_check
from ..core.validation import ObjectIndex, add_global_check
from ..models import kafka_strimzi_io_v1 as v1
from ..models import kafka_strimzi_io_v1alpha1 as v1alpha1
from ..models import kafka_strimzi_io_v1beta1 as v1beta1
from ..models import kafka_strimzi_io_v1beta2 as v1beta2

__all__ = [
    "CLUSTER_LABEL",
    "Kafka",
    "KafkaNodePool",
    "KafkaNodePoolV1Beta2",
    "KafkaTopic",
    "KafkaTopicV1Alpha1",
    "KafkaTopicV1Beta1",
    "KafkaTopicV1Beta2",
    "KafkaV1Beta2",
    "forbidden_config_key",
    "kafka_node_pools",
    "kraft",
    "pool_cluster",
    "uses_node_pools",
]

Kafka = v1.Kafka
KafkaV1Beta2 = v1beta2.Kafka
KafkaNodePool = v1.KafkaNodePool
KafkaNodePoolV1Beta2 = v1beta2.KafkaNodePool
KafkaTopic = v1.KafkaTopic
KafkaTopicV1Beta2 = v1beta2.KafkaTopic
KafkaTopicV1Beta1 = v1beta1.KafkaTopic
KafkaTopicV1Alpha1 = v1alpha1.KafkaTopic

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



# -- fields v1 removed: the refusal says what to do instead -----------------------------------------
_NOT_V1 = f"is not served by {V1}"
for _cls, _key, _fix in (
    (v1.KafkaSpec, "zookeeper", "ZooKeeper is not supported; use KRaft with node pools"),
    (v1.KafkaSpec, "jmxTrans", "JmxTrans was removed; use metricsConfig"),
    (v1.KafkaSpecKafka, "replicas", "set replicas on KafkaNodePools"),
    (v1.KafkaSpecKafka, "storage", "set storage on KafkaNodePools"),
    (v1.KafkaSpecKafka, "resources", "set resources on KafkaNodePools"),
    (v1.KafkaSpecEntityOperator, "tlsSidecar", "remove it"),
    (v1.KafkaSpecCruiseControl, "tlsSidecar", "remove it"),
    (v1.KafkaNodePoolSpecStorage, "overrides", "use one node pool per storage class instead"),
    (v1.KafkaNodePoolSpecStorageVolumes, "overrides", "use one node pool per storage class instead"),
):
    removed_field(_cls, _key, _NOT_V1, _fix)


# -- listeners ----------------------------------------------------------------------------------
Listener = v1.KafkaSpecKafkaListeners | v1beta2.KafkaSpecKafkaListeners


@semantic_check(v1.KafkaSpecKafkaListeners, v1beta2.KafkaSpecKafkaListeners)
def _listener(self: Listener) -> None:
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
    auth_type = self.authentication.type if self.authentication is not None else None
    if auth_type == "tls" and not self.tls:
        issues.add(("authentication", "type"), f"'tls' (client certificates) on listener {self.name!r} without TLS; "
                                               f"set tls: true or use scram-sha-512", auth_type)
    if self.configuration is not None:
        _check_configuration(self, issues, self.configuration)
    if self.type == "ingress":
        conf = self.configuration
        if conf is None or conf.bootstrap is None or not conf.bootstrap.host:
            issues.add(("configuration", "bootstrap", "host"), f"is not set on ingress listener {self.name!r}; give the "
                                                               f"bootstrap host name the Ingress serves")
        if conf is None or not conf.brokers or any(not b.host for b in conf.brokers):
            issues.add(("configuration", "brokers"), f"ingress listener {self.name!r} needs a host for every broker; "
                                                     f"add configuration.brokers[] entries with broker and host")
    issues.raise_any("GenericKafkaListener")


def _check_configuration(listener: Listener, issues: Issues, conf: Any) -> None:
    kind = listener.type
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
                                                f"{listener.name!r} is {kind}; remove it or change the listener type", value)
    if conf.broker_cert_chain_and_key is not None and not listener.tls:
        issues.add(("configuration", "brokerCertChainAndKey"), f"a custom certificate on listener {listener.name!r} "
                                                               f"without TLS; set tls: true or remove it")


# -- storage ------------------------------------------------------------------------------------
def _check_volume(volume: Any, issues: Issues, prefix: tuple[str | int, ...]) -> None:
    if volume.type == "persistent-claim" and not volume.size:
        issues.add((*prefix, "size"), "is not set on a persistent-claim volume; give a size such as '100Gi'")
    if volume.size_limit is not None and not _SIZE_LIMIT.match(volume.size_limit):
        issues.add((*prefix, "sizeLimit"), f"{volume.size_limit!r} is not a size; use a quantity such as '1Gi'",
                   volume.size_limit)
    if volume.id is not None and volume.id < 0:
        issues.add((*prefix, "id"), f"{volume.id} is negative; use 0 or more", volume.id)


@semantic_check(v1.KafkaNodePoolSpecStorage, v1beta2.Storage)
def _storage(self: v1.KafkaNodePoolSpecStorage | v1beta2.Storage) -> None:
    issues = Issues()
    if self.type == "jbod":
        if not self.volumes:
            issues.add(("volumes",), "a jbod storage has no volumes; add at least one volume with id and type")
        ids: dict[int, int] = {}
        shared = []
        volumes: list[Any] = list(self.volumes or [])  # the two versions' volume classes differ
        for i, volume in enumerate(volumes):
            _check_volume(volume, issues, ("volumes", i))
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
        _check_volume(self, issues, ())
    issues.raise_any("KafkaStorage")


# -- Kafka --------------------------------------------------------------------------------------
@semantic_check(v1.KafkaSpecKafka, v1beta2.KafkaSpecKafka)
def _kafka_cluster(self: v1.KafkaSpecKafka | v1beta2.KafkaSpecKafka) -> None:
    issues = Issues()  # at least one listener: both schemas say so
    names: dict[str, int] = {}
    ports: dict[int, int] = {}
    listeners: list[Any] = list(self.listeners)  # the two versions' listener classes differ
    for i, listener in enumerate(listeners):
        if listener.name in names:
            issues.add(("listeners", i, "name"), f"{listener.name!r} is already used by listeners[{names[listener.name]}]; "
                                                 f"give every listener a unique name", listener.name)
        names.setdefault(listener.name, i)
        if listener.port in ports:
            issues.add(("listeners", i, "port"), f"{listener.port} is already used by listeners[{ports[listener.port]}]; "
                                                 f"give every listener its own port", listener.port)
        ports.setdefault(listener.port, i)
    replicas = getattr(self, "replicas", None)  # v1beta2 only
    if replicas is not None and replicas < 1:
        issues.add(("replicas",), f"{replicas} is below 1; use at least 1", replicas)
    issues.raise_any("KafkaClusterSpec")
    managed = sorted(key for key in self.config or {} if forbidden_config_key(key))
    if managed:
        warnings.warn(f"kafka.config: {', '.join(repr(k) for k in managed)} are managed by Strimzi and ignored; "
                      f"configure them through listeners, authorization and node pools instead", UserWarning,
                      stacklevel=2)


@semantic_check(v1beta2.Kafka)
def _node_pools_ignore(self: v1beta2.Kafka) -> None:
    if (self.metadata.annotations or {}).get(NODE_POOLS_ANNOTATION) != "enabled":
        return
    if self.spec is None:
        return
    kafka = self.spec.kafka
    ignored = [k for k, v in (("replicas", kafka.replicas), ("storage", kafka.storage)) if v is not None]
    if ignored:
        warnings.warn(f"spec.kafka.{' and spec.kafka.'.join(ignored)}: ignored because node pools are enabled "
                      f"({NODE_POOLS_ANNOTATION}: enabled); set them on the KafkaNodePools", UserWarning, stacklevel=2)


def uses_node_pools(kafka: v1.Kafka | v1beta2.Kafka) -> bool:
    """Whether the cluster takes its nodes from KafkaNodePools (always with ``v1``)."""
    return kafka.api_version == V1 or (kafka.metadata.annotations or {}).get(NODE_POOLS_ANNOTATION) == "enabled"


def kraft(kafka: v1.Kafka | v1beta2.Kafka) -> bool:
    """Whether the cluster runs in KRaft mode (always with ``v1``)."""
    return kafka.api_version == V1 or (kafka.metadata.annotations or {}).get(KRAFT_ANNOTATION) == "enabled"


# -- KafkaNodePool ------------------------------------------------------------------------------
@semantic_check(v1.KafkaNodePoolSpec, v1beta2.KafkaNodePoolSpec)
def _node_pool_spec(self: v1.KafkaNodePoolSpec | v1beta2.KafkaNodePoolSpec) -> None:
    if self.replicas < 0:
        raise ValueError(f"replicas: {self.replicas} is negative; use 0 or more")
    if not self.roles:
        raise ValueError("roles: is empty; give the pool the controller role, the broker role or both")
    if len(set(self.roles)) != len(self.roles):
        twice = next(r for r in self.roles if self.roles.count(r) > 1)
        raise ValueError(f"roles: {twice!r} is listed twice; list each role once")


@semantic_check(v1.KafkaNodePool, v1beta2.KafkaNodePool)
def _node_pool(self: v1.KafkaNodePool | v1beta2.KafkaNodePool) -> None:
    if not (self.metadata.labels or {}).get(CLUSTER_LABEL):
        raise ValueError(f"metadata.labels: has no {CLUSTER_LABEL!r} label (labels: {self.metadata.labels or {}}); "
                         f"add {CLUSTER_LABEL}: <name of the Kafka> so that the operator uses this pool")


def pool_cluster(pool: v1.KafkaNodePool | v1beta2.KafkaNodePool) -> str:
    """The Kafka ``pool`` belongs to (its ``strimzi.io/cluster`` label)."""
    return (pool.metadata.labels or {}).get(CLUSTER_LABEL, "")


# -- KafkaTopic ---------------------------------------------------------------------------------
_TOPIC_SPECS = (v1.KafkaTopicSpec, v1beta2.KafkaTopicSpec, v1beta1.KafkaTopicSpec, v1alpha1.KafkaTopicSpec)
_TOPICS = (v1.KafkaTopic, v1beta2.KafkaTopic, v1beta1.KafkaTopic, v1alpha1.KafkaTopic)


@semantic_check(*_TOPIC_SPECS)
def _topic_spec(self: v1.KafkaTopicSpec) -> None:
    issues = Issues()
    if self.topic_name is not None and (not _TOPIC_NAME.match(self.topic_name) or self.topic_name in (".", "..")):
        issues.add(("topicName",), f"{self.topic_name!r} is not a Kafka topic name; use letters, digits, '.', '_' and "
                                   f"'-' (at most 249 characters)", self.topic_name)
    if self.partitions is not None and self.partitions < 1:
        issues.add(("partitions",), f"{self.partitions} is below 1; use at least 1 partition", self.partitions)
    if self.replicas is not None and not 1 <= self.replicas <= 32767:
        issues.add(("replicas",), f"{self.replicas} is outside 1-32767; use a replication factor such as 3", self.replicas)
    issues.raise_any("KafkaTopicSpec")


@semantic_check(*_TOPICS)
def _topic_label(self: v1.KafkaTopic) -> None:
    if not (self.metadata.labels or {}).get(CLUSTER_LABEL):
        warnings.warn(f"KafkaTopic {self.name!r}: metadata.labels has no {CLUSTER_LABEL!r} label; the topic operator "
                      f"ignores it until you add {CLUSTER_LABEL}: <name of the Kafka>", UserWarning, stacklevel=2)


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
