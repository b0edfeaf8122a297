"""The OpenTelemetry Collector configuration as a typed model, with the collector's start-up rules.

A collector whose configuration names a component it does not define exits at
start-up, in the cluster, long after review. :class:`CollectorConfig` refuses such a
configuration when it is built, naming the pipeline and the component:

- at least one pipeline; every pipeline ID is ``signal[/name]`` with a known signal
  (``traces``, ``metrics``, ``logs``; ``profiles`` behind a feature gate, with a warning);
- every pipeline has at least one receiver and one exporter, and every receiver,
  processor and exporter it lists is defined (a connector counts as exporter and as
  receiver); no processor is listed twice in one pipeline;
- a connector used as exporter in one pipeline is used as receiver in another one, and
  the other way round; pipelines joined by connectors form no cycle; for the connectors
  whose signal pairs are well known (``forward``, ``spanmetrics``, ``servicegraph``,
  ``count``, ``routing``, ``exceptions``) each use has a supported partner pipeline;
- for well-known single-signal components (the ``prometheus`` receiver, the ``zipkin``
  exporter, ...) the pipeline signal is one they handle;
- every extension in ``service.extensions`` is configured; no ID is both a connector and
  a receiver or an exporter; component IDs are ``type[/name]``;
- components upstream has removed are refused with their replacement (``jaeger`` and
  ``jaeger_thrift`` exporters, ``logging`` exporter, ``memory_ballast`` extension,
  ``spanmetrics`` processor), as is ``service.telemetry.metrics.address``.

Components defined but never used, and deprecated components, give a ``UserWarning``
(:meth:`CollectorConfig.unused_warnings`), not an error: the collector starts with them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import yaml
from pydantic import model_validator

from ..core.errors import ManifestError, Problem
from ..core.fields import Issues, loc_path, warn
from ..core.model import K8sModel, validate_model

__all__ = [
    "SIGNALS",
    "CollectorConfig",
    "ComponentId",
    "PipelineConfig",
    "ServiceConfig",
]

SIGNALS: tuple[str, ...] = ("traces", "metrics", "logs", "profiles")
"""Pipeline signals the collector knows (``profiles`` needs the ``service.profilesSupport`` gate)."""

_ALL = frozenset(SIGNALS)
_TYPE_RE = re.compile(r"^[a-zA-Z][0-9a-zA-Z_]{0,62}$")
_SECTIONS = ("receivers", "processors", "exporters", "connectors", "extensions")
_SINGULAR = {"receivers": "receiver", "processors": "processor", "exporters": "exporter",
             "connectors": "connector", "extensions": "extension"}

# (section, component type) -> (what happened, the fix). Such a component makes the collector
# fail while it decodes its configuration ("unknown type"), used or not.
REMOVED: dict[tuple[str, str], tuple[str, str]] = {
    ("exporters", "jaeger"): (
        "the 'jaeger' exporter was removed from the collector in v0.85.0, so the collector would not start",
        "Jaeger accepts OTLP natively: use an 'otlp' exporter pointed at Jaeger's OTLP gRPC endpoint "
        "(for example endpoint: jaeger-collector:4317) and list it in the pipeline instead",
    ),
    ("exporters", "jaeger_thrift"): (
        "the 'jaeger_thrift' exporter was removed from the collector in v0.85.0, so the collector would not start",
        "Jaeger accepts OTLP natively: use an 'otlphttp' exporter pointed at Jaeger's OTLP HTTP endpoint "
        "(for example endpoint: http://jaeger-collector:4318) instead",
    ),
    ("exporters", "logging"): (
        "the 'logging' exporter was removed from the collector in v0.111.0, so the collector would not start",
        "use the 'debug' exporter instead (it takes the same 'verbosity' setting)",
    ),
    ("extensions", "memory_ballast"): (
        "the 'memory_ballast' extension is no longer shipped (removed in v0.108.0), so the collector would not start",
        "remove it and set the GOMEMLIMIT environment variable of the collector container (about 80% of its memory limit)",
    ),
    ("processors", "spanmetrics"): (
        "the 'spanmetrics' processor was removed from the collector, so the collector would not start",
        "use the 'spanmetrics' connector: define it under connectors, list it as an exporter of a traces "
        "pipeline and as a receiver of a metrics pipeline",
    ),
}

# Deprecated but still shipped: a warning.
DEPRECATED: dict[tuple[str, str], tuple[str, str]] = {
    ("exporters", "loki"): (
        "the 'loki' exporter is deprecated",
        "Loki ingests OTLP natively: use an 'otlphttp' exporter with endpoint http://<loki>:3100/otlp",
    ),
}

# Single-signal components whose supported signals are certain. Components not listed
# are not checked (the collector knows its factories; this library does not).
RECEIVER_SIGNALS: dict[str, frozenset[str]] = {
    "prometheus": frozenset({"metrics"}),
    "hostmetrics": frozenset({"metrics"}),
    "kubeletstats": frozenset({"metrics"}),
    "statsd": frozenset({"metrics"}),
    "jaeger": frozenset({"traces"}),
    "zipkin": frozenset({"traces"}),
    "filelog": frozenset({"logs"}),
    "journald": frozenset({"logs"}),
    "k8s_events": frozenset({"logs"}),
    "syslog": frozenset({"logs"}),
    "fluentforward": frozenset({"logs"}),
}
EXPORTER_SIGNALS: dict[str, frozenset[str]] = {
    "prometheus": frozenset({"metrics"}),
    "prometheusremotewrite": frozenset({"metrics"}),
    "zipkin": frozenset({"traces"}),
    "loki": frozenset({"logs"}),
}
# Connector type -> supported (signal it consumes as exporter, signal it emits as receiver).
CONNECTOR_PAIRS: dict[str, frozenset[tuple[str, str]]] = {
    "forward": frozenset((s, s) for s in SIGNALS),
    "routing": frozenset((s, s) for s in ("traces", "metrics", "logs")),
    "spanmetrics": frozenset({("traces", "metrics")}),
    "servicegraph": frozenset({("traces", "metrics")}),
    "exceptions": frozenset({("traces", "metrics"), ("traces", "logs")}),
    "count": frozenset((s, "metrics") for s in SIGNALS),
}


@dataclass(frozen=True)
class ComponentId:
    """A component or pipeline ID: ``type`` and optional ``name``, written ``type[/name]``."""

    type: str
    name: str = ""

    @classmethod
    def parse(cls, text: str) -> ComponentId:
        """Split ``type[/name]``; ``ValueError`` (message; fix) when it is not a valid ID."""
        if not isinstance(text, str) or not text:
            raise ValueError(f"{text!r} is not a component ID; write it as type[/name], such as 'otlp' or 'otlp/backend'")
        type_, sep, name = text.partition("/")
        if not _TYPE_RE.match(type_):
            raise ValueError(
                f"{text!r}: the type {type_!r} is not valid; a type starts with a letter and has at most 63 "
                "letters, digits and '_'"
            )
        if sep and not name:
            raise ValueError(f"{text!r}: the part after '/' is empty; write the name after the slash or drop the slash")
        if len(name) > 1024 or any(unicodedata.category(ch)[0] in "ZCS" for ch in name):
            raise ValueError(
                f"{text!r}: the name {name!r} is not valid; use at most 1024 characters without spaces, "
                "control characters or symbols"
            )
        return cls(type_, name)

    def __str__(self) -> str:
        return f"{self.type}/{self.name}" if self.name else self.type


class PipelineConfig(K8sModel):
    """One pipeline under ``service.pipelines``.

    Attributes:
        receivers: ``receivers``: receiver or connector IDs feeding the pipeline. Required by
            the collector (at least one).
        processors: ``processors``: processor IDs, applied in order, each at most once.
            Default: none.
        exporters: ``exporters``: exporter or connector IDs the pipeline sends to. Required
            by the collector (at least one).
    """

    receivers: list[str] | None = None
    processors: list[str] | None = None
    exporters: list[str] | None = None


class ServiceConfig(K8sModel):
    """``service``: which extensions run and how components are wired into pipelines.

    Attributes:
        extensions: ``extensions``: IDs of configured extensions to start. Default: none.
        pipelines: ``pipelines``: pipelines by ID (``signal[/name]``). The collector needs
            at least one.
        telemetry: ``telemetry``: the collector's own logs, metrics and traces settings,
            kept as given. Default: upstream's (info logs, metrics on port 8888).
    """

    extensions: list[str] | None = None
    pipelines: dict[str, PipelineConfig] | None = None
    telemetry: dict[str, Any] | None = None


class CollectorConfig(K8sModel):
    """A whole OpenTelemetry Collector configuration (``config.yaml``).

    Components are mappings from component ID (``type[/name]``) to that component's
    settings, kept as given (``None`` for a component with only defaults, written
    ``batch:`` or ``batch: {}`` in YAML; both round-trip).

    Attributes:
        receivers: ``receivers``: receiver settings by ID. Default: none (the collector needs one).
        processors: ``processors``: processor settings by ID. Default: none.
        exporters: ``exporters``: exporter settings by ID. Default: none (the collector needs one).
        connectors: ``connectors``: connector settings by ID. Default: none.
        extensions: ``extensions``: extension settings by ID. Default: none.
        service: ``service``: see :class:`ServiceConfig`. Required by the collector.
    """

    SUBJECT: ClassVar[str] = "collector config"

    receivers: dict[str, dict[str, Any] | None] | None = None
    processors: dict[str, dict[str, Any] | None] | None = None
    exporters: dict[str, dict[str, Any] | None] | None = None
    connectors: dict[str, dict[str, Any] | None] | None = None
    extensions: dict[str, dict[str, Any] | None] | None = None
    service: ServiceConfig | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Self:
        """Load a configuration mapping (as in ``config.yaml``): :class:`ManifestError` on a start-up rule,
        warnings for unused components."""
        config = validate_model(cls, doc, subject=cls.SUBJECT)
        config.unused_warnings(cls.SUBJECT)
        return config

    @classmethod
    def from_yaml(cls, text: str, subject: str | None = None) -> Self:
        """Parse ``config.yaml`` text; :class:`ManifestError` if it is not YAML or breaks a rule."""
        doc = _load_yaml(text, subject or cls.SUBJECT, "")
        config = validate_model(cls, doc, subject=subject or cls.SUBJECT)
        config.unused_warnings(subject or cls.SUBJECT)
        return config

    def to_dict(self) -> dict[str, Any]:
        """The configuration as a plain mapping (only what was set)."""
        return self.dump()

    def to_yaml(self) -> str:
        """The configuration as ``config.yaml`` text, keys in the order given."""
        return yaml.safe_dump(self.to_dict(), sort_keys=False, default_flow_style=False)

    # -- queries ---------------------------------------------------------------------------
    def section(self, name: str) -> dict[str, dict[str, Any] | None]:
        """The components of one section (``receivers``...), empty when not set."""
        return dict(getattr(self, name) or {})

    def pipelines(self) -> dict[str, PipelineConfig]:
        """``service.pipelines`` (empty when not set)."""
        return dict((self.service.pipelines if self.service else None) or {})

    def references(self) -> Iterator[tuple[str, str, int, str]]:
        """Every (pipeline ID, role, index, component ID) a pipeline lists; role is receivers/processors/exporters."""
        for pid, pipeline in self.pipelines().items():
            for role in ("receivers", "processors", "exporters"):
                for i, ref in enumerate(getattr(pipeline, role) or []):
                    yield pid, role, i, ref

    # -- the collector's start-up rules -----------------------------------------------------
    @model_validator(mode="after")
    def _check_startup_rules(self) -> Self:
        issues = Issues()
        for loc, message in self.startup_problems():
            issues.add(loc, message)
        issues.raise_any("CollectorConfig")
        return self

    def startup_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Every start-up rule this configuration breaks, as (location, "message; fix")."""
        out: list[tuple[tuple[str | int, ...], str]] = []
        receivers, processors = self.section("receivers"), self.section("processors")
        exporters, connectors, extensions = self.section("exporters"), self.section("connectors"), self.section("extensions")
        used_in: dict[tuple[str, str], list[str]] = {}
        for pid, role, _i, ref in self.references():
            used_in.setdefault((role, ref), []).append(pid)

        # Component IDs and removed components.
        for section in _SECTIONS:
            for cid in self.section(section):
                try:
                    parsed = ComponentId.parse(cid)
                except ValueError as exc:
                    out.append(((section, cid), f"{_SINGULAR[section]} ID {exc}"))
                    continue
                removed = REMOVED.get((section, parsed.type))
                if removed:
                    where = sorted(set(used_in.get((section, cid), [])))
                    used = f" (used in pipeline {', '.join(repr(p) for p in where)})" if where else ""
                    out.append(((section, cid), f"{_SINGULAR[section]} {cid!r}: {removed[0]}{used}; {removed[1]}"))

        # Connector IDs must not also be receiver or exporter IDs.
        for cid in connectors:
            for other, kind in ((exporters, "exporter"), (receivers, "receiver")):
                if cid in other:
                    out.append(((("connectors", cid)),
                                f"ID {cid!r} is used by both a connector and an {kind}, which the collector refuses as "
                                f"ambiguous; rename one of them (for example the connector to '{cid}/connector') "
                                "and update the pipelines"))

        # service.extensions must be configured.
        service_exts = (self.service.extensions if self.service else None) or []
        for i, ext in enumerate(service_exts):
            if ext not in extensions:
                fix = REMOVED.get(("extensions", ext.partition("/")[0]))
                out.append((("service", "extensions", i),
                            f"service.extensions lists extension {ext!r}, which is not configured; "
                            + (fix[1] if fix else f"define {ext!r} under extensions or remove it from service.extensions")))

        pipelines = self.pipelines()
        if not pipelines:
            out.append((("service", "pipelines"),
                        "no pipeline is defined, so the collector would not start; add at least one under "
                        "service.pipelines, for example traces: {receivers: [otlp], exporters: [debug]}"))
        signals: dict[str, str] = {}
        for pid, pipeline in pipelines.items():
            base = ("service", "pipelines", pid)
            signal, _, pname = pid.partition("/")
            if signal not in SIGNALS:
                out.append((base, f"pipeline {pid!r} has unknown signal {signal!r}; name pipelines traces, metrics, "
                                  "logs or profiles, optionally followed by '/name' (such as 'traces/backend')"))
            elif _ and not pname:
                out.append((base, f"pipeline {pid!r} has an empty name after '/'; write the name after the slash "
                                  f"(such as '{signal}/backend') or drop the slash"))
            else:
                signals[pid] = signal
            if not pipeline.receivers:
                out.append((base + ("receivers",), f"pipeline {pid!r} has no receiver; list at least one receiver "
                                                   "(or a connector) under its receivers"))
            if not pipeline.exporters:
                out.append((base + ("exporters",), f"pipeline {pid!r} has no exporter; list at least one exporter "
                                                   "(or a connector) under its exporters"))
            for i, ref in enumerate(pipeline.receivers or []):
                if ref not in receivers and ref not in connectors:
                    out.append((base + ("receivers", i), _undefined(pid, "receiver", ref, "receivers (or connectors)")))
            seen: set[str] = set()
            for i, ref in enumerate(pipeline.processors or []):
                if ref not in processors:
                    out.append((base + ("processors", i), _undefined(pid, "processor", ref, "processors")))
                if ref in seen:
                    out.append((base + ("processors", i),
                                f"pipeline {pid!r} lists processor {ref!r} more than once; list each processor "
                                "once per pipeline (define a second one as "
                                f"'{ref.partition('/')[0]}/<name>' if you need two)"))
                seen.add(ref)
            for i, ref in enumerate(pipeline.exporters or []):
                if ref not in exporters and ref not in connectors:
                    out.append((base + ("exporters", i), _undefined(pid, "exporter", ref, "exporters (or connectors)")))

        # Signals each well-known component handles.
        for pid, role, i, ref in self.references():
            handled = signals.get(pid)
            if handled is None or ref in connectors:
                continue
            signal = handled
            table = {"receivers": RECEIVER_SIGNALS, "exporters": EXPORTER_SIGNALS}.get(role, {})
            supported = table.get(ref.partition("/")[0])
            if supported is not None and signal not in supported:
                kind = _SINGULAR[role]
                out.append((("service", "pipelines", pid, role, i),
                            f"{kind} {ref!r} does not handle {signal} (only {', '.join(sorted(supported))}), so the "
                            f"collector would not build pipeline {pid!r}; move {ref!r} to a "
                            f"{' or '.join(sorted(supported))} pipeline"))

        out.extend(self._connector_problems(connectors, signals))
        out.extend(self._telemetry_problems())
        return out

    def _connector_problems(self, connectors: dict[str, Any], signals: dict[str, str]) -> list[tuple[tuple[str | int, ...], str]]:
        out: list[tuple[tuple[str | int, ...], str]] = []
        as_exporter: dict[str, list[tuple[str, int]]] = {}
        as_receiver: dict[str, list[tuple[str, int]]] = {}
        for pid, role, i, ref in self.references():
            if ref in connectors and role in ("receivers", "exporters"):
                (as_exporter if role == "exporters" else as_receiver).setdefault(ref, []).append((pid, i))
        ambiguous = {cid for cid in connectors if cid in self.section("exporters") or cid in self.section("receivers")}
        for cid in connectors:
            if cid in ambiguous:
                continue  # reported as ambiguous; the pipelines resolve the ID to the exporter or receiver
            exp, rcv = as_exporter.get(cid, []), as_receiver.get(cid, [])
            if exp and not rcv:
                pids = ", ".join(repr(p) for p, _ in exp)
                out.append((("connectors", cid),
                            f"connector {cid!r} is used as exporter in pipeline {pids} but as receiver in no pipeline; "
                            f"a connector must be both: list {cid!r} under the receivers of the pipeline it feeds"))
            elif rcv and not exp:
                pids = ", ".join(repr(p) for p, _ in rcv)
                out.append((("connectors", cid),
                            f"connector {cid!r} is used as receiver in pipeline {pids} but as exporter in no pipeline; "
                            f"a connector must be both: list {cid!r} under the exporters of the pipeline it reads from"))
            if not (exp and rcv):
                continue
            pairs = CONNECTOR_PAIRS.get(ComponentId.parse(cid).type if _TYPE_RE.match(cid.partition("/")[0]) else "")
            if pairs is None:
                continue
            for pid, i in exp:
                s = signals.get(pid)
                if s and not any((s, signals.get(q)) in pairs for q, _ in rcv):
                    outs = sorted({t for f, t in pairs if f == s})
                    out.append((("service", "pipelines", pid, "exporters", i),
                                f"connector {cid!r} is used as exporter in {s} pipeline {pid!r} but no pipeline that "
                                f"receives from it takes what it emits from {s} "
                                f"({', '.join(outs) if outs else 'it does not accept ' + s}); list {cid!r} under the "
                                f"receivers of a {' or '.join(outs) if outs else 'supported'} pipeline"))
            for pid, i in rcv:
                s = signals.get(pid)
                if s and not any((signals.get(q), s) in pairs for q, _ in exp):
                    ins = sorted({f for f, t in pairs if t == s})
                    out.append((("service", "pipelines", pid, "receivers", i),
                                f"connector {cid!r} is used as receiver in {s} pipeline {pid!r} but no pipeline that "
                                f"exports to it produces {s} through it "
                                f"({'it emits ' + s + ' from ' + ', '.join(ins) if ins else 'it does not emit ' + s}); "
                                f"list {cid!r} under the exporters of a "
                                f"{' or '.join(ins) if ins else 'supported'} pipeline"))
        # Cycles: pipeline P -> Q when a connector is exporter in P and receiver in Q.
        edges: dict[str, list[tuple[str, str]]] = {}
        for cid in set(connectors) - ambiguous:
            for p, _ in as_exporter.get(cid, []):
                for q, _ in as_receiver.get(cid, []):
                    edges.setdefault(p, []).append((q, cid))
        cycle = _find_cycle(edges)
        if cycle:
            text = " -> ".join(f"{p} -[{c}]" for p, c in cycle[:-1]) + f" -> {cycle[-1][0]}"
            first = cycle[0][0]
            out.append((("service", "pipelines", first),
                        f"pipelines joined by connectors form a cycle ({text}), which the collector refuses; "
                        f"connector {cycle[0][1]!r} must not feed back into pipeline {first!r}"))
        return out

    def _telemetry_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        telemetry = (self.service.telemetry if self.service else None) or {}
        metrics = telemetry.get("metrics") if isinstance(telemetry, Mapping) else None
        if isinstance(metrics, Mapping) and "address" in metrics:
            return [(("service", "telemetry", "metrics", "address"),
                     f"service.telemetry.metrics.address ({metrics['address']!r}) is no longer accepted by the "
                     "collector; declare the endpoint as readers: [{pull: {exporter: {prometheus: {host: "
                     "'0.0.0.0', port: 8888}}}}] under service.telemetry.metrics")]
        return []

    # -- warnings ------------------------------------------------------------------------
    def unused_problems(self) -> list[tuple[str, str]]:
        """Components defined but never used, deprecated ones and gated signals, as (path, "message; fix")."""
        out: list[tuple[str, str]] = []
        used = {(role, ref) for _pid, role, _i, ref in self.references()}
        connector_used = {ref for _pid, _role, _i, ref in self.references()}
        for section in ("receivers", "processors", "exporters"):
            for cid in self.section(section):
                if (section, cid) not in used:
                    out.append((loc_path((section, cid)),
                                f"{_SINGULAR[section]} {cid!r} is defined but no pipeline uses it, so the collector "
                                f"ignores it; add it to a pipeline or remove it"))
        for cid in self.section("connectors"):
            if cid not in connector_used:
                out.append((loc_path(("connectors", cid)),
                            f"connector {cid!r} is defined but no pipeline uses it; list it as exporter of one pipeline "
                            "and receiver of another, or remove it"))
        service_exts = set((self.service.extensions if self.service else None) or [])
        for cid in self.section("extensions"):
            if cid not in service_exts:
                out.append((loc_path(("extensions", cid)),
                            f"extension {cid!r} is configured but not listed in service.extensions, so it does not "
                            "run; add it to service.extensions or remove it"))
        for section in _SECTIONS:
            for cid in self.section(section):
                deprecated = DEPRECATED.get((section, cid.partition("/")[0]))
                if deprecated:
                    out.append((loc_path((section, cid)), f"{_SINGULAR[section]} {cid!r}: {deprecated[0]}; {deprecated[1]}"))
        for pid in self.pipelines():
            if pid.partition("/")[0] == "profiles":
                out.append((loc_path(("service", "pipelines", pid)),
                            f"pipeline {pid!r} carries profiles, which the collector accepts only with the "
                            "service.profilesSupport feature gate; start the collector with "
                            "--feature-gates=service.profilesSupport"))
        return out

    def unused_warnings(self, subject: str, prefix: str = "") -> None:
        """Emit :meth:`unused_problems` as ``UserWarning`` naming ``subject`` (paths under ``prefix``)."""
        for path, message in self.unused_problems():
            warn(subject, f"{prefix}.{path}" if prefix else path, message)


