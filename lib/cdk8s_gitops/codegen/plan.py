"""From schemas to a plan of modules and classes (what :mod:`.emit` then writes as Python).

Core definitions keep their upstream names (``io.k8s.api.apps.v1.DeploymentSpec`` becomes
``DeploymentSpec`` in ``apps_v1``). CRD schemas have no type names, so nested objects are
named by their path, as ``cdk8s import`` does (``Rollout`` ``spec.strategy.canary`` becomes
``RolloutSpecStrategyCanary``); structurally identical objects in one module share a class;
an object whose fields are those of a core type (a container, a pod spec, a label selector)
is that core type, so a container is written the same way in a Deployment, a Rollout and a
Workflow.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.schema import Rule
from . import overlays
from .naming import class_name, module_name, snake
from .sources import CORE_GROUP_VERSIONS, CrdKind, doc_link

__all__ = ["ClassSpec", "FieldSpec", "ModuleSpec", "Plan"]

_META = "io.k8s.apimachinery.pkg.apis.meta.v1."
_OBJECT_META = _META + "ObjectMeta"
# Definitions that are a Python type rather than a class.
_SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    _META + "Time": "str",
    _META + "MicroTime": "str",
    _META + "FieldsV1": "dict[str, Any]",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "dict[str, Any]",
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON": "Any",
}
_NUMERIC = ("int", "int | float")


@dataclass
class FieldSpec:
    py: str
    wire: str
    annotation: str
    required: bool
    constraints: dict[str, Any]
    facts: list[str]


@dataclass
class ClassSpec:
    name: str
    upstream: str
    link: str
    fields: list[FieldSpec] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    one_of: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    unique: list[tuple[str, tuple[str, ...], dict[str, Any]]] = field(default_factory=list)
    extra_allow: bool = False
    resource: tuple[str, str, bool] | None = None
    name_rule: str = ""


@dataclass
class ModuleSpec:
    """One generated module. ``name`` is dotted from the models package: ``core_v1``, or
    ``argoproj_io_v1alpha1.rollout`` for a kind of a custom resource group (a package per group and version,
    a module per kind, so an app pays only for the kinds it imports)."""

    name: str
    source: str
    classes: dict[str, ClassSpec] = field(default_factory=dict)
    imports: dict[str, set[str]] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)
    group: str = ""
    scope: str = ""

    def use(self, module: str, name: str) -> str:
        if module != self.name:
            self.imports.setdefault(module, set()).add(name)
        return name


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    return [t] if isinstance(t, str) else []


def _strip(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strip(v) for k, v in schema.items() if k not in ("description", "example")}
    if isinstance(schema, list):
        return [_strip(v) for v in schema]
    return schema


def _digest(schema: dict[str, Any]) -> str:
    return hashlib.sha1(json.dumps(_strip(schema), sort_keys=True).encode()).hexdigest()


def _has_rules(schema: Any) -> bool:
    if isinstance(schema, dict):
        return "x-kubernetes-validations" in schema or any(_has_rules(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_has_rules(v) for v in schema)
    return False


def _shape(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        return {"IntOrString": "intstr", "Quantity": "intstr"}.get(ref.rsplit(".", 1)[-1], "object")
    if schema.get("x-kubernetes-int-or-string") or schema.get("oneOf") or schema.get("anyOf"):
        return "intstr"
    types = _types(schema)
    return types[0] if types else "any"


#: The quantity grammar as CRDs spell it; the core ``Quantity`` type checks the same grammar.
QUANTITY_PATTERN = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$"
_CONSTRAINTS = ("pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                "minItems", "maxItems", "minProperties", "maxProperties", "uniqueItems", "x-kubernetes-validations")


def _constraints(schema: dict[str, Any], owner: tuple[str, str] | None) -> frozenset[tuple[str, str]]:
    """The validation facts of one schema node (not its shape). A CRD node matches a core one only when the core
    node has every fact the CRD node has, so that merging it into the core class loses no rule of the CRD.
    ``owner`` (core definition, property) adds the enums Kubernetes declares with ``+enum``
    (:data:`overlays.CORE_ENUMS`)."""
    facts = [(key, json.dumps(schema[key], sort_keys=True)) for key in _CONSTRAINTS
             if key in schema and not (key == "pattern" and schema[key] == QUANTITY_PATTERN)]
    enum = schema.get("enum")
    if enum is None and owner is not None:
        defname, prop = owner
        enum = (overlays.CORE_ITEM_ENUMS.get((defname, prop[:-2])) if prop.endswith("[]")
                else overlays.CORE_ENUMS.get((defname, prop)))
    if enum is not None:
        facts.append(("enum", json.dumps(sorted(str(v) for v in enum if v is not None))))
    return frozenset(facts)


class Plan:
    """Collects modules and classes for core definitions and CRD kinds."""

    def __init__(self, core_defs: dict[str, Any], check_pattern: Callable[[str], bool]) -> None:
        self.core_defs = core_defs
        self._with_rules = True
        self.check_pattern = check_pattern
        self.modules: dict[str, ModuleSpec] = {}
        self.kinds: dict[tuple[str, str], tuple[str, str]] = {}
        self.skipped_patterns: list[str] = []
        self._core_done: dict[str, tuple[str, str]] = {}
        self._core_index: list[tuple[str, frozenset[str], dict[str, str]]] = []
        self._paths: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
        # Per CRD group and version: structure digest -> (module, class), and every class name taken.
        self._group_shapes: dict[str, dict[str, tuple[str, str]]] = {}
        self._group_names: dict[str, set[str]] = {}
        wanted = {f"io.k8s.api.{pkg}.{ver}." for pkg, ver in CORE_GROUP_VERSIONS} | {_META}
        for name, body in sorted(core_defs.items()):
            if any(name.startswith(p) and "." not in name[len(p):] for p in wanted) and body.get("properties"):
                props = body["properties"]
                if len(props) >= 2:
                    self._core_index.append((name, frozenset(props), {k: _shape(v) for k, v in props.items()}))

    def module(self, name: str, source: str) -> ModuleSpec:
        if name not in self.modules:
            self.modules[name] = ModuleSpec(name, source)
        return self.modules[name]

    # -- core -------------------------------------------------------------------------
    def core_kinds(self) -> None:
        for pkg, ver in CORE_GROUP_VERSIONS:
            prefix = f"io.k8s.api.{pkg}.{ver}."
            for name, body in sorted(self.core_defs.items()):
                if not name.startswith(prefix) or "." in name[len(prefix):]:
                    continue
                gvks = body.get("x-kubernetes-group-version-kind") or []
                if gvks and not name.endswith("List"):
                    self.core_class(name)

    def _core_module(self, defname: str) -> tuple[str, str]:
        parts = defname.split(".")
        if defname.startswith(_META):
            return "meta_v1", parts[-1]
        return f"{parts[3]}_{parts[4]}", parts[-1]

    def core_class(self, defname: str, embedded: bool = False) -> tuple[str, str]:
        """The class of core definition ``defname``; ``embedded``: a whole object used inside another (a PVC template)."""
        body = self.core_defs[defname] if defname != _OBJECT_META else {}
        gvks = body.get("x-kubernetes-group-version-kind") or []
        embedded = embedded and bool(gvks)
        key = f"{defname}#embedded" if embedded else defname
        if key in self._core_done:
            return self._core_done[key]
        if defname == _OBJECT_META:
            return ("", "ObjectMeta")
        modname, cname = self._core_module(defname)
        if embedded:
            cname = f"Embedded{cname}"
        self._core_done[key] = (modname, cname)
        mod = self.module(modname, f"Kubernetes OpenAPI definitions ({defname.rsplit('.', 1)[0]})")
        pkg = modname.rsplit("_", 1)[0]
        anchor = f"{cname.removeprefix('Embedded').lower()}-{modname.rsplit('_', 1)[1]}-{pkg}"
        spec = ClassSpec(cname, defname + (" (embedded in another object)" if embedded else ""), doc_link("", cname, anchor))
        if gvks and not embedded:
            gvk = gvks[0]
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk.get("group") else gvk["version"]
            spec.resource = (api_version, gvk["kind"], gvk["kind"] not in _CORE_CLUSTER_SCOPED)
            spec.name_rule = _NAME_RULES.get(gvk["kind"], "")
            self.kinds[(api_version, gvk["kind"])] = (modname, cname)
        mod.classes[cname] = spec  # placeholder first: recursive definitions refer to it
        self._fill(spec, mod, body, lambda prop, sub: self._core_type(mod, defname, prop, sub))
        spec.rules.extend(overlays.RULES.get(defname, ()))
        mod.classes.pop(cname)
        mod.classes[cname] = spec  # dependencies first
        return modname, cname

    def _core_type(self, mod: ModuleSpec, owner: str, prop: str, schema: dict[str, Any]) -> str:
        enum = overlays.CORE_ENUMS.get((owner, prop))
        if enum:
            return _literal(enum)
        item_enum = overlays.CORE_ITEM_ENUMS.get((owner, prop))
        if item_enum:
            return f"list[{_literal(item_enum)}]"
        return self._type(mod, schema, lambda s, p: self._core_ref(mod, s), ())

    def _core_ref(self, mod: ModuleSpec, schema: dict[str, Any]) -> str:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        if ref in _SPECIAL:
            return _SPECIAL[ref]
        modname, cname = self.core_class(ref, embedded=True)
        if not modname:
            return "ObjectMeta"
        return mod.use(modname, cname)

    # -- custom resources -------------------------------------------------------------
    def crd_kind(self, crd: CrdKind, module_prefix: str = "") -> None:
        group = module_prefix + module_name(crd.group, crd.version)
        modname = f"{group}.{snake(crd.kind).rstrip('_')}"
        mod = self.module(modname, f"the CRD schema of {crd.kind} ({crd.group}/{crd.version})")
        mod.group = group
        # Kinds share structures only within their product (argoproj.io holds Argo CD, Rollouts, Workflows and Events).
        mod.scope = f"{group}#{overlays.FAMILIES.get(crd.kind, '')}"
        self._group_names.setdefault(group, set()).add(crd.kind)
        api_version = f"{crd.group}/{crd.version}"
        root = crd.schema
        spec = ClassSpec(crd.kind, f"{crd.group}/{crd.kind}", doc_link(crd.group, crd.kind))
        namespaced = crd.namespaced if crd.namespaced is not None else crd.kind not in overlays.CLUSTER_SCOPED
        spec.resource = (api_version, crd.kind, namespaced)
        self.kinds[(api_version, crd.kind)] = (modname, crd.kind)
        mod.classes[crd.kind] = spec
        self._fill(spec, mod, root, lambda prop, sub: self._crd_type(mod, crd, (prop,), sub))
        mod.classes.pop(crd.kind)
        mod.classes[crd.kind] = spec

    def _crd_type(self, mod: ModuleSpec, crd: CrdKind, path: tuple[str, ...], schema: dict[str, Any]) -> str:
        def make(sub: dict[str, Any], subpath: tuple[str, ...]) -> str:
            return self._crd_class(mod, crd, path + subpath, sub)
        return self._type(mod, schema, make, ())

    def _crd_class(self, mod: ModuleSpec, crd: CrdKind, path: tuple[str, ...], schema: dict[str, Any]) -> str:
        props = schema.get("properties") or {}
        if path == ("metadata",) and set(props) <= _OBJECT_META_FIELDS:
            return "ObjectMeta"
        upstream = f"{crd.group}/{crd.kind}:{'.'.join(p for p in path if p not in ('[]', '{}'))}"
        extra_rules = overlays.RULES.get(upstream, ())
        digest = _digest(schema) + ("+" + upstream if extra_rules else "")
        self._paths.setdefault((mod.scope, digest), []).append((crd.kind, tuple(p for p in path if p not in ("[]", "{}"))))
        shapes = self._group_shapes.setdefault(mod.scope, {})
        if digest in shapes:
            owner, known = shapes[digest]
            return mod.use(owner, known)
        core = None if extra_rules or _has_rules(schema) else self._match_core(schema)
        if core:
            modname, cname = self.core_class(core, embedded=True)
            name = mod.use(modname, cname) if modname else "ObjectMeta"
            shapes[digest] = (modname, name) if modname else ("", "ObjectMeta")
            return name
        taken = self._group_names.setdefault(mod.group, set())
        cname = class_name(crd.kind, *(p for p in path if p not in ("[]", "{}")))
        resembles = None if extra_rules or _has_rules(schema) else self._match_core(schema, with_rules=False)
        if resembles and resembles != _OBJECT_META:
            # Shaped like a core type but with rules of its own (a header name pattern): it keeps those rules in
            # its own class, named like the core type it resembles when that name is free.
            preferred = resembles.rsplit(".", 1)[-1]
            if preferred not in taken and preferred not in _TAKEN and not any(preferred in n for n in mod.imports.values()):
                cname = preferred
        while cname in taken or cname in _TAKEN or any(cname in names for names in mod.imports.values()):
            cname += "Item" if not cname.endswith("Item") else "2"
        taken.add(cname)
        shapes[digest] = (mod.name, cname)
        spec = ClassSpec(cname, upstream, doc_link(crd.group, crd.kind))
        mod.classes[cname] = spec
        self._fill(spec, mod, schema, lambda prop, sub: self._crd_type(mod, crd, path + (prop,), sub))
        spec.rules.extend(extra_rules)
        mod.classes.pop(cname)
        mod.classes[cname] = spec
        return cname

    def _match_core(self, schema: dict[str, Any], with_rules: bool = True) -> str | None:
        """The core definition this CRD object is, or None. ``with_rules=False`` compares shapes only."""
        self._with_rules = with_rules
        try:
            return self._best_core(schema)
        finally:
            self._with_rules = True

    def _best_core(self, schema: dict[str, Any]) -> str | None:
        props = schema.get("properties") or {}
        if len(props) < 2:
            return None
        names = frozenset(props)
        best: tuple[float, str] | None = None
        for defname, core_props, _shapes in self._core_index:
            if not names <= core_props:
                continue
            share = len(names) / len(core_props)
            if share < 0.7 or (len(names) < 3 and share < 1):
                continue
            if not self._compatible(schema, defname, 0):
                continue
            if best is None or share > best[0]:
                best = (share, defname)
        return best[1] if best else None

    def _compatible(self, schema: dict[str, Any], defname: str, depth: int) -> bool:
        """Whether a CRD object has the fields of core definition ``defname``, recursively, with the same shapes."""
        if defname in _SPECIAL:
            return _shape(schema) in ("intstr", "string", "any")
        core = self.core_defs.get(defname) or {}
        core_props = core.get("properties") or {}
        props = schema.get("properties") or {}
        if defname == _OBJECT_META:
            return set(props) <= _OBJECT_META_FIELDS
        if not set(props) <= set(core_props) or (depth and props and len(props) < 0.5 * len(core_props) and len(props) < 3):
            return False
        if not set(core.get("required") or ()) <= set(schema.get("required") or ()):
            return False  # the core type would refuse objects the CRD accepts
        if self._with_rules and not _constraints(schema, None) <= _constraints(core, None):
            return False  # the CRD's object-level rules would be lost on the core class
        return all(self._compatible_value(sub, core_props[name], depth + 1, (defname, name)) for name, sub in props.items())

    def _compatible_value(self, sub: dict[str, Any], core: dict[str, Any], depth: int,
                          owner: tuple[str, str] | None = None) -> bool:
        if depth > 12:
            return True
        if self._with_rules and not _constraints(sub, None) <= _constraints(core, owner):
            return False  # a pattern, limit, enum or rule of the CRD that the core type does not have
        if "$ref" in core:
            ref = core["$ref"].rsplit("/", 1)[-1]
            if ref in _SPECIAL:
                return _shape(sub) in ("intstr", "string", "any", "object") if _SPECIAL[ref] != "str" else _shape(sub) == "string"
            if _shape(sub) != "object":
                return False
            return not sub.get("properties") or self._compatible(sub, ref, depth)
        core_shape, shape = _shape(core), _shape(sub)
        if core_shape != shape and "any" not in (core_shape, shape):
            return False
        if shape == "array" and isinstance(sub.get("items"), dict) and isinstance(core.get("items"), dict):
            return self._compatible_value(sub["items"], core["items"], depth + 1,
                                          None if owner is None else (owner[0], owner[1] + "[]"))
        if shape == "object" and isinstance(sub.get("additionalProperties"), dict) and isinstance(core.get("additionalProperties"), dict):
            return self._compatible_value(sub["additionalProperties"], core["additionalProperties"], depth + 1)
        return True

    def finalize(self) -> None:
        """Name each structure that several kinds share by the shortest free suffix of its paths (``ParentRefs``)."""
        for scope, shapes in self._group_shapes.items():
            members = [m for m in self.modules.values() if m.scope == scope]
            group = members[0].group if members else ""
            taken = self._group_names.setdefault(group, set())
            taken |= {n for m in members for names in m.imports.values() for n in names}
            renames: dict[str, str] = {}
            for (owner, digest), paths in sorted(self._paths.items()):
                if owner != scope or digest not in shapes:
                    continue
                where, name = shapes[digest]
                if not where or self.modules.get(where) is None or self.modules[where].scope != scope:
                    continue  # a core class or ObjectMeta
                if len({kind for kind, _ in paths}) < 2:
                    continue
                spec_paths = [p for _, p in paths if "status" not in p] or [p for _, p in paths]
                candidates = sorted({class_name(*p[i:]) for p in spec_paths for i in range(1, len(p))} | {name},
                                    key=lambda c: (len(c), c))
                for candidate in candidates:
                    if candidate == name:
                        break  # the current name is already the shortest free one
                    if candidate not in taken and candidate not in _TAKEN and len(candidate) >= 6:
                        renames[name] = candidate
                        taken.add(candidate)
                        break
            if renames:
                self._rename(scope, members, renames)

    def _rename(self, scope: str, members: list[ModuleSpec], renames: dict[str, str]) -> None:
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(renames, key=len, reverse=True)) + r")\b")
        names = {m.name for m in members}
        for mod in members:
            classes: dict[str, ClassSpec] = {}
            for name, spec in mod.classes.items():
                spec.name = renames.get(name, name)
                for f in spec.fields:
                    f.annotation = pattern.sub(lambda m: renames[m.group(1)], f.annotation)
                classes[spec.name] = spec
            mod.classes = classes
            for module, imported in mod.imports.items():
                if module in names:
                    mod.imports[module] = {renames.get(n, n) for n in imported}
        shapes = self._group_shapes[scope]
        for key, (where, value) in shapes.items():
            if where in names:
                shapes[key] = (where, renames.get(value, value))
        for kind_key, (modname, cname) in list(self.kinds.items()):
            if modname in names and cname in renames:
                self.kinds[kind_key] = (modname, renames[cname])

    # -- shared -----------------------------------------------------------------------
    def _fill(self, spec: ClassSpec, mod: ModuleSpec, schema: dict[str, Any], type_of: Callable[[str, dict[str, Any]], str]) -> None:
        required = set(schema.get("required") or ())
        props = schema.get("properties") or {}
        if schema.get("x-kubernetes-preserve-unknown-fields"):
            spec.extra_allow = True
        for rule in schema.get("x-kubernetes-validations") or ():
            spec.rules.append(Rule(rule["rule"], rule.get("message") or f"failed rule {rule['rule']}", "", rule.get("fieldPath", "")))
        for mode in ("oneOf", "anyOf"):
            options = schema.get(mode) or []
            groups = [o.get("required") for o in options if isinstance(o, dict) and set(o) <= {"required"}]
            if options and len(groups) == len(options) and all(len(g or ()) == 1 for g in groups):
                spec.one_of.append((mode, tuple(g[0] for g in groups if g)))
        used: set[str] = set()
        if spec.resource and isinstance(props.get("spec"), dict):
            type_of("spec", props["spec"])  # name shared structures after their place in spec, not in status or operation
        for wire in props:
            if spec.resource and wire in ("apiVersion", "kind", "metadata"):
                continue
            sub = props[wire]
            py = snake(wire)
            while py in used:
                py += "_"
            used.add(py)
            annotation = type_of(wire, sub)
            if annotation == "__skip__":
                continue
            constraints, facts = self._constraints(sub, annotation)
            for rule in sub.get("x-kubernetes-validations") or ():
                if _types(sub) in (["object"], []) and sub.get("properties"):
                    continue  # already on the nested class
                spec.rules.append(Rule(rule["rule"], rule.get("message") or f"failed rule {rule['rule']}", wire, rule.get("fieldPath", "")))
            if "default" in sub:
                spec.defaults[wire] = sub["default"]
            if "." in mod.name and sub.get("x-kubernetes-list-type") in ("set", "map"):
                # The API server refuses a custom resource whose set has a duplicate, or whose map list has two
                # items with the same keys (after defaults). Core kinds are left to the semantic checks.
                keys = tuple(sub.get("x-kubernetes-list-map-keys") or ()) if sub["x-kubernetes-list-type"] == "map" else ()
                item = sub.get("items") if isinstance(sub.get("items"), dict) else {}
                key_defaults = {k: (item.get("properties") or {}).get(k, {})["default"] for k in keys
                                if "default" in ((item.get("properties") or {}).get(k) or {})}
                spec.unique.append((wire, keys, key_defaults))
            # A required field with a schema default is filled in by the API server before validation: optional to write.
            spec.fields.append(FieldSpec(py, wire, annotation, wire in required and "default" not in sub, constraints, facts))

    def _type(self, mod: ModuleSpec, schema: dict[str, Any], make: Callable[..., str], path: tuple[str, ...]) -> str:
        if "$ref" in schema:
            return make(schema, path)
        if schema.get("x-kubernetes-int-or-string"):
            return "IntOrString"
        for mode in ("oneOf", "anyOf"):
            options = [o for o in schema.get(mode) or () if isinstance(o, dict) and _types(o)]
            if options and not _types(schema):
                kinds = sorted({_types(o)[0] for o in options})
                if kinds == ["integer", "string"]:
                    return "IntOrString"
                if len(options) == len(schema[mode]):
                    return " | ".join(self._type(mod, o, make, path) for o in options)
        types = _types(schema)
        enum = [v for v in schema.get("enum") or () if v is not None]
        if enum and types in (["string"], ["integer"], []):
            return _literal(tuple(enum))
        kind = types[0] if types else ""
        if kind == "string":
            return "str"
        if kind == "integer":
            return "int"
        if kind == "number":
            return "int | float"
        if kind == "boolean":
            return "bool"
        if kind == "array":
            items = schema.get("items")
            if not isinstance(items, dict) or not items:
                return "list[Any]"
            inner = self._type(mod, items, make, path + ("[]",))
            constraints, _ = self._constraints(items, inner)
            if constraints:
                args = ", ".join(f"{k}={v!r}" for k, v in sorted(constraints.items()))
                inner = f"Annotated[{inner}, Field({args})]"
            return f"list[{inner}]"
        if kind == "object" or (not kind and ("properties" in schema or "additionalProperties" in schema)):
            if schema.get("properties"):
                return make(schema, path)
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                inner = self._type(mod, extra, make, path + ("{}",))
                return f"dict[str, {inner}]"
            return "dict[str, Any]"
        return "Any"

    def _constraints(self, schema: dict[str, Any], annotation: str) -> tuple[dict[str, Any], list[str]]:
        out: dict[str, Any] = {}
        facts: list[str] = []
        if annotation == "str":
            pattern = schema.get("pattern")
            if isinstance(pattern, str):
                if self.check_pattern(pattern):
                    out["pattern"] = pattern
                else:
                    self.skipped_patterns.append(pattern)
            if isinstance(schema.get("maxLength"), int):
                out["max_length"] = schema["maxLength"]
            if isinstance(schema.get("minLength"), int) and schema["minLength"] > 0:
                out["min_length"] = schema["minLength"]
        elif annotation in _NUMERIC:
            low, high = schema.get("minimum"), schema.get("maximum")
            if isinstance(low, (int, float)) and not isinstance(low, bool):
                out["gt" if schema.get("exclusiveMinimum") is True else "ge"] = low
            if isinstance(high, (int, float)) and not isinstance(high, bool):
                out["lt" if schema.get("exclusiveMaximum") is True else "le"] = high
        elif annotation.startswith(("list[", "dict[")):
            low = schema.get("minItems", schema.get("minProperties"))
            high = schema.get("maxItems", schema.get("maxProperties"))
            if isinstance(low, int) and low > 0:
                out["min_length"] = low
            if isinstance(high, int):
                out["max_length"] = high
        if "format" in schema and schema["format"] not in ("int32", "int64"):
            facts.append(f"format {schema['format']}")
        if "default" in schema:
            facts.append(f"upstream default {_short_json(schema['default'])}")
        return out, facts


def _literal(values: tuple[Any, ...]) -> str:
    return "Literal[" + ", ".join(repr(v) for v in values) + "]"


def _short_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 60 else text[:57] + "..."


_OBJECT_META_FIELDS = {
    "name", "generateName", "namespace", "labels", "annotations", "finalizers", "ownerReferences", "uid",
    "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "managedFields",
}
_CORE_CLUSTER_SCOPED = {
    "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass",
    "CSIDriver", "CSINode", "VolumeAttachment", "ComponentStatus",
}
_NAME_RULES = {
    "Service": "dns1035", "Namespace": "label",
    # RBAC object names are path segments (system:aggregate-to-view), not DNS names.
    "Role": "path", "ClusterRole": "path", "RoleBinding": "path", "ClusterRoleBinding": "path",
}
# Names the module's own imports use.
_TAKEN = {"ObjectMeta", "IntOrString", "Quantity", "Rule", "SchemaModel", "SchemaResource", "Any", "Literal", "Field", "Annotated", "ClassVar"}
