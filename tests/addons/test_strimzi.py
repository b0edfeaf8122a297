"""Strimzi: Kafka, KafkaNodePool, KafkaTopic (kafka.strimzi.io v1 and v1beta2)."""

from __future__ import annotations

import warnings
from typing import Any

import cdk8s
import pytest
import yaml
from helpers import refused, schema_errors, shared_dir, upstream_documents

from cdk8s_gitops import GitOpsChart, TypedResource, from_manifest
from cdk8s_gitops.addons import Kafka, KafkaNodePool, KafkaTopic
from cdk8s_gitops.addons.strimzi import (
    CLUSTER_LABEL,
    KafkaNodePoolV1Beta2,
    KafkaTopicV1Alpha1,
    KafkaTopicV1Beta1,
    KafkaTopicV1Beta2,
    KafkaV1Beta2,
    forbidden_config_key,
    kafka_node_pools,
    kraft,
    pool_cluster,
    uses_node_pools,
)
from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject, global_checks
from cdk8s_gitops.synth import collect_chart

V1 = "kafka.strimzi.io/v1"
V1BETA2 = "kafka.strimzi.io/v1beta2"
KINDS: dict[str, type] = {"Kafka": Kafka, "KafkaNodePool": KafkaNodePool, "KafkaTopic": KafkaTopic}
EXPECTED_COUNTS = {"Kafka": 5, "KafkaNodePool": 9, "KafkaTopic": 1}

# The seed's cluster (004): KRaft with node pools, a plain and a TLS cluster-ip listener.
SEED_LISTENERS = [
    {"name": "plain", "port": 9092, "type": "internal", "tls": False},
    {"name": "external", "port": 9094, "type": "cluster-ip", "tls": True,
     "configuration": {"brokers": [{"advertisedHost": "broker0.127.0.0.1.nip.io", "advertisedPort": 9094, "broker": 0}]}},
]


# -- helpers -----------------------------------------------------------------------------------
def listener(**fields: Any) -> dict[str, Any]:
    return {"name": "plain", "port": 9092, "type": "internal", "tls": False, **fields}


def kafka(*listeners: dict[str, Any], api_version: str = V1, annotations: dict[str, str] | None = None,
          **kafka_fields: Any) -> Kafka:
    spec_extra = kafka_fields.pop("spec_extra", {})
    meta: dict[str, Any] = {"name": "events", "namespace": "kafka"}
    if annotations:
        meta["annotations"] = annotations
    cls: Any = Kafka if api_version == V1 else KafkaV1Beta2
    return cls.from_manifest({"apiVersion": api_version, "metadata": meta,
                       "spec": {"kafka": {"listeners": list(listeners) or [listener()], **kafka_fields}, **spec_extra}})


def pool(storage: dict[str, Any] | None = None, api_version: str = V1, labels: dict[str, str] | None = None,
         **spec: Any) -> KafkaNodePool:
    base: dict[str, Any] = {"replicas": 3, "roles": ["controller", "broker"],
                            "storage": storage or {"type": "jbod", "volumes": [
                                {"id": 0, "type": "persistent-claim", "size": "10Gi", "kraftMetadata": "shared"}]}}
    cls: Any = KafkaNodePool if api_version == V1 else KafkaNodePoolV1Beta2
    return cls.from_manifest({"apiVersion": api_version, "metadata": {
        "name": "dual", "namespace": "kafka", "labels": {CLUSTER_LABEL: "events"} if labels is None else labels},
        "spec": {**base, **spec}})


def config_problem(type_: str, configuration: dict[str, Any], path: str, value: object) -> None:
    refused(lambda: kafka(listener(type=type_, tls=type_ in ("route", "ingress"), configuration=configuration)),
            "Kafka 'events'", f"spec.kafka.listeners[0].configuration.{path}", value)


