"""Pieces shared by the Argo CD models (private).

- Templating: inside an ApplicationSet template, string values may hold ``{{ ... }}``
  expressions that the ApplicationSet controller fills in. Checks on string *values*
  skip such strings, and checks that only make sense on a complete Application (a
  destination is set, a source is set) are skipped for templates, which generators
  may complete. :func:`in_template` tells a validator which case it is in.
- Small checks shared by several models: JSON pointers, Go durations as Argo CD reads
  them, sync-wave values, finalizers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ..core.fields import Issues
from ..core.model import Resource
from ..core.ordering import check_sync_wave_value
from ..core.resource import SYNC_WAVE
from ..core.schema import semantic_check
from ..core.units import parse_duration

__all__ = [
    "check_argocd_finalizers",
    "check_json_pointer",
    "check_sync_wave_value",
    "in_template",
    "is_templated",
    "parse_argocd_duration",
    "register_metadata_check",
    "skip_check",
    "template_context",
]

_TEMPLATE: ContextVar[bool] = ContextVar("cdk8s_gitops_argocd_template", default=False)


def in_template() -> bool:
    """Whether the model being validated sits inside an ApplicationSet template."""
    return _TEMPLATE.get()


@contextmanager
def template_context() -> Iterator[None]:
    """Validate the models built inside this block as parts of an ApplicationSet template.

    An ``ApplicationSet``, built in Python or loaded with ``from_manifest``, already does this
    for ``spec.template`` and generator templates; use it only when building an
    :class:`~cdk8s_gitops.argocd.ApplicationSpec` for a template on its own.
    """
    token = _TEMPLATE.set(True)
    try:
        yield
    finally:
        _TEMPLATE.reset(token)


def is_templated(value: object) -> bool:
    """Whether ``value`` is a string holding an ApplicationSet template expression (``{{ ... }}``)."""
    return isinstance(value, str) and "{{" in value


def skip_check(value: object, template: bool | None = None) -> bool:
    """True when a value check should not run: the value is a template expression inside a template.

    ``template`` says whether the value sits in an ApplicationSet template; None asks
    :func:`in_template` (a spec validated on its own inside :func:`template_context`).
    """
    return (in_template() if template is None else template) and is_templated(value)


# -- value checks ---------------------------------------------------------------------------
def check_json_pointer(pointer: str) -> str | None:
    """Why ``pointer`` is not an RFC 6901 JSON pointer (``/spec/replicas``), or None."""
    if pointer == "" or pointer.startswith("/"):
        if re.search(r"~(?![01])", pointer):
            return "has a '~' not followed by 0 or 1 (write '~0' for '~' and '~1' for '/')"
        return None
    return "does not start with '/'"


_INT_SECONDS = re.compile(r"^\d+$")


def parse_argocd_duration(text: str) -> float:
    """Seconds in a retry backoff duration: a Go duration (``30s``, ``2m``) or a plain number of seconds (``"5"``)."""
    if isinstance(text, str) and _INT_SECONDS.match(text):
        return float(int(text))
    return parse_duration(text)


# Finalizers the Argo CD controllers act on (the deletion hooks may carry a '/<stage>' suffix).
ARGOCD_FINALIZERS = (
    "resources-finalizer.argocd.argoproj.io",
    "resources-finalizer.argocd.argoproj.io/background",
    "resources-finalizer.argocd.argoproj.io/foreground",
)
_HOOK_FINALIZERS = ("pre-delete-finalizer.argocd.argoproj.io", "post-delete-finalizer.argocd.argoproj.io")


def check_argocd_finalizers(finalizers: list[str] | None, template: bool | None = None) -> tuple[int, str] | None:
    """The index and reason of the first finalizer in the argoproj.io domain that Argo CD does not know."""
    for index, finalizer in enumerate(finalizers or ()):
        if "argoproj.io" not in finalizer or skip_check(finalizer, template):
            continue
        if finalizer in ARGOCD_FINALIZERS:
            continue
        if any(finalizer == hook or finalizer.startswith(hook + "/") for hook in _HOOK_FINALIZERS):
            continue
        return index, (f"{finalizer!r} is not a finalizer Argo CD knows, so nothing would ever remove it; "
                       f"use {ARGOCD_FINALIZERS[0]!r} (cascade delete, foreground) or {ARGOCD_FINALIZERS[1]!r}")
    return None


def metadata_problems(meta: Any, template: bool | None = None) -> list[tuple[tuple[str | int, ...], str, Any]]:
    """Problems with Argo CD annotations and finalizers in metadata: (relative location, message, bad value)."""
    found: list[tuple[tuple[str | int, ...], str, Any]] = []
    annotations = getattr(meta, "annotations", None) or {}
    if SYNC_WAVE in annotations and not skip_check(annotations[SYNC_WAVE], template):
        why = check_sync_wave_value(annotations[SYNC_WAVE])
        if why:
            found.append((("annotations", SYNC_WAVE), why, annotations[SYNC_WAVE]))
    bad = check_argocd_finalizers(getattr(meta, "finalizers", None), template)
    if bad:
        found.append((("finalizers", bad[0]), bad[1], meta.finalizers[bad[0]]))
    return found


def register_metadata_check(*kinds: type[Resource]) -> None:
    """Check the metadata of ``kinds`` as Argo CD does (see :func:`metadata_problems`), as a semantic check."""

    def check(obj: Resource) -> None:
        issues = Issues()
        for loc, message, value in metadata_problems(obj.metadata, False):
            issues.add(("metadata", *loc), message, value)
        issues.raise_any(obj.KIND)

    semantic_check(*kinds)(check)