def _undefined(pid: str, kind: str, ref: str, section: str) -> str:
    removed = REMOVED.get((f"{kind}s", ref.partition("/")[0]))
    if removed:
        return f"pipeline {pid!r} references {kind} {ref!r}: {removed[0]}; {removed[1]}"
    return (f"pipeline {pid!r} references {kind} {ref!r}, which is not configured, so the collector would not start; "
            f"define {ref!r} under {section} or remove it from the pipeline")


def _find_cycle(edges: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str]] | None:
    """A cycle in the pipeline graph as [(pipeline, connector), ..., (start pipeline, '')], or None."""
    state: dict[str, int] = {}
    stack: list[tuple[str, str]] = []

    def visit(node: str) -> list[tuple[str, str]] | None:
        state[node] = 1
        for nxt, via in edges.get(node, []):
            stack.append((node, via))
            if state.get(nxt) == 1:
                start = next(i for i, (p, _) in enumerate(stack) if p == nxt)
                return stack[start:] + [(nxt, "")]
            if state.get(nxt, 0) == 0:
                found = visit(nxt)
                if found:
                    return found
            stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if state.get(node, 0) == 0:
            found = visit(node)
            if found:
                return found
    return None


def _load_yaml(text: str, subject: str, path: str) -> Any:
    if not isinstance(text, str):
        raise ManifestError(Problem(subject, path, f"expected the configuration as YAML text, got {type(text).__name__}",
                                    "pass the collector configuration as a string"))
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ManifestError(Problem(subject, path, f"the collector configuration is not valid YAML{where}: "
                                                   f"{getattr(exc, 'problem', None) or exc}", "fix the YAML syntax")) from None
    if not isinstance(doc, Mapping):
        raise ManifestError(Problem(subject, path, f"the collector configuration must be a mapping, got {type(doc).__name__}",
                                    "write receivers, exporters and service as top-level keys"))
    return doc
