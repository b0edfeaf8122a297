"""``cdk8s-gitops convert``: plain manifests (files, folders, Helm or Kustomize output) into a typed app module.

Every object of a modelled kind becomes a typed constructor call (snake_case keywords, nested
typed objects). Given the same app rendered for several environments, values that differ
are read from the environment (image tags, replicas, namespace, or ``apps.<app>.settings``)
and the entries for ``environments/<env>.yaml`` are produced, instead of one copy per
environment. A ``Secret`` with data becomes an ``ExternalSecret`` on the environment's store;
its values are never written. Objects of kinds without a model stay plain cdk8s
``ApiObject``s (the escape hatch), with a comment saying so.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..codegen.naming import snake
from ..codegen.pysource import Expr, SourceWriter
from ..core.errors import ConfigError, Problem
from ..core.safe_yaml import MANIFEST_LIMITS, check_yaml_limits

__all__ = ["ConvertResult", "convert", "read_manifests"]

MAX_INPUT = 32 * 1024 * 1024
Key = tuple[str, str, str]  # apiVersion, kind, name


@dataclass
class ConvertResult:
    """The module's text, the environment entries, and what the user should know."""

    source: str
    env_entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    normalizations: list[str] = field(default_factory=list)
    objects: int = 0
    untyped: list[str] = field(default_factory=list)


def read_manifests(paths: Iterable[str]) -> list[dict[str, Any]]:
    """Every mapping document of the files, folders (recursively) or ``-`` (standard input); ``List`` kinds unwrapped."""
    docs: list[dict[str, Any]] = []
    for raw in paths:
        if raw == "-":
            sources = [("<stdin>", sys.stdin.read(MAX_INPUT + 1))]
        else:
            path = Path(raw)
            if not path.exists():
                raise ConfigError(Problem(raw, "", "no such file or folder", "pass YAML files, folders of them, or - for standard input"))
            files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()) if path.is_dir() else [path]
            sources = []
            for file in files:
                if not file.is_file() or file.stat().st_size > MAX_INPUT:
                    raise ConfigError(Problem(str(file), "", f"is not a regular file of at most {MAX_INPUT // 2**20} MiB", "pass rendered manifests"))
                sources.append((str(file), file.read_text(encoding="utf-8")))
        for name, text in sources:
            if len(text) > MAX_INPUT:
                raise ConfigError(Problem(name, "", f"is larger than {MAX_INPUT // 2**20} MiB", "split the input"))
            try:
                check_yaml_limits(text, name, MANIFEST_LIMITS)  # alias bombs, deep nesting: refused before loading
                loaded = list(yaml.safe_load_all(text))
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}" if mark is not None else ""
                raise ConfigError(Problem(name, where, f"is not valid YAML ({getattr(exc, 'problem', exc)})", "fix the YAML")) from None
            for index, doc in enumerate(loaded):
                if doc is None:
                    continue
                if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str) or not isinstance(doc.get("apiVersion"), str):
                    raise ConfigError(Problem(f"{name} (document {index + 1})", "", "is not a Kubernetes object (apiVersion and kind)",
                                              "pass only manifests"))
                if doc["kind"].endswith("List") and isinstance(doc.get("items"), list):
                    docs.extend(item for item in doc["items"] if isinstance(item, dict))
                else:
                    docs.append(doc)
    return docs


def _key(doc: Mapping[str, Any]) -> Key:
    return (str(doc["apiVersion"]), str(doc["kind"]), str((doc.get("metadata") or {}).get("name") or ""))


class _Kinds:
    """(apiVersion, kind) -> model class: the library's generated models, then the user's imported packages."""

    def __init__(self, packages: Iterable[str]) -> None:
        from ..models import KINDS

        self.table: dict[tuple[str, str], str] = {k: f"cdk8s_gitops.models.{v}" for k, v in KINDS.items()}
        for package in packages:
            module = importlib.import_module(package)
            for k, v in getattr(module, "KINDS", {}).items():
                self.table[k] = f"{package}.{v}"

    def get(self, api_version: str, kind: str) -> Any | None:
        target = self.table.get((api_version, kind))
        if target is None:
            return None
        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)


