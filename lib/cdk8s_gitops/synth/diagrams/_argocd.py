"""The Argo CD tree: root Application or ApplicationSet, child Applications, sources, sync policies and waves."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ._common import Flowchart, Manifest, _cell, _code, _key, _name, _of, _spec, _table, _wave


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
