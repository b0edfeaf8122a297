"""Pydantic's validation errors in the library's words: upstream (camelCase) field paths, the bad value, a fix.

Every model and props class turns a ``ValidationError`` into :class:`~.errors.Problem` records with
:func:`problems_from_validation_error`; :func:`removed_field` and :func:`explain_version_gaps` teach it
what to say about fields that another API version has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar, cast

from pydantic import BaseModel, ValidationError

from .deferred import run_pending
from .errors import ManifestError, Problem, format_value
from .values import bounded_message

__all__ = ["GuardedModel", "explain_version_gaps", "known_fields", "problems_from_validation_error", "pydantic_validate", "removed_field"]

_PYDANTIC_VALIDATE: Callable[..., Any] = vars(BaseModel)["model_validate"].__func__
M = TypeVar("M", bound=BaseModel)


def pydantic_validate(cls: type[M], obj: Any) -> M:
    """pydantic's own ``cls.model_validate(obj)``, raising pydantic's ``ValidationError``: for library code that
    converts the error itself (a validator that nests another class's errors under its own field path, or a
    caller that names the subject its own way). Users get :class:`ManifestError` from ``cls.model_validate``."""
    return cast(M, _PYDANTIC_VALIDATE(cls, obj))


def _given(**options: Any) -> dict[str, Any]:
    """The options a caller set (pydantic versions before 2.11 do not know ``by_alias``/``by_name``/``extra``)."""
    return {key: value for key, value in options.items() if value is not None}


class GuardedModel(BaseModel):
    """A pydantic model whose every public way in refuses bad input with :class:`~.errors.ManifestError`.

    Constructing (``Model(...)``), ``model_validate``, ``model_validate_json`` and ``model_validate_strings``
    all turn pydantic's ``ValidationError`` into the library's error, and so does assigning or deleting a
    field of a frozen instance. Only the failure path does more than pydantic does: a ``try`` around the
    same call, no extra work per object when the input is valid. Subclasses say how the error names the
    object (:meth:`_refusal`). ``model_copy(update=...)`` keeps pydantic's documented behaviour: it copies
    without validating (use the constructor to get a checked object).
    """

    def __init__(self, /, **data: Any) -> None:
        """Validate ``data``; a mistake raises :class:`ManifestError` naming the class or object, field, value and fix."""
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise type(self)._refusal(exc, data) from None

    # Tells pydantic this __init__ adds nothing to validation: nested models given as mappings, and
    # model_validate, go straight to pydantic-core, so a nested mistake is reported once, by the
    # outermost class, with the whole field path.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]  # pydantic's marker on the function

    @classmethod
    def _refusal(cls, exc: ValidationError, data: Any) -> ManifestError:
        """The library's error for ``exc``, raised while validating ``data`` (a mapping, model or JSON text) into ``cls``."""
        return ManifestError(problems_from_validation_error(exc, cls.__name__, model=cls))

    @classmethod
    def model_validate(cls, obj: Any, *, strict: bool | None = None, extra: Literal["allow", "ignore", "forbid"] | None = None,
                       from_attributes: bool | None = None, context: Any | None = None, by_alias: bool | None = None,
                       by_name: bool | None = None) -> Self:
        """Like pydantic's, but bad input raises :class:`ManifestError` (field path, value and fix)."""
        try:
            if strict is None and extra is None and from_attributes is None and context is None and by_alias is None \
                    and by_name is None:
                return cast(Self, _PYDANTIC_VALIDATE(cls, obj))  # the common call: no options to pass on
            return super().model_validate(obj, **_given(strict=strict, extra=extra, from_attributes=from_attributes,
                                                         context=context, by_alias=by_alias, by_name=by_name))
        except ValidationError as exc:
            raise cls._refusal(exc, obj) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *, strict: bool | None = None,
                            extra: Literal["allow", "ignore", "forbid"] | None = None, context: Any | None = None,
                            by_alias: bool | None = None, by_name: bool | None = None) -> Self:
        """Like pydantic's, but bad input (or bad JSON) raises :class:`ManifestError`."""
        try:
            return super().model_validate_json(json_data, **_given(strict=strict, extra=extra, context=context,
                                                                   by_alias=by_alias, by_name=by_name))
        except ValidationError as exc:
            raise cls._refusal(exc, _parsed(json_data)) from None

    @classmethod
    def model_validate_strings(cls, obj: Any, *, strict: bool | None = None,
                               extra: Literal["allow", "ignore", "forbid"] | None = None, context: Any | None = None,
                               by_alias: bool | None = None, by_name: bool | None = None) -> Self:
        """Like pydantic's, but bad input raises :class:`ManifestError`."""
        try:
            return super().model_validate_strings(obj, **_given(strict=strict, extra=extra, context=context,
                                                                by_alias=by_alias, by_name=by_name))
        except ValidationError as exc:
            raise cls._refusal(exc, obj) from None

    if not TYPE_CHECKING:  # as in pydantic: type checkers keep reporting unknown and read-only attributes
        def __setattr__(self, name: str, value: Any) -> None:
            try:
                super().__setattr__(name, value)
            except ValidationError as exc:
                raise type(self)._refusal(exc, _fields_of(self)) from None

        def __delattr__(self, name: str) -> None:
            try:
                super().__delattr__(name)
            except ValidationError as exc:
                raise type(self)._refusal(exc, _fields_of(self)) from None