def convert(inputs: Mapping[str, list[dict[str, Any]]], app: str, models: Iterable[str] = ()) -> ConvertResult:
    """Convert ``inputs`` (environment name -> manifests; one entry named ``""`` for a single rendering)."""
    kinds = _Kinds(models)
    result = ConvertResult(source="")
    inputs = {env: [_explicit_name(doc, result) for doc in docs] for env, docs in inputs.items()}
    envs = sorted(inputs)
    by_env = {env: {_key(d): d for d in docs} for env, docs in inputs.items()}
    for env, docs in inputs.items():
        seen: set[Key] = set()
        for doc in docs:
            if _key(doc) in seen:
                raise ConfigError(Problem(f"{env or 'input'}", "", f"{doc['kind']} {_key(doc)[2]!r} appears twice", "pass each object once"))
            seen.add(_key(doc))
    order: list[Key] = []
    for env in envs:
        for key in by_env[env]:
            if key not in order:
                order.append(key)
    result.env_entries = {env: {} for env in envs if env}
    writer = SourceWriter()
    body: list[str] = []
    settings = _Settings(app, envs, result)
    for key in order:
        present = [env for env in envs if key in by_env[env]]
        renderings = {env: by_env[env][key] for env in present}
        guard = ""
        if len(present) < len(envs):
            flag = settings.flag(key, present)
            guard = f'if env.setting("{flag}", bool):'
        lines = _object(key, renderings, kinds, writer, settings, result)
        if guard:
            body.append(guard)
            body.extend("    " + line if line else line for line in lines)
        else:
            body.extend(lines)
        result.objects += 1
    result.source = _module(app, writer, body, result)
    return result


def _explicit_name(doc: dict[str, Any], result: ConvertResult) -> dict[str, Any]:
    """``generateName`` becomes an explicit name (the library writes no generated names into dist/)."""
    meta = doc.get("metadata") or {}
    generate = meta.get("generateName")
    if meta.get("name") or not isinstance(generate, str) or not generate.strip("-"):
        return doc
    name = generate.rstrip("-.")
    note = f"{doc['kind']} generateName {generate!r} became the explicit name {name!r}"
    if note not in result.normalizations:
        result.normalizations.append(note)
    return {**doc, "metadata": {**{k: v for k, v in meta.items() if k != "generateName"}, "name": name}}


class _Settings:
    """Names and records the values that differ between environments."""

    def __init__(self, app: str, envs: list[str], result: ConvertResult) -> None:
        self.app, self.envs, self.result = app, envs, result
        self.used: set[str] = set()
        self.replicas_taken = False
        self.namespace: dict[str, str] | None = None
        self.services: dict[str, set[str]] = {}

    def _name(self, base: str) -> str:
        name = re.sub(r"_+", "_", snake(base).strip("_"))[:60] or "value"
        candidate, n = name, 2
        while candidate in self.used:
            candidate, n = f"{name}_{n}", n + 1
        self.used.add(candidate)
        return candidate

    def put(self, base: str, values: Mapping[str, Any]) -> str:
        name = self._name(base)
        for env, value in values.items():
            self.result.env_entries[env].setdefault("settings", {})[name] = value
        return name

    def flag(self, key: Key, present: list[str]) -> str:
        name = self._name(f"{key[2]}_{key[1]}_enabled")
        for env in self.envs:
            self.result.env_entries[env].setdefault("settings", {})[name] = env in present
        return name


