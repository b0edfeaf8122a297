"""Velero (``velero.io/v1``): Schedule and Backup.

A Schedule creates a Backup from its ``template`` on a cron schedule; a Backup is one
backup of cluster objects (and volume snapshots) to a BackupStorageLocation. Both live in
the namespace the Velero server runs in (``velero``)::

    daily = Schedule.build(metadata={"name": "daily", "namespace": "velero"},
                           spec={"schedule": "0 2 * * *", "useOwnerReferencesInBackup": False,
                                 "template": {"includedNamespaces": ["shop"], "ttl": "720h",
                                              "storageLocation": "default", "snapshotVolumes": True}})

Validation follows Velero's backup and schedule checks: a five-field cron schedule (or a
descriptor such as ``@daily``; a ``CRON_TZ=`` prefix is allowed), Go durations for
``ttl`` and the timeouts, ``*`` alone in include lists and never in exclude lists, no item
both included and excluded, the old (``includedResources``, ``includeClusterResources``)
and new (``includedClusterScopedResources``...) resource filters not mixed, and
``labelSelector`` or ``orLabelSelectors``, not both.

``hooks`` are kept as given.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ..core.units import parse_duration
from ..kube import LabelSelector, TypedLocalObjectReference
from ._cron import cron_problem

__all__ = [
    "Backup",
    "BackupSpec",
    "BackupTemplateMetadata",
    "Schedule",
    "ScheduleSpec",
    "UploaderConfig",
]

GROUP = "velero.io"

_SNAKE = {
    "includedClusterScopedResources": "included_cluster_scoped_resources",
    "excludedClusterScopedResources": "excluded_cluster_scoped_resources",
    "includedNamespaceScopedResources": "included_namespace_scoped_resources",
    "excludedNamespaceScopedResources": "excluded_namespace_scoped_resources",
}


class BackupTemplateMetadata(K8sModel):
    """``template.metadata`` of a Schedule: labels of the Backups it creates.

    Attributes:
        labels: ``labels``: put on every Backup instead of the Schedule's own labels. Default: none (the Schedule's).
    """

    labels: dict[str, str] | None = None


class UploaderConfig(K8sModel):
    """``uploaderConfig``: file system backup uploader settings.

    Attributes:
        parallel_files_upload: ``parallelFilesUpload``: files uploaded at once. Default: none (the uploader's).
    """

    parallel_files_upload: int | None = None


def _check_lists(issues: Issues, include_key: str, include: list[str] | None, exclude_key: str,
                 exclude: list[str] | None) -> None:
    includes, excludes = include or [], exclude or []
    if "*" in includes and len(includes) > 1:
        issues.add((include_key,), f"{includes!r} mixes '*' with other items; use ['*'] alone or list the items",
                   includes)
    if "*" in excludes:
        issues.add((exclude_key,), f"{excludes!r} contains '*'; list the items to exclude (to exclude everything, "
                                   f"include nothing)", excludes)
    for i, item in enumerate(excludes):
        if item in includes and item != "*":
            issues.add((exclude_key, i), f"{item!r} is also in {include_key}; remove it from one of the lists", item)


class BackupSpec(K8sModel):
    """``spec`` of a Backup (and ``template`` of a Schedule).

    Attributes:
        included_namespaces: ``includedNamespaces``: namespaces to back up (globs allowed; ``*`` alone for all).
            Default: none (all namespaces).
        excluded_namespaces: ``excludedNamespaces``: namespaces to skip. Default: none.
        included_resources: ``includedResources``: resources (``deployments``, ``pvc``...; ``*`` alone for all).
            Default: none (all). Old filter: not with the ``*ScopedResources`` fields.
        excluded_resources: ``excludedResources``. Default: none. Old filter.
        include_cluster_resources: ``includeClusterResources``: true, false, or null/unset (cluster objects of
            the namespaces backed up). Default: none. Old filter.
        included_cluster_scoped_resources: ``includedClusterScopedResources``. Default: none. New filter.
        excluded_cluster_scoped_resources: ``excludedClusterScopedResources``. Default: none. New filter.
        included_namespace_scoped_resources: ``includedNamespaceScopedResources``. Default: none. New filter.
        excluded_namespace_scoped_resources: ``excludedNamespaceScopedResources``. Default: none. New filter.
        label_selector: ``labelSelector``: only objects matching it; not with ``orLabelSelectors``. Default: none.
        or_label_selectors: ``orLabelSelectors``: objects matching any of them. Default: none.
        ordered_resources: ``orderedResources``: resource -> ``ns/name,ns/name`` backup order. Default: none.
        snapshot_volumes: ``snapshotVolumes``: take volume snapshots (null: when a snapshot location is
            configured). Default: none.
        storage_location: ``storageLocation``: the BackupStorageLocation. Default: none (the default location).
        volume_snapshot_locations: ``volumeSnapshotLocations``. Default: none.
        ttl: ``ttl``: how long the backup is kept, a Go duration (``720h``). Default: none (720h, 30 days).
        csi_snapshot_timeout: ``csiSnapshotTimeout``: a Go duration. Default: none (10m).
        item_operation_timeout: ``itemOperationTimeout``: a Go duration. Default: none (4h).
        default_volumes_to_fs_backup: ``defaultVolumesToFsBackup``: back up every pod volume with the file system
            uploader. Default: none (the server's setting).
        default_volumes_to_restic: ``defaultVolumesToRestic``: deprecated spelling of the above. Default: none.
        snapshot_move_data: ``snapshotMoveData``: move CSI snapshot data to the object store. Default: none (false).
        datamover: ``datamover``: the data mover (``velero`` or empty for the built-in one). Default: none.
        uploader_config: ``uploaderConfig``: see :class:`UploaderConfig`. Default: none.
        resource_policy: ``resourcePolicy``: a ConfigMap with volume policies. Default: none.
        volume_group_snapshot_label_key: ``volumeGroupSnapshotLabelKey``. Default: none.
        metadata: ``metadata`` (Schedule templates): see :class:`BackupTemplateMetadata`. Default: none.
        hooks: ``hooks`` (``resources[]`` with ``pre``/``post`` exec hooks), kept as given. Default: none.
    """

    included_namespaces: list[str] | None = None
    excluded_namespaces: list[str] | None = None
    included_resources: list[str] | None = None
    excluded_resources: list[str] | None = None
    include_cluster_resources: bool | None = None
    included_cluster_scoped_resources: list[str] | None = None
    excluded_cluster_scoped_resources: list[str] | None = None
    included_namespace_scoped_resources: list[str] | None = None
    excluded_namespace_scoped_resources: list[str] | None = None
    label_selector: LabelSelector | None = None
    or_label_selectors: list[LabelSelector] | None = None
    ordered_resources: dict[str, str] | None = None
    snapshot_volumes: bool | None = None
    storage_location: str | None = None
    volume_snapshot_locations: list[str] | None = None
    ttl: str | None = None
    csi_snapshot_timeout: str | None = None
    item_operation_timeout: str | None = None
    default_volumes_to_fs_backup: bool | None = None
    default_volumes_to_restic: bool | None = None
    snapshot_move_data: bool | None = None
    datamover: str | None = None
    uploader_config: UploaderConfig | None = None
    resource_policy: TypedLocalObjectReference | None = None
    volume_group_snapshot_label_key: str | None = None
    metadata: BackupTemplateMetadata | None = None
    hooks: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        _check_lists(issues, "includedNamespaces", self.included_namespaces, "excludedNamespaces", self.excluded_namespaces)
        _check_lists(issues, "includedResources", self.included_resources, "excludedResources", self.excluded_resources)
        _check_lists(issues, "includedClusterScopedResources", self.included_cluster_scoped_resources,
                     "excludedClusterScopedResources", self.excluded_cluster_scoped_resources)
        _check_lists(issues, "includedNamespaceScopedResources", self.included_namespace_scoped_resources,
                     "excludedNamespaceScopedResources", self.excluded_namespace_scoped_resources)
        old = [key for key, value in (("includedResources", self.included_resources),
                                      ("excludedResources", self.excluded_resources),
                                      ("includeClusterResources", self.include_cluster_resources)) if value is not None]
        new = [key for key, value in (("includedClusterScopedResources", self.included_cluster_scoped_resources),
                                      ("excludedClusterScopedResources", self.excluded_cluster_scoped_resources),
                                      ("includedNamespaceScopedResources", self.included_namespace_scoped_resources),
                                      ("excludedNamespaceScopedResources", self.excluded_namespace_scoped_resources))
               if value is not None]
        if old and new:
            value = getattr(self, _SNAKE[new[0]])
            issues.add((new[0],), f"{value!r} is set together with the old filter {old[0]}; use either "
                                  f"includedResources/excludedResources/includeClusterResources or the *ScopedResources "
                                  f"fields, not both", value)
        if self.label_selector is not None and self.or_label_selectors is not None:
            issues.add(("orLabelSelectors",), "is set together with labelSelector; use one of them (put the "
                                              "labelSelector into orLabelSelectors)")
        for key, value in (("ttl", self.ttl), ("csiSnapshotTimeout", self.csi_snapshot_timeout),
                           ("itemOperationTimeout", self.item_operation_timeout)):
            if value is None:
                continue
            try:
                parse_duration(value)
            except ValueError:
                issues.add((key,), f"{value!r} is not a Go duration; write a number and a unit (h, m, s) such as "
                                   f"'720h' or '24h0m0s'", value)
        issues.raise_any("BackupSpec")
        return self


class Backup(Resource):
    """A Velero Backup (``velero.io/v1``): one backup, usually created by a Schedule.

    Attributes:
        spec: ``spec``: see :class:`BackupSpec`. Required.
        status: ``status``: written by Velero, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Backup"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: BackupSpec
    status: dict[str, Any] | None = None


class ScheduleSpec(K8sModel):
    """``spec`` of a Schedule.

    Attributes:
        schedule: ``schedule``: five cron fields (``0 2 * * *``: 02:00 every day, in the Velero server's time
            zone unless prefixed ``CRON_TZ=<zone>``), or a descriptor (``@daily``, ``@every 6h``). Required.
        template: ``template``: the Backup to create, see :class:`BackupSpec`. Required.
        use_owner_references_in_backup: ``useOwnerReferencesInBackup``: Backups are owned by the Schedule (and
            deleted with it). Default: none (false).
        paused: ``paused``: create no Backups. Default: none (false).
        skip_immediately: ``skipImmediately``: do not back up at once when created or unpaused. Default: none
            (the server's setting).
    """

    schedule: str
    template: BackupSpec
    use_owner_references_in_backup: bool | None = None
    paused: bool | None = None
    skip_immediately: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        why = cron_problem(self.schedule, "standard", allow_time_zone=True)
        if why:
            raise ValueError(f"schedule: {self.schedule!r} {why}; write five cron fields (minute hour day-of-month month "
                             f"day-of-week) such as '0 2 * * *', or a descriptor such as '@daily'")
        return self


class Schedule(Resource):
    """A Velero Schedule (``velero.io/v1``): Backups on a cron schedule.

    Attributes:
        spec: ``spec``: see :class:`ScheduleSpec`. Required.
        status: ``status``: written by Velero, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Schedule"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: ScheduleSpec
    status: dict[str, Any] | None = None
