"""HelmAddon: add-ons as Applications of pinned Helm charts."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.platform.addons import CATALOG, HelmAddon, HelmChart
from cdk8s_gitops.testing import synth_chart


class TestHelmAddon:
    def test_catalog_chart(self) -> None:
        """A catalog add-on is an Application of the pinned chart with values, CreateNamespace and wave -10."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "argo-rollouts", values={"dashboard": {"enabled": True}}))
        source = app["spec"]["source"]
        assert source["chart"] == "argo-rollouts" and source["targetRevision"] == CATALOG["argo-rollouts"].version
        assert source["helm"]["valuesObject"] == {"dashboard": {"enabled": True}}
        assert app["spec"]["destination"]["namespace"] == "argo-rollouts"
        assert "CreateNamespace=true" in app["spec"]["syncPolicy"]["syncOptions"]
        assert app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-10"

    def test_server_side_apply_for_large_crds(self) -> None:
        """Charts with large CRDs apply server-side."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "external-secrets"))
        assert "ServerSideApply=true" in app["spec"]["syncPolicy"]["syncOptions"]

    def test_every_catalog_version_is_pinned(self) -> None:
        """No catalog entry floats: every version is an exact semantic version."""
        for name, chart in CATALOG.items():
            assert re.fullmatch(r"v?\d+\.\d+\.\d+", chart.version), name

    def test_custom_chart(self) -> None:
        """A chart outside the catalog can be given explicitly."""
        chart = HelmChart("https://charts.example.com", "thing", "1.2.3", "thing")
        [app] = synth_chart(lambda s, e: HelmAddon(s, "thing", chart=chart))
        assert app["spec"]["source"]["repoURL"] == "https://charts.example.com"

    def test_unknown_addon(self) -> None:
        """An unknown add-on without a chart lists the catalog."""
        with pytest.raises(ManifestError, match=r"use one of: .*argo-rollouts"):
            synth_chart(lambda s, e: HelmAddon(s, "nope"))


REMOTE: dict[str, Any] = {"cluster": {"name": "staging", "server": "https://staging.k8s.example.com"},
          "argocd": {"namespace": "gitops", "project": "platform"}}


class TestEnvironmentTarget:
    def test_addon_follows_the_environment_cluster_and_argocd(self) -> None:
        """An add-on installs into the environment's cluster.server, lives in its Argo CD namespace and project."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "argo-rollouts"), **REMOTE)
        assert app["spec"]["destination"] == {"server": "https://staging.k8s.example.com", "namespace": "argo-rollouts"}
        assert app["metadata"]["namespace"] == "gitops"
        assert app["spec"]["project"] == "platform"

    def test_in_cluster_by_default(self) -> None:
        """Without a cluster in the environment, the add-on targets the cluster Argo CD runs in."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "argo-rollouts"))
        assert app["spec"]["destination"]["server"] == "https://kubernetes.default.svc"
        assert app["metadata"]["namespace"] == "argocd" and app["spec"]["project"] == "default"

    def test_explicit_arguments_win(self) -> None:
        """server, argocd_namespace and project given to the construct override the environment."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "argo-rollouts", server="https://other.example.com",
                                                   argocd_namespace="argo", project="infra"), **REMOTE)
        assert app["spec"]["destination"]["server"] == "https://other.example.com"
        assert app["metadata"]["namespace"] == "argo" and app["spec"]["project"] == "infra"

    def test_argocd_companion_installs_next_to_argocd(self) -> None:
        """The Image Updater chart installs into the environment's Argo CD namespace, not a fixed 'argocd'."""
        [app] = synth_chart(lambda s, e: HelmAddon(s, "argocd-image-updater"), **REMOTE)
        assert app["spec"]["destination"]["namespace"] == "gitops"
