"""keiko-apps: the Argo CD app-of-apps of Keiko (seed 001): Application keiko-apps and its child syncing dist/<env>/keiko.

The seed bootstraps Keiko with one Argo CD Application ``keiko-apps`` (project ``default``,
repository ``https://github.com/keikolatam/keiko-dapp`` at ``HEAD``, destination
``https://kubernetes.default.svc``, automated sync with prune and self-heal,
``CreateNamespace=true``). Here, in each environment (namespace ``argocd``):

- ``keiko-apps`` syncs this folder, ``dist/<env>/keiko-apps``, so it manages itself and its child:
  ``kubectl apply -f dist/<env>/keiko-apps/manifest.yaml`` once bootstraps Keiko;
- its child ``keiko-platform-<env>`` syncs ``dist/<env>/keiko`` (the app ``keiko``: microservices,
  collector, secrets, network policy, backup) into ``keiko-<env>`` on the environment's cluster.

Both carry the seed's sync policy (automated, prune, self-heal, ``CreateNamespace=true``) in every
environment. synth's own Argo CD wiring also writes ``keiko-<env>`` and ``keiko-apps-<env>`` into
``dist/<env>/argocd-apps`` for these two folders; ``apps.keiko.sync`` and ``apps.keiko-apps.sync``
keep those manual in the environment files, so that only this app-of-apps applies Keiko.

Modernised: the seed pointed its Application at the Kustomize overlay ``k8s/overlays/production``
whatever the environment; the child now points at the rendered ``dist/<env>/keiko`` folder that
synth writes for its own environment (Argo CD's rendered-manifests layout). A check at synth
refuses a child whose folder synth does not produce, or whose destination namespace is not the
namespace of that app's objects.
"""

from __future__ import annotations

from collections.abc import Iterator

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.argocd import FINALIZER_FOREGROUND, Application, ApplicationSource, ApplicationSpec, Destination
from cdk8s_gitops.core.chart import chart_of
from cdk8s_gitops.core.errors import Problem
from cdk8s_gitops.core.validation import Check, ObjectIndex
from cdk8s_gitops.environment import ResolvedAppSettings, SyncPolicySpec
from cdk8s_gitops.platform import sync_policy

APP_NAME = "keiko-apps"
REPO_URL = "https://github.com/keikolatam/keiko-dapp"
REVISION = "HEAD"
PROJECT = "default"
IN_CLUSTER = "https://kubernetes.default.svc"
CHILDREN = {"keiko": "keiko-platform"}
"""The apps whose dist/ folders the children sync, with the child's name (``-<env>`` added)."""
SYNC = SyncPolicySpec(automated=True, prune=True, self_heal=True, sync_options=("CreateNamespace=true",))
"""The seed's sync policy of keiko-apps, for the parent and its children."""


def child_namespace(app: str, env: ResolvedAppSettings) -> str:
    """The namespace of ``app`` in this environment (the environments' scheme ``{app}-{env}``)."""
    return f"{app}-{env.environment}"


def _check_children(children: dict[str, tuple[str, str]]) -> Check:
    """A synth check: each child's folder is produced and its namespace is the app's."""
    def check(index: ObjectIndex) -> Iterator[Problem]:
        for name, (app, path) in children.items():
            subject = f"Application {name!r}"
            if index.dist_paths and path not in index.dist_paths:
                yield Problem(subject, "spec.source.path", f"{path!r} is not a folder synth produces",
                              f"list {app!r} under apps: in the environment file, or point at one of: "
                              f"{', '.join(sorted(index.dist_paths))}")
            child = next((o for o in index.objects if o.name == name and o.kind == "Application"), None)
            want = ((child.manifest.get("spec") or {}).get("destination") or {}).get("namespace") if child else None
            found = sorted({o.namespace for o in index.objects if o.app == app and o.namespace})
            if want and found and found != [want]:
                yield Problem(subject, "spec.destination.namespace",
                              f"{want!r} is not the namespace of app {app!r}'s objects ({', '.join(found)})",
                              f"set apps.{app}.namespace to {want!r} in the environment file, or change child_namespace")
    return check


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    base = f"{env.git.dist_path}/{env.environment}"
    policy = sync_policy(SYNC)
    TypedResource(scope, Application(
        metadata=ObjectMeta(name=APP_NAME, namespace=env.namespace),
        spec=ApplicationSpec(
            project=PROJECT,
            source=ApplicationSource(repo_url=REPO_URL, target_revision=REVISION, path=f"{base}/{APP_NAME}"),
            destination=Destination(server=IN_CLUSTER, namespace=env.namespace),
            sync_policy=policy)))
    children: dict[str, tuple[str, str]] = {}
    for app, child in CHILDREN.items():
        name = f"{child}-{env.environment}"
        path = f"{base}/{app}"
        children[name] = (app, path)
        TypedResource(scope, Application(
            metadata=ObjectMeta(name=name, namespace=env.namespace, labels={"app.kubernetes.io/part-of": app},
                                finalizers=[FINALIZER_FOREGROUND]),
            spec=ApplicationSpec(
                project=PROJECT,
                source=ApplicationSource(repo_url=REPO_URL, target_revision=REVISION, path=path),
                destination=Destination(server=env.cluster.server, namespace=child_namespace(app, env)),
                sync_policy=policy)))
    chart = chart_of(scope)
    if chart is not None:
        chart.add_check(chart, _check_children(children))
