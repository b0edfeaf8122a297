"""Runtime of the generated models (``cdk8s_gitops.models``): the rules a schema states.

The generator (:mod:`cdk8s_gitops.codegen`) writes plain pydantic classes on top of
:class:`SchemaModel` and :class:`SchemaResource`. What a type annotation cannot say is
declared as class data and checked here, after pydantic has validated the fields:

``__rules__``
    the CRD's ``x-kubernetes-validations`` (CEL), plus rules the project adds for
    combinations upstream silently ignores or forbids (same mechanism, see
    :mod:`cdk8s_gitops.codegen.overlays`). Each rule is evaluated with ``self`` bound to
    the object (or to one field of it) as the API server sees it: upstream camelCase keys,
    schema defaults filled in. Transition rules (``oldSelf``) need the previous object and
    are skipped.
``__one_of__``
    groups of fields of which exactly one (``oneOf`` of ``required`` lists) or at least
    one (``anyOf``) must be set.
``__unique__``
    lists with ``x-kubernetes-list-type`` ``set`` (no value twice) or ``map`` (no two items with the
    same keys, schema defaults of the keys applied), which the API server enforces for custom
    resources. Checked after the CEL rules, so upstream's own message wins where a rule says the same.
``__irregular__``
    upstream names that are not the plain camelCase of the Python name (``repoURL`` for
    ``repo_url``); type checkers see only the snake_case names.

Semantic checks written by hand (what controllers enforce beyond their schemas) attach
to a generated class with :func:`semantic_check` and run in the same validator, so an
object loaded from YAML and an object built in Python get the same checks. They run
before the CEL rules: where both refuse an object, the hand-written message (field path
and fix) is the one reported.
"""

# No ``from __future__ import annotations`` here: every generated class inherits the annotations of
# SchemaModel, and pydantic would evaluate them again as strings for each class (about 3,500 at import).
import functools
import ipaddress
import re
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar, NamedTuple, Self, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from .cron import check_cronjob_schedule
from .deferred import run_pending
from .errors import format_value
from .fields import IntOrString, Quantity
from .model import K8sModel, Resource, camel

__all__ = [
    "IntOrString",
    "Quantity",
    "Rule",
    "SchemaModel",
    "SchemaResource",
    "aliases",
    "semantic_check",
]


# IntOrString (``x-kubernetes-int-or-string``: a count or a string such as ``25%``) and Quantity (a number, or a
# string in Kubernetes' quantity grammar such as ``250m`` or ``512Mi``) are core.fields' types. One plain validator
# per type: a wrong value is one error at the field, not one per union member. CRDs spell the quantity grammar as
# a pattern; the generator treats that pattern as the Quantity type's own rule.

M = TypeVar("M", bound=BaseModel)
#: A check: a function of one validated object (typed by the caller as the classes it is registered on).
C = TypeVar("C", bound=Callable[..., None])


class Rule(NamedTuple):
    """One CEL rule: ``rule`` evaluated on ``field`` (upstream name) or, when empty, on the object."""

    rule: str
    message: str
    field: str = ""
    field_path: str = ""


def aliases(table: Mapping[str, str], extra: bool = False) -> ConfigDict:
    """Config for a class whose upstream names are irregular (``{"repo_url": "repoURL"}``).

    ``extra=True`` keeps fields the schema does not list (``x-kubernetes-preserve-unknown-fields``).
    """
    irregular = dict(table)

    def alias(name: str) -> str:
        return irregular.get(name) or camel(name)

    config = ConfigDict(alias_generator=alias)
    if extra:
        config["extra"] = "allow"
    return config


_CHECKS: dict[type | str, list[Callable[[Any], None]]] = {}
# The checks of each class and its bases, in MRO order; cleared whenever a check is registered.
_CHECKS_BY_CLASS: dict[type, tuple[Callable[[Any], None], ...]] = {}


def _checks_of(cls: type) -> tuple[Callable[[Any], None], ...]:
    """Checks registered for ``cls`` or a base, by class or by ``"module:Class"`` name, in MRO order."""
    found = _CHECKS_BY_CLASS.get(cls)
    if found is None:
        run_pending(cls)  # checks a package registers on first use of the class's module
        found = _CHECKS_BY_CLASS[cls] = tuple(
            check for base in cls.__mro__
            for check in (*_CHECKS.get(base, ()), *_CHECKS.get(f"{base.__module__}:{base.__qualname__}", ()))
        )
    return found


