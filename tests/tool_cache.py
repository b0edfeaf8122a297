"""Slow test set-up shared between test runs and between pytest-xdist workers, under ``.cache/``.

- :func:`locked`: one process at a time (an install into ``.cache`` while another worker waits).
- :func:`cached`: a JSON result stored under a key made of everything it depends on (tool
  versions, the SHA-256 of its inputs), so a result is reused only for exactly the same inputs.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import REPO

CACHE = REPO / ".cache"


@contextmanager
def locked(name: str) -> Iterator[None]:
    """Hold the file lock ``.cache/<name>.lock`` (blocking) while the block runs."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def digest(*parts: str | bytes, files: Iterable[Path] = ()) -> str:
    """SHA-256 over ``parts`` and the paths and contents of ``files`` (sorted)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    for path in sorted(files):
        name = path.relative_to(REPO) if path.is_relative_to(REPO) else path
        h.update(name.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def tree(root: Path, *patterns: str) -> list[Path]:
    """The files under ``root`` matching ``patterns`` (every file when none)."""
    found = {p for pattern in (patterns or ("*",)) for p in root.rglob(pattern) if p.is_file()}
    return sorted(p for p in found if "__pycache__" not in p.parts)


def cached(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON result, stored as ``.cache/<kind>/<key>.json`` and reused for the same key."""
    path = CACHE / kind / f"{key}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        pass
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(value, fh)
    os.replace(tmp, path)
    return value
