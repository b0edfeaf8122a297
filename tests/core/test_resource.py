"""TypedResource: one typed model, exactly one ApiObject, stable names, labels and the escape hatch."""

from __future__ import annotations

import cdk8s
import pytest
import yaml

from cdk8s_gitops import GitOpsChart, ManifestError, TypedResource
from cdk8s_gitops.kube import ConfigMap, Namespace
from cdk8s_gitops.synth import collect_chart


@pytest.fixture
def chart() -> GitOpsChart:
    return GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop", namespace="shop-dev")


class TestTypedResource:
    def test_exactly_one_api_object_with_explicit_name(self, chart: GitOpsChart) -> None:
        """The ApiObject is created on first use, exactly once, with the explicit name (no hash suffix)."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "settings"}}), id="whatever-id")
        assert not res.materialized  # synth never needs it: no jsii call per object
        assert res.api_object is res.api_object
        api_objects = [c for c in chart.node.find_all() if isinstance(c, cdk8s.ApiObject)]
        assert len(api_objects) == 1
        assert api_objects[0].name == "settings"
        assert res.node.path == "dev-shop/whatever-id"

    def test_materialized_object_is_not_synthesized_twice(self, chart: GitOpsChart) -> None:
        """Once the ApiObject exists, synth still emits the object once."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}))
        res.api_object  # noqa: B018
        assert [o.name for o in collect_chart(chart, "shop")] == ["c"]
        assert len(list(yaml.safe_load_all(cdk8s.App.of(chart).synth_yaml()))) == 1

    def test_plain_cdk8s_chart(self) -> None:
        """In a plain cdk8s Chart the ApiObject exists at once and cdk8s synthesizes the typed manifest."""
        app = cdk8s.App()
        plain = cdk8s.Chart(app, "plain", disable_resource_name_hashes=True)
        res = TypedResource(plain, ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "1"}}))
        assert res.materialized
        assert yaml.safe_load(app.synth_yaml()) == res.to_manifest()

    def test_chart_labels_and_namespace(self, chart: GitOpsChart) -> None:
        """Standard app.kubernetes.io labels and the chart's namespace are added; the object's own labels win."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c", "labels": {"app.kubernetes.io/part-of": "mine"}}}))
        meta = res.to_manifest()["metadata"]
        assert meta["namespace"] == "shop-dev"
        assert meta["labels"]["app.kubernetes.io/managed-by"] == "cdk8s-gitops"
        assert meta["labels"]["app.kubernetes.io/part-of"] == "mine"

    def test_cluster_scoped_kinds_get_no_namespace(self, chart: GitOpsChart) -> None:
        """A Namespace (cluster-scoped) never receives the chart's namespace."""
        res = TypedResource(chart, Namespace.from_manifest({"metadata": {"name": "shop-dev"}}))
        assert "namespace" not in res.to_manifest()["metadata"]

    def test_sync_wave(self, chart: GitOpsChart) -> None:
        """sync_wave becomes the argocd.argoproj.io/sync-wave annotation, as a string."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}), sync_wave=-1)
        assert res.to_manifest()["metadata"]["annotations"] == {"argocd.argoproj.io/sync-wave": "-1"}

    def test_sync_wave_must_be_integer(self, chart: GitOpsChart) -> None:
        """A non-integer sync wave is refused with the fix."""
        with pytest.raises(ManifestError, match="sync wave must be an integer, got '1'"):
            TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}), sync_wave="1")  # type: ignore[arg-type]

    def test_name_is_required(self, chart: GitOpsChart) -> None:
        """An object without metadata.name is refused: dist/ never holds generated names."""
        with pytest.raises(ManifestError, match=r"metadata.name: is not set"):
            TypedResource(chart, ConfigMap.from_manifest({"data": {"a": "b"}}))

    def test_duplicate_identity_refused(self, chart: GitOpsChart) -> None:
        """Two objects of the same kind, namespace and name are refused before jsii sees them."""
        TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}))
        with pytest.raises(ManifestError, match="a ConfigMap named 'c' in namespace 'shop-dev' already exists"):
            TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}))

    def test_cdk8s_synth_gives_the_same_manifest(self, chart: GitOpsChart) -> None:
        """cdk8s's own synth (App.synth_yaml, used by `cdk8s synth`) emits what to_manifest returns."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "1"}}))
        app = cdk8s.App.of(chart)
        assert yaml.safe_load(app.synth_yaml()) == res.to_manifest()


class TestEscapeHatch:
    def test_add_override(self, chart: GitOpsChart) -> None:
        """add_override sets a field the model lacks; None deletes a key."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "1", "b": "2"}}))
        res.add_override("spec.x.y", 3)
        res.add_override("data.b", None)
        manifest = res.to_manifest()
        assert manifest["spec"] == {"x": {"y": 3}}
        assert manifest["data"] == {"a": "1"}

    def test_add_patch(self, chart: GitOpsChart) -> None:
        """RFC 6902 operations are applied at synth."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "1"}}))
        res.add_patch({"op": "replace", "path": "/data/a", "value": "2"})
        assert res.to_manifest()["data"] == {"a": "2"}

    def test_bad_patch_is_a_manifest_error(self, chart: GitOpsChart) -> None:
        """A patch that does not apply names the object."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}}))
        res.add_patch({"op": "remove", "path": "/data/missing"})
        with pytest.raises(ManifestError, match=r"ConfigMap 'c': \(patch\)"):
            res.to_manifest()

    def test_cdk8s_json_patch(self, chart: GitOpsChart) -> None:
        """cdk8s JsonPatch objects keep working through add_json_patch."""
        res = TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "c"}, "data": {"a": "1"}}))
        res.add_json_patch(cdk8s.JsonPatch.add("/data/b", "2"))
        assert res.to_manifest()["data"] == {"a": "1", "b": "2"}


class TestForeignObjects:
    def test_plain_api_objects_are_collected(self, chart: GitOpsChart) -> None:
        """Objects from other cdk8s libraries in the chart are synthesized too, with the chart's labels."""
        cdk8s.ApiObject(chart, "raw", api_version="v1", kind="ConfigMap", metadata=cdk8s.ApiObjectMetadata(name="raw"))
        TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "typed"}}))
        objects = collect_chart(chart, "shop")
        names = sorted(o.name for o in objects)
        assert names == ["raw", "typed"]
        raw = next(o for o in objects if o.name == "raw")
        assert raw.manifest["metadata"]["namespace"] == "shop-dev"
        assert raw.manifest["metadata"]["labels"]["app.kubernetes.io/part-of"] == "shop"


class TestDefaultSyncWaves:
    def test_namespaces_and_stores_first(self) -> None:
        """Objects without a wave get their kind's default: namespaces -3, stores -2, secrets -1, others none."""
        from cdk8s_gitops.testing import synth_chart

        def build(scope, env):  # noqa: ANN001, ANN202
            TypedResource(scope, Namespace.from_manifest({"metadata": {"name": "shop"}}))
            TypedResource(scope, ConfigMap.from_manifest({"metadata": {"name": "c"}}))
            TypedResource(scope, Namespace.from_manifest({"metadata": {"name": "explicit"}}), sync_wave=5)
            cdk8s.ApiObject(scope, "es", api_version="external-secrets.io/v1", kind="ClusterSecretStore",
                            metadata=cdk8s.ApiObjectMetadata(name="store"))

        waves = {m["metadata"]["name"]: (m["metadata"].get("annotations") or {}).get("argocd.argoproj.io/sync-wave")
                 for m in synth_chart(build)}
        assert waves == {"shop": "-3", "c": None, "explicit": "5", "store": "-2"}
