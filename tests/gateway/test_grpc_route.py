"""GRPCRoute: typed fields, both served versions, and upstream's validation rules."""

from __future__ import annotations

from typing import Any

import helpers

from cdk8s_gitops import from_manifest
from cdk8s_gitops.gateway import GRPCRoute, GRPCRouteV1Alpha2, route_backend_refs

V1 = "gateway.networking.k8s.io/v1"
V1ALPHA2 = "gateway.networking.k8s.io/v1alpha2"
BACKEND = {"name": "greeter", "port": 50051}


def grpc(api_version: str = V1, **spec: Any) -> GRPCRoute | GRPCRouteV1Alpha2:
    model = GRPCRouteV1Alpha2 if api_version == V1ALPHA2 else GRPCRoute
    return model.from_manifest({"metadata": {"name": "greeter"}, "spec": spec})


def rule(api_version: str = V1, **fields: Any) -> GRPCRoute | GRPCRouteV1Alpha2:
    return grpc(api_version, rules=[fields])


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming the route, ``path`` and every value."""
    return helpers.refused(make, "GRPCRoute 'greeter'", path, *values)


class TestGRPCRouteModel:
    def test_round_trip_of_every_field(self) -> None:
        """Method and header matches, filters, weighted backends, names and session persistence round-trip."""
        doc = {"apiVersion": V1, "kind": "GRPCRoute", "metadata": {"name": "greeter"},
               "spec": {"parentRefs": [{"name": "public", "sectionName": "grpc"}],
                        "hostnames": ["grpc.example.com"],
                        "rules": [{"name": "hello",
                                   "matches": [{"method": {"type": "Exact", "service": "helloworld.Greeter",
                                                           "method": "SayHello"},
                                                "headers": [{"type": "Exact", "name": "x-env", "value": "canary"}]}],
                                   "filters": [{"type": "RequestMirror", "requestMirror": {
                                       "backendRef": {"name": "shadow", "port": 50051}, "fraction": {"numerator": 1}}}],
                                   "backendRefs": [{**BACKEND, "weight": 90}, {"name": "greeter-canary", "port": 50051, "weight": 10}],
                                   "sessionPersistence": {"type": "Header", "sessionName": "x-session"}}]}}
        assert GRPCRoute.from_manifest(doc).to_manifest() == doc

    def test_served_versions(self) -> None:
        """v1 (the default for new objects) and v1alpha2 are served, each by its own class."""
        assert GRPCRoute.API_VERSIONS == (V1,)
        assert GRPCRouteV1Alpha2.API_VERSIONS == (V1ALPHA2,)
        assert grpc(rules=[{"backendRefs": [BACKEND]}]).api_version == V1
        assert grpc(V1ALPHA2, rules=[{"backendRefs": [BACKEND]}]).api_version == V1ALPHA2

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest picks the class by apiVersion."""
        for version, model in ((V1, GRPCRoute), (V1ALPHA2, GRPCRouteV1Alpha2)):
            assert type(from_manifest({"apiVersion": version, "kind": "GRPCRoute", "metadata": {"name": "g"},
                                       "spec": {}})) is model

    def test_backend_refs(self) -> None:
        """route_backend_refs() yields every backend with its field path, in either version."""
        for version in (V1, V1ALPHA2):
            made = rule(version, backendRefs=[BACKEND])
            assert [(p, r.name) for p, r in route_backend_refs(made)] == [("spec.rules[0].backendRefs[0]", "greeter")]


class TestMethodMatch:
    def test_service_or_method_required(self) -> None:
        """A method match names a service, a method or both."""
        refused(lambda: rule(matches=[{"method": {"type": "Exact"}}]), "spec.rules[0].matches[0].method",
                "One or both of 'service' or 'method' must be specified")

    def test_exact_service_pattern(self) -> None:
        """Exact services are dotted identifiers."""
        refused(lambda: rule(matches=[{"method": {"service": "hello world"}}]),
                "spec.rules[0].matches[0].method", "service must only contain valid characters")

    def test_exact_method_pattern(self) -> None:
        """Exact methods are identifiers."""
        refused(lambda: rule(matches=[{"method": {"method": "Say.Hello"}}]),
                "spec.rules[0].matches[0].method", "method must only contain valid characters")

    def test_regular_expressions_are_not_identifiers(self) -> None:
        """RegularExpression matches are not held to the identifier patterns."""
        assert rule(matches=[{"method": {"type": "RegularExpression", "service": "hello.*", "method": "Say.+"}}])

    def test_type_enum(self) -> None:
        """Method match types are Exact or RegularExpression."""
        refused(lambda: rule(matches=[{"method": {"type": "Prefix", "service": "a"}}]),
                "spec.rules[0].matches[0].method.type", "'Prefix'")


