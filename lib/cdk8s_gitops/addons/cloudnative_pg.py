"""CloudNativePG (``postgresql.cnpg.io/v1``): Cluster, Backup and ScheduledBackup.

A Cluster is a PostgreSQL primary with ``instances - 1`` streaming replicas; the operator
creates the pods, the ``<name>-rw``/``-ro``/``-r`` Services and the ``<name>-app`` and
``<name>-superuser`` Secrets. A ScheduledBackup takes Backups of a Cluster on a schedule::

    db = Cluster.build(metadata={"name": "pg", "namespace": "db"},
                       spec={"instances": 3, "imageName": "ghcr.io/cloudnative-pg/postgresql:17.5",
                             "storage": {"size": "10Gi"},
                             "managed": {"roles": [{"name": "app", "login": True,
                                                    "passwordSecret": {"name": "app-password"}}]}})
    nightly = ScheduledBackup.build(metadata={"name": "pg-nightly", "namespace": "db"},
                                    spec={"schedule": "0 0 2 * * *", "cluster": {"name": "pg"}})

Validation follows the operator's admission webhook: one bootstrap method, database and
owner given together, storage with a size, image tags that name a PostgreSQL version (not
``latest``), parameters the operator manages refused, sync-replica bounds below
``instances``, managed role names unique and not reserved, retention policies such as
``30d``, and ScheduledBackup schedules in the six-field (seconds first) cron form.

Kept as given: ``backup.barmanObjectStore`` and ``backup.volumeSnapshot``, the recovery and
import sources, affinity, LDAP, extensions, replica-cluster, replication-slot and plugin
settings, pod and service templates.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues, Quantity
from ..core.model import K8sModel, Resource
from ..kube import EnvFromSource, EnvVar, PersistentVolumeClaimSpec, ResourceRequirements
from ._cron import cron_problem

__all__ = [
    "FIXED_PARAMETERS",
    "Backup",
    "BackupConfiguration",
    "BackupSpec",
    "BootstrapConfiguration",
    "BootstrapInitDB",
    "BootstrapPgBaseBackup",
    "BootstrapRecovery",
    "CertificatesConfiguration",
    "Cluster",
    "ClusterSpec",
    "ConfigMapKeySelector",
    "ExternalCluster",
    "InheritedMetadata",
    "LocalObjectReference",
    "ManagedConfiguration",
    "MonitoringConfiguration",
    "PostgresConfiguration",
    "RoleConfiguration",
    "ScheduledBackup",
    "ScheduledBackupSpec",
    "SecretKeySelector",
    "StorageConfiguration",
    "SynchronousReplicaConfiguration",
]

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


# =====================================================================================
# References
# =====================================================================================
class LocalObjectReference(K8sModel):
    """A reference to an object by name in the Cluster's namespace.

    Attributes:
        name: ``name``. Required.
    """

    name: str


class SecretKeySelector(K8sModel):
    """A key of a Secret in the Cluster's namespace.

    Attributes:
        name: ``name`` of the Secret. Required.
        key: ``key`` inside it. Required.
    """

    name: str
    key: str


class ConfigMapKeySelector(K8sModel):
    """A key of a ConfigMap in the Cluster's namespace.

    Attributes:
        name: ``name`` of the ConfigMap. Required.
        key: ``key`` inside it. Required.
    """

    name: str
    key: str


# =====================================================================================
# PostgreSQL configuration
# =====================================================================================
class SynchronousReplicaConfiguration(K8sModel):
    """``postgresql.synchronous``: quorum or priority based synchronous replication.

    Attributes:
        method: ``method``: ``any`` (quorum) or ``first`` (priority). Required.
        number: ``number`` of synchronous standbys to wait for, above 0. Required.
        data_durability: ``dataDurability``: ``required`` (block writes without enough standbys) or ``preferred``.
            Default: none (``required``).
        failover_quorum: ``failoverQuorum``. Default: none (false).
        max_standby_names_from_cluster: ``maxStandbyNamesFromCluster``. Default: none (every instance).
        standby_names_pre: ``standbyNamesPre``: names put before the cluster's. Default: none.
        standby_names_post: ``standbyNamesPost``: names put after the cluster's. Default: none.
    """

    method: Literal["any", "first"]
    number: int
    data_durability: Literal["required", "preferred"] | None = None
    failover_quorum: bool | None = None
    max_standby_names_from_cluster: int | None = None
    standby_names_pre: list[str] | None = None
    standby_names_post: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.number < 1:
            raise ValueError(f"number: {self.number} is not above 0; wait for at least 1 synchronous standby")
        if self.data_durability == "preferred" and (self.standby_names_pre or self.standby_names_post):
            raise ValueError("dataDurability: 'preferred' cannot be used with standbyNamesPre or standbyNamesPost; "
                             "use 'required' or remove the standby names")
        return self


class PostgresConfiguration(K8sModel):
    """``postgresql``: the PostgreSQL server configuration.

    Attributes:
        parameters: ``parameters``: ``postgresql.conf`` settings, every value a string (``max_connections: "200"``);
            the settings the operator manages (:data:`FIXED_PARAMETERS`) are refused. Default: none.
        shared_preload_libraries: ``shared_preload_libraries``: extra libraries to preload (the operator adds
            those of the extensions it manages). Default: none.
        pg_hba: ``pg_hba``: ``pg_hba.conf`` lines, put before the operator's catch-all rule. Default: none.
        pg_ident: ``pg_ident``: ``pg_ident.conf`` lines. Default: none.
        synchronous: ``synchronous``: see :class:`SynchronousReplicaConfiguration`. Default: none (asynchronous).
        ldap: ``ldap`` authentication settings, kept as given. Default: none.
        extensions: ``extensions`` mounted from images, kept as given. Default: none.
        enable_alter_system: ``enableAlterSystem``: allow ``ALTER SYSTEM``. Default: none (false).
        promotion_timeout: ``promotionTimeout`` in seconds. Default: none (upstream default).
        sync_replica_election_constraint: ``syncReplicaElectionConstraint``, kept as given. Default: none.
    """

    parameters: dict[str, str] | None = None
    shared_preload_libraries: list[str] | None = Field(default=None, alias="shared_preload_libraries")
    pg_hba: list[str] | None = Field(default=None, alias="pg_hba")
    pg_ident: list[str] | None = Field(default=None, alias="pg_ident")
    synchronous: SynchronousReplicaConfiguration | None = None
    ldap: dict[str, Any] | None = None
    extensions: list[dict[str, Any]] | None = None
    enable_alter_system: bool | None = None
    promotion_timeout: int | None = None
    sync_replica_election_constraint: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
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
        return self


# =====================================================================================
# Bootstrap
# =====================================================================================
def _database_and_owner(database: str | None, owner: str | None) -> None:
    if database and not owner:
        raise ValueError(f"owner: is not set for database {database!r}; give the owner role together with the database")
    if owner and not database:
        raise ValueError(f"database: is not set for owner {owner!r}; give the database together with its owner")


class BootstrapInitDB(K8sModel):
    """``bootstrap.initdb``: create a new, empty cluster.

    Attributes:
        database: ``database``: the application database. Default: none (``app``); set with ``owner``.
        owner: ``owner``: the role owning it. Default: none (``app``); set with ``database``.
        secret: ``secret``: a ``kubernetes.io/basic-auth`` Secret with the owner's password. Default: none (generated).
        options: ``options``: extra ``initdb`` arguments. Default: none.
        data_checksums: ``dataChecksums``. Default: none (false).
        encoding: ``encoding``. Default: none (``UTF8``).
        locale: ``locale``. Default: none.
        locale_collate: ``localeCollate``. Default: none (``C``).
        locale_c_type: ``localeCType``. Default: none (``C``).
        locale_provider: ``localeProvider``: ``libc``, ``icu`` or ``builtin``. Default: none.
        icu_locale: ``icuLocale`` (with ``localeProvider: icu``). Default: none.
        icu_rules: ``icuRules`` (with ``localeProvider: icu``). Default: none.
        builtin_locale: ``builtinLocale`` (with ``localeProvider: builtin``). Default: none.
        wal_segment_size: ``walSegmentSize`` in MB, a power of 2 from 1 to 1024. Default: none (16).
        post_init_sql: ``postInitSQL``: statements run as superuser in ``postgres``. Default: none.
        post_init_application_sql: ``postInitApplicationSQL``: statements run in the application database. Default: none.
        post_init_template_sql: ``postInitTemplateSQL``: statements run in ``template1``. Default: none.
        post_init_sql_refs: ``postInitSQLRefs``, kept as given. Default: none.
        post_init_application_sql_refs: ``postInitApplicationSQLRefs``, kept as given. Default: none.
        post_init_template_sql_refs: ``postInitTemplateSQLRefs``, kept as given. Default: none.
        import_: ``import``: logical import from an external cluster, kept as given. Default: none.
    """

    database: str | None = None
    owner: str | None = None
    secret: LocalObjectReference | None = None
    options: list[str] | None = None
    data_checksums: bool | None = None
    encoding: str | None = None
    locale: str | None = None
    locale_collate: str | None = None
    locale_c_type: str | None = Field(default=None, alias="localeCType")
    locale_provider: str | None = None
    icu_locale: str | None = None
    icu_rules: str | None = None
    builtin_locale: str | None = None
    wal_segment_size: int | None = None
    post_init_sql: list[str] | None = Field(default=None, alias="postInitSQL")
    post_init_application_sql: list[str] | None = Field(default=None, alias="postInitApplicationSQL")
    post_init_template_sql: list[str] | None = Field(default=None, alias="postInitTemplateSQL")
    post_init_sql_refs: dict[str, Any] | None = Field(default=None, alias="postInitSQLRefs")
    post_init_application_sql_refs: dict[str, Any] | None = Field(default=None, alias="postInitApplicationSQLRefs")
    post_init_template_sql_refs: dict[str, Any] | None = Field(default=None, alias="postInitTemplateSQLRefs")
    import_: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _database_and_owner(self.database, self.owner)
        size = self.wal_segment_size
        if size is not None and (not 1 <= size <= 1024 or size & (size - 1)):
            raise ValueError(f"walSegmentSize: {size} is not a power of 2 between 1 and 1024; use a size in MB such as 16 or 64")
        return self


class BootstrapRecovery(K8sModel):
    """``bootstrap.recovery``: restore the cluster from a backup or object store.

    Attributes:
        backup: ``backup``: the Backup object to restore (``name``, ``endpointCA``), kept as given. Default: none.
        source: ``source``: an ``externalClusters`` entry with the backups. Default: none.
        volume_snapshots: ``volumeSnapshots``, kept as given. Default: none.
        recovery_target: ``recoveryTarget`` (point in time), kept as given. Default: none (the end of the WAL).
        database: ``database`` to own after recovery; set with ``owner``. Default: none.
        owner: ``owner``; set with ``database``. Default: none.
        secret: ``secret`` with the owner's password. Default: none.
    """

    backup: dict[str, Any] | None = None
    source: str | None = None
    volume_snapshots: dict[str, Any] | None = None
    recovery_target: dict[str, Any] | None = None
    database: str | None = None
    owner: str | None = None
    secret: LocalObjectReference | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _database_and_owner(self.database, self.owner)
        return self


class BootstrapPgBaseBackup(K8sModel):
    """``bootstrap.pg_basebackup``: clone a running PostgreSQL server.

    Attributes:
        source: ``source``: the ``externalClusters`` entry to clone. Required.
        database: ``database``; set with ``owner``. Default: none.
        owner: ``owner``; set with ``database``. Default: none.
        secret: ``secret`` with the owner's password. Default: none.
    """

    source: str
    database: str | None = None
    owner: str | None = None
    secret: LocalObjectReference | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _database_and_owner(self.database, self.owner)
        return self


class BootstrapConfiguration(K8sModel):
    """``bootstrap``: how the cluster's data is created (one method).

    Attributes:
        initdb: ``initdb``: see :class:`BootstrapInitDB`. Default: none (``initdb`` with database and owner ``app``).
        recovery: ``recovery``: see :class:`BootstrapRecovery`. Default: none.
        pg_basebackup: ``pg_basebackup``: see :class:`BootstrapPgBaseBackup`. Default: none.
    """

    initdb: BootstrapInitDB | None = None
    recovery: BootstrapRecovery | None = None
    pg_basebackup: BootstrapPgBaseBackup | None = Field(default=None, alias="pg_basebackup")

    @model_validator(mode="after")
    def _one_method(self) -> Self:
        given = [name for name, value in (("initdb", self.initdb), ("recovery", self.recovery),
                                          ("pg_basebackup", self.pg_basebackup)) if value is not None]
        if len(given) > 1:
            raise ValueError(f"{given[1]}: is set together with {given[0]}; bootstrap a cluster with one method")
        return self


# =====================================================================================
# Storage, roles, backup, monitoring, certificates
# =====================================================================================
class StorageConfiguration(K8sModel):
    """``storage`` / ``walStorage``: the volume of each instance.

    Attributes:
        size: ``size`` of the volume (a quantity such as ``10Gi``). Default: none (then ``pvcTemplate`` must request
            storage).
        storage_class: ``storageClass``. Default: none (the default StorageClass).
        resize_in_use_volumes: ``resizeInUseVolumes``. Default: none (true).
        pvc_template: ``pvcTemplate``: a full claim spec. Default: none.
    """

    size: Quantity | None = None
    storage_class: str | None = None
    resize_in_use_volumes: bool | None = None
    pvc_template: PersistentVolumeClaimSpec | None = None

    def has_size(self) -> bool:
        """Whether a size is given here or as the template's storage request."""
        if self.size:
            return True
        requests = self.pvc_template.resources.requests if self.pvc_template and self.pvc_template.resources else None
        return bool(requests and requests.get("storage"))


