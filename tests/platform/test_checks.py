"""Cross-object checks: reported together at synth, each naming object, field and fix."""

from __future__ import annotations

import pytest

from cdk8s_gitops import SynthError, TypedResource
from cdk8s_gitops.gateway import HTTPRoute
from cdk8s_gitops.kube import HorizontalPodAutoscaler, Service
from cdk8s_gitops.secrets import ExternalSecret
from cdk8s_gitops.testing import synth_chart


def route(backend: str, port: int) -> HTTPRoute:
    return HTTPRoute.from_manifest({"metadata": {"name": "r"}, "spec": {"parentRefs": [{"name": "gw"}],
                                                         "rules": [{"backendRefs": [{"name": backend, "port": port}]}]}})


def service(name: str, port: int) -> Service:
    return Service.from_manifest({"metadata": {"name": name}, "spec": {"selector": {"a": "b"}, "ports": [{"port": port}]}})


class TestRouteBackends:
    def test_missing_service(self) -> None:
        """A backendRef to a Service nobody synthesizes is refused, naming the route and the field."""
        with pytest.raises(SynthError) as info:
            synth_chart(lambda s, e: TypedResource(s, route("ghost", 80)))
        text = str(info.value)
        assert "HTTPRoute 'r' (test-test/HTTPRoute-test-test-r): spec.rules[0].backendRefs[0].name: Service 'ghost'" in text
        assert "create the Service" in text

    def test_wrong_port(self) -> None:
        """A backendRef port the Service does not expose is refused, listing the ports it has."""
        def build(s, e):  # noqa: ANN001, ANN202
            TypedResource(s, service("web", 8080))
            TypedResource(s, route("web", 80))
        with pytest.raises(SynthError, match=r"backendRefs\[0\].port: Service 'web' has no port 80 \(ports: 8080\)"):
            synth_chart(build)

    def test_ok(self) -> None:
        """A route to an existing Service port passes."""
        def build(s, e):  # noqa: ANN001, ANN202
            TypedResource(s, service("web", 80))
            TypedResource(s, route("web", 80))
        assert len(synth_chart(build)) == 2


class TestAllReportedTogether:
    def test_every_failure_at_once(self) -> None:
        """Several broken references give one SynthError listing each of them."""
        def build(s, e):  # noqa: ANN001, ANN202
            TypedResource(s, route("ghost", 80))
            TypedResource(s, ExternalSecret.from_manifest({"metadata": {"name": "es"}, "spec": {
                "secretStoreRef": {"kind": "ClusterSecretStore", "name": "nowhere"},
                "data": [{"secretKey": "a", "remoteRef": {"key": "k"}}]}}))
            TypedResource(s, HorizontalPodAutoscaler.from_manifest({"metadata": {"name": "h"}, "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "missing"}, "maxReplicas": 3}}))
        with pytest.raises(SynthError) as info:
            synth_chart(build)
        text = str(info.value)
        assert "3 problems" in text
        assert "ClusterSecretStore 'nowhere'" in text and "Deployment 'missing'" in text and "Service 'ghost'" in text


class TestUniqueObjects:
    def test_same_object_from_two_apps(self, tmp_path) -> None:  # noqa: ANN001
        """Two apps of one environment emitting the same object are refused, naming both apps."""
        from cdk8s_gitops.cli import main

        (tmp_path / "apps").mkdir()
        body = ("from cdk8s_gitops import ObjectMeta, TypedResource\nfrom cdk8s_gitops.kube import ConfigMap\n"
                "def build(scope, env):\n    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name='shared', namespace='common')))\n")
        for app in ("one", "two"):
            (tmp_path / "apps" / f"{app}.py").write_text(body)
        (tmp_path / "environments").mkdir()
        (tmp_path / "environments" / "dev.yaml").write_text(
            "name: dev\ngit:\n  repo_url: https://github.com/example/p.git\napps:\n  one: {}\n  two: {}\n")
        assert main(["-C", str(tmp_path), "synth"]) == 1

    def test_message(self, capsys) -> None:  # noqa: ANN001
        """The message names the object and both apps."""
        from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject
        from cdk8s_gitops.platform.checks import check_unique_objects

        index = ObjectIndex("dev")
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "shared", "namespace": "common"}}
        index.add(RenderedObject(doc, "one"))
        index.add(RenderedObject(doc, "two"))
        [problem] = list(check_unique_objects(index))
        assert "app 'two' emits the same ConfigMap in namespace 'common' as app 'one'" in str(problem)
