"""The base of every construct's props: typed, frozen, and refusing bad input with the library's error.

A props class (``MicroserviceProps``, ``Resources``, ``NamespaceBaselineProps`` ...) is a pydantic model
with unknown keys refused, immutable instances and strict types. Constructing one with bad input raises
:class:`~cdk8s_gitops.core.errors.ManifestError` (a ``ValueError``), never pydantic's ``ValidationError``:
one :class:`~cdk8s_gitops.core.errors.Problem` per mistake, naming the props class, the field path
(Python names, as the user wrote them), the bad value and the fix::

    MicroserviceProps 'web': port: Input should be a valid integer, got '8080'; use an integer without quotes

The subject names the instance when the props have a ``name`` (``MicroserviceProps 'web'``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from .errors import ManifestError, Problem, format_value
from .model import problems_from_validation_error
from .model_errors import GuardedModel

__all__ = ["Items", "Props", "props_error", "props_subject"]

T = TypeVar("T")

Items = Annotated[Sequence[T], AfterValidator(tuple)]
"""A props field holding several values: callers pass a list or a tuple (type checkers accept both), the
props keep a tuple (props are immutable and hashable). A plain string is refused, not split into characters."""


class Props(GuardedModel):
    """Base of construct props: unknown keys refused, frozen, strict types, :class:`ManifestError` on bad input.

    Every way in (the constructor, ``model_validate``, ``model_validate_json``, ``model_validate_strings``,
    assigning to a field) refuses bad input with :class:`ManifestError`, never pydantic's ``ValidationError``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @classmethod
    def _refusal(cls, exc: ValidationError, data: Any) -> ManifestError:
        return props_error(cls, exc, data)


def props_error(cls: type[BaseModel], exc: ValidationError, data: Any = None) -> ManifestError:
    """The :class:`ManifestError` for pydantic's ``exc`` raised while building props class ``cls`` from ``data``.

    Each problem names ``cls`` (and the ``name`` in ``data``, when there is one), the field path and
    the fix; the bad value is added when the validator's message does not already show it.
    """
    problems = problems_from_validation_error(exc, props_subject(cls, data), model=cls)
    shown: list[Problem] = []
    for problem, item in zip(problems, exc.errors(include_url=False), strict=True):
        if item.get("type") == "value_error" and "input" in item:
            value = item["input"]
            text = format_value(value)
            if not isinstance(value, BaseModel | dict) and not _shows(f"{problem.message}; {problem.fix}", value):
                problem = Problem(problem.subject, problem.path, f"{problem.message} (got {text})", problem.fix, problem.where)
        shown.append(problem)
    return ManifestError(shown)


def props_subject(cls: type[BaseModel], data: Any) -> str:
    """``MicroserviceProps 'web'`` when ``data`` has a string ``name``, else the class name."""
    name = data.get("name") if isinstance(data, Mapping) else None
    return f"{cls.__name__} {name!r}" if isinstance(name, str) and name else cls.__name__


def _shows(text: str, value: Any) -> bool:
    """Whether ``text`` already shows ``value`` (as its repr, or as a whole word: '10G' is not in '10Gi')."""
    if format_value(value) in text:
        return True
    plain = str(value)
    return bool(plain) and re.search(rf"(?<![\w.-]){re.escape(plain)}(?![\w.-])", text) is not None
