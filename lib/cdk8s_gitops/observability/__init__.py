"""Observability: OpenTelemetry collector configuration and deployment, Prometheus monitors and rules.

- :mod:`.collector_config`: the collector configuration as a typed model, refused at
  synth when the collector would not start.
- :mod:`.collector`: ``OpenTelemetryCollector`` (the generated ``opentelemetry.io`` v1beta1 and v1alpha1
  models, with the operator's mode rules; :func:`collector_config` gives the typed configuration).
- :mod:`.plain`: the same collector as plain Kubernetes objects (ConfigMap, Deployment or
  DaemonSet, Service) for clusters without the operator.
- :mod:`.monitoring`: ``ServiceMonitor``, ``PodMonitor``, ``PrometheusRule`` (``monitoring.coreos.com/v1``).
- :mod:`.alerts`: the platform alert pack.
"""

import importlib
from typing import TYPE_CHECKING

from ..core.deferred import attributes, class_module, importer, lazy_names, when_used
from ..models import opentelemetry_io_v1alpha1 as _v1alpha1
from ..models import opentelemetry_io_v1beta1 as _v1beta1
from .monitoring import (
    PodMonitor,
    PodMonitorSpec,
    PrometheusRule,
    PrometheusRuleSpec,
    RuleGroup,
    ScrapeEndpoint,
    ServiceMonitor,
    ServiceMonitorSpec,
)
from .promql import check_promql

# The package's collector_config is the function of .collector (as it always was), not the module of that name:
# the module is imported here, and its name dropped, so that importing .collector later cannot bind the name
# over the function (by importlib: type checkers then see only the function declared below).
importlib.import_module(f"{__name__}.collector_config")
globals().pop("collector_config", None)

# The collector modules (and the two versions of the operator's classes they create) are imported on first
# use of one of their names: an app that only writes ServiceMonitors never pays for them.
if TYPE_CHECKING:
    from .alerts import alert_pack, platform_alert_rules
    from .collector import (
        AutoscalerSpec,
        CollectorIngress,
        CollectorPort,
        CollectorSpec,
        CollectorSpecConfig,
        CollectorSpecV1Alpha1,
        OpenTelemetryCollector,
        OpenTelemetryCollectorV1Alpha1,
        TargetAllocatorEmbedded,
        spec_config,
    )
    from .collector_config import SIGNALS, CollectorConfig, ComponentId, PipelineConfig, ServiceConfig
    from .plain import collector_ports, plain_collector_manifests

    # isort: off
    from .collector import collector_config  # last: the import of .collector_config above binds that name too
    # isort: on

_LAZY = {
    "alerts": ("alert_pack", "platform_alert_rules"),
    "collector": ("AutoscalerSpec", "CollectorIngress", "CollectorPort", "CollectorSpec", "CollectorSpecConfig",
                  "CollectorSpecV1Alpha1", "OpenTelemetryCollector", "OpenTelemetryCollectorV1Alpha1",
                  "TargetAllocatorEmbedded", "collector_config", "spec_config"),
    "collector_config": ("SIGNALS", "CollectorConfig", "ComponentId", "PipelineConfig", "ServiceConfig"),
    "plain": ("collector_ports", "plain_collector_manifests"),
}


__getattr__ = lazy_names(__name__, globals(), attributes({
    name: (f"{__name__}.{module}", name) for module, names in _LAZY.items() for name in names
}))

# The collector's checks (on the generated classes of both versions) are registered when its module is
# imported: a collector built from the generated models directly imports it on first use.
when_used({class_module(_v1beta1, "OpenTelemetryCollector"), class_module(_v1alpha1, "OpenTelemetryCollector")},
          importer(f"{__name__}.collector"))

__all__ = [
    "SIGNALS",
    "AutoscalerSpec",
    "CollectorConfig",
    "CollectorIngress",
    "CollectorPort",
    "CollectorSpec",
    "CollectorSpecConfig",
    "CollectorSpecV1Alpha1",
    "ComponentId",
    "OpenTelemetryCollector",
    "OpenTelemetryCollectorV1Alpha1",
    "PipelineConfig",
    "PodMonitor",
    "PodMonitorSpec",
    "PrometheusRule",
    "PrometheusRuleSpec",
    "RuleGroup",
    "ScrapeEndpoint",
    "ServiceConfig",
    "ServiceMonitor",
    "ServiceMonitorSpec",
    "TargetAllocatorEmbedded",
    "alert_pack",
    "check_promql",
    "collector_config",
    "collector_ports",
    "plain_collector_manifests",
    "platform_alert_rules",
    "spec_config",
]
