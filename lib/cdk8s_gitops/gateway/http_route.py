"""HTTPRoute (gateway.networking.k8s.io ``v1``, also served as ``v1beta1``): HTTP routing rules.

A route attaches to Gateways through ``parentRefs``, narrows them by ``hostnames``, and
lists ``rules``: each matches requests (path, headers, query parameters, method), may
run filters (header changes, redirect, rewrite, mirror, CORS, external auth, extension
refs) and sends traffic to weighted ``backendRefs``. Argo Rollouts' Gateway API plugin
shifts canary traffic by changing those weights.

Upstream's limits are checked when the model is built: 16 rules, 64 matches per rule and
128 across the route, 16 hostnames, 32 parentRefs, 16 filters and 16 backendRefs per
rule, weights 0-1,000,000, ports 1-65535, path values that start with ``/``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource
from ._common import (
    GROUP,
    BackendObjectReference,
    CommonRouteSpec,
    Duration,
    HeaderName,
    HeaderValue,
    Hostname,
    SectionName,
    Weight,
    check_parent_refs,
    duplicates,
    duration_seconds,
    limit,
    unique,
)
from ._filters import HTTPRouteFilter, check_filters

__all__ = [
    "HTTPBackendRef",
    "HTTPHeaderMatch",
    "HTTPPathMatch",
    "HTTPQueryParamMatch",
    "HTTPRoute",
    "HTTPRouteMatch",
    "HTTPRouteRetry",
    "HTTPRouteRule",
    "HTTPRouteSpec",
    "HTTPRouteTimeouts",
    "SessionPersistence",
    "SessionPersistenceCookieConfig",
]

_PATH_CHARS = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")
_PATH_FORBIDDEN = ("//", "/./", "/../", "%2f", "%2F", "#")


class HTTPPathMatch(K8sModel):
    """How a rule matches the request path.

    Attributes:
        type: ``type``: ``Exact``, ``PathPrefix`` or ``RegularExpression``. Default: ``PathPrefix``.
        value: ``value``: the path (at most 1024 characters). For ``Exact`` and ``PathPrefix`` it is an
            absolute path: it starts with ``/`` and has no ``//``, ``/./``, ``/../``, ``%2f``, ``#`` and
            no trailing ``/.`` or ``/..``. Default: ``/``.
    """

    type: Literal["Exact", "PathPrefix", "RegularExpression"] | None = None
    value: str | None = None

    @property
    def effective_type(self) -> str:
        """The type with upstream's default applied."""
        return self.type or "PathPrefix"

    @model_validator(mode="after")
    def _check(self) -> Self:
        value = "/" if self.value is None else self.value
        kind = self.effective_type
        if len(value) > 1024:
            raise ValueError(f"value: path has {len(value)} characters, more than 1024; shorten it")
        if kind == "RegularExpression":
            return self
        fix = "write an absolute, normalized path such as '/api'"
        if not value.startswith("/"):
            raise ValueError(f"value: path {value!r} does not start with '/' (type {kind}); "
                             f"write it as an absolute path such as {'/' + value.lstrip('/')!r}")
        for bad in _PATH_FORBIDDEN:
            if bad in value:
                raise ValueError(f"value: path {value!r} contains {bad!r}, which {kind} paths may not; {fix}")
        for bad in ("/..", "/."):
            if value.endswith(bad):
                raise ValueError(f"value: path {value!r} ends with {bad!r}, which {kind} paths may not; {fix}")
        if not _PATH_CHARS.match(value):
            raise ValueError(f"value: path {value!r} has characters that are not allowed in a URL path; "
                             f"percent-encode them (for example a space as %20)")
        return self


class HTTPHeaderMatch(K8sModel):
    """Match on one request header.

    Attributes:
        type: ``type``: ``Exact`` or ``RegularExpression``. Default: ``Exact``.
        name: ``name``: header name (compared case-insensitively). Required.
        value: ``value``: the value (or pattern) to match. Required.
    """

    type: Literal["Exact", "RegularExpression"] | None = None
    name: HeaderName
    value: HeaderValue


def _query_value(value: str) -> str:
    if not 1 <= len(value) <= 1024:
        raise ValueError(f"query parameter value must have 1-1024 characters, got {len(value)}; shorten it or give a value")
    return value


