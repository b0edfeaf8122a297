"""What synth knows of the files in its output folder without reading them again.

To tell which files of ``dist/`` change, the dist writer compares each one with what the run produces. In a large
tree where few folders changed, reading every file for that is most of the write. So each write notes, for every
file it left as it was, the file's :data:`~cdk8s_gitops.core.files.Signature` (device, inode, size, modification
and change time) and the SHA-256 of its content, in ``.cdk8s-gitops-cache/dist-files.json``. The next run takes a
file whose signature is the same as noted for the noted content and does not read it.

A file is noted only once it has settled (:func:`~cdk8s_gitops.core.files.settled` when the walk that saw it
began): a later change gives it another change time, which no one can set back. A file written by
hand, replaced, touched or linked anew has another signature and is read. ``synth --no-cache`` reads every file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.files import Signature, settled, signature
from .cache import ignore_all

__all__ = ["KNOWN_FILE", "KnownFiles", "preload"]

KNOWN_FILE = "dist-files.json"
"""The file in the project's cache folder that holds what :class:`KnownFiles` noted, by output folder."""

_LIMIT = 64 << 20
_ENOUGH = 64
"""Notes are written again once this many files (or one in a hundred, if fewer) are new to them; entries that no
longer match are left (they match nothing)."""


_PARSED: dict[str, tuple[Signature, dict[str, Any]]] = {}
"""The notes read in this process (and the processes forked from it, see :func:`preload`), by path, with the
signature of the file they were read from (it is replaced by a rename: a new file is a new inode)."""


def _parsed(path: str) -> dict[str, Any]:
    try:
        version = signature(path)
        known = _PARSED.get(path)
        if known is not None and known[0] == version:
            return known[1]
        if version[2] > _LIMIT:
            return {}
        with open(path, encoding="utf-8") as fh:
            loaded = json.load(fh)
    except (OSError, ValueError):
        return {}
    parsed = loaded if isinstance(loaded, dict) else {}
    _PARSED[path] = (version, parsed)
    return parsed


def preload(cache_dir: Path) -> None:
    """Read the notes of ``cache_dir`` when they changed since the last call (the synth server does this before each
    command: the command finds them read)."""
    _parsed(str(cache_dir / KNOWN_FILE))


class KnownFiles:
    """The noted files of one output folder (``target``, resolved), read from ``cache_dir``."""

    def __init__(self, cache_dir: Path, target: Path) -> None:
        self.path = cache_dir / KNOWN_FILE
        self.target = str(target)
        self._all = _parsed(str(self.path))
        entries = self._all.get(self.target)
        self.noted: dict[str, list[object]] = entries if isinstance(entries, dict) else {}

    def digest(self, rel: str, seen: Signature | None) -> str | None:
        """The SHA-256 noted for ``rel`` when the file now has the signature noted with it, else None."""
        entry = self.noted.get(rel)
        if seen is None or not isinstance(entry, list) or len(entry) != 6 or entry[:5] != list(seen):
            return None
        digest = entry[5]
        return digest if isinstance(digest, str) else None

    def save(self, files: Mapping[str, tuple[Signature, str]], walked_ns: int) -> None:
        """Note ``files`` (path -> (signature when seen, SHA-256 of the content then)) as the output folder's files,
        leaving out those that had not settled when the walk that saw them began (``walked_ns``). The notes are
        written only when enough of them are new (see :data:`_ENOUGH`)."""
        noted = {rel: [*seen, digest] for rel, (seen, digest) in sorted(files.items()) if settled(seen, walked_ns)}
        new = sum(1 for rel, entry in noted.items() if self.noted.get(rel) != entry)
        if new < min(_ENOUGH, max(1, len(noted) // 100)):
            return  # nothing new, or so little that reading it next time costs less than writing the notes now
        self.noted = noted
        self._all = {folder: entries for folder, entries in self._all.items() if folder != self.target and Path(folder).is_dir()}
        if noted:
            self._all[self.target] = noted
        try:
            ignore_all(self.path.parent)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(json.dumps(self._all, separators=(",", ":")))
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass  # a note is only a shortcut: without it the next run reads the files
