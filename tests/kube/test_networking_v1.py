"""Tests of cdk8s_gitops.kube.networking_v1: NetworkPolicy and Ingress."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.kube import Ingress, NetworkPolicy, selector_is_empty

from ._k8s import assert_round_trip, validate_strict


def netpol(**spec: Any) -> dict[str, Any]:
    """An allow-list NetworkPolicy for the web pods; ``spec`` keys override."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "podSelector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [
                {
                    "from": [
                        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kong"}},
                         "podSelector": {"matchLabels": {"app.kubernetes.io/name": "kong"}}},
                        {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "checkout"}}},
                    ],
                    "ports": [{"protocol": "TCP", "port": 8080}, {"port": "metrics"}],
                }
            ],
            "egress": [
                {"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
                 "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
                {"to": [{"ipBlock": {"cidr": "10.20.0.0/16", "except": ["10.20.5.0/24"]}}],
                 "ports": [{"protocol": "TCP", "port": 5432, "endPort": 5439}]},
            ],
            **spec,
        },
    }


def ingress(**spec: Any) -> dict[str, Any]:
    """An Ingress with TLS, two hosts and a default backend; ``spec`` keys override."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "shop", "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt"}},
        "spec": {
            "ingressClassName": "kong",
            "defaultBackend": {"service": {"name": "web", "port": {"name": "http"}}},
            "tls": [{"hosts": ["shop.example.com"], "secretName": "shop-tls"}],
            "rules": [
                {"host": "shop.example.com", "http": {"paths": [
                    {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 8080}}}},
                    {"path": "/", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
                ]}},
                {"http": {"paths": [{"pathType": "ImplementationSpecific", "backend": {
                    "resource": {"apiGroup": "k8s.example.com", "kind": "StorageBucket", "name": "static"}}}]}},
            ],
            **spec,
        },
    }


class TestNetworkPolicy:
    def test_round_trip(self) -> None:
        """An allow-list policy with selectors, an IP block and a port range round-trips and validates."""
        doc = netpol()
        assert_round_trip(NetworkPolicy, doc)
        validate_strict(doc)

    def test_default_deny_round_trip(self) -> None:
        """The default-deny policy (empty podSelector, both types, no rules) round-trips and validates."""
        doc = {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "default-deny", "namespace": "shop"},
               "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}}
        model = assert_round_trip(NetworkPolicy, doc)
        assert model.spec is not None and model.spec.pod_selector is not None and selector_is_empty(model.spec.pod_selector)
        validate_strict(doc)

    def test_from_keyword(self) -> None:
        """The upstream key ``from`` is the Python field ``from_``."""
        model = NetworkPolicy.from_manifest(netpol())
        assert model.spec is not None and model.spec.ingress is not None
        assert model.spec.ingress[0].from_ is not None and len(model.spec.ingress[0].from_) == 2

    def test_ip_block_with_selector(self) -> None:
        """A peer mixing ipBlock and a selector is refused."""
        doc = netpol()
        doc["spec"]["egress"][1]["to"][0]["podSelector"] = {}
        message = manifest_error(NetworkPolicy, doc)
        assert "spec.egress[1].to[0]: peer sets ipBlock together with podSelector" in message

    def test_empty_peer(self) -> None:
        """An empty peer is refused."""
        doc = netpol()
        doc["spec"]["ingress"][0]["from"].append({})
        assert "spec.ingress[0].from[2]: peer is empty" in manifest_error(NetworkPolicy, doc)

    def test_except_outside_cidr(self) -> None:
        """An except range outside the block's cidr is refused, naming both."""
        doc = netpol()
        doc["spec"]["egress"][1]["to"][0]["ipBlock"]["except"] = ["192.168.0.0/24"]
        message = manifest_error(NetworkPolicy, doc)
        assert "spec.egress[1].to[0].ipBlock.except[0]: except entry '192.168.0.0/24' is not inside cidr '10.20.0.0/16'" in message

    def test_cidr_format(self) -> None:
        """A cidr without prefix length is refused."""
        doc = netpol()
        doc["spec"]["egress"][1]["to"][0]["ipBlock"] = {"cidr": "10.20.0.1"}
        assert "spec.egress[1].to[0].ipBlock.cidr: cidr '10.20.0.1' is not a CIDR" in manifest_error(NetworkPolicy, doc)

    @pytest.mark.parametrize("port", [0, 65536])
    def test_port_range(self, port: int) -> None:
        """A rule port outside 1-65535 is refused at its path."""
        doc = netpol()
        doc["spec"]["ingress"][0]["ports"][0]["port"] = port
        assert f"spec.ingress[0].ports[0].port: port {port} is outside 1-65535" in manifest_error(NetworkPolicy, doc)

    def test_end_port_below_port(self) -> None:
        """endPort below port is refused, naming both."""
        doc = netpol()
        doc["spec"]["egress"][1]["ports"][0]["endPort"] = 5000
        assert "spec.egress[1].ports[0].endPort: endPort 5000 is below port 5432" in manifest_error(NetworkPolicy, doc)

    def test_end_port_needs_numeric_port(self) -> None:
        """endPort with a named port is refused."""
        doc = netpol()
        doc["spec"]["ingress"][0]["ports"][1]["endPort"] = 9100
        assert "spec.ingress[0].ports[1].endPort: endPort 9100 needs a numeric port, got 'metrics'" in manifest_error(NetworkPolicy, doc)

    def test_protocol(self) -> None:
        """Protocols are TCP, UDP or SCTP, in upper case."""
        doc = netpol()
        doc["spec"]["ingress"][0]["ports"][0]["protocol"] = "tcp"
        message = manifest_error(NetworkPolicy, doc)
        assert "spec.ingress[0].ports[0].protocol" in message and "'tcp'" in message

    def test_egress_rules_need_egress_type(self) -> None:
        """Egress rules with policyTypes lacking Egress are refused (they would be ignored)."""
        message = manifest_error(NetworkPolicy, netpol(policyTypes=["Ingress"]))
        assert "spec.policyTypes: egress rules are given but policyTypes ['Ingress'] lacks 'Egress'" in message

    def test_policy_type_values(self) -> None:
        """policyTypes accepts only Ingress and Egress."""
        message = manifest_error(NetworkPolicy, netpol(policyTypes=["Ingress", "egress"]))
        assert "spec.policyTypes[1]" in message and "'egress'" in message


