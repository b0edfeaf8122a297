"""A child forked ahead of the next command, so that a command does not wait for the fork, nor for the pages it
touches to be copied.

A forked child shares the server's memory until it writes to a page: then that page is copied (a page fault). A
command touches every record of the cache (the reference count of each object it reads is written), which costs
thousands of faults, and the fork itself copies the server's page tables. While the server is idle, it forks a
standby: the standby touches the cache's records and objects (:func:`warm`), then waits. When a command comes, the
server hands it the command (its request, its standard streams and its connection) and the standby becomes the
command's process exactly as a child forked then would (:func:`~.process._child`), after reading again what changed
on disk since it was forked (the same preparation as before a fork). A standby that the server no longer needs
(it stops, or the command cannot be handed over) exits when its end of the pair of sockets closes.
"""

from __future__ import annotations

import os
import select
import signal
import socket
from collections.abc import Callable, Iterable
from typing import Any

from ..synth import cache
from .wire import receive, send

__all__ = ["RELAYED", "Standby", "fork_held", "warm"]

RELAYED = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
"""The signals a command passes on to its child: held (blocked) from the fork until the child has set itself up
(:func:`~.process._child` unblocks them), so that one sent in between is delivered then instead of lost."""


def fork_held() -> int:
    """``os.fork()`` with :data:`RELAYED` blocked in the child (the parent's mask is restored at once)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, RELAYED)
    pid = -1
    try:
        pid = os.fork()
    finally:
        if pid != 0:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return pid


def warm(ready: Callable[[], bool]) -> int:
    """Touch what a command reads of the cache's records (their objects, manifests and files), so that the pages
    they are on are copied now rather than while the command runs; stop as soon as ``ready()`` (a command came).
    Returns how many records were touched."""
    touched = 0
    for record in cache.preloaded():
        if touched % 64 == 0 and ready():
            break
        for made in record.made.values():
            for obj in made:
                obj.key  # noqa: B018 - read for its reference counts: the point is to touch it
                obj.memo  # noqa: B018
        _touch(record.manifests)
        _touch(record.files.values())
        _touch(record.encoded.values())
        touched += 1
    return touched


def _touch(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, dict):
            _touch(value.values())
        elif isinstance(value, list):
            _touch(value)


class Standby:
    """The standby child, if one is waiting (``pid``), and the server's end of the sockets to it."""

    def __init__(self) -> None:
        self.pid: int | None = None
        self._sock: socket.socket | None = None

    def start(self, own: tuple[int, ...], become: Callable[[socket.socket, dict[str, Any], list[int]], None]) -> None:
        """Fork the standby (none when the system refuses a fork or a pair of sockets). ``own``: the server's
        descriptors, closed in it; ``become``: what it runs with the command's connection, request and streams once
        it has one (it never returns)."""
        try:
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        except OSError:  # out of descriptors: commands are forked when they come
            return
        try:
            pid = fork_held()
        except OSError:  # out of memory or processes: the same
            ours.close()
            theirs.close()
            return
        if pid == 0:  # the standby: never returns
            code = 0
            try:
                os.setpgid(0, 0)  # Ctrl-C in the server's terminal is the server's: never held for a command
                ours.close()
                signal.set_wakeup_fd(-1)
                for fd in own:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                warm(lambda: bool(select.select([theirs], [], [], 0)[0]))
                request, fds = receive(theirs, with_fds=4)
                theirs.close()
                if request is None or len(fds) != 4:
                    for fd in fds:
                        os.close(fd)
                    os._exit(0)  # dismissed
                become(socket.socket(fileno=fds[3]), request, fds[:3])
            except BaseException:  # noqa: BLE001 - a standby never reports in the server's terminal
                code = 70
            os._exit(code)
        theirs.close()
        self.pid, self._sock = pid, ours

    def take(self, request: dict[str, Any], fds: list[int], conn: socket.socket) -> int | None:
        """Hand a command to the standby: its pid (it is now the command's process), or None when there is no
        standby or it is gone (then the server forks a child as it would without one)."""
        pid, sock = self.pid, self._sock
        self.pid = self._sock = None
        if pid is None or sock is None:
            return None
        try:
            send(sock, request, [*fds, conn.fileno()])
        except OSError:
            return None
        finally:
            sock.close()
        return pid

    def dismiss(self) -> None:
        """Let the standby go (it exits when its socket closes; the server reaps it as any child)."""
        if self._sock is not None:
            self._sock.close()
        self.pid = self._sock = None
