"""Argo Rollouts (``argoproj.io/v1alpha1``): Argo Rollouts' rules on the generated Rollout and analysis models.

- :class:`Rollout`, :class:`AnalysisTemplate`, :class:`ClusterAnalysisTemplate`,
  :class:`AnalysisRun`: the generated classes of :mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`
  (snake_case fields, upstream camelCase in YAML). Importing this package registers Argo
  Rollouts' own spec validation on them as semantic checks (strategy rules, step rules, metric
  rules), which run for objects built in Python and for objects loaded with
  :func:`cdk8s_gitops.from_manifest` alike.
- :class:`GatewayAPIConfig`: the typed configuration of the Gateway API traffic router plugin
  (free-form in the CRD), checked wherever ``trafficRouting.plugins`` names the plugin.
- Builders for the usual strategy shapes: :func:`canary_steps`, :func:`gateway_api_canary`,
  :func:`gateway_api_routing`, :func:`blue_green_strategy`, :func:`rollout_analysis`,
  :func:`analysis_step`; and views such as :func:`rollout_services` or :func:`canary_weights`.
"""

from . import strategy as _strategy  # noqa: F401 - registers the strategy and spec checks
from .analysis import (
    AnalysisRun,
    AnalysisRunSpec,
    AnalysisTemplate,
    AnalysisTemplateSpec,
    ClusterAnalysisTemplate,
    Metric,
    MetricProvider,
    PrometheusMetric,
    WebMetric,
    argument_names,
    metric_names,
    provider_names,
)
from .common import BackgroundAnalysis, RolloutAnalysis
from .plans import (
    analysis_step,
    blue_green_strategy,
    canary_steps,
    gateway_api_canary,
    gateway_api_routing,
    rollout_analysis,
)
from .rollout import (
    DEFAULT_MAX_TRAFFIC_WEIGHT,
    GATEWAY_API_PLUGIN,
    BlueGreenStrategy,
    CanaryPause,
    CanaryStep,
    CanaryStrategy,
    GatewayAPIConfig,
    GatewayAPIRoute,
    Rollout,
    RolloutSelector,
    RolloutSpec,
    RolloutStrategy,
    TrafficRouting,
    canary_max_traffic_weight,
    canary_weights,
    gateway_api_config,
    has_plugins,
    pause_seconds,
    rollout_blue_green,
    rollout_canary,
    rollout_gateway_api,
    rollout_pod_labels,
    rollout_services,
    step_actions,
    traffic_routers,
)

__all__ = [
    "DEFAULT_MAX_TRAFFIC_WEIGHT",
    "GATEWAY_API_PLUGIN",
    "AnalysisRun",
    "AnalysisRunSpec",
    "AnalysisTemplate",
    "AnalysisTemplateSpec",
    "BackgroundAnalysis",
    "BlueGreenStrategy",
    "CanaryPause",
    "CanaryStep",
    "CanaryStrategy",
    "ClusterAnalysisTemplate",
    "GatewayAPIConfig",
    "GatewayAPIRoute",
    "Metric",
    "MetricProvider",
    "PrometheusMetric",
    "Rollout",
    "RolloutAnalysis",
    "RolloutSelector",
    "RolloutSpec",
    "RolloutStrategy",
    "TrafficRouting",
    "WebMetric",
    "analysis_step",
    "argument_names",
    "blue_green_strategy",
    "canary_max_traffic_weight",
    "canary_steps",
    "canary_weights",
    "gateway_api_canary",
    "gateway_api_config",
    "gateway_api_routing",
    "has_plugins",
    "metric_names",
    "pause_seconds",
    "provider_names",
    "rollout_analysis",
    "rollout_blue_green",
    "rollout_canary",
    "rollout_gateway_api",
    "rollout_pod_labels",
    "rollout_services",
    "step_actions",
    "traffic_routers",
]
