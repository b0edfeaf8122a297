"""``cdk8s synth`` support: the cdk8s CLI runs ``cdk8s-gitops synth`` as its app command.

The cdk8s CLI deletes its output folder before it runs the app command, and sets
``CDK8S_OUTDIR`` to it. If that folder were ``dist/``, a failing app would leave the
working tree without ``dist/``. So a project's ``cdk8s.yaml`` points ``output`` at a
scratch folder (:data:`SCRATCH`), and ``cdk8s-gitops synth`` under the cdk8s CLI:

1. writes ``dist/`` itself, through the atomic dist writer (on any failure ``dist/`` is
   exactly as it was, as with ``cdk8s-gitops synth``);
2. then copies the manifests it wrote into ``$CDK8S_OUTDIR`` (same relative paths), so
   that the cdk8s CLI lists them and its validation plugins see them.

When ``cdk8s.yaml`` still says ``output: dist``, the command still writes the complete
``dist/`` on success, and warns that a failure loses ``dist/`` (the cdk8s CLI has already
removed it) and how to change ``cdk8s.yaml``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .build import SynthResult
from .install import OutputError
from .project import Project

__all__ = ["APP_COMMAND", "CDK8S_YAML", "SCRATCH", "cdk8s_outdir", "check_scratch", "copy_manifests",
           "same_as_dist_warning"]

#: The scratch folder the cdk8s CLI may empty (in .gitignore).
SCRATCH = ".cdk8s.out"

#: The app command of ``cdk8s.yaml``: the activated virtualenv's command, else ``.venv``'s, else a clear message.
APP_COMMAND = (
    "if command -v cdk8s-gitops >/dev/null 2>&1; then exec cdk8s-gitops synth;\n"
    "elif [ -x .venv/bin/cdk8s-gitops ]; then exec .venv/bin/cdk8s-gitops synth;\n"
    "else echo \"cdk8s synth: the cdk8s-gitops command was not found (not on PATH, no .venv/bin/cdk8s-gitops);\n"
    "activate the virtualenv that has it (. .venv/bin/activate) or install it with\n"
    "python3 -m venv .venv && .venv/bin/pip install -e . ; dist/ was not touched\" >&2; exit 127; fi\n"
)

#: ``cdk8s.yaml`` for a project: the cdk8s CLI runs the app command and empties only the scratch folder.
CDK8S_YAML = f"""\
# `cdk8s synth` runs the app command below with CDK8S_OUTDIR set to `output`, after emptying that
# folder. `cdk8s-gitops synth` writes dist/ itself (atomically: a failure leaves dist/ as it was) and
# copies the manifests into the scratch folder for the cdk8s CLI. Never set `output: dist`.
language: python
output: {SCRATCH}
app: >-
""" + "".join(f"  {line}\n" for line in APP_COMMAND.splitlines())


def cdk8s_outdir() -> Path | None:
    """The cdk8s CLI's output folder when this process runs as its app command (``$CDK8S_OUTDIR``)."""
    value = os.environ.get("CDK8S_OUTDIR")
    return Path(value).resolve() if value else None


def same_as_dist_warning(outdir: Path, project: Project) -> str | None:
    """The warning for a ``cdk8s.yaml`` whose ``output`` is ``dist/`` itself (None when it is not)."""
    if outdir != Path(project.dist_dir).resolve():
        return None
    shown = project.relative(outdir)
    return (f"cdk8s.yaml sets output: {shown}: the cdk8s CLI deleted {shown}/ before running this command, so a failed "
            f"synth loses it (restore it with 'git checkout -- {shown}'); set 'output: {SCRATCH}' in cdk8s.yaml "
            f"(cdk8s-gitops synth writes {shown}/ itself)")


def check_scratch(outdir: Path, project: Project) -> None:
    """Refuse (:class:`OutputError`, before anything is written) a ``$CDK8S_OUTDIR`` that is not a scratch folder.

    The cdk8s CLI empties its output folder first, so it holds nothing, or only the ``<env>/<app>/manifest.yaml``
    copies of an earlier run. Anything else (``CDK8S_OUTDIR=.`` inside a project, a folder of your own files)
    would receive copies among files synth does not own, so it is refused.
    """
    if not outdir.exists():
        return
    shown = project.relative(outdir)
    if not outdir.is_dir() or outdir.is_symlink():
        raise OutputError(f"$CDK8S_OUTDIR {shown}: is not a folder; nothing was written. Point cdk8s.yaml's "
                          f"output at a scratch folder such as {SCRATCH}")
    foreign: list[str] = []
    for path in outdir.rglob("*"):  # stops at the sixth foreign entry: `CDK8S_OUTDIR=.` is refused at once
        depth = len(path.relative_to(outdir).parts)
        plain = not path.is_symlink()
        if (plain and path.is_dir() and depth <= 2) or (plain and path.is_file() and depth == 3 and path.name == "manifest.yaml"):
            continue
        foreign.append(project.relative(path))
        if len(foreign) > 5:
            break
    if foreign:
        listed = ", ".join(sorted(foreign[:5])) + (" and more" if len(foreign) > 5 else "")
        raise OutputError(f"$CDK8S_OUTDIR {shown}: refusing to copy manifests into a folder that holds files synth "
                          f"did not write: {listed}; nothing was written. Point cdk8s.yaml's output at a scratch "
                          f"folder such as {SCRATCH} (the cdk8s CLI empties it before each run)")


def copy_manifests(result: SynthResult, project: Project, outdir: Path) -> list[Path]:
    """Copy the ``manifest.yaml`` files of ``result`` from ``dist/`` into ``outdir`` (created even when empty)."""
    dist = Path(project.dist_dir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for out in result.outputs:
        rel = Path(out.environment, out.app, "manifest.yaml")
        target = outdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dist / rel, target)
        written.append(target)
    return written
