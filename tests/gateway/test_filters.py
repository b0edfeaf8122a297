"""Route filters: each filter's typed fields and upstream's rules about them, exercised through HTTPRoute and GRPCRoute."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import error_message

from cdk8s_gitops import ManifestError
from cdk8s_gitops.gateway import GRPCRoute, HTTPRoute

BACKEND = {"name": "shop", "port": 8080}


def with_filters(*filters: dict[str, Any], **rule: Any) -> HTTPRoute:
    return HTTPRoute.from_manifest({"metadata": {"name": "shop"}, "spec": {"rules": [{"filters": list(filters), **rule}]}})


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming ``path`` and every value."""
    message = error_message(make)
    assert f"{path}: " in message, message
    for value in values:
        assert str(value) in message, message
    return message


F = "spec.rules[0].filters"


def header_filter(**fields: Any) -> dict[str, Any]:
    return {"type": "RequestHeaderModifier", "requestHeaderModifier": fields}


class TestFilterType:
    def test_type_needs_its_field(self) -> None:
        """A filter of type X must set the X field."""
        refused(lambda: with_filters({"type": "URLRewrite"}), f"{F}[0]", "filter.urlRewrite must be specified for URLRewrite")

    def test_field_must_match_type(self) -> None:
        """A filter field other than the one the type names is refused."""
        refused(lambda: with_filters({"type": "URLRewrite", "urlRewrite": {"hostname": "a.example.com"},
                                      "requestRedirect": {"statusCode": 301}}),
                f"{F}[0]", "filter.requestRedirect must be nil if the filter.type is not RequestRedirect")

    def test_unknown_type_refused(self) -> None:
        """Filter types are the upstream list."""
        refused(lambda: with_filters({"type": "RateLimit"}), f"{F}[0].type", "'RateLimit'")

    def test_at_most_16_filters(self) -> None:
        """maxItems 16 for filters in a rule."""
        ext = {"type": "ExtensionRef", "extensionRef": {"group": "example.com", "kind": "Plugin", "name": "p"}}
        refused(lambda: with_filters(*[ext] * 17), F, "17", "16")

    def test_at_most_16_filters_per_backend(self) -> None:
        """maxItems 16 for filters on one backendRef."""
        ext = {"type": "ExtensionRef", "extensionRef": {"group": "example.com", "kind": "Plugin", "name": "p"}}
        refused(lambda: with_filters(backendRefs=[{**BACKEND, "filters": [ext] * 17}]),
                "spec.rules[0].backendRefs[0].filters", "17")

    @pytest.mark.parametrize("kind", ["RequestHeaderModifier", "ResponseHeaderModifier", "URLRewrite", "CORS"])
    def test_some_types_at_most_once(self, kind: str) -> None:
        """CORS, header modifiers, redirect and rewrite may appear once per filter list."""
        bodies = {"RequestHeaderModifier": ("requestHeaderModifier", {"remove": ["x"]}),
                  "ResponseHeaderModifier": ("responseHeaderModifier", {"remove": ["x"]}),
                  "URLRewrite": ("urlRewrite", {"hostname": "a.example.com"}),
                  "CORS": ("cors", {"allowOrigins": ["*"]})}
        key, body = bodies[kind]
        refused(lambda: with_filters({"type": kind, key: body}, {"type": kind, key: body}), F,
                f"{kind} filter cannot be repeated", f"f.type == '{kind}'")

    def test_repeated_type_on_backend_refused(self) -> None:
        """The at-most-once rule applies to backendRef filters too."""
        refused(lambda: with_filters(backendRefs=[{**BACKEND, "filters": [header_filter(remove=["a"]), header_filter(remove=["b"])]}]),
                "spec.rules[0].backendRefs[0].filters", "RequestHeaderModifier filter cannot be repeated")

    def test_mirrors_may_repeat(self) -> None:
        """Several RequestMirror filters are allowed."""
        mirror = {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "shadow", "port": 80}}}
        assert with_filters(mirror, mirror)

    def test_redirect_and_rewrite_exclusive(self) -> None:
        """A filter list may redirect or rewrite, not both."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"statusCode": 301}},
                                     {"type": "URLRewrite", "urlRewrite": {"hostname": "a.example.com"}}),
                F, "May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both")

    def test_redirect_not_with_backend_refs(self) -> None:
        """A rule that redirects has no backendRefs."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}},
                                     backendRefs=[BACKEND]), f"{F}[0]", "RequestRedirect")


