"""Add-on kinds the reference platforms need, one module per upstream API group.

Importing this package registers every kind below with :func:`cdk8s_gitops.from_manifest`.
"""

from .konghq import (
    PLUGINS_ANNOTATION,
    KongClusterPlugin,
    KongPlugin,
    attach_kong_plugins,
    kong_plugin_names,
)

__all__ = [
    "PLUGINS_ANNOTATION",
    "KongClusterPlugin",
    "KongPlugin",
    "attach_kong_plugins",
    "kong_plugin_names",
]
