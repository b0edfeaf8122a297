"""monorepo-appsets: the monorepo platform's Argo CD ApplicationSets ``infra`` and ``services``.

Seed 004 ("ArgoCD GitOps Setup") keeps two ApplicationSets per environment in
``argocd/appsets/<env>/`` and ships them only for dev; this app is that folder, synthesized
for dev (the environment's generated Application ``monorepo-appsets-dev`` applies it, so the
bootstrap is the environment's ``kubectl apply -f dist/dev/argocd-apps/manifest.yaml``).

Both are ``argoproj.io/v1alpha1`` ApplicationSets in Argo CD's namespace with Go templates
(``goTemplate: true``, ``goTemplateOptions: ["missingkey=error"]``), a Git directory generator
over the environment's repository and revision (``git.repo_url``/``git.revision``), the
generated Application's name taken from a path segment, automated sync with prune and
self-heal and the sync options ``CreateNamespace=true`` and ``ApplyOutOfSyncOnly=true`` (the
environment's ``sync`` settings), and ``ignoreApplicationDifferences`` on ``/spec/syncPolicy``
so that an operator may switch a generated Application to manual sync by hand.

Pointing them at ``dist/``: the seed's generators walk ``argocd/infra/*/envs/dev`` and
``argocd/services/*/envs/dev``, one folder per component. Synth writes one folder per app,
``<git.dist_path>/<env>/<app>``, and the monorepo platform is four apps, so the generators list
the app folders that belong to each set instead of a wildcard (a ``dist/dev/*`` glob would
also pick up the other platforms' apps and this one):

- ``infra``: ``dist/dev/monorepo-infra`` (cert-manager, the operators, Kafka, Kafka UI, Maildev,
  MinIO, Reflector, the gateway); name and destination namespace are the path segment after
  the environment (``monorepo-infra``), as in the seed; every object in it names its own namespace.
- ``services``: ``dist/dev/monorepo-services`` (the database, certificates, secret store, auth
  proxy, API route, Drizzle Gateway) and ``dist/dev/monorepo-temporal`` (Temporal and its UI);
  name from the path segment, destination namespace ``services``, as in the seed.

The segment index follows ``git.dist_path`` (``dist`` -> segment 2). The generated Applications
use the seed's project ``default`` and the environment's cluster (``cluster.server``).

Left out: the prod variant (the seed has no prod ApplicationSets; the Temporal app's production
folder is synced by the production environment's generated Application).
"""

from __future__ import annotations

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.argocd import ApplicationSet, ApplicationSetSpec, ApplicationSetTemplate, ApplicationSource, GitGenerator
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.models.argoproj_io_v1alpha1 import (
    ApplicationSetSpecGenerators,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec,
    ApplicationSetSpecGeneratorsGitDirectories,
    ApplicationSetSpecIgnoreApplicationDifferences,
    Destination,
)
from cdk8s_gitops.platform import template_sync_policy

INFRA_APPS = ("monorepo-infra",)
"""The app folders the ``infra`` ApplicationSet generates Applications for."""

SERVICES_APPS = ("monorepo-services", "monorepo-temporal")
"""The app folders the ``services`` ApplicationSet generates Applications for."""

SERVICES_NAMESPACE = "services"
"""Destination namespace of every generated services Application (the seed's)."""

PROJECT = "default"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    segment = len(env.git.dist_path.split("/")) + 1  # <dist_path...>/<env>/<app>
    name = f"{{{{ index .path.segments {segment} }}}}"
    _appset(scope, env, "infra", INFRA_APPS, destination_namespace=name, name_template=name)
    _appset(scope, env, "services", SERVICES_APPS, destination_namespace=SERVICES_NAMESPACE, name_template=name)


def _appset(scope: Construct, env: ResolvedAppSettings, appset: str, apps: tuple[str, ...], *,
            destination_namespace: str, name_template: str) -> None:
    base = f"{env.git.dist_path}/{env.environment}"
    spec = ApplicationSetSpec(
        go_template=True,
        go_template_options=["missingkey=error"],
        ignore_application_differences=[ApplicationSetSpecIgnoreApplicationDifferences(json_pointers=["/spec/syncPolicy"])],
        generators=[ApplicationSetSpecGenerators(git=GitGenerator(
            repo_url=env.git.repo_url,
            revision=env.git.revision,
            directories=[ApplicationSetSpecGeneratorsGitDirectories(path=f"{base}/{app}") for app in apps],
        ))],
        template=ApplicationSetTemplate(
            metadata=ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata(name=name_template),
            spec=ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec(
                project=PROJECT,
                source=ApplicationSource(repo_url=env.git.repo_url, target_revision=env.git.revision,
                                         path="{{ .path.path }}"),
                destination=Destination(server=env.cluster.server, namespace=destination_namespace),
                # The environment's sync settings, as the wiring writes them for its own Applications.
                sync_policy=template_sync_policy(env.sync),
            ),
        ),
    )
    TypedResource(scope, ApplicationSet(metadata=ObjectMeta(name=appset, namespace=env.namespace), spec=spec))
