"""Cron schedules, one validator for every kind that has one (CronJob, CronWorkflow, Velero
Schedule, CloudNativePG ScheduledBackup).

Kubernetes and the operators all parse schedules with the Go ``robfig/cron`` library, in two
dialects:

- *standard* (``batch/v1`` CronJob, Velero ``Schedule``, Argo Workflows ``CronWorkflow``):
  five fields, ``minute hour day-of-month month day-of-week``, or a descriptor (``@daily``,
  ``@every 6h``).
- *seconds first* (CloudNativePG ``ScheduledBackup``): six fields,
  ``second minute hour day-of-month month day-of-week``, or a descriptor. Upstream also
  takes five fields there but reads them seconds first (``0 2 * * *`` runs every hour at
  minute 2), so a five-field value is refused with the six-field spelling as the fix.

Each field is a number or name in its range, ``*`` or ``?``, a range ``a-b``, a step ``/n`` or a
comma list of these; ``61 * * * *`` is refused as robfig/cron refuses it.

:func:`cron_problem` returns why a value is not a schedule in a dialect (``None`` when it is
one); the message names the bad part. :func:`schedule_error` wraps it into the project's
``"<path>: schedule '<value>' <why>; <fix>"`` message, and :data:`CronSchedule` is the same
check as a field type for props models. The API-group packages register the check on every
generated class with a schedule field (:func:`cdk8s_gitops.core.schema.semantic_check`).
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import AfterValidator

from .units import parse_duration

__all__ = ["DESCRIPTORS", "CronSchedule", "check_cronjob_schedule", "cron_problem", "fix_for", "is_time_zone", "schedule_error"]

DESCRIPTORS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")

# (what, lowest, highest, names)
_SECOND = ("second", 0, 59, None)
_MINUTE = ("minute", 0, 59, None)
_HOUR = ("hour", 0, 23, None)
_DOM = ("day of month", 1, 31, None)
_MONTH = ("month", 1, 12, _MONTHS)
_DOW = ("day of week", 0, 6, _DAYS)

_STANDARD = (_MINUTE, _HOUR, _DOM, _MONTH, _DOW)
_SECONDS_FIRST = (_SECOND, _MINUTE, _HOUR, _DOM, _MONTH, _DOW)

Dialect = Literal["standard", "seconds"]


def _value(text: str, low: int, names: tuple[str, ...] | None) -> int | None:
    if text.isdigit():
        return int(text)
    if names and text.upper() in names:
        return names.index(text.upper()) + low
    return None


def _field_problem(text: str, what: str, low: int, high: int, names: tuple[str, ...] | None) -> str | None:
    for part in text.split(","):
        base, slash, step = part.partition("/")
        if slash and (not step.isdigit() or int(step) == 0):
            return f"has an invalid field {text!r} (the {what} step {step!r} is not a positive number)"
        if base in ("*", "?"):
            continue
        start, dash, end = base.partition("-")
        bounds = [_value(start, low, names)]
        if dash:
            bounds.append(_value(end, low, names))
        if any(b is None for b in bounds):
            return f"has an invalid field {text!r} (the {what} is not a number, name, range, step or list)"
        numbers = [b for b in bounds if b is not None]
        if any(not low <= b <= high for b in numbers):
            return f"has an invalid field {text!r} (the {what} is outside {low}-{high})"
        if dash and numbers[0] > numbers[1]:
            return f"has an invalid field {text!r} (the {what} range ends before it starts)"
    return None


def cron_problem(value: str, dialect: Dialect = "standard", *, allow_time_zone: bool = False) -> str | None:
    """Why ``value`` is not a schedule in ``dialect``, or None.

    Args:
        value: the schedule.
        dialect: ``standard`` (five fields) or ``seconds`` (six fields, seconds first).
        allow_time_zone: accept a ``CRON_TZ=<zone> `` or ``TZ=<zone> `` prefix (Velero does).
    """
    text = value.strip()
    if text.startswith(("CRON_TZ=", "TZ=")):
        if not allow_time_zone:
            return "sets the time zone inside the schedule"
        zone, _, rest = text.partition(" ")
        if not zone.partition("=")[2] or not rest.strip():
            return "has a time zone prefix but no schedule after it"
        text = rest.strip()
    if text.startswith("@"):
        if text in DESCRIPTORS:
            return None
        if text.startswith("@every "):
            try:
                seconds = parse_duration(text.removeprefix("@every ").strip())
            except ValueError:
                return f"has an invalid duration after @every ({text.removeprefix('@every ').strip()!r})"
            if seconds <= 0:
                return "has a zero duration after @every"
            return None
        return f"is not a known macro ({', '.join(DESCRIPTORS)} or '@every <duration>')"
    fields = text.split()
    layout = _STANDARD if dialect == "standard" else _SECONDS_FIRST
    if len(fields) != len(layout):
        names = " ".join(what.replace(" ", "-") for what, *_ in layout)
        extra = ""
        if dialect == "seconds" and len(fields) == 5:
            extra = " (upstream would read these 5 fields seconds first)"
        return f"has {len(fields)} fields, not {len(layout)} ({names}){extra}"
    for text_field, (what, low, high, names_) in zip(fields, layout, strict=True):
        why = _field_problem(text_field, what, low, high, names_)
        if why:
            return why
    return None


def fix_for(dialect: Dialect, why: str, zone_field: str | None = None) -> str:
    """The fix that goes with ``why`` (from :func:`cron_problem`); ``zone_field`` is where a time zone belongs."""
    if "time zone inside" in why and zone_field:
        return f"move the zone to {zone_field} and keep only the schedule"
    if dialect == "seconds":
        return "write six fields, seconds first, such as '0 0 2 * * *' (daily at 02:00), or a descriptor such as '@daily'"
    return ("write 5 fields (minute hour day-of-month month day-of-week) such as '0 3 * * *', or a macro such as "
            "'@daily'")


def schedule_error(value: str, dialect: Dialect = "standard", *, allow_time_zone: bool = False,
                   zone_field: str | None = None) -> str | None:
    """``"schedule '<value>' <why>; <fix>"`` when ``value`` is not a schedule, else None."""
    why = cron_problem(value, dialect, allow_time_zone=allow_time_zone)
    if why is None:
        return None
    return f"schedule {value!r} {why}; {fix_for(dialect, why, zone_field)}"


def _check_schedule(value: str) -> str:
    message = schedule_error(value, "standard", zone_field="timeZone")
    if message:
        raise ValueError(message)
    return value


CronSchedule = Annotated[str, AfterValidator(_check_schedule)]
"""A five-field cron schedule or a macro, as a props field type (the same check as every schedule field)."""


def check_cronjob_schedule(spec: Any) -> None:
    """Semantic check of ``batch/v1`` CronJobSpec (registered by :mod:`cdk8s_gitops.core.schema`): ``schedule``."""
    message = schedule_error(spec.schedule, "standard", zone_field="spec.timeZone")
    if message:
        raise ValueError(f"schedule: {message}")


@cache
def _zones() -> frozenset[str]:
    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # pragma: no cover - no time zone database at all
        return frozenset()


def is_time_zone(value: str) -> bool:
    """Whether ``value`` is an IANA time zone name (True when this machine has no zone database)."""
    zones = _zones()
    return not zones or value in zones
