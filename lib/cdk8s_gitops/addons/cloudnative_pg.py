"""CloudNativePG (``postgresql.cnpg.io/v1``): Cluster, Backup and ScheduledBackup.

A Cluster is a PostgreSQL primary with ``instances - 1`` streaming replicas; the operator
creates the pods, the ``<name>-rw``/``-ro``/``-r`` Services and the ``<name>-app`` and
``<name>-superuser`` Secrets. A ScheduledBackup takes Backups of a Cluster on a schedule::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.cloudnative_pg import Cluster, ClusterSpec, ScheduledBackup, ScheduledBackupSpec
    from cdk8s_gitops.models.postgresql_cnpg_io_v1 import ClusterSpecManaged, ClusterSpecManagedRoles, ClusterSpecStorage, Secret

    db = Cluster(
        metadata=ObjectMeta(name="pg", namespace="db"),
        spec=ClusterSpec(
            instances=3,
            image_name="ghcr.io/cloudnative-pg/postgresql:17.5",
            storage=ClusterSpecStorage(size="10Gi"),
            managed=ClusterSpecManaged(roles=[
                ClusterSpecManagedRoles(name="app", login=True, password_secret=Secret(name="app-password")),
            ]),
        ),
    )
    nightly = ScheduledBackup(metadata=ObjectMeta(name="pg-nightly", namespace="db"),
                              spec=ScheduledBackupSpec(schedule="0 0 2 * * *", cluster=Secret(name="pg")))

Validation follows the operator's admission webhook: one bootstrap method, database and
owner given together, storage with a size, image tags that name a PostgreSQL version (not
``latest``), parameters the operator manages refused, sync-replica bounds below
``instances``, managed role names unique and not reserved, retention policies such as
``30d``, and ScheduledBackup schedules in the six-field (seconds first) cron form.

The classes are the generated models of :mod:`cdk8s_gitops.models.postgresql_cnpg_io_v1`
(every field typed from the CRD schema); this module registers the checks above on them.
"""

from __future__ import annotations

import re

from .. import kube  # noqa: F401 - registers the checks of the core/v1 structures a Cluster embeds (env, resources)
from ..core.cron import schedule_error
from ..core.fields import Issues
from ..core.model import check_name
from ..core.schema import semantic_check
from ..core.units import parse_quantity
from ..models.postgresql_cnpg_io_v1 import (
    Backup,
    BackupSpec,
    Cluster,
    ClusterSpec,
    ClusterSpecBackup,
    ClusterSpecBootstrap,
    ClusterSpecBootstrapInitdb,
    ClusterSpecBootstrapPgBasebackup,
    ClusterSpecBootstrapRecovery,
    ClusterSpecCertificates,
    ClusterSpecExternalClusters,
    ClusterSpecManaged,
    ClusterSpecManagedRoles,
    ClusterSpecPostgresql,
    ClusterSpecPostgresqlSynchronous,
    ClusterSpecStorage,
    ScheduledBackup,
    ScheduledBackupSpec,
)

__all__ = ["FIXED_PARAMETERS", "Backup", "BackupSpec", "Cluster", "ClusterSpec", "ScheduledBackup", "ScheduledBackupSpec"]

GROUP = "postgresql.cnpg.io"

FIXED_PARAMETERS = frozenset({
    # need a restart
    "allow_system_table_mods", "archive_mode", "bonjour", "bonjour_name", "cluster_name", "config_file",
    "data_directory", "data_sync_retry", "event_source", "external_pid_file", "hba_file", "hot_standby", "ident_file",
    "jit_provider", "listen_addresses", "logging_collector", "port", "primary_conninfo", "primary_slot_name",
    "recovery_target", "recovery_target_action", "recovery_target_inclusive", "recovery_target_lsn",
    "recovery_target_name", "recovery_target_time", "recovery_target_timeline", "recovery_target_xid",
    "restore_command", "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories",
    "unix_socket_group", "unix_socket_permissions",
    # need a reload
    "archive_cleanup_command", "archive_command", "log_destination", "log_directory", "log_file_mode", "log_filename",
    "log_rotation_age", "log_rotation_size", "log_truncate_on_rotation", "pg_failover_slots.primary_dsn",
    "pg_failover_slots.standby_slot_names", "promote_trigger_file", "recovery_end_command", "recovery_min_apply_delay",
    "restart_after_crash", "ssl", "ssl_ca_file", "ssl_cert_file", "ssl_crl_file", "ssl_dh_params_file",
    "ssl_ecdh_curve", "ssl_key_file", "ssl_passphrase_command", "ssl_passphrase_command_supports_reload",
    "ssl_prefer_server_ciphers", "stats_temp_directory", "synchronous_standby_names", "synchronized_standby_slots",
    "syslog_facility", "syslog_ident", "syslog_sequence_numbers", "syslog_split_messages",
})
"""PostgreSQL parameters the operator sets itself; ``postgresql.parameters`` may not set them."""

