"""Schema coverage: the share of a schema's leaf fields that typed model fields reach.

A leaf is a field path whose schema is not an object with ``properties`` (a string, a
number, a list of strings, a free-form map...). It is reached when every step of its path
is a declared field of a pydantic model, down to the leaf's field. Paths under a field
typed ``dict[str, Any]`` or ``Any`` count as not reached, unless upstream itself leaves
the field free-form (``x-kubernetes-preserve-unknown-fields`` without properties).

Run ``python -m cdk8s_gitops.codegen.coverage --crds ../shared/schemas/crds`` for the table.
"""

from __future__ import annotations

import argparse
import importlib
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .sources import core_definitions, crds_from_schema_dir

__all__ = ["coverage", "leaf_paths"]

_SKIP = {"apiVersion", "kind", "status"}


def leaf_paths(schema: dict[str, Any], defs: dict[str, Any] | None = None, prefix: tuple[str, ...] = (),
               depth: int = 0) -> Iterator[tuple[str, ...]]:
    """Every leaf field path of ``schema`` (``$ref`` resolved against ``defs``), spec and metadata, not status."""
    if depth > 14:
        return
    if "$ref" in schema and defs is not None:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    props = schema.get("properties") or {}
    items = schema.get("items")
    if props:
        for name, sub in props.items():
            if depth == 0 and name in _SKIP:
                continue
            yield from leaf_paths(sub, defs, prefix + (name,), depth + 1)
    elif isinstance(items, dict) and (items.get("properties") or "$ref" in items):
        yield from leaf_paths(items, defs, prefix + ("[]",), depth + 1)
    else:
        yield prefix


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation] if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _reached(model: type[BaseModel], path: tuple[str, ...]) -> bool:
    current: list[type[BaseModel]] = [model]
    for step in path:
        if step == "[]":
            continue
        nxt: list[type[BaseModel]] = []
        found = False
        for cls in current:
            cls.model_rebuild()
            for name, info in cls.model_fields.items():
                if (info.alias or name) == step:
                    found = True
                    nxt.extend(_models_in(info.annotation))
        if not found:
            return False
        current = nxt
        if not current and step != path[-1]:
            return path.index(step) == len(path) - 1
    return True


def coverage(model: type[BaseModel], schema: dict[str, Any], defs: dict[str, Any] | None = None) -> tuple[int, int]:
    """(reached, total) leaf fields of ``schema`` through ``model``."""
    leaves = [p for p in leaf_paths(schema, defs) if p]
    return sum(1 for p in leaves if _reached(model, p)), len(leaves)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cdk8s_gitops.codegen.coverage", description=__doc__)
    parser.add_argument("--crds", type=Path, required=True, help="CRD schema folder (kubeconform layout)")
    args = parser.parse_args(argv)
    from ..models import KINDS

    rows = []
    defs = core_definitions()
    for crd in crds_from_schema_dir(args.crds):
        target = KINDS.get((f"{crd.group}/{crd.version}", crd.kind))
        if target:
            module, _, name = target.partition(":")
            cls = getattr(importlib.import_module(f"cdk8s_gitops.models.{module}"), name)
            rows.append((f"{crd.kind} ({crd.group}/{crd.version})", *coverage(cls, crd.schema)))
    for (api_version, kind), target in sorted(KINDS.items()):
        if "." in api_version.split("/")[0] and not api_version.startswith(("networking.k8s.io", "rbac.", "storage.", "scheduling.")):
            continue
        module, _, name = target.partition(":")
        cls = getattr(importlib.import_module(f"cdk8s_gitops.models.{module}"), name)
        defname = next((n for n, d in defs.items() if any(g.get("kind") == kind and
                        (f"{g['group']}/{g['version']}" if g.get("group") else g["version"]) == api_version
                        for g in d.get("x-kubernetes-group-version-kind") or ())), None)
        if defname:
            rows.append((f"{kind} ({api_version})", *coverage(cls, defs[defname], defs)))
    reached = sum(r[1] for r in rows)
    total = sum(r[2] for r in rows)
    for label, got, of in sorted(rows, key=lambda r: r[1] / max(r[2], 1)):
        print(f"{100 * got / max(of, 1):6.1f}%  {got:5d}/{of:<5d}  {label}")
    print(f"overall: {100 * reached / max(total, 1):.1f}% of {total} leaf fields in {len(rows)} kinds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
