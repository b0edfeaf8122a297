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
    collector_config,
    spec_config,
)
from .collector_config import SIGNALS, CollectorConfig, ComponentId, PipelineConfig, ServiceConfig
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
from .plain import collector_ports, plain_collector_manifests
from .promql import check_promql

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
