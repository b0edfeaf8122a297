"""Shared field types and the :class:`Issues` error collector: the foundation of every API-group package.

Every API-group package (``kube``, ``rollouts``, ``gateway``, ``secrets``, ``argocd``,
``observability``, ``addons``) builds its props models on this module instead of
keeping its own copy, so that the same mistake gives the same message everywhere.

Value types
    Each type checks one upstream rule and raises ``ValueError("<what is wrong>; <fix>")``
    so that :func:`~cdk8s_gitops.core.model.problems_from_validation_error` can split
    the message from the fix. Types that accept several JSON types (int-or-string,
    quantities) validate with one plain function, so that a wrong value gives one
    error at the field's path instead of one per union branch.

Errors below the current model
    :class:`Issues` collects problems found by a model validator at paths *inside*
    the model (``selector.matchLabels``, ``containers[1].volumeMounts[0].name``) and
    raises them as one pydantic ``ValidationError``; pydantic prefixes the location of
    the model, so the final path is the full upstream path. :meth:`Issues.extend` takes
    over another collector's problems under a prefix (a pod template's problems under
    ``template``). :func:`warn` reports what is allowed but likely wrong as a
    ``UserWarning`` in the same message style, and :func:`loc_path` spells a location
    the way the errors do (``a.b[0].c``).
"""

from __future__ import annotations

import re
import warnings
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, PlainSerializer, PlainValidator, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from .errors import format_value
from .model import check_label_key, check_label_value, check_name
from .units import parse_quantity

__all__ = [
    "DNSLabel",
    "IntOrPercent",
    "IntOrString",
    "Issues",
    "NonNegativeInt",
    "Port",
    "PortName",
    "PortOrName",
    "PositiveInt",
    "Quantity",
    "ResourceQuantity",
    "as_is",
    "check_labels",
    "loc_path",
    "set_fields",
    "suggest_name",
    "type_name",
    "warn",
    "wire_name",
]


# -- which of a model's alternatives are set ------------------------------------------------
def set_fields(model: BaseModel, names: tuple[str, ...] | None = None) -> list[str]:
    """The upstream keys of ``model``'s fields that hold a value, in field order, or only among the Python field
    ``names``, in that order (the alternatives of a one-of: generator types, traffic routers, providers)."""
    fields = type(model).model_fields
    order = names if names is not None else tuple(fields)
    return [fields[n].alias or n for n in order if n in fields and getattr(model, n) is not None]


def wire_name(cls: type[BaseModel], name: str) -> str:
    """The upstream key of ``cls``'s Python field ``name`` (``container_resource`` is ``containerResource``)."""
    return cls.model_fields[name].alias or name


# -- errors at nested paths ------------------------------------------------------------
class Issues:
    """Problems found by one validator, each at a location relative to the model.

    ``add(("selector", "matchLabels"), "...; fix", value)``; then :meth:`raise_any`
    raises them all together (nothing happens when there are none).
    """

    def __init__(self) -> None:
        self._items: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], message: str, value: Any = None) -> None:
        """Record ``message`` (``"<what is wrong>; <fix>"``) for the field at ``loc``."""
        self._items.append(
            InitErrorDetails(type=PydanticCustomError("value_error", "{message}", {"message": message}), loc=loc, input=value)
        )

    def extend(self, prefix: tuple[str | int, ...], other: Issues) -> None:
        """Add ``other``'s problems with ``prefix`` put in front of their locations."""
        for item in other._items:
            self._items.append(InitErrorDetails(type=item["type"], loc=prefix + tuple(item.get("loc", ())), input=item.get("input")))

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_any(self, title: str) -> None:
        """Raise one ``ValidationError`` carrying every recorded problem."""
        if self._items:
            raise ValidationError.from_exception_data(title, self._items)


