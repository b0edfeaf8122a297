"""TeamProject: an Argo CD AppProject per team, with least privilege.

A team's Applications may read only its repositories, deploy only to its namespaces,
create only the namespaced kinds a service platform needs (and no cluster-scoped kind
unless listed), and its group may view and sync only its own Applications. Wildcards
are refused: a ``*`` in a repository, destination or kind would give the team more than
it owns.

Example::

    TeamProject(scope, "payments", TeamProjectProps(
        team="payments",
        source_repos=("https://github.com/acme/payments.git",),
        destinations=(ProjectDestination(namespace="payments"),),
        group="acme:payments",
    ))
"""

from __future__ import annotations

import constructs
from pydantic import Field, field_validator, model_validator

from ..argocd import (
    AppProject,
    AppProjectSpec,
    ClusterResourceRestrictionItem,
    Destination,
    GroupKind,
    ProjectRole,
    project_policy,
)
from ..core.chart import chart_of
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta
from ..core.props import Items
from ..core.resource import TypedResource
from ..environment.spec import ResolvedAppSettings
from .addons import IN_CLUSTER
from .props import PropsModel, dns_label

__all__ = ["DEFAULT_NAMESPACED_KINDS", "ProjectDestination", "TeamProject", "TeamProjectProps"]

DEFAULT_NAMESPACED_KINDS: tuple[str, ...] = (
    "ConfigMap", "Service", "ServiceAccount", "apps/Deployment", "apps/StatefulSet", "argoproj.io/Rollout",
    "argoproj.io/AnalysisTemplate", "autoscaling/HorizontalPodAutoscaler", "batch/CronJob", "batch/Job",
    "external-secrets.io/ExternalSecret", "gateway.networking.k8s.io/GRPCRoute", "gateway.networking.k8s.io/HTTPRoute",
    "monitoring.coreos.com/PrometheusRule", "monitoring.coreos.com/ServiceMonitor", "networking.k8s.io/NetworkPolicy",
    "policy/PodDisruptionBudget",
)
"""What a team's services are made of (``group/Kind``; the core group has no prefix). No Secret, no RBAC."""


class ProjectDestination(PropsModel):
    """One place a team may deploy to.

    Attributes:
        namespace: the namespace. Required; no wildcard.
        server: the cluster API URL. Default: the environment's ``cluster.server`` (where its apps are
            deployed; ``https://kubernetes.default.svc`` outside an environment).
    """

    namespace: str
    server: str | None = None

    @field_validator("namespace")
    @classmethod
    def _ns(cls, value: str) -> str:
        return dns_label(value)


class TeamProjectProps(PropsModel):
    """A team and what it owns.

    Attributes:
        team: the team's name; the AppProject's name. Required.
        source_repos: the Git repositories its Applications may read. Required, no wildcard.
        destinations: the namespaces (and clusters) it may deploy to. Required.
        namespaced_kinds: namespaced kinds it may create, ``group/Kind``. Default: :data:`DEFAULT_NAMESPACED_KINDS`.
        cluster_kinds: cluster-scoped kinds it may create. Default: none.
        group: the SSO group whose members may view and sync the team's Applications. Default: none (no role).
        description: the project's description. Default: ``Applications of team <team>``.
        argocd_namespace: where the AppProject lives. Default: the environment's ``argocd.namespace``
            (``argocd`` outside an environment).
        sync_wave: the AppProject's sync wave (before the team's Applications). Default: -5.
    """

    team: str
    source_repos: Items[str]
    destinations: Items[ProjectDestination]
    namespaced_kinds: Items[str] = DEFAULT_NAMESPACED_KINDS
    cluster_kinds: Items[str] = ()
    group: str | None = None
    description: str | None = None
    argocd_namespace: str | None = None
    sync_wave: int = Field(default=-5)

    @field_validator("team")
    @classmethod
    def _team(cls, value: str) -> str:
        return dns_label(value)

    @model_validator(mode="after")
    def _least_privilege(self) -> TeamProjectProps:
        if not self.source_repos or not self.destinations:
            raise ValueError("a team project needs at least one source repository and one destination; "
                             "list the team's repositories and namespaces")
        for field, values in (("source_repos", self.source_repos), ("namespaced_kinds", self.namespaced_kinds),
                              ("cluster_kinds", self.cluster_kinds)):
            for value in values:
                if "*" in value:
                    raise ValueError(f"{field}: {value!r} is a wildcard, which gives the team more than it owns; "
                                     "list each entry explicitly")
        return self


def _group_kind(entry: str) -> tuple[str, str]:
    """``group/Kind`` (``Kind`` for the core group) as ``(group, kind)``."""
    group, _, kind = entry.rpartition("/")
    return group, kind


class TeamProject(LazyConstruct):
    """The AppProject of one team (see the module docstring for what it allows).

    Attributes:
        project: the :class:`TypedResource` of the AppProject.
    """

    def __init__(self, scope: constructs.Construct, id: str, props: TeamProjectProps) -> None:
        super().__init__(scope, id)
        self._gitops_chart = chart_of(scope)
        p = props
        env = getattr(self._gitops_chart, "environment", None)
        server = env.cluster.server if isinstance(env, ResolvedAppSettings) else IN_CLUSTER
        argocd_namespace = p.argocd_namespace or (env.argocd_namespace if isinstance(env, ResolvedAppSettings) else "argocd")
        roles = [ProjectRole(
            name="developers",
            description=f"members of {p.group} view and sync the team's Applications",
            groups=[p.group],
            policies=[project_policy(p.team, "developers", action) for action in ("get", "sync")],
        )] if p.group else None
        spec = AppProjectSpec(
            description=p.description or f"Applications of team {p.team}",
            source_repos=sorted(p.source_repos),
            destinations=[Destination(server=d.server or server, namespace=d.namespace) for d in p.destinations],
            cluster_resource_whitelist=[ClusterResourceRestrictionItem(group=group, kind=kind)
                                        for group, kind in map(_group_kind, p.cluster_kinds)],
            namespace_resource_whitelist=[GroupKind(group=group, kind=kind)
                                          for group, kind in map(_group_kind, p.namespaced_kinds)],
            roles=roles,
        )
        self.project = TypedResource(self, AppProject(
            metadata=ObjectMeta(name=p.team, namespace=argocd_namespace), spec=spec), sync_wave=p.sync_wave)
