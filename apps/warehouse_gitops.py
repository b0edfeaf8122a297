"""warehouse-gitops: the Argo CD side of warehouse: AppProjects and the app-of-apps parent with its three environments.

What the seed (002, warehouse-network) asks for, and where it is:

- The application hierarchy ``app-of-apps`` (parent) with the children ``warehouse-dev``,
  ``warehouse-staging`` and ``warehouse-prod``: Applications in Argo CD's namespace, each child
  syncing the folder synth writes for the ``warehouse`` app in that environment
  (``<git.dist_path>/<env>/warehouse``) to that environment's cluster (``cluster.server``) and
  namespace (``warehouse-dev``, ``warehouse-staging``, ``warehouse-prod``).
- Auto-sync in dev and staging, manual in production: each child takes the sync policy that
  environment's file gives the ``warehouse`` app (``apps.warehouse.sync``): automated with prune
  (the seed's automated pruning) and self-heal in dev and staging, no automation in production, where
  a person syncs after review. Argo CD's own rollback (``argocd app rollback``) only works on an
  Application without auto-sync, which is production's: the seed's "immediate rollback via ArgoCD".
  Children that prune also carry the resources finalizer, so deleting them cleans up; production's
  does not, so removing it from Git never deletes the live environment.
- Project isolation per team: AppProject ``warehouse`` with least privilege: this repository as the
  only source, the three warehouse namespaces (plus ``velero``, where each environment's backup
  Schedule lives) on their clusters as the only destinations, ``Namespace`` as the only
  cluster-scoped kind, and only the namespaced kinds the warehouse app synthesizes. RBAC per
  environment through two roles: ``developers`` may sync dev and staging, ``release-managers`` may
  sync production and run the Rollout actions (promote, abort) there; bind SSO groups to them with
  ``groups``.
- The parent lives in its own AppProject ``warehouse-bootstrap``, which may only create Applications
  and AppProjects in Argo CD's namespace of the cluster Argo CD runs in: a child Application of the
  team project can then never edit its own project.

Where they live: this module is synthesized in production only (``dist/production/warehouse-gitops``,
namespace ``argocd`` through the per-app namespace override), because one Argo CD manages the three
clusters in the seed and its Applications must exist once. It reads the three environment files
(``environments/*.yaml``) for each child's cluster, namespace, revision and sync policy: the data stays
in one place. The parent syncs this very folder (a self-managed root: apply the folder once with
``kubectl apply -f dist/production/warehouse-gitops/manifest.yaml``, Argo CD keeps it up to date after
that); its sync policy is ``apps.warehouse-gitops.sync`` in ``environments/production.yaml``: automated
with self-heal but without prune, so deleting a child from Git never cascades into an environment.

Overlap with synth's generated wiring (``dist/<env>/argocd-apps``): synth also writes a child
Application ``<app>-<env>`` for every app, so ``warehouse-dev``/``warehouse-staging``/``warehouse-production``
and ``warehouse-gitops-production`` exist there too, in project ``default``. Until the wiring can rename
or skip an app's child (see the report), bootstrap the warehouse platform from this folder only.

Left out: the seed's GitHub branch protection, PR reviews and signed commits are settings of the Git
host (AppProject ``signatureKeys`` would need the team's GPG key IDs, which the seed does not give);
the optional Argo CD Vault Plugin.
"""

from __future__ import annotations

from pathlib import Path

from constructs import Construct

from cdk8s_gitops import ManifestError, ObjectMeta, TypedResource
from cdk8s_gitops.argocd import (
    Application,
    ApplicationSource,
    ApplicationSpec,
    AppProject,
    AppProjectSpec,
    project_policy,
)
from cdk8s_gitops.argocd.application import FINALIZER_FOREGROUND
from cdk8s_gitops.core.errors import Problem
from cdk8s_gitops.environment import EnvironmentSpec, ResolvedAppSettings
from cdk8s_gitops.environment.loader import load_environments
from cdk8s_gitops.models.argoproj_io_v1alpha1 import AppProjectSpecClusterResourceBlacklist as ClusterKind
from cdk8s_gitops.models.argoproj_io_v1alpha1 import AppProjectSpecNamespaceResourceBlacklist as NamespacedKind
from cdk8s_gitops.models.argoproj_io_v1alpha1 import AppProjectSpecRoles, Destination
from cdk8s_gitops.platform import sync_policy

WAREHOUSE_APP = "warehouse"
"""The app whose folders the children sync (apps/warehouse.py)."""

PARENT = "app-of-apps"
CHILDREN = {"dev": "warehouse-dev", "staging": "warehouse-staging", "production": "warehouse-prod"}
"""Child Application name by environment (the seed calls production ``prod``)."""

PROJECT = "warehouse"
BOOTSTRAP_PROJECT = "warehouse-bootstrap"
IN_CLUSTER = "https://kubernetes.default.svc"
"""Argo CD's own cluster, where Applications and AppProjects are created."""

VELERO_NAMESPACE = "velero"
"""Where apps/warehouse.py puts its backup Schedule (Velero reads Schedules from its own namespace)."""