# -- Kafka -------------------------------------------------------------------------------------
class TestKafka:
    def test_seed_cluster_v1beta2(self) -> None:
        """The seed's v1beta2 Kafka with KRaft and node-pool annotations builds and validates."""
        model = kafka(*SEED_LISTENERS, api_version=V1BETA2, version="3.9.0",
                      annotations={"strimzi.io/kraft": "enabled", "strimzi.io/node-pools": "enabled"})
        manifest = model.to_manifest()
        assert manifest["apiVersion"] == V1BETA2
        assert manifest["spec"]["kafka"]["listeners"] == SEED_LISTENERS
        assert uses_node_pools(model) and kraft(model)
        assert not schema_errors(manifest)

    def test_current_equivalent_v1(self) -> None:
        """The same cluster as kafka.strimzi.io/v1 (the default for new objects) needs no annotations."""
        model = kafka(*SEED_LISTENERS, version="4.1.0", metadataVersion="4.1-IV1",
                      spec_extra={"entityOperator": {"topicOperator": {}, "userOperator": {}}})
        manifest = model.to_manifest()
        assert manifest["apiVersion"] == V1
        assert uses_node_pools(model) and kraft(model)
        assert not schema_errors(manifest)

    def test_typed_sections_round_trip(self) -> None:
        """Listener configuration, authentication, config, entity operator and CA settings round-trip."""
        doc = {"apiVersion": V1, "kind": "Kafka", "metadata": {"name": "events", "namespace": "kafka"}, "spec": {
            "kafka": {"version": "4.1.0", "listeners": [
                {"name": "tls", "port": 9093, "type": "internal", "tls": True, "authentication": {"type": "tls"},
                 "configuration": {"useServiceDnsDomain": True, "brokerCertChainAndKey": {
                     "secretName": "kafka-tls", "certificate": "tls.crt", "key": "tls.key"}}},
                {"name": "external", "port": 9094, "type": "loadbalancer", "tls": True,
                 "authentication": {"type": "scram-sha-512"},
                 "configuration": {"externalTrafficPolicy": "Local", "loadBalancerSourceRanges": ["10.0.0.0/8"],
                                   "class": "internal-lb", "bootstrap": {"loadBalancerIP": "10.0.0.10",
                                                                         "annotations": {"a": "b"}},
                                   "brokers": [{"broker": 0, "loadBalancerIP": "10.0.0.11", "advertisedHost": "b0"}]}},
                {"name": "np", "port": 9095, "type": "nodeport", "tls": False,
                 "configuration": {"preferredNodePortAddressType": "InternalIP", "bootstrap": {"nodePort": 32100},
                                   "brokers": [{"broker": 0, "nodePort": 32101}]}},
                {"name": "route", "port": 9096, "type": "route", "tls": True,
                 "configuration": {"bootstrap": {"host": "bootstrap.apps.example.com"},
                                   "brokers": [{"broker": 0, "host": "b0.apps.example.com"}]}}],
                      "config": {"default.replication.factor": 3, "min.insync.replicas": 2},
                      "authorization": {"type": "simple"}, "metricsConfig": {"type": "strimziMetricsReporter"}},
            "entityOperator": {"topicOperator": {}, "userOperator": {"watchedNamespace": "kafka"}},
            "clusterCa": {"validityDays": 365}, "cruiseControl": {}, "maintenanceTimeWindows": ["* * 0-1 ? * SUN *"]}}
        model = Kafka.from_manifest(doc)
        assert model.to_manifest() == doc
        assert model.spec.kafka.listeners[1].configuration is not None
        assert model.spec.kafka.listeners[1].configuration.class_ == "internal-lb"
        assert not schema_errors(doc)

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches every served version of the three kinds to that version's class."""
        assert type(from_manifest(kafka().to_manifest())) is Kafka
        assert type(from_manifest(kafka(api_version=V1BETA2).to_manifest())) is KafkaV1Beta2
        assert type(from_manifest(pool().to_manifest())) is KafkaNodePool
        assert type(from_manifest(pool(api_version=V1BETA2).to_manifest())) is KafkaNodePoolV1Beta2
        topics = {V1: KafkaTopic, V1BETA2: KafkaTopicV1Beta2, "kafka.strimzi.io/v1beta1": KafkaTopicV1Beta1,
                  "kafka.strimzi.io/v1alpha1": KafkaTopicV1Alpha1}
        for version, cls in topics.items():
            doc = {"apiVersion": version, "kind": "KafkaTopic", "metadata": {"name": "t", "labels": {CLUSTER_LABEL: "e"}},
                   "spec": {}}
            assert type(from_manifest(doc)) is cls

    def test_listener_name_pattern(self) -> None:
        """Listener names are 1-11 lowercase letters and digits."""
        refused(lambda: kafka(listener(name="external-tls")), "Kafka 'events'", "spec.kafka.listeners[0].name",
                "'external-tls'")

    def test_listener_port_lowest(self) -> None:
        """Listener ports start at 9092."""
        refused(lambda: kafka(listener(port=9091)), "Kafka 'events'", "spec.kafka.listeners[0].port", "9091", "9092")

    def test_listener_port_reserved(self) -> None:
        """9404 (metrics) and 9999 (JMX) are Strimzi's."""
        refused(lambda: kafka(listener(port=9404)), "Kafka 'events'", "spec.kafka.listeners[0].port", "9404")
        refused(lambda: kafka(listener(port=9999)), "Kafka 'events'", "spec.kafka.listeners[0].port", "9999")

    def test_listener_names_unique(self) -> None:
        """Listener names are unique."""
        refused(lambda: kafka(listener(), listener(port=9093)), "Kafka 'events'", "spec.kafka.listeners[1].name", "'plain'")

    def test_listener_ports_unique(self) -> None:
        """Listener ports are unique."""
        refused(lambda: kafka(listener(), listener(name="tls", tls=True)), "Kafka 'events'",
                "spec.kafka.listeners[1].port", "9092")

    def test_listeners_required(self) -> None:
        """At least one listener (both versions' schemas say so)."""
        refused(lambda: Kafka.from_manifest({"metadata": {"name": "events"}, "spec": {"kafka": {"listeners": []}}}), "Kafka 'events'",
                "spec.kafka.listeners", "at least 1 item")
        refused(lambda: KafkaV1Beta2.from_manifest({"metadata": {"name": "events"}, "spec": {"kafka": {"listeners": []}}}),
                "Kafka 'events'", "spec.kafka.listeners", "at least 1 item")

    def test_listener_type_enum(self) -> None:
        """type is one of Strimzi's listener types."""
        refused(lambda: kafka(listener(type="external")), "Kafka 'events'", "spec.kafka.listeners[0].type", "'external'")

    def test_listener_tls_required(self) -> None:
        """tls is required on every listener."""
        bare = listener()
        del bare["tls"]
        refused(lambda: kafka(bare), "Kafka 'events'", "spec.kafka.listeners[0].tls", "required")

    def test_route_and_ingress_need_tls(self) -> None:
        """route and ingress listeners need TLS."""
        refused(lambda: kafka(listener(type="route")), "Kafka 'events'", "spec.kafka.listeners[0].tls", "false", "route")

    def test_authentication_type(self) -> None:
        """authentication.type is tls, scram-sha-512, oauth or custom."""
        refused(lambda: kafka(listener(authentication={"type": "plain"})), "Kafka 'events'",
                "spec.kafka.listeners[0].authentication.type", "'plain'")

    def test_tls_authentication_needs_tls(self) -> None:
        """Client-certificate authentication needs a TLS listener."""
        refused(lambda: kafka(listener(authentication={"type": "tls"})), "Kafka 'events'",
                "spec.kafka.listeners[0].authentication.type", "'tls'", "'plain'")

    def test_custom_certificate_needs_tls(self) -> None:
        """brokerCertChainAndKey needs a TLS listener."""
        refused(lambda: kafka(listener(configuration={"brokerCertChainAndKey": {
            "secretName": "s", "certificate": "c", "key": "k"}})), "Kafka 'events'",
            "spec.kafka.listeners[0].configuration.brokerCertChainAndKey", "'plain'")

    def test_type_specific_options(self) -> None:
        """Options of one listener type are refused on the others."""
        config_problem("nodeport", {"useServiceDnsDomain": True}, "useServiceDnsDomain", "true")
        config_problem("internal", {"externalTrafficPolicy": "Local"}, "externalTrafficPolicy", "'Local'")
        config_problem("nodeport", {"loadBalancerSourceRanges": ["10.0.0.0/8"]}, "loadBalancerSourceRanges", "10.0.0.0/8")
        config_problem("loadbalancer", {"preferredNodePortAddressType": "InternalIP"}, "preferredNodePortAddressType",
                       "'InternalIP'")
        config_problem("cluster-ip", {"bootstrap": {"host": "k.example.com"}}, "bootstrap.host", "'k.example.com'")
        config_problem("nodeport", {"bootstrap": {"loadBalancerIP": "10.0.0.1"}}, "bootstrap.loadBalancerIP", "'10.0.0.1'")
        config_problem("loadbalancer", {"bootstrap": {"nodePort": 32000}}, "bootstrap.nodePort", "32000")
        config_problem("route", {"bootstrap": {"annotations": {"dns": "x"}}}, "bootstrap.annotations", "'dns'")
        config_problem("internal", {"brokers": [{"broker": 0, "host": "b0"}]}, "brokers[0].host", "'b0'")
        config_problem("internal", {"brokers": [{"broker": 0, "loadBalancerIP": "10.0.0.2"}]}, "brokers[0].loadBalancerIP",
                       "'10.0.0.2'")
        config_problem("internal", {"brokers": [{"broker": 0, "nodePort": 32001}]}, "brokers[0].nodePort", "32001")
        config_problem("cluster-ip", {"brokers": [{"broker": 0, "annotations": {"a": "b"}}]}, "brokers[0].annotations", "'a'")

    def test_advertised_host_on_any_type(self) -> None:
        """advertisedHost/advertisedPort are allowed on every listener type (the seed's cluster-ip listener)."""
        assert kafka(*SEED_LISTENERS).spec.kafka.listeners[1].configuration is not None

    def test_ingress_needs_hosts(self) -> None:
        """An ingress listener needs the bootstrap host and a host per broker."""
        message = refused(lambda: kafka(listener(type="ingress", tls=True, configuration={"class": "nginx"})),
                          "Kafka 'events'", "spec.kafka.listeners[0].configuration.bootstrap.host", "'plain'")
        assert "spec.kafka.listeners[0].configuration.brokers: " in message

    def test_replicas_positive(self) -> None:
        """spec.kafka.replicas (v1beta2) is at least 1."""
        refused(lambda: kafka(api_version=V1BETA2, replicas=0), "Kafka 'events'", "spec.kafka.replicas", "0")

    def test_v1_refuses_removed_fields(self) -> None:
        """v1 has no zookeeper, jmxTrans, kafka.replicas/storage/resources, tlsSidecar: each is refused with the fix."""
        refused(lambda: kafka(replicas=3), "Kafka 'events'", "spec.kafka.replicas", "3", "KafkaNodePools")
        refused(lambda: kafka(storage={"type": "ephemeral"}), "Kafka 'events'", "spec.kafka.storage", "KafkaNodePools")
        refused(lambda: kafka(resources={"requests": {"cpu": "1"}}), "Kafka 'events'", "spec.kafka.resources", "KafkaNodePools")
        refused(lambda: kafka(spec_extra={"zookeeper": {"replicas": 3, "storage": {"type": "ephemeral"}}}),
                "Kafka 'events'", "spec.zookeeper", "KRaft")
        refused(lambda: kafka(spec_extra={"jmxTrans": {"kafkaQueries": [], "outputDefinitions": []}}), "Kafka 'events'",
                "spec.jmxTrans", "metricsConfig")
        refused(lambda: kafka(spec_extra={"entityOperator": {"tlsSidecar": {}}}), "Kafka 'events'",
                "spec.entityOperator.tlsSidecar", "kafka.strimzi.io/v1")
        refused(lambda: kafka(spec_extra={"cruiseControl": {"tlsSidecar": {}}}), "Kafka 'events'",
                "spec.cruiseControl.tlsSidecar", "kafka.strimzi.io/v1")

    def test_v1_refuses_oauth(self) -> None:
        """oauth listener authentication is v1beta2 only."""
        auth = {"type": "oauth", "validIssuerUri": "https://sso/realms/kafka"}
        refused(lambda: kafka(listener(tls=True, authentication=auth)), "Kafka 'events'",
                "spec.kafka.listeners[0].authentication.type", "'oauth'")
        assert kafka(listener(tls=True, authentication=auth), api_version=V1BETA2).spec.kafka.listeners[0].authentication

    def test_v1beta2_keeps_removed_fields(self) -> None:
        """v1beta2 still accepts replicas, storage and zookeeper (with ZooKeeper-era operators)."""
        old = kafka(api_version=V1BETA2, replicas=3, storage={"type": "persistent-claim", "size": "10Gi"},
                    spec_extra={"zookeeper": {"replicas": 3, "storage": {"type": "ephemeral"}}})
        assert getattr(old.spec, "zookeeper", None) is not None  # v1beta2 only
        assert not schema_errors(old.to_manifest())

    def test_node_pools_ignore_replicas_warning(self) -> None:
        """v1beta2 with node pools enabled warns that kafka.replicas/storage are ignored."""
        with pytest.warns(UserWarning, match=r"spec\.kafka\.replicas.*ignored"):
            kafka(api_version=V1BETA2, replicas=3, annotations={"strimzi.io/node-pools": "enabled"})

    def test_managed_config_warns(self) -> None:
        """Broker options Strimzi manages warn (Strimzi ignores them); the exceptions do not."""
        with pytest.warns(UserWarning, match=r"'listeners', 'node.id'"):
            kafka(config={"listeners": "PLAINTEXT://:9092", "node.id": 1, "ssl.protocol": "TLSv1.3"})
        assert forbidden_config_key("ssl.keystore.location") and not forbidden_config_key("ssl.cipher.suites")
        assert not forbidden_config_key("controller.quorum.election.timeout.ms")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            kafka(config={"default.replication.factor": 3, "ssl.enabled.protocols": "TLSv1.3"})


