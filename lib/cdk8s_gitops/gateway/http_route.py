"""HTTPRoute (gateway.networking.k8s.io ``v1``; ``v1beta1`` is still served): HTTP routing rules.

:class:`HTTPRoute` is the generated ``v1`` class and :class:`HTTPRouteV1Beta1` the generated
``v1beta1`` one (``from_manifest`` picks the class by ``apiVersion``). The CRD's limits,
patterns and CEL rules run in those classes; this module adds, on both versions:

- a ``RequestRedirect`` filter on a rule that also has ``backendRefs`` is refused at the filter
  (the redirect answers the request itself, so the backends would never get it);
- hostnames that are IP addresses or have labels over 63 characters are refused (the CRD's
  pattern lets them through);
- retry ``codes`` are a set: each code once;
- a header or query parameter is matched once (the API server merges list entries by name),
  and a header matched under several spellings warns (header names are case-insensitive).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..core.deferred import attributes, class_module, class_name, lazy_names, when_explained
from ..core.fields import Issues
from ..core.model import explain_version_gaps
from ..core.schema import semantic_check
from ..models import gateway_networking_k8s_io_v1 as v1
from ..models import gateway_networking_k8s_io_v1alpha2 as v1alpha2
from ..models import gateway_networking_k8s_io_v1beta1 as v1beta1
from ..models.gateway_networking_k8s_io_v1 import grpc_route as grpc_v1
from ._common import check_hostnames, check_unique_names, duplicates

__all__ = [
    "HTTPBackendRef",
    "HTTPRoute",
    "HTTPRouteRule",
    "HTTPRouteV1Beta1",
    "route_backend_refs",
]

HTTPRoute = v1.HTTPRoute
#: A rule of a v1 HTTPRoute (``spec.rules[]``).
HTTPRouteRule = v1.HTTPRouteSpecRules
#: A backend of a v1 HTTPRoute rule (``spec.rules[].backendRefs[]``).
HTTPBackendRef = v1.HTTPRouteSpecRulesBackendRefs


# The served older version (v1beta1) is created on first use: the checks below name its classes by
# "module:Class" (core.deferred.class_name), and what it lacks is explained when an error is.
if TYPE_CHECKING:
    HTTPRouteV1Beta1 = v1beta1.HTTPRoute
    Route = v1.HTTPRoute | v1beta1.HTTPRoute | grpc_v1.GRPCRoute | v1alpha2.GRPCRoute
    BackendRef = (v1.HTTPRouteSpecRulesBackendRefs | v1beta1.HTTPRouteSpecRulesBackendRefs
                  | grpc_v1.GRPCRouteSpecRulesBackendRefs | v1alpha2.GRPCRouteSpecRulesBackendRefs)

__getattr__ = lazy_names(__name__, globals(), attributes({"HTTPRouteV1Beta1": (v1beta1, "HTTPRoute")}))


def _both(name: str) -> tuple[type[Any], str]:
    """The v1 class ``name`` and the v1beta1 one, named without creating it."""
    return getattr(v1, name), class_name(v1beta1, name)


def route_backend_refs(route: Route) -> Iterator[tuple[str, BackendRef]]:
    """Every backendRef of an HTTPRoute or GRPCRoute (any version) with its field path (``spec.rules[0].backendRefs[1]``)."""
    rules: Sequence[v1.HTTPRouteSpecRules | v1beta1.HTTPRouteSpecRules | grpc_v1.GRPCRouteSpecRules
                    | v1alpha2.GRPCRouteSpecRules] = (route.spec.rules if route.spec else None) or ()
    for r, rule in enumerate(rules):
        refs: Sequence[BackendRef] = rule.backend_refs or ()
        for b, ref in enumerate(refs):
            yield f"spec.rules[{r}].backendRefs[{b}]", ref


@semantic_check(*_both("HTTPRouteSpecRules"))
def _check_redirect_with_backends(rule: v1.HTTPRouteSpecRules | v1beta1.HTTPRouteSpecRules) -> None:
    if not rule.backend_refs:
        return
    issues = Issues()
    filters: list[Any] = list(rule.filters or ())
    for index, item in enumerate(filters):
        if item.request_redirect is not None:
            issues.add(("filters", index), "a RequestRedirect filter answers the request itself, but the rule also "
                                           "has backendRefs; remove the backendRefs or the redirect", item.type)
    issues.raise_any("HTTPRouteRule")


@semantic_check(*_both("HTTPRouteSpecRulesRetry"))
def _check_retry_codes(retry: v1.HTTPRouteSpecRulesRetry | v1beta1.HTTPRouteSpecRulesRetry) -> None:
    twice = duplicates(retry.codes or ())
    if twice:
        raise ValueError(f"codes: status code {twice[0]} is listed more than once; list each code once")


@semantic_check(*_both("HTTPRouteSpec"))
def _check_route_hostnames(spec: v1.HTTPRouteSpec | v1beta1.HTTPRouteSpec) -> None:
    issues = Issues()
    check_hostnames(spec.hostnames, issues, ("hostnames",))
    issues.raise_any("HTTPRouteSpec")


@semantic_check(*_both("HTTPRouteSpecRulesMatches"))
def _check_match_names(match: v1.HTTPRouteSpecRulesMatches | v1beta1.HTTPRouteSpecRulesMatches) -> None:
    issues = Issues()
    headers = [h.name for h in match.headers or ()]
    check_unique_names(headers, issues, ("headers",), "header")
    check_unique_names([q.name for q in match.query_params or ()], issues, ("queryParams",), "query parameter")
    issues.raise_any("HTTPRouteMatch")
    folded = duplicates(name.lower() for name in headers)
    if folded:
        warnings.warn(f"headers: {folded[0]!r} is matched under several spellings; header names are "
                      f"case-insensitive and only the first entry counts", UserWarning, stacklevel=2)


when_explained({class_module(v1, "HTTPRoute"), class_module(v1beta1, "HTTPRoute")},
               lambda: explain_version_gaps({"v1": v1.HTTPRoute, "v1beta1": v1beta1.HTTPRoute}))
