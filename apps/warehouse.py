"""warehouse: the warehouse-network web frontend in dev, staging and production, isolated, monitored and backed up.

What the seed (002, "GitOps Architecture Overview" of warehouse-network) asks for, and where it is:

- One workload, the frontend ``web`` (``apps/web`` in the seed), as a :class:`Microservice` whose
  strategy, scaling and image tag come from ``environments/<env>.yaml`` (``apps.warehouse``):
  dev ``Recreate`` with 1 replica and no HPA (``autoscaling_disabled``), staging ``RollingUpdate``
  with an HPA 2-5, production an Argo Rollouts blue-green Rollout with an HPA 3-20.
  Image tags ``dev-<sha>``, ``staging-<sha>`` and ``v<semver>`` are enforced per environment by
  ``image_policy.tag_pattern``; the moving ``dev-latest``/``staging-latest``/``prod-latest`` tags
  the seed also pushes are refused (mutable), so every deploy is a Git commit.
- Production is **blue-green**, not canary: the seed promotes to production through a manual
  review and wants "immediate" rollback. Blue-green keeps the previous version running at full size
  (``scaleDownDelaySeconds``) after promotion, so rolling back is a Service selector switch with no
  pods to start, and the new version waits as a full-size preview (``web-preview``) until someone
  promotes it (``autoPromotionEnabled: false``), which matches the manual review. It also needs no
  traffic-splitting support from the (global) load balancer in front, which a canary would.
- Namespaces ``warehouse-dev``, ``warehouse-staging``, ``warehouse-prod`` (per-app namespace
  override). Namespace isolation through :class:`NamespaceBaseline`: the Namespace with Pod Security
  Admission labels (``restricted``), a ``default-deny`` NetworkPolicy (ingress and egress) plus
  ``allow-dns``, next to the Microservice's own NetworkPolicy ``web`` (gateway, the app and
  Prometheus in), and a ResourceQuota ``namespace-quota`` sized from the environment's capabilities:
  room for two full versions of ``web`` at the most replicas it may run (a blue-green preview at full
  size, a rolling surge, or Recreate's terminating pods), no LoadBalancer/NodePort Services, no volumes.
- Monitoring: the platform alert pack as PrometheusRule ``warehouse-alerts`` (deployment failures:
  DeploymentRolloutStuck / RolloutDegraded / RolloutAborted; sync out of date for more than 5 minutes:
  ArgoCDApplicationOutOfSync with ``for: 5m``; health degraded: ArgoCDApplicationDegraded; resource
  limits: ContainerMemoryNearLimit / ContainerCPUNearLimit), a ServiceMonitor for the app's metrics,
  and the three dashboards of the seed as ConfigMaps labelled ``grafana_dashboard`` for Grafana's
  sidecar: ``warehouse-deployment-dashboard`` ("Deployment Dashboard": sync status, deployment
  frequency), ``warehouse-application-dashboard`` ("Application Dashboard": health, performance,
  errors) and ``warehouse-cost-dashboard`` ("Cost Dashboard": resource utilization, cost per
  environment). Dashboards are built with ``grafana-foundation-sdk``.
- Disaster recovery: a daily Velero ``Schedule`` (``0 2 * * *``, 30-day TTL) backing up the app's
  namespace; it lives in Velero's namespace ``velero``, where the Velero server reads schedules.
- The Argo CD side (AppProject per team, app-of-apps parent ``app-of-apps`` with the children
  ``warehouse-dev``, ``warehouse-staging``, ``warehouse-prod``, auto-sync in dev and staging, manual
  in production) is ``apps/warehouse_gitops.py``.

Modernised: PodSecurityPolicy (removed in Kubernetes 1.25) becomes Pod Security Admission labels on
the Namespace; Kustomize base/overlays become one module plus per-environment data in
``environments/``; the per-environment Dockerfiles and GitHub Actions workflows stay in the seed's
source repository (CI writes the new tag with ``cdk8s-gitops set-image``).

Left out: the seed's GKE/GAR specifics it does not spell out (registry path: the image below is a
placeholder in Google Artifact Registry form; ports: the Microservice default 8080; domains: the
environment's gateway domain); the optional Argo CD Vault Plugin and any secret (the seed names none;
the environments' ClusterSecretStore is ready when the app needs one); database backups with
point-in-time recovery (the seed has no database object); Trivy and registry scanning, branch
protection and signed commits (CI and Git hosting, not cluster objects); multi-region clusters,
the global load balancer and cross-region replication (infrastructure outside Kubernetes objects).
"""

