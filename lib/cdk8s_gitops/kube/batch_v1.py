"""Batch API group (``batch/v1``): Job and CronJob on the generated models.

The classes are those of :mod:`cdk8s_gitops.models.batch_v1`. The semantic checks here
refuse a Job pod template that restarts forever, a manual selector that does not select
the template, schedules the CronJob controller cannot parse, unknown time zones, CronJob
names too long for their Jobs, and negative counts.

:data:`CronSchedule` and :data:`TimeZone` are the same rules as annotated string types,
for props models that take a schedule or a zone.
"""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Annotated

from pydantic import AfterValidator

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models.batch_v1 import (
    CronJob,
    CronJobSpec,
    Job,
    JobSpec,
    JobTemplateSpec,
    PodFailurePolicy,
    PodFailurePolicyOnExitCodesRequirement,
    PodFailurePolicyOnPodConditionsPattern,
    PodFailurePolicyRule,
    SuccessPolicy,
    SuccessPolicyRule,
)
from ._checks import NON_NEGATIVE, POSITIVE, require, value_rules
from ._pod import pod_template_issues, selector_template_issues

__all__ = [
    "CronJob",
    "CronJobSpec",
    "CronSchedule",
    "Job",
    "JobSpec",
    "JobTemplateSpec",
    "PodFailurePolicy",
    "PodFailurePolicyOnExitCodesRequirement",
    "PodFailurePolicyOnPodConditionsPattern",
    "PodFailurePolicyRule",
    "SuccessPolicy",
    "SuccessPolicyRule",
    "TimeZone",
]

for _kind in (Job, CronJob):
    require(_kind, "spec")

# -- cron schedules and time zones -------------------------------------------------------------
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
"""A CronJob schedule: 5 cron fields, a macro (``@daily``) or ``@every <duration>``."""


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
"""An IANA time zone name (``Etc/UTC``, ``Europe/Madrid``)."""


# -- Job -------------------------------------------------------------------------------------
value_rules(SuccessPolicyRule, succeeded_count=NON_NEGATIVE)
value_rules(JobSpec, active_deadline_seconds=POSITIVE, backoff_limit=NON_NEGATIVE, backoff_limit_per_index=NON_NEGATIVE,
            completions=NON_NEGATIVE, max_failed_indexes=NON_NEGATIVE, parallelism=NON_NEGATIVE,
            ttl_seconds_after_finished=NON_NEGATIVE)


@semantic_check(PodFailurePolicyOnPodConditionsPattern)
def _condition_status(pattern: PodFailurePolicyOnPodConditionsPattern) -> None:
    if pattern.status is not None and pattern.status not in ("True", "False", "Unknown"):
        issues = Issues()
        issues.add(("status",), f"status {pattern.status!r} is not a condition status; use 'True', 'False' or 'Unknown'", pattern.status)
        issues.raise_any("PodFailurePolicyOnPodConditionsPattern")


@semantic_check(JobSpec)
def _job_spec(spec: JobSpec) -> None:
    issues = Issues()
    issues.extend(("template",), pod_template_issues(spec.template, allowed_restart=("OnFailure", "Never"), kind="Job"))
    if spec.manual_selector and spec.selector is not None:
        issues.extend((), selector_template_issues(spec.selector, spec.template, "Job"))
    issues.raise_any("JobSpec")


# -- CronJob ---------------------------------------------------------------------------------
value_rules(CronJobSpec, schedule=_check_schedule, time_zone=_check_time_zone, failed_jobs_history_limit=NON_NEGATIVE,
            starting_deadline_seconds=NON_NEGATIVE, successful_jobs_history_limit=NON_NEGATIVE)


@semantic_check(CronJob)
def _cronjob_name_length(cronjob: CronJob) -> None:
    name = cronjob.metadata.name
    if name and len(name) > 52:
        issues = Issues()
        issues.add(("metadata", "name"), f"CronJob name {name!r} has {len(name)} characters, above 52 (Job names add a suffix); "
                                         f"shorten it to 52 characters or fewer", name)
        issues.raise_any("CronJob")
