"""Putting a new ``dist/`` tree in place without ever losing data.

Guarantees (documented in docs/guide/cli.md, "How synth writes dist/"):

- **Ownership.** The output folder holds an ownership file, :data:`MARKER`, listing every
  file synth wrote. Synth writes only into a folder that is missing, empty, or holds nothing
  but those files (and folders leading to them); anything else (``synth --output .`` in a
  project, a stray file, a symlink, a FIFO) makes it refuse and change nothing. A folder
  without the ownership file (written by an earlier version) is accepted when every entry has
  the synth layout: ``<env>/README.md`` and ``<env>/<app>/{manifest.yaml,README.md,hydrator.metadata}``.
- **One-step swap.** The new tree is written beside the old one, every file flushed to disk,
  and exchanged with it in one ``renameat2(RENAME_EXCHANGE)`` call (Linux). Where that call is
  missing, two renames are used and the next run puts the old tree back if a crash fell
  between them. A mount point (or a folder whose parent refuses the rename) is written in
  place: the new tree is staged inside it, a journal is committed, and its top-level folders
  are moved in; a run that dies after the commit is completed by the next run.
- **Few changes in a large tree** (:data:`FOLDER_SWAP_MIN_FILES`, :data:`FOLDER_SWAP_SHARE`) are
  written the same way, one app folder at a time: only the changed folders are staged (inside the
  output folder), the journal is committed, and they are moved in. A crash after the commit is
  completed by the next run, as above; a reader that looks while the folders move may see some
  of them new and others old, never a half-written folder.
- **Symlinks are written through.** A symlinked output folder keeps its link; its target is swapped.
- **Modes are kept** for files and folders that are rewritten.
- **Partial runs** (``--env``/``--app``) refuse a missing, empty or damaged output folder.
- **Leftovers** of killed runs (staging and old trees, journals) are cleaned by the next run.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import shutil
import signal
import stat
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.files import Signature, fsync_dir, read_bounded, signature
from .ownership import (
    INTERNAL,
    MARKER,
    Inventory,
    OutputError,
    inventory,
    is_layout_path,
    marker_bytes,
    resolve_output,
)

__all__ = ["FOLDER_SWAP_MIN_FILES", "FOLDER_SWAP_SHARE", "MARKER", "DistState", "Inventory", "OutputError", "Signature",
           "TreeWriter", "install_tree", "inventory", "is_layout_path", "marker_bytes", "recover", "resolve_output",
           "signature", "staging_path", "swap_units"]

_JOURNAL = ".cdk8s-gitops~journal"

#: Test hook: called with the name of each step of a write (tests kill the process there).
FAULT: Callable[[str], None] | None = None
#: Test hook: use ``renameat2(RENAME_EXCHANGE)`` when the platform has it.
USE_EXCHANGE = True


@dataclass
class DistState:
    """How far a write got, so that every message about ``dist/`` is true.

    ``phase`` is ``"unchanged"`` until the swap, ``"committed"`` once an in-place swap is
    journaled (the next run completes it), ``"replaced"`` once the new tree is in place.
    """

    phase: str = "unchanged"
    shown: str = "dist/"
    environments_restored: bool = False

    def describe(self) -> str:
        if self.phase == "replaced":
            return f"{self.shown} already holds the new output (written completely before this point)."
        if self.phase == "committed":
            return (f"{self.shown} is being replaced in place; the next cdk8s-gitops run completes the swap "
                    "(run 'cdk8s-gitops synth').")
        return f"{self.shown} was left unchanged."


def _step(name: str) -> None:
    if FAULT is not None:
        FAULT(name)


# ----------------------------------------------------------------------------------------------- renames

_RENAME_NOREPLACE, _RENAME_EXCHANGE, _AT_FDCWD = 1, 2, -100
_renameat2: Any = None
_syncfs: Any = None
_libc: Any
if sys.platform.startswith("linux"):
    try:
        _libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        _libc = None
    try:
        _renameat2 = _libc.renameat2
        _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        _renameat2.restype = ctypes.c_int
    except AttributeError:  # pragma: no cover - glibc before 2.28
        _renameat2 = None
    try:
        _syncfs = _libc.syncfs
        _syncfs.argtypes = [ctypes.c_int]
        _syncfs.restype = ctypes.c_int
    except AttributeError:  # pragma: no cover
        _syncfs = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False when the platform or filesystem cannot."""
    if _renameat2 is None or not USE_EXCHANGE:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and termination while the swap and its bookkeeping happen together."""
    held = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


# ----------------------------------------------------------------------------------------------- recovery


def recover(target: Path, keep: Path | None = None) -> list[str]:
    """Finish or undo what killed runs left (call with the output lock held); returns what was done.
    ``keep`` is a staging tree this run began (not a leftover)."""
    notes: list[str] = []
    parent, name = target.parent, target.name
    olds = sorted(parent.glob(f".{glob.escape(name)}.cdk8s-old-*"))
    if not target.exists() and olds:  # died between the two renames of the fallback swap: put the old tree back
        os.rename(olds[-1], target)
        fsync_dir(parent)
        notes.append(f"restored {name}/ from a run that was killed while swapping it")
        olds = olds[:-1]
    for leftover in [*olds, *sorted(p for p in parent.glob(f".{glob.escape(name)}.cdk8s-staging-*") if p != keep)]:
        shutil.rmtree(leftover, ignore_errors=True)
        notes.append(f"removed {leftover.name}, left by a killed run")
    if target.is_dir():
        journal = target / _JOURNAL
        if journal.exists():
            try:
                entries = json.loads(read_bounded(journal, 1 << 20, str(journal)))
                _roll_forward(target, {key: entries[key] for key in ("staging", "trash", "install", "remove")})
            except (ValueError, KeyError, TypeError) as exc:
                raise OutputError(f"{journal} is damaged ({type(exc).__name__}: {exc}); nothing was written. Look at "
                                  f"the .cdk8s-gitops~* entries in {name}/, delete them and the journal, then run a full "
                                  "'cdk8s-gitops synth'") from None
            journal.unlink()
            fsync_dir(target)
            notes.append(f"completed the in-place swap of {name}/ that a killed run had committed")
        for leftover in sorted(target.glob(f"{INTERNAL}*")):
            _remove(leftover)
            notes.append(f"removed {name}/{leftover.name}, left by a killed run")
    return notes


def _roll_forward(target: Path, journal: Mapping[str, Sequence[str] | str]) -> None:
    """Move the staged top-level entries into ``target`` (idempotent: safe to repeat after a crash)."""
    own = [journal["staging"], journal["trash"]]
    for part in (*own, *journal["install"], *journal["remove"]):
        if not _entry_ok(part, nested=part not in own):
            raise OutputError(f"{target}/{_JOURNAL} is damaged (entry {part!r}); nothing was moved. Look at the "
                              f".cdk8s-gitops~* entries, delete them and the journal, then run a full 'cdk8s-gitops synth'")
    if not all(str(p).startswith(INTERNAL) for p in own):
        raise OutputError(f"{target}/{_JOURNAL} is damaged (staging {own[0]!r}, trash {own[1]!r}); nothing was moved. "
                          "Delete the journal, then run a full 'cdk8s-gitops synth'")
    staging, trash = target / str(own[0]), target / str(own[1])
    trash.mkdir(exist_ok=True)
    touched = {target}
    for entry in journal["remove"]:
        if (target / entry).exists() or (target / entry).is_symlink():
            _move_to_trash(target / entry, trash / entry)
            touched.add((target / entry).parent)
    for entry in journal["install"]:  # the ownership file is listed last
        new = staging / entry
        if not new.exists():
            continue  # already moved in
        if (target / entry).exists() or (target / entry).is_symlink():
            _move_to_trash(target / entry, trash / entry)
        os.rename(new, target / entry)
        touched.add((target / entry).parent)
        _step(f"inplace-moved:{entry}")
    for folder in sorted(touched, key=lambda p: -len(p.parts)):
        fsync_dir(folder)


def _entry_ok(part: object, *, nested: bool) -> bool:
    """A journal entry names a path inside the output folder: relative, no ``.``/``..``, not one of synth's own
    entries (staging and trash are single names that are)."""
    if not isinstance(part, str) or "\\" in part:
        return False
    pieces = part.split("/")
    if not nested and len(pieces) != 1:
        return False
    return all(p not in ("", ".", "..") for p in pieces) and (not nested or not pieces[0].startswith(INTERNAL))


def _move_to_trash(path: Path, dest: Path) -> None:
    if dest.exists() or dest.is_symlink():
        _remove(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.rename(path, dest)


# ----------------------------------------------------------------------------------------------- writing


def _default_mode(base: int) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


def _link_same(source: Path, dest: Path, expected: Signature) -> bool:
    """Hard-link ``source`` to ``dest`` when it is still the very file read before (same signature): its bytes
    are then those of the new tree. False (and nothing left at ``dest``) otherwise."""
    try:
        if signature(source) != expected:  # written since it was read (the change time cannot be set back)
            return False
        os.link(source, dest, follow_symlinks=False)
    except OSError:
        return False
    try:  # linking moves the change time on: the same inode with the same size and modification time
        info = os.lstat(dest)
        same = stat.S_ISREG(info.st_mode) and (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns) == expected[:4]
    except OSError:
        same = False
    if not same:
        dest.unlink(missing_ok=True)
    return same


class TreeWriter:
    """Writes files into ``root``, a new private folder (0700 until swapped in), each with the mode of the file it
    replaces (``inv``); folders are made as files need them. :meth:`finish` sets the modes left to set.

    A synth may start the tree before it is finished (see :class:`~.writer.Prestage`): :func:`install_tree` then
    completes it, keeping every file already written with the right bytes."""

    def __init__(self, root: Path, inv: Inventory) -> None:
        self.root, self.inv = root, inv
        self.file_mode, self.dir_mode = _default_mode(0o644), _default_mode(0o755)
        self.umask = 0o777 & ~_default_mode(0o777)
        self.made = {""}
        self.late: list[str] = []  # folders whose mode is set once their files are in (it keeps their owner out)
        self.written: dict[str, bytes] = {}

    def folders(self, rel: str) -> None:
        """Make the folders above the file ``rel``."""
        parts = rel.split("/")
        for i in range(1, len(parts)):
            sub = "/".join(parts[:i])
            if sub not in self.made:
                mode = self.inv.dirs.get(sub, self.dir_mode)
                # Created with its final mode when the umask leaves it whole and its owner may write in it (the
                # tree is private until swapped in: root is 0700); else with 0700, its mode set at the end.
                direct = mode & self.umask == 0 and mode & 0o700 == 0o700
                os.mkdir(self.root / sub, mode if direct else 0o700)
                if not direct:
                    self.late.append(sub)
                self.made.add(sub)

    def write(self, rel: str, data: bytes) -> None:
        self.folders(rel)
        mode = self.inv.files.get(rel, self.file_mode)
        direct = mode & self.umask == 0 and mode & 0o600 == 0o600  # created with its mode (see the folders above)
        fd = os.open(self.root / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode if direct else 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if not direct:
                os.fchmod(fd, mode)
        except OSError as exc:
            if exc.filename is None:  # os.write and os.fsync do not say which file: name it
                raise OSError(exc.errno, exc.strerror, str(self.root / rel)) from exc
            raise
        finally:
            os.close(fd)
        self.written[rel] = data
        _step("file-written")

    def finish(self) -> None:
        for sub in sorted(self.late, key=lambda s: -s.count("/")):
            os.chmod(self.root / sub, self.inv.dirs.get(sub, self.dir_mode))
        os.chmod(self.root, self.inv.dirs.get("", self.dir_mode))


def _write_tree(root: Path, files: dict[str, bytes], inv: Inventory, reuse: Mapping[str, Signature] | None = None,
                source: Path | None = None, tree: TreeWriter | None = None) -> None:
    """Write every file under ``root`` (a new, empty folder, or the folder of ``tree``, a tree started before),
    each flushed to disk, with the modes of the files it replaces.

    A file of ``reuse`` (path -> signature) is the same in ``source`` (the current output folder) as in the new tree:
    it is hard-linked from there when that file was not touched since it was read, which costs one system call
    instead of a write (the old tree is removed after the swap; the link keeps the file's mode)."""
    tree = tree if tree is not None else TreeWriter(root, inv)
    started = tree.written
    tree.written = {}
    if set(started) - set(files):  # written early, but not part of the result after all (nor their folders)
        for rel in set(started) - set(files):
            os.unlink(root / rel)
        needed = {"/".join(rel.split("/")[:i]) for rel in files for i in range(rel.count("/") + 1)}
        for sub in sorted(tree.made - needed, key=lambda s: -s.count("/")):
            os.rmdir(root / sub)
            tree.made.discard(sub)
            if sub in tree.late:
                tree.late.remove(sub)
    for rel in sorted(files):
        if rel in started:
            if started[rel] == files[rel]:
                continue
            os.unlink(root / rel)
        tree.folders(rel)
        if reuse and source is not None and rel in reuse and _link_same(source / rel, root / rel, reuse[rel]):
            _step("file-written")
            continue
        tree.write(rel, files[rel])
    tree.finish()
    flush_to_disk(root, sorted(files), sorted(tree.made))
    _step("staged")


def flush_to_disk(root: Path, files: list[str], dirs: list[str]) -> None:
    """Make the files and folders under ``root`` durable before they are swapped in.

    Linux: one ``syncfs`` of the filesystem (a single journal commit instead of one ``fsync`` per
    file, which costs milliseconds each). Elsewhere: ``fsync`` of every file, then of every folder.
    """
    if _syncfs is not None:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if _syncfs(fd) == 0:
                return
            err = ctypes.get_errno()
            if err not in (errno.ENOSYS, errno.EINVAL):
                raise OSError(err, os.strerror(err), str(root))
        finally:
            os.close(fd)
    for rel in files:
        path = root / rel
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except PermissionError:  # kept a write-only mode: fsync works on any descriptor
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            os.fsync(fd)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        finally:
            os.close(fd)
    for sub in sorted(dirs, key=lambda s: -s.count("/")):
        fsync_dir(root / sub if sub else root)


class _CannotSwap(Exception):
    """The output folder cannot be renamed (a bind mount, a busy folder): nothing changed; write in place."""


_NO_RENAME = (errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES)


def staging_path(target: Path) -> Path:
    """Where this process stages the new tree of ``target`` (beside it: the swap is a rename)."""
    return target.parent / f".{target.name}.cdk8s-staging-{os.getpid()}"


#: A tree of at least this many files is updated folder by folder when few of its files change ...
FOLDER_SWAP_MIN_FILES = 500
#: ... at most this share of them (counting every file of each folder to swap). Smaller trees, and larger changes,
#: are written anew beside the old tree and swapped in one step.
FOLDER_SWAP_SHARE = 0.1


def swap_units(files: Mapping[str, bytes], inv: Inventory, changed: Iterable[str]) -> tuple[list[str], list[str]]:
    """What to swap for ``changed`` paths: (entries to install from ``files``, entries to remove), each an app folder
    (``<env>/<app>``), a top-level file or folder, or a file of an environment folder; the ownership file last.

    An entry is the app folder of a changed file two or more levels down, unless its environment folder is new or gone
    (then the environment folder). A folder of the old tree that the new one does not need is an entry too."""
    old_tops = {d for d in inv.dirs if d and "/" not in d}
    new_tops = {rel.split("/", 1)[0] for rel in files if "/" in rel}

    def unit(rel: str) -> str:
        parts = rel.split("/")
        if len(parts) == 1 or parts[0] not in old_tops or parts[0] not in new_tops:
            return parts[0]
        return "/".join(parts[:2]) if len(parts) > 2 or rel in inv.dirs else rel

    needed = {"/".join(rel.split("/")[:i]) for rel in files for i in range(1, rel.count("/") + 1)}
    units = {unit(rel) for rel in changed} | {unit(d) for d in inv.dirs if d and d not in needed}
    under: dict[str, bool] = {u: False for u in units}
    for rel in files:
        for u in (rel, rel.split("/", 1)[0], "/".join(rel.split("/")[:2])):
            if u in under:
                under[u] = True
    install = sorted((u for u, kept in under.items() if kept), key=lambda u: (u == MARKER, u))
    return install, sorted(u for u, kept in under.items() if not kept)


def _folder_swap(target: Path, files: Mapping[str, bytes], inv: Inventory,
                 changed: Collection[str] | None) -> tuple[list[str], list[str]] | None:
    """The entries to swap (see :func:`swap_units`) when few files change in a large tree and every one of them can
    be moved; else None."""
    if changed is None or not inv.exists or len(files) < FOLDER_SWAP_MIN_FILES:
        return None
    install, remove = swap_units(files, inv, changed)
    if len(_within(files, install)) > FOLDER_SWAP_SHARE * len(files) or not _movable(target, inv, install, remove):
        return None
    return install, remove


def _within(files: Mapping[str, bytes], entries: list[str]) -> dict[str, bytes]:
    """The files that are one of ``entries`` or inside one of them (what a folder swap writes)."""
    prefixes = tuple(f"{e}/" for e in entries)
    return {rel: data for rel, data in files.items() if rel in entries or rel.startswith(prefixes)}


def _movable(target: Path, inv: Inventory, install: list[str], remove: list[str]) -> bool:
    """Whether the folder swap can move every entry: the folders they are moved out of and into are writable, and
    so is each folder moved (a folder moved to another parent has its ``..`` rewritten), the old one as found and
    the new one with the mode it keeps. When not (a folder made read-only by hand), the whole tree is written anew
    and swapped, which needs none of this; the check comes before anything is written or committed."""
    def writable(rel: str) -> bool:  # by its mode too: access() can say yes to root, whose rights may be limited
        return os.access(target / rel if rel else target, os.W_OK | os.X_OK) and bool(inv.dirs.get(rel, stat.S_IWUSR) & stat.S_IWUSR)

    return all(writable(entry.rpartition("/")[0]) and (entry not in inv.dirs or writable(entry))
               for entry in {*install, *remove})


def install_tree(target: Path, files: dict[str, bytes], inv: Inventory, state: DistState,
                 reuse: Mapping[str, Signature] | None = None, started: TreeWriter | None = None,
                 changed: Collection[str] | None = None) -> None:
    """Replace the folder ``target`` with exactly ``files`` (ownership already checked, lock held).

    ``reuse`` names files of ``target`` whose bytes are those of ``files`` (with their signatures when read):
    they are hard-linked into the new tree rather than written again. ``started`` is the tree at
    :func:`staging_path` begun for ``inv`` while the synth was building (its right files are kept).
    ``changed`` (the paths added, removed or changed) lets a large tree with few changes be updated folder by
    folder (see :data:`FOLDER_SWAP_SHARE`)."""
    units = _folder_swap(target, files, inv, changed) if target.is_dir() else None
    if units is not None:
        if started is not None:
            shutil.rmtree(started.root, ignore_errors=True)
        _install_in_place(target, files, inv, state, reuse, units)
        return
    if not (target.is_dir() and os.path.ismount(target)):
        staging = staging_path(target)
        try:
            if started is None or started.root != staging or started.inv != inv:
                if started is not None:  # begun for another state of the output folder: start again
                    shutil.rmtree(started.root, ignore_errors=True)
                    started = None
                os.mkdir(staging, 0o700)
        except OSError as exc:  # the parent refuses new entries: write inside the existing folder instead
            if not (inv.exists and exc.errno in (*_NO_RENAME, errno.EROFS) and os.access(target, os.W_OK)):
                raise
        else:
            try:
                _write_tree(staging, files, inv, reuse, target, started)
                _swap(staging, target, state)
                return
            except _CannotSwap:
                shutil.rmtree(staging, ignore_errors=True)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    elif started is not None:
        shutil.rmtree(started.root, ignore_errors=True)
    _install_in_place(target, files, inv, state, reuse)


def _swap(staging: Path, target: Path, state: DistState) -> None:
    parent = target.parent
    with _signals_held():
        if not target.exists():
            os.rename(staging, target)
            state.phase = "replaced"
        else:
            try:
                exchanged = _exchange(staging, target)
            except OSError as exc:
                if exc.errno in _NO_RENAME:
                    raise _CannotSwap from exc
                raise
            if exchanged:
                state.phase = "replaced"
                _step("exchanged")
            else:
                old = parent / f".{target.name}.cdk8s-old-{os.getpid()}"
                try:
                    os.rename(target, old)
                except OSError as exc:
                    if exc.errno in _NO_RENAME:
                        raise _CannotSwap from exc
                    raise
                _step("old-moved")
                try:
                    os.rename(staging, target)
                except BaseException:
                    os.rename(old, target)  # put the old tree back (a killed run is recovered by the next one)
                    raise
                state.phase = "replaced"
                staging = old
        fsync_dir(parent)
    _step("swapped")
    shutil.rmtree(staging, ignore_errors=True)  # the old tree


def _install_in_place(target: Path, files: dict[str, bytes], inv: Inventory, state: DistState,
                      reuse: Mapping[str, Signature] | None = None, units: tuple[list[str], list[str]] | None = None) -> None:
    """Stage the new entries inside ``target``, commit a journal, move them in: every top-level entry, or only
    ``units`` (entries to install and to remove, see :func:`swap_units`)."""
    staging = target / f"{INTERNAL}staging-{os.getpid()}"
    trash = target / f"{INTERNAL}trash-{os.getpid()}"
    if units is None:
        new_top = sorted({rel.split("/", 1)[0] for rel in files} - {MARKER})
        old_top = {rel.split("/", 1)[0] for rel in inv.files} | {d.split("/", 1)[0] for d in inv.dirs if d}
        install, remove = [*new_top, *([MARKER] if MARKER in files else [])], sorted(old_top - set(new_top))
        staged = files
    else:
        install, remove = units
        staged = _within(files, install)
    try:
        os.mkdir(staging, 0o700)
        _write_tree(staging, staged, inv, reuse, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    journal = {"staging": staging.name, "trash": trash.name, "remove": remove, "install": install}
    pending = target / f"{INTERNAL}journal-new"  # a leftover of this name is removed by the next run
    with open(pending, "wb") as fh:
        fh.write(json.dumps(journal, indent=1).encode())
        fh.flush()
        os.fsync(fh.fileno())
    with _signals_held():
        os.replace(pending, target / _JOURNAL)  # the commit point
        fsync_dir(target)
        state.phase = "committed"
        _step("journal-written")
        _roll_forward(target, journal)
        (target / _JOURNAL).unlink()
        fsync_dir(target)
        state.phase = "replaced"
    _step("swapped")
    shutil.rmtree(trash, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
