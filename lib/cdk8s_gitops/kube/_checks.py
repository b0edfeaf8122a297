"""Value rules on single fields of the generated models that their schemas do not state.

The OpenAPI schemas of the core kinds type ``replicas`` as a plain integer, ports as plain
integers, quantities as strings or numbers. The API server checks more (non-negative
counts, ports 1-65535, quantity syntax, IANA port names). :func:`value_rules` attaches
such per-field rules to a generated class as a semantic check, with the messages the
library's field types (:mod:`cdk8s_gitops.core.fields`) give, at the field's upstream
path (list items and map values at ``field[i]`` / ``field.key``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from ..core import fields as _fields
from ..core.fields import Issues, wire_name
from ..core.schema import semantic_check

__all__ = [
    "DNS_LABEL",
    "INT_OR_PERCENT",
    "NON_NEGATIVE",
    "PORT",
    "PORT_NAME",
    "PORT_OR_NAME",
    "POSITIVE",
    "QUANTITY",
    "RESOURCE_QUANTITY",
    "ValueCheck",
    "field_issues",
    "require",
    "value_rules",
]

#: A value rule: returns the value or raises ``ValueError("<what is wrong>; <fix>")``.
ValueCheck = Callable[[Any], Any]

NON_NEGATIVE: ValueCheck = _fields._non_negative  # the same rule as core.fields.NonNegativeInt
POSITIVE: ValueCheck = _fields._positive  # core.fields.PositiveInt
PORT: ValueCheck = _fields._port  # core.fields.Port
PORT_NAME: ValueCheck = _fields._port_name  # core.fields.PortName
DNS_LABEL: ValueCheck = _fields._dns_label  # core.fields.DNSLabel
PORT_OR_NAME: ValueCheck = _fields._port_or_name  # core.fields.PortOrName
INT_OR_PERCENT: ValueCheck = _fields._int_or_percent  # core.fields.IntOrPercent
QUANTITY: ValueCheck = _fields._quantity  # core.fields.Quantity
RESOURCE_QUANTITY: ValueCheck = _fields._resource_quantity  # core.fields.ResourceQuantity


def _run(check: ValueCheck, value: Any, loc: tuple[str | int, ...], issues: Issues) -> None:
    try:
        check(value)
    except ValueError as exc:
        issues.add(loc, str(exc), value)


def field_issues(obj: BaseModel, rules: Mapping[str, ValueCheck], issues: Issues | None = None,
                 keys: Mapping[str, str] | None = None) -> Issues:
    """Problems of ``obj``'s fields under ``rules`` (Python field name -> value rule).

    A list field has the rule applied to each item, a map field to each value. ``keys``
    (Python name -> upstream key) saves looking the upstream names up on every call.
    """
    issues = issues if issues is not None else Issues()
    for name, check in rules.items():
        value = getattr(obj, name)
        if value is None:
            continue
        key = keys[name] if keys is not None else wire_name(type(obj), name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                _run(check, item, (key, i), issues)
        elif isinstance(value, dict):
            for sub, item in value.items():
                _run(check, item, (key, sub), issues)
        else:
            _run(check, value, (key,), issues)
    return issues


def value_rules(cls: type[BaseModel], **rules: ValueCheck) -> None:
    """Attach ``rules`` (Python field name -> value rule) to the generated class ``cls``."""
    unknown = [name for name in rules if name not in cls.model_fields]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")

    keys = {name: wire_name(cls, name) for name in rules}

    def check(obj: BaseModel) -> None:
        field_issues(obj, rules, keys=keys).raise_any(cls.__name__)

    check.__name__ = check.__qualname__ = f"check_{cls.__name__}_values"
    semantic_check(cls)(check)


def require(cls: type[BaseModel], *names: str) -> None:
    """Refuse objects of ``cls`` without the fields ``names``, which the schema leaves optional but the API server needs."""
    unknown = [name for name in names if name not in cls.model_fields]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")
    kind = getattr(cls, "KIND", "") or cls.__name__

    def check(obj: BaseModel) -> None:
        issues = Issues()
        for name in names:
            if getattr(obj, name) is None:
                key = wire_name(cls, name)
                issues.add((key,), f"required field is missing; add {key}, the API server refuses a {kind} without it", None)
        issues.raise_any(cls.__name__)

    check.__name__ = check.__qualname__ = f"check_{cls.__name__}_required"
    semantic_check(cls)(check)
