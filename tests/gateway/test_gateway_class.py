"""GatewayClass: cluster-scoped, controllerName and parameters, both served versions."""

from __future__ import annotations

from typing import Any

import pytest

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.gateway import GatewayClass, GatewayClassV1Beta1

V1 = "gateway.networking.k8s.io/v1"


def gateway_class(**spec: Any) -> GatewayClass:
    return GatewayClass.from_manifest({"metadata": {"name": "kong"}, "spec": {"controllerName": "konghq.com/kic-gateway-controller", **spec}})


class TestGatewayClass:
    def test_round_trip(self) -> None:
        """controllerName, parametersRef and description round-trip."""
        doc = {"apiVersion": V1, "kind": "GatewayClass", "metadata": {"name": "kong"},
               "spec": {"controllerName": "konghq.com/kic-gateway-controller", "description": "Kong",
                        "parametersRef": {"group": "gateway-operator.konghq.com", "kind": "GatewayConfiguration",
                                          "name": "kong", "namespace": "kong"}}}
        assert GatewayClass.from_manifest(doc).to_manifest() == doc

    def test_cluster_scoped(self) -> None:
        """GatewayClass is cluster-scoped, so charts give it no namespace."""
        assert GatewayClass.NAMESPACED is False

    def test_served_versions(self) -> None:
        """v1 (default) and v1beta1 are served, each by its own class; from_manifest picks it by apiVersion."""
        assert GatewayClass.API_VERSIONS == (V1,)
        assert GatewayClassV1Beta1.API_VERSIONS == ("gateway.networking.k8s.io/v1beta1",)
        old = GatewayClassV1Beta1.from_manifest({"metadata": {"name": "kong"}, "spec": {"controllerName": "konghq.com/kic-gateway-controller"}})
        assert type(from_manifest(old.to_manifest())) is GatewayClassV1Beta1

    def test_controller_name_is_domain_prefixed(self) -> None:
        """controllerName is '<domain>/<path>'."""
        with pytest.raises(ManifestError) as info:
            gateway_class(controllerName="kong")
        assert "GatewayClass 'kong': spec.controllerName: " in str(info.value)
        assert "'kong'" in str(info.value)

    def test_description_at_most_64(self) -> None:
        """description has at most 64 characters."""
        with pytest.raises(ManifestError, match=r"spec\.description: String should have at most 64 characters, got 'x{65}'"):
            gateway_class(description="x" * 65)

    def test_parameters_ref_needs_kind(self) -> None:
        """parametersRef needs group, kind and name."""
        with pytest.raises(ManifestError, match=r"spec\.parametersRef\.kind: required"):
            gateway_class(parametersRef={"group": "example.com", "name": "p"})
