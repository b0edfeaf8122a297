"""``OpenTelemetryCollector`` (opentelemetry.io v1beta1 and v1alpha1) with the operator's mode rules.

The classes are the generated models of :mod:`cdk8s_gitops.models.opentelemetry_io_v1beta1`
(:data:`OpenTelemetryCollector`) and of the v1alpha1 module (:data:`OpenTelemetryCollectorV1Alpha1`):

- in v1beta1, ``spec.config`` is a mapping (receivers, exporters, service...; the components'
  settings are free-form upstream). It is checked with the collector's start-up rules of the
  hand-written :class:`~cdk8s_gitops.observability.collector_config.CollectorConfig`, a
  semantic layer over the free-form part: :func:`collector_config` returns it typed.
- in v1alpha1, ``spec.config`` is the configuration as YAML text. It round-trips exactly as
  written; the text is parsed to run the same start-up rules.

The operator's admission rules (its validating webhook and the CRD's CEL rules) are
checked at build time: ``volumeClaimTemplates`` and ``persistentVolumeClaimRetentionPolicy``
only with mode ``statefulset``; no ``tolerations``, ``priorityClassName``, ``affinity``,
``additionalContainers`` or ``ingress`` of type ``ingress`` with mode ``sidecar``; the
target allocator only with ``statefulset`` or ``daemonset`` (``daemonset`` exactly with
the ``per-node`` strategy); the DaemonSet update strategy only with ``daemonset`` and the
Deployment one only with ``deployment``; autoscaler bounds (``minReplicas`` needs
``maxReplicas``, neither ``replicas`` nor ``minReplicas`` above ``maxReplicas``,
stabilization windows 0-3600 s, only ``Pods`` metrics with a positive target); a
``subdomain`` ingress needs a hostname; valid port names and numbers. ``replicas`` and
``autoscaler`` with ``daemonset`` or ``sidecar`` are ignored by the current operator
(older ones refused ``replicas``): a warning.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import format_value
from ..core.fields import Issues, warn
from ..core.model_errors import pydantic_validate
from ..core.schema import semantic_check
from ..models import opentelemetry_io_v1alpha1 as v1alpha1
from ..models import opentelemetry_io_v1beta1 as v1beta1
from .collector_config import CollectorConfig, _load_yaml

__all__ = [
    "AutoscalerSpec",
    "CollectorIngress",
    "CollectorPort",
    "CollectorSpec",
    "CollectorSpecConfig",
    "CollectorSpecV1Alpha1",
    "OpenTelemetryCollector",
    "OpenTelemetryCollectorV1Alpha1",
    "TargetAllocatorEmbedded",
    "collector_config",
    "mode_problems",
    "mode_warnings",
    "spec_config",
]

OpenTelemetryCollector = v1beta1.OpenTelemetryCollector
OpenTelemetryCollectorV1Alpha1 = v1alpha1.OpenTelemetryCollector
CollectorSpec = v1beta1.OpenTelemetryCollectorSpec
CollectorSpecConfig = v1beta1.OpenTelemetryCollectorSpecConfig
CollectorSpecV1Alpha1 = v1alpha1.OpenTelemetryCollectorSpec
AutoscalerSpec = v1beta1.OpenTelemetryCollectorSpecAutoscaler
CollectorIngress = v1beta1.OpenTelemetryCollectorSpecIngress
CollectorPort = v1beta1.OpenTelemetryCollectorSpecPorts
TargetAllocatorEmbedded = v1beta1.OpenTelemetryCollectorSpecTargetAllocator

_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


def _plain(value: Any) -> Any:
    """A model as its upstream mapping (lists of models as lists of mappings); anything else unchanged."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _is_v1alpha1(spec: Any) -> bool:
    return isinstance(spec, v1alpha1.OpenTelemetryCollectorSpec)