_RESERVED_ROLES = ("postgres", "streaming_replica")
_RETENTION = re.compile(r"^[1-9][0-9]*[dwm]$")
_VERSION_TAG = re.compile(r"^(\d+)(\.\d+)*")
_BOOLEAN_ON = ("on", "true", "yes", "1", "t", "y")
_BOOLEAN_OFF = ("off", "false", "no", "0", "f", "n")
_MAX_CLUSTER_NAME = 50


def _image_tag(image: str) -> str | None:
    """The tag of an image reference (``None`` for a digest-only reference, ``latest`` when there is none)."""
    name, at, _digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        return last.rsplit(":", 1)[1]
    return None if at else "latest"



# -- PostgreSQL configuration -------------------------------------------------------------------
@semantic_check(ClusterSpecPostgresqlSynchronous)
def _synchronous(self: ClusterSpecPostgresqlSynchronous) -> None:
    if self.number < 1:
        raise ValueError(f"number: {self.number} is not above 0; wait for at least 1 synchronous standby")
    if self.data_durability == "preferred" and (self.standby_names_pre or self.standby_names_post):
        raise ValueError("dataDurability: 'preferred' cannot be used with standbyNamesPre or standbyNamesPost; "
                         "use 'required' or remove the standby names")


@semantic_check(ClusterSpecPostgresql)
def _postgresql(self: ClusterSpecPostgresql) -> None:
    issues = Issues()
    for key, value in (self.parameters or {}).items():
        if key in FIXED_PARAMETERS:
            hint = ("list the libraries in postgresql.shared_preload_libraries" if key == "shared_preload_libraries"
                    else "remove it (the operator sets it)")
            issues.add(("parameters", key), f"{key} = {value!r} is managed by the operator and cannot be set; {hint}", value)
    wal_level = (self.parameters or {}).get("wal_level")
    if wal_level is not None and wal_level not in ("logical", "replica", "minimal"):
        issues.add(("parameters", "wal_level"), f"{wal_level!r} is not a wal_level; use 'logical', 'replica' or 'minimal'",
                   wal_level)
    issues.raise_any("PostgresConfiguration")


# -- bootstrap ----------------------------------------------------------------------------------
@semantic_check(ClusterSpecBootstrapInitdb, ClusterSpecBootstrapRecovery, ClusterSpecBootstrapPgBasebackup)
def _database_and_owner(self: ClusterSpecBootstrapInitdb | ClusterSpecBootstrapRecovery | ClusterSpecBootstrapPgBasebackup) -> None:
    database, owner = self.database, self.owner
    if database and not owner:
        raise ValueError(f"owner: is not set for database {database!r}; give the owner role together with the database")
    if owner and not database:
        raise ValueError(f"database: is not set for owner {owner!r}; give the database together with its owner")


@semantic_check(ClusterSpecBootstrapInitdb)
def _wal_segment_size(self: ClusterSpecBootstrapInitdb) -> None:
    size = self.wal_segment_size
    if size is not None and (not 1 <= size <= 1024 or size & (size - 1)):
        raise ValueError(f"walSegmentSize: {size} is not a power of 2 between 1 and 1024; use a size in MB such as 16 or 64")


@semantic_check(ClusterSpecBootstrap)
def _one_method(self: ClusterSpecBootstrap) -> None:
    given = [name for name, value in (("initdb", self.initdb), ("recovery", self.recovery),
                                      ("pg_basebackup", self.pg_basebackup)) if value is not None]
    if len(given) > 1:
        raise ValueError(f"{given[1]}: is set together with {given[0]}; bootstrap a cluster with one method")


