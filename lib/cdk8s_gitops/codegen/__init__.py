"""The model generator: upstream schemas in, typed pydantic modules out.

One generator serves two uses:

- :func:`generate_library` writes ``cdk8s_gitops/models/`` from Kubernetes' OpenAPI
  definitions (as bundled in kubernetes-validate) and the CRD schemas in a kubeconform-style
  folder. Run ``python -m cdk8s_gitops.codegen --crds ../shared/schemas/crds``; a test
  regenerates into a temporary folder and fails on any difference.
- :func:`generate_package` writes models for a user's own CRDs (``cdk8s-gitops import``).

The output is plain Python, never edited by hand: snake_case fields for type checkers,
upstream camelCase in YAML, ``Literal`` enums, required fields without defaults, schema
limits as pydantic constraints, and CEL rules evaluated at construction
(:mod:`cdk8s_gitops.core.schema`). Why our own generator rather than
datamodel-code-generator: its dependency ``inflect`` needs typeguard 4, which breaks jsii
(pinned to typeguard 2) in the same environment, and its output needs post-processing for
every point above (aliases that type checkers see, core-type reuse, CEL, the registry).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .emit import emit_group, emit_index, emit_module
from .overlays import PRIMARY_KINDS
from .plan import Plan
from .sources import CrdKind, core_definitions, crds_from_paths, crds_from_schema_dir

__all__ = ["GenerateResult", "generate_library", "generate_package"]

LIBRARY_COMMAND = "python -m cdk8s_gitops.codegen --crds ../shared/schemas/crds"


@dataclass
class GenerateResult:
    """What a run wrote: files (path -> text), kinds, and patterns pydantic could not enforce."""

    files: dict[Path, str]
    kinds: dict[tuple[str, str], tuple[str, str]]
    skipped_patterns: list[str]


@functools.lru_cache(maxsize=4096)
def _pattern_ok(pattern: str) -> bool:
    """Whether pydantic's regex engine (Rust ``regex``) accepts ``pattern``."""
    from pydantic_core import SchemaValidator, core_schema

    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except Exception:  # noqa: BLE001 - any refusal means "not enforceable here"
        return False
    return True


def _kind_order(crd: CrdKind) -> tuple[str, str, int, int, str]:
    """The kinds people write most first (overlays.PRIMARY_KINDS), then short names, so that structures several
    kinds share are named after the plainest one: ExternalSecretSpecData rather than the same structure's name
    under ClusterExternalSecret, WorkflowSpec... rather than CronWorkflowSpecWorkflowSpec...."""
    rank = PRIMARY_KINDS.index(crd.kind) if crd.kind in PRIMARY_KINDS else len(PRIMARY_KINDS)
    return (crd.group, crd.version, rank, len(crd.kind), crd.kind)


def _plan_library(crd_dir: Path | None) -> Plan:
    plan = Plan(core_definitions(), _pattern_ok)
    plan.core_kinds()
    if crd_dir is not None:
        for crd in sorted(crds_from_schema_dir(crd_dir), key=_kind_order):
            plan.crd_kind(crd)
    plan.finalize()
    return plan


def generate_library(out_dir: Path, crd_dir: Path | None) -> GenerateResult:
    """Write the library's models package into ``out_dir`` (``lib/cdk8s_gitops/models``)."""
    plan = _plan_library(crd_dir)
    files = _emit(plan, out_dir, LIBRARY_COMMAND, set(plan.modules), {})
    files[out_dir / "__init__.py"] = emit_index(plan.kinds, LIBRARY_COMMAND)
    _write(out_dir, files, clean=True)
    return GenerateResult(files, plan.kinds, plan.skipped_patterns)


def generate_package(crds: list[CrdKind] | list[Path], out_dir: Path, command: str) -> GenerateResult:
    """Write models for users' CRDs into the package ``out_dir`` (one module per group and version).

    Objects of the users' CRDs reuse the library's core classes (containers, selectors...),
    so they import ``cdk8s_gitops.models``; the generated ``__init__`` registers every kind so
    that :func:`cdk8s_gitops.from_manifest` loads them.
    """
    kinds = [c for c in crds if isinstance(c, CrdKind)]
    paths = [p for p in crds if isinstance(p, Path)]
    kinds += crds_from_paths(paths)
    plan = Plan(core_definitions(), _pattern_ok)
    for crd in sorted(kinds, key=_kind_order):
        plan.crd_kind(crd)
    plan.finalize()
    core = _core_module_names(plan)
    files = _emit(plan, out_dir, command, set(plan.modules) - core, {m: f"cdk8s_gitops.models.{m}" for m in core})
    own = {k: v for k, v in plan.kinds.items() if v[0] not in core}
    files[out_dir / "__init__.py"] = emit_index(own, command)
    _write(out_dir, files, clean=False)
    return GenerateResult(files, own, plan.skipped_patterns)


def _emit(plan: Plan, out_dir: Path, command: str, names: set[str], external: dict[str, str]) -> dict[Path, str]:
    """The files of ``names``: a module per core group, a package per CRD group and version with a module per kind."""
    files: dict[Path, str] = {}
    groups: dict[str, list[Any]] = {}
    for name in sorted(names):
        mod = plan.modules[name]
        files[out_dir.joinpath(*name.split(".")).with_suffix(".py")] = emit_module(mod, command, external=external)
        if mod.group:
            groups.setdefault(mod.group, []).append(mod)
    for group, members in groups.items():
        files[out_dir / group / "__init__.py"] = emit_group(group, members, command)
    return files


def _core_module_names(plan: Plan) -> set[str]:
    return {mod for mod, _ in plan._core_done.values() if mod}


def _write(out_dir: Path, files: dict[Path, str], clean: bool) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    if clean:
        for old in out_dir.rglob("*.py"):
            if old not in files:
                old.unlink()
        for folder in sorted((p for p in out_dir.rglob("*") if p.is_dir()), reverse=True):
            if folder.name != "__pycache__" and not any(folder.glob("*.py")):
                for cached in folder.rglob("*"):
                    if cached.is_file():
                        cached.unlink()
                for sub in sorted(folder.rglob("*"), reverse=True):
                    sub.rmdir()
                folder.rmdir()
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