# -- the operator's admission rules ------------------------------------------------------------------
def mode_problems(spec: Any) -> Issues:
    """The operator's admission rules a collector ``spec`` (either version) breaks, at paths relative to ``spec``."""
    issues = Issues()
    mode = spec.mode or "deployment"
    shown = f"{mode!r}" + ("" if spec.mode else " (the default)")
    if mode != "statefulset" and spec.volume_claim_templates:
        issues.add(("volumeClaimTemplates",), f"mode {shown} does not support volumeClaimTemplates; "
                                              "use mode 'statefulset' or remove volumeClaimTemplates")
    if mode != "statefulset" and getattr(spec, "persistent_volume_claim_retention_policy", None) is not None:
        issues.add(("persistentVolumeClaimRetentionPolicy",),
                   f"mode {shown} does not support persistentVolumeClaimRetentionPolicy; use mode 'statefulset' or remove it")
    if mode == "sidecar":
        for key, value in (("tolerations", spec.tolerations), ("priorityClassName", spec.priority_class_name),
                           ("affinity", spec.affinity), ("additionalContainers", spec.additional_containers)):
            if _plain(value):
                issues.add((key,), f"mode 'sidecar' does not support {key} (the collector runs inside other pods); "
                                   f"remove {key} or use mode 'deployment', 'daemonset' or 'statefulset'")
        if spec.ingress and spec.ingress.type == "ingress":
            issues.add(("ingress", "type"), "mode 'sidecar' cannot be exposed through an Ingress; "
                                            "use mode 'deployment', 'daemonset' or 'statefulset', or remove ingress")
    if spec.ingress and spec.ingress.rule_type == "subdomain" and spec.ingress.hostname in (None, "", "*"):
        issues.add(("ingress", "hostname"), f"ingress ruleType 'subdomain' needs a hostname, got "
                                            f"{format_value(spec.ingress.hostname)}; set ingress.hostname to a domain")
    ta = spec.target_allocator
    if ta is not None and ta.enabled:
        strategy = ta.allocation_strategy or "consistent-hashing"
        if mode not in ("statefulset", "daemonset"):
            issues.add(("targetAllocator", "enabled"),
                       f"mode {shown} does not support the target allocator; use mode 'statefulset' "
                       "(or 'daemonset' with allocationStrategy 'per-node')")
        elif mode == "daemonset" and strategy != "per-node":
            issues.add(("targetAllocator", "allocationStrategy"),
                       f"mode 'daemonset' needs target allocation strategy 'per-node', got {strategy!r}; "
                       "set targetAllocator.allocationStrategy to 'per-node'")
        elif strategy == "per-node" and mode != "daemonset":
            issues.add(("targetAllocator", "allocationStrategy"),
                       f"target allocation strategy 'per-node' works only with mode 'daemonset', not {shown}; "
                       "use mode 'daemonset' or another strategy")
    key, strategy_value = (("updateStrategy", spec.update_strategy) if _is_v1alpha1(spec)
                           else ("daemonSetUpdateStrategy", spec.daemon_set_update_strategy))
    if mode != "daemonset" and (_plain(strategy_value) or {}).get("type"):
        issues.add((key,), f"mode {shown} does not support {key}; use mode 'daemonset' or remove {key}")
    if mode != "deployment" and (_plain(getattr(spec, "deployment_update_strategy", None)) or {}).get("type"):
        issues.add(("deploymentUpdateStrategy",), f"mode {shown} does not support deploymentUpdateStrategy; "
                                                  "use mode 'deployment' or remove deploymentUpdateStrategy")
    for i, port in enumerate(spec.ports or []):
        if port.name is not None and not _valid_port_name(port.name):
            issues.add(("ports", i, "name"), f"port name {port.name!r} is not an IANA service name; use at most 15 "
                                             "lowercase letters, digits and '-', with at least one letter")
        if not 1 <= port.port <= 65535:
            issues.add(("ports", i, "port"), f"port {port.port} is out of range; use a port between 1 and 65535")
    _autoscaler_problems(spec, issues)
    return issues


def _min_max(spec: Any) -> tuple[int | None, int | None]:
    a = spec.autoscaler
    low, high = (a.min_replicas if a else None), (a.max_replicas if a else None)
    if _is_v1alpha1(spec):  # the older top-level form
        low = low if low is not None else spec.min_replicas
        high = high if high is not None else spec.max_replicas
    return low, high


def _autoscaler_problems(spec: Any, issues: Issues) -> None:
    a = spec.autoscaler
    low, high = _min_max(spec)
    if low is not None and high is None:
        issues.add(("autoscaler", "maxReplicas"), f"minReplicas is {low} but maxReplicas is not set; "
                                                  "set autoscaler.maxReplicas (autoscaling needs both)")
    if high is not None:
        if spec.replicas is not None and spec.replicas > high:
            issues.add(("replicas",), f"replicas {spec.replicas} is above maxReplicas {high}; "
                                      f"use at most {high} replicas or raise maxReplicas")
        floor = low if low is not None else spec.replicas
        if floor is not None and floor > high:
            issues.add(("autoscaler", "minReplicas"), f"minReplicas {floor} is above maxReplicas {high}; "
                                                      f"use a minReplicas between 1 and {high}")
    if a is None or high is None:
        return
    behavior = _plain(a.behavior) or {}
    for direction in ("scaleDown", "scaleUp"):
        window = (behavior.get(direction) or {}).get("stabilizationWindowSeconds")
        if isinstance(window, int) and not 0 <= window <= 3600:
            issues.add(("autoscaler", "behavior", direction, "stabilizationWindowSeconds"),
                       f"stabilizationWindowSeconds {window} is out of range; use 0 to 3600 seconds")
    for i, metric in enumerate(_plain(a.metrics) or []):
        if metric.get("type") != "Pods":
            issues.add(("autoscaler", "metrics", i, "type"), f"metric type {metric.get('type')!r} is not supported "
                                                             "by the operator; use type 'Pods'")
            continue
        target = ((metric.get("pods") or {}).get("target")) or {}
        kind = target.get("type")
        field = {"AverageValue": "averageValue", "Value": "value"}.get(kind or "")
        if field is None:
            issues.add(("autoscaler", "metrics", i, "pods", "target", "type"),
                       f"pods target type {kind!r} is not supported; use 'AverageValue' or 'Value'")
        elif not _positive_quantity(target.get(field)):
            issues.add(("autoscaler", "metrics", i, "pods", "target", field),
                       f"{field} {format_value(target.get(field))} must be greater than 0; use a positive value")