def _differences(values: Mapping[str, Any], path: str, out: dict[str, dict[str, Any]]) -> None:
    """Manifest paths whose values differ between environments (the smallest differing subtrees)."""
    items = list(values.values())
    if all(v == items[0] for v in items):
        return
    if all(isinstance(v, dict) for v in items) and all(set(v) == set(items[0]) for v in items):
        for k in items[0]:
            _differences({e: v[k] for e, v in values.items()}, f"{path}.{k}" if path else k, out)
        return
    if all(isinstance(v, list) for v in items) and all(len(v) == len(items[0]) for v in items):
        for i in range(len(items[0])):
            _differences({e: v[i] for e, v in values.items()}, f"{path}[{i}]", out)
        return
    out[path] = dict(values)


_IMAGE = re.compile(r"^(?P<repo>[^@\s]+?)(?::(?P<tag>[\w][\w.-]{0,127}))?(?:@(?P<digest>sha256:[0-9a-f]{64}))?$")


def _object(key: Key, docs: dict[str, dict[str, Any]], kinds: _Kinds, writer: SourceWriter, settings: _Settings,
            result: ConvertResult) -> list[str]:
    api_version, kind, name = key
    first = next(iter(docs.values()))
    if kind == "Secret" and api_version == "v1" and (first.get("data") or first.get("stringData")):
        namespaces = {env: (d.get("metadata") or {}).get("namespace") for env, d in docs.items()}
        follow = len(set(namespaces.values())) > 1 or settings.namespace is not None
        return _secret(first, writer, result, settings.app, follow)
    cls = kinds.get(api_version, kind)
    differing: dict[str, dict[str, Any]] = {}
    if len(docs) > 1:
        _differences(docs, "", differing)
    exprs = _expressions(key, differing, settings, result, docs)
    if cls is None:
        return _untyped(first, writer, exprs, result)
    try:
        model = cls.from_manifest(first)
    except ValueError as exc:
        raise ConfigError(Problem(f"{kind} {name!r}", "", f"cannot be converted: {exc}", "fix the manifest (it would be refused at synth too)")) from None
    for env, doc in docs.items():  # every rendering must load, not only the first
        if doc is not first:
            try:
                cls.from_manifest(doc)
            except ValueError as exc:
                raise ConfigError(Problem(f"{kind} {name!r} ({env})", "", f"cannot be converted: {exc}", "fix the manifest")) from None

    def substitute(path: str, value: Any) -> Expr | None:
        expr = exprs.get(path)
        if expr is None:
            return None
        from pydantic import BaseModel

        if isinstance(value, BaseModel):
            return Expr(f"{writer.need(type(value).__module__, type(value).__name__)}.model_validate({expr.code})")
        if isinstance(value, list) and value and isinstance(value[0], BaseModel):
            item = writer.need(type(value[0]).__module__, type(value[0]).__name__)
            return Expr(f"[{item}.model_validate(x) for x in {expr.code}]")
        return expr

    writer.substitute = substitute
    code = writer.render(model, 4)
    writer.substitute = lambda path, value: None
    writer.need("cdk8s_gitops", "TypedResource")
    return [f"TypedResource(scope, {code.strip()})"]


def _expressions(key: Key, differing: dict[str, dict[str, Any]], settings: _Settings, result: ConvertResult,
                 differing_docs: Mapping[str, Any]) -> dict[str, Expr]:
    exprs: dict[str, Expr] = {}
    for path, values in differing.items():
        if path.endswith(".image") and all(isinstance(v, str) for v in values.values()):
            parsed = {e: _IMAGE.match(v) for e, v in values.items()}
            repos = {m.group("repo") for m in parsed.values() if m}
            if len(repos) == 1 and all(m and m.group("tag") and not m.group("digest") for m in parsed.values()):
                service = _container_name(path, docs_first(differing_docs, path)) or key[2]
                service = service if service not in settings.services or settings.services[service] == repos else f"{key[2]}-{service}"
                settings.services[service] = repos
                for env, m in parsed.items():
                    result.env_entries[env].setdefault("images", {})[service] = m.group("tag")  # type: ignore[union-attr]
                exprs[path] = Expr(f'{next(iter(repos))!r} + ":" + env.image_tag({service!r})')
                continue
        if path == "spec.replicas" and not settings.replicas_taken and all(isinstance(v, int) for v in values.values()):
            settings.replicas_taken = True
            for env, value in values.items():
                result.env_entries[env]["replicas"] = value
            exprs[path] = Expr("env.replicas")
            continue
        if (path == "metadata.namespace" and all(isinstance(v, str) for v in values.values())
                and (settings.namespace is None or settings.namespace == values)):
            settings.namespace = dict(values)
            for env, value in values.items():
                result.env_entries[env]["namespace"] = value
            exprs[path] = Expr("env.namespace")
            continue
        name = settings.put(f"{key[2]}_{_tail(path)}", {e: v for e, v in values.items()})
        exprs[path] = Expr(f"env.setting({name!r}{_setting_kind(values.values())})")
    return exprs


