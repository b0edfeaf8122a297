"""Objects built with the typed models, synthesized through a chart, validate against upstream's JSON schemas."""

from __future__ import annotations

import cdk8s
import pytest
from helpers import schema_errors as errors

from cdk8s_gitops import GitOpsChart, TypedResource
from cdk8s_gitops.gateway import (
    Gateway,
    GatewayClass,
    GatewayClassV1Beta1,
    GatewayV1Beta1,
    GRPCRoute,
    GRPCRouteV1Alpha2,
    HTTPRoute,
    HTTPRouteV1Beta1,
    ReferenceGrant,
    ReferenceGrantV1Alpha2,
    ReferenceGrantV1Beta1,
)
from cdk8s_gitops.synth import collect_chart

G = "gateway.networking.k8s.io"


BACKENDS = [{"name": "shop-stable", "port": 8080, "weight": 90}, {"name": "shop-canary", "port": 8080, "weight": 10}]
FULL_RULE = {
    "name": "checkout",
    "matches": [{"path": {"type": "PathPrefix", "value": "/checkout"},
                 "headers": [{"name": "x-canary", "value": "always"}],
                 "queryParams": [{"type": "RegularExpression", "name": "v", "value": "^2"}], "method": "GET"}],
    "filters": [
        {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-env", "value": "production"}],
                                                                    "remove": ["x-debug"]}},
        {"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add": [{"name": "x-served-by", "value": "shop"}]}},
        {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}},
        {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "shadow", "port": 8080},
                                                    "fraction": {"numerator": 1, "denominator": 10}}},
        {"type": "ExtensionRef", "extensionRef": {"group": "configuration.konghq.com", "kind": "KongPlugin", "name": "rate-limit"}},
        {"type": "CORS", "cors": {"allowOrigins": ["https://shop.example.com"], "allowMethods": ["GET"], "maxAge": 60}},
    ],
    "backendRefs": BACKENDS,
    "timeouts": {"request": "30s", "backendRequest": "10s"},
    "retry": {"codes": [503], "attempts": 2, "backoff": "250ms"},
}


