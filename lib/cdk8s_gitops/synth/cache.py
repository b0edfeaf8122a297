"""Folders of pair records: the incremental cache and the output of one shard.

Both are folders of ``<environment>/<app>.json`` files, each a
:class:`~cdk8s_gitops.synth.records.PairRecord`. Files are written to a temporary name and
renamed, so a reader sees a whole record or none.

The cache (``.cdk8s-gitops-cache/`` in the project, ignored by Git through a ``.gitignore``
of its own) can never make ``dist/`` stale: a record is reused only when the pair's key
(library version and source, Python, installed distributions, the app's resolved settings,
the project layout) is the same, every file the build read (the app module, project
modules loaded with it, data files opened while the apps were imported or it was built) still
has the recorded SHA-256, and every environment variable it read the recorded value
(:mod:`~cdk8s_gitops.synth.inputs`); the rendered files are checked against their own
checksums when loaded. Anything else rebuilds.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..core.files import Signature, signature
from .records import InputHasher, PairRecord, RecordError

__all__ = ["CACHE_DIR", "RecordStore", "ignore_all", "preload", "preloaded"]

CACHE_DIR = ".cdk8s-gitops-cache"
"""The cache's folder name under the project root."""


class RecordStore:
    """A folder of pair records (``<root>/<environment>/<app>.json``)."""

    def __init__(self, root: Path, *, ignored: bool = False, passed: bool = False) -> None:
        self.root = Path(root)
        self.ignored = ignored
        """Whether the folder keeps a ``.gitignore`` of ``*`` (the cache does; shard folders are artifacts)."""
        self.passed = passed
        """Whether a record is saved here only after every check of its run passed (the cache: then the
        records it returns from :meth:`fresh` are marked ``checked``); shard folders hold unchecked records."""

    def path(self, environment: str, app: str) -> Path:
        return self.root / environment / f"{app}.json"

    def load(self, environment: str, app: str) -> PairRecord | None:
        """The stored record of a pair, or None when there is none or it is damaged."""
        name = f"{self.root}{os.sep}{environment}{os.sep}{app}.json"  # text: this runs for every pair
        known = _PRELOADED.get(name)
        if known is not None:
            try:
                same = signature(name) == known[0]
            except OSError:
                return None
            if same:
                return known[1].copy()
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            record = PairRecord.from_json(text, str(path))
        except RecordError:
            return None
        return record if (record.environment, record.app) == (environment, app) else None

    def fresh(self, environment: str, app: str, key: str, hasher: InputHasher) -> PairRecord | None:
        """The stored record when it was built from exactly the current inputs, else None."""
        record = self.load(environment, app)
        if record is None or record.key != key or record.has_checks or record.problems:
            return None
        if not hasher.unchanged(record.inputs, record.environ):
            return None
        record.checked = self.passed
        return record

    def save(self, record: PairRecord) -> None:
        """Store ``record`` (atomically); records with problems are not stored."""
        if record.problems:
            return
        path = self.path(record.environment, record.app)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.ignored:
            ignore_all(self.root)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(record.to_json())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def records(self) -> Iterator[tuple[Path, PairRecord | None]]:
        """Every stored record file and its record (None when unreadable), sorted by path."""
        for path in sorted(self.root.glob("*/*.json")):
            try:
                yield path, PairRecord.from_json(path.read_text(encoding="utf-8"), str(path))
            except (OSError, RecordError):
                yield path, None


def ignore_all(folder: Path) -> None:
    """Give ``folder`` (a cache folder, created if need be) a ``.gitignore`` of ``*``: it is never committed."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        folder.mkdir(parents=True, exist_ok=True)
        ignore.write_text("# written by cdk8s-gitops synth: the incremental cache, never committed\n*\n", encoding="utf-8")


_PRELOADED: dict[str, tuple[Signature, PairRecord]] = {}
"""Records parsed ahead by :func:`preload`, by path, with the signature of the file they were parsed from."""


def preloaded() -> list[PairRecord]:
    """The records :func:`preload` keeps parsed."""
    return [record for _, record in _PRELOADED.values()]


def preload(root: Path) -> int:
    """Parse the records under ``root`` (a cache folder) whose files changed since the last call, and keep them for
    this process and the processes forked from it (the synth server does this before each command): a record is
    then read from disk only when its file changed (same device, inode, size, modification and change time; a
    record is replaced by a rename, so a new file is a new inode). Returns how many were parsed."""
    parsed, seen = 0, set()
    for pattern in ("*/*.json", "*/*/*.json"):
        for path in root.glob(pattern):
            name = str(path)
            seen.add(name)
            try:
                version = signature(name)
                known = _PRELOADED.get(name)
                if known is not None and known[0] == version:
                    continue
                record = PairRecord.from_json(path.read_text(encoding="utf-8"), name)
            except (OSError, RecordError):
                _PRELOADED.pop(name, None)
                continue
            for made in record.objects(record.app, checked=True):  # as the cache gives them (fresh() marks them checked)
                made.key  # noqa: B018 - worked out once, here, for every process forked after
            _PRELOADED[name] = (version, record)
            parsed += 1
    for name in set(_PRELOADED) - seen:
        del _PRELOADED[name]
    return parsed
