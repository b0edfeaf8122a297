"""End to end, as a new user: init, a fresh virtualenv that installs this checkout, and every check.

Slow (a virtualenv and two installs, about a minute with a warm pip cache): marked ``e2e``, and it runs
in the default test run, so CI runs it. ``-m "not e2e"`` leaves it out locally.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cdk8s_cli_support import path_without_gitops, run_cdk8s_synth
from helpers import REPO

from cdk8s_gitops.testing.plugin import MISSING_SYRUPY

pytestmark = pytest.mark.e2e


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "VIRTUAL_ENV", "CDK8S_OUTDIR", "PYTHON"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cwd: Path, *cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(cmd), cwd=cwd, env=_env(), capture_output=True, text=True, timeout=600, check=False)


def _ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, f"{done.args}\n{done.stdout}\n{done.stderr}"
    return done


def test_new_repository_from_init(tmp_path: Path) -> None:
    """init + fresh venv: synth --check, validate, pytest without and with the testing extra, cdk8s synth, mistakes."""
    repo = tmp_path / "platform"
    _ok(_run(tmp_path, sys.executable, "-m", "cdk8s_gitops", "init", str(repo), "--package-spec", str(REPO)))
    _ok(_run(repo, sys.executable, "-m", "venv", ".venv"))
    py, cli = str(repo / ".venv/bin/python"), str(repo / ".venv/bin/cdk8s-gitops")

    # Without the testing extra: pytest starts, only the snapshot tests ask for syrupy.
    _ok(_run(repo, py, "-m", "pip", "install", "-q", "-e", ".", "pytest"))
    _ok(_run(repo, cli, "synth", "--check"))
    _ok(_run(repo, cli, "validate"))
    bare = _run(repo, py, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert bare.returncode == 1 and "2 passed, 2 errors" in bare.stdout, bare.stdout + bare.stderr
    assert MISSING_SYRUPY in bare.stdout

    # With it, everything passes straight away.
    _ok(_run(repo, py, "-m", "pip", "install", "-q", "-e", ".[test]"))
    assert "4 passed" in _ok(_run(repo, py, "-m", "pytest", "-q", "-p", "no:cacheprovider")).stdout

    # `cdk8s synth` (the venv not activated: cdk8s.yaml finds .venv/bin) writes the same tree.
    committed = _tree(repo / "dist")
    _ok(run_cdk8s_synth(repo, path_without_gitops()))
    assert _tree(repo / "dist") == committed

    # A mistake in the app: both commands refuse, name file, line, field and value; dist/ stays as it was.
    app = repo / "apps" / "hello.py"
    good = app.read_text()
    app.write_text(good.replace("port=8080", 'port="eighty"'))
    line = next(i for i, text in enumerate(app.read_text().splitlines(), 1) if "MicroserviceProps(" in text)
    for done in (_run(repo, cli, "synth"), run_cdk8s_synth(repo, path_without_gitops())):
        assert done.returncode != 0
        assert f"MicroserviceProps 'web' (apps/hello.py:{line}, environment dev): port:" in done.stderr, done.stderr
        assert "'eighty'" in done.stderr and "Traceback" not in done.stderr
        assert _tree(repo / "dist") == committed

    # A change to the app: the snapshot test names the changed object before the diff.
    app.write_text(good.replace('"Hello from', '"Hi from'))
    changed = _run(repo, py, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert changed.returncode == 1
    assert "changed: ConfigMap hello-dev/hello-config" in changed.stdout, changed.stdout