def _parsed(json_data: str | bytes | bytearray) -> Any:
    """The JSON document, to name the object in an error (None when it does not parse)."""
    import json

    try:
        return json.loads(json_data)
    except ValueError:
        return None


def _fields_of(model: BaseModel) -> dict[str, Any]:
    """The fields of ``model`` that were set, as plain data (to name the object in an error)."""
    try:
        return model.model_dump(exclude_unset=True)
    except Exception:  # noqa: BLE001 - only used to name the object; never hide the real error
        return {}

_TYPE_TAGS = {"int", "str", "float", "bool", "none"}


def _model_names() -> set[str]:
    names: set[str] = set()
    stack: list[type] = [BaseModel]
    while stack:
        cls = stack.pop()
        names.add(cls.__name__)
        stack.extend(cls.__subclasses__())
    return names


_TAG_PREFIXES = ("function-", "union[", "tagged-union[", "lax-or-strict", "json-or-python", "list[", "dict[", "nullable[",
                 "constrained-")


def _loc_path(loc: tuple[int | str, ...]) -> str:
    """Dotted upstream path of a pydantic location, without pydantic's union/validator tags."""
    path = ""
    models: set[str] | None = None
    for part in loc:
        if isinstance(part, str) and (part in _TYPE_TAGS or part[:1].isupper()):
            models = models if models is not None else _model_names()
            if part in _TYPE_TAGS or part in models:
                continue
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in ("function-after", "function-before") or str(part).startswith(_TAG_PREFIXES):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path


_FIXES = {
    "missing": "add this field",
    "frozen_instance": "objects are immutable: build a new one (or copy it with model_copy(update={...}))",
    "frozen_field": "objects are immutable: build a new one (or copy it with model_copy(update={...}))",
    "json_invalid": "pass valid JSON text",
    "extra_forbidden": "remove it or check its spelling against the upstream field reference",
    "int_type": "use an integer without quotes",
    "int_parsing": "use an integer without quotes",
    "string_type": "use a string (quote it in YAML)",
    "bool_type": "use true or false without quotes",
    "bool_parsing": "use true or false without quotes",
    "list_type": "use a list",
    "tuple_type": "use a list",
    "sequence_str": "use a list of strings, even for one value: ['value']",
    "is_instance_of": "use a list",
    "dict_type": "use a mapping",
    "model_type": "use a mapping",
    "model_attributes_type": "use a mapping",
    "float_type": "use a number",
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "greater_than_equal": "use a larger value",
    "less_than_equal": "use a smaller value",
    "greater_than": "use a larger value",
    "less_than": "use a smaller value",
    "string_pattern_mismatch": "use a value that matches the pattern",
    "too_long": "shorten it",
    "too_short": "add entries",
}


_LOCATED = re.compile(r"^([A-Za-z_][\w\-]*(?:\.[\w\-/]+|\[\d+\])*): (.*)$", re.S)


def _unwrap(annotation: Any) -> list[Any]:
    """The classes inside Optional/Union/list/dict/tuple annotations."""
    import typing

    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation]
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    out: list[Any] = []
    for arg in typing.get_args(annotation):
        out.extend(_unwrap(arg))
    return out


_REMOVED_FIELDS: dict[tuple[type, str], tuple[str, str]] = {}


def removed_field(cls: type[BaseModel], key: str, why: str, fix: str) -> None:
    """Explain the refusal of ``key`` (upstream name) inside ``cls`` when another version of the kind has it.

    Instead of "unknown field; the keys allowed here are ..." the error then says
    ``<value> <why>; <fix>`` (``"is not served by kafka.strimzi.io/v1"``, ``"set replicas on KafkaNodePools"``).
    """
    _REMOVED_FIELDS[(cls, key)] = (why, fix)


def explain_version_gaps(classes: Mapping[str, type[BaseModel]], fixes: Mapping[str, str] | None = None) -> None:
    """Register :func:`removed_field` for every field one version of a kind has and another lacks.

    ``classes`` maps each served version (``"v1"``) to that version's generated class of the same
    object (``{"v1": v1.ExternalSecret, "v1beta1": v1beta1.ExternalSecret}``); the classes are
    walked together, field by field (upstream names). A field that a version lacks is then refused
    there as ``<value> is not served in v1beta1 (only in v1); <fix>``. ``fixes`` maps a dotted upstream
    path (``spec.dataFrom.key``) to the fix; by default: remove it or use a version that has it.
    Only classes of the versions' own modules get the explanation (shared structures stay neutral).
    """
    modules = {cls.__module__ for cls in classes.values()}
    _explain(dict(classes), dict(fixes or {}), "", modules, set())


