"""RBAC API group (``rbac.authorization.k8s.io/v1``): Role, ClusterRole, RoleBinding, ClusterRoleBinding.

RBAC object names are path segments, not DNS names: ``system:aggregate-to-view`` and
``argo-rollouts:gateway`` are valid (``NAME_RULE = "path"``: no ``/`` or ``%``, not ``.`` or ``..``).
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from .core_v1 import LabelSelector

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


class PolicyRule(K8sModel):
    """What a role allows: verbs on resources (or on non-resource URLs).

    Attributes:
        api_groups: ``apiGroups``: "" for the core group, ``*`` for every group. Default: none.
        non_resource_urls: ``nonResourceURLs`` (``/healthz``); ClusterRoles only. Default: none.
        resource_names: ``resourceNames``: restrict to these objects. Default: none (every object).
        resources: ``resources`` (``pods``, ``deployments/scale``, ``*``). Default: none.
        verbs: ``verbs`` (``get``, ``list``, ``watch``, ``create``, ``update``, ``patch``, ``delete``, ``*``). Required.
    """

    api_groups: list[str] | None = None
    non_resource_urls: list[str] | None = Field(default=None, alias="nonResourceURLs")
    resource_names: list[str] | None = None
    resources: list[str] | None = None
    verbs: list[str]

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.verbs:
            raise ValueError("the rule has no verbs; list at least one verb such as 'get'")
        if self.resources and self.non_resource_urls:
            raise ValueError("the rule mixes resources and nonResourceURLs; write separate rules for them")
        if self.resources and not self.api_groups:
            raise ValueError(f"the rule on resources {self.resources!r} has no apiGroups; add apiGroups ([\"\"] for the core group)")
        return self


class AggregationRule(K8sModel):
    """ClusterRoles whose rules are merged into this one.

    Attributes:
        cluster_role_selectors: ``clusterRoleSelectors``: labels of the aggregated ClusterRoles. Default: none.
    """

    cluster_role_selectors: list[LabelSelector] | None = None


class RoleRef(K8sModel):
    """The role a binding grants.

    Attributes:
        api_group: ``apiGroup``: ``rbac.authorization.k8s.io``. Required.
        kind: ``kind``: ``Role`` or ``ClusterRole``. Required.
        name: ``name`` of the role. Required.
    """

    api_group: Literal["rbac.authorization.k8s.io"]
    kind: Literal["Role", "ClusterRole"]
    name: str


class Subject(K8sModel):
    """Who a binding grants the role to.

    Attributes:
        api_group: ``apiGroup``: "" for ServiceAccounts, ``rbac.authorization.k8s.io`` for users and
            groups. Default: none (upstream: set from the kind).
        kind: ``kind``: ``ServiceAccount``, ``User`` or ``Group``. Required.
        name: ``name``. Required.
        namespace: ``namespace`` of a ServiceAccount; required in ClusterRoleBindings. Default: none
            (in a RoleBinding: the binding's namespace).
    """

    api_group: str | None = None
    kind: Literal["ServiceAccount", "User", "Group"]
    name: str
    namespace: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.kind == "ServiceAccount" and self.api_group not in (None, ""):
            raise ValueError(f"a ServiceAccount subject has apiGroup {self.api_group!r}; use apiGroup \"\" or leave it out")
        if self.kind in ("User", "Group") and self.api_group not in (None, "", RBAC_GROUP):
            raise ValueError(f"a {self.kind} subject has apiGroup {self.api_group!r}; use {RBAC_GROUP!r}")
        if self.kind != "ServiceAccount" and self.namespace:
            raise ValueError(f"a {self.kind} subject has namespace {self.namespace!r}, which only ServiceAccounts take; remove namespace")
        return self


class Role(Resource):
    """An ``rbac.authorization.k8s.io/v1`` Role: permissions inside one namespace.

    Attributes:
        rules: ``rules``. Default: none (no permissions).
    """

    KIND: ClassVar[str] = "Role"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("rbac.authorization.k8s.io/v1",)
    NAME_RULE: ClassVar[str] = "path"

    rules: list[PolicyRule] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for i, rule in enumerate(self.rules or []):
            if rule.non_resource_urls:
                issues.add(("rules", i, "nonResourceURLs"), "a Role cannot grant nonResourceURLs; move the rule to a ClusterRole",
                           rule.non_resource_urls)
        issues.raise_any("Role")
        return self


class ClusterRole(Resource):
    """An ``rbac.authorization.k8s.io/v1`` ClusterRole: permissions cluster-wide or reusable in namespaces.

    Attributes:
        aggregation_rule: ``aggregationRule``: build the rules from other ClusterRoles. Default: none.
        rules: ``rules``; filled in by the controller when aggregationRule is set. Default: none.
    """

    KIND: ClassVar[str] = "ClusterRole"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("rbac.authorization.k8s.io/v1",)
    NAME_RULE: ClassVar[str] = "path"
    NAMESPACED: ClassVar[bool] = False

    aggregation_rule: AggregationRule | None = None
    rules: list[PolicyRule] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        return self


class RoleBinding(Resource):
    """An ``rbac.authorization.k8s.io/v1`` RoleBinding: grants a Role or ClusterRole inside one namespace.

    Attributes:
        role_ref: ``roleRef`` (cannot change after creation). Required.
        subjects: ``subjects``. Default: none.
    """

    KIND: ClassVar[str] = "RoleBinding"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("rbac.authorization.k8s.io/v1",)
    NAME_RULE: ClassVar[str] = "path"

    role_ref: RoleRef
    subjects: list[Subject] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        return self


class ClusterRoleBinding(Resource):
    """An ``rbac.authorization.k8s.io/v1`` ClusterRoleBinding: grants a ClusterRole everywhere.

    Attributes:
        role_ref: ``roleRef``: a ClusterRole (cannot change after creation). Required.
        subjects: ``subjects``; ServiceAccounts need a namespace. Default: none.
    """

    KIND: ClassVar[str] = "ClusterRoleBinding"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("rbac.authorization.k8s.io/v1",)
    NAME_RULE: ClassVar[str] = "path"
    NAMESPACED: ClassVar[bool] = False

    role_ref: RoleRef
    subjects: list[Subject] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.role_ref.kind != "ClusterRole":
            issues.add(("roleRef", "kind"), f"a ClusterRoleBinding refers to kind {self.role_ref.kind!r}; "
                                            f"refer to a ClusterRole (or use a RoleBinding for a Role)", self.role_ref.kind)
        for i, subject in enumerate(self.subjects or []):
            if subject.kind == "ServiceAccount" and not subject.namespace:
                issues.add(("subjects", i, "namespace"), f"ServiceAccount subject {subject.name!r} has no namespace, which a "
                                                         f"ClusterRoleBinding needs; set the ServiceAccount's namespace", None)
        issues.raise_any("ClusterRoleBinding")
        return self