def loc_path(loc: tuple[str | int, ...]) -> str:
    """``("a", "b", 0, "c")`` -> ``a.b[0].c`` (upstream camelCase keys as given)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def warn(subject: str, path: str, message: str) -> None:
    """``warnings.warn`` in the project's message style: ``subject: path: message; fix``.

    The warning is attributed to the caller of the function that calls :func:`warn`.
    """
    text = f"{subject}: {path}: {message}" if path else f"{subject}: {message}"
    warnings.warn(text, UserWarning, stacklevel=3)


def suggest_name(value: str, limit: int = 63) -> str:
    """A DNS-label spelling of ``value`` for fix hints (``My_App`` -> ``my-app``)."""
    text = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    return (text[:limit].rstrip("-")) or "app"


def check_labels(labels: dict[str, str] | None, where: str) -> str | None:
    """Why a ``key: value`` label map (selector, nodeSelector) is invalid, or None."""
    for key, value in (labels or {}).items():
        why = check_label_key(key)
        if why:
            return f"{where} key {key!r} {why}; use a valid label key such as 'app.kubernetes.io/name'"
        why = check_label_value(value)
        if why:
            return f"{where} {key!r} value {value!r} {why}; use a valid label value"
    return None


# -- integers --------------------------------------------------------------------------
def _non_negative(value: int) -> int:
    if value < 0:
        raise ValueError(f"{value} is negative; use 0 or a positive integer")
    return value


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError(f"{value} is below 1; use a positive integer")
    return value


def _port(value: int) -> int:
    if not 1 <= value <= 65535:
        raise ValueError(f"port {value} is outside 1-65535; use a port number between 1 and 65535")
    return value


NonNegativeInt = Annotated[int, AfterValidator(_non_negative)]
"""An integer >= 0 (replicas, history limits, seconds)."""

PositiveInt = Annotated[int, AfterValidator(_positive)]
"""An integer >= 1 (maxReplicas, probe periods)."""

Port = Annotated[int, AfterValidator(_port)]
"""A TCP/UDP port number, 1-65535."""


# -- names -----------------------------------------------------------------------------
_IANA_SVC_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def _port_name(value: str) -> str:
    if (
        not 1 <= len(value) <= 15
        or not _IANA_SVC_NAME.match(value)
        or "--" in value
        or not re.search(r"[a-z]", value)
    ):
        raise ValueError(
            f"port name {value!r} is not an IANA service name (at most 15 lowercase letters, digits and "
            f"single '-', with at least one letter); use a name such as 'http' or 'grpc-api'"
        )
    return value


def _dns_label(value: str) -> str:
    why = check_name(value, "label")
    if why:
        raise ValueError(f"name {value!r} {why}; use a name such as {suggest_name(value)!r}")
    return value



PortName = Annotated[str, AfterValidator(_port_name)]
"""A named port (IANA service name): ``http``, ``metrics``, ``grpc-api``."""

DNSLabel = Annotated[str, AfterValidator(_dns_label)]
"""A DNS label (RFC 1123): container, volume and Service port names."""


# -- several JSON types in one field -----------------------------------------------------
def type_name(value: Any) -> str:
    """The JSON-ish type name of ``value`` for error messages (``boolean``, ``int``, ``str``...)."""
    return "boolean" if isinstance(value, bool) else type(value).__name__


def _int_or_string(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{format_value(value)} ({type_name(value)}) is neither an integer nor a string; use an integer or a string")
    return value


def _port_or_name(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({type_name(value)}) is neither a port number nor a port name; "
            f"use a number such as 8080 or a name such as 'http'"
        )
    if isinstance(value, int):
        return _port(value)
    return _port_name(value)


_PERCENT = re.compile(r"^\d+%$")


def _int_or_percent(value: Any) -> int | str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(
            f"{format_value(value)} ({type_name(value)}) is neither an integer nor a percentage; "
            f"use an integer such as 1 or a percentage such as '25%'"
        )
    if isinstance(value, int):
        return _non_negative(value)
    if not _PERCENT.match(value):
        raise ValueError(f"{value!r} is not a percentage; use an integer such as 1 or a percentage such as '25%'")
    return value


def _quantity(value: Any) -> str | int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(
            f"{format_value(value)} ({type_name(value)}) is not a quantity; use a number or a string such as '250m' or '512Mi'"
        )
    try:
        parse_quantity(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a Kubernetes quantity; use a number with an optional suffix such as '250m', '512Mi' or '2'") from None
    return value


def _resource_quantity(value: Any) -> str | int | float:
    quantity = _quantity(value)
    if parse_quantity(quantity) < 0:
        raise ValueError(f"{quantity!r} is negative; use 0 or a positive quantity")
    return quantity


def as_is(value: Any) -> Any:
    """Serializer of the plain-validated types: the value exactly as it was given."""
    return value


IntOrString = Annotated[int | str, PlainValidator(_int_or_string), PlainSerializer(as_is)]
"""Upstream ``IntOrString``: an integer or a string, kept as given."""

PortOrName = Annotated[int | str, PlainValidator(_port_or_name), PlainSerializer(as_is)]
"""A port number (1-65535) or a named port (``http``)."""

IntOrPercent = Annotated[int | str, PlainValidator(_int_or_percent), PlainSerializer(as_is)]
"""A count (>= 0) or a percentage string (``25%``): maxSurge, minAvailable."""

Quantity = Annotated[str | int | float, PlainValidator(_quantity), PlainSerializer(as_is)]
"""A Kubernetes quantity (``250m``, ``1Gi``, ``0.5``, ``2``), kept as given (string or number)."""

ResourceQuantity = Annotated[str | int | float, PlainValidator(_resource_quantity), PlainSerializer(as_is)]
"""A non-negative quantity: resource requests, limits and quota."""
