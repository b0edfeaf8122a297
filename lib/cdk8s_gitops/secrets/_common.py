"""Building blocks shared by the External Secrets models (private).

- Value types that check one upstream rule each (object names, secret keys, durations),
  raising ``ValueError("<what is wrong>; <fix>")``.
- References to Kubernetes Secrets, ServiceAccounts and ConfigMaps used by every provider.
- :func:`served`: a field that only some API versions serve. :class:`ExternalSecretsResource`
  refuses such a field in the other versions, naming the field and the versions that have it.

Problems at paths inside a model are collected with :class:`cdk8s_gitops.core.fields.Issues`,
raised together so that each keeps its own field path.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, BaseModel, Field, model_validator

from ..core.errors import format_value
from ..core.fields import Issues
from ..core.model import K8sModel, Resource, check_label_key, check_label_value, check_name
from ..core.units import parse_duration

__all__ = [
    "Duration",
    "ExternalSecretsResource",
    "LabelSelector",
    "LabelSelectorRequirement",
    "NamespaceName",
    "ObjectName",
    "SecretKey",
    "SecretKeySelector",
    "ServiceAccountSelector",
    "count_set",
    "served",
    "set_fields",
    "warn_several",
]


# -- value types -------------------------------------------------------------------------
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")


def _object_name(value: str) -> str:
    why = check_name(value, "subdomain")
    if why:
        raise ValueError(f"name {value!r} {why}; use a name such as 'db-credentials'")
    return value


def _namespace_name(value: str) -> str:
    why = check_name(value, "label")
    if why:
        raise ValueError(f"namespace {value!r} {why}; use a namespace name such as 'payments'")
    return value


def _secret_key(value: str) -> str:
    if not value or len(value) > 253 or not _SECRET_KEY.match(value):
        raise ValueError(
            f"key {value!r} is not a valid Secret key (1-253 letters, digits, '-', '_' and '.'); "
            f"use a key such as 'password' or 'tls.crt'"
        )
    return value


def _duration(value: str) -> str:
    parse_duration(value)  # raises "'x' is not a duration; use ..."
    return value


ObjectName = Annotated[str, AfterValidator(_object_name)]
"""The name of a referenced object (DNS subdomain, at most 253 characters)."""

NamespaceName = Annotated[str, AfterValidator(_namespace_name)]
"""A namespace name (DNS label, at most 63 characters)."""

SecretKey = Annotated[str, AfterValidator(_secret_key)]
"""A key inside a Secret or ConfigMap (``password``, ``tls.crt``)."""

Duration = Annotated[str, AfterValidator(_duration)]
"""A Go duration string (``1h``, ``30m0s``, ``0``)."""


# -- fields served by some versions only -------------------------------------------------
_SERVED_KEY = "served_in"
_HINT_KEY = "served_hint"


def served(*versions: str, hint: str = "", alias: str | None = None) -> Any:
    """An optional field that only the API ``versions`` (``"v1"``, ``"v1beta1"``...) serve.

    ``hint`` replaces the default fix in the error raised for the other versions.
    """
    extra: dict[str, Any] = {_SERVED_KEY: tuple(versions)}
    if hint:
        extra[_HINT_KEY] = hint
    if alias is not None:
        return Field(default=None, alias=alias, json_schema_extra=extra)
    return Field(default=None, json_schema_extra=extra)


def _alias(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    return info.alias or name


def _unserved(model: BaseModel, version: str, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    cls = type(model)
    for name in sorted(model.model_fields_set, key=list(cls.model_fields).index):
        info = cls.model_fields[name]
        value = getattr(model, name)
        key = _alias(cls, name)
        extra: dict[str, Any] = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        versions = extra.get(_SERVED_KEY)
        if versions and value is not None and version not in versions:
            hint = extra.get(_HINT_KEY) or f"remove it or use apiVersion {' or '.join(versions)}"
            yield (*loc, key), f"{key} is not served in {version} (only in {', '.join(versions)}); {hint}", value
            continue
        yield from _unserved_in(value, version, (*loc, key))


def _unserved_in(value: Any, version: str, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str, Any]]:
    if isinstance(value, BaseModel):
        yield from _unserved(value, version, loc)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unserved_in(item, version, (*loc, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, BaseModel | list):
                yield from _unserved_in(item, version, (*loc, key))


# -- which alternative fields are set ---------------------------------------------------
def set_fields(model: BaseModel, names: tuple[str, ...] | None = None) -> list[str]:
    """The upstream keys of ``model``'s fields that hold a value (optionally only among ``names``)."""
    cls = type(model)
    out = []
    for name in cls.model_fields:
        if names is not None and name not in names:
            continue
        if getattr(model, name) is not None:
            out.append(_alias(cls, name))
    return out


