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
import re
import shutil
import signal
import stat
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import GitOpsError
from ..core.files import fsync_dir, read_bounded
from .docs import PROVENANCE_FILE

__all__ = ["MARKER", "DistState", "Inventory", "OutputError", "Signature", "install_tree", "inventory", "is_layout_path",
           "marker_bytes", "recover", "resolve_output", "signature"]

#: The ownership file at the top of the output folder (no .yaml/.json: Argo CD never reads it).
MARKER = ".cdk8s-gitops-dist"
_INTERNAL = ".cdk8s-gitops~"  # in-place staging, trash and journal names inside the output folder
_JOURNAL = ".cdk8s-gitops~journal"
_ENV_FILES = frozenset({"README.md"})
_APP_FILES = frozenset({"manifest.yaml", "README.md", PROVENANCE_FILE})
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_SHOWN = 10
_MAX_FOREIGN = 200

#: Test hook: called with the name of each step of a write (tests kill the process there).
FAULT: Callable[[str], None] | None = None
#: Test hook: use ``renameat2(RENAME_EXCHANGE)`` when the platform has it.
USE_EXCHANGE = True


class OutputError(GitOpsError):
    """The output folder cannot be written safely (foreign content, damaged, wrong kind of file)."""


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


def is_layout_path(rel: str) -> bool:
    """Whether ``rel`` is a file synth writes: ``<env>/README.md`` or ``<env>/<app>/<one of its files>``."""
    parts = rel.split("/")
    if not all(_LABEL.match(p) for p in parts[:-1]):
        return False
    return (len(parts) == 2 and parts[1] in _ENV_FILES) or (len(parts) == 3 and parts[2] in _APP_FILES)


def marker_bytes(files: list[str] | set[str] | dict[str, bytes]) -> bytes:
    """The ownership file listing ``files`` (sorted: the same tree gives the same bytes)."""
    head = ("# Written by cdk8s-gitops synth: these files are its own; the next synth replaces or removes them.\n"
            "# Anything else in this folder makes synth refuse to write here. Do not edit by hand.\n")
    return (head + "".join(f"{rel}\n" for rel in sorted(f for f in files if f != MARKER))).encode()


# ----------------------------------------------------------------------------------------------- inventory


@dataclass
class Inventory:
    """What the output folder holds, judged against the ownership file (or the layout rule without one)."""

    exists: bool = False
    marker: bool = False
    files: dict[str, int] = field(default_factory=dict)  # owned regular files -> mode
    dirs: dict[str, int] = field(default_factory=dict)  # folders leading to them -> mode ("" is the top)
    foreign: list[str] = field(default_factory=list)
    more_foreign: bool = False  # the walk stopped early: there are more foreign entries than listed
    missing: list[str] = field(default_factory=list)
    bad_marker: str = ""

    @property
    def empty(self) -> bool:
        return not self.files and not self.foreign


def _listed(target: Path, shown: str) -> tuple[set[str] | None, str]:
    try:
        text = read_bounded(target / MARKER, 8 << 20, f"{shown}/{MARKER}").decode("utf-8")
    except FileNotFoundError:
        return None, ""
    except (GitOpsError, OSError, UnicodeDecodeError) as exc:
        return set(), f"cannot be read ({exc})"
    listed = {line for line in text.splitlines() if line and not line.startswith("#")}
    odd = sorted(rel for rel in listed if not is_layout_path(rel))
    if odd:
        return set(), f"lists paths synth never writes ({', '.join(odd[:3])})"
    return listed, ""