# -- node pools --------------------------------------------------------------------------------
class TestKafkaNodePool:
    def test_round_trip(self) -> None:
        """A node pool with every typed field round-trips and validates."""
        doc = {"apiVersion": V1, "kind": "KafkaNodePool",
               "metadata": {"name": "brokers", "namespace": "kafka", "labels": {CLUSTER_LABEL: "events"}},
               "spec": {"replicas": 3, "roles": ["broker"], "resources": {"requests": {"memory": "2Gi"}},
                        "jvmOptions": {"-Xms": "1g", "-Xmx": "1g"},
                        "storage": {"type": "jbod", "volumes": [
                            {"id": 0, "type": "persistent-claim", "size": "100Gi", "class": "fast", "deleteClaim": False,
                             "kraftMetadata": "shared"},
                            {"id": 1, "type": "ephemeral", "sizeLimit": "1Gi"}]}}}
        model = KafkaNodePool.from_manifest(doc)
        assert model.to_manifest() == doc
        assert pool_cluster(model) == "events"
        assert not schema_errors(doc)

    def test_cluster_label_required(self) -> None:
        """The strimzi.io/cluster label is required."""
        refused(lambda: pool(labels={}), "KafkaNodePool 'dual'", "metadata.labels", "strimzi.io/cluster")

    def test_replicas_not_negative(self) -> None:
        """replicas is 0 or more."""
        refused(lambda: pool(replicas=-1), "KafkaNodePool 'dual'", "spec.replicas", "-1")

    def test_roles_required(self) -> None:
        """roles lists at least one role."""
        refused(lambda: pool(roles=[]), "KafkaNodePool 'dual'", "spec.roles", "is empty")

    def test_roles_unique(self) -> None:
        """Each role once."""
        refused(lambda: pool(roles=["broker", "broker"]), "KafkaNodePool 'dual'", "spec.roles", "'broker'")

    def test_roles_enum(self) -> None:
        """roles are controller and broker."""
        refused(lambda: pool(roles=["zookeeper"]), "KafkaNodePool 'dual'", "spec.roles[0]", "'zookeeper'")

    def test_jbod_needs_volumes(self) -> None:
        """jbod storage has at least one volume."""
        refused(lambda: pool({"type": "jbod"}), "KafkaNodePool 'dual'", "spec.storage.volumes", "no volumes")

    def test_volumes_only_with_jbod(self) -> None:
        """volumes only with jbod storage."""
        refused(lambda: pool({"type": "ephemeral", "volumes": [{"id": 0, "type": "ephemeral"}]}), "KafkaNodePool 'dual'",
                "spec.storage.volumes", "'ephemeral'")

    def test_persistent_claim_needs_size(self) -> None:
        """persistent-claim storage and volumes need a size."""
        refused(lambda: pool({"type": "persistent-claim"}), "KafkaNodePool 'dual'", "spec.storage.size", "persistent-claim")
        refused(lambda: pool({"type": "jbod", "volumes": [{"id": 0, "type": "persistent-claim"}]}), "KafkaNodePool 'dual'",
                "spec.storage.volumes[0].size", "persistent-claim")

    def test_jbod_volume_ids(self) -> None:
        """Every jbod volume has an id, unique in the pool."""
        refused(lambda: pool({"type": "jbod", "volumes": [{"type": "ephemeral"}]}), "KafkaNodePool 'dual'",
                "spec.storage.volumes[0].id", "is not set")
        refused(lambda: pool({"type": "jbod", "volumes": [{"id": 0, "type": "ephemeral"}, {"id": 0, "type": "ephemeral"}]}),
                "KafkaNodePool 'dual'", "spec.storage.volumes[1].id", "0", "volumes[0]")

    def test_volume_id_not_negative(self) -> None:
        """Volume ids are 0 or more."""
        refused(lambda: pool({"type": "jbod", "volumes": [{"id": -1, "type": "ephemeral"}]}), "KafkaNodePool 'dual'",
                "spec.storage.volumes[0].id", "-1")

    def test_one_kraft_metadata_volume(self) -> None:
        """At most one volume keeps the KRaft metadata."""
        refused(lambda: pool({"type": "jbod", "volumes": [
            {"id": 0, "type": "ephemeral", "kraftMetadata": "shared"},
            {"id": 1, "type": "ephemeral", "kraftMetadata": "shared"}]}), "KafkaNodePool 'dual'",
            "spec.storage.volumes[1].kraftMetadata", "'shared'")

    def test_size_limit_is_a_size(self) -> None:
        """sizeLimit of ephemeral storage is a quantity."""
        refused(lambda: pool({"type": "ephemeral", "sizeLimit": "lots"}), "KafkaNodePool 'dual'", "spec.storage.sizeLimit",
                "'lots'")

    def test_storage_type_enum(self) -> None:
        """storage.type is jbod, persistent-claim or ephemeral."""
        refused(lambda: pool({"type": "local"}), "KafkaNodePool 'dual'", "spec.storage.type", "'local'")

    def test_v1_refuses_overrides(self) -> None:
        """Per-broker storage overrides are v1beta2 only."""
        storage = {"type": "jbod", "volumes": [{"id": 0, "type": "persistent-claim", "size": "1Gi",
                                                "overrides": [{"broker": 0, "class": "fast"}]}]}
        refused(lambda: pool(storage), "KafkaNodePool 'dual'", "spec.storage.volumes[0].overrides", "kafka.strimzi.io/v1")
        assert pool(storage, api_version=V1BETA2).spec.storage.volumes


