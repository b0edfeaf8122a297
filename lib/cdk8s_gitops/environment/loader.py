"""Load ``environments/<name>.yaml`` into :class:`EnvironmentSpec`, with errors that name the file and key."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import ConfigError, ManifestError, Problem
from ..core.files import ENVIRONMENT_FILE_LIMIT, Signature, read_bounded, settled, signature
from ..core.safe_yaml import ENVIRONMENT_LIMITS, check_yaml_limits
from .spec import EnvironmentSpec, ResolvedAppSettings

__all__ = ["discover_environments", "load_environment", "load_environments", "preload", "resolved"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_Loader):  # type: ignore[misc, valid-type]  # the C loader when PyYAML has it: a runtime choice
    """Safe loader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1}); keep one of them", mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


def read_environment_text(path: Path, shown: str) -> str:
    """The text of an environment file: a regular UTF-8 file within :data:`ENVIRONMENT_FILE_LIMIT`."""
    try:
        return read_bounded(path, ENVIRONMENT_FILE_LIMIT, shown).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(Problem(shown, "", "file not found", "create it, or pass an existing environment with --env")) from None
    except PermissionError:
        raise  # an operating-system error: the CLI reports it with its own exit code and the path
    except UnicodeDecodeError as exc:
        raise ConfigError(Problem(shown, "", f"is not UTF-8 text (byte {exc.start})", "save it as UTF-8")) from None
    except OSError as exc:
        raise ConfigError(Problem(shown, "", f"cannot be read ({exc.strerror or exc})", "make it a readable UTF-8 YAML file")) from None


_LOADED: dict[tuple[str, str], tuple[Signature, EnvironmentSpec]] = {}
"""Environments loaded from settled files, by (absolute path, name shown), with the file's signature."""


def load_environment(path: Path, root: Path | None = None) -> EnvironmentSpec:
    """Read and validate one environment file; raise :class:`ConfigError` naming file, key path and fix.

    A file read before in this process (or in the synth server before it forked this process) is not read again
    while it has the same signature and had settled when it was read (:func:`~cdk8s_gitops.core.files.settled`)."""
    shown = _display(path, root)
    key = (os.path.abspath(path), shown)
    try:
        version: Signature | None = signature(path, follow=True)  # the file a symbolic link leads to: the one read
    except OSError:
        version = None
    known = _LOADED.get(key)
    if known is not None and known[0] == version:
        return known[1]
    spec = _load_environment(path, shown)
    if version is not None and settled(version):
        if known is not None:
            _RESOLVED.pop(id(known[1]), None)
        _LOADED[key] = (version, spec)
    return spec


_RESOLVED: dict[int, dict[str, tuple[ResolvedAppSettings, str]]] = {}
"""The settings of each app of an environment kept in ``_LOADED`` (by the environment's id: ``_LOADED`` keeps it
alive, so no other object has it), resolved and as JSON, made by :func:`preload`."""


def resolved(spec: EnvironmentSpec, app: str) -> tuple[ResolvedAppSettings, str]:
    """``spec.for_app(app)`` and its JSON: made ahead by :func:`preload` for an environment it loaded (the synth
    server's), else made now. For the library's own reading: an app's build gets settings of its own."""
    made = _RESOLVED.get(id(spec), {}).get(app)
    if made is None:
        settings = spec.for_app(app)
        made = (settings, settings.model_dump_json())
    return made


def _load_environment(path: Path, shown: str) -> EnvironmentSpec:
    text = read_environment_text(path, shown)
    try:
        check_yaml_limits(text, shown, ENVIRONMENT_LIMITS)  # alias bombs, deep nesting: refused before loading
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(Problem(shown, where, f"invalid YAML: {problem}", "fix the YAML syntax at that position")) from None
    if data is None:
        raise ConfigError(Problem(shown, "", "the file is empty",
                                  "write a mapping with at least 'name' and 'git' (see the environment reference in README.md)"))
    if not isinstance(data, dict):
        raise ConfigError(Problem(shown, "", f"expected a mapping at the top level, got a {type(data).__name__}",
                                  "write 'key: value' pairs such as 'name: dev', not a list or a scalar"))
    expected = path.stem
    if "name" in data and data["name"] != expected:
        raise ConfigError(Problem(shown, "name", f"is {data['name']!r} but the file is {path.name}",
                                  f"set name: {expected} or rename the file"))
    try:
        return EnvironmentSpec.model_validate(data)
    except ManifestError as exc:  # named after the class: name the file instead
        raise ConfigError([replace(problem, subject=shown) for problem in exc.problems]) from None


def discover_environments(directory: Path) -> list[str]:
    """The environment names in ``directory`` (``*.yaml`` files), sorted."""
    if not directory.is_dir():
        return []
    return sorted(p.stem for p in directory.glob("*.yaml") if not p.name.startswith((".", "_")))


def preload(directory: Path, root: Path) -> None:
    """Load every environment of ``directory`` that changed since the last call, so that this process and those
    forked from it find them loaded (the synth server calls it before each command); broken files are left for
    the command to report."""
    for name in discover_environments(directory):
        try:
            spec = load_environment(directory / f"{name}.yaml", root)
        except (ConfigError, OSError):
            continue
        if id(spec) not in _RESOLVED and any(entry[1] is spec for entry in _LOADED.values()):
            _RESOLVED[id(spec)] = {app: resolved(spec, app) for app in spec.apps}


def load_environments(directory: Path, names: Iterable[str] | None = None, root: Path | None = None) -> list[EnvironmentSpec]:
    """Load the named environments (all of them by default); every broken file is reported together."""
    available = discover_environments(directory)
    wanted = list(names) if names else available
    problems: list[Problem] = []
    specs: list[EnvironmentSpec] = []
    for name in wanted:
        if name not in available:
            problems.append(Problem(_display(directory / f"{name}.yaml", root), "", f"no environment named {name!r}",
                                    f"choose one of: {', '.join(available) or '(none found)'}"))
            continue
        try:
            specs.append(load_environment(directory / f"{name}.yaml", root))
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)
    return specs
