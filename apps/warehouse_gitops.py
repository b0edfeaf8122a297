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
from typing import Any

from constructs import Construct

from cdk8s_gitops import ManifestError, TypedResource
from cdk8s_gitops.argocd import Application, AppProject, project_policy
from cdk8s_gitops.argocd.application import FINALIZER_FOREGROUND
from cdk8s_gitops.core.errors import Problem
from cdk8s_gitops.environment import EnvironmentSpec, ResolvedAppSettings
from cdk8s_gitops.environment.loader import load_environments
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

CLUSTER_KINDS = [{"group": "", "kind": "Namespace"}]
NAMESPACED_KINDS = [
    {"group": "", "kind": "ConfigMap"},
    {"group": "", "kind": "ResourceQuota"},
    {"group": "", "kind": "Service"},
    {"group": "", "kind": "ServiceAccount"},
    {"group": "apps", "kind": "Deployment"},
    {"group": "argoproj.io", "kind": "Rollout"},
    {"group": "autoscaling", "kind": "HorizontalPodAutoscaler"},
    {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"},
    {"group": "monitoring.coreos.com", "kind": "PrometheusRule"},
    {"group": "monitoring.coreos.com", "kind": "ServiceMonitor"},
    {"group": "networking.k8s.io", "kind": "NetworkPolicy"},
    {"group": "policy", "kind": "PodDisruptionBudget"},
    {"group": "velero.io", "kind": "Schedule"},
]
"""Every namespaced kind the warehouse app synthesizes (tests/apps/test_warehouse_gitops.py keeps this exact)."""

ENVIRONMENTS_DIR = Path(__file__).resolve().parents[1] / "environments"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    specs = {spec.name: spec for spec in load_environments(ENVIRONMENTS_DIR)}
    here = specs[env.environment]
    argocd_ns = here.argocd.namespace
    children = [(name, *_warehouse(specs, env_name)) for env_name, name in CHILDREN.items()]

    TypedResource(scope, AppProject.build(
        metadata={"name": PROJECT, "namespace": argocd_ns},
        spec={
            "description": "warehouse team: the warehouse web app in dev, staging and production",
            "sourceRepos": sorted({spec.git.repo_url for _, spec, _ in children}),
            "destinations": [{"server": spec.cluster.server, "namespace": ns}
                             for _, spec, settings in children for ns in (settings.namespace, VELERO_NAMESPACE)],
            "clusterResourceWhitelist": CLUSTER_KINDS,
            "namespaceResourceWhitelist": NAMESPACED_KINDS,
            "roles": _roles(children),
        },
    ), sync_wave=-1)
    TypedResource(scope, AppProject.build(
        metadata={"name": BOOTSTRAP_PROJECT, "namespace": argocd_ns},
        spec={
            "description": "warehouse app-of-apps: creates the warehouse Applications and AppProjects only",
            "sourceRepos": [here.git.repo_url],
            "destinations": [{"server": IN_CLUSTER, "namespace": argocd_ns}],
            "namespaceResourceWhitelist": [{"group": "argoproj.io", "kind": "AppProject"},
                                           {"group": "argoproj.io", "kind": "Application"}],
        },
    ), sync_wave=-1)

    TypedResource(scope, Application.build(
        metadata={"name": PARENT, "namespace": argocd_ns},
        spec={
            "project": BOOTSTRAP_PROJECT,
            "source": _source(here, f"{here.git.dist_path}/{env.environment}/{env.app}"),
            "destination": {"server": IN_CLUSTER, "namespace": argocd_ns},
            "syncPolicy": sync_policy(env.sync),
        },
    ))
    for name, spec, settings in children:
        metadata: dict[str, Any] = {"name": name, "namespace": argocd_ns}
        if settings.sync.prune:
            metadata["finalizers"] = [FINALIZER_FOREGROUND]
        TypedResource(scope, Application.build(metadata=metadata, spec={
            "project": PROJECT,
            "source": _source(spec, f"{spec.git.dist_path}/{spec.name}/{WAREHOUSE_APP}"),
            "destination": {"server": spec.cluster.server, "namespace": settings.namespace},
            "syncPolicy": sync_policy(settings.sync),
        }))


def _warehouse(specs: dict[str, EnvironmentSpec], env_name: str) -> tuple[EnvironmentSpec, ResolvedAppSettings]:
    spec = specs.get(env_name)
    if spec is None or WAREHOUSE_APP not in spec.apps:
        raise ManifestError(Problem(f"Application {CHILDREN[env_name]!r}", "source.path",
                                    f"environment {env_name!r} does not run the {WAREHOUSE_APP!r} app",
                                    f"add apps.{WAREHOUSE_APP} to environments/{env_name}.yaml or drop the child"))
    return spec, spec.for_app(WAREHOUSE_APP)


def _source(spec: EnvironmentSpec, path: str) -> dict[str, str]:
    return {"repoURL": spec.git.repo_url, "targetRevision": spec.git.revision, "path": path}


def _roles(children: list[tuple[str, EnvironmentSpec, ResolvedAppSettings]]) -> list[dict[str, Any]]:
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
        {"name": "developers", "description": "read all warehouse environments; sync the automatically synced ones",
         "policies": developers},
        {"name": "release-managers", "description": "read all; sync and promote or abort rollouts in the manually synced ones",
         "policies": managers},
    ]
