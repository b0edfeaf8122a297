"""Velero: Schedule and Backup (velero.io/v1)."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import cdk8s
import pytest
import yaml
from helpers import refused, schema_errors, shared_dir, upstream_documents

from cdk8s_gitops import GitOpsChart, ManifestError, TypedResource, from_manifest
from cdk8s_gitops.addons import Schedule
from cdk8s_gitops.addons.velero import Backup
from cdk8s_gitops.synth import collect_chart

V1 = "velero.io/v1"
KINDS: dict[str, type] = {"Schedule": Schedule, "Backup": Backup}
EXPECTED_COUNTS = {"Backup": 1}
# Listed in ../shared/upstream-examples/SOURCES.md as invalid against the schema: reference pages with
# `{}` placeholders where the API has lists (and, in the template, nulls the schema does not allow).
KNOWN_INVALID = {"velero/api-types__backup.yaml", "velero/api-types__schedule.yaml"}
_PLACEHOLDERS = ("includedClusterScopedResources", "excludedClusterScopedResources", "includedNamespaceScopedResources",
                 "excludedNamespaceScopedResources")


# -- helpers -----------------------------------------------------------------------------------
def as_api_server_sees_it(value: Any) -> Any:
    """PyYAML reads unquoted timestamps as datetimes; the API server (JSON) sees RFC 3339 strings."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, dict):
        return {k: as_api_server_sees_it(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_api_server_sees_it(v) for v in value]
    return value


def schedule(cron: str = "0 2 * * *", **template: Any) -> Schedule:
    base: dict[str, Any] = {"includedNamespaces": ["warehouse-prod"], "ttl": "720h"}
    return Schedule.from_manifest({"metadata": {"name": "daily", "namespace": "velero"},
                          "spec": {"schedule": cron, "template": {**base, **template}}})


# -- Schedule ----------------------------------------------------------------------------------
class TestSchedule:
    def test_daily_backup(self) -> None:
        """A daily Schedule (seed 002) builds with upstream keys and validates."""
        daily = Schedule.from_manifest({"metadata": {"name": "warehouse-daily", "namespace": "velero"}, "spec": {
            "schedule": "0 2 * * *", "useOwnerReferencesInBackup": False, "paused": False,
            "template": {"includedNamespaces": ["warehouse-dev", "warehouse-staging", "warehouse-prod"],
                         "excludedResources": ["events", "events.events.k8s.io"], "snapshotVolumes": True,
                         "storageLocation": "default", "ttl": "720h0m0s",
                         "labelSelector": {"matchLabels": {"app.kubernetes.io/part-of": "warehouse"}},
                         "metadata": {"labels": {"backup": "daily"}}}}})
        manifest = daily.to_manifest()
        assert manifest["spec"]["template"]["ttl"] == "720h0m0s"
        assert not schema_errors(manifest)

    def test_every_field_round_trips(self) -> None:
        """Every typed template field, and hooks as given, round-trip."""
        doc = {"apiVersion": V1, "kind": "Schedule", "metadata": {"name": "daily", "namespace": "velero"}, "spec": {
            "schedule": "CRON_TZ=Europe/Madrid 0 3 * * 1-5", "skipImmediately": True, "useOwnerReferencesInBackup": True,
            "template": {"includedNamespaces": ["shop-*"], "excludedNamespaces": ["shop-tmp"],
                         "includedClusterScopedResources": ["storageclasses"],
                         "excludedNamespaceScopedResources": ["secrets"],
                         "orLabelSelectors": [{"matchLabels": {"app": "a"}},
                                              {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["db"]}]}],
                         "orderedResources": {"pods": "shop/db-0,shop/db-1"}, "volumeSnapshotLocations": ["aws"],
                         "csiSnapshotTimeout": "10m", "itemOperationTimeout": "4h", "defaultVolumesToFsBackup": True,
                         "snapshotMoveData": True, "datamover": "velero", "uploaderConfig": {"parallelFilesUpload": 4},
                         "resourcePolicy": {"kind": "configmap", "name": "policies"},
                         "volumeGroupSnapshotLabelKey": "app.kubernetes.io/instance",
                         "hooks": {"resources": [{"name": "freeze", "includedNamespaces": ["shop"], "pre": [
                             {"exec": {"container": "db", "command": ["/bin/fsfreeze", "-f", "/data"],
                                       "onError": "Fail", "timeout": "30s"}}]}]}}}}
        model = Schedule.from_manifest(doc)
        assert model.to_manifest() == doc
        assert not schema_errors(doc)

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches Schedule and Backup (velero.io) to these models."""
        assert type(from_manifest(schedule().to_manifest())) is Schedule
        assert type(from_manifest({"apiVersion": V1, "kind": "Backup", "metadata": {"name": "b"}, "spec": {}})) is Backup

    def test_schedule_required(self) -> None:
        """schedule and template are required."""
        refused(lambda: Schedule.from_manifest({"metadata": {"name": "daily"}, "spec": {"template": {}}}), "Schedule 'daily'",
                "spec.schedule", "required")
        refused(lambda: Schedule.from_manifest({"metadata": {"name": "daily"}, "spec": {"schedule": "@daily"}}), "Schedule 'daily'",
                "spec.template", "required")

    def test_five_fields(self) -> None:
        """A schedule has five fields (Velero's cron has no seconds)."""
        refused(lambda: schedule("0 0 2 * * *"), "Schedule 'daily'", "spec.schedule", "'0 0 2 * * *'", "6 fields")

    def test_field_ranges(self) -> None:
        """Each field is in range (minute 0-59, hour 0-23, day 1-31, month 1-12, weekday 0-6)."""
        refused(lambda: schedule("0 24 * * *"), "Schedule 'daily'", "spec.schedule", "'24'", "0-23")
        refused(lambda: schedule("0 2 0 * *"), "Schedule 'daily'", "spec.schedule", "'0'", "1-31")
        refused(lambda: schedule("0 2 * * 7"), "Schedule 'daily'", "spec.schedule", "'7'", "0-6")

    def test_descriptors_and_time_zone(self) -> None:
        """Descriptors and a CRON_TZ/TZ prefix are accepted; an unknown descriptor or a bare prefix is not."""
        for cron in ("@daily", "@every 12h", "TZ=UTC 30 1 * * *", "0 2 * * MON-FRI", "*/15 * * * *"):
            spec = schedule(cron).spec
            assert spec is not None and spec.schedule == cron
        refused(lambda: schedule("@fortnightly"), "Schedule 'daily'", "spec.schedule", "'@fortnightly'")
        refused(lambda: schedule("CRON_TZ=UTC"), "Schedule 'daily'", "spec.schedule", "'CRON_TZ=UTC'")
        refused(lambda: schedule("@every soon"), "Schedule 'daily'", "spec.schedule", "'soon'")

    def test_durations(self) -> None:
        """ttl, csiSnapshotTimeout and itemOperationTimeout are Go durations (no days)."""
        refused(lambda: schedule(ttl="30d"), "Schedule 'daily'", "spec.template.ttl", "'30d'")
        refused(lambda: schedule(csiSnapshotTimeout="ten minutes"), "Schedule 'daily'", "spec.template.csiSnapshotTimeout",
                "'ten minutes'")
        refused(lambda: schedule(itemOperationTimeout="4"), "Schedule 'daily'", "spec.template.itemOperationTimeout", "'4'")

    def test_star_alone_in_includes(self) -> None:
        """'*' in an include list stands alone."""
        refused(lambda: schedule(includedNamespaces=["*", "shop"]), "Schedule 'daily'", "spec.template.includedNamespaces",
                "'shop'")

    def test_no_star_in_excludes(self) -> None:
        """Exclude lists cannot contain '*'."""
        refused(lambda: schedule(excludedResources=["*"]), "Schedule 'daily'", "spec.template.excludedResources", "'*'")

    def test_not_included_and_excluded(self) -> None:
        """An item cannot be both included and excluded."""
        refused(lambda: schedule(excludedNamespaces=["warehouse-prod"]), "Schedule 'daily'",
                "spec.template.excludedNamespaces[0]", "'warehouse-prod'", "includedNamespaces")
        refused(lambda: schedule(includedResources=["pods", "secrets"], excludedResources=["secrets"]), "Schedule 'daily'",
                "spec.template.excludedResources[0]", "'secrets'")

    def test_old_and_new_filters_not_mixed(self) -> None:
        """includedResources/excludedResources/includeClusterResources and the *ScopedResources fields are exclusive."""
        refused(lambda: schedule(includeClusterResources=False, includedNamespaceScopedResources=["pods"]),
                "Schedule 'daily'", "spec.template.includedNamespaceScopedResources", "'pods'", "includeClusterResources")

    def test_one_kind_of_label_selector(self) -> None:
        """labelSelector and orLabelSelectors are exclusive."""
        refused(lambda: schedule(labelSelector={"matchLabels": {"a": "b"}}, orLabelSelectors=[{"matchLabels": {"c": "d"}}]),
                "Schedule 'daily'", "spec.template.orLabelSelectors", "labelSelector")

    def test_label_selector_is_typed(self) -> None:
        """labelSelector uses the typed Kubernetes selector (operators checked)."""
        refused(lambda: schedule(labelSelector={"matchExpressions": [{"key": "a", "operator": "Equals"}]}),
                "Schedule 'daily'", "spec.template.labelSelector.matchExpressions[0].operator", "'Equals'")

    def test_strict_types(self) -> None:
        """snapshotVolumes and paused are booleans, not strings."""
        refused(lambda: schedule(snapshotVolumes="yes"), "Schedule 'daily'", "spec.template.snapshotVolumes", "'yes'")


class TestBackup:
    def test_backup_shares_the_template_rules(self) -> None:
        """An on-demand Backup uses the same spec and rules as a Schedule's template."""
        ok = Backup.from_manifest({"metadata": {"name": "before-upgrade", "namespace": "velero"},
                          "spec": {"includedNamespaces": ["shop"], "ttl": "24h"}})
        assert not schema_errors(ok.to_manifest())
        refused(lambda: Backup.from_manifest({"metadata": {"name": "b"}, "spec": {"ttl": "1 day"}}), "Backup 'b'", "spec.ttl", "'1 day'")


# -- corpus and schemas ------------------------------------------------------------------------
class TestUpstreamExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every valid Schedule and Backup in upstream-examples round-trips and validates; the known-invalid ones are refused."""
        counts: dict[str, int] = {}
        refused_files = set()
        for name, _, doc in upstream_documents(kinds=KINDS, group="velero.io"):
            if name in KNOWN_INVALID:
                with pytest.raises(ManifestError) as info:
                    from_manifest(doc)
                assert "ScopedResources" in str(info.value)
                refused_files.add(name)
                continue
            model = from_manifest(doc)
            assert isinstance(model, KINDS[doc["kind"]]), name
            assert model.to_manifest() == doc, name
            assert not schema_errors(model.to_manifest()), name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\nvelero round trip: {counts}; refused as known-invalid: {sorted(refused_files)}")
        assert counts == EXPECTED_COUNTS
        assert refused_files == KNOWN_INVALID

    def test_reference_pages_without_placeholders_round_trip(self) -> None:
        """The reference pages load once their `{}` list placeholders and orLabelSelectors are dropped.

        Besides the placeholders, the pages show labelSelector and orLabelSelectors together, which
        Velero refuses, and ``status.phase: ""``, which the schema's phase enum refuses (the typed status
        says so at its path); everything else on them (hooks, status with nulls...) round-trips.
        """
        for name in sorted(KNOWN_INVALID):
            doc = yaml.safe_load((shared_dir("upstream-examples") / name).read_text(encoding="utf-8"))
            repaired = as_api_server_sees_it(copy.deepcopy(doc))
            body = repaired["spec"]["template"] if repaired["kind"] == "Schedule" else repaired["spec"]
            for key in _PLACEHOLDERS:
                body.pop(key)
            with pytest.raises(ManifestError, match="orLabelSelectors"):
                from_manifest(repaired)
            body.pop("orLabelSelectors")
            assert repaired["status"]["phase"] == ""
            with pytest.raises(ManifestError, match=r"status\.phase"):
                from_manifest(repaired)
            del repaired["status"]["phase"]
            assert from_manifest(repaired).to_manifest() == repaired, name

    def test_built_objects_validate(self) -> None:
        """A Schedule and a Backup synthesized by a chart validate against the velero.io schemas."""
        chart = GitOpsChart(cdk8s.App(), "prod-velero", app_name="velero", namespace="velero")
        TypedResource(chart, schedule(snapshotVolumes=True, storageLocation="default",
                                      excludedResources=["events"], defaultVolumesToFsBackup=False))
        TypedResource(chart, Backup.from_manifest({"metadata": {"name": "before-upgrade"},
                                          "spec": {"includedNamespaces": ["*"], "ttl": "168h"}}))
        objects = collect_chart(chart, "velero")
        assert len(objects) == 2
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.name