def _setting_kind(values: Iterable[Any]) -> str:
    """``, str`` (or int, float, bool) when every environment's value has that scalar type: the module reads the setting typed."""
    kinds = {type(v) for v in values}
    return f", {kinds.pop().__name__}" if len(kinds) == 1 and kinds <= {str, int, float, bool} else ""


def _tail(path: str) -> str:
    parts = [p for p in re.split(r"[.\[\]]", path) if p and not p.isdigit()]
    return "_".join(parts[-2:]) if parts else "value"


def _container_name(path: str, doc: Any) -> str | None:
    """The ``name`` beside the image at ``path`` (``spec.template.spec.containers[0].image``) in ``doc``."""
    node = doc
    for part in re.findall(r"[^.\[\]]+", path.rsplit(".", 1)[0]):
        node = node[int(part)] if isinstance(node, list) else (node or {}).get(part)
    name = node.get("name") if isinstance(node, dict) else None
    return name if isinstance(name, str) else None


def docs_first(docs: Mapping[str, Any], path: str) -> Any:
    return next(iter(docs.values()))


def _secret(doc: dict[str, Any], writer: SourceWriter, result: ConvertResult, app: str, env_namespace: bool) -> list[str]:
    """A Secret with values: an ExternalSecret on the environment's store; the values are dropped, their keys listed."""
    from ..core.model import ObjectMeta
    from ..models.external_secrets_io_v1 import (
        ExternalSecret,
        ExternalSecretSpec,
        ExternalSecretSpecData,
        ExternalSecretSpecDataRemoteRef,
        ExternalSecretSpecDataSourceRefStoreRef,
        ExternalSecretSpecTarget,
        ExternalSecretSpecTargetTemplate,
    )

    meta = doc.get("metadata") or {}
    name = str(meta.get("name"))
    keys = sorted({*(doc.get("data") or {}), *(doc.get("stringData") or {})})
    remote = f"{app}/{name}"
    secret_type = doc.get("type")
    target = ExternalSecretSpecTarget(name=name, creation_policy="Owner")
    if secret_type and secret_type != "Opaque":
        target = ExternalSecretSpecTarget(name=name, creation_policy="Owner",
                                          template=ExternalSecretSpecTargetTemplate(type=str(secret_type)))
    model = ExternalSecret(
        metadata=ObjectMeta.model_validate({k: v for k, v in meta.items() if k in ("name", "namespace", "labels")}),
        spec=ExternalSecretSpec(
            # Placeholders: the module reads kind and name from the environment's store (see exprs below).
            secret_store_ref=ExternalSecretSpecDataSourceRefStoreRef(kind="ClusterSecretStore", name="store"),
            target=target,
            data=[ExternalSecretSpecData(secret_key=k, remote_ref=ExternalSecretSpecDataRemoteRef(key=remote, property=k))
                  for k in keys],
        ),
    )
    exprs = {"spec.secretStoreRef.kind": Expr("store.kind"), "spec.secretStoreRef.name": Expr("store.name")}
    if env_namespace and "namespace" in meta:
        exprs["metadata.namespace"] = Expr("env.namespace")
    writer.substitute = lambda path, value: exprs.get(path)
    code = writer.render(model, 4)
    writer.substitute = lambda path, value: None
    writer.need("cdk8s_gitops", "TypedResource")
    result.notes.append(f"Secret {name!r} became an ExternalSecret: put its keys ({', '.join(keys)}) as properties of "
                        f"{remote!r} in the secret store the environment names (secret_store); the values were not written")
    result.normalizations.append(f"Secret {name!r}: an ExternalSecret with the same name and keys (values come from the store)")
    return [
        "store = env.secret_store",
        "if store is None:",
        f"    raise ValueError({'app ' + app + ' reads Secret ' + repr(name) + ' from the secret store; set secret_store in environments/<env>.yaml'!r})",
        f"TypedResource(scope, {code.strip()})",
    ]


