"""Gateway and GatewayClass (gateway.networking.k8s.io ``v1``; ``v1beta1`` is still served).

:class:`Gateway` and :class:`GatewayClass` are the generated ``v1`` classes,
:class:`GatewayV1Beta1` and :class:`GatewayClassV1Beta1` the generated ``v1beta1`` ones
(``from_manifest`` picks the class by ``apiVersion``). The CRD's limits, patterns and CEL
rules (unique listener names and port/protocol/hostname combinations, TLS per protocol,
unique addresses) run in those classes; this module adds, on both versions:

- a listener hostname is a DNS name, not an IP address, with labels of at most 63 characters
  (the CRD's pattern lets both through);
- an ``IPAddress`` address holds an IPv4 or IPv6 address, a ``Hostname`` address a DNS name;
- ``namespaces.from: Selector`` (for routes and for ListenerSets) comes with a ``selector``,
  without which the controller admits nothing;
- a TLS listener in ``Terminate`` mode names certificateRefs or options (the CRD's rule cannot
  decide when one list is absent);
- the values of ``infrastructure.labels`` are label values and those of ``infrastructure.annotations``
  and TLS ``options`` at most 4096 characters (the CRD states it on the map values, which the
  generated ``dict[str, str]`` does not carry).
"""

from __future__ import annotations

from typing import Any

from ..core.fields import Issues
from ..core.model import check_label_value, explain_version_gaps
from ..core.schema import semantic_check
from ..models import gateway_networking_k8s_io_v1 as v1
from ..models import gateway_networking_k8s_io_v1beta1 as v1beta1
from ._common import hostname_problem, ip_hostname

__all__ = [
    "Gateway",
    "GatewayClass",
    "GatewayClassV1Beta1",
    "GatewayV1Beta1",
    "Listener",
    "gateway_listener",
]

Gateway = v1.Gateway
GatewayV1Beta1 = v1beta1.Gateway
GatewayClass = v1.GatewayClass
GatewayClassV1Beta1 = v1beta1.GatewayClass
#: A listener of a v1 Gateway (``spec.listeners[]``).
Listener = v1.Listeners


def gateway_listener(gateway: v1.Gateway | v1beta1.Gateway, name: str) -> v1.Listeners | v1beta1.GatewaySpecListeners | None:
    """The listener called ``name`` of a Gateway (``v1`` or ``v1beta1``), or None."""
    return next((lst for lst in gateway.spec.listeners if lst.name == name), None)


@semantic_check(v1.Listeners, v1beta1.GatewaySpecListeners)
def _check_listener_hostname(listener: v1.Listeners | v1beta1.GatewaySpecListeners) -> None:
    why = hostname_problem(listener.hostname) if listener.hostname is not None else None
    if why:
        raise ValueError(f"hostname: {why}; use a name such as 'app.example.com' or leave hostname out to match every host")


@semantic_check(v1.GatewaySpecAddresses, v1beta1.GatewaySpecAddresses)
def _check_address(address: v1.GatewaySpecAddresses | v1beta1.GatewaySpecAddresses) -> None:
    kind, value = address.type or "IPAddress", address.value
    if not value:
        return
    if kind == "IPAddress" and not ip_hostname(value):
        raise ValueError(f"value: {value!r} is not an IPv4 or IPv6 address; use an address such as '10.0.0.1' "
                         f"or set type: Hostname")
    if kind == "Hostname" and ip_hostname(value):
        raise ValueError(f"value: {value!r} is an IP address but type is Hostname; set type: IPAddress or use a "
                         f"hostname such as 'lb.example.com'")


_NAMESPACES = (v1.GatewaySpecListenersAllowedRoutesNamespaces, v1beta1.GatewaySpecListenersAllowedRoutesNamespaces,
               v1.GatewaySpecAllowedListenersNamespaces, v1beta1.GatewaySpecAllowedListenersNamespaces)


@semantic_check(*_NAMESPACES)
def _check_selector(namespaces: Any) -> None:
    if namespaces.from_ == "Selector" and namespaces.selector is None:
        raise ValueError("selector: from Selector needs a selector, which is not set; "
                         "add selector: {matchLabels: {...}} or use from: Same or All")


explain_version_gaps({"v1": v1.Gateway, "v1beta1": v1beta1.Gateway})
explain_version_gaps({"v1": v1.GatewayClass, "v1beta1": v1beta1.GatewayClass})


@semantic_check(v1.GatewaySpecListenersTls, v1beta1.GatewaySpecListenersTls)
def _check_terminate_has_certificates(tls: v1.GatewaySpecListenersTls | v1beta1.GatewaySpecListenersTls) -> None:
    # The CRD's rule calls size() on both lists, so it cannot decide when one is absent.
    if (tls.mode or "Terminate") == "Terminate" and not tls.certificate_refs and not tls.options:
        raise ValueError("certificateRefs: TLS mode Terminate needs certificateRefs or options, and neither is set; "
                         "add certificateRefs: [{name: <tls secret>}] or use mode: Passthrough")


def _long_values(values: dict[str, str] | None, key: str, issues: Issues) -> None:
    for name, value in (values or {}).items():
        if len(value) > 4096:
            issues.add((key,), f"{key} {name!r} has a value of {len(value)} characters, more than 4096; shorten it", name)


@semantic_check(v1.GatewaySpecInfrastructure, v1beta1.GatewaySpecInfrastructure)
def _check_infrastructure(infra: v1.GatewaySpecInfrastructure | v1beta1.GatewaySpecInfrastructure) -> None:
    issues = Issues()
    for name, value in (infra.labels or {}).items():
        why = check_label_value(value)
        if why:
            issues.add(("labels",), f"label {name!r} value {value!r} {why}; use a valid label value", value)
    _long_values(infra.annotations, "annotations", issues)
    issues.raise_any("GatewayInfrastructure")


@semantic_check(v1.GatewaySpecListenersTls, v1beta1.GatewaySpecListenersTls)
def _check_tls_options(tls: v1.GatewaySpecListenersTls | v1beta1.GatewaySpecListenersTls) -> None:
    issues = Issues()
    _long_values(tls.options, "options", issues)
    issues.raise_any("ListenerTLSConfig")
