"""Deterministic YAML: stable object order, stable key order, ``\\n`` line endings.

The reference output is PyYAML's safe dumper (its C emitter, libyaml, when present) with block
style, no aliases, a width of 4096 and literal blocks (``|``) for multi-line strings.

Speed: PyYAML builds a node per value in Python before libyaml writes them (about 0.15 ms for a
typical manifest, more than validating it). Manifests are trees of plain dicts, lists, strings,
numbers, booleans and None, so :func:`dump_documents` writes them directly, byte for byte what
PyYAML writes, and asks PyYAML only for what it must decide itself:

- how each distinct string is written (plain, quoted) is decided once and remembered: strings of
  common characters by the rules libyaml applies to them (plain unless PyYAML's resolver would read
  them back as another type, then single-quoted), any other string by PyYAML itself;
- a document holding anything else (a multi-line or very long string, a float, a key that is not a
  short string, a type other than the plain ones) is written whole by PyYAML.

``tests/synth/test_render.py`` compares both writers on the repository's manifests and on generated
documents full of edge cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from ..core.ordering import object_sort_key, sort_objects

__all__ = ["dump_documents", "object_sort_key", "pyyaml_documents", "sort_objects"]

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]  # the C dumper when PyYAML has it: a runtime choice
    """Safe dumper: block style, no aliases, literal blocks for multi-line strings."""

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - never emit &anchors
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(c in value for c in "\r\t") and value == value.rstrip(" ") and not value.startswith(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)

_OPTIONS: dict[str, Any] = {"Dumper": _Dumper, "sort_keys": False, "default_flow_style": False, "allow_unicode": True,
                            "width": 4096, "explicit_start": False, "line_break": "\n"}


def pyyaml_documents(manifests: Iterable[Mapping[str, Any]]) -> str:
    """Multi-document YAML of ``manifests`` written by PyYAML (the reference :func:`dump_documents` matches)."""
    text: str = yaml.dump_all(list(manifests), **_OPTIONS)
    return text.replace("\n...\n", "\n")


def dump_documents(manifests: Iterable[Mapping[str, Any]]) -> str:
    """Multi-document YAML of ``manifests`` in the given order, ``---`` between documents."""
    parts: list[str] = []
    for manifest in manifests:
        start = "---\n" if parts else ""
        try:
            out: list[str] = [start]
            _mapping(manifest, "", "", out)
            parts.append("".join(out) if len(out) > 1 else ("--- {}\n" if start else "{}\n"))
        except _Unsupported:
            text = pyyaml_documents([manifest])
            parts.append(f"--- {text}" if start and text.startswith(("{", "[")) else start + text)
    return "".join(parts)


class _Unsupported(Exception):
    """Raised inside the fast writer for a document PyYAML must write."""


_UNSUPPORTED = _Unsupported()

# Strings libyaml writes plain in block context unless they resolve to another type: no indicator
# at the start, no ': ' or ' #', no ':' at the end, no leading or trailing space, printable ASCII.
_COMMON = re.compile(r"[A-Za-z0-9_/](?:[A-Za-z0-9_./=+@%~,()<>*&!$^?;\[\]{}\-]|:(?! )| (?![ #]))*(?<![: ])\Z")
_MAX_FAST = 1000  # longer strings go to PyYAML (line folding at the width is its business)
_STR_TAG = "tag:yaml.org,2002:str"
_resolve: Any = yaml.resolver.Resolver().resolve  # the resolver the dumper uses: which plain strings read back as str
_values: dict[str, str] = {}
_keys: dict[str, str] = {}
_MEMO_LIMIT = 200_000  # distinct strings remembered, per memo (a long-running process starts again beyond it)


def _value_text(value: str) -> str:
    """How ``value`` is written as a block value (memo)."""
    return _remembered(_values, value, key=False)


def _key_text(key: str) -> str:
    """How ``key`` is written as a mapping key (memo)."""
    return _remembered(_keys, key, key=True)


def _remembered(memo: dict[str, str], value: str, *, key: bool) -> str:
    text = memo.get(value)
    if text is None:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        text = memo[value] = _scalar_text(value, key=key)
    return text


def _scalar_text(value: str, *, key: bool) -> str:
    if len(value) > _MAX_FAST or (key and len(value) >= 128) or len(f"{value}.".splitlines()) != 1:
        raise _UNSUPPORTED  # long, or a line break of any kind (libyaml indents what follows one)
    if _COMMON.match(value):
        if _resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG:
            return value
        return f"'{value}'"
    # Anything else: ask PyYAML (libyaml) once, in the same context.
    written: str = yaml.dump({value: 0} if key else [value], **_OPTIONS)
    prefix, suffix = ("", ": 0\n") if key else ("- ", "\n")
    if not (written.startswith(prefix) and written.endswith(suffix)) or written.startswith("? "):
        raise _UNSUPPORTED
    text = written[len(prefix):-len(suffix)]
    if len(f"{text}.".splitlines()) != 1:
        raise _UNSUPPORTED
    return text


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _values.get(value) or _value_text(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    raise _UNSUPPORTED  # floats, and types PyYAML refuses or writes its own way


def _mapping(mapping: Any, indent: str, first: str, out: list[str]) -> None:
    """A block mapping, one key per line at ``indent``; the first line starts with ``first`` instead."""
    if type(mapping) is not dict:
        raise _UNSUPPORTED
    lead = first
    inner = indent + "  "
    for key, value in mapping.items():
        if type(key) is not str:
            raise _UNSUPPORTED
        name = _keys.get(key) or _key_text(key)
        kind = type(value)
        if kind is dict:
            if value:
                out.append(f"{lead}{name}:\n")
                _mapping(value, inner, inner, out)
            else:
                out.append(f"{lead}{name}: {{}}\n")
        elif kind is list:
            if value:
                out.append(f"{lead}{name}:\n")
                _sequence(value, indent, indent, out)
            else:
                out.append(f"{lead}{name}: []\n")
        else:
            out.append(f"{lead}{name}: {_scalar(value)}\n")
        lead = indent


def _sequence(items: list[Any], indent: str, first: str, out: list[str]) -> None:
    """A block sequence, ``- `` items at ``indent`` (``first`` starts the first line)."""
    lead = first
    inner = indent + "  "
    for item in items:
        kind = type(item)
        if kind is dict:
            if item:
                _mapping(item, inner, f"{lead}- ", out)
            else:
                out.append(f"{lead}- {{}}\n")
        elif kind is list:
            if item:
                _sequence(item, inner, f"{lead}- ", out)
            else:
                out.append(f"{lead}- []\n")
        else:
            out.append(f"{lead}- {_scalar(item)}\n")
        lead = indent
