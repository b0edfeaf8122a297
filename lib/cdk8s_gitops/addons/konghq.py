"""Kong Ingress Controller plugins (configuration.konghq.com ``v1``): KongPlugin and KongClusterPlugin.

A plugin object configures one Kong plugin (``plugin: rate-limiting`` with its ``config``).
It does nothing until something refers to it: an HTTPRoute, GRPCRoute, Ingress, Service or
KongConsumer lists the plugin names in its ``konghq.com/plugins`` annotation
(comma-separated). :func:`attach_kong_plugins` writes that annotation::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.konghq import KongPlugin, attach_kong_plugins
    from cdk8s_gitops.gateway import HTTPBackendRef, HTTPRoute, HTTPRouteRule, HTTPRouteSpec, ParentReference

    limit = KongPlugin(metadata=ObjectMeta(name="rate-limit"), plugin="rate-limiting",
                       config={"minute": 60, "policy": "local"})  # each plugin's own settings: free-form upstream
    route = attach_kong_plugins(HTTPRoute(
        metadata=ObjectMeta(name="checkout"),
        spec=HTTPRouteSpec(parent_refs=[ParentReference(name="kong")],
                           rules=[HTTPRouteRule(backend_refs=[HTTPBackendRef(name="checkout", port=8080)])]),
    ), limit)

A KongPlugin is namespaced and can be used by objects in its own namespace (from other
namespaces with ``<namespace>:<name>`` and a ReferenceGrant in the plugin's namespace);
a KongClusterPlugin is cluster-scoped and can be used from every namespace.

``config`` is plugin-specific and kept as given (each Kong plugin has its own schema).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar, overload

from ..core.errors import ManifestError, Problem
from ..core.model import ObjectMeta, Resource, check_name, validate_model
from ..core.schema import semantic_check
from ..models.configuration_konghq_com_v1 import (
    KongClusterPlugin,
    KongClusterPluginConfigPatches,
    KongPlugin,
    KongPluginConfigPatches,
)

__all__ = [
    "PLUGINS_ANNOTATION",
    "KongClusterPlugin",
    "KongPlugin",
    "attach_kong_plugins",
    "kong_plugin_names",
]

GROUP = "configuration.konghq.com"
PLUGINS_ANNOTATION = "konghq.com/plugins"
"""The annotation that attaches plugins to a route, Ingress, Service or KongConsumer: ``"a,b,ns:c"``."""

_PLUGIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


# -- semantic checks ----------------------------------------------------------------------------
@semantic_check(KongPlugin, KongClusterPlugin)
def _plugin(plugin: KongPlugin | KongClusterPlugin) -> None:
    # The CRD's rules refuse the two combinations too; these messages name the field and the fix.
    if plugin.config is not None and plugin.config_from is not None:
        raise ValueError("configFrom: is set together with config; use config or configFrom, not both "
                         "(configPatches can add secret values to config)")
    if plugin.config_from is not None and plugin.config_patches is not None:
        raise ValueError("configPatches: is set together with configFrom; use configFrom or configPatches, not both")
    if not _PLUGIN_NAME.match(plugin.plugin):
        raise ValueError(f"plugin: {plugin.plugin!r} is not a Kong plugin name (letters, digits, '-' and '_'); "
                         f"use a plugin name such as 'rate-limiting' or 'key-auth'")
    if plugin.protocols is not None and len(set(plugin.protocols)) != len(plugin.protocols):
        twice = next(p for p in plugin.protocols if plugin.protocols.count(p) > 1)
        raise ValueError(f"protocols: {twice!r} is listed more than once; list each protocol once")


@semantic_check(KongPluginConfigPatches, KongClusterPluginConfigPatches)
def _patch_path(patch: KongPluginConfigPatches | KongClusterPluginConfigPatches) -> None:
    if not patch.path.startswith("/"):
        raise ValueError(f"path: {patch.path!r} is not a JSON pointer; write it as '/<key>' such as '/password'")


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
              mapping with ``annotations`` updated (for a manifest handled as a dict);
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
