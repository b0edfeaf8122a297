"""What building one (environment, app) pair produces, as plain data.

A :class:`PairRecord` is what a worker process sends back to the parent, what the incremental
cache stores, and what a shard of ``synth --shard`` leaves for ``assemble``: the manifests (for
the cross-object checks and the environment README), the folder's rendered files, the files the
build read (its inputs, with their SHA-256) and the key of everything else it depended on.

Only the parent process writes ``dist/``, through the dist writer; records only carry text.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError, Problem
from ..core.files import read_bounded
from ..core.validation import RenderedObject
from .inputs import Reads, env_digests, source_file, track_inputs
from .project import APP_MODULE_PREFIX, Project

__all__ = ["FORMAT", "PairRecord", "RecordError", "environ_digests", "fingerprint", "input_digests", "pair_key",
           "track_inputs"]

FORMAT = 3
"""Version of the record layout; part of every key, so a new layout never reads an old record."""


class RecordError(ValueError):
    """A stored record that cannot be used (damaged, or written for other inputs)."""


@dataclass
class PairRecord:
    """The result of building one app for one environment.

    Attributes:
        environment, app: the pair.
        key: :func:`pair_key` of the pair when it was built (library, Python, settings, layout).
        manifests: the objects, in ``dist/`` order.
        typed: per object, whether it came from a typed resource (its model can be loaded again).
        files: the folder's files (``manifest.yaml``, ``README.md``, provenance), by name.
        inputs: every file the build read, with its SHA-256: project files relative to the project root, files
            outside it by their absolute path (see :class:`InputHasher`).
        environ: every environment variable the build read, with the SHA-256 of its value (see
            :mod:`~cdk8s_gitops.synth.inputs`).
        has_checks: whether the app registered chart-level checks (``GitOpsChart.add_check``); such
            a pair is built again in the parent, so that its checks see the whole environment.
        problems: what stopped the build (then ``manifests`` and ``files`` are empty).
    """

    environment: str
    app: str
    key: str
    manifests: list[dict[str, Any]] = field(default_factory=list)
    typed: list[bool] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    has_checks: bool = False
    environ: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    row: list[str] = field(default_factory=list)
    """The folder's row in its environment README (:func:`~cdk8s_gitops.synth.diagrams.inventory_row`)."""
    passed: list[str] = field(default_factory=list)
    """The library's per-object checks (:func:`~cdk8s_gitops.core.validation.add_object_check`) its objects
    passed in the run that stored it (the cache stores records only of runs whose checks all passed)."""
    checked: bool = field(default=False, compare=False)
    """Not stored: True when the record comes from the incremental cache; then its objects carry ``passed``
    as the checks they need not run again (records of a shard folder were never checked)."""
    digests: dict[str, str] = field(default_factory=dict, compare=False)
    """Not stored separately: the SHA-256 of each of ``files`` (verified when loaded, computed when saved)."""

    encoded: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    """Not stored: ``files`` as UTF-8, when a stored record was loaded (checking the digests encodes them anyway)."""
    made: dict[tuple[str, frozenset[str]], list[RenderedObject]] = field(default_factory=dict, compare=False, repr=False)
    """Not stored: :meth:`objects` made before (by this record or a :meth:`copy` of it), by app and checks passed."""

    def objects(self, app: str, *, checked: bool | None = None) -> list[RenderedObject]:
        """The objects as :class:`RenderedObject` (typed models loaded from the manifest on demand), made once per
        record (and app and ``checked``: default, the record's own) and shared by its copies: what is derived from
        a manifest, and kept on its object, is the same for every run."""
        passed = frozenset(self.passed) if (self.checked if checked is None else checked) else frozenset()
        made = self.made.get((app, passed))
        if made is None:
            made = self.made[app, passed] = [_StoredObject(m, app, checked=passed) if typed else RenderedObject(m, app, checked=passed)
                                             for m, typed in zip(self.manifests, self.typed, strict=False)]
        return list(made)

    def digest(self, name: str) -> str:
        """The SHA-256 of one of ``files``."""
        found = self.digests.get(name)
        if found is None:
            found = self.digests[name] = _sha(self.files[name].encode())
        return found

    def copy(self) -> PairRecord:
        """A shallow copy (its lists and dicts are shared): what a run may set on a record it was given."""
        twin = object.__new__(PairRecord)
        twin.__dict__.update(self.__dict__)
        return twin

    def known_digests(self) -> dict[str, str] | None:
        """The SHA-256 of every one of ``files`` when all are known already (a stored record's were checked when it
        was loaded), else None."""
        return self.digests if self.digests.keys() == self.files.keys() else None

    # -- storage -----------------------------------------------------------------------
    def to_json(self) -> str:
        data = {
            "format": FORMAT, "environment": self.environment, "app": self.app, "key": self.key,
            "inputs": self.inputs, "environ": self.environ, "has_checks": self.has_checks, "typed": self.typed,
            "digests": {name: self.digest(name) for name in self.files},
            "files": self.files, "manifests": self.manifests, "row": self.row, "passed": self.passed,
        }
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, origin: str) -> PairRecord:
        """Load a stored record; :class:`RecordError` when it is damaged or of another format."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise RecordError(f"{origin}: written by another version of the record format")
            files = {str(k): str(v) for k, v in data["files"].items()}
            encoded = {name: text.encode() for name, text in files.items()}
            digests = data["digests"]
            if set(digests) != set(files) or any(_sha(encoded[n]) != digests[n] for n in files):
                raise RecordError(f"{origin}: the stored files do not match their checksums")
            manifests, typed, row, passed = data["manifests"], data["typed"], data["row"], data["passed"]
            if not isinstance(manifests, list) or len(typed) != len(manifests) or not isinstance(row, list) \
                    or not isinstance(passed, list):
                raise RecordError(f"{origin}: the stored objects are incomplete")
            return cls(environment=str(data["environment"]), app=str(data["app"]), key=str(data["key"]),
                       manifests=manifests, typed=[bool(t) for t in typed], files=files,
                       inputs={str(k): str(v) for k, v in data["inputs"].items()}, has_checks=bool(data["has_checks"]),
                       environ={str(k): str(v) for k, v in data["environ"].items()},
                       digests={n: str(digests[n]) for n in files}, encoded=encoded, row=[str(cell) for cell in row],
                       passed=[str(name) for name in passed])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            if isinstance(exc, RecordError):
                raise
            raise RecordError(f"{origin}: not a readable record ({type(exc).__name__})") from None


class _StoredObject(RenderedObject):
    """A typed object that crossed a process or the cache as a manifest: its model is loaded again
    from the manifest when a check asks for it (the round trip gives the same model)."""

    @property
    def resource(self) -> Any:
        cached = self.__dict__.get("_model", _MISSING)
        if cached is _MISSING:
            from ..core.errors import ManifestError
            from ..core.model import from_manifest

            try:
                cached = from_manifest(self.manifest)
            except ManifestError:  # fields added through the escape hatch: no model to offer
                cached = None
            object.__setattr__(self, "_model", cached)
        return cached

    @resource.setter
    def resource(self, value: Any) -> None:  # the dataclass __init__ sets it (to None)
        pass


_MISSING = object()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_regular(path: Path) -> bytes | None:
    """The bytes of a regular file, or None (missing, unreadable, or a FIFO or device: never waited on)."""
    try:
        return read_bounded(path, _NO_LIMIT)
    except (ConfigError, OSError):
        return None


_NO_LIMIT = 1 << 50  # an input is hashed whatever its size


# -- what a build depends on ---------------------------------------------------------------

_LIBRARY_DIR = Path(__file__).resolve().parent.parent
_fingerprint: str | None = None


def fingerprint(*, again: bool = False) -> str:
    """The library version, the SHA-256 of its source files (editable installs change without a
    version bump), the Python version, and every installed distribution with its version (and, for one installed
    from a path or a VCS URL rather than an index, where it came from and its files' hashes). Computed once per
    process, unless ``again`` (a long-running process checking whether any of it changed)."""
    global _fingerprint
    if _fingerprint is None or again:
        from .. import __version__

        digest = hashlib.sha256(f"{FORMAT}|{__version__}|{sys.version}|{sys.implementation.cache_tag}".encode())
        for path in sorted(_LIBRARY_DIR.rglob("*.py")):
            digest.update(path.relative_to(_LIBRARY_DIR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        dists: set[str] = set()
        for entry in sys.path:
            try:
                names = os.listdir(entry or ".")
            except OSError:
                continue
            dists.update(n + _direct_install(os.path.join(entry or ".", n)) for n in names
                         if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth")))
        digest.update("\n".join(sorted(dists)).encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _direct_install(dist_info: str) -> str:
    """For a distribution installed from a path or a VCS URL rather than an index (it has PEP 610's
    ``direct_url.json``), the SHA-256 of where it came from and of its list of files with their hashes
    (``RECORD``): its code can change under one version. Else ``""`` (an index never serves two builds of one
    version)."""
    if not dist_info.endswith(".dist-info"):
        return ""
    try:
        with open(os.path.join(dist_info, "direct_url.json"), "rb") as fh:
            origin = fh.read()
    except OSError:
        return ""
    try:
        with open(os.path.join(dist_info, "RECORD"), "rb") as fh:
            files = fh.read()
    except OSError:
        files = b""
    return " " + hashlib.sha256(origin + b"\0" + files).hexdigest()


def pair_key(project: Project, settings_json: str, environment: str, app: str) -> str:
    """What a pair's output depends on besides files: library, Python, its resolved settings, where apps and
    environments live (named in its README). Not ``dist/``: a folder's files do not depend on where they go."""
    layout = [project.relative(p) for p in (project.apps_dir, project.environments_dir)]
    text = json.dumps([fingerprint(), environment, app, layout, settings_json])
    return _sha(text.encode())


class InputHasher:
    """Turns opened paths into inputs (path -> SHA-256), one read per file per run: project files by their path
    relative to the project root; files outside the project (a configuration in the home folder, a data file of
    another checkout, a module of a package installed in editable mode from elsewhere) by their absolute path.
    Python's own files and installed distributions are not inputs (the key holds their versions), nor are
    ``/proc``, ``/sys``, ``/dev``, ``dist/`` and anything that is not a regular file. A file is known by the path
    it was opened by, not where a symbolic link leads: a link moved to another target is a changed input.
    A project inside one of Python's folders (a checkout in ``/usr/src`` with the system's Python) is still
    the project: only folders inside it (a virtual environment) are left out."""

    def __init__(self, project: Project, exclude: Iterable[Path] = ()) -> None:
        import site

        self.root = project.root
        library: list[str | Path] = [project.dist_dir, _LIBRARY_DIR, *exclude]
        python: list[str | Path] = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                                    *site.getsitepackages(), site.getusersitepackages(), "/proc", "/sys", "/dev"]
        excluded = {Path(os.path.abspath(p)) for p in [*library, *python]}
        excluded |= {p.resolve() for p in excluded}
        # A folder that holds the project (/usr for a checkout in /usr/src) excludes nothing inside the project.
        self._exclude = sorted(p for p in excluded if p.is_relative_to(self.root) or not self.root.is_relative_to(p))
        self._around = sorted(p for p in excluded if p not in self._exclude)
        # The same folders as text, for a test of a normalized absolute path without pathlib (it runs for every
        # module loaded in the process): a path is under a folder when it is the folder or starts with it and "/".
        self._exclude_text = _prefixes(self._exclude)
        self._around_text = _prefixes(self._around)
        self._root_text = _prefixes([self.root])
        self._digests: dict[str, str | None] = {}
        self._keys: dict[tuple[str, bool], tuple[Path, Path, str] | None] = {}
        self._outside: dict[str, str | None] = {}
        self._modules: tuple[int, list[str]] | None = None
        self._env: dict[tuple[str, ...], dict[str, str]] = {}

    def _excluded(self, p: Path | str) -> bool:
        """Whether the normalized absolute path ``p`` is left out (see the class)."""
        text = str(p)
        return _under(text, self._exclude_text) or (not _under(text, self._root_text) and _under(text, self._around_text))

    def _key(self, path: str, folder: bool = False) -> tuple[Path, Path, str] | None:
        """(the path as opened, made absolute; where it leads; its key: relative to the root when the path as
        opened is inside the project, else absolute), or None when it is left out. Worked out once per path."""
        if (path, folder) not in self._keys:
            self._keys[path, folder] = self._find_key(path, folder)
        return self._keys[path, folder]

    def _find_key(self, path: str, folder: bool) -> tuple[Path, Path, str] | None:
        opened = path if folder or not path.endswith(".pyc") else source_file(Path(path))  # no Path for most of them
        absolute = os.path.abspath(opened)
        if self._excluded(absolute):  # most modules loaded (Python's, installed packages'): no need to resolve links
            return None
        lexical = Path(absolute)
        try:
            real = lexical.resolve()
        except RuntimeError:  # a loop of symbolic links (Python 3.11 and 3.12): known by its path, as any link
            real = lexical
        except OSError:
            return None
        if self._excluded(real):  # (the path as opened was tested above)
            return None
        if lexical.is_relative_to(self.root):
            return lexical, real, lexical.relative_to(self.root).as_posix()
        return lexical, real, lexical.as_posix()

    def relative(self, path: str) -> str | None:
        """The project-relative source path of an opened file, or None when it is not a project input."""
        found = self._key(path)
        return found[2] if found is not None and found[0].is_relative_to(self.root) else None

    def outside(self, path: str) -> str | None:
        """The absolute path of an opened file outside the project when it is an input (see the class), else None."""
        if path not in self._outside:
            self._outside[path] = self._find_outside(path)
        return self._outside[path]

    def _find_outside(self, path: str) -> str | None:
        found = self._key(path)
        if found is None or found[0].is_relative_to(self.root):
            return None
        try:
            if not stat.S_ISREG(found[1].stat().st_mode):
                return None
        except FileNotFoundError:
            pass  # opened and missing: it becomes an input if it appears
        except OSError:
            return None
        return found[2]

    def digest(self, rel: str) -> str | None:
        """SHA-256 of an input file now (``rel``: relative to the project root, or absolute); None when it does
        not exist or is no longer a regular file."""
        if rel not in self._digests:
            if rel.endswith("/"):
                try:
                    names = sorted(os.listdir(self.root / rel))
                except OSError:
                    self._digests[rel] = None
                else:
                    self._digests[rel] = _sha("\0".join(names).encode("utf-8", "surrogateescape"))
            else:
                data = _read_regular(self.root / rel)
                self._digests[rel] = _sha(data) if data is not None else None
        return self._digests[rel]

    def loaded_modules(self) -> list[str]:
        """The files of the project modules loaded in this process, app modules aside (recomputed only when
        modules were added since the last call)."""
        if self._modules is None or self._modules[0] != len(sys.modules):
            files = [f for name, m in list(sys.modules.items())
                     if not name.startswith(APP_MODULE_PREFIX) and isinstance(f := getattr(m, "__file__", None), str)]
            self._modules = (len(sys.modules), [f for f in files if self.relative(f) is not None])
        return self._modules[1]

    def inputs(self, opened: Iterable[str], listed: Iterable[str] = ()) -> dict[str, str]:
        """``opened`` files and ``listed`` folders that are inputs, with their digests now. A folder's key ends with
        ``/`` (no file's does); its digest is that of the sorted names in it."""
        found: dict[str, str] = {}
        for path in opened:
            rel = self.relative(path)
            if rel is None:
                rel = self.outside(path)
            if rel is not None and rel not in found:
                digest = self.digest(rel)
                found[rel] = digest if digest is not None else "missing"
        for path in listed:
            key = self._folder(path)
            if key is not None and key not in found:
                digest = self.digest(key)
                found[key] = digest if digest is not None else "missing"
        return dict(sorted(found.items()))

    def _folder(self, path: str) -> str | None:
        """The key of a listed folder that is an input (see the class), else None."""
        found = self._key(path, folder=True)
        if found is None or found[1].is_file():
            return None
        return "./" if found[2] == "." else f"{found[2].rstrip('/')}/"

    def unchanged(self, inputs: Mapping[str, str], environ: Mapping[str, str] | None = None) -> bool:
        """Whether every recorded input still has the recorded content (a missing file stays missing), and every
        recorded environment variable the recorded value (an unset one stays unset)."""
        return (all((self.digest(rel) or "missing") == digest for rel, digest in inputs.items())
                and (not environ or self._environ(environ) == environ))

    def _environ(self, recorded: Mapping[str, str]) -> dict[str, str]:
        """:func:`~.inputs.env_digests` of the variables of ``recorded``, once per set of names in a run (most
        records name the same few)."""
        names = tuple(recorded)
        found = self._env.get(names)
        if found is None:
            found = self._env[names] = env_digests(names)
        return found


def _prefixes(folders: Iterable[Path]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(each folder as text, each folder as text ending with the separator), for :func:`_under`."""
    texts = [str(f) for f in folders]
    return tuple(texts), tuple(t if t.endswith(os.sep) else t + os.sep for t in texts)


def _under(text: str, prefixes: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    return text in prefixes[0] or text.startswith(prefixes[1])


def input_digests(project: Project, module_path: Path, reads: Reads, hasher: InputHasher) -> dict[str, str]:
    """The inputs of one pair: its app module, the project modules loaded in the process (shared code
    an app imports at import time), every file opened and folder listed while the apps were imported
    (conservatively an input of every app, as shared code is) and while it was built."""
    return hasher.inputs([str(module_path), *hasher.loaded_modules(), *project.import_reads.inputs, *reads.inputs],
                         [*project.import_reads.listed, *reads.listed])


def environ_digests(project: Project, read: Mapping[str, str]) -> dict[str, str]:
    """The environment variables one pair depends on: those read while the apps were imported (by any app) and
    those read while it was built, with the SHA-256 of their values when first read."""
    return dict(sorted({**read, **project.import_reads.env}.items()))
