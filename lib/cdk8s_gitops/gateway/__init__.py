"""Gateway API (gateway.networking.k8s.io): the generated models with the rules their schema leaves out.

Kinds: :class:`Gateway`, :class:`GatewayClass`, :class:`HTTPRoute`, :class:`GRPCRoute` and
:class:`ReferenceGrant` are the generated ``v1`` classes of
:mod:`cdk8s_gitops.models.gateway_networking_k8s_io_v1`; each older version upstream still
serves is its own generated class (:class:`HTTPRouteV1Beta1`, :class:`GatewayV1Beta1`,
:class:`GatewayClassV1Beta1`, :class:`GRPCRouteV1Alpha2`, :class:`ReferenceGrantV1Beta1`,
:class:`ReferenceGrantV1Alpha2`), and :func:`cdk8s_gitops.from_manifest` picks the class by
``apiVersion``. The CRD's patterns, ranges, list limits and CEL rules run when a model is
built or loaded; importing this package registers the checks the schema does not state
(see the modules), on every served version. Nested structures are the generated classes of
those modules (``HTTPRouteSpecRules``, ``Listeners``...); ``HTTPRouteRule``, ``HTTPBackendRef``
and ``Listener`` name the common ones. Helpers: :func:`route_backend_refs` (every backendRef
of a route with its field path) and :func:`gateway_listener` (a Gateway's listener by name)::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.gateway import (
        HTTPBackendRef,
        HTTPPathMatch,
        HTTPRoute,
        HTTPRouteMatch,
        HTTPRouteRule,
        HTTPRouteSpec,
        ParentReference,
    )

    route = HTTPRoute(
        metadata=ObjectMeta(name="checkout"),
        spec=HTTPRouteSpec(
            parent_refs=[ParentReference(name="public", section_name="https")],
            hostnames=["shop.example.com"],
            rules=[HTTPRouteRule(
                matches=[HTTPRouteMatch(path=HTTPPathMatch(type="PathPrefix", value="/checkout"))],
                backend_refs=[HTTPBackendRef(name="checkout-stable", port=8080, weight=90),
                              HTTPBackendRef(name="checkout-canary", port=8080, weight=10)],
            )],
        ),
    )

``TypedResource(scope, route)`` then puts it into a chart.
"""

from typing import TYPE_CHECKING

from ..core.deferred import attributes, class_module, importer, lazy_names, when_used
from ..models import gateway_networking_k8s_io_v1 as _v1
from ..models import gateway_networking_k8s_io_v1beta1 as _v1beta1

# Short names for the generated structures apps write most (the generated classes, not copies).
from ..models.gateway_networking_k8s_io_v1.grpc_route import GRPCRouteSpec
from ..models.gateway_networking_k8s_io_v1.grpc_route import GRPCRouteSpecRules as GRPCRouteRule
from ..models.gateway_networking_k8s_io_v1.grpc_route import GRPCRouteSpecRulesBackendRefs as GRPCBackendRef
from ..models.gateway_networking_k8s_io_v1.http_route import HTTPRouteSpec
from ..models.gateway_networking_k8s_io_v1.http_route import HTTPRouteSpecRulesMatches as HTTPRouteMatch
from ..models.gateway_networking_k8s_io_v1.http_route import HTTPRouteSpecRulesMatchesPath as HTTPPathMatch
from ..models.gateway_networking_k8s_io_v1.http_route import ParentRefs as ParentReference
from . import _filters as _filters  # noqa: F401 - registers the header modifier checks
from ._common import GROUP
from .grpc_route import GRPCRoute
from .http_route import HTTPBackendRef, HTTPRoute, HTTPRouteRule, route_backend_refs