# -- topics ------------------------------------------------------------------------------------
class TestKafkaTopic:
    def topic(self, **spec: Any) -> KafkaTopic:
        return KafkaTopic.from_manifest({"metadata": {"name": "orders", "namespace": "kafka", "labels": {CLUSTER_LABEL: "events"}},
                                "spec": spec})

    def test_round_trip(self) -> None:
        """partitions, replicas, topicName and free-form config round-trip and validate."""
        doc = self.topic(partitions=6, replicas=3, topicName="Orders_v1",
                         config={"retention.ms": 604800000, "cleanup.policy": "compact"}).to_manifest()
        assert KafkaTopic.from_manifest(doc).to_manifest() == doc
        assert not schema_errors(doc)

    def test_partitions_positive(self) -> None:
        """partitions is at least 1."""
        refused(lambda: self.topic(partitions=0), "KafkaTopic 'orders'", "spec.partitions", "0")

    def test_replicas_range(self) -> None:
        """replicas is 1-32767."""
        refused(lambda: self.topic(replicas=0), "KafkaTopic 'orders'", "spec.replicas", "0")
        refused(lambda: self.topic(replicas=40000), "KafkaTopic 'orders'", "spec.replicas", "40000")

    def test_topic_name_is_a_kafka_name(self) -> None:
        """topicName uses Kafka's topic name characters."""
        refused(lambda: self.topic(topicName="orders/eu"), "KafkaTopic 'orders'", "spec.topicName", "'orders/eu'")
        refused(lambda: self.topic(topicName=".."), "KafkaTopic 'orders'", "spec.topicName", "'..'")

    def test_spec_required_in_v1(self) -> None:
        """kafka.strimzi.io/v1 requires spec (older versions do not)."""
        labels = {CLUSTER_LABEL: "events"}
        refused(lambda: KafkaTopic.from_manifest({"metadata": {"name": "orders", "labels": labels}}), "KafkaTopic 'orders'", "spec",
                "required")
        assert KafkaTopicV1Beta2.from_manifest({"metadata": {"name": "orders", "labels": labels}}).spec is None

    def test_cluster_label_warns(self) -> None:
        """A topic without the strimzi.io/cluster label warns (the topic operator ignores it)."""
        with pytest.warns(UserWarning, match="strimzi.io/cluster"):
            KafkaTopic.from_manifest({"metadata": {"name": "orders"}, "spec": {"partitions": 1}})