class RoleConfiguration(K8sModel):
    """One ``managed.roles`` entry: a PostgreSQL role the operator keeps in shape.

    Attributes:
        name: ``name`` of the role; not ``postgres``, ``streaming_replica`` or a ``cnpg_``/``pg_`` name. Required.
        ensure: ``ensure``: ``present`` or ``absent``. Default: none (``present``).
        comment: ``comment``. Default: none.
        login: ``login``. Default: none (false).
        superuser: ``superuser``. Default: none (false).
        replication: ``replication``. Default: none (false).
        createdb: ``createdb``. Default: none (false).
        createrole: ``createrole``. Default: none (false).
        inherit: ``inherit``. Default: none (true).
        bypassrls: ``bypassrls``. Default: none (false).
        connection_limit: ``connectionLimit``: -1 (no limit) or more. Default: none (-1).
        valid_until: ``validUntil``: password expiry (RFC 3339 time). Default: none (never).
        in_roles: ``inRoles``: roles this one is a member of. Default: none.
        password_secret: ``passwordSecret``: a ``kubernetes.io/basic-auth`` Secret with the password; not with
            ``disablePassword``. Default: none (the password is left as it is).
        disable_password: ``disablePassword``: set the password to NULL. Default: none (false).
    """

    name: str
    ensure: Literal["present", "absent"] | None = None
    comment: str | None = None
    login: bool | None = None
    superuser: bool | None = None
    replication: bool | None = None
    createdb: bool | None = None
    createrole: bool | None = None
    inherit: bool | None = None
    bypassrls: bool | None = None
    connection_limit: int | None = None
    valid_until: str | None = None
    in_roles: list[str] | None = None
    password_secret: LocalObjectReference | None = None
    disable_password: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.name in _RESERVED_ROLES or self.name.startswith(("cnpg_", "pg_")):
            raise ValueError(f"name: {self.name!r} is reserved for PostgreSQL or the operator; choose another role name "
                             f"(not postgres, streaming_replica, cnpg_* or pg_*)")
        if self.connection_limit is not None and self.connection_limit < -1:
            raise ValueError(f"connectionLimit: {self.connection_limit} is below -1; use -1 (no limit) or a positive limit")
        if self.disable_password and self.password_secret is not None:
            raise ValueError(f"passwordSecret: role {self.name!r} sets a password and disablePassword; keep one of them")
        return self


