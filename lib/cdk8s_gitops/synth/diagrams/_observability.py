"""Observability: collector pipelines, ServiceMonitors and PodMonitors, and alert rules."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from ._common import (
    WORKLOAD_KINDS,
    Flowchart,
    Manifest,
    _cell,
    _code,
    _kind,
    _meta,
    _name,
    _ns,
    _of,
    _pod_template,
    _selects,
    _spec,
    _table,
)


def _collector_configs(manifests: Sequence[Manifest]) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(title, name, config) of every collector config: OpenTelemetryCollector specs and ConfigMaps."""
    found: list[tuple[str, str, Mapping[str, Any]]] = []
    for m in _of(manifests, "OpenTelemetryCollector"):
        config = _spec(m).get("config")
        if isinstance(config, str):
            try:
                config = yaml.safe_load(config)
            except yaml.YAMLError:
                config = None
        if isinstance(config, Mapping):
            mode = _spec(m).get("mode", "deployment")
            found.append((f"OpenTelemetryCollector `{_cell(_name(m))}` ({_cell(mode)})", _name(m), config))
    for m in _of(manifests, "ConfigMap"):
        for key, text in sorted((m.get("data") or {}).items()):
            if not isinstance(text, str) or "pipelines" not in text or "receivers" not in text:
                continue
            try:
                config = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            if isinstance(config, Mapping) and isinstance((config.get("service") or {}).get("pipelines"), Mapping):
                found.append((f"collector ConfigMap `{_cell(_name(m))}` (`{_cell(key)}`)", f"{_name(m)}/{key}", config))
    return found


def _collector_chart(name: str, config: Mapping[str, Any]) -> tuple[Flowchart, list[list[str]]]:
    pipelines = (config.get("service") or {}).get("pipelines") or {}
    connectors = set((config.get("connectors") or {}).keys()) if isinstance(config.get("connectors"), Mapping) else set()
    chart = Flowchart("LR")
    rows = []
    as_exporter: dict[str, list[str]] = defaultdict(list)
    as_receiver: dict[str, list[str]] = defaultdict(list)
    for pname in sorted(pipelines):
        body = pipelines[pname] or {}
        receivers = [str(x) for x in body.get("receivers") or []]
        processors = [str(x) for x in body.get("processors") or []]
        exporters = [str(x) for x in body.get("exporters") or []]
        sg = chart.subgraph(("pipeline", name, pname), f"pipeline {pname}")
        r_ids = [chart.node(("rcv", name, pname, r), r, "stadium", sg) for r in receivers]
        p_ids = [chart.node(("prc", name, pname, p), p, "box", sg) for p in processors]
        e_ids = [chart.node(("exp", name, pname, e), e, "stadium", sg) for e in exporters]
        for r in receivers:
            if r in connectors:
                as_receiver[r].append(chart.id("rcv", name, pname, r))
        for e in exporters:
            if e in connectors:
                as_exporter[e].append(chart.id("exp", name, pname, e))
        if p_ids:
            for rid in r_ids:
                chart.edge(rid, p_ids[0])
            for a, b in itertools.pairwise(p_ids):
                chart.edge(a, b)
            for eid in e_ids:
                chart.edge(p_ids[-1], eid)
        else:
            for rid in r_ids:
                for eid in e_ids:
                    chart.edge(rid, eid)
        rows.append([_code(pname), ", ".join(_code(x) for x in receivers), " → ".join(_code(x) for x in processors),
                     ", ".join(_code(x) for x in exporters)])
    for conn in sorted(connectors):
        for src in as_exporter.get(conn, []):
            for dst in as_receiver.get(conn, []):
                chart.edge(src, dst, "connector", "dotted")
    return chart, rows


def observability_section(manifests: Sequence[Manifest], heading: str = "## Observability") -> str:
    """Collector pipelines, ServiceMonitors and PodMonitors, and alert rules.

    A collector's configuration is read from an ``OpenTelemetryCollector``'s ``spec.config``
    or from a ConfigMap value holding a collector configuration (``service.pipelines``). Each
    pipeline is drawn as receivers -> processors (in order) -> exporters; a connector links
    the pipeline that exports to it with the pipeline that receives from it.

    Returns ``""`` when there is no collector, monitor or rule.
    """
    collectors = _collector_configs(manifests)
    monitors = _of(manifests, "ServiceMonitor", "PodMonitor")
    rules = _of(manifests, "PrometheusRule")
    if not (collectors or monitors or rules):
        return ""
    services = _of(manifests, "Service")
    workloads = _of(manifests, *WORKLOAD_KINDS)
    lines = [heading, ""]
    for title, name, config in collectors:
        chart, rows = _collector_chart(name, config)
        lines += [f"### Collector pipelines: {title}", ""]
        if chart:
            lines += [chart.markdown(), ""]
        lines += _table(["pipeline", "receivers", "processors", "exporters"], rows) + [""]
    if monitors:
        rows = []
        for mon in monitors:
            spec = _spec(mon)
            selector = spec.get("selector") or {}
            if _kind(mon) == "ServiceMonitor":
                endpoints = spec.get("endpoints") or []
                matched = [_name(s) for s in services if _ns(s) == _ns(mon) and _selects(selector, _meta(s).get("labels") or {})]
                target = "Service " + ", ".join(_code(x) for x in matched) if matched else "Services matching " + _code(
                    ", ".join(f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())))
            else:
                endpoints = spec.get("podMetricsEndpoints") or []
                matched = [_name(w) for w in workloads if _ns(w) == _ns(mon) and _selects(selector, _pod_template(w)[0])]
                target = "pods of " + ", ".join(_code(x) for x in matched) if matched else "pods matching " + _code(
                    ", ".join(f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())))
            ep_text = "<br>".join(_cell(f"{e.get('port') or e.get('targetPort') or ''} {e.get('path', '/metrics')} "
                                        f"every {e.get('interval', 'default interval')}".strip())
                                  for e in endpoints if isinstance(e, Mapping))
            rows.append([_code(_name(mon)), _kind(mon), target, ep_text])
        lines += ["### Scrape targets", ""]
        lines += _table(["monitor", "kind", "scrapes", "endpoints"], rows) + [""]
    if rules:
        rows = []
        recording = 0
        for rule_obj in rules:
            for group in _spec(rule_obj).get("groups") or []:
                for rule in (group or {}).get("rules") or []:
                    if not isinstance(rule, Mapping):
                        continue
                    if "alert" not in rule:
                        recording += 1
                        continue
                    labels = rule.get("labels") or {}
                    summary = (rule.get("annotations") or {}).get("summary", "")
                    rows.append([_code(_name(rule_obj)), _cell(group.get("name", "")), _code(rule["alert"]),
                                 _cell(rule.get("for", "")), _cell(labels.get("severity", "")), _cell(summary)])
        lines += ["### Alert rules", ""]
        if rows:
            lines += _table(["PrometheusRule", "group", "alert", "for", "severity", "summary"], rows) + [""]
        if recording:
            lines += [f"Plus {recording} recording rule(s).", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
