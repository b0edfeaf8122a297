"""Platform add-ons as Argo CD Applications of pinned Helm charts.

:data:`CATALOG` lists the controllers the reference platforms need, each with its chart
repository, chart name, a pinned chart version and the namespace it installs into.
:class:`HelmAddon` turns one into an ``Application`` (in Argo CD's namespace) whose
source is that chart at that version, with values as a structured ``valuesObject``.
Add-ons sync before the apps that use their CRDs (sync wave -10 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import constructs

from ..argocd import FINALIZER_FOREGROUND, Application, ApplicationSource, ApplicationSpec, Destination, HelmSource
from ..core.chart import chart_of
from ..core.errors import ManifestError, Problem
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta
from ..core.resource import TypedResource
from ..environment.spec import ResolvedAppSettings, SyncPolicySpec
from .argocd_wiring import sync_policy

__all__ = ["CATALOG", "IN_CLUSTER", "HelmAddon", "HelmChart"]

#: The cluster Argo CD runs in, as Argo CD names it.
IN_CLUSTER = "https://kubernetes.default.svc"


@dataclass(frozen=True)
class HelmChart:
    """Where an add-on's chart comes from and which version is pinned."""

    repo_url: str
    chart: str
    version: str
    namespace: str
    server_side_apply: bool = False
    """Large CRDs exceed the client-side apply annotation limit; apply them server-side."""
    with_argocd: bool = False
    """The chart belongs next to Argo CD: it installs into the environment's ``argocd.namespace`` (``namespace``
    is then only the fallback outside an environment)."""


CATALOG: dict[str, HelmChart] = {
    "argo-rollouts": HelmChart("https://argoproj.github.io/argo-helm", "argo-rollouts", "2.40.1", "argo-rollouts"),
    "argo-workflows": HelmChart("https://argoproj.github.io/argo-helm", "argo-workflows", "0.45.19", "argo-workflows", True),
    "argocd-image-updater": HelmChart("https://argoproj.github.io/argo-helm", "argocd-image-updater", "0.12.3", "argocd",
                                          with_argocd=True),
    "external-secrets": HelmChart("https://charts.external-secrets.io", "external-secrets", "0.19.2", "external-secrets", True),
    "kong": HelmChart("https://charts.konghq.com", "ingress", "0.19.0", "kong"),
    "cert-manager": HelmChart("https://charts.jetstack.io", "cert-manager", "v1.18.2", "cert-manager"),
    "cloudnative-pg": HelmChart("https://cloudnative-pg.github.io/charts", "cloudnative-pg", "0.25.0", "cnpg-system", True),
    # 0.49 is the first release serving kafka.strimzi.io/v1, the version the Strimzi models emit.
    "strimzi": HelmChart("https://strimzi.io/charts/", "strimzi-kafka-operator", "0.49.0", "strimzi"),
    "velero": HelmChart("https://vmware-tanzu.github.io/helm-charts", "velero", "10.0.10", "velero"),
    "opentelemetry-operator": HelmChart("https://open-telemetry.github.io/opentelemetry-helm-charts",
                                        "opentelemetry-operator", "0.90.4", "opentelemetry-operator-system"),
    "kube-prometheus-stack": HelmChart("https://prometheus-community.github.io/helm-charts", "kube-prometheus-stack",
                                       "75.15.1", "monitoring", True),
}


class HelmAddon(LazyConstruct):
    """An add-on from :data:`CATALOG` (or a chart you describe) as an Argo CD Application.

    Args:
        scope: a construct in a GitOpsChart.
        name: the Application's name and the catalog key (``argo-rollouts``).
        chart: the chart, when ``name`` is not in the catalog or to pin another version. Default: the catalog's.
        values: Helm values (``spec.source.helm.valuesObject``). Default: none (the chart's).
        namespace: where the chart installs. Default: the catalog's.
        argocd_namespace: where the Application lives. Default: the environment's ``argocd.namespace``
            (``argocd`` outside an environment).
        project: the AppProject. Default: the environment's ``argocd.project`` (``default`` outside one).
        server: the cluster the chart installs into (``destination.server``). Default: the environment's
            ``cluster.server`` (``https://kubernetes.default.svc`` outside one), like the apps' Applications.
        sync_wave: the Application's sync wave. Default: -10 (before the apps using its CRDs).
        env: the settings above and the sync policy come from. Default: the chart's environment
            (without one: automated, prune, self-heal).

    Attributes:
        application: the :class:`TypedResource` of the Application.
    """

    def __init__(self, scope: constructs.Construct, name: str, *, chart: HelmChart | None = None,
                 values: dict[str, Any] | None = None, namespace: str | None = None,
                 argocd_namespace: str | None = None, project: str | None = None, server: str | None = None,
                 sync_wave: int = -10, env: ResolvedAppSettings | None = None) -> None:
        super().__init__(scope, f"addon-{name}")
        gitops_chart = chart_of(scope)
        self._gitops_chart = gitops_chart
        spec_chart = chart or CATALOG.get(name)
        if spec_chart is None:
            raise ManifestError(Problem(f"HelmAddon {name!r}", "chart", "is not in the catalog and no chart was given",
                                        f"pass chart=HelmChart(...) or use one of: {', '.join(sorted(CATALOG))}"))
        settings = env or getattr(gitops_chart, "environment", None)
        resolved = settings if isinstance(settings, ResolvedAppSettings) else None
        sync = resolved.sync if resolved else SyncPolicySpec(automated=True, prune=True, self_heal=True)
        argocd_namespace = argocd_namespace or (resolved.argocd_namespace if resolved else "argocd")
        project = project or (resolved.argocd_project if resolved else "default")
        server = server or (resolved.cluster.server if resolved else IN_CLUSTER)
        chart_namespace = argocd_namespace if spec_chart.with_argocd and resolved else spec_chart.namespace
        extra = ("CreateNamespace=true", *(("ServerSideApply=true",) if spec_chart.server_side_apply else ()))
        source = ApplicationSource(repo_url=spec_chart.repo_url, chart=spec_chart.chart, target_revision=spec_chart.version,
                                   helm=HelmSource(release_name=name, values_object=values or None))
        self.application = TypedResource(self, Application(
            metadata=ObjectMeta(name=name, namespace=argocd_namespace, finalizers=[FINALIZER_FOREGROUND]),
            spec=ApplicationSpec(project=project, source=source,
                                 destination=Destination(server=server, namespace=namespace or chart_namespace),
                                 sync_policy=sync_policy(sync, extra_options=extra))), sync_wave=sync_wave)
