"""Diagrams and tables in the dist/ READMEs: content, escaping, determinism, and Mermaid validity.

Every Mermaid block (from the examples here and from a synth of the reference platforms) is
parsed by Mermaid itself (see ``tests/mermaid_check.py``).
"""

from __future__ import annotations

import copy
import os
import random
import re
import subprocess
import sys
from typing import Any

import pytest
from helpers import REPO
from mermaid_check import parser

from cdk8s_gitops.synth import Project, render_files, synthesize
from cdk8s_gitops.synth.diagrams import (
    Flowchart,
    argocd_section,
    escape_label,
    inventory_section,
    mermaid_blocks,
    observability_section,
    secrets_section,
    traffic_section,
)

NS = "shop-prod"


def obj(api: str, kind: str, name: str, namespace: str | None = NS, **body: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta.update(body.pop("metadata", {}))
    return {"apiVersion": api, "kind": kind, "metadata": meta, **body}


def pod(image: str, labels: dict[str, str], **extra: Any) -> dict[str, Any]:
    container = {"name": "app", "image": image,
                 "resources": {"requests": {"cpu": "250m", "memory": "256Mi"}, "limits": {"memory": "512Mi"}}, **extra}
    return {"metadata": {"labels": labels}, "spec": {"containers": [container]}}


LABELS = {"app.kubernetes.io/name": "web"}


def canary_app() -> list[dict[str, Any]]:
    return [
        obj("gateway.networking.k8s.io/v1", "Gateway", "edge", spec={
            "gatewayClassName": "kong",
            "listeners": [{"name": "https", "protocol": "HTTPS", "port": 443, "hostname": "*.example.com",
                           "tls": {"certificateRefs": [{"name": "wildcard"}]},
                           "allowedRoutes": {"namespaces": {"from": "All"}}},
                          {"name": "http", "protocol": "HTTP", "port": 80}]}),
        obj("gateway.networking.k8s.io/v1", "HTTPRoute", "web", spec={
            "parentRefs": [{"name": "edge", "sectionName": "https"}],
            "hostnames": ["shop.example.com"],
            "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                       "backendRefs": [{"name": "web-stable", "port": 80, "weight": 90},
                                       {"name": "web-canary", "port": 80, "weight": 10}]}]}),
        obj("gateway.networking.k8s.io/v1", "GRPCRoute", "api", spec={
            "parentRefs": [{"name": "shared", "namespace": "gateway"}],
            "hostnames": ["grpc.example.com"],
            "rules": [{"matches": [{"method": {"service": "shop.v1.Cart", "method": "Add"}}],
                       "backendRefs": [{"name": "web-stable", "port": 9000}]}]}),
        obj("v1", "Service", "web-stable", spec={"selector": LABELS, "ports": [{"port": 80}]}),
        obj("v1", "Service", "web-canary", spec={"selector": LABELS, "ports": [{"port": 80}]}),
        obj("argoproj.io/v1alpha1", "Rollout", "web", spec={
            "replicas": 2, "selector": {"matchLabels": LABELS}, "template": pod("ghcr.io/acme/web:v1.2.3", LABELS),
            "strategy": {"canary": {
                "stableService": "web-stable", "canaryService": "web-canary",
                "trafficRouting": {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": "web"}}},
                "steps": [{"setWeight": 20}, {"pause": {"duration": "5m"}}, {"analysis": {"templates": [{"templateName": "success-rate"}]}},
                          {"setWeight": 50}, {"pause": {}}, {"setCanaryScale": {"replicas": 3}}]}}}),
        obj("autoscaling/v2", "HorizontalPodAutoscaler", "web", spec={
            "scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": "web"},
            "minReplicas": 3, "maxReplicas": 10}),
    ]


