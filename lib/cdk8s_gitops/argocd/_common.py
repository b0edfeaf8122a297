"""Pieces shared by the Argo CD models (private).

- Templating: inside an ApplicationSet template, string values may hold ``{{ ... }}``
  expressions that the ApplicationSet controller fills in. Checks on string *values*
  skip such strings, and checks that only make sense on a complete Application (a
  destination is set, a source is set) are skipped for templates, which generators
  may complete. :func:`in_template` tells a validator which case it is in.
- :class:`LabelSelector`: the Kubernetes label selector used by generators.
- Small checks shared by several models: JSON pointers, Go durations as Argo CD reads
  them, sync-wave values, finalizers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Literal, Self

from pydantic import model_validator

from ..core.errors import format_value
from ..core.fields import Issues
from ..core.model import K8sModel, Resource, check_label_key, check_label_value
from ..core.resource import SYNC_WAVE
from ..core.units import parse_duration

__all__ = [
    "ArgoResource",
    "LabelSelector",
    "LabelSelectorRequirement",
    "check_argocd_finalizers",
    "check_json_pointer",
    "check_sync_wave_value",
    "in_template",
    "is_templated",
    "parse_argocd_duration",
    "template_context",
]

_TEMPLATE: ContextVar[bool] = ContextVar("cdk8s_gitops_argocd_template", default=False)


def in_template() -> bool:
    """Whether the model being validated sits inside an ApplicationSet template."""
    return _TEMPLATE.get()


@contextmanager
def template_context() -> Iterator[None]:
    """Validate the models built inside this block as parts of an ApplicationSet template.

    ``ApplicationSet.build(...)`` and ``from_manifest`` already do this for
    ``spec.template`` and generator templates; use it only when building an
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


def skip_check(value: object) -> bool:
    """True when a value check should not run: the value is a template expression inside a template."""
    return in_template() and is_templated(value)


# -- label selectors ----------------------------------------------------------------------
class LabelSelectorRequirement(K8sModel):
    """One ``matchExpressions`` entry of a label selector.

    Attributes:
        key: ``key``: the label key. Required.
        operator: ``operator``: ``In``, ``NotIn``, ``Exists`` or ``DoesNotExist``. Required.
        values: ``values``: required (non-empty) for ``In``/``NotIn``, absent for ``Exists``/``DoesNotExist``.
            Default: none.
    """

    key: str
    operator: Literal["In", "NotIn", "Exists", "DoesNotExist"]
    values: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.operator in ("In", "NotIn") and not self.values:
            raise ValueError(f"values: operator {self.operator} needs at least one value, got {format_value(self.values)}; "
                             f"list the label values to match, or use Exists")
        if self.operator in ("Exists", "DoesNotExist") and self.values:
            raise ValueError(f"values: operator {self.operator} takes no values, got {format_value(self.values)}; "
                             f"remove values, or use In/NotIn")
        return self


class LabelSelector(K8sModel):
    """A Kubernetes label selector (``matchLabels`` and ``matchExpressions``, ANDed).

    Attributes:
        match_labels: ``matchLabels``: label key/value pairs that must all match. Default: none.
        match_expressions: ``matchExpressions``: see :class:`LabelSelectorRequirement`. Default: none.

    An empty selector (``{}``) selects everything.
    """

    match_labels: dict[str, str] | None = None
    match_expressions: list[LabelSelectorRequirement] | None = None

    @model_validator(mode="after")
    def _check_labels(self) -> Self:
        for key, value in (self.match_labels or {}).items():
            if skip_check(key) or skip_check(value):
                continue
            why = check_label_key(key)
            if why:
                raise ValueError(f"matchLabels: key {key!r} {why}; use a valid label key such as 'env'")
            why = check_label_value(value)
            if why:
                raise ValueError(f"matchLabels: value {value!r} of {key!r} {why}; use a valid label value")
        return self


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


_SYNC_WAVE_VALUE = re.compile(r"^[+-]?\d+$")


def check_sync_wave_value(value: str) -> str | None:
    """Why ``value`` is not a sync-wave annotation value (an integer as a string), or None."""
    if not isinstance(value, str) or not _SYNC_WAVE_VALUE.match(value.strip()):
        return (f"sync wave {format_value(value)} is not an integer; "
                f"write the wave as an integer string such as '-1', '0' or '5' (or use sync_wave_annotation(n))")
    return None


# Finalizers the Argo CD controllers act on (the deletion hooks may carry a '/<stage>' suffix).
ARGOCD_FINALIZERS = (
    "resources-finalizer.argocd.argoproj.io",
    "resources-finalizer.argocd.argoproj.io/background",
    "resources-finalizer.argocd.argoproj.io/foreground",
)
_HOOK_FINALIZERS = ("pre-delete-finalizer.argocd.argoproj.io", "post-delete-finalizer.argocd.argoproj.io")


def check_argocd_finalizers(finalizers: list[str] | None) -> tuple[int, str] | None:
    """The index and reason of the first finalizer in the argoproj.io domain that Argo CD does not know."""
    for index, finalizer in enumerate(finalizers or ()):
        if "argoproj.io" not in finalizer or skip_check(finalizer):
            continue
        if finalizer in ARGOCD_FINALIZERS:
            continue
        if any(finalizer == hook or finalizer.startswith(hook + "/") for hook in _HOOK_FINALIZERS):
            continue
        return index, (f"{finalizer!r} is not a finalizer Argo CD knows, so nothing would ever remove it; "
                       f"use {ARGOCD_FINALIZERS[0]!r} (cascade delete, foreground) or {ARGOCD_FINALIZERS[1]!r}")
    return None


def metadata_problems(meta: Any) -> list[tuple[tuple[str | int, ...], str, Any]]:
    """Problems with Argo CD annotations and finalizers in metadata: (relative location, message, bad value)."""
    found: list[tuple[tuple[str | int, ...], str, Any]] = []
    annotations = getattr(meta, "annotations", None) or {}
    if SYNC_WAVE in annotations and not skip_check(annotations[SYNC_WAVE]):
        why = check_sync_wave_value(annotations[SYNC_WAVE])
        if why:
            found.append((("annotations", SYNC_WAVE), why, annotations[SYNC_WAVE]))
    bad = check_argocd_finalizers(getattr(meta, "finalizers", None))
    if bad:
        found.append((("finalizers", bad[0]), bad[1], meta.finalizers[bad[0]]))
    return found


class ArgoResource(Resource):
    """Base of the Argo CD kinds: their metadata is checked as Argo CD checks it (see :func:`metadata_problems`)."""

    @model_validator(mode="after")
    def _check_metadata(self) -> Self:
        issues = Issues()
        for loc, message, value in metadata_problems(self.metadata):
            issues.add(("metadata", *loc), message, value)
        issues.raise_any(self.KIND)
        return self
