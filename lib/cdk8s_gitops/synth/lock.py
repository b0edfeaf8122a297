"""One run at a time per output folder: an advisory ``flock`` on a lock file beside it.

``synth``, ``set-image`` and ``promote`` hold the lock from reading the environment files
to the end of writing ``dist/``, so two runs (two CI jobs, a hook and a manual run) are
serialized instead of silently losing one run's output. The lock file is
``.<name>.cdk8s-gitops.lock`` next to the output folder (inside it when the output folder is
a mount point whose parent cannot be written); it holds the owner's process id and is
removed when the lock is released. The kernel releases a lock whose holder died, so a
killed run never blocks the next one. The lock is re-entrant within one process.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX: runs are not serialized
    fcntl = None  # type: ignore[assignment]

__all__ = ["LOCK_SUFFIX", "holds_lock", "lock_path", "output_lock"]

LOCK_SUFFIX = ".cdk8s-gitops.lock"
_held: dict[str, int] = {}


def lock_path(target: Path) -> Path:
    """The lock file that guards the output folder ``target`` (a resolved path)."""
    parent = target.parent
    if target.is_dir() and os.path.ismount(target) and not os.access(parent, os.W_OK):
        return target / LOCK_SUFFIX
    return parent / f".{target.name}{LOCK_SUFFIX}"


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


def holds_lock(target: Path) -> bool:
    """Whether this process holds the lock of the output folder ``target`` already (``output_lock`` is re-entrant)."""
    return os.path.abspath(lock_path(target)) in _held


@contextmanager
def output_lock(target: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the lock of the output folder ``target``; calls ``on_wait`` with a message before blocking."""
    path = lock_path(target)
    key = os.path.abspath(path)
    if fcntl is None or key in _held:
        _held[key] = _held.get(key, 0) + 1
        try:
            yield path
        finally:
            _held[key] -= 1
            if not _held[key]:
                del _held[key]
        return
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    raise
                if on_wait is not None:
                    on_wait(f"waiting for another cdk8s-gitops run{_holder(fd)} to finish (lock {path})")
                fcntl.flock(fd, fcntl.LOCK_EX)
            mine = os.fstat(fd)
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_ino, now.st_dev) == (mine.st_ino, mine.st_dev):
                break
            os.close(fd)  # the previous holder removed the file while we waited: lock the new one
        except BaseException:
            os.close(fd)
            raise
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass  # the pid is informative only
    _held[key] = 1
    try:
        yield path
    finally:
        del _held[key]
        try:
            os.unlink(path)  # before unlocking: a waiter that gets this inode sees it is gone and retries
        except OSError:
            pass
        os.close(fd)