def semantic_check(*classes: type[BaseModel] | str) -> Callable[[C], C]:
    """Register ``check(obj)`` to run whenever one of ``classes`` is validated.

    The check raises ``ValueError("<path>: <what is wrong>; <fix>")`` (or uses
    :class:`~cdk8s_gitops.core.fields.Issues`) like any model validator. A class may also be
    named ``"package.module:Class"``: then ``core`` can attach a check to a generated class
    without importing ``models`` (the dependency points the other way).
    """

    def register(check: C) -> C:
        for cls in classes:
            _CHECKS.setdefault(cls, []).append(check)
        _CHECKS_BY_CLASS.clear()
        return check

    return register


# -- CEL ----------------------------------------------------------------------------------
def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_cidr(value: str) -> bool:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _substring(value: str, start: int, end: int | None = None) -> str:
    return value[start:end] if end is not None else value[start:]


def _index_of(value: str, sub: str) -> int:
    return value.find(sub)


# Kubernetes' CEL libraries beyond the CEL standard that CRD rules use.
_K8S_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "isIP": _is_ip,
    "isCIDR": _is_cidr,
    "split": lambda value, sep, limit=-1: value.split(sep) if limit < 0 else value.split(sep, limit - 1),
    "substring": _substring,
    "lowerAscii": lambda value: value.lower(),
    "upperAscii": lambda value: value.upper(),
    "trim": lambda value: value.strip(),
    "indexOf": _index_of,
    "lastIndexOf": lambda value, sub: value.rfind(sub),
    "replace": lambda value, old, new: value.replace(old, new),
    "join": lambda values, sep="": sep.join(values),
}


_PROGRAMS: dict[str, Any] = {}
_CEL: Any = None


def _cel() -> Any:
    """The CEL engine of common-expression-language: its compiled extension, loaded without the package's
    command-line part (``import cel`` also imports typer and rich, a quarter of a second)."""
    global _CEL
    if _CEL is None:
        import importlib.machinery
        import importlib.util
        import os
        import sys

        found = importlib.util.find_spec("cel")
        folders = list(found.submodule_search_locations or ()) if found else []
        for folder in folders:
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = f"{folder}/cel{suffix}"
                spec = importlib.util.spec_from_file_location("cel.cel", path)
                if spec is None or spec.loader is None or not os.path.exists(path):
                    continue
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
                sys.modules.setdefault("cel.cel", module)
                _CEL = module
                return _CEL
        import cel  # the package layout changed: take the documented import

        _CEL = cel
    return _CEL


def _program(rule: str) -> Any:
    program = _PROGRAMS.get(rule)
    if program is None:
        program = _PROGRAMS[rule] = _cel().compile(rule)
    return program


_SELF = re.compile(r"\bself\b")
_SELF_FIELD = re.compile(r"\bself\.([A-Za-z_]\w*)\b(?!\s*\()")
_FIELDS_READ: dict[str, frozenset[str] | None] = {}


def _fields_read(rule: str) -> frozenset[str] | None:
    """The fields of ``self`` an object rule reads, when it reads ``self`` only as ``self.<field>``: the rule then
    sees the same values in a view of just those fields (cheaper to hand to CEL). None: it needs all of ``self``."""
    if rule not in _FIELDS_READ:
        fields = _SELF_FIELD.findall(rule)
        _FIELDS_READ[rule] = frozenset(fields) if len(fields) == len(_SELF.findall(rule)) else None
    return _FIELDS_READ[rule]


@functools.cache
def _fields_needed(cls: type["SchemaModel"]) -> frozenset[str] | None:
    """The (CEL-escaped) fields the rules of ``cls`` read, or None when one of them reads the whole object."""
    needed: set[str] = set()
    for rule in cls.__rules__:
        if "oldSelf" in rule.rule:
            continue
        read = frozenset({_cel_name(rule.field)}) if rule.field else _fields_read(rule.rule)
        if read is None:
            return None
        needed |= read
    return frozenset(needed)


_HAS_FIELD = re.compile(r"\bhas\(\s*self\.([A-Za-z_]\w*)\s*\)")