def inventory(target: Path, shown: str = "dist") -> Inventory:
    """Walk ``target`` (symlinks are never followed inside it) and sort every entry into owned or foreign."""
    inv = Inventory()
    try:
        top = os.lstat(target)
    except FileNotFoundError:
        return inv
    inv.exists = True
    inv.dirs[""] = stat.S_IMODE(top.st_mode)
    listed, inv.bad_marker = _listed(target, shown)
    mount = os.path.ismount(target)
    inv.marker = listed is not None and not inv.bad_marker
    owned_dirs = {rel.rsplit("/", 1)[0] for rel in listed or ()} | {rel.split("/", 1)[0] for rel in listed or ()}

    def walk(folder: Path, rel: str) -> None:
        if len(inv.foreign) >= _MAX_FOREIGN:  # enough to refuse: never walk a whole home folder
            inv.more_foreign = True
            return
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:  # removed by a run finishing its swap while this unlocked pre-check looked
            return
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if not rel and (entry.name == MARKER or entry.name.startswith(_INTERNAL)
                            or entry.name.endswith(".cdk8s-gitops.lock") or (mount and entry.name == "lost+found")):
                if entry.name == MARKER and not entry.is_file(follow_symlinks=False):
                    inv.foreign.append(sub)
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                ours = sub in owned_dirs if listed is not None else (sub.count("/") < 2 and bool(_LABEL.match(entry.name)))
                if ours:
                    inv.dirs[sub] = stat.S_IMODE(info.st_mode)
                    walk(Path(entry.path), sub)
                else:
                    inv.foreign.append(sub + "/")
            elif stat.S_ISREG(info.st_mode) and (sub in listed if listed is not None else is_layout_path(sub)):
                inv.files[sub] = stat.S_IMODE(info.st_mode)
            else:
                inv.foreign.append(sub)

    if stat.S_ISDIR(top.st_mode):
        walk(target, "")
    inv.missing = sorted((listed or set()) - set(inv.files))
    return inv


def _listing(entries: list[str], more_unknown: bool = False) -> str:
    more = f" and {len(entries) - _SHOWN}{'+' if more_unknown else ''} more" if len(entries) > _SHOWN else ""
    return ", ".join(entries[:_SHOWN]) + more


def _layout_like(entry: str) -> bool:
    """Whether a foreign entry could be synth output of a concurrent run (decided again under the lock)."""
    if entry.endswith("/"):
        parts = entry[:-1].split("/")
        return len(parts) <= 2 and all(_LABEL.match(p) for p in parts)
    return is_layout_path(entry)


def check_owned(inv: Inventory, shown: str, *, partial: bool, locked: bool = True) -> None:
    """Refuse (:class:`OutputError`) to write into a folder holding anything synth did not write.

    Without the lock (``locked=False``, a pre-check) entries shaped like synth output are let through:
    another run may be swapping its tree in at that moment; the check under the lock decides.
    """
    if not locked and all(_layout_like(e) for e in inv.foreign):
        inv = Inventory(exists=inv.exists, marker=inv.marker, files=inv.files, dirs=inv.dirs, missing=inv.missing,
                        bad_marker=inv.bad_marker)
    if inv.bad_marker:
        raise OutputError(f"{shown}: the ownership file {MARKER} {inv.bad_marker}; nothing was written. "
                          f"If {shown} holds only synth output, delete it and run a full 'cdk8s-gitops synth'; "
                          "otherwise choose another --output folder")
    if inv.foreign:
        why = "files synth did not write" if inv.marker else "entries that are not synth output"
        raise OutputError(f"{shown}: refusing to write: the folder holds {why}: {_listing(inv.foreign, inv.more_foreign)}; "
                          "nothing was written or removed. Move those entries out of it, or choose an empty or "
                          "new folder with --output (synth replaces the whole folder, so it only writes into one "
                          "that holds nothing but its own output)")
    if partial and (not inv.exists or inv.empty):
        raise OutputError(f"{shown} is {'missing' if not inv.exists else 'empty'}: a run limited with --env or --app "
                          "would write a partial tree; nothing was written. Run a full 'cdk8s-gitops synth' first")
    if partial and inv.missing:
        raise OutputError(f"{shown} is damaged: files listed in {MARKER} are missing ({_listing(inv.missing)}); "
                          "a run limited with --env or --app would keep it incomplete; nothing was written. "
                          "Run a full 'cdk8s-gitops synth'")


