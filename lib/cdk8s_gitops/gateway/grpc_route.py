"""GRPCRoute (gateway.networking.k8s.io ``v1``; ``v1alpha2`` is still served with an older schema).

:class:`GRPCRoute` is the generated ``v1`` class and :class:`GRPCRouteV1Alpha2` the generated
``v1alpha2`` one (``from_manifest`` picks the class by ``apiVersion``). ``v1alpha2`` lacks
fields ``v1`` has (rule names, ``sessionPersistence``, ``useDefaultGateways``, mirror
``percent``/``fraction``) and allows 8 matches per rule instead of 64: its schema refuses them, and a field
only ``v1`` has is refused as not served in ``v1alpha2``, with the fix to use ``v1``.
The CRD's limits, patterns and CEL rules run in the generated classes; this module adds, on
both versions, that hostnames are not IP addresses and have labels of at most 63 characters,
and that a header is matched once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.deferred import attributes, class_module, class_name, lazy_names, when_explained
from ..core.fields import Issues
from ..core.model import explain_version_gaps
from ..core.schema import semantic_check
from ..models import gateway_networking_k8s_io_v1 as v1
from ..models import gateway_networking_k8s_io_v1alpha2 as v1alpha2
from ._common import check_hostnames, check_unique_names

__all__ = ["GRPCRoute", "GRPCRouteV1Alpha2"]

GRPCRoute = v1.GRPCRoute

# The served older version (v1alpha2) is created on first use (see http_route).
if TYPE_CHECKING:
    GRPCRouteV1Alpha2 = v1alpha2.GRPCRoute

__getattr__ = lazy_names(__name__, globals(), attributes({"GRPCRouteV1Alpha2": (v1alpha2, "GRPCRoute")}))


@semantic_check(v1.GRPCRouteSpec, class_name(v1alpha2, "GRPCRouteSpec"))
def _check_route_hostnames(spec: v1.GRPCRouteSpec | v1alpha2.GRPCRouteSpec) -> None:
    issues = Issues()
    check_hostnames(spec.hostnames, issues, ("hostnames",))
    issues.raise_any("GRPCRouteSpec")


@semantic_check(v1.GRPCRouteSpecRulesMatches, class_name(v1alpha2, "GRPCRouteSpecRulesMatches"))
def _check_header_names(match: v1.GRPCRouteSpecRulesMatches | v1alpha2.GRPCRouteSpecRulesMatches) -> None:
    issues = Issues()
    check_unique_names([h.name for h in match.headers or ()], issues, ("headers",), "header")
    issues.raise_any("GRPCRouteMatch")


when_explained({class_module(v1, "GRPCRoute"), class_module(v1alpha2, "GRPCRoute")},
               lambda: explain_version_gaps({"v1": v1.GRPCRoute, "v1alpha2": v1alpha2.GRPCRoute}))
