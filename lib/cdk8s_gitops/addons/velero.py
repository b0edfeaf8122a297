"""Velero (``velero.io/v1``): Schedule and Backup.

A Schedule creates a Backup from its ``template`` on a cron schedule; a Backup is one
backup of cluster objects (and volume snapshots) to a BackupStorageLocation. Both live in
the namespace the Velero server runs in (``velero``)::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.velero import Schedule, ScheduleSpec
    from cdk8s_gitops.models.velero_io_v1 import Template

    daily = Schedule(
        metadata=ObjectMeta(name="daily", namespace="velero"),
        spec=ScheduleSpec(schedule="0 2 * * *", use_owner_references_in_backup=False,
                          template=Template(included_namespaces=["shop"], ttl="720h", storage_location="default")),
    )

The classes are the generated models of :mod:`cdk8s_gitops.models.velero_io_v1` (a Backup's
``spec`` and a Schedule's ``template`` are one class, ``BackupSpec``). This module adds
Velero's backup and schedule checks: a five-field cron schedule (or a descriptor such as
``@daily``; a ``CRON_TZ=`` prefix is allowed), Go durations for ``ttl`` and the timeouts,
``*`` alone in include lists and never in exclude lists, no item both included and
excluded, the old (``includedResources``, ``includeClusterResources``) and new
(``includedClusterScopedResources``...) resource filters not mixed, and ``labelSelector``
or ``orLabelSelectors``, not both.
"""

from __future__ import annotations

from ..core.cron import schedule_error
from ..core.fields import Issues
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models.velero_io_v1 import Backup, Schedule, ScheduleSpec
from ..models.velero_io_v1 import Template as BackupSpec

__all__ = ["Backup", "BackupSpec", "Schedule", "ScheduleSpec"]

GROUP = "velero.io"


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


@semantic_check(BackupSpec)
def _backup_spec(spec: BackupSpec) -> None:
    issues = Issues()
    _check_lists(issues, "includedNamespaces", spec.included_namespaces, "excludedNamespaces", spec.excluded_namespaces)
    _check_lists(issues, "includedResources", spec.included_resources, "excludedResources", spec.excluded_resources)
    _check_lists(issues, "includedClusterScopedResources", spec.included_cluster_scoped_resources,
                 "excludedClusterScopedResources", spec.excluded_cluster_scoped_resources)
    _check_lists(issues, "includedNamespaceScopedResources", spec.included_namespace_scoped_resources,
                 "excludedNamespaceScopedResources", spec.excluded_namespace_scoped_resources)
    old = [key for key, value in (("includedResources", spec.included_resources),
                                  ("excludedResources", spec.excluded_resources),
                                  ("includeClusterResources", spec.include_cluster_resources)) if value is not None]
    new = [(key, value) for key, value in (("includedClusterScopedResources", spec.included_cluster_scoped_resources),
                                          ("excludedClusterScopedResources", spec.excluded_cluster_scoped_resources),
                                          ("includedNamespaceScopedResources", spec.included_namespace_scoped_resources),
                                          ("excludedNamespaceScopedResources", spec.excluded_namespace_scoped_resources))
           if value is not None]
    if old and new:
        key, value = new[0]
        issues.add((key,), f"{value!r} is set together with the old filter {old[0]}; use either "
                           f"includedResources/excludedResources/includeClusterResources or the *ScopedResources "
                           f"fields, not both", value)
    if spec.label_selector is not None and spec.or_label_selectors is not None:
        issues.add(("orLabelSelectors",), "is set together with labelSelector; use one of them (put the "
                                          "labelSelector into orLabelSelectors)")
    for key, duration in (("ttl", spec.ttl), ("csiSnapshotTimeout", spec.csi_snapshot_timeout),
                          ("itemOperationTimeout", spec.item_operation_timeout)):
        if duration is None:
            continue
        try:
            parse_duration(duration)
        except ValueError:
            issues.add((key,), f"{duration!r} is not a Go duration; write a number and a unit (h, m, s) such as "
                               f"'720h' or '24h0m0s'", duration)
    issues.raise_any("BackupSpec")


@semantic_check(ScheduleSpec)
def _schedule(spec: ScheduleSpec) -> None:
    message = schedule_error(spec.schedule, "standard", allow_time_zone=True)
    if message:
        raise ValueError(f"schedule: {message}")
