"""BackingService: an off-the-shelf server (database, object store, registry) run safely in the cluster.

Where :class:`~cdk8s_gitops.platform.Microservice` runs *your* image, whose tag moves with
every release through ``environments/<env>.yaml``, a backing service runs an upstream image
pinned to one version in code (``postgres:17.6``, ``registry:3.0.0``) and keeps state on a
volume. From one :class:`BackingServiceProps` it composes:

- a ``StatefulSet`` with a claim template (``workload="StatefulSet"``, the default), or a
  ``Deployment`` with one ``PersistentVolumeClaim`` ``<name>-data`` and the ``Recreate``
  strategy (a ReadWriteOnce volume cannot be shared by two pods during a rolling update);
- a ``Service`` (``ClusterIP``, or ``NodePort`` when a port sets ``node_port``);
- a ``ServiceAccount`` without a token and a ``NetworkPolicy`` that admits the app's own
  pods, the namespaces listed in ``allow_from_namespaces``, or (``allow_from_anywhere``)
  every source, on the service's ports only;
- optionally, generated credentials: an External Secrets ``Password`` generator
  ``<name>-password`` and an ``ExternalSecret`` ``<name>-credentials`` that writes the
  Secret of the same name, created once (``refreshPolicy: CreatedOnce``, a server's password
  must not rotate under it) with fixed, non-secret keys (a user name) merged in from a
  template. The Secret is mounted read-only and ``<VAR>_FILE`` variables point at its files,
  so no secret value is in ``dist/`` or in the process environment.

Pods meet the restricted Pod Security Standard: non-root UID (at least 10000), no
privilege escalation, all capabilities dropped, seccomp ``RuntimeDefault``, read-only root
filesystem with ``emptyDir`` folders where the server writes, requests and limits, liveness
and readiness probes, ``imagePullPolicy: Always``. The image is pinned by tag, so the
workload carries checkov's skip for ``CKV_K8S_43`` (image by digest) with that reason,
unless the image is given by digest.

Example::

    db = BackingService(scope, "postgresql", BackingServiceProps(
        name="postgresql",
        image="postgres:17.6",
        ports=(BackingPort(name="postgres", port=5432),),
        credentials=GeneratedCredentials(fixed={"username": "shop"},
                                         file_env={"POSTGRES_USER_FILE": "username", "POSTGRES_PASSWORD_FILE": "password"}),
        volume=VolumeSettings(mount_path="/var/lib/postgresql/data", size="10Gi"),
        liveness=BackingProbe(command=("pg_isready", "-h", "127.0.0.1")),
    ))
    db.credentials_secret  # "postgresql-credentials": mount it in the apps that connect
    db.workload.resource   # the typed StatefulSet, read as .spec.template.spec.containers[0]...
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

import constructs
from pydantic import Field, field_validator, model_validator

from ..core.chart import chart_of
from ..core.images import parse_image
from ..core.labels import COMPONENT, NAME, PART_OF
from ..core.lazy import LazyConstruct
from ..core.model import ObjectMeta, Resource
from ..core.props import Items
from ..core.resource import TypedResource
from ..environment.spec import ResolvedAppSettings
from ..kube import (
    Container,
    ContainerPort,
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    EmbeddedPersistentVolumeClaim,
    EmptyDirVolumeSource,
    EnvVar,
    ExecAction,
    HTTPGetAction,
    LabelSelector,
    NetworkPolicy,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    PersistentVolumeClaim,
    PersistentVolumeClaimSpec,
    PersistentVolumeClaimVolumeSource,
    PodSpec,
    PodTemplateSpec,
    Probe,
    SecretVolumeSource,
    Service,
    ServiceAccount,
    ServicePort,
    ServiceSpec,
    StatefulSet,
    StatefulSetSpec,
    TCPSocketAction,
    Volume,
    VolumeMount,
    VolumeResourceRequirements,
)
from ..secrets import (
    ExternalSecret,
    ExternalSecretDataFrom,
    ExternalSecretSpec,
    ExternalSecretTarget,
    ExternalSecretTemplate,
    GeneratorRef,
    Password,
    PasswordSpec,
    SourceRef,
)
from .props import PropsModel, Resources, dns_label
from .security import restricted_container_security, restricted_pod_security

__all__ = [
    "BackingPort",
    "BackingProbe",
    "BackingService",
    "BackingServiceProps",
    "GeneratedCredentials",
    "VolumeSettings",
]

_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SECRET_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
PASSWORD_API = "generators.external-secrets.io/v1alpha1"


class BackingPort(PropsModel):
    """One port the server listens on, exposed by its Service under the same number.

    Attributes:
        name: the port's name (container port, Service port and probe reference); a lowercase
            IANA service name of at most 15 characters. Required.
        port: the container and Service port. Required.
        node_port: a fixed ``nodePort`` (30000-32767); any port with one makes the Service
            ``NodePort``. Default: none.
    """

    name: str
    port: Annotated[int, Field(ge=1, le=65535)]
    node_port: Annotated[int, Field(ge=30000, le=32767)] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 15 or not _PORT_NAME.match(value) or not re.search(r"[a-z]", value):
            raise ValueError(f"{value!r} is not a port name; use at most 15 lowercase letters, digits and '-', "
                             "with at least one letter, such as 'http' or 'postgres'")
        return value


class BackingProbe(PropsModel):
    """A liveness or readiness check: an HTTP GET, a command, or (neither given) a TCP connect.

    Attributes:
        http_path: HTTP path to GET (``/minio/health/live``). Default: none.
        command: command run in the container (``pg_isready -h 127.0.0.1``); exit 0 is healthy. Default: none.
        port: name of the port checked by HTTP and TCP probes. Default: the first port.
        initial_delay_seconds: ``initialDelaySeconds``. Default: 10.
        period_seconds: ``periodSeconds``. Default: 10.
        timeout_seconds: ``timeoutSeconds``. Default: 5.
        failure_threshold: ``failureThreshold``. Default: 6.
    """

    http_path: str | None = None
    command: Items[str] | None = None
    port: str | None = None
    initial_delay_seconds: Annotated[int, Field(ge=0)] = 10
    period_seconds: Annotated[int, Field(ge=1)] = 10
    timeout_seconds: Annotated[int, Field(ge=1)] = 5
    failure_threshold: Annotated[int, Field(ge=1)] = 6

    @model_validator(mode="after")
    def _one(self) -> BackingProbe:
        if self.http_path is not None and self.command is not None:
            raise ValueError("a probe sets both http_path and command; keep one (or neither, for a TCP check)")
        if self.http_path is not None and not self.http_path.startswith("/"):
            raise ValueError(f"http_path {self.http_path!r} does not start with '/'; write it as '/{self.http_path}'")
        if self.command is not None and not self.command:
            raise ValueError("command is empty; give the program and its arguments, or drop command for a TCP check")
        return self

    def probe(self, default_port: str) -> Probe:
        """The container probe (``livenessProbe`` or ``readinessProbe``)."""
        port = self.port or default_port
        http = HTTPGetAction(path=self.http_path, port=port) if self.http_path is not None else None
        exec_ = ExecAction(command=list(self.command)) if self.command is not None else None
        tcp = TCPSocketAction(port=port) if http is None and exec_ is None else None
        return Probe(http_get=http, exec=exec_, tcp_socket=tcp, initial_delay_seconds=self.initial_delay_seconds,
                     period_seconds=self.period_seconds, timeout_seconds=self.timeout_seconds,
                     failure_threshold=self.failure_threshold)


class VolumeSettings(PropsModel):
    """The server's persistent volume.

    Attributes:
        mount_path: where the volume is mounted. Required.
        size: requested size (``resources.requests.storage``). Default: ``10Gi``.
        storage_class: ``storageClassName``. Default: none (the cluster's default class).
        access_mode: the volume's access mode. Default: ``ReadWriteOnce``.
    """

    mount_path: str
    size: str = "10Gi"
    storage_class: str | None = None
    access_mode: Literal["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany"] = "ReadWriteOnce"

    @field_validator("mount_path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"mount_path {value!r} does not start with '/'; write it as '/{value}'")
        return value

    @field_validator("size")
    @classmethod
    def _size(cls, value: str) -> str:
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?", value):
            raise ValueError(f"size {value!r} is not a quantity; write it like '10Gi'")
        return value

    def claim_spec(self) -> PersistentVolumeClaimSpec:
        """The ``spec`` of the volume's claim (or claim template)."""
        return PersistentVolumeClaimSpec(access_modes=[self.access_mode], storage_class_name=self.storage_class or None,
                                         resources=VolumeResourceRequirements(requests={"storage": self.size}))


class GeneratedCredentials(PropsModel):
    """Credentials made in the cluster by an External Secrets ``Password`` generator, never written in Git.

    Attributes:
        generated_keys: keys of the Secret that get a generated password each. Default: ``password``.
        fixed: keys with fixed, non-secret values (a user name, a database name), merged into the
            Secret through the ExternalSecret's template. Default: none.
        length: length of each password. Default: 32.
        symbols: how many symbols each password holds; 0 keeps them safe in URLs and connection
            strings. Default: 0.
        file_env: environment variable -> Secret key: the variable holds the path of the key's
            file (``{"POSTGRES_PASSWORD_FILE": "password"}``). Default: none.
        mount_path: where the Secret is mounted read-only. Default: ``/var/run/secrets/<service name>``.
    """

    generated_keys: Items[str] = ("password",)
    fixed: dict[str, str] = Field(default_factory=dict)
    length: Annotated[int, Field(ge=12, le=128)] = 32
    symbols: Annotated[int, Field(ge=0)] = 0
    file_env: dict[str, str] = Field(default_factory=dict)
    mount_path: str | None = None

    @model_validator(mode="after")
    def _check(self) -> GeneratedCredentials:
        if not self.generated_keys:
            raise ValueError("generated_keys is empty; name at least one key to generate, such as 'password'")
        keys = (*self.generated_keys, *self.fixed)
        for key in keys:
            if not _SECRET_KEY.match(key):
                raise ValueError(f"key {key!r} is not a Secret key; use letters, digits, '-', '_' and '.'")
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"key {twice[0]!r} is both generated and fixed (or listed twice); give each key one source")
        for var, key in self.file_env.items():
            if not _ENV_NAME.match(var):
                raise ValueError(f"file_env: {var!r} is not an environment variable name; use letters, digits and '_'")
            if key not in keys:
                raise ValueError(f"file_env.{var}: key {key!r} is not in the Secret (keys: {', '.join(keys)}); "
                                 "use one of the generated or fixed keys")
        if self.mount_path is not None and not self.mount_path.startswith("/"):
            raise ValueError(f"mount_path {self.mount_path!r} does not start with '/'; write it as '/{self.mount_path}'")
        if self.symbols > self.length:
            raise ValueError(f"symbols ({self.symbols}) is more than length ({self.length}); lower symbols")
        return self


