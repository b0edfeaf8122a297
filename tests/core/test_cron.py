"""core.cron: one cron validator for every kind with a schedule (CronJob, CronWorkflow, Velero Schedule,
CloudNativePG ScheduledBackup)."""

from __future__ import annotations

from typing import Any

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.core.cron import cron_problem, schedule_error

JOB: dict[str, Any] = {"template": {"spec": {"containers": [{"name": "a", "image": "b:1"}], "restartPolicy": "Never"}}}


def _cronjob(schedule: str) -> Any:
    from cdk8s_gitops.models.batch_v1 import CronJob

    return CronJob.from_manifest({"metadata": {"name": "nightly"}, "spec": {"schedule": schedule, "jobTemplate": {"spec": JOB}}})


def _cron_workflow(schedule: str) -> Any:
    import cdk8s_gitops.addons  # noqa: F401 - registers the add-on checks
    from cdk8s_gitops.models.argoproj_io_v1alpha1 import CronWorkflow

    return CronWorkflow.from_manifest({"metadata": {"name": "nightly"}, "spec": {"schedules": [schedule],
                                                             "workflowSpec": {"workflowTemplateRef": {"name": "ci"}}}})


def _velero(schedule: str) -> Any:
    from cdk8s_gitops.addons.velero import Schedule

    return Schedule.from_manifest({"metadata": {"name": "nightly"}, "spec": {"schedule": schedule, "template": {}}})


def _scheduled_backup(schedule: str) -> Any:
    from cdk8s_gitops.addons.cloudnative_pg import ScheduledBackup

    return ScheduledBackup.from_manifest({"metadata": {"name": "nightly"}, "spec": {"schedule": schedule, "cluster": {"name": "pg"}}})


class TestCronProblem:
    @pytest.mark.parametrize("value", ["*/15 * * * *", "0 3 * * MON-FRI", "0 0 1 JAN,JUL ?", "@daily", "@every 1h30m",
                                       "59 23 31 12 6"])
    def test_standard_accepted(self, value: str) -> None:
        """Five fields in range, names, steps, lists and descriptors are schedules."""
        assert cron_problem(value) is None

    @pytest.mark.parametrize("value,part", [("61 * * * *", "'61'"), ("0 24 * * *", "0-23"), ("0 0 0 * *", "1-31"),
                                            ("0 0 * 13 *", "1-12"), ("0 0 * * 7", "0-6"), ("*/0 * * * *", "step"),
                                            ("5-2 * * * *", "ends before"), ("0 3 * * mon;tue", "'mon;tue'"),
                                            ("0 3 * *", "4 fields"), ("@fortnightly", "not a known macro")])
    def test_standard_refused(self, value: str, part: str) -> None:
        """Out-of-range numbers, zero steps, reversed ranges, bad characters and wrong field counts are named."""
        why = cron_problem(value)
        assert why is not None and part in why

    def test_seconds_dialect(self) -> None:
        """Six fields, seconds first; five fields are refused with the reason (upstream reads them seconds first)."""
        assert cron_problem("0 0 2 * * *", "seconds") is None
        assert "seconds first" in (cron_problem("0 2 * * *", "seconds") or "")
        assert "'61'" in (cron_problem("61 0 2 * * *", "seconds") or "")

    def test_time_zone_prefix(self) -> None:
        """A CRON_TZ=/TZ= prefix is refused unless allowed; the fix names the zone field."""
        message = schedule_error("TZ=UTC 0 3 * * *", zone_field="spec.timeZone")
        assert message is not None and "spec.timeZone" in message
        assert cron_problem("CRON_TZ=Europe/Madrid 0 3 * * *", allow_time_zone=True) is None


class TestRegisteredEverywhere:
    @pytest.mark.parametrize("make,path", [(_cronjob, "spec.schedule"), (_cron_workflow, "spec.schedules[0]"),
                                           (_velero, "spec.schedule")])
    def test_minute_61_refused(self, make: Any, path: str) -> None:
        """Every generated class with a five-field schedule refuses '61 * * * *' with the same message."""
        with pytest.raises(ManifestError) as info:
            make("61 * * * *")
        message = str(info.value)
        assert f"{path}: schedule '61 * * * *' has an invalid field '61' (the minute is outside 0-59)" in message
        make("1 * * * *")

    def test_seconds_first_kind(self) -> None:
        """ScheduledBackup reads six fields; second 61 is refused there with the same wording."""
        with pytest.raises(ManifestError, match=r"spec.schedule: schedule '61 0 2 \* \* \*' has an invalid field '61'"):
            _scheduled_backup("61 0 2 * * *")
        _scheduled_backup("0 0 2 * * *")
