"""Offline validation of synthesized YAML (``cdk8s-gitops validate``), with only the installed package.

Every document is checked by the first of these that knows its kind, plus the policy checks:

- Kinds the library models (:func:`cdk8s_gitops.registered_kinds`: Argo Rollouts, Gateway API,
  External Secrets, Argo CD, the observability and add-on kinds, and the core kinds): loaded into
  the typed model with :func:`cdk8s_gitops.from_manifest`, which applies the upstream schema rules
  and the controllers' rules. No schema file is needed.
- Core Kubernetes kinds: also strictly (unknown fields refused) with ``kubernetes-validate`` at
  :data:`KUBERNETES_VERSION`.
- Other custom resources: JSON Schema files in the kubeconform layout
  ``<dir>/<group>/<kind>_<version>.json`` (a ``crds/`` level under the folder is looked into as
  well), from every folder given with ``--schemas DIR``; a modelled kind is checked against a
  schema there too, when one exists.
- The library's own policy checks (no Secret carries data, also inside a List; the secret scan of
  :mod:`.secret_scan` over every string; images carry an immutable tag).

A kind nobody knows is reported: as a problem by default, as a warning with ``--unknown warn``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ConfigError
from ..core.fields import loc_path
from ..core.files import YAML_FILE_LIMIT
from ..core.images import parse_image
from ..core.safe_yaml import load_yaml_file

__all__ = ["KUBERNETES_VERSION", "Finding", "validate_document", "validate_paths"]

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
    """One problem (or, with ``warning``, a kind nothing could check): the file, the object, the field path and what is wrong."""

    file: str
    subject: str
    path: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{'warning: ' if self.warning else ''}{self.file}: {self.subject}: {where}{self.message}"


def _subject(doc: dict[str, Any]) -> str:
    meta = doc.get("metadata") or {}
    return f"{doc.get('kind', '?')} {meta.get('name', '(unnamed)')!r}"


@cache
def _load_schema(path: str) -> Any:
    import jsonschema

    schema = json.loads(Path(path).read_text())
    return jsonschema.Draft7Validator(schema)


def _schema_file(schema_dirs: Sequence[Path], group: str, kind: str, version: str) -> Path | None:
    name = f"{kind.lower()}_{version}.json"
    for schema_dir in schema_dirs:
        for base in (schema_dir, schema_dir / "crds"):
            candidate = base / group / name
            if candidate.is_file():
                return candidate
    return None


def _modelled(doc: dict[str, Any], file: str) -> list[Finding] | None:
    """Problems the typed model finds, or None when the library does not model the kind."""
    from ..core.errors import ManifestError
    from ..core.model import registered_kinds

    cls = registered_kinds().get((str(doc.get("apiVersion")), str(doc.get("kind"))))
    if cls is None:
        return None
    try:
        cls.from_manifest(doc)
    except ManifestError as exc:
        return [Finding(file, p.subject or _subject(doc), p.path, f"{p.message}; {p.fix}" if p.fix else p.message)
                for p in exc.problems]
    return []


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


def validate_document(doc: Any, file: str, schema_dirs: Sequence[Path] = (), unknown: str = "error") -> list[Finding]:
    """Every problem with one document (see the module docstring for what checks which kind)."""
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
    # The schema first (kubernetes-validate for core kinds, a --schemas file for others); when it passes,
    # the typed model adds the rules beyond the schema. (Both at once would report one mistake twice.)
    schema_known = True
    if group in _CORE_GROUPS:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            schema_known = False
        except kubernetes_validate.ValidationError as exc:
            findings.append(Finding(file, _subject(doc), loc_path(tuple(exc.path)), exc.message))
            return findings
        missing = f"no Kubernetes {KUBERNETES_VERSION} schema for {api_version} {kind}"
    else:
        schema = _schema_file(schema_dirs, group, kind, version)
        schema_known = schema is not None
        if schema is not None:
            validator = _load_schema(str(schema))
            errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
            if errors:
                findings.extend(Finding(file, _subject(doc), loc_path(tuple(e.absolute_path)), e.message) for e in errors)
                return findings
        looked = ", ".join(str(d) for d in schema_dirs)
        hint = (f"no {group}/{kind.lower()}_{version}.json in {looked}" if schema_dirs
                else f"pass --schemas DIR with {group}/{kind.lower()}_{version}.json (kubeconform layout)")
        missing = f"{api_version} {kind} is not a kind the library models and has no schema ({hint})"
    modelled = _modelled(doc, file)
    if modelled is not None:
        findings.extend(modelled)
    elif not schema_known:
        findings.append(Finding(file, _subject(doc), "", missing, warning=unknown == "warn"))
    return findings


def validate_paths(paths: list[Path], schema_dirs: Sequence[Path] | Path | None = None, root: Path | None = None,
                   unknown: str = "error") -> tuple[int, list[Finding]]:
    """Validate every YAML document under ``paths``; returns (object count, findings).

    ``schema_dirs``: folders of JSON schemas (kubeconform layout) for kinds the library does not model.
    ``unknown``: ``"error"`` (default) or ``"warn"``: what a kind nothing can check becomes.
    """
    if unknown not in ("error", "warn"):
        raise ValueError(f"unknown={unknown!r}; use 'error' or 'warn'")
    dirs = [schema_dirs] if isinstance(schema_dirs, Path) else list(schema_dirs or ())
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()))
        else:  # a FIFO or device named explicitly is refused by the bounded reader, never opened blocking
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
            docs = [d for d in load_yaml_file(file, shown, YAML_FILE_LIMIT) if d is not None]
        except yaml.YAMLError as exc:
            findings.append(Finding(shown, "(file)", "", f"invalid YAML: {exc}"))
            continue
        except ConfigError as exc:  # not a regular file, too large, an alias bomb, too deep
            findings.extend(Finding(shown, "(file)", p.path, p.message + (f"; {p.fix}" if p.fix else "")) for p in exc.problems)
            continue
        except UnicodeDecodeError as exc:
            findings.append(Finding(shown, "(file)", "", f"is not UTF-8 text (byte {exc.start}); save it as UTF-8"))
            continue
        for doc in docs:
            count += 1
            findings.extend(validate_document(doc, shown, dirs, unknown))
    return count, findings
