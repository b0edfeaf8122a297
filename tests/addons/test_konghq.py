"""Kong plugins: KongPlugin, KongClusterPlugin, and the konghq.com/plugins annotation helper."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import refused, schema_errors, upstream_documents

from cdk8s_gitops import GitOpsChart, ObjectMeta, TypedResource, from_manifest
from cdk8s_gitops.addons import PLUGINS_ANNOTATION, KongClusterPlugin, KongPlugin, attach_kong_plugins, kong_plugin_names
from cdk8s_gitops.gateway import HTTPRoute
from cdk8s_gitops.synth import collect_chart

V1 = "configuration.konghq.com/v1"
KONG_KINDS = {"KongPlugin": KongPlugin, "KongClusterPlugin": KongClusterPlugin}
EXPECTED_COUNTS = {"KongPlugin": 5}


def plugin(**fields: Any) -> KongPlugin:
    return KongPlugin.from_manifest({"metadata": {"name": "rate-limit", "namespace": "shop"}, "plugin": fields.pop("plugin", "rate-limiting"), **fields})


def cluster_plugin(**fields: Any) -> KongClusterPlugin:
    return KongClusterPlugin.from_manifest({"metadata": {"name": "global-cors"}, "plugin": fields.pop("plugin", "cors"), **fields})


class TestKongPlugin:
    def test_round_trip_of_every_field(self) -> None:
        """Top-level plugin fields (no spec), including the snake_case instance_name and run_on, round-trip."""
        doc = {"apiVersion": V1, "kind": "KongPlugin", "metadata": {"name": "rate-limit", "namespace": "shop"},
               "plugin": "rate-limiting", "config": {"minute": 60, "policy": "local", "limit_by": "consumer"},
               "disabled": False, "instance_name": "shop-rate-limit", "protocols": ["http", "https"],
               "ordering": {"before": {"access": ["key-auth"]}}, "run_on": "first"}
        loaded = KongPlugin.from_manifest(doc)
        assert loaded.to_manifest() == doc
        assert loaded.instance_name == "shop-rate-limit"

    def test_config_from_secret_round_trip(self) -> None:
        """configFrom and configPatches read settings from Secrets."""
        for extra in ({"configFrom": {"secretKeyRef": {"name": "s", "key": "config"}}},
                      {"config": {"a": 1}, "configPatches": [{"path": "/password",
                                                               "valueFrom": {"secretKeyRef": {"name": "s", "key": "pw"}}}]}):
            doc = {"apiVersion": V1, "kind": "KongPlugin", "metadata": {"name": "p"}, "plugin": "ldap-auth", **extra}
            assert KongPlugin.from_manifest(doc).to_manifest() == doc

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches KongPlugin and KongClusterPlugin documents to these models."""
        assert type(from_manifest({"apiVersion": V1, "kind": "KongPlugin", "metadata": {"name": "p"}, "plugin": "acl"})) is KongPlugin
        assert type(from_manifest({"apiVersion": V1, "kind": "KongClusterPlugin", "metadata": {"name": "p"},
                                   "plugin": "acl"})) is KongClusterPlugin

    def test_plugin_required(self) -> None:
        """plugin is required."""
        refused(lambda: KongPlugin.from_manifest({"metadata": {"name": "p"}}), "KongPlugin 'p'", "plugin", "required")

    def test_plugin_name_pattern(self) -> None:
        """A plugin name has no spaces or dots."""
        refused(lambda: plugin(plugin="rate limiting"), "KongPlugin 'rate-limit'", "plugin", "'rate limiting'")

    def test_config_and_config_from_exclusive(self) -> None:
        """config and configFrom are not used together."""
        refused(lambda: plugin(config={"minute": 1}, configFrom={"secretKeyRef": {"name": "s", "key": "k"}}),
                "KongPlugin 'rate-limit'", "configFrom", "config")

    def test_config_from_and_patches_exclusive(self) -> None:
        """configFrom and configPatches are not used together."""
        refused(lambda: plugin(configFrom={"secretKeyRef": {"name": "s", "key": "k"}},
                               configPatches=[{"path": "/a", "valueFrom": {"secretKeyRef": {"name": "s", "key": "a"}}}]),
                "KongPlugin 'rate-limit'", "configPatches", "configFrom")

    def test_patch_path_is_a_json_pointer(self) -> None:
        """configPatches[].path starts with '/'."""
        refused(lambda: plugin(configPatches=[{"path": "password", "valueFrom": {"secretKeyRef": {"name": "s", "key": "a"}}}]),
                "KongPlugin 'rate-limit'", "configPatches[0].path", "'password'")

    def test_protocols_enum(self) -> None:
        """protocols are http, https, grpc, grpcs, tcp, tls or udp."""
        refused(lambda: plugin(protocols=["http", "ws"]), "KongPlugin 'rate-limit'", "protocols[1]", "'ws'")

    def test_protocols_unique(self) -> None:
        """Each protocol is listed once."""
        refused(lambda: plugin(protocols=["http", "http"]), "KongPlugin 'rate-limit'", "protocols", "'http'")

    def test_run_on_enum(self) -> None:
        """run_on is first, second or all."""
        refused(lambda: plugin(run_on="last"), "KongPlugin 'rate-limit'", "run_on", "'last'")

    def test_config_is_kept_as_given(self) -> None:
        """config is plugin-specific: any mapping is kept unchanged."""
        config = {"nested": {"list": [1, "a", None, 2.5]}, "flag": True}
        assert plugin(config=config).to_manifest()["config"] == config