def build_all(chart: GitOpsChart) -> None:
    """One object of every kind and served version, using most typed fields."""
    TypedResource(chart, GatewayClass.from_manifest({"metadata": {"name": "kong"}, "spec": {
        "controllerName": "konghq.com/kic-gateway-controller", "description": "Kong Gateway"}}))
    TypedResource(chart, GatewayClassV1Beta1.from_manifest({"metadata": {"name": "kong-old"}, "spec": {
        "controllerName": "konghq.com/kic-gateway-controller"}}))
    listeners = [
        {"name": "http", "port": 80, "protocol": "HTTP", "allowedRoutes": {"namespaces": {"from": "All"}}},
        {"name": "https", "port": 443, "protocol": "HTTPS", "hostname": "*.example.com",
         "tls": {"certificateRefs": [{"name": "wildcard-tls"}]},
         "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {"matchLabels": {"gateway": "public"}}},
                           "kinds": [{"kind": "HTTPRoute"}, {"kind": "GRPCRoute"}]}},
        {"name": "passthrough", "port": 8443, "protocol": "TLS", "tls": {"mode": "Passthrough"}},
        {"name": "tcp", "port": 5432, "protocol": "TCP"},
    ]
    TypedResource(chart, Gateway.from_manifest({"metadata": {"name": "public"}, "spec": {
        "gatewayClassName": "kong", "listeners": listeners,
        "addresses": [{"type": "IPAddress", "value": "10.0.0.10"}, {"type": "Hostname", "value": "lb.example.com"}],
        "infrastructure": {"labels": {"team": "edge"}, "annotations": {"example.com/lb": "internal"}}}}))
    TypedResource(chart, GatewayV1Beta1.from_manifest({"metadata": {"name": "internal"}, "spec": {
        "gatewayClassName": "kong", "listeners": [listeners[0]]}}))
    parent = [{"name": "public", "sectionName": "https"}]
    TypedResource(chart, HTTPRoute.from_manifest({"metadata": {"name": "shop"}, "spec": {
        "parentRefs": parent, "hostnames": ["shop.example.com"], "rules": [FULL_RULE, {"backendRefs": BACKENDS}]}}))
    TypedResource(chart, HTTPRoute.from_manifest({"metadata": {"name": "redirect"}, "spec": {
        "parentRefs": [{"name": "public", "sectionName": "http"}],
        "rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}]}}))
    TypedResource(chart, HTTPRouteV1Beta1.from_manifest({"metadata": {"name": "legacy"}, "spec": {
        "parentRefs": parent, "rules": [{"backendRefs": BACKENDS}]}}))
    grpc_rule = {"matches": [{"method": {"service": "shop.Cart", "method": "Add"},
                              "headers": [{"name": "x-tenant", "value": "a"}]}],
                 "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"add": [{"name": "x-a", "value": "b"}]}}],
                 "backendRefs": [{"name": "cart", "port": 50051, "weight": 1}]}
    TypedResource(chart, GRPCRoute.from_manifest({"metadata": {"name": "cart"}, "spec": {
        "parentRefs": parent, "hostnames": ["grpc.example.com"], "rules": [{**grpc_rule, "name": "add"}]}}))
    TypedResource(chart, GRPCRouteV1Alpha2.from_manifest({"metadata": {"name": "cart-old"}, "spec": {
        "parentRefs": parent, "rules": [grpc_rule]}}))
    for version, grant in (("v1", ReferenceGrant), ("v1beta1", ReferenceGrantV1Beta1), ("v1alpha2", ReferenceGrantV1Alpha2)):
        TypedResource(chart, grant.from_manifest({"metadata": {"name": f"grant-{version}"}, "spec": {
            "from": [{"group": G, "kind": "HTTPRoute", "namespace": "web"}],
            "to": [{"group": "", "kind": "Service", "name": "shop-stable"}]}}))


class TestSynthesizedObjectsValidate:
    def test_every_kind_and_version_validates(self) -> None:
        """Everything a chart synthesizes from the gateway models validates against the CRD schemas."""
        chart = GitOpsChart(cdk8s.App(), "prod-shop", app_name="shop", namespace="shop")
        build_all(chart)
        objects = collect_chart(chart, "shop")
        seen = {(o.api_version, o.kind) for o in objects}
        assert len(seen) == 11  # 2 GatewayClass, 2 Gateway, 2 HTTPRoute, 2 GRPCRoute, 3 ReferenceGrant versions
        for obj in objects:
            manifest = dict(obj.manifest)
            assert not errors(manifest), (obj.kind, obj.name, errors(manifest))

    def test_cluster_scoped_class_gets_no_namespace(self) -> None:
        """The chart's namespace goes to Gateways and routes, never to the GatewayClass."""
        chart = GitOpsChart(cdk8s.App(), "prod-shop", app_name="shop", namespace="shop")
        build_all(chart)
        for obj in collect_chart(chart, "shop"):
            assert (obj.namespace is None) == (obj.kind == "GatewayClass"), obj.kind

    @pytest.mark.parametrize("route", [HTTPRoute, HTTPRouteV1Beta1], ids=["v1", "v1beta1"])
    def test_schema_catches_what_the_model_refuses(self, route: type[HTTPRoute] | type[HTTPRouteV1Beta1]) -> None:
        """Sanity check of the harness: the schema itself refuses a weight above 1,000,000."""
        manifest = route.from_manifest({"metadata": {"name": "r"},
                                   "spec": {"rules": [{"backendRefs": BACKENDS}]}}).to_manifest()
        manifest["spec"]["rules"][0]["backendRefs"][0]["weight"] = 1_000_001
        assert errors(manifest)
