"""Kong Ingress Controller plugins (configuration.konghq.com ``v1``): KongPlugin and KongClusterPlugin.

A plugin object configures one Kong plugin (``plugin: rate-limiting`` with its ``config``).
It does nothing until something refers to it: an HTTPRoute, GRPCRoute, Ingress, Service or
KongConsumer lists the plugin names in its ``konghq.com/plugins`` annotation
(comma-separated). :func:`attach_kong_plugins` writes that annotation::

    limit = KongPlugin.build(metadata={"name": "rate-limit"}, plugin="rate-limiting",
                             config={"minute": 60, "policy": "local"})
    route = HTTPRoute.build(metadata=attach_kong_plugins({"name": "checkout"}, limit), spec={...})

A KongPlugin is namespaced and can be used by objects in its own namespace (from other
namespaces with ``<namespace>:<name>`` and a ReferenceGrant in the plugin's namespace);
a KongClusterPlugin is cluster-scoped and can be used from every namespace.

``config`` is plugin-specific and kept as given (each Kong plugin has its own schema).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal, Self, TypeVar, overload

from pydantic import AfterValidator, Field, model_validator

from ..core.errors import ManifestError, Problem
from ..core.model import K8sModel, ObjectMeta, Resource, check_name, validate_model

__all__ = [
    "PLUGINS_ANNOTATION",
    "ConfigPatch",
    "ConfigSource",
    "KongClusterPlugin",
    "KongPlugin",
    "NamespacedConfigPatch",
    "NamespacedConfigSource",
    "NamespacedSecretValueFromSource",
    "PluginOrdering",
    "SecretValueFromSource",
    "attach_kong_plugins",
    "kong_plugin_names",
]

GROUP = "configuration.konghq.com"
PLUGINS_ANNOTATION = "konghq.com/plugins"
"""The annotation that attaches plugins to a route, Ingress, Service or KongConsumer: ``"a,b,ns:c"``."""

_PLUGIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _plugin(value: str) -> str:
    if not _PLUGIN_NAME.match(value):
        raise ValueError(f"plugin {value!r} is not a Kong plugin name (letters, digits, '-' and '_'); "
                         f"use a plugin name such as 'rate-limiting' or 'key-auth'")
    return value


def _patch_path(value: str) -> str:
    if not value.startswith("/"):
        raise ValueError(f"path {value!r} is not a JSON pointer; write it as '/<key>' such as '/password'")
    return value


class SecretValueFromSource(K8sModel):
    """``secretKeyRef`` of a KongPlugin: a key of a Secret in the plugin's namespace.

    Attributes:
        name: ``name``: the Secret. Required.
        key: ``key``: the key inside it. Required.
    """

    name: str
    key: str


class NamespacedSecretValueFromSource(K8sModel):
    """``secretKeyRef`` of a KongClusterPlugin: a key of a Secret in a named namespace.

    Attributes:
        namespace: ``namespace``: where the Secret lives. Required.
        name: ``name``: the Secret. Required.
        key: ``key``: the key inside it. Required.
    """

    namespace: str
    name: str
    key: str


class ConfigSource(K8sModel):
    """``configFrom`` of a KongPlugin: the whole ``config`` read from a Secret (JSON or YAML).

    Attributes:
        secret_key_ref: ``secretKeyRef``: see :class:`SecretValueFromSource`. Required.
    """

    secret_key_ref: SecretValueFromSource


class NamespacedConfigSource(K8sModel):
    """``configFrom`` of a KongClusterPlugin.

    Attributes:
        secret_key_ref: ``secretKeyRef``: see :class:`NamespacedSecretValueFromSource`. Required.
    """

    secret_key_ref: NamespacedSecretValueFromSource


class ConfigPatch(K8sModel):
    """``configPatches[]`` of a KongPlugin: one value of ``config`` read from a Secret.

    Attributes:
        path: ``path``: JSON pointer into ``config`` (``/password``). Required.
        value_from: ``valueFrom``: see :class:`ConfigSource`. Required.
    """

    path: Annotated[str, AfterValidator(_patch_path)]
    value_from: ConfigSource


class NamespacedConfigPatch(K8sModel):
    """``configPatches[]`` of a KongClusterPlugin.

    Attributes:
        path: ``path``: JSON pointer into ``config``. Required.
        value_from: ``valueFrom``: see :class:`NamespacedConfigSource`. Required.
    """

    path: Annotated[str, AfterValidator(_patch_path)]
    value_from: NamespacedConfigSource


class PluginOrdering(K8sModel):
    """``ordering`` (Kong Enterprise): run this plugin before or after others, per phase.

    Attributes:
        before: ``before``: phase (``access``) -> plugin names this one runs before. Default: none.
        after: ``after``: phase -> plugin names this one runs after. Default: none.
    """

    before: dict[str, list[str]] | None = None
    after: dict[str, list[str]] | None = None


_Protocol = Literal["http", "https", "grpc", "grpcs", "tcp", "tls", "udp"]


class _PluginBase(Resource):
    """Fields shared by KongPlugin and KongClusterPlugin (the plugin fields sit at the top level, no spec)."""

    plugin: Annotated[str, AfterValidator(_plugin)]
    config: dict[str, Any] | None = None
    disabled: bool | None = None
    instance_name: str | None = Field(default=None, alias="instance_name")
    ordering: PluginOrdering | None = None
    protocols: list[_Protocol] | None = None
    run_on: Literal["first", "second", "all"] | None = Field(default=None, alias="run_on")
    consumer_ref: str | None = None
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_sources(self) -> Self:
        config_from = getattr(self, "config_from", None)
        config_patches = getattr(self, "config_patches", None)
        if self.config is not None and config_from is not None:
            raise ValueError("configFrom: is set together with config; use config or configFrom, not both "
                             "(configPatches can add secret values to config)")
        if config_from is not None and config_patches is not None:
            raise ValueError("configPatches: is set together with configFrom; use configFrom or configPatches, not both")
        if self.protocols is not None and len(set(self.protocols)) != len(self.protocols):
            twice = next(p for p in self.protocols if self.protocols.count(p) > 1)
            raise ValueError(f"protocols: {twice!r} is listed more than once; list each protocol once")
        return self


class KongPlugin(_PluginBase):
    """A KongPlugin (``configuration.konghq.com/v1``): one plugin's configuration, namespaced.

    Attributes:
        plugin: ``plugin``: the Kong plugin (``rate-limiting``, ``key-auth``, ``cors``...); immutable. Required.
        config: ``config``: the plugin's settings, kept as given (plugin-specific). Default: the plugin's defaults.
        config_from: ``configFrom``: read ``config`` from a Secret instead; see :class:`ConfigSource`.
            Not with ``config`` or ``configPatches``. Default: none.
        config_patches: ``configPatches``: values of ``config`` read from Secrets; see :class:`ConfigPatch`.
            Default: none.
        disabled: ``disabled``: keep the plugin configured but off. Default: false.
        instance_name: ``instance_name``: the plugin instance's name in Kong. Default: generated by Kong.
        ordering: ``ordering``: see :class:`PluginOrdering` (Kong Enterprise). Default: Kong's static order.
        protocols: ``protocols``: ``http``, ``https``, ``grpc``, ``grpcs``, ``tcp``, ``tls``, ``udp``,
            each once. Default: every protocol the plugin supports.
        run_on: ``run_on``: ``first``, ``second`` or ``all`` (deprecated service-mesh setting). Default: none.
        consumer_ref: ``consumerRef``: deprecated; attach through the KongConsumer's annotation instead.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "KongPlugin"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    config_from: ConfigSource | None = None
    config_patches: list[ConfigPatch] | None = None


