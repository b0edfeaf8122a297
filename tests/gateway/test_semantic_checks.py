"""The gateway package's own checks (what the CRD schema does not state), on every served version's class.

Each check is registered on the generated class of every version upstream serves, so an
object of an older version (built in Python or loaded with from_manifest) is held to the same
rule, with the same path and message, as a v1 object.
"""

from __future__ import annotations

from typing import Any

import helpers
import pytest
from helpers import fresh_python

from cdk8s_gitops import from_manifest
from cdk8s_gitops.core.schema import SchemaResource
from cdk8s_gitops.gateway import (
    Gateway,
    GatewayV1Beta1,
    GRPCRoute,
    GRPCRouteV1Alpha2,
    HTTPRoute,
    HTTPRouteV1Beta1,
)

HTTP_ROUTES = pytest.mark.parametrize("model", [HTTPRoute, HTTPRouteV1Beta1], ids=["v1", "v1beta1"])
GRPC_ROUTES = pytest.mark.parametrize("model", [GRPCRoute, GRPCRouteV1Alpha2], ids=["v1", "v1alpha2"])
GATEWAYS = pytest.mark.parametrize("model", [Gateway, GatewayV1Beta1], ids=["v1", "v1beta1"])
BACKEND = {"name": "shop", "port": 8080}
HTTP = {"name": "http", "port": 80, "protocol": "HTTP"}


def build(model: type[SchemaResource], **spec: Any) -> SchemaResource:
    return model.from_manifest({"metadata": {"name": "x"}, "spec": spec})


def refused(model: type[SchemaResource], spec: dict[str, Any], path: str, *values: object) -> str:
    """Assert the object is refused naming the kind, ``path`` and every value."""
    return helpers.refused(lambda: build(model, **spec), f"{model.KIND} 'x'", path, *values)