class TestHeaderModifier:
    def test_round_trip(self) -> None:
        """set, add and remove round-trip."""
        f = header_filter(set=[{"name": "a", "value": "1"}], add=[{"name": "b", "value": "2"}], remove=["c"])
        assert with_filters(f).to_manifest()["spec"]["rules"][0]["filters"] == [f]

    def test_at_most_16_headers(self) -> None:
        """maxItems 16 for set, add and remove."""
        refused(lambda: with_filters(header_filter(set=[{"name": f"h{i}", "value": "v"} for i in range(17)])),
                f"{F}[0].requestHeaderModifier.set", "17")
        refused(lambda: with_filters(header_filter(remove=[f"h{i}" for i in range(17)])),
                f"{F}[0].requestHeaderModifier.remove", "17")

    def test_header_names_unique(self) -> None:
        """set and add are keyed by name; remove is a set."""
        refused(lambda: with_filters(header_filter(add=[{"name": "a", "value": "1"}, {"name": "a", "value": "2"}])),
                f"{F}[0].requestHeaderModifier.add", "'a'")
        refused(lambda: with_filters(header_filter(remove=["x", "x"])), f"{F}[0].requestHeaderModifier.remove", "'x'")

    def test_header_name_pattern(self) -> None:
        """Header names are HTTP tokens."""
        refused(lambda: with_filters(header_filter(set=[{"name": "bad:name", "value": "1"}])),
                f"{F}[0].requestHeaderModifier.set[0].name", "'bad:name'")

    def test_header_value_not_empty(self) -> None:
        """Header values have at least one character."""
        refused(lambda: with_filters(header_filter(set=[{"name": "a", "value": ""}])),
                f"{F}[0].requestHeaderModifier.set[0].value", "''")


