"""Argo CD ``AppProject`` (``argoproj.io/v1alpha1``): what a group of Applications may do.

A project limits where its Applications come from (``sourceRepos``), where they deploy
(``destinations``), which kinds they may create (cluster and namespace resource allow
and deny lists), who may act on them (``roles`` with Casbin policies and SSO groups)
and when they may sync (``syncWindows``). The checks follow the ones Argo CD runs
when a project is created through its API, so a project refused there is refused here.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`); the
checks are semantic checks on them: destinations name a server or a cluster (globs allowed)
and are not repeated, role names, groups and policies are valid (a policy's subject and
object name this project), sync windows have a kind, a cron schedule, a duration and
something to match, signature keys are GnuPG key ids, Argo CD annotations and finalizers
in the metadata are valid.
"""

from __future__ import annotations

import re

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models.argoproj_io_v1alpha1 import (
    AppProject,
    AppProjectSpec,
    AppProjectSpecClusterResourceBlacklist,
    AppProjectSpecNamespaceResourceBlacklist,
    AppProjectSpecRoles,
    AppProjectSpecSignatureKeys,
    AppProjectSpecSyncWindows,
)
from ._common import metadata_problems

__all__ = [
    "POLICY_ACTIONS",
    "POLICY_RESOURCES",
    "AppProject",
    "AppProjectSpec",
    "ClusterResourceRestrictionItem",
    "GroupKind",
    "ProjectRole",
    "check_cron_schedule",
    "project_policy",
]

#: A role of the project (``spec.roles[]``): name, description, SSO groups and Casbin policies.
ProjectRole = AppProjectSpecRoles
#: A cluster-scoped kind (``group``, ``kind``, optionally one ``name``) in ``spec.clusterResourceWhitelist``
#: or ``spec.clusterResourceBlacklist``.
ClusterResourceRestrictionItem = AppProjectSpecClusterResourceBlacklist
#: A namespaced kind (``group``, ``kind``; the core group is ``""``) in ``spec.namespaceResourceWhitelist``
#: or ``spec.namespaceResourceBlacklist``.
GroupKind = AppProjectSpecNamespaceResourceBlacklist

POLICY_RESOURCES = ("applications", "applicationsets", "clusters", "repositories", "logs", "exec")
"""Resources a project role's policy may name."""

POLICY_ACTIONS = ("get", "create", "update", "delete", "sync", "override", "invoke", "*")
"""Actions a project role's policy may name (plus ``action/<group>/<kind>/<name>`` resource actions)."""


def project_policy(project: str, role: str, action: str, object_: str = "*", *,
                   resource: str = "applications", effect: str = "allow") -> str:
    """A role policy line: ``p, proj:<project>:<role>, <resource>, <action>, <project>/<object>, <effect>``."""
    return f"p, proj:{project}:{role}, {resource}, {action}, {project}/{object_}, {effect}"


# -- cron -------------------------------------------------------------------------------------
_CRON_FIELDS = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    ("day of week", 0, 6, ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")),
)


def _cron_value(text: str, low: int, names: tuple[str, ...] | None) -> int | None:
    if text.isdigit():
        return int(text)
    if names and text.upper() in names:
        return names.index(text.upper()) + (low if low == 1 else 0)
    return None


def check_cron_schedule(schedule: str) -> str | None:
    """Why ``schedule`` is not a five-field cron schedule as sync windows read it, or None."""
    fields = schedule.split()
    if len(fields) != 5:
        return f"has {len(fields)} fields, a sync window schedule has 5 (minute hour day-of-month month day-of-week)"
    for text, (what, low, high, names) in zip(fields, _CRON_FIELDS, strict=True):
        for part in text.split(","):
            base, _, step = part.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return f"{what} field {text!r} has an invalid step {step!r}"
            if base in ("*", "?"):
                continue
            start, dash, end = base.partition("-")
            bounds = [_cron_value(start, low, names)] + ([_cron_value(end, low, names)] if dash else [])
            if any(b is None for b in bounds):
                return f"{what} field {text!r} is not a number, range or list"
            if any(not low <= b <= high for b in bounds if b is not None):
                return f"{what} field {text!r} is outside {low}-{high}"
            if dash and bounds[0] > bounds[1]:  # type: ignore[operator]
                return f"{what} field {text!r} has a range that ends before it starts"
    return None


# -- checks -----------------------------------------------------------------------------------
_ROLE_NAME = re.compile(r"^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$")


@semantic_check(AppProjectSpecSyncWindows)
def _check_sync_window(window: AppProjectSpecSyncWindows) -> None:
    issues = _kind_issues(window)
    if window.kind is None:
        issues.add(("kind",), "is not set; use kind: allow or kind: deny", None)
    if not window.schedule:
        issues.add(("schedule",), "is not set; give a five-field cron schedule such as '0 22 * * *'", window.schedule)
    else:
        why = check_cron_schedule(window.schedule)
        if why:
            issues.add(("schedule",), f"{window.schedule!r} {why}; use a five-field cron schedule such as '0 22 * * *'",
                       window.schedule)
    if not window.duration:
        issues.add(("duration",), "is not set; give how long the window lasts, such as '1h'", window.duration)
    else:
        try:
            parse_duration(window.duration)
        except ValueError as exc:
            issues.add(("duration",), str(exc), window.duration)
    if not window.applications and not window.namespaces and not window.clusters:
        issues.add(("applications",), "the window matches nothing: none of applications, namespaces or clusters is set; "
                                      "list the Applications (globs such as '*'), namespaces or clusters it covers", None)
    issues.raise_any("SyncWindow")