# Gateways, GatewayClasses, ReferenceGrants and the older served versions are created on first use of their
# names: an app that only routes never pays for them (or for the checks of gateway.py, registered then).
if TYPE_CHECKING:
    from ..models.gateway_networking_k8s_io_v1.gateway import GatewaySpec
    from ..models.gateway_networking_k8s_io_v1.gateway import GatewaySpecListenersAllowedRoutes as AllowedRoutes
    from ..models.gateway_networking_k8s_io_v1.gateway import GatewaySpecListenersAllowedRoutesNamespaces as RouteNamespaces
    from ..models.gateway_networking_k8s_io_v1.gateway import GatewaySpecListenersTls as ListenerTLSConfig
    from ..models.gateway_networking_k8s_io_v1.gateway import GatewaySpecListenersTlsCertificateRefs as SecretObjectReference
    from ..models.gateway_networking_k8s_io_v1.gateway_class import GatewayClassSpec
    from .gateway import Gateway, GatewayClass, GatewayClassV1Beta1, GatewayV1Beta1, Listener, gateway_listener
    from .grpc_route import GRPCRouteV1Alpha2
    from .http_route import HTTPRouteV1Beta1
    from .reference_grant import ReferenceGrant, ReferenceGrantV1Alpha2, ReferenceGrantV1Beta1

_MODELS = "cdk8s_gitops.models.gateway_networking_k8s_io_v1"
_LAZY: dict[str, tuple[str, str]] = {
    "GatewaySpec": (f"{_MODELS}.gateway", "GatewaySpec"),
    "AllowedRoutes": (f"{_MODELS}.gateway", "GatewaySpecListenersAllowedRoutes"),
    "RouteNamespaces": (f"{_MODELS}.gateway", "GatewaySpecListenersAllowedRoutesNamespaces"),
    "ListenerTLSConfig": (f"{_MODELS}.gateway", "GatewaySpecListenersTls"),
    "SecretObjectReference": (f"{_MODELS}.gateway", "GatewaySpecListenersTlsCertificateRefs"),
    "GatewayClassSpec": (f"{_MODELS}.gateway_class", "GatewayClassSpec"),
    **{name: (f"{__name__}.gateway", name) for name in
       ("Gateway", "GatewayClass", "GatewayClassV1Beta1", "GatewayV1Beta1", "Listener", "gateway_listener")},
    "GRPCRouteV1Alpha2": (f"{__name__}.grpc_route", "GRPCRouteV1Alpha2"),
    "HTTPRouteV1Beta1": (f"{__name__}.http_route", "HTTPRouteV1Beta1"),
    **{name: (f"{__name__}.reference_grant", name) for name in
       ("ReferenceGrant", "ReferenceGrantV1Alpha2", "ReferenceGrantV1Beta1")},
}


__getattr__ = lazy_names(__name__, globals(), attributes(_LAZY))

# The checks of gateway.py (listeners, addresses, TLS, infrastructure) are registered when it is imported: a
# Gateway or GatewayClass built from the generated models directly imports it on first use.
when_used({class_module(package, name) for package in (_v1, _v1beta1) for name in ("Gateway", "GatewayClass")},
          importer(f"{__name__}.gateway"))

__all__ = [
    "GROUP",
    "AllowedRoutes",
    "GRPCBackendRef",
    "GRPCRoute",
    "GRPCRouteRule",
    "GRPCRouteSpec",
    "GRPCRouteV1Alpha2",
    "Gateway",
    "GatewayClass",
    "GatewayClassSpec",
    "GatewayClassV1Beta1",
    "GatewaySpec",
    "GatewayV1Beta1",
    "HTTPBackendRef",
    "HTTPPathMatch",
    "HTTPRoute",
    "HTTPRouteMatch",
    "HTTPRouteRule",
    "HTTPRouteSpec",
    "HTTPRouteV1Beta1",
    "Listener",
    "ListenerTLSConfig",
    "ParentReference",
    "ReferenceGrant",
    "ReferenceGrantV1Alpha2",
    "ReferenceGrantV1Beta1",
    "RouteNamespaces",
    "SecretObjectReference",
    "gateway_listener",
    "route_backend_refs",
]