def mode_warnings(spec: Any) -> list[tuple[str, str]]:
    """Settings the operator ignores for the chosen mode, as (path under spec, "message; fix")."""
    out: list[tuple[str, str]] = []
    mode = spec.mode or "deployment"
    if mode in ("daemonset", "sidecar"):
        if spec.replicas is not None:
            out.append(("replicas", f"mode {mode!r} ignores replicas ({spec.replicas}): a {mode} runs one collector "
                                    f"per {'node' if mode == 'daemonset' else 'pod'}; remove replicas"))
        if spec.autoscaler is not None:
            out.append(("autoscaler", f"mode {mode!r} ignores autoscaler: only 'deployment' and 'statefulset' "
                                      "collectors get a HorizontalPodAutoscaler; remove autoscaler"))
    return out


def _valid_port_name(name: str) -> bool:
    return (len(name) <= 15 and bool(_PORT_NAME.match(name)) and "--" not in name
            and any(c.isalpha() for c in name))


def _positive_quantity(value: Any) -> bool:
    from ..core.units import parse_quantity

    try:
        return parse_quantity(value) >= 1
    except (ValueError, TypeError):
        return False


@semantic_check(v1beta1.OpenTelemetryCollectorSpec)
def _spec(spec: v1beta1.OpenTelemetryCollectorSpec) -> None:
    mode_problems(spec).raise_any("CollectorSpec")


# -- the collector configuration ----------------------------------------------------------------------
def _config_issues(load: Any, prefix: tuple[str | int, ...]) -> Issues:
    """The start-up rules ``load()`` (returning a :class:`CollectorConfig`) breaks, at ``prefix`` + their paths."""
    issues = Issues()
    try:
        load()
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            message = str(item.get("msg", "")).removeprefix("Value error, ")
            issues.add(prefix + tuple(item.get("loc", ())), message, item.get("input"))
    except ValueError as exc:  # ManifestError from YAML parsing
        problems = getattr(exc, "problems", ())
        text = f"{problems[0].message}; {problems[0].fix}" if problems else str(exc)
        issues.add(prefix, text)
    return issues


@semantic_check(v1beta1.OpenTelemetryCollectorSpecConfig)
def _config(config: v1beta1.OpenTelemetryCollectorSpecConfig) -> None:
    _config_issues(lambda: pydantic_validate(CollectorConfig, config.dump()), ()).raise_any("CollectorConfig")


def _parse_v1alpha1(text: str) -> CollectorConfig:
    return pydantic_validate(CollectorConfig, _load_yaml(text, "OpenTelemetryCollector", "spec.config"))


@semantic_check(v1alpha1.OpenTelemetryCollectorSpec)
def _spec_v1alpha1(spec: v1alpha1.OpenTelemetryCollectorSpec) -> None:
    issues = mode_problems(spec)
    issues.extend((), _config_issues(lambda: _parse_v1alpha1(spec.config), ("config",)))
    issues.raise_any("CollectorSpecV1Alpha1")


def collector_config(collector: Any) -> CollectorConfig:
    """The typed :class:`CollectorConfig` of a collector of either version (v1alpha1: its YAML text parsed).

    Raises :class:`~cdk8s_gitops.core.errors.ManifestError` when the text is not YAML or the configuration is invalid."""
    config = collector.spec.config
    if isinstance(config, str):
        return CollectorConfig.model_validate(_load_yaml(config, "OpenTelemetryCollector", "spec.config"))
    return CollectorConfig.model_validate(config.dump())


def spec_config(config: CollectorConfig) -> CollectorSpecConfig:
    """``config`` as the ``spec.config`` of a v1beta1 :data:`OpenTelemetryCollector`
    (``CollectorSpec(mode="deployment", config=spec_config(CONFIG))``): the same mapping, typed as the CRD types it."""
    return CollectorSpecConfig.model_validate(config.to_dict())


@semantic_check(v1beta1.OpenTelemetryCollector, v1alpha1.OpenTelemetryCollector)
def _warnings(collector: Any) -> None:
    spec = collector.spec
    if spec is None:
        return
    subject = collector.describe()
    for path, message in mode_warnings(spec):
        warn(subject, f"spec.{path}", message)
    collector_config(collector).unused_warnings(subject, "spec.config")
