"""A command's side: hand the command to the project's server when one is up, or ask the server to stop."""

from __future__ import annotations

import os
import signal
import socket
import sys

from .wire import OFF, address, find_root, receive, send, socket_file

TYPE_CHECKING = False  # the command's side stays light: what it imports is loaded for every served command
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any

__all__ = ["forward", "stop"]


def forward(argv: Sequence[str]) -> int | None:
    """Run the command ``argv`` in the project's server when one is up; its exit code, or None to run it here
    (no server, ``CDK8S_GITOPS_SERVER=off``, or the server refused: then a note says why)."""
    if os.environ.get(OFF, "").lower() in ("off", "0", "no", "false") or "serve" in argv or not _streams_open():
        return None
    if "-" in argv and os.isatty(0):  # reading the terminal: only the foreground process of its session may
        return None
    root = find_root(os.getcwd())
    if root is None:
        return None
    path = socket_file(root)
    if not os.path.exists(path):
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with address(path) as where:
            sock.connect(where)
    except OSError:  # a server that ended without removing its socket
        sock.close()
        return None
    with sock, _Relay() as relay:
        umask = os.umask(0)
        os.umask(umask)
        request = {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ), "path": list(sys.path),
                   "executable": sys.executable, "umask": umask, "flags": list(sys.flags),
                   "warnoptions": list(sys.warnoptions), "ignored": relay.ignored,
                   "streams": [[getattr(s, "encoding", None), getattr(s, "errors", None),
                                getattr(s, "line_buffering", False), getattr(s, "write_through", False)]
                               for s in (sys.stdin, sys.stdout, sys.stderr)]}
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        try:
            send(sock, request, [0, 1, 2])
            reply, _ = receive(sock)
        except (OSError, ValueError):
            reply = None
        if reply is None or "pid" not in reply:
            if relay.pending:  # Ctrl-C before the server answered: the command was interrupted, not run
                return 130
            if reply is not None:
                print(f"note: the cdk8s-gitops server did not take this command ({reply.get('refused')}); "
                      "running it here", file=sys.stderr)
            return None
        relay.found(int(reply["pid"]))
        done, _ = receive(sock)
        if done is None or "exit" not in done:
            print("error: the cdk8s-gitops server stopped before this command ended; run it again "
                  f"(or with {OFF}=off to run it in its own process)", file=sys.stderr)
            return 8
        return int(done["exit"])


def _streams_open() -> bool:
    """Whether standard input, output and error are all open (a closed one would be taken by the socket, or be
    missing in the child): else the command runs in its own process, which handles that as it always does."""
    if sys.stdin is None or sys.stdout is None or sys.stderr is None:
        return False
    try:
        for fd in (0, 1, 2):
            os.fstat(fd)
    except OSError:
        return False
    return True


class _Relay:
    """While a command is served: Ctrl-C, termination and hang-up reach the child instead of this process (those
    that come before the child is known are passed on as soon as it is). A signal this process ignores (``nohup``,
    a background job of a script) is left ignored, and the child ignores it too."""

    _SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self._child: int | None = None
        self.pending: list[int] = []
        self._previous: dict[int, Any] = {}
        self.ignored = [int(sig) for sig in self._SIGNALS if signal.getsignal(sig) == signal.SIG_IGN]

    def found(self, pid: int) -> None:
        """The child is ``pid``: pass on what came before, and all that comes after."""
        self._child = pid
        for signum in self.pending:
            _pass_on(pid, signum)

    def _on_signal(self, signum: int, frame: Any) -> None:
        if self._child is not None:
            _pass_on(self._child, signum)
        else:
            self.pending.append(signum)

    def __enter__(self) -> _Relay:
        for sig in self._SIGNALS:
            if int(sig) not in self.ignored:
                self._previous[sig] = signal.signal(sig, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _pass_on(child: int, signum: int) -> None:
    try:
        os.kill(child, signum)
    except OSError:
        pass



def stop(root: str | Path) -> bool:
    """Ask the server of the project at ``root`` to stop; False when none answered."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        with address(socket_file(root)) as where:
            sock.connect(where)
        send(sock, {"stop": True})
        receive(sock)
        return True
    except OSError:
        return False
    finally:
        sock.close()