class TestIngress:
    def test_round_trip(self) -> None:
        """An Ingress with TLS, hosts, service and resource backends round-trips and validates."""
        doc = ingress()
        assert_round_trip(Ingress, doc)
        validate_strict(doc)

    def test_backend_exactly_one(self) -> None:
        """A backend with both service and resource is refused."""
        doc = ingress()
        doc["spec"]["defaultBackend"]["resource"] = {"kind": "StorageBucket", "name": "x"}
        assert "spec.defaultBackend: the backend has both service and resource" in manifest_error(Ingress, doc)

    def test_backend_port_exactly_one(self) -> None:
        """A backend port with both name and number is refused."""
        doc = ingress()
        doc["spec"]["defaultBackend"]["service"]["port"] = {"name": "http", "number": 80}
        assert "spec.defaultBackend.service.port: the backend port has both name and number" in manifest_error(Ingress, doc)

    def test_backend_port_range(self) -> None:
        """A backend port number outside 1-65535 is refused at its path."""
        doc = ingress()
        doc["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"]["number"] = 0
        message = manifest_error(Ingress, doc)
        assert "spec.rules[0].http.paths[0].backend.service.port.number: port 0 is outside 1-65535" in message

    def test_prefix_path_needs_slash(self) -> None:
        """A Prefix path not starting with '/' is refused with the corrected path."""
        doc = ingress()
        doc["spec"]["rules"][0]["http"]["paths"][0]["path"] = "api"
        message = manifest_error(Ingress, doc)
        assert "spec.rules[0].http.paths[0].path: path 'api' does not start with '/'" in message and "'/api'" in message

    def test_path_type_required(self) -> None:
        """pathType is required."""
        doc = ingress()
        del doc["spec"]["rules"][0]["http"]["paths"][0]["pathType"]
        assert "spec.rules[0].http.paths[0].pathType: required field is missing" in manifest_error(Ingress, doc)
