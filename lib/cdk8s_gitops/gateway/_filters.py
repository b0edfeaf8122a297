"""Route filters: header modifiers, redirect, URL rewrite, mirror, CORS, external auth, extension refs.

:class:`HTTPRouteFilter` is used by HTTPRoute rules and backendRefs, :class:`GRPCRouteFilter`
by GRPCRoute. A filter names its ``type`` and sets exactly the matching field
(``type: RequestRedirect`` with ``requestRedirect: {...}``), as upstream requires.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel
from ._common import (
    BackendObjectReference,
    HeaderName,
    HeaderValue,
    LocalObjectReference,
    PortNumber,
    PreciseHostname,
    duplicates,
    limit,
    unique,
)

__all__ = [
    "FILTER_FIELDS",
    "GRPCRouteFilter",
    "HTTPCORSFilter",
    "HTTPExternalAuthFilter",
    "HTTPHeader",
    "HTTPHeaderFilter",
    "HTTPPathModifier",
    "HTTPRequestMirrorFilter",
    "HTTPRequestRedirectFilter",
    "HTTPRouteFilter",
    "HTTPURLRewriteFilter",
    "MirrorFraction",
    "check_filters",
]


class HTTPHeader(K8sModel):
    """A header name and value (used by header modifiers).

    Attributes:
        name: ``name``: header name (case-insensitive). Required.
        value: ``value``: header value. Required.
    """

    name: HeaderName
    value: HeaderValue


def _unique_header_names(noun: str) -> AfterValidator:
    def check(items: list[HTTPHeader]) -> list[HTTPHeader]:
        twice = duplicates(h.name for h in items)
        if twice:
            raise ValueError(f"header {twice[0]!r} appears more than once in {noun}; list each header once")
        return items

    return AfterValidator(check)


_HEADERS_FIX = "keep at most 16 headers per list"


class HTTPHeaderFilter(K8sModel):
    """``requestHeaderModifier`` / ``responseHeaderModifier``: change headers on the way through.

    Attributes:
        set: ``set``: headers to overwrite (or add), at most 16, names unique. Default: none.
        add: ``add``: headers to append to existing values, at most 16, names unique. Default: none.
        remove: ``remove``: header names to drop, at most 16, unique. Default: none.
    """

    set: Annotated[list[HTTPHeader], limit("headers", 16, fix=_HEADERS_FIX), _unique_header_names("set")] | None = None
    add: Annotated[list[HTTPHeader], limit("headers", 16, fix=_HEADERS_FIX), _unique_header_names("add")] | None = None
    remove: Annotated[list[str], limit("headers", 16, fix=_HEADERS_FIX), unique("header")] | None = None


class HTTPPathModifier(K8sModel):
    """How a redirect or rewrite changes the request path.

    Attributes:
        type: ``type``: ``ReplaceFullPath`` or ``ReplacePrefixMatch``. Required.
        replace_full_path: ``replaceFullPath``: the new path (with ``ReplaceFullPath``), at most 1024 characters.
        replace_prefix_match: ``replacePrefixMatch``: what replaces the matched prefix (with
            ``ReplacePrefixMatch``; the rule must then have exactly one PathPrefix match), at most 1024 characters.
    """

    type: Literal["ReplaceFullPath", "ReplacePrefixMatch"]
    replace_full_path: str | None = None
    replace_prefix_match: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for field, key, kind in (("replace_full_path", "replaceFullPath", "ReplaceFullPath"),
                                 ("replace_prefix_match", "replacePrefixMatch", "ReplacePrefixMatch")):
            value = getattr(self, field)
            if value is not None and len(value) > 1024:
                issues.add((key,), f"{key} has {len(value)} characters, more than 1024; shorten it", value)
            if self.type == kind and value is None:
                issues.add((key,), f"type {kind} needs {key}, which is not set; add {key}: /new/path", None)
            if self.type != kind and value is not None:
                issues.add((key,), f"{key} {value!r} is set but type is {self.type}; set type: {kind} or remove {key}", value)
        issues.raise_any(type(self).__name__)
        return self


class HTTPRequestRedirectFilter(K8sModel):
    """``requestRedirect``: answer with a redirect instead of forwarding.

    Attributes:
        scheme: ``scheme``: ``http`` or ``https``. Default: the request's scheme.
        hostname: ``hostname``: precise hostname (no wildcard). Default: the request's Host.
        path: ``path``: see :class:`HTTPPathModifier`. Default: the request's path.
        port: ``port``: 1-65535. Default: derived from the scheme or the listener.
        status_code: ``statusCode``: 301, 302, 303, 307 or 308. Default: 302.
    """

    scheme: Literal["http", "https"] | None = None
    hostname: PreciseHostname | None = None
    path: HTTPPathModifier | None = None
    port: PortNumber | None = None
    status_code: Literal[301, 302, 303, 307, 308] | None = None


class HTTPURLRewriteFilter(K8sModel):
    """``urlRewrite``: change the hostname and/or path before forwarding.

    Attributes:
        hostname: ``hostname``: precise hostname to send upstream. Default: unchanged.
        path: ``path``: see :class:`HTTPPathModifier`. Default: unchanged.
    """

    hostname: PreciseHostname | None = None
    path: HTTPPathModifier | None = None


class MirrorFraction(K8sModel):
    """The share of requests to mirror, as a fraction.

    Attributes:
        numerator: ``numerator``: at least 0 and at most ``denominator``. Required.
        denominator: ``denominator``: at least 1. Default: 100.
    """

    numerator: int
    denominator: int | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        denominator = 100 if self.denominator is None else self.denominator
        if self.denominator is not None and self.denominator < 1:
            raise ValueError(f"denominator: {self.denominator} is below 1; use a positive denominator such as 100")
        if self.numerator < 0:
            raise ValueError(f"numerator: {self.numerator} is negative; use 0 or more")
        if self.numerator > denominator:
            raise ValueError(f"numerator: {self.numerator} is above the denominator {denominator}; "
                             f"use a numerator between 0 and {denominator}")
        return self


class HTTPRequestMirrorFilter(K8sModel):
    """``requestMirror``: send a copy of requests to another backend (responses are ignored).

    Attributes:
        backend_ref: ``backendRef``: where copies go; see :class:`BackendObjectReference`. Required.
        percent: ``percent``: share of requests to mirror, 0-100. Default: 100 (all). Not with ``fraction``.
        fraction: ``fraction``: share as a fraction; see :class:`MirrorFraction`. Not with ``percent``.
    """

    backend_ref: BackendObjectReference
    percent: int | None = None
    fraction: MirrorFraction | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.percent is not None and not 0 <= self.percent <= 100:
            raise ValueError(f"percent: {self.percent} is outside 0-100; use a percentage between 0 and 100")
        if self.percent is not None and self.fraction is not None:
            raise ValueError(f"percent: {self.percent} is set together with fraction; set only one of percent and fraction")
        return self


_TOKEN = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
_ORIGIN = re.compile(r"(^\*$)|(^(http(s)?)://(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)")


def _alone_star(noun: str) -> AfterValidator:
    def check(items: list[str]) -> list[str]:
        if "*" in items and len(items) > 1:
            raise ValueError(f"'*' is listed together with other {noun} {[i for i in items if i != '*']!r}; "
                             f"use either '*' alone or a list of {noun}")
        return items

    return AfterValidator(check)


def _origin(value: str) -> str:
    if not 1 <= len(value) <= 253 or not _ORIGIN.match(value):
        raise ValueError(f"origin {value!r} is not '*' or scheme://host[:port]; use an origin such as "
                         f"'https://www.example.com' or 'https://*.example.com'")
    return value


def _cors_header(value: str) -> str:
    if not 1 <= len(value) <= 256 or not _TOKEN.match(value):
        raise ValueError(f"header name {value!r} is not an HTTP header name; use a name such as 'x-request-id'")
    return value


Origin = Annotated[str, AfterValidator(_origin)]
CORSHeader = Annotated[str, AfterValidator(_cors_header)]
_Method = Literal["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "*"]


class HTTPCORSFilter(K8sModel):
    """``cors``: answer CORS preflight requests and add CORS headers (type ``CORS``).

    Attributes:
        allow_origins: ``allowOrigins``: origins allowed, ``*`` alone or ``scheme://host[:port]`` entries
            (a ``*.`` host prefix allowed), at most 64, unique. Default: none (no origin allowed).
        allow_credentials: ``allowCredentials``. Default: false.
        allow_methods: ``allowMethods``: HTTP methods or ``*`` alone, at most 9, unique. Default: none.
        allow_headers: ``allowHeaders``: header names or ``*`` alone, at most 64, unique. Default: none.
        expose_headers: ``exposeHeaders``: header names, at most 64, unique. Default: none.
        max_age: ``maxAge``: seconds a preflight answer may be cached, at least 1. Default: 5.
    """

    allow_origins: Annotated[list[Origin], limit("origins", 64), unique("origin"), _alone_star("origins")] | None = None
    allow_credentials: bool | None = None
    allow_methods: Annotated[list[_Method], limit("methods", 9), unique("method"), _alone_star("methods")] | None = None
    allow_headers: Annotated[list[CORSHeader], limit("headers", 64), unique("header"), _alone_star("headers")] | None = None
    expose_headers: Annotated[list[CORSHeader], limit("headers", 64), unique("header")] | None = None
    max_age: int | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.max_age is not None and self.max_age < 1:
            raise ValueError(f"maxAge: {self.max_age} is below 1; use a number of seconds such as 3600")
        return self


_AUTH_PATH = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")


class ExternalAuthGRPC(K8sModel):
    """``externalAuth.grpc``: settings for a gRPC (Envoy ext_authz) authorization service.

    Attributes:
        allowed_headers: ``allowedHeaders``: request headers sent to the service, at most 64. Default: all.
    """

    allowed_headers: Annotated[list[str], limit("headers", 64), unique("header")] | None = None


class ExternalAuthHTTP(K8sModel):
    """``externalAuth.http``: settings for an HTTP authorization service.

    Attributes:
        path: ``path``: prefix added to the path sent to the service. Default: none.
        allowed_headers: ``allowedHeaders``: extra request headers sent, at most 64. Default: the standard set.
        allowed_response_headers: ``allowedResponseHeaders``: service response headers copied to the
            request, at most 64. Default: none.
    """

    path: str | None = None
    allowed_headers: Annotated[list[str], limit("headers", 64), unique("header")] | None = None
    allowed_response_headers: Annotated[list[str], limit("headers", 64), unique("header")] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.path is not None and (len(self.path) > 1024 or not _AUTH_PATH.match(self.path)):
            raise ValueError(f"path: {self.path!r} is not a URL path (at most 1024 URL characters); use a path such as '/auth'")
        return self


class ExternalAuthForwardBody(K8sModel):
    """``externalAuth.forwardBody``: send the request body to the authorization service.

    Attributes:
        max_size: ``maxSize``: bytes of body to buffer and send. Default: 0 (no body sent).
    """

    max_size: int | None = None


class HTTPExternalAuthFilter(K8sModel):
    """``externalAuth``: ask an external service whether to let a request through (type ``ExternalAuth``).

    Attributes:
        protocol: ``protocol``: ``HTTP`` or ``GRPC``. Required; needs the matching ``http`` or ``grpc`` block.
        backend_ref: ``backendRef``: the authorization service; see :class:`BackendObjectReference`. Required.
        grpc: ``grpc``: see :class:`ExternalAuthGRPC`. Only with protocol GRPC.
        http: ``http``: see :class:`ExternalAuthHTTP`. Only with protocol HTTP.
        forward_body: ``forwardBody``: see :class:`ExternalAuthForwardBody`. Default: no body.
    """

    protocol: Literal["HTTP", "GRPC"]
    backend_ref: BackendObjectReference
    grpc: ExternalAuthGRPC | None = None
    http: ExternalAuthHTTP | None = None
    forward_body: ExternalAuthForwardBody | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.protocol == "GRPC" and self.grpc is None:
            raise ValueError("grpc: protocol GRPC needs the grpc block, which is not set; add grpc: {}")
        if self.protocol == "HTTP" and self.http is None:
            raise ValueError("http: protocol HTTP needs the http block, which is not set; add http: {}")
        if self.grpc is not None and self.protocol != "GRPC":
            raise ValueError(f"grpc: is set but protocol is {self.protocol}; set protocol: GRPC or remove grpc")
        if self.http is not None and self.protocol != "HTTP":
            raise ValueError(f"http: is set but protocol is {self.protocol}; set protocol: HTTP or remove http")
        return self


FILTER_FIELDS: dict[str, str] = {
    "RequestHeaderModifier": "request_header_modifier",
    "ResponseHeaderModifier": "response_header_modifier",
    "RequestMirror": "request_mirror",
    "RequestRedirect": "request_redirect",
    "URLRewrite": "url_rewrite",
    "ExtensionRef": "extension_ref",
    "CORS": "cors",
    "ExternalAuth": "external_auth",
}
"""Filter type -> the Python field that carries its settings."""


def _check_filter_fields(model: K8sModel, filter_type: str) -> None:
    """Upstream: the field named by ``type`` is set, and no other filter field is."""
    issues = Issues()
    fields = type(model).model_fields
    for kind, field in FILTER_FIELDS.items():
        if field not in fields:
            continue
        alias = fields[field].alias or field
        value = getattr(model, field)
        if kind == filter_type and value is None:
            issues.add((alias,), f"filter type {kind} needs {alias}, which is not set; add {alias}: {{...}}", None)
        elif kind != filter_type and value is not None:
            issues.add((alias,), f"{alias} is set but the filter type is {filter_type}; "
                                 f"set type: {kind} or remove {alias}", value.dump())
    issues.raise_any(type(model).__name__)


class HTTPRouteFilter(K8sModel):
    """One filter of an HTTPRoute rule or backendRef.

    Attributes:
        type: ``type``: ``RequestHeaderModifier``, ``ResponseHeaderModifier``, ``RequestMirror``,
            ``RequestRedirect``, ``URLRewrite``, ``ExtensionRef``, ``CORS`` or ``ExternalAuth``. Required.
        request_header_modifier: ``requestHeaderModifier``: see :class:`HTTPHeaderFilter`.
        response_header_modifier: ``responseHeaderModifier``: see :class:`HTTPHeaderFilter`.
        request_mirror: ``requestMirror``: see :class:`HTTPRequestMirrorFilter`.
        request_redirect: ``requestRedirect``: see :class:`HTTPRequestRedirectFilter`.
        url_rewrite: ``urlRewrite``: see :class:`HTTPURLRewriteFilter`.
        extension_ref: ``extensionRef``: an implementation-specific filter object; see :class:`LocalObjectReference`.
        cors: ``cors``: see :class:`HTTPCORSFilter`.
        external_auth: ``externalAuth``: see :class:`HTTPExternalAuthFilter`.

    Exactly the field matching ``type`` is set; none has a default.
    """

    type: Literal["RequestHeaderModifier", "ResponseHeaderModifier", "RequestMirror", "RequestRedirect",
                  "URLRewrite", "ExtensionRef", "CORS", "ExternalAuth"]
    request_header_modifier: HTTPHeaderFilter | None = None
    response_header_modifier: HTTPHeaderFilter | None = None
    request_mirror: HTTPRequestMirrorFilter | None = None
    request_redirect: HTTPRequestRedirectFilter | None = None
    url_rewrite: HTTPURLRewriteFilter | None = None
    extension_ref: LocalObjectReference | None = None
    cors: HTTPCORSFilter | None = None
    external_auth: HTTPExternalAuthFilter | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_filter_fields(self, self.type)
        return self


class GRPCRouteFilter(K8sModel):
    """One filter of a GRPCRoute rule or backendRef.

    Attributes:
        type: ``type``: ``RequestHeaderModifier``, ``ResponseHeaderModifier``, ``RequestMirror`` or
            ``ExtensionRef``. Required.
        request_header_modifier: ``requestHeaderModifier``: see :class:`HTTPHeaderFilter`.
        response_header_modifier: ``responseHeaderModifier``: see :class:`HTTPHeaderFilter`.
        request_mirror: ``requestMirror``: see :class:`HTTPRequestMirrorFilter`.
        extension_ref: ``extensionRef``: see :class:`LocalObjectReference`.

    Exactly the field matching ``type`` is set.
    """

    type: Literal["ResponseHeaderModifier", "RequestHeaderModifier", "RequestMirror", "ExtensionRef"]
    request_header_modifier: HTTPHeaderFilter | None = None
    response_header_modifier: HTTPHeaderFilter | None = None
    request_mirror: HTTPRequestMirrorFilter | None = None
    extension_ref: LocalObjectReference | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_filter_fields(self, self.type)
        return self


_ONCE = ("CORS", "RequestHeaderModifier", "ResponseHeaderModifier", "RequestRedirect", "URLRewrite")


def check_filters(filters: Sequence[HTTPRouteFilter | GRPCRouteFilter] | None, issues: Issues,
                  prefix: tuple[str | int, ...]) -> None:
    """Rules over one filter list: some types at most once, and not both a redirect and a rewrite."""
    if not filters:
        return
    seen: set[str] = set()
    for index, item in enumerate(filters):
        if item.type in _ONCE and item.type in seen:
            issues.add(prefix + (index, "type"), f"filter type {item.type} is used more than once in this list; "
                                                 f"merge them into one {item.type} filter", item.type)
        seen.add(item.type)
    pair = ("RequestRedirect", "URLRewrite")
    first: str | None = None
    for index, item in enumerate(filters):
        if item.type not in pair:
            continue
        if first is not None and item.type != first:
            issues.add(prefix + (index, "type"), f"{item.type} follows a {first} filter in the same list; "
                                                 f"use either a redirect or a rewrite, not both", item.type)
            break
        first = first or item.type