class KongClusterPlugin(_PluginBase):
    """A KongClusterPlugin (``configuration.konghq.com/v1``): a cluster-scoped plugin configuration.

    Attributes:
        plugin: ``plugin``: the Kong plugin name; immutable. Required.
        config: ``config``: the plugin's settings, kept as given. Default: the plugin's defaults.
        config_from: ``configFrom``: see :class:`NamespacedConfigSource` (the Secret's namespace is
            required). Not with ``config`` or ``configPatches``. Default: none.
        config_patches: ``configPatches``: see :class:`NamespacedConfigPatch`. Default: none.
        disabled: ``disabled``. Default: false.
        instance_name: ``instance_name``. Default: generated by Kong.
        ordering: ``ordering``: see :class:`PluginOrdering`. Default: Kong's static order.
        protocols: ``protocols``: each once. Default: every protocol the plugin supports.
        run_on: ``run_on``: deprecated. Default: none.
        consumer_ref: ``consumerRef``: deprecated. Default: none.
        status: ``status``: kept as given. Default: none.
    """

    KIND: ClassVar[str] = "KongClusterPlugin"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)
    NAMESPACED: ClassVar[bool] = False

    config_from: NamespacedConfigSource | None = None
    config_patches: list[NamespacedConfigPatch] | None = None


