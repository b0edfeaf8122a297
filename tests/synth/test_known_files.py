"""The dist writer takes files it noted as they are (signature and content) instead of reading them again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cdk8s_gitops.cli import main
from cdk8s_gitops.core import files as core_files
from cdk8s_gitops.core.files import read_bounded
from cdk8s_gitops.synth import writer
from cdk8s_gitops.synth.cache import CACHE_DIR
from cdk8s_gitops.synth.install import MARKER
from cdk8s_gitops.synth.known_files import KNOWN_FILE

from .conftest import snapshot_tree


def synth(project: Path, *args: str) -> int:
    return main(["-C", str(project), "synth", *args])


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The dist files the writer reads (every file counts as settled at once: the tests need not wait 2 s)."""
    seen: list[str] = []
    real = read_bounded

    def counting(path: str | Path, limit: int, shown: str | None = None) -> bytes:
        seen.append(str(path))
        return real(path, limit, shown)

    monkeypatch.setattr(writer, "read_bounded", counting)
    monkeypatch.setattr(core_files, "SETTLED_NS", 0)
    return seen


def dist_reads(project: Path, reads: list[str]) -> list[str]:
    base = str((project / "dist").resolve()) + os.sep
    return sorted(p[len(base):] for p in reads if p.startswith(base))


def test_noted_files_are_not_read_again(project: Path, reads: list[str]) -> None:
    assert synth(project) == 0  # writes every file: none is noted yet (the swap gave each one a new signature)
    assert not (project / CACHE_DIR / KNOWN_FILE).exists()
    assert synth(project) == 0  # reads every file and notes those left as they were
    noted = json.loads((project / CACHE_DIR / KNOWN_FILE).read_text())[str((project / "dist").resolve())]
    assert "dev/shop/manifest.yaml" in noted and MARKER not in noted  # the ownership file is always read
    assert (project / CACHE_DIR / ".gitignore").read_text().endswith("*\n")
    reads.clear()
    assert synth(project) == 0
    assert dist_reads(project, reads) == [MARKER]
    reads.clear()
    assert synth(project, "--check") == 0
    assert dist_reads(project, reads) == [MARKER]


def test_a_file_edited_by_hand_is_read_and_restored(project: Path, reads: list[str]) -> None:
    """Same size, same folder, written in place: its change time differs, so it is read, found changed, rewritten."""
    assert synth(project) == 0
    assert synth(project) == 0
    expected = snapshot_tree(project / "dist")
    target = project / "dist" / "dev" / "shop" / "manifest.yaml"
    time.sleep(0.05)  # past the file system's clock tick (SETTLED_NS is 0 here; see the next test for the real one)
    original = target.read_bytes()
    target.write_bytes(original.replace(b"shop", b"shoq", 1))
    assert synth(project, "--check") == 1
    reads.clear()
    assert synth(project) == 0
    assert "dev/shop/manifest.yaml" in dist_reads(project, reads)
    assert snapshot_tree(project / "dist") == expected


def test_files_not_settled_are_never_noted(project: Path) -> None:
    """With the real settling time, files written a moment ago are left out: the next run reads them."""
    assert synth(project) == 0
    assert synth(project) == 0
    assert not (project / CACHE_DIR / KNOWN_FILE).exists()


def test_no_cache_reads_every_file(project: Path, reads: list[str]) -> None:
    assert synth(project) == 0
    assert synth(project) == 0
    reads.clear()
    assert synth(project, "--no-cache") == 0
    assert len(dist_reads(project, reads)) == len(snapshot_tree(project / "dist"))


def test_a_damaged_note_is_ignored(project: Path, reads: list[str]) -> None:
    assert synth(project) == 0
    expected = snapshot_tree(project / "dist")
    for text in ("{not json", json.dumps({str((project / "dist").resolve()): {"dev/shop/manifest.yaml": ["x"]}}), "[]"):
        (project / CACHE_DIR / KNOWN_FILE).write_text(text)
        assert synth(project, "--check") == 0
        assert synth(project) == 0
        assert snapshot_tree(project / "dist") == expected


def test_a_note_for_other_content_is_not_taken(project: Path, reads: list[str]) -> None:
    """A noted digest that is not the produced content's means the file differs: it is read and compared."""
    assert synth(project) == 0
    assert synth(project) == 0
    path = project / CACHE_DIR / KNOWN_FILE
    data = json.loads(path.read_text())
    entries = data[str((project / "dist").resolve())]
    entries["dev/shop/manifest.yaml"][5] = "0" * 64
    path.write_text(json.dumps(data))
    reads.clear()
    assert synth(project, "--check") == 0
    assert "dev/shop/manifest.yaml" in dist_reads(project, reads)


def test_a_changed_app_rewrites_only_its_files_and_notes_the_rest(project: Path, reads: list[str]) -> None:
    assert synth(project) == 0
    assert synth(project) == 0
    env = project / "environments" / "dev.yaml"
    env.write_text(env.read_text().replace("v1.0.1", "v1.0.9"))
    reads.clear()
    assert synth(project) == 0
    assert "production/shop/manifest.yaml" not in dist_reads(project, reads)
    assert "tag: v1.0.9" in (project / "dist" / "dev" / "shop" / "manifest.yaml").read_text()
    assert synth(project, "--check") == 0


def test_notes_are_rewritten_only_when_enough_are_new(tmp_path: Path) -> None:
    """A few files new to the notes are read next time rather than the notes written again (1 in 100, at most 64)."""
    from cdk8s_gitops.synth.known_files import KnownFiles

    def files(count: int, ctime: int = 1) -> dict[str, tuple[tuple[int, int, int, int, int], str]]:
        return {f"dev/app{i}/manifest.yaml": ((1, i, 10, ctime, ctime), f"{i:064d}") for i in range(count)}

    target = tmp_path / "dist"
    notes = tmp_path / "cache" / KNOWN_FILE
    later = 10 * core_files.SETTLED_NS
    KnownFiles(tmp_path / "cache", target).save(files(300), later)
    written = notes.stat().st_ino
    assert len(KnownFiles(tmp_path / "cache", target).noted) == 300
    KnownFiles(tmp_path / "cache", target).save(files(302), later)  # 2 new: fewer than 1 in 100
    assert notes.stat().st_ino == written
    KnownFiles(tmp_path / "cache", target).save(files(310), later)  # 10 new
    assert notes.stat().st_ino != written and len(KnownFiles(tmp_path / "cache", target).noted) == 310
    KnownFiles(tmp_path / "cache", target).save(files(310, ctime=later), later)  # none settled: none new, left as is
    assert len(KnownFiles(tmp_path / "cache", target).noted) == 310
