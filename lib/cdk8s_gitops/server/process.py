"""The server's side: ``cdk8s-gitops serve``, loading the library, and forking a child per command."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import gc
import io
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .client import stop
from .standby import RELAYED, Standby, fork_held
from .warm_up import warm_up
from .wire import CACHE, OFF, address, find_root, receive, send, socket_path

__all__ = ["Run", "add_serve_command", "serve"]

Run = Callable[[Sequence[str]], int]
"""Runs one command line in this process and returns its exit code (the CLI's ``main``)."""

_SKIPPED = ("cdk8s_gitops.codegen", "cdk8s_gitops.testing", "cdk8s_gitops.scaffold", "cdk8s_gitops.__main__",
            "cdk8s_gitops.server")


def add_serve_command(sub: Any, run: Run) -> None:
    """Add ``serve`` to the CLI's subcommands; ``run`` is what a served child runs (the CLI's ``main``)."""
    p = sub.add_parser("serve", help="keep the library loaded, so that each command in this project starts warm",
                       description="Load the library and build every model's validator once, then serve the project's "
                                   "cdk8s-gitops commands from a Unix socket in .cdk8s-gitops-cache/: each command run "
                                   "in the project hands its arguments, environment, working folder and terminal to the "
                                   "server, which forks a warm process for it (same output, same exit code; Ctrl-C is "
                                   "passed on). A command whose Python, sys.path or library-relevant environment differs "
                                   "runs in its own process, with a note. The server stops on Ctrl-C, on --stop, after "
                                   "--idle minutes without a command, or when the library or an installed package "
                                   f"changes. Set {OFF}=off to bypass it. Linux and macOS.")
    p.add_argument("--stop", action="store_true", help="stop the server running for this project")
    p.add_argument("--no-fork-ahead", dest="ahead", action="store_false",
                   help="fork each command's process when the command comes, not ahead while idle (the process forked "
                        "ahead holds its own copy of the cache's records: tens of MB in a large repository)")
    p.add_argument("--idle", type=float, default=60.0, metavar="MINUTES",
                   help="stop after this many minutes without a command. Default: 60")
    p.set_defaults(func=lambda args: _command(args, run))


def _command(args: argparse.Namespace, run: Run) -> int:
    start = Path(args.project_dir) if args.project_dir is not None else Path.cwd()
    root = Path(find_root(start.resolve()) or start).resolve()
    if args.stop:
        if stop(root):
            print(f"stopped the cdk8s-gitops server of {root}")
            return 0
        print(f"no cdk8s-gitops server is running for {root}")
        return 1
    if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        print("error: 'cdk8s-gitops serve' needs fork() and Unix sockets (Linux, macOS)", file=sys.stderr)
        return 2
    return serve(root, run, idle=args.idle * 60, ahead=args.ahead)


# ----------------------------------------------------------------------------------------------- server

class _Loaded:
    """What the server loaded, and what a client must share with it to be served."""

    def __init__(self, root: Path) -> None:
        from ..synth.inputs import WHOLE_ENVIRONMENT, track_inputs

        started = time.perf_counter()
        with track_inputs() as reads:  # everything the children inherit: what it read is what they must share
            self.modules = _import_library()
            self.validators = _build_validators()
            _load_secret_detectors()
            self.warmed = warm_up(root / CACHE)
        self.seconds = time.perf_counter() - started
        self.variables = {name: os.environ.get(name) for name in reads.env if name != WHOLE_ENVIRONMENT}
        self.whole_environment = WHOLE_ENVIRONMENT in reads.env
        self.path = list(sys.path)
        self.startup = _startup(list(sys.flags), list(sys.warnoptions), dict(os.environ))
        self.executable = sys.executable
        self.fingerprint = _fingerprint()
        self.state = _library_state()

    def stale(self) -> bool:
        """Whether the library or an installed distribution changed since the server loaded them."""
        state = _library_state()
        if state == self.state:
            return False
        if _fingerprint() != self.fingerprint:
            return True
        self.state = state  # touched, not changed
        return False

    def refusal(self, request: dict[str, Any]) -> str | None:
        """Why this server cannot serve ``request`` (None when it can)."""
        if request.get("executable") != self.executable:
            return f"it runs {self.executable}, this command {request.get('executable')}"
        if request.get("path") != self.path:
            return "its Python path (sys.path, PYTHONPATH) differs from this command's"
        env = request.get("env") or {}
        startup = _startup(request.get("flags"), request.get("warnoptions"), env)
        if startup != self.startup:
            differ = sorted(k for k in {*startup, *self.startup} if startup.get(k) != self.startup.get(k))
            return f"Python started with other settings ({', '.join(differ)})"
        if self.whole_environment and env != dict(os.environ):
            return "the library read the whole environment while loading, and this command's differs"
        changed = sorted(name for name, value in self.variables.items() if env.get(name) != value)
        if changed:
            return f"environment variable {changed[0]} differs from the server's (the library read it while loading)"
        return None


def _startup(flags: Any, warnoptions: Any, env: dict[str, str]) -> dict[str, Any]:
    """How Python was started: its flags (``-O``, ``-W``, ``-X dev``, ...) and every ``PYTHON*`` variable (hash seed,
    warnings, buffering, ...), which act when the interpreter starts: a forked child cannot take them on."""
    return {"sys.flags": flags, "sys.warnoptions": warnoptions,
            **{name: value for name, value in env.items() if name.startswith("PYTHON")}}


def _fingerprint() -> str:
    """The library's :func:`~cdk8s_gitops.synth.records.fingerprint` as it is now (computed again: its memo is per process)."""
    from ..synth.records import fingerprint

    return fingerprint(again=True)


def _library_state() -> list[Any]:
    """What :func:`_fingerprint` reads, by signature rather than content (a few milliseconds): each library source
    file's and each installed distribution's entry in a ``sys.path`` folder, with its
    :func:`~cdk8s_gitops.core.files.signature`. A file cannot change without changing its change time, so an equal state means an equal
    fingerprint; a different one is checked by computing the fingerprint."""
    from ..core.files import signature
    from ..synth.records import _LIBRARY_DIR

    paths: list[str] = []
    for folder in sys.path:
        with contextlib.suppress(OSError):
            paths += sorted(os.path.join(folder or ".", name) for name in os.listdir(folder or ".")
                            if name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))
    for dirpath, dirnames, filenames in os.walk(_LIBRARY_DIR):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        paths += (os.path.join(dirpath, name) for name in sorted(filenames) if name.endswith(".py"))
    state: list[Any] = []
    for path in paths:
        with contextlib.suppress(OSError):
            state.append((path, signature(path)))
    return state


