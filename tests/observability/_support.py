"""Helpers of the observability tests: errors and warnings of a build, with UserWarnings set aside or caught.

The ../shared locations and schema validation shared with other suites are in ``helpers``."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from helpers import error_message

__all__ = ["error_of", "warnings_of"]


def error_of(build: Callable[[], Any]) -> str:
    """The message of the ManifestError that ``build()`` raises (fails the test if none); UserWarnings ignored."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return error_message(build)


def warnings_of(build: Callable[[], Any]) -> list[str]:
    """The UserWarning messages ``build()`` emits."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        build()
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