class TestLimits:
    def test_at_most_16_rules(self) -> None:
        """maxItems 16 for rules."""
        refused(lambda: grpc(rules=[{} for _ in range(17)]), "spec.rules", "17")

    def test_at_most_64_matches_in_v1(self) -> None:
        """maxItems 64 for matches per rule in v1."""
        refused(lambda: rule(matches=[{"method": {"service": f"s{i}"}} for i in range(65)]), "spec.rules[0].matches", "65")

    def test_at_most_128_matches_per_route(self) -> None:
        """All rules together have at most 128 matches."""
        rules = [{"matches": [{"method": {"service": f"s{r}x{i}"}} for i in range(50)]} for r in range(3)]
        refused(lambda: grpc(rules=rules), "spec.rules",
                "the total number of matches across all rules in a route must be less than 128")

    def test_at_most_16_hostnames(self) -> None:
        """maxItems 16 for hostnames."""
        refused(lambda: grpc(hostnames=[f"h{i}.example.com" for i in range(17)]), "spec.hostnames", "17")

    def test_hostname_pattern(self) -> None:
        """Hostnames are RFC 1123 names with an optional leading '*.'."""
        refused(lambda: grpc(hostnames=["grpc_example.com"]), "spec.hostnames[0]", "'grpc_example.com'")

    def test_weight_range(self) -> None:
        """Weights are 0-1,000,000."""
        refused(lambda: rule(backendRefs=[{**BACKEND, "weight": 2_000_000}]), "spec.rules[0].backendRefs[0].weight", "2000000")

    def test_port_range(self) -> None:
        """Backend ports are 1-65535."""
        refused(lambda: rule(backendRefs=[{"name": "g", "port": 65536}]), "spec.rules[0].backendRefs[0].port", "65536")

    def test_service_backend_needs_port(self) -> None:
        """A Service backend needs a port."""
        refused(lambda: rule(backendRefs=[{"name": "g"}]), "spec.rules[0].backendRefs[0]", "Must have port for Service reference")

    def test_header_names_unique(self) -> None:
        """A header is matched once per match."""
        refused(lambda: rule(matches=[{"headers": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}]),
                "spec.rules[0].matches[0].headers", "'a'")

    def test_rule_names_unique(self) -> None:
        """Rule names are unique."""
        refused(lambda: grpc(rules=[{"name": "a"}, {"name": "a"}]), "spec.rules", "Rule name must be unique within the route")

    def test_parent_refs_duplicates(self) -> None:
        """One parent twice needs distinct sectionNames or ports."""
        refused(lambda: grpc(parentRefs=[{"name": "gw"}, {"name": "gw"}]), "spec.parentRefs",
                "sectionName or port must be unique when parentRefs includes 2 or more references to the same parent")


class TestV1alpha2:
    def test_at_most_8_matches(self) -> None:
        """v1alpha2 allows 8 matches per rule (its schema's limit answers)."""
        refused(lambda: rule(V1ALPHA2, matches=[{"method": {"service": f"s{i}"}} for i in range(9)]),
                "spec.rules[0].matches", "at most 8 items")

    def test_no_rule_names(self) -> None:
        """Rule names are a v1 field."""
        refused(lambda: rule(V1ALPHA2, name="hello"), "spec.rules[0].name", "'hello'", "is not served in v1alpha2",
                "use apiVersion v1")

    def test_no_session_persistence(self) -> None:
        """sessionPersistence is a v1 field."""
        refused(lambda: rule(V1ALPHA2, sessionPersistence={"type": "Cookie"}), "spec.rules[0].sessionPersistence",
                "'Cookie'", "is not served in v1alpha2", "use apiVersion v1")

    def test_no_mirror_percent(self) -> None:
        """Mirror percent and fraction are v1 fields."""
        refused(lambda: rule(V1ALPHA2, filters=[{"type": "RequestMirror", "requestMirror": {
            "backendRef": BACKEND, "percent": 10}}]), "spec.rules[0].filters[0].requestMirror.percent", "10",
            "is not served in v1alpha2", "use apiVersion v1")

    def test_no_default_gateways(self) -> None:
        """useDefaultGateways is a v1 field."""
        refused(lambda: grpc(V1ALPHA2, useDefaultGateways="All"), "spec.useDefaultGateways", "'All'",
                "is not served in v1alpha2", "use apiVersion v1")

    def test_8_matches_accepted(self) -> None:
        """Eight matches are fine in v1alpha2."""
        assert rule(V1ALPHA2, matches=[{"method": {"service": f"s{i}"}} for i in range(8)])
