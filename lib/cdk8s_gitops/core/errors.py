"""Errors a person can act on.

Every error names *what* (the object or file), *where* (the field path), the bad
value, and *the fix*. The CLI prints them without a traceback and exits non-zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ConfigError",
    "GitOpsError",
    "ManifestError",
    "Problem",
    "SynthError",
    "format_value",
]


def format_value(value: Any, limit: int = 80) -> str:
    """Render a bad value for a message: short, quoted when it is a string.

    The value is rendered only as far as ``limit`` needs: a huge string, a list of millions
    of items or a structure expanded from YAML aliases costs no more than a short one.
    Values that fit are rendered exactly as ``repr`` renders them.
    """
    parts: list[str] = []
    _bounded_repr(value, parts, [limit + 1], 0)
    text = "".join(parts)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def _bounded_repr(value: Any, out: list[str], budget: list[int], depth: int) -> None:
    """Append the repr of ``value`` to ``out`` until ``budget[0]`` characters are spent."""
    if budget[0] <= 0:
        return
    if isinstance(value, (str, bytes)):
        text = repr(value[: budget[0] + 1]) if len(value) > budget[0] else repr(value)
    elif isinstance(value, (dict, list, tuple, set, frozenset)) and depth < 20:
        items: Iterable[Any]
        if isinstance(value, dict):
            opening, closing, items = "{", "}", value.items()
        elif isinstance(value, list):
            opening, closing, items = "[", "]", value
        elif isinstance(value, tuple):
            opening, closing, items = "(", ",)" if len(value) == 1 else ")", value
        else:
            name = type(value).__name__
            opening, closing = ("{", "}") if name == "set" and value else (f"{name}({{", "})") if value else (f"{name}(", ")")
            items = value
        _emit(opening, out, budget)
        for i, item in enumerate(items):
            if budget[0] <= 0:
                return
            if i:
                _emit(", ", out, budget)
            if isinstance(value, dict):
                _bounded_repr(item[0], out, budget, depth + 1)
                _emit(": ", out, budget)
                _bounded_repr(item[1], out, budget, depth + 1)
            else:
                _bounded_repr(item, out, budget, depth + 1)
        _emit(closing, out, budget)
        return
    elif isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        text = f"<an integer of {value.bit_length()} bits>"
    elif isinstance(value, (dict, list, tuple, set, frozenset)):
        text = "[...]" if isinstance(value, list) else "{...}"
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
            text = f"<{type(value).__name__}>"
    _emit(text, out, budget)


def _emit(text: str, out: list[str], budget: list[int]) -> None:
    out.append(text[: max(budget[0], 0)])
    budget[0] -= len(text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located precisely.

    ``subject`` is what is wrong (``Rollout 'checkout'`` or ``environments/dev.yaml``),
    ``path`` the dotted field path inside it (``spec.strategy.canary.steps[2].setWeight``),
    ``message`` what is wrong with the value, ``fix`` what to do about it.
    ``where`` optionally adds a construct path or source file.
    """

    subject: str
    path: str
    message: str
    fix: str = ""
    where: str = ""

    def __str__(self) -> str:
        subject = f"{self.subject} ({self.where})" if self.where else self.subject
        text = f"{subject}: {self.path}: {self.message}" if self.path else f"{subject}: {self.message}"
        if self.fix:
            text = f"{text}; {self.fix}"
        return text


class GitOpsError(Exception):
    """Base of every error this library raises on purpose for a user mistake."""


class _ProblemsError(GitOpsError):
    """An error that carries one or more :class:`Problem` records."""

    def __init__(self, problems: Problem | Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(subject="", path="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        lines = [str(p).lstrip(": ") for p in self.problems]
        if len(lines) == 1:
            return lines[0]
        return f"{len(lines)} problems:\n" + "\n".join(f"  - {line}" for line in lines)


class ManifestError(_ProblemsError, ValueError):
    """A manifest or typed model is invalid.

    The message names the kind and object name, the field path, the bad value and
    the fix, for example::

        Rollout 'checkout': spec.strategy.canary.steps[2].setWeight: 130 is above
        maxTrafficWeight 100; use a weight between 0 and 100
    """


class ConfigError(_ProblemsError, ValueError):
    """An environment file or project configuration is invalid (names the file and key path)."""


@dataclass
class SynthError(GitOpsError):
    """Synth found problems across the construct tree; all of them are listed, each with its path."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.__str__())

    def __str__(self) -> str:
        head = f"synth refused: {len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        return head + "".join(f"\n  - {p}" for p in self.problems)

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> SynthError:
        """Build one error from many problems."""
        return cls(list(problems))
