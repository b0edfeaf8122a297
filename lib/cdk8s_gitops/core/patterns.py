"""Regular expressions written by users (an environment's ``image_policy.tag_pattern``).

They run on RE2 (the ``google-re2`` package), whose matching time grows linearly with the
input whatever the pattern: a pattern such as ``(a+)+$`` that makes Python's backtracking
``re`` run for hours is matched in microseconds. RE2 has no backreferences and no
lookaround; a pattern using them is refused when the environment file is loaded, with the fix.
Patterns are also limited to :data:`MAX_PATTERN_LENGTH` characters.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re2  # type: ignore[import-untyped]

__all__ = ["MAX_PATTERN_LENGTH", "check_user_pattern", "user_pattern"]

#: Longest user-supplied pattern accepted.
MAX_PATTERN_LENGTH = 512


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would otherwise print parse errors to stderr itself
    options.max_mem = 8 << 20
    return options


@lru_cache(maxsize=256)
def user_pattern(pattern: str) -> Any:
    """``pattern`` compiled with RE2 (linear-time matching); ``ValueError`` with the fix when it cannot be."""
    why = check_user_pattern(pattern)
    if why:
        raise ValueError(why)
    return re2.compile(pattern, _options())


def check_user_pattern(pattern: str) -> str | None:
    """Why ``pattern`` is refused (with the fix), or None when RE2 accepts it."""
    shown = pattern if len(pattern) <= 60 else pattern[:57] + "..."
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"{shown!r} is {len(pattern)} characters long, above the limit of {MAX_PATTERN_LENGTH}; write a shorter pattern"
    try:
        re2.compile(pattern, _options())
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return (f"{shown!r} is not a valid regular expression for RE2 ({detail}); "
                "fix the pattern (backreferences and lookaround are not supported: patterns run in linear time)")
    return None
