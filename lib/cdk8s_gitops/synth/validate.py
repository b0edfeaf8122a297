"""Offline validation of synthesized YAML (``cdk8s-gitops validate``).

- Core Kubernetes kinds: strictly (unknown fields refused) with ``kubernetes-validate`` at
  :data:`KUBERNETES_VERSION`.
- Custom resources: JSON Schema files in the kubeconform layout
  ``<schema-dir>/<group>/<kind>_<version>.json`` (a ``crds/`` level under the folder is
  looked into as well).
- The library's own policy checks (no Secret carries data, also inside a List; the secret scan of
  :mod:`.secret_scan` over every string; images carry an immutable tag).

A kind without a schema is reported, never silently passed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..core.fields import loc_path
from ..core.images import parse_image

__all__ = ["KUBERNETES_VERSION", "Finding", "validate_paths"]

#: The Kubernetes version core kinds are validated against.
KUBERNETES_VERSION = "1.34.0"

_CORE_GROUPS = {
    "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io",
    "storage.k8s.io", "scheduling.k8s.io", "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "certificates.k8s.io", "events.k8s.io",
    "flowcontrol.apiserver.k8s.io", "resource.k8s.io",
}


@dataclass(frozen=True)
class Finding:
    """One problem: the file, the object, the field path and what is wrong."""

    file: str
    subject: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.file}: {self.subject}: {where}{self.message}"


def _subject(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind', '?')} {meta.get('name', '(unnamed)')!r}"


@cache
def _load_schema(path: str) -> Any:
    import jsonschema

    schema = json.loads(Path(path).read_text())
    return jsonschema.Draft7Validator(schema)


def _schema_file(schema_dir: Path, group: str, kind: str, version: str) -> Path | None:
    name = f"{kind.lower()}_{version}.json"
    for base in (schema_dir, schema_dir / "crds"):
        candidate = base / group / name
        if candidate.is_file():
            return candidate
    return None


def _policy(doc: dict[str, Any], file: str) -> Iterator[Finding]:
    yield from _secret_findings(doc, file)
    for path, image in _images(doc.get("spec"), "spec"):
        try:
            ref = parse_image(image, pinned=False)
        except ValueError as exc:
            yield Finding(file, _subject(doc), path, f"{exc}")
            continue
        if ref.digest:
            continue
        if not ref.tag or ref.tag == "latest":
            yield Finding(file, _subject(doc), path, f"image {image!r} has {'no tag' if not ref.tag else 'the mutable tag latest'}; "
                          "pin a version or digest")


def _secret_findings(doc: dict[str, Any], file: str) -> Iterator[Finding]:
    """Secrets with values (also inside Lists) and the secret scan of every string (see :mod:`.secret_scan`)."""
    from ..secrets.checks import secret_value_problems
    from .secret_scan import problem, scan_manifest

    for found in secret_value_problems(doc):
        yield Finding(file, found.subject, found.path, "a Secret with values must not be committed; "
                      "read it from a secret store with an ExternalSecret")
    findings, _, bad_allowances = scan_manifest(doc)
    for item in [problem(f) for f in findings] + bad_allowances:
        yield Finding(file, item.subject, item.path, f"{item.message}; {item.fix}")


def _images(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}"
            if key in ("containers", "initContainers") and isinstance(value, list):
                for i, c in enumerate(value):
                    if isinstance(c, dict) and isinstance(c.get("image"), str):
                        yield f"{sub}[{i}].image", c["image"]
            yield from _images(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _images(value, f"{path}[{i}]")


def validate_document(doc: Any, file: str, schema_dir: Path | None) -> list[Finding]:
    """Every problem with one document."""
    import kubernetes_validate

    if not isinstance(doc, dict):
        return [Finding(file, "(document)", "", f"expected a mapping, got {type(doc).__name__}")]
    api_version, kind = doc.get("apiVersion"), doc.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        # Not an object (a values file, a config): still never a place for secret values.
        return [Finding(file, _subject(doc), "apiVersion" if not isinstance(api_version, str) else "kind", "missing"),
                *_secret_findings(doc, file)]
    group, _, version = api_version.rpartition("/")
    findings = list(_policy(doc, file))
    if group in _CORE_GROUPS:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            findings.append(Finding(file, _subject(doc), "", f"no Kubernetes {KUBERNETES_VERSION} schema for {api_version} {kind}"))
        except kubernetes_validate.ValidationError as exc:
            findings.append(Finding(file, _subject(doc), loc_path(tuple(exc.path)), exc.message))
        return findings
    schema = _schema_file(schema_dir, group, kind, version) if schema_dir else None
    if schema is None:
        hint = f"no {group}/{kind.lower()}_{version}.json in {schema_dir}" if schema_dir else "pass --schema-dir"
        findings.append(Finding(file, _subject(doc), "", f"no schema for {api_version} {kind} ({hint})"))
        return findings
    validator = _load_schema(str(schema))
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        findings.append(Finding(file, _subject(doc), loc_path(tuple(error.absolute_path)), error.message))
    return findings


def validate_paths(paths: list[Path], schema_dir: Path | None, root: Path | None = None) -> tuple[int, list[Finding]]:
    """Validate every YAML document under ``paths``; returns (object count, findings)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        elif path.is_file():
            files.append(path)
    count = 0
    findings: list[Finding] = []
    for file in files:
        shown = file.as_posix()
        if root is not None:
            try:
                shown = file.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        try:
            docs = [d for d in yaml.safe_load_all(file.read_text()) if d is not None]
        except yaml.YAMLError as exc:
            findings.append(Finding(shown, "(file)", "", f"invalid YAML: {exc}"))
            continue
        for doc in docs:
            count += 1
            findings.extend(validate_document(doc, shown, schema_dir))
    return count, findings