from __future__ import annotations

import json
from typing import Any

from constructs import Construct
from grafana_foundation_sdk.builders import dashboard as gdb
from grafana_foundation_sdk.builders import prometheus, stat, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef, VariableRefresh

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.addons.velero import BackupSpec, Schedule, ScheduleSpec
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.observability import alert_pack
from cdk8s_gitops.platform import MetricsSettings, Microservice, MicroserviceProps, Resources
from cdk8s_gitops.platform.dashboards import GrafanaDashboard, GrafanaDashboardProps
from cdk8s_gitops.platform.namespace import NamespaceBaseline, NamespaceBaselineProps, QuotaSettings

IMAGE = "us-docker.pkg.dev/warehouse-network/warehouse/web"
"""The web image in Google Artifact Registry (the seed gives no path); the tag comes from the environment."""

PROJECT = "warehouse"
"""The team's Argo CD AppProject (apps/warehouse_gitops.py); dashboards select its applications."""

VELERO_NAMESPACE = "velero"
BACKUP_SCHEDULE = "0 2 * * *"
BACKUP_TTL = "720h0m0s"

WEB_RESOURCES = Resources(cpu_request="100m", cpu_limit="500m", memory_request="128Mi", memory_limit="256Mi")
WAREHOUSE_NAMESPACES = "warehouse-.*"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    NamespaceBaseline(scope, "baseline", NamespaceBaselineProps(namespace=env.namespace, quota=_quota(env)))
    Microservice(scope, "web", MicroserviceProps(
        name="web",
        image=IMAGE,
        port=8080,
        resources=WEB_RESOURCES,
        metrics=MetricsSettings(path="/metrics"),
    ))
    TypedResource(scope, alert_pack("warehouse-alerts", namespace=env.namespace, out_of_sync_for="5m"))
    for name, dashboard in (("warehouse-deployment-dashboard", deployment_dashboard()),
                            ("warehouse-application-dashboard", application_dashboard()),
                            ("warehouse-cost-dashboard", cost_dashboard())):
        GrafanaDashboard(scope, name, GrafanaDashboardProps(name=name, namespace=env.namespace, folder="Warehouse",
                                                            dashboard=dashboard))
    # Velero reads Schedules from its own namespace; the backup covers the app's namespace.
    TypedResource(scope, Schedule(
        metadata=ObjectMeta(name=f"{env.namespace}-daily", namespace=VELERO_NAMESPACE),
        spec=ScheduleSpec(schedule=BACKUP_SCHEDULE, use_owner_references_in_backup=False,
                          template=BackupSpec(included_namespaces=[env.namespace], ttl=BACKUP_TTL)),
    ))


def _quota(env: ResolvedAppSettings) -> QuotaSettings:
    """Room for two full versions of ``web`` at the most replicas the environment lets it run."""
    most = env.autoscaling.max_replicas if env.autoscaling else env.replicas
    r = WEB_RESOURCES
    return QuotaSettings.for_pods(2 * most, cpu_request=r.cpu_request, cpu_limit=r.cpu_limit,
                                  memory_request=r.memory_request, memory_limit=r.memory_limit)


# -- dashboards ---------------------------------------------------------------------------------------
_DS = DataSourceRef(type_val="prometheus", uid="${datasource}")


def _data(builder: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(builder.build(), cls=JSONEncoder))
    return data


