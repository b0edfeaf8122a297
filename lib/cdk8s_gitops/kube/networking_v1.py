"""Networking API group (``networking.k8s.io/v1``): NetworkPolicy and Ingress on the generated models.

The classes are those of :mod:`cdk8s_gitops.models.networking_v1`. The semantic checks
here refuse CIDRs that do not parse or do not nest, peers that mix an IP block with
selectors (or set nothing), port ranges that run backwards, rules that ``policyTypes``
would ignore, backends that name both or neither target, and Exact/Prefix paths without
a leading ``/``.
"""

from __future__ import annotations

import ipaddress

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..models.networking_v1 import (
    HTTPIngressPath,
    HTTPIngressRuleValue,
    Ingress,
    IngressBackend,
    IngressRule,
    IngressServiceBackend,
    IngressSpec,
    IngressTLS,
    IPBlock,
    NetworkPolicy,
    NetworkPolicyEgressRule,
    NetworkPolicyIngressRule,
    NetworkPolicyPeer,
    NetworkPolicyPort,
    NetworkPolicySpec,
    ServiceBackendPort,
)
from ._checks import PORT, PORT_OR_NAME, value_rules

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


# -- NetworkPolicy -----------------------------------------------------------------------------
def _network(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


@semantic_check(IPBlock)
def _ip_block(block: IPBlock) -> None:
    issues = Issues()
    network = _network(block.cidr)
    if network is None or "/" not in block.cidr:
        issues.add(("cidr",), f"cidr {block.cidr!r} is not a CIDR; write an address and a prefix length such as '10.0.0.0/8'", block.cidr)
    for i, item in enumerate(block.except_ or []):
        inner = _network(item)
        if inner is None or "/" not in item:
            issues.add(("except", i), f"except entry {item!r} is not a CIDR; write it like '10.0.0.0/24'", item)
        elif network is not None and (inner.version != network.version or not inner.subnet_of(network)):  # type: ignore[arg-type]
            issues.add(("except", i), f"except entry {item!r} is not inside cidr {block.cidr!r}; list only ranges inside cidr", item)
    issues.raise_any("IPBlock")


@semantic_check(NetworkPolicyPeer)
def _peer(peer: NetworkPolicyPeer) -> None:
    selectors = [n for n, v in (("namespaceSelector", peer.namespace_selector), ("podSelector", peer.pod_selector)) if v is not None]
    if peer.ip_block is not None and selectors:
        raise ValueError(f"peer sets ipBlock together with {' and '.join(selectors)}; "
                         f"use separate peers for an IP block and for selected pods")
    if peer.ip_block is None and not selectors:
        raise ValueError("peer is empty; set podSelector, namespaceSelector or ipBlock")


value_rules(NetworkPolicyPort, end_port=PORT, port=PORT_OR_NAME)


@semantic_check(NetworkPolicyPort)
def _port_range(port: NetworkPolicyPort) -> None:
    issues = Issues()
    if port.end_port is not None:
        if not isinstance(port.port, int):
            issues.add(("endPort",), f"endPort {port.end_port} needs a numeric port, got {port.port!r}; "
                                     f"set port to the first port number of the range", port.end_port)
        elif port.end_port < port.port:
            issues.add(("endPort",), f"endPort {port.end_port} is below port {port.port}; make endPort at least port", port.end_port)
    issues.raise_any("NetworkPolicyPort")


@semantic_check(NetworkPolicySpec)
def _policy_types(spec: NetworkPolicySpec) -> None:
    issues = Issues()
    types = spec.policy_types
    if types is not None:
        if spec.egress and "Egress" not in types:
            issues.add(("policyTypes",), f"egress rules are given but policyTypes {types!r} lacks 'Egress', so they would be ignored; "
                                         f"add 'Egress' to policyTypes or remove the egress rules", types)
        if spec.ingress and "Ingress" not in types:
            issues.add(("policyTypes",), f"ingress rules are given but policyTypes {types!r} lacks 'Ingress', so they would be ignored; "
                                         f"add 'Ingress' to policyTypes or remove the ingress rules", types)
        if len(set(types)) != len(types):
            issues.add(("policyTypes",), f"policyTypes {types!r} lists a type twice; list each type once", types)
    issues.raise_any("NetworkPolicySpec")


# -- Ingress -----------------------------------------------------------------------------------
value_rules(ServiceBackendPort, number=PORT)


@semantic_check(ServiceBackendPort)
def _backend_port(port: ServiceBackendPort) -> None:
    if (port.name is None) == (port.number is None):
        what = "both name and number" if port.name is not None else "neither name nor number"
        raise ValueError(f"the backend port has {what}; set exactly one of name and number")


@semantic_check(IngressBackend)
def _backend(backend: IngressBackend) -> None:
    if (backend.resource is None) == (backend.service is None):
        what = "both service and resource" if backend.service is not None else "neither service nor resource"
        raise ValueError(f"the backend has {what}; set exactly one of service and resource")


@semantic_check(HTTPIngressPath)
def _path(path: HTTPIngressPath) -> None:
    if path.path_type in ("Exact", "Prefix") and path.path is not None and not path.path.startswith("/"):
        issues = Issues()
        issues.add(("path",), f"path {path.path!r} does not start with '/', which pathType {path.path_type!r} needs; "
                              f"write it as {'/' + path.path!r}", path.path)
        issues.raise_any("HTTPIngressPath")
