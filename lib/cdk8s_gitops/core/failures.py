"""Exit codes of the CLI, and operating-system errors turned into messages a person can act on.

A full disk, a read-only filesystem, a file-size limit or a permission problem is reported as
what failed, on which path, and what to do, with an exit code of its own, never as a traceback.
"""

from __future__ import annotations

import errno

__all__ = ["EXIT_CODES", "EXIT_DIFF", "EXIT_INTERRUPTED", "EXIT_NO_SPACE", "EXIT_OK", "EXIT_OS_ERROR", "EXIT_OUTPUT",
           "EXIT_PERMISSION", "EXIT_READ_ONLY", "EXIT_TOO_LARGE", "EXIT_USAGE", "describe_os_error"]

EXIT_OK = 0
EXIT_DIFF = 1
EXIT_USAGE = 2
EXIT_OUTPUT = 3
EXIT_NO_SPACE = 4
EXIT_READ_ONLY = 5
EXIT_TOO_LARGE = 6
EXIT_PERMISSION = 7
EXIT_OS_ERROR = 8
EXIT_INTERRUPTED = 130

#: Every exit code with its meaning (printed by ``--help`` and documented in docs/guide/cli.md).
EXIT_CODES: dict[int, str] = {
    EXIT_OK: "ok",
    EXIT_DIFF: "differences found, validation failed or synth refused the apps",
    EXIT_USAGE: "usage or configuration error (bad arguments, environment files)",
    EXIT_OUTPUT: "the output folder was refused (holds files synth did not write, missing or damaged for --env/--app)",
    EXIT_NO_SPACE: "no space left on the device (or disk quota exceeded)",
    EXIT_READ_ONLY: "read-only filesystem",
    EXIT_TOO_LARGE: "file-size limit exceeded (ulimit -f)",
    EXIT_PERMISSION: "permission denied",
    EXIT_OS_ERROR: "another operating-system error (input/output error, too many open files, ...)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C or SIGTERM)",
}

_KNOWN: dict[int, tuple[int, str, str]] = {
    errno.ENOSPC: (EXIT_NO_SPACE, "no space left on the device",
                   "free space on that filesystem (or write elsewhere with --output) and run the command again"),
    errno.EROFS: (EXIT_READ_ONLY, "the filesystem is read-only",
                  "remount it read-write, or write to a writable folder with --output"),
    errno.EFBIG: (EXIT_TOO_LARGE, "the file-size limit was exceeded",
                  "raise the limit (ulimit -f unlimited) and run the command again"),
    errno.EACCES: (EXIT_PERMISSION, "permission denied",
                   "check the owner and mode of that path and its folder, or run as a user who may write there"),
}
_KNOWN[errno.EPERM] = (EXIT_PERMISSION, "operation not permitted", _KNOWN[errno.EACCES][2])
if hasattr(errno, "EDQUOT"):
    _KNOWN[errno.EDQUOT] = (EXIT_NO_SPACE, "the disk quota is exceeded", _KNOWN[errno.ENOSPC][2])


def describe_os_error(exc: OSError) -> tuple[int, str]:
    """The exit code and a one-line message (what, which path, what to do) for ``exc``."""
    code, what, fix = _KNOWN.get(exc.errno or 0, (EXIT_OS_ERROR, exc.strerror or type(exc).__name__,
                                                  "check the path and the filesystem, then run the command again"))
    paths = [str(p) for p in (exc.filename, exc.filename2) if p]
    where = f" ({' -> '.join(paths)})" if paths else ""
    return code, f"{what}{where}; {fix}"
