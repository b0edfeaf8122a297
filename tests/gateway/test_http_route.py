"""HTTPRoute: typed fields, round trip, and upstream's validation rules (one test per rule)."""

from __future__ import annotations

import warnings
from typing import Any

import helpers
import pytest

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.gateway import HTTPBackendRef, HTTPRoute, HTTPRouteRule, HTTPRouteV1Beta1, route_backend_refs

V1 = "gateway.networking.k8s.io/v1"


V1BETA1 = "gateway.networking.k8s.io/v1beta1"


def route(api_version: str = V1, **spec: Any) -> HTTPRoute | HTTPRouteV1Beta1:
    model = HTTPRouteV1Beta1 if api_version == V1BETA1 else HTTPRoute
    return model.from_manifest({"metadata": {"name": "shop", "namespace": "web"}, "spec": spec})


def rule(**fields: Any) -> HTTPRoute | HTTPRouteV1Beta1:
    return route(rules=[fields])


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming the object, ``path`` and every value."""
    return helpers.refused(make, "HTTPRoute 'shop'", path, *values)


BACKEND = {"name": "shop-stable", "port": 8080}


class TestHTTPRouteModel:
    def test_typed_route_emits_only_what_was_set(self) -> None:
        """A route built in Python emits apiVersion v1, its kind and only the fields given (no defaults)."""
        manifest = rule(matches=[{"path": {"type": "PathPrefix", "value": "/cart"}}],
                        backendRefs=[{**BACKEND, "weight": 90}, {"name": "shop-canary", "port": 8080, "weight": 10}]).to_manifest()
        assert manifest["apiVersion"] == V1
        assert manifest["kind"] == "HTTPRoute"
        assert manifest["spec"] == {"rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/cart"}}],
                                               "backendRefs": [{**BACKEND, "weight": 90},
                                                               {"name": "shop-canary", "port": 8080, "weight": 10}]}]}

    def test_snake_case_names_are_accepted_in_python(self) -> None:
        """Python callers may use snake_case field names; the manifest keeps upstream camelCase."""
        made = HTTPRoute.from_manifest({"metadata": {"name": "shop"},
                               "spec": {"parent_refs": [{"name": "public", "section_name": "https"}],
                                     "rules": [{"backend_refs": [BACKEND], "timeouts": {"backend_request": "5s"}}]}})
        assert made.to_manifest()["spec"] == {"parentRefs": [{"name": "public", "sectionName": "https"}],
                                              "rules": [{"backendRefs": [BACKEND], "timeouts": {"backendRequest": "5s"}}]}

    def test_every_served_version_loads(self) -> None:
        """v1 and v1beta1 are both served (one class each) and round-trip; another version is refused, naming the served ones."""
        assert HTTPRoute.API_VERSIONS == (V1,)
        assert HTTPRouteV1Beta1.API_VERSIONS == (V1BETA1,)
        for model in (HTTPRoute, HTTPRouteV1Beta1):
            doc = {"apiVersion": model.API_VERSIONS[0], "kind": "HTTPRoute", "metadata": {"name": "r"}, "spec": {"rules": [{}]}}
            assert model.from_manifest(doc).to_manifest() == doc
        with pytest.raises(ManifestError, match=r"'gateway\.networking\.k8s\.io/v1alpha1' is not served for HTTPRoute"):
            HTTPRoute.from_manifest({"apiVersion": "gateway.networking.k8s.io/v1alpha1", "kind": "HTTPRoute",
                                     "metadata": {"name": "r"}, "spec": {}})

    def test_registered_for_from_manifest(self) -> None:
        """cdk8s_gitops.from_manifest picks the class of each served version by apiVersion."""
        for version, model in ((V1, HTTPRoute), (V1BETA1, HTTPRouteV1Beta1)):
            doc = {"apiVersion": version, "kind": "HTTPRoute", "metadata": {"name": "r"}, "spec": {}}
            assert type(from_manifest(doc)) is model

    def test_all_typed_fields_round_trip(self) -> None:
        """Matches (path, headers, query, method), every filter, weights, timeouts, retry and names round-trip."""
        doc = {
            "apiVersion": V1, "kind": "HTTPRoute", "metadata": {"name": "full", "namespace": "web"},
            "spec": {
                "parentRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "infra",
                                "name": "public", "sectionName": "https", "port": 443}],
                "hostnames": ["shop.example.com", "*.shop.example.com"],
                "rules": [
                    {"name": "api",
                     "matches": [{"path": {"type": "Exact", "value": "/api"},
                                  "headers": [{"type": "RegularExpression", "name": "x-user", "value": "^a.*"}],
                                  "queryParams": [{"type": "Exact", "name": "debug", "value": "1"}],
                                  "method": "POST"}],
                     "filters": [
                         {"type": "RequestHeaderModifier", "requestHeaderModifier": {
                             "set": [{"name": "x-env", "value": "prod"}], "add": [{"name": "x-a", "value": "b"}],
                             "remove": ["x-debug"]}},
                         {"type": "ResponseHeaderModifier", "responseHeaderModifier": {"remove": ["server"]}},
                         {"type": "URLRewrite", "urlRewrite": {"hostname": "api.internal",
                                                               "path": {"type": "ReplaceFullPath", "replaceFullPath": "/v2"}}},
                         {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "shadow", "port": 80},
                                                                     "percent": 10}},
                         {"type": "ExtensionRef", "extensionRef": {"group": "configuration.konghq.com",
                                                                   "kind": "KongPlugin", "name": "rate-limit"}},
                     ],
                     "backendRefs": [{"name": "api", "port": 8080, "weight": 1,
                                      "filters": [{"type": "RequestHeaderModifier",
                                                   "requestHeaderModifier": {"set": [{"name": "x-b", "value": "c"}]}}]}],
                     "timeouts": {"request": "10s", "backendRequest": "2s"},
                     "retry": {"codes": [502, 503], "attempts": 2, "backoff": "100ms"},
                     "sessionPersistence": {"sessionName": "s", "type": "Cookie", "absoluteTimeout": "1h",
                                            "cookieConfig": {"lifetimeType": "Permanent"}}},
                    {"name": "old",
                     "matches": [{"path": {"type": "PathPrefix", "value": "/old"}}],
                     "filters": [{"type": "RequestRedirect", "requestRedirect": {
                         "scheme": "https", "hostname": "new.example.com", "port": 443, "statusCode": 301,
                         "path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/new"}}}]},
                ],
            },
        }
        loaded = HTTPRoute.from_manifest(doc)
        assert loaded.to_manifest() == doc
        assert isinstance((loaded.spec.rules or [])[0], HTTPRouteRule)

    def test_backend_refs_lists_every_backend_with_its_path(self) -> None:
        """route_backend_refs() yields each backendRef with the field path a cross-object check can report."""
        made = route(rules=[{"backendRefs": [BACKEND]}, {"backendRefs": [BACKEND, {"name": "b", "port": 1}]}])
        found = [(path, ref.name) for path, ref in route_backend_refs(made)]
        assert found == [("spec.rules[0].backendRefs[0]", "shop-stable"), ("spec.rules[1].backendRefs[0]", "shop-stable"),
                         ("spec.rules[1].backendRefs[1]", "b")]
        assert all(isinstance(ref, HTTPBackendRef) for _, ref in route_backend_refs(made))

    def test_spec_is_required(self) -> None:
        """An HTTPRoute without spec is refused: the schema requires it."""
        with pytest.raises(ManifestError, match=r"HTTPRoute 'x': spec: required field is missing"):
            HTTPRoute.from_manifest({"metadata": {"name": "x"}})

    def test_unknown_field_is_refused_with_allowed_keys(self) -> None:
        """A misspelt key (backendRef for backendRefs) is refused and the allowed keys are listed."""
        message = refused(lambda: rule(backendRef=[BACKEND]), "spec.rules[0].backendRef")
        assert "backendRefs" in message

    def test_strict_integers(self) -> None:
        """A quoted port is not an integer, as for the API server."""
        refused(lambda: rule(backendRefs=[{"name": "a", "port": "8080"}]), "spec.rules[0].backendRefs[0].port", "'8080'")


class TestHostnames:
    def test_rfc1123_hostname_accepted(self) -> None:
        """Lowercase DNS names, with or without a leading '*.', are accepted."""
        assert route(hostnames=["shop.example.com", "*.example.com", "localhost"]).spec.hostnames

    def test_invalid_characters_refused(self) -> None:
        """A hostname with uppercase letters or '_' is refused, naming the entry and the value."""
        refused(lambda: route(hostnames=["ok.example.com", "Shop_Example.com"]), "spec.hostnames[1]", "Shop_Example.com")

    def test_wildcard_only_as_first_label(self) -> None:
        """A '*' anywhere but a leading '*.' label is refused."""
        refused(lambda: route(hostnames=["shop.*.com"]), "spec.hostnames[0]", "shop.*.com")
        refused(lambda: route(hostnames=["*"]), "spec.hostnames[0]", "'*'")

    def test_ip_address_refused(self) -> None:
        """Upstream: hostnames are DNS names, never IP addresses."""
        refused(lambda: route(hostnames=["10.0.0.1"]), "spec.hostnames[0]", "10.0.0.1", "IP address")

    def test_label_longer_than_63_refused(self) -> None:
        """RFC 1123: each label has at most 63 characters."""
        long = "a" * 64 + ".example.com"
        refused(lambda: route(hostnames=[long]), "spec.hostnames[0]", "longer than 63")

    def test_at_most_16_hostnames(self) -> None:
        """maxItems 16 for spec.hostnames: the count is reported."""
        refused(lambda: route(hostnames=[f"h{i}.example.com" for i in range(17)]), "spec.hostnames", "17", "16")


class TestPathMatch:
    @pytest.mark.parametrize("kind", ["Exact", "PathPrefix", None])
    def test_value_must_start_with_slash(self, kind: str | None) -> None:
        """Exact and PathPrefix (the default type) values start with '/'; the message suggests the fix."""
        path = {"value": "cart"} if kind is None else {"type": kind, "value": "cart"}
        refused(lambda: rule(matches=[{"path": path}]), "spec.rules[0].matches[0].path",
                "value must be an absolute path and start with '/'", "startsWith('/')")

    @pytest.mark.parametrize("value", ["/a//b", "/a/./b", "/a/../b", "/a%2fb", "/a%2Fb", "/a#b"])
    def test_non_normalized_sequences_refused(self, value: str) -> None:
        """'//', '/./', '/../', '%2f', '%2F' and '#' are refused in Exact/PathPrefix values."""
        bad = next(part for part in ("//", "/./", "/../", "%2f", "%2F", "#") if part in value)
        refused(lambda: rule(matches=[{"path": {"type": "PathPrefix", "value": value}}]),
                "spec.rules[0].matches[0].path", f"must not contain '{bad}'")

    @pytest.mark.parametrize("value", ["/a/.", "/a/.."])
    def test_trailing_dot_segments_refused(self, value: str) -> None:
        """Values ending with '/.' or '/..' are refused."""
        refused(lambda: rule(matches=[{"path": {"type": "Exact", "value": value}}]),
                "spec.rules[0].matches[0].path", f"must not end with '{value[2:]}'")

    def test_invalid_characters_refused(self) -> None:
        """Characters outside URL path syntax (a space) are refused with the percent-encoding fix."""
        refused(lambda: rule(matches=[{"path": {"type": "Exact", "value": "/a b"}}]),
                "spec.rules[0].matches[0].path", "must only contain valid characters")

    def test_regular_expression_is_not_a_path(self) -> None:
        """RegularExpression values need not start with '/'."""
        assert rule(matches=[{"path": {"type": "RegularExpression", "value": ".*/cart"}}])

    def test_type_must_be_known(self) -> None:
        """Only Exact, PathPrefix and RegularExpression are path match types."""
        refused(lambda: rule(matches=[{"path": {"type": "Prefix", "value": "/"}}]),
                "spec.rules[0].matches[0].path.type", "'Prefix'")

    def test_value_at_most_1024_characters(self) -> None:
        """maxLength 1024 for path values."""
        refused(lambda: rule(matches=[{"path": {"type": "RegularExpression", "value": "/" + "a" * 1024}}]),
                "spec.rules[0].matches[0].path.value", "at most 1024 characters", "'/aaaa")


class TestHeaderAndQueryMatches:
    def test_header_name_must_be_a_token(self) -> None:
        """Header names are HTTP tokens: no spaces or ':'."""
        refused(lambda: rule(matches=[{"headers": [{"name": "x user", "value": "a"}]}]),
                "spec.rules[0].matches[0].headers[0].name", "'x user'")

    def test_header_value_whitespace(self) -> None:
        """Header values have no leading/trailing whitespace."""
        refused(lambda: rule(matches=[{"headers": [{"name": "x", "value": " a"}]}]),
                "spec.rules[0].matches[0].headers[0].value", "' a'")

    def test_header_names_unique(self) -> None:
        """The same header may be matched once per match (list-map keyed by name)."""
        refused(lambda: rule(matches=[{"headers": [{"name": "x", "value": "a"}, {"name": "x", "value": "b"}]}]),
                "spec.rules[0].matches[0].headers", "'x'")

    def test_header_names_differing_in_case_warn(self) -> None:
        """Header names are case-insensitive: two spellings of one header warn (only the first counts)."""
        with pytest.warns(UserWarning, match="'x-user'"):
            rule(matches=[{"headers": [{"name": "X-User", "value": "a"}, {"name": "x-user", "value": "b"}]}])

    def test_at_most_16_header_matches(self) -> None:
        """maxItems 16 for headers in a match."""
        refused(lambda: rule(matches=[{"headers": [{"name": f"h{i}", "value": "v"} for i in range(17)]}]),
                "spec.rules[0].matches[0].headers", "17")

    def test_header_match_type(self) -> None:
        """Header match types are Exact or RegularExpression."""
        refused(lambda: rule(matches=[{"headers": [{"type": "Prefix", "name": "x", "value": "a"}]}]),
                "spec.rules[0].matches[0].headers[0].type", "'Prefix'")

    def test_query_param_names_unique(self) -> None:
        """The same query parameter may be matched once per match."""
        refused(lambda: rule(matches=[{"queryParams": [{"name": "q", "value": "a"}, {"name": "q", "value": "b"}]}]),
                "spec.rules[0].matches[0].queryParams", "'q'")

    def test_at_most_16_query_param_matches(self) -> None:
        """maxItems 16 for queryParams in a match."""
        refused(lambda: rule(matches=[{"queryParams": [{"name": f"q{i}", "value": "v"} for i in range(17)]}]),
                "spec.rules[0].matches[0].queryParams", "17")

    def test_query_param_value_not_empty(self) -> None:
        """Query parameter values have 1-1024 characters."""
        refused(lambda: rule(matches=[{"queryParams": [{"name": "q", "value": ""}]}]),
                "spec.rules[0].matches[0].queryParams[0].value", "at least 1 character", "got ''")

    def test_method_must_be_an_http_method(self) -> None:
        """method is one of the nine HTTP methods."""
        refused(lambda: rule(matches=[{"method": "FETCH"}]), "spec.rules[0].matches[0].method", "'FETCH'")

    def test_method_is_case_sensitive(self) -> None:
        """A lowercase method is refused, as by the API server."""
        refused(lambda: rule(matches=[{"method": "get"}]), "spec.rules[0].matches[0].method", "'get'")


class TestBackendRefs:
    @pytest.mark.parametrize("port", [0, 65536, -1])
    def test_port_range(self, port: int) -> None:
        """Backend ports are 1-65535."""
        refused(lambda: rule(backendRefs=[{"name": "a", "port": port}]), "spec.rules[0].backendRefs[0].port", str(port))

    @pytest.mark.parametrize("weight", [-1, 1_000_001])
    def test_weight_range(self, weight: int) -> None:
        """Weights are 0-1,000,000."""
        refused(lambda: rule(backendRefs=[{**BACKEND, "weight": weight}]), "spec.rules[0].backendRefs[0].weight", str(weight))

    def test_weight_bounds_accepted(self) -> None:
        """0 and 1,000,000 are valid weights."""
        assert rule(backendRefs=[{**BACKEND, "weight": 0}, {"name": "b", "port": 1, "weight": 1_000_000}])

    def test_service_backend_needs_port(self) -> None:
        """A Service backend (the default kind) needs a port."""
        refused(lambda: rule(backendRefs=[{"name": "shop"}]), "spec.rules[0].backendRefs[0]", "Must have port for Service reference")
        refused(lambda: rule(backendRefs=[{"name": "shop", "kind": "Service", "group": ""}]),
                "spec.rules[0].backendRefs[0]", "Must have port for Service reference")

    def test_other_backend_kinds_need_no_port(self) -> None:
        """A non-Service backend (a ServiceImport) may leave the port out."""
        assert rule(backendRefs=[{"group": "multicluster.x-k8s.io", "kind": "ServiceImport", "name": "shop"}])

    def test_at_most_16_backend_refs(self) -> None:
        """maxItems 16 for backendRefs in a rule."""
        refused(lambda: rule(backendRefs=[{"name": f"b{i}", "port": 80} for i in range(17)]),
                "spec.rules[0].backendRefs", "17")

    def test_namespace_is_a_dns_label(self) -> None:
        """A backend namespace must be a DNS label."""
        refused(lambda: rule(backendRefs=[{**BACKEND, "namespace": "Other_NS"}]),
                "spec.rules[0].backendRefs[0].namespace", "'Other_NS'")

    def test_kind_pattern(self) -> None:
        """Kinds start with a letter and have only letters, digits and '-'."""
        refused(lambda: rule(backendRefs=[{**BACKEND, "kind": "9Service"}]), "spec.rules[0].backendRefs[0].kind", "'9Service'")

    def test_group_pattern(self) -> None:
        """Groups are '' or DNS subdomains."""
        refused(lambda: rule(backendRefs=[{**BACKEND, "group": "Not A Group"}]),
                "spec.rules[0].backendRefs[0].group", "'Not A Group'")


class TestParentRefs:
    def test_at_most_32_parent_refs(self) -> None:
        """maxItems 32 for parentRefs."""
        refused(lambda: route(parentRefs=[{"name": f"g{i}"} for i in range(33)]), "spec.parentRefs", "33", "32")

    def test_same_parent_twice_needs_section_or_port(self) -> None:
        """Two references to one Gateway each need a sectionName or port."""
        refused(lambda: route(parentRefs=[{"name": "public"}, {"name": "public", "sectionName": "https"}]),
                "spec.parentRefs", "sectionName or port must be specified when parentRefs includes 2 or more references")

    def test_same_parent_same_section_refused(self) -> None:
        """Two references to one Gateway listener are a duplicate."""
        refused(lambda: route(parentRefs=[{"name": "public", "sectionName": "https"},
                                          {"name": "public", "sectionName": "https"}]), "spec.parentRefs",
                "sectionName or port must be unique when parentRefs includes 2 or more references")

    def test_same_parent_distinct_sections_accepted(self) -> None:
        """One Gateway may be listed once per listener."""
        assert route(parentRefs=[{"name": "public", "sectionName": "http"}, {"name": "public", "sectionName": "https"}])

    def test_same_name_other_namespace_is_another_parent(self) -> None:
        """Gateways with the same name in different namespaces are different parents."""
        assert route(parentRefs=[{"name": "public"}, {"name": "public", "namespace": "infra"}])

    def test_parent_port_range(self) -> None:
        """parentRefs[].port is 1-65535."""
        refused(lambda: route(parentRefs=[{"name": "g", "port": 0}]), "spec.parentRefs[0].port", "0")

    def test_section_name_pattern(self) -> None:
        """sectionName is a DNS subdomain."""
        refused(lambda: route(parentRefs=[{"name": "g", "sectionName": "HTTPS"}]), "spec.parentRefs[0].sectionName", "'HTTPS'")

    def test_parent_name_required(self) -> None:
        """parentRefs[].name is required."""
        refused(lambda: route(parentRefs=[{"sectionName": "https"}]), "spec.parentRefs[0].name", "required")


class TestRules:
    def test_at_most_16_rules(self) -> None:
        """maxItems 16 for rules."""
        refused(lambda: route(rules=[{} for _ in range(17)]), "spec.rules", "17", "16")

    def test_at_least_one_rule_when_given(self) -> None:
        """minItems 1 for rules: an empty list is refused (leave the field out instead)."""
        refused(lambda: route(rules=[]), "spec.rules", "0")

    def test_at_most_64_matches_per_rule(self) -> None:
        """maxItems 64 for matches in one rule."""
        refused(lambda: rule(matches=[{"path": {"value": f"/p{i}"}} for i in range(65)]), "spec.rules[0].matches", "65", "64")

    def test_at_most_128_matches_per_route(self) -> None:
        """The matches of all rules together are at most 128."""
        rules = [{"matches": [{"path": {"value": f"/r{r}/p{i}"}} for i in range(60)]} for r in range(3)]
        refused(lambda: route(rules=rules), "spec.rules", "the total number of matches across all rules in a route must be less than 128")

    def test_128_matches_accepted(self) -> None:
        """Exactly 128 matches across the route is allowed."""
        rules = [{"matches": [{"path": {"value": f"/r{r}/p{i}"}} for i in range(64)]} for r in range(2)]
        assert route(rules=rules)

    def test_rule_names_unique(self) -> None:
        """Rule names are unique within the route."""
        refused(lambda: route(rules=[{"name": "api"}, {"name": "web"}, {"name": "api"}]), "spec.rules", "Rule name must be unique within the route")

    def test_rule_name_pattern(self) -> None:
        """Rule names are DNS subdomains."""
        refused(lambda: rule(name="API_rule"), "spec.rules[0].name", "'API_rule'")


class TestTimeouts:
    def test_duration_format(self) -> None:
        """Timeouts are Gateway API durations (number + h/m/s/ms, no spaces or days)."""
        refused(lambda: rule(timeouts={"request": "10 s"}), "spec.rules[0].timeouts.request", "'10 s'")
        refused(lambda: rule(timeouts={"backendRequest": "1d"}), "spec.rules[0].timeouts.backendRequest", "'1d'")

    def test_backend_request_not_longer_than_request(self) -> None:
        """backendRequest may not exceed request."""
        refused(lambda: rule(timeouts={"request": "10s", "backendRequest": "1m"}),
                "spec.rules[0].timeouts", "backendRequest timeout cannot be longer than request timeout")

    def test_zero_request_disables_the_comparison(self) -> None:
        """request '0s' means no timeout, so any backendRequest is allowed."""
        assert rule(timeouts={"request": "0s", "backendRequest": "1h"})


class TestRetryAndSessions:
    def test_retry_codes_range(self) -> None:
        """Retry codes are 400-599."""
        refused(lambda: rule(retry={"codes": [503, 302]}), "spec.rules[0].retry.codes[1]", "302")

    def test_retry_codes_unique(self) -> None:
        """Retry codes are a set."""
        refused(lambda: rule(retry={"codes": [503, 503]}), "spec.rules[0].retry.codes", "503")

    def test_retry_attempts_positive(self) -> None:
        """attempts is at least 1."""
        refused(lambda: rule(retry={"attempts": 0}), "spec.rules[0].retry.attempts", "0")

    def test_cookie_config_only_for_cookies(self) -> None:
        """cookieConfig belongs to type Cookie."""
        refused(lambda: rule(sessionPersistence={"type": "Header", "cookieConfig": {"lifetimeType": "Session"}}),
                "spec.rules[0].sessionPersistence", "cookieConfig can only be set with type Cookie")

    def test_permanent_cookie_needs_absolute_timeout(self) -> None:
        """A Permanent cookie needs absoluteTimeout."""
        refused(lambda: rule(sessionPersistence={"cookieConfig": {"lifetimeType": "Permanent"}}),
                "spec.rules[0].sessionPersistence", "AbsoluteTimeout must be specified when cookie lifetimeType is Permanent")


def test_no_warning_for_a_plain_route() -> None:
    """Building an ordinary route emits no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rule(matches=[{"headers": [{"name": "x", "value": "1"}]}], backendRefs=[BACKEND])
