"""The inventory: objects by kind, images with their tags, and the resources containers request."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ...core.units import parse_quantity
from ._common import (
    WORKLOAD_KINDS,
    Manifest,
    _cell,
    _code,
    _containers,
    _image_parts,
    _images_in,
    _kind,
    _name,
    _ns,
    _of,
    _pod_template,
    _spec,
    _table,
)


def _replicas(w: Manifest, hpas: Sequence[Manifest]) -> str:
    for hpa in hpas:
        ref = _spec(hpa).get("scaleTargetRef") or {}
        if ref.get("kind") == _kind(w) and ref.get("name") == _name(w) and _ns(hpa) == _ns(w):
            return f"{_spec(hpa).get('minReplicas', 1)}–{_spec(hpa).get('maxReplicas', '?')} (HPA)"  # noqa: RUF001 - an en dash for a range
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
