"""Regenerate ``cdk8s_gitops/models`` (``python -m cdk8s_gitops.codegen --crds ../shared/schemas/crds``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import generate_library


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cdk8s_gitops.codegen",
        description="Regenerate the library's typed models from Kubernetes' OpenAPI definitions and the CRD schemas.",
    )
    parser.add_argument("--crds", type=Path, required=True,
                        help="folder of CRD JSON schemas in kubeconform layout (<group>/<kind>_<version>.json)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "models",
                        help="output package folder (default: the installed cdk8s_gitops/models)")
    args = parser.parse_args(argv)
    if not args.crds.is_dir():
        print(f"error: --crds {args.crds} is not a folder; pass the CRD schema folder (../shared/schemas/crds)", file=sys.stderr)
        return 2
    result = generate_library(args.out, args.crds)
    print(f"wrote {len(result.files)} modules with {len(result.kinds)} kinds to {args.out}")
    if result.skipped_patterns:
        print(f"{len(set(result.skipped_patterns))} patterns are not enforceable by pydantic's regex engine (documented in the docstrings)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