class ManagedConfiguration(K8sModel):
    """``managed``: roles and Services the operator manages.

    Attributes:
        roles: ``roles``: see :class:`RoleConfiguration`; names unique. Default: none.
        services: ``services`` (extra Services, disabled defaults), kept as given. Default: none.
    """

    roles: list[RoleConfiguration] | None = None
    services: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        seen: dict[str, int] = {}
        for i, role in enumerate(self.roles or []):
            if role.name in seen:
                raise ValueError(f"roles[{i}].name: {role.name!r} is already managed by roles[{seen[role.name]}]; "
                                 f"manage each role once")
            seen[role.name] = i
        services = self.services or {}
        if "rw" in (services.get("disabledDefaultServices") or []):
            raise ValueError("services.disabledDefaultServices: 'rw' cannot be disabled; disable only 'r' or 'ro'")
        return self


class BackupConfiguration(K8sModel):
    """``backup``: continuous WAL archiving and base backups.

    Attributes:
        barman_object_store: ``barmanObjectStore`` (``destinationPath``, credentials, ``wal``, ``data``), kept as
            given. Default: none.
        retention_policy: ``retentionPolicy``: how long to keep backups, a number and ``d``, ``w`` or ``m``
            (``30d``). Default: none (kept forever).
        target: ``target``: ``primary`` or ``prefer-standby``. Default: none (``prefer-standby``).
        volume_snapshot: ``volumeSnapshot`` settings, kept as given. Default: none.
    """

    barman_object_store: dict[str, Any] | None = None
    retention_policy: str | None = None
    target: Literal["primary", "prefer-standby"] | None = None
    volume_snapshot: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.retention_policy is not None and not _RETENTION.match(self.retention_policy):
            raise ValueError(f"retentionPolicy: {self.retention_policy!r} is not a retention policy; use a number and "
                             f"d (days), w (weeks) or m (months) such as '30d'")
        store = self.barman_object_store
        if store is not None and not store.get("destinationPath"):
            raise ValueError("barmanObjectStore.destinationPath: is not set; give the bucket URL such as 's3://backups/pg'")
        return self


