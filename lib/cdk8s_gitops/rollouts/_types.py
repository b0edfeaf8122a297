"""Value types shared by the Argo Rollouts models (private).

Value types raise ``ValueError("<what is wrong>; <fix>")`` so that the core error
formatter can split the message from the fix. Types that accept several JSON types
(int-or-string) validate with one plain function, so that a wrong value yields one
error at the field's path rather than one per union branch.

The generated models (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`) type these fields as
plain ``int`` or ``int | str``; :func:`field_issues` applies the rules of the types below to
them from the semantic checks, with the same messages as when they were field types.

The types every API group shares (``NonNegativeInt``, ``PositiveInt``, ``IntOrPercent``)
and the problem collector live in :mod:`cdk8s_gitops.core.fields`: a model validator
records problems at paths *below* the model (``steps[2].setWeight``) with
:class:`~cdk8s_gitops.core.fields.Issues`, and pydantic puts the model's own location in
front, so every problem ends up with its full upstream path
(``spec.strategy.canary.steps[2].setWeight``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, PlainSerializer, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from ..core.errors import format_value
from ..core.fields import Issues, as_is, type_name
from ..core.model_errors import pydantic_validate
from ..core.units import parse_duration

__all__ = [
    "Duration",
    "IntOrTemplate",
    "PauseDuration",
    "Percent",
    "Problems",
    "as_int",
    "as_kube",
    "duration_seconds",
    "field_issues",
    "is_templated",
    "percent_value",
]


M = TypeVar("M", bound=BaseModel)


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


# -- field rules applied by semantic checks ------------------------------------------------
@cache
def _adapter(rule: Any) -> TypeAdapter[Any]:
    return TypeAdapter(rule)


def field_issues(obj: Any, rules: Mapping[str, Any], issues: Issues | None = None) -> Issues:
    """Check the set fields of ``obj`` against ``rules`` (``{"python_name": Annotated type or Literal}``).

    Each refused value is recorded at the field's upstream name with the type's own message
    (``replicas: -1 is negative; use 0 or a positive integer``).
    """
    issues = issues if issues is not None else Issues()
    fields = type(obj).model_fields
    for name, rule in rules.items():
        value = getattr(obj, name, None)
        if value is None:
            continue
        try:
            _adapter(rule).validate_python(value, strict=True)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            if error.get("type") == "literal_error":
                expected = (error.get("ctx") or {}).get("expected", "")
                message = f"{str(error.get('msg', '')).rstrip('.')}, got {format_value(value)}; use one of {expected}"
            else:
                message = str(error.get("msg", "")).removeprefix("Value error, ")
            issues.add((fields[name].alias or name,), message, value)
    return issues



# -- checks that belong to kube (pod templates, Job specs) -----------------------------------
class Problems(Issues):
    """:class:`Issues` that can also take over pydantic's own errors under a prefix."""

    def add_validation_error(self, prefix: tuple[str | int, ...], error: ValidationError) -> None:
        """Record every error of ``error`` with ``prefix`` put in front of its location."""
        for item in error.errors(include_url=False):
            self.add_error(prefix, item)

    def add_error(self, prefix: tuple[str | int, ...], item: ErrorDetails) -> None:
        """Record one of pydantic's errors with ``prefix`` put in front of its location."""
        context = {k: v for k, v in (item.get("ctx") or {}).items() if k != "error"}
        context["message"] = item["msg"]
        error = PydanticCustomError(item["type"], "{message}", context)
        self._items.append(InitErrorDetails(type=error, loc=prefix + tuple(item.get("loc", ())), input=item.get("input")))


def as_kube(cls: type[M], value: BaseModel, prefix: tuple[str | int, ...], problems: Problems) -> M | None:
    """``value`` as the kube package's class ``cls`` (which carries kube's semantic checks).

    When ``value`` already is one (the kube package re-exports the generated class), it is
    returned as it is; otherwise its fields are validated by ``cls`` and every refusal is
    recorded under ``prefix``.
    """
    if isinstance(value, cls):
        return value
    try:
        return pydantic_validate(cls, value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    except ValidationError as exc:
        problems.add_validation_error(prefix, exc)
        return None
