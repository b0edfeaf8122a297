"""``cdk8s-gitops serve``: a resident process that keeps the library loaded, so that each command starts warm.

A fresh ``cdk8s-gitops synth`` spends about half a second before it builds anything: importing the library and
the generated models, and building pydantic's validators on first use. In a large repository where one app
changed, that is most of the run. The server does that work once: it imports every module of the library,
builds every model's validator, loads detect-secrets, and then waits on a Unix socket in the project's cache folder
(:data:`~.wire.SOCKET`). Each ``cdk8s-gitops`` command run in the project (the console command, not the CLI's ``main``
called from a program) hands its arguments, working folder, environment, ``sys.path``, umask and its standard
input, output and error (the descriptors themselves) to the server, which forks a child for it. The child
is a fresh ``cdk8s-gitops`` process in every respect but the modules already loaded: it imports the project's app
modules itself, reads the cache and ``dist/`` from disk, and takes the output lock as any run does. The command
prints what the child prints and exits with its code; Ctrl-C and ``kill`` are passed on to the child.

The server never serves a command that would not see the same library: it refuses (the command then runs in its
own process, as without a server) when the client's Python or ``sys.path`` differ from the server's, or an
environment variable the library read while loading has another value; and it stops when the library or an
installed distribution changed (:func:`~cdk8s_gitops.synth.records.fingerprint`). It never imports a project module itself.

What it prepares comes from files alone and is checked by each file's signature before a command uses it (see
:func:`~.process._prepare`): the cache's records, parsed, with their objects; the dist writer's notes; the environments,
loaded, with each app's settings resolved; the app modules, compiled (never run). At start it builds a sample
``Microservice`` in each rollout strategy (:mod:`.warm_up`), so that what the library makes on first use is ready. While
idle it forks the next command's process ahead (:mod:`.standby`).

Nothing here is needed for correct output: without a server (or with ``CDK8S_GITOPS_SERVER=off``) every command
runs in its own process.
"""


from __future__ import annotations

from .client import forward, stop
from .wire import OFF, SOCKET, socket_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .process import Run, add_serve_command, serve

__all__ = ["OFF", "SOCKET", "Run", "add_serve_command", "forward", "serve", "socket_path", "stop"]


def __getattr__(name: str) -> Any:
    """The server's side (:mod:`.process`) loads on first use: a command's side needs only :func:`forward`."""
    if name in ("Run", "add_serve_command", "serve"):
        from . import process

        return getattr(process, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
