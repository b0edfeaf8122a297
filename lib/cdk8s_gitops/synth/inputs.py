"""What a build reads besides its settings: the files it opens and the environment variables it reads.

The incremental cache reuses a pair's output only when everything its build read is unchanged. Settings and
the library are in the pair's key (:func:`~cdk8s_gitops.synth.records.pair_key`); the rest is read while the
build runs, so it is recorded as it happens:

- every file opened for reading (Python's ``open`` audit event, which imports raise too), and every SQLite
  database opened; a file the block wrote before it read it is its own output or scratch, not an input;
- every folder listed (``os.listdir``, ``os.scandir``: ``Path.glob``, ``iterdir``, ``glob``, ``os.walk``), so that a
  file added to a folder an app reads one object per file from rebuilds it; the import system's own listings
  (where it looks for modules, and for installed distributions) are left out;
- every environment variable read through ``os.environ`` or ``os.environb`` (``os.getenv``, ``in``,
  ``.get``, indexing). Code that walks the whole environment (``dict(os.environ)``, ``.items()``,
  ``.copy()``) depends on all of it: that is recorded as :data:`WHOLE_ENVIRONMENT`.

A path given relative to the working folder makes the working folder an input too (:data:`WORKING_FOLDER`).
Variables are recorded by their name and the SHA-256 of their value, never the value itself. What the library
does for itself (starting Node.js for jsii copies the whole environment) is left out with :func:`untracked`.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _node

__all__ = ["UNSET", "WHOLE_ENVIRONMENT", "WORKING_FOLDER", "Reads", "env_digests", "source_file", "track_inputs",
           "untracked"]

WHOLE_ENVIRONMENT = "*"
"""The name recorded when a build walked the whole environment (it then depends on every variable)."""

UNSET = "unset"
"""The digest recorded for a variable that was not set."""

WORKING_FOLDER = "=cwd"
"""Recorded with the variables when a build opened or listed a path relative to the working folder (the digest of
that folder's path; no variable's name holds ``=``)."""


@dataclass
class Reads:
    """What a block of code read: the paths of the files it opened to read (``files``; ``written``: those it
    wrote first), the folders it listed, the variables it read."""

    files: set[str] = field(default_factory=set)
    env: dict[str, str] = field(default_factory=dict)
    """Each variable read, with the digest of its value when it was first read (a build that sets a variable
    it read depends on the value it found)."""
    written: set[str] = field(default_factory=set)
    listed: set[str] = field(default_factory=set)
    """The folders it listed."""

    def update(self, other: Reads) -> None:
        self.files |= other.files
        for name, digest in other.env.items():
            self.env.setdefault(name, digest)
        self.written |= other.written
        self.listed |= other.listed

    @property
    def inputs(self) -> set[str]:
        """The files it read before it wrote them, if it did (a file rewritten after reading is still an input)."""
        return self.files - self.written


_tracking: Reads | None = None
_paused = 0
_installed = False


_WRITING = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


_IMPORT_SYSTEM = "<frozen importlib._bootstrap_external>"
_METADATA = "importlib/metadata/__init__.py"  # looking up installed distributions lists every folder of sys.path


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _tracking is None or _paused:
        return
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        path = _absolute(args[0])
        mode, flags = (args[1], args[2]) if len(args) >= 3 else (None, 0)
        writing = any(c in mode for c in "wax+") if isinstance(mode, str) else bool(isinstance(flags, int) and flags & _WRITING)
        if writing:
            if path not in _tracking.files:  # written before it was read: its own output or scratch
                _tracking.written.add(path)
        elif path not in _tracking.written:
            _tracking.files.add(path)
    elif event in ("os.listdir", "os.scandir") and args and (args[0] is None or isinstance(args[0], str | bytes | os.PathLike)):
        caller = sys._getframe(1).f_code.co_filename
        if caller == _IMPORT_SYSTEM or caller.replace("\\", "/").endswith(_METADATA):  # finding modules, distributions
            return
        _tracking.listed.add(_absolute(args[0] if args[0] is not None else "."))
    elif event == "sqlite3.connect" and args and isinstance(args[0], str | bytes | os.PathLike):
        database = os.fsdecode(args[0])
        if database.startswith("file:"):  # a URI: file:path?mode=ro
            database = database[5:].partition("?")[0]
        if database and database != ":memory:":
            _tracking.files.add(_absolute(database))


def _absolute(path: Any) -> str:
    """``path`` made absolute; a relative one makes the working folder an input."""
    text = os.fsdecode(path)
    if not os.path.isabs(text):
        _note(WORKING_FOLDER)
    return os.path.abspath(text)


def _note(name: Any) -> None:
    """Note a variable read, with its value's digest now (before the read: ``setdefault`` on an unset variable
    notes it unset)."""
    if _tracking is not None and not _paused:
        text = os.fsdecode(name) if isinstance(name, bytes) else str(name)
        if text not in _tracking.env:
            _tracking.env[text] = env_digests([text])[text]


class _TrackedEnviron(os._Environ):  # type: ignore[type-arg]  # os.environ's own class, made to note reads
    """``os.environ`` (and ``os.environb``) noting the names read while :func:`track_inputs` runs. ``get``, ``in``
    and ``os.getenv`` go through ``__getitem__``; walking the mapping goes through ``__iter__``."""

    def __getitem__(self, key: Any) -> Any:
        _note(key)
        return super().__getitem__(key)

    def __iter__(self) -> Iterator[Any]:
        _note(WHOLE_ENVIRONMENT)
        return super().__iter__()

    def __len__(self) -> int:
        _note(WHOLE_ENVIRONMENT)
        return super().__len__()


def _install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    sys.addaudithook(_audit)  # for the life of the process (hooks cannot be removed): it returns at once when idle
    _node.starting_node = untracked  # starting Node.js for jsii copies the whole environment: the library's own work


def _swap_environ(old: type, new: type) -> None:
    """Give ``os.environ`` and ``os.environb`` the class ``new`` where they have ``old`` (a mapping a program put
    there itself is left alone)."""
    for name in ("environ", "environb"):
        mapping = getattr(os, name, None)
        if type(mapping) is old:
            mapping.__class__ = new


@contextmanager
def track_inputs() -> Iterator[Reads]:
    """Collect what the block reads (see the module's docstring); an enclosing block receives it too.

    ``os.environ`` has the noting class only while the outermost block runs."""
    global _tracking
    _install()
    seen = Reads()
    outer, _tracking = _tracking, seen
    if outer is None:
        _swap_environ(os._Environ, _TrackedEnviron)
    try:
        yield seen
    finally:
        _tracking = outer
        if outer is not None:
            outer.update(seen)
        else:
            _swap_environ(_TrackedEnviron, os._Environ)


@contextmanager
def untracked() -> Iterator[None]:
    """Leave out what the block reads (the library's own work, such as starting Node.js)."""
    global _paused
    _paused += 1
    try:
        yield
    finally:
        _paused -= 1


def source_file(path: Path) -> Path:
    """The source file of a module's cached bytecode (``__pycache__/x.cpython-311.pyc`` -> ``x.py``), else ``path``:
    importing a module opens one or the other, and the source is what the build depends on."""
    if path.suffix == ".pyc" and path.parent.name == "__pycache__":
        return path.parent.parent / (path.name.split(".", 1)[0] + ".py")
    return path


def env_digests(names: Iterable[str]) -> dict[str, str]:
    """Each variable's SHA-256 now (:data:`UNSET` when it is not set); :data:`WHOLE_ENVIRONMENT` gets the digest
    of every variable, sorted. Read without being noted."""
    with untracked():
        found: dict[str, str] = {}
        for name in sorted(set(names)):
            if name == WORKING_FOLDER:
                found[name] = hashlib.sha256(os.fsencode(os.getcwd())).hexdigest()
            elif name == WHOLE_ENVIRONMENT:
                text = "\0".join(f"{k}={v}" for k, v in sorted(os.environ.items()))
                found[name] = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
            else:
                value = os.environ.get(name)
                found[name] = UNSET if value is None else hashlib.sha256(value.encode("utf-8", "surrogateescape")).hexdigest()
        return found