def _import_library() -> int:
    import importlib
    import pkgutil

    import cdk8s_gitops

    count = 0
    for info in pkgutil.walk_packages(cdk8s_gitops.__path__, "cdk8s_gitops."):
        if info.name.startswith(_SKIPPED):
            continue
        importlib.import_module(info.name)
        count += 1
    return count


def _build_validators() -> int:
    """Build the validator of every model class loaded (pydantic builds them on first use otherwise)."""
    from pydantic import BaseModel

    seen: set[type] = set()
    stack = list(BaseModel.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        stack.extend(cls.__subclasses__())
    built = 0
    for cls in seen:
        if cls.__module__.startswith("cdk8s_gitops.") and not cls.__pydantic_generic_metadata__.get("origin"):
            with contextlib.suppress(Exception):  # a model that cannot be complete alone is built where it is used
                cls.model_rebuild()
                built += 1
    return built


def _load_secret_detectors() -> None:
    """Load detect-secrets and compile its plugins' patterns, as the first scan of a run would (pure: no input)."""
    from ..synth.secret_detectors import _screen, keyword_detector

    _screen()
    keyword_detector()


def serve(root: Path, run: Run, *, idle: float = 3600.0, quiet: bool = False, ahead: bool = True) -> int:
    """Serve the project at ``root`` until stopped, idle for ``idle`` seconds, or the library changes: each command
    is run by ``run`` in a child forked for it (``ahead``: while idle, before the command comes)."""
    from .. import _node

    path = socket_path(root)
    if path.exists():
        if stop(root):
            print(f"stopped the server that was running for {root}", file=sys.stderr)
        path.unlink(missing_ok=True)
    loaded = _Loaded(root)
    _prepare(root)  # the first command finds the cache's records parsed too
    if _node.node_started():  # a child must start its own Node.js: never share the server's
        print("error: Node.js started while loading the library; the server cannot fork safely", file=sys.stderr)
        return 8
    path.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_umask = os.umask(0o077)
    try:
        with address(path) as where:
            listener.bind(where)
    except OSError as exc:
        print(f"error: cannot listen on {path} ({exc.strerror}): another 'cdk8s-gitops serve' may be starting for this "
              "project; stop it with 'cdk8s-gitops serve --stop', or remove the file if no server runs", file=sys.stderr)
        return 2
    finally:
        os.umask(old_umask)
    listener.listen(16)
    listener.setblocking(False)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    stopping = False

    def end(*_: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, end)
    signal.signal(signal.SIGINT, end)
    if not quiet:
        print(f"cdk8s-gitops server for {root}: loaded {loaded.modules} modules and {loaded.validators} validators, "
              f"built {loaded.warmed} sample objects, in {loaded.seconds:.1f} s; listening on {path} (stop with Ctrl-C "
              "or 'cdk8s-gitops serve --stop')",
              file=sys.stderr, flush=True)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_read, selectors.EVENT_READ, "signal")
    children: dict[int, _Child] = {}
    own = (listener.fileno(), wake_read, wake_write)
    standby = Standby()
    last = time.monotonic()
    try:
        while not stopping:
            if ahead and standby.pid is None and not children:  # idle: fork the next command's process ahead
                _prepare(root)
                standby.start(own, lambda conn, request, fds: _child(conn, request, fds, (), run, root))
            for key, _ in selector.select(timeout=min(idle, 60.0)):
                if key.data == "signal":
                    with contextlib.suppress(BlockingIOError):
                        os.read(wake_read, 512)
                    _reap(children, quiet, standby)
                    continue
                try:
                    conn, _ = listener.accept()
                except BlockingIOError:
                    continue
                last = time.monotonic()
                outcome = _handle(conn, loaded, root, children, run, quiet, own, standby)
                if outcome == "stop":
                    stopping = True
            _reap(children, quiet, standby)
            if not children and time.monotonic() - last > idle:
                break
    finally:
        standby.dismiss()
        selector.close()
        listener.close()
        path.unlink(missing_ok=True)
        signal.set_wakeup_fd(-1)
        for pid in list(children):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        _reap(children, quiet)
    return 0