class MonitoringConfiguration(K8sModel):
    """``monitoring``: the metrics exporter of each instance.

    Attributes:
        enable_pod_monitor: ``enablePodMonitor``: create a Prometheus Operator PodMonitor (deprecated upstream
            in favour of your own PodMonitor). Default: none (false).
        disable_default_queries: ``disableDefaultQueries``. Default: none (false).
        custom_queries_config_map: ``customQueriesConfigMap``: ConfigMap keys with extra queries. Default: none.
        custom_queries_secret: ``customQueriesSecret``: Secret keys with extra queries. Default: none.
        metrics_queries_ttl: ``metricsQueriesTTL``: cache time of query results. Default: none.
        pod_monitor_metric_relabelings: ``podMonitorMetricRelabelings``, kept as given. Default: none.
        pod_monitor_relabelings: ``podMonitorRelabelings``, kept as given. Default: none.
        tls: ``tls`` (``enabled``) for the metrics endpoint, kept as given. Default: none.
    """

    enable_pod_monitor: bool | None = None
    disable_default_queries: bool | None = None
    custom_queries_config_map: list[ConfigMapKeySelector] | None = None
    custom_queries_secret: list[SecretKeySelector] | None = None
    metrics_queries_ttl: str | None = Field(default=None, alias="metricsQueriesTTL")
    pod_monitor_metric_relabelings: list[dict[str, Any]] | None = None
    pod_monitor_relabelings: list[dict[str, Any]] | None = None
    tls: dict[str, Any] | None = None


