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

Each diagram lives in its own private module (``_argocd``, ``_traffic`` with ``_rollout_steps``,
``_secrets``, ``_observability``, ``_inventory``) on shared building blocks in ``_common``;
import the functions from this package.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ._argocd import argocd_section
from ._common import Flowchart, Manifest, _cell, _code, _images_in, _kind, _of, _spec, _table, escape_label, images_memo, mermaid_blocks
from ._inventory import _cpu_text, _memory_text, _requests_total, inventory_section
from ._observability import observability_section
from ._secrets import secrets_section
from ._traffic import traffic_section

if TYPE_CHECKING:
    from ..build import AppOutput

__all__ = [
    "Flowchart",
    "app_sections",
    "argocd_section",
    "environment_sections",
    "escape_label",
    "images_memo",
    "inventory_row",
    "inventory_section",
    "mermaid_blocks",
    "observability_section",
    "secrets_section",
    "traffic_section",
]


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


def inventory_row(app: str, manifests: Sequence[Manifest]) -> list[str]:
    """The row of one folder in an environment README's inventory: objects, kinds, images, hostnames and
    the resources its containers request."""
    kinds: dict[str, int] = defaultdict(int)
    for m in manifests:
        kinds[_kind(m)] += 1
    images = sorted({i for m in manifests for i in _images_in(m.get("spec"))})
    hosts = sorted({str(h) for r in _of(manifests, "HTTPRoute", "GRPCRoute", "TLSRoute") for h in _spec(r).get("hostnames") or []}
                   | {str(rule.get("host")) for i in _of(manifests, "Ingress") for rule in _spec(i).get("rules") or []
                      if isinstance(rule, Mapping) and rule.get("host")})
    cpu, memory = _requests_total(manifests)
    return [f"[{_cell(app)}]({app}/)", str(len(manifests)),
            ", ".join(f"{_cell(k)} {n}" for k, n in sorted(kinds.items())),
            "<br>".join(_code(i) for i in images), ", ".join(_code(h) for h in hosts),
            f"{_cpu_text(cpu)} CPU, {_memory_text(memory)}" if cpu or memory else ""]


def environment_sections(apps: Mapping[str, Sequence[Manifest]], environment: str, repo_url: str | None = None,
                         dist_path: str = "dist", rows: Mapping[str, Sequence[str]] | None = None,
                         argocd: str | None = None) -> str:
    """The sections of an environment's README: the Argo CD tree over all its folders, and an
    inventory of each app (objects, images, hostnames, requested resources).

    Args:
        apps: the manifests of each folder of the environment, by app (folder) name.
        environment: the environment's name (its folder under ``dist_path``).
        repo_url: the Git repository Argo CD reads ``dist_path`` from. Default: none (match paths only).
        dist_path: the folder of ``dist/`` inside that repository. Default: ``dist``.
        rows: :func:`inventory_row` of some apps, already computed (by a worker process or the
            incremental cache); the others are computed here. Default: none.
        argocd: the :func:`argocd_section` of these folders, already drawn. Default: drawn here.
    """
    base = f"{dist_path.strip('/')}/{environment}"
    names = sorted(apps)
    sections = [argocd if argocd is not None else argocd_section({f"{base}/{app}": apps[app] for app in names}, repo_url)]
    known = rows or {}
    table = [list(known[app]) if app in known else inventory_row(app, apps[app]) for app in names]
    if table:
        inventory = ["## Inventory", ""]
        inventory += _table(["app", "objects", "kinds", "images", "hostnames", "requests (min replicas)"], table)
        sections.append("\n".join(inventory) + "\n")
    return _join(sections)
