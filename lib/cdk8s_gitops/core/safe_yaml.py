"""Limits for YAML read from disk: alias expansion, nesting depth, node count.

A few hundred bytes of YAML can expand, through anchors and aliases, into billions of
nodes (the "billion laughs" alias bomb); PyYAML builds every one of them. Before a file is
loaded, :func:`check_yaml_limits` walks its parser events (which never expand an alias)
and counts what loading would build: each alias adds the size of the node it names.
A file over a budget is refused in milliseconds, naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError, Problem
from .files import read_bounded

__all__ = ["ENVIRONMENT_LIMITS", "MANIFEST_LIMITS", "YamlLimits", "check_yaml_limits", "load_yaml_file"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class YamlLimits:
    """Budgets for one YAML file.

    Attributes:
        max_aliases: the most alias uses (``*name``) in the file.
        max_alias_nodes: the most nodes that alias uses may add when expanded (a mapping, a list
            and a scalar each count as one node).
        max_depth: the deepest nesting of mappings and lists.
        max_nodes: the most nodes in the file after expansion.
    """

    max_aliases: int = 100
    max_alias_nodes: int = 10_000
    max_depth: int = 64
    max_nodes: int = 2_000_000


#: Environment files: a handful of anchors at most, a few hundred nodes.
ENVIRONMENT_LIMITS = YamlLimits()
#: YAML given to ``validate`` (synthesized manifests hold no aliases at all).
MANIFEST_LIMITS = YamlLimits(max_aliases=1_000, max_alias_nodes=100_000)


def _refuse(shown: str, mark: Any, message: str, fix: str) -> ConfigError:  # yaml.Mark, or the C loader's
    where = f"line {mark.line + 1}" if mark is not None else ""
    return ConfigError(Problem(shown, where, message, fix))


def check_yaml_limits(text: str | bytes, shown: str, limits: YamlLimits = ENVIRONMENT_LIMITS) -> None:
    """Raise :class:`ConfigError` when loading ``text`` would exceed ``limits``.

    Syntax errors are left to the loader (``yaml.YAMLError`` propagates unchanged).
    """
    sizes: dict[str, int] = {}  # anchor -> expanded size of the node it names
    stack: list[tuple[int, str | None]] = []  # (expanded node count when the collection opened, anchor)
    nodes = aliases = alias_nodes = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            sizes.clear()
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            size = sizes.get(event.anchor or "", 1)
            alias_nodes += size
            nodes += size
            if aliases > limits.max_aliases:
                raise _refuse(shown, event.start_mark, f"uses more than {limits.max_aliases} YAML aliases",
                              "write the values out, or share less through anchors (&name / *name)")
            if alias_nodes > limits.max_alias_nodes:
                raise _refuse(shown, event.start_mark,
                              f"YAML alias *{event.anchor} expands the file beyond {limits.max_alias_nodes} nodes "
                              "(an alias bomb?)", "remove the nested anchors and aliases; write the values out")
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            nodes += 1
            stack.append((nodes, event.anchor))
            if len(stack) > limits.max_depth:
                raise _refuse(shown, event.start_mark, f"nests mappings and lists deeper than {limits.max_depth} levels",
                              "flatten the structure")
        elif isinstance(event, yaml.CollectionEndEvent):
            opened, anchor = stack.pop()
            if anchor:
                sizes[anchor] = nodes - opened + 1
        if nodes > limits.max_nodes:
            raise _refuse(shown, getattr(event, "start_mark", None), f"holds more than {limits.max_nodes} YAML nodes",
                          "split it into smaller files")


def load_yaml_file(path: Path, shown: str, size_limit: int, limits: YamlLimits = MANIFEST_LIMITS) -> list[Any]:
    """Every document of a YAML file read within limits (see :func:`~cdk8s_gitops.core.files.read_bounded`).

    Raises :class:`ConfigError` for a file over a limit or not a regular file, ``yaml.YAMLError`` for bad
    syntax, ``UnicodeDecodeError`` for a file that is not UTF-8 and ``OSError`` when it cannot be read.
    """
    text = read_bounded(path, size_limit, shown).decode("utf-8")
    check_yaml_limits(text, shown, limits)
    return list(yaml.load_all(text, Loader=_Loader))  # noqa: S506 - the safe loader
