"""Typed models of Kubernetes objects: the pydantic side of every resource.

:class:`K8sModel` is the base of every nested structure (a container, a canary step):
snake_case in Python, upstream camelCase in YAML, unknown fields refused, immutable,
strict types (``"3"`` is not an integer, as for the API server).

:class:`Resource` is the base of every whole object (apiVersion, kind, metadata, ...).
Subclasses declare ``KIND`` and ``API_VERSIONS``; they register themselves so that
:func:`cdk8s_gitops.from_manifest` can load any modelled kind from a plain dict.

Round trip: ``Model.from_manifest(doc).to_manifest() == doc``. Only fields that were
set (in Python or in the source manifest) are emitted, so defaults documented on a
field are the *upstream* defaults, applied by the controller, not written by us.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ManifestError, Problem, format_value
from .loaders import add_kind_loader, run_kind_loaders
from .model_errors import GuardedModel, _loc_path, explain_version_gaps, problems_from_validation_error, pydantic_validate, removed_field
from .values import non_finite

__all__ = [
    "K8sModel",
    "ObjectMeta",
    "Resource",
    "add_kind_loader",
    "camel",
    "check_label_key",
    "check_label_value",
    "check_name",
    "explain_version_gaps",
    "from_manifest",
    "problems_from_validation_error",
    "register_lazy_kinds",
    "registered_kinds",
    "removed_field",
    "resource_class",
]

M = TypeVar("M", bound=BaseModel)

_CAMEL_SPECIAL = {"api_version": "apiVersion"}


def camel(name: str) -> str:
    """``match_labels`` -> ``matchLabels``; a trailing ``_`` (``from_``) is dropped."""
    if name in _CAMEL_SPECIAL:
        return _CAMEL_SPECIAL[name]
    name = name.rstrip("_")
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class K8sModel(GuardedModel):
    """Base of every typed structure: camelCase aliases, unknown keys refused, frozen, strict.

    Every way in (the constructor, ``model_validate``, ``model_validate_json``, ``model_validate_strings``,
    assigning to a field) refuses bad input with :class:`ManifestError`, never pydantic's ``ValidationError``.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        populate_by_name=True,
        alias_generator=camel,
        serialize_by_alias=True,
        validate_default=False,
        arbitrary_types_allowed=False,
        # Build each model's validator on first use, not at import: an app pays only for the kinds it uses.
        defer_build=True,
    )

    def __init__(self, /, **data: Any) -> None:
        """Validate ``data``; a mistake raises :class:`ManifestError` naming the class or object, field, value and fix.

        A keyword given as ``None`` is left unset (it is not written), so optional fields can be passed through
        without ``if``; :meth:`model_validate` on a manifest keeps an explicit ``null``."""
        if None in data.values():
            data = {key: value for key, value in data.items() if value is not None}
        try:  # what pydantic's constructor does (a model validator here always returns self), without its frame
            self.__pydantic_validator__.validate_python(data, self_instance=self)
        except ValidationError as exc:
            raise type(self)._refusal(exc, data) from None

    # Validation from dicts (nested fields, model_validate) goes straight to pydantic-core, not through __init__.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # pydantic's marker on the function

    @classmethod
    def _refusal(cls, exc: ValidationError, data: Any) -> ManifestError:
        """Name the object (``Deployment 'web'``) or, for a nested structure, the class (``Container``)."""
        if issubclass(cls, Resource):
            doc = _plain(data)
            if isinstance(doc, Mapping):
                doc = {**doc, "metadata": _plain(doc.get("metadata"))}
            subject = _subject_of(cls, doc)
        else:
            subject = cls.__name__
        return ManifestError(problems_from_validation_error(exc, subject, model=cls))

    def dump(self) -> dict[str, Any]:
        """The YAML-ready dict of the fields that were set (upstream camelCase keys)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def _plain(value: Any) -> Any:
    """``metadata`` given as an ObjectMeta instance, as a mapping (so that the error names the object)."""
    return value.model_dump(exclude_unset=True) if isinstance(value, BaseModel) else value


_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


@functools.lru_cache(maxsize=65536)  # pure; a fleet repeats the same names and labels
def check_name(name: str, rule: str) -> str | None:
    """Return why ``name`` breaks ``rule`` (``subdomain``, ``label``, ``dns1035``), or None."""
    if rule == "subdomain":
        if len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
            return ("must be a DNS subdomain (RFC 1123): lowercase letters, digits, '-' and '.', at most 253 characters, "
                    "starting and ending with a letter or digit")
    elif rule == "label":
        if len(name) > 63 or not _DNS1123_LABEL.match(name):
            return ("must be a DNS label (RFC 1123): lowercase letters, digits and '-', at most 63 characters, "
                    "starting and ending with a letter or digit")
    elif rule == "path":
        if not name or name in (".", "..") or "/" in name or "%" in name or len(name) > 253:
            return ("is not a valid path segment (not empty, not '.' or '..', no '/' or '%', at most 253 characters); "
                    "use a name such as 'app-reader' or 'app:reader'")
    elif rule == "dns1035" and (len(name) > 63 or not _DNS1035_LABEL.match(name)):
        return "must be a DNS label (RFC 1035): lowercase letters, digits and '-', at most 63 characters, starting with a letter"
    return None


@functools.lru_cache(maxsize=65536)  # pure; a fleet repeats the same names and labels
def check_label_key(key: str) -> str | None:
    """Return why ``key`` is not a valid label key (``[prefix/]name``), or None."""
    prefix, _, name = key.rpartition("/")
    if prefix and (len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return "has an invalid prefix: it must be a DNS subdomain"
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        return "must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
    return None


@functools.lru_cache(maxsize=65536)  # pure; a fleet repeats the same names and labels
def check_label_value(value: str) -> str | None:
    """Return why ``value`` is not a valid label value, or None."""
    if len(value) > 63 or not _LABEL_VALUE.match(value):
        return "must be at most 63 characters of letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)"
    return None


class OwnerReference(K8sModel):
    """``ownerReferences[]`` of :class:`ObjectMeta` (meta/v1 OwnerReference); server-managed, kept for round trip.

    Attributes:
        api_version: ``apiVersion``, string, required.
        kind: ``kind``, string, required.
        name: ``name``, string, required.
        uid: ``uid``, string, required.
        controller: ``controller``, boolean.
        block_owner_deletion: ``blockOwnerDeletion``, boolean.
    """

    api_version: str
    kind: str
    name: str
    uid: str
    controller: bool | None = None
    block_owner_deletion: bool | None = None


class ManagedFieldsEntry(K8sModel):
    """``managedFields[]`` of :class:`ObjectMeta` (meta/v1 ManagedFieldsEntry); server-managed, kept for round trip.

    Attributes:
        api_version: ``apiVersion``, string.
        fields_type: ``fieldsType``, string.
        fields_v1: ``fieldsV1``, free-form (upstream's field set).
        manager: ``manager``, string.
        operation: ``operation``, ``Apply`` or ``Update``.
        subresource: ``subresource``, string.
        time: ``time``, RFC 3339 date-time string.
    """

    api_version: str | None = None
    fields_type: str | None = None
    fields_v1: dict[str, Any] | None = None
    manager: str | None = None
    operation: Literal["Apply", "Update"] | None = None
    subresource: str | None = None
    time: str | None = None


class ObjectMeta(K8sModel):
    """``metadata`` of an object.

    Attributes:
        name: ``metadata.name``. Required for every object this library synthesizes
            (no generated suffixes); optional only when loading manifests that use ``generateName``.
        generate_name: ``metadata.generateName``. Loaded for round trip; never needed in dist/.
        namespace: ``metadata.namespace``. Default: none (cluster-scoped, or the namespace Argo CD syncs to).
        labels: ``metadata.labels``. Default: none; standard ``app.kubernetes.io/*`` labels are added by charts.
        annotations: ``metadata.annotations``. Default: none.
        finalizers: ``metadata.finalizers``. Default: none.
        owner_references: ``metadata.ownerReferences``, kept as given. Default: none.
    """

    name: str | None = None
    generate_name: str | None = None
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    finalizers: list[str] | None = None
    owner_references: list[OwnerReference] | None = None
    # Server-populated fields, accepted so that exported objects round-trip.
    uid: str | None = None
    resource_version: str | None = None
    generation: int | None = None
    creation_timestamp: str | None = None
    deletion_timestamp: str | None = None
    managed_fields: list[ManagedFieldsEntry] | None = None
    self_link: str | None = None
    deletion_grace_period_seconds: int | None = None

    @model_validator(mode="after")
    def _check_labels(self) -> Self:
        if self.namespace is not None and check_name(self.namespace, "label"):
            raise ValueError(f"metadata.namespace {self.namespace!r} {check_name(self.namespace, 'label')}")
        for key, value in (self.labels or {}).items():
            why = check_label_key(key)
            if why:
                raise ValueError(f"label key {key!r} {why}")
            why = check_label_value(value)
            if why:
                raise ValueError(f"label {key!r} value {value!r} {why}")
        for key in self.annotations or {}:
            why = check_label_key(key)
            if why:
                raise ValueError(f"annotation key {key!r} {why}")
        return self


_REGISTRY: dict[tuple[str, str], type[Resource]] = {}
# Generated kinds by (apiVersion, kind): "package.module:Class", imported on first lookup.
_LAZY: dict[tuple[str, str], str] = {}


def register_lazy_kinds(package: str, kinds: Mapping[tuple[str, str], str]) -> None:
    """Make the generated kinds of ``package`` loadable by :func:`from_manifest` (``{(apiVersion, kind): "module:Class"}``).

    A hand-written model of the same kind, where one is registered, takes precedence: it adds
    the semantic checks of its API group on top of the generated fields.
    """
    for key, target in kinds.items():
        _LAZY.setdefault(key, f"{package}.{target}")


def _lazy_class(key: tuple[str, str]) -> type[Resource] | None:
    target = _LAZY.get(key)
    if target is None:
        return None
    import importlib

    module, _, name = target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    return cls if isinstance(cls, type) and issubclass(cls, Resource) else None


class Resource(K8sModel):
    """A whole Kubernetes object as a typed model.

    Subclasses set:

    - ``KIND``: the upstream kind (``Rollout``).
    - ``API_VERSIONS``: every apiVersion upstream serves for it, newest first; the first
      is what new objects get.
    - ``NAME_RULE``: how ``metadata.name`` is checked (``subdomain`` by default; ``label``
      or ``dns1035`` for kinds whose names become DNS labels, such as Services).
    - ``NAMESPACED``: whether the kind lives in a namespace.

    Attributes:
        api_version: ``apiVersion``. Default: ``API_VERSIONS[0]``.
        metadata: ``metadata``; see :class:`ObjectMeta`.
    """

    KIND: ClassVar[str] = ""
    API_VERSIONS: ClassVar[tuple[str, ...]] = ()
    NAME_RULE: ClassVar[str] = "subdomain"
    NAMESPACED: ClassVar[bool] = True
    #: True for classes written by the generator; a hand-written class of the same kind takes precedence.
    GENERATED: ClassVar[bool] = False

    api_version: str = Field(default="", alias="apiVersion")
    kind: str = ""
    metadata: ObjectMeta = Field(default_factory=ObjectMeta)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "KIND" in cls.__dict__ and cls.KIND:
            for version in cls.API_VERSIONS:
                known = _REGISTRY.get((version, cls.KIND))
                if known is None or not cls.GENERATED or known.GENERATED:
                    _REGISTRY[(version, cls.KIND)] = cls

    @model_validator(mode="before")
    @classmethod
    def _fill_type_meta(cls, data: Any) -> Any:
        if isinstance(data, Mapping) and cls.KIND:
            if not data.get("apiVersion") and not data.get("api_version"):
                data = {**data, "apiVersion": cls.API_VERSIONS[0]}
            if not data.get("kind"):
                data = {**data, "kind": cls.KIND}
        return data

    @model_validator(mode="after")
    def _check_type_meta(self) -> Self:
        if self.KIND:
            if self.kind != self.KIND:
                raise ValueError(f"kind must be {self.KIND!r}, got {self.kind!r}")
            if self.api_version not in self.API_VERSIONS:
                raise ValueError(
                    f"apiVersion {self.api_version!r} is not served for {self.KIND}; use one of {', '.join(self.API_VERSIONS)}"
                )
            name = self.metadata.name
            if name is not None:
                why = check_name(name, self.NAME_RULE)
                if why:
                    raise ValueError(f"metadata.name {format_value(name)} {why}")
        return self

    # -- identity -------------------------------------------------------------------
    @property
    def name(self) -> str:
        """``metadata.name`` (empty when loaded from a manifest that only has generateName)."""
        return self.metadata.name or ""

    @property
    def namespace(self) -> str | None:
        """``metadata.namespace``."""
        return self.metadata.namespace

    def describe(self) -> str:
        """``Kind 'name'``, as errors name objects."""
        return f"{self.kind or self.KIND} {self.name!r}"

    # -- round trip ------------------------------------------------------------------
    def to_manifest(self) -> dict[str, Any]:
        """The object as a plain dict, keys in upstream order (apiVersion, kind, metadata first)."""
        body = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        out: dict[str, Any] = {"apiVersion": self.api_version, "kind": self.kind}
        if "metadata" in body or self.metadata.model_fields_set:
            out["metadata"] = body.pop("metadata", {})
        body.pop("apiVersion", None)
        body.pop("kind", None)
        out.update(body)
        return out

    @classmethod
    def from_manifest(cls, doc: Mapping[str, Any]) -> Self:
        """Load ``doc`` into this model; raise :class:`ManifestError` naming the field on bad input."""
        return validate_model(cls, doc)


# Tags pydantic puts in locations for union members (a field is never called "int").
def _subject_of(cls: type[Resource], doc: Any) -> str:
    """``Kind 'name'`` for messages; a name or kind of the wrong type or length is shown shortened (never whole)."""
    name: Any = ""
    if isinstance(doc, Mapping):
        meta = doc.get("metadata")
        if isinstance(meta, Mapping):
            name = meta.get("name") or meta.get("generateName") or ""
    kind: Any = cls.KIND or (doc.get("kind") if isinstance(doc, Mapping) else "") or cls.__name__
    kind = kind if isinstance(kind, str) and len(kind) <= 80 else format_value(kind, 40)
    if not name:
        return f"{kind} (unnamed)"
    return f"{kind} {format_value(name if isinstance(name, str) else str(name), 100)}"


def validate_model(cls: type[M], doc: Any, subject: str | None = None) -> M:
    """Validate ``doc`` into ``cls``; convert pydantic errors into one :class:`ManifestError`.

    Infinite and NaN numbers are refused anywhere in ``doc`` (also in free-form fields): JSON and the
    Kubernetes API cannot carry them, and emitting them would silently change the object.
    """
    if not isinstance(doc, Mapping) and not isinstance(doc, BaseModel):
        raise ManifestError(Problem(subject or cls.__name__, "", f"expected a mapping, got {type(doc).__name__} {format_value(doc)}",
                                    "pass the manifest as a dict"))
    if isinstance(doc, Mapping):
        bad = non_finite(doc)
        if bad is not None:
            if subject is None:
                subject = _subject_of(cls, doc) if issubclass(cls, Resource) else cls.__name__
            raise ManifestError(Problem(subject, _loc_path(bad[0]), f"{bad[1]} is not a number JSON or Kubernetes can carry",
                                        "use a finite number, or quote the value as a string"))
    try:  # pydantic's own model_validate: this function names the subject itself
        if isinstance(doc, BaseModel):
            return pydantic_validate(cls, doc)
        return pydantic_validate(cls, dict(doc))
    except ValidationError as exc:
        if subject is None:
            subject = _subject_of(cls, doc) if issubclass(cls, Resource) else cls.__name__
        raise ManifestError(problems_from_validation_error(exc, subject, model=cls)) from None


def registered_kinds(generated: bool = True) -> dict[tuple[str, str], type[Resource]]:
    """Every modelled (apiVersion, kind) pair and its model class; ``generated=False`` leaves out the
    generated kinds that no hand-written class covers (and does not import their modules)."""
    _load_all_models()
    for key in sorted(_LAZY) if generated else ():
        if key not in _REGISTRY:
            _lazy_class(key)
    return dict(_REGISTRY)


def resource_class(api_version: str, kind: str) -> type[Resource]:
    """The model class for ``apiVersion``/``kind``; :class:`ManifestError` lists the supported kinds otherwise."""
    _load_all_models()
    cls = _REGISTRY.get((api_version, kind)) or _lazy_class((api_version, kind))
    if cls is not None:
        return _REGISTRY.get((api_version, kind), cls)
    versions = sorted({v for (v, k) in (*_REGISTRY, *_LAZY) if k == kind})
    if versions:
        raise ManifestError(
            Problem(kind, "apiVersion", f"{format_value(api_version)} is not a served version of {kind}", f"use one of: {', '.join(versions)}")
        )
    supported = sorted({f"{k} ({v})" for (v, k) in (*_REGISTRY, *_LAZY)})
    raise ManifestError(
        Problem(
            (kind if len(kind) <= 60 else format_value(kind, 60)) or "(no kind)",
            "kind",
            f"{format_value(kind)} with apiVersion {format_value(api_version)} is not a kind this library models",
            "supported kinds: " + ", ".join(supported),
        )
    )


def from_manifest(doc: Mapping[str, Any]) -> Resource:
    """Load any modelled manifest into its typed model.

    Looks the model up by ``apiVersion`` and ``kind``; every version upstream serves is
    registered. Raises :class:`ManifestError` for an unknown kind (listing the supported
    ones) or for invalid content (naming kind, name, field path, bad value and fix).
    """
    if not isinstance(doc, Mapping):
        raise ManifestError(Problem("manifest", "", f"expected a mapping, got {type(doc).__name__}", "pass one YAML document as a dict"))
    api_version = doc.get("apiVersion")
    kind = doc.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        raise ManifestError(
            Problem(_subject_of(Resource, doc), "apiVersion" if not isinstance(api_version, str) else "kind",
                    "missing or not a string", "every manifest needs apiVersion and kind")
        )
    return resource_class(api_version, kind).from_manifest(doc)


# Functions that import the packages whose kinds (and global synth checks) register on import.
# Core imports none of them: a layer above it adds its loader (cdk8s_gitops.registry, imported by
# cdk8s_gitops/__init__.py, so it is in place before any lookup). Each runs once, on first lookup.
def _load_all_models() -> None:
    """Run the kind loaders not yet run (cheap when there are none)."""
    run_kind_loaders()
