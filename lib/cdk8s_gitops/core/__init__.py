"""The typed-resource core: models, the ApiObject bridge, charts, errors, cross-object checks."""

from .allowances import ALLOW_ANNOTATION, secret_scan_allowance
from .chart import GitOpsChart, chart_of, collect_chart
from .errors import ConfigError, GitOpsError, ManifestError, Problem, SynthError
from .labels import merge_labels, standard_labels
from .model import K8sModel, ObjectMeta, Resource, from_manifest, registered_kinds, resource_class
from .props import Props
from .resource import SYNC_WAVE, TypedResource
from .units import parse_duration, parse_quantity
from .validation import Check, ObjectIndex, RenderedObject, add_global_check

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
