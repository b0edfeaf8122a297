"""Gateway API (gateway.networking.k8s.io): the generated models with the rules their schema leaves out.

Kinds: :class:`Gateway`, :class:`GatewayClass`, :class:`HTTPRoute`, :class:`GRPCRoute` and
:class:`ReferenceGrant` are the generated ``v1`` classes of
:mod:`cdk8s_gitops.models.gateway_networking_k8s_io_v1`; each older version upstream still
serves is its own generated class (:class:`HTTPRouteV1Beta1`, :class:`GatewayV1Beta1`,
:class:`GatewayClassV1Beta1`, :class:`GRPCRouteV1Alpha2`, :class:`ReferenceGrantV1Beta1`,
:class:`ReferenceGrantV1Alpha2`), and :func:`cdk8s_gitops.from_manifest` picks the class by
``apiVersion``. The CRD's patterns, ranges, list limits and CEL rules run when a model is
built or loaded; importing this package registers the checks the schema does not state
(see the modules), on every served version. The other public names (``HTTPRouteRule``,
``Listener``, ``HTTPRouteFilter``...) are the generated structures under their Gateway API names::

    route = HTTPRoute.build(
        metadata={"name": "checkout"},
        spec={
            "parentRefs": [{"name": "public", "sectionName": "https"}],
            "hostnames": ["shop.example.com"],
            "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/checkout"}}],
                       "backendRefs": [{"name": "checkout-stable", "port": 8080, "weight": 90},
                                       {"name": "checkout-canary", "port": 8080, "weight": 10}]}],
        },
    )
    TypedResource(chart, route)
"""

from ..models import gateway_networking_k8s_io_v1 as _v1
from ..models.core_v1 import HTTPHeader
from . import _filters as _filters  # noqa: F401 - registers the header modifier checks
from ._common import GROUP
from .gateway import (
    AllowedListeners,
    AllowedRoutes,
    FrontendTLSConfig,
    FrontendTLSValidation,
    Gateway,
    GatewayBackendTLS,
    GatewayClass,
    GatewayClassSpec,
    GatewayClassV1Beta1,
    GatewayInfrastructure,
    GatewaySpec,
    GatewaySpecAddress,
    GatewayTLSConfig,
    GatewayV1Beta1,
    Listener,
    ListenerNamespaces,
    ListenerTLSConfig,
    ParametersReference,
    RouteGroupKind,
    RouteNamespaces,
    SecretObjectReference,
    TLSPortConfig,
    gateway_listener,
)
from .grpc_route import (
    GRPCBackendRef,
    GRPCHeaderMatch,
    GRPCMethodMatch,
    GRPCRoute,
    GRPCRouteMatch,
    GRPCRouteRule,
    GRPCRouteSpec,
    GRPCRouteV1Alpha2,
)
from .http_route import (
    HTTPBackendRef,
    HTTPHeaderMatch,
    HTTPPathMatch,
    HTTPQueryParamMatch,
    HTTPRoute,
    HTTPRouteMatch,
    HTTPRouteRetry,
    HTTPRouteRule,
    HTTPRouteSpec,
    HTTPRouteTimeouts,
    HTTPRouteV1Beta1,
    SessionPersistence,
    SessionPersistenceCookieConfig,
    route_backend_refs,
)
from .reference_grant import (
    ReferenceGrant,
    ReferenceGrantFrom,
    ReferenceGrantSpec,
    ReferenceGrantTo,
    ReferenceGrantV1Alpha2,
    ReferenceGrantV1Beta1,
)

# Filters and references (the generated structures; one class serves rule and backendRef filters).
HTTPRouteFilter = _v1.HTTPRouteSpecRulesBackendRefsFilters
GRPCRouteFilter = _v1.GRPCRouteSpecRulesBackendRefsFilters
HTTPHeaderFilter = _v1.RequestHeaderModifier
HTTPRequestMirrorFilter = _v1.RequestMirror
MirrorFraction = _v1.HTTPRouteSpecRulesBackendRefsFiltersRequestMirrorFraction
HTTPRequestRedirectFilter = _v1.HTTPRouteSpecRulesBackendRefsFiltersRequestRedirect
HTTPURLRewriteFilter = _v1.HTTPRouteSpecRulesBackendRefsFiltersUrlRewrite
HTTPPathModifier = _v1.HTTPRouteSpecRulesBackendRefsFiltersRequestRedirectPath
HTTPCORSFilter = _v1.HTTPRouteSpecRulesBackendRefsFiltersCors
HTTPExternalAuthFilter = _v1.HTTPRouteSpecRulesBackendRefsFiltersExternalAuth
BackendObjectReference = _v1.HTTPRouteSpecRulesBackendRefsFiltersExternalAuthBackendRef
LocalObjectReference = _v1.ExtensionRef
ParentReference = _v1.ParentRefs

__all__ = [
    "GROUP",
    "AllowedListeners",
    "AllowedRoutes",
    "BackendObjectReference",
    "FrontendTLSConfig",
    "FrontendTLSValidation",
    "GRPCBackendRef",
    "GRPCHeaderMatch",
    "GRPCMethodMatch",
    "GRPCRoute",
    "GRPCRouteFilter",
    "GRPCRouteMatch",
    "GRPCRouteRule",
    "GRPCRouteSpec",
    "GRPCRouteV1Alpha2",
    "Gateway",
    "GatewayBackendTLS",
    "GatewayClass",
    "GatewayClassSpec",
    "GatewayClassV1Beta1",
    "GatewayInfrastructure",
    "GatewaySpec",
    "GatewaySpecAddress",
    "GatewayTLSConfig",
    "GatewayV1Beta1",
    "HTTPBackendRef",
    "HTTPCORSFilter",
    "HTTPExternalAuthFilter",
    "HTTPHeader",
    "HTTPHeaderFilter",
    "HTTPHeaderMatch",
    "HTTPPathMatch",
    "HTTPPathModifier",
    "HTTPQueryParamMatch",
    "HTTPRequestMirrorFilter",
    "HTTPRequestRedirectFilter",
    "HTTPRoute",
    "HTTPRouteFilter",
    "HTTPRouteMatch",
    "HTTPRouteRetry",
    "HTTPRouteRule",
    "HTTPRouteSpec",
    "HTTPRouteTimeouts",
    "HTTPRouteV1Beta1",
    "HTTPURLRewriteFilter",
    "Listener",
    "ListenerNamespaces",
    "ListenerTLSConfig",
    "LocalObjectReference",
    "MirrorFraction",
    "ParametersReference",
    "ParentReference",
    "ReferenceGrant",
    "ReferenceGrantFrom",
    "ReferenceGrantSpec",
    "ReferenceGrantTo",
    "ReferenceGrantV1Alpha2",
    "ReferenceGrantV1Beta1",
    "RouteGroupKind",
    "RouteNamespaces",
    "SecretObjectReference",
    "SessionPersistence",
    "SessionPersistenceCookieConfig",
    "TLSPortConfig",
    "gateway_listener",
    "route_backend_refs",
]