@functools.cache
def _presence_only(cls: type["SchemaModel"]) -> frozenset[str]:
    """The (CEL-escaped) fields the rules of ``cls`` read only as ``has(self.<field>)``: for those the view holds
    ``True`` instead of the value (the rules see the same; a Rollout's rule on ``template`` and ``workloadRef``
    then neither converts the pod template nor misses the memo because a name in it differs)."""
    if _fields_needed(cls) is None:
        return frozenset()
    read_fully: set[str] = set()
    tested: set[str] = set()
    for rule in cls.__rules__:
        if "oldSelf" in rule.rule:
            continue
        if rule.field:
            read_fully.add(_cel_name(rule.field))
            continue
        has, read = _HAS_FIELD.findall(rule.rule), _SELF_FIELD.findall(rule.rule)
        tested.update(has)
        read_fully.update(name for name in set(read) if read.count(name) != has.count(name))
    return frozenset(tested - read_fully)


_IDENT = re.compile(r"[A-Za-z_]\w*")
_COMPARISON = re.compile(r"==|!=|\bin\b")
_LEFT = re.compile(r"([\w.\[\]()'\"]+)\s*$")
_RIGHT = re.compile(r"^\s*(-?[\w.\[\]()'\"]+)")
_LITERAL = re.compile(r"^(?:['\"]|-?\d|true$|false$|null$)")
_PATH = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")


@functools.cache
def _nested_keep(cls: type["SchemaModel"]) -> frozenset[str] | None:
    """The (CEL-escaped) names the rules of ``cls`` mention: fields of nested objects not among them can be left out
    of the view (a rule can only reach an object's field by its name), so that a value differing only there (a
    backend's name under an HTTPRoute rule) is the same view and hits the memo. None when leaving fields out could
    change an answer: a rule compares values that may be objects (equality or ``in`` between anything but literals,
    sizes and paths ending at fields that are scalars in every class the rules can reach)."""
    texts = [rule.rule for rule in cls.__rules__ if "oldSelf" not in rule.rule]
    scalar, other = _field_kinds(cls)
    for text in texts:
        for match in _COMPARISON.finditer(text):
            left, right = _LEFT.search(text[:match.start()]), _RIGHT.match(text[match.end():])
            sides = [_balanced(side.group(1)) if side else "" for side in (left, right)]
            if match.group() != "in" and any(_LITERAL.match(side) for side in sides):
                continue
            checked = sides[:1] if match.group() == "in" else sides  # `x in list`: what x is compared with is a list item
            if not all(_scalar_operand(side, scalar, other) for side in checked):
                return None
    return frozenset(name for text in texts for name in _IDENT.findall(text))


def _balanced(text: str) -> str:
    """An operand without the parentheses around it that belong to the expression it sits in."""
    while text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1]
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = text[1:]
    return text


def _scalar_operand(text: str, scalar: frozenset[str], other: frozenset[str]) -> bool:
    if _LITERAL.match(text) or text.startswith("size(") or text.endswith(".size()"):
        return True
    if not _PATH.match(text):
        return False
    last = text.rsplit(".", 1)[1]
    return last in scalar and last not in other


