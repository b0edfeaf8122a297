"""Manifests as snapshots see them: normalizing what a test passes, and naming what changed.

No syrupy here: :func:`changed_objects` is what a snapshot failure prints first, before the
line diff, so a reviewer sees which objects changed (kind, namespace, name) at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["changed_objects", "object_key", "to_documents"]


def to_documents(data: Any) -> list[Mapping[str, Any]]:
    """Normalize what a test passes (manifests, a manifest, typed models, an ``AppOutput``) into a list of manifests."""
    from ..core.model import Resource

    if hasattr(data, "manifests") and not isinstance(data, Mapping):
        return list(data.manifests)
    if isinstance(data, Resource):
        return [data.to_manifest()]
    if isinstance(data, Mapping):
        return [data]
    if isinstance(data, list | tuple):
        return [d.to_manifest() if isinstance(d, Resource) else d for d in data]
    raise TypeError(f"cannot snapshot {type(data).__name__} as YAML; pass manifests (dicts), typed models or an AppOutput")


def object_key(doc: Mapping[str, Any]) -> str:
    """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects), as the diff names an object."""
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), Mapping) else {}
    namespace = meta.get("namespace")  # type: ignore[union-attr]
    name = meta.get("name") or "(unnamed)"  # type: ignore[union-attr]
    return f"{doc.get('kind', '?')} {namespace + '/' if namespace else ''}{name}"


def _objects(text: str) -> dict[str, Any]:
    try:
        docs = list(yaml.safe_load_all(text or ""))
    except yaml.YAMLError:
        return {}
    out: dict[str, Any] = {}
    for doc in docs:
        if isinstance(doc, Mapping):
            out.setdefault(object_key(doc), doc)
    return out


def changed_objects(old_text: str, new_text: str) -> list[str]:
    """One line per object added, removed or changed between two multi-document YAML texts, sorted."""
    before, after = _objects(old_text), _objects(new_text)
    lines = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            lines.append(f"added:   {key}")
        elif key not in after:
            lines.append(f"removed: {key}")
        elif before[key] != after[key]:
            lines.append(f"changed: {key}")
    return lines
