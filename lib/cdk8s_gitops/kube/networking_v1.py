"""Networking API group (``networking.k8s.io/v1``): NetworkPolicy and Ingress."""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar, Literal, Self

from pydantic import model_validator

from ..core.fields import Issues, Port, PortOrName
from ..core.model import K8sModel, Resource
from .core_v1 import LabelSelector, TypedLocalObjectReference

__all__ = [
    "HTTPIngressPath",
    "HTTPIngressRuleValue",
    "IPBlock",
    "Ingress",
    "IngressBackend",
    "IngressRule",
    "IngressServiceBackend",
    "IngressSpec",
    "IngressTLS",
    "NetworkPolicy",
    "NetworkPolicyEgressRule",
    "NetworkPolicyIngressRule",
    "NetworkPolicyPeer",
    "NetworkPolicyPort",
    "NetworkPolicySpec",
    "ServiceBackendPort",
]


# =====================================================================================
# NetworkPolicy
# =====================================================================================
def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


class IPBlock(K8sModel):
    """A CIDR range as a peer (for traffic from or to outside the cluster).

    Attributes:
        cidr: ``cidr`` (``10.0.0.0/8``, ``2001:db8::/64``). Required.
        except_: ``except``: CIDRs inside ``cidr`` to leave out. Default: none.
    """

    cidr: str
    except_: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        network = _network(self.cidr)
        if network is None or "/" not in self.cidr:
            issues.add(("cidr",), f"cidr {self.cidr!r} is not a CIDR; write an address and a prefix length such as '10.0.0.0/8'", self.cidr)
        for i, item in enumerate(self.except_ or []):
            inner = _network(item)
            if inner is None or "/" not in item:
                issues.add(("except", i), f"except entry {item!r} is not a CIDR; write it like '10.0.0.0/24'", item)
            elif network is not None and (inner.version != network.version or not inner.subnet_of(network)):  # type: ignore[arg-type]  # same IP version checked just before
                issues.add(("except", i), f"except entry {item!r} is not inside cidr {self.cidr!r}; list only ranges inside cidr", item)
        issues.raise_any("IPBlock")
        return self


class NetworkPolicyPeer(K8sModel):
    """Who traffic may come from or go to: pods (selectors) or an IP block, not both.

    Attributes:
        ip_block: ``ipBlock``. Default: none.
        namespace_selector: ``namespaceSelector``: namespaces by label (``{}``: every namespace). Default: none
            (with podSelector: the policy's namespace).
        pod_selector: ``podSelector``: pods by label. Default: none (with namespaceSelector: every pod there).
    """

    ip_block: IPBlock | None = None
    namespace_selector: LabelSelector | None = None
    pod_selector: LabelSelector | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        selectors = [n for n, v in (("namespaceSelector", self.namespace_selector), ("podSelector", self.pod_selector)) if v is not None]
        if self.ip_block is not None and selectors:
            raise ValueError(f"peer sets ipBlock together with {' and '.join(selectors)}; "
                             f"use separate peers for an IP block and for selected pods")
        if self.ip_block is None and not selectors:
            raise ValueError("peer is empty; set podSelector, namespaceSelector or ipBlock")
        return self


class NetworkPolicyPort(K8sModel):
    """A port (or port range) a rule allows.

    Attributes:
        end_port: ``endPort``: last port of a range starting at a numeric ``port``. Default: none (a single port).
        port: ``port``: number (1-65535) or named container port. Default: none (every port).
        protocol: ``protocol``: ``TCP``, ``UDP`` or ``SCTP``. Default: none (upstream: ``TCP``).
    """

    end_port: Port | None = None
    port: PortOrName | None = None
    protocol: Literal["TCP", "UDP", "SCTP"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.end_port is not None:
            if not isinstance(self.port, int):
                issues.add(("endPort",), f"endPort {self.end_port} needs a numeric port, got {self.port!r}; "
                                         f"set port to the first port number of the range", self.end_port)
            elif self.end_port < self.port:
                issues.add(("endPort",), f"endPort {self.end_port} is below port {self.port}; make endPort at least port", self.end_port)
        issues.raise_any("NetworkPolicyPort")
        return self


class NetworkPolicyIngressRule(K8sModel):
    """Traffic a policy lets in.

    Attributes:
        from_: ``from``: allowed sources. Default: none (every source).
        ports: ``ports``: allowed destination ports. Default: none (every port).
    """

    from_: list[NetworkPolicyPeer] | None = None
    ports: list[NetworkPolicyPort] | None = None


class NetworkPolicyEgressRule(K8sModel):
    """Traffic a policy lets out.

    Attributes:
        ports: ``ports``: allowed destination ports. Default: none (every port).
        to: ``to``: allowed destinations. Default: none (every destination).
    """

    ports: list[NetworkPolicyPort] | None = None
    to: list[NetworkPolicyPeer] | None = None


class NetworkPolicySpec(K8sModel):
    """Which pods a NetworkPolicy isolates and what traffic it allows them.

    Attributes:
        egress: ``egress`` rules. Default: none (with Egress in policyTypes: no traffic out).
        ingress: ``ingress`` rules. Default: none (with Ingress in policyTypes: no traffic in).
        pod_selector: ``podSelector``: the pods isolated (``{}``: all in the namespace). Default: none
            (upstream: required before 1.34; write ``{}`` for every pod).
        policy_types: ``policyTypes``: ``Ingress`` and/or ``Egress``. Default: none (upstream: Ingress,
            plus Egress when egress rules are given).
    """

    egress: list[NetworkPolicyEgressRule] | None = None
    ingress: list[NetworkPolicyIngressRule] | None = None
    pod_selector: LabelSelector | None = None
    policy_types: list[Literal["Ingress", "Egress"]] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        types = self.policy_types
        if types is not None:
            if self.egress and "Egress" not in types:
                issues.add(("policyTypes",), f"egress rules are given but policyTypes {types!r} lacks 'Egress', so they would be ignored; "
                                             f"add 'Egress' to policyTypes or remove the egress rules", types)
            if self.ingress and "Ingress" not in types:
                issues.add(("policyTypes",), f"ingress rules are given but policyTypes {types!r} lacks 'Ingress', so they would be ignored; "
                                             f"add 'Ingress' to policyTypes or remove the ingress rules", types)
            if len(set(types)) != len(types):
                issues.add(("policyTypes",), f"policyTypes {types!r} lists a type twice; list each type once", types)
        issues.raise_any("NetworkPolicySpec")
        return self


class NetworkPolicy(Resource):
    """A ``networking.k8s.io/v1`` NetworkPolicy.

    Attributes:
        spec: ``spec``. Default: none (upstream: effectively required).
    """

    KIND: ClassVar[str] = "NetworkPolicy"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("networking.k8s.io/v1",)

    spec: NetworkPolicySpec | None = None


# =====================================================================================
# Ingress
# =====================================================================================
class ServiceBackendPort(K8sModel):
    """The Service port a backend uses: by name or by number, not both.

    Attributes:
        name: ``name`` of the Service port. Default: none.
        number: ``number`` of the Service port, 1-65535. Default: none.
    """

    name: str | None = None
    number: Port | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.name is None) == (self.number is None):
            what = "both name and number" if self.name is not None else "neither name nor number"
            raise ValueError(f"the backend port has {what}; set exactly one of name and number")
        return self


