"""CloudNativePG: Cluster, Backup, ScheduledBackup (postgresql.cnpg.io/v1)."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import refused, schema_errors, upstream_documents

from cdk8s_gitops import GitOpsChart, ManifestError, TypedResource, from_manifest
from cdk8s_gitops.addons import Cluster, ScheduledBackup
from cdk8s_gitops.addons.cloudnative_pg import FIXED_PARAMETERS, Backup
from cdk8s_gitops.synth import collect_chart

V1 = "postgresql.cnpg.io/v1"
KINDS: dict[str, type] = {"Cluster": Cluster, "Backup": Backup, "ScheduledBackup": ScheduledBackup}
EXPECTED_COUNTS = {"Cluster": 6, "Backup": 1, "ScheduledBackup": 1}

# The seed's database (004): storage is not in the seed but the operator requires a size.
SEED_SPEC: dict[str, Any] = {
    "imageName": "ghcr.io/voltade/postgres:17.5-20250805-859fe66",
    "instances": 1,
    "postgresql": {"parameters": {"wal_level": "logical", "max_wal_senders": "10", "max_replication_slots": "10",
                                  "pgsodium.enable_event_trigger": "off"},
                   "shared_preload_libraries": ["supabase_vault"]},
    "managed": {"roles": [{"name": "admin", "login": True, "superuser": True, "replication": True}]},
    "storage": {"size": "1Gi"},
}


# -- helpers -----------------------------------------------------------------------------------
def cluster(name: str = "pg", **spec: Any) -> Cluster:
    base: dict[str, Any] = {"instances": 3, "storage": {"size": "1Gi"}}
    return Cluster.from_manifest({"metadata": {"name": name, "namespace": "db"}, "spec": {**base, **spec}})


def scheduled(**spec: Any) -> ScheduledBackup:
    base: dict[str, Any] = {"schedule": "0 0 2 * * *", "cluster": {"name": "pg"}}
    return ScheduledBackup.from_manifest({"metadata": {"name": "pg-nightly", "namespace": "db"}, "spec": {**base, **spec}})


# -- Cluster -----------------------------------------------------------------------------------
class TestClusterModel:
    def test_seed_cluster(self) -> None:
        """The seed's Cluster (parameters, shared_preload_libraries, managed roles) builds with upstream keys."""
        db = Cluster.from_manifest({"metadata": {"name": "cnpg-cluster", "namespace": "services"}, "spec": SEED_SPEC})
        manifest = db.to_manifest()
        assert manifest["spec"] == SEED_SPEC
        assert manifest["spec"]["postgresql"]["shared_preload_libraries"] == ["supabase_vault"]
        assert not schema_errors(manifest)

    def test_every_typed_section_round_trips(self) -> None:
        """bootstrap, backup, monitoring, certificates, roles, resources and env round-trip unchanged."""
        doc = {"apiVersion": V1, "kind": "Cluster", "metadata": {"name": "pg", "namespace": "db"}, "spec": {
            "instances": 3, "imageName": "ghcr.io/cloudnative-pg/postgresql:17.5", "enableSuperuserAccess": True,
            "superuserSecret": {"name": "pg-superuser"}, "primaryUpdateStrategy": "supervised",
            "primaryUpdateMethod": "switchover", "logLevel": "info", "enablePDB": True, "postgresUID": 26,
            "postgresql": {"parameters": {"max_connections": "200"}, "pg_hba": ["host all all 10.0.0.0/8 scram-sha-256"],
                           "pg_ident": ["map os pg"], "synchronous": {"method": "any", "number": 1}},
            "bootstrap": {"initdb": {"database": "app", "owner": "app", "secret": {"name": "app-user"},
                                     "postInitSQL": ["select 1"], "localeCType": "C", "walSegmentSize": 32,
                                     "import": {"type": "microservice", "databases": ["app"],
                                                "source": {"externalCluster": "old"}}}},
            "externalClusters": [{"name": "old", "connectionParameters": {"host": "old-rw", "dbname": "app"},
                                  "password": {"name": "old", "key": "password"}}],
            "storage": {"storageClass": "standard", "pvcTemplate": {"accessModes": ["ReadWriteOnce"],
                                                                     "resources": {"requests": {"storage": "5Gi"}}}},
            "walStorage": {"size": "1Gi"},
            "managed": {"roles": [{"name": "reader", "ensure": "present", "login": True, "inRoles": ["pg_read_all_data"],
                                   "passwordSecret": {"name": "reader"}, "connectionLimit": -1,
                                   "validUntil": "2030-01-01T00:00:00Z", "comment": "read only"}]},
            "backup": {"retentionPolicy": "4w", "target": "primary",
                       "barmanObjectStore": {"destinationPath": "s3://backups/pg", "wal": {"compression": "gzip"}}},
            "monitoring": {"enablePodMonitor": True, "customQueriesConfigMap": [{"name": "q", "key": "queries.yaml"}],
                           "metricsQueriesTTL": "30s"},
            "certificates": {"serverTLSSecret": "pg-server", "serverCASecret": "pg-ca", "clientCASecret": "pg-client-ca",
                             "replicationTLSSecret": "pg-replication"},
            "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}},
            "env": [{"name": "TZ", "value": "UTC"}],
            "inheritedMetadata": {"labels": {"team": "db"}},
        }}
        model = Cluster.from_manifest(doc)
        assert model.to_manifest() == doc
        assert model.spec.bootstrap is not None and model.spec.bootstrap.initdb is not None
        assert model.spec.bootstrap.initdb.import_ is not None
        assert not schema_errors(doc)

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches Cluster, Backup and ScheduledBackup to these models."""
        assert type(from_manifest(cluster().to_manifest())) is Cluster
        assert type(from_manifest(scheduled().to_manifest())) is ScheduledBackup
        assert type(from_manifest({"apiVersion": V1, "kind": "Backup", "metadata": {"name": "b"},
                                   "spec": {"cluster": {"name": "pg"}}})) is Backup

    def test_instances_at_least_one(self) -> None:
        """instances is at least 1."""
        refused(lambda: cluster(instances=0), "Cluster 'pg'", "spec.instances", "0")

    def test_instances_defaults_upstream(self) -> None:
        """instances is required by the schema but has a default (1) that the API server fills in: it may be left out; 0 is refused."""
        loaded = Cluster.from_manifest({"metadata": {"name": "pg"}, "spec": {"storage": {"size": "1Gi"}}})
        assert loaded.spec is not None and loaded.spec.instances is None
        assert "instances" not in loaded.to_manifest()["spec"]
        refused(lambda: Cluster.from_manifest({"metadata": {"name": "pg"}, "spec": {"instances": 0, "storage": {"size": "1Gi"}}}), "Cluster 'pg'",
                "spec.instances", "0")

    def test_name_is_a_dns1035_label(self) -> None:
        """The name becomes Service names: a DNS-1035 label."""
        with pytest.raises(ManifestError) as info:
            cluster(name="pg.main")
        assert "Cluster 'pg.main': metadata.name 'pg.main'" in str(info.value)
        assert "RFC 1035" in str(info.value)

    def test_name_length(self) -> None:
        """The name is at most 50 characters."""
        name = "p" * 51
        refused(lambda: cluster(name=name), f"Cluster '{name}'", "metadata.name", "51", "50")

    def test_image_name_not_with_catalog(self) -> None:
        """imageName and imageCatalogRef are exclusive."""
        refused(lambda: cluster(imageName="postgres:17", imageCatalogRef={"apiGroup": "postgresql.cnpg.io",
                                                                          "kind": "ImageCatalog", "name": "c", "major": 17}),
                "Cluster 'pg'", "spec.imageName", "'postgres:17'", "imageCatalogRef")

    def test_image_not_latest(self) -> None:
        """An image tagged latest, or without a tag, is refused."""
        refused(lambda: cluster(imageName="postgres:latest"), "Cluster 'pg'", "spec.imageName", "'postgres:latest'")
        refused(lambda: cluster(imageName="registry:5000/postgres"), "Cluster 'pg'", "spec.imageName", "'registry:5000/postgres'",
                "latest")

    def test_image_not_digest_only(self) -> None:
        """A digest without a version tag is refused."""
        refused(lambda: cluster(imageName="postgres@sha256:abcd"), "Cluster 'pg'", "spec.imageName", "'postgres@sha256:abcd'",
                "digest")
        assert cluster(imageName="postgres:17.5@sha256:abcd").spec.image_name == "postgres:17.5@sha256:abcd"

    def test_image_tag_is_a_version(self) -> None:
        """The tag starts with the PostgreSQL version."""
        refused(lambda: cluster(imageName="postgres:bookworm"), "Cluster 'pg'", "spec.imageName", "'bookworm'")

    def test_image_version_supported(self) -> None:
        """PostgreSQL 12 or newer."""
        refused(lambda: cluster(imageName="postgres:11.22"), "Cluster 'pg'", "spec.imageName", "'postgres:11.22'", "12")

    def test_storage_size_required(self) -> None:
        """storage needs a size (or a storage request in pvcTemplate)."""
        refused(lambda: cluster(storage=None), "Cluster 'pg'", "spec.storage.size", "no storage size")
        refused(lambda: cluster(storage={"storageClass": "fast"}), "Cluster 'pg'", "spec.storage.size", "no storage size")

    def test_storage_size_is_a_quantity(self) -> None:
        """storage.size is a Kubernetes quantity."""
        refused(lambda: cluster(storage={"size": "1 GB"}), "Cluster 'pg'", "spec.storage.size", "'1 GB'")

    def test_wal_storage_size_required(self) -> None:
        """walStorage, when given, needs a size too."""
        refused(lambda: cluster(walStorage={"storageClass": "fast"}), "Cluster 'pg'", "spec.walStorage.size", "WAL")

    def test_fixed_parameters_refused(self) -> None:
        """Parameters the operator manages (port, archive_mode, ssl...) are refused."""
        assert {"port", "archive_mode", "ssl", "listen_addresses"} <= FIXED_PARAMETERS
        refused(lambda: cluster(postgresql={"parameters": {"port": "5433"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.port", "'5433'")

    def test_shared_preload_libraries_not_a_parameter(self) -> None:
        """shared_preload_libraries goes into its own list, not into parameters."""
        refused(lambda: cluster(postgresql={"parameters": {"shared_preload_libraries": "pg_cron"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.shared_preload_libraries", "'pg_cron'", "postgresql.shared_preload_libraries")

    def test_parameter_values_are_strings(self) -> None:
        """Parameter values are strings, as upstream requires (quote numbers in YAML)."""
        refused(lambda: cluster(postgresql={"parameters": {"max_connections": 200}}), "Cluster 'pg'",
                "spec.postgresql.parameters.max_connections", "200")

    def test_wal_level_values(self) -> None:
        """wal_level is logical, replica or minimal."""
        refused(lambda: cluster(postgresql={"parameters": {"wal_level": "archive"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.wal_level", "'archive'")

    def test_wal_level_minimal_needs_single_instance(self) -> None:
        """wal_level minimal cannot feed replicas."""
        refused(lambda: cluster(postgresql={"parameters": {"wal_level": "minimal"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.wal_level", "'minimal'")

    def test_wal_log_hints(self) -> None:
        """wal_log_hints is a PostgreSQL boolean, and on with replicas."""
        refused(lambda: cluster(postgresql={"parameters": {"wal_log_hints": "maybe"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.wal_log_hints", "'maybe'")
        refused(lambda: cluster(postgresql={"parameters": {"wal_log_hints": "off"}}), "Cluster 'pg'",
                "spec.postgresql.parameters.wal_log_hints", "'off'", "3 instances")

    def test_sync_replica_bounds(self) -> None:
        """minSyncReplicas <= maxSyncReplicas < instances, both non-negative."""
        refused(lambda: cluster(maxSyncReplicas=3), "Cluster 'pg'", "spec.maxSyncReplicas", "3", "instances 3")
        refused(lambda: cluster(minSyncReplicas=2, maxSyncReplicas=1), "Cluster 'pg'", "spec.minSyncReplicas", "2",
                "maxSyncReplicas 1")
        refused(lambda: cluster(minSyncReplicas=-1), "Cluster 'pg'", "spec.minSyncReplicas", "-1")

    def test_synchronous_not_with_legacy_fields(self) -> None:
        """postgresql.synchronous and min/maxSyncReplicas are exclusive."""
        refused(lambda: cluster(maxSyncReplicas=1, postgresql={"synchronous": {"method": "any", "number": 1}}),
                "Cluster 'pg'", "spec.postgresql.synchronous", "minSyncReplicas/maxSyncReplicas")

    def test_synchronous_number_below_instances(self) -> None:
        """synchronous.number is below the instances plus standby names."""
        refused(lambda: cluster(postgresql={"synchronous": {"method": "first", "number": 3}}), "Cluster 'pg'",
                "spec.postgresql.synchronous.number", "3")

    def test_synchronous_number_positive(self) -> None:
        """synchronous.number is above 0."""
        refused(lambda: cluster(postgresql={"synchronous": {"method": "any", "number": 0}}), "Cluster 'pg'",
                "spec.postgresql.synchronous.number", "0")

    def test_preferred_durability_without_standby_names(self) -> None:
        """dataDurability preferred cannot list standby names."""
        refused(lambda: cluster(postgresql={"synchronous": {"method": "any", "number": 1, "dataDurability": "preferred",
                                                            "standbyNamesPre": ["x"]}}),
                "Cluster 'pg'", "spec.postgresql.synchronous.dataDurability", "'preferred'")

    def test_supervised_needs_replicas(self) -> None:
        """primaryUpdateStrategy supervised needs more than one instance."""
        refused(lambda: cluster(instances=1, primaryUpdateStrategy="supervised"), "Cluster 'pg'",
                "spec.primaryUpdateStrategy", "'supervised'", "instances is 1")

    def test_one_bootstrap_method(self) -> None:
        """bootstrap has at most one method."""
        refused(lambda: cluster(bootstrap={"initdb": {}, "pg_basebackup": {"source": "x"}},
                                externalClusters=[{"name": "x", "connectionParameters": {"host": "x"}}]),
                "Cluster 'pg'", "spec.bootstrap.pg_basebackup", "initdb")

    def test_database_and_owner_together(self) -> None:
        """initdb, recovery and pg_basebackup take database and owner together."""
        refused(lambda: cluster(bootstrap={"initdb": {"database": "shop"}}), "Cluster 'pg'", "spec.bootstrap.initdb.owner",
                "'shop'")
        refused(lambda: cluster(bootstrap={"recovery": {"owner": "shop", "backup": {"name": "b"}}}), "Cluster 'pg'",
                "spec.bootstrap.recovery.database", "'shop'")

    def test_wal_segment_size_power_of_two(self) -> None:
        """initdb.walSegmentSize is a power of 2 from 1 to 1024."""
        refused(lambda: cluster(bootstrap={"initdb": {"walSegmentSize": 24}}), "Cluster 'pg'",
                "spec.bootstrap.initdb.walSegmentSize", "24")

    def test_bootstrap_sources_are_external_clusters(self) -> None:
        """pg_basebackup.source, recovery.source and replica.source name externalClusters entries."""
        refused(lambda: cluster(bootstrap={"pg_basebackup": {"source": "origin"}}), "Cluster 'pg'",
                "spec.bootstrap.pg_basebackup.source", "'origin'")
        refused(lambda: cluster(bootstrap={"recovery": {"source": "store"}}), "Cluster 'pg'",
                "spec.bootstrap.recovery.source", "'store'")
        refused(lambda: cluster(replica={"enabled": True, "source": "primary-dc"}), "Cluster 'pg'", "spec.replica.source",
                "'primary-dc'")

    def test_external_cluster_names_unique(self) -> None:
        """externalClusters names are unique."""
        peer = {"name": "old", "connectionParameters": {"host": "old"}}
        refused(lambda: cluster(externalClusters=[peer, peer]), "Cluster 'pg'", "spec.externalClusters[1].name", "'old'")

    def test_external_cluster_needs_a_source(self) -> None:
        """An external cluster has connectionParameters, barmanObjectStore or plugin."""
        refused(lambda: cluster(externalClusters=[{"name": "old"}]), "Cluster 'pg'", "spec.externalClusters[0]", "'old'")

    def test_reserved_environment_variables(self) -> None:
        """PG*, CNPG_*, POD_NAME, NAMESPACE and CLUSTER_NAME are the operator's."""
        refused(lambda: cluster(env=[{"name": "TZ", "value": "UTC"}, {"name": "PGPORT", "value": "1"}]), "Cluster 'pg'",
                "spec.env[1].name", "'PGPORT'")

    def test_role_names_unique(self) -> None:
        """managed.roles names are unique."""
        refused(lambda: cluster(managed={"roles": [{"name": "app"}, {"name": "app", "login": True}]}), "Cluster 'pg'",
                "spec.managed.roles[1].name", "'app'")

    def test_reserved_role_names(self) -> None:
        """postgres, streaming_replica, cnpg_* and pg_* roles are reserved."""
        for name in ("postgres", "streaming_replica", "cnpg_pooler", "pg_monitor"):
            refused(lambda n=name: cluster(managed={"roles": [{"name": n}]}), "Cluster 'pg'", "spec.managed.roles[0].name",
                    repr(name))

    def test_role_connection_limit(self) -> None:
        """connectionLimit is -1 or more."""
        refused(lambda: cluster(managed={"roles": [{"name": "app", "connectionLimit": -2}]}), "Cluster 'pg'",
                "spec.managed.roles[0].connectionLimit", "-2")

    def test_role_password_or_disabled(self) -> None:
        """passwordSecret and disablePassword are exclusive."""
        refused(lambda: cluster(managed={"roles": [{"name": "app", "disablePassword": True,
                                                    "passwordSecret": {"name": "app"}}]}),
                "Cluster 'pg'", "spec.managed.roles[0].passwordSecret", "'app'")

    def test_role_ensure_enum(self) -> None:
        """ensure is present or absent."""
        refused(lambda: cluster(managed={"roles": [{"name": "app", "ensure": "gone"}]}), "Cluster 'pg'",
                "spec.managed.roles[0].ensure", "'gone'")

    def test_rw_service_cannot_be_disabled(self) -> None:
        """The rw Service cannot be disabled."""
        refused(lambda: cluster(managed={"services": {"disabledDefaultServices": ["rw"]}}), "Cluster 'pg'",
                "spec.managed.services.disabledDefaultServices", "'rw'")

    def test_retention_policy(self) -> None:
        """backup.retentionPolicy is a number and d, w or m."""
        refused(lambda: cluster(backup={"retentionPolicy": "30 days"}), "Cluster 'pg'", "spec.backup.retentionPolicy",
                "'30 days'")

    def test_object_store_destination(self) -> None:
        """backup.barmanObjectStore needs a destinationPath (the CRD schema requires it, not empty)."""
        refused(lambda: cluster(backup={"barmanObjectStore": {"endpointURL": "http://minio:9000"}}), "Cluster 'pg'",
                "spec.backup.barmanObjectStore.destinationPath", "required")
        refused(lambda: cluster(backup={"barmanObjectStore": {"destinationPath": ""}}), "Cluster 'pg'",
                "spec.backup.barmanObjectStore.destinationPath", "at least 1 character")

    def test_server_certificate_needs_ca(self) -> None:
        """serverTLSSecret needs serverCASecret, and excludes serverAltDNSNames."""
        refused(lambda: cluster(certificates={"serverTLSSecret": "tls"}), "Cluster 'pg'", "spec.certificates.serverCASecret",
                "'tls'")
        refused(lambda: cluster(certificates={"serverTLSSecret": "tls", "serverCASecret": "ca",
                                              "serverAltDNSNames": ["db.example.com"]}),
                "Cluster 'pg'", "spec.certificates.serverAltDNSNames", "db.example.com")

    def test_replication_certificate_needs_client_ca(self) -> None:
        """replicationTLSSecret needs clientCASecret."""
        refused(lambda: cluster(certificates={"replicationTLSSecret": "repl"}), "Cluster 'pg'",
                "spec.certificates.clientCASecret", "'repl'")

    def test_resources_requests_within_limits(self) -> None:
        """resources requests are at most the limits (the typed Kubernetes model)."""
        refused(lambda: cluster(resources={"requests": {"memory": "2Gi"}, "limits": {"memory": "1Gi"}}), "Cluster 'pg'",
                "spec.resources.requests.memory", "'2Gi'")

    def test_unknown_field_refused(self) -> None:
        """Misspelled fields are refused with the keys allowed there."""
        refused(lambda: cluster(storage={"size": "1Gi", "storageClassName": "x"}), "Cluster 'pg'",
                "spec.storage.storageClassName", "storageClass")