def gateway_spec(*listeners: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {"gatewayClassName": "kong", "listeners": list(listeners) or [HTTP], **spec}


class TestHTTPRouteChecks:
    @HTTP_ROUTES
    def test_redirect_with_backends_refused_at_the_filter(self, model: type[SchemaResource]) -> None:
        """A RequestRedirect filter next to backendRefs is refused at the filter, with the fix."""
        spec = {"rules": [{"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}],
                           "backendRefs": [BACKEND]}]}
        refused(model, spec, "spec.rules[0].filters[0]", "RequestRedirect", "remove the backendRefs or the redirect")

    @HTTP_ROUTES
    def test_redirect_without_backends_accepted(self, model: type[SchemaResource]) -> None:
        """A redirect alone is the usual http-to-https route."""
        assert build(model, rules=[{"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}]}])

    @HTTP_ROUTES
    def test_ip_hostname_refused(self, model: type[SchemaResource]) -> None:
        """An IP address matches the CRD's hostname pattern but is not a hostname."""
        refused(model, {"hostnames": ["shop.example.com", "10.1.2.3"]}, "spec.hostnames[1]", "'10.1.2.3'", "IP address")

    @HTTP_ROUTES
    def test_long_label_refused(self, model: type[SchemaResource]) -> None:
        """A DNS label has at most 63 characters."""
        refused(model, {"hostnames": ["*." + "a" * 64 + ".example.com"]}, "spec.hostnames[0]", "longer than 63")

    @HTTP_ROUTES
    def test_header_and_query_matched_once(self, model: type[SchemaResource]) -> None:
        """headers and queryParams are list maps keyed by name."""
        refused(model, {"rules": [{"matches": [{"headers": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}]}]},
                "spec.rules[0].matches[0].headers", "header 'a' is matched more than once")
        refused(model, {"rules": [{"matches": [{"queryParams": [{"name": "q", "value": "1"}, {"name": "q", "value": "2"}]}]}]},
                "spec.rules[0].matches[0].queryParams", "query parameter 'q' is matched more than once")

    @HTTP_ROUTES
    def test_retry_codes_are_a_set(self, model: type[SchemaResource]) -> None:
        """retry.codes lists each status code once."""
        refused(model, {"rules": [{"retry": {"codes": [500, 503, 500]}}]}, "spec.rules[0].retry.codes", "500",
                "listed more than once")

    @HTTP_ROUTES
    def test_header_modifier_entries(self, model: type[SchemaResource]) -> None:
        """Header modifier names are HTTP tokens, values visible ASCII, set/add keyed by name, remove a set."""
        def modifier(**body: Any) -> dict[str, Any]:
            return {"rules": [{"filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": body}]}]}

        where = "spec.rules[0].filters[0].responseHeaderModifier"
        refused(model, modifier(set=[{"name": "bad name", "value": "1"}]), f"{where}.set[0].name", "'bad name'")
        refused(model, modifier(add=[{"name": "x-a", "value": " padded"}]), f"{where}.add[0].value", "' padded'")
        refused(model, modifier(add=[{"name": "x-a", "value": "1"}, {"name": "x-a", "value": "2"}]), f"{where}.add", "'x-a'")
        refused(model, modifier(remove=["x-a", "x-a"]), f"{where}.remove", "'x-a'")


class TestGRPCRouteChecks:
    @GRPC_ROUTES
    def test_ip_hostname_refused(self, model: type[SchemaResource]) -> None:
        """GRPCRoute hostnames are DNS names too."""
        refused(model, {"hostnames": ["10.1.2.3"]}, "spec.hostnames[0]", "'10.1.2.3'", "IP address")

    @GRPC_ROUTES
    def test_header_matched_once(self, model: type[SchemaResource]) -> None:
        """A gRPC header match names each header once."""
        refused(model, {"rules": [{"matches": [{"headers": [{"name": "a", "value": "1"}, {"name": "a", "value": "2"}]}]}]},
                "spec.rules[0].matches[0].headers", "header 'a' is matched more than once")

    @GRPC_ROUTES
    def test_header_modifier_entries(self, model: type[SchemaResource]) -> None:
        """The header modifier rules hold for GRPCRoute filters of both versions."""
        spec = {"rules": [{"filters": [{"type": "RequestHeaderModifier",
                                        "requestHeaderModifier": {"set": [{"name": "x:y", "value": "1"}]}}]}]}
        refused(model, spec, "spec.rules[0].filters[0].requestHeaderModifier.set[0].name", "'x:y'")

    def test_loaded_v1alpha2_is_checked(self) -> None:
        """from_manifest returns the v1alpha2 class, and its checks run on load."""
        doc = {"apiVersion": "gateway.networking.k8s.io/v1alpha2", "kind": "GRPCRoute", "metadata": {"name": "x"},
               "spec": {"hostnames": ["10.1.2.3"]}}
        helpers.refused(lambda: from_manifest(doc), "GRPCRoute 'x'", "spec.hostnames[0]", "IP address")
        doc["spec"] = {"hostnames": ["grpc.example.com"]}
        assert type(from_manifest(doc)) is GRPCRouteV1Alpha2


class TestGatewayChecks:
    @GATEWAYS
    def test_listener_hostname_is_a_dns_name(self, model: type[SchemaResource]) -> None:
        """A listener hostname is not an IP address."""
        refused(model, gateway_spec({**HTTP, "hostname": "192.168.0.1"}), "spec.listeners[0].hostname", "'192.168.0.1'",
                "IP address")

    @GATEWAYS
    def test_addresses_match_their_type(self, model: type[SchemaResource]) -> None:
        """IPAddress values are IP addresses; Hostname values are not."""
        refused(model, gateway_spec(addresses=[{"type": "IPAddress", "value": "lb.example.com"}]),
                "spec.addresses[0].value", "'lb.example.com'", "not an IPv4 or IPv6 address")
        refused(model, gateway_spec(addresses=[{"value": "10.0.0.300"}]), "spec.addresses[0].value", "'10.0.0.300'")
        refused(model, gateway_spec(addresses=[{"type": "Hostname", "value": "10.0.0.1"}]),
                "spec.addresses[0].value", "'10.0.0.1'", "set type: IPAddress")
        assert build(model, **gateway_spec(addresses=[{"type": "NamedAddress", "value": "my-ip"}]))

    @GATEWAYS
    def test_selector_needed_for_from_selector(self, model: type[SchemaResource]) -> None:
        """from: Selector without a selector admits nothing."""
        refused(model, gateway_spec({**HTTP, "allowedRoutes": {"namespaces": {"from": "Selector"}}}),
                "spec.listeners[0].allowedRoutes.namespaces.selector", "from Selector needs a selector")

    @GATEWAYS
    def test_terminate_needs_certificates(self, model: type[SchemaResource]) -> None:
        """TLS Terminate (the default mode) without certificateRefs or options is refused."""
        refused(model, gateway_spec({"name": "https", "port": 443, "protocol": "HTTPS", "tls": {"mode": "Terminate"}}),
                "spec.listeners[0].tls.certificateRefs", "Terminate")
        assert build(model, **gateway_spec({"name": "https", "port": 443, "protocol": "HTTPS",
                                            "tls": {"options": {"example.com/cert": "from-vault"}}}))

    @GATEWAYS
    def test_map_values(self, model: type[SchemaResource]) -> None:
        """Infrastructure label values are label values; annotation and TLS option values at most 4096 characters."""
        refused(model, gateway_spec(infrastructure={"labels": {"team": "not valid!"}}),
                "spec.infrastructure.labels", "'not valid!'")
        refused(model, gateway_spec(infrastructure={"annotations": {"example.com/a": "x" * 4097}}),
                "spec.infrastructure.annotations", "'example.com/a'", "4097")
        refused(model, gateway_spec({"name": "https", "port": 443, "protocol": "HTTPS",
                                     "tls": {"certificateRefs": [{"name": "c"}], "options": {"example.com/o": "x" * 4097}}}),
                "spec.listeners[0].tls.options", "'example.com/o'", "4097")


@pytest.mark.parametrize("value", ["10.0.0.1", "::1", "fe80::1%eth0", "2001:db8::", "1.2.3", "01.2.3.4", "256.1.1.1",
                                   "shop.example.com", "1.2.3.4.example.com", "\u0661.\u0662.\u0663.\u0664", "1..2.3", "", ".", "*.example.com",
                                   "a:b", "1e3", "0x1.2.3.4"])
def test_ip_hostname_agrees_with_ipaddress(value: str) -> None:
    """The quick test for names that cannot be addresses gives what ipaddress.ip_address says for every input."""
    import ipaddress

    from cdk8s_gitops.gateway._common import ip_hostname

    try:
        ipaddress.ip_address(value)
        expected = True
    except ValueError:
        expected = False
    assert ip_hostname(value) is expected


class TestCreatedOnFirstUse:
    """Importing the gateway package creates neither Gateways nor the older served versions; each gets its checks
    and version explanations on first use all the same (each case in a fresh process)."""

    def test_import_creates_no_gateway_or_older_version(self) -> None:
        out = fresh_python("""
            import sys
            import cdk8s_gitops.gateway, cdk8s_gitops.platform.microservice
            print(sorted(m for m in sys.modules if m.startswith("cdk8s_gitops.models.gateway") and m.count(".") == 3
                         and not m.startswith("cdk8s_gitops.models.gateway_networking_k8s_io_v1."))
                  + sorted(m for m in sys.modules if m.endswith((".gateway.gateway", ".gateway.reference_grant"))))
        """)
        assert out.strip() == "[]"

    def test_older_version_refusal_explains_the_version(self) -> None:
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            from cdk8s_gitops.gateway import GRPCRouteV1Alpha2
            try:
                GRPCRouteV1Alpha2.from_manifest({"metadata": {"name": "g"}, "spec": {"rules": [{"name": "hello"}]}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.rules[0].name" in out and "is not served in v1alpha2" in out and "use apiVersion v1" in out

    def test_older_version_gets_the_checks(self) -> None:
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            import cdk8s_gitops.gateway  # noqa: F401 - what an app imports
            from cdk8s_gitops.models.gateway_networking_k8s_io_v1beta1 import HTTPRoute
            try:
                HTTPRoute.from_manifest({"metadata": {"name": "r"}, "spec": {"hostnames": ["10.0.0.1"]}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.hostnames[0]" in out and "is an IP address" in out

    def test_gateway_from_the_generated_models_gets_the_checks(self) -> None:
        out = fresh_python("""
            from cdk8s_gitops import ManifestError
            import cdk8s_gitops.gateway  # noqa: F401
            from cdk8s_gitops.models.gateway_networking_k8s_io_v1 import Gateway
            try:
                Gateway.from_manifest({"metadata": {"name": "gw"}, "spec": {"gatewayClassName": "kong", "listeners": [
                    {"name": "http", "protocol": "HTTP", "port": 80, "hostname": "10.0.0.1"}]}})
            except ManifestError as exc:
                print(exc)
        """)
        assert "spec.listeners[0].hostname" in out and "IP address" in out

    def test_lazy_names_are_the_modules_own(self) -> None:
        import cdk8s_gitops.gateway as package
        from cdk8s_gitops.gateway import gateway, reference_grant
        from cdk8s_gitops.models import gateway_networking_k8s_io_v1 as v1
        from cdk8s_gitops.models import gateway_networking_k8s_io_v1alpha2 as v1alpha2
        from cdk8s_gitops.models import gateway_networking_k8s_io_v1beta1 as v1beta1

        for name in package.__all__:
            assert getattr(package, name) is not None
        assert package.Gateway is gateway.Gateway is v1.Gateway
        assert package.GatewaySpec is v1.GatewaySpec and package.ListenerTLSConfig is v1.GatewaySpecListenersTls
        assert package.HTTPRouteV1Beta1 is v1beta1.HTTPRoute and package.GRPCRouteV1Alpha2 is v1alpha2.GRPCRoute
        assert package.ReferenceGrantV1Beta1 is reference_grant.ReferenceGrantV1Beta1
        with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
            package.Nothing  # noqa: B018
