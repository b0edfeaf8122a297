"""What the server and its commands share: the socket's place and address, and the messages between them."""

from __future__ import annotations

import json
import os
import socket
import struct

TYPE_CHECKING = False  # a command's side imports this module: it stays light (no typing, pathlib or contextlib)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any

__all__ = ["OFF", "SOCKET", "address", "find_root", "receive", "send", "socket_file", "socket_path"]

SOCKET = "server.sock"
"""The socket's name in the project's cache folder (:data:`~cdk8s_gitops.synth.cache.CACHE_DIR`)."""

OFF = "CDK8S_GITOPS_SERVER"
"""Set to ``off`` (or ``0``) to run every command in its own process even when a server is up."""

CACHE = ".cdk8s-gitops-cache"  # = synth.cache.CACHE_DIR (not imported: a command's side loads nothing of the library)
MAX_MESSAGE = 16 << 20


def send(sock: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """Send one message (length, then JSON), with ``fds`` passed along (``SCM_RIGHTS``)."""
    data = json.dumps(message).encode()
    payload = struct.pack("!I", len(data)) + data
    if fds:
        socket.send_fds(sock, [payload], list(fds))
    else:
        sock.sendall(payload)


def receive(sock: socket.socket, with_fds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One message (None when the peer closed) and the descriptors that came with it."""
    fds: list[int] = []
    if with_fds:
        head, fds, _flags, _addr = socket.recv_fds(sock, 4, with_fds)
    else:
        head = sock.recv(4)
    while head and len(head) < 4:
        more = sock.recv(4 - len(head))
        if not more:
            break
        head += more
    if len(head) < 4:
        for fd in fds:
            os.close(fd)
        return None, []
    (size,) = struct.unpack("!I", head)
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes")
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None, fds
        data += chunk
    return json.loads(data), fds


def socket_path(root: str | Path) -> Path:
    """Where the server of the project at ``root`` listens."""
    from pathlib import Path

    return Path(socket_file(root))


def socket_file(root: str | Path) -> str:
    """:func:`socket_path` as text (a command's side never loads pathlib)."""
    return os.path.join(root, CACHE, SOCKET)


SHORT = 100  # a Unix socket's path holds at most 104 (macOS) or 108 (Linux) bytes


class address:  # noqa: N801 - used as a function in `with address(path) as where`
    """The address to bind or connect ``path`` by: itself, or when too long for a socket address, its name
    relative to its folder, made the working folder for the moment (restored after)."""

    def __init__(self, path: str | Path) -> None:
        self.path = os.fspath(path)
        self.here: str | None = None

    def __enter__(self) -> str:
        if len(os.fsencode(self.path)) < SHORT:
            return self.path
        self.here = os.getcwd()
        os.chdir(os.path.dirname(self.path))
        return os.path.basename(self.path)

    def __exit__(self, *exc: object) -> None:
        if self.here is not None:
            os.chdir(self.here)


def find_root(start: str | Path) -> str | None:
    """The project at or above ``start`` (as :func:`cdk8s_gitops.synth.project.find_root`, without loading it)."""
    folder = os.fspath(start)
    while True:
        if os.path.isfile(os.path.join(folder, "cdk8s.yaml")) or (
                os.path.isdir(os.path.join(folder, "apps")) and os.path.isdir(os.path.join(folder, "environments"))):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