def resolve_output(dist: Path, shown: str) -> Path:
    """The real folder behind ``dist`` (a symlink is written through); refuses a non-folder."""
    target = Path(os.path.realpath(dist))
    if target.exists() and not target.is_dir():
        what = "a symlink to something that is not a folder" if dist.is_symlink() else "not a folder"
        raise OutputError(f"{shown} is {what}; nothing was written. Remove it or choose another --output folder")
    return target


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


def recover(target: Path) -> list[str]:
    """Finish or undo what killed runs left (call with the output lock held); returns what was done."""
    notes: list[str] = []
    parent, name = target.parent, target.name
    olds = sorted(parent.glob(f".{glob.escape(name)}.cdk8s-old-*"))
    if not target.exists() and olds:  # died between the two renames of the fallback swap: put the old tree back
        os.rename(olds[-1], target)
        fsync_dir(parent)
        notes.append(f"restored {name}/ from a run that was killed while swapping it")
        olds = olds[:-1]
    for leftover in [*olds, *sorted(parent.glob(f".{glob.escape(name)}.cdk8s-staging-*"))]:
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
        for leftover in sorted(target.glob(f"{_INTERNAL}*")):
            _remove(leftover)
            notes.append(f"removed {name}/{leftover.name}, left by a killed run")
    return notes


def _roll_forward(target: Path, journal: Mapping[str, Sequence[str] | str]) -> None:
    """Move the staged top-level entries into ``target`` (idempotent: safe to repeat after a crash)."""
    own = [journal["staging"], journal["trash"]]
    for part in (*own, *journal["install"], *journal["remove"]):
        if not isinstance(part, str) or "/" in part or "\\" in part or part in ("", ".", ".."):
            raise OutputError(f"{target}/{_JOURNAL} is damaged (entry {part!r}); nothing was moved. Look at the "
                              f".cdk8s-gitops~* entries, delete them and the journal, then run a full 'cdk8s-gitops synth'")
    if not all(str(p).startswith(_INTERNAL) for p in own):
        raise OutputError(f"{target}/{_JOURNAL} is damaged (staging {own[0]!r}, trash {own[1]!r}); nothing was moved. "
                          "Delete the journal, then run a full 'cdk8s-gitops synth'")
    staging, trash = target / str(own[0]), target / str(own[1])
    trash.mkdir(exist_ok=True)
    for entry in journal["remove"]:
        if (target / entry).exists() or (target / entry).is_symlink():
            _move_to_trash(target / entry, trash / entry)
    for entry in journal["install"]:  # the ownership file is listed last
        new = staging / entry
        if not new.exists():
            continue  # already moved in
        if (target / entry).exists() or (target / entry).is_symlink():
            _move_to_trash(target / entry, trash / entry)
        os.rename(new, target / entry)
        _step(f"inplace-moved:{entry}")
    fsync_dir(target)


def _move_to_trash(path: Path, dest: Path) -> None:
    if dest.exists() or dest.is_symlink():
        _remove(dest)
    os.rename(path, dest)


# ----------------------------------------------------------------------------------------------- writing


def _default_mode(base: int) -> int:
    umask = os.umask(0)
    os.umask(umask)
    return base & ~umask


Signature = tuple[int, int, int, int, int]
"""What identifies one version of a file: device, inode, size, modification and change time (ns)."""


def signature(path: Path) -> Signature:
    """The :data:`Signature` of ``path`` (not following a symlink)."""
    info = os.lstat(path)
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


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


