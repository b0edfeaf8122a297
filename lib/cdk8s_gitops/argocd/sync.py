"""How Argo CD syncs: the Application ``syncPolicy``, sync options, sync waves.

- :class:`SyncPolicy` (``spec.syncPolicy`` of an Application): automated sync, sync
  options, retry with backoff, metadata of a namespace Argo CD creates.
- :data:`APPLICATION_SYNC_OPTIONS` / :data:`RESOURCE_SYNC_OPTIONS`: every sync option
  Argo CD reads, with the values it acts on. Argo CD compares options as exact
  strings (``CreateNamespace=true``), so a misspelt option is silently ignored by the
  controller; here it is an error that names it and lists the known ones.
- :func:`sync_wave_annotation` and :func:`sync_options_annotation`: per-object
  annotations, typed. :func:`check_sync_waves` runs at synth over every object.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Self

from pydantic import model_validator

from ..core.errors import Problem, format_value
from ..core.fields import Issues
from ..core.model import K8sModel
from ..core.resource import SYNC_WAVE
from ..core.validation import ObjectIndex, add_global_check
from ._common import check_sync_wave_value, in_template, is_templated, parse_argocd_duration

__all__ = [
    "APPLICATION_SYNC_OPTIONS",
    "RESOURCE_SYNC_OPTIONS",
    "SYNC_OPTIONS_ANNOTATION",
    "ManagedNamespaceMetadata",
    "RetryBackoff",
    "RetryStrategy",
    "SyncPolicy",
    "SyncPolicyAutomated",
    "check_sync_option",
    "check_sync_waves",
    "sync_options_annotation",
    "sync_wave_annotation",
    "sync_wave_of",
]

SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options"

_BOOL = ("true", "false")

APPLICATION_SYNC_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "Validate": _BOOL,
    "CreateNamespace": _BOOL,
    "PrunePropagationPolicy": ("foreground", "background", "orphan"),
    "PruneLast": _BOOL,
    "ApplyOutOfSyncOnly": _BOOL,
    "Replace": _BOOL,
    "ServerSideApply": _BOOL,
    "RespectIgnoreDifferences": _BOOL,
    "FailOnSharedResource": _BOOL,
    "SkipDryRunOnMissingResource": _BOOL,
    "ClientSideApplyMigration": _BOOL,
    "Prune": ("false", "confirm"),
    "Delete": ("false", "confirm"),
}
"""Sync options Argo CD reads from ``spec.syncPolicy.syncOptions``: option name -> values it acts on."""

RESOURCE_SYNC_OPTIONS: Mapping[str, tuple[str, ...]] = {
    **{k: v for k, v in APPLICATION_SYNC_OPTIONS.items()
       if k not in ("CreateNamespace", "PrunePropagationPolicy", "FailOnSharedResource")},
    "Force": _BOOL,
}
"""Sync options Argo CD reads from a resource's ``argocd.argoproj.io/sync-options`` annotation."""


def _known_list(known: Mapping[str, tuple[str, ...]]) -> str:
    return ", ".join(f"{name}={'|'.join(values)}" for name, values in known.items())


def check_sync_option(option: str, known: Mapping[str, tuple[str, ...]] = APPLICATION_SYNC_OPTIONS) -> str | None:
    """Why ``option`` is not a sync option Argo CD acts on (``"<what>; <fix>"``), or None."""
    name, sep, value = option.partition("=")
    if name in known and sep:
        if value in known[name]:
            return None
        return (f"{option!r} has a value Argo CD does not read for {name}; "
                f"use {' or '.join(f'{name}={v}' for v in known[name])}")
    if known is APPLICATION_SYNC_OPTIONS and name == "Force":
        return (f"{option!r} is honoured only as a resource annotation ({SYNC_OPTIONS_ANNOTATION}), not in "
                f"spec.syncPolicy.syncOptions; remove it here and annotate the resources that need it")
    hint = ""
    for known_name, values in known.items():
        if known_name.lower() == name.strip().lower():
            hint = f" (did you mean '{known_name}={values[0]}'?)"
            break
    return (f"{option!r} is not a sync option Argo CD knows{hint}; "
            f"use NAME=VALUE with one of: {_known_list(known)}")


