"""Reading input files within limits, and replacing files atomically.

Every file the library reads on a user's behalf (environment files, YAML given to
``validate``) goes through :func:`read_bounded`: it must be a regular file (never a FIFO,
a device such as ``/dev/zero``, a socket or a folder) no larger than a limit, and it is
opened without blocking, so a FIFO can never hang the command. Files the library edits
in place (environment files) are replaced with :func:`atomic_write`: a temporary file in
the same folder, flushed to disk, given the old file's mode, and renamed over it.
:func:`signature` tells whether a file is still the very version seen before.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

from .errors import ConfigError, Problem

__all__ = ["ENVIRONMENT_FILE_LIMIT", "SETTLED_NS", "YAML_FILE_LIMIT", "Signature", "atomic_write", "fsync_dir",
           "read_bounded", "settled", "signature", "signature_of"]

#: Largest environment file read (1 MiB); real ones are a few KiB.
ENVIRONMENT_FILE_LIMIT = 1 << 20
#: Largest YAML file ``validate`` reads (8 MiB); a synthesized manifest.yaml is well under 1 MiB.
YAML_FILE_LIMIT = 8 << 20

_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


Signature = tuple[int, int, int, int, int]
"""What identifies one version of a file: device, inode, size, modification and change time (ns). The change
time cannot be set back, so a file written since has another signature."""

SETTLED_NS = 2_000_000_000
"""A file last changed at least this long ago (2 s) has settled: any later change gives it another
:data:`Signature`, whatever the file system's clock granularity. What the library keeps by signature (parsed,
compiled, noted) it keeps only for settled files; a newer one is read again next time."""


def signature(path: Path | str, *, follow: bool = False) -> Signature:
    """The :data:`Signature` of ``path`` (of the file a symlink leads to when ``follow``, the one that is read)."""
    return signature_of(os.stat(path) if follow else os.lstat(path))


def signature_of(info: os.stat_result) -> Signature:
    """The :data:`Signature` in a status already read (``os.DirEntry.stat()``, say)."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def settled(version: Signature, now_ns: int | None = None) -> bool:
    """Whether the file of ``version`` had settled (see :data:`SETTLED_NS`) at ``now_ns`` (default: now)."""
    return (time.time_ns() if now_ns is None else now_ns) - version[4] >= SETTLED_NS


def _human(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB" if size >= 1 << 20 else f"{size} bytes"


def read_bounded(path: Path | str, limit: int, shown: str | None = None) -> bytes:
    """The bytes of ``path``; :class:`ConfigError` unless it is a regular file of at most ``limit`` bytes.

    The file is opened with ``O_NONBLOCK`` and checked with ``fstat`` on the open descriptor,
    so a FIFO or device is refused without blocking and a file swapped in between cannot slip through.
    ``FileNotFoundError`` and other ``OSError`` s other than "not a regular file" propagate to the caller.
    """
    shown = shown or str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise ConfigError(Problem(shown, "", "is a folder, not a file", "name a regular YAML file")) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
            raise ConfigError(Problem(shown, "", f"is {kind}, not a regular file",
                                      "point it at a regular YAML file (FIFOs and devices are never read)"))
        if info.st_size > limit:
            raise ConfigError(Problem(shown, "", f"is {_human(info.st_size)}, above the limit of {_human(limit)}",
                                      "split it or remove what does not belong in it"))
        chunks: list[bytes] = []
        total = 0
        while True:  # the size can change after fstat: never read more than the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ConfigError(Problem(shown, "", f"grew above the limit of {_human(limit)} while being read",
                                          "split it or remove what does not belong in it"))
        return b"".join(chunks)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on folders; the data itself was synced
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one, never a part.

    The new file keeps the mode of the file it replaces (``mode`` when given, 0644 less the umask
    for a new file), is flushed to disk before the rename, and the folder entry afterwards.
    A symlink at ``path`` is written through: its target is replaced, the link stays.
    """
    target = Path(os.path.realpath(path))
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o644 & ~umask
    tmp = target.parent / f".{target.name}.cdk8s-tmp-{os.getpid()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(target.parent)
