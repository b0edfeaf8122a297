"""Testing support for downstream repositories: pytest fixtures and a YAML snapshot extension.

The pytest plugin (:mod:`cdk8s_gitops.testing.plugin`) is registered by installing the package
and imports nothing heavy at pytest start-up. The snapshot parts need syrupy, which comes with
the ``testing`` extra: ``pip install 'cdk8s-gitops[testing]'``. The names below load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .documents import changed_objects, to_documents
    from .harness import make_settings, synth_chart
    from .snapshot import YamlSnapshotExtension

__all__ = ["YamlSnapshotExtension", "changed_objects", "make_settings", "synth_chart", "to_documents"]

_HOMES = {"YamlSnapshotExtension": "snapshot", "changed_objects": "documents", "make_settings": "harness",
          "synth_chart": "harness", "to_documents": "documents"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