def sync_options_annotation(*options: str) -> dict[str, str]:
    """The ``argocd.argoproj.io/sync-options`` annotation for a resource, each option checked.

    ``sync_options_annotation("Prune=false", "ServerSideApply=true")`` ->
    ``{"argocd.argoproj.io/sync-options": "Prune=false,ServerSideApply=true"}``.
    """
    if not options:
        raise ValueError("sync_options_annotation: no option given; pass at least one option such as 'Prune=false'")
    for option in options:
        why = check_sync_option(option, RESOURCE_SYNC_OPTIONS)
        if why:
            raise ValueError(f"{SYNC_OPTIONS_ANNOTATION}: {why}")
    return {SYNC_OPTIONS_ANNOTATION: ",".join(options)}


def sync_wave_annotation(wave: int) -> dict[str, str]:
    """The ``argocd.argoproj.io/sync-wave`` annotation for ``wave`` (an integer; lower waves sync first).

    ``sync_wave_annotation(-1)`` -> ``{"argocd.argoproj.io/sync-wave": "-1"}``.
    """
    if isinstance(wave, bool) or not isinstance(wave, int):
        raise ValueError(f"{SYNC_WAVE}: sync wave must be an integer, got {format_value(wave)}; "
                         f"use an integer such as -1, 0 or 5")
    return {SYNC_WAVE: str(wave)}


def sync_wave_of(obj: Any) -> int:
    """The sync wave of a typed model or a manifest: its ``argocd.argoproj.io/sync-wave`` annotation, else 0.

    Raises ``ValueError`` when the annotation is not an integer.
    """
    if isinstance(obj, Mapping):
        annotations = (obj.get("metadata") or {}).get("annotations") or {}
    else:
        annotations = getattr(getattr(obj, "metadata", None), "annotations", None) or {}
    value = annotations.get(SYNC_WAVE)
    if value is None:
        return 0
    why = check_sync_wave_value(value)
    if why:
        raise ValueError(f"metadata.annotations.{SYNC_WAVE}: {why}")
    return int(value.strip())


@add_global_check
def check_sync_waves(index: ObjectIndex) -> Iterable[Problem]:
    """Every synthesized object's ``argocd.argoproj.io/sync-wave`` annotation holds an integer."""
    for obj in index:
        annotations = (obj.manifest.get("metadata") or {}).get("annotations") or {}
        if SYNC_WAVE not in annotations:
            continue
        why = check_sync_wave_value(annotations[SYNC_WAVE])
        if why:
            message, _, fix = why.partition("; ")
            yield Problem(subject=f"{obj.kind} {obj.name!r}", path=f"metadata.annotations.{SYNC_WAVE}",
                          message=message, fix=fix, where=obj.where())


# -- syncPolicy --------------------------------------------------------------------------------
class SyncPolicyAutomated(K8sModel):
    """``syncPolicy.automated``: sync automatically when the desired state changes.

    Attributes:
        prune: ``prune``: delete resources that are no longer in the source. Default: false.
        self_heal: ``selfHeal``: sync again when the live state drifts from the source. Default: false.
        allow_empty: ``allowEmpty``: allow a sync that would leave the app with no resources. Default: false.
        enabled: ``enabled``: turn automated sync off while keeping its settings. Default: true.
    """

    prune: bool | None = None
    self_heal: bool | None = None
    allow_empty: bool | None = None
    enabled: bool | None = None


