"""Gateway: listeners, TLS, allowedRoutes, addresses, infrastructure, and upstream's validation rules."""

from __future__ import annotations

from typing import Any

import helpers
import pytest

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.gateway import Gateway, GatewayV1Beta1, Listener, gateway_listener

V1 = "gateway.networking.k8s.io/v1"
HTTP = {"name": "http", "port": 80, "protocol": "HTTP"}
CERT = {"certificateRefs": [{"name": "shop-tls"}]}


def gateway(*listeners: dict[str, Any], old: bool = False, **spec: Any) -> Gateway | GatewayV1Beta1:
    return (GatewayV1Beta1 if old else Gateway).from_manifest({"metadata": {"name": "public", "namespace": "infra"},
                         "spec": {"gatewayClassName": "kong", "listeners": list(listeners) or [HTTP], **spec}})


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming the Gateway, ``path`` and every value."""
    return helpers.refused(make, "Gateway 'public'", path, *values)


class TestGatewayModel:
    def test_round_trip_of_every_field(self) -> None:
        """Listeners with hostname, TLS and allowedRoutes, addresses, infrastructure and spec.tls round-trip."""
        doc = {"apiVersion": V1, "kind": "Gateway", "metadata": {"name": "public", "namespace": "infra"},
               "spec": {"gatewayClassName": "kong",
                        "listeners": [
                            HTTP,
                            {"name": "https", "hostname": "*.example.com", "port": 443, "protocol": "HTTPS",
                             "tls": {"mode": "Terminate", "certificateRefs": [{"group": "", "kind": "Secret",
                                                                                "name": "wild", "namespace": "certs"}],
                                     "options": {"example.com/min-version": "1.3"}},
                             "allowedRoutes": {"namespaces": {"from": "Selector",
                                                              "selector": {"matchLabels": {"shared-gateway": "true"},
                                                                           "matchExpressions": [{"key": "env", "operator": "In",
                                                                                                 "values": ["prod"]}]}},
                                               "kinds": [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute"}]}},
                            {"name": "tls", "port": 8443, "protocol": "TLS", "tls": {"mode": "Passthrough"}},
                        ],
                        "addresses": [{"type": "IPAddress", "value": "10.0.0.1"}, {"type": "Hostname", "value": "lb.example.com"},
                                      {"type": "NamedAddress", "value": "my-ip"}],
                        "infrastructure": {"labels": {"team": "edge"}, "annotations": {"example.com/lb": "internal"},
                                           "parametersRef": {"group": "example.com", "kind": "GatewayConfig", "name": "cfg"}},
                        "allowedListeners": {"namespaces": {"from": "Same"}},
                        "tls": {"backend": {"clientCertificateRef": {"name": "client"}},
                                "frontend": {"default": {"validation": {"caCertificateRefs": [
                                    {"group": "", "kind": "ConfigMap", "name": "ca"}], "mode": "AllowValidOnly"}},
                                    "perPort": [{"port": 443, "tls": {"validation": {"caCertificateRefs": [
                                        {"group": "", "kind": "ConfigMap", "name": "ca2"}]}}}]}},
                        "defaultScope": "All"}}
        loaded = Gateway.from_manifest(doc)
        assert loaded.to_manifest() == doc
        assert isinstance(gateway_listener(loaded, "https"), Listener)
        https = gateway_listener(loaded, "https")
        assert https is not None and https.port == 443
        assert gateway_listener(loaded, "missing") is None

    def test_served_versions(self) -> None:
        """v1 (default) and v1beta1 are served, each by its own class; from_manifest picks it by apiVersion."""
        assert Gateway.API_VERSIONS == (V1,)
        assert GatewayV1Beta1.API_VERSIONS == ("gateway.networking.k8s.io/v1beta1",)
        old = gateway(old=True)
        assert old.api_version.endswith("v1beta1")
        assert type(from_manifest(old.to_manifest())) is GatewayV1Beta1
        assert gateway().to_manifest()["apiVersion"] == V1

    def test_class_name_and_listeners_required(self) -> None:
        """gatewayClassName and listeners are required."""
        with pytest.raises(ManifestError) as info:
            Gateway.from_manifest({"metadata": {"name": "public"}, "spec": {}})
        assert "spec.gatewayClassName: required" in str(info.value)
        assert "spec.listeners: required" in str(info.value)


class TestListeners:
    def test_names_unique(self) -> None:
        """Listener names are unique within the Gateway."""
        refused(lambda: gateway(HTTP, {**HTTP, "port": 8080}), "spec.listeners", "Listener name must be unique within the Gateway")

    def test_port_protocol_hostname_unique(self) -> None:
        """Two listeners may not share port, protocol and hostname."""
        refused(lambda: gateway(HTTP, {**HTTP, "name": "http2"}), "spec.listeners",
                "Combination of port, protocol and hostname must be unique for each listener")

    def test_same_port_different_hostnames_accepted(self) -> None:
        """Listeners on one port differ by hostname."""
        assert gateway({**HTTP, "hostname": "a.example.com"}, {**HTTP, "name": "b", "hostname": "b.example.com"})

    def test_at_most_64(self) -> None:
        """maxItems 64 for listeners."""
        refused(lambda: gateway(*[{**HTTP, "name": f"l{i}", "port": 1000 + i} for i in range(65)]), "spec.listeners", "65", "64")

    def test_at_least_one(self) -> None:
        """minItems 1 for listeners."""
        refused(lambda: Gateway.from_manifest({"metadata": {"name": "public"}, "spec": {"gatewayClassName": "k", "listeners": []}}),
                "spec.listeners", "0")

    @pytest.mark.parametrize("port", [0, 65536])
    def test_port_range(self, port: int) -> None:
        """Listener ports are 1-65535."""
        refused(lambda: gateway({**HTTP, "port": port}), "spec.listeners[0].port", str(port))

    def test_name_pattern(self) -> None:
        """Listener names are DNS subdomains."""
        refused(lambda: gateway({**HTTP, "name": "HTTP_80"}), "spec.listeners[0].name", "'HTTP_80'")

    def test_hostname_pattern(self) -> None:
        """Listener hostnames are RFC 1123 names with an optional leading '*.'."""
        refused(lambda: gateway({**HTTP, "hostname": "*.*.example.com"}), "spec.listeners[0].hostname", "'*.*.example.com'")

    def test_protocol_pattern(self) -> None:
        """Protocols are core names or domain-prefixed names."""
        refused(lambda: gateway({**HTTP, "protocol": "HTTP/2"}), "spec.listeners[0].protocol", "'HTTP/2'")
        assert gateway({**HTTP, "protocol": "example.com/MQTT"})

    @pytest.mark.parametrize("protocol", ["HTTP", "TCP", "UDP"])
    def test_no_tls_for_plain_protocols(self, protocol: str) -> None:
        """tls is not allowed with HTTP, TCP or UDP."""
        refused(lambda: gateway({**HTTP, "protocol": protocol, "tls": CERT}), "spec.listeners",
                "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']")

    def test_https_terminates(self) -> None:
        """HTTPS listeners use TLS mode Terminate."""
        refused(lambda: gateway({**HTTP, "protocol": "HTTPS", "tls": {"mode": "Passthrough"}}),
                "spec.listeners", "tls mode must be Terminate for protocol HTTPS")

    def test_tls_protocol_needs_tls(self) -> None:
        """TLS listeners set tls with a mode."""
        refused(lambda: gateway({**HTTP, "protocol": "TLS"}), "spec.listeners", "tls mode must be set for protocol TLS")

    @pytest.mark.parametrize("protocol", ["TCP", "UDP"])
    def test_no_hostname_for_tcp_udp(self, protocol: str) -> None:
        """TCP and UDP listeners have no hostname."""
        refused(lambda: gateway({**HTTP, "protocol": protocol, "hostname": "a.example.com"}),
                "spec.listeners", "hostname must not be specified for protocols ['TCP', 'UDP']")

    def test_terminate_needs_certificates(self) -> None:
        """TLS mode Terminate (the default) needs certificateRefs or options."""
        refused(lambda: gateway({**HTTP, "protocol": "HTTPS", "tls": {}}), "spec.listeners[0].tls.certificateRefs", "Terminate")

    def test_https_with_certificate_accepted(self) -> None:
        """An HTTPS listener with a certificate is valid."""
        assert gateway({**HTTP, "name": "https", "port": 443, "protocol": "HTTPS", "tls": CERT})

    def test_at_most_64_certificates(self) -> None:
        """maxItems 64 for certificateRefs."""
        refused(lambda: gateway({**HTTP, "protocol": "HTTPS", "tls": {"certificateRefs": [{"name": f"c{i}"} for i in range(65)]}}),
                "spec.listeners[0].tls.certificateRefs", "65")

    def test_at_most_16_tls_options(self) -> None:
        """maxProperties 16 for tls.options."""
        refused(lambda: gateway({**HTTP, "protocol": "HTTPS", "tls": {"options": {f"example.com/o{i}": "v" for i in range(17)}}}),
                "spec.listeners[0].tls.options", "at most 16 items", "'example.com/o0'")


class TestAllowedRoutes:
    def test_selector_required_for_from_selector(self) -> None:
        """namespaces.from Selector needs a selector."""
        refused(lambda: gateway({**HTTP, "allowedRoutes": {"namespaces": {"from": "Selector"}}}),
                "spec.listeners[0].allowedRoutes.namespaces.selector", "Selector")

    def test_from_enum(self) -> None:
        """namespaces.from is All, Same or Selector."""
        refused(lambda: gateway({**HTTP, "allowedRoutes": {"namespaces": {"from": "Any"}}}),
                "spec.listeners[0].allowedRoutes.namespaces.from", "'Any'")

    def test_at_most_8_kinds(self) -> None:
        """maxItems 8 for allowedRoutes.kinds."""
        refused(lambda: gateway({**HTTP, "allowedRoutes": {"kinds": [{"kind": f"K{i}"} for i in range(9)]}}),
                "spec.listeners[0].allowedRoutes.kinds", "9")

    def test_selector_operator(self) -> None:
        """matchExpressions operators are In, NotIn, Exists or DoesNotExist."""
        refused(lambda: gateway({**HTTP, "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {
            "matchExpressions": [{"key": "env", "operator": "Equals", "values": ["a"]}]}}}}),
            "spec.listeners[0].allowedRoutes.namespaces.selector.matchExpressions[0].operator", "'Equals'")


class TestAddresses:
    def test_ip_address_value(self) -> None:
        """IPAddress values (the default type) are IPv4 or IPv6 addresses."""
        refused(lambda: gateway(addresses=[{"value": "lb.example.com"}]), "spec.addresses[0].value", "'lb.example.com'")
        refused(lambda: gateway(addresses=[{"type": "IPAddress", "value": "300.1.1.1"}]), "spec.addresses[0].value", "'300.1.1.1'")

    def test_hostname_value(self) -> None:
        """Hostname values are DNS names."""
        refused(lambda: gateway(addresses=[{"type": "Hostname", "value": "LB_1"}]), "spec.addresses[0]",
                "Hostname value must be empty or contain only valid characters")

    def test_unique_values(self) -> None:
        """IPAddress and Hostname values are unique."""
        refused(lambda: gateway(addresses=[{"value": "10.0.0.1"}, {"type": "IPAddress", "value": "10.0.0.1"}]),
                "spec.addresses", "IPAddress values must be unique")

    def test_at_most_16(self) -> None:
        """maxItems 16 for addresses."""
        refused(lambda: gateway(addresses=[{"value": f"10.0.0.{i}"} for i in range(17)]), "spec.addresses", "17")

    def test_type_pattern(self) -> None:
        """Address types are IPAddress, Hostname, NamedAddress or domain-prefixed."""
        refused(lambda: gateway(addresses=[{"type": "DNS", "value": "a"}]), "spec.addresses[0].type", "'DNS'")


class TestInfrastructure:
    def test_at_most_8_labels(self) -> None:
        """maxProperties 8 for infrastructure.labels."""
        refused(lambda: gateway(infrastructure={"labels": {f"l{i}": "v" for i in range(9)}}), "spec.infrastructure.labels", "at most 8 items", "'l0'")

    def test_label_keys_and_values(self) -> None:
        """Infrastructure labels are valid Kubernetes labels."""
        refused(lambda: gateway(infrastructure={"labels": {"bad key": "v"}}), "spec.infrastructure.labels",
                "Label keys must be in the form of an optional DNS subdomain prefix")
        refused(lambda: gateway(infrastructure={"labels": {"team": "not valid!"}}), "spec.infrastructure.labels", "'not valid!'")

    def test_at_most_16_annotations(self) -> None:
        """maxProperties 16 for infrastructure.annotations."""
        refused(lambda: gateway(infrastructure={"annotations": {f"a{i}": "v" for i in range(17)}}),
                "spec.infrastructure.annotations", "at most 16 items", "'a0'")


class TestGatewayTLS:
    def test_per_port_ports_unique(self) -> None:
        """frontend.perPort has one entry per port."""
        entry = {"port": 443, "tls": {}}
        refused(lambda: gateway(tls={"frontend": {"default": {}, "perPort": [entry, entry]}}),
                "spec.tls.frontend.perPort", "Port for TLS configuration must be unique within the Gateway")

    def test_ca_certificate_refs_not_empty(self) -> None:
        """validation.caCertificateRefs has 1-16 entries."""
        refused(lambda: gateway(tls={"frontend": {"default": {"validation": {"caCertificateRefs": []}}}}),
                "spec.tls.frontend.default.validation.caCertificateRefs", "0")

    def test_frontend_default_required(self) -> None:
        """frontend.default is required."""
        refused(lambda: gateway(tls={"frontend": {}}), "spec.tls.frontend.default", "required")