class HTTPQueryParamMatch(K8sModel):
    """Match on one query parameter.

    Attributes:
        type: ``type``: ``Exact`` or ``RegularExpression``. Default: ``Exact``.
        name: ``name``: parameter name (compared case-sensitively). Required.
        value: ``value``: 1-1024 characters. Required.
    """

    type: Literal["Exact", "RegularExpression"] | None = None
    name: HeaderName
    value: Annotated[str, AfterValidator(_query_value)]


def _header_matches(items: list[HTTPHeaderMatch]) -> list[HTTPHeaderMatch]:
    twice = duplicates(h.name for h in items)
    if twice:
        raise ValueError(f"header {twice[0]!r} is matched more than once; match each header once")
    folded = duplicates(h.name.lower() for h in items)
    if folded:
        warnings.warn(f"headers: {folded[0]!r} is matched under several spellings; header names are "
                      f"case-insensitive and only the first entry counts", UserWarning, stacklevel=2)
    return items


def _query_matches(items: list[HTTPQueryParamMatch]) -> list[HTTPQueryParamMatch]:
    twice = duplicates(q.name for q in items)
    if twice:
        raise ValueError(f"query parameter {twice[0]!r} is matched more than once; match each parameter once")
    return items


class HTTPRouteMatch(K8sModel):
    """One way a request can match a rule: every condition set must hold.

    Attributes:
        path: ``path``: see :class:`HTTPPathMatch`. Default: prefix ``/`` (every path).
        headers: ``headers``: header conditions, at most 16, names unique. Default: none.
        query_params: ``queryParams``: query parameter conditions, at most 16, names unique. Default: none.
        method: ``method``: ``GET``, ``HEAD``, ``POST``, ``PUT``, ``DELETE``, ``CONNECT``, ``OPTIONS``,
            ``TRACE`` or ``PATCH``. Default: any method.
    """

    path: HTTPPathMatch | None = None
    headers: Annotated[list[HTTPHeaderMatch], limit("header matches", 16), AfterValidator(_header_matches)] | None = None
    query_params: Annotated[list[HTTPQueryParamMatch], limit("query parameter matches", 16),
                            AfterValidator(_query_matches)] | None = None
    method: Literal["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"] | None = None


class HTTPBackendRef(BackendObjectReference):
    """A weighted backend of an HTTPRoute rule (a Service by default).

    Attributes:
        group: ``group``. Default: ``""`` (core).
        kind: ``kind``. Default: ``Service``.
        name: ``name``. Required.
        namespace: ``namespace``. Default: the route's namespace (another one needs a ReferenceGrant).
        port: ``port``: 1-65535; required for a Service.
        weight: ``weight``: share of the rule's traffic, 0-1,000,000, relative to the other backends. Default: 1.
        filters: ``filters``: filters applied only for this backend, at most 16; see
            :class:`~cdk8s_gitops.gateway.HTTPRouteFilter`. Default: none.
    """

    weight: Weight | None = None
    filters: Annotated[list[HTTPRouteFilter], limit("filters", 16)] | None = None

    @model_validator(mode="after")
    def _check_filters(self) -> Self:
        issues = Issues()
        check_filters(self.filters, issues, ("filters",))
        issues.raise_any(type(self).__name__)
        return self


class HTTPRouteTimeouts(K8sModel):
    """Timeouts of a rule (Gateway API durations such as ``10s``; ``0s`` disables one).

    Attributes:
        request: ``request``: the whole request, client to response. Default: implementation-specific.
        backend_request: ``backendRequest``: one request to a backend (retries included separately); not
            longer than ``request`` unless ``request`` is ``0s``. Default: implementation-specific.
    """

    request: Duration | None = None
    backend_request: Duration | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.request is not None and self.backend_request is not None:
            total, backend = duration_seconds(self.request), duration_seconds(self.backend_request)
            if total != 0 and backend > total:
                raise ValueError(f"backendRequest: {self.backend_request!r} is longer than request {self.request!r}; "
                                 f"make backendRequest at most {self.request!r}")
        return self