def _explain(classes: dict[str, type[BaseModel]], fixes: dict[str, str], path: str, modules: set[str],
             seen: set[tuple[type, ...]]) -> None:
    key_of = tuple(classes.values())
    if key_of in seen:
        return
    seen.add(key_of)
    fields = {v: {(f.alias or n): f for n, f in cls.model_fields.items()} for v, cls in classes.items()}
    for key in sorted(set().union(*(f.keys() for f in fields.values()))):
        having = [v for v in classes if key in fields[v]]
        sub = f"{path}.{key}" if path else key
        for version, cls in classes.items():
            if key not in fields[version] and cls.__module__ in modules and (cls, key) not in _REMOVED_FIELDS:
                fix = fixes.get(sub) or f"remove it or use apiVersion {' or '.join(having)}"
                removed_field(cls, key, f"is not served in {version} (only in {', '.join(having)})", fix)
        nested: dict[str, type[BaseModel]] = {}
        for version in having:
            models = [c for c in _unwrap(fields[version][key].annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
            if len(models) == 1:
                nested[version] = models[0]
        if len(nested) > 1 and len(set(nested.values())) > 1:
            _explain(nested, fixes, sub, modules, seen)


def _model_at(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        fields = current.model_fields
        found = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if found is None:
            continue  # a dict key or a union tag: stay on the value type below
        candidates = [c for c in _unwrap(found.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = candidates[0] if len(candidates) == 1 else None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def known_fields(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> list[str] | None:
    """The keys accepted at ``loc`` (the parent of a refused key) inside ``model``, or None if unknown."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or not (isinstance(current, type) and issubclass(current, BaseModel)):
            continue
        fields = current.model_fields
        found = next((f for n, f in fields.items() if part in (n, f.alias)), None)
        if found is None:
            continue  # a dict key or a union tag: stay on the value type below
        candidates = [c for c in _unwrap(found.annotation) if isinstance(c, type) and issubclass(c, BaseModel)]
        current = candidates[0] if len(candidates) == 1 else None
    if isinstance(current, type) and issubclass(current, BaseModel):
        return sorted((f.alias or n) for n, f in current.model_fields.items())
    return None


def problems_from_validation_error(error: ValidationError, subject: str, where: str = "", prefix: str = "",
                                   model: type[BaseModel] | None = None) -> list[Problem]:
    """Turn pydantic's error into :class:`Problem` records with upstream (camelCase) field paths."""
    problems = []
    for item in error.errors(include_url=False):
        path = _loc_path(tuple(item.get("loc", ())))
        if prefix:
            path = f"{prefix}.{path}" if path else prefix
        kind = item.get("type", "")
        # Users write YAML: speak of lists and mappings, not of Python tuples or our class names.
        msg = re.sub(r" or instance of \w+", "", str(item.get("msg", ""))).replace("valid tuple", "valid list")
        if kind == "value_error":
            message = bounded_message(msg.removeprefix("Value error, "))
            fix = ""
            located = _LOCATED.match(message)
            if located:  # "sub.path: message" from a model-level validator: move it into the path
                sub, message = located.groups()
                path = f"{path}.{sub}" if path else sub
            if "; " in message:
                message, fix = message.split("; ", 1)
        else:
            if kind == "missing":
                message = "required field is missing"
            elif kind == "extra_forbidden":
                message = f"unknown field (value {format_value(item.get('input'))})"
            else:
                message = f"{msg.rstrip('.')}, got {format_value(item.get('input'))}"
            fix = _FIXES.get(kind, "")
            if kind == "extra_forbidden" and model is not None:
                loc = tuple(item.get("loc", ()))
                known = known_fields(model, loc[:-1])
                if known:
                    fix = f"remove it or fix its spelling; the keys allowed here are: {', '.join(known)}"
                parent = _model_at(model, loc[:-1]) if loc else None
                if parent is not None:
                    run_pending(parent, explaining=True)  # explanations a package registers for later
                hint = _REMOVED_FIELDS.get((parent, str(loc[-1]))) if parent is not None else None
                if hint:
                    message, fix = f"{format_value(item.get('input'))} {hint[0]}", hint[1]
            ctx = item.get("ctx") or {}
            if kind == "literal_error" and "expected" in ctx:
                fix = f"use one of {ctx['expected']}"
        problems.append(Problem(subject=subject, path=path, message=message, fix=fix, where=where))
    return problems