# -- storage, roles, backup, certificates -------------------------------------------------------
def has_size(storage: ClusterSpecStorage) -> bool:
    """Whether ``storage`` gives a size, or a storage request in its ``pvcTemplate``."""
    if storage.size:
        return True
    template = storage.pvc_template
    requests = template.resources.requests if template is not None and template.resources is not None else None
    return bool(requests and requests.get("storage"))


@semantic_check(ClusterSpecStorage)
def _storage_size(self: ClusterSpecStorage) -> None:
    if self.size is None:
        return
    try:
        parse_quantity(self.size)
    except ValueError:
        raise ValueError(f"size: {self.size!r} is not a Kubernetes quantity; use a number with an optional suffix such as "
                         f"'10Gi' or '500Mi'") from None


@semantic_check(ClusterSpecManagedRoles)
def _role(self: ClusterSpecManagedRoles) -> None:
    if self.name in _RESERVED_ROLES or self.name.startswith(("cnpg_", "pg_")):
        raise ValueError(f"name: {self.name!r} is reserved for PostgreSQL or the operator; choose another role name "
                         f"(not postgres, streaming_replica, cnpg_* or pg_*)")
    if self.connection_limit is not None and self.connection_limit < -1:
        raise ValueError(f"connectionLimit: {self.connection_limit} is below -1; use -1 (no limit) or a positive limit")
    if self.disable_password and self.password_secret is not None:
        raise ValueError(f"passwordSecret: role {self.name!r} sets a password and disablePassword; keep one of them")


@semantic_check(ClusterSpecManaged)
def _managed(self: ClusterSpecManaged) -> None:
    seen: dict[str, int] = {}
    for i, role in enumerate(self.roles or []):
        if role.name in seen:
            raise ValueError(f"roles[{i}].name: {role.name!r} is already managed by roles[{seen[role.name]}]; "
                             f"manage each role once")
        seen[role.name] = i
    if self.services is not None and "rw" in (self.services.disabled_default_services or []):
        raise ValueError("services.disabledDefaultServices: 'rw' cannot be disabled; disable only 'r' or 'ro'")


@semantic_check(ClusterSpecBackup)
def _backup_configuration(self: ClusterSpecBackup) -> None:
    if self.retention_policy is not None and not _RETENTION.match(self.retention_policy):
        raise ValueError(f"retentionPolicy: {self.retention_policy!r} is not a retention policy; use a number and "
                         f"d (days), w (weeks) or m (months) such as '30d'")
    # barmanObjectStore.destinationPath: the CRD schema requires it (not empty).


@semantic_check(ClusterSpecCertificates)
def _certificates(self: ClusterSpecCertificates) -> None:
    if self.server_tls_secret:
        if self.server_alt_dns_names:
            raise ValueError(f"serverAltDNSNames: {self.server_alt_dns_names!r} cannot be used with serverTLSSecret "
                             f"{self.server_tls_secret!r}; put the names into the certificate of that Secret")
        if not self.server_ca_secret:
            raise ValueError(f"serverCASecret: is not set although serverTLSSecret is {self.server_tls_secret!r}; "
                             f"give the Secret holding the CA that signed the server certificate")
    if self.replication_tls_secret and not self.client_ca_secret:
        raise ValueError(f"clientCASecret: is not set although replicationTLSSecret is {self.replication_tls_secret!r}; "
                         f"give the Secret holding the CA that signed the replication certificate")


@semantic_check(ClusterSpecExternalClusters)
def _external_cluster(self: ClusterSpecExternalClusters) -> None:
    if self.connection_parameters is None and self.barman_object_store is None and self.plugin is None:
        raise ValueError(f"external cluster {self.name!r} has no connectionParameters, barmanObjectStore or plugin; "
                         f"give one of them")


# -- Cluster ------------------------------------------------------------------------------------
def _instances(spec: ClusterSpec) -> int:
    """``instances`` as the operator sees it (upstream default 1 when not written)."""
    return spec.instances if spec.instances is not None else 1


