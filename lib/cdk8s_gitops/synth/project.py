"""The project on disk: where apps, environments and dist/ live, and loading app modules.

An app is a module ``apps/<module>.py`` with a ``build(scope, env)`` function; its name
is the module name with ``_`` turned into ``-`` unless the module sets ``APP_NAME``.
Modules are loaded by file path, so ``apps/`` needs no ``__init__.py`` and is not on
``sys.path``; the project's root is (last), so apps can import helper modules kept there.
Loading imports the module only: nothing is synthesized at import time.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any

from ..core.errors import ConfigError, Problem
from ..core.files import Signature, settled, signature
from ..core.model import check_name
from .inputs import Reads, source_file, track_inputs

__all__ = ["APP_MODULE_PREFIX", "AppModule", "Project", "find_root"]

APP_MODULE_PREFIX = "cdk8s_gitops_apps."
"""App modules are imported under this package name (``cdk8s_gitops_apps.<module>``)."""

#: What marks a project root, as ``.git`` marks a git repository: a ``cdk8s.yaml``, or both folders.
ROOT_MARKERS = ("cdk8s.yaml", "apps/ and environments/")


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``cdk8s.yaml`` or both ``apps/`` and ``environments/``."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / "cdk8s.yaml").is_file() or ((folder / "apps").is_dir() and (folder / "environments").is_dir()):
            return folder
    return None


@dataclass(frozen=True)
class AppModule:
    """An app found in ``apps/``: its name, file and ``build`` function."""

    name: str
    path: Path
    build: Callable[[Any, Any], Any]
    description: str = ""
    source: str | None = None
    """How docs name where the app comes from; default: its path relative to the project."""


@dataclass(init=False)
class Project:
    """A repository laid out as cdk8s-gitops expects.

    Attributes:
        root: the repository root. Default: the current directory.
        apps_dir: where app modules live. Default: ``<root>/apps``.
        environments_dir: where environment files live. Default: ``<root>/environments``.
        dist_dir: where synth writes. Default: ``<root>/dist``.
    """

    root: Path
    apps_dir: Path
    environments_dir: Path
    dist_dir: Path
    _apps: dict[str, AppModule] | None = field(default=None, repr=False)
    _relative: dict[Path, str] = field(default_factory=dict, repr=False, compare=False)
    import_reads: Reads = field(default_factory=Reads, repr=False, compare=False)
    """The files opened and environment variables read while the app modules were imported (inputs of every
    pair, as the project modules they import are)."""

    def __init__(self, root: str | Path | None = None, apps_dir: str | Path | None = None,
                 environments_dir: str | Path | None = None, dist_dir: str | Path | None = None) -> None:
        self.root = Path(root if root is not None else Path.cwd()).resolve()
        self.apps_dir = Path(apps_dir) if apps_dir else self.root / "apps"
        self.environments_dir = Path(environments_dir) if environments_dir else self.root / "environments"
        self.dist_dir = Path(dist_dir) if dist_dir else self.root / "dist"
        self._apps = None
        self._relative = {}
        self.import_reads = Reads()

    def relative(self, path: Path) -> str:
        """``path`` relative to the root when it is inside it (for messages and provenance); remembered per path."""
        known = self._relative.get(path)
        if known is None:
            try:
                known = Path(path).resolve().relative_to(self.root).as_posix()
            except ValueError:
                known = str(path)
            self._relative[path] = known
        return known

    def apps(self) -> dict[str, AppModule]:
        """Every app in ``apps/``, by name, sorted (loaded once)."""
        if self._apps is None:
            self._apps = self._load_apps()
        return self._apps

    def _load_apps(self) -> dict[str, AppModule]:
        if not self.apps_dir.is_dir():
            raise ConfigError(Problem(str(self.apps_dir), "", "the apps folder does not exist",
                                      "create apps/ with one module per app (cdk8s-gitops init makes a new project), "
                                      "or run from the project root or pass --project-dir"))
        # Modules and packages at the project's root (shared helpers) import from apps as they do for
        # `python main.py` in a cdk8s project, from any working directory. Last on the path: they never
        # shadow an installed package.
        if str(self.root) not in sys.path:
            sys.path.append(str(self.root))
        found: dict[str, AppModule] = {}
        for path in sorted(self.apps_dir.glob("*.py")):
            if path.name.startswith("_"):
                continue
            with track_inputs() as reads:
                module = _import_file(path, self.relative(path))
            # Its own source is an input of its pairs only; what else it opened is shared, as helper modules are.
            reads.files = {f for f in reads.files if source_file(Path(f)) != path}
            self.import_reads.update(reads)
            build = getattr(module, "build", None)
            if not callable(build):
                raise ConfigError(Problem(self.relative(path), "build", "the module has no build(scope, env) function",
                                          "define def build(scope, env): ... that creates the app's constructs"))
            name = getattr(module, "APP_NAME", None) or path.stem.replace("_", "-")
            why = check_name(name, "label")
            if why:
                raise ConfigError(Problem(self.relative(path), "APP_NAME", f"app name {name!r} {why}",
                                          "rename the module or set APP_NAME"))
            if name in found:
                raise ConfigError(Problem(self.relative(path), "APP_NAME", f"app name {name!r} is also used by {self.relative(found[name].path)}",
                                          "give each app a unique APP_NAME"))
            doc = (module.__doc__ or "").strip().splitlines()
            found[name] = AppModule(name=name, path=path, build=build, description=doc[0] if doc else "")
        return found


_COMPILED: dict[str, tuple[Signature, CodeType]] = {}
"""App modules compiled ahead by :func:`compile_apps`, by path, with the signature of the source compiled (the file
a symbolic link leads to: the one imported)."""


def compile_apps(apps_dir: Path) -> None:
    """Compile the app modules of ``apps_dir`` whose source changed since the last call, without running them (the
    synth server does this before each command): a forked command then runs the code of an unchanged module
    without reading its bytecode again. A source that has not settled is left to the import."""
    seen = set()
    for path in apps_dir.glob("*.py"):
        name = str(path)
        seen.add(name)
        try:
            version = signature(name, follow=True)
            if name in _COMPILED and _COMPILED[name][0] == version:
                continue
            if not settled(version):
                _COMPILED.pop(name, None)
                continue
            with open(name, "rb") as fh:
                source = fh.read()
            if signature(name, follow=True) == version:
                _COMPILED[name] = (version, compile(source, name, "exec", dont_inherit=True))
        except (OSError, SyntaxError, ValueError):
            _COMPILED.pop(name, None)  # the import reports it
    for name in set(_COMPILED) - seen:
        del _COMPILED[name]


def _import_file(path: Path, shown: str) -> ModuleType:
    module_name = f"{APP_MODULE_PREFIX}{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:  # pragma: no cover - a .py file always has a loader
        raise ConfigError(Problem(shown, "", "cannot be imported", "make it a Python module"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    compiled = _COMPILED.get(str(path))
    try:
        if compiled is not None and compiled[0] == signature(str(path), follow=True):
            exec(compiled[1], module.__dict__)  # noqa: S102 - what exec_module does, with the code compiled ahead
        else:
            spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(module_name, None)
        raise ConfigError(Problem(shown, "", f"failed to import: {type(exc).__name__}: {exc}",
                                  "fix the error in the module (run with --debug for the traceback)")) from exc
    return module