def _untyped(doc: dict[str, Any], writer: SourceWriter, exprs: dict[str, Expr], result: ConvertResult) -> list[str]:
    """An object of a kind with no model: a plain cdk8s ApiObject, its fields added by JSON patch (the escape hatch)."""
    meta = doc.get("metadata") or {}
    kind, api_version, name = doc["kind"], doc["apiVersion"], str(meta.get("name") or "")
    result.untyped.append(f"{kind} {name!r} ({api_version})")
    writer.need("cdk8s", "ApiObject")
    writer.need("cdk8s", "ApiObjectMetadata")
    writer.need("cdk8s", "JsonPatch")
    var = snake(f"{name}_{kind}")
    writer.substitute = lambda path, value: exprs.get(path)
    meta_args = ", ".join(f"{k}={writer.render(meta[k], 4, f'metadata.{k}')}" for k in ("name", "namespace", "labels", "annotations") if k in meta)
    lines = [
        f"# {kind} ({api_version}) has no typed model here: kept as a plain cdk8s ApiObject (the escape hatch).",
        "# Run `cdk8s-gitops import` on its CRD and convert again for typed code.",
        f"{var} = ApiObject(scope, {f'{kind}-{name}'!r}, api_version={api_version!r}, kind={kind!r}, metadata=ApiObjectMetadata({meta_args}))",
    ]
    for top, value in doc.items():
        if top in ("apiVersion", "kind", "metadata"):
            continue
        lines.append(f"{var}.add_json_patch(JsonPatch.add({'/' + top!r}, {writer.render(value, 4, top)}))")
    writer.substitute = lambda path, value: None
    return lines


def _module(app: str, writer: SourceWriter, body: list[str], result: ConvertResult) -> str:
    imports = ["from constructs import Construct", ""]
    third = sorted((m, n) for m, n in writer.imports.items() if m.split(".")[0] in ("cdk8s", "constructs"))
    for module, names in third:
        imports.append(f"from {module} import {', '.join(sorted(names))}")
    if third:
        imports.append("")
    own = sorted((m, n) for m, n in writer.imports.items() if m.split(".")[0] not in ("cdk8s", "constructs"))
    for module, names in own:
        imports.append(f"from {module} import {', '.join(sorted(names))}")
    imports.append("from cdk8s_gitops.environment import ResolvedAppSettings")
    doc = [f'"""{app}: converted from plain manifests by `cdk8s-gitops convert`.', ""]
    if result.untyped:
        doc.append("Kinds without a typed model are plain cdk8s ApiObjects (see the comments below).")
    doc += ["Values that differ between environments are read from `env` (environments/<env>.yaml).", '"""', ""]
    lines = [*doc, "from __future__ import annotations", "", *imports, "", "",
             "def build(scope: Construct, env: ResolvedAppSettings) -> None:",
             f'    """The objects of {app}, in the order of the input."""']
    lines += [f"    {line}" if line else "" for line in body]
    if not body:
        lines.append("    del scope, env")
    return _format("\n".join(lines) + "\n")