def _retry_code(value: int) -> int:
    if not 400 <= value <= 599:
        raise ValueError(f"status code {value} is outside 400-599; retry on HTTP error codes such as 503")
    return value


class HTTPRouteRetry(K8sModel):
    """Retries of a rule.

    Attributes:
        codes: ``codes``: HTTP status codes (400-599, unique) that trigger a retry. Default: implementation-specific.
        attempts: ``attempts``: maximum retries, at least 1. Default: implementation-specific.
        backoff: ``backoff``: time before a retry (Gateway API duration). Default: implementation-specific.
    """

    codes: Annotated[list[Annotated[int, AfterValidator(_retry_code)]], unique("status code")] | None = None
    attempts: int | None = None
    backoff: Duration | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.attempts is not None and self.attempts < 1:
            raise ValueError(f"attempts: {self.attempts} is below 1; use at least 1 or leave attempts out")
        return self


class SessionPersistenceCookieConfig(K8sModel):
    """``sessionPersistence.cookieConfig``.

    Attributes:
        lifetime_type: ``lifetimeType``: ``Permanent`` or ``Session``. Default: ``Session``.
    """

    lifetime_type: Literal["Permanent", "Session"] | None = None


class SessionPersistence(K8sModel):
    """Sticky sessions for a rule.

    Attributes:
        session_name: ``sessionName``: cookie or header name, at most 128 characters. Default: implementation-specific.
        absolute_timeout: ``absoluteTimeout``: session lifetime (required for permanent cookies). Default: none.
        type: ``type``: ``Cookie`` or ``Header``. Default: ``Cookie``.
        cookie_config: ``cookieConfig``: only with type ``Cookie``; see :class:`SessionPersistenceCookieConfig`.
    """

    session_name: str | None = None
    absolute_timeout: Duration | None = None
    type: Literal["Cookie", "Header"] | None = None
    cookie_config: SessionPersistenceCookieConfig | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.session_name is not None and len(self.session_name) > 128:
            raise ValueError(f"sessionName: has {len(self.session_name)} characters, more than 128; shorten it")
        if self.cookie_config is not None and (self.type or "Cookie") != "Cookie":
            raise ValueError(f"cookieConfig: is set but type is {self.type}; remove cookieConfig or use type Cookie")
        if (self.cookie_config is not None and self.cookie_config.lifetime_type == "Permanent"
                and self.absolute_timeout is None):
            raise ValueError("absoluteTimeout: a Permanent cookie needs absoluteTimeout, which is not set; "
                             "add absoluteTimeout such as '24h'")
        return self


def _needs_single_prefix_match(filters: list[HTTPRouteFilter] | None) -> str | None:
    """The filter type using ``ReplacePrefixMatch`` in ``filters``, if any."""
    for item in filters or ():
        for modifier in (item.request_redirect, item.url_rewrite):
            if modifier is not None and modifier.path is not None and modifier.path.type == "ReplacePrefixMatch" \
                    and modifier.path.replace_prefix_match is not None:
                return item.type
    return None


