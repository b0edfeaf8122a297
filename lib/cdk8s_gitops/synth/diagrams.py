"""Mermaid diagrams and tables for the READMEs in ``dist/``, drawn from the rendered manifests.

Every function here is pure: it reads manifests (plain dicts, as synth renders them) and
returns Markdown that GitHub renders, with Mermaid ``flowchart`` blocks and tables. A
section is returned only when it has something to show; otherwise the result is ``""``.

- :func:`argocd_section`: the Argo CD tree: root Application or ApplicationSet, child
  Applications, their sources, target namespaces, sync policies and sync waves.
- :func:`traffic_section`: Gateways and listeners, HTTPRoutes, GRPCRoutes and Ingresses,
  the Services behind them and the Rollout or Deployment behind those, with the canary
  steps (or the blue-green flow) as a table.
- :func:`secrets_section`: ExternalSecret, its store and the store's provider, the target
  Secret (key names only, never values) and the workloads that read it.
- :func:`observability_section`: OpenTelemetry collector pipelines (receivers, processors,
  exporters; from an ``OpenTelemetryCollector`` or a collector ConfigMap), ServiceMonitors
  and PodMonitors, and alert rules.
- :func:`inventory_section`: every object by kind and name, images with their tags, and the
  resources each container requests.

:func:`app_sections` and :func:`environment_sections` put them together for one app folder
and for an environment's folder. Output is deterministic: everything is sorted, node ids
derive from the objects' kinds, namespaces and names, and labels are escaped for Mermaid.
"""

from __future__ import annotations

import fnmatch
import hashlib
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import yaml

from ..core.resource import SYNC_WAVE
from ..core.units import parse_quantity

if TYPE_CHECKING:
    from .build import AppOutput

__all__ = [
    "Flowchart",
    "app_sections",
    "argocd_section",
    "environment_sections",
    "escape_label",
    "inventory_section",
    "mermaid_blocks",
    "observability_section",
    "secrets_section",
    "traffic_section",
]

Manifest = Mapping[str, Any]

WORKLOAD_KINDS = ("Deployment", "Rollout", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")
"""Kinds whose pods are drawn and counted (their pod template is read)."""

_EXTERNAL_ANNOTATION = "gitops.cdk8s.io/external"


# --------------------------------------------------------------------------------------------
# Mermaid and Markdown building blocks
# --------------------------------------------------------------------------------------------

_ENTITY = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "|": "#124;"}


def escape_label(text: object) -> str:
    """``text`` made safe inside a quoted Mermaid label (``id["..."]``, ``-->|"..."|``).

    Characters Mermaid or its HTML labels would interpret (``"``, ``#``, ``<``, ``>``, ``&``,
    backtick, ``|``) become Mermaid entity codes, which render as the character itself;
    line breaks become spaces. Use :meth:`Flowchart.node` with several lines for breaks.
    """
    out = []
    for ch in str(text):
        if ch in _ENTITY:
            out.append(_ENTITY[ch])
        elif ch in "\r\n\t":
            out.append(" ")
        elif ord(ch) < 32:
            continue
        else:
            out.append(ch)
    return "".join(out)


def _label(lines: str | Sequence[object]) -> str:
    parts = [lines] if isinstance(lines, str) else [str(x) for x in lines if x not in (None, "")]
    return '"' + "<br/>".join(escape_label(p) for p in parts) + '"'


_SHAPES = {
    "box": ("[", "]"),
    "round": ("(", ")"),
    "stadium": ("([", "])"),
    "cylinder": ("[(", ")]"),
    "hexagon": ("{{", "}}"),
    "parallelogram": ("[/", "/]"),
    "circle": ("((", "))"),
    "subroutine": ("[[", "]]"),
}

_ARROWS = {"solid": "-->", "dotted": "-.->", "thick": "==>", "line": "---"}


