"""``ExternalSecret`` and ``ClusterExternalSecret`` (external-secrets.io v1, v1beta1, v1alpha1).

An ExternalSecret names keys in a secret store (``data``, ``dataFrom``) and the
Kubernetes Secret the controller writes from them (``target``). Nothing secret is in
the manifest: only references. The models check what the External Secrets webhook
checks (one source per ``dataFrom`` entry, policy combinations, duplicate keys) plus
what would only fail at runtime (durations, a store reference of an unknown kind, a data
entry without a remote key).
"""

from __future__ import annotations

import builtins
import re
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.errors import format_value
from ..core.fields import Issues
from ..core.model import K8sModel
from ._common import (
    Duration,
    ExternalSecretsResource,
    LabelSelector,
    NamespaceName,
    ObjectName,
    SecretKey,
    served,
    set_fields,
)

__all__ = [
    "ClusterExternalSecret",
    "ClusterExternalSecretSpec",
    "ExternalSecret",
    "ExternalSecretData",
    "ExternalSecretDataFrom",
    "ExternalSecretFind",
    "ExternalSecretMetadata",
    "ExternalSecretSpec",
    "ExternalSecretTarget",
    "ExternalSecretTemplate",
    "FindName",
    "GeneratorRef",
    "RemoteRef",
    "Rewrite",
    "RewriteMerge",
    "RewriteRegexp",
    "RewriteTransform",
    "SecretStoreRef",
    "SourceRef",
    "TargetManifest",
    "TemplateFrom",
    "TemplateMetadata",
    "TemplateRef",
    "TemplateRefItem",
]

GROUP = "external-secrets.io"
V1, V1BETA1, V1ALPHA1 = "v1", "v1beta1", "v1alpha1"
STORE_KINDS = ("SecretStore", "ClusterSecretStore")
GENERATOR_KINDS = Literal[
    "ACRAccessToken", "ClusterGenerator", "CloudsmithAccessToken", "ECRAuthorizationToken", "Fake", "GCRAccessToken",
    "GithubAccessToken", "QuayAccessToken", "Password", "SSHKey", "STSSessionToken", "UUID", "VaultDynamicSecret",
    "Webhook", "Grafana", "MFA",
]
_SECRET_TEMPLATE_TARGETS = ("Data", "Annotations", "Labels")
_RE2_ONLY = re.compile(r"\\[pPCz]|\(\?U\)")


def check_regexp(pattern: str) -> str | None:
    """Why ``pattern`` is not a regular expression, or None (RE2-only syntax is accepted unchecked)."""
    if _RE2_ONLY.search(pattern):
        return None
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    return None


# -- references --------------------------------------------------------------------------
class SecretStoreRef(K8sModel):
    """A reference to the store that holds the secrets (``secretStoreRef``, ``sourceRef.storeRef``).

    Attributes:
        name: ``name`` of the SecretStore or ClusterSecretStore. Default: none.
        kind: ``kind``: ``SecretStore`` (same namespace) or ``ClusterSecretStore``. Default: ``SecretStore``.
    """

    name: ObjectName | None = None
    kind: str | None = None

    @model_validator(mode="after")
    def _check_kind(self) -> Self:
        if self.kind is not None and self.kind not in STORE_KINDS:
            raise ValueError(
                f"kind: {self.kind!r} is not a secret store kind; use 'SecretStore' (same namespace) or 'ClusterSecretStore'"
            )
        return self

    @property
    def store_kind(self) -> str:
        """The kind, with the upstream default (``SecretStore``) applied."""
        return self.kind or "SecretStore"


class GeneratorRef(K8sModel):
    """A generator that produces the values instead of a store (``sourceRef.generatorRef``).

    Attributes:
        api_version: ``apiVersion`` of the generator. Default: ``generators.external-secrets.io/v1alpha1``.
        kind: ``kind`` of the generator (``Password``, ``ClusterGenerator``, ``ECRAuthorizationToken``...). Required.
        name: ``name`` of the generator object. Required.
    """

    api_version: str | None = None
    kind: GENERATOR_KINDS
    name: ObjectName


