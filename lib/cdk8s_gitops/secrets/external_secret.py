"""``ExternalSecret`` and ``ClusterExternalSecret`` (external-secrets.io v1, v1beta1, v1alpha1).

An ExternalSecret names keys in a secret store (``data``, ``dataFrom``) and the
Kubernetes Secret the controller writes from them (``target``). Nothing secret is in
the manifest: only references.

The classes are the generated models of :mod:`cdk8s_gitops.models.external_secrets_io_v1`
(``ExternalSecret``, ``ClusterExternalSecret``) and of the older versions
(``ExternalSecretV1Beta1``, ``ExternalSecretV1Alpha1``, ``ClusterExternalSecretV1Beta1``).
The schemas state names, keys, enums and required fields; this module adds what the External
Secrets webhook checks (one source per ``dataFrom`` entry, policy combinations, duplicate
keys) plus what would only fail at runtime (durations, regular expressions, an unknown
generator kind, an empty remote key). A field one version has and another lacks is refused
in the other version with the versions that serve it.
"""

from __future__ import annotations

import re
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..core.deferred import attributes, class_module, class_name, lazy_names, when_explained
from ..core.errors import format_value
from ..core.fields import Issues, set_fields
from ..core.model import check_name, explain_version_gaps
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models import external_secrets_io_v1 as v1
from ..models import external_secrets_io_v1alpha1 as v1alpha1
from ..models import external_secrets_io_v1beta1 as v1beta1

__all__ = [
    "GENERATOR_KINDS",
    "ClusterExternalSecret",
    "ClusterExternalSecretSpec",
    "ClusterExternalSecretV1Beta1",
    "ExternalSecret",
    "ExternalSecretData",
    "ExternalSecretDataFrom",
    "ExternalSecretSpec",
    "ExternalSecretTarget",
    "ExternalSecretTemplate",
    "ExternalSecretV1Alpha1",
    "ExternalSecretV1Beta1",
    "GeneratorRef",
    "RemoteRef",
    "SourceRef",
    "StoreRef",
    "check_regexp",
    "generator_refs",
    "is_flat",
    "store_kind",
    "store_refs",
    "target_secret_name",
]

ExternalSecret = v1.ExternalSecret
ExternalSecretSpec = v1.ExternalSecretSpec
#: ``spec.data[]``: one key of the target Secret, read from the store (``secretKey``, ``remoteRef``).
ExternalSecretData = v1.ExternalSecretSpecData
#: ``spec.data[].remoteRef``: where the value is in the store (``key``, ``property``, ``version``).
RemoteRef = v1.ExternalSecretSpecDataRemoteRef
#: ``spec.secretStoreRef``: the SecretStore or ClusterSecretStore to read from (``kind``, ``name``).
StoreRef = v1.ExternalSecretSpecDataSourceRefStoreRef
#: ``spec.target``: the Secret written (``name``, ``creationPolicy``, ``template``).
ExternalSecretTarget = v1.ExternalSecretSpecTarget
#: ``spec.target.template``: how the Secret is rendered (``data`` templates, ``mergePolicy``, ``type``, ``metadata``).
ExternalSecretTemplate = v1.ExternalSecretSpecTargetTemplate
#: ``spec.dataFrom[]``: many keys at once: ``extract``, ``find``, or a generator through ``sourceRef``.
ExternalSecretDataFrom = v1.ExternalSecretSpecDataFrom
#: ``sourceRef`` of a ``data[]`` or ``dataFrom[]`` entry: another store (``storeRef``) or a generator (``generatorRef``).
SourceRef = v1.ExternalSecretSpecDataSourceRef
#: ``spec.dataFrom[].sourceRef.generatorRef``: a generator (``apiVersion``, ``kind``, ``name``) that makes the values.
GeneratorRef = v1.CrossVersionObjectReference

# ClusterExternalSecrets and the older served versions are created on first use: the checks below name their
# classes by "module:Class" (core.deferred.class_name), and what a version lacks is explained when an error is.
if TYPE_CHECKING:
    ExternalSecretV1Beta1 = v1beta1.ExternalSecret
    ExternalSecretV1Alpha1 = v1alpha1.ExternalSecret
    ClusterExternalSecret = v1.ClusterExternalSecret
    ClusterExternalSecretV1Beta1 = v1beta1.ClusterExternalSecret
    ClusterExternalSecretSpec = v1.ClusterExternalSecretSpec