class RetryBackoff(K8sModel):
    """``syncPolicy.retry.backoff``: wait between failed sync attempts.

    Attributes:
        duration: ``duration``: first wait, a Go duration (``5s``, ``2m``) or a number of seconds as a string.
            Default: ``5s``.
        factor: ``factor``: multiplier applied to the wait after each failure (>= 1). Default: 2.
        max_duration: ``maxDuration``: longest wait. Default: ``3m``.
    """

    duration: str | None = None
    factor: int | None = None
    max_duration: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        seconds: dict[str, float] = {}
        for key, value in (("duration", self.duration), ("maxDuration", self.max_duration)):
            if value is None or (in_template() and is_templated(value)):
                continue
            try:
                seconds[key] = parse_argocd_duration(value)
            except ValueError as exc:
                issues.add((key,), str(exc), value)
        if "duration" in seconds and "maxDuration" in seconds and seconds["maxDuration"] < seconds["duration"]:
            issues.add(("maxDuration",), f"{self.max_duration!r} is shorter than duration {self.duration!r}; "
                                         f"use a maxDuration at least as long as duration", self.max_duration)
        if self.factor is not None and self.factor < 1:
            issues.add(("factor",), f"{self.factor} is below 1, so waits would shrink; use a factor of 1 or more (default 2)",
                       self.factor)
        issues.raise_any("RetryBackoff")
        return self


class RetryStrategy(K8sModel):
    """``syncPolicy.retry``: retry failed syncs.

    Attributes:
        limit: ``limit``: number of retries; a negative number retries without end. Default: 5 when
            automated sync is on, otherwise no retries.
        backoff: ``backoff``: see :class:`RetryBackoff`. Default: 5s, factor 2, at most 3m.
        refresh: ``refresh``: retry with the newest revision when the source changes. Default: false.
    """

    limit: int | None = None
    backoff: RetryBackoff | None = None
    refresh: bool | None = None


class ManagedNamespaceMetadata(K8sModel):
    """``syncPolicy.managedNamespaceMetadata``: labels and annotations of the namespace Argo CD creates.

    Only applied with the ``CreateNamespace=true`` sync option.

    Attributes:
        labels: ``labels``. Default: none.
        annotations: ``annotations``. Default: none.
    """

    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class SyncPolicy(K8sModel):
    """``spec.syncPolicy`` of an Application.

    Attributes:
        automated: ``automated``: see :class:`SyncPolicyAutomated`. Default: none (manual sync).
        sync_options: ``syncOptions``: options from :data:`APPLICATION_SYNC_OPTIONS`, written ``Name=value``.
            Default: none.
        retry: ``retry``: see :class:`RetryStrategy`. Default: none.
        managed_namespace_metadata: ``managedNamespaceMetadata``: see :class:`ManagedNamespaceMetadata`.
            Default: none.
    """

    automated: SyncPolicyAutomated | None = None
    sync_options: list[str] | None = None
    retry: RetryStrategy | None = None
    managed_namespace_metadata: ManagedNamespaceMetadata | None = None

    @model_validator(mode="after")
    def _check_options(self) -> Self:
        issues = Issues()
        seen: dict[str, tuple[int, str]] = {}
        for i, option in enumerate(self.sync_options or ()):
            if in_template() and is_templated(option):
                continue
            why = check_sync_option(option)
            if why:
                issues.add(("syncOptions", i), why, option)
                continue
            name, _, value = option.partition("=")
            if name in seen and seen[name][1] != value:
                first = seen[name][0]
                issues.add(("syncOptions", i), f"{option!r} contradicts syncOptions[{first}] {name}={seen[name][1]!r}; "
                                               f"keep one value for {name}", option)
            seen.setdefault(name, (i, value))
        issues.raise_any("SyncPolicy")
        if self.managed_namespace_metadata is not None and seen.get("CreateNamespace", (0, ""))[1] != "true" and not (
            in_template() and any(is_templated(o) for o in self.sync_options or ())
        ):
            warnings.warn(
                "syncPolicy.managedNamespaceMetadata has no effect without the CreateNamespace=true sync option; "
                "add CreateNamespace=true to syncPolicy.syncOptions or remove managedNamespaceMetadata",
                UserWarning, stacklevel=2,
            )
        return self

    def has_option(self, option: str) -> bool:
        """Whether ``option`` (``CreateNamespace=true``) is among the sync options."""
        return option in (self.sync_options or ())
