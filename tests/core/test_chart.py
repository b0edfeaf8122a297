"""GitOpsChart: finding objects of other cdk8s libraries without a jsii round trip per chart."""

from __future__ import annotations

import cdk8s
import cdk8s_plus_36 as kplus
import constructs
import pytest

from cdk8s_gitops import GitOpsChart, TypedResource
from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.synth import collect_chart


@pytest.fixture
def chart() -> GitOpsChart:
    return GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop", namespace="shop-dev")


class Group(constructs.Construct):
    """A construct of the user's own, written in Python."""


class TestForeignObjects:
    def test_typed_objects_in_plain_constructs_need_no_tree_walk(self, chart: GitOpsChart) -> None:
        """Typed resources inside Python constructs (and their materialized ApiObjects) are all Python knows of."""
        group = Group(chart, "group")
        res = TypedResource(group, ConfigMap.from_manifest({"metadata": {"name": "a"}}))
        res.api_object  # noqa: B018 - materialize: still a typed object
        assert not chart.may_hold_foreign_objects()
        assert [o.name for o in collect_chart(chart, "shop")] == ["a"]

    def test_plain_api_object_in_a_nested_construct_is_collected(self, chart: GitOpsChart) -> None:
        """A plain ApiObject, even deep inside a Python construct, makes synth walk the tree and collect it."""
        group = Group(Group(chart, "outer"), "inner")
        cdk8s.ApiObject(group, "raw", api_version="v1", kind="ConfigMap", metadata=cdk8s.ApiObjectMetadata(name="raw"))
        assert chart.may_hold_foreign_objects()
        assert [o.name for o in collect_chart(chart, "shop")] == ["raw"]

    def test_cdk8s_plus_objects_made_in_node_are_collected(self, chart: GitOpsChart) -> None:
        """cdk8s-plus creates its ApiObjects on the Node.js side: synth still finds them."""
        kplus.ConfigMap(chart, "plus", metadata=cdk8s.ApiObjectMetadata(name="plus"), data={"k": "v"})
        TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "typed"}}))
        assert chart.may_hold_foreign_objects()
        assert sorted(o.name for o in collect_chart(chart, "shop")) == ["plus", "typed"]

    def test_objects_of_an_earlier_chart_do_not_count(self) -> None:
        """Only what was created since the chart counts: a plain object in another chart does not."""
        app = cdk8s.App()
        other = cdk8s.Chart(app, "other")
        cdk8s.ApiObject(other, "raw", api_version="v1", kind="ConfigMap", metadata=cdk8s.ApiObjectMetadata(name="raw"))
        chart = GitOpsChart(app, "dev-shop", app_name="shop")
        TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "typed"}}))
        assert not chart.may_hold_foreign_objects()