class IngressServiceBackend(K8sModel):
    """A Service as a backend.

    Attributes:
        name: ``name`` of the Service. Required.
        port: ``port``. Default: none (upstream: effectively required).
    """

    name: str
    port: ServiceBackendPort | None = None


class IngressBackend(K8sModel):
    """Where matching requests go: a Service or another resource, not both.

    Attributes:
        resource: ``resource``: an object of another kind (a storage bucket). Default: none.
        service: ``service``. Default: none.
    """

    resource: TypedLocalObjectReference | None = None
    service: IngressServiceBackend | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.resource is None) == (self.service is None):
            what = "both service and resource" if self.service is not None else "neither service nor resource"
            raise ValueError(f"the backend has {what}; set exactly one of service and resource")
        return self


class HTTPIngressPath(K8sModel):
    """A path and where it goes.

    Attributes:
        backend: ``backend``. Required.
        path: ``path``: starts with ``/`` for Exact and Prefix. Default: none (upstream: ``/``-like, implementation specific).
        path_type: ``pathType``: ``Exact``, ``Prefix`` or ``ImplementationSpecific``. Required.
    """

    backend: IngressBackend
    path: str | None = None
    path_type: Literal["Exact", "Prefix", "ImplementationSpecific"]

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.path_type in ("Exact", "Prefix") and self.path is not None and not self.path.startswith("/"):
            issues = Issues()
            issues.add(("path",), f"path {self.path!r} does not start with '/', which pathType {self.path_type!r} needs; "
                                  f"write it as {'/' + self.path!r}", self.path)
            issues.raise_any("HTTPIngressPath")
        return self


class HTTPIngressRuleValue(K8sModel):
    """The HTTP paths of a rule.

    Attributes:
        paths: ``paths``. Required.
    """

    paths: list[HTTPIngressPath]


class IngressRule(K8sModel):
    """Routing for one host (or every host).

    Attributes:
        host: ``host`` name, ``*.`` wildcards allowed. Default: none (every host).
        http: ``http`` paths. Default: none (the default backend).
    """

    host: str | None = None
    http: HTTPIngressRuleValue | None = None


class IngressTLS(K8sModel):
    """TLS for some hosts.

    Attributes:
        hosts: ``hosts`` the certificate covers. Default: none (upstream: the controller's default).
        secret_name: ``secretName`` of the TLS Secret. Default: none (SNI-only setups).
    """

    hosts: list[str] | None = None
    secret_name: str | None = None


class IngressSpec(K8sModel):
    """Desired state of an Ingress.

    Attributes:
        default_backend: ``defaultBackend`` for requests no rule matches. Default: none (the controller's).
        ingress_class_name: ``ingressClassName``. Default: none (the default IngressClass).
        rules: ``rules``. Default: none.
        tls: ``tls``. Default: none.
    """

    default_backend: IngressBackend | None = None
    ingress_class_name: str | None = None
    rules: list[IngressRule] | None = None
    tls: list[IngressTLS] | None = None


class Ingress(Resource):
    """A ``networking.k8s.io/v1`` Ingress (the platform routes with Gateway API; this loads existing manifests).

    Attributes:
        spec: ``spec``. Default: none.
        status: ``status``, kept as given for exported objects. Default: none.
    """

    KIND: ClassVar[str] = "Ingress"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("networking.k8s.io/v1",)

    spec: IngressSpec | None = None
    status: dict[str, Any] | None = None
