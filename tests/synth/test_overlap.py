"""What a parallel synth does beside its workers: the Argo CD wiring in a forked process, and the new
``dist/`` tree begun while the workers build. Both must leave the output exactly as a serial synth does."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
from helpers import fresh_python

from cdk8s_gitops.synth import Project, render_files
from cdk8s_gitops.synth.fleet import synthesize_fleet
from cdk8s_gitops.synth.install import DistState, TreeWriter, _write_tree, install_tree, recover, staging_path
from cdk8s_gitops.synth.ownership import MARKER, Inventory
from cdk8s_gitops.synth.parallel import can_fork
from cdk8s_gitops.synth.writer import Prestage, write

from .test_fleet import _cli, _fleet, _tree

needs_fork = pytest.mark.skipif(not can_fork(), reason="needs fork and two CPUs (the work is done here otherwise)")

# Run in a new process: a test process that already made jsii objects (other tests did) never forks.
_FRESH = """
import json, os, sys
sys.path.insert(0, {root!r})
import cdk8s_gitops.synth.fleet as fleet
from cdk8s_gitops.synth import Project, render_files
from cdk8s_gitops.synth.build import build_wiring_output as real
from cdk8s_gitops.synth.fleet import synthesize_fleet
PARENT, PIDS = os.getpid(), []
log = {log!r}

def noting(app, spec):  # notes the process the wiring is built in (and dies there, when asked)
    with open(log, "a") as fh:
        fh.write(f"{{os.getpid()}}\\n")
    if {die!r} and os.getpid() != PARENT:
        os._exit(3)
    return real(app, spec)