class SourceRef(K8sModel):
    """Where one entry reads from instead of ``spec.secretStoreRef`` (``sourceRef``): a store or a generator.

    Attributes:
        store_ref: ``storeRef``: another store. Default: none.
        generator_ref: ``generatorRef``: a generator. Default: none. Exactly one of the two.
    """

    store_ref: SecretStoreRef | None = None
    generator_ref: GeneratorRef | None = None

    @model_validator(mode="after")
    def _check_one(self) -> Self:
        given = set_fields(self)
        if not given:
            raise ValueError("sourceRef is empty; set storeRef or generatorRef")
        if len(given) > 1:
            raise ValueError(f"sourceRef sets both {' and '.join(given)}; keep only one of storeRef and generatorRef")
        return self


class RemoteRef(K8sModel):
    """Which secret (and which part of it) to read from the store (``remoteRef``, ``extract``).

    Attributes:
        key: ``key``: the secret's name or path in the store. Required (checked by the entry that holds it).
        property: ``property``: a field inside a JSON secret (``dot.separated`` for nested ones). Default: the whole value.
        version: ``version`` of the secret in the store. Default: the latest.
        conversion_strategy: ``conversionStrategy``: ``Default`` or ``Unicode``. Default: ``Default``.
        decoding_strategy: ``decodingStrategy``: ``Auto``, ``Base64``, ``Base64URL`` or ``None``. Default: ``None``.
            v1/v1beta1 only.
        metadata_policy: ``metadataPolicy``: ``None`` or ``Fetch`` (read the secret's tags/labels). Default: ``None``.
            v1/v1beta1 only.
        null_byte_policy: ``nullBytePolicy``: ``Ignore`` or ``Fail``. Default: ``Ignore``. v1 only.
    """

    key: str | None = None
    property: str | None = None
    version: str | None = None
    conversion_strategy: Literal["Default", "Unicode"] | None = None
    decoding_strategy: Literal["Auto", "Base64", "Base64URL", "None"] | None = served(V1, V1BETA1)
    metadata_policy: Literal["None", "Fetch"] | None = served(V1, V1BETA1)
    null_byte_policy: Literal["Ignore", "Fail"] | None = served(V1)


class ExternalSecretData(K8sModel):
    """One key of the target Secret, read from one remote secret (``spec.data[]``).

    Attributes:
        secret_key: ``secretKey``: the key in the target Secret. Required.
        remote_ref: ``remoteRef``: the remote secret; ``remoteRef.key`` is required. Required.
        source_ref: ``sourceRef``: read this entry from another store or a generator. Default:
            ``spec.secretStoreRef``. v1/v1beta1 only.
    """

    secret_key: SecretKey
    remote_ref: RemoteRef | None = None
    source_ref: SourceRef | None = served(V1, V1BETA1)

    @model_validator(mode="after")
    def _check_remote_key(self) -> Self:
        if self.remote_ref is None:
            raise ValueError(
                f"remoteRef: data entry {self.secret_key!r} has no remoteRef; "
                f"add remoteRef.key with the name of the secret in the store"
            )
        key = self.remote_ref.key
        if key is None:
            raise ValueError(
                f"remoteRef.key: data entry {self.secret_key!r} has no remote key (got None); "
                f"set remoteRef.key to the name of the secret in the store"
            )
        if not key.strip():
            raise ValueError(
                f"remoteRef.key: data entry {self.secret_key!r} has an empty remote key {key!r}; "
                f"set remoteRef.key to the name of the secret in the store"
            )
        return self


class FindName(K8sModel):
    """Match remote secrets by name (``find.name``).

    Attributes:
        regexp: ``regexp``: a regular expression (RE2) the secret names must match. Default: none.
    """

    regexp: str | None = None

    @model_validator(mode="after")
    def _check_regexp(self) -> Self:
        if self.regexp is not None:
            why = check_regexp(self.regexp)
            if why:
                raise ValueError(f"regexp: {self.regexp!r} is not a regular expression ({why}); fix the pattern")
        return self


