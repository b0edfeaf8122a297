"""Microservice: one service of an app, with everything it needs to run safely.

Composes, from one :class:`MicroserviceProps` and the app's environment settings:

- the workload: a ``Deployment`` (strategy ``recreate`` or ``rolling``) or an Argo
  Rollouts ``Rollout`` (``canary`` with Gateway API traffic splitting, or ``blue_green``);
- its Services (``<name>``; ``<name>-stable`` and ``<name>-canary`` for a canary;
  ``<name>-preview`` for blue-green);
- an ``HTTPRoute`` (or ``GRPCRoute``) on the environment's Gateway;
- an ``ExternalSecret`` for secret environment variables (never a Secret with values);
- a ``HorizontalPodAutoscaler`` when the environment autoscales, a ``PodDisruptionBudget``
  when more than one replica runs, a ``ServiceAccount`` without a token, a
  ``NetworkPolicy`` that lets in only the Gateway, the app itself and Prometheus, and a
  ``ServiceMonitor`` when metrics are scraped.

The construct reads capabilities from the environment (strategy, replicas, bounds,
gateway, secret store), never its name. Pods meet the restricted Pod Security Standard.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.errors import ManifestError, Problem, format_value
from ..core.images import ImageReference, check_repository, parse_pin, version_label
from ..core.labels import COMPONENT, NAME, PART_OF, VERSION
from ..core.model import Resource
from ..core.resource import TypedResource
from ..environment.spec import ResolvedAppSettings
from ..gateway import GRPCRoute, HTTPRoute
from ..kube import (
    Deployment,
    HorizontalPodAutoscaler,
    NetworkPolicy,
    PodDisruptionBudget,
    Service,
    ServiceAccount,
)
from ..observability import ServiceMonitor
from ..rollouts import Rollout
from ..secrets import ExternalSecret
from .checks import EXTERNAL_ANNOTATION
from .props import MetricsSettings, PropsModel, Protocol, Resources, RouteSettings, SecretEnv, dns_label
from .security import restricted_container_security, restricted_pod_security

__all__ = ["Microservice", "MicroserviceProps"]

ROLLOUTS_API = "argoproj.io/v1alpha1"


class MicroserviceProps(PropsModel):
    """What a microservice is; how it runs in an environment comes from the environment.

    Attributes:
        name: the service's name: object names, the ``app.kubernetes.io/name`` label, and the
            key of its image tag in ``environments/<env>.yaml`` (``apps.<app>.images.<name>``). Required.
        image: the image repository without a tag (``registry.example.com/shop/web``), by the OCI grammar
            (lower case, at most 255 characters). Required. The environment's ``images.<key>`` pins it:
            ``<tag>``, ``<tag>@sha256:...`` or ``sha256:...``; the pod label ``app.kubernetes.io/version`` is the
            tag, or ``sha256-<first 12 hex digits>`` for a digest alone.
        image_key: the key of the tag under ``images`` when it is not ``name``. Default: ``name``.
        port: the container port. Default: 8080.
        service_port: the port the Services expose. Default: 80.
        protocol: ``http`` (HTTPRoute, HTTP probes) or ``grpc`` (GRPCRoute, gRPC probes). Default: ``http``.
        command, args: the container's command and arguments. Default: the image's.
        env: plain environment variables. Default: none.
        secret_env: secrets read from the environment's secret store through an ExternalSecret
            named after the service (target Secret ``<name>-secrets``). Default: none.
        secret_mode: how the container sees them. ``files`` (default): the Secret is mounted
            read-only at ``/var/run/secrets/<name>/`` and ``<VAR>_FILE`` holds each file's path
            (secrets never sit in the process environment). ``env``: plain variables through
            ``envFrom`` (the object then carries a checkov skip for CKV_K8S_35, with the reason).
        resources: requests and limits. Default: see :class:`Resources`.
        health_path: HTTP path of the liveness and readiness probes. Default: ``/healthz``.
        readiness_path: HTTP path of the readiness probe. Default: ``health_path``.
        route: Gateway exposure, or ``None`` for an internal service. Default: exposed at
            ``<name>.<domain>`` when the environment has a gateway.
        metrics: Prometheus scraping, or ``None``. Default: none.
        writable_paths: folders mounted as ``emptyDir`` (the root filesystem is read-only). Default: ``/tmp``.
        run_as_user: the non-root UID the container runs as. Default: 10001.
        component: ``app.kubernetes.io/component``. Default: none.
        allow_from_apps: other apps' names (``app.kubernetes.io/part-of``) let in by the NetworkPolicy,
            in any namespace. Default: none (only this app and the gateway).
        analysis_templates: AnalysisTemplates run in the background during a canary. Default: none.
    """

    name: str
    image: str
    image_key: str | None = None
    port: Annotated[int, Field(ge=1, le=65535)] = 8080
    service_port: Annotated[int, Field(ge=1, le=65535)] = 80
    protocol: Protocol = "http"
    command: tuple[str, ...] | None = None
    args: tuple[str, ...] | None = None
    env: dict[str, str] = Field(default_factory=dict)
    secret_env: dict[str, SecretEnv] = Field(default_factory=dict)
    secret_mode: Literal["files", "env"] = "files"
    resources: Resources = Resources()
    health_path: str = "/healthz"
    readiness_path: str | None = None
    route: RouteSettings | None = RouteSettings()
    metrics: MetricsSettings | None = None
    writable_paths: tuple[str, ...] = ("/tmp",)
    run_as_user: Annotated[int, Field(ge=1)] = 10001
    component: str | None = None
    allow_from_apps: tuple[str, ...] = ()
    analysis_templates: tuple[str, ...] = ()

    @field_validator("command", "args", "writable_paths", "allow_from_apps", "analysis_templates", mode="before")
    @classmethod
    def _tuple(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 55:  # leaves room for "-canary"/"-preview" within 63
            raise ValueError(f"{value!r} is {len(value)} characters; use at most 55 so that '<name>-preview' stays a DNS label")
        return dns_label(value)

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        last = value.rsplit("/", 1)[-1] if isinstance(value, str) else ""
        if ":" in last or "@" in value:
            raise ValueError(f"{format_value(value, 60)} must be a repository without tag or digest; "
                             "the tag comes from environments/<env>.yaml (apps.<app>.images.<service>)")
        why = check_repository(value)
        if why:
            raise ValueError(f"{why}; the tag comes from environments/<env>.yaml (apps.<app>.images.<service>)")
        return value

    @model_validator(mode="after")
    def _paths(self) -> MicroserviceProps:
        for path in (self.health_path, self.readiness_path or self.health_path, *self.writable_paths):
            if not path.startswith("/"):
                raise ValueError(f"path {path!r} does not start with '/'; write it as '/{path}'")
        return self


class Microservice(constructs.Construct):
    """One service of an app: workload, Services, route, secrets, scaling, policy and monitoring.

    Args:
        scope: a :class:`~cdk8s_gitops.core.chart.GitOpsChart` (``build(scope, env)``'s scope) or a construct in one.
        id: construct id, unique in the scope.
        props: the service's description.
        env: the app's settings in this environment. Default: the chart's.

    ``tag`` is the environment's pin (``v1.2.3``, ``v1.2.3@sha256:...`` or ``sha256:...``), ``image`` the full
    reference the container runs, ``version`` the ``app.kubernetes.io/version`` label (or None).

    Attributes set after construction (each the :class:`TypedResource` created, or None):
    ``workload``, ``service``, ``stable_service``, ``canary_service``, ``preview_service``,
    ``route``, ``external_secret``, ``autoscaler``, ``disruption_budget``, ``network_policy``,
    ``service_account``, ``service_monitor``.
    """

    #: Its ExternalSecret reads the environment's ``secret_store`` and honours ``secret_store.external``.
    USES_ENVIRONMENT_SECRET_STORE = True


    def __init__(self, scope: constructs.Construct, id: str, props: MicroserviceProps,
                 env: ResolvedAppSettings | None = None) -> None:
        super().__init__(scope, id)
        chart = chart_of(scope)
        self._gitops_chart = chart
        settings = env if env is not None else getattr(chart, "environment", None)
        if not isinstance(settings, ResolvedAppSettings):
            raise TypeError("Microservice needs the environment settings: pass env=, or create it in a GitOpsChart built by synth")
        self.props = props
        self.env = settings
        app = settings.app
        name = props.name
        self.selector = {NAME: name, PART_OF: app}
        self.tag = self._tag()
        strategy = settings.rollout.strategy
        gateway = settings.gateway if props.route is not None else None

        self.service_account = self._add(ServiceAccount.build(metadata=self._meta(name),
                                                              automountServiceAccountToken=False))
        self.external_secret = self._external_secret() if props.secret_env else None
        self.service = self._add(self._service(name))
        self.stable_service = self.canary_service = self.preview_service = None
        if strategy == "canary":
            self.stable_service = self._add(self._service(f"{name}-stable"))
            self.canary_service = self._add(self._service(f"{name}-canary"))
        elif strategy == "blue_green":
            self.preview_service = self._add(self._service(f"{name}-preview"))
        self.route = self._route(gateway) if gateway is not None else None
        self.workload = self._add(self._rollout() if strategy in ("canary", "blue_green") else self._deployment())
        self.autoscaler = self._autoscaler() if settings.autoscaling else None
        min_replicas = settings.autoscaling.min_replicas if settings.autoscaling else settings.replicas
        self.disruption_budget = self._add(PodDisruptionBudget.build(
            metadata=self._meta(name), spec={"maxUnavailable": 1, "selector": {"matchLabels": self.selector}},
        )) if min_replicas >= 2 else None
        self.network_policy = self._add(self._network_policy())
        self.service_monitor = self._add(ServiceMonitor.build(
            metadata=self._meta(name),
            spec={"selector": {"matchLabels": {**self.selector, "app.kubernetes.io/component": "primary-service"}},
                  "endpoints": [{"port": "metrics" if props.metrics.port else "http", "path": props.metrics.path,
                                 "interval": props.metrics.interval}]},
        )) if props.metrics else None

    # -- helpers ---------------------------------------------------------------------
    def _add(self, resource: Resource, sync_wave: int | None = None) -> TypedResource:
        return TypedResource(self, resource, sync_wave=sync_wave)

    def _meta(self, name: str, **extra: Any) -> dict[str, Any]:
        labels = {**self.selector}
        if self.props.component:
            labels[COMPONENT] = self.props.component
        return {"name": name, "namespace": self.env.namespace, "labels": labels, **extra}

    def _tag(self) -> str:
        key = self.props.image_key or self.props.name
        try:
            pin = self.env.image_tag(key)
        except KeyError as exc:
            raise ManifestError(Problem(f"Microservice {self.props.name!r}", f"apps.{self.env.app}.images.{key}",
                                        str(exc.args[0]).split(" (known")[0],
                                        f"add it to environments/{self.env.environment}.yaml")) from None
        try:
            tag, digest = parse_pin(pin)
        except ValueError as exc:  # settings built in Python rather than loaded from a file
            message, _, fix = str(exc).partition("; ")
            raise ManifestError(Problem(f"Microservice {self.props.name!r}", f"apps.{self.env.app}.images.{key}",
                                        message, fix)) from None
        self.image = str(ImageReference(self.props.image, tag, digest))
        self.version = version_label(tag, digest)
        return pin

    def _service(self, name: str) -> Service:
        p = self.props
        labels = {"app.kubernetes.io/component": "primary-service"} if name == p.name else {}
        ports = [{"name": "http" if p.protocol == "http" else "grpc", "port": p.service_port, "targetPort": "http",
                  "protocol": "TCP", **({"appProtocol": "kubernetes.io/h2c"} if p.protocol == "grpc" else {})}]
        if p.metrics and p.metrics.port:
            ports.append({"name": "metrics", "port": p.metrics.port, "targetPort": "metrics", "protocol": "TCP"})
        meta = self._meta(name)
        meta["labels"] = {**meta["labels"], **labels}
        return Service.build(metadata=meta, spec={"type": "ClusterIP", "selector": dict(self.selector), "ports": ports})

    def _external_secret(self) -> TypedResource:
        store = self.env.secret_store
        p = self.props
        if store is None:
            raise ManifestError(Problem(
                f"Microservice {p.name!r}", "secret_env",
                f"reads secrets ({', '.join(sorted(p.secret_env))}) but environment {self.env.environment!r} has no secret_store",
                f"add secret_store to environments/{self.env.environment}.yaml"))
        data = []
        for var, ref in sorted(p.secret_env.items()):
            remote: dict[str, Any] = {"key": ref.key}
            if ref.property:
                remote["property"] = ref.property
            data.append({"secretKey": var, "remoteRef": remote})
        meta = self._meta(p.name)
        if store.external:
            meta["annotations"] = {EXTERNAL_ANNOTATION: f"{store.kind} {store.name} is managed outside dist/"}
        return self._add(ExternalSecret.build(
            metadata=meta,
            spec={"refreshInterval": store.refresh_interval,
                  "secretStoreRef": {"kind": store.kind, "name": store.name},
                  "target": {"name": f"{p.name}-secrets", "creationPolicy": "Owner"},
                  "data": data},
        ), sync_wave=-1)

    def _pod_template(self) -> dict[str, Any]:
        p = self.props
        probe_port = "http"
        if p.protocol == "grpc":
            liveness: dict[str, Any] = {"grpc": {"port": p.port}}
            readiness: dict[str, Any] = {"grpc": {"port": p.port}}
        else:
            liveness = {"httpGet": {"path": p.health_path, "port": probe_port}}
            readiness = {"httpGet": {"path": p.readiness_path or p.health_path, "port": probe_port}}
        liveness.update(periodSeconds=10, failureThreshold=3)
        readiness.update(periodSeconds=5, failureThreshold=3)
        ports = [{"name": "http", "containerPort": p.port, "protocol": "TCP"}]
        if p.metrics and p.metrics.port:
            ports.append({"name": "metrics", "containerPort": p.metrics.port, "protocol": "TCP"})
        volumes = [{"name": f"writable-{i}", "emptyDir": {}} for i, _ in enumerate(p.writable_paths)]
        container: dict[str, Any] = {
            "name": p.name,
            "image": self.image,
            "imagePullPolicy": "Always",
            "ports": ports,
            "resources": p.resources.requirements(),
            "livenessProbe": liveness,
            "readinessProbe": readiness,
            "securityContext": restricted_container_security(p.run_as_user),
            "volumeMounts": [{"name": f"writable-{i}", "mountPath": path} for i, path in enumerate(p.writable_paths)],
        }
        if p.command:
            container["command"] = list(p.command)
        if p.args:
            container["args"] = list(p.args)
        if p.env:
            container["env"] = [{"name": k, "value": v} for k, v in sorted(p.env.items())]
        if p.secret_env and p.secret_mode == "env":
            container["envFrom"] = [{"secretRef": {"name": f"{p.name}-secrets"}}]
        elif p.secret_env:
            mount = f"/var/run/secrets/{p.name}"
            container.setdefault("env", []).extend(
                {"name": f"{var}_FILE", "value": f"{mount}/{var}"} for var in sorted(p.secret_env))
            container["volumeMounts"].append({"name": "secrets", "mountPath": mount, "readOnly": True})
            volumes.append({"name": "secrets", "secret": {"secretName": f"{p.name}-secrets", "defaultMode": 0o440}})
        labels = {**self.selector, **({VERSION: self.version} if self.version else {})}
        return {
            "metadata": {"labels": labels},
            "spec": {
                "serviceAccountName": p.name,
                "automountServiceAccountToken": False,
                "securityContext": restricted_pod_security(p.run_as_user),
                "containers": [container],
                **({"volumes": volumes} if volumes else {}),
            },
        }

    def _workload_meta(self) -> dict[str, Any]:
        meta = self._meta(self.props.name)
        skips = []
        if not self.env.image_policy.require_digest:
            skips.append("CKV_K8S_43=images are pinned by immutable tags that the environment's image_policy enforces")
        if self.props.secret_env and self.props.secret_mode == "env":
            skips.append("CKV_K8S_35=secret_mode env chosen: the application reads its secrets from environment variables")
        if skips:
            meta["annotations"] = {f"checkov.io/skip{i}": text for i, text in enumerate(skips, 1)}
        return meta

    def _replicas(self) -> dict[str, Any]:
        return {} if self.env.autoscaling else {"replicas": self.env.replicas}

    def _deployment(self) -> Deployment:
        strategy: dict[str, Any] = ({"type": "Recreate"} if self.env.rollout.strategy == "recreate" else
                                    {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}})
        return Deployment.build(metadata=self._workload_meta(), spec={
            **self._replicas(), "revisionHistoryLimit": 5, "selector": {"matchLabels": dict(self.selector)},
            "strategy": strategy, "template": self._pod_template()})

    def _rollout(self) -> Rollout:
        p, rollout = self.props, self.env.rollout
        if rollout.strategy == "canary":
            steps: list[dict[str, Any]] = []
            for step in rollout.canary.steps:
                if step.set_weight is not None:
                    steps.append({"setWeight": step.set_weight})
                elif step.pause is not None:
                    steps.append({"pause": {} if step.pause == "indefinite" else {"duration": step.pause}})
                else:
                    steps.append({"analysis": {"templates": [{"templateName": step.analysis}]}})
            canary: dict[str, Any] = {"stableService": f"{p.name}-stable", "canaryService": f"{p.name}-canary",
                                      "maxSurge": rollout.canary.max_surge, "maxUnavailable": rollout.canary.max_unavailable,
                                      "steps": steps}
            if self.route is not None:
                kind = "grpcRoute" if p.protocol == "grpc" else "httpRoute"
                canary["trafficRouting"] = {"plugins": {"argoproj-labs/gatewayAPI": {kind: p.name, "namespace": self.env.namespace}}}
            if p.analysis_templates:
                canary["analysis"] = {"templates": [{"templateName": t} for t in p.analysis_templates]}
            strategy = {"canary": canary}
        else:
            bg = rollout.blue_green
            blue: dict[str, Any] = {"activeService": p.name, "previewService": f"{p.name}-preview",
                                    "autoPromotionEnabled": bg.auto_promotion, "scaleDownDelaySeconds": bg.scale_down_delay_seconds}
            if bg.auto_promotion_seconds is not None:
                blue["autoPromotionSeconds"] = bg.auto_promotion_seconds
            if bg.preview_replica_count is not None:
                blue["previewReplicaCount"] = bg.preview_replica_count
            if p.analysis_templates:
                blue["prePromotionAnalysis"] = {"templates": [{"templateName": t} for t in p.analysis_templates]}
            strategy = {"blueGreen": blue}
        return Rollout.build(metadata=self._workload_meta(), spec={
            **self._replicas(), "revisionHistoryLimit": 5, "selector": {"matchLabels": dict(self.selector)},
            "template": self._pod_template(), "strategy": strategy})

    def _route(self, gateway: Any) -> TypedResource:
        p, route = self.props, self.props.route
        assert route is not None
        hostnames = list(route.hostnames) if route.hostnames is not None else [f"{p.name}.{gateway.domain}"]
        parent: dict[str, Any] = {"name": gateway.name}
        if gateway.namespace:
            parent["namespace"] = gateway.namespace
        if gateway.section_name:
            parent["sectionName"] = gateway.section_name
        if self.env.rollout.strategy == "canary":
            backends = [{"name": f"{p.name}-stable", "port": p.service_port, "weight": 100},
                        {"name": f"{p.name}-canary", "port": p.service_port, "weight": 0}]
        else:
            backends = [{"name": p.name, "port": p.service_port}]
        meta = self._meta(p.name)
        if route.kong_plugins:
            meta["annotations"] = {"konghq.com/plugins": ",".join(route.kong_plugins)}
        if p.protocol == "grpc":
            spec: dict[str, Any] = {"parentRefs": [parent], "rules": [{"backendRefs": backends}]}
        else:
            spec = {"parentRefs": [parent],
                    "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": route.path_prefix}}], "backendRefs": backends}]}
        if hostnames:
            spec["hostnames"] = hostnames
        model: Resource = (GRPCRoute if p.protocol == "grpc" else HTTPRoute).build(metadata=meta, spec=spec)
        return self._add(model)

    def _autoscaler(self) -> TypedResource:
        bounds = self.env.autoscaling
        assert bounds is not None
        kind = "Deployment" if self.env.rollout.strategy in ("recreate", "rolling") else "Rollout"
        api = "apps/v1" if kind == "Deployment" else ROLLOUTS_API
        return self._add(HorizontalPodAutoscaler.build(metadata=self._meta(self.props.name), spec={
            "scaleTargetRef": {"apiVersion": api, "kind": kind, "name": self.props.name},
            "minReplicas": bounds.min_replicas, "maxReplicas": bounds.max_replicas,
            "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                "type": "Utilization", "averageUtilization": bounds.target_cpu_utilization}}}]}))

    def _network_policy(self) -> NetworkPolicy:
        p = self.props
        peers: list[dict[str, Any]] = [{"podSelector": {"matchLabels": {PART_OF: self.env.app}}}]
        for other in p.allow_from_apps:
            peers.append({"namespaceSelector": {}, "podSelector": {"matchLabels": {PART_OF: other}}})
        gateway = self.env.gateway
        if gateway is not None and p.route is not None and gateway.namespace:
            peers.append({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": gateway.namespace}}})
        rules = [{"from": peers, "ports": [{"protocol": "TCP", "port": p.port}]}]
        if p.metrics:
            rules.append({"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": p.metrics.scraper_namespace}}}],
                          "ports": [{"protocol": "TCP", "port": p.metrics.port or p.port}]})
        return NetworkPolicy.build(metadata=self._meta(p.name), spec={
            "podSelector": {"matchLabels": dict(self.selector)}, "policyTypes": ["Ingress"], "ingress": rules})