CLUSTER_KINDS = [ClusterKind(group="", kind="Namespace")]
NAMESPACED_KINDS = [
    NamespacedKind(group="", kind="ConfigMap"),
    NamespacedKind(group="", kind="ResourceQuota"),
    NamespacedKind(group="", kind="Service"),
    NamespacedKind(group="", kind="ServiceAccount"),
    NamespacedKind(group="apps", kind="Deployment"),
    NamespacedKind(group="argoproj.io", kind="Rollout"),
    NamespacedKind(group="autoscaling", kind="HorizontalPodAutoscaler"),
    NamespacedKind(group="gateway.networking.k8s.io", kind="HTTPRoute"),
    NamespacedKind(group="monitoring.coreos.com", kind="PrometheusRule"),
    NamespacedKind(group="monitoring.coreos.com", kind="ServiceMonitor"),
    NamespacedKind(group="networking.k8s.io", kind="NetworkPolicy"),
    NamespacedKind(group="policy", kind="PodDisruptionBudget"),
    NamespacedKind(group="velero.io", kind="Schedule"),
]
"""Every namespaced kind the warehouse app synthesizes (tests/apps/test_warehouse_gitops.py keeps this exact)."""

ENVIRONMENTS_DIR = Path(__file__).resolve().parents[1] / "environments"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    specs = {spec.name: spec for spec in load_environments(ENVIRONMENTS_DIR)}
    here = specs[env.environment]
    argocd_ns = here.argocd.namespace
    children = [(name, *_warehouse(specs, env_name)) for env_name, name in CHILDREN.items()]

    TypedResource(scope, AppProject(
        metadata=ObjectMeta(name=PROJECT, namespace=argocd_ns),
        spec=AppProjectSpec(
            description="warehouse team: the warehouse web app in dev, staging and production",
            source_repos=sorted({spec.git.repo_url for _, spec, _ in children}),
            destinations=[Destination(server=spec.cluster.server, namespace=ns)
                          for _, spec, settings in children for ns in (settings.namespace, VELERO_NAMESPACE)],
            cluster_resource_whitelist=CLUSTER_KINDS,
            namespace_resource_whitelist=NAMESPACED_KINDS,
            roles=_roles(children),
        ),
    ), sync_wave=-1)
    TypedResource(scope, AppProject(
        metadata=ObjectMeta(name=BOOTSTRAP_PROJECT, namespace=argocd_ns),
        spec=AppProjectSpec(
            description="warehouse app-of-apps: creates the warehouse Applications and AppProjects only",
            source_repos=[here.git.repo_url],
            destinations=[Destination(server=IN_CLUSTER, namespace=argocd_ns)],
            namespace_resource_whitelist=[NamespacedKind(group="argoproj.io", kind="AppProject"),
                                          NamespacedKind(group="argoproj.io", kind="Application")],
        ),
    ), sync_wave=-1)

    TypedResource(scope, Application(
        metadata=ObjectMeta(name=PARENT, namespace=argocd_ns),
        spec=ApplicationSpec(
            project=BOOTSTRAP_PROJECT,
            source=_source(here, f"{here.git.dist_path}/{env.environment}/{env.app}"),
            destination=Destination(server=IN_CLUSTER, namespace=argocd_ns),
            sync_policy=sync_policy(env.sync),
        ),
    ))
    for name, spec, settings in children:
        metadata = (ObjectMeta(name=name, namespace=argocd_ns, finalizers=[FINALIZER_FOREGROUND])
                    if settings.sync.prune else ObjectMeta(name=name, namespace=argocd_ns))
        TypedResource(scope, Application(metadata=metadata, spec=ApplicationSpec(
            project=PROJECT,
            source=_source(spec, f"{spec.git.dist_path}/{spec.name}/{WAREHOUSE_APP}"),
            destination=Destination(server=spec.cluster.server, namespace=settings.namespace),
            sync_policy=sync_policy(settings.sync),
        )))


def _warehouse(specs: dict[str, EnvironmentSpec], env_name: str) -> tuple[EnvironmentSpec, ResolvedAppSettings]:
    spec = specs.get(env_name)
    if spec is None or WAREHOUSE_APP not in spec.apps:
        raise ManifestError(Problem(f"Application {CHILDREN[env_name]!r}", "source.path",
                                    f"environment {env_name!r} does not run the {WAREHOUSE_APP!r} app",
                                    f"add apps.{WAREHOUSE_APP} to environments/{env_name}.yaml or drop the child"))
    return spec, spec.for_app(WAREHOUSE_APP)


def _source(spec: EnvironmentSpec, path: str) -> ApplicationSource:
    return ApplicationSource(repo_url=spec.git.repo_url, target_revision=spec.git.revision, path=path)


def _roles(children: list[tuple[str, EnvironmentSpec, ResolvedAppSettings]]) -> list[AppProjectSpecRoles]:
    """Who may do what per environment: read everything; sync by environment; Rollout actions in production."""
    automated = [name for name, _, settings in children if settings.sync.automated]
    manual = [name for name, _, settings in children if not settings.sync.automated]
    developers = [project_policy(PROJECT, "developers", "get")]
    developers += [project_policy(PROJECT, "developers", "sync", name) for name in automated]
    managers = [project_policy(PROJECT, "release-managers", "get")]
    for name in manual:
        managers += [project_policy(PROJECT, "release-managers", "sync", name),
                     project_policy(PROJECT, "release-managers", "action/argoproj.io/Rollout/*", name)]
    return [
        AppProjectSpecRoles(name="developers", policies=developers,
                            description="read all warehouse environments; sync the automatically synced ones"),
        AppProjectSpecRoles(name="release-managers", policies=managers,
                            description="read all; sync and promote or abort rollouts in the manually synced ones"),
    ]