@semantic_check(ClusterSpec)
def _cluster_spec(self: ClusterSpec) -> None:
    issues = Issues()
    if _instances(self) < 1:
        issues.add(("instances",), f"{_instances(self)} is below 1; run at least 1 instance", _instances(self))
    _check_image(self, issues)
    _check_storage(self, issues)
    _check_replication(self, issues)
    _check_sources(self, issues)
    for i, var in enumerate(self.env or []):
        upper = var.name.upper()
        if upper.startswith(("PG", "CNPG_")) or upper in ("POD_NAME", "NAMESPACE", "CLUSTER_NAME"):
            issues.add(("env", i, "name"), f"{var.name!r} is reserved for the operator (PG*, CNPG_*, POD_NAME, "
                                           f"NAMESPACE, CLUSTER_NAME); rename the variable", var.name)
    issues.raise_any("ClusterSpec")

def _check_image(self: ClusterSpec, issues: Issues) -> None:
    if self.image_name is not None and self.image_catalog_ref is not None:
        issues.add(("imageName",), f"{self.image_name!r} is set together with imageCatalogRef; use one of them",
                   self.image_name)
        return
    if self.image_name is None:
        return
    tag = _image_tag(self.image_name)
    if tag is None:
        issues.add(("imageName",), f"{self.image_name!r} has only a digest; add the version tag before the digest "
                                   f"('...:17.5@sha256:...') so that the operator can detect upgrades", self.image_name)
    elif tag == "latest":
        issues.add(("imageName",), f"{self.image_name!r} uses the 'latest' tag (or none); tag the image with its "
                                   f"PostgreSQL version such as 'ghcr.io/cloudnative-pg/postgresql:17.5'", self.image_name)
    else:
        match = _VERSION_TAG.match(tag)
        if not match:
            issues.add(("imageName",), f"{self.image_name!r} has tag {tag!r}, which does not start with a PostgreSQL "
                                       f"version; use a tag such as '17.5' or '17.5-bookworm'", self.image_name)
        elif int(match.group(1)) < 12:
            issues.add(("imageName",), f"{self.image_name!r} is PostgreSQL {match.group(1)}; use PostgreSQL 12 or newer",
                       self.image_name)

def _check_storage(self: ClusterSpec, issues: Issues) -> None:
    if self.storage is None or not has_size(self.storage):
        issues.add(("storage", "size"), "no storage size is set; give storage.size (such as '10Gi') or a storage "
                                        "request in storage.pvcTemplate", self.storage.size if self.storage else None)
    if self.wal_storage is not None and not has_size(self.wal_storage):
        issues.add(("walStorage", "size"), "no WAL storage size is set; give walStorage.size (such as '2Gi') or a "
                                           "storage request in walStorage.pvcTemplate", self.wal_storage.size)

def _check_replication(self: ClusterSpec, issues: Issues) -> None:
    low, high = self.min_sync_replicas or 0, self.max_sync_replicas or 0
    if low < 0:
        issues.add(("minSyncReplicas",), f"{low} is negative; use 0 or more", low)
    if high < 0:
        issues.add(("maxSyncReplicas",), f"{high} is negative; use 0 or more", high)
    if high >= _instances(self) and high > 0:
        issues.add(("maxSyncReplicas",), f"{high} is not below instances {_instances(self)}; use at most "
                                         f"{max(_instances(self) - 1, 0)}", high)
    if low > high:
        issues.add(("minSyncReplicas",), f"{low} is above maxSyncReplicas {high}; raise maxSyncReplicas or lower "
                                         f"minSyncReplicas", low)
    postgresql = self.postgresql
    sync = postgresql.synchronous if postgresql is not None else None
    if sync is not None:
        if low or high:
            issues.add(("postgresql", "synchronous"), "is set together with minSyncReplicas/maxSyncReplicas; use "
                                                      "postgresql.synchronous only (the other two are the legacy form)")
        standbys = _instances(self) + len(sync.standby_names_pre or []) + len(sync.standby_names_post or [])
        if sync.number >= standbys:
            issues.add(("postgresql", "synchronous", "number"), f"{sync.number} is not below the {standbys} instances "
                                                                f"and standby names; wait for fewer standbys",
                       sync.number)
    if self.primary_update_strategy == "supervised" and _instances(self) == 1:
        issues.add(("primaryUpdateStrategy",), "'supervised' needs a replica to switch over to, but instances is 1; "
                                               "use 'unsupervised' or more instances", self.primary_update_strategy)
    parameters = (postgresql.parameters if postgresql is not None else None) or {}
    wal_level = parameters.get("wal_level")
    if wal_level == "minimal" and (_instances(self) > 1 or self.backup is not None):
        issues.add(("postgresql", "parameters", "wal_level"), "'minimal' cannot feed replicas or WAL archiving, and "
                                                              "this cluster has more than 1 instance or backups; use "
                                                              "'replica' or 'logical'", wal_level)
    hints = parameters.get("wal_log_hints")
    if hints is not None:
        if hints.lower() not in _BOOLEAN_ON + _BOOLEAN_OFF:
            issues.add(("postgresql", "parameters", "wal_log_hints"), f"{hints!r} is not a PostgreSQL boolean; use "
                                                                      f"'on' or 'off'", hints)
        elif hints.lower() in _BOOLEAN_OFF and _instances(self) > 1:
            issues.add(("postgresql", "parameters", "wal_log_hints"), f"{hints!r} with {_instances(self)} instances; "
                                                                      f"replicas need 'on' (remove the parameter)",
                       hints)

