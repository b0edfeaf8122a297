"""``cdk8s-gitops import``: typed models for a user's own CRDs, with the library's generator and conventions."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..core.errors import ConfigError, Problem
from . import GenerateResult, generate_package
from .emit import HEADER
from .sources import crds_from_paths

__all__ = ["import_crds"]


def import_crds(paths: list[Path], out_dir: Path) -> GenerateResult:
    """Generate ``out_dir`` (a Python package) from the CRDs in ``paths`` (files or folders of YAML).

    Refuses, changing nothing, when a path is missing, holds no CustomResourceDefinition with an
    ``openAPIV3Schema``, is not valid YAML, or when ``out_dir`` holds Python files this command did not write.
    """
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), "", "no such file or folder", "pass CRD YAML files or folders of them"))
    if problems:
        raise ConfigError(problems)
    try:
        crds = crds_from_paths(paths)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(Problem(" ".join(map(str, paths)), where, f"is not valid YAML ({getattr(exc, 'problem', exc)})",
                                  "fix the YAML; each document should be a CustomResourceDefinition")) from None
    if not crds:
        raise ConfigError(Problem(", ".join(map(str, paths)), "", "holds no CustomResourceDefinition with spec.versions[*].schema.openAPIV3Schema",
                                  "pass the CRD manifests (kind: CustomResourceDefinition), e.g. from the operator's Helm chart or release"))
    if out_dir.exists():
        foreign = sorted(p.name for p in out_dir.glob("*.py") if not p.read_text(encoding="utf-8").startswith(HEADER.split("{")[0]))
        if foreign:
            raise ConfigError(Problem(str(out_dir), "", f"holds Python files that import did not write: {', '.join(foreign)}",
                                      "choose an output folder of its own (for example crds/) or remove those files"))
    command = "cdk8s-gitops import " + " ".join(str(p) for p in paths) + f" --out {out_dir}"
    return generate_package(crds, out_dir, command)