class CertificatesConfiguration(K8sModel):
    """``certificates``: bring your own TLS Secrets (for example from cert-manager).

    Attributes:
        server_tls_secret: ``serverTLSSecret``: server certificate and key; needs ``serverCASecret``. Default: none
            (generated).
        server_ca_secret: ``serverCASecret``: the CA of the server certificate. Default: none (generated).
        client_ca_secret: ``clientCASecret``: the CA that signs client certificates. Default: none (generated).
        replication_tls_secret: ``replicationTLSSecret``: the ``streaming_replica`` client certificate; needs
            ``clientCASecret``. Default: none (generated).
        server_alt_dns_names: ``serverAltDNSNames``: extra names in the generated server certificate; not with
            ``serverTLSSecret``. Default: none.
    """

    server_tls_secret: str | None = Field(default=None, alias="serverTLSSecret")
    server_ca_secret: str | None = Field(default=None, alias="serverCASecret")
    client_ca_secret: str | None = Field(default=None, alias="clientCASecret")
    replication_tls_secret: str | None = Field(default=None, alias="replicationTLSSecret")
    server_alt_dns_names: list[str] | None = Field(default=None, alias="serverAltDNSNames")

    @model_validator(mode="after")
    def _check(self) -> Self:
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
        return self


class ExternalCluster(K8sModel):
    """One ``externalClusters`` entry: another PostgreSQL server (for bootstrap, replica clusters, import).

    Attributes:
        name: ``name`` that ``source`` fields refer to. Required.
        connection_parameters: ``connectionParameters`` (``host``, ``user``, ``dbname``...). Default: none.
        password: ``password`` Secret key, kept as given. Default: none.
        ssl_cert: ``sslCert`` Secret key, kept as given. Default: none.
        ssl_key: ``sslKey`` Secret key, kept as given. Default: none.
        ssl_root_cert: ``sslRootCert`` Secret key, kept as given. Default: none.
        barman_object_store: ``barmanObjectStore`` with its backups, kept as given. Default: none.
        plugin: ``plugin`` configuration, kept as given. Default: none.

    At least one of ``connectionParameters``, ``barmanObjectStore`` and ``plugin``.
    """

    name: str
    connection_parameters: dict[str, str] | None = None
    password: dict[str, Any] | None = None
    ssl_cert: dict[str, Any] | None = None
    ssl_key: dict[str, Any] | None = None
    ssl_root_cert: dict[str, Any] | None = None
    barman_object_store: dict[str, Any] | None = None
    plugin: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.connection_parameters is None and self.barman_object_store is None and self.plugin is None:
            raise ValueError(f"external cluster {self.name!r} has no connectionParameters, barmanObjectStore or plugin; "
                             f"give one of them")
        return self


class InheritedMetadata(K8sModel):
    """``inheritedMetadata``: labels and annotations put on every object the operator creates.

    Attributes:
        labels: ``labels``. Default: none.
        annotations: ``annotations``. Default: none.
    """

    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