def _kind_issues(window: AppProjectSpecSyncWindows) -> Issues:
    issues = Issues()
    if window.kind is not None and window.kind not in ("allow", "deny"):
        issues.add(("kind",), f"Input should be 'allow' or 'deny', got {window.kind!r}; use one of 'allow' or 'deny'", window.kind)
    return issues


@semantic_check(AppProjectSpecSignatureKeys)
def _check_signature_key(key: AppProjectSpecSignatureKeys) -> None:
    if not re.match(r"^(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$", key.key_id):
        raise ValueError(f"keyID: {key.key_id!r} is not a GnuPG key id; use the 16 hexadecimal digits of the key id "
                         f"(such as '4AEE18F83AFDEB23')")


@semantic_check(AppProjectSpec)
def _check_spec(spec: AppProjectSpec) -> None:
    issues = Issues()
    seen: dict[str, int] = {}
    for i, dest in enumerate(spec.destinations or ()):
        if not dest.server and not dest.name:
            issues.add(("destinations", i, "server"), "neither server nor name is set; set server (API URL or '*') or "
                                                      "name (cluster name or '*')", None)
        key = f"{dest.server or ''}|{dest.name or ''}|{dest.namespace or ''}"
        if key in seen:
            issues.add(("destinations", i), f"repeats destinations[{seen[key]}] (server {dest.server!r}, name "
                                            f"{dest.name!r}, namespace {dest.namespace!r}); remove the duplicate", key)
        seen.setdefault(key, i)
    _duplicates(issues, "sourceRepos", spec.source_repos, "source repository")
    roles: dict[str, int] = {}
    for i, role in enumerate(spec.roles or ()):
        if role.name in roles:
            issues.add(("roles", i, "name"), f"{role.name!r} is already the name of roles[{roles[role.name]}]; "
                                             f"give each role a unique name", role.name)
        roles.setdefault(role.name, i)
        if not _ROLE_NAME.match(role.name):
            issues.add(("roles", i, "name"), f"{role.name!r} is not a valid role name; use letters, digits, '-' and "
                                             f"'_', starting and ending with a letter or digit", role.name)
        _duplicates(issues, ("roles", i, "policies"), role.policies, "policy")
        _duplicates(issues, ("roles", i, "groups"), role.groups, "group")
        for j, group in enumerate(role.groups or ()):
            why = _check_group(group)
            if why:
                issues.add(("roles", i, "groups", j), why, group)
    windows: dict[tuple[str, str, str], int] = {}
    for i, window in enumerate(spec.sync_windows or ()):
        key3 = (window.kind or "", window.schedule or "", window.duration or "")
        if key3 in windows:
            issues.add(("syncWindows", i), f"repeats syncWindows[{windows[key3]}] (kind {window.kind!r}, schedule "
                                           f"{window.schedule!r}, duration {window.duration!r}); merge the two windows",
                       None)
        windows.setdefault(key3, i)
    issues.raise_any("AppProjectSpec")


def _duplicates(issues: Issues, where: str | tuple[str | int, ...], values: list[str] | None, what: str) -> None:
    prefix = (where,) if isinstance(where, str) else where
    seen: dict[str, int] = {}
    for i, value in enumerate(values or ()):
        if value in seen:
            issues.add((*prefix, i), f"{what} {value!r} is listed twice (also at index {seen[value]}); remove the duplicate",
                       value)
        seen.setdefault(value, i)


def _check_group(group: str) -> str | None:
    name = group.strip()
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        name = name[1:-1]
    elif "," in name:
        return f"group {group!r} contains ',' and is not quoted; wrap the group name in double quotes"
    if not name:
        return f"group {group!r} is empty; give the SSO group name"
    if re.search(r"[\"\n\r\t]", name):
        return f"group {group!r} contains a quote, tab or line break; remove it"
    return None


def _check_policy(policy: str, project: str, role: str) -> str | None:
    parts = [p.strip() for p in policy.split(",")]
    form = "write it as 'p, proj:<project>:<role>, <resource>, <action>, <project>/<object>, allow|deny'"
    if len(parts) != 6 or parts[0] != "p":
        return f"{policy!r} does not have the 6 comma-separated parts of a policy; {form}"
    _, subject, resource, action, obj, effect = parts
    expected = f"proj:{project}:{role}"
    if subject != expected:
        return f"{policy!r} has subject {subject!r}, but this role's subject is {expected!r}; use {expected!r}"
    if resource not in POLICY_RESOURCES:
        return f"{policy!r} names resource {resource!r}; a project policy may name {', '.join(POLICY_RESOURCES)}"
    if action not in POLICY_ACTIONS and not action.startswith("action/"):
        return f"{policy!r} names action {action!r}; use one of {', '.join(POLICY_ACTIONS)} or action/<group>/<kind>/<name>"
    if not re.match(rf"^{re.escape(project)}/[*\w\-./]+$", obj):
        return f"{policy!r} names object {obj!r}; use '{project}/*' or '{project}/<application>'"
    if effect not in ("allow", "deny"):
        return f"{policy!r} has effect {effect!r}; use allow or deny"
    return None


@semantic_check(AppProject)
def _check_project(project: AppProject) -> None:
    issues = Issues()
    for loc, message, value in metadata_problems(project.metadata, False):
        issues.add(("metadata", *loc), message, value)
    name = project.metadata.name
    if name:
        for i, role in enumerate(project.spec.roles or ()):
            for j, policy in enumerate(role.policies or ()):
                why = _check_policy(policy, name, role.name)
                if why:
                    issues.add(("spec", "roles", i, "policies", j), why, policy)
    issues.raise_any("AppProject")
