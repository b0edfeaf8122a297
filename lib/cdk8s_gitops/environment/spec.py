"""EnvironmentSpec: what an environment *can do*, as data in ``environments/<name>.yaml``.

Constructs read capabilities (replicas, autoscaling bounds, rollout strategy, sync
policy, image policy, gateway and domain, secret store), never the environment's name.
Per-app values (``apps.<app>``) override the environment's defaults for that app only;
:meth:`EnvironmentSpec.for_app` resolves them.

Keys in the YAML are snake_case, exactly the field names below; unknown keys are refused.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Self, TypeVar, overload

from pydantic import Field, field_validator, model_validator

from ..core.errors import ManifestError, Problem, format_value
from ..core.fields import type_name
from ..core.images import ImageReference, parse_pin, version_label
from ..core.model import check_name
from ..core.props import Items
from ..core.units import parse_duration
from .base import SpecModel
from .image_policy import ImagePolicy, check_image_tag

__all__ = [
    "AppSettings",
    "ArgoCDSpec",
    "AutoscalingSpec",
    "BlueGreenSpec",
    "CanarySpec",
    "CanaryStepSpec",
    "ClusterSpec",
    "EnvironmentSpec",
    "GatewaySpec",
    "GitSpec",
    "ImagePolicy",
    "ResolvedAppSettings",
    "RolloutSpec",
    "SecretStoreSpec",
    "SyncPolicySpec",
    "check_image_tag",
]


T = TypeVar("T")

SettingValue = str | int | float | bool | list[Any] | dict[str, Any]  # a value of apps.<app>.settings


RESERVED_APP = "argocd-apps"
"""The dist/<env>/ folder that holds the generated Argo CD objects; no app may use this name."""



class ClusterSpec(SpecModel):
    """The cluster Argo CD deploys this environment to.

    Attributes:
        name: a human name for the cluster (``keikolatam-dev``). Default: ``in-cluster``.
        server: the Kubernetes API URL Argo CD targets (Application ``destination.server``).
            Default: ``https://kubernetes.default.svc`` (the cluster Argo CD runs in).
    """

    name: str = "in-cluster"
    server: str = "https://kubernetes.default.svc"

    @field_validator("server")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s]+$", value):
            raise ValueError(f"{value!r} is not a URL; use the API server URL, such as https://kubernetes.default.svc")
        return value


class GitSpec(SpecModel):
    """Where Argo CD reads the synthesized manifests from.

    Attributes:
        repo_url: the Git repository holding ``dist/`` (Application ``source.repoURL``). Required.
        revision: branch, tag or commit Argo CD syncs (``source.targetRevision``). Default: ``HEAD``.
        dist_path: the folder of ``dist/`` inside the repository. Default: ``dist``.
    """

    repo_url: str
    revision: str = "HEAD"
    dist_path: str = "dist"

    @field_validator("repo_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not re.match(r"^(https?://|ssh://|git@|file://)\S+$", value):
            raise ValueError(f"{value!r} is not a Git URL; use https://..., ssh://..., git@host:org/repo.git or file://...")
        return value

    @field_validator("dist_path")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError(f"{value!r} must be a path relative to the repository root, such as 'dist'")
        return value.strip("/")


class AutoscalingSpec(SpecModel):
    """Horizontal autoscaling bounds (a HorizontalPodAutoscaler per workload).

    Attributes:
        min_replicas: HPA ``minReplicas``. Required, at least 1.
        max_replicas: HPA ``maxReplicas``. Required, at least ``min_replicas``.
        target_cpu_utilization: average CPU utilization target in percent. Default: 70.
    """

    min_replicas: Annotated[int, Field(ge=1)]
    max_replicas: Annotated[int, Field(ge=1)]
    target_cpu_utilization: Annotated[int, Field(ge=1, le=100)] = 70

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.max_replicas < self.min_replicas:
            raise ValueError(
                f"max_replicas: must be at least min_replicas ({self.min_replicas}), got {self.max_replicas}; "
                "raise max_replicas or lower min_replicas"
            )
        return self


class CanaryStepSpec(SpecModel):
    """One canary step: exactly one of ``set_weight``, ``pause`` or ``analysis``.

    Attributes:
        set_weight: percent of traffic to the canary (Rollout ``setWeight``), 0-100.
        pause: how long to wait (``1m``), or ``indefinite`` to wait for a manual promotion
            (Rollout ``pause: {}``).
        analysis: the AnalysisTemplate to run at this step (Rollout ``analysis.templates``).
    """

    set_weight: Annotated[int, Field(ge=0, le=100)] | None = None
    pause: str | None = None
    analysis: str | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Self:
        set_ = [k for k in ("set_weight", "pause", "analysis") if getattr(self, k) is not None]
        if len(set_) != 1:
            raise ValueError(
                f"a step needs exactly one of set_weight, pause or analysis, got {', '.join(set_) or 'none'}; "
                "split it into one step per action"
            )
        if self.pause is not None and self.pause != "indefinite":
            parse_duration(self.pause)
        return self


class CanarySpec(SpecModel):
    """Canary settings.

    Attributes:
        steps: the steps in order. Default: 10%, pause 1m, 30%, pause 1m, 50%, pause 2m, 100%.
        max_surge: Rollout ``maxSurge``. Default: ``25%``.
        max_unavailable: Rollout ``maxUnavailable``. Default: 0.
    """

    steps: Items[CanaryStepSpec] = (
        CanaryStepSpec(set_weight=10), CanaryStepSpec(pause="1m"),
        CanaryStepSpec(set_weight=30), CanaryStepSpec(pause="1m"),
        CanaryStepSpec(set_weight=50), CanaryStepSpec(pause="2m"),
        CanaryStepSpec(set_weight=100),
    )
    max_surge: int | str = "25%"
    max_unavailable: int | str = 0

    @field_validator("steps", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


class BlueGreenSpec(SpecModel):
    """Blue-green settings.

    Attributes:
        auto_promotion: promote the preview automatically (Rollout ``autoPromotionEnabled``). Default: false.
        auto_promotion_seconds: promote after this many seconds (``autoPromotionSeconds``). Default: none.
        scale_down_delay_seconds: keep the old version this long after promotion. Default: 30.
        preview_replica_count: replicas of the preview before promotion. Default: none (all).
    """

    auto_promotion: bool = False
    auto_promotion_seconds: Annotated[int, Field(ge=0)] | None = None
    scale_down_delay_seconds: Annotated[int, Field(ge=0)] = 30
    preview_replica_count: Annotated[int, Field(ge=0)] | None = None


class RolloutSpec(SpecModel):
    """How new versions replace old ones.

    Attributes:
        strategy: ``recreate`` (Deployment Recreate), ``rolling`` (Deployment RollingUpdate),
            ``canary`` or ``blue_green`` (an Argo Rollouts Rollout). Default: ``rolling``.
        canary: canary settings, used with ``strategy: canary``. Default: see :class:`CanarySpec`.
        blue_green: blue-green settings, used with ``strategy: blue_green``.
    """

    strategy: Literal["recreate", "rolling", "canary", "blue_green"] = "rolling"
    canary: CanarySpec = CanarySpec()
    blue_green: BlueGreenSpec = BlueGreenSpec()


class SyncPolicySpec(SpecModel):
    """The Argo CD sync policy of this environment's Applications.

    Attributes:
        automated: sync on every change in Git (``syncPolicy.automated``). Default: true.
        prune: delete objects removed from Git (``automated.prune``). Default: true.
        self_heal: revert changes made in the cluster (``automated.selfHeal``). Default: true.
        sync_options: ``syncPolicy.syncOptions``. Default: ``[CreateNamespace=true]``.
    """

    automated: bool = True
    prune: bool = True
    self_heal: bool = True
    sync_options: Items[str] = ("CreateNamespace=true",)


class GatewaySpec(SpecModel):
    """The Gateway API Gateway routes attach to, and the domain hostnames live under.

    Attributes:
        name: the Gateway's name (HTTPRoute ``parentRefs[].name``). Required.
        namespace: the Gateway's namespace. Default: none (the route's namespace).
        domain: the DNS domain; an app's hostname is ``<app>.<domain>``. Required.
        section_name: the listener routes attach to. Default: none (all listeners).
    """

    name: str
    namespace: str | None = None
    domain: str
    section_name: str | None = None

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        why = check_name(value, "subdomain")
        if why:
            raise ValueError(f"{value!r} {why}")
        return value


class SecretStoreSpec(SpecModel):
    """The External Secrets store apps read secrets from.

    Attributes:
        kind: ``ClusterSecretStore`` or ``SecretStore``. Default: ``ClusterSecretStore``.
        name: the store's name (ExternalSecret ``secretStoreRef.name``). Required.
        refresh_interval: how often secrets are read again (``refreshInterval``). Default: ``1h``.
        external: the store is managed outside ``dist/`` (for example by a Helm chart), so synth
            does not look for it. Default: false.
    """

    kind: Literal["ClusterSecretStore", "SecretStore"] = "ClusterSecretStore"
    name: str
    refresh_interval: str = "1h"
    external: bool = False

    @field_validator("refresh_interval")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value


class ArgoCDSpec(SpecModel):
    """How Argo CD picks up what synth writes for this environment.

    Synth writes the Argo CD objects into ``dist/<env>/argocd-apps/manifest.yaml``; applying
    that file once (``kubectl apply -f``) bootstraps the environment, after which Argo CD
    manages itself from Git.

    Attributes:
        enabled: generate the Argo CD objects. Default: true.
        mode: ``app-of-apps``: a root Application ``<env>-root`` syncing the folder, which holds one
            child Application per app; ``applicationset``: an ApplicationSet ``<env>-apps`` with a Git
            directory generator over ``dist/<env>/*``. Default: ``app-of-apps``.
        namespace: the namespace Argo CD runs in (where Applications live). Default: ``argocd``.
        project: the AppProject of the generated Applications. Default: ``default``.
    """

    enabled: bool = True
    mode: Literal["app-of-apps", "applicationset"] = "app-of-apps"
    namespace: str = "argocd"
    project: str = "default"

    @field_validator("namespace", "project")
    @classmethod
    def _label(cls, value: str) -> str:
        why = check_name(value, "label")
        if why:
            raise ValueError(f"{value!r} {why}")
        return value


class AppSettings(SpecModel):
    """Per-app settings inside one environment. Every field but ``images`` overrides the
    environment-wide value of the same name for this app only.

    Attributes:
        images: image tag by service name (``{web: v1.4.2}``). Default: none.
        replicas, autoscaling, rollout, sync, image_policy, gateway, secret_store: as on
            :class:`EnvironmentSpec`, for this app only. Default: inherit.
        autoscaling_disabled: no autoscaling for this app even if the environment has it. Default: false.
        sync_wave: sync wave of the app's Argo CD Application inside the environment (lower syncs
            first: platform add-ons before the apps that need them). Default: none (wave 0).
        application_name: the name of the app's Argo CD Application. Default: ``<app>-<env>``.
        argocd_application: generate the app's Application in ``dist/<env>/argocd-apps``. Set it to
            false when another app defines the Application that syncs this app's folder (a
            platform's own app-of-apps). Default: true.
        namespace: the app's namespace. Default: the environment's ``namespace_scheme``.
        settings: the app's own values that differ between environments, by key (read with
            :meth:`ResolvedAppSettings.setting`; written by ``cdk8s-gitops convert``). Default: none.
    """

    images: dict[str, str] = Field(default_factory=dict)
    settings: dict[str, SettingValue] = Field(default_factory=dict)
    replicas: Annotated[int, Field(ge=0)] | None = None
    autoscaling: AutoscalingSpec | None = None
    autoscaling_disabled: bool = False
    rollout: RolloutSpec | None = None
    sync: SyncPolicySpec | None = None
    namespace: str | None = None
    image_policy: ImagePolicy | None = None
    gateway: GatewaySpec | None = None
    secret_store: SecretStoreSpec | None = None
    sync_wave: int | None = None
    application_name: str | None = None
    argocd_application: bool = True

    @field_validator("namespace", "application_name")
    @classmethod
    def _ns(cls, value: str | None) -> str | None:
        if value is not None and check_name(value, "label"):
            raise ValueError(f"{value!r} {check_name(value, 'label')}")
        return value


class ResolvedAppSettings(SpecModel):
    """The settings one app sees in one environment, overrides applied (read by constructs).

    Attributes:
        app: the app's name.
        environment: the environment's name (for labels and names only, never for decisions).
        namespace: the namespace the app's objects go to.
        images: image tag by service.
        replicas: replicas when not autoscaled.
        autoscaling: autoscaling bounds, or none.
        rollout, sync, image_policy, gateway, secret_store, cluster, git: as on :class:`EnvironmentSpec`.
        argocd_namespace: the namespace Argo CD's Applications live in (``argocd.namespace``).
        settings: the app's own values in this environment (``apps.<app>.settings``).
        argocd_project: the AppProject of the environment's Applications (``argocd.project``).
    """

    app: str
    environment: str
    namespace: str
    images: dict[str, str]
    replicas: int
    autoscaling: AutoscalingSpec | None
    rollout: RolloutSpec
    sync: SyncPolicySpec
    image_policy: ImagePolicy
    gateway: GatewaySpec | None
    secret_store: SecretStoreSpec | None
    cluster: ClusterSpec
    git: GitSpec
    argocd_namespace: str = "argocd"
    settings: dict[str, SettingValue] = Field(default_factory=dict)
    argocd_project: str = "default"

    @overload
    def setting(self, key: str) -> Any: ...
    @overload
    def setting(self, key: str, kind: type[T]) -> T: ...

    def setting(self, key: str, kind: type[Any] | None = None) -> Any:
        """The value of ``apps.<app>.settings.<key>`` in this environment; a clear error names the file when it is missing.

        With ``kind`` (``str``, ``int``, ``float``, ``bool``, ``list`` or ``dict``), type checkers see that type and a
        value of another type in the file is refused, naming the file, the key and the value."""
        if key not in self.settings:
            known = ", ".join(sorted(self.settings)) or "none"
            raise KeyError(
                f"no setting {key!r} for app {self.app!r} in environment {self.environment!r} (known: {known}); "
                f"add apps.{self.app}.settings.{key} to environments/{self.environment}.yaml")
        value = self.settings[key]
        if kind is None:
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ManifestError(Problem(
                f"environments/{self.environment}.yaml", f"apps.{self.app}.settings.{key}",
                f"{format_value(value)} is a {type_name(value)} value, but the app reads it as {kind.__name__}",
                f"write the value as {kind.__name__} (quote strings, leave numbers and true/false unquoted)"))
        return value

    def image_tag(self, service: str) -> str:
        """The tag of ``service``'s image; :class:`ConfigError`-style ``KeyError`` message if missing."""
        try:
            return self.images[service]
        except KeyError:
            known = ", ".join(sorted(self.images)) or "none"
            raise KeyError(
                f"no image tag for service {service!r} of app {self.app!r} in environment {self.environment!r} "
                f"(known: {known}); add apps.{self.app}.images.{service} to environments/{self.environment}.yaml"
            ) from None

    def image_reference(self, service: str, repository: str) -> str:
        """``repository`` pinned by ``service``'s value here: ``repo:tag``, ``repo:tag@digest`` or ``repo@digest``.

        Use it instead of ``f"{repository}:{image_tag(service)}"``, which breaks for digest pins.
        """
        tag, digest = parse_pin(self.image_tag(service))
        return str(ImageReference(repository, tag, digest))

    def image_version(self, service: str) -> str | None:
        """The ``app.kubernetes.io/version`` label for ``service``'s image: its tag, or ``sha256-<12 hex>`` for a
        digest alone (see :func:`cdk8s_gitops.core.images.version_label`)."""
        return version_label(*parse_pin(self.image_tag(service)))

    def hostname(self, prefix: str | None = None) -> str | None:
        """``<prefix or app>.<gateway domain>``, or None when the environment has no gateway."""
        if self.gateway is None:
            return None
        return f"{prefix or self.app}.{self.gateway.domain}"


class EnvironmentSpec(SpecModel):
    """One environment (``environments/<name>.yaml``), loaded and validated.

    Attributes:
        name: the environment's name; must equal the file's name without ``.yaml``. Required.
        cluster: the target cluster. Default: in-cluster.
        git: the repository and revision Argo CD syncs ``dist/`` from. Required.
        argocd: how Argo CD syncs this environment (see :class:`ArgoCDSpec`). Default: app-of-apps.
        namespace_scheme: the namespace of an app, ``{app}`` and ``{env}`` substituted.
            Default: ``{app}-{env}``.
        replicas: replicas of each workload when not autoscaled. Default: 1.
        autoscaling: HPA bounds for every workload, or none for a fixed replica count. Default: none.
        rollout: the rollout strategy. Default: rolling.
        sync: the Argo CD sync policy. Default: automated with prune and self-heal.
        image_policy: which image tags are accepted. Default: any immutable tag.
        gateway: the Gateway and domain. Default: none (no routes).
        secret_store: the External Secrets store. Default: none.
        apps: per-app settings, by app name; only the apps listed here are synthesized
            for this environment. Default: none.
    """

    name: str
    cluster: ClusterSpec = ClusterSpec()
    git: GitSpec
    argocd: ArgoCDSpec = ArgoCDSpec()
    namespace_scheme: str = "{app}-{env}"
    replicas: Annotated[int, Field(ge=0)] = 1
    autoscaling: AutoscalingSpec | None = None
    rollout: RolloutSpec = RolloutSpec()
    sync: SyncPolicySpec = SyncPolicySpec()
    image_policy: ImagePolicy = ImagePolicy()
    gateway: GatewaySpec | None = None
    secret_store: SecretStoreSpec | None = None
    apps: dict[str, AppSettings] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _label(cls, value: str) -> str:
        why = check_name(value, "label")
        if why:
            raise ValueError(f"{value!r} {why}")
        return value

    @field_validator("namespace_scheme")
    @classmethod
    def _scheme(cls, value: str) -> str:
        try:
            sample = value.format(app="app", env="env")
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"{value!r} may only use the placeholders {{app}} and {{env}}; for example '{{app}}-{{env}}'") from None
        if check_name(sample, "label"):
            raise ValueError(f"{value!r} does not give a valid namespace ({sample!r}); use letters, digits and '-', e.g. '{{app}}-{{env}}'")
        return value

    @model_validator(mode="after")
    def _one_template(self) -> Self:
        if self.argocd.mode == "applicationset":
            odd = sorted(a for a, s in self.apps.items()
                         if s.namespace or s.sync or s.sync_wave is not None or s.application_name
                         or not s.argocd_application)
            if odd:
                raise ValueError(
                    f"argocd.mode: applicationset stamps every app from one template, but {', '.join(odd)} "
                    "override namespace, sync, sync_wave, application_name or argocd_application; use mode app-of-apps, or drop those per-app overrides")
        return self

    @model_validator(mode="after")
    def _image_tags(self) -> Self:
        for app, settings in self.apps.items():
            if app == RESERVED_APP:
                raise ValueError(f"apps.{app}: {app!r} is the folder synth writes the Argo CD objects to; rename the app")
            if check_name(app, "label"):
                raise ValueError(f"apps.{app}: app name {app!r} {check_name(app, 'label')}")
            for service, tag in settings.images.items():
                why = check_image_tag(tag, settings.image_policy or self.image_policy)
                if why:
                    raise ValueError(f"apps.{app}.images.{service}: {why}")
        return self

    def for_app(self, app: str) -> ResolvedAppSettings:
        """The settings ``app`` sees here: environment defaults with its overrides applied."""
        own = self.apps.get(app, AppSettings())
        autoscaling = None if own.autoscaling_disabled else (own.autoscaling or self.autoscaling)
        return ResolvedAppSettings(
            app=app,
            environment=self.name,
            namespace=own.namespace or self.namespace_scheme.format(app=app, env=self.name),
            images=dict(own.images),
            replicas=own.replicas if own.replicas is not None else self.replicas,
            autoscaling=autoscaling,
            rollout=own.rollout or self.rollout,
            sync=own.sync or self.sync,
            image_policy=own.image_policy or self.image_policy,
            gateway=own.gateway or self.gateway,
            secret_store=own.secret_store or self.secret_store,
            cluster=self.cluster,
            git=self.git,
            argocd_namespace=self.argocd.namespace,
            settings=dict(own.settings),
            argocd_project=self.argocd.project,
        )