def _board(title: str, uid: str, description: str) -> gdb.Dashboard:
    return (gdb.Dashboard(title).uid(uid).description(description).tags(["warehouse", "gitops"])
            .time("now-24h", "now").refresh("1m")
            .with_variable(gdb.DatasourceVariable("datasource").label("Data source").type("prometheus"))
            .with_variable(gdb.QueryVariable("namespace").label("Environment").datasource(_DS)
                           .query(f'label_values(kube_namespace_status_phase{{namespace=~"{WAREHOUSE_NAMESPACES}"}}, namespace)')
                           .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED).multi(True).include_all(True)))


def _query(expr: str, legend: str, ref: str = "A") -> prometheus.Dataquery:
    return prometheus.Dataquery().expr(expr).legend_format(legend).ref_id(ref)


def _stat(panel_id: int, title: str, expr: str, legend: str, unit: str = "short", width: int = 6) -> stat.Panel:
    return (stat.Panel().id(panel_id).title(title).datasource(_DS).unit(unit).span(width).height(5)
            .with_target(_query(expr, legend)))


def _series(panel_id: int, title: str, targets: list[tuple[str, str]], unit: str = "short", width: int = 12) -> timeseries.Panel:
    panel = timeseries.Panel().id(panel_id).title(title).datasource(_DS).unit(unit).span(width).height(8)
    for i, (expr, legend) in enumerate(targets):
        panel = panel.with_target(_query(expr, legend, chr(ord("A") + i)))
    return panel


def deployment_dashboard() -> dict[str, Any]:
    """Sync status and deployment frequency of the team's Argo CD applications and the web rollout."""
    apps = f'project="{PROJECT}"'
    board = (_board("Deployment Dashboard", "warehouse-deployment",
                    "Argo CD sync status and deployment frequency of the warehouse applications.")
             .with_row(gdb.Row("Sync status").id(100))
             .with_panel(_stat(1, "Applications out of sync", f'sum(argocd_app_info{{{apps}, sync_status="OutOfSync"}}) or vector(0)', "out of sync"))
             .with_panel(_stat(2, "Applications degraded", f'sum(argocd_app_info{{{apps}, health_status="Degraded"}}) or vector(0)', "degraded"))
             .with_panel(_stat(3, "Syncs today", f'sum(increase(argocd_app_sync_total{{{apps}, phase="Succeeded"}}[1d]))', "syncs"))
             .with_panel(_stat(4, "Failed syncs today", f'sum(increase(argocd_app_sync_total{{{apps}, phase=~"Error|Failed"}}[1d]))', "failed"))
             .with_panel(_series(5, "Sync status by application", [
                 (f'sum by (name, sync_status) (argocd_app_info{{{apps}}})', "{{name}} {{sync_status}}")]))
             .with_panel(_series(6, "Health by application", [
                 (f'sum by (name, health_status) (argocd_app_info{{{apps}}})', "{{name}} {{health_status}}")]))
             .with_row(gdb.Row("Deployment frequency").id(101))
             .with_panel(_series(7, "Deployments per day", [
                 (f'sum by (name) (increase(argocd_app_sync_total{{{apps}, phase="Succeeded"}}[1d]))', "{{name}}")], width=24))
             .with_panel(_series(8, "Rollout phase (production blue-green)", [
                 ('sum by (namespace, name, phase) (rollout_info{namespace=~"$namespace"})', "{{namespace}}/{{name}} {{phase}}")]))
             .with_panel(_series(9, "Replica sets of web", [
                 ('count by (namespace) (kube_replicaset_spec_replicas{namespace=~"$namespace", replicaset=~"web-.*"} > 0)',
                  "{{namespace}}")])))
    return _data(board)


