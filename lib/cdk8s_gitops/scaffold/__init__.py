"""``cdk8s-gitops init``: a new platform repository that uses this package, in one command.

:func:`init` writes ``pyproject.toml`` (depending on the package), ``cdk8s.yaml``, ``apps/hello.py``
(an example app in the library's typed style), ``environments/dev.yaml`` and ``production.yaml``,
a test with field assertions and YAML snapshots, a CI workflow (``synth --check``, ``validate``,
pytest), a README and ``.gitignore``; then it synthesizes ``dist/`` and records the snapshots, so
that every check of the new repository passes straight away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import ConfigError, Problem
from ..synth.cdk8s_cli import CDK8S_YAML
from .templates import FILES

__all__ = ["DEFAULT_PACKAGE_SPEC", "InitResult", "init"]

#: What the new repository depends on; ``--package-spec`` replaces it (a version pin, a path, a wheel URL).
DEFAULT_PACKAGE_SPEC = "cdk8s-gitops"

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?(.*)$")


@dataclass
class InitResult:
    """What :func:`init` wrote, relative to the new repository."""

    root: Path
    written: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)


def _project_name(root: Path) -> str:
    name = re.sub(r"[^a-z0-9]+", "-", root.resolve().name.lower()).strip("-")
    return name or "platform"


def _with_testing_extra(spec: str) -> str:
    """``cdk8s-gitops @ file:///x`` -> ``cdk8s-gitops[testing] @ file:///x`` (the extras merged)."""
    match = _REQUIREMENT.match(spec)
    if match is None:
        raise ConfigError(Problem("--package-spec", "", f"{spec!r} is not a requirement",
                                  "use a name with an optional version or URL, such as 'cdk8s-gitops>=0.1' or "
                                  "'cdk8s-gitops @ file:///path/to/checkout'"))
    name, extras, rest = match.groups()
    wanted = [e.strip() for e in (extras or "[]")[1:-1].split(",") if e.strip()]
    if "testing" not in wanted:
        wanted.append("testing")
    return f"{name}[{','.join(wanted)}]{rest}"


def _local_spec(spec: str) -> str:
    """A bare local path (a checkout or a wheel) becomes a ``cdk8s-gitops @ file://`` requirement."""
    path = Path(spec).expanduser()
    if ("/" in spec or spec.startswith(".")) and path.exists():
        return f"cdk8s-gitops @ {path.resolve().as_uri()}"
    return spec


def init(root: Path, *, package_spec: str = DEFAULT_PACKAGE_SPEC, force: bool = False,
         repo_url: str | None = None) -> InitResult:
    """Create a platform repository in ``root`` and synthesize its ``dist/``.

    ``root`` must be missing or empty unless ``force`` is set; with ``force``, the files init writes
    replace files of the same name and everything else in the folder is left alone.
    Raises :class:`ConfigError` for a non-empty folder without ``force`` (naming what is there).
    """
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ConfigError(Problem(str(root), "", "is a file", "choose a folder for the new repository"))
    present = sorted(p.name for p in root.iterdir()) if root.is_dir() else []
    if present and not force:
        shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
        raise ConfigError(Problem(str(root), "", f"is not empty ({shown})",
                                  "choose a new or empty folder, or pass --force to write the scaffold's files over "
                                  "files of the same name (other files are kept)"))
    package = _local_spec(package_spec)
    fields = {
        "project": _project_name(root),
        "package": package,
        "package_testing": _with_testing_extra(package),
        "repo_url": repo_url or f"https://github.com/example-org/{_project_name(root)}.git",
    }
    result = InitResult(root=root)
    files = {rel: template.format(**fields) for rel, template in FILES.items()}
    files["cdk8s.yaml"] = CDK8S_YAML
    for rel, text in sorted(files.items()):
        target = root / rel
        (result.overwritten if target.exists() else result.written).append(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _synthesize(root, result)
    return result


def _synthesize(root: Path, result: InitResult) -> None:
    """Write dist/ and the example's snapshots, so that `synth --check` and pytest pass from the start."""
    from ..synth import Project, synthesize, write
    from ..synth.render import dump_documents
    from ..testing.documents import to_documents

    project = Project(root=root)
    synth = synthesize(project)
    write(synth, project)
    result.written.append("dist/")
    folder = root / "tests" / "__snapshots__" / "test_hello"
    folder.mkdir(parents=True, exist_ok=True)
    for out in synth.outputs:
        if out.app == "hello":
            path = folder / f"test_snapshot[{out.environment}].yaml"
            path.write_text(dump_documents(to_documents(out)), encoding="utf-8")
            result.written.append(path.relative_to(root).as_posix())
