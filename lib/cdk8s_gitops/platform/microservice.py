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

from typing import Annotated, Literal

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.errors import ManifestError, Problem, format_value
from ..core.images import ImageReference, check_repository, parse_pin, version_label
from ..core.labels import COMPONENT, NAME, PART_OF, VERSION
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta, Resource
from ..core.props import Items
from ..core.resource import TypedResource
from ..environment.spec import GatewaySpec, ResolvedAppSettings
from ..gateway import (
    GRPCBackendRef,
    GRPCRoute,
    GRPCRouteRule,
    GRPCRouteSpec,
    HTTPBackendRef,
    HTTPPathMatch,
    HTTPRoute,
    HTTPRouteMatch,
    HTTPRouteRule,
    HTTPRouteSpec,
    ParentReference,
)
from ..kube import (
    Container,
    ContainerPort,
    CrossVersionObjectReference,
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    EmptyDirVolumeSource,
    EnvFromSource,
    EnvVar,
    GRPCAction,
    HorizontalPodAutoscaler,
    HorizontalPodAutoscalerSpec,
    HTTPGetAction,
    LabelSelector,
    MetricSpec,
    MetricTarget,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    PodDisruptionBudget,
    PodDisruptionBudgetSpec,
    PodSpec,
    PodTemplateSpec,
    Probe,
    ResourceMetricSource,
    RollingUpdateDeployment,
    SecretEnvSource,
    SecretVolumeSource,
    Service,
    ServiceAccount,
    ServicePort,
    ServiceSpec,
    Volume,
    VolumeMount,
)
from ..observability import ScrapeEndpoint, ServiceMonitor, ServiceMonitorSpec
from ..rollouts import (
    BlueGreenStrategy,
    CanaryPause,
    CanaryStep,
    CanaryStrategy,
    Rollout,
    RolloutSelector,
    RolloutSpec,
    RolloutStrategy,
    analysis_step,
    gateway_api_routing,
    rollout_analysis,
)
from ..secrets import ExternalSecret, ExternalSecretData, ExternalSecretSpec, ExternalSecretTarget, RemoteRef, StoreRef
from .checks import EXTERNAL_ANNOTATION
from .props import MetricsSettings, PropsModel, Protocol, Resources, RouteSettings, SecretEnv, dns_label
from .security import restricted_container_security, restricted_pod_security

__all__ = ["Microservice", "MicroserviceProps"]

ROLLOUTS_API = "argoproj.io/v1alpha1"
#: ``app.kubernetes.io/component`` of the Service the ServiceMonitor selects.
PRIMARY_SERVICE = "primary-service"


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
    command: Items[str] | None = None
    args: Items[str] | None = None
    env: dict[str, str] = Field(default_factory=dict)
    secret_env: dict[str, SecretEnv] = Field(default_factory=dict)
    secret_mode: Literal["files", "env"] = "files"
    resources: Resources = Resources()
    health_path: str = "/healthz"
    readiness_path: str | None = None
    route: RouteSettings | None = RouteSettings()
    metrics: MetricsSettings | None = None
    writable_paths: Items[str] = ("/tmp",)
    run_as_user: Annotated[int, Field(ge=1)] = 10001
    component: str | None = None
    allow_from_apps: Items[str] = ()
    analysis_templates: Items[str] = ()

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


