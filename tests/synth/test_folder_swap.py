"""A large dist/ with few changes is updated folder by folder: the same tree as a whole swap, far fewer writes.

The folder swap (``install.FOLDER_SWAP_MIN_FILES``, ``FOLDER_SWAP_SHARE``) stages only the changed app folders
inside the output folder and moves them in under the journal of the in-place write. These tests compare it with
the one-step swap of a whole new tree on the same changes (bytes, folders and modes), check that the files of
unchanged folders are left alone (same inode), and that a damaged journal naming a nested path outside the
folder is refused. Crashes at each of its steps are covered in ``test_crash_safety.py``.
"""

from __future__ import annotations

import os
import random
import shutil
import stat
from pathlib import Path

import pytest

from cdk8s_gitops.synth import install as installer
from cdk8s_gitops.synth.install import DistState, install_tree, swap_units
from cdk8s_gitops.synth.ownership import MARKER, Inventory, inventory, marker_bytes


def tree_of(environments: int, apps: int, tag: str = "1") -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for e in range(environments):
        files[f"env{e}/README.md"] = f"env {e} {tag}\n".encode()
        for a in range(apps):
            for name in ("manifest.yaml", "README.md", "hydrator.metadata"):
                files[f"env{e}/app{a}/{name}"] = f"{e}/{a}/{name} {tag}\n".encode()
    files[MARKER] = marker_bytes(files)
    return files


