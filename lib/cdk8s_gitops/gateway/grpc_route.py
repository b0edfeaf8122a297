"""GRPCRoute (gateway.networking.k8s.io ``v1``, also served as ``v1alpha2``): gRPC routing rules.

Rules match on the gRPC service and method and on headers, may run header modifiers,
mirrors and extension filters, and send traffic to weighted backends.

``v1alpha2`` is the older schema: at most 8 matches per rule, and no rule ``name``,
``sessionPersistence``, mirror ``percent``/``fraction`` or ``useDefaultGateways``; the
model refuses those fields under ``v1alpha2`` and names the version to move to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ._common import (
    GROUP,
    BackendObjectReference,
    CommonRouteSpec,
    HeaderName,
    Hostname,
    SectionName,
    Weight,
    check_parent_refs,
    duplicates,
    limit,
)
from ._filters import GRPCRouteFilter, check_filters
from .http_route import SessionPersistence

__all__ = [
    "GRPCBackendRef",
    "GRPCHeaderMatch",
    "GRPCMethodMatch",
    "GRPCRoute",
    "GRPCRouteMatch",
    "GRPCRouteRule",
    "GRPCRouteSpec",
]

_SERVICE = re.compile(r"^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$", re.IGNORECASE)
_METHOD = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")


class GRPCMethodMatch(K8sModel):
    """Match on the gRPC service and/or method (``/<service>/<method>``).

    Attributes:
        type: ``type``: ``Exact`` or ``RegularExpression``. Default: ``Exact``.
        service: ``service``: fully qualified service name (``helloworld.Greeter``), at most 1024
            characters. Default: any service.
        method: ``method``: method name (``SayHello``), at most 1024 characters. Default: any method.

    At least one of ``service`` and ``method`` is set.
    """

    type: Literal["Exact", "RegularExpression"] | None = None
    service: str | None = None
    method: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.service is None and self.method is None:
            raise ValueError("service: neither service nor method is set; set service, method or both "
                             "(or leave the method match out to match every call)")
        for key, value in (("service", self.service), ("method", self.method)):
            if value is not None and len(value) > 1024:
                raise ValueError(f"{key}: has {len(value)} characters, more than 1024; shorten it")
        if (self.type or "Exact") == "Exact":
            if self.service is not None and not _SERVICE.match(self.service):
                raise ValueError(f"service: {self.service!r} is not a gRPC service name; use a dotted name such as "
                                 f"'helloworld.Greeter', or type RegularExpression for a pattern")
            if self.method is not None and not _METHOD.match(self.method):
                raise ValueError(f"method: {self.method!r} is not a gRPC method name; use a name such as "
                                 f"'SayHello', or type RegularExpression for a pattern")
        return self


def _grpc_header_value(value: str) -> str:
    if not 1 <= len(value) <= 4096:
        raise ValueError(f"header value must have 1-4096 characters, got {len(value)}; shorten it or give a value")
    return value


class GRPCHeaderMatch(K8sModel):
    """Match on one gRPC request header (metadata).

    Attributes:
        type: ``type``: ``Exact`` or ``RegularExpression``. Default: ``Exact``.
        name: ``name``: header name (case-insensitive). Required.
        value: ``value``: 1-4096 characters. Required.
    """

    type: Literal["Exact", "RegularExpression"] | None = None
    name: HeaderName
    value: Annotated[str, AfterValidator(_grpc_header_value)]


def _unique_headers(items: list[GRPCHeaderMatch]) -> list[GRPCHeaderMatch]:
    twice = duplicates(h.name for h in items)
    if twice:
        raise ValueError(f"header {twice[0]!r} is matched more than once; match each header once")
    return items


class GRPCRouteMatch(K8sModel):
    """One way a call can match a rule.

    Attributes:
        method: ``method``: see :class:`GRPCMethodMatch`. Default: every service and method.
        headers: ``headers``: at most 16, names unique; see :class:`GRPCHeaderMatch`. Default: none.
    """

    method: GRPCMethodMatch | None = None
    headers: Annotated[list[GRPCHeaderMatch], limit("header matches", 16), AfterValidator(_unique_headers)] | None = None


class GRPCBackendRef(BackendObjectReference):
    """A weighted backend of a GRPCRoute rule.

    Attributes:
        group: ``group``. Default: ``""`` (core).
        kind: ``kind``. Default: ``Service``.
        name: ``name``. Required.
        namespace: ``namespace``. Default: the route's namespace.
        port: ``port``: 1-65535; required for a Service.
        weight: ``weight``: 0-1,000,000. Default: 1.
        filters: ``filters``: at most 16; see :class:`~cdk8s_gitops.gateway.GRPCRouteFilter`. Default: none.
    """

    weight: Weight | None = None
    filters: Annotated[list[GRPCRouteFilter], limit("filters", 16)] | None = None

    @model_validator(mode="after")
    def _check_filters(self) -> Self:
        issues = Issues()
        check_filters(self.filters, issues, ("filters",))
        issues.raise_any(type(self).__name__)
        return self


class GRPCRouteRule(K8sModel):
    """One rule of a GRPCRoute.

    Attributes:
        name: ``name``: a DNS subdomain, unique within the route (``v1`` only). Default: none.
        matches: ``matches``: at most 64 in ``v1`` (8 in ``v1alpha2``), 128 across the route. Default: every call.
        filters: ``filters``: at most 16, header modifiers at most once each. Default: none.
        backend_refs: ``backendRefs``: at most 16; see :class:`GRPCBackendRef`. Default: none.
        session_persistence: ``sessionPersistence`` (``v1`` only); see
            :class:`~cdk8s_gitops.gateway.SessionPersistence`. Default: none.
    """

    name: SectionName | None = None
    matches: Annotated[list[GRPCRouteMatch], limit("matches", 64, fix="split the rule into several rules")] | None = None
    filters: Annotated[list[GRPCRouteFilter], limit("filters", 16)] | None = None
    backend_refs: Annotated[list[GRPCBackendRef], limit("backendRefs", 16)] | None = None
    session_persistence: SessionPersistence | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        check_filters(self.filters, issues, ("filters",))
        issues.raise_any(type(self).__name__)
        return self


class GRPCRouteSpec(CommonRouteSpec):
    """``spec`` of a GRPCRoute.

    Attributes:
        parent_refs: ``parentRefs``: at most 32; see :class:`~cdk8s_gitops.gateway.ParentReference`. Default: none.
        use_default_gateways: ``useDefaultGateways`` (``v1`` only): ``All`` or ``None``. Default: ``None``.
        hostnames: ``hostnames``: RFC 1123 names with an optional leading ``*.``, at most 16. Default: the
            listeners' hostnames.
        rules: ``rules``: at most 16 (128 matches in total, names unique); see :class:`GRPCRouteRule`.
            Default: none.
    """

    hostnames: Annotated[list[Hostname], limit("hostnames", 16, fix="split the route into several GRPCRoutes")] | None = None
    rules: Annotated[list[GRPCRouteRule], limit("rules", 16, fix="split them across several GRPCRoutes")] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        check_parent_refs(self.parent_refs, issues, ("parentRefs",))
        rules = self.rules or []
        total = sum(len(r.matches or ()) for r in rules)
        if total > 128:
            issues.add(("rules",), f"the rules have {total} matches in total, more than the upstream limit of 128; "
                                   f"split the route into several GRPCRoutes", total)
        for name in duplicates(r.name for r in rules if r.name):
            index = [i for i, r in enumerate(rules) if r.name == name][1]
            issues.add(("rules", index, "name"), f"rule name {name!r} is used more than once; give every rule "
                                                 f"its own name", name)
        issues.raise_any(type(self).__name__)
        return self


_V1ALPHA2 = f"{GROUP}/v1alpha2"


class GRPCRoute(Resource):
    """A GRPCRoute (``gateway.networking.k8s.io/v1``; ``v1alpha2`` is still served with an older schema).

    Attributes:
        spec: ``spec``: see :class:`GRPCRouteSpec`. Required.
        status: ``status``: written by the Gateway controllers, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "GRPCRoute"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1", _V1ALPHA2)

    spec: GRPCRouteSpec
    status: dict[str, Any] | None = None

    def backend_refs(self) -> Iterator[tuple[str, GRPCBackendRef]]:
        """Every backendRef with its field path (``spec.rules[0].backendRefs[1]``)."""
        for r, rule in enumerate(self.spec.rules or ()):
            for b, ref in enumerate(rule.backend_refs or ()):
                yield f"spec.rules[{r}].backendRefs[{b}]", ref

    @model_validator(mode="after")
    def _check_version(self) -> Self:
        if self.api_version != _V1ALPHA2:
            return self
        issues = Issues()
        fix = f"use apiVersion {GROUP}/v1, or remove the field"
        if self.spec.use_default_gateways is not None:
            issues.add(("spec", "useDefaultGateways"), f"useDefaultGateways ({self.spec.use_default_gateways!r}) is not in v1alpha2; {fix}",
                       self.spec.use_default_gateways)
        for r, rule in enumerate(self.spec.rules or ()):
            at = ("spec", "rules", r)
            if rule.name is not None:
                issues.add(at + ("name",), f"rule names ({rule.name!r}) are not in v1alpha2; {fix}", rule.name)
            if rule.session_persistence is not None:
                issues.add(at + ("sessionPersistence",), f"sessionPersistence ({rule.session_persistence.dump()}) is not in v1alpha2; {fix}", None)
            if rule.matches is not None and len(rule.matches) > 8:
                issues.add(at + ("matches",), f"{len(rule.matches)} matches is more than the v1alpha2 limit of 8; "
                                              f"use apiVersion {GROUP}/v1 (64) or split the rule", len(rule.matches))
            filter_lists: list[tuple[tuple[str | int, ...], list[GRPCRouteFilter] | None]] = [(at + ("filters",), rule.filters)]
            filter_lists += [(at + ("backendRefs", b, "filters"), ref.filters) for b, ref in enumerate(rule.backend_refs or ())]
            for where, filters in filter_lists:
                for f, item in enumerate(filters or ()):
                    mirror = item.request_mirror
                    if mirror is not None and (mirror.percent is not None or mirror.fraction is not None):
                        given = f"percent {mirror.percent}" if mirror.percent is not None else f"fraction {mirror.fraction.dump() if mirror.fraction else None}"
                        issues.add(where + (f, "requestMirror"), f"mirror {given}: percent and fraction are not in "
                                                                 f"v1alpha2; {fix}", mirror.percent)
        issues.raise_any(type(self).__name__)
        return self
