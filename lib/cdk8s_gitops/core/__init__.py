"""The typed-resource core: models, the ApiObject bridge, charts, errors, cross-object checks."""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False  # typing itself takes milliseconds to import; type checkers read this block
if TYPE_CHECKING:
    from typing import Any

    from .allowances import ALLOW_ANNOTATION, secret_scan_allowance
    from .chart import GitOpsChart, chart_of, collect_chart
    from .errors import ConfigError, GitOpsError, ManifestError, Problem, SynthError
    from .labels import merge_labels, standard_labels
    from .model import K8sModel, ObjectMeta, Resource, from_manifest, registered_kinds, resource_class
    from .props import Props
    from .resource import SYNC_WAVE, TypedResource
    from .units import parse_duration, parse_quantity
    from .validation import Check, ObjectIndex, RenderedObject, add_global_check

# Where each public name lives: imported on first use, so that ``core.errors`` does not load cdk8s.
_HOME = {
    "ALLOW_ANNOTATION": "allowances", "secret_scan_allowance": "allowances",
    "GitOpsChart": "chart", "chart_of": "chart", "collect_chart": "chart", "Props": "props",
    "ConfigError": "errors", "GitOpsError": "errors", "ManifestError": "errors", "Problem": "errors", "SynthError": "errors",
    "merge_labels": "labels", "standard_labels": "labels",
    "K8sModel": "model", "ObjectMeta": "model", "Resource": "model", "from_manifest": "model",
    "registered_kinds": "model", "resource_class": "model",
    "SYNC_WAVE": "resource", "TypedResource": "resource",
    "parse_duration": "units", "parse_quantity": "units",
    "Check": "validation", "ObjectIndex": "validation", "RenderedObject": "validation", "add_global_check": "validation",
}

__all__ = [
    "ALLOW_ANNOTATION",
    "SYNC_WAVE",
    "Check",
    "ConfigError",
    "GitOpsChart",
    "GitOpsError",
    "K8sModel",
    "ManifestError",
    "ObjectIndex",
    "ObjectMeta",
    "Problem",
    "Props",
    "RenderedObject",
    "Resource",
    "SynthError",
    "TypedResource",
    "add_global_check",
    "chart_of",
    "collect_chart",
    "from_manifest",
    "merge_labels",
    "parse_duration",
    "parse_quantity",
    "registered_kinds",
    "resource_class",
    "secret_scan_allowance",
    "standard_labels",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