def count_set(model: BaseModel, names: tuple[str, ...]) -> int:
    return len(set_fields(model, names))


def warn_several(model: BaseModel, names: tuple[str, ...], what: str, order_note: str) -> None:
    """Warn when more than one of the alternative fields ``names`` is set."""
    given = set_fields(model, names)
    if len(given) > 1:
        warnings.warn(f"{what}: several methods are set ({', '.join(given)}); {order_note}", UserWarning, stacklevel=2)


class ExternalSecretsResource(Resource):
    """Base of the external-secrets.io and generators.external-secrets.io kinds.

    Refuses fields that the object's ``apiVersion`` does not serve (declared with
    :func:`served`), each at its own field path, so that an object never carries a
    field its version would prune or reject. Subclasses declare ``spec`` and ``status``.
    """

    KIND: ClassVar[str] = ""

    @property
    def version(self) -> str:
        """The version part of ``apiVersion`` (``v1``, ``v1beta1``...)."""
        return self.api_version.rpartition("/")[2]

    @model_validator(mode="after")
    def _check_served_fields(self) -> Self:
        if not self.KIND or self.api_version not in self.API_VERSIONS:
            return self
        found = Issues()
        for loc, message, value in _unserved(self, self.version, ()):
            found.add(loc, message, value)
        found.raise_any(self.KIND)
        return self


# -- references --------------------------------------------------------------------------
class NamespacedReference(K8sModel):
    """Base of references that may name another namespace (checked for namespaced stores)."""

    namespace: NamespaceName | None = None


class SecretKeySelector(NamespacedReference):
    """A key in a Kubernetes Secret (``SecretKeySelector`` upstream).

    Attributes:
        name: ``name`` of the Secret. Default: none.
        key: ``key`` inside the Secret. Default: none (some providers use a fixed key).
        namespace: ``namespace`` of the Secret. Default: the namespace of the store, or of
            the ExternalSecret for a ClusterSecretStore; only a ClusterSecretStore may name another.
    """

    name: ObjectName | None = None
    key: SecretKey | None = None


class ServiceAccountSelector(NamespacedReference):
    """A Kubernetes ServiceAccount whose token a provider requests (``ServiceAccountSelector``).

    Attributes:
        name: ``name`` of the ServiceAccount. Required.
        namespace: ``namespace``. Default: as for :class:`SecretKeySelector`.
        audiences: ``audiences`` of the requested token. Default: the provider's own audience.
    """

    name: ObjectName
    audiences: list[str] | None = None


class LabelSelectorRequirement(K8sModel):
    """One set-based requirement of a label selector.

    Attributes:
        key: ``key``, the label key. Required.
        operator: ``operator``: ``In``, ``NotIn``, ``Exists`` or ``DoesNotExist``. Required.
        values: ``values``; non-empty for In/NotIn, empty for Exists/DoesNotExist. Default: none.
    """

    key: str
    operator: str
    values: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        why = check_label_key(self.key)
        if why:
            raise ValueError(f"key: label key {self.key!r} {why}; use a key such as 'kubernetes.io/metadata.name'")
        ops = ("In", "NotIn", "Exists", "DoesNotExist")
        if self.operator not in ops:
            raise ValueError(f"operator: {self.operator!r} is not a selector operator; use one of {', '.join(ops)}")
        if self.operator in ("In", "NotIn") and not self.values:
            raise ValueError(f"values: operator {self.operator} needs at least one value; list the label values to match")
        if self.operator in ("Exists", "DoesNotExist") and self.values:
            raise ValueError(f"values: operator {self.operator} takes no values, got {format_value(self.values)}; remove values")
        return self


class LabelSelector(K8sModel):
    """A Kubernetes label selector (here: of namespaces).

    Attributes:
        match_labels: ``matchLabels``. Default: none.
        match_expressions: ``matchExpressions``. Default: none.
    """

    match_labels: dict[str, str] | None = None
    match_expressions: list[LabelSelectorRequirement] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for key, value in (self.match_labels or {}).items():
            why = check_label_key(key)
            if why:
                raise ValueError(f"matchLabels: label key {key!r} {why}; use a valid label key")
            why = check_label_value(value)
            if why:
                raise ValueError(f"matchLabels.{key}: label value {value!r} {why}; use a valid label value")
        return self