class ExternalSecretFind(K8sModel):
    """Fetch every remote secret that matches (``dataFrom[].find``).

    Attributes:
        path: ``path`` prefix to search under. Default: the whole store.
        name: ``name.regexp``: a pattern for secret names. Default: none.
        tags: ``tags`` the secrets must carry. Default: none.
        conversion_strategy: ``conversionStrategy``. Default: ``Default``.
        decoding_strategy: ``decodingStrategy``. Default: ``None``.
        null_byte_policy: ``nullBytePolicy``. Default: ``Ignore``. v1 only.
    """

    path: str | None = None
    name: FindName | None = None
    tags: dict[str, str] | None = None
    conversion_strategy: Literal["Default", "Unicode"] | None = None
    decoding_strategy: Literal["Auto", "Base64", "Base64URL", "None"] | None = None
    null_byte_policy: Literal["Ignore", "Fail"] | None = served(V1)


class RewriteRegexp(K8sModel):
    """Rename keys with a regular expression (``rewrite[].regexp``).

    Attributes:
        source: ``source``: the pattern. Required.
        target: ``target``: the replacement (``$1`` for groups). Required.
    """

    source: str
    target: str

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        why = check_regexp(self.source)
        if why:
            raise ValueError(f"source: {self.source!r} is not a regular expression ({why}); fix the pattern")
        return self


class RewriteTransform(K8sModel):
    """Rename keys with a Go template (``rewrite[].transform``).

    Attributes:
        template: ``template``, applied to each key (``{{ .value | upper }}``). Required.
    """

    template: str


class RewriteMerge(K8sModel):
    """Merge the fetched JSON values into one map (``rewrite[].merge``, v1 only).

    Attributes:
        conflict_policy: ``conflictPolicy``: ``Ignore`` or ``Error``. Default: ``Error``.
        into: ``into``: the key to merge into. Default: the top level.
        priority: ``priority``: keys whose values win, in order. Default: none.
        priority_policy: ``priorityPolicy``: ``IgnoreNotFound`` or ``Strict``. Default: ``Strict``.
        strategy: ``strategy``: ``Extract`` or ``JSON``. Default: ``Extract``.
    """

    conflict_policy: Literal["Ignore", "Error"] | None = None
    into: str | None = None
    priority: list[str] | None = None
    priority_policy: Literal["IgnoreNotFound", "Strict"] | None = None
    strategy: Literal["Extract", "JSON"] | None = None


class Rewrite(K8sModel):
    """One rewrite step applied to the keys a ``dataFrom`` entry fetched; exactly one of the fields.

    Attributes:
        regexp: ``regexp``. Default: none.
        transform: ``transform``. Default: none.
        merge: ``merge``. Default: none. v1 only.
    """

    regexp: RewriteRegexp | None = None
    transform: RewriteTransform | None = None
    merge: RewriteMerge | None = served(V1)

    @model_validator(mode="after")
    def _check_one(self) -> Self:
        given = set_fields(self)
        if len(given) != 1:
            got = ", ".join(given) or "nothing"
            raise ValueError(f"a rewrite step sets {got}; set exactly one of regexp, transform or merge per step")
        return self


_FLAT = ("key", "property", "version", "conversion_strategy")
_STRUCTURED = ("extract", "find", "rewrite", "source_ref")
_FLAT_HINT = "move key, property and version under extract (dataFrom[].extract.key) for v1 and v1beta1"
_STRUCTURED_HINT = "v1alpha1 only knows the flat form (dataFrom[].key); use apiVersion external-secrets.io/v1"