# -- backups -----------------------------------------------------------------------------------
class TestScheduledBackup:
    def test_round_trip(self) -> None:
        """Every ScheduledBackup field round-trips and validates."""
        doc = {"apiVersion": V1, "kind": "ScheduledBackup", "metadata": {"name": "pg-nightly", "namespace": "db"},
               "spec": {"schedule": "0 30 1 * * 1-5", "cluster": {"name": "pg"}, "backupOwnerReference": "self",
                        "immediate": True, "suspend": False, "method": "volumeSnapshot", "online": True,
                        "onlineConfiguration": {"immediateCheckpoint": True}, "target": "prefer-standby"}}
        assert ScheduledBackup.from_manifest(doc).to_manifest() == doc
        assert not schema_errors(doc)

    def test_descriptors_accepted(self) -> None:
        """Descriptors such as @daily and @every 6h are schedules too."""
        for schedule in ("@daily", "@every 6h", "@hourly"):
            assert scheduled(schedule=schedule).spec.schedule == schedule

    def test_six_fields_seconds_first(self) -> None:
        """A five-field schedule is refused (upstream reads it seconds first), with the six-field fix."""
        message = refused(lambda: scheduled(schedule="0 2 * * *"), "ScheduledBackup 'pg-nightly'", "spec.schedule",
                          "'0 2 * * *'", "seconds first")
        assert "'0 0 2 * * *'" in message

    def test_field_ranges(self) -> None:
        """Each cron field is in range."""
        refused(lambda: scheduled(schedule="0 0 25 * * *"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'25'", "0-23")
        refused(lambda: scheduled(schedule="61 0 2 * * *"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'61'", "0-59")

    def test_field_syntax(self) -> None:
        """Steps, ranges and names are checked."""
        refused(lambda: scheduled(schedule="0 */0 * * * *"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'0'")
        refused(lambda: scheduled(schedule="0 0 2 * * FUNDAY"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'FUNDAY'")
        refused(lambda: scheduled(schedule="0 0 5-2 * * *"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'5-2'")

    def test_unknown_descriptor(self) -> None:
        """Only cron's descriptors are accepted."""
        refused(lambda: scheduled(schedule="@nightly"), "ScheduledBackup 'pg-nightly'", "spec.schedule", "'@nightly'")

    def test_owner_reference_enum(self) -> None:
        """backupOwnerReference is none, self or cluster."""
        refused(lambda: scheduled(backupOwnerReference="owner"), "ScheduledBackup 'pg-nightly'",
                "spec.backupOwnerReference", "'owner'")

    def test_cluster_required(self) -> None:
        """cluster is required."""
        refused(lambda: ScheduledBackup.from_manifest({"metadata": {"name": "b"}, "spec": {"schedule": "@daily"}}), "ScheduledBackup 'b'",
                "spec.cluster", "required")

    def test_online_only_with_snapshots(self) -> None:
        """online and onlineConfiguration need method volumeSnapshot (the default method is barmanObjectStore)."""
        refused(lambda: scheduled(online=False), "ScheduledBackup 'pg-nightly'", "spec.online", "False", "volumeSnapshot")
        refused(lambda: scheduled(method="barmanObjectStore", onlineConfiguration={"waitForArchive": True}),
                "ScheduledBackup 'pg-nightly'", "spec.onlineConfiguration", "volumeSnapshot")

    def test_plugin_needs_configuration(self) -> None:
        """method plugin needs pluginConfiguration.name."""
        refused(lambda: scheduled(method="plugin"), "ScheduledBackup 'pg-nightly'", "spec.pluginConfiguration", "'plugin'")
        assert scheduled(method="plugin", pluginConfiguration={"name": "barman-cloud.cloudnative-pg.io"}).spec.method == "plugin"

    def test_backup_shares_the_rules(self) -> None:
        """An on-demand Backup applies the same method rules."""
        refused(lambda: Backup.from_manifest({"metadata": {"name": "b"}, "spec": {"cluster": {"name": "pg"}, "online": True}}),
                "Backup 'b'", "spec.online", "True")


# -- corpus and schemas ------------------------------------------------------------------------
class TestUpstreamExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every Cluster, Backup and ScheduledBackup in upstream-examples round-trips and validates against its schema."""
        counts: dict[str, int] = {}
        for name, _, doc in upstream_documents(kinds=KINDS, group="postgresql.cnpg.io"):
            model = from_manifest(doc)
            assert isinstance(model, KINDS[doc["kind"]]), name
            assert model.to_manifest() == doc, name
            assert not schema_errors(model.to_manifest()), name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\ncloudnative-pg round trip: {counts}")
        assert counts == EXPECTED_COUNTS

    def test_built_objects_validate(self) -> None:
        """A Cluster and ScheduledBackup synthesized by a chart validate against the postgresql.cnpg.io schemas."""
        chart = GitOpsChart(cdk8s.App(), "dev-db", app_name="db", namespace="services")
        TypedResource(chart, Cluster.from_manifest({"metadata": {"name": "cnpg-cluster"}, "spec": {
            **SEED_SPEC, "backup": {"retentionPolicy": "30d", "barmanObjectStore": {
                "destinationPath": "s3://backups/", "endpointURL": "http://minio:9000",
                "s3Credentials": {"accessKeyId": {"name": "minio", "key": "user"},
                                  "secretAccessKey": {"name": "minio", "key": "password"}}}},
            "monitoring": {"enablePodMonitor": False}, "resources": {"requests": {"memory": "512Mi"}}}}))
        TypedResource(chart, ScheduledBackup.from_manifest({"metadata": {"name": "cnpg-cluster-daily"}, "spec": {
            "schedule": "0 0 3 * * *", "cluster": {"name": "cnpg-cluster"}, "backupOwnerReference": "self",
            "immediate": True}}))
        objects = collect_chart(chart, "db")
        assert len(objects) == 2
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.name
