"""Constructs that reach the Node.js side of cdk8s (jsii) only when something needs them there.

Every cdk8s construct lives twice: as a Python object and as an object in the Node.js process
that jsii runs. Creating one is a round trip to that process (about 0.7 ms of Node's CPU), and
starting the process costs about 0.4 s. ``cdk8s-gitops synth`` reads typed objects on the Python
side and never asks jsii for the construct tree of a chart that holds only them, so the App it
builds (:class:`LazyApp`), its :class:`~cdk8s_gitops.core.chart.GitOpsChart` s and the library's
own constructs (:class:`LazyConstruct`: ``Microservice``, ``BackingService``, ...) are *deferred*:

- while an App's tree is deferred, each construct is recorded in Python (its id, checked for
  uniqueness among its siblings as constructs does, and its path) and not created in Node.js;
- the first time anything needs one of them on the Node.js side (``.node``, ``App.synth()``, a
  construct from another library such as cdk8s-plus or ``Helm`` created in the tree, a dependency),
  the whole tree is created there, in the order the Python objects were created, and from then on
  every new construct in it is created at once. Nothing is lost: the tree is the one an eager
  cdk8s would have built.

Constructs whose scope is not in a deferred tree (a plain ``cdk8s.App()``, a user's construct) are
created at once, as before. Only the library's own classes defer: a user's subclass of
``constructs.Construct`` is created at once (its ``__init__`` may use ``self.node``), which makes
its tree live.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cdk8s
import constructs
import jsii
from jsii import _reference_map

__all__ = ["Deferred", "DeferredMeta", "LazyApp", "LazyConstruct", "construct_path", "is_deferred"]


class _Tree:
    """The deferred constructs of one :class:`LazyApp`, in creation order, until the tree goes live."""

    __slots__ = ("live", "pending")

    def __init__(self) -> None:
        self.live = False
        self.pending: list[Deferred] = []

    def go_live(self) -> None:
        """Create every deferred construct on the Node.js side, parents first (creation order)."""
        if self.live:
            return
        self.live = True
        pending, self.pending = self.pending, []
        for obj in pending:
            create = obj.__dict__.pop("_lazy_create")
            obj.__dict__.pop("_lazy_children", None)
            create()


class DeferredMeta(jsii.JSIIMeta):
    """jsii's metaclass registers each new instance by its Node.js reference; a deferred one has none yet
    (it is registered when it is created there)."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        inst = type.__call__(cls, *args, **kwargs)
        if "_lazy_create" not in inst.__dict__:
            _reference_map.register_reference(inst)
        return inst


class Deferred:
    """Mixin (before the jsii class in the bases) for constructs whose jsii object may be created later.

    jsii reads ``obj.__jsii_ref__`` whenever the object crosses to Node.js (a method call, a property,
    an argument): here that read creates the deferred tree first.
    """

    @property
    def __jsii_ref__(self) -> Any:
        d = self.__dict__
        ref = d.get("_jsii_ref")
        if ref is None:
            tree: _Tree | None = d.get("_lazy_tree")
            if tree is None or "_lazy_create" not in d:
                raise AttributeError("__jsii_ref__")  # still in its own __init__, before any jsii call
            tree.go_live()
            ref = d["_jsii_ref"]
        return ref

    @__jsii_ref__.setter
    def __jsii_ref__(self, value: Any) -> None:
        self.__dict__["_jsii_ref"] = value

    def _create_or_defer(self, scope: Any, id: str, create: Callable[[], None]) -> None:
        """Run ``create`` (the jsii constructor) now, or later when ``scope``'s tree goes live."""
        tree: _Tree | None = getattr(scope, "_lazy_tree", None)
        d = self.__dict__
        if tree is None or tree.live:
            create()
            if tree is not None:
                d["_lazy_tree"] = tree
            return
        if not id:
            raise RuntimeError("Only root constructs may have an empty ID")
        name = _child_name(id)
        siblings: set[str] = scope.__dict__.setdefault("_lazy_children", set())
        if name in siblings:
            # The message constructs gives, so that a repeated id reads the same deferred or not.
            raise RuntimeError(f"There is already a Construct with name '{name}' in {type(scope).__name__} "
                               f"[{scope.__dict__.get('_lazy_id', '')}]")
        siblings.add(name)
        parent = scope.__dict__.get("_lazy_path", "")
        d["_lazy_tree"] = tree
        d["_lazy_id"] = name
        d["_lazy_path"] = f"{parent}/{name}" if parent else name
        d["_lazy_create"] = create
        tree.pending.append(self)


class LazyApp(Deferred, cdk8s.App, metaclass=DeferredMeta):
    """A ``cdk8s.App`` whose tree is deferred (see the module docs): created in Node.js on first need.

    Takes the arguments of ``cdk8s.App``. ``synth()`` and ``synth_yaml()`` work as on any App (the tree
    is created first).
    """

    def __init__(self, **kwargs: Any) -> None:
        tree = _Tree()
        d = self.__dict__
        d["_lazy_tree"] = tree
        d["_lazy_id"] = ""
        d["_lazy_path"] = ""
        d["_lazy_create"] = lambda: cdk8s.App.__init__(self, **kwargs)
        tree.pending.append(self)


class LazyConstruct(Deferred, constructs.Construct, metaclass=DeferredMeta):
    """Base of the library's constructs: a ``constructs.Construct`` deferred while its tree is."""

    def __init__(self, scope: constructs.Construct, id: str) -> None:
        self._create_or_defer(scope, id, lambda: constructs.Construct.__init__(self, scope, id))
        chart = getattr(scope, "_gitops_chart", None)
        if chart is not None:  # lets core.chart.chart_of find the chart without asking jsii
            self._gitops_chart = chart


def is_deferred(construct: Any) -> bool:
    """Whether ``construct`` is not created on the Node.js side yet."""
    return "_lazy_create" in getattr(construct, "__dict__", {})


def construct_path(construct: Any) -> str:
    """The construct path of ``construct`` (``dev-shop/api``), without a jsii call when it is known in Python."""
    path = getattr(construct, "__dict__", {}).get("_lazy_path")
    return path if path is not None else str(construct.node.path)


def _child_name(id: str) -> str:
    """The id constructs gives a child: path separators become ``--``."""
    return id.replace("/", "--")
