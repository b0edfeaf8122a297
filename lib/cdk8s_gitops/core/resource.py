"""TypedResource: one typed model becomes exactly one cdk8s ``ApiObject``.

Speed: each call across the Python/Node bridge (jsii) costs about a millisecond, more
than building and validating the object in Python. So a TypedResource inside a
:class:`~cdk8s_gitops.core.chart.GitOpsChart` creates its ``ApiObject`` *lazily*:

- ``cdk8s-gitops synth`` reads the manifest straight from the pydantic model; the
  object never crosses the bridge (zero jsii calls per object).
- ``cdk8s synth`` / ``App.synth()`` / ``App.synth_yaml()`` ask the chart for its JSON;
  :meth:`GitOpsChart.to_json` answers with the typed manifests (one call per chart).
- Anything that needs the cdk8s object itself (:attr:`TypedResource.api_object`,
  :attr:`TypedResource.node`, dependencies, aspects) creates it on first use: exactly
  one ``ApiObject``, with the explicit name, whose JSON is this model's manifest.

Outside a GitOpsChart (a plain cdk8s ``Chart``), the ``ApiObject`` is created at once.

Escape hatch: fields not modelled yet are added with :meth:`TypedResource.add_override`
(a dotted path and a value) or :meth:`TypedResource.add_patch` (RFC 6902 operations),
applied to the manifest at synth. ``add_json_patch`` with cdk8s ``JsonPatch`` objects
works too.
"""

from __future__ import annotations

import copy
from typing import Any

import cdk8s
import constructs
import jsonpatch

from .chart import ChartApiObject, GitOpsChart, chart_of
from .errors import ManifestError, Problem
from .labels import merge_labels
from .lazy import construct_path
from .model import Resource
from .ordering import DEFAULT_SYNC_WAVES, SYNC_WAVE, with_default_sync_wave

__all__ = ["DEFAULT_SYNC_WAVES", "SYNC_WAVE", "TypedApiObject", "TypedResource", "with_default_sync_wave"]


class TypedApiObject(ChartApiObject):
    """The cdk8s ``ApiObject`` of a :class:`TypedResource`; its JSON is the typed manifest."""

    def __init__(self, scope: constructs.Construct, id: str, typed: TypedResource) -> None:
        model = typed.resource
        super().__init__(scope, id, api_version=model.api_version, kind=model.kind,
                         metadata=cdk8s.ApiObjectMetadata(name=model.metadata.name, namespace=model.metadata.namespace))
        self._typed = typed

    @property
    def typed(self) -> TypedResource:
        """The typed resource this object stands for."""
        return self._typed

    def to_json(self) -> Any:
        """Called by cdk8s when it synthesizes: the typed resource's manifest."""
        return self._typed.to_manifest()

    def add_json_patch(self, *ops: cdk8s.JsonPatch) -> None:
        """Patches are kept by the typed resource, so both synth paths apply them."""
        self._typed.add_json_patch(*ops)