class Flowchart:
    """A Mermaid ``flowchart`` assembled from nodes, subgraphs and edges, rendered deterministically.

    Node ids are made from the caller's key (a tuple of strings such as kind, namespace and
    name): letters, digits and ``_`` only, with a short hash added when two different keys
    would give the same id. Nodes are written in the order they were first added, edges
    sorted and without duplicates, so the same input always gives the same text.

    Args:
        direction: ``LR`` (left to right, the default), ``TB``, ``RL`` or ``BT``.
    """

    def __init__(self, direction: str = "LR") -> None:
        if direction not in ("LR", "TB", "TD", "RL", "BT"):
            raise ValueError(f"flowchart direction {direction!r} is not one of LR, TB, TD, RL, BT")
        self.direction = direction
        self._ids: dict[tuple[str, ...], str] = {}
        self._taken: set[str] = set()
        self._nodes: dict[str, tuple[str | None, str]] = {}  # id -> (subgraph id, text)
        self._subgraphs: dict[str, tuple[str | None, str]] = {}  # id -> (parent subgraph id, title)
        self._edges: set[tuple[str, str, str, str]] = set()

    def id(self, *key: object) -> str:
        """The stable node id for ``key``."""
        k = tuple(str(p) for p in key)
        if k in self._ids:
            return self._ids[k]
        base = "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_") for p in k if p) or "node"
        base = base[:60].rstrip("_")
        ident = f"n_{base}"
        if ident in self._taken:
            digest = hashlib.sha1("\x00".join(k).encode()).hexdigest()[:8]
            ident = f"{ident}_{digest}"
        self._taken.add(ident)
        self._ids[k] = ident
        return ident

    def has(self, *key: object) -> bool:
        """Whether a node or subgraph with ``key`` was added."""
        k = tuple(str(p) for p in key)
        return k in self._ids and (self._ids[k] in self._nodes or self._ids[k] in self._subgraphs)

    def subgraph(self, key: tuple[object, ...], title: str | Sequence[object], parent: str | None = None) -> str:
        """Add (once) a subgraph titled ``title``, inside subgraph ``parent`` if given; returns its id."""
        ident = self.id(*key)
        if ident not in self._subgraphs:
            self._subgraphs[ident] = (parent, _label(title))
        return ident

    def node(self, key: tuple[object, ...], lines: str | Sequence[object], shape: str = "box",
             subgraph: str | None = None) -> str:
        """Add (once) a node showing ``lines`` (one per row) with ``shape``; returns its id."""
        ident = self.id(*key)
        if ident not in self._nodes:
            opening, closing = _SHAPES[shape]
            self._nodes[ident] = (subgraph, f"{ident}{opening}{_label(lines)}{closing}")
        return ident

    def edge(self, source: str, target: str, label: str = "", style: str = "solid") -> None:
        """Connect two node (or subgraph) ids, optionally with a label."""
        self._edges.add((source, target, label, style))

    def __bool__(self) -> bool:
        return bool(self._nodes)

    def render(self) -> str:
        """The diagram text (without the Markdown fence)."""
        lines = [f"flowchart {self.direction}"]

        def emit(parent: str | None, depth: int) -> None:
            pad = "    " * depth
            for ident, (owner, text) in self._nodes.items():
                if owner == parent:
                    lines.append(pad + text)
            for sg, (owner, title) in self._subgraphs.items():
                if owner == parent:
                    lines.append(f"{pad}subgraph {sg} [{title}]")
                    emit(sg, depth + 1)
                    lines.append(f"{pad}end")

        emit(None, 1)
        for source, target, label, style in sorted(self._edges):
            arrow = _ARROWS[style]
            text = f"|{_label(label)}|" if label else ""
            lines.append(f"    {source} {arrow}{text} {target}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The diagram in a fenced ``mermaid`` block."""
        return "```mermaid\n" + self.render() + "\n```"


def mermaid_blocks(markdown: str) -> list[str]:
    """The text of every fenced ``mermaid`` block in ``markdown``, in order."""
    return [m.group(1) for m in re.finditer(r"^```mermaid\n(.*?)\n```$", markdown, re.DOTALL | re.MULTILINE)]


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _cell(value: object) -> str:
    """``value`` as plain text in a Markdown table cell: one line, ``|`` escaped, no HTML."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _one_line(text)


def _code(value: object) -> str:
    """``value`` as inline code in a Markdown table cell (code spans need no HTML escaping)."""
    text = _one_line(value)
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return out


# --------------------------------------------------------------------------------------------
# Reading manifests
# --------------------------------------------------------------------------------------------

def _meta(m: Manifest) -> Mapping[str, Any]:
    return m.get("metadata") or {}


def _name(m: Manifest) -> str:
    return str(_meta(m).get("name", ""))


def _ns(m: Manifest) -> str:
    return str(_meta(m).get("namespace") or "")


def _kind(m: Manifest) -> str:
    return str(m.get("kind", ""))


def _spec(m: Manifest) -> Mapping[str, Any]:
    spec = m.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _wave(m: Manifest) -> str:
    return str((_meta(m).get("annotations") or {}).get(SYNC_WAVE, ""))


def _key(m: Manifest) -> tuple[str, str, str]:
    return (_kind(m), _ns(m), _name(m))


def _of(manifests: Iterable[Manifest], *kinds: str) -> list[Manifest]:
    return sorted((m for m in manifests if _kind(m) in kinds), key=_key)


def _pod_template(m: Manifest) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """(pod template labels, pod spec) of a workload; empty when it has none."""
    kind, spec = _kind(m), _spec(m)
    if kind == "Pod":
        return _meta(m).get("labels") or {}, spec
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec") or {})
    template = spec.get("template") or {}
    if not isinstance(template, Mapping):
        return {}, {}
    return ((template.get("metadata") or {}).get("labels") or {}), (template.get("spec") or {})


def _containers(pod: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], bool]]:
    found = [(c, True) for c in pod.get("initContainers") or [] if isinstance(c, Mapping)]
    found += [(c, False) for c in pod.get("containers") or [] if isinstance(c, Mapping)]
    return found


def _selects(selector: Mapping[str, Any] | None, labels: Mapping[str, Any]) -> bool:
    """Whether a plain label selector (or a LabelSelector's matchLabels) selects ``labels``."""
    if not selector:
        return False
    match = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
    if not isinstance(match, Mapping) or not match:
        return False
    return all(labels.get(k) == v for k, v in match.items())


def _image_parts(image: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference."""
    ref, _, digest = image.partition("@")
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        return ref[:colon], ref[colon + 1:], digest
    return ref, "", digest


def _images_in(node: Any, key: str = "") -> list[str]:
    found: list[str] = []
    if isinstance(node, Mapping):
        for k, v in node.items():
            found += _images_in(v, str(k))
    elif isinstance(node, list):
        for v in node:
            found += _images_in(v, key)
    elif key == "image" and isinstance(node, str):
        found.append(node)
    return found


def _duration_text(value: Any) -> str:
    return str(value) if value not in (None, "") else ""


def _ref_text(kind: str, ns: str, name: str, home_ns: str) -> str:
    return f"{kind} {ns + '/' if ns and ns != home_ns else ''}{name}"


# --------------------------------------------------------------------------------------------
# Argo CD
# --------------------------------------------------------------------------------------------

def _sources(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if isinstance(spec.get("sources"), list):
        return [s for s in spec["sources"] if isinstance(s, Mapping)]
    return [spec["source"]] if isinstance(spec.get("source"), Mapping) else []


def _source_text(src: Mapping[str, Any]) -> str:
    rev = src.get("targetRevision") or "HEAD"
    if src.get("chart"):
        return f"Helm chart {src['chart']} {rev} from {src.get('repoURL', '')}"
    where = src.get("path") or "."
    kind = " (Kustomize)" if src.get("kustomize") else " (Helm)" if src.get("helm") else ""
    return f"Git {src.get('repoURL', '')} path {where} at {rev}{kind}"


def _source_short(src: Mapping[str, Any]) -> str:
    if src.get("chart"):
        return f"chart {src['chart']} {src.get('targetRevision') or ''}".strip()
    return f"{src.get('path') or '.'} @ {src.get('targetRevision') or 'HEAD'}"


def _sync_text(spec: Mapping[str, Any]) -> str:
    policy = spec.get("syncPolicy") or {}
    automated = policy.get("automated")
    if isinstance(automated, Mapping) and automated.get("enabled", True) is not False:
        flags = [f for f, on in (("prune", automated.get("prune")), ("self-heal", automated.get("selfHeal"))) if on]
        text = "automated" + (f" ({', '.join(flags)})" if flags else "")
    else:
        text = "manual"
    options = policy.get("syncOptions") or []
    return text + (f"; {', '.join(str(o) for o in options)}" if options else "")


def _dest_text(dest: Mapping[str, Any]) -> tuple[str, str]:
    cluster = str(dest.get("name") or dest.get("server") or "")
    return cluster, str(dest.get("namespace") or "")


_TEMPLATE_VAR = re.compile(r"\{\{-?\s*\.?([A-Za-z0-9_.]+)\s*-?\}\}")
_TEMPLATE_INDEX = re.compile(r"\{\{-?\s*index\s+\.?([A-Za-z0-9_.]+)\s+(\d+)\s*-?\}\}")


def _fill(text: Any, values: Mapping[str, str]) -> str:
    """Substitute the ApplicationSet parameters that are known (``{{.path.basename}}``,
    ``{{index .path.segments 2}}``, ``{{cluster}}``); others are left as they are."""
    text = _TEMPLATE_INDEX.sub(lambda m: values.get(f"{m.group(1)}.{m.group(2)}", m.group(0)), str(text))
    return _TEMPLATE_VAR.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _generated(appset: Manifest, folders: Sequence[str], repo_url: str | None = None) -> tuple[list[str], list[dict[str, str]]]:
    """(generator descriptions, parameter sets it yields for the folders we know)."""
    texts: list[str] = []
    params: list[dict[str, str]] = []
    for gen in _spec(appset).get("generators") or []:
        if not isinstance(gen, Mapping):
            continue
        for gtype, body in sorted(gen.items()):
            body = body if isinstance(body, Mapping) else {}
            if gtype == "git" and body.get("directories"):
                include = [d.get("path") for d in body["directories"] if isinstance(d, Mapping) and not d.get("exclude")]
                exclude = [d.get("path") for d in body["directories"] if isinstance(d, Mapping) and d.get("exclude")]
                texts.append("Git directories " + ", ".join(str(p) for p in include)
                             + (f" (except {', '.join(str(p) for p in exclude)})" if exclude else ""))
                for folder in folders if _same_repo(body.get("repoURL"), repo_url) else ():
                    if any(fnmatch.fnmatchcase(folder, str(p)) for p in include) and not any(
                            fnmatch.fnmatchcase(folder, str(p)) for p in exclude):
                        base = posixpath.basename(folder)
                        values = {"path.path": folder, "path.basename": base, "path": folder,
                                  "path.basenameNormalized": re.sub(r"[^a-z0-9-]", "-", base.lower())}
                        values.update({f"path.segments.{i}": seg for i, seg in enumerate(folder.split("/"))})
                        params.append(values)
            elif gtype == "git" and body.get("files"):
                texts.append("Git files " + ", ".join(str(f.get("path")) for f in body["files"] if isinstance(f, Mapping)))
            elif gtype == "list":
                elements = [e for e in body.get("elements") or [] if isinstance(e, Mapping)]
                texts.append(f"list of {len(elements)}")
                params += [{str(k): str(v) for k, v in e.items() if not isinstance(v, (Mapping, list))} for e in elements]
            else:
                texts.append(gtype)
    return texts, params


def _same_repo(url: Any, repo_url: str | None) -> bool:
    if repo_url is None:
        return True

    def norm(u: Any) -> str:
        text = str(u or "").strip().rstrip("/")
        return text[:-4] if text.endswith(".git") else text

    return norm(url) == norm(repo_url)


def argocd_section(folders: Mapping[str, Sequence[Manifest]], repo_url: str | None = None,
                   heading: str = "## Argo CD") -> str:
    """The Argo CD tree of the Applications and ApplicationSets in ``folders``.

    Args:
        folders: the manifests of each folder Argo CD reads, by repository path
            (``dist/dev/hello-web``). An Application whose source path is one of these folders
            is drawn as the parent of the Applications and ApplicationSets inside it; an
            ApplicationSet's Git directory generator is matched against these paths.
        repo_url: the Git repository holding ``folders``; sources in other repositories are not
            matched against them. Default: none (match on the path alone).
        heading: the Markdown heading of the section.

    Returns:
        A diagram (Application -> child Application, Application -> destination namespace),
        and a table of every Application with its source, destination, sync policy and sync
        wave; ``""`` when there is no Application or ApplicationSet.
    """
    where: dict[tuple[str, str, str], str] = {}
    objects: list[Manifest] = []
    for folder in sorted(folders):
        for m in _of(folders[folder], "Application", "ApplicationSet"):
            where.setdefault(_key(m), folder)
            objects.append(m)
    if not objects:
        return ""
    objects.sort(key=_key)
    paths = sorted(folders)
    chart = Flowchart("LR")
    rows: list[list[str]] = []
    # The Applications/ApplicationSets each folder holds, so the Application syncing it can point at them.
    children_of_path: dict[str, list[str]] = {}
    for m in objects:
        children_of_path.setdefault(where[_key(m)], []).append(chart.id(*_key(m)))

    parents: dict[str, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str, str]] = []
    clusters: dict[str, str] = {}

    def destination(app_id: str, spec: Mapping[str, Any], values: Mapping[str, str] | None = None) -> tuple[str, str]:
        cluster, namespace = _dest_text(spec.get("destination") or {})
        if values is not None:
            cluster, namespace = _fill(cluster, values), _fill(namespace, values)
        if namespace:
            sg = clusters.setdefault(cluster, chart.subgraph(("cluster", cluster), f"cluster {cluster or '(default)'}"))
            ns_id = chart.node(("ns", cluster, namespace), f"namespace {namespace}", "round", sg)
            edges.append((app_id, ns_id, "", "solid"))
        return cluster, namespace

    def children(app_id: str, spec: Mapping[str, Any], values: Mapping[str, str] | None = None) -> None:
        for src in _sources(spec):
            path = src.get("path")
            if src.get("chart") or not path or not _same_repo(src.get("repoURL"), repo_url):
                continue
            path = _fill(path, values) if values else str(path)
            for child in children_of_path.get(path.rstrip("/"), []):
                if child != app_id:
                    edges.append((app_id, child, "", "solid"))
                    parents[child].add(app_id)

    for m in objects:
        kind, ns, name = _key(m)
        spec = _spec(m)
        ident = chart.id(kind, ns, name)
        wave = _wave(m)
        if kind == "Application":
            srcs = _sources(spec)
            sync = _sync_text(spec).split(";")[0]
            chart.node((kind, ns, name), [name, *(_source_short(s) for s in srcs), sync + (f", wave {wave}" if wave else "")])
            children(ident, spec)
            cluster, namespace = destination(ident, spec)
            rows.append([_code(name), "Application", _cell(spec.get("project", "")),
                         "<br>".join(_cell(_source_text(s)) for s in srcs),
                         _cell(f"{namespace or '(none)'} on {cluster}"), _cell(_sync_text(spec)), _cell(wave)])
        else:
            texts, params = _generated(m, paths, repo_url)
            chart.node((kind, ns, name), [f"ApplicationSet {name}", *texts], "hexagon")
            template = spec.get("template") or {}
            tspec = template.get("spec") or {}
            tname = (template.get("metadata") or {}).get("name", "")
            srcs = _sources(tspec)
            cluster, namespace = _dest_text(tspec.get("destination") or {})
            rows.append([_code(name), "ApplicationSet", _cell(tspec.get("project", "")),
                         "<br>".join(_cell(_source_text(s)) for s in srcs) + (f"<br>generators: {_cell('; '.join(texts))}" if texts else ""),
                         _cell(f"{namespace or '(none)'} on {cluster}"), _cell(_sync_text(tspec)), _cell(wave)])
            if not params:
                placeholder = chart.node(("generated", ns, name), [_fill(tname, {}), "one per generated entry"], "box")
                edges.append((ident, placeholder, "generates", "dotted"))
                destination(placeholder, tspec)
            for values in sorted(params, key=lambda v: sorted(v.items())):
                gname = _fill(tname, values)
                gsrcs = [{k: _fill(v, values) if isinstance(v, str) else v for k, v in s.items()} for s in srcs]
                gen_id = chart.node(("generated", ns, name, gname),
                                    [gname, *(_source_short(s) for s in gsrcs), _sync_text(tspec).split(";")[0]], "box")
                edges.append((ident, gen_id, "generates", "dotted"))
                cluster_g, namespace_g = destination(gen_id, tspec, values)
                children(gen_id, tspec, values)
                rows.append([_code(gname), f"Application (from {_code(name)})", _cell(tspec.get("project", "")),
                             "<br>".join(_cell(_source_text(s)) for s in gsrcs),
                             _cell(f"{namespace_g or '(none)'} on {cluster_g}"), _cell(_sync_text(tspec)), ""])
    for source, target, label, style in edges:
        chart.edge(source, target, label, style)
    roots = [m for m in objects if chart.id(*_key(m)) not in parents]
    lines = [heading, ""]
    if roots:
        names = ", ".join(_code(_name(m)) for m in roots)
        lines += [f"Top of the tree (no Application shown here syncs {'it' if len(roots) == 1 else 'them'}): {names}. "
                  "An arrow from an Application to another means the first syncs the folder holding the second.", ""]
    lines += [chart.markdown(), ""]
    lines += _table(["application", "kind", "project", "source", "destination", "sync policy", "sync wave"], rows)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Traffic
# --------------------------------------------------------------------------------------------

def _workloads_behind(svc: Manifest, workloads: Sequence[Manifest]) -> list[Manifest]:
    selector = _spec(svc).get("selector")
    if not isinstance(selector, Mapping) or not selector:
        return []
    return [w for w in workloads if _ns(w) == _ns(svc) and _selects(selector, _pod_template(w)[0])]


def _rollout_role(rollout: Manifest, service: str) -> str:
    strategy = _spec(rollout).get("strategy") or {}
    canary, blue_green = strategy.get("canary") or {}, strategy.get("blueGreen") or {}
    roles = {canary.get("stableService"): "stable", canary.get("canaryService"): "canary",
             blue_green.get("activeService"): "active", blue_green.get("previewService"): "preview"}
    roles.pop(None, None)
    return roles.get(service, "")


def _strategy_name(w: Manifest) -> str:
    strategy = _spec(w).get("strategy") or {}
    if _kind(w) == "Rollout":
        if "canary" in strategy:
            return "canary"
        if "blueGreen" in strategy:
            return "blue-green"
        return ""
    if _kind(w) in ("Deployment", "DaemonSet"):
        return str(strategy.get("type") or "RollingUpdate")
    if _kind(w) == "StatefulSet":
        return str((_spec(w).get("updateStrategy") or {}).get("type") or "RollingUpdate")
    return ""


def _step_rows(canary: Mapping[str, Any], name: str) -> list[list[str]]:
    weight = 0
    rows: list[list[str]] = []
    for i, step in enumerate(canary.get("steps") or [], 1):
        if not isinstance(step, Mapping):
            continue
        for action, body in step.items():
            body = body if body is not None else {}
            if action == "setWeight":
                weight = int(body) if isinstance(body, int) else weight
                detail = f"send {body}% of traffic to the new version"
            elif action == "pause":
                duration = body.get("duration") if isinstance(body, Mapping) else None
                detail = (f"wait {duration}" if duration not in (None, "") else
                          f"wait until promoted (`kubectl argo rollouts promote {_cell(name)}`)")
            elif action == "analysis" and isinstance(body, Mapping):
                detail = "run analysis " + ", ".join(_code(t) for t in _template_names(body)) + "; roll back if it fails"
            elif action == "experiment" and isinstance(body, Mapping):
                templates = [str(t.get("name", "")) for t in body.get("templates") or [] if isinstance(t, Mapping)]
                detail = "run experiment " + ", ".join(_code(t) for t in templates) + (
                    f" for {body['duration']}" if body.get("duration") else "")
            elif action == "setCanaryScale" and isinstance(body, Mapping):
                if body.get("matchTrafficWeight"):
                    detail = "scale the new version to match its traffic weight"
                elif "replicas" in body:
                    detail = f"scale the new version to {body['replicas']} pod(s)"
                else:
                    detail = f"scale the new version to {body.get('weight')}% of replicas"
            elif action == "setHeaderRoute" and isinstance(body, Mapping):
                detail = f"route requests matching header rule {_code(body.get('name', ''))} to the new version"
            elif action == "setMirrorRoute" and isinstance(body, Mapping):
                detail = f"mirror {body.get('percentage', 100)}% of matching requests ({_code(body.get('name', ''))}) to the new version"
            elif action == "plugin" and isinstance(body, Mapping):
                detail = f"run step plugin {_code(body.get('name', ''))}"
            else:
                detail = _code(action)
            rows.append([str(i), _code(action), f"{weight}%", detail])
    rows.append(["done", "promote", "100%", "the new version becomes stable"])
    return rows


def _template_names(analysis: Mapping[str, Any]) -> list[str]:
    return [str(t.get("templateName") or t.get("clusterTemplateName") or "")
            for t in analysis.get("templates") or [] if isinstance(t, Mapping)]


def _canary_lines(rollouts: Sequence[Manifest]) -> list[str]:
    """Canary steps, one table per distinct list of steps, naming the Rollouts that use it."""
    groups: dict[str, list[Manifest]] = {}
    for ro in rollouts:
        canary = (_spec(ro).get("strategy") or {}).get("canary") or {}
        groups.setdefault(yaml.safe_dump(canary.get("steps") or [], sort_keys=True), []).append(ro)
    lines: list[str] = []
    for members in sorted(groups.values(), key=lambda ms: [_name(m) for m in ms]):
        names = [_name(m) for m in members]
        title = ("Rollout " if len(names) == 1 else "Rollouts ") + ", ".join(_code(n) for n in names)
        lines += [f"### Canary steps: {title}", ""]
        for ro in members:
            canary = (_spec(ro).get("strategy") or {}).get("canary") or {}
            routing = canary.get("trafficRouting") or {}
            how = sorted([*(str(k) for k in routing if k != "plugins"), *(str(k) for k in (routing.get("plugins") or {}))])
            lines.append(f"- {_code(_name(ro))}: stable Service {_code(canary.get('stableService', '')) or '(none)'}, "
                         f"canary Service {_code(canary.get('canaryService', '')) or '(none)'}; "
                         + (f"traffic split by {', '.join(_code(h) for h in how)}" if how else "traffic split by the ratio of pods"))
        canary = (_spec(members[0]).get("strategy") or {}).get("canary") or {}
        lines += [""] + _table(["step", "action", "traffic to new version", "what happens"],
                               _step_rows(canary, names[0] if len(names) == 1 else "<rollout>")) + [""]
    return lines


def _blue_green_lines(rollouts: Sequence[Manifest]) -> list[str]:
    """The blue-green flow as a table: one row per Rollout, its steps in order from left to right."""
    rows = []
    for ro in rollouts:
        bg = (_spec(ro).get("strategy") or {}).get("blueGreen") or {}
        count = bg.get("previewReplicaCount")
        start = (_code(bg.get("previewService")) or "(no preview Service)") + (
            f", {count} pod(s)" if count is not None else ", full size")
        pre = ", ".join(_code(t) for t in _template_names(bg.get("prePromotionAnalysis") or {})) or "—"
        post = ", ".join(_code(t) for t in _template_names(bg.get("postPromotionAnalysis") or {})) or "—"
        if bg.get("autoPromotionEnabled") is False:
            promote = f"manual: `kubectl argo rollouts promote {_cell(_name(ro))}`"
        elif bg.get("autoPromotionSeconds"):
            promote = f"automatic after {bg['autoPromotionSeconds']} s"
        else:
            promote = "automatic when ready"
        rows.append([_code(_name(ro)), start, pre, promote, _code(bg.get("activeService", "")), post,
                     f"after {bg.get('scaleDownDelaySeconds', 30)} s"])
    return ["### Blue-green flow", "",
            "The new version starts beside the old one behind the preview Service; after the pre-promotion analysis "
            "and the promotion, the active Service switches to it, the post-promotion analysis runs, and the old "
            "version is scaled down. Each row reads left to right in that order.", ""] + _table(
        ["Rollout", "1. new version behind", "2. analysis before", "3. promotion", "4. active Service switches",
         "5. analysis after", "6. old version scaled down"], rows) + [""]


def traffic_section(manifests: Sequence[Manifest], heading: str = "## Traffic") -> str:
    """Where requests go: Gateway (and listeners), routes, Services, and the workloads behind them.

    Routes attach to a Gateway by ``parentRefs``; a Gateway not among ``manifests`` is drawn
    as living outside the folder. A Service leads to every workload (Deployment, Rollout,
    StatefulSet, ...) whose pod template labels its selector matches; for a Rollout the edge
    says whether the Service is its stable, canary, active or preview Service. Rollouts get
    their canary steps, or their blue-green flow, as a table.

    Returns ``""`` when there is no Gateway, route, Ingress, Service or Rollout.
    """
    gateways = _of(manifests, "Gateway")
    routes = _of(manifests, "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute")
    ingresses = _of(manifests, "Ingress")
    services = _of(manifests, "Service")
    workloads = _of(manifests, *WORKLOAD_KINDS)
    rollouts = _of(manifests, "Rollout")
    if not (gateways or routes or ingresses or services or rollouts):
        return ""
    chart = Flowchart("LR")
    gw_ids: dict[tuple[str, str], str] = {}
    listener_ids: dict[tuple[str, str, str], str] = {}
    listener_rows: list[list[str]] = []
    for gw in gateways:
        spec = _spec(gw)
        sg = chart.subgraph(("Gateway", _ns(gw), _name(gw)),
                            f"Gateway {_ns(gw) + '/' if _ns(gw) else ''}{_name(gw)} (class {spec.get('gatewayClassName', '?')})")
        gw_ids[(_ns(gw), _name(gw))] = sg
        for listener in sorted(spec.get("listeners") or [], key=lambda x: str(x.get("name", ""))):
            lname = str(listener.get("name", ""))
            host = listener.get("hostname") or "*"
            lid = chart.node(("listener", _ns(gw), _name(gw), lname),
                             [f"listener {lname}", f"{listener.get('protocol', '')} :{listener.get('port', '')}", host],
                             "stadium", sg)
            listener_ids[(_ns(gw), _name(gw), lname)] = lid
            tls = listener.get("tls") or {}
            certs = ", ".join(str(c.get("name", "")) for c in tls.get("certificateRefs") or [])
            allowed = ((listener.get("allowedRoutes") or {}).get("namespaces") or {}).get("from", "Same")
            listener_rows.append([_code(_name(gw)), _code(lname), _cell(listener.get("protocol", "")),
                                  _cell(listener.get("port", "")), _code(host),
                                  _cell(f"{tls.get('mode', 'Terminate')} ({certs})" if tls else ""), _cell(allowed)])

    svc_ids: dict[tuple[str, str], str] = {}
    for svc in services:
        ports = ", ".join(f":{p.get('port')}" for p in _spec(svc).get("ports") or [] if isinstance(p, Mapping))
        svc_type = _spec(svc).get("type", "ClusterIP")
        svc_ids[(_ns(svc), _name(svc))] = chart.node(("Service", _ns(svc), _name(svc)),
                                                      [f"Service {_name(svc)}", f"{svc_type} {ports}".strip()], "box")

    def service_id(ns: str, name: str) -> str:
        if (ns, name) not in svc_ids:
            svc_ids[(ns, name)] = chart.node(("Service", ns, name), [f"Service {name}", "(not in this folder)"], "box")
        return svc_ids[(ns, name)]

    route_rows: list[list[str]] = []
    for route in routes:
        spec, rns = _spec(route), _ns(route)
        hostnames = [str(h) for h in spec.get("hostnames") or []]
        rid = chart.node((_kind(route), rns, _name(route)), [f"{_kind(route)} {_name(route)}", *hostnames], "hexagon")
        parents_text = []
        for ref in spec.get("parentRefs") or []:
            if not isinstance(ref, Mapping):
                continue
            gns, gname = str(ref.get("namespace") or rns), str(ref.get("name", ""))
            section = str(ref.get("sectionName") or "")
            parents_text.append(f"{gns}/{gname}" + (f" ({section})" if section else ""))
            if ref.get("kind", "Gateway") != "Gateway":
                target = chart.node(("parent", ref.get("kind"), gns, gname), f"{ref.get('kind')} {gname}", "box")
                chart.edge(target, rid)
                continue
            if (gns, gname) not in gw_ids:
                gw_ids[(gns, gname)] = chart.node(("Gateway", gns, gname), [f"Gateway {gns}/{gname}", "(outside this folder)"],
                                                  "stadium")
            if section and (gns, gname, section) in listener_ids:
                chart.edge(listener_ids[(gns, gname, section)], rid)
            else:
                chart.edge(gw_ids[(gns, gname)], rid, f"listener {section}" if section else "")
        rules_text = []
        for rule in spec.get("rules") or []:
            if not isinstance(rule, Mapping):
                continue
            backends = [b for b in rule.get("backendRefs") or [] if isinstance(b, Mapping)]
            matches = []
            for match in rule.get("matches") or []:
                path = (match or {}).get("path") or {}
                if path:
                    matches.append(f"{path.get('type', 'PathPrefix')} {path.get('value', '/')}")
                method = (match or {}).get("method")
                if isinstance(method, Mapping):
                    matches.append(f"{method.get('service', '*')}/{method.get('method', '*')}")
                elif method:
                    matches.append(str(method))
                for header in (match or {}).get("headers") or []:
                    matches.append(f"header {header.get('name')}")
            targets = []
            for b in backends:
                if b.get("kind", "Service") != "Service":
                    continue
                bns, bname = str(b.get("namespace") or rns), str(b.get("name", ""))
                weight = b.get("weight")
                label = f"{weight}%" if weight is not None and len(backends) > 1 else (f"weight {weight}" if weight is not None else "")
                chart.edge(rid, service_id(bns, bname), label)
                targets.append(f"{bname}:{b.get('port', '')}" + (f" (weight {weight})" if weight is not None else ""))
            rules_text.append(f"{', '.join(matches) or 'all'} → {', '.join(targets) or 'no backend'}")
        route_rows.append([_code(_name(route)), _kind(route), _cell(", ".join(hostnames) or "*"),
                           _cell(", ".join(parents_text)), "<br>".join(_cell(t) for t in rules_text)])

    for ing in ingresses:
        spec, ins = _spec(ing), _ns(ing)
        hosts = sorted({str(r.get("host")) for r in spec.get("rules") or [] if isinstance(r, Mapping) and r.get("host")})
        iid = chart.node(("Ingress", ins, _name(ing)), [f"Ingress {_name(ing)}", *hosts], "hexagon")
        backends = []
        default = (spec.get("defaultBackend") or {}).get("service")
        if default:
            backends.append(default)
        for rule in spec.get("rules") or []:
            for path in ((rule or {}).get("http") or {}).get("paths") or []:
                svc = ((path or {}).get("backend") or {}).get("service")
                if svc:
                    backends.append(svc)
        for svc in backends:
            chart.edge(iid, service_id(ins, str(svc.get("name", ""))))
        route_rows.append([_code(_name(ing)), "Ingress", _cell(", ".join(hosts) or "*"),
                           _cell(spec.get("ingressClassName", "")),
                           _cell(", ".join(sorted({str(s.get("name")) for s in backends})))])

    wl_ids: dict[tuple[str, str, str], str] = {}
    for w in workloads:
        strategy = _strategy_name(w)
        wl_ids[_key(w)] = chart.node(_key(w), [f"{_kind(w)} {_name(w)}", strategy], "subroutine")
    for svc in services:
        for w in _workloads_behind(svc, workloads):
            role = _rollout_role(w, _name(svc)) if _kind(w) == "Rollout" else ""
            chart.edge(svc_ids[(_ns(svc), _name(svc))], wl_ids[_key(w)], role)
    lines = [heading, "", chart.markdown(), ""]
    if listener_rows:
        lines += ["### Listeners", ""]
        lines += _table(["gateway", "listener", "protocol", "port", "hostname", "TLS", "routes from"], listener_rows)
        lines += [""]
    if route_rows:
        lines += ["### Routes", ""]
        lines += _table(["route", "kind", "hostnames", "attached to", "rules"], route_rows)
        lines += [""]
    canaries = [ro for ro in rollouts if "canary" in (_spec(ro).get("strategy") or {})]
    blue_greens = [ro for ro in rollouts if "blueGreen" in (_spec(ro).get("strategy") or {})]
    if canaries:
        lines += _canary_lines(canaries)
    if blue_greens:
        lines += _blue_green_lines(blue_greens)
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------

_PROVIDER_FIELDS = ("service", "region", "server", "path", "version", "projectID", "location", "vaultUrl", "url",
                    "remoteNamespace", "host", "environment", "tenant", "organization")


def _provider(store: Manifest) -> tuple[str, list[str]]:
    """(provider name, non-secret identifying fields); never reads ``auth``."""
    provider = _spec(store).get("provider") or {}
    if not isinstance(provider, Mapping) or not provider:
        return "", []
    name = sorted(provider)[0]
    body = provider[name] if isinstance(provider[name], Mapping) else {}
    details = [f"{k} {body[k]}" for k in _PROVIDER_FIELDS if isinstance(body.get(k), (str, int)) and body.get(k) != ""]
    return str(name), details


def _secret_consumers(workloads: Sequence[Manifest], secret: str, ns: str) -> list[tuple[Manifest, str]]:
    found = []
    for w in workloads:
        if _ns(w) != ns:
            continue
        _, pod = _pod_template(w)
        how: set[str] = set()
        for vol in pod.get("volumes") or []:
            vol = vol or {}
            if ((vol.get("secret") or {}).get("secretName")) == secret:
                how.add("files")
            for src in ((vol.get("projected") or {}).get("sources") or []):
                if ((src or {}).get("secret") or {}).get("name") == secret:
                    how.add("files")
        for container, _init in _containers(pod):
            for env in container.get("env") or []:
                if (((env or {}).get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") == secret:
                    how.add("env")
            for env_from in container.get("envFrom") or []:
                if ((env_from or {}).get("secretRef") or {}).get("name") == secret:
                    how.add("env")
        for pull in pod.get("imagePullSecrets") or []:
            if (pull or {}).get("name") == secret:
                how.add("image pull")
        if how:
            found.append((w, ", ".join(sorted(how))))
    return found


def _es_keys(es_spec: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(key names of the target Secret, remote references); names only, never values."""
    keys, remote = [], []
    template = (es_spec.get("target") or {}).get("template") or {}
    template_keys = sorted(str(k) for k in (template.get("data") or {}))
    for item in es_spec.get("data") or []:
        if not isinstance(item, Mapping):
            continue
        keys.append(str(item.get("secretKey", "")))
        ref = item.get("remoteRef") or {}
        if ref.get("key"):
            remote.append(str(ref["key"]) + (f" ({ref['property']})" if ref.get("property") else ""))
        source = (item.get("sourceRef") or {}).get("generatorRef")
        if source:
            remote.append(f"generator {source.get('kind', '')} {source.get('name', '')}")
    for item in es_spec.get("dataFrom") or []:
        if not isinstance(item, Mapping):
            continue
        if item.get("extract"):
            remote.append(f"all properties of {item['extract'].get('key', '')}")
            keys.append(f"(every property of {item['extract'].get('key', '')})")
        if item.get("find"):
            find = item["find"]
            what = (find.get("name") or {}).get("regexp") or find.get("path") or "matching secrets"
            remote.append(f"secrets matching {what}")
            keys.append("(one per matching secret)")
        gen = (item.get("sourceRef") or {}).get("generatorRef")
        if gen:
            remote.append(f"generator {gen.get('kind', '')} {gen.get('name', '')}")
            keys.append(f"(keys from generator {gen.get('name', '')})")
    if template_keys:
        keys = template_keys
    return keys, remote


def secrets_section(manifests: Sequence[Manifest], heading: str = "## Secrets") -> str:
    """The secrets path: provider -> store -> ExternalSecret -> target Secret -> workloads.

    Shows the names of the keys the target Secret holds and where each comes from (remote
    key and property), never a value; for a store among ``manifests`` it names the provider
    and its non-secret settings (server, region, ...), never its credentials.

    Returns ``""`` when there is no ExternalSecret, ClusterExternalSecret or store.
    """
    externals = _of(manifests, "ExternalSecret", "ClusterExternalSecret")
    stores = _of(manifests, "SecretStore", "ClusterSecretStore")
    if not (externals or stores):
        return ""
    workloads = _of(manifests, *WORKLOAD_KINDS)
    chart = Flowchart("LR")
    store_ids: dict[tuple[str, str, str], str] = {}
    store_rows = []
    for store in stores:
        ns = "" if _kind(store) == "ClusterSecretStore" else _ns(store)
        pname, details = _provider(store)
        sid = chart.node((_kind(store), ns, _name(store)), [f"{_kind(store)} {_name(store)}"], "hexagon")
        store_ids[(_kind(store), ns, _name(store))] = sid
        if pname:
            pid = chart.node(("provider", pname, *details), [f"provider {pname}", *details], "cylinder")
            chart.edge(pid, sid)
        store_rows.append([_code(_name(store)), _kind(store), _cell(pname), _cell(", ".join(details))])
    es_rows = []
    for es in externals:
        es_spec = _spec(es)
        kind = _kind(es)
        ns = _ns(es)
        if kind == "ClusterExternalSecret":
            es_spec = es_spec.get("externalSecretSpec") or {}
        ref = es_spec.get("secretStoreRef") or {}
        store_kind = str(ref.get("kind") or "SecretStore")
        store_name = str(ref.get("name", ""))
        store_ns = "" if store_kind == "ClusterSecretStore" else ns
        skey = (store_kind, store_ns, store_name)
        if skey not in store_ids and store_name:
            external = (_meta(es).get("annotations") or {}).get(_EXTERNAL_ANNOTATION)
            store_ids[skey] = chart.node(skey, [f"{store_kind} {store_name}",
                                                "(managed outside dist/)" if external else "(not in this folder)"], "hexagon")
        keys, remote = _es_keys(es_spec)
        refresh = es_spec.get("refreshInterval", "")
        eid = chart.node((kind, ns, _name(es)), [f"{kind} {_name(es)}", f"refresh {refresh}" if refresh else ""], "box")
        if store_name:
            chart.edge(store_ids[skey], eid)
        for item in es_spec.get("dataFrom") or []:
            gen = ((item or {}).get("sourceRef") or {}).get("generatorRef")
            if gen:
                gid = chart.node(("generator", gen.get("kind", ""), ns, gen.get("name", "")),
                                 [f"{gen.get('kind', 'generator')} {gen.get('name', '')}"], "cylinder")
                chart.edge(gid, eid)
        target = es_spec.get("target") or {}
        target_name = str(target.get("name") or (_name(es) if kind == "ExternalSecret" else ""))
        if target_name:
            key_lines = keys if len(keys) <= 6 else [*keys[:5], f"... {len(keys) - 5} more"]
            tid = chart.node(("Secret", ns, target_name), [f"Secret {target_name}", *key_lines], "parallelogram")
            chart.edge(eid, tid, "creates" if target.get("creationPolicy", "Owner") in ("Owner", "Orphan") else "updates")
            for w, how in _secret_consumers(workloads, target_name, ns):
                wid = chart.node(_key(w), [f"{_kind(w)} {_name(w)}"], "subroutine")
                chart.edge(tid, wid, how)
        es_rows.append([_code(_name(es)), _cell(f"{store_kind} {store_name}" if store_name else "(none)"),
                        "<br>".join(_code(r) for r in remote), _code(target_name),
                        ", ".join(_code(k) for k in keys), _cell(refresh)])
    lines = [heading, "", "Key names only: values live in the secret store and never in Git.", "", chart.markdown(), ""]
    if es_rows:
        lines += _table(["ExternalSecret", "store", "remote reference", "target Secret", "keys", "refresh"], es_rows)
        lines += [""]
    if store_rows:
        lines += ["### Stores", ""]
        lines += _table(["store", "kind", "provider", "settings"], store_rows)
        lines += [""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# Observability
# --------------------------------------------------------------------------------------------

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
            for a, b in zip(p_ids, p_ids[1:]):
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


# --------------------------------------------------------------------------------------------
# Inventory
# --------------------------------------------------------------------------------------------

def _replicas(w: Manifest, hpas: Sequence[Manifest]) -> str:
    for hpa in hpas:
        ref = _spec(hpa).get("scaleTargetRef") or {}
        if ref.get("kind") == _kind(w) and ref.get("name") == _name(w) and _ns(hpa) == _ns(w):
            return f"{_spec(hpa).get('minReplicas', 1)}–{_spec(hpa).get('maxReplicas', '?')} (HPA)"
    kind = _kind(w)
    if kind == "DaemonSet":
        return "one per node"
    if kind in ("Job", "CronJob"):
        spec = _spec(w) if kind == "Job" else ((_spec(w).get("jobTemplate") or {}).get("spec") or {})
        return f"{spec.get('parallelism', 1)} per run"
    if kind == "Pod":
        return "1"
    return str(_spec(w).get("replicas", 1))


def _resources(manifests: Sequence[Manifest]) -> list[list[str]]:
    hpas = _of(manifests, "HorizontalPodAutoscaler")
    rows = []
    for w in _of(manifests, *WORKLOAD_KINDS):
        _, pod = _pod_template(w)
        replicas = _replicas(w, hpas)
        for container, init in _containers(pod):
            res = container.get("resources") or {}
            req, lim = res.get("requests") or {}, res.get("limits") or {}
            rows.append([f"{_kind(w)} {_code(_name(w))}", _code(container.get("name", "")) + (" (init)" if init else ""),
                         _cell(replicas), _cell(req.get("cpu", "—")), _cell(req.get("memory", "—")),
                         _cell(lim.get("cpu", "—")), _cell(lim.get("memory", "—"))])
    return rows


def _requests_total(manifests: Sequence[Manifest]) -> tuple[float, float]:
    """CPU cores and memory bytes requested by the long-running containers at their minimum replicas."""
    hpas = _of(manifests, "HorizontalPodAutoscaler")
    cpu = memory = 0.0
    for w in _of(manifests, "Deployment", "Rollout", "StatefulSet", "ReplicaSet", "Pod"):
        _, pod = _pod_template(w)
        text = _replicas(w, hpas)
        match = re.match(r"^(\d+)", text)
        count = int(match.group(1)) if match else 1
        for container, init in _containers(pod):
            if init:
                continue
            req = (container.get("resources") or {}).get("requests") or {}
            try:
                cpu += count * parse_quantity(req.get("cpu", 0))
                memory += count * parse_quantity(req.get("memory", 0))
            except ValueError:
                continue
    return cpu, memory


def _cpu_text(cores: float) -> str:
    milli = round(cores * 1000)
    return f"{milli}m" if milli % 1000 else f"{milli // 1000}"


def _memory_text(num_bytes: float) -> str:
    for unit, size in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if num_bytes >= size:
            value = num_bytes / size
            return f"{value:.0f}{unit}" if value == int(value) else f"{value:.1f}{unit}"
    return f"{num_bytes:.0f}"


def _image_rows(manifests: Sequence[Manifest]) -> list[list[str]]:
    users: dict[str, set[str]] = defaultdict(set)
    for m in manifests:
        for image in _images_in(m.get("spec")):
            users[image].add(f"{_kind(m)} {_name(m)}")
    rows = []
    for image in sorted(users):
        repo, tag, digest = _image_parts(image)
        rows.append([_code(repo), _code(tag) or "(none)", _code(digest[:19] + "…" if len(digest) > 20 else digest),
                     ", ".join(_cell(u) for u in sorted(users[image]))])
    return rows


def inventory_section(manifests: Sequence[Manifest], heading: str = "## Inventory") -> str:
    """Every object by kind and name, every image with its tag, and the resources each container requests.

    Replicas come from ``spec.replicas`` or, for a workload an HPA scales, from the HPA's
    bounds. Returns ``""`` when ``manifests`` is empty.
    """
    if not manifests:
        return ""
    by_kind: dict[str, list[str]] = defaultdict(list)
    for m in manifests:
        by_kind[_kind(m)].append(_name(m))
    lines = [heading, "", "### Objects by kind", ""]
    lines += _table(["kind", "count", "names"],
                    [[_cell(k), str(len(v)), ", ".join(_code(n) for n in sorted(v))] for k, v in sorted(by_kind.items())])
    images = _image_rows(manifests)
    if images:
        lines += ["", "### Images", ""]
        lines += _table(["image", "tag", "digest", "used by"], images)
    resources = _resources(manifests)
    if resources:
        cpu, memory = _requests_total(manifests)
        lines += ["", "### Resources requested", ""]
        lines += _table(["workload", "container", "replicas", "CPU request", "memory request", "CPU limit", "memory limit"],
                        resources)
        lines += ["", f"At minimum replicas the workloads request {_cpu_text(cpu)} CPU and {_memory_text(memory)} memory."]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------------

def _folder(out: AppOutput) -> str:
    return f"{out.settings.git.dist_path.strip('/')}/{out.environment}/{out.app}"


def _join(sections: Iterable[str]) -> str:
    return "\n".join(s for s in sections if s)


def app_sections(out: AppOutput) -> str:
    """The diagram and table sections of one app folder's README (``""`` when none has content)."""
    manifests = out.manifests
    return _join([
        argocd_section({_folder(out): manifests}, out.settings.git.repo_url),
        traffic_section(manifests),
        secrets_section(manifests),
        observability_section(manifests),
        inventory_section(manifests),
    ])


def environment_sections(apps: Mapping[str, Sequence[Manifest]], environment: str, repo_url: str | None = None,
                         dist_path: str = "dist") -> str:
    """The sections of an environment's README: the Argo CD tree over all its folders, and an
    inventory of each app (objects, images, hostnames, requested resources).

    Args:
        apps: the manifests of each folder of the environment, by app (folder) name.
        environment: the environment's name (its folder under ``dist_path``).
        repo_url: the Git repository Argo CD reads ``dist_path`` from. Default: none (match paths only).
        dist_path: the folder of ``dist/`` inside that repository. Default: ``dist``.
    """
    base = f"{dist_path.strip('/')}/{environment}"
    names = sorted(apps)
    sections = [argocd_section({f"{base}/{app}": apps[app] for app in names}, repo_url)]
    rows = []
    for app in names:
        manifests = apps[app]
        kinds: dict[str, int] = defaultdict(int)
        for m in manifests:
            kinds[_kind(m)] += 1
        images = sorted({i for m in manifests for i in _images_in(m.get("spec"))})
        hosts = sorted({str(h) for r in _of(manifests, "HTTPRoute", "GRPCRoute", "TLSRoute") for h in _spec(r).get("hostnames") or []}
                       | {str(rule.get("host")) for i in _of(manifests, "Ingress") for rule in _spec(i).get("rules") or []
                          if isinstance(rule, Mapping) and rule.get("host")})
        cpu, memory = _requests_total(manifests)
        rows.append([f"[{_cell(app)}]({app}/)", str(len(manifests)),
                     ", ".join(f"{_cell(k)} {n}" for k, n in sorted(kinds.items())),
                     "<br>".join(_code(i) for i in images), ", ".join(_code(h) for h in hosts),
                     f"{_cpu_text(cpu)} CPU, {_memory_text(memory)}" if cpu or memory else ""])
    if rows:
        inventory = ["## Inventory", ""]
        inventory += _table(["app", "objects", "kinds", "images", "hostnames", "requests (min replicas)"], rows)
        sections.append("\n".join(inventory) + "\n")
    return _join(sections)