# =====================================================================================
# Cluster
# =====================================================================================
class ClusterSpec(K8sModel):
    """``spec`` of a Cluster.

    Attributes:
        instances: ``instances``: PostgreSQL pods (one primary, the rest replicas), at least 1. Required.
        image_name: ``imageName``: the PostgreSQL image, tagged with its version (``...:17.5``), not ``latest``;
            not with ``imageCatalogRef``. Default: none (the operator's default image).
        image_catalog_ref: ``imageCatalogRef``: pick the image from an ImageCatalog, kept as given. Default: none.
        image_pull_policy: ``imagePullPolicy``. Default: none (``IfNotPresent``).
        image_pull_secrets: ``imagePullSecrets``. Default: none.
        description: ``description``. Default: none.
        inherited_metadata: ``inheritedMetadata``: see :class:`InheritedMetadata`. Default: none.
        postgresql: ``postgresql``: see :class:`PostgresConfiguration`. Default: none (operator defaults).
        bootstrap: ``bootstrap``: see :class:`BootstrapConfiguration`. Default: none (initdb, database ``app``).
        storage: ``storage``: see :class:`StorageConfiguration`; a size is required. Required in practice.
        wal_storage: ``walStorage``: a separate WAL volume, see :class:`StorageConfiguration`. Default: none.
        tablespaces: ``tablespaces``, kept as given. Default: none.
        managed: ``managed``: see :class:`ManagedConfiguration`. Default: none.
        backup: ``backup``: see :class:`BackupConfiguration`. Default: none (no backups).
        monitoring: ``monitoring``: see :class:`MonitoringConfiguration`. Default: none.
        certificates: ``certificates``: see :class:`CertificatesConfiguration`. Default: none (generated).
        superuser_secret: ``superuserSecret``: a basic-auth Secret with the ``postgres`` password. Default: none
            (generated when ``enableSuperuserAccess``).
        enable_superuser_access: ``enableSuperuserAccess``: allow network logins as ``postgres`` and create the
            ``<name>-superuser`` Secret. Default: none (false).
        resources: ``resources`` of each instance. Default: none.
        affinity: ``affinity`` (anti-affinity, node selector, tolerations), kept as given. Default: none.
        topology_spread_constraints: ``topologySpreadConstraints``, kept as given. Default: none.
        primary_update_strategy: ``primaryUpdateStrategy``: ``unsupervised`` or ``supervised`` (not with a single
            instance). Default: none (``unsupervised``).
        primary_update_method: ``primaryUpdateMethod``: ``switchover`` or ``restart``. Default: none (``restart``).
        min_sync_replicas: ``minSyncReplicas`` (legacy synchronous replication). Default: none (0).
        max_sync_replicas: ``maxSyncReplicas``, below ``instances`` (legacy). Default: none (0).
        start_delay: ``startDelay`` in seconds. Default: none (3600).
        stop_delay: ``stopDelay`` in seconds. Default: none (1800).
        smart_shutdown_timeout: ``smartShutdownTimeout`` in seconds. Default: none (180).
        switchover_delay: ``switchoverDelay`` in seconds. Default: none (3600).
        failover_delay: ``failoverDelay`` in seconds. Default: none (0).
        liveness_probe_timeout: ``livenessProbeTimeout`` in seconds. Default: none (30).
        log_level: ``logLevel``: ``error``, ``warning``, ``info``, ``debug`` or ``trace``. Default: none (``info``).
        env: ``env`` of the instance pods; names starting with ``PG`` or ``CNPG_`` and ``POD_NAME``,
            ``NAMESPACE``, ``CLUSTER_NAME`` are reserved. Default: none.
        env_from: ``envFrom``. Default: none.
        external_clusters: ``externalClusters``: see :class:`ExternalCluster`; names unique. Default: none.
        replica: ``replica`` (replica cluster of ``source``), kept as given. Default: none.
        replication_slots: ``replicationSlots``, kept as given. Default: none (HA slots on).
        plugins: ``plugins`` (CNPG-I, such as the Barman Cloud plugin), kept as given. Default: none.
        node_maintenance_window: ``nodeMaintenanceWindow`` (deprecated upstream), kept as given. Default: none.
        enable_pdb: ``enablePDB``. Default: none (true).
        pod_security_context: ``podSecurityContext``, kept as given. Default: none (the operator's).
        security_context: ``securityContext`` of the containers, kept as given. Default: none (the operator's).
        seccomp_profile: ``seccompProfile``, kept as given. Default: none (``RuntimeDefault``).
        postgres_uid: ``postgresUID``. Default: none (26).
        postgres_gid: ``postgresGID``. Default: none (26).
        priority_class_name: ``priorityClassName``. Default: none.
        scheduler_name: ``schedulerName``. Default: none.
        service_account_name: ``serviceAccountName``. Default: none (``<name>``).
        service_account_template: ``serviceAccountTemplate``, kept as given. Default: none.
        projected_volume_template: ``projectedVolumeTemplate``, kept as given. Default: none.
        ephemeral_volume_source: ``ephemeralVolumeSource``, kept as given. Default: none.
        ephemeral_volumes_size_limit: ``ephemeralVolumesSizeLimit``, kept as given. Default: none.
        probes: ``probes`` tuning, kept as given. Default: none.
        pod_selector_refs: ``podSelectorRefs``, kept as given. Default: none.
    """

    instances: int
    image_name: str | None = None
    image_catalog_ref: dict[str, Any] | None = None
    image_pull_policy: Literal["Always", "Never", "IfNotPresent"] | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    description: str | None = None
    inherited_metadata: InheritedMetadata | None = None
    postgresql: PostgresConfiguration | None = None
    bootstrap: BootstrapConfiguration | None = None
    storage: StorageConfiguration | None = None
    wal_storage: StorageConfiguration | None = None
    tablespaces: list[dict[str, Any]] | None = None
    managed: ManagedConfiguration | None = None
    backup: BackupConfiguration | None = None
    monitoring: MonitoringConfiguration | None = None
    certificates: CertificatesConfiguration | None = None
    superuser_secret: LocalObjectReference | None = None
    enable_superuser_access: bool | None = None
    resources: ResourceRequirements | None = None
    affinity: dict[str, Any] | None = None
    topology_spread_constraints: list[dict[str, Any]] | None = None
    primary_update_strategy: Literal["unsupervised", "supervised"] | None = None
    primary_update_method: Literal["switchover", "restart"] | None = None
    min_sync_replicas: int | None = None
    max_sync_replicas: int | None = None
    start_delay: int | None = None
    stop_delay: int | None = None
    smart_shutdown_timeout: int | None = None
    switchover_delay: int | None = None
    failover_delay: int | None = None
    liveness_probe_timeout: int | None = None
    log_level: Literal["error", "warning", "info", "debug", "trace"] | None = None
    env: list[EnvVar] | None = None
    env_from: list[EnvFromSource] | None = None
    external_clusters: list[ExternalCluster] | None = None
    replica: dict[str, Any] | None = None
    replication_slots: dict[str, Any] | None = None
    plugins: list[dict[str, Any]] | None = None
    node_maintenance_window: dict[str, Any] | None = None
    enable_pdb: bool | None = Field(default=None, alias="enablePDB")
    pod_security_context: dict[str, Any] | None = None
    security_context: dict[str, Any] | None = None
    seccomp_profile: dict[str, Any] | None = None
    postgres_uid: int | None = Field(default=None, alias="postgresUID")
    postgres_gid: int | None = Field(default=None, alias="postgresGID")
    priority_class_name: str | None = None
    scheduler_name: str | None = None
    service_account_name: str | None = None
    service_account_template: dict[str, Any] | None = None
    projected_volume_template: dict[str, Any] | None = None
    ephemeral_volume_source: dict[str, Any] | None = None
    ephemeral_volumes_size_limit: dict[str, Any] | None = None
    probes: dict[str, Any] | None = None
    pod_selector_refs: list[dict[str, Any]] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.instances < 1:
            issues.add(("instances",), f"{self.instances} is below 1; run at least 1 instance", self.instances)
        self._check_image(issues)
        self._check_storage(issues)
        self._check_replication(issues)
        self._check_sources(issues)
        for i, var in enumerate(self.env or []):
            upper = var.name.upper()
            if upper.startswith(("PG", "CNPG_")) or upper in ("POD_NAME", "NAMESPACE", "CLUSTER_NAME"):
                issues.add(("env", i, "name"), f"{var.name!r} is reserved for the operator (PG*, CNPG_*, POD_NAME, "
                                               f"NAMESPACE, CLUSTER_NAME); rename the variable", var.name)
        issues.raise_any("ClusterSpec")
        return self

    def _check_image(self, issues: Issues) -> None:
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

    def _check_storage(self, issues: Issues) -> None:
        if self.storage is None or not self.storage.has_size():
            issues.add(("storage", "size"), "no storage size is set; give storage.size (such as '10Gi') or a storage "
                                            "request in storage.pvcTemplate", self.storage.size if self.storage else None)
        if self.wal_storage is not None and not self.wal_storage.has_size():
            issues.add(("walStorage", "size"), "no WAL storage size is set; give walStorage.size (such as '2Gi') or a "
                                               "storage request in walStorage.pvcTemplate", self.wal_storage.size)

    def _check_replication(self, issues: Issues) -> None:
        low, high = self.min_sync_replicas or 0, self.max_sync_replicas or 0
        if low < 0:
            issues.add(("minSyncReplicas",), f"{low} is negative; use 0 or more", low)
        if high < 0:
            issues.add(("maxSyncReplicas",), f"{high} is negative; use 0 or more", high)
        if high >= self.instances and high > 0:
            issues.add(("maxSyncReplicas",), f"{high} is not below instances {self.instances}; use at most "
                                             f"{max(self.instances - 1, 0)}", high)
        if low > high:
            issues.add(("minSyncReplicas",), f"{low} is above maxSyncReplicas {high}; raise maxSyncReplicas or lower "
                                             f"minSyncReplicas", low)
        postgresql = self.postgresql or PostgresConfiguration()
        sync = postgresql.synchronous
        if sync is not None:
            if low or high:
                issues.add(("postgresql", "synchronous"), "is set together with minSyncReplicas/maxSyncReplicas; use "
                                                          "postgresql.synchronous only (the other two are the legacy form)")
            standbys = self.instances + len(sync.standby_names_pre or []) + len(sync.standby_names_post or [])
            if sync.number >= standbys:
                issues.add(("postgresql", "synchronous", "number"), f"{sync.number} is not below the {standbys} instances "
                                                                    f"and standby names; wait for fewer standbys",
                           sync.number)
        if self.primary_update_strategy == "supervised" and self.instances == 1:
            issues.add(("primaryUpdateStrategy",), "'supervised' needs a replica to switch over to, but instances is 1; "
                                                   "use 'unsupervised' or more instances", self.primary_update_strategy)
        parameters = postgresql.parameters or {}
        wal_level = parameters.get("wal_level")
        if wal_level == "minimal" and (self.instances > 1 or self.backup is not None):
            issues.add(("postgresql", "parameters", "wal_level"), "'minimal' cannot feed replicas or WAL archiving, and "
                                                                  "this cluster has more than 1 instance or backups; use "
                                                                  "'replica' or 'logical'", wal_level)
        hints = parameters.get("wal_log_hints")
        if hints is not None:
            if hints.lower() not in _BOOLEAN_ON + _BOOLEAN_OFF:
                issues.add(("postgresql", "parameters", "wal_log_hints"), f"{hints!r} is not a PostgreSQL boolean; use "
                                                                          f"'on' or 'off'", hints)
            elif hints.lower() in _BOOLEAN_OFF and self.instances > 1:
                issues.add(("postgresql", "parameters", "wal_log_hints"), f"{hints!r} with {self.instances} instances; "
                                                                          f"replicas need 'on' (remove the parameter)",
                           hints)

    def _check_sources(self, issues: Issues) -> None:
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
        replica_source = (self.replica or {}).get("source")
        if isinstance(replica_source, str) and replica_source not in names:
            issues.add(("replica", "source"), f"{replica_source!r} is not in externalClusters (known: {known}); add an "
                                              f"externalClusters entry with that name", replica_source)


