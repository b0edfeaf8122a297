"""Tests of cdk8s_gitops.kube.batch_v1: Job and CronJob."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.kube import CronJob, Job

from ._k8s import assert_round_trip, pod_template, validate_strict


def job_spec(**spec: Any) -> dict[str, Any]:
    """A migration-style Job spec; ``spec`` keys override."""
    template = pod_template("migrate", restartPolicy="Never")
    template["spec"]["containers"][0].update(command=["/app/migrate"], args=["--to=latest"])
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        del template["spec"]["containers"][0][probe]
    return {
        "backoffLimit": 2,
        "activeDeadlineSeconds": 600,
        "ttlSecondsAfterFinished": 3600,
        "completions": 1,
        "parallelism": 1,
        "podFailurePolicy": {"rules": [
            {"action": "FailJob", "onExitCodes": {"containerName": "migrate", "operator": "In", "values": [42]}},
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
        ]},
        "template": template,
        **spec,
    }


def job(**spec: Any) -> dict[str, Any]:
    """A Job manifest around :func:`job_spec`."""
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "db-migrate", "namespace": "shop", "annotations": {"argocd.argoproj.io/hook": "PreSync"}},
        "spec": job_spec(**spec),
    }


def cronjob(**spec: Any) -> dict[str, Any]:
    """A nightly backup CronJob; ``spec`` keys override."""
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "nightly-backup", "namespace": "shop"},
        "spec": {
            "schedule": "30 2 * * *",
            "timeZone": "Europe/Madrid",
            "concurrencyPolicy": "Forbid",
            "startingDeadlineSeconds": 300,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1,
            "suspend": False,
            "jobTemplate": {
                "metadata": {"labels": {"app.kubernetes.io/name": "backup"}},
                "spec": job_spec(backoffLimit=1),
            },
            **spec,
        },
    }


class TestJob:
    def test_round_trip(self) -> None:
        """A Job with a pod failure policy round-trips and passes the strict schema."""
        doc = job()
        assert_round_trip(Job, doc)
        validate_strict(doc)

    def test_indexed_round_trip(self) -> None:
        """An Indexed Job with a success policy and per-index backoff round-trips and validates."""
        doc = job(completionMode="Indexed", completions=5, parallelism=5, backoffLimitPerIndex=1, maxFailedIndexes=2,
                  successPolicy={"rules": [{"succeededIndexes": "0-2", "succeededCount": 2}]},
                  podReplacementPolicy="Failed")
        del doc["spec"]["backoffLimit"]
        doc["spec"]["podFailurePolicy"]["rules"][0]["action"] = "FailIndex"
        assert_round_trip(Job, doc)
        validate_strict(doc)

    def test_restart_policy_required(self) -> None:
        """A Job template without restartPolicy (Always by default) is refused with the two allowed values."""
        doc = job()
        del doc["spec"]["template"]["spec"]["restartPolicy"]
        message = manifest_error(Job, doc)
        assert ("Job 'db-migrate': spec.template.spec.restartPolicy: restartPolicy is unset (Always), which a Job does not "
                "accept; use 'OnFailure' or 'Never'") in message

    @pytest.mark.parametrize("field", ["backoffLimit", "completions", "parallelism", "ttlSecondsAfterFinished"])
    def test_counts_non_negative(self, field: str) -> None:
        """Negative counts and limits are refused at their path."""
        assert f"spec.{field}: -1 is negative" in manifest_error(Job, job(**{field: -1}))

    def test_failure_policy_action(self) -> None:
        """An unknown pod failure action is refused, listing the allowed ones."""
        doc = job()
        doc["spec"]["podFailurePolicy"]["rules"][0]["action"] = "Retry"
        message = manifest_error(Job, doc)
        assert "spec.podFailurePolicy.rules[0].action" in message and "'Retry'" in message and "'FailJob'" in message

    def test_failure_policy_operator_and_status(self) -> None:
        """onExitCodes.operator is In or NotIn, and a pod condition status is True, False or Unknown."""
        doc = job()
        doc["spec"]["podFailurePolicy"]["rules"][0]["onExitCodes"]["operator"] = "Equals"
        message = manifest_error(Job, doc)
        assert "spec.podFailurePolicy.rules[0].onExitCodes.operator" in message and "'Equals'" in message and "'NotIn'" in message
        doc = job()
        doc["spec"]["podFailurePolicy"]["rules"][1]["onPodConditions"][0]["status"] = "Yes"
        message = manifest_error(Job, doc)
        assert ("spec.podFailurePolicy.rules[1].onPodConditions[0].status: status 'Yes' is not a condition status; "
                "use 'True', 'False' or 'Unknown'") in message

    def test_spec_required(self) -> None:
        """A Job without spec is refused at spec."""
        doc = job()
        del doc["spec"]
        assert "Job 'db-migrate': spec: required field is missing" in manifest_error(Job, doc)

    def test_manual_selector_must_match(self) -> None:
        """With manualSelector, the selector must select the template."""
        message = manifest_error(Job, job(manualSelector=True, selector={"matchLabels": {"job": "other"}}))
        assert "spec.selector.matchLabels" in message


class TestCronJob:
    def test_round_trip(self) -> None:
        """A CronJob with time zone, concurrency policy and history limits round-trips and validates."""
        doc = cronjob()
        assert_round_trip(CronJob, doc)
        validate_strict(doc)

    @pytest.mark.parametrize("schedule", ["*/15 * * * *", "0 3 * * MON-FRI", "0 0 1 JAN,JUL ?", "@hourly", "@daily",
                                          "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m"])
    def test_schedules_accepted(self, schedule: str) -> None:
        """Five-field schedules, the @ macros and @every durations are accepted."""
        CronJob.from_manifest(cronjob(schedule=schedule))

    @pytest.mark.parametrize("schedule,count", [("0 3 * * * *", 6), ("0 3 * *", 4), ("", 0)])
    def test_schedule_field_count(self, schedule: str, count: int) -> None:
        """A schedule without exactly 5 fields is refused, naming the schedule and its field count."""
        message = manifest_error(CronJob, cronjob(schedule=schedule))
        assert f"CronJob 'nightly-backup': spec.schedule: schedule {schedule!r} has {count} fields, not 5" in message
        assert "'@daily'" in message

    def test_schedule_unknown_macro(self) -> None:
        """An unknown @ macro is refused, listing the known ones."""
        message = manifest_error(CronJob, cronjob(schedule="@fortnightly"))
        assert "spec.schedule: schedule '@fortnightly' is not a known macro" in message and "@hourly" in message

    def test_schedule_time_zone_prefix(self) -> None:
        """A TZ= prefix in the schedule is refused, pointing at spec.timeZone."""
        message = manifest_error(CronJob, cronjob(schedule="TZ=Europe/Madrid 0 3 * * *"))
        assert "spec.schedule:" in message and "spec.timeZone" in message

    def test_schedule_characters(self) -> None:
        """A field with characters cron does not use is refused."""
        message = manifest_error(CronJob, cronjob(schedule="0 3 * * mon;tue"))
        assert "spec.schedule: schedule '0 3 * * mon;tue' has an invalid field 'mon;tue'" in message

    def test_time_zone(self) -> None:
        """A time zone that is not an IANA name is refused."""
        message = manifest_error(CronJob, cronjob(timeZone="CET+1"))
        assert "spec.timeZone: timeZone 'CET+1' is not an IANA time zone name" in message

    def test_concurrency_policy(self) -> None:
        """concurrencyPolicy accepts only Allow, Forbid and Replace."""
        message = manifest_error(CronJob, cronjob(concurrencyPolicy="forbid"))
        assert "spec.concurrencyPolicy" in message and "'forbid'" in message and "'Forbid'" in message

    @pytest.mark.parametrize("field", ["successfulJobsHistoryLimit", "failedJobsHistoryLimit", "startingDeadlineSeconds"])
    def test_limits_non_negative(self, field: str) -> None:
        """Negative history limits and deadlines are refused at their path."""
        assert f"spec.{field}: -1 is negative" in manifest_error(CronJob, cronjob(**{field: -1}))

    def test_job_template_restart_policy(self) -> None:
        """The Job checks apply inside jobTemplate, with the full path."""
        doc = cronjob()
        doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] = "Always"
        message = manifest_error(CronJob, doc)
        assert "spec.jobTemplate.spec.template.spec.restartPolicy: restartPolicy is 'Always'" in message

    def test_name_length(self) -> None:
        """A CronJob name above 52 characters is refused (Jobs append a suffix)."""
        doc = cronjob()
        doc["metadata"]["name"] = "n" * 53
        assert "metadata.name: CronJob name 'nnn" in manifest_error(CronJob, doc)
