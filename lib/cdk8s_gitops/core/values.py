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


def non_finite(doc: Any) -> tuple[tuple[int | str, ...], float] | None:
    """The location and value of the first infinite or NaN number in ``doc``, or None."""
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