def _format(text: str) -> str:
    """``ruff`` sorts the imports and formats the module when it is installed; the text is valid Python either way."""
    import subprocess

    for args in (["check", "--select", "I,F401", "--fix", "--quiet"], ["format", "--quiet"]):
        try:
            proc = subprocess.run([sys.executable, "-m", "ruff", *args, "--line-length", "120", "--stdin-filename", "app.py", "-"],
                                  input=text, capture_output=True, text=True, check=False, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return text
        if proc.returncode not in (0, 1) or not proc.stdout:
            return text
        text = proc.stdout
    return text


# -- verification ---------------------------------------------------------------------------------
_STANDARD_LABELS = ("app.kubernetes.io/managed-by", "app.kubernetes.io/part-of", "app.kubernetes.io/instance")


def verify(source: str, app: str, inputs: Mapping[str, list[dict[str, Any]]], entries: Mapping[str, dict[str, Any]]) -> list[str]:
    """Synthesize the converted module per environment and compare with the inputs; the differences, if any."""
    from ..core.chart import GitOpsChart
    from ..core.lazy import LazyApp
    from ..environment.spec import EnvironmentSpec
    from .build import collect_chart

    namespace: dict[str, Any] = {"__name__": f"converted_{snake(app)}"}
    exec(compile(source, f"apps/{snake(app)}.py", "exec"), namespace)  # noqa: S102 - the module we just generated
    build = namespace["build"]
    problems: list[str] = []
    scratch = ConvertResult(source="")
    inputs = {env: [_explicit_name(doc, scratch) for doc in docs] for env, docs in inputs.items()}
    for env, docs in inputs.items():
        fields: dict[str, Any] = {"apps": {app: dict(entries.get(env, {}))}, "secret_store": {"name": "converted-store"}}
        try:  # the objects only: cross-object checks run at synth, against the real environment
            settings = EnvironmentSpec.model_validate({"name": env or "converted", "git": {"repo_url": "https://example.com/converted.git"},
                                                        **fields}).for_app(app)
            chart = GitOpsChart(LazyApp(), f"{env}-{app}", app_name=app, namespace=settings.namespace, environment=settings)
            build(chart, settings)
            out = [dict(o.manifest) for o in collect_chart(chart, app)]
        except Exception as exc:  # noqa: BLE001 - reported, not raised: the module is still written
            problems.append(f"{env or 'input'}: synth refused the converted app: {exc}")
            continue
        got = {_key(m): m for m in out}
        for doc in docs:
            key = _key(doc)
            if doc["kind"] == "Secret" and (doc.get("data") or doc.get("stringData")):
                key = ("external-secrets.io/v1", "ExternalSecret", key[2])
                if key not in got:
                    problems.append(f"{env or 'input'}: no ExternalSecret for Secret {key[2]!r}")
                continue
            if key not in got:
                problems.append(f"{env or 'input'}: {key[1]} {key[2]!r} is missing from the synthesized output")
                continue
            actual = _normalized(got[key], doc)
            if actual != doc:
                problems.append(f"{env or 'input'}: {key[1]} {key[2]!r} differs after synth")
    return problems


def _normalized(synthesized: Mapping[str, Any], original: Mapping[str, Any]) -> dict[str, Any]:
    """``synthesized`` without what the library adds on purpose (standard labels, sync waves, the default namespace)."""
    out = dict(synthesized)
    meta = dict(out.get("metadata") or {})
    original_meta = original.get("metadata") or {}
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k not in _STANDARD_LABELS or k in (original_meta.get("labels") or {})}
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items()
                   if k != "argocd.argoproj.io/sync-wave" or k in (original_meta.get("annotations") or {})}
    for name, value in (("labels", labels), ("annotations", annotations)):
        if value:
            meta[name] = value
        else:
            meta.pop(name, None)
    if "namespace" not in original_meta:
        meta.pop("namespace", None)
    out["metadata"] = meta
    return out