@functools.cache
def _field_kinds(cls: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """(CEL names of scalar fields, CEL names of other fields) over ``cls`` and every model class its fields hold."""
    scalar: set[str] = set()
    other: set[str] = set()
    seen: set[type] = set()
    todo: list[type[BaseModel]] = [cls]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        names, _ = _view_table(model)
        for name, info in model.model_fields.items():
            inner = _models_in(info.annotation)
            todo.extend(inner)
            is_scalar = not inner and not any(t in (list, dict, tuple, set) or t is Any for t in _origins(info.annotation))
            (scalar if is_scalar else other).add(names[name])
    return frozenset(scalar), frozenset(other)


def _origins(annotation: Any) -> list[Any]:
    found = [typing.get_origin(annotation) or annotation]
    for arg in typing.get_args(annotation):
        found.extend(_origins(arg))
    return found


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    return [t for t in _origins(annotation) if isinstance(t, type) and issubclass(t, BaseModel)]


def _context(value: Any) -> Any:
    """A CEL context whose ``self`` is ``value``. Converting the value is most of an evaluation's cost, so the
    rules of one object that look at the same value share one context."""
    return _cel().Context(variables={"self": value}, functions=_K8S_FUNCTIONS)


def _evaluate(rule: Rule, value: Any, context: Any = None) -> bool | None:
    """True or False as the rule says; None when this evaluator cannot decide (the rule is then not enforced).
    ``context``: one made by :func:`_context` for ``value``."""
    if context is None:
        context = _context(value)
    try:
        result = _program(rule.rule).execute(context)
    except Exception:  # noqa: BLE001 - an evaluation error is the API server's to report, not a refusal here
        return None
    return result if isinstance(result, bool) else None


# Property names that Kubernetes' CEL escapes (``namespace`` is ``__namespace__`` in a rule).
_CEL_RESERVED = {
    "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
    "let", "loop", "package", "namespace", "return", "var", "void", "while",
}


def _cel_name(name: str) -> str:
    if name in _CEL_RESERVED:
        return f"__{name}__"
    if "_" in name or "-" in name or "." in name or "/" in name:
        name = name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__").replace("/", "__slash__")
    return name


def _cel_view(value: Any, only: frozenset[str] | None = None, present: frozenset[str] = frozenset(),
              keep: frozenset[str] | None = None) -> Any:
    """``value`` as the API server sees it: camelCase keys, unset fields absent, schema defaults filled in.
    ``only``: the (CEL-escaped) top-level fields wanted, when the rules read no others; ``present``: those of them
    the rules only test with ``has()``, given as ``True``; ``keep``: the fields kept of nested objects (see
    :func:`_nested_keep`; fields beyond an object's schema are kept whole)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or kind is float or value is None:
        return value
    if isinstance(value, BaseModel):
        names, defaults = _view_table(type(value))
        out: dict[str, Any] = {}
        fields = value.__dict__
        for name in value.model_fields_set:
            cel = names[name]
            if only is not None and cel not in only:
                continue
            item = fields[name]
            if item is not None:
                out[cel] = True if cel in present else _cel_view(item, keep, keep=keep)
        for cel, default in defaults:
            if cel not in out and (only is None or cel in only):
                out[cel] = default
        if value.model_extra:
            out.update({_cel_name(k): v for k, v in value.model_extra.items()})
        return out
    if isinstance(value, Mapping):
        return {k: _cel_view(v, keep, keep=keep) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_cel_view(v, keep, keep=keep) for v in value]
    return value


@functools.cache
def _view_table(cls: type[BaseModel]) -> tuple[dict[str, str], tuple[tuple[str, Any], ...]]:
    """Per class: each field's CEL name (its upstream name, escaped), and the schema defaults by CEL name."""
    names = {name: _cel_name(info.alias or name) for name, info in cls.model_fields.items()}
    defaults: Mapping[str, Any] = getattr(cls, "__defaults__", {})
    return names, tuple((_cel_name(wire), default) for wire, default in defaults.items())


class SchemaModel(K8sModel):
    """Base of every generated structure: schema rules and hand-written semantic checks after field validation."""

    __rules__: ClassVar[Sequence[Rule]] = ()
    __one_of__: ClassVar[Sequence[tuple[str, tuple[str, ...]]]] = ()
    __defaults__: ClassVar[Mapping[str, Any]] = {}
    __unique__: ClassVar[Sequence[tuple[str, tuple[str, ...], Mapping[str, Any]]]] = ()

    @model_validator(mode="after")
    def _schema_rules(self) -> Self:
        cls = type(self)
        for mode, group in cls.__one_of__:
            set_fields = [wire for wire in group if _is_set(self, wire)]
            if mode == "oneOf" and len(set_fields) > 1:
                raise ValueError(
                    f"{set_fields[0]}: {' and '.join(set_fields)} are set together, but upstream takes exactly one of "
                    f"{', '.join(group)}; keep one of them"
                )
            if not set_fields and mode in ("oneOf", "anyOf"):
                raise ValueError(f"none of {', '.join(group)} is set; set {'exactly' if mode == 'oneOf' else 'at least'} one of them")
        # Hand-written checks before the CEL rules: where both refuse an object, the message that
        # names the field and the fix wins over the rule's text.
        for check in _checks_of(cls):
            check(self)
        if cls.__rules__:
            view: dict[str, Any] = _cel_view(self, _fields_needed(cls), _presence_only(cls), _nested_keep(cls))
            passed = _passed_key(cls, view)
            if passed is None or passed not in _PASSED:
                _check_rules(cls, view)
                if passed is not None:
                    if len(_PASSED) >= _PASSED_LIMIT:
                        _PASSED.clear()
                    _PASSED.add(passed)
        # Set and map lists last: where a CEL rule says the same, upstream's message is the one reported.
        for wire, keys, key_defaults in cls.__unique__:
            _check_unique(self, wire, keys, key_defaults)
        return self


_PASSED: set[tuple[type, str]] = set()
"""(class, ``repr`` of the view its rules read) of values that passed every rule of the class: the rules are pure
functions of that view, so an equal value passes again (a fleet repeats most specs). ``repr`` tells apart what
JSON would not (``1``, ``True`` and ``"1"``; ``1`` and ``1.0``; keys of any type). Bounded by :data:`_PASSED_LIMIT`."""
_PASSED_LIMIT = 100_000
_PASSED_KEY_LIMIT = 20_000  # characters: larger views are evaluated every time rather than remembered


def _passed_key(cls: type, view: dict[str, Any]) -> tuple[type, str] | None:
    """The memo key of ``view``, or None when it is too large to remember."""
    text = repr(view)
    return (cls, text) if len(text) <= _PASSED_KEY_LIMIT else None


def _check_rules(cls: type[SchemaModel], view: dict[str, Any]) -> None:
    """Evaluate the CEL rules of ``cls`` against ``view`` (see :func:`_cel_view`); raise for the first one broken."""
    contexts: dict[str, Any] = {}
    for rule in cls.__rules__:
        if "oldSelf" in rule.rule:
            continue  # a transition rule compares with the stored object
        key: Any = rule.field
        if rule.field:
            if _cel_name(rule.field) not in view:
                continue
            target = view[_cel_name(rule.field)]
        else:
            read = _fields_read(rule.rule)
            target = view if read is None else {k: v for k, v in view.items() if k in read}
            key = ("", read)
        context = contexts.get(key)
        if context is None:
            context = contexts[key] = _context(target)
        if _evaluate(rule, target, context) is False:
            path = ".".join(p for p in (rule.field, rule.field_path.lstrip(".")) if p)
            where = f"{path}: " if path else ""
            raise ValueError(f"{where}{rule.message} (upstream rule: {_short(rule.rule)}); change the value so that the rule holds")


def _wire_value(model: Any, wire: str) -> Any:
    """The value of upstream field ``wire`` of ``model`` (a generated object, or a plain value of a free-form one)."""
    if isinstance(model, Mapping):
        return model.get(wire)
    if not isinstance(model, BaseModel):
        return None
    name = _python_names(type(model)).get(wire)
    return getattr(model, name) if name else (model.model_extra or {}).get(wire)


@functools.cache
def _python_names(cls: type[BaseModel]) -> dict[str, str]:
    """Upstream name to Python name of each field of ``cls``."""
    return {info.alias or name: name for name, info in cls.model_fields.items()}


def _check_unique(model: BaseModel, wire: str, keys: tuple[str, ...], key_defaults: Mapping[str, Any]) -> None:
    """``x-kubernetes-list-type``: a ``set`` holds no value twice; a ``map`` list no two items with the same keys."""
    items = _wire_value(model, wire)
    if not items:
        return
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if keys:
            values = [_wire_value(item, key) for key in keys]
            key: Any = tuple(key_defaults.get(k) if v is None else v for k, v in zip(keys, values, strict=True))
        else:
            key = item.model_dump_json() if isinstance(item, BaseModel) else repr(item)
        if key not in seen:
            seen[key] = index
            continue
        first = f"{wire}[{seen[key]}]"
        if len(keys) == 1:
            raise ValueError(f"{wire}[{index}].{keys[0]}: {format_value(key[0], 60)} is already used by {first}; "
                             f"upstream keys this list by {keys[0]}, so each value may appear once: change or remove one")
        if keys:
            what = ", ".join(f"{k}={format_value(v, 40)}" for k, v in zip(keys, key, strict=True))
            raise ValueError(f"{wire}[{index}]: {what} is already used by {first}; upstream keys this list by "
                             f"{' and '.join(keys)}, so each combination may appear once: change or remove one")
        raise ValueError(f"{wire}[{index}]: {format_value(item, 60)} is already {first}; upstream's list is a set, "
                         "so each value may appear once: remove the duplicate")


def _is_set(model: BaseModel, wire: str) -> bool:
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == wire:
            return name in model.model_fields_set and getattr(model, name) is not None
    return False


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SchemaResource(SchemaModel, Resource):
    """Base of every generated whole object (apiVersion, kind, metadata): a :class:`Resource` with schema rules."""

    GENERATED: ClassVar[bool] = True


# Kubernetes' own kinds with a cron schedule get the one cron validator of core (by name:
# core does not import the generated models). The add-on kinds register it in their packages.
semantic_check("cdk8s_gitops.models.batch_v1:CronJobSpec")(check_cronjob_schedule)