class Microservice(LazyConstruct):
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

        self.service_account = self._add(ServiceAccount(metadata=self._meta(name), automount_service_account_token=False))
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
        self.disruption_budget = self._add(PodDisruptionBudget(
            metadata=self._meta(name),
            spec=PodDisruptionBudgetSpec(max_unavailable=1, selector=LabelSelector(match_labels=dict(self.selector))),
        )) if min_replicas >= 2 else None
        self.network_policy = self._add(self._network_policy())
        self.service_monitor = self._add(self._service_monitor(props.metrics)) if props.metrics else None

    # -- helpers ---------------------------------------------------------------------
    def _add(self, resource: Resource, sync_wave: int | None = None) -> TypedResource:
        return TypedResource(self, resource, sync_wave=sync_wave)

    def _meta(self, name: str, *, labels: dict[str, str] | None = None,
              annotations: dict[str, str] | None = None) -> ObjectMeta:
        all_labels = {**self.selector}
        if self.props.component:
            all_labels[COMPONENT] = self.props.component
        return ObjectMeta(name=name, namespace=self.env.namespace, labels={**all_labels, **(labels or {})},
                          annotations=annotations)

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
        primary = name == p.name
        ports = [ServicePort(name="http" if p.protocol == "http" else "grpc", port=p.service_port, target_port="http",
                             protocol="TCP", app_protocol="kubernetes.io/h2c" if p.protocol == "grpc" else None)]
        if p.metrics and p.metrics.port:
            ports.append(ServicePort(name="metrics", port=p.metrics.port, target_port="metrics", protocol="TCP"))
        return Service(metadata=self._meta(name, labels={COMPONENT: PRIMARY_SERVICE} if primary else None),
                       spec=ServiceSpec(type="ClusterIP", selector=dict(self.selector), ports=ports))

    def _external_secret(self) -> TypedResource:
        store = self.env.secret_store
        p = self.props
        if store is None:
            raise ManifestError(Problem(
                f"Microservice {p.name!r}", "secret_env",
                f"reads secrets ({', '.join(sorted(p.secret_env))}) but environment {self.env.environment!r} has no secret_store",
                f"add secret_store to environments/{self.env.environment}.yaml"))
        data = [ExternalSecretData(secret_key=var, remote_ref=RemoteRef(key=ref.key, property=ref.property))
                for var, ref in sorted(p.secret_env.items())]
        annotations = {EXTERNAL_ANNOTATION: f"{store.kind} {store.name} is managed outside dist/"} if store.external else None
        return self._add(ExternalSecret(
            metadata=self._meta(p.name, annotations=annotations),
            spec=ExternalSecretSpec(refresh_interval=store.refresh_interval,
                                    secret_store_ref=StoreRef(kind=store.kind, name=store.name),
                                    target=ExternalSecretTarget(name=f"{p.name}-secrets", creation_policy="Owner"),
                                    data=data),
        ), sync_wave=-1)

    def _probes(self) -> tuple[Probe, Probe]:
        """Liveness and readiness probes: gRPC health checking, or HTTP GETs on the health paths."""
        p = self.props
        if p.protocol == "grpc":
            return (Probe(grpc=GRPCAction(port=p.port), period_seconds=10, failure_threshold=3),
                    Probe(grpc=GRPCAction(port=p.port), period_seconds=5, failure_threshold=3))
        return (Probe(http_get=HTTPGetAction(path=p.health_path, port="http"), period_seconds=10, failure_threshold=3),
                Probe(http_get=HTTPGetAction(path=p.readiness_path or p.health_path, port="http"),
                      period_seconds=5, failure_threshold=3))

    def _pod_template(self) -> PodTemplateSpec:
        p = self.props
        liveness, readiness = self._probes()
        ports = [ContainerPort(name="http", container_port=p.port, protocol="TCP")]
        if p.metrics and p.metrics.port:
            ports.append(ContainerPort(name="metrics", container_port=p.metrics.port, protocol="TCP"))
        volumes = [Volume(name=f"writable-{i}", empty_dir=EmptyDirVolumeSource()) for i, _ in enumerate(p.writable_paths)]
        mounts = [VolumeMount(name=f"writable-{i}", mount_path=path) for i, path in enumerate(p.writable_paths)]
        env = [EnvVar(name=k, value=v) for k, v in sorted(p.env.items())]
        env_from: list[EnvFromSource] | None = None
        if p.secret_env and p.secret_mode == "env":
            env_from = [EnvFromSource(secret_ref=SecretEnvSource(name=f"{p.name}-secrets"))]
        elif p.secret_env:
            mount = f"/var/run/secrets/{p.name}"
            env.extend(EnvVar(name=f"{var}_FILE", value=f"{mount}/{var}") for var in sorted(p.secret_env))
            mounts.append(VolumeMount(name="secrets", mount_path=mount, read_only=True))
            volumes.append(Volume(name="secrets", secret=SecretVolumeSource(secret_name=f"{p.name}-secrets", default_mode=0o440)))
        container = Container(
            name=p.name, image=self.image, image_pull_policy="Always", ports=ports, resources=p.resources.requirements(),
            liveness_probe=liveness, readiness_probe=readiness,
            security_context=restricted_container_security(p.run_as_user), volume_mounts=mounts,
            command=list(p.command) if p.command else None, args=list(p.args) if p.args else None,
            env=env or None, env_from=env_from)
        labels = {**self.selector, **({VERSION: self.version} if self.version else {})}
        return PodTemplateSpec(
            metadata=ObjectMeta(labels=labels),
            spec=PodSpec(service_account_name=p.name, automount_service_account_token=False,
                         security_context=restricted_pod_security(p.run_as_user), containers=[container],
                         volumes=volumes or None))

    def _workload_meta(self) -> ObjectMeta:
        skips = []
        if not self.env.image_policy.require_digest:
            skips.append("CKV_K8S_43=images are pinned by immutable tags that the environment's image_policy enforces")
        if self.props.secret_env and self.props.secret_mode == "env":
            skips.append("CKV_K8S_35=secret_mode env chosen: the application reads its secrets from environment variables")
        annotations = {f"checkov.io/skip{i}": text for i, text in enumerate(skips, 1)}
        return self._meta(self.props.name, annotations=annotations or None)

    def _replicas(self) -> int | None:
        """The environment's replica count, or None (unset) when an autoscaler owns it."""
        return None if self.env.autoscaling else self.env.replicas

    def _deployment(self) -> Deployment:
        strategy = (DeploymentStrategy(type="Recreate") if self.env.rollout.strategy == "recreate" else
                    DeploymentStrategy(type="RollingUpdate",
                                       rolling_update=RollingUpdateDeployment(max_surge="25%", max_unavailable=0)))
        return Deployment(metadata=self._workload_meta(), spec=DeploymentSpec(
            replicas=self._replicas(), revision_history_limit=5, selector=LabelSelector(match_labels=dict(self.selector)),
            strategy=strategy, template=self._pod_template()))

    def _canary_steps(self) -> list[CanaryStep]:
        steps = []
        for step in self.env.rollout.canary.steps:
            if step.set_weight is not None:
                steps.append(CanaryStep(set_weight=step.set_weight))
            elif step.pause is not None:
                steps.append(CanaryStep(pause=CanaryPause() if step.pause == "indefinite" else CanaryPause(duration=step.pause)))
            else:
                assert step.analysis is not None
                steps.append(analysis_step(step.analysis))
        return steps

    def _rollout(self) -> Rollout:
        p, rollout = self.props, self.env.rollout
        if rollout.strategy == "canary":
            routing = None
            if self.route is not None:
                routing = (gateway_api_routing(grpc_route=p.name, namespace=self.env.namespace) if p.protocol == "grpc"
                           else gateway_api_routing(p.name, namespace=self.env.namespace))
            strategy = RolloutStrategy(canary=CanaryStrategy(
                stable_service=f"{p.name}-stable", canary_service=f"{p.name}-canary",
                max_surge=rollout.canary.max_surge, max_unavailable=rollout.canary.max_unavailable,
                steps=self._canary_steps(), traffic_routing=routing,
                analysis=rollout_analysis(*p.analysis_templates, background=True) if p.analysis_templates else None))
        else:
            bg = rollout.blue_green
            strategy = RolloutStrategy(blue_green=BlueGreenStrategy(
                active_service=p.name, preview_service=f"{p.name}-preview", auto_promotion_enabled=bg.auto_promotion,
                scale_down_delay_seconds=bg.scale_down_delay_seconds, auto_promotion_seconds=bg.auto_promotion_seconds,
                preview_replica_count=bg.preview_replica_count,
                pre_promotion_analysis=rollout_analysis(*p.analysis_templates) if p.analysis_templates else None))
        return Rollout(metadata=self._workload_meta(), spec=RolloutSpec(
            replicas=self._replicas(), revision_history_limit=5, selector=RolloutSelector(match_labels=dict(self.selector)),
            template=self._pod_template(), strategy=strategy))

    def _route(self, gateway: GatewaySpec) -> TypedResource:
        p, route = self.props, self.props.route
        assert route is not None
        hostnames = list(route.hostnames) if route.hostnames is not None else [f"{p.name}.{gateway.domain}"]
        parent = ParentReference(name=gateway.name, namespace=gateway.namespace or None, section_name=gateway.section_name or None)
        canary = self.env.rollout.strategy == "canary"
        annotations = {"konghq.com/plugins": ",".join(route.kong_plugins)} if route.kong_plugins else None
        meta = self._meta(p.name, annotations=annotations)
        model: Resource
        if p.protocol == "grpc":
            grpc_backends = ([GRPCBackendRef(name=f"{p.name}-stable", port=p.service_port, weight=100),
                              GRPCBackendRef(name=f"{p.name}-canary", port=p.service_port, weight=0)] if canary else
                             [GRPCBackendRef(name=p.name, port=p.service_port)])
            model = GRPCRoute(metadata=meta, spec=GRPCRouteSpec(
                parent_refs=[parent], rules=[GRPCRouteRule(backend_refs=grpc_backends)], hostnames=hostnames or None))
        else:
            backends = ([HTTPBackendRef(name=f"{p.name}-stable", port=p.service_port, weight=100),
                         HTTPBackendRef(name=f"{p.name}-canary", port=p.service_port, weight=0)] if canary else
                        [HTTPBackendRef(name=p.name, port=p.service_port)])
            match = HTTPRouteMatch(path=HTTPPathMatch(type="PathPrefix", value=route.path_prefix))
            model = HTTPRoute(metadata=meta, spec=HTTPRouteSpec(
                parent_refs=[parent], rules=[HTTPRouteRule(matches=[match], backend_refs=backends)], hostnames=hostnames or None))
        return self._add(model)

    def _autoscaler(self) -> TypedResource:
        bounds = self.env.autoscaling
        assert bounds is not None
        kind = "Deployment" if self.env.rollout.strategy in ("recreate", "rolling") else "Rollout"
        api = "apps/v1" if kind == "Deployment" else ROLLOUTS_API
        return self._add(HorizontalPodAutoscaler(metadata=self._meta(self.props.name), spec=HorizontalPodAutoscalerSpec(
            scale_target_ref=CrossVersionObjectReference(api_version=api, kind=kind, name=self.props.name),
            min_replicas=bounds.min_replicas, max_replicas=bounds.max_replicas,
            metrics=[MetricSpec(type="Resource", resource=ResourceMetricSource(name="cpu", target=MetricTarget(
                type="Utilization", average_utilization=bounds.target_cpu_utilization)))])))

    def _service_monitor(self, metrics: MetricsSettings) -> ServiceMonitor:
        return ServiceMonitor(metadata=self._meta(self.props.name), spec=ServiceMonitorSpec(
            selector=LabelSelector(match_labels={**self.selector, COMPONENT: PRIMARY_SERVICE}),
            endpoints=[ScrapeEndpoint(port="metrics" if metrics.port else "http", path=metrics.path,
                                      interval=metrics.interval)]))

    def _network_policy(self) -> NetworkPolicy:
        p = self.props
        peers = [NetworkPolicyPeer(pod_selector=LabelSelector(match_labels={PART_OF: self.env.app}))]
        for other in p.allow_from_apps:
            peers.append(NetworkPolicyPeer(namespace_selector=LabelSelector(),
                                           pod_selector=LabelSelector(match_labels={PART_OF: other})))
        gateway = self.env.gateway
        if gateway is not None and p.route is not None and gateway.namespace:
            peers.append(_namespace_peer(gateway.namespace))
        rules = [NetworkPolicyIngressRule(from_=peers, ports=[NetworkPolicyPort(protocol="TCP", port=p.port)])]
        if p.metrics:
            rules.append(NetworkPolicyIngressRule(from_=[_namespace_peer(p.metrics.scraper_namespace)],
                                                  ports=[NetworkPolicyPort(protocol="TCP", port=p.metrics.port or p.port)]))
        return NetworkPolicy(metadata=self._meta(p.name), spec=NetworkPolicySpec(
            pod_selector=LabelSelector(match_labels=dict(self.selector)), policy_types=["Ingress"], ingress=rules))


def _namespace_peer(namespace: str) -> NetworkPolicyPeer:
    """A peer selecting every pod of one namespace, by its ``kubernetes.io/metadata.name`` label."""
    return NetworkPolicyPeer(namespace_selector=LabelSelector(match_labels={"kubernetes.io/metadata.name": namespace}))
