"""Batch API group (``batch/v1``): Job and CronJob."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues, NonNegativeInt, PositiveInt
from ..core.model import K8sModel, ObjectMeta, Resource
from ..core.units import parse_duration
from .core_v1 import LabelSelector, PodTemplateSpec, pod_template_issues, selector_template_issues

__all__ = [
    "CronJob",
    "CronJobSpec",
    "Job",
    "JobSpec",
    "JobTemplateSpec",
    "PodFailurePolicy",
    "PodFailurePolicyOnExitCodesRequirement",
    "PodFailurePolicyOnPodConditionsPattern",
    "PodFailurePolicyRule",
    "SuccessPolicy",
    "SuccessPolicyRule",
]

# =====================================================================================
# Cron schedules
# =====================================================================================
_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*?/,\-LW#]+$")


def _check_schedule(value: str) -> str:
    text = value.strip()
    if text.startswith(("TZ=", "CRON_TZ=")):
        raise ValueError(f"schedule {value!r} sets the time zone inside the schedule, which upstream refuses; "
                         f"move the zone to spec.timeZone and keep only the 5 fields in schedule")
    if text.startswith("@"):
        if text in _MACROS:
            return value
        if text.startswith("@every "):
            try:
                parse_duration(text.removeprefix("@every ").strip())
            except ValueError:
                pass
            else:
                return value
        raise ValueError(f"schedule {value!r} is not a known macro; use one of {', '.join(_MACROS)}, '@every <duration>' "
                         f"or 5 fields such as '*/15 * * * *'")
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(f"schedule {value!r} has {len(fields)} fields, not 5 (minute hour day-of-month month day-of-week); "
                         f"write 5 fields such as '0 3 * * *', or a macro such as '@daily'")
    for field in fields:
        if not _CRON_FIELD.match(field):
            raise ValueError(f"schedule {value!r} has an invalid field {field!r}; use numbers, names, '*', ',', '-' and '/' "
                             f"such as '*/15 * * * *'")
    return value


CronSchedule = Annotated[str, AfterValidator(_check_schedule)]


@cache
def _zones() -> frozenset[str]:
    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # pragma: no cover - no time zone database at all
        return frozenset()


def _check_time_zone(value: str) -> str:
    zones = _zones()
    if zones and value not in zones:
        raise ValueError(f"timeZone {value!r} is not an IANA time zone name; use a name such as 'Etc/UTC' or 'Europe/Madrid'")
    return value


TimeZone = Annotated[str, AfterValidator(_check_time_zone)]


# =====================================================================================
# Job
# =====================================================================================
class PodFailurePolicyOnExitCodesRequirement(K8sModel):
    """Exit codes a pod failure rule matches.

    Attributes:
        container_name: ``containerName`` to check. Default: none (every container).
        operator: ``operator``: ``In`` or ``NotIn``. Required.
        values: ``values``: exit codes. Required.
    """

    container_name: str | None = None
    operator: Literal["In", "NotIn"]
    values: list[int]


class PodFailurePolicyOnPodConditionsPattern(K8sModel):
    """A pod condition a pod failure rule matches.

    Attributes:
        status: ``status`` of the condition. Default: none (upstream: ``True``; required before 1.35).
        type: ``type`` of the condition (``DisruptionTarget``). Required.
    """

    status: Literal["True", "False", "Unknown"] | None = None
    type: str


class PodFailurePolicyRule(K8sModel):
    """What to do when a failed pod matches.

    Attributes:
        action: ``action``: ``FailJob``, ``FailIndex``, ``Ignore`` or ``Count``. Required.
        on_exit_codes: ``onExitCodes``. Default: none.
        on_pod_conditions: ``onPodConditions``. Default: none.
    """

    action: Literal["FailJob", "FailIndex", "Ignore", "Count"]
    on_exit_codes: PodFailurePolicyOnExitCodesRequirement | None = None
    on_pod_conditions: list[PodFailurePolicyOnPodConditionsPattern] | None = None


class PodFailurePolicy(K8sModel):
    """How pod failures count against the Job.

    Attributes:
        rules: ``rules``, first match wins. Required.
    """

    rules: list[PodFailurePolicyRule]


class SuccessPolicyRule(K8sModel):
    """When an Indexed Job counts as succeeded early.

    Attributes:
        succeeded_count: ``succeededCount`` of indexes. Default: none.
        succeeded_indexes: ``succeededIndexes`` (``0-2,5``). Default: none.
    """

    succeeded_count: NonNegativeInt | None = None
    succeeded_indexes: str | None = None


class SuccessPolicy(K8sModel):
    """Early success of an Indexed Job.

    Attributes:
        rules: ``rules``, any match succeeds the Job. Required.
    """

    rules: list[SuccessPolicyRule]


class JobSpec(K8sModel):
    """Desired state of a Job (also the body of a CronJob's jobTemplate).

    Attributes:
        active_deadline_seconds: ``activeDeadlineSeconds`` before the Job fails. Default: none (no deadline).
        backoff_limit: ``backoffLimit``: retries before the Job fails, >= 0. Default: none (upstream: 6).
        backoff_limit_per_index: ``backoffLimitPerIndex`` (Indexed Jobs). Default: none.
        completion_mode: ``completionMode``: ``NonIndexed`` or ``Indexed``. Default: none (upstream: ``NonIndexed``).
        completions: ``completions`` needed, >= 0. Default: none (upstream: 1 when parallelism is unset).
        managed_by: ``managedBy``: controller owning the Job. Default: none (the built-in controller).
        manual_selector: ``manualSelector``: use the given selector instead of a generated one. Default: none (upstream: false).
        max_failed_indexes: ``maxFailedIndexes``. Default: none.
        parallelism: ``parallelism``: pods at once, >= 0. Default: none (upstream: 1).
        pod_failure_policy: ``podFailurePolicy``. Default: none.
        pod_replacement_policy: ``podReplacementPolicy``: ``TerminatingOrFailed`` or ``Failed``. Default: none.
        selector: ``selector``; only with manualSelector. Default: none (generated).
        success_policy: ``successPolicy``. Default: none.
        suspend: ``suspend``: create no pods while true. Default: none (upstream: false).
        template: ``template``: the pods; restartPolicy must be ``OnFailure`` or ``Never``. Required.
        ttl_seconds_after_finished: ``ttlSecondsAfterFinished`` before the finished Job is deleted. Default: none (kept).
    """

    active_deadline_seconds: PositiveInt | None = None
    backoff_limit: NonNegativeInt | None = None
    backoff_limit_per_index: NonNegativeInt | None = None
    completion_mode: Literal["NonIndexed", "Indexed"] | None = None
    completions: NonNegativeInt | None = None
    managed_by: str | None = None
    manual_selector: bool | None = None
    max_failed_indexes: NonNegativeInt | None = None
    parallelism: NonNegativeInt | None = None
    pod_failure_policy: PodFailurePolicy | None = None
    pod_replacement_policy: Literal["TerminatingOrFailed", "Failed"] | None = None
    selector: LabelSelector | None = None
    success_policy: SuccessPolicy | None = None
    suspend: bool | None = None
    template: PodTemplateSpec
    ttl_seconds_after_finished: NonNegativeInt | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        issues.extend(("template",), pod_template_issues(self.template, allowed_restart=("OnFailure", "Never"), kind="Job"))
        if self.manual_selector and self.selector is not None:
            issues.extend((), selector_template_issues(self.selector, self.template, "Job"))
        issues.raise_any("JobSpec")
        return self


class Job(Resource):
    """A ``batch/v1`` Job: pods that run to completion.

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Job"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("batch/v1",)

    spec: JobSpec
    status: dict[str, Any] | None = None


# =====================================================================================
# CronJob
# =====================================================================================
class JobTemplateSpec(K8sModel):
    """The Job a CronJob creates on each run.

    Attributes:
        metadata: ``metadata`` (labels, annotations) of the Jobs. Default: none.
        spec: ``spec`` of the Jobs. Default: none (upstream: effectively required).
    """

    metadata: ObjectMeta | None = None
    spec: JobSpec | None = None


class CronJobSpec(K8sModel):
    """Desired state of a CronJob.

    Attributes:
        concurrency_policy: ``concurrencyPolicy``: ``Allow``, ``Forbid`` or ``Replace`` a run still going. Default: none (upstream: ``Allow``).
        failed_jobs_history_limit: ``failedJobsHistoryLimit``: failed Jobs kept, >= 0. Default: none (upstream: 1).
        job_template: ``jobTemplate``. Required.
        schedule: ``schedule``: 5 cron fields or a macro (``@hourly``, ``@daily``, ...). Required.
        starting_deadline_seconds: ``startingDeadlineSeconds`` a missed run may still start. Default: none (no deadline).
        successful_jobs_history_limit: ``successfulJobsHistoryLimit``: succeeded Jobs kept, >= 0. Default: none (upstream: 3).
        suspend: ``suspend``: skip runs while true. Default: none (upstream: false).
        time_zone: ``timeZone``: IANA zone of the schedule. Default: none (the controller's zone, usually UTC).
    """

    concurrency_policy: Literal["Allow", "Forbid", "Replace"] | None = None
    failed_jobs_history_limit: NonNegativeInt | None = None
    job_template: JobTemplateSpec
    schedule: CronSchedule
    starting_deadline_seconds: NonNegativeInt | None = None
    successful_jobs_history_limit: NonNegativeInt | None = None
    suspend: bool | None = None
    time_zone: TimeZone | None = None


class CronJob(Resource):
    """A ``batch/v1`` CronJob: a Job on a schedule (name at most 52 characters).

    Attributes:
        spec: ``spec``. Required.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "CronJob"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("batch/v1",)

    spec: CronJobSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_name_length(self) -> Self:
        name = self.metadata.name
        if name and len(name) > 52:
            issues = Issues()
            issues.add(("metadata", "name"), f"CronJob name {name!r} has {len(name)} characters, above 52 (Job names add a suffix); "
                                             f"shorten it to 52 characters or fewer", name)
            issues.raise_any("CronJob")
        return self
