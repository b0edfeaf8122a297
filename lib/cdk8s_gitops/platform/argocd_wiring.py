"""Argo CD wiring: the objects that make Argo CD sync everything synth writes.

For each environment, synth adds a folder ``dist/<env>/argocd-apps/`` built by
:func:`build_wiring`:

- ``app-of-apps`` mode: a root Application ``<env>-root`` that syncs this very folder,
  and one child Application ``<app>-<env>`` per app, pointing at ``dist/<env>/<app>``,
  with the app's sync policy (automated or manual, prune, self-heal, sync options) and
  its sync wave;
- ``applicationset`` mode: one ApplicationSet ``<env>-apps`` whose Git directory
  generator walks ``dist/<env>/*`` (this folder excluded) and stamps out the same
  Applications.

Bootstrapping an environment is one command: ``kubectl apply -f dist/<env>/argocd-apps/manifest.yaml``.
"""

from __future__ import annotations

from typing import Any

from ..argocd import Application, ApplicationSet
from ..argocd.application import FINALIZER_FOREGROUND
from ..core.resource import TypedResource
from ..environment.spec import RESERVED_APP, EnvironmentSpec, SyncPolicySpec

__all__ = ["WIRING_FOLDER", "build_wiring", "sync_policy"]

WIRING_FOLDER = RESERVED_APP


def sync_policy(sync: SyncPolicySpec) -> dict[str, Any]:
    """An Application ``syncPolicy`` from the environment's sync settings."""
    policy: dict[str, Any] = {}
    if sync.automated:
        policy["automated"] = {"prune": sync.prune, "selfHeal": sync.self_heal}
    if sync.sync_options:
        policy["syncOptions"] = list(sync.sync_options)
    return policy


def _source(spec: EnvironmentSpec, path: str) -> dict[str, Any]:
    return {"repoURL": spec.git.repo_url, "targetRevision": spec.git.revision, "path": path}


def build_wiring(scope: Any, spec: EnvironmentSpec, apps: list[str]) -> None:
    """Add the environment's Argo CD objects to ``scope`` (the chart of ``dist/<env>/argocd-apps``)."""
    argocd = spec.argocd
    base = f"{spec.git.dist_path}/{spec.name}"
    meta = {"namespace": argocd.namespace}
    if argocd.mode == "app-of-apps":
        # The root Application syncs Applications: they live where Argo CD runs, so its destination is
        # Argo CD's own cluster, whatever cluster.server the environment deploys its apps to.
        TypedResource(scope, Application.build(
            metadata={"name": f"{spec.name}-root", **meta, "finalizers": [FINALIZER_FOREGROUND]},
            spec={"project": argocd.project, "source": _source(spec, f"{base}/{WIRING_FOLDER}"),
                  "destination": {"server": "https://kubernetes.default.svc", "namespace": argocd.namespace},
                  "syncPolicy": sync_policy(spec.sync)}))
        for app in apps:
            if not spec.apps[app].argocd_application:
                continue  # another app's own Application syncs this folder
            settings = spec.for_app(app)
            app_spec: dict[str, Any] = {
                "project": argocd.project, "source": _source(spec, f"{base}/{app}"),
                "destination": {"server": spec.cluster.server, "namespace": settings.namespace},
                "syncPolicy": sync_policy(settings.sync)}
            if settings.rollout.strategy == "canary" and settings.gateway is not None:
                # Argo Rollouts' Gateway API plugin moves route weights during a canary; self-heal must not undo it.
                app_spec["ignoreDifferences"] = [
                    {"group": "gateway.networking.k8s.io", "kind": kind, "jqPathExpressions": [".spec.rules[].backendRefs[].weight"]}
                    for kind in ("GRPCRoute", "HTTPRoute")]
                options = app_spec["syncPolicy"].setdefault("syncOptions", [])
                if "RespectIgnoreDifferences=true" not in options:
                    options.append("RespectIgnoreDifferences=true")
            TypedResource(scope, Application.build(
                metadata={"name": spec.apps[app].application_name or f"{app}-{spec.name}", **meta,
                          "finalizers": [FINALIZER_FOREGROUND], "labels": {"app.kubernetes.io/part-of": app}},
                spec=app_spec), sync_wave=spec.apps[app].sync_wave)
        return
    namespace = spec.namespace_scheme.format(app="{{.path.basename}}", env=spec.name)
    TypedResource(scope, ApplicationSet.build(
        metadata={"name": f"{spec.name}-apps", **meta},
        spec={"goTemplate": True, "goTemplateOptions": ["missingkey=error"],
              "generators": [{"git": {"repoURL": spec.git.repo_url, "revision": spec.git.revision,
                                      "directories": [{"path": f"{base}/*"},
                                                      {"path": f"{base}/{WIRING_FOLDER}", "exclude": True}]}}],
              "template": {
                  "metadata": {"name": f"{{{{.path.basename}}}}-{spec.name}", "finalizers": [FINALIZER_FOREGROUND]},
                  "spec": {"project": argocd.project,
                           "source": {"repoURL": spec.git.repo_url, "targetRevision": spec.git.revision, "path": "{{.path.path}}"},
                           "destination": {"server": spec.cluster.server, "namespace": namespace},
                           "syncPolicy": sync_policy(spec.sync)}}}))
