"""ReferenceGrant: from/to lists, three served versions, and upstream's limits."""

from __future__ import annotations

from typing import Any

import helpers
import pytest

from cdk8s_gitops import from_manifest
from cdk8s_gitops.core.schema import SchemaResource
from cdk8s_gitops.gateway import ReferenceGrant, ReferenceGrantV1Alpha2, ReferenceGrantV1Beta1

FROM = {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "namespace": "shop"}
TO = {"group": "", "kind": "Service"}


VERSIONS: dict[str, type[SchemaResource]] = {"v1": ReferenceGrant, "v1beta1": ReferenceGrantV1Beta1, "v1alpha2": ReferenceGrantV1Alpha2}


def grant(version: str = "v1", **spec: Any) -> SchemaResource:
    return VERSIONS[version].from_manifest({"metadata": {"name": "allow-shop", "namespace": "payments"},
                                "spec": {"from": [FROM], "to": [TO], **spec}})


def refused(make: Any, path: str, *values: object) -> str:
    """Assert ``make()`` raises a ManifestError naming the grant, ``path`` and every value."""
    return helpers.refused(make, "ReferenceGrant 'allow-shop'", path, *values)


class TestReferenceGrant:
    @pytest.mark.parametrize("version", ["v1", "v1beta1", "v1alpha2"])
    def test_every_served_version_round_trips(self, version: str) -> None:
        """v1, v1beta1 and v1alpha2 are served with the same fields."""
        made = grant(version, to=[{**TO, "name": "payments"}])
        assert made.to_manifest()["apiVersion"] == f"gateway.networking.k8s.io/{version}"
        assert from_manifest(made.to_manifest()) == made
        assert type(from_manifest(made.to_manifest())) is VERSIONS[version]
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
