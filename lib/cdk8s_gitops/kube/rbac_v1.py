"""RBAC API group (``rbac.authorization.k8s.io/v1``): roles and bindings on the generated models.

The classes are those of :mod:`cdk8s_gitops.models.rbac_v1`. RBAC object names are path
segments, not DNS names: ``system:aggregate-to-view`` and ``argo-rollouts:gateway`` are
valid (the generated kinds have ``NAME_RULE = "path"``: no ``/`` or ``%``, not ``.`` or
``..``). The semantic checks here are the API server's validation of rules, role
references and subjects, plus what a Role or ClusterRoleBinding cannot express.
"""

from __future__ import annotations

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..models.rbac_v1 import (
    AggregationRule,
    ClusterRole,
    ClusterRoleBinding,
    PolicyRule,
    Role,
    RoleBinding,
    RoleRef,
    Subject,
)

__all__ = [
    "AggregationRule",
    "ClusterRole",
    "ClusterRoleBinding",
    "PolicyRule",
    "Role",
    "RoleBinding",
    "RoleRef",
    "Subject",
]

RBAC_GROUP = "rbac.authorization.k8s.io"
_ROLE_KINDS = ("Role", "ClusterRole")
_SUBJECT_KINDS = ("ServiceAccount", "User", "Group")


@semantic_check(PolicyRule)
def _policy_rule(rule: PolicyRule) -> None:
    if not rule.verbs:
        raise ValueError("the rule has no verbs; list at least one verb such as 'get'")
    if rule.resources and rule.non_resource_urls:
        raise ValueError("the rule mixes resources and nonResourceURLs; write separate rules for them")
    if rule.resources and not rule.api_groups:
        raise ValueError(f"the rule on resources {rule.resources!r} has no apiGroups; add apiGroups ([\"\"] for the core group)")


@semantic_check(RoleRef)
def _role_ref(ref: RoleRef) -> None:
    issues = Issues()
    if ref.api_group != RBAC_GROUP:
        got = "is missing" if ref.api_group is None else f"is {ref.api_group!r}"
        issues.add(("apiGroup",), f"apiGroup {got}, but a role reference points into the RBAC group; use apiGroup {RBAC_GROUP!r}",
                   ref.api_group)
    if ref.kind not in _ROLE_KINDS:
        issues.add(("kind",), f"kind {ref.kind!r} is not a role kind; use one of 'Role', 'ClusterRole'", ref.kind)
    issues.raise_any("RoleRef")


@semantic_check(Subject)
def _subject(subject: Subject) -> None:
    if subject.kind not in _SUBJECT_KINDS:
        issues = Issues()
        issues.add(("kind",), f"kind {subject.kind!r} is not a subject kind; use one of 'ServiceAccount', 'User', 'Group'", subject.kind)
        issues.raise_any("Subject")
    if subject.kind == "ServiceAccount" and subject.api_group not in (None, ""):
        raise ValueError(f"a ServiceAccount subject has apiGroup {subject.api_group!r}; use apiGroup \"\" or leave it out")
    if subject.kind in ("User", "Group") and subject.api_group not in (None, "", RBAC_GROUP):
        raise ValueError(f"a {subject.kind} subject has apiGroup {subject.api_group!r}; use {RBAC_GROUP!r}")
    if subject.kind != "ServiceAccount" and subject.namespace:
        raise ValueError(f"a {subject.kind} subject has namespace {subject.namespace!r}, which only ServiceAccounts take; remove namespace")


@semantic_check(Role)
def _role(role: Role) -> None:
    issues = Issues()
    for i, rule in enumerate(role.rules or []):
        if rule.non_resource_urls:
            issues.add(("rules", i, "nonResourceURLs"), "a Role cannot grant nonResourceURLs; move the rule to a ClusterRole",
                       rule.non_resource_urls)
    issues.raise_any("Role")


@semantic_check(ClusterRoleBinding)
def _cluster_role_binding(binding: ClusterRoleBinding) -> None:
    issues = Issues()
    if binding.role_ref.kind != "ClusterRole":
        issues.add(("roleRef", "kind"), f"a ClusterRoleBinding refers to kind {binding.role_ref.kind!r}; "
                                        f"refer to a ClusterRole (or use a RoleBinding for a Role)", binding.role_ref.kind)
    for i, subject in enumerate(binding.subjects or []):
        if subject.kind == "ServiceAccount" and not subject.namespace:
            issues.add(("subjects", i, "namespace"), f"ServiceAccount subject {subject.name!r} has no namespace, which a "
                                                     f"ClusterRoleBinding needs; set the ServiceAccount's namespace", None)
    issues.raise_any("ClusterRoleBinding")