class ExternalSecretDataFrom(K8sModel):
    """A source of many keys at once (``spec.dataFrom[]``).

    v1 and v1beta1 use exactly one of ``extract``, ``find`` or ``sourceRef.generatorRef``
    (``sourceRef.storeRef`` may accompany extract/find), with optional ``rewrite`` steps.
    v1alpha1 used a flat form (``key``, ``property``, ``version``, ``conversionStrategy``).

    Attributes:
        extract: ``extract``: every property of one JSON secret becomes a key. Default: none.
        find: ``find``: every secret that matches becomes a key. Default: none.
        rewrite: ``rewrite``: steps that rename the fetched keys. Default: none.
        source_ref: ``sourceRef``: another store or a generator. Default: ``spec.secretStoreRef``.
        key: ``key`` (v1alpha1 only). Default: none.
        property: ``property`` (v1alpha1 only). Default: none.
        version: ``version`` (v1alpha1 only). Default: none.
        conversion_strategy: ``conversionStrategy`` (v1alpha1 only). Default: ``Default``.
    """

    extract: RemoteRef | None = served(V1, V1BETA1, hint=_STRUCTURED_HINT)
    find: ExternalSecretFind | None = served(V1, V1BETA1, hint=_STRUCTURED_HINT)
    rewrite: list[Rewrite] | None = served(V1, V1BETA1, hint=_STRUCTURED_HINT)
    source_ref: SourceRef | None = served(V1, V1BETA1, hint=_STRUCTURED_HINT)
    key: str | None = served(V1ALPHA1, hint=_FLAT_HINT)
    property: str | None = served(V1ALPHA1, hint=_FLAT_HINT)
    version: str | None = served(V1ALPHA1, hint=_FLAT_HINT)
    conversion_strategy: Literal["Default", "Unicode"] | None = served(V1ALPHA1, hint=_FLAT_HINT)

    @builtins.property
    def generator_ref(self) -> GeneratorRef | None:
        return self.source_ref.generator_ref if self.source_ref is not None else None

    @builtins.property
    def is_flat(self) -> bool:
        """Whether the entry uses the v1alpha1 form."""
        return bool(set_fields(self, _FLAT))

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        flat, structured = set_fields(self, _FLAT), set_fields(self, _STRUCTURED)
        if flat and structured:
            raise ValueError(
                f"the entry mixes the v1alpha1 form ({', '.join(flat)}) with {', '.join(structured)}; "
                f"use extract.key (v1, v1beta1) or the flat key (v1alpha1), not both"
            )
        if flat:
            if not self.key:
                raise ValueError(f"key: {self.key!r} is not a remote key; set key to the name of the secret in the store")
            return self
        sources = set_fields(self, ("extract", "find")) + (["sourceRef.generatorRef"] if self.generator_ref else [])
        if not sources and self.source_ref is None:
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
        if self.extract is not None and not (self.extract.key or "").strip():
            raise ValueError(
                f"extract.key: {self.extract.key!r} is not a remote key; set extract.key to the name of the secret in the store"
            )
        return self


class TemplateRefItem(K8sModel):
    """One key of a ConfigMap or Secret used as a template (``templateFrom[].configMap.items[]``).

    Attributes:
        key: ``key`` in the ConfigMap or Secret. Required.
        template_as: ``templateAs``: ``Values`` or ``KeysAndValues``. Default: ``Values``. v1/v1beta1 only.
    """

    key: SecretKey
    template_as: Literal["Values", "KeysAndValues"] | None = served(V1, V1BETA1)


class TemplateRef(K8sModel):
    """A ConfigMap or Secret in the ExternalSecret's namespace that holds templates.

    Attributes:
        name: ``name``. Required.
        items: ``items``: the keys to use. Required.
    """

    name: ObjectName
    items: list[TemplateRefItem]


class TemplateFrom(K8sModel):
    """A template source (``target.template.templateFrom[]``).

    Attributes:
        config_map: ``configMap``. Default: none.
        secret: ``secret``. Default: none.
        literal: ``literal``: an inline template. Default: none. v1/v1beta1 only.
        target: ``target``: where the result goes: ``Data``, ``Annotations`` or ``Labels`` (a field path
            for custom targets, v1). Default: ``Data``. v1/v1beta1 only.
    """

    config_map: TemplateRef | None = None
    secret: TemplateRef | None = None
    literal: str | None = served(V1, V1BETA1)
    target: str | None = served(V1, V1BETA1)

    @model_validator(mode="after")
    def _check_source(self) -> Self:
        given = set_fields(self, ("config_map", "secret", "literal"))
        if not given:
            raise ValueError("a templateFrom entry sets none of configMap, secret or literal; set one of them")
        return self


class TemplateMetadata(K8sModel):
    """Labels and annotations of the generated Secret (``target.template.metadata``).

    Attributes:
        annotations: ``annotations``. Default: none.
        labels: ``labels``. Default: none.
        finalizers: ``finalizers``. Default: none. v1 only.
    """

    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None
    finalizers: list[str] | None = served(V1)