def application_dashboard() -> dict[str, Any]:
    """Health, performance and errors of the web frontend (HTTP metrics from its /metrics endpoint)."""
    ns = 'namespace=~"$namespace"'
    board = (_board("Application Dashboard", "warehouse-application",
                    "Health, performance and errors of the warehouse web frontend.")
             .with_row(gdb.Row("Health").id(100))
             .with_panel(_stat(1, "Ready pods", f'sum(kube_pod_status_ready{{{ns}, pod=~"web-.*", condition="true"}})', "ready"))
             .with_panel(_stat(2, "Restarts (1h)", f'sum(increase(kube_pod_container_status_restarts_total{{{ns}, container="web"}}[1h]))', "restarts"))
             .with_panel(_stat(3, "Scrape targets up", f'sum(up{{{ns}, service="web"}})', "up"))
             .with_panel(_stat(4, "Error ratio (5m)",
                               f'sum(rate(http_requests_total{{{ns}, service="web", code=~"5.."}}[5m])) '
                               f'/ sum(rate(http_requests_total{{{ns}, service="web"}}[5m]))', "5xx", unit="percentunit"))
             .with_row(gdb.Row("Performance").id(101))
             .with_panel(_series(5, "Requests per second", [
                 (f'sum by (namespace) (rate(http_requests_total{{{ns}, service="web"}}[5m]))', "{{namespace}}")], unit="reqps"))
             .with_panel(_series(6, "Latency p95", [
                 (f'histogram_quantile(0.95, sum by (namespace, le) (rate(http_request_duration_seconds_bucket{{{ns}, service="web"}}[5m])))',
                  "{{namespace}}")], unit="s"))
             .with_row(gdb.Row("Errors").id(102))
             .with_panel(_series(7, "5xx responses per second", [
                 (f'sum by (namespace, code) (rate(http_requests_total{{{ns}, service="web", code=~"5.."}}[5m]))',
                  "{{namespace}} {{code}}")], unit="reqps"))
             .with_panel(_series(8, "Replicas (HPA)", [
                 (f'sum by (namespace) (kube_horizontalpodautoscaler_status_current_replicas{{{ns}, horizontalpodautoscaler="web"}})',
                  "{{namespace}} current"),
                 (f'sum by (namespace) (kube_horizontalpodautoscaler_spec_max_replicas{{{ns}, horizontalpodautoscaler="web"}})',
                  "{{namespace}} max")])))
    return _data(board)


def cost_dashboard() -> dict[str, Any]:
    """Resource utilization against requests and quota, and an estimated monthly cost per environment."""
    ns = 'namespace=~"$namespace"'
    board = (_board("Cost Dashboard", "warehouse-cost",
                    "Resource utilization and estimated cost per environment (requests priced with the variables "
                    "cpu_price and memory_price, in currency per hour).")
             .with_variable(gdb.TextBoxVariable("cpu_price").label("Price per vCPU hour").default_value("0.0218"))
             .with_variable(gdb.TextBoxVariable("memory_price").label("Price per GiB hour").default_value("0.0029"))
             .with_row(gdb.Row("Cost per environment").id(100))
             .with_panel(_series(1, "Estimated monthly cost of requests", [
                 (f'sum by (namespace) (kube_pod_container_resource_requests{{{ns}, resource="cpu"}}) * $cpu_price * 730 '
                  f'+ sum by (namespace) (kube_pod_container_resource_requests{{{ns}, resource="memory"}}) / 1073741824 '
                  '* $memory_price * 730', "{{namespace}}")], unit="currencyUSD", width=24))
             .with_row(gdb.Row("Resource utilization").id(101))
             .with_panel(_series(2, "CPU used / requested", [
                 (f'sum by (namespace) (rate(container_cpu_usage_seconds_total{{{ns}, container!="", container!="POD"}}[5m])) '
                  f'/ sum by (namespace) (kube_pod_container_resource_requests{{{ns}, resource="cpu"}})', "{{namespace}}")],
                 unit="percentunit"))
             .with_panel(_series(3, "Memory used / requested", [
                 (f'sum by (namespace) (container_memory_working_set_bytes{{{ns}, container!="", container!="POD"}}) '
                  f'/ sum by (namespace) (kube_pod_container_resource_requests{{{ns}, resource="memory"}})', "{{namespace}}")],
                 unit="percentunit"))
             .with_panel(_series(4, "Quota used", [
                 (f'max by (namespace, resource) (kube_resourcequota{{{ns}, type="used"}}) '
                  f'/ on (namespace, resource) max by (namespace, resource) (kube_resourcequota{{{ns}, type="hard"}} > 0)',
                  "{{namespace}} {{resource}}")], unit="percentunit", width=24)))
    return _data(board)
