"""Argo CD wiring: dist/<env>/argocd-apps holds what makes Argo CD sync every app folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk8s_gitops.cli import main

APP = '''from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="cfg"), data={"a": "b"}))
'''

ENV = """name: dev
git:
  repo_url: https://github.com/example/platform.git
  revision: main
sync:
  automated: true
  prune: true
  self_heal: false
  sync_options: [CreateNamespace=true]
{extra}
apps:
  shop: {{}}
  cart:
    sync_wave: -1
"""


def project(tmp_path: Path, extra: str = "") -> Path:
    (tmp_path / "apps").mkdir()
    for name in ("shop", "cart"):
        (tmp_path / "apps" / f"{name}.py").write_text(APP)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(ENV.format(extra=extra))
    return tmp_path


def wiring(root: Path) -> dict[str, dict[str, Any]]:
    docs = yaml.safe_load_all((root / "dist/dev/argocd-apps/manifest.yaml").read_text())
    return {d["metadata"]["name"]: d for d in docs}


class TestAppOfApps:
    def test_root_and_children(self, tmp_path: Path) -> None:
        """A root Application syncs argocd-apps; a child per app points at dist/<env>/<app> with the sync policy."""
        root = project(tmp_path)
        assert main(["-C", str(root), "synth"]) == 0
        objs = wiring(root)
        assert sorted(objs) == ["cart-dev", "dev-root", "shop-dev"]
        assert objs["dev-root"]["spec"]["source"]["path"] == "dist/dev/argocd-apps"
        shop = objs["shop-dev"]["spec"]
        assert shop["source"] == {"repoURL": "https://github.com/example/platform.git", "path": "dist/dev/shop",
                                  "targetRevision": "main"}
        assert shop["destination"]["namespace"] == "shop-dev"
        assert shop["syncPolicy"] == {"automated": {"prune": True, "selfHeal": False}, "syncOptions": ["CreateNamespace=true"]}
        assert objs["cart-dev"]["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"

    def test_manual_sync(self, tmp_path: Path) -> None:
        """A manual environment gets no automated block."""
        root = project(tmp_path)
        env = root / "environments/dev.yaml"
        env.write_text(env.read_text().replace("automated: true", "automated: false"))
        assert main(["-C", str(root), "synth"]) == 0
        assert "automated" not in wiring(root)["shop-dev"]["spec"]["syncPolicy"]


class TestApplicationSet:
    def test_directory_generator(self, tmp_path: Path) -> None:
        """applicationset mode: one ApplicationSet walking dist/<env>/*, its own folder excluded."""
        root = project(tmp_path, "argocd:\n  mode: applicationset\n")
        env = root / "environments/dev.yaml"
        env.write_text(env.read_text().replace("    sync_wave: -1\n", "    {}\n").replace("  cart:\n    {}", "  cart: {}"))
        assert main(["-C", str(root), "synth"]) == 0
        objs = wiring(root)
        appset = objs["dev-apps"]["spec"]
        assert appset["generators"][0]["git"]["directories"] == [
            {"path": "dist/dev/*"}, {"path": "dist/dev/argocd-apps", "exclude": True}]
        assert appset["template"]["spec"]["destination"]["namespace"] == "{{.path.basename}}-dev"
        assert appset["goTemplateOptions"] == ["missingkey=error"]

    def test_overrides_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Per-app overrides a single template cannot express are refused with the fix."""
        root = project(tmp_path, "argocd:\n  mode: applicationset\n")
        assert main(["-C", str(root), "synth"]) == 2
        assert "argocd.mode" in capsys.readouterr().err


class TestApplicationPaths:
    def test_application_to_missing_folder_refused(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An Application in an app that points at a dist/ folder synth does not produce is refused."""
        root = project(tmp_path)
        (root / "apps" / "shop.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\n"
            "from cdk8s_gitops.argocd import Application, ApplicationSource, ApplicationSpec\n"
            "from cdk8s_gitops.models.argoproj_io_v1alpha1 import Destination\n"
            "def build(scope, env):\n"
            "    TypedResource(scope, Application(metadata=ObjectMeta(name='x', namespace='argocd'), spec=ApplicationSpec(\n"
            "        project='default', destination=Destination(server='https://kubernetes.default.svc', namespace='x'),\n"
            "        source=ApplicationSource(repo_url='https://github.com/example/platform.git', path='dist/dev/nope'))))\n")
        assert main(["-C", str(root), "synth"]) == 1
        err = capsys.readouterr().err
        assert "spec.source.path: 'dist/dev/nope' is not a folder synth produces" in err


class TestChildApplicationSettings:
    def test_canary_apps_ignore_route_weights(self, tmp_path: Path) -> None:
        """A canary app behind a gateway ignores route weights (Argo Rollouts moves them) and respects that on sync."""
        root = project(tmp_path, "gateway: {name: gw, domain: example.com}\n")
        env = root / "environments/dev.yaml"
        env.write_text(env.read_text().replace("  shop: {}", "  shop:\n    rollout: {strategy: canary}\n    application_name: storefront"))
        assert main(["-C", str(root), "synth"]) == 0
        objs = wiring(root)
        shop = objs["storefront"]["spec"]
        assert {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                "jqPathExpressions": [".spec.rules[].backendRefs[].weight"]} in shop["ignoreDifferences"]
        assert "RespectIgnoreDifferences=true" in shop["syncPolicy"]["syncOptions"]
        assert "ignoreDifferences" not in objs["cart-dev"]["spec"]

    def test_app_with_its_own_application_opts_out(self, tmp_path: Path) -> None:
        """argocd_application: false leaves the app's folder to an Application another app defines."""
        root = project(tmp_path)
        env = root / "environments/dev.yaml"
        env.write_text(env.read_text().replace("  shop: {}", "  shop:\n    argocd_application: false"))
        assert main(["-C", str(root), "synth"]) == 0
        assert sorted(wiring(root)) == ["cart-dev", "dev-root"]


class TestAppSelection:
    def test_app_selection_still_checks_against_the_whole_environment(self, tmp_path: Path) -> None:
        """synth --app X sees objects of the other apps (a route in X to a Service in Y passes) but writes only X."""
        root = project(tmp_path)
        assert main(["-C", str(root), "synth"]) == 0  # a partial run needs a complete dist/ to start from
        cart_before = (root / "dist/dev/cart/manifest.yaml").read_bytes()
        (root / "apps" / "cart.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\nfrom cdk8s_gitops.kube import Service, ServicePort, ServiceSpec\n"
            "def build(scope, env):\n"
            "    TypedResource(scope, Service(metadata=ObjectMeta(name='cart', namespace='shop-dev'),"
            " spec=ServiceSpec(selector={'a': 'b'}, ports=[ServicePort(port=80)])))\n")
        (root / "apps" / "shop.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\n"
            "from cdk8s_gitops.gateway import HTTPBackendRef, HTTPRoute, HTTPRouteRule, HTTPRouteSpec, ParentReference\n"
            "def build(scope, env):\n"
            "    TypedResource(scope, HTTPRoute(metadata=ObjectMeta(name='r'), spec=HTTPRouteSpec(parent_refs=[ParentReference(name='gw')],"
            " rules=[HTTPRouteRule(backend_refs=[HTTPBackendRef(name='cart', port=80)])])))\n")
        assert main(["-C", str(root), "synth", "--app", "shop"]) == 0
        assert "kind: HTTPRoute" in (root / "dist/dev/shop/manifest.yaml").read_text()
        assert (root / "dist/dev/cart/manifest.yaml").read_bytes() == cart_before  # not rewritten: not selected