class TestKongClusterPlugin:
    def test_cluster_scoped(self) -> None:
        """KongClusterPlugin is cluster-scoped: a chart gives it no namespace."""
        chart = GitOpsChart(cdk8s.App(), "prod-edge", app_name="edge", namespace="edge")
        TypedResource(chart, cluster_plugin(config={"origins": ["*"]}))
        (obj,) = collect_chart(chart, "edge")
        assert "namespace" not in obj.manifest["metadata"]

    def test_config_from_needs_namespace(self) -> None:
        """A cluster plugin's Secret reference names the Secret's namespace."""
        refused(lambda: cluster_plugin(configFrom={"secretKeyRef": {"name": "s", "key": "k"}}),
                "KongClusterPlugin 'global-cors'", "configFrom.secretKeyRef.namespace", "required")

    def test_round_trip(self) -> None:
        """A cluster plugin with a namespaced configFrom round-trips."""
        doc = {"apiVersion": V1, "kind": "KongClusterPlugin", "metadata": {"name": "auth"}, "plugin": "openid-connect",
               "configFrom": {"secretKeyRef": {"namespace": "kong", "name": "oidc", "key": "config"}}}
        assert KongClusterPlugin.from_manifest(doc).to_manifest() == doc


class TestAttachKongPlugins:
    def test_annotations_dict(self) -> None:
        """Given an annotations dict, returns a new one with the annotation; the input is unchanged."""
        annotations = {"konghq.com/strip-path": "true"}
        out = attach_kong_plugins(annotations, "key-auth", "acl")
        assert out == {"konghq.com/strip-path": "true", PLUGINS_ANNOTATION: "key-auth,acl"}
        assert annotations == {"konghq.com/strip-path": "true"}

    def test_metadata_dict(self) -> None:
        """Given a metadata dict (a manifest handled as data), returns a new dict with the annotation."""
        out = attach_kong_plugins({"name": "checkout"}, "key-auth")
        assert out == {"name": "checkout", "annotations": {PLUGINS_ANNOTATION: "key-auth"}}

    def test_existing_plugins_kept_once(self) -> None:
        """Plugins already listed keep their order and are not repeated."""
        out = attach_kong_plugins({PLUGINS_ANNOTATION: "a, b"}, "b", "c")
        assert out[PLUGINS_ANNOTATION] == "a,b,c"

    def test_typed_object(self) -> None:
        """Given a typed route, returns an annotated copy; the route is unchanged and still round-trips."""
        route = HTTPRoute.from_manifest({"metadata": {"name": "checkout", "namespace": "shop"}, "spec": {"parentRefs": [{"name": "kong"}]}})
        annotated = attach_kong_plugins(route, plugin())
        assert isinstance(annotated, HTTPRoute)
        assert annotated.metadata.annotations == {PLUGINS_ANNOTATION: "rate-limit"}
        assert route.metadata.annotations is None
        assert kong_plugin_names(annotated) == ["rate-limit"]
        assert HTTPRoute.from_manifest(annotated.to_manifest()) == annotated

    def test_object_meta(self) -> None:
        """Given ObjectMeta, returns an annotated copy."""
        meta = attach_kong_plugins(ObjectMeta(name="svc", namespace="shop"), cluster_plugin())
        assert meta.annotations == {PLUGINS_ANNOTATION: "global-cors"}

    def test_plugin_from_another_namespace(self) -> None:
        """A KongPlugin in another namespace is written '<namespace>:<name>'."""
        out = attach_kong_plugins({"name": "svc", "namespace": "web"}, plugin())
        assert out["annotations"][PLUGINS_ANNOTATION] == "shop:rate-limit"

    def test_invalid_reference_refused(self) -> None:
        """A reference that is not a name (or namespace:name) is refused with the annotation path."""
        refused(lambda: attach_kong_plugins({}, "Rate Limit"), "attach_kong_plugins",
                f"metadata.annotations.{PLUGINS_ANNOTATION}", "'Rate Limit'")

    def test_no_plugins_refused(self) -> None:
        """Calling without plugins is a mistake."""
        with pytest.raises(ValueError, match="no plugins given"):
            attach_kong_plugins({})

    def test_names_read_back(self) -> None:
        """kong_plugin_names reads the annotation from a manifest's metadata."""
        assert kong_plugin_names({"name": "x", "annotations": {PLUGINS_ANNOTATION: "a,ns:b"}}) == ["a", "ns:b"]
        assert kong_plugin_names({"name": "x"}) == []


class TestUpstreamKongExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every KongPlugin/KongClusterPlugin in upstream-examples/kong round-trips and validates against the schema."""
        counts: dict[str, int] = {}
        for example in upstream_documents("kong", kinds=KONG_KINDS):
            doc, path = example.doc, example.path
            model = from_manifest(doc)
            assert isinstance(model, KONG_KINDS[doc["kind"]])
            assert model.to_manifest() == doc, path.name
            assert not schema_errors(model.to_manifest()), path.name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\nkong round trip: {counts}")
        assert counts == EXPECTED_COUNTS

    def test_built_objects_validate(self) -> None:
        """KongPlugin, KongClusterPlugin and an annotated HTTPRoute synthesized by a chart validate."""
        chart = GitOpsChart(cdk8s.App(), "prod-shop", app_name="shop", namespace="shop")
        limit = plugin(config={"minute": 60, "policy": "local"}, protocols=["http", "https"], instance_name="shop-rl",
                       ordering={"before": {"access": ["key-auth"]}})
        TypedResource(chart, limit)
        TypedResource(chart, KongPlugin.from_manifest({"metadata": {"name": "ldap"}, "plugin": "ldap-auth", "config": {"ldap_host": "ldap"},
                                              "configPatches": [{"path": "/bind_dn", "valueFrom": {"secretKeyRef": {"name": "ldap", "key": "dn"}}}]}))
        TypedResource(chart, cluster_plugin(configFrom={"secretKeyRef": {"namespace": "kong", "name": "cors", "key": "config"}}))
        TypedResource(chart, HTTPRoute.from_manifest({"metadata": attach_kong_plugins({"name": "checkout"}, limit, "global-cors"),
                                             "spec": {"parentRefs": [{"name": "kong"}],
                                                   "rules": [{"backendRefs": [{"name": "checkout", "port": 80}]}]}}))
        objects = collect_chart(chart, "shop")
        assert len(objects) == 4
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.kind
        route = next(o for o in objects if o.kind == "HTTPRoute")
        assert route.manifest["metadata"]["annotations"][PLUGINS_ANNOTATION] == "rate-limit,global-cors"
