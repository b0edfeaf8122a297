"""kill -9 at every step of a write: dist/ is always the old tree or the new one, and the next run cleans up.

Each case runs synth in a child process whose write is instrumented (``install.FAULT``) to
SIGKILL itself at one step, for each of the three ways the writer swaps: the one-step
exchange, the two-rename fallback (no ``renameat2``), in place (a mount point), and folder by folder (a large
tree with few changes; the thresholds are lowered for this small project).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk8s_gitops.cli import main
from cdk8s_gitops.synth.cache import CACHE_DIR
from cdk8s_gitops.synth.install import recover
from cdk8s_gitops.synth.lock import output_lock

from .conftest import snapshot_tree

CHILD = r'''
import os, signal, sys
from cdk8s_gitops.synth import install
mode, step, project = sys.argv[1:4]
dist = os.path.realpath(os.path.join(project, "dist"))
if mode == "fallback":
    install.USE_EXCHANGE = False
if mode == "folders":
    install.FOLDER_SWAP_MIN_FILES, install.FOLDER_SWAP_SHARE = 1, 1.0
if mode == "inplace":
    real = os.path.ismount
    os.path.ismount = lambda p: os.path.realpath(p) == dist or real(p)
def fault(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGKILL)
install.FAULT = fault
from cdk8s_gitops.cli import main
sys.exit(main(["-C", project, "synth"]))
'''

# (mode, step, which tree a reader finds once the next run has recovered: "old" or "new")
CASES = [
    ("exchange", "file-written", "old"),
    ("exchange", "staged", "old"),
    ("exchange", "exchanged", "new"),
    ("exchange", "swapped", "new"),
    ("fallback", "staged", "old"),
    ("fallback", "old-moved", "old"),
    ("fallback", "swapped", "new"),
    ("inplace", "staged", "old"),
    ("inplace", "journal-written", "new"),
    ("inplace", "inplace-moved:dev", "new"),
    ("inplace", "swapped", "new"),
    ("folders", "staged", "old"),
    ("folders", "journal-written", "new"),
    ("folders", "inplace-moved:dev/shop", "new"),
    ("folders", "swapped", "new"),
]


def synth(project: Path, *args: str) -> int:
    return main(["-C", str(project), "synth", *args])


@pytest.mark.parametrize(("mode", "step", "expected"), CASES, ids=[f"{m}-{s}" for m, s, _ in CASES])
def test_kill_at_each_step(project: Path, mode: str, step: str, expected: str) -> None:
    """After SIGKILL at ``step``, dist/ is the old or new tree (exactly), and the next run leaves no leftovers."""
    assert synth(project) == 0
    old = snapshot_tree(project / "dist")
    env_file = project / "environments/dev.yaml"
    env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.9"))
    (project / "environments/production.yaml").unlink()  # the new tree also drops a whole environment

    child = subprocess.run([sys.executable, "-c", CHILD, mode, step, str(project)], capture_output=True, text=True,
                           timeout=300)
    assert child.returncode == -9, f"the fault point {step!r} was never reached: {child.stdout}{child.stderr}"

    dist = project / "dist"
    before_recovery = snapshot_tree(dist)
    with output_lock(dist.resolve()):
        recover(dist.resolve())
    after_crash = snapshot_tree(dist)
    if mode == "exchange":  # one step: a reader sees a whole tree even before any recovery
        assert before_recovery == after_crash

    assert synth(project) == 0
    new = snapshot_tree(dist)
    assert new != old
    assert after_crash == (old if expected == "old" else new)
    assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]
    assert not [p.name for p in dist.iterdir() if p.name.startswith(".cdk8s-gitops~")]


def test_exchange_never_shows_a_missing_or_mixed_tree(project: Path) -> None:
    """With the exchange swap, a kill right after the swap leaves the complete new tree before any recovery."""
    assert synth(project) == 0
    old = snapshot_tree(project / "dist")
    env_file = project / "environments/dev.yaml"
    env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.9"))
    for step in ("staged", "exchanged"):
        child = subprocess.run([sys.executable, "-c", CHILD, "exchange", step, str(project)], capture_output=True,
                               timeout=300)
        assert child.returncode == -9
        seen = snapshot_tree(project / "dist")
        if step == "staged":
            assert seen == old
        else:
            assert seen != old and "tag: v1.0.9" in seen["dev/shop/manifest.yaml"].decode()
            assert set(seen) == set(old)


def test_leftovers_of_killed_runs_are_reported_and_removed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Staging and old trees of dead runs beside dist/ are removed by the next run, which says so."""
    assert synth(project) == 0
    (project / ".dist.cdk8s-staging-999999/dev").mkdir(parents=True)
    (project / ".dist.cdk8s-old-999998/dev").mkdir(parents=True)
    (project / "dist/.cdk8s-gitops~trash-999997").mkdir()
    capsys.readouterr()
    assert synth(project) == 0
    err = capsys.readouterr().err
    assert "cdk8s-staging-999999" in err and "cdk8s-old-999998" in err
    assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]
    assert not (project / "dist/.cdk8s-gitops~trash-999997").exists()


def test_missing_dist_with_old_tree_is_restored(project: Path) -> None:
    """A run killed between the two renames of the fallback left dist/ missing: the next run restores it first."""
    assert synth(project) == 0
    old = snapshot_tree(project / "dist")
    os.rename(project / "dist", project / ".dist.cdk8s-old-4242")
    assert synth(project, "--env", "dev") == 0  # a partial run is fine again: the full tree came back
    assert snapshot_tree(project / "dist") == old


def test_damaged_journal_is_refused_not_guessed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A journal that cannot be read (or names paths outside the folder) stops synth with exit 3; nothing moves."""
    assert synth(project) == 0
    before = snapshot_tree(project / "dist")
    for text in ("{not json", '{"staging": "../../x", "trash": "t", "install": ["dev"], "remove": []}',
                 '{"staging": ".cdk8s-gitops~s", "trash": ".cdk8s-gitops~t", "install": ["dev/../../x"], "remove": []}',
                 '{"staging": ".cdk8s-gitops~s", "trash": ".cdk8s-gitops~t", "install": [], "remove": ["/etc"]}'):
        (project / "dist/.cdk8s-gitops~journal").write_text(text)
        assert synth(project) == 3
        assert "journal" in capsys.readouterr().err
        assert {k: v for k, v in snapshot_tree(project / "dist").items() if "journal" not in k} == before