class HTTPRouteRule(K8sModel):
    """One rule: which requests (``matches``), what to do (``filters``), where to send them (``backendRefs``).

    Attributes:
        name: ``name``: a DNS subdomain, unique within the route (Argo Rollouts and policies can refer to
            it). Default: none.
        matches: ``matches``: at most 64 (128 across the route); a request matching any entry matches the
            rule. Default: one match on path prefix ``/``.
        filters: ``filters``: at most 16; see :class:`~cdk8s_gitops.gateway.HTTPRouteFilter`. CORS, header
            modifiers, redirect and rewrite at most once each; not both a redirect and a rewrite; no
            redirect when the rule has backendRefs. Default: none.
        backend_refs: ``backendRefs``: weighted backends, at most 16; see :class:`HTTPBackendRef`.
            Default: none (matching requests get a 404 or 500, depending on filters).
        timeouts: ``timeouts``: see :class:`HTTPRouteTimeouts`. Default: none.
        retry: ``retry``: see :class:`HTTPRouteRetry`. Default: none.
        session_persistence: ``sessionPersistence``: see :class:`SessionPersistence`. Default: none.
    """

    name: SectionName | None = None
    matches: Annotated[list[HTTPRouteMatch], limit("matches", 64, fix="split the rule into several rules")] | None = None
    filters: Annotated[list[HTTPRouteFilter], limit("filters", 16)] | None = None
    backend_refs: Annotated[list[HTTPBackendRef], limit("backendRefs", 16)] | None = None
    timeouts: HTTPRouteTimeouts | None = None
    retry: HTTPRouteRetry | None = None
    session_persistence: SessionPersistence | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        check_filters(self.filters, issues, ("filters",))
        if self.backend_refs:
            for index, item in enumerate(self.filters or ()):
                if item.request_redirect is not None:
                    issues.add(("filters", index), "a RequestRedirect filter answers the request itself, but the "
                                                   "rule also has backendRefs; remove the backendRefs or the redirect",
                               item.type)
        users = [("filters", _needs_single_prefix_match(self.filters))]
        users += [(f"backendRefs[{i}].filters", _needs_single_prefix_match(b.filters))
                  for i, b in enumerate(self.backend_refs or ())]
        for where, kind in users:
            if kind is None:
                continue
            matches = self.matches if self.matches is not None else [HTTPRouteMatch()]
            prefix_ok = len(matches) == 1 and (matches[0].path is None or matches[0].path.effective_type == "PathPrefix")
            if not prefix_ok:
                types = [m.path.effective_type if m.path else "PathPrefix" for m in matches]
                issues.add(("matches",), f"{kind} with path.replacePrefixMatch (in {where}) needs exactly one "
                                         f"PathPrefix match, got {len(matches)} match(es) of type {types}; "
                                         f"keep a single PathPrefix match or use ReplaceFullPath", len(matches))
        issues.raise_any(type(self).__name__)
        return self


class HTTPRouteSpec(CommonRouteSpec):
    """``spec`` of an HTTPRoute.

    Attributes:
        parent_refs: ``parentRefs``: see :class:`~cdk8s_gitops.gateway.ParentReference`, at most 32.
            Default: none.
        use_default_gateways: ``useDefaultGateways``: ``All`` or ``None``. Default: ``None``.
        hostnames: ``hostnames``: Host header values to match, RFC 1123 names with an optional leading
            ``*.``, at most 16. Default: the listeners' hostnames.
        rules: ``rules``: 1-16 rules (128 matches in total, names unique); see :class:`HTTPRouteRule`.
            Default: one rule matching every path, with no backends.
    """

    hostnames: Annotated[list[Hostname], limit("hostnames", 16, fix="split the route into several HTTPRoutes")] | None = None
    rules: Annotated[list[HTTPRouteRule], limit("rules", 16, minimum=1, fix="split them across several HTTPRoutes")] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        check_parent_refs(self.parent_refs, issues, ("parentRefs",))
        rules = self.rules or []
        total = sum(len(r.matches) if r.matches is not None else 1 for r in rules)
        if total > 128:
            issues.add(("rules",), f"the rules have {total} matches in total, more than the upstream limit of 128; "
                                   f"split the route into several HTTPRoutes", total)
        for name in duplicates(r.name for r in rules if r.name):
            index = [i for i, r in enumerate(rules) if r.name == name][1]
            issues.add(("rules", index, "name"), f"rule name {name!r} is used more than once; give every rule "
                                                 f"its own name", name)
        issues.raise_any(type(self).__name__)
        return self


class HTTPRoute(Resource):
    """An HTTPRoute (``gateway.networking.k8s.io/v1``; ``v1beta1`` is served with the same schema).

    Attributes:
        spec: ``spec``: see :class:`HTTPRouteSpec`. Required.
        status: ``status``: written by the Gateway controllers, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "HTTPRoute"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1", f"{GROUP}/v1beta1")

    spec: HTTPRouteSpec
    status: dict[str, Any] | None = None

    def backend_refs(self) -> Iterator[tuple[str, HTTPBackendRef]]:
        """Every backendRef with its field path (``spec.rules[0].backendRefs[1]``)."""
        for r, rule in enumerate(self.spec.rules or ()):
            for b, ref in enumerate(rule.backend_refs or ()):
                yield f"spec.rules[{r}].backendRefs[{b}]", ref
