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

from constructs import Construct

from ..argocd import (
    FINALIZER_FOREGROUND,
    Application,
    ApplicationSet,
    ApplicationSetSpec,
    ApplicationSetTemplate,
    ApplicationSetTemplateMetadata,
    ApplicationSetTemplateSpec,
    ApplicationSource,
    ApplicationSpec,
    Automated,
    Destination,
    Generators,
    GitDirectory,
    GitGenerator,
    IgnoreDifferences,
    SyncPolicy,
    TemplateSyncPolicy,
)
from ..core.model import ObjectMeta
from ..core.resource import TypedResource
from ..environment.spec import RESERVED_APP, EnvironmentSpec, SyncPolicySpec

__all__ = ["WIRING_FOLDER", "build_wiring", "sync_policy", "template_sync_policy"]

WIRING_FOLDER = RESERVED_APP

#: Argo Rollouts' Gateway API plugin moves these route weights during a canary.
_CANARY_ROUTE_WEIGHTS = ".spec.rules[].backendRefs[].weight"
_RESPECT_IGNORE_DIFFERENCES = "RespectIgnoreDifferences=true"


def sync_policy(sync: SyncPolicySpec, *, extra_options: tuple[str, ...] = ()) -> SyncPolicy:
    """An Application ``syncPolicy`` from the environment's sync settings (automated or manual, prune,
    self-heal, sync options), with ``extra_options`` appended when not already there."""
    options = [*sync.sync_options, *(o for o in extra_options if o not in sync.sync_options)]
    return SyncPolicy(automated=Automated(prune=sync.prune, self_heal=sync.self_heal) if sync.automated else None,
                      sync_options=options or None)


def template_sync_policy(sync: SyncPolicySpec) -> TemplateSyncPolicy:
    """The same policy for an ApplicationSet's Application template (``spec.template.spec.syncPolicy``)."""
    return TemplateSyncPolicy(automated=Automated(prune=sync.prune, self_heal=sync.self_heal) if sync.automated else None,
                              sync_options=list(sync.sync_options) or None)


def _source(spec: EnvironmentSpec, path: str) -> ApplicationSource:
    return ApplicationSource(repo_url=spec.git.repo_url, target_revision=spec.git.revision, path=path)


def build_wiring(scope: Construct, spec: EnvironmentSpec, apps: list[str]) -> None:
    """Add the environment's Argo CD objects to ``scope`` (the chart of ``dist/<env>/argocd-apps``)."""
    argocd = spec.argocd
    base = f"{spec.git.dist_path}/{spec.name}"
    if argocd.mode == "app-of-apps":
        # The root Application syncs Applications: they live where Argo CD runs, so its destination is
        # Argo CD's own cluster, whatever cluster.server the environment deploys its apps to.
        TypedResource(scope, Application(
            metadata=ObjectMeta(name=f"{spec.name}-root", namespace=argocd.namespace, finalizers=[FINALIZER_FOREGROUND]),
            spec=ApplicationSpec(project=argocd.project, source=_source(spec, f"{base}/{WIRING_FOLDER}"),
                                 destination=Destination(server="https://kubernetes.default.svc", namespace=argocd.namespace),
                                 sync_policy=sync_policy(spec.sync))))
        for app in apps:
            if not spec.apps[app].argocd_application:
                continue  # another app's own Application syncs this folder
            settings = spec.for_app(app)
            ignore: list[IgnoreDifferences] | None = None
            extra: tuple[str, ...] = ()
            if settings.rollout.strategy == "canary" and settings.gateway is not None:
                # Argo Rollouts' Gateway API plugin moves route weights during a canary; self-heal must not undo it.
                ignore = [IgnoreDifferences(group="gateway.networking.k8s.io", kind=kind, jq_path_expressions=[_CANARY_ROUTE_WEIGHTS])
                          for kind in ("GRPCRoute", "HTTPRoute")]
                extra = (_RESPECT_IGNORE_DIFFERENCES,)
            TypedResource(scope, Application(
                metadata=ObjectMeta(name=spec.apps[app].application_name or f"{app}-{spec.name}", namespace=argocd.namespace,
                                    finalizers=[FINALIZER_FOREGROUND], labels={"app.kubernetes.io/part-of": app}),
                spec=ApplicationSpec(project=argocd.project, source=_source(spec, f"{base}/{app}"),
                                     destination=Destination(server=spec.cluster.server, namespace=settings.namespace),
                                     sync_policy=sync_policy(settings.sync, extra_options=extra),
                                     ignore_differences=ignore)), sync_wave=spec.apps[app].sync_wave)
        return
    namespace = spec.namespace_scheme.format(app="{{.path.basename}}", env=spec.name)
    TypedResource(scope, ApplicationSet(
        metadata=ObjectMeta(name=f"{spec.name}-apps", namespace=argocd.namespace),
        spec=ApplicationSetSpec(
            go_template=True, go_template_options=["missingkey=error"],
            generators=[Generators(git=GitGenerator(
                repo_url=spec.git.repo_url, revision=spec.git.revision,
                directories=[GitDirectory(path=f"{base}/*"), GitDirectory(path=f"{base}/{WIRING_FOLDER}", exclude=True)]))],
            template=ApplicationSetTemplate(
                metadata=ApplicationSetTemplateMetadata(name=f"{{{{.path.basename}}}}-{spec.name}",
                                                        finalizers=[FINALIZER_FOREGROUND]),
                spec=ApplicationSetTemplateSpec(
                    project=argocd.project,
                    source=ApplicationSource(repo_url=spec.git.repo_url, target_revision=spec.git.revision,
                                             path="{{.path.path}}"),
                    destination=Destination(server=spec.cluster.server, namespace=namespace),
                    sync_policy=template_sync_policy(spec.sync))))))