class TestRedirectAndRewrite:
    def test_status_code_enum(self) -> None:
        """Redirect status codes are 301, 302, 303, 307 or 308."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"statusCode": 304}}),
                f"{F}[0].requestRedirect.statusCode", "304")

    def test_scheme_enum(self) -> None:
        """Redirect schemes are http or https."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"scheme": "ftp"}}),
                f"{F}[0].requestRedirect.scheme", "'ftp'")

    def test_redirect_port_range(self) -> None:
        """Redirect ports are 1-65535."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"port": 70000}}),
                f"{F}[0].requestRedirect.port", "70000")

    def test_hostname_is_precise(self) -> None:
        """Redirect and rewrite hostnames have no wildcard."""
        refused(lambda: with_filters({"type": "RequestRedirect", "requestRedirect": {"hostname": "*.example.com"}}),
                f"{F}[0].requestRedirect.hostname", "'*.example.com'")
        refused(lambda: with_filters({"type": "URLRewrite", "urlRewrite": {"hostname": "Bad.Example"}}),
                f"{F}[0].urlRewrite.hostname", "'Bad.Example'")

    def test_path_type_needs_its_value(self) -> None:
        """ReplaceFullPath needs replaceFullPath."""
        refused(lambda: with_filters({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplaceFullPath"}}}),
                f"{F}[0].urlRewrite.path", "replaceFullPath must be specified when type is set to 'ReplaceFullPath'")

    def test_path_value_must_match_type(self) -> None:
        """replacePrefixMatch is only for type ReplacePrefixMatch."""
        refused(lambda: with_filters({"type": "URLRewrite", "urlRewrite": {"path": {
            "type": "ReplaceFullPath", "replaceFullPath": "/a", "replacePrefixMatch": "/b"}}}),
            f"{F}[0].urlRewrite.path", "type must be 'ReplacePrefixMatch' when replacePrefixMatch is set")

    def test_prefix_rewrite_needs_one_prefix_match(self) -> None:
        """ReplacePrefixMatch needs exactly one PathPrefix match in the rule."""
        rewrite = {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}
        refused(lambda: with_filters(rewrite, matches=[{"path": {"type": "Exact", "value": "/a"}}]),
                "spec.rules[0]", "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match")
        refused(lambda: with_filters(rewrite, matches=[{"path": {"value": "/a"}}, {"path": {"value": "/b"}}]),
                "spec.rules[0]", "When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match")

    def test_prefix_redirect_in_backend_filters_needs_one_prefix_match(self) -> None:
        """The rule also applies to ReplacePrefixMatch in backendRef filters."""
        rewrite = {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}
        refused(lambda: with_filters(matches=[{"path": {"type": "RegularExpression", "value": "/a.*"}}],
                                     backendRefs=[{**BACKEND, "filters": [rewrite]}]),
                "spec.rules[0]", "Within backendRefs, When using URLRewrite filter with path.replacePrefixMatch")

    def test_prefix_rewrite_with_default_match_accepted(self) -> None:
        """Without matches the rule has the default PathPrefix '/' match, so a prefix rewrite is fine."""
        assert with_filters({"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch",
                                                                           "replacePrefixMatch": "/v2"}}})

    def test_replacement_at_most_1024_characters(self) -> None:
        """replaceFullPath has at most 1024 characters."""
        refused(lambda: with_filters({"type": "URLRewrite", "urlRewrite": {"path": {
            "type": "ReplaceFullPath", "replaceFullPath": "/" + "a" * 1024}}}),
            f"{F}[0].urlRewrite.path.replaceFullPath", "at most 1024 characters", "'/aaaa")


class TestMirror:
    def test_percent_range(self) -> None:
        """percent is 0-100."""
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {"backendRef": BACKEND, "percent": 101}}),
                f"{F}[0].requestMirror.percent", "101")

    def test_percent_or_fraction(self) -> None:
        """percent and fraction are exclusive."""
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {
            "backendRef": BACKEND, "percent": 5, "fraction": {"numerator": 1}}}), f"{F}[0].requestMirror",
            "Only one of percent or fraction may be specified")

    def test_fraction_numerator_at_most_denominator(self) -> None:
        """numerator <= denominator (default 100)."""
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {
            "backendRef": BACKEND, "fraction": {"numerator": 3, "denominator": 2}}}),
            f"{F}[0].requestMirror.fraction", "numerator must be less than or equal to denominator")
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {
            "backendRef": BACKEND, "fraction": {"numerator": 101}}}), f"{F}[0].requestMirror.fraction",
            "numerator must be less than or equal to denominator")

    def test_fraction_denominator_positive(self) -> None:
        """denominator is at least 1."""
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {
            "backendRef": BACKEND, "fraction": {"numerator": 0, "denominator": 0}}}),
            f"{F}[0].requestMirror.fraction.denominator", "0")

    def test_mirror_service_needs_port(self) -> None:
        """The mirror backend, a Service by default, needs a port."""
        refused(lambda: with_filters({"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "shadow"}}}),
                f"{F}[0].requestMirror.backendRef", "Must have port for Service reference")


class TestExtensionRef:
    def test_group_kind_name_required(self) -> None:
        """extensionRef needs group, kind and name."""
        refused(lambda: with_filters({"type": "ExtensionRef", "extensionRef": {"kind": "KongPlugin", "name": "p"}}),
                f"{F}[0].extensionRef.group", "required")


class TestCORS:
    def test_round_trip(self) -> None:
        """Every CORS field round-trips."""
        cors = {"type": "CORS", "cors": {"allowOrigins": ["https://www.example.com", "https://*.example.com:8443"],
                                         "allowMethods": ["GET", "POST"], "allowHeaders": ["x-a"],
                                         "exposeHeaders": ["x-b"], "allowCredentials": True, "maxAge": 600}}
        assert with_filters(cors).to_manifest()["spec"]["rules"][0]["filters"] == [cors]

    def test_origin_pattern(self) -> None:
        """Origins are '*' or scheme://host[:port]."""
        refused(lambda: with_filters({"type": "CORS", "cors": {"allowOrigins": ["www.example.com"]}}),
                f"{F}[0].cors.allowOrigins[0]", "'www.example.com'")

    def test_star_alone(self) -> None:
        """'*' cannot be mixed with other origins, methods or headers."""
        refused(lambda: with_filters({"type": "CORS", "cors": {"allowOrigins": ["*", "https://a.example.com"]}}),
                f"{F}[0].cors.allowOrigins", "'*'")
        refused(lambda: with_filters({"type": "CORS", "cors": {"allowMethods": ["*", "GET"]}}),
                f"{F}[0].cors.allowMethods", "'*'")

    def test_method_enum(self) -> None:
        """allowMethods holds HTTP methods."""
        refused(lambda: with_filters({"type": "CORS", "cors": {"allowMethods": ["FETCH"]}}),
                f"{F}[0].cors.allowMethods[0]", "'FETCH'")

    def test_max_age_positive(self) -> None:
        """maxAge is at least 1."""
        refused(lambda: with_filters({"type": "CORS", "cors": {"maxAge": 0}}), f"{F}[0].cors.maxAge", "0")