_NAMES: dict[str, tuple[ModuleType | str, str]] = {
    "ExternalSecretV1Beta1": (v1beta1, "ExternalSecret"),
    "ExternalSecretV1Alpha1": (v1alpha1, "ExternalSecret"),
    "ClusterExternalSecret": (v1, "ClusterExternalSecret"),
    "ClusterExternalSecretV1Beta1": (v1beta1, "ClusterExternalSecret"),
    "ClusterExternalSecretSpec": (v1, "ClusterExternalSecretSpec"),
}
__getattr__ = lazy_names(__name__, globals(), attributes(_NAMES))
LAZY_NAMES = tuple(_NAMES)
"""The public names created on first use (the package re-exports them the same way)."""

GROUP = "external-secrets.io"
V1, V1BETA1, V1ALPHA1 = "v1", "v1beta1", "v1alpha1"
GENERATOR_KINDS = (
    "ACRAccessToken", "ClusterGenerator", "CloudsmithAccessToken", "ECRAuthorizationToken", "Fake", "GCRAccessToken",
    "GithubAccessToken", "QuayAccessToken", "Password", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret",
    "Webhook", "Grafana", "MFA",
)
_SECRET_TEMPLATE_TARGETS = ("Data", "Annotations", "Labels")
_RE2_ONLY = re.compile(r"\\[pPCz]|\(\?U\)")
_FLAT_HINT = "move key, property and version under extract (dataFrom[].extract.key) for v1 and v1beta1"
_STRUCTURED_HINT = "v1alpha1 only knows the flat form (dataFrom[].key); use apiVersion external-secrets.io/v1"

def _each(name: str, *older: ModuleType) -> tuple[type[Any] | str, ...]:
    """The v1 class ``name`` and the same structure of the ``older`` versions, named without creating them."""
    return (getattr(v1, name), *(class_name(module, name) for module in older))


# The classes of one structure in the versions that have it (v1 and v1beta1 name them alike).
_SPECS = _each("ExternalSecretSpec", v1beta1, v1alpha1)
_DATA = _each("ExternalSecretSpecData", v1beta1, v1alpha1)
_DATA_FROM = _each("ExternalSecretSpecDataFrom", v1beta1)
_SOURCE_REFS = _each("ExternalSecretSpecDataSourceRef", v1beta1)
_FIND_NAMES = _each("ExternalSecretSpecDataFromFindName", v1beta1)
_REWRITES = _each("ExternalSecretSpecDataFromRewrite", v1beta1)
_REWRITE_REGEXPS = _each("ExternalSecretSpecDataFromRewriteRegexp", v1beta1)
_TEMPLATE_FROMS = _each("ExternalSecretSpecTargetTemplateTemplateFrom", v1beta1, v1alpha1)
_TARGETS = _each("ExternalSecretSpecTarget", v1beta1)
_CLUSTER_SPECS = (class_name(v1, "ClusterExternalSecretSpec"), class_name(v1beta1, "ClusterExternalSecretSpec"))


def _explain_versions() -> None:
    explain_version_gaps({"v1": v1.ExternalSecret, "v1beta1": v1beta1.ExternalSecret, "v1alpha1": v1alpha1.ExternalSecret},
                         {**{f"spec.dataFrom.{k}": _FLAT_HINT for k in ("key", "property", "version", "conversionStrategy")},
                          **{f"spec.dataFrom.{k}": _STRUCTURED_HINT for k in ("extract", "find", "rewrite", "sourceRef")}})


when_explained({class_module(m, "ExternalSecret") for m in (v1, v1beta1, v1alpha1)}, _explain_versions)
when_explained({class_module(m, "ClusterExternalSecret") for m in (v1, v1beta1)},
               lambda: explain_version_gaps({"v1": v1.ClusterExternalSecret, "v1beta1": v1beta1.ClusterExternalSecret}))


def check_regexp(pattern: str) -> str | None:
    """Why ``pattern`` is not a regular expression, or None (RE2-only syntax is accepted unchecked)."""
    if _RE2_ONLY.search(pattern):
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


# -- references ---------------------------------------------------------------------------------
@semantic_check(*_SOURCE_REFS)
def _source_ref(ref: Any) -> None:
    given = set_fields(ref, ("store_ref", "generator_ref"))
    if not given:
        raise ValueError("sourceRef is empty; set storeRef or generatorRef")
    if len(given) > 1:
        raise ValueError(f"sourceRef sets both {' and '.join(given)}; keep only one of storeRef and generatorRef")
    generator = ref.generator_ref
    if generator is not None:
        if generator.kind not in GENERATOR_KINDS:
            raise ValueError(f"generatorRef.kind: {generator.kind!r} is not a generator kind; use one of "
                             f"{', '.join(GENERATOR_KINDS)}")
        why = check_name(generator.name, "subdomain")
        if why:
            raise ValueError(f"generatorRef.name: name {generator.name!r} {why}; use a name such as 'db-password'")


def store_kind(ref: Any) -> str:
    """The kind of a store reference, with the upstream default (``SecretStore``) applied."""
    return ref.kind or "SecretStore"