def blue_green_app() -> list[dict[str, Any]]:
    return [
        obj("v1", "Service", "api", spec={"selector": {"app": "api"}, "ports": [{"port": 8080}]}),
        obj("v1", "Service", "api-preview", spec={"selector": {"app": "api"}, "ports": [{"port": 8080}]}),
        obj("argoproj.io/v1alpha1", "Rollout", "api", spec={
            "template": pod("registry.local:5000/api@sha256:" + "a" * 64, {"app": "api"}),
            "strategy": {"blueGreen": {"activeService": "api", "previewService": "api-preview",
                                       "autoPromotionEnabled": False, "scaleDownDelaySeconds": 120,
                                       "prePromotionAnalysis": {"templates": [{"templateName": "smoke"}]}}}}),
        obj("networking.k8s.io/v1", "Ingress", "api", spec={
            "ingressClassName": "kong",
            "rules": [{"host": "api.example.com", "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "api", "port": {"number": 8080}}}}]}}]}),
    ]


def secrets_app() -> list[dict[str, Any]]:
    return [
        obj("external-secrets.io/v1", "SecretStore", "vault", spec={"provider": {"vault": {
            "server": "https://vault.example.com", "path": "kv", "version": "v2",
            "auth": {"tokenSecretRef": {"name": "vault-token", "key": "token"}}}}}),
        obj("external-secrets.io/v1", "ExternalSecret", "db", spec={
            "refreshInterval": "1h", "secretStoreRef": {"name": "vault", "kind": "SecretStore"},
            "target": {"name": "db-credentials"},
            "data": [{"secretKey": "PASSWORD", "remoteRef": {"key": "shop/db", "property": "password"}},
                     {"secretKey": "USER", "remoteRef": {"key": "shop/db", "property": "user"}}]}),
        obj("external-secrets.io/v1", "ExternalSecret", "tls", metadata={"annotations": {"gitops.cdk8s.io/external": "yes"}},
            spec={"secretStoreRef": {"name": "platform", "kind": "ClusterSecretStore"},
                  "target": {"template": {"data": {"tls.crt": "{{ .cert }}", "tls.key": "{{ .key }}"}}},
                  "dataFrom": [{"extract": {"key": "shop/tls"}}]}),
        obj("apps/v1", "Deployment", "worker", spec={"template": pod("ghcr.io/acme/worker:2.0", {"app": "worker"}, envFrom=[
            {"secretRef": {"name": "db-credentials"}}])}),
    ]


COLLECTOR_CONFIG = {
    "receivers": {"otlp": {"protocols": {"grpc": {}}}, "prometheus": {}},
    "processors": {"batch": {}, "memory_limiter": {"limit_mib": 400}},
    "connectors": {"spanmetrics": {}},
    "exporters": {"otlp/tempo": {"endpoint": "tempo:4317"}, "prometheusremotewrite": {"endpoint": "http://mimir"}},
    "service": {"pipelines": {
        "traces": {"receivers": ["otlp"], "processors": ["memory_limiter", "batch"], "exporters": ["otlp/tempo", "spanmetrics"]},
        "metrics": {"receivers": ["otlp", "prometheus", "spanmetrics"], "exporters": ["prometheusremotewrite"]}}},
}


def observability_app() -> list[dict[str, Any]]:
    import yaml

    return [
        obj("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "gateway", spec={"mode": "deployment", "config": COLLECTOR_CONFIG}),
        obj("v1", "ConfigMap", "agent-config", data={"config.yaml": yaml.safe_dump(COLLECTOR_CONFIG), "other": "x"}),
        obj("v1", "Service", "web", metadata={"labels": {"app": "web"}}, spec={"selector": {"app": "web"}}),
        obj("monitoring.coreos.com/v1", "ServiceMonitor", "web", spec={
            "selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": "http", "path": "/metrics", "interval": "15s"}]}),
        obj("monitoring.coreos.com/v1", "PrometheusRule", "web", spec={"groups": [{"name": "web.rules", "rules": [
            {"record": "job:errors:rate5m", "expr": "sum(rate(errors[5m]))"},
            {"alert": "HighErrorRate", "expr": "job:errors:rate5m > 0.05", "for": "10m",
             "labels": {"severity": "critical"}, "annotations": {"summary": "Errors | above 5%"}}]}]}),
    ]


def argocd_folders(mode: str = "app-of-apps") -> dict[str, list[dict[str, Any]]]:
    repo = "https://github.com/acme/platform.git"
    src = lambda path: {"repoURL": repo, "targetRevision": "main", "path": path}  # noqa: E731
    apps = {"dist/prod/shop": [obj("v1", "ConfigMap", "x")],
            "dist/prod/addons": [obj("argoproj.io/v1alpha1", "Application", "argo-rollouts", "argocd",
                                     metadata={"annotations": {"argocd.argoproj.io/sync-wave": "-10"}},
                                     spec={"project": "platform", "source": {"repoURL": "https://argoproj.github.io/argo-helm",
                                                                             "chart": "argo-rollouts", "targetRevision": "2.40.1"},
                                           "destination": {"server": "https://kubernetes.default.svc", "namespace": "argo-rollouts"},
                                           "syncPolicy": {"automated": {"prune": True, "selfHeal": True},
                                                          "syncOptions": ["ServerSideApply=true"]}})]}
    if mode == "app-of-apps":
        wiring = [obj("argoproj.io/v1alpha1", "Application", "prod-root", "argocd", spec={
            "project": "default", "source": src("dist/prod/argocd-apps"),
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "argocd"}})]
        wiring += [obj("argoproj.io/v1alpha1", "Application", f"{a}-prod", "argocd", spec={
            "project": "default", "source": src(f"dist/prod/{a}"),
            "destination": {"server": "https://kubernetes.default.svc", "namespace": f"{a}-prod"},
            "syncPolicy": {"automated": {"prune": False}}}) for a in ("shop", "addons")]
    else:
        wiring = [obj("argoproj.io/v1alpha1", "ApplicationSet", "prod-apps", "argocd", spec={
            "goTemplate": True,
            "generators": [{"git": {"repoURL": repo, "revision": "main", "directories": [
                {"path": "dist/prod/*"}, {"path": "dist/prod/argocd-apps", "exclude": True}]}}],
            "template": {"metadata": {"name": "{{.path.basename}}-prod"},
                         "spec": {"project": "default", "source": {"repoURL": repo, "targetRevision": "main", "path": "{{.path.path}}"},
                                  "destination": {"server": "https://kubernetes.default.svc", "namespace": "{{.path.basename}}-prod"},
                                  "syncPolicy": {"automated": {"prune": True, "selfHeal": True}}}}})]
    return {"dist/prod/argocd-apps": wiring, **apps}


# Labels with every character that means something to Mermaid, Markdown or HTML.
NASTY = 'a"b#c<script>alert(1)</script>&d`e|f[g]{h}(i)\nj end;-->o x'


def nasty_app() -> list[dict[str, Any]]:
    return [
        obj("gateway.networking.k8s.io/v1", "HTTPRoute", "end", spec={
            "parentRefs": [{"name": "o"}], "hostnames": [NASTY],
            "rules": [{"backendRefs": [{"name": "x", "port": 1}]}]}),
        obj("v1", "Service", "x", spec={"selector": {"a": "b"}}),
        obj("apps/v1", "Deployment", "graph", spec={"template": pod("img:1", {"a": "b"})}),
        obj("opentelemetry.io/v1beta1", "OpenTelemetryCollector", "subgraph", spec={"config": {
            "receivers": {NASTY: {}}, "exporters": {"debug": {}},
            "service": {"pipelines": {"traces/x": {"receivers": [NASTY], "exporters": ["debug"]},
                                      NASTY: {"receivers": [NASTY], "exporters": ["debug"]}}}}}),
    ]


EXAMPLES = {
    "traffic canary": traffic_section(canary_app()),
    "traffic blue-green": traffic_section(blue_green_app()),
    "secrets": secrets_section(secrets_app()),
    "observability": observability_section(observability_app()),
    "argocd app-of-apps": argocd_section(argocd_folders("app-of-apps"), "https://github.com/acme/platform.git"),
    "argocd applicationset": argocd_section(argocd_folders("applicationset"), "https://github.com/acme/platform.git"),
    "traffic nasty": traffic_section(nasty_app()),
    "observability nasty": observability_section(nasty_app()),
}


@pytest.fixture(scope="module")
def reference_files() -> dict[str, bytes]:
    """Every file a synth of the reference platforms (apps/ and environments/) produces."""
    project = Project(root=REPO)
    return render_files(synthesize(project), project)


@pytest.fixture(scope="module")
def mermaid():
    return parser()


class TestMermaidIsValid:
    def test_examples_parse(self, mermaid) -> None:
        """Every diagram drawn from the examples here (escaping included) is valid for Mermaid's own parser."""
        blocks = [(name, b) for name, text in EXAMPLES.items() for b in mermaid_blocks(text)]
        assert len(blocks) >= len(EXAMPLES)
        results = mermaid.parse([b for _, b in blocks])
        failed = [f"{name}: {r['error']}\n{b}" for (name, b), r in zip(blocks, results, strict=True) if not r["ok"]]
        assert failed == []
        assert {r["type"] for r in results} == {"flowchart-v2"}

    def test_reference_platform_readmes_parse(self, mermaid, reference_files: dict[str, bytes]) -> None:
        """The README of every environment and app of the reference platforms holds only valid Mermaid diagrams."""
        readmes = {p: d.decode() for p, d in reference_files.items() if p.endswith("README.md")}
        blocks = [(p, b) for p, text in sorted(readmes.items()) for b in mermaid_blocks(text)]
        environments = {p.split("/")[0] for p in readmes}
        assert all(any(p.startswith(f"{env}/") and p.count("/") == 1 for p, _ in blocks) for env in environments), \
            "every environment README has a diagram"
        assert mermaid.errors([b for _, b in blocks]) == []

    def test_invalid_mermaid_is_refused(self, mermaid) -> None:
        """The parser does reject broken diagrams (so a passing test means something)."""
        broken = ['flowchart LR\n    a["x"] --> b["y', 'flowchart LR\n    a["x"] --> b("y"]', "flowchart LR\n    a --> end",
                  'flowchart LR\n    subgraph s ["t"]\n    a']
        assert [r["ok"] for r in mermaid.parse(broken)] == [False, False, False, False]


class TestEscaping:
    def test_label_characters_become_entities(self) -> None:
        """Quotes, #, <, >, &, backtick and | become Mermaid entity codes; line breaks become spaces."""
        assert escape_label('a"b#<x>&`|\nz') == "a#quot;b#35;#lt;x#gt;#amp;#96;#124; z"

    def test_no_raw_html_reaches_a_label(self) -> None:
        """A hostname with HTML in it appears only escaped, in the diagram and in the tables."""
        text = EXAMPLES["traffic nasty"]
        assert "#lt;script#gt;" in mermaid_blocks(text)[0]
        assert "&lt;script&gt;" in text
        outside_code = [re.sub(r"(`+).+?\1", "", t) for t in (text, EXAMPLES["observability nasty"])]
        assert all("<script>" not in t for t in outside_code)  # inside a code span it is shown, not run

    def test_ids_are_safe_and_stable(self) -> None:
        """Node ids keep only letters, digits and _, never collide, and do not depend on the order of creation."""
        chart = Flowchart()
        a, b = chart.id("Service", "ns", "web-a"), chart.id("Service", "ns", "web.a")
        assert a == "n_Service_ns_web_a" and b.startswith("n_Service_ns_web_a_") and a != b
        assert chart.id("Service", "ns", "web-a") == a

    def test_table_cells_escape_pipes(self) -> None:
        """A | inside a table value is escaped so the row keeps its columns."""
        text = EXAMPLES["observability"]
        assert "Errors \\| above 5%" in text

    def test_bad_direction_is_refused(self) -> None:
        with pytest.raises(ValueError, match="direction"):
            Flowchart("UP")


class TestArgoCD:
    def test_app_of_apps_tree(self) -> None:
        """The root points at each child Application it syncs; each child at its namespace; Helm sources name chart and version."""
        text = EXAMPLES["argocd app-of-apps"]
        block = mermaid_blocks(text)[0]
        assert "n_Application_argocd_prod_root --> n_Application_argocd_shop_prod" in block
        assert "n_Application_argocd_addons_prod --> n_Application_argocd_argo_rollouts" in block
        assert "Top of the tree (no Application shown here syncs it): `prod-root`" in text
        assert "chart argo-rollouts 2.40.1" in block
        assert "| `argo-rollouts` | Application | platform | Helm chart argo-rollouts 2.40.1 from https://argoproj.github.io/argo-helm" in text
        assert "automated (prune, self-heal); ServerSideApply=true | -10 |" in text
        assert "| `shop-prod` | Application | default |" in text and "| automated |" in text

    def test_applicationset_generates_one_application_per_folder(self) -> None:
        """A Git directory generator is matched against the folders: one generated Application each, the excluded one left out."""
        text = EXAMPLES["argocd applicationset"]
        assert "`addons-prod` | Application (from `prod-apps`)" in text
        assert "`shop-prod` | Application (from `prod-apps`)" in text
        assert "argocd-apps-prod" not in text
        assert "Git directories dist/prod/* (except dist/prod/argocd-apps)" in text
        assert "n_generated_argocd_prod_apps_addons_prod --> n_Application_argocd_argo_rollouts" in text

    def test_other_repositories_are_not_children(self) -> None:
        """A source in another repository is not matched against our folders."""
        folders = argocd_folders()
        assert "n_Application_argocd_prod_root --> n_Application_argocd_shop_prod" not in argocd_section(
            folders, "https://github.com/someone/else.git")

    def test_nothing_to_show(self) -> None:
        assert argocd_section({"dist/prod/shop": [obj("v1", "ConfigMap", "x")]}) == ""


class TestTraffic:
    def test_gateway_listener_route_service_rollout(self) -> None:
        """Listener -> route -> Service (with weights) -> Rollout (stable/canary); an outside Gateway is marked as such."""
        text = EXAMPLES["traffic canary"]
        block = mermaid_blocks(text)[0]
        assert "n_listener_shop_prod_edge_https --> n_HTTPRoute_shop_prod_web" in block
        assert 'n_HTTPRoute_shop_prod_web -->|"10%"| n_Service_shop_prod_web_canary' in block
        assert 'n_Service_shop_prod_web_stable -->|"stable"| n_Rollout_shop_prod_web' in block
        assert "Gateway gateway/shared<br/>(outside this folder)" in block
        assert "| `edge` | `https` | HTTPS | 443 | `*.example.com` | Terminate (wildcard) | All |" in text
        assert "shop.v1.Cart/Add" in text

    def test_canary_steps_table(self) -> None:
        """Each step says what happens and how much traffic the new version gets; an empty pause waits for promotion."""
        text = EXAMPLES["traffic canary"]
        assert "| 1 | `setWeight` | 20% | send 20% of traffic to the new version |" in text
        assert "| 2 | `pause` | 20% | wait 5m |" in text
        assert "| 3 | `analysis` | 20% | run analysis `success-rate`; roll back if it fails |" in text
        assert "| 5 | `pause` | 50% | wait until promoted (`kubectl argo rollouts promote web`) |" in text
        assert "| 6 | `setCanaryScale` | 50% | scale the new version to 3 pod(s) |" in text
        assert "traffic split by `argoproj-labs/gatewayAPI`" in text

    def test_blue_green_flow(self) -> None:
        text = EXAMPLES["traffic blue-green"]
        assert ("| `api` | `api-preview`, full size | `smoke` | manual: `kubectl argo rollouts promote api` | `api` | — | after 120 s |"
                in text)
        assert 'n_Service_shop_prod_api_preview -->|"preview"| n_Rollout_shop_prod_api' in text
        assert "n_Ingress_shop_prod_api --> n_Service_shop_prod_api" in text

    def test_nothing_to_show(self) -> None:
        assert traffic_section([obj("v1", "ConfigMap", "x")]) == ""


class TestSecrets:
    def test_path_and_key_names(self) -> None:
        """provider -> store -> ExternalSecret -> Secret (key names) -> workload; an outside store is marked."""
        text = EXAMPLES["secrets"]
        block = mermaid_blocks(text)[0]
        assert "provider vault<br/>server https://vault.example.com<br/>path kv<br/>version v2" in block
        assert "n_ExternalSecret_shop_prod_db -->|\"creates\"| n_Secret_shop_prod_db_credentials" in block
        assert 'n_Secret_shop_prod_db_credentials -->|"env"| n_Deployment_shop_prod_worker' in block
        assert "ClusterSecretStore platform<br/>(managed outside dist/)" in block
        assert "| `db` | SecretStore vault | `shop/db (password)`<br>`shop/db (user)` | `db-credentials` | `PASSWORD`, `USER` | 1h |" in text
        assert "`tls.crt`, `tls.key`" in text

    def test_never_credentials_or_template_values(self) -> None:
        """The store's auth and the template's values never appear."""
        text = EXAMPLES["secrets"]
        assert "vault-token" not in text and "{{ .cert }}" not in text and "token" not in text


class TestObservability:
    def test_pipelines_from_operator_and_configmap(self) -> None:
        """Receivers -> processors in order -> exporters per pipeline; a connector joins two pipelines."""
        text = EXAMPLES["observability"]
        assert "OpenTelemetryCollector `gateway` (deployment)" in text
        assert "collector ConfigMap `agent-config` (`config.yaml`)" in text
        block = mermaid_blocks(text)[0]
        assert "n_prc_gateway_traces_memory_limiter --> n_prc_gateway_traces_batch" in block
        assert "n_prc_gateway_traces_batch --> n_exp_gateway_traces_otlp_tempo" in block
        assert "n_rcv_gateway_metrics_prometheus --> n_exp_gateway_metrics_prometheusremotewrite" in block
        assert 'n_exp_gateway_traces_spanmetrics -.->|"connector"| n_rcv_gateway_metrics_spanmetrics' in block
        assert "| `traces` | `otlp` | `memory_limiter` → `batch` | `otlp/tempo`, `spanmetrics` |" in text

    def test_monitors_and_alerts(self) -> None:
        text = EXAMPLES["observability"]
        assert "| `web` | ServiceMonitor | Service `web` | http /metrics every 15s |" in text
        assert "| `web` | web.rules | `HighErrorRate` | 10m | critical |" in text
        assert "Plus 1 recording rule(s)." in text


class TestInventory:
    def test_objects_images_and_resources(self) -> None:
        """Objects by kind, images split into repository/tag/digest, requests and limits with HPA-aware replicas."""
        text = inventory_section(canary_app() + blue_green_app())
        assert "| Service | 4 | `api`, `api-preview`, `web-canary`, `web-stable` |" in text
        assert "| `ghcr.io/acme/web` | `v1.2.3` |  | Rollout web |" in text
        assert "| `registry.local:5000/api` | (none) | `sha256:aaaaaaaaaaaa…` | Rollout api |" in text
        assert "| Rollout `web` | `app` | 3–10 (HPA) | 250m | 256Mi | — | 512Mi |" in text  # noqa: RUF001 - the README writes ranges with an en dash
        assert "request 1 CPU and 1Gi memory" in text

    def test_nothing_to_show(self) -> None:
        assert inventory_section([]) == ""


class TestDeterminism:
    def test_input_order_does_not_matter(self) -> None:
        """Shuffling the objects gives the same bytes."""
        objects = canary_app() + blue_green_app() + secrets_app() + observability_app()
        expected = [f(objects) for f in (traffic_section, secrets_section, observability_section, inventory_section)]
        rng = random.Random(7)
        for _ in range(5):
            shuffled = copy.deepcopy(objects)
            rng.shuffle(shuffled)
            assert [f(shuffled) for f in (traffic_section, secrets_section, observability_section, inventory_section)] == expected

    def test_readmes_identical_across_hash_seeds(self, reference_files: dict[str, bytes]) -> None:
        """Two synths in fresh interpreters with different hash seeds write byte-identical READMEs."""
        code = ("import hashlib, sys; from cdk8s_gitops.synth import Project, render_files, synthesize; "
                "p = Project(root=sys.argv[1]); f = render_files(synthesize(p), p); "
                "print(hashlib.sha256(b''.join(k.encode() + f[k] for k in sorted(f) if k.endswith('README.md'))).hexdigest())")
        digests = set()
        for seed in ("1", "4242"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            out = subprocess.run([sys.executable, "-c", code, str(REPO)], env=env, capture_output=True, text=True, check=True)
            digests.add(out.stdout.strip())
        assert len(digests) == 1


class TestReadmes:
    def test_app_and_environment_readmes_carry_the_sections(self, reference_files: dict[str, bytes]) -> None:
        """Each app README keeps its header and object table and gains an inventory; each environment README an Argo CD tree."""
        readmes = {p: d.decode() for p, d in reference_files.items() if p.endswith("README.md")}
        for path, text in readmes.items():
            if path.count("/") == 1:
                assert text.startswith("# Environment ") and "## Argo CD" in text and "## Inventory" in text, path
            else:
                assert "| setting | value |" in text and "## Objects" in text and "## Inventory" in text, path
            assert text.endswith("\n") and not text.endswith("\n\n"), path


class TestPartialSynth:
    def test_environment_readme_same_after_synth_of_one_app(self, project) -> None:
        """`synth --app X` writes the environment README a full synth writes (other apps read from dist/)."""
        from cdk8s_gitops.cli import main

        assert main(["-C", str(project), "synth"]) == 0
        full = (project / "dist/dev/README.md").read_bytes()
        assert b"## Inventory" in full and b"[shop](shop/)" in full
        assert main(["-C", str(project), "synth", "--app", "shop"]) == 0
        assert (project / "dist/dev/README.md").read_bytes() == full
        assert main(["-C", str(project), "synth", "--check"]) == 0


def test_images_memo_walks_once_and_gives_the_same_sections() -> None:
    """Inside images_memo a manifest part's images are collected once for every section that asks; the sections
    are the same as without it, and outside the block nothing is remembered."""
    from cdk8s_gitops.synth.diagrams import _common, images_memo, inventory_row

    manifests = canary_app() + blue_green_app()
    plain = (inventory_section(manifests), inventory_row("web", manifests))
    walks = 0
    original = _common._collect_images

    def counting(node: Any, key: str, found: list[str]) -> None:
        nonlocal walks
        walks += 1
        original(node, key, found)

    _common._collect_images = counting
    try:
        with images_memo():
            memoized = (inventory_section(manifests), inventory_row("web", manifests))
            inside = walks
            with images_memo():  # nested: the outer memo goes on
                inventory_row("web", manifests)
            assert walks == inside
        walks = 0
        inventory_row("web", manifests)
        assert walks > 0  # outside the block every call walks again
    finally:
        _common._collect_images = original
    assert memoized == plain
    assert "ghcr.io/acme/web:v1.2.3" in plain[1][3]
    assert _common._IMAGES_MEMO is None
