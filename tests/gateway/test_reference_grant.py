"""ReferenceGrant: from/to lists, three served versions, and upstream's limits."""

from __future__ import annotations

from typing import Any

import helpers
import pytest

from cdk8s_gitops.gateway import ReferenceGrant

FROM = {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "shop"}
TO = {"group": "", "kind": "Service"}


def grant(api_version: str = "gateway.networking.k8s.io/v1", **spec: Any) -> ReferenceGrant:
    return ReferenceGrant.build(apiVersion=api_version, metadata={"name": "allow-shop", "namespace": "payments"},
                                spec={"from": [FROM], "to": [TO], **spec})


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming the grant, ``path`` and every value."""
    return helpers.refused(make, "ReferenceGrant 'allow-shop'", path, *values)


class TestReferenceGrant:
    @pytest.mark.parametrize("version", ["v1", "v1beta1", "v1alpha2"])
    def test_every_served_version_round_trips(self, version: str) -> None:
        """v1, v1beta1 and v1alpha2 are served with the same fields."""
        made = grant(f"gateway.networking.k8s.io/{version}", to=[{**TO, "name": "payments"}])
        assert ReferenceGrant.from_manifest(made.to_manifest()) == made
        assert made.to_manifest()["spec"] == {"from": [FROM], "to": [{**TO, "name": "payments"}]}

    def test_from_not_empty(self) -> None:
        """from has at least one entry."""
        refused(lambda: grant(**{"from": []}), "spec.from", "0")  # type: ignore[arg-type]  # "from" is a Python keyword

    def test_to_at_most_16(self) -> None:
        """to has at most 16 entries."""
        refused(lambda: grant(to=[TO] * 17), "spec.to", "17", "16")

    def test_from_namespace_required(self) -> None:
        """from entries name the namespace they allow."""
        refused(lambda: grant(**{"from": [{"group": "", "kind": "Service"}]}), "spec.from[0].namespace", "required")  # type: ignore[arg-type]  # "from" is a Python keyword

    def test_from_namespace_pattern(self) -> None:
        """from namespaces are DNS labels."""
        refused(lambda: grant(**{"from": [{**FROM, "namespace": "Shop"}]}), "spec.from[0].namespace", "'Shop'")  # type: ignore[arg-type]  # "from" is a Python keyword

    def test_kind_pattern(self) -> None:
        """Kinds start with a letter."""
        refused(lambda: grant(to=[{"group": "", "kind": "-Service"}]), "spec.to[0].kind", "'-Service'")
