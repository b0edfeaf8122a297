"""Props models shared by the platform (L3) constructs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from ..core.model import check_name
from ..core.props import Items, Props
from ..kube import ResourceRequirements

__all__ = ["MetricsSettings", "PropsModel", "Resources", "RouteSettings", "SecretEnv", "dns_label"]


class PropsModel(Props):
    """Base of the platform constructs' props (see :class:`cdk8s_gitops.core.props.Props`): unknown keys
    refused, frozen, strict types. A bad value raises :class:`~cdk8s_gitops.core.errors.ManifestError`
    naming the props class, the field, the value and the fix (``MicroserviceProps 'web': port: Input
    should be a valid integer, got 'eighty'; use an integer without quotes``)."""


def dns_label(value: str) -> str:
    """Validator: ``value`` must be a DNS label (it becomes an object name)."""
    why = check_name(value, "label")
    if why:
        raise ValueError(f"{value!r} {why}")
    return value


class Resources(PropsModel):
    """Requests and limits of the main container (always both: the restricted baseline wants them).

    Attributes:
        cpu_request: ``resources.requests.cpu``. Default: ``100m``.
        cpu_limit: ``resources.limits.cpu``. Default: ``500m``.
        memory_request: ``resources.requests.memory``. Default: ``128Mi``.
        memory_limit: ``resources.limits.memory``. Default: ``256Mi``.
    """

    cpu_request: str = "100m"
    cpu_limit: str = "500m"
    memory_request: str = "128Mi"
    memory_limit: str = "256Mi"

    def requirements(self) -> ResourceRequirements:
        """The container's ``resources``."""
        return ResourceRequirements(limits={"cpu": self.cpu_limit, "memory": self.memory_limit},
                                    requests={"cpu": self.cpu_request, "memory": self.memory_request})


class SecretEnv(PropsModel):
    """An environment variable read from the secret store through an ExternalSecret.

    Attributes:
        key: the secret's key in the store (``remoteRef.key``). Required.
        property: a field inside that secret (``remoteRef.property``). Default: none (the whole value).
    """

    key: str
    property: str | None = None

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the remote key is empty; name the secret in the store")
        return value


class RouteSettings(PropsModel):
    """How a service is exposed through the environment's Gateway (an HTTPRoute or GRPCRoute).

    Attributes:
        hostnames: host names. Default (None): ``<name>.<gateway domain>`` from the environment;
            an empty tuple: none (the route matches any host the listener accepts).
        path_prefix: the path prefix routed to the service (HTTP only). Default: ``/``.
        kong_plugins: KongPlugin names attached through ``konghq.com/plugins``. Default: none.
    """

    hostnames: Items[str] | None = None
    path_prefix: str = "/"
    kong_plugins: Items[str] = ()

    @field_validator("path_prefix")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError(f"{value!r} does not start with '/'; write the prefix as '/{value}'")
        return value


class MetricsSettings(PropsModel):
    """Prometheus scraping through a ServiceMonitor.

    Attributes:
        path: the metrics path. Default: ``/metrics``.
        port: the container port serving metrics; ``None`` means the main port. Default: none.
        interval: scrape interval (Prometheus duration). Default: ``30s``.
        scraper_namespace: namespace of Prometheus, allowed in by the NetworkPolicy. Default: ``monitoring``.
    """

    path: str = "/metrics"
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    interval: str = "30s"
    scraper_namespace: str = "monitoring"


Protocol = Literal["http", "grpc"]
