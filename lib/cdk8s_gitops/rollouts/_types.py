"""Value types and the problem collector shared by the Argo Rollouts models (private).

Value types raise ``ValueError("<what is wrong>; <fix>")`` so that the core error
formatter can split the message from the fix. Types that accept several JSON types
(int-or-string) validate with one plain function, so that a wrong value yields one
error at the field's path rather than one per union branch.

:class:`Problems` collects the problems a model validator finds at paths *below* the
model (``steps[2].setWeight``) and raises them together as one pydantic
``ValidationError``; pydantic puts the model's own location in front, so every problem
ends up with its full upstream path (``spec.strategy.canary.steps[2].setWeight``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, PlainSerializer, PlainValidator, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..core.errors import format_value
from ..core.model import check_label_key, check_label_value
from ..core.units import parse_duration

__all__ = [
    "Duration",
    "IntOrPercent",
    "IntOrTemplate",
    "NonNegativeInt",
    "PauseDuration",
    "Percent",
    "PositiveInt",
    "Problems",
    "as_int",
    "duration_seconds",
    "is_templated",
    "label_map_problem",
    "percent_value",
]


# -- problems below the current model -------------------------------------------------
class Problems:
    """Problems one validator found, each at a location relative to the model.

    ``add(("steps", 2, "setWeight"), "130 is above ...; use ...", 130)``, then
    :meth:`raise_any` raises them all at once (nothing happens when there are none).
    """

    def __init__(self) -> None:
        self._items: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], message: str, value: Any = None) -> None:
        """Record ``message`` (``"<what is wrong>; <fix>"``) for the field at ``loc``."""
        self._items.append(
            InitErrorDetails(type=PydanticCustomError("value_error", "{message}", {"message": message}), loc=loc, input=value)
        )

    def absorb(self, prefix: tuple[str | int, ...], issues: Any) -> None:
        """Take over the problems of another collector (anything with ``raise_any``), under ``prefix``."""
        try:
            issues.raise_any("nested")
        except ValidationError as exc:
            for item in exc.errors(include_url=False):
                self.add(prefix + tuple(item.get("loc", ())), str(item.get("msg", "")), item.get("input"))

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_any(self, title: str) -> None:
        """Raise one ``ValidationError`` carrying every recorded problem."""
        if self._items:
            raise ValidationError.from_exception_data(title, self._items)


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


def label_map_problem(labels: dict[str, str] | None, where: str) -> str | None:
    """Why a ``key: value`` label map is invalid (message and fix), or None."""
    for key, value in (labels or {}).items():
        why = check_label_key(key)
        if why:
            return f"{where} key {key!r} {why}; use a valid label key such as 'app.kubernetes.io/name'"
        why = check_label_value(value)
        if why:
            return f"{where} {key!r} value {value!r} {why}; use a valid label value"
    return None


def _type_name(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else type(value).__name__


def _as_is(value: Any) -> Any:
    return value


# -- integers ----------------------------------------------------------------------------
def _non_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} is negative; use 0 or a positive integer")
    return value


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError(f"{value} is below 1; use a positive integer")
    return value


def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise ValueError(f"{value} is outside 0-100; use a percentage between 0 and 100")
    return value


NonNegativeInt = Annotated[int, AfterValidator(_non_negative)]
"""An integer >= 0 (replicas, seconds, history limits)."""

PositiveInt = Annotated[int, AfterValidator(_positive)]
"""An integer >= 1."""

Percent = Annotated[int, AfterValidator(_percent)]
"""An integer percentage, 0-100."""


# -- int-or-string -------------------------------------------------------------------------
def _int_or_percent(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({_type_name(value)}) is neither an integer nor a percentage; "
            f"use an integer such as 1 or a percentage such as '25%'"
        )
    if isinstance(value, int):
        return _non_negative(value)
    if not _PERCENT.match(value):
        raise ValueError(f"{value!r} is not a percentage; use an integer such as 1 or a percentage such as '25%'")
    return value


def _int_or_template(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({_type_name(value)}) is neither an integer nor a string; "
            f"use an integer such as 3 or an argument placeholder such as '{{{{args.count}}}}'"
        )
    if isinstance(value, str) and not is_templated(value) and as_int(value) is None:
        raise ValueError(f"{value!r} is not an integer; use an integer such as 3 or an argument placeholder such as '{{{{args.count}}}}'")
    return value


def _pause_duration(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({_type_name(value)}) is not a duration; use seconds as an integer (30) "
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
        raise ValueError(f"{format_value(value)} ({_type_name(value)}) is not a duration string; use a string such as '30s', '5m' or '1h'")
    if is_templated(value):
        return value
    try:
        parse_duration(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a duration; use a number and a unit (ms, s, m, h), such as '30s', '5m' or '1h30m'") from None
    return value


IntOrPercent = Annotated[int | str, PlainValidator(_int_or_percent), PlainSerializer(_as_is)]
"""A count (>= 0) or a percentage string (``25%``): maxSurge, maxUnavailable."""

IntOrTemplate = Annotated[int | str, PlainValidator(_int_or_template), PlainSerializer(_as_is)]
"""An integer, a numeric string, or an argument placeholder (``{{args.count}}``): metric counts and limits."""

PauseDuration = Annotated[int | str, PlainValidator(_pause_duration), PlainSerializer(_as_is)]
"""A pause: seconds as an integer (``30``) or a string (``"30"``, ``"30s"``, ``"1h"``); never negative."""

Duration = Annotated[str, PlainValidator(_duration), PlainSerializer(_as_is)]
"""A Go duration string (``5m``), or an argument placeholder."""