# -- data and dataFrom --------------------------------------------------------------------------
@semantic_check(*_DATA)
def _data_entry(entry: Any) -> None:
    key = entry.remote_ref.key
    if not key.strip():
        raise ValueError(f"remoteRef.key: data entry {entry.secret_key!r} has an empty remote key {key!r}; "
                         f"set remoteRef.key to the name of the secret in the store")


@semantic_check(*_FIND_NAMES)
def _find_name(name: Any) -> None:
    if name.regexp is not None:
        why = check_regexp(name.regexp)
        if why:
            raise ValueError(f"regexp: {name.regexp!r} is not a regular expression ({why}); fix the pattern")


@semantic_check(*_REWRITE_REGEXPS)
def _rewrite_regexp(rewrite: Any) -> None:
    why = check_regexp(rewrite.source)
    if why:
        raise ValueError(f"source: {rewrite.source!r} is not a regular expression ({why}); fix the pattern")


@semantic_check(*_REWRITES)
def _rewrite_step(step: Any) -> None:
    given = set_fields(step, ("regexp", "transform", "merge"))
    if len(given) != 1:
        got = ", ".join(given) or "nothing"
        raise ValueError(f"a rewrite step sets {got}; set exactly one of regexp, transform or merge per step")


def is_flat(entry: Any) -> bool:
    """Whether a ``dataFrom`` entry uses the v1alpha1 form (``key``, ``property``, ``version``)."""
    module = sys.modules.get(class_module(v1alpha1, "ExternalSecretSpecDataRemoteRef"))  # not created: no instance
    return module is not None and isinstance(entry, module.ExternalSecretSpecDataRemoteRef)


@semantic_check(*_DATA_FROM)
def _data_from(entry: Any) -> None:
    generator = entry.source_ref.generator_ref if entry.source_ref is not None else None
    structured = set_fields(entry, ("extract", "find", "rewrite", "source_ref"))
    sources = set_fields(entry, ("extract", "find")) + (["sourceRef.generatorRef"] if generator else [])
    if not sources and entry.source_ref is None:
        raise ValueError(
            f"the entry sets none of extract, find or sourceRef (got {', '.join(structured) or 'nothing'}); "
            f"set extract.key, find, or sourceRef.generatorRef"
        )
    if len(sources) > 1:
        raise ValueError(
            f"the entry sets {' and '.join(sources)}; extract, find and sourceRef.generatorRef are alternatives, "
            f"use one per dataFrom entry"
        )
    if not sources:  # sourceRef.storeRef alone: no data to read
        raise ValueError("sourceRef.storeRef names a store but nothing to read from it; add extract.key or find")
    if entry.extract is not None and not entry.extract.key.strip():
        raise ValueError(
            f"extract.key: {entry.extract.key!r} is not a remote key; set extract.key to the name of the secret in the store"
        )


@semantic_check(class_name(v1alpha1, "ExternalSecretSpec"))
def _flat_data_from(spec: v1alpha1.ExternalSecretSpec) -> None:
    for i, entry in enumerate(spec.data_from or ()):
        if not entry.key.strip():
            raise ValueError(f"dataFrom[{i}].key: {entry.key!r} is not a remote key; set key to the name of the secret "
                             f"in the store")


# -- target -------------------------------------------------------------------------------------
@semantic_check(*_TEMPLATE_FROMS)
def _template_from(source: Any) -> None:
    if not set_fields(source, ("config_map", "secret", "literal")):
        raise ValueError("a templateFrom entry sets none of configMap, secret or literal; set one of them")


@semantic_check(*_TARGETS)
def _target(target: Any) -> None:
    found = Issues()
    creation = target.creation_policy or "Owner"
    deletion = target.deletion_policy or "Retain"
    if deletion == "Delete" and creation in ("Merge", "None"):
        found.add(("deletionPolicy",),
                  f"deletionPolicy 'Delete' with creationPolicy {creation!r} would delete a Secret the controller "
                  f"does not own; use creationPolicy 'Owner' or another deletionPolicy", target.deletion_policy)
    if deletion == "Merge" and creation == "None":
        found.add(("deletionPolicy",),
                  "deletionPolicy 'Merge' with creationPolicy 'None' has no Secret to merge into; "
                  "use creationPolicy 'Merge' or 'Owner'", target.deletion_policy)
    template = target.template
    if getattr(target, "manifest", None) is None and template is not None:
        for i, source in enumerate(template.template_from or ()):
            if source.target is not None and source.target not in _SECRET_TEMPLATE_TARGETS:
                found.add(("template", "templateFrom", i, "target"),
                          f"{source.target!r} is not a place in a Secret; use one of {', '.join(_SECRET_TEMPLATE_TARGETS)} "
                          f"(field paths need target.manifest)", source.target)
    found.raise_any("ExternalSecretTarget")


