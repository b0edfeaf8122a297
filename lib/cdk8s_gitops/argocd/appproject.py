"""Argo CD ``AppProject`` (``argoproj.io/v1alpha1``): what a group of Applications may do.

A project limits where its Applications come from (``sourceRepos``), where they deploy
(``destinations``), which kinds they may create (cluster and namespace resource allow
and deny lists), who may act on them (``roles`` with Casbin policies and SSO groups)
and when they may sync (``syncWindows``). The checks follow the ones Argo CD runs
when a project is created through its API, so a project refused there is refused here.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ..core.units import parse_duration
from ._common import metadata_problems

__all__ = [
    "POLICY_ACTIONS",
    "POLICY_RESOURCES",
    "AppProject",
    "AppProjectSpec",
    "ClusterResourceRef",
    "DestinationServiceAccount",
    "GroupKind",
    "JWTToken",
    "OrphanedResourceKey",
    "OrphanedResourcesMonitorSettings",
    "ProjectDestination",
    "ProjectRole",
    "SignatureKey",
    "SyncWindow",
    "check_cron_schedule",
    "project_policy",
]

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
            if dash and bounds[0] > bounds[1]:  # type: ignore[operator]  # no None left: checked above
                return f"{what} field {text!r} has a range that ends before it starts"
    return None


# -- nested structures ------------------------------------------------------------------------
class ProjectDestination(K8sModel):
    """One ``spec.destinations`` entry: a cluster and namespace the project's Applications may deploy to.

    Attributes:
        server: ``server``: API server URL, glob allowed (``*``). Default: none.
        name: ``name``: cluster name, glob allowed. Default: none.
        namespace: ``namespace``: namespace, glob allowed (``team-*``; ``!kube-system`` to deny). Default: none.

    At least one of server and name.
    """

    server: str | None = None
    name: str | None = None
    namespace: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.server and not self.name:
            raise ValueError("server: neither server nor name is set; set server (API URL or '*') or name (cluster name or '*')")
        return self


class ClusterResourceRef(K8sModel):
    """A cluster-scoped kind in ``clusterResourceWhitelist`` / ``clusterResourceBlacklist``.

    Attributes:
        group: ``group``: API group (``''`` for the core group, ``*`` for all). Required.
        kind: ``kind``: kind (``*`` for all). Required.
        name: ``name``: object name glob. Default: any.
    """

    group: str
    kind: str
    name: str | None = None


class GroupKind(K8sModel):
    """A namespaced kind in ``namespaceResourceWhitelist`` / ``namespaceResourceBlacklist``.

    Attributes:
        group: ``group``: API group (``''`` for the core group, ``*`` for all). Required.
        kind: ``kind``: kind (``*`` for all). Required.
    """

    group: str
    kind: str


class JWTToken(K8sModel):
    """A JWT token issued for a project role (``roles[].jwtTokens``).

    Attributes:
        iat: ``iat``: issued at, Unix seconds. Required.
        exp: ``exp``: expiry, Unix seconds. Default: none (no expiry).
        id: ``id``: token id. Default: none.
    """

    iat: int
    exp: int | None = None
    id: str | None = None


_ROLE_NAME = re.compile(r"^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$")


class ProjectRole(K8sModel):
    """One ``spec.roles`` entry: permissions on the project's Applications for SSO groups or tokens.

    Attributes:
        name: ``name``: letters, digits, ``-`` and ``_``, starting and ending with a letter or digit. Required.
        description: ``description``. Default: none.
        policies: ``policies``: Casbin lines ``p, proj:<project>:<role>, <resource>, <action>,
            <project>/<object>, allow|deny`` (see :func:`project_policy`). Default: none.
        groups: ``groups``: SSO groups bound to the role. Default: none.
        jwt_tokens: ``jwtTokens``: see :class:`JWTToken`. Default: none.
    """

    name: str
    description: str | None = None
    policies: list[str] | None = None
    groups: list[str] | None = None
    jwt_tokens: list[JWTToken] | None = Field(default=None, alias="jwtTokens")


class SyncWindow(K8sModel):
    """One ``spec.syncWindows`` entry: when syncs are allowed or denied.

    Attributes:
        kind: ``kind``: ``allow`` or ``deny``. Default: none (required by Argo CD).
        schedule: ``schedule``: start times, five-field cron (``'0 22 * * *'``). Default: none (required).
        duration: ``duration``: how long the window lasts, a Go duration (``1h``). Default: none (required).
        applications: ``applications``: Application name globs. Default: none.
        namespaces: ``namespaces``: destination namespace globs. Default: none.
        clusters: ``clusters``: destination cluster globs. Default: none.
        manual_sync: ``manualSync``: allow manual syncs while the window blocks. Default: false.
        time_zone: ``timeZone``: IANA time zone of the schedule. Default: UTC.
        sync_overrun: ``syncOverrun``: let a sync that started in time run past the window. Default: false.
        and_operator: ``andOperator``: match applications AND namespaces AND clusters. Default: false (OR).
        description: ``description``. Default: none.

    A window needs at least one of applications, namespaces and clusters.
    """

    kind: Literal["allow", "deny"] | None = None
    schedule: str | None = None
    duration: str | None = None
    applications: list[str] | None = None
    namespaces: list[str] | None = None
    clusters: list[str] | None = None
    manual_sync: bool | None = None
    time_zone: str | None = None
    sync_overrun: bool | None = None
    and_operator: bool | None = None
    description: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.kind is None:
            issues.add(("kind",), "is not set; use kind: allow or kind: deny", None)
        if not self.schedule:
            issues.add(("schedule",), "is not set; give a five-field cron schedule such as '0 22 * * *'", self.schedule)
        else:
            why = check_cron_schedule(self.schedule)
            if why:
                issues.add(("schedule",), f"{self.schedule!r} {why}; use a five-field cron schedule such as '0 22 * * *'",
                           self.schedule)
        if not self.duration:
            issues.add(("duration",), "is not set; give how long the window lasts, such as '1h'", self.duration)
        else:
            try:
                parse_duration(self.duration)
            except ValueError as exc:
                issues.add(("duration",), str(exc), self.duration)
        if not self.applications and not self.namespaces and not self.clusters:
            issues.add(("applications",), "the window matches nothing: none of applications, namespaces or clusters is set; "
                                          "list the Applications (globs such as '*'), namespaces or clusters it covers", None)
        issues.raise_any("SyncWindow")
        return self


class OrphanedResourceKey(K8sModel):
    """One ``orphanedResources.ignore`` entry.

    Attributes:
        group: ``group``. kind: ``kind``. name: ``name`` (glob). Default: none for each.
    """

    group: str | None = None
    kind: str | None = None
    name: str | None = None


class OrphanedResourcesMonitorSettings(K8sModel):
    """``spec.orphanedResources``: report resources in the destination namespaces no Application owns.

    Attributes:
        warn: ``warn``: raise a warning condition on Applications. Default: false.
        ignore: ``ignore``: see :class:`OrphanedResourceKey`. Default: none.
    """

    warn: bool | None = None
    ignore: list[OrphanedResourceKey] | None = None


class SignatureKey(K8sModel):
    """One ``spec.signatureKeys`` entry: a GnuPG key commits must be signed with.

    Attributes:
        key_id: ``keyID``: the key id in hexadecimal (16 digits for a short id). Required.
    """

    key_id: str = Field(alias="keyID")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not re.match(r"^(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})$", self.key_id):
            raise ValueError(f"keyID: {self.key_id!r} is not a GnuPG key id; use the 16 hexadecimal digits of the key id "
                             f"(such as '4AEE18F83AFDEB23')")
        return self


class DestinationServiceAccount(K8sModel):
    """One ``spec.destinationServiceAccounts`` entry: the service account Argo CD impersonates to sync.

    Attributes:
        server: ``server``: API server URL glob. Required.
        namespace: ``namespace``: namespace glob. Default: any.
        default_service_account: ``defaultServiceAccount``: service account (``ns:name`` or ``name``). Required.
    """

    server: str
    namespace: str | None = None
    default_service_account: str


# -- spec and object ----------------------------------------------------------------------------
class AppProjectSpec(K8sModel):
    """``spec`` of an AppProject.

    Attributes:
        description: ``description``. Default: none.
        source_repos: ``sourceRepos``: repository URL globs Applications may use (``*`` for all). Default:
            none (no repository allowed).
        source_namespaces: ``sourceNamespaces``: namespaces Applications of this project may live in, besides
            Argo CD's own. Default: none.
        destinations: ``destinations``: see :class:`ProjectDestination`. Default: none (no destination allowed).
        destination_service_accounts: ``destinationServiceAccounts``: see :class:`DestinationServiceAccount`.
            Default: none.
        cluster_resource_whitelist: ``clusterResourceWhitelist``: cluster-scoped kinds allowed. Default: none
            (no cluster-scoped kind allowed).
        cluster_resource_blacklist: ``clusterResourceBlacklist``: cluster-scoped kinds denied. Default: none.
        namespace_resource_whitelist: ``namespaceResourceWhitelist``: namespaced kinds allowed. Default: none
            (all namespaced kinds allowed).
        namespace_resource_blacklist: ``namespaceResourceBlacklist``: namespaced kinds denied. Default: none.
        roles: ``roles``: see :class:`ProjectRole`. Default: none.
        sync_windows: ``syncWindows``: see :class:`SyncWindow`. Default: none (sync any time).
        orphaned_resources: ``orphanedResources``: see :class:`OrphanedResourcesMonitorSettings`. Default: none.
        signature_keys: ``signatureKeys``: see :class:`SignatureKey`. Default: none (no signature required).
        permit_only_project_scoped_clusters: ``permitOnlyProjectScopedClusters``. Default: false.
        source_integrity: ``sourceIntegrity``: signature policies for sources, kept as given. Default: none.
    """

    description: str | None = None
    source_repos: list[str] | None = None
    source_namespaces: list[str] | None = None
    destinations: list[ProjectDestination] | None = None
    destination_service_accounts: list[DestinationServiceAccount] | None = None
    cluster_resource_whitelist: list[ClusterResourceRef] | None = None
    cluster_resource_blacklist: list[ClusterResourceRef] | None = None
    namespace_resource_whitelist: list[GroupKind] | None = None
    namespace_resource_blacklist: list[GroupKind] | None = None
    roles: list[ProjectRole] | None = None
    sync_windows: list[SyncWindow] | None = None
    orphaned_resources: OrphanedResourcesMonitorSettings | None = None
    signature_keys: list[SignatureKey] | None = None
    permit_only_project_scoped_clusters: bool | None = None
    source_integrity: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_unique(self) -> Self:
        issues = Issues()
        seen: dict[str, int] = {}
        for i, dest in enumerate(self.destinations or ()):
            key = f"{dest.server or ''}|{dest.name or ''}|{dest.namespace or ''}"
            if key in seen:
                issues.add(("destinations", i), f"repeats destinations[{seen[key]}] (server {dest.server!r}, name "
                                                f"{dest.name!r}, namespace {dest.namespace!r}); remove the duplicate", key)
            seen.setdefault(key, i)
        _duplicates(issues, "sourceRepos", self.source_repos, "source repository")
        roles: dict[str, int] = {}
        for i, role in enumerate(self.roles or ()):
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
        for i, window in enumerate(self.sync_windows or ()):
            window_key = (window.kind or "", window.schedule or "", window.duration or "")
            if window_key in windows:
                issues.add(("syncWindows", i), f"repeats syncWindows[{windows[window_key]}] (kind {window.kind!r}, schedule "
                                               f"{window.schedule!r}, duration {window.duration!r}); merge the two windows",
                           None)
            windows.setdefault(window_key, i)
        issues.raise_any("AppProjectSpec")
        return self


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


class AppProject(Resource):
    """An Argo CD ``AppProject`` (``argoproj.io/v1alpha1``).

    Attributes:
        spec: ``spec``: see :class:`AppProjectSpec`. Required.
        status: ``status``: written by Argo CD (JWT tokens by role), kept as given. Default: none.

    Role policies are checked against the project's ``metadata.name``: the subject must be
    ``proj:<project>:<role>`` and the object ``<project>/...``.
    """

    KIND: ClassVar[str] = "AppProject"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)

    spec: AppProjectSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for loc, message, value in metadata_problems(self.metadata):
            issues.add(("metadata", *loc), message, value)
        project = self.metadata.name
        if project:
            for i, role in enumerate(self.spec.roles or ()):
                for j, policy in enumerate(role.policies or ()):
                    why = _check_policy(policy, project, role.name)
                    if why:
                        issues.add(("spec", "roles", i, "policies", j), why, policy)
        issues.raise_any("AppProject")
        return self