class _Child:
    """A command being served: its connection, its arguments, when it started."""

    def __init__(self, conn: socket.socket, argv: list[str], ahead: bool = False) -> None:
        self.conn, self.argv, self.started, self.ahead = conn, argv, time.perf_counter(), ahead


def _reap(children: dict[int, _Child], quiet: bool, standby: Standby | None = None) -> None:
    """Send each finished child's exit code to its command (128 + the signal when it was killed); a standby that
    ended (killed, or dismissed) is reaped too, and forgotten, so that the next one is forked."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if standby is not None and pid == standby.pid:
            standby.dismiss()
        child = children.pop(pid, None)
        if child is None:
            continue
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
        with contextlib.suppress(OSError):
            send(child.conn, {"exit": code})
        child.conn.close()
        if not quiet:
            how = " (forked ahead)" if child.ahead else ""
            print(f"served 'cdk8s-gitops {' '.join(child.argv)}' in {time.perf_counter() - child.started:.2f} s{how}: "
                  f"exit {code}", file=sys.stderr, flush=True)


def _handle(conn: socket.socket, loaded: _Loaded, root: Path, children: dict[int, _Child], run: Run, quiet: bool,
            own: tuple[int, ...], standby: Standby) -> str:
    """Serve one connection: hand a command to the standby, or fork a child for it (``own``: the server's
    descriptors, closed in the child), or answer a stop."""
    conn.setblocking(True)
    conn.settimeout(2)  # a command sends its request at once; a silent connection holds the others back no longer
    fds: list[int] = []
    try:
        peer = getattr(socket, "SO_PEERCRED", None)  # Linux; elsewhere the socket's mode (0700) alone keeps others out
        if peer is not None:
            _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, peer, struct.calcsize("3i")))
            if uid != os.getuid():
                conn.close()
                return "refused"
        request, fds = receive(conn, with_fds=3)
    except (OSError, ValueError):
        for fd in fds:
            os.close(fd)
        conn.close()
        return "error"
    if request is None:
        conn.close()
        return "error"
    if request.get("stop"):
        standby.dismiss()
        send(conn, {"stopped": True})
        conn.close()
        return "stop"
    why = loaded.refusal(request) if len(fds) == 3 else "the command's standard streams did not arrive"
    stale = why is None and loaded.stale()
    if stale:
        why = "the library or an installed distribution changed since it started; it stops"
    if why is not None:
        if stale:
            standby.dismiss()
        for fd in fds:
            os.close(fd)
        with contextlib.suppress(OSError):
            send(conn, {"refused": why})
        conn.close()
        if not quiet:
            print(f"did not serve a command: {why}", file=sys.stderr, flush=True)
        return "stop" if stale else "refused"
    pid = standby.take(request, fds, conn)
    ahead = pid is not None
    if pid is None:
        _prepare(root)
        pid = fork_held()
        if pid == 0:  # the child: never returns
            _child(conn, request, fds, own, run)
    for fd in fds:
        os.close(fd)
    conn.settimeout(None)
    children[pid] = _Child(conn, [str(a) for a in request.get("argv", [])], ahead)
    with contextlib.suppress(OSError):
        send(conn, {"pid": pid})
    return "forked"


def _prepare(root: Path) -> None:
    """Before a fork: parse the cache's records and the dist writer's notes, load the environment files and compile the
    app modules that changed (never running them), then leave every object out of the collector's scans (the child never scans the loaded
    library, nor writes to the pages it is on)."""
    from ..environment import loader
    from ..synth import build, cache, known_files, project

    cache.preload(root / CACHE)
    known_files.preload(root / CACHE)
    loader.preload(root / "environments", root)
    project.compile_apps(root / "apps")
    gc.collect()
    gc.freeze()
    build.frozen_by_host = True


def _child(conn: socket.socket, request: dict[str, Any], fds: list[int], own: tuple[int, ...], run: Run,
           refresh: Path | None = None) -> None:
    """Become the command's process: its streams, working folder, umask, environment, path, ignored signals; run
    it; exit (stopping early, as if interrupted, when the command's process goes away). ``refresh``: the project
    root, for a standby, forked earlier, to read again what changed since (see :func:`_prepare`)."""
    code = 70
    ended: threading.Event | None = None
    try:
        if refresh is not None:
            _prepare(refresh)
        signal.set_wakeup_fd(-1)
        for fd in own:
            with contextlib.suppress(OSError):
                os.close(fd)
        os.setpgid(0, 0)  # its own process group: a stop or signal meant for it never reaches the server
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTTIN, signal.SIGTTOU):  # outside the terminal's foreground: writes go on, reads fail
            signal.signal(sig, signal.SIG_IGN)
        for signum in request.get("ignored") or ():
            signal.signal(signum, signal.SIG_IGN)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        streams = request.get("streams") or [[None, None, False, False]] * 3
        sys.stdin, sys.stdout, sys.stderr = (_stream(fd, "r" if fd == 0 else "w", *streams[fd]) for fd in (0, 1, 2))
        os.chdir(request["cwd"])
        os.umask(int(request["umask"]))
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[:] = request["path"]
        sys.argv = ["cdk8s-gitops", *request["argv"]]
        conn.settimeout(None)  # the server's read of the request was timed; the child waits as long as it runs
        ended = _watch(conn)
        # Ctrl-C, termination or hang-up that came while the child was being set up (the command passes on one it
        # got before the server answered as soon as it knows the child) was held, not lost: the command ends here.
        held = signal.sigpending() & RELAYED
        for signum in held:
            signal.sigwait({signum})
        signal.pthread_sigmask(signal.SIG_UNBLOCK, RELAYED)
        if held:
            raise KeyboardInterrupt
        code = run(request["argv"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:  # before the command's own handling began (it reports and returns 130 itself)
        print("interrupted before it started; nothing was done", file=sys.stderr)
        code = 130
    except BaseException:  # noqa: BLE001 - report it on the command's stderr, never in the server
        import traceback

        traceback.print_exc()
        code = 70
    finally:
        with contextlib.suppress(BaseException):
            atexit._run_exitfuncs()  # what a process does on its way out (jsii stops its Node.js, for one)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        if ended is not None:
            ended.set()  # the command closes its end once it has the code: that is no reason to stop any more
        with contextlib.suppress(OSError):  # the command learns the code from here, or from the server when killed
            send(conn, {"exit": code % 256})
        os._exit(code)


def _watch(conn: socket.socket) -> threading.Event:
    """Interrupt this child (as Ctrl-C would: ``dist/`` is left as it was, or the swap under way completes) when the
    command's process goes away before it (``kill -9``, a cancelled CI job): it never writes on without it. Set the
    event returned once the command has ended."""
    ended = threading.Event()

    def wait() -> None:
        try:
            gone = conn.recv(1) == b""
        except OSError:
            gone = True
        if gone and not ended.is_set():
            os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, name="cdk8s-gitops-command-watch", daemon=True).start()
    return ended


def _stream(fd: int, mode: str, encoding: str | None, errors: str | None, line_buffering: bool, write_through: bool) -> Any:
    """A text stream on ``fd`` set up as the command's was (encoding, errors, buffering)."""
    raw = io.FileIO(fd, mode, closefd=False)
    if mode == "r":
        return io.TextIOWrapper(io.BufferedReader(raw), encoding=encoding, errors=errors)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors, line_buffering=line_buffering,
                            write_through=write_through)