# -- across objects ----------------------------------------------------------------------------
def _index(*models: Any) -> ObjectIndex:
    index = ObjectIndex("dev")
    for model in models:
        index.add(RenderedObject(model.to_manifest(), "kafka", model))
    return index


class TestNodePoolCheck:
    def test_registered(self) -> None:
        """The check runs at every synth."""
        assert kafka_node_pools in global_checks()

    def test_complete_cluster_passes(self) -> None:
        """A v1 Kafka with a dual-role pool has no problem."""
        assert list(kafka_node_pools(_index(kafka(), pool()))) == []

    def test_pool_names_missing_kafka(self) -> None:
        """A pool whose label names no Kafka in its namespace is reported."""
        problems = list(kafka_node_pools(_index(kafka(), pool(), pool(labels={CLUSTER_LABEL: "event"}))))
        assert len(problems) == 1
        text = str(problems[0])
        assert "KafkaNodePool 'dual'" in text and f"metadata.labels.{CLUSTER_LABEL}: 'event'" in text

    def test_kafka_without_pools(self) -> None:
        """A KRaft Kafka without node pools is reported."""
        problems = list(kafka_node_pools(_index(kafka())))
        assert len(problems) == 1 and "Kafka 'events'" in str(problems[0]) and "no KafkaNodePool" in str(problems[0])

    def test_kafka_needs_both_roles(self) -> None:
        """A KRaft Kafka needs a controller pool and a broker pool."""
        problems = list(kafka_node_pools(_index(kafka(), pool(roles=["broker"]))))
        assert len(problems) == 1 and "controller role" in str(problems[0]) and "'events'" in str(problems[0])

    def test_zookeeper_cluster_not_checked(self) -> None:
        """A v1beta2 Kafka without the node-pools annotation keeps its own replicas: not checked."""
        old = kafka(api_version=V1BETA2, replicas=3, storage={"type": "ephemeral"})
        assert list(kafka_node_pools(_index(old))) == []