class Cluster(Resource):
    """A CloudNativePG Cluster (``postgresql.cnpg.io/v1``): a highly available PostgreSQL cluster.

    The name becomes Service names (``<name>-rw``), so it is a DNS-1035 label of at most 50 characters.

    Attributes:
        spec: ``spec``: see :class:`ClusterSpec`. Required.
        status: ``status``: written by the operator, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Cluster"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)
    NAME_RULE: ClassVar[str] = "dns1035"

    spec: ClusterSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_name_length(self) -> Self:
        name = self.metadata.name
        if name is not None and len(name) > _MAX_CLUSTER_NAME:
            raise ValueError(f"metadata.name: {name!r} is {len(name)} characters, above the operator's limit of "
                             f"{_MAX_CLUSTER_NAME}; use a shorter name")
        return self


# =====================================================================================
# Backups
# =====================================================================================
class BackupSpec(K8sModel):
    """``spec`` of a Backup (and the backup settings of a ScheduledBackup).

    Attributes:
        cluster: ``cluster``: the Cluster to back up (same namespace). Required.
        method: ``method``: ``barmanObjectStore``, ``volumeSnapshot`` or ``plugin``. Default: none
            (``barmanObjectStore``).
        target: ``target``: ``primary`` or ``prefer-standby``. Default: none (the Cluster's ``backup.target``).
        online: ``online``: hot (true) or cold snapshot; only with ``volumeSnapshot``. Default: none (true).
        online_configuration: ``onlineConfiguration``; only with ``volumeSnapshot``, kept as given. Default: none.
        plugin_configuration: ``pluginConfiguration`` (``name``, ``parameters``); required with ``plugin``,
            kept as given. Default: none.
    """

    cluster: LocalObjectReference
    method: Literal["barmanObjectStore", "volumeSnapshot", "plugin"] | None = None
    target: Literal["primary", "prefer-standby"] | None = None
    online: bool | None = None
    online_configuration: dict[str, Any] | None = None
    plugin_configuration: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_method(self) -> Self:
        method = self.method or "barmanObjectStore"
        if method == "barmanObjectStore":
            if self.online is not None:
                raise ValueError(f"online: {self.online} only applies to method 'volumeSnapshot'; remove it or set "
                                 f"method: volumeSnapshot")
            if self.online_configuration is not None:
                raise ValueError("onlineConfiguration: only applies to method 'volumeSnapshot'; remove it or set "
                                 "method: volumeSnapshot")
        if method == "plugin" and not (self.plugin_configuration or {}).get("name"):
            raise ValueError("pluginConfiguration: is not set although method is 'plugin'; give pluginConfiguration.name "
                             "(such as 'barman-cloud.cloudnative-pg.io')")
        return self


class Backup(Resource):
    """A CloudNativePG Backup (``postgresql.cnpg.io/v1``): one on-demand backup of a Cluster.

    Attributes:
        spec: ``spec``: see :class:`BackupSpec`. Required.
        status: ``status``: written by the operator, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Backup"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: BackupSpec
    status: dict[str, Any] | None = None


class ScheduledBackupSpec(BackupSpec):
    """``spec`` of a ScheduledBackup.

    Attributes:
        schedule: ``schedule``: six cron fields, seconds first (``0 0 2 * * *`` is 02:00 every day), or a
            descriptor (``@daily``, ``@every 6h``). Required.
        cluster: ``cluster``: the Cluster to back up. Required.
        backup_owner_reference: ``backupOwnerReference``: what owns the Backups created: ``none``, ``self`` (this
            ScheduledBackup) or ``cluster``. Default: none (``none``).
        immediate: ``immediate``: take a backup as soon as the object is created. Default: none (false).
        suspend: ``suspend``: pause the schedule. Default: none (false).
        method: ``method``: see :class:`BackupSpec`. Default: none (``barmanObjectStore``).
        target: ``target``. Default: none.
        online: ``online``; only with ``volumeSnapshot``. Default: none.
        online_configuration: ``onlineConfiguration``; only with ``volumeSnapshot``. Default: none.
        plugin_configuration: ``pluginConfiguration``; required with ``plugin``. Default: none.
    """

    schedule: str
    backup_owner_reference: Literal["none", "self", "cluster"] | None = None
    immediate: bool | None = None
    suspend: bool | None = None

    @model_validator(mode="after")
    def _check_schedule(self) -> Self:
        why = cron_problem(self.schedule, "seconds")
        if why:
            raise ValueError(f"schedule: {self.schedule!r} {why}; write six fields, seconds first, such as '0 0 2 * * *' "
                             f"(daily at 02:00), or a descriptor such as '@daily'")
        return self


class ScheduledBackup(Resource):
    """A CloudNativePG ScheduledBackup (``postgresql.cnpg.io/v1``): Backups of a Cluster on a schedule.

    Attributes:
        spec: ``spec``: see :class:`ScheduledBackupSpec`. Required.
        status: ``status``: written by the operator, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ScheduledBackup"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: ScheduledBackupSpec
    status: dict[str, Any] | None = None