def _write_tree(root: Path, files: dict[str, bytes], inv: Inventory, reuse: Mapping[str, Signature] | None = None,
                source: Path | None = None) -> None:
    """Write every file under ``root`` (a new, empty folder), each flushed to disk, with the modes of the files it replaces.

    A file of ``reuse`` (path -> signature) is the same in ``source`` (the current output folder) as in the new tree:
    it is hard-linked from there when that file was not touched since it was read, which costs one system call
    instead of a write (the old tree is removed after the swap; the link keeps the file's mode)."""
    file_mode, dir_mode = _default_mode(0o644), _default_mode(0o755)
    umask = 0o777 & ~_default_mode(0o777)
    made = {""}
    late: list[str] = []  # folders whose mode is set once their files are in (it keeps their owner out)
    for rel in sorted(files):
        parts = rel.split("/")
        for i in range(1, len(parts)):
            sub = "/".join(parts[:i])
            if sub not in made:
                mode = inv.dirs.get(sub, dir_mode)
                # Created with its final mode when the umask leaves it whole and its owner may write in it (the
                # tree is private until swapped in: root is 0700); else with 0700, its mode set at the end.
                direct = mode & umask == 0 and mode & 0o700 == 0o700
                os.mkdir(root / sub, mode if direct else 0o700)
                if not direct:
                    late.append(sub)
                made.add(sub)
        if reuse and source is not None and rel in reuse and _link_same(source / rel, root / rel, reuse[rel]):
            _step("file-written")
            continue
        mode = inv.files.get(rel, file_mode)
        direct = mode & umask == 0 and mode & 0o600 == 0o600  # created with its mode (see the folders above)
        fd = os.open(root / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode if direct else 0o600)
        try:
            view = memoryview(files[rel])
            while view:
                view = view[os.write(fd, view):]
            if not direct:
                os.fchmod(fd, mode)
        except OSError as exc:
            if exc.filename is None:  # os.write and os.fsync do not say which file: name it
                raise OSError(exc.errno, exc.strerror, str(root / rel)) from exc
            raise
        finally:
            os.close(fd)
        _step("file-written")
    for sub in sorted(late, key=lambda s: -s.count("/")):
        os.chmod(root / sub, inv.dirs.get(sub, dir_mode))
    os.chmod(root, inv.dirs.get("", dir_mode))
    flush_to_disk(root, sorted(files), sorted(made))
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


def install_tree(target: Path, files: dict[str, bytes], inv: Inventory, state: DistState,
                 reuse: Mapping[str, Signature] | None = None) -> None:
    """Replace the folder ``target`` with exactly ``files`` (ownership already checked, lock held).

    ``reuse`` names files of ``target`` whose bytes are those of ``files`` (with their signatures when read):
    they are hard-linked into the new tree rather than written again."""
    if not (target.is_dir() and os.path.ismount(target)):
        staging = target.parent / f".{target.name}.cdk8s-staging-{os.getpid()}"
        try:
            os.mkdir(staging, 0o700)
        except OSError as exc:  # the parent refuses new entries: write inside the existing folder instead
            if not (inv.exists and exc.errno in (*_NO_RENAME, errno.EROFS) and os.access(target, os.W_OK)):
                raise
        else:
            try:
                _write_tree(staging, files, inv, reuse, target)
                _swap(staging, target, state)
                return
            except _CannotSwap:
                shutil.rmtree(staging, ignore_errors=True)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
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
                      reuse: Mapping[str, Signature] | None = None) -> None:
    staging = target / f"{_INTERNAL}staging-{os.getpid()}"
    trash = target / f"{_INTERNAL}trash-{os.getpid()}"
    try:
        os.mkdir(staging, 0o700)
        _write_tree(staging, files, inv, reuse, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    new_top = sorted({rel.split("/", 1)[0] for rel in files} - {MARKER})
    old_top = {rel.split("/", 1)[0] for rel in inv.files} | {d.split("/", 1)[0] for d in inv.dirs if d}
    journal = {"staging": staging.name, "trash": trash.name, "remove": sorted(old_top - set(new_top)),
               "install": [*new_top, *([MARKER] if MARKER in files else [])]}
    pending = target / f"{_INTERNAL}journal-new"  # a leftover of this name is removed by the next run
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