# -- corpus and schemas ------------------------------------------------------------------------
class TestUpstreamExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every Kafka, KafkaNodePool and KafkaTopic in upstream-examples round-trips and validates against its schema."""
        counts: dict[str, int] = {}
        for name, _, doc in upstream_documents(kinds=KINDS, group="kafka.strimzi.io"):
            model = from_manifest(doc)
            assert isinstance(model, KINDS[doc["kind"]]), name
            assert model.to_manifest() == doc, name
            assert not schema_errors(model.to_manifest()), name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\nstrimzi round trip: {counts}")
        assert counts == EXPECTED_COUNTS

    def test_upstream_clusters_pass_the_node_pool_check(self) -> None:
        """Each upstream Kafka file (Kafka plus its node pools) passes the cross-object check."""
        for name, _, _doc in upstream_documents(kinds={"Kafka": Kafka}, group="kafka.strimzi.io"):
            path = shared_dir("upstream-examples") / name
            index = ObjectIndex("dev")
            for item in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                if isinstance(item, dict) and item.get("kind") in KINDS:
                    index.add(RenderedObject(item, "kafka", from_manifest(item)))
            assert list(kafka_node_pools(index)) == [], name

    def test_built_objects_validate(self) -> None:
        """The seed's Kafka (both versions), node pools and a topic synthesized by a chart validate against the schemas."""
        chart = GitOpsChart(cdk8s.App(), "dev-kafka", app_name="kafka", namespace="kafka")
        TypedResource(chart, KafkaV1Beta2.from_manifest({"metadata": {
            "name": "kafka-cluster", "annotations": {"strimzi.io/kraft": "enabled", "strimzi.io/node-pools": "enabled"}},
            "spec": {"kafka": {"version": "3.9.0", "listeners": SEED_LISTENERS}}}))
        TypedResource(chart, KafkaNodePoolV1Beta2.from_manifest({"metadata": {
            "name": "dual-role", "labels": {CLUSTER_LABEL: "kafka-cluster"}},
            "spec": {"replicas": 1, "roles": ["controller", "broker"], "storage": {"type": "jbod", "volumes": [
                {"id": 0, "type": "persistent-claim", "size": "10Gi", "deleteClaim": False}]}}}))
        TypedResource(chart, kafka(*SEED_LISTENERS, version="4.1.0"))
        TypedResource(chart, pool())
        TypedResource(chart, KafkaTopic.from_manifest({"metadata": {"name": "orders", "labels": {CLUSTER_LABEL: "events"}},
                                              "spec": {"partitions": 3, "replicas": 1, "config": {"retention.ms": 7200000}}}))
        objects = collect_chart(chart, "kafka")
        assert len(objects) == 5
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.name
        index = ObjectIndex("dev")
        for obj in objects:
            index.add(obj)
        assert list(kafka_node_pools(index)) == []