# -- the konghq.com/plugins annotation --------------------------------------------------------
def kong_plugin_names(target: ObjectMeta | Resource | Mapping[str, Any]) -> list[str]:
    """The plugin references in ``target``'s ``konghq.com/plugins`` annotation (``[]`` when absent).

    ``target`` is a typed object, its metadata, a metadata mapping or an annotations mapping.
    """
    annotations = _annotations_of(target)
    value = annotations.get(PLUGINS_ANNOTATION, "")
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _annotations_of(target: ObjectMeta | Resource | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(target, Resource):
        return target.metadata.annotations or {}
    if isinstance(target, ObjectMeta):
        return target.annotations or {}
    if "annotations" in target or "name" in target or "namespace" in target or "labels" in target:
        return target.get("annotations") or {}
    return target


def _reference(plugin: str | KongPlugin | KongClusterPlugin, target_namespace: str | None) -> str:
    if isinstance(plugin, KongClusterPlugin):
        ref = plugin.name
    elif isinstance(plugin, KongPlugin):
        ref = plugin.name
        if plugin.namespace and target_namespace and plugin.namespace != target_namespace:
            ref = f"{plugin.namespace}:{plugin.name}"
    elif isinstance(plugin, str):
        ref = plugin.strip()
    else:
        raise TypeError(f"attach_kong_plugins: {plugin!r} is not a plugin name, KongPlugin or KongClusterPlugin")
    namespace, _, name = ref.rpartition(":")
    if not name or check_name(name, "subdomain") or (namespace and check_name(namespace, "label")):
        raise ManifestError(Problem(
            "attach_kong_plugins", f"metadata.annotations.{PLUGINS_ANNOTATION}",
            f"{ref!r} is not a plugin reference",
            "use the KongPlugin's name ('rate-limit'), or '<namespace>:<name>' for a KongPlugin in another namespace",
        ))
    return ref


T = TypeVar("T", bound=Resource)


@overload
def attach_kong_plugins(target: T, *plugins: str | KongPlugin | KongClusterPlugin) -> T: ...
@overload
def attach_kong_plugins(target: ObjectMeta, *plugins: str | KongPlugin | KongClusterPlugin) -> ObjectMeta: ...
@overload
def attach_kong_plugins(target: Mapping[str, Any], *plugins: str | KongPlugin | KongClusterPlugin) -> dict[str, Any]: ...


def attach_kong_plugins(target: Any, *plugins: str | KongPlugin | KongClusterPlugin) -> Any:
    """Return ``target`` with ``plugins`` added to its ``konghq.com/plugins`` annotation.

    Args:
        target: what to annotate; the same kind of value is returned (nothing is changed in place):

            - a typed object (an HTTPRoute, a Service...): a copy with the annotation in its metadata;
            - an :class:`~cdk8s_gitops.core.model.ObjectMeta`: a copy with the annotation;
            - a metadata mapping (has ``name``, ``namespace``, ``labels`` or ``annotations``): a new
              mapping with ``annotations`` updated, ready for ``Model.build(metadata=...)``;
            - an annotations mapping: a new mapping with the annotation set.
        plugins: plugin names, or KongPlugin / KongClusterPlugin objects. A KongPlugin in another
            namespace than the target is written ``<namespace>:<name>`` (Kong then needs a
            ReferenceGrant in the plugin's namespace, from the target's kind and namespace).

    Plugins already in the annotation are kept, in order; new ones are appended once.
    """
    if not plugins:
        raise ValueError("attach_kong_plugins: no plugins given; pass plugin names or KongPlugin objects")
    if isinstance(target, (Resource, ObjectMeta)):
        namespace = target.namespace
    elif isinstance(target, Mapping):
        namespace = target.get("namespace") if isinstance(target.get("namespace"), str) else None
    else:
        raise TypeError(f"attach_kong_plugins: cannot annotate a {type(target).__name__}; "
                        f"pass a typed object, its metadata, a metadata dict or an annotations dict")
    names = kong_plugin_names(target)
    for plugin in plugins:
        ref = _reference(plugin, namespace)
        if ref not in names:
            names.append(ref)
    value = ",".join(names)

    if isinstance(target, Resource):
        return _with_annotation(target, value)
    if isinstance(target, ObjectMeta):
        return _meta_with_annotation(target, value)
    if "annotations" in target or "name" in target or "namespace" in target or "labels" in target:
        return {**target, "annotations": {**(target.get("annotations") or {}), PLUGINS_ANNOTATION: value}}
    return {**target, PLUGINS_ANNOTATION: value}


def _meta_with_annotation(meta: ObjectMeta, value: str) -> ObjectMeta:
    annotations = {**(meta.annotations or {}), PLUGINS_ANNOTATION: value}
    data = meta.model_dump(by_alias=True, exclude_unset=True)
    data["annotations"] = annotations
    return validate_model(ObjectMeta, data)


def _with_annotation(resource: T, value: str) -> T:
    manifest = resource.to_manifest()
    metadata = dict(manifest.get("metadata") or {})
    metadata["annotations"] = {**(metadata.get("annotations") or {}), PLUGINS_ANNOTATION: value}
    manifest["metadata"] = metadata
    return type(resource).from_manifest(manifest)