# -- spec ---------------------------------------------------------------------------------------
def _entries_without_source(spec: Any) -> list[tuple[str, str]]:
    out = []
    for i, entry in enumerate(spec.data or ()):
        if getattr(entry, "source_ref", None) is None:
            out.append((f"data[{i}]", f"secretKey {entry.secret_key!r}"))
    for i, source in enumerate(spec.data_from or ()):
        if getattr(source, "source_ref", None) is None:
            extract = getattr(source, "extract", None)
            key = getattr(source, "key", None) or (extract.key if extract is not None else None)
            out.append((f"dataFrom[{i}]", f"key {key!r}" if key else "find"))
    return out


def _duration_problem(value: str) -> str | None:
    try:
        parse_duration(value)
    except ValueError as exc:
        return str(exc)
    return None


@semantic_check(*_SPECS)
def _spec(spec: Any) -> None:
    found = Issues()
    if spec.refresh_interval is not None:
        why = _duration_problem(spec.refresh_interval)
        if why:
            found.add(("refreshInterval",), why, spec.refresh_interval)
    if not spec.data and not spec.data_from:
        got = format_value(spec.data if spec.data is not None else spec.data_from)
        found.add(("data",), f"neither data nor dataFrom lists anything to fetch (got {got}); "
                             f"add data entries (secretKey and remoteRef.key) or a dataFrom entry", spec.data)
    if spec.secret_store_ref is None:
        for loc, what in _entries_without_source(spec):
            found.add(("secretStoreRef",),
                      f"secretStoreRef is not set, but {loc} ({what}) reads from a store; set secretStoreRef "
                      f"to the SecretStore or ClusterSecretStore that holds it, or give the entry a sourceRef", None)
            break
    deletion = getattr(spec.target, "deletion_policy", None) if spec.target is not None else None
    if deletion in (None, "Retain"):
        seen: dict[str, int] = {}
        for i, entry in enumerate(spec.data or ()):
            if entry.secret_key in seen:
                found.add(("data", i, "secretKey"),
                          f"{entry.secret_key!r} is already written by data[{seen[entry.secret_key]}]; "
                          f"give each data entry its own secretKey", entry.secret_key)
            else:
                seen[entry.secret_key] = i
    found.raise_any("ExternalSecretSpec")


@semantic_check(*_CLUSTER_SPECS)
def _cluster_spec(spec: Any) -> None:
    if not spec.namespace_selectors and spec.namespace_selector is None and not spec.namespaces:
        raise ValueError(
            "namespaceSelectors: no namespace is selected (namespaceSelectors, namespaceSelector and namespaces are "
            "all empty), so no ExternalSecret would be created; add a namespaceSelectors entry such as "
            "{matchLabels: {team: payments}}"
        )
    if spec.refresh_time is not None:
        why = _duration_problem(spec.refresh_time)
        if why:
            raise ValueError(f"refreshTime: {why}")


# -- what an ExternalSecret reads and writes (cross-object checks, diagrams) ------------------------
def _spec_of(obj: Any) -> Any:
    return obj.spec.external_secret_spec if obj.kind == "ClusterExternalSecret" else obj.spec


def store_refs(obj: Any) -> list[Any]:
    """Every store an ExternalSecret (or the ExternalSecrets of a ClusterExternalSecret) reads from:
    ``secretStoreRef`` (when an entry needs it) and each entry's ``sourceRef.storeRef``."""
    spec = _spec_of(obj)
    refs: list[Any] = []
    if spec.secret_store_ref is not None and (_entries_without_source(spec) or not (spec.data or spec.data_from)):
        refs.append(spec.secret_store_ref)
    for entry in list(spec.data or ()) + list(spec.data_from or ()):
        source = getattr(entry, "source_ref", None)
        if source is not None and source.store_ref is not None:
            refs.append(source.store_ref)
    return refs


def generator_refs(obj: Any) -> list[Any]:
    """Every generator an ExternalSecret (or a ClusterExternalSecret's) reads from."""
    spec = _spec_of(obj)
    return [e.source_ref.generator_ref for e in list(spec.data or ()) + list(spec.data_from or ())
            if getattr(e, "source_ref", None) is not None and e.source_ref.generator_ref is not None]


def target_secret_name(obj: v1.ExternalSecret | v1beta1.ExternalSecret | v1alpha1.ExternalSecret) -> str:
    """The name of the Secret the controller writes (``target.name``, else the ExternalSecret's name)."""
    target = obj.spec.target if obj.spec is not None else None
    return str((target.name if target is not None else None) or obj.name)
