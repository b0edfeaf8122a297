"""Deterministic YAML: stable object order, stable key order, ``\\n`` line endings.

PyYAML's C emitter is used when present (it is several times faster than the Python one).
Multi-line strings are written as literal blocks (``|``) so config files stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from ..core.ordering import object_sort_key, sort_objects

__all__ = ["dump_documents", "object_sort_key", "sort_objects"]

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

def dump_documents(manifests: Iterable[Mapping[str, Any]]) -> str:
    """Multi-document YAML of ``manifests`` in the given order, ``---`` between documents."""
    return yaml.dump_all(
        list(manifests), Dumper=_Dumper, sort_keys=False, default_flow_style=False,
        allow_unicode=True, width=4096, explicit_start=False, line_break="\n",
    ).replace("\n...\n", "\n")
