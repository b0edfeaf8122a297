"""Cron schedules as the add-on operators read them (private).

The operators all parse schedules with the Go ``robfig/cron`` library, in three dialects:

- *standard* (Velero ``Schedule``, Argo Workflows ``CronWorkflow``): five fields,
  ``minute hour day-of-month month day-of-week``, or a descriptor (``@daily``, ``@every 6h``).
- *seconds first* (CloudNativePG ``ScheduledBackup``): six fields,
  ``second minute hour day-of-month month day-of-week``, or a descriptor. Upstream also
  takes five fields there but reads them seconds first (``0 2 * * *`` runs every hour at
  minute 2), so a five-field value is refused with the six-field spelling as the fix.

:func:`cron_problem` returns why a value is not a schedule in a dialect (``None`` when it
is one); the message names the bad part, and the caller adds the fix.
"""

from __future__ import annotations

from typing import Literal

from ..core.units import parse_duration

__all__ = ["DESCRIPTORS", "cron_problem"]

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
            return f"has an invalid step {step!r} in the {what} field {text!r}"
        if base in ("*", "?"):
            continue
        start, dash, end = base.partition("-")
        bounds = [_value(start, low, names)]
        if dash:
            bounds.append(_value(end, low, names))
        if any(b is None for b in bounds):
            return f"has the {what} field {text!r} that is not a number, name, range, step or list"
        numbers = [b for b in bounds if b is not None]
        if any(not low <= b <= high for b in numbers):
            return f"has the {what} field {text!r} outside {low}-{high}"
        if dash and numbers[0] > numbers[1]:
            return f"has the {what} field {text!r} with a range that ends before it starts"
    return None


def cron_problem(value: str, dialect: Literal["standard", "seconds"], *, allow_time_zone: bool = False) -> str | None:
    """Why ``value`` is not a schedule in ``dialect``, or None.

    Args:
        value: the schedule.
        dialect: ``standard`` (five fields) or ``seconds`` (six fields, seconds first).
        allow_time_zone: accept a ``CRON_TZ=<zone> `` or ``TZ=<zone> `` prefix (Velero does).
    """
    text = value.strip()
    if not text:
        return "is empty"
    if text.startswith(("CRON_TZ=", "TZ=")):
        if not allow_time_zone:
            return "sets a time zone inside the schedule"
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
        return f"is not a known descriptor ({', '.join(DESCRIPTORS)} or '@every <duration>')"
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
