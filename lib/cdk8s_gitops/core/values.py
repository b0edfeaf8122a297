"""Values in messages and manifests that must stay within bounds.

- :func:`bounded_message`: validators quote the bad value with ``!r``; a 10,000-character name must not make a
  10,000-character error, so long quoted values are shortened.
- :func:`non_finite`: infinite and NaN numbers, which neither JSON nor the Kubernetes API can carry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["bounded_message", "non_finite"]

# A quoted value as ``!r`` writes it: opened after a space or bracket and not by a space, closed before a space,
# punctuation or the end (so the text *between* two quoted values is never taken for one).
_LONG_QUOTED = re.compile("|".join(
    rf"(?:(?<=[\s(\[{{=:,])|^){q}(?=[^\s{q}])(?:[^{q}\\\n]|\\.){{120,}}{q}(?=[\s.,;:)\]}}]|$)" for q in ("'", '"')))


def bounded_message(message: str) -> str:
    """``message`` with every quoted value longer than 120 characters shortened (validators quote the bad value
    with ``!r``; a 10,000-character name must not make a 10,000-character error)."""
    return _LONG_QUOTED.sub(lambda m: m.group(0)[:77] + "..." + m.group(0)[0], message) if len(message) > 200 else message


def _all_finite(doc: Any) -> bool:
    """Whether ``doc`` holds no infinite or NaN number (the quick walk; plain dicts and lists by exact type)."""
    stack: list[Any] = [doc]
    pop, push = stack.pop, stack.extend
    while stack:
        node = pop()
        kind = type(node)
        if kind is str or kind is int or kind is bool or node is None:
            continue
        if kind is dict:
            push(node.values())
        elif kind is list or kind is tuple:
            push(node)
        elif isinstance(node, float):
            if not math.isfinite(node):
                return False
        elif isinstance(node, Mapping):
            push(node.values())
        elif isinstance(node, (list, tuple)):
            push(node)
    return True


def non_finite(doc: Any) -> tuple[tuple[int | str, ...], float] | None:
    """The location and value of the first infinite or NaN number in ``doc``, or None."""
    if _all_finite(doc):
        return None
    stack: list[tuple[tuple[int | str, ...], Any]] = [((), doc)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, float):
            if not math.isfinite(node):
                return loc, node
        elif isinstance(node, Mapping):
            stack.extend(((*loc, str(k)), v) for k, v in node.items())
        elif isinstance(node, (list, tuple)):
            stack.extend(((*loc, i), v) for i, v in enumerate(node))
    return None