class ExternalSecretTemplate(K8sModel):
    """How the target Secret is shaped from the fetched values (``target.template``).

    Attributes:
        type: ``type`` of the Secret (``Opaque``, ``kubernetes.io/tls``, ``kubernetes.io/dockerconfigjson``...).
            Default: ``Opaque``.
        engine_version: ``engineVersion``: ``v2`` (``v1`` only in v1alpha1). Default: ``v2`` (v1alpha1: ``v1``).
        data: ``data``: Go templates by key. Default: none.
        template_from: ``templateFrom``: templates kept in ConfigMaps/Secrets or inline. Default: none.
        metadata: ``metadata``: labels and annotations of the Secret. Default: none.
        merge_policy: ``mergePolicy``: ``Replace`` or ``Merge`` (template keys with fetched keys).
            Default: ``Replace``. v1/v1beta1 only.
    """

    type: str | None = None
    engine_version: Literal["v1", "v2"] | None = None
    data: dict[str, str] | None = None
    template_from: list[TemplateFrom] | None = None
    metadata: TemplateMetadata | None = None
    merge_policy: Literal["Replace", "Merge"] | None = served(V1, V1BETA1)


class TargetManifest(K8sModel):
    """A kind other than Secret for the controller to write (``target.manifest``, v1 only).

    Attributes:
        api_version: ``apiVersion`` of the object to create. Required.
        kind: ``kind`` of the object to create. Required.
    """

    api_version: str = Field(alias="apiVersion", min_length=1)
    kind: str = Field(min_length=1)