NORMALIZATIONS = [
    "standard labels app.kubernetes.io/managed-by, part-of and instance are added to every object",
    "Argo CD sync waves are added to kinds that must exist first (namespaces, stores, secrets)",
    "namespaced objects without a namespace get the app's namespace in each environment",
]


def convert_into_project(root: Path, app: str, paths: list[str], env_files: Mapping[str, str], models: Iterable[str] = (),
                         force: bool = False, dry_run: bool = False, check: bool = True) -> list[str]:
    """Write ``apps/<app>.py`` and the ``apps.<app>`` entries of ``environments/<env>.yaml``; return the report lines.

    Refuses (writing nothing) when the module or an entry already exists (unless ``force``), when an
    environment file is missing, or when the input cannot be converted.
    """
    if not re.fullmatch(r"[a-z]([-a-z0-9]*[a-z0-9])?", app):
        raise ConfigError(Problem("--app", "", f"{app!r} is not a valid app name", "use lowercase letters, digits and '-', e.g. shop-web"))
    if paths and env_files:
        raise ConfigError(Problem("convert", "", "give either PATHs (one rendering) or --env NAME=FILE (one per environment), not both",
                                  "render the app once per environment and pass each with --env"))
    inputs = {env: read_manifests([file]) for env, file in env_files.items()} if env_files else {"": read_manifests(paths)}
    if not any(inputs.values()):
        raise ConfigError(Problem(", ".join(paths or env_files.values()), "", "holds no Kubernetes object", "pass rendered manifests"))
    sys.path.insert(0, str(root))
    try:
        result = convert(inputs, app, models)
    finally:
        sys.path.remove(str(root))
    module = root / "apps" / f"{app.replace('-', '_')}.py"
    if module.exists() and not force:
        raise ConfigError(Problem(str(module), "", "already exists", "choose another --app name, or pass --force to replace it"))
    edits = _environment_edits(root, app, result.env_entries, force)
    report = [f"converted {result.objects} objects into {module.relative_to(root) if module.is_relative_to(root) else module}"]
    for env, entry in sorted(result.env_entries.items()):
        report.append(f"environments/{env}.yaml: apps.{app} = {entry}")
    report += [f"note: {n}" for n in result.notes]
    report += [f"untyped (escape hatch): {u}" for u in result.untyped]
    report += [f"normalization: {n}" for n in [*NORMALIZATIONS, *result.normalizations]]
    if check:
        problems = verify(result.source, app, inputs, result.env_entries)
        report += [f"verify: {p}" for p in problems] or ["verify: synthesizing the module gives back every input object (modulo the normalizations)"]
    if not env_files:
        report.append(f"to synthesize it, list the app in each environment file: apps: {{{app}: {{}}}}")
    if dry_run:
        return [*report, "--- " + str(module), result.source]
    module.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(module, result.source)
    for path, text in edits.items():
        _atomic_write(path, text)
    return report


def _environment_edits(root: Path, app: str, entries: Mapping[str, dict[str, Any]], force: bool) -> dict[Path, str]:
    import io

    from ruamel.yaml import YAML

    edits: dict[Path, str] = {}
    for env, entry in sorted(entries.items()):
        path = root / "environments" / f"{env}.yaml"
        if not path.is_file():
            raise ConfigError(Problem(str(path), "", "does not exist", f"create environments/{env}.yaml first (or name an existing environment in --env)"))
        yaml_rt = YAML()
        yaml_rt.preserve_quotes = True
        data = yaml_rt.load(path.read_text(encoding="utf-8")) or {}
        apps = data.setdefault("apps", {})
        if apps.get(app) is not None and not force:
            raise ConfigError(Problem(str(path), f"apps.{app}", "already exists", "pass --force to replace it"))
        apps[app] = entry
        buffer = io.StringIO()
        yaml_rt.dump(data, buffer)
        edits[path] = buffer.getvalue()
    return edits


def _atomic_write(path: Path, text: str) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
