"""How Argo CD syncs: the Application ``syncPolicy``, sync options, sync waves.

- :func:`sync_policy_issues`: Argo CD's checks of ``spec.syncPolicy`` (the generated
  ``ApplicationSpecSyncPolicy``, also exported as ``SyncPolicy``): known sync options,
  retry backoff durations; the Application and ApplicationSet checks call it.
- :data:`APPLICATION_SYNC_OPTIONS` / :data:`RESOURCE_SYNC_OPTIONS`: every sync option
  Argo CD reads, with the values it acts on. Argo CD compares options as exact
  strings (``CreateNamespace=true``), so a misspelt option is silently ignored by the
  controller; here it is an error that names it and lists the known ones.
- :func:`sync_wave_annotation` and :func:`sync_options_annotation`: per-object
  annotations, typed. :func:`check_sync_waves` (from :mod:`cdk8s_gitops.core.ordering`) runs at synth over every
  object.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from ..core.errors import format_value
from ..core.fields import Issues
from ..core.model import Resource
from ..core.ordering import check_sync_waves
from ..core.resource import SYNC_WAVE
from ..core.schema import semantic_check
from ..models.argoproj_io_v1alpha1 import (
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpecSyncPolicy,
    ApplicationSpecSyncPolicy,
    ApplicationSpecSyncPolicyRetryBackoff,
)
from ._common import check_sync_wave_value, in_template, is_templated, parse_argocd_duration

__all__ = [
    "APPLICATION_SYNC_OPTIONS",
    "RESOURCE_SYNC_OPTIONS",
    "SYNC_OPTIONS_ANNOTATION",
    "SyncPolicy",
    "TemplateSyncPolicy",
    "check_sync_option",
    "check_sync_waves",
    "has_option",
    "sync_options_annotation",
    "sync_policy_issues",
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


def sync_wave_of(obj: Resource | Mapping[str, Any]) -> int:
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


# -- syncPolicy --------------------------------------------------------------------------------
#: ``spec.syncPolicy`` of an Application (the generated class).
SyncPolicy = ApplicationSpecSyncPolicy
TemplateSyncPolicy = ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpecSyncPolicy


def has_option(policy: SyncPolicy | TemplateSyncPolicy | None, option: str) -> bool:
    """Whether ``option`` (``CreateNamespace=true``) is among the sync options of ``policy``."""
    return policy is not None and option in (policy.sync_options or ())


def _backoff_issues(issues: Issues, backoff: ApplicationSpecSyncPolicyRetryBackoff, template: bool) -> None:
    loc = ("retry", "backoff")
    seconds: dict[str, float] = {}
    for key, value in (("duration", backoff.duration), ("maxDuration", backoff.max_duration)):
        if value is None or (template and is_templated(value)):
            continue
        try:
            seconds[key] = parse_argocd_duration(value)
        except ValueError as exc:
            issues.add((*loc, key), str(exc), value)
    if "duration" in seconds and "maxDuration" in seconds and seconds["maxDuration"] < seconds["duration"]:
        issues.add((*loc, "maxDuration"), f"{backoff.max_duration!r} is shorter than duration {backoff.duration!r}; "
                                          f"use a maxDuration at least as long as duration", backoff.max_duration)
    if backoff.factor is not None and backoff.factor < 1:
        issues.add((*loc, "factor"), f"{backoff.factor} is below 1, so waits would shrink; use a factor of 1 or more (default 2)",
                   backoff.factor)


@semantic_check(SyncPolicy)
def _check_sync_policy(policy: SyncPolicy) -> None:
    # A spec validated on its own inside template_context() is a template's spec.
    sync_policy_issues(policy, in_template()).raise_any("SyncPolicy")


@semantic_check(TemplateSyncPolicy)
def _check_template_sync_policy(policy: TemplateSyncPolicy) -> None:
    sync_policy_issues(policy, True).raise_any("SyncPolicy")


def sync_policy_issues(policy: SyncPolicy | TemplateSyncPolicy, template: bool) -> Issues:
    """Argo CD's checks of an Application's ``syncPolicy`` (locations relative to it).

    Sync options must be options Argo CD knows, with values it acts on, and not contradict
    each other; the retry backoff must use Go durations with ``maxDuration`` at least
    ``duration`` and a factor of 1 or more. ``template``: the policy sits in an
    ApplicationSet template, where ``{{ ... }}`` values are not checked. A
    ``managedNamespaceMetadata`` without ``CreateNamespace=true`` gives a warning. The checks
    run as semantic checks of the generated sync policy classes.
    """
    issues = Issues()
    seen: dict[str, tuple[int, str]] = {}
    for i, option in enumerate(policy.sync_options or ()):
        if template and is_templated(option):
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
    if policy.retry is not None and policy.retry.backoff is not None:
        _backoff_issues(issues, policy.retry.backoff, template)
    if not issues and policy.managed_namespace_metadata is not None and seen.get("CreateNamespace", (0, ""))[1] != "true" \
            and not (template and any(is_templated(o) for o in policy.sync_options or ())):
        warnings.warn(
            "syncPolicy.managedNamespaceMetadata has no effect without the CreateNamespace=true sync option; "
            "add CreateNamespace=true to syncPolicy.syncOptions or remove managedNamespaceMetadata",
            UserWarning, stacklevel=4,
        )
    return issues