class ExternalSecretTarget(K8sModel):
    """The Kubernetes Secret the controller writes (``spec.target``).

    Attributes:
        name: ``name`` of the Secret. Default: the ExternalSecret's name.
        creation_policy: ``creationPolicy``: ``Owner`` (create and own it), ``Orphan`` (create, never delete),
            ``Merge`` (add keys to an existing Secret), ``None`` (write nothing). Default: ``Owner``.
        deletion_policy: ``deletionPolicy``: what happens when the remote secret disappears: ``Retain``,
            ``Delete`` or ``Merge``. Default: ``Retain``. v1/v1beta1 only.
        template: ``template``. Default: none (keys are written as fetched).
        immutable: ``immutable``: make the Secret immutable. Default: false.
        manifest: ``manifest``: write another kind instead of a Secret. Default: none (a Secret). v1 only.
    """

    name: ObjectName | None = None
    creation_policy: Literal["Owner", "Orphan", "Merge", "None"] | None = None
    deletion_policy: Literal["Delete", "Merge", "Retain"] | None = served(V1, V1BETA1)
    template: ExternalSecretTemplate | None = None
    immutable: bool | None = None
    manifest: TargetManifest | None = served(V1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        found = Issues()
        creation = self.creation_policy or "Owner"
        deletion = self.deletion_policy or "Retain"
        if deletion == "Delete" and creation in ("Merge", "None"):
            found.add(("deletionPolicy",),
                      f"deletionPolicy 'Delete' with creationPolicy {creation!r} would delete a Secret the controller "
                      f"does not own; use creationPolicy 'Owner' or another deletionPolicy", self.deletion_policy)
        if deletion == "Merge" and creation == "None":
            found.add(("deletionPolicy",),
                      "deletionPolicy 'Merge' with creationPolicy 'None' has no Secret to merge into; "
                      "use creationPolicy 'Merge' or 'Owner'", self.deletion_policy)
        template = self.template
        if self.manifest is None and template is not None:
            for i, source in enumerate(template.template_from or ()):
                if source.target is not None and source.target not in _SECRET_TEMPLATE_TARGETS:
                    found.add(("template", "templateFrom", i, "target"),
                              f"{source.target!r} is not a place in a Secret; use one of {', '.join(_SECRET_TEMPLATE_TARGETS)} "
                              f"(field paths need target.manifest)", source.target)
        found.raise_any("ExternalSecretTarget")
        return self


class ExternalSecretSpec(K8sModel):
    """``spec`` of an ExternalSecret (and ``spec.externalSecretSpec`` of a ClusterExternalSecret).

    Attributes:
        secret_store_ref: ``secretStoreRef``: the store to read from. Required unless every entry has its own
            ``sourceRef`` (a generator or another store).
        target: ``target``: the Secret to write. Default: a Secret named like the ExternalSecret, owned by it.
        refresh_interval: ``refreshInterval``: how often to re-read the store, a Go duration (``1h``, ``15m``;
            ``0`` reads once). Default: ``1h`` (``1h0m0s``).
        refresh_policy: ``refreshPolicy``: ``Periodic``, ``OnChange`` or ``CreatedOnce``. Default: ``Periodic``.
            v1/v1beta1 only.
        data: ``data``: single keys. Default: none.
        data_from: ``dataFrom``: many keys at once. Default: none. ``data`` or ``dataFrom`` must be non-empty.
    """

    secret_store_ref: SecretStoreRef | None = None
    target: ExternalSecretTarget | None = None
    refresh_interval: Duration | None = None
    refresh_policy: Literal["CreatedOnce", "Periodic", "OnChange"] | None = served(V1, V1BETA1)
    data: list[ExternalSecretData] | None = None
    data_from: list[ExternalSecretDataFrom] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        found = Issues()
        if not self.data and not self.data_from:
            got = format_value(self.data if self.data is not None else self.data_from)
            found.add(("data",), f"neither data nor dataFrom lists anything to fetch (got {got}); "
                                 f"add data entries (secretKey and remoteRef.key) or a dataFrom entry", self.data)
        if self.secret_store_ref is None:
            for loc, what in self._entries_without_source():
                found.add(("secretStoreRef",),
                          f"secretStoreRef is not set, but {loc} ({what}) reads from a store; set secretStoreRef "
                          f"to the SecretStore or ClusterSecretStore that holds it, or give the entry a sourceRef", None)
                break
        deletion = self.target.deletion_policy if self.target is not None else None
        if deletion in (None, "Retain"):
            seen: dict[str, int] = {}
            for i, entry in enumerate(self.data or ()):
                if entry.secret_key in seen:
                    found.add(("data", i, "secretKey"),
                              f"{entry.secret_key!r} is already written by data[{seen[entry.secret_key]}]; "
                              f"give each data entry its own secretKey", entry.secret_key)
                else:
                    seen[entry.secret_key] = i
        found.raise_any("ExternalSecretSpec")
        return self

    def _entries_without_source(self) -> list[tuple[str, str]]:
        out = []
        for i, entry in enumerate(self.data or ()):
            if entry.source_ref is None:
                out.append((f"data[{i}]", f"secretKey {entry.secret_key!r}"))
        for i, source in enumerate(self.data_from or ()):
            if source.source_ref is None:
                key = source.key or (source.extract.key if source.extract else None)
                out.append((f"dataFrom[{i}]", f"key {key!r}" if key else "find"))
        return out

    def store_refs(self) -> list[SecretStoreRef]:
        """Every store this spec reads from: ``secretStoreRef`` and each entry's ``sourceRef.storeRef``."""
        refs: list[SecretStoreRef] = []
        if self.secret_store_ref is not None and (self._entries_without_source() or not (self.data or self.data_from)):
            refs.append(self.secret_store_ref)
        for entry in list(self.data or ()) + list(self.data_from or ()):
            if entry.source_ref is not None and entry.source_ref.store_ref is not None:
                refs.append(entry.source_ref.store_ref)
        return refs

    def generator_refs(self) -> list[GeneratorRef]:
        """Every generator this spec reads from."""
        return [e.source_ref.generator_ref for e in list(self.data or ()) + list(self.data_from or ())
                if e.source_ref is not None and e.source_ref.generator_ref is not None]


def _spec_version_findings(spec: ExternalSecretSpec, version: str, prefix: tuple[str | int, ...], found: Issues) -> None:
    """Enumerated values that only some versions accept, and v1alpha1's required fields."""
    target = spec.target
    template = target.template if target is not None else None
    if template is not None and template.engine_version == "v1" and version != V1ALPHA1:
        found.add((*prefix, "target", "template", "engineVersion"),
                  f"'v1' is not served in {version} (template engine v1 was removed after v1alpha1); "
                  f"use 'v2' and write templates with the v2 functions", "v1")
    if target is not None and target.creation_policy == "Orphan" and version == V1ALPHA1:
        found.add((*prefix, "target", "creationPolicy"),
                  "'Orphan' is not served in v1alpha1; use apiVersion external-secrets.io/v1 or another creationPolicy", "Orphan")
    if version == V1ALPHA1:
        if spec.secret_store_ref is None:
            found.add((*prefix, "secretStoreRef"), "v1alpha1 requires secretStoreRef (got None); set it", None)
        if spec.target is None:
            found.add((*prefix, "target"), "v1alpha1 requires target (got None); set target.name", None)


class ExternalSecret(ExternalSecretsResource):
    """An ``external-secrets.io`` ExternalSecret: a Secret filled from a secret store.

    Attributes:
        spec: ``spec``; see :class:`ExternalSecretSpec`. Required.
        status: ``status``, written by the controller; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ExternalSecret"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/{V1}", f"{GROUP}/{V1BETA1}", f"{GROUP}/{V1ALPHA1}")

    spec: ExternalSecretSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_version_values(self) -> Self:
        found = Issues()
        _spec_version_findings(self.spec, self.version, ("spec",), found)
        found.raise_any(self.KIND)
        return self

    @property
    def target_secret_name(self) -> str:
        """The name of the Secret the controller writes (``target.name``, else the object's name)."""
        target = self.spec.target
        return (target.name if target is not None else None) or self.name

    def store_refs(self) -> list[SecretStoreRef]:
        """Every store this ExternalSecret reads from (for cross-object checks)."""
        return self.spec.store_refs()


class ExternalSecretMetadata(K8sModel):
    """Labels and annotations for every ExternalSecret a ClusterExternalSecret creates.

    Attributes:
        annotations: ``annotations``. Default: none.
        labels: ``labels``. Default: none.
    """

    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class ClusterExternalSecretSpec(K8sModel):
    """``spec`` of a ClusterExternalSecret.

    Attributes:
        external_secret_spec: ``externalSecretSpec``: the spec of every ExternalSecret it creates. Required.
        external_secret_name: ``externalSecretName``: their name. Default: the ClusterExternalSecret's name.
        external_secret_metadata: ``externalSecretMetadata``: their labels and annotations. Default: none.
        namespace_selectors: ``namespaceSelectors``: namespaces matching any selector get one. Default: none.
        namespace_selector: ``namespaceSelector`` (deprecated upstream; use namespaceSelectors). Default: none.
        namespaces: ``namespaces``: namespaces by name (deprecated upstream). Default: none.
        refresh_time: ``refreshTime``: how often the namespace list is re-evaluated, a Go duration.
            Default: the controller's requeue interval.
    """

    external_secret_spec: ExternalSecretSpec
    external_secret_name: ObjectName | None = None
    external_secret_metadata: ExternalSecretMetadata | None = None
    namespace_selectors: list[LabelSelector] | None = None
    namespace_selector: LabelSelector | None = None
    namespaces: list[NamespaceName] | None = None
    refresh_time: Duration | None = None

    @model_validator(mode="after")
    def _check_selection(self) -> Self:
        if not self.namespace_selectors and self.namespace_selector is None and not self.namespaces:
            raise ValueError(
                "namespaceSelectors: no namespace is selected (namespaceSelectors, namespaceSelector and namespaces are "
                "all empty), so no ExternalSecret would be created; add a namespaceSelectors entry such as "
                "{matchLabels: {team: payments}}"
            )
        return self


class ClusterExternalSecret(ExternalSecretsResource):
    """An ``external-secrets.io`` ClusterExternalSecret (cluster-scoped): one ExternalSecret per selected namespace.

    Attributes:
        spec: ``spec``; see :class:`ClusterExternalSecretSpec`. Required.
        status: ``status``, written by the controller; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ClusterExternalSecret"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/{V1}", f"{GROUP}/{V1BETA1}")
    NAMESPACED: ClassVar[bool] = False

    spec: ClusterExternalSecretSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_version_values(self) -> Self:
        found = Issues()
        _spec_version_findings(self.spec.external_secret_spec, self.version, ("spec", "externalSecretSpec"), found)
        found.raise_any(self.KIND)
        return self

    def store_refs(self) -> list[SecretStoreRef]:
        """Every store the created ExternalSecrets read from."""
        return self.spec.external_secret_spec.store_refs()