class TestExternalAuth:
    def test_protocol_needs_its_block(self) -> None:
        """protocol GRPC needs grpc; protocol HTTP needs http."""
        refused(lambda: with_filters({"type": "ExternalAuth", "externalAuth": {"protocol": "GRPC", "backendRef": BACKEND}}),
                f"{F}[0].externalAuth", "grpc must be specified when protocol is set to 'GRPC'")

    def test_block_must_match_protocol(self) -> None:
        """An http block with protocol GRPC is refused."""
        refused(lambda: with_filters({"type": "ExternalAuth", "externalAuth": {
            "protocol": "GRPC", "backendRef": BACKEND, "grpc": {}, "http": {"path": "/auth"}}}),
            f"{F}[0].externalAuth", "protocol must be 'HTTP' when http is set")

    def test_round_trip(self) -> None:
        """An HTTP external auth filter round-trips."""
        auth = {"type": "ExternalAuth", "externalAuth": {"protocol": "HTTP", "backendRef": BACKEND,
                                                         "http": {"path": "/check", "allowedHeaders": ["x-a"]},
                                                         "forwardBody": {"maxSize": 1024}}}
        assert with_filters(auth).to_manifest()["spec"]["rules"][0]["filters"] == [auth]


class TestGRPCFilters:
    def test_grpc_routes_have_fewer_filter_types(self) -> None:
        """GRPCRoute filters are header modifiers, mirrors and extension refs only."""
        with pytest.raises(ManifestError) as info:
            GRPCRoute.from_manifest({"metadata": {"name": "g"}, "spec": {"rules": [{"filters": [
                {"type": "URLRewrite", "urlRewrite": {"hostname": "a.example.com"}}]}]}})
        assert "spec.rules[0].filters[0].type" in str(info.value)
        assert "'URLRewrite'" in str(info.value)

    def test_grpc_header_modifier_at_most_once(self) -> None:
        """RequestHeaderModifier appears at most once in a GRPCRoute filter list."""
        with pytest.raises(ManifestError, match=r"spec\.rules\[0\]\.filters: RequestHeaderModifier filter cannot be repeated"):
            GRPCRoute.from_manifest({"metadata": {"name": "g"}, "spec": {"rules": [{"filters": [
                header_filter(remove=["a"]), header_filter(remove=["b"])]}]}})
