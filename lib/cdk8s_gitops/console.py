"""The ``cdk8s-gitops`` command (and ``python -m cdk8s_gitops``).

It hands the command to the project's synth server when one is up (:mod:`.server`): then it loads only the few
modules that do that, a few milliseconds' worth. Otherwise it runs :func:`.cli.main` here, and freezes every object
out of the garbage collector before exiting (the interpreter's last collection would walk the whole fleet).
"""

from __future__ import annotations

import sys

from .server.client import forward

__all__ = ["console"]


def console() -> None:
    """Run the command given on the command line, served or here; exit with its code."""
    code = forward(sys.argv[1:])
    if code is None:
        import gc

        from .cli import main

        code = main()
        gc.freeze()
    sys.exit(code)