fleet.build_wiring_output = noting
project = Project({root!r})
"""


def _fresh(root: Path, log: Path, body: str, die: bool = False) -> dict[str, Any]:
    """Run ``body`` after :data:`_FRESH` in a new process; it prints one JSON object, returned with the pids noted."""
    printed = fresh_python(_FRESH.format(root=str(root), log=str(log), die=die) + textwrap.dedent(body))
    out = json.loads(printed.splitlines()[-1])  # the last line (synth prints its summary before)
    out["pids"] = log.read_text().split() if log.exists() else []
    return dict(out)


def _synth_noting_early(root: Path, log: Path, before: str = "") -> dict[str, Any]:
    """``synth --jobs 2 --no-cache`` in a new process (after ``before``), noting the app folders sent to the begun
    tree while the workers build: returns the exit code and those folders (``env/app``, sorted)."""
    return _fresh(root, log, textwrap.dedent(before) + textwrap.dedent(f"""
        from cdk8s_gitops.cli import main
        from cdk8s_gitops.synth.writer import Prestage
        early, real_put = [], Prestage.put

        def put(self, environment, app, files):
            early.append(f"{{environment}}/{{app}}")
            real_put(self, environment, app, files)

        Prestage.put = put
        code = main(["-C", {str(root)!r}, "synth", "--jobs", "2", "--no-cache"])
        print(json.dumps({{"code": code, "early": sorted(early)}}))
    """))


class TestForkedWiring:
    @needs_fork
    def test_wiring_is_built_in_another_process_with_the_serial_bytes(self, tmp_path: Path) -> None:
        """With workers allowed, each environment's wiring is built in a forked process while this one loads the
        apps; the files are those of a serial synth, and their records are cached as a serial run caches them."""
        root = _fleet(tmp_path / "repo", services=10)
        log = tmp_path / "pids"
        first = _fresh(root, log, """
            serial = render_files(synthesize_fleet(project, jobs=1, cache=False), project)
            open(log, "w").close()
            parallel = render_files(synthesize_fleet(project, jobs=2, cache=True), project)
            print(json.dumps({"same": parallel == serial, "parent": PARENT}))
        """)
        assert first["same"]
        assert len(first["pids"]) == 2 and str(first["parent"]) not in first["pids"]  # dev and production, elsewhere
        log.unlink()
        second = _fresh(root, log, """
            stats = {}
            out = render_files(synthesize_fleet(project, jobs=2, cache=True, stats=stats), project)
            print(json.dumps({"built": stats["built"], "files": len(out)}))
        """)
        assert second["built"] == 0 and second["pids"] == []  # the wirings came from the cache too

    def test_serial_synth_builds_the_wiring_here(self, tmp_path: Path) -> None:
        """--jobs 1 means one process: the wiring is built in it."""
        out = _fresh(_fleet(tmp_path / "repo", services=2), tmp_path / "pids", """
            synthesize_fleet(project, jobs=1, cache=False)
            print(json.dumps({"parent": PARENT}))
        """)
        assert out["pids"] == [str(out["parent"])] * 2

    @needs_fork
    def test_forked_process_that_dies_leaves_the_wiring_to_this_one(self, tmp_path: Path) -> None:
        """A forked wiring process that dies sends nothing back: this process builds the wiring itself."""
        root = _fleet(tmp_path / "repo", services=10)
        out = _fresh(root, tmp_path / "pids", """
            serial = render_files(synthesize_fleet(project, jobs=1, cache=False), project)
            open(log, "w").close()
            parallel = render_files(synthesize_fleet(project, jobs=2, cache=False), project)
            print(json.dumps({"same": parallel == serial, "parent": PARENT}))
        """, die=True)
        assert out["same"]
        assert str(out["parent"]) in out["pids"] and len(set(out["pids"])) == 2  # died there, built here

    @needs_fork
    def test_broken_app_stops_the_forked_wiring_quietly(self, tmp_path: Path) -> None:
        """An app that fails to import ends the synth before the wiring is collected: the forked process is stopped
        and prints nothing (no traceback)."""
        root = _fleet(tmp_path / "repo", services=10)
        (root / "apps" / "svc_2.py").write_text("raise RuntimeError('broken at import')\n")
        done = _cli(root, "synth", "--jobs", "2", "--no-cache")  # the command: it handles SIGTERM and SIGINT itself
        assert done.returncode == 2, done.stderr  # a configuration error
        assert "apps/svc_2.py: failed to import: RuntimeError: broken at import" in done.stderr
        assert "Traceback" not in done.stderr and "Process" not in done.stderr, done.stderr


class TestPrestage:
    @needs_fork
    def test_parallel_synth_begins_the_tree_and_writes_the_serial_bytes(self, tmp_path: Path) -> None:
        """synth with workers writes app folders into the staging tree while they build; dist/ ends byte for byte
        as after a serial synth, and no staging tree is left."""
        root = _fleet(tmp_path / "repo", services=10)
        out = _synth_noting_early(root, tmp_path / "pids", f"""
            from cdk8s_gitops.cli import main
            assert main(["-C", {str(root)!r}, "synth", "--jobs", "1", "--no-cache", "-o", {str(tmp_path / "serial")!r}]) == 0
        """)
        assert out["code"] == 0
        assert len(out["early"]) == 22  # every (environment, app) pair: 11 apps in 2 environments
        assert _tree(root / "dist") == _tree(tmp_path / "serial")
        assert not list(tmp_path.glob("repo/.dist.cdk8s-staging-*"))

    @needs_fork
    def test_refused_synth_leaves_no_begun_tree(self, tmp_path: Path) -> None:
        """A planted secret refused after the workers built (and the tree was begun): dist/ keeps every byte, and the
        begun tree is gone. Run in a new process, where the workers and the begun tree are used."""
        root = _fleet(tmp_path / "repo", services=10)
        assert _cli(root, "synth", "--jobs", "2", "--no-cache").returncode == 0
        shutil.rmtree(root / "dist" / "dev" / "svc-6")  # files dist/ does not hold: they are written into the begun tree
        before = _tree(root / "dist")
        (root / "apps" / "svc_5.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\nfrom cdk8s_gitops.kube import ConfigMap\n\n\n"
            "def build(scope, env):\n"
            "    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name='cfg'), data={'DB_PASSWORD': 'hunter2-plain-text'}))\n")
        out = _synth_noting_early(root, tmp_path / "pids")
        assert out["code"] == 1
        assert "dev/svc-6" in out["early"]
        assert _tree(root / "dist") == before
        assert not list(tmp_path.glob("repo/.dist.cdk8s-staging-*"))

    def test_write_keeps_right_files_and_mends_the_others(self, project: Path) -> None:
        """write() completes a begun tree: a file begun with the result's bytes is kept (same inode), one with other
        bytes is rewritten, one the result does not hold is removed."""
        proj = Project(project)
        result = synthesize_fleet(proj, jobs=1, cache=False)
        files = render_files(result, proj)
        stage = Prestage(proj)
        manifest = "dev/shop/manifest.yaml"
        stage.put("dev", "shop", {"manifest.yaml": files[manifest].decode(), "README.md": "stale text\n"})
        stage.put("dev", "ghost", {"manifest.yaml": "kind: Gone\n"})
        staged = staging_path((project / "dist").resolve())
        inode = (staged / manifest).stat().st_ino
        write(result, proj, prestage=stage)
        assert (project / "dist" / manifest).stat().st_ino == inode
        written = _tree(project / "dist")
        assert written.pop(MARKER)
        assert written == files  # the stale README rewritten, the ghost folder gone
        assert not (project / "dist" / "dev/ghost").exists()
        assert not staged.exists()

    def test_discard_removes_the_begun_tree(self, project: Path) -> None:
        staged = staging_path((project / "dist").resolve())
        with Prestage(Project(project)) as stage:
            stage.put("dev", "shop", {"manifest.yaml": "kind: X\n"})
            assert (staged / "dev/shop/manifest.yaml").read_text() == "kind: X\n"
        assert not staged.exists()
        with Prestage(Project(project), enabled=False) as stage:
            stage.put("dev", "shop", {"manifest.yaml": "kind: X\n"})
            assert not staged.exists()

    def test_recover_keeps_this_runs_tree_and_removes_leftovers(self, tmp_path: Path) -> None:
        target = tmp_path / "dist"
        target.mkdir()
        mine = staging_path(target)
        mine.mkdir()
        leftover = tmp_path / ".dist.cdk8s-staging-1"
        leftover.mkdir()
        notes = recover(target, keep=mine)
        assert mine.exists() and not leftover.exists()
        assert notes == ["removed .dist.cdk8s-staging-1, left by a killed run"]

    def test_write_tree_completes_a_begun_tree(self, tmp_path: Path) -> None:
        """_write_tree of a begun tree keeps what was written and writes what is missing."""
        root = tmp_path / "stage"
        root.mkdir(mode=0o700)
        tree = TreeWriter(root, Inventory())
        tree.write("dev/a/manifest.yaml", b"one\n")
        _write_tree(root, {"dev/a/manifest.yaml": b"one\n", "dev/b/manifest.yaml": b"two\n"}, Inventory(), tree=tree)
        assert _tree(root) == {"dev/a/manifest.yaml": b"one\n", "dev/b/manifest.yaml": b"two\n"}

    def test_tree_begun_for_another_state_of_the_folder_is_not_used(self, tmp_path: Path) -> None:
        """A tree begun against another inventory of the output folder (its modes and files may be wrong) is dropped,
        and the new tree written from scratch."""
        target = tmp_path / "dist"
        tree = TreeWriter(staging_path(target), Inventory(exists=True, files={"dev/x/manifest.yaml": 0o600}))
        staging_path(target).mkdir(mode=0o700)
        tree.write("dev/y/manifest.yaml", b"begun\n")
        install_tree(target, {"dev/a/manifest.yaml": b"a\n"}, Inventory(), DistState(), started=tree)
        assert _tree(target) == {"dev/a/manifest.yaml": b"a\n"}
        assert not staging_path(target).exists()


class TestExpectedArgoCDSection:
    def test_drawn_from_the_wiring_alone_it_is_used_only_when_the_key_matches(self, tmp_path: Path) -> None:
        """The forked wiring process draws each environment README's Argo CD section assuming no app holds an
        Application: the memo key equals the real one exactly then, and differs once an app holds one."""
        from cdk8s_gitops.synth.docs import argocd_key, expected_argocd

        project = Project(_fleet(tmp_path / "repo", services=2))
        result = synthesize_fleet(project, jobs=1, cache=False)
        spec = result.environments[0]
        apps = {o.app: o.manifests for o in result.outputs if o.environment == spec.name}
        key, section = expected_argocd(spec, apps["argocd-apps"])
        assert key == argocd_key(spec, apps)
        assert section.startswith("## Argo CD") and section.strip() in render_files(result, project)[f"{spec.name}/README.md"].decode()
        apps["svc-0"] = [*apps["svc-0"], {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                                          "metadata": {"name": "child", "namespace": "argocd"}, "spec": {}}]
        assert argocd_key(spec, apps) != key
