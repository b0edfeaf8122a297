"""The dist writer never loses data: ownership, partial runs, symlinks, mount points, modes, the lock."""

from __future__ import annotations

import errno
import os
import select
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cdk8s_gitops.cli import main
from cdk8s_gitops.synth import install
from cdk8s_gitops.synth.cache import CACHE_DIR
from cdk8s_gitops.synth.install import MARKER
from cdk8s_gitops.synth.lock import holds_lock, lock_path, output_lock

from .conftest import snapshot_tree


def synth(project: Path, *args: str) -> int:
    return main(["-C", str(project), "synth", *args])


def whole(root: Path) -> dict[str, bytes | str]:
    """Every entry under root: files with their bytes, folders, symlinks with their target (to prove nothing changed)."""
    out: dict[str, bytes | str] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_symlink():
            out[rel] = f"-> {os.readlink(p)}"
        elif p.is_dir():
            out[rel] = "dir"
        elif p.is_file():
            out[rel] = p.read_bytes()
        else:
            out[rel] = "special"
    return out


class TestOwnership:
    def test_output_dot_refuses_and_changes_nothing(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """synth --output . (the project itself) exits 3, names foreign entries and the fix, and deletes nothing."""
        (project / ".git").mkdir()
        (project / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
        before = whole(project)
        beside = sorted(p.name for p in project.parent.iterdir())  # (other tests may share the parent folder)
        assert synth(project, "--output", str(project)) == 3
        err = capsys.readouterr().err
        assert "refusing to write" in err and ".git/" in err and "apps/shop.py" in err
        assert "--output" in err and "Traceback" not in err
        assert whole(project) == before
        assert sorted(p.name for p in project.parent.iterdir()) == beside  # no lock file or staging tree beside it

    def test_cdk8s_outdir_dot_refuses(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """CDK8S_OUTDIR=. (as `cdk8s synth` could set it) is refused just like --output ."""
        before = whole(project)
        monkeypatch.chdir(project)
        monkeypatch.setenv("CDK8S_OUTDIR", ".")
        assert synth(project) == 3
        assert whole(project) == before

    def test_foreign_file_in_dist_refuses(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file synth did not write (even one shaped like its output) makes synth refuse; dist/ is unchanged."""
        assert synth(project) == 0
        (project / "dist/notes.txt").write_text("mine\n")
        (project / "dist/dev/custom").mkdir()
        (project / "dist/dev/custom/manifest.yaml").write_text("kind: ConfigMap\n")
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        before = whole(project / "dist")
        capsys.readouterr()
        assert synth(project) == 3
        err = capsys.readouterr().err
        assert "notes.txt" in err and "dev/custom/" in err
        assert whole(project / "dist") == before

    def test_symlink_and_fifo_inside_dist_are_foreign(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Entries that are not regular files (a symlink, a FIFO) are never read or removed: synth refuses."""
        assert synth(project) == 0
        os.symlink("/etc/passwd", project / "dist/dev/shop/link")
        os.mkfifo(project / "dist/dev/pipe")
        before = whole(project / "dist")
        assert synth(project) == 3
        err = capsys.readouterr().err
        assert "dev/shop/link" in err and "dev/pipe" in err
        assert whole(project / "dist") == before

    def test_the_light_walk_sorts_entries_as_the_full_one(self, project: Path) -> None:
        """The walk before the lock reads no entry's status: it finds the same owned, foreign and missing entries as
        the walk that does, over files, folders, a symlink (to a file and to a folder), a FIFO and a socket."""
        import socket as sockets

        assert synth(project) == 0
        dist = project / "dist"
        (dist / "notes.txt").write_text("mine\n")
        (dist / "dev" / "custom").mkdir()
        os.symlink("/etc/passwd", dist / "dev" / "shop" / "link")
        os.symlink(str(dist / "dev" / "shop"), dist / "dev" / "folder-link")
        os.mkfifo(dist / "dev" / "pipe")
        (dist / "production" / "shop" / "README.md").unlink()
        listener = sockets.socket(sockets.AF_UNIX)
        listener.bind(str(dist / "sock"))
        try:
            full, light = install.inventory(dist), install.inventory(dist, light=True)
        finally:
            listener.close()
        assert sorted(light.foreign) == sorted(full.foreign) and len(full.foreign) == 6
        assert set(light.files) == set(full.files) and set(light.dirs) == set(full.dirs)
        assert light.missing == full.missing == ["production/shop/README.md"]
        assert (light.marker, light.bad_marker, light.exists) == (full.marker, full.bad_marker, full.exists)
        assert not light.signatures and full.signatures.keys() == full.files.keys()

    def test_an_ownership_file_edited_in_place_is_read_again(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The ownership file is read once while its signature holds: an edit in place (same inode) is seen."""
        from cdk8s_gitops.core import files
        from cdk8s_gitops.synth import ownership

        monkeypatch.setattr(files, "SETTLED_NS", 0)
        monkeypatch.setattr(ownership, "_LISTED", {})
        assert synth(project) == 0
        dist = project / "dist"
        assert not install.inventory(dist).bad_marker and ownership._LISTED
        time.sleep(0.05)  # past the file system's clock tick
        marker = dist / MARKER
        with marker.open("a") as fh:
            fh.write("notes.txt\n")
        assert "never writes (notes.txt)" in install.inventory(dist).bad_marker

    def test_empty_and_missing_folders_are_fine(self, project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
        """An empty output folder or a missing one (with missing parents) is written."""
        empty = tmp_path_factory.mktemp("empty")
        assert synth(project, "--output", str(empty)) == 0
        assert (empty / "dev/shop/manifest.yaml").is_file() and (empty / MARKER).is_file()
        missing = tmp_path_factory.mktemp("m") / "a" / "b"
        missing.parent.mkdir()
        assert synth(project, "--output", str(missing)) == 0
        assert snapshot_tree(missing) == snapshot_tree(empty)

    def test_legacy_dist_without_marker_is_adopted(self, project: Path) -> None:
        """A dist/ written before the ownership file existed (only the synth layout) is accepted and gets one."""
        assert synth(project) == 0
        (project / "dist" / MARKER).unlink()
        assert synth(project, "--check") == 1  # the ownership file is part of what synth produces
        assert synth(project, "--env", "dev") == 0
        listed = (project / "dist" / MARKER).read_text().splitlines()
        assert "production/shop/manifest.yaml" in listed and "dev/README.md" in listed
        assert synth(project, "--check") == 0

    def test_legacy_dist_with_other_files_is_refused(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Without the ownership file, anything off the synth layout (a kustomization, deeper folders) is foreign."""
        assert synth(project) == 0
        (project / "dist" / MARKER).unlink()
        (project / "dist/dev/shop/kustomization.yaml").write_text("resources: []\n")
        (project / "dist/dev/shop/deep").mkdir()
        before = whole(project / "dist")
        assert synth(project) == 3
        err = capsys.readouterr().err
        assert "dev/shop/kustomization.yaml" in err and "dev/shop/deep/" in err
        assert whole(project / "dist") == before

    def test_marker_claiming_other_paths_is_refused(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An ownership file listing paths synth never writes (copied next to a project) does not make them ours."""
        (project / MARKER).write_text("apps/shop.py\nenvironments/dev.yaml\n")
        before = whole(project)
        assert synth(project, "--output", str(project)) == 3
        assert "lists paths synth never writes" in capsys.readouterr().err
        assert whole(project) == before

    def test_output_that_is_a_file_is_refused(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--output naming a file exits 3 and leaves the file alone."""
        (project / "out").write_text("data\n")
        assert synth(project, "--output", str(project / "out")) == 3
        assert "not a folder" in capsys.readouterr().err
        assert (project / "out").read_text() == "data\n"


class TestPartialRuns:
    def test_missing_dist_refuses_partial_run(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """synth --env dev without a dist/ refuses (it would drop production) and says to run a full synth."""
        assert synth(project, "--env", "dev") == 3
        assert "full 'cdk8s-gitops synth'" in capsys.readouterr().err
        assert not (project / "dist").exists()
        assert synth(project, "--app", "shop") == 3
        assert synth(project) == 0

    def test_empty_dist_refuses_partial_run(self, project: Path) -> None:
        """An empty dist/ is as incomplete as a missing one for --env/--app."""
        (project / "dist").mkdir()
        assert synth(project, "--env", "dev") == 3
        assert list((project / "dist").iterdir()) == []

    def test_damaged_dist_refuses_partial_run_and_full_synth_repairs(self, project: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
        """Files listed in the ownership file but missing make --env refuse; a full synth restores them."""
        assert synth(project) == 0
        complete = snapshot_tree(project / "dist")
        (project / "dist/production/shop/manifest.yaml").unlink()
        assert synth(project, "--env", "dev") == 3
        assert "production/shop/manifest.yaml" in capsys.readouterr().err
        assert synth(project) == 0
        assert snapshot_tree(project / "dist") == complete


class TestWriteThrough:
    def test_symlinked_dist_keeps_its_link(self, project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
        """A dist/ that is a symlink stays a symlink; its target folder receives the new tree."""
        real = tmp_path_factory.mktemp("manifests-repo") / "rendered"
        real.mkdir()
        (project / "dist").symlink_to(real)
        assert synth(project) == 0
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        assert (project / "dist").is_symlink() and os.readlink(project / "dist") == str(real)
        assert "tag: v1.0.9" in (real / "dev/shop/manifest.yaml").read_text()
        assert sorted(p.name for p in real.parent.iterdir()) == ["rendered"]  # no staging or old tree left

    def test_mount_point_is_written_in_place(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A mount point (which cannot be renamed) is never replaced: its content is swapped inside it."""
        assert synth(project) == 0
        dist = project / "dist"
        inode = dist.stat().st_ino
        real_ismount = os.path.ismount
        monkeypatch.setattr(os.path, "ismount", lambda p: os.path.realpath(p) == str(dist) or real_ismount(p))
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        (project / "environments/production.yaml").unlink()
        assert synth(project) == 0
        assert dist.stat().st_ino == inode
        assert sorted(p.name for p in dist.iterdir()) == [MARKER, "dev"]
        assert "tag: v1.0.9" in (dist / "dev/shop/manifest.yaml").read_text()

    def test_real_tmpfs_mount(self, project: Path) -> None:
        """On a real mount (a tmpfs, when this machine lets us mount one) synth writes in place and keeps the mount."""
        dist = project / "dist"
        dist.mkdir()
        if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(dist)],
                                               capture_output=True).returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
        try:
            (dist / "lost+found").mkdir()  # as at the top of an ext4 volume: left alone, not foreign
            assert synth(project) == 0
            assert synth(project, "--env", "dev") == 0
            assert os.path.ismount(dist) and (dist / "lost+found").is_dir()
            assert (dist / "production/shop/manifest.yaml").is_file()
            assert not [p for p in dist.iterdir() if p.name.startswith(".cdk8s-gitops~")]
        finally:
            subprocess.run(["umount", str(dist)], check=True)


class TestModes:
    def test_modes_the_umask_or_a_read_only_folder_would_change_are_kept(self, project: Path) -> None:
        """Files and folders are created with their mode when the umask leaves it whole; the others (group-writable
        under umask 022, a folder its owner may not write in) get it set afterwards, all the same."""
        assert synth(project) == 0
        os.chmod(project / "dist/dev/shop/manifest.yaml", 0o664)
        os.chmod(project / "dist/dev/shop/README.md", 0o444)
        os.chmod(project / "dist/dev/shop", 0o555)
        os.chmod(project / "dist/production/shop", 0o775)
        old = os.umask(0o022)
        try:
            (project / "environments/dev.yaml").write_text(
                (project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
            assert synth(project) == 0
            read_only = stat.S_IMODE((project / "dist/dev/shop").stat().st_mode)
        finally:
            os.umask(old)
            os.chmod(project / "dist/dev/shop", 0o755)  # for the clean-up of tmp_path
        assert read_only == 0o555
        assert "v1.0.9" in (project / "dist/dev/shop/manifest.yaml").read_text()
        assert stat.S_IMODE((project / "dist/dev/shop/manifest.yaml").stat().st_mode) == 0o664
        assert stat.S_IMODE((project / "dist/dev/shop/README.md").stat().st_mode) == 0o444
        assert stat.S_IMODE((project / "dist/production/shop").stat().st_mode) == 0o775

    def test_file_and_folder_modes_are_kept(self, project: Path) -> None:
        """A rewritten file keeps its mode, and so does its folder; new files get 0644 less the umask."""
        assert synth(project) == 0
        os.chmod(project / "dist/dev/shop/manifest.yaml", 0o640)
        os.chmod(project / "dist/dev/shop", 0o750)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        assert "v1.0.9" in (project / "dist/dev/shop/manifest.yaml").read_text()
        assert stat.S_IMODE((project / "dist/dev/shop/manifest.yaml").stat().st_mode) == 0o640
        assert stat.S_IMODE((project / "dist/dev/shop").stat().st_mode) == 0o750
        umask = os.umask(0)
        os.umask(umask)
        assert stat.S_IMODE((project / "dist/dev/shop/README.md").stat().st_mode) == 0o644 & ~umask


class TestLock:
    def test_held_lock_is_known_and_reentrant(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The lock is re-entrant and known to be held; a synth under it walks the output folder twice: before taking
        the lock (a walk that stands under it when no other run held the lock) and under the lock before writing,
        not again before taking the lock again."""
        from cdk8s_gitops.synth import writer

        assert synth(project) == 0
        target = (project / "dist").resolve()
        assert not holds_lock(target)
        with output_lock(target):
            assert holds_lock(target)
            with output_lock(target):
                assert holds_lock(target)
            assert holds_lock(target)
        assert not holds_lock(target)
        walks: list[Path] = []
        real = install.inventory

        def counting(path: Path, shown: str = "dist", light: bool = False) -> install.Inventory:
            walks.append(path)
            return real(path, shown, light=light)

        monkeypatch.setattr(writer, "inventory", counting)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.7"))
        assert synth(project) == 0
        assert len(walks) == 2

    def test_second_run_waits_and_says_so(self, project: Path) -> None:
        """While another run holds the lock, synth prints that it waits, then finishes once it is released."""
        assert synth(project) == 0
        target = (project / "dist").resolve()
        with output_lock(target):
            proc = subprocess.Popen([sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(project), "synth"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert proc.stderr is not None
            ready, _, _ = select.select([proc.stderr], [], [], 120)
            assert ready, "synth neither waited visibly nor ended"
            line = proc.stderr.readline()
            assert "waiting for another cdk8s-gitops run" in line and f"pid {os.getpid()}" in line
            time.sleep(0.2)
            assert proc.poll() is None  # still waiting
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and "synthesized" in out
        assert not lock_path(target).exists()

    def test_a_run_that_waited_walks_again_under_the_lock(self, project: Path) -> None:
        """What the output folder holds when the lock is released is checked before building: a file dropped in
        while synth waited is refused at once (the walk made before the lock does not stand)."""
        assert synth(project) == 0
        target = (project / "dist").resolve()
        before = snapshot_tree(target)
        with output_lock(target):
            proc = subprocess.Popen([sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(project), "synth"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert proc.stderr is not None
            ready, _, _ = select.select([proc.stderr], [], [], 120)
            assert ready and "waiting for another cdk8s-gitops run" in proc.stderr.readline()
            (target / "dev" / "notes.txt").write_text("mine\n")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode != 0 and "dev/notes.txt" in err and "refusing to write" in err
        assert "built" not in out  # refused before building anything
        assert snapshot_tree(target) == {**before, "dev/notes.txt": b"mine\n"}

    def test_two_concurrent_synths_both_end_with_a_correct_tree(self, project: Path) -> None:
        """Two synths started together (a CI job and a hook) both succeed and leave exactly a fresh synth's tree."""
        env_file = project / "environments/dev.yaml"
        env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.7"))
        cmd = [sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(project), "synth"]
        procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [p.communicate(timeout=180) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        produced = snapshot_tree(project / "dist")
        assert synth(project, "--check") == 0
        assert "tag: v1.0.7" in produced["dev/shop/manifest.yaml"].decode()
        assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]


class TestDurability:
    def _record(self, monkeypatch: pytest.MonkeyPatch, events: list[str]) -> None:
        real_exchange = install._exchange

        def exchange(a: Path, b: Path) -> bool:
            events.append("swap")
            return real_exchange(a, b)
        monkeypatch.setattr(install, "_exchange", exchange)

    def test_syncfs_flushes_the_complete_staged_tree_before_the_swap(self, project: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
        """With syncfs, one flush happens after every file is written and before the exchange."""
        if install._syncfs is None:
            pytest.skip("no syncfs on this platform")
        assert synth(project) == 0
        events: list[str] = []
        real_syncfs = install._syncfs

        def syncfs(fd: int) -> int:
            staged = [p for p in project.iterdir() if p.name.startswith(".dist.cdk8s-staging-")]
            events.append(f"flush {len(snapshot_tree(staged[0]))}")
            return real_syncfs(fd)
        monkeypatch.setattr(install, "_syncfs", syncfs)
        self._record(monkeypatch, events)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        assert events == [f"flush {len(snapshot_tree(project / 'dist'))}", "swap"]

    def test_fsync_of_every_file_without_syncfs(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without syncfs, every staged file and folder is fsync'ed before the exchange."""
        assert synth(project) == 0
        monkeypatch.setattr(install, "_syncfs", None)
        events: list[str] = []
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            events.append("fsync " + os.readlink(f"/proc/self/fd/{fd}").split(".cdk8s-staging-", 1)[-1].split("/", 1)[-1])
            real_fsync(fd)
        monkeypatch.setattr(os, "fsync", fsync)
        self._record(monkeypatch, events)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        swap = events.index("swap")
        flushed = {e.split(" ", 1)[1] for e in events[:swap]}
        assert set(snapshot_tree(project / "dist")) <= flushed
        assert {"dev", "dev/shop", "production"} <= flushed


class TestFallbacks:
    def test_folder_that_cannot_be_renamed_is_written_in_place(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A bind mount (rename gives EBUSY, yet ismount says no) falls back to the in-place swap: same result."""
        assert synth(project) == 0
        inode = (project / "dist").stat().st_ino

        def busy(a: Path, b: Path) -> bool:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(b))
        monkeypatch.setattr(install, "_exchange", busy)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        assert (project / "dist").stat().st_ino == inode
        assert "tag: v1.0.9" in (project / "dist/dev/shop/manifest.yaml").read_text()
        assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]
        monkeypatch.undo()
        assert synth(project, "--check") == 0

    def test_parent_refusing_new_entries_is_written_in_place(self, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """When the folder above dist/ is read-only but dist/ is writable, synth writes inside dist/."""
        assert synth(project) == 0
        real_mkdir = os.mkdir

        def mkdir(path: object, mode: int = 0o777) -> None:
            if ".dist.cdk8s-staging-" in str(path):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
            real_mkdir(path, mode)  # type: ignore[arg-type]
        monkeypatch.setattr(os, "mkdir", mkdir)
        (project / "environments/dev.yaml").write_text((project / "environments/dev.yaml").read_text().replace("v1.0.1", "v1.0.9"))
        assert synth(project) == 0
        assert "tag: v1.0.9" in (project / "dist/dev/shop/manifest.yaml").read_text()
        assert not [p for p in (project / "dist").iterdir() if p.name.startswith(".cdk8s-gitops~")]


class TestConcurrentEdits:
    def test_set_image_and_synth_together_end_consistent(self, project: Path) -> None:
        """set-image and synth started together are serialized: both succeed and dist/ matches the edited file."""
        assert synth(project) == 0
        base = [sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(project)]
        procs = [subprocess.Popen(base + ["set-image", "shop", "v1.0.5", "--env", "dev"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True),
                 subprocess.Popen(base + ["synth"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
        outputs = [p.communicate(timeout=180) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        assert "web: v1.0.5" in (project / "environments/dev.yaml").read_text()
        assert synth(project, "--check") == 0
        assert "tag: v1.0.5" in (project / "dist/dev/shop/manifest.yaml").read_text()


class TestOutputParents:
    def test_full_synth_creates_missing_parents_partial_run_creates_nothing(self, project: Path,
                                                                           tmp_path_factory: pytest.TempPathFactory) -> None:
        """--output a/b/out: a full synth creates a/b; --env refuses without creating anything."""
        base = tmp_path_factory.mktemp("out")
        assert synth(project, "--env", "dev", "--output", str(base / "a/b/out")) == 3
        assert list(base.iterdir()) == []
        assert synth(project, "--output", str(base / "a/b/out")) == 0
        assert sorted(p.name for p in (base / "a/b").iterdir()) == ["out"]