def entries(root: Path) -> dict[str, tuple[str, bytes | None]]:
    """Every entry under ``root``: its type and mode, and a file's bytes."""
    out: dict[str, tuple[str, bytes | None]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
        out[path.relative_to(root).as_posix()] = (f"{kind} {stat.S_IMODE(info.st_mode):o}", path.read_bytes() if kind == "file" else None)
    return out


def install(target: Path, files: dict[str, bytes], changed: list[str] | None) -> None:
    install_tree(target, dict(files), inventory(target, "dist"), DistState(), changed=changed)


def changed_paths(old: dict[str, bytes], new: dict[str, bytes]) -> list[str]:
    return sorted(rel for rel in set(old) | set(new) if old.get(rel) != new.get(rel))


def mutate(files: dict[str, bytes], rng: random.Random) -> dict[str, bytes]:
    """A few random edits: change a file, drop an app folder, add one, add an environment, drop one."""
    new = {k: v for k, v in files.items() if k != MARKER}
    apps = sorted({rel.rsplit("/", 1)[0] for rel in new if rel.count("/") == 2})
    envs = sorted({rel.split("/", 1)[0] for rel in new})
    for _ in range(rng.randint(1, 3)):
        choice = rng.choice(["edit", "drop-app", "add-app", "add-env", "drop-env", "edit-readme"])
        if choice == "edit":
            rel = rng.choice(sorted(k for k in new if k.count("/") == 2))
            new[rel] = new[rel] + b"edited\n"
        elif choice == "edit-readme":
            rel = f"{rng.choice(envs)}/README.md"
            new[rel] = new.get(rel, b"") + b"edited\n"
        elif choice == "drop-app" and apps:
            app = apps.pop(rng.randrange(len(apps)))
            new = {k: v for k, v in new.items() if not k.startswith(app + "/")}
        elif choice == "add-app":
            env = rng.choice(envs)
            new[f"{env}/new{rng.randrange(10**6)}/manifest.yaml"] = b"kind: ConfigMap\n"
        elif choice == "add-env":
            new[f"extra{rng.randrange(10**6)}/README.md"] = b"extra\n"
            new[f"extra{rng.randrange(10**6)}/a/manifest.yaml"] = b"a\n"
        elif choice == "drop-env" and len(envs) > 1:
            env = envs.pop(rng.randrange(len(envs)))
            new = {k: v for k, v in new.items() if not k.startswith(env + "/")}
    new[MARKER] = marker_bytes(new)
    return new


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(installer, "FOLDER_SWAP_MIN_FILES", 1)
    monkeypatch.setattr(installer, "FOLDER_SWAP_SHARE", 1.0)


@pytest.mark.usefixtures("small_threshold")
@pytest.mark.parametrize("seed", range(40))
def test_folder_swap_gives_the_tree_a_whole_swap_gives(tmp_path: Path, seed: int) -> None:
    """Random edits (files changed, app folders and environments added and removed, modes set by hand on the old
    tree, files deleted by hand): the folder swap leaves exactly the entries, bytes and modes that writing the whole tree anew leaves."""
    rng = random.Random(seed)
    old = tree_of(3, 4)
    new = mutate(old, rng)
    results = []
    for way in ("folders", "whole"):
        target = tmp_path / way / "dist"
        target.parent.mkdir()
        install(target, old, None)
        (target / "env1/app2/manifest.yaml").chmod(0o600)  # modes the user set are kept by both ways
        (target / "env0/app1").chmod(0o750)
        (target / "env0/app1/README.md").unlink()  # an edit by hand: the new tree restores the file
        for leftover in (target / "env2/app3").iterdir():  # emptied by hand: its folder goes when the app goes
            leftover.unlink()
        current = {rel: (target / rel).read_bytes() for rel in inventory(target, "dist").files}
        install(target, new, changed_paths({**current, MARKER: (target / MARKER).read_bytes()}, new) if way == "folders" else None)
        results.append(entries(target))
        assert not [p for p in target.iterdir() if p.name.startswith(".cdk8s-gitops~")]
    assert results[0] == results[1]


def test_unchanged_folders_are_left_alone(tmp_path: Path) -> None:
    """In a tree of 1,500 files, a change to one app folder rewrites that folder only: every other file keeps its
    inode, and the changed folder holds the new bytes."""
    target = tmp_path / "dist"
    old = tree_of(3, 166)
    assert len(old) >= installer.FOLDER_SWAP_MIN_FILES
    install(target, old, None)
    inodes = {rel: os.lstat(target / rel).st_ino for rel in old}
    new = dict(old)
    new["env1/app7/manifest.yaml"] = b"changed\n"
    install(target, new, changed_paths(old, new))
    assert (target / "env1/app7/manifest.yaml").read_bytes() == b"changed\n"
    moved = sorted(rel for rel in old if os.lstat(target / rel).st_ino != inodes[rel])
    assert moved == ["env1/app7/README.md", "env1/app7/hydrator.metadata", "env1/app7/manifest.yaml"]
    assert entries(target) == entries_of_whole(tmp_path, new)


def entries_of_whole(tmp_path: Path, files: dict[str, bytes]) -> dict[str, tuple[str, bytes | None]]:
    target = tmp_path / "whole" / "dist"
    shutil.rmtree(target.parent, ignore_errors=True)
    target.parent.mkdir()
    install(target, files, None)
    return entries(target)


def test_large_changes_and_small_trees_are_swapped_whole(tmp_path: Path) -> None:
    """More than the share of files changing, or a tree under the minimum: the whole tree is written anew (every
    inode changes), as a one-step swap."""
    target = tmp_path / "dist"
    old = tree_of(3, 166)
    install(target, old, None)
    new = tree_of(3, 166, tag="2")
    before = {rel: os.lstat(target / rel).st_ino for rel in old}
    install(target, new, changed_paths(old, new))
    assert all(os.lstat(target / rel).st_ino != before[rel] for rel in new if new[rel] != old[rel])
    small = tmp_path / "small"
    install(small, tree_of(1, 2), None)
    before = {rel: os.lstat(small / rel).st_ino for rel in tree_of(1, 2)}
    edited = {**tree_of(1, 2), "env0/app0/manifest.yaml": b"x\n"}
    install(small, edited, changed_paths(tree_of(1, 2), edited))
    assert os.lstat(small / "env0/app1/manifest.yaml").st_ino != before["env0/app1/manifest.yaml"]


def test_swap_units() -> None:
    """What a change swaps: the app folder of a changed file, an environment folder that is new or gone, an
    environment README, the ownership file last."""
    files = tree_of(2, 2)
    target_inv = Inventory(exists=True, dirs={"": 0, "env0": 0, "env0/app0": 0, "env0/app1": 0, "env1": 0,
                                              "env1/app0": 0, "env1/app1": 0, "env1/app1/old": 0})
    new = {k: v for k, v in files.items() if not k.startswith("env1/app0/")}
    new["env2/x/manifest.yaml"] = b"x"
    install_, remove = swap_units(new, target_inv, ["env0/app0/manifest.yaml", "env0/README.md", "env1/app0/README.md",
                                                    "env2/x/manifest.yaml", MARKER])
    assert install_ == ["env0/README.md", "env0/app0", "env1/app1", "env2", MARKER]
    assert remove == ["env1/app0"]


def synth(project: Path, *args: str) -> int:
    from cdk8s_gitops.cli import main

    return main(["-C", str(project), "synth", *args])


@pytest.mark.usefixtures("small_threshold")
@pytest.mark.parametrize("how", ["plain", "symlinked", "partial"])
def test_synth_with_folder_swaps_writes_what_a_whole_swap_writes(project: Path, tmp_path: Path, how: str) -> None:
    """Through the CLI: a tag bump in one environment (one app folder and the README change), written by folder swaps
    into dist/ (plain, a symlink to another folder, or with --env), leaves the tree a fresh synth writes elsewhere."""
    from .conftest import snapshot_tree

    if how == "symlinked":
        (tmp_path / "elsewhere").mkdir()
        (project / "dist").symlink_to(tmp_path / "elsewhere")
    assert synth(project) == 0
    # Folders keep their inode only when not written anew (a whole swap makes new folders; files would be linked).
    inodes = {p: p.stat().st_ino for p in [project / "dist/production", *(project / "dist/production").rglob("*")]}
    env_file = project / "environments/dev.yaml"
    env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.8"))
    assert synth(project, *(["--env", "dev"] if how == "partial" else [])) == 0
    assert synth(project, "--no-cache", "--output", str(tmp_path / "fresh")) == 0
    assert snapshot_tree(project / "dist") == snapshot_tree(tmp_path / "fresh")
    assert "v1.0.8" in (project / "dist/dev/shop/manifest.yaml").read_text()
    assert {p: p.stat().st_ino for p in inodes} == inodes  # production was not written anew
    assert (project / "dist").is_symlink() == (how == "symlinked")
    assert not [p for p in (project / "dist").iterdir() if p.name.startswith(".cdk8s-gitops~")]


@pytest.mark.usefixtures("small_threshold")
@pytest.mark.parametrize("read_only", ["env1", "env1/app2"])
def test_read_only_folders_are_swapped_whole(tmp_path: Path, read_only: str) -> None:
    """A folder made read-only by hand (its own or its parent's mode) could not be moved out by a folder swap without
    the rights root has: the whole tree is written anew and swapped instead, before anything is committed, and the
    folder keeps its mode."""
    target = tmp_path / "dist"
    old = tree_of(3, 4)
    install(target, old, None)
    (target / read_only).chmod(0o555)
    new = {**old, "env1/app2/manifest.yaml": b"changed\n"}
    inv = inventory(target, "dist")
    assert installer._folder_swap(target, new, inv, changed_paths(old, new)) is None
    before = os.lstat(target / "env0").st_ino
    install(target, new, changed_paths(old, new))
    assert os.lstat(target / "env0").st_ino != before  # written anew, not folder by folder
    assert (target / "env1/app2/manifest.yaml").read_bytes() == b"changed\n"
    assert stat.S_IMODE(os.lstat(target / read_only).st_mode) == 0o555
    (target / read_only).chmod(0o755)  # let pytest remove it
