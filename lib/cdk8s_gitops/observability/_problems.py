"""Collecting several problems inside one model validator (private).

A model validator that finds more than one mistake records each at its location
*relative to the model* (``("service", "pipelines", "traces", "receivers", 0)``) and
raises them together as one pydantic ``ValidationError``. Pydantic puts the location of
the model in front, so a problem found in a collector config nested at
``spec.config`` is reported at ``spec.config.service.pipelines.traces.receivers[0]``.

Messages follow the project style ``"<what is wrong>; <the fix>"``.
"""

from __future__ import annotations

import warnings
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["Issues", "loc_path", "warn"]


def loc_path(loc: tuple[str | int, ...]) -> str:
    """``("a", "b", 0, "c")`` -> ``a.b[0].c`` (upstream camelCase keys as given)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Issues:
    """Problems found by one validator, each at a location relative to the validated model."""

    def __init__(self) -> None:
        self._items: list[InitErrorDetails] = []

    def add(self, loc: tuple[str | int, ...], message: str, value: Any = None) -> None:
        """Record ``message`` (``"<what is wrong>; <fix>"``) for the field at ``loc``."""
        self._items.append(
            InitErrorDetails(type=PydanticCustomError("value_error", "{message}", {"message": message}), loc=loc, input=value)
        )

    def __bool__(self) -> bool:
        return bool(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def raise_any(self, title: str) -> None:
        """Raise one ``ValidationError`` carrying every recorded problem (nothing if there is none)."""
        if self._items:
            raise ValidationError.from_exception_data(title, self._items)


def warn(subject: str, path: str, message: str) -> None:
    """``warnings.warn`` in the project's message style: ``subject: path: message; fix``."""
    text = f"{subject}: {path}: {message}" if path else f"{subject}: {message}"
    warnings.warn(text, UserWarning, stacklevel=3)