def _check_sources(self: ClusterSpec, issues: Issues) -> None:
    names: dict[str, int] = {}
    for i, cluster in enumerate(self.external_clusters or []):
        if cluster.name in names:
            issues.add(("externalClusters", i, "name"), f"{cluster.name!r} is already used by externalClusters"
                                                        f"[{names[cluster.name]}]; give each external cluster a "
                                                        f"distinct name", cluster.name)
        names.setdefault(cluster.name, i)
    known = ", ".join(names) or "none"
    bootstrap = self.bootstrap
    if bootstrap is not None and bootstrap.pg_basebackup is not None and bootstrap.pg_basebackup.source not in names:
        source = bootstrap.pg_basebackup.source
        issues.add(("bootstrap", "pg_basebackup", "source"), f"{source!r} is not in externalClusters (known: {known}); "
                                                             f"add an externalClusters entry with that name", source)
    if bootstrap is not None and bootstrap.recovery is not None and bootstrap.recovery.source:
        source = bootstrap.recovery.source
        if source not in names:
            issues.add(("bootstrap", "recovery", "source"), f"{source!r} is not in externalClusters (known: {known}); "
                                                            f"add an externalClusters entry with that name", source)
    replica_source = self.replica.source if self.replica is not None else None
    if isinstance(replica_source, str) and replica_source not in names:
        issues.add(("replica", "source"), f"{replica_source!r} is not in externalClusters (known: {known}); add an "
                                          f"externalClusters entry with that name", replica_source)


@semantic_check(Cluster)
def _cluster_name(self: Cluster) -> None:
    name = self.metadata.name
    if name is None:
        return
    why = check_name(name, "dns1035")  # the name becomes Service names (<name>-rw)
    if why:
        raise ValueError(f"metadata.name {name!r} {why}")
    if len(name) > _MAX_CLUSTER_NAME:
        raise ValueError(f"metadata.name: {name!r} is {len(name)} characters, above the operator's limit of "
                         f"{_MAX_CLUSTER_NAME}; use a shorter name")


# -- backups ------------------------------------------------------------------------------------
@semantic_check(BackupSpec, ScheduledBackupSpec)
def _backup_method(self: BackupSpec | ScheduledBackupSpec) -> None:
    method = self.method or "barmanObjectStore"
    if method == "barmanObjectStore":
        if self.online is not None:
            raise ValueError(f"online: {self.online} only applies to method 'volumeSnapshot'; remove it or set "
                             f"method: volumeSnapshot")
        if self.online_configuration is not None:
            raise ValueError("onlineConfiguration: only applies to method 'volumeSnapshot'; remove it or set "
                             "method: volumeSnapshot")
    if method == "plugin" and (self.plugin_configuration is None or not self.plugin_configuration.name):
        raise ValueError("pluginConfiguration: is not set although method is 'plugin'; give pluginConfiguration.name "
                         "(such as 'barman-cloud.cloudnative-pg.io')")


@semantic_check(ScheduledBackupSpec)
def _schedule(self: ScheduledBackupSpec) -> None:
    message = schedule_error(self.schedule, "seconds")
    if message:
        raise ValueError(f"schedule: {message}")
