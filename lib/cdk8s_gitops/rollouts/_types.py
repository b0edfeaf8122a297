"""Value types shared by the Argo Rollouts models (private).

Value types raise ``ValueError("<what is wrong>; <fix>")`` so that the core error
formatter can split the message from the fix. Types that accept several JSON types
(int-or-string) validate with one plain function, so that a wrong value yields one
error at the field's path rather than one per union branch.

The types every API group shares (``NonNegativeInt``, ``PositiveInt``, ``IntOrPercent``)
and the problem collector live in :mod:`cdk8s_gitops.core.fields`: a model validator
records problems at paths *below* the model (``steps[2].setWeight``) with
:class:`~cdk8s_gitops.core.fields.Issues`, and pydantic puts the model's own location in
front, so every problem ends up with its full upstream path
(``spec.strategy.canary.steps[2].setWeight``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, PlainSerializer, PlainValidator

from ..core.errors import format_value
from ..core.fields import as_is, type_name
from ..core.units import parse_duration

__all__ = [
    "Duration",
    "IntOrTemplate",
    "PauseDuration",
    "Percent",
    "as_int",
    "duration_seconds",
    "is_templated",
    "percent_value",
]


# -- helpers -----------------------------------------------------------------------------
_TEMPLATE = re.compile(r"\{\{.*\}\}")


def is_templated(value: Any) -> bool:
    """Whether ``value`` is an Argo template placeholder (``{{args.count}}``), resolved at run time."""
    return isinstance(value, str) and bool(_TEMPLATE.search(value))


def as_int(value: int | str | None) -> int | None:
    """The integer an int-or-string holds (``5`` or ``"5"``); None for placeholders and unset values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(value.strip())
    except ValueError:
        return None


_PERCENT = re.compile(r"^(\d+)%$")


def percent_value(value: int | str | None) -> int | None:
    """``25%`` -> 25, ``3`` -> 3: the number in an int-or-percent value (None when unset)."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _PERCENT.match(value)
    return int(match.group(1)) if match else as_int(value)


def duration_seconds(value: int | str) -> float:
    """Seconds in a pause duration: an integer (seconds), a numeric string, or a Go duration.

    A leading ``-`` is honoured (Go accepts ``-5s``), so negative durations can be
    refused with their value. Raises ``ValueError`` for text that is not a duration.
    """
    if isinstance(value, int):
        return float(value)
    text = value.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return float(int(text))
    sign = -1.0 if text.startswith("-") else 1.0
    return sign * parse_duration(text.lstrip("+-"))


# -- integers ----------------------------------------------------------------------------
def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise ValueError(f"{value} is outside 0-100; use a percentage between 0 and 100")
    return value


Percent = Annotated[int, AfterValidator(_percent)]
"""An integer percentage, 0-100."""


# -- int-or-string -------------------------------------------------------------------------
def _int_or_template(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({type_name(value)}) is neither an integer nor a string; "
            f"use an integer such as 3 or an argument placeholder such as '{{{{args.count}}}}'"
        )
    if isinstance(value, str) and not is_templated(value) and as_int(value) is None:
        raise ValueError(f"{value!r} is not an integer; use an integer such as 3 or an argument placeholder such as '{{{{args.count}}}}'")
    return value


def _pause_duration(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({type_name(value)}) is not a duration; use seconds as an integer (30) "
            f"or a string with a unit such as '30s', '5m' or '1h'"
        )
    try:
        seconds = duration_seconds(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a duration; use seconds as an integer (30) or a string with a unit such as '30s', '5m' or '1h'") from None
    if seconds < 0:
        raise ValueError(f"pause duration {value!r} is negative; use 0 or a positive duration, or leave duration out to pause until promoted")
    return value


def _duration(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{format_value(value)} ({type_name(value)}) is not a duration string; use a string such as '30s', '5m' or '1h'")
    if is_templated(value):
        return value
    try:
        parse_duration(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a duration; use a number and a unit (ms, s, m, h), such as '30s', '5m' or '1h30m'") from None
    return value


IntOrTemplate = Annotated[int | str, PlainValidator(_int_or_template), PlainSerializer(as_is)]
"""An integer, a numeric string, or an argument placeholder (``{{args.count}}``): metric counts and limits."""

PauseDuration = Annotated[int | str, PlainValidator(_pause_duration), PlainSerializer(as_is)]
"""A pause: seconds as an integer (``30``) or a string (``"30"``, ``"30s"``, ``"1h"``); never negative."""

Duration = Annotated[str, PlainValidator(_duration), PlainSerializer(as_is)]
"""A Go duration string (``5m``), or an argument placeholder."""
