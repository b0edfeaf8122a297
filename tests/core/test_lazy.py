"""Deferred constructs: a LazyApp's tree reaches Node.js only when something needs it, and is then
the tree an eager cdk8s would have built."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import cdk8s
import pytest
import yaml

from cdk8s_gitops import GitOpsChart, TypedResource
from cdk8s_gitops.core.lazy import LazyApp, LazyConstruct, construct_path, is_deferred
from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.synth import collect_chart


def _config_map(name: str) -> ConfigMap:
    return ConfigMap.from_manifest({"metadata": {"name": name}, "data": {"k": name}})


def _tree() -> tuple[LazyApp, GitOpsChart, LazyConstruct, GitOpsChart]:
    app = LazyApp()
    first = GitOpsChart(app, "dev-shop", app_name="shop", namespace="shop-dev")
    group = LazyConstruct(first, "api")
    TypedResource(group, _config_map("a"))
    TypedResource(first, _config_map("b"))
    second = GitOpsChart(app, "dev-cart", app_name="cart", namespace="cart-dev")
    TypedResource(second, _config_map("c"))
    return app, first, group, second


class TestDeferred:
    def test_typed_objects_need_no_node_object(self) -> None:
        """Charts and library constructs in a LazyApp stay in Python; synth reads their objects anyway."""
        app, first, group, second = _tree()
        assert all(is_deferred(c) for c in (app, first, group, second))
        assert [o.name for o in collect_chart(first, "shop")] == ["a", "b"]
        assert [o.name for o in collect_chart(second, "cart")] == ["c"]
        assert is_deferred(first), "collecting typed objects must not create the tree"
        assert not first.may_hold_foreign_objects()

    def test_paths_known_in_python_match_the_node_tree(self) -> None:
        app, first, group, _second = _tree()
        typed = first.typed_resources[0]
        shown = {"chart": construct_path(first), "group": construct_path(group), "object": typed.construct_path()}
        assert shown == {"chart": "dev-shop", "group": "dev-shop/api", "object": "dev-shop/api/ConfigMap-shop-dev-a"}
        assert str(group.node.path) == "dev-shop/api"  # going live
        assert not is_deferred(first) and not is_deferred(app)
        assert str(typed.node.path) == shown["object"]

    def test_going_live_creates_the_whole_tree_in_creation_order(self) -> None:
        """Touching one construct creates every deferred one, parents first, siblings in the order they were made."""
        app, first, group, second = _tree()
        second.node  # noqa: B018 - a jsii property: the tree goes live
        assert not any(is_deferred(c) for c in (app, first, group, second))
        assert [c.node.id for c in app.node.children] == ["dev-shop", "dev-cart"]
        assert [c.node.id for c in first.node.children] == ["api"]
        # constructs made after that are created at once
        late = LazyConstruct(second, "late")
        assert not is_deferred(late)
        assert [c.node.id for c in second.node.children] == ["late"]

    def test_app_synth_works_on_a_deferred_tree(self) -> None:
        """cdk8s' own synth creates the tree first and writes the typed manifests (through the charts' to_json)."""
        app, _first, _, _second = _tree()
        docs = list(yaml.safe_load_all(app.synth_yaml()))
        assert sorted(d["metadata"]["name"] for d in docs) == ["a", "b", "c"]
        assert [d["metadata"]["name"] for d in docs if d["metadata"]["namespace"] == "shop-dev"] == ["a", "b"]

    def test_foreign_construct_makes_the_tree_live_and_is_collected(self) -> None:
        """A plain cdk8s ApiObject (another library's object) in a deferred chart is created in Node.js and synthesized."""
        _app, first, _, _ = _tree()
        cdk8s.ApiObject(first, "raw", api_version="v1", kind="ConfigMap", metadata=cdk8s.ApiObjectMetadata(name="raw"))
        assert not is_deferred(first)
        assert first.may_hold_foreign_objects()
        assert sorted(o.name for o in collect_chart(first, "shop")) == ["a", "b", "raw"]

    def test_repeated_id_is_refused_while_deferred(self) -> None:
        """The error constructs gives for a repeated id, although nothing reached Node.js."""
        app = LazyApp()
        chart = GitOpsChart(app, "dev-shop", app_name="shop")
        LazyConstruct(chart, "api")
        with pytest.raises(RuntimeError, match="There is already a Construct with name 'api'"):
            LazyConstruct(chart, "api")
        with pytest.raises(RuntimeError, match="Only root constructs may have an empty ID"):
            LazyConstruct(chart, "")
        assert is_deferred(chart)

    def test_slash_in_id_becomes_double_dash_as_in_constructs(self) -> None:
        app = LazyApp()
        chart = GitOpsChart(app, "dev-shop", app_name="shop")
        group = LazyConstruct(chart, "a/b")
        assert construct_path(group) == "dev-shop/a--b"
        assert str(group.node.path) == "dev-shop/a--b"

    def test_outside_a_lazy_app_constructs_are_created_at_once(self) -> None:
        chart = GitOpsChart(cdk8s.App(), "dev-shop", app_name="shop")
        group = LazyConstruct(chart, "api")
        assert not is_deferred(chart) and not is_deferred(group)
        assert str(group.node.path) == "dev-shop/api"


def test_synth_of_typed_objects_never_starts_node(tmp_path: object) -> None:
    """In a fresh process, importing cdk8s and synthesizing typed objects leaves Node.js unstarted;
    the first real jsii call starts it, with every assembly loaded."""
    script = textwrap.dedent("""
        import cdk8s_gitops  # installs the deferral before cdk8s is imported
        import cdk8s
        from jsii._runtime import kernel
        from cdk8s_gitops._node import _DeferredLoads
        from cdk8s_gitops import GitOpsChart, TypedResource
        from cdk8s_gitops.core.lazy import LazyApp
        from cdk8s_gitops.kube import ConfigMap
        from cdk8s_gitops.synth import collect_chart

        chart = GitOpsChart(LazyApp(), "dev-a", app_name="a")
        TypedResource(chart, ConfigMap.from_manifest({"metadata": {"name": "x"}}))
        assert [o.name for o in collect_chart(chart, "a")] == ["x"]
        assert isinstance(kernel.provider, _DeferredLoads), "Node.js was started"
        assert [r.name for r in kernel.provider.loads][:2] == ["constructs", "cdk8s"]
        assert cdk8s.App().synth_yaml() == ""  # the first jsii call: Node.js starts and loads them
        assert not isinstance(kernel.provider, _DeferredLoads)
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_eager_node_switch_starts_node_at_import() -> None:
    """CDK8S_GITOPS_EAGER_NODE=1: the assemblies load (and Node.js starts) when cdk8s is imported, as plain cdk8s."""
    import os

    script = "import cdk8s_gitops, cdk8s\nfrom jsii._runtime import kernel\nprint(type(kernel.provider).__name__)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "CDK8S_GITOPS_EAGER_NODE": "1"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ProcessProvider"