class BackingServiceProps(PropsModel):
    """What the server is; it runs one replica in every environment.

    Attributes:
        name: object names and the ``app.kubernetes.io/name`` label. Required.
        image: the upstream image *with* its pinned tag or digest (``postgres:17.6``). Required.
        ports: the ports it listens on (the first is the default for probes). Required, at least one.
        workload: ``StatefulSet`` (claim template ``data``) or ``Deployment`` (claim ``<name>-data``,
            ``Recreate``). Default: ``StatefulSet``.
        command, args: the container's command and arguments. Default: the image's.
        env: plain environment variables. Default: none.
        credentials: generated credentials, see :class:`GeneratedCredentials`. Default: none.
        volume: the persistent volume, see :class:`VolumeSettings`. Default: none (stateless).
        liveness: the liveness probe. Default: a TCP check of the first port.
        readiness: the readiness probe. Default: the liveness probe.
        resources: requests and limits. Default: see :class:`Resources`.
        run_as_user: the UID (and GID, fsGroup) the server runs as; at least 10000. Default: 10001.
        writable_paths: folders mounted as ``emptyDir`` (the root filesystem is read-only). Default: ``/tmp``.
        allow_from_namespaces: namespaces whose pods may connect (besides the app's own pods). Default: none.
        allow_from_anywhere: admit every source on the service's ports (needed for a NodePort reached
            from outside the cluster). Default: false.
        component: ``app.kubernetes.io/component``. Default: none.
    """

    name: str
    image: str
    ports: Items[BackingPort]
    workload: Literal["StatefulSet", "Deployment"] = "StatefulSet"
    command: Items[str] | None = None
    args: Items[str] | None = None
    env: dict[str, str] = Field(default_factory=dict)
    credentials: GeneratedCredentials | None = None
    volume: VolumeSettings | None = None
    liveness: BackingProbe = BackingProbe()
    readiness: BackingProbe | None = None
    resources: Resources = Resources()
    run_as_user: Annotated[int, Field(ge=10000)] = 10001
    writable_paths: Items[str] = ("/tmp",)
    allow_from_namespaces: Items[str] = ()
    allow_from_anywhere: bool = False
    component: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 50:  # leaves room for "-credentials"
            raise ValueError(f"{value!r} is {len(value)} characters; use at most 50 so that '<name>-credentials' stays a DNS label")
        return dns_label(value)

    @field_validator("image")
    @classmethod
    def _image(cls, value: str) -> str:
        try:
            ref = parse_image(value)
        except ValueError as exc:
            raise ValueError(f"{exc}; pin the upstream version, such as 'postgres:17.6'") from None
        if ref.tag in ("latest", "stable", "main", "master", "edge"):
            raise ValueError(f"{value!r} uses the mutable tag {ref.tag!r}; pin a version")
        return value

    @field_validator("allow_from_namespaces")
    @classmethod
    def _namespaces(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for ns in value:
            dns_label(ns)
        return value

    @model_validator(mode="after")
    def _check(self) -> BackingServiceProps:
        if not self.ports:
            raise ValueError("ports is empty; list the ports the server listens on")
        names = [p.name for p in self.ports]
        numbers = [p.port for p in self.ports]
        unique: tuple[tuple[str, list[Any]], ...] = (("name", names), ("number", numbers))
        for what, values in unique:
            twice = sorted({str(v) for v in values if values.count(v) > 1})
            if twice:
                raise ValueError(f"ports: {what} {twice[0]} is used twice; give each port its own name and number")
        for probe in (self.liveness, self.readiness):
            if probe is not None and probe.port is not None and probe.port not in names:
                raise ValueError(f"probe port {probe.port!r} is not one of the ports ({', '.join(names)}); use a port name")
        for path in self.writable_paths:
            if not path.startswith("/"):
                raise ValueError(f"writable path {path!r} does not start with '/'; write it as '/{path}'")
        for var in (*self.env, *(self.credentials.file_env if self.credentials else {})):
            if not _ENV_NAME.match(var):
                raise ValueError(f"env: {var!r} is not an environment variable name; use letters, digits and '_'")
        if self.credentials:
            both = sorted(set(self.env) & set(self.credentials.file_env))
            if both:
                raise ValueError(f"env: {both[0]!r} is set both in env and in credentials.file_env; keep one")
        return self


class BackingService(LazyConstruct):
    """An upstream server with its volume, Service, policy and generated credentials.

    Args:
        scope: a :class:`~cdk8s_gitops.core.chart.GitOpsChart` (``build(scope, env)``'s scope) or a construct in one.
        id: construct id, unique in the scope.
        props: the server's description.
        env: the app's settings in this environment (for the namespace and app name). Default: the chart's.

    Attributes set after construction (each the :class:`TypedResource` created, or None):
    ``service_account``, ``service``, ``workload``, ``claim`` (Deployment only), ``network_policy``,
    ``password`` (the generator), ``external_secret``; and ``credentials_secret``, the name of the
    generated Secret (or None), ``selector``, the pod labels.
    """

    def __init__(self, scope: constructs.Construct, id: str, props: BackingServiceProps,
                 env: ResolvedAppSettings | None = None) -> None:
        super().__init__(scope, id)
        chart = chart_of(scope)
        settings = env if env is not None else getattr(chart, "environment", None)
        if not isinstance(settings, ResolvedAppSettings):
            raise TypeError("BackingService needs the environment settings: pass env=, or create it in a GitOpsChart built by synth")
        self.props = props
        self.env = settings
        self.selector = {NAME: props.name, PART_OF: settings.app}
        name = props.name

        self.service_account = self._add(ServiceAccount(metadata=self._meta(name), automount_service_account_token=False))
        self.password = self.external_secret = None
        self.credentials_secret: str | None = None
        if props.credentials is not None:
            self.credentials_secret = f"{name}-credentials"
            self.password = self._add(self._password(props.credentials), sync_wave=-2)
            self.external_secret = self._add(self._external_secret(props.credentials), sync_wave=-1)
        self.service = self._add(self._service())
        self.claim = None
        if props.workload == "Deployment" and props.volume is not None:
            self.claim = self._add(PersistentVolumeClaim(metadata=self._meta(f"{name}-data"),
                                                         spec=props.volume.claim_spec()), sync_wave=-1)
        self.workload = self._add(self._workload())
        self.network_policy = self._add(self._network_policy())

    # -- helpers -------------------------------------------------------------------------
    def _add(self, resource: Resource, sync_wave: int | None = None) -> TypedResource:
        return TypedResource(self, resource, sync_wave=sync_wave)

    def _labels(self) -> dict[str, str]:
        labels = {**self.selector}
        if self.props.component:
            labels[COMPONENT] = self.props.component
        return labels

    def _meta(self, name: str, annotations: dict[str, str] | None = None) -> ObjectMeta:
        return ObjectMeta(name=name, namespace=self.env.namespace, labels=self._labels(), annotations=annotations)

    def _password(self, creds: GeneratedCredentials) -> Password:
        keys = list(creds.generated_keys) if creds.generated_keys != ("password",) else None
        return Password(metadata=self._meta(f"{self.props.name}-password"), spec=PasswordSpec(
            length=creds.length, symbols=creds.symbols, no_upper=False, allow_repeat=True, secret_keys=keys))

    def _external_secret(self, creds: GeneratedCredentials) -> ExternalSecret:
        template = ExternalSecretTemplate(engine_version="v2", merge_policy="Merge",
                                          data=dict(sorted(creds.fixed.items()))) if creds.fixed else None
        generator = GeneratorRef(api_version=PASSWORD_API, kind="Password", name=f"{self.props.name}-password")
        return ExternalSecret(metadata=self._meta(f"{self.props.name}-credentials"), spec=ExternalSecretSpec(
            refresh_policy="CreatedOnce",
            target=ExternalSecretTarget(name=self.credentials_secret, creation_policy="Owner", template=template),
            data_from=[ExternalSecretDataFrom(source_ref=SourceRef(generator_ref=generator))],
        ))

    def _service(self) -> Service:
        p = self.props
        node_port = any(port.node_port for port in p.ports)
        ports = [ServicePort(name=port.name, port=port.port, target_port=port.name, protocol="TCP",
                             node_port=port.node_port or None) for port in p.ports]
        return Service(metadata=self._meta(p.name), spec=ServiceSpec(
            type="NodePort" if node_port else "ClusterIP", selector=dict(self.selector), ports=ports))

    def _container(self) -> Container:
        p = self.props
        default_port = p.ports[0].name
        mounts = [VolumeMount(name=f"writable-{i}", mount_path=path) for i, path in enumerate(p.writable_paths)]
        if p.volume is not None:
            mounts.append(VolumeMount(name="data", mount_path=p.volume.mount_path))
        env = [EnvVar(name=k, value=v) for k, v in sorted(p.env.items())]
        if p.credentials is not None:
            mount = p.credentials.mount_path or f"/var/run/secrets/{p.name}"
            mounts.append(VolumeMount(name="credentials", mount_path=mount, read_only=True))
            env.extend(EnvVar(name=var, value=f"{mount}/{key}") for var, key in sorted(p.credentials.file_env.items()))
            env.sort(key=lambda e: e.name)
        return Container(
            name=p.name,
            image=p.image,
            image_pull_policy="Always",
            command=list(p.command) if p.command else None,
            args=list(p.args) if p.args else None,
            env=env or None,
            ports=[ContainerPort(name=port.name, container_port=port.port, protocol="TCP") for port in p.ports],
            resources=p.resources.requirements(),
            liveness_probe=p.liveness.probe(default_port),
            readiness_probe=(p.readiness or p.liveness).probe(default_port),
            security_context=restricted_container_security(p.run_as_user),
            volume_mounts=mounts,
        )

    def _pod_template(self) -> PodTemplateSpec:
        p = self.props
        volumes = [Volume(name=f"writable-{i}", empty_dir=EmptyDirVolumeSource()) for i, _ in enumerate(p.writable_paths)]
        if p.volume is not None and p.workload == "Deployment":
            volumes.append(Volume(name="data",
                                  persistent_volume_claim=PersistentVolumeClaimVolumeSource(claim_name=f"{p.name}-data")))
        if p.credentials is not None:
            volumes.append(Volume(name="credentials",
                                  secret=SecretVolumeSource(secret_name=self.credentials_secret, default_mode=0o440)))
        return PodTemplateSpec(
            metadata=ObjectMeta(labels=self._labels()),
            spec=PodSpec(
                service_account_name=p.name,
                automount_service_account_token=False,
                security_context=restricted_pod_security(p.run_as_user, fs_group_change_policy="OnRootMismatch"),
                containers=[self._container()],
                volumes=volumes or None,
            ),
        )

    def _workload(self) -> Deployment | StatefulSet:
        p = self.props
        pinned = "@sha256:" in p.image
        meta = self._meta(p.name, annotations=None if pinned else {
            "checkov.io/skip1": "CKV_K8S_43=upstream image pinned to a version tag in code"})
        selector = LabelSelector(match_labels=dict(self.selector))
        if p.workload == "Deployment":
            return Deployment(metadata=meta, spec=DeploymentSpec(
                replicas=1, revision_history_limit=5, selector=selector, template=self._pod_template(),
                strategy=DeploymentStrategy(type="Recreate")))
        claims = [EmbeddedPersistentVolumeClaim(metadata=ObjectMeta(name="data"), spec=p.volume.claim_spec())
                  ] if p.volume is not None else None
        return StatefulSet(metadata=meta, spec=StatefulSetSpec(
            replicas=1, revision_history_limit=5, selector=selector, template=self._pod_template(),
            service_name=p.name, volume_claim_templates=claims))

    def _network_policy(self) -> NetworkPolicy:
        p = self.props
        ports = [NetworkPolicyPort(protocol="TCP", port=port.port) for port in p.ports]
        peers: list[NetworkPolicyPeer] | None = None
        if not p.allow_from_anywhere:
            peers = [NetworkPolicyPeer(pod_selector=LabelSelector(match_labels={PART_OF: self.env.app}))]
            peers.extend(NetworkPolicyPeer(namespace_selector=LabelSelector(
                match_labels={"kubernetes.io/metadata.name": ns})) for ns in p.allow_from_namespaces)
        return NetworkPolicy(metadata=self._meta(p.name), spec=NetworkPolicySpec(
            pod_selector=LabelSelector(match_labels=dict(self.selector)), policy_types=["Ingress"],
            ingress=[NetworkPolicyIngressRule(from_=peers, ports=ports)]))
