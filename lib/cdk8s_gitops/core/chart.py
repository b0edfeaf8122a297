"""The chart that holds one app's objects for one environment.

:class:`GitOpsChart` is a cdk8s ``Chart`` that also keeps, on the Python side, the
typed resources created in it and the cross-object checks registered on it. Synth
reads both without crossing the jsii bridge once per object.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import cdk8s
import constructs

from .errors import ManifestError, Problem
from .labels import merge_labels, standard_labels
from .lazy import Deferred, DeferredMeta, construct_path, is_deferred
from .ordering import is_namespaced, object_sort_key, with_default_sync_wave
from .validation import Check, RenderedObject

__all__ = ["ChartApiObject", "GitOpsChart", "chart_of", "collect_chart"]


class ChartApiObject(cdk8s.ApiObject):
    """A cdk8s ``ApiObject`` whose manifest the chart already has on the Python side.

    :meth:`GitOpsChart.collect` skips these when it walks the construct tree (it reads the
    typed resources it registered instead), so they never cross the jsii bridge for their JSON.
    """


class GitOpsChart(Deferred, cdk8s.Chart, metaclass=DeferredMeta):
    """A chart for one app in one environment.

    Args:
        scope: the cdk8s ``App``.
        id: construct id, unique in the app (synth uses ``<env>-<app>``).
        app_name: the app's name; becomes ``app.kubernetes.io/part-of`` on every object.
        namespace: namespace given to namespaced objects that set none. Default: none.
        labels: extra labels for every object, under the object's own. Default: none.
        environment: the environment spec the chart is built for (read by constructs
            through ``chart.environment``). Default: none.

    In a :class:`~cdk8s_gitops.core.lazy.LazyApp` (the App synth builds) the chart is created on the
    Node.js side only when something needs it there (see :mod:`cdk8s_gitops.core.lazy`).
    """

    def __init__(
        self,
        scope: constructs.Construct,
        id: str,
        *,
        app_name: str,
        namespace: str | None = None,
        labels: dict[str, str] | None = None,
        environment: Any = None,
    ) -> None:
        self._first_ref = _jsii_ref_count()
        self._create_or_defer(scope, id, lambda: cdk8s.Chart.__init__(self, scope, id, disable_resource_name_hashes=True))
        self._gitops_chart = self
        self.app_name = app_name
        self.default_namespace = namespace
        self.default_labels = merge_labels(standard_labels(part_of=app_name), labels) or {}
        self.environment = environment
        self.typed_resources: list[Any] = []
        self.checks: list[tuple[Any, Check]] = []
        self._identities: dict[tuple[str, str, str | None, str], Any] = {}

    def claim(self, model: Any) -> tuple[str, str, str | None, str]:
        """Reserve ``model``'s identity (group, kind, namespace, name); refuse a second object with it."""
        group = model.api_version.split("/", 1)[0] if "/" in model.api_version else ""
        key = (group, model.kind, model.namespace, model.name)
        if key in self._identities:
            where = f" in namespace {model.namespace!r}" if model.namespace else ""
            raise ManifestError(
                Problem(model.describe(), "metadata.name",
                        f"a {model.kind} named {model.name!r}{where} already exists in app {self.app_name!r}",
                        "give each object a unique name")
            )
        self._identities[key] = model
        return key

    def register(self, resource: Any) -> None:
        """Record a typed resource whose identity was claimed; synth reads them from here."""
        self.typed_resources.append(resource)

    def add_check(self, owner: Any, check: Check) -> None:
        """Register a cross-object check owned by construct ``owner`` (its path labels failures)."""
        self.checks.append((owner, check))

    def may_hold_foreign_objects(self) -> bool:
        """Whether an object made by another cdk8s library (a plain ``ApiObject``, cdk8s-plus, ``Helm``,
        ``Include``) may live in this chart; synth then asks jsii for the construct tree.

        Every construct created from Python is known to jsii's reference map. When all those
        created since this chart are plain constructs, charts or typed objects, none of them can
        have made an ``ApiObject`` on the Node.js side, and synth saves the round trips.
        """
        if is_deferred(self):  # nothing in a deferred tree was created on the Node.js side
            return False
        from jsii import _reference_map

        for obj in itertools.islice(_reference_map._refs._refs.values(), self._first_ref, None):
            if isinstance(obj, constructs.Construct) and not isinstance(obj, ChartApiObject):
                native = next((c for c in type(obj).__mro__ if "__jsii_type__" in c.__dict__), None)
                if native not in _PLAIN:
                    return True
        return False

    def collect(self, app: str | None = None) -> list[RenderedObject]:
        """Every object in this chart, in dist/ order: typed ones from Python, others through jsii.

        ``app`` is the app name the objects are reported under. Default: :attr:`app_name`.
        """
        app = self.app_name if app is None else app
        objects: list[RenderedObject] = []
        for res in self.typed_resources:
            objects.append(RenderedObject(with_default_sync_wave(res.to_manifest()), app, res.resource, res.construct_path))
        # Objects made by other cdk8s libraries (cdk8s-plus, plain ApiObject) live only in the
        # construct tree: one jsii call lists them, and each is asked for its JSON.
        for node in self.node.find_all() if self.may_hold_foreign_objects() else ():
            if isinstance(node, cdk8s.ApiObject) and not isinstance(node, ChartApiObject):
                manifest = node.to_json()
                meta = manifest.setdefault("metadata", {})
                labels = merge_labels(self.default_labels, meta.get("labels"))
                if labels:
                    meta["labels"] = labels
                if self.default_namespace and "namespace" not in meta and is_namespaced(manifest):
                    meta["namespace"] = self.default_namespace
                path = construct_path(node)
                objects.append(RenderedObject(with_default_sync_wave(manifest), app, None, _constant(path)))
        return sorted(objects, key=lambda o: object_sort_key(o.manifest))  # stable: ties keep creation order

    def manifests(self) -> list[dict[str, Any]]:
        """Every object of this chart as a manifest, in dist/ order (typed ones without jsii calls)."""
        return [dict(o.manifest) for o in self.collect()]

    def to_json(self) -> list[Any]:
        """Called by cdk8s (``cdk8s synth``, ``App.synth_yaml``): the same objects ``cdk8s-gitops synth`` writes."""
        return self.manifests()


_PLAIN = (constructs.Construct, cdk8s.Chart, cdk8s.App)
"""jsii classes whose instances create no ApiObject of their own."""


def _jsii_ref_count() -> int:
    from jsii import _reference_map

    return len(_reference_map._refs._refs)


def collect_chart(chart: GitOpsChart, app: str) -> list[RenderedObject]:
    """Every object in ``chart`` as a manifest, reported under ``app`` (see :meth:`GitOpsChart.collect`)."""
    return chart.collect(app)


def _constant(text: str) -> Callable[[], str]:
    return lambda: text


def chart_of(scope: constructs.IConstruct) -> GitOpsChart | None:
    """The :class:`GitOpsChart` that ``scope`` lives in, found without jsii calls when possible."""
    chart: GitOpsChart | None = getattr(scope, "_gitops_chart", None)
    if chart is not None:
        return chart
    try:
        found = cdk8s.Chart.of(scope)
    except Exception:  # noqa: BLE001 - a scope outside any chart
        return None
    return found if isinstance(found, GitOpsChart) else None