class TypedResource:
    """A typed :class:`~cdk8s_gitops.core.model.Resource` placed in a chart as one cdk8s ``ApiObject``.

    Args:
        scope: parent construct (a :class:`GitOpsChart` or anything inside one).
        resource: the typed model; ``metadata.name`` is required (explicit, stable names).
        id: construct id. Default: ``<Kind>-<name>`` (``<Kind>-<namespace>-<name>`` with a namespace).
        sync_wave: Argo CD sync wave (``argocd.argoproj.io/sync-wave``). Default: none (wave 0).

    The chart adds its standard labels (under the object's own) and its namespace to
    namespaced objects that set none. Two objects with the same kind, namespace and
    name in one chart are refused.
    """

    def __init__(
        self,
        scope: constructs.Construct,
        resource: Resource,
        *,
        id: str | None = None,
        sync_wave: int | None = None,
    ) -> None:
        if not isinstance(resource, Resource) or not resource.KIND:
            raise TypeError(f"TypedResource needs a typed model such as Deployment(...), got {type(resource).__name__}")
        if not resource.metadata.name:
            raise ManifestError(Problem(resource.describe(), "metadata.name", "is not set",
                                        "give every object an explicit name (no generated names in dist/)"))
        chart = chart_of(scope)
        resource = _apply_chart_defaults(resource, chart, sync_wave)
        meta = resource.metadata
        self._resource = resource
        self._scope = scope
        self._id = id or (f"{resource.kind}-{meta.namespace}-{meta.name}" if meta.namespace else f"{resource.kind}-{meta.name}")
        self._gitops_chart = chart
        self._api_object: TypedApiObject | None = None
        self._overrides: list[tuple[str, Any]] = []
        self._patches: list[dict[str, Any]] = []
        self._cdk8s_patches: list[cdk8s.JsonPatch] = []
        if chart is not None:
            chart.claim(resource)
            chart.register(self)
        else:  # a plain cdk8s chart knows nothing of us: be a real ApiObject at once
            self.api_object  # noqa: B018 - materialize

    # -- the model ---------------------------------------------------------------------
    @property
    def resource(self) -> Resource:
        """The typed model of this object (frozen; build a new one with ``model_copy``)."""
        return self._resource

    @property
    def name(self) -> str:
        """``metadata.name``."""
        return self._resource.name

    @property
    def namespace(self) -> str | None:
        """``metadata.namespace`` (after the chart's default)."""
        return self._resource.namespace

    @property
    def kind(self) -> str:
        return self._resource.kind

    @property
    def api_version(self) -> str:
        return self._resource.api_version

    # -- the cdk8s side ----------------------------------------------------------------
    @property
    def api_object(self) -> TypedApiObject:
        """The cdk8s ``ApiObject`` (created on first use; exactly one per resource)."""
        if self._api_object is None:
            self._api_object = TypedApiObject(self._scope, self._id, self)
        return self._api_object

    @property
    def node(self) -> constructs.Node:
        """The construct node of :attr:`api_object` (for dependencies, metadata, validations)."""
        return self.api_object.node

    @property
    def materialized(self) -> bool:
        """Whether the cdk8s ``ApiObject`` exists yet."""
        return self._api_object is not None

    @property
    def scope(self) -> Any:
        """The construct this resource was added to (for checks that ask who made an object)."""
        return self._scope

    def construct_path(self) -> str:
        """The construct path, for error messages (crosses the bridge once)."""
        if self._api_object is not None:
            return construct_path(self._api_object)
        parent = construct_path(self._scope)
        return f"{parent}/{self._id}" if parent else self._id

    # -- escape hatch ------------------------------------------------------------------
    def add_override(self, path: str, value: Any) -> None:
        """Set ``path`` (dots between keys, ``spec.template.spec.hostNetwork``) to ``value``.

        Missing mappings on the way are created; ``None`` as value deletes the key. Use it
        for fields the typed model does not have yet; the value is written as given.
        """
        if not path or path.startswith(".") or path.endswith(".") or ".." in path:
            raise ValueError(f"add_override: invalid path {path!r}; use dotted keys such as 'spec.paused'")
        self._overrides.append((path, copy.deepcopy(value)))

    def add_patch(self, *operations: dict[str, Any]) -> None:
        """Apply RFC 6902 JSON patch operations (``{"op": "add", "path": "/spec/x", "value": 1}``) at synth."""
        for op in operations:
            if not isinstance(op, dict) or "op" not in op or "path" not in op:
                raise ValueError(f"add_patch: {op!r} is not a JSON patch operation; use {{'op': 'add', 'path': '/spec/x', 'value': ...}}")
        self._patches.extend(copy.deepcopy(list(operations)))

    def add_json_patch(self, *ops: cdk8s.JsonPatch) -> None:
        """cdk8s-compatible: keep cdk8s ``JsonPatch`` objects and apply them at synth."""
        self._cdk8s_patches.extend(ops)

    # -- output ------------------------------------------------------------------------
    def to_manifest(self) -> dict[str, Any]:
        """The manifest this object synthesizes to: the model, then overrides and patches."""
        manifest = self._resource.to_manifest()
        for path, value in self._overrides:
            _set_path(manifest, path, value)
        if self._patches:
            try:
                manifest = jsonpatch.apply_patch(manifest, self._patches)
            except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
                raise ManifestError(Problem(self._resource.describe(), "(patch)", str(exc),
                                            "check the patch paths against the manifest")) from None
        if self._cdk8s_patches:
            manifest = cdk8s.JsonPatch.apply(manifest, *self._cdk8s_patches)
        return manifest

    def __repr__(self) -> str:
        return f"TypedResource({self._resource.describe()})"


def _apply_chart_defaults(resource: Resource, chart: GitOpsChart | None, sync_wave: int | None) -> Resource:
    meta = resource.metadata
    updates: dict[str, Any] = {}
    if chart is not None:
        labels = merge_labels(chart.default_labels, meta.labels)
        if labels != meta.labels:
            updates["labels"] = labels
        if resource.NAMESPACED and meta.namespace is None and chart.default_namespace:
            updates["namespace"] = chart.default_namespace
    if sync_wave is not None:
        if not isinstance(sync_wave, int) or isinstance(sync_wave, bool):
            raise ManifestError(Problem(resource.describe(), f"metadata.annotations.{SYNC_WAVE}",
                                        f"sync wave must be an integer, got {sync_wave!r}", "use an integer such as -1, 0 or 5"))
        annotations = dict(meta.annotations or {})
        annotations[SYNC_WAVE] = str(sync_wave)
        updates["annotations"] = dict(sorted(annotations.items()))
    if not updates:
        return resource
    new_meta = meta.model_copy(update=updates)
    # model_copy keeps fields_set; mark the updated fields as set so they are emitted.
    object.__setattr__(new_meta, "__pydantic_fields_set__", set(meta.model_fields_set) | set(updates))
    new = resource.model_copy(update={"metadata": new_meta})
    object.__setattr__(new, "__pydantic_fields_set__", set(resource.model_fields_set) | {"metadata"})
    return new


def _set_path(doc: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    node = doc
    for key in keys[:-1]:
        nxt = node.get(key)
        if not isinstance(nxt, dict):
            nxt = {}
            node[key] = nxt
        node = nxt
    if value is None:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value
