"""Gateway (gateway.networking.k8s.io ``v1``, also served as ``v1beta1``): where traffic enters.

A Gateway is an instance of a :class:`~cdk8s_gitops.gateway.GatewayClass`: it lists
``listeners`` (name, port, protocol, optional hostname and TLS, which routes may attach)
and optionally requests ``addresses`` and ``infrastructure`` labels for what the
controller provisions.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ..kube import LabelSelector
from ._common import (
    GROUP,
    Group,
    Hostname,
    Kind,
    LocalObjectReference,
    Namespace,
    ObjectName,
    PortNumber,
    SectionName,
    check_ip_or_hostname,
    check_label_map,
    duplicates,
    limit,
)

__all__ = [
    "AllowedListeners",
    "AllowedRoutes",
    "FrontendTLSConfig",
    "FrontendTLSValidation",
    "Gateway",
    "GatewayBackendTLS",
    "GatewayInfrastructure",
    "GatewaySpec",
    "GatewaySpecAddress",
    "GatewayTLSConfig",
    "Listener",
    "ListenerNamespaces",
    "ListenerTLSConfig",
    "ObjectReference",
    "RouteGroupKind",
    "RouteNamespaces",
    "SecretObjectReference",
    "TLSConfig",
    "TLSPortConfig",
]


class SecretObjectReference(K8sModel):
    """A reference to a certificate Secret (or another certificate kind).

    Attributes:
        group: ``group``. Default: ``""`` (core).
        kind: ``kind``. Default: ``Secret``.
        name: ``name``. Required.
        namespace: ``namespace``. Default: the Gateway's namespace (another one needs a ReferenceGrant).
    """

    group: Group | None = None
    kind: Kind | None = None
    name: ObjectName
    namespace: Namespace | None = None


class ObjectReference(K8sModel):
    """A reference to a CA certificate object (a ConfigMap, for instance).

    Attributes:
        group: ``group``: ``""`` for core. Required.
        kind: ``kind``: ``ConfigMap`` for instance. Required.
        name: ``name``. Required.
        namespace: ``namespace``. Default: the Gateway's namespace.
    """

    group: Group
    kind: Kind
    name: ObjectName
    namespace: Namespace | None = None


def _tls_options(options: dict[str, str]) -> dict[str, str]:
    if len(options) > 16:
        raise ValueError(f"{len(options)} TLS options is more than the upstream limit of 16; keep at most 16")
    for key, value in options.items():
        if len(value) > 4096:
            raise ValueError(f"option {key!r} has a value of {len(value)} characters, more than 4096; shorten it")
    return options


class ListenerTLSConfig(K8sModel):
    """``listeners[].tls``: how a listener handles TLS.

    Attributes:
        mode: ``mode``: ``Terminate`` (the Gateway decrypts) or ``Passthrough`` (TLSRoutes get the encrypted
            stream). Default: ``Terminate``.
        certificate_refs: ``certificateRefs``: certificates to serve, at most 64; see
            :class:`SecretObjectReference`. With ``Terminate`` this or ``options`` is required. Default: none.
        options: ``options``: implementation-specific TLS settings, at most 16 entries. Default: none.
    """

    mode: Literal["Terminate", "Passthrough"] | None = None
    certificate_refs: Annotated[list[SecretObjectReference], limit("certificateRefs", 64)] | None = None
    options: Annotated[dict[str, str], AfterValidator(_tls_options)] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if (self.mode or "Terminate") == "Terminate" and not self.certificate_refs and not self.options:
            raise ValueError("certificateRefs: TLS mode Terminate needs certificateRefs or options, and neither is "
                             "set; add certificateRefs: [{name: my-cert}] (a Secret with tls.crt and tls.key)")
        return self


class RouteNamespaces(K8sModel):
    """``allowedRoutes.namespaces``: from which namespaces routes may attach.

    Attributes:
        from_: ``from``: ``All``, ``Same`` or ``Selector``. Default: ``Same``.
        selector: ``selector``: namespaces whose labels match (a :class:`cdk8s_gitops.kube.LabelSelector`);
            required with ``from: Selector``. Default: none.
    """

    from_: Literal["All", "Selector", "Same"] | None = None
    selector: LabelSelector | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.from_ == "Selector" and self.selector is None:
            raise ValueError("selector: from Selector needs a selector, which is not set; "
                             "add selector: {matchLabels: {...}} or use from: Same or All")
        return self


class RouteGroupKind(K8sModel):
    """A route kind a listener accepts.

    Attributes:
        group: ``group``. Default: ``gateway.networking.k8s.io``.
        kind: ``kind``: ``HTTPRoute``, ``GRPCRoute``, ``TLSRoute``... Required.
    """

    group: Group | None = None
    kind: Kind


class AllowedRoutes(K8sModel):
    """``listeners[].allowedRoutes``: which routes may attach to a listener.

    Attributes:
        namespaces: ``namespaces``: see :class:`RouteNamespaces`. Default: ``from: Same``.
        kinds: ``kinds``: at most 8; see :class:`RouteGroupKind`. Default: the kinds that fit the protocol.
    """

    namespaces: RouteNamespaces | None = None
    kinds: Annotated[list[RouteGroupKind], limit("kinds", 8)] | None = None


_PROTOCOL = re.compile(r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
_DOMAIN_PROTOCOL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]+$")


def _protocol(value: str) -> str:
    if not 1 <= len(value) <= 255 or not (_PROTOCOL.match(value) or _DOMAIN_PROTOCOL.match(value)):
        raise ValueError(f"protocol {value!r} is not a protocol name; use HTTP, HTTPS, TLS, TCP or UDP, "
                         f"or a domain-prefixed name such as 'example.com/MyProtocol'")
    return value


class Listener(K8sModel):
    """One listener of a Gateway: a port, a protocol and optionally a hostname and TLS.

    Attributes:
        name: ``name``: unique within the Gateway (routes select it with ``sectionName``). Required.
        hostname: ``hostname``: RFC 1123 name with an optional leading ``*.``; not for TCP or UDP.
            Default: any hostname.
        port: ``port``: 1-65535. Required.
        protocol: ``protocol``: ``HTTP``, ``HTTPS``, ``TLS``, ``TCP``, ``UDP`` or a domain-prefixed
            implementation protocol. Required.
        tls: ``tls``: see :class:`ListenerTLSConfig`. Not for HTTP, TCP or UDP; required for TLS;
            mode ``Terminate`` for HTTPS. Default: none.
        allowed_routes: ``allowedRoutes``: see :class:`AllowedRoutes`. Default: routes from the same namespace.
    """

    name: SectionName
    hostname: Hostname | None = None
    port: PortNumber
    protocol: Annotated[str, AfterValidator(_protocol)]
    tls: ListenerTLSConfig | None = None
    allowed_routes: AllowedRoutes | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.protocol in ("HTTP", "TCP", "UDP") and self.tls is not None:
            raise ValueError(f"tls: protocol {self.protocol} does not use TLS, but tls is set; "
                             f"remove tls or use protocol {'HTTPS' if self.protocol == 'HTTP' else 'TLS'}")
        if self.protocol == "HTTPS" and self.tls is not None and self.tls.mode not in (None, "Terminate"):
            raise ValueError(f"tls.mode: protocol HTTPS needs mode Terminate, got {self.tls.mode!r}; "
                             f"use mode Terminate, or protocol TLS for passthrough")
        if self.protocol == "TLS" and self.tls is None:
            raise ValueError("tls: protocol TLS needs tls with a mode (Terminate or Passthrough), which is not set; "
                             "add tls: {mode: Passthrough} or tls with certificateRefs")
        if self.protocol in ("TCP", "UDP") and self.hostname:
            raise ValueError(f"hostname: protocol {self.protocol} has no hostnames, but hostname {self.hostname!r} "
                             f"is set; remove hostname")
        return self


def _address_type(value: str) -> str:
    if not 1 <= len(value) <= 253 or not (
        value in ("Hostname", "IPAddress", "NamedAddress") or _DOMAIN_ADDRESS_TYPE.match(value)
    ):
        raise ValueError(f"address type {value!r} is not IPAddress, Hostname, NamedAddress or a domain-prefixed "
                         f"type; use one of those")
    return value


_DOMAIN_ADDRESS_TYPE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$")


class GatewaySpecAddress(K8sModel):
    """An address requested for the Gateway.

    Attributes:
        type: ``type``: ``IPAddress``, ``Hostname``, ``NamedAddress`` or a domain-prefixed type.
            Default: ``IPAddress``.
        value: ``value``: the address (at most 253 characters); an IP for ``IPAddress``, a DNS name for
            ``Hostname``. Default: none (the controller assigns one).

    Write ``type`` even for IP addresses: the published JSON schema's ``oneOf`` refuses an untyped
    address, so offline validators (kubeconform) fail on it although the API server accepts it.
    """

    type: Annotated[str, AfterValidator(_address_type)] | None = None
    value: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.value is None:
            return self
        if len(self.value) > 253:
            raise ValueError(f"value: has {len(self.value)} characters, more than 253; shorten it")
        why = check_ip_or_hostname(self.type or "IPAddress", self.value)
        if why:
            raise ValueError(f"value: {why}")
        return self


def _infra_labels(labels: dict[str, str]) -> dict[str, str]:
    check_label_map(labels, "labels", 8, values=True)
    return labels


def _infra_annotations(annotations: dict[str, str]) -> dict[str, str]:
    check_label_map(annotations, "annotations", 16, values=False)
    return annotations


class GatewayInfrastructure(K8sModel):
    """``infrastructure``: what the controller puts on the resources it creates for the Gateway.

    Attributes:
        labels: ``labels``: at most 8, valid label keys and values. Default: none.
        annotations: ``annotations``: at most 16, valid keys. Default: none.
        parameters_ref: ``parametersRef``: implementation-specific settings object in the Gateway's namespace;
            see :class:`~cdk8s_gitops.gateway.LocalObjectReference`. Default: none.
    """

    labels: Annotated[dict[str, str], AfterValidator(_infra_labels)] | None = None
    annotations: Annotated[dict[str, str], AfterValidator(_infra_annotations)] | None = None
    parameters_ref: LocalObjectReference | None = None


class ListenerNamespaces(K8sModel):
    """``allowedListeners.namespaces``: which namespaces may attach ListenerSets.

    Attributes:
        from_: ``from``: ``All``, ``Selector``, ``Same`` or ``None``. Default: ``None``.
        selector: ``selector``: required with ``from: Selector``. Default: none.
    """

    from_: Literal["All", "Selector", "Same", "None"] | None = None
    selector: LabelSelector | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.from_ == "Selector" and self.selector is None:
            raise ValueError("selector: from Selector needs a selector, which is not set; add selector: {matchLabels: {...}}")
        return self


class AllowedListeners(K8sModel):
    """``allowedListeners``: ListenerSets that may add listeners to this Gateway.

    Attributes:
        namespaces: ``namespaces``: see :class:`ListenerNamespaces`. Default: ``from: None``.
    """

    namespaces: ListenerNamespaces | None = None


class FrontendTLSValidation(K8sModel):
    """Client-certificate validation (mutual TLS) for listeners.

    Attributes:
        ca_certificate_refs: ``caCertificateRefs``: 1-16 CA bundles; see :class:`ObjectReference`. Required.
        mode: ``mode``: ``AllowValidOnly`` or ``AllowInsecureFallback``. Default: ``AllowValidOnly``.
    """

    ca_certificate_refs: Annotated[list[ObjectReference], limit("caCertificateRefs", 16, minimum=1, optional=False)]
    mode: Literal["AllowValidOnly", "AllowInsecureFallback"] | None = None


class TLSConfig(K8sModel):
    """TLS settings applied to listeners (``frontend.default`` or one ``perPort`` entry).

    Attributes:
        validation: ``validation``: see :class:`FrontendTLSValidation`. Default: no client validation.
    """

    validation: FrontendTLSValidation | None = None


class TLSPortConfig(K8sModel):
    """``frontend.perPort[]``: TLS settings for the listeners on one port.

    Attributes:
        port: ``port``: 1-65535, unique in the list. Required.
        tls: ``tls``: see :class:`TLSConfig`. Required.
    """

    port: PortNumber
    tls: TLSConfig


class FrontendTLSConfig(K8sModel):
    """``tls.frontend``: client-facing TLS settings.

    Attributes:
        default: ``default``: see :class:`TLSConfig`. Required.
        per_port: ``perPort``: overrides per port, at most 64, ports unique. Default: none.
    """

    default: TLSConfig
    per_port: Annotated[list[TLSPortConfig], limit("perPort entries", 64)] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        ports = [p.port for p in self.per_port or ()]
        for port in duplicates(ports):
            index = [i for i, p in enumerate(ports) if p == port][1]
            raise ValueError(f"perPort[{index}].port: port {port} is configured more than once; "
                             f"keep one perPort entry per port")
        return self


class GatewayBackendTLS(K8sModel):
    """``tls.backend``: TLS the Gateway uses towards backends.

    Attributes:
        client_certificate_ref: ``clientCertificateRef``: certificate the Gateway presents to backends;
            see :class:`SecretObjectReference`. Default: none.
    """

    client_certificate_ref: SecretObjectReference | None = None


class GatewayTLSConfig(K8sModel):
    """``spec.tls``: Gateway-wide TLS settings.

    Attributes:
        backend: ``backend``: see :class:`GatewayBackendTLS`. Default: none.
        frontend: ``frontend``: see :class:`FrontendTLSConfig`. Default: none.
    """

    backend: GatewayBackendTLS | None = None
    frontend: FrontendTLSConfig | None = None


def _class_name(value: str) -> str:
    if not 1 <= len(value) <= 253:
        raise ValueError(f"gatewayClassName {value!r} must have 1-253 characters; use the name of a GatewayClass")
    return value


class GatewaySpec(K8sModel):
    """``spec`` of a Gateway.

    Attributes:
        gateway_class_name: ``gatewayClassName``: the GatewayClass that implements it. Required.
        listeners: ``listeners``: 1-64, names unique, port/protocol/hostname combinations unique; see
            :class:`Listener`. Required.
        addresses: ``addresses``: at most 16, IP and hostname values unique; see :class:`GatewaySpecAddress`.
            Default: assigned by the controller.
        infrastructure: ``infrastructure``: see :class:`GatewayInfrastructure`. Default: none.
        allowed_listeners: ``allowedListeners``: see :class:`AllowedListeners`. Default: no ListenerSets.
        tls: ``tls``: see :class:`GatewayTLSConfig`. Default: none.
        default_scope: ``defaultScope``: ``All`` or ``None``: serve routes asking for default Gateways.
            Default: ``None``.
    """

    gateway_class_name: Annotated[str, AfterValidator(_class_name)]
    listeners: Annotated[list[Listener], limit("listeners", 64, minimum=1, fix="split them across several Gateways or ListenerSets", optional=False)]
    addresses: Annotated[list[GatewaySpecAddress], limit("addresses", 16)] | None = None
    infrastructure: GatewayInfrastructure | None = None
    allowed_listeners: AllowedListeners | None = None
    tls: GatewayTLSConfig | None = None
    default_scope: Literal["All", "None"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        names = [listener.name for listener in self.listeners]
        for name in duplicates(names):
            index = [i for i, n in enumerate(names) if n == name][1]
            issues.add(("listeners", index, "name"), f"listener name {name!r} is used more than once; "
                                                     f"give every listener its own name", name)
        combos = [(lst.port, lst.protocol, lst.hostname) for lst in self.listeners]
        for combo in duplicates(combos):
            index = [i for i, c in enumerate(combos) if c == combo][1]
            port, protocol, hostname = combo
            issues.add(("listeners", index), f"another listener already has port {port}, protocol {protocol} and "
                                             f"hostname {hostname!r}; change the port or the hostname", names[index])
        for kind in ("IPAddress", "Hostname"):
            values = [(a.value if (a.type or "IPAddress") == kind else None) for a in self.addresses or ()]
            for value in duplicates(v for v in values if v is not None):
                index = [i for i, v in enumerate(values) if v == value][1]
                issues.add(("addresses", index, "value"), f"{kind} {value!r} is listed more than once; "
                                                          f"list each address once", value)
        issues.raise_any(type(self).__name__)
        return self


class Gateway(Resource):
    """A Gateway (``gateway.networking.k8s.io/v1``; ``v1beta1`` is served with the same schema).

    Attributes:
        spec: ``spec``: see :class:`GatewaySpec`. Required.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Gateway"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1", f"{GROUP}/v1beta1")

    spec: GatewaySpec
    status: dict[str, Any] | None = None

    def listener(self, name: str) -> Listener | None:
        """The listener called ``name``, or None."""
        return next((lst for lst in self.spec.listeners if lst.name == name), None)
