"""talana-backend (seed 000): the Django backend canaried by Argo Rollouts through Kong's Gateway API, in dev."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

APP = "talana-backend"
NAMESPACE = "talana-dev"
IMAGE = "us-east1-docker.pkg.dev/talana-sre-challenge-jesben/talana-repo/talana-backend"


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


@pytest.fixture
def objs(synth_app) -> dict[tuple[str, str], dict[str, Any]]:  # noqa: ANN001
    return objects(synth_app(APP, "dev"))


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev, the only environment of the seed (assertions below check what matters)."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot

    def test_only_dev(self, gitops_project) -> None:  # noqa: ANN001
        """The seed has one environment: the app is listed in dev only."""
        from cdk8s_gitops.environment import load_environments

        specs = load_environments(gitops_project.environments_dir, None, root=gitops_project.root)
        assert sorted(s.name for s in specs if APP in s.apps) == ["dev"]


class TestRollout:
    def test_canary_steps_and_pauses(self, objs) -> None:  # noqa: ANN001
        """The canary goes 10% (1m), 30% (1m), 50% (2m), then 100%, exactly as in the seed."""
        steps = objs[("Rollout", APP)]["spec"]["strategy"]["canary"]["steps"]
        assert steps == [{"setWeight": 10}, {"pause": {"duration": "1m"}}, {"setWeight": 30}, {"pause": {"duration": "1m"}},
                         {"setWeight": 50}, {"pause": {"duration": "2m"}}, {"setWeight": 100}]

    def test_services_and_gateway_api_plugin(self, objs) -> None:  # noqa: ANN001
        """Traffic moves between talana-backend-stable and -canary through the Gateway API plugin on the HTTPRoute."""
        canary = objs[("Rollout", APP)]["spec"]["strategy"]["canary"]
        assert (canary["stableService"], canary["canaryService"]) == ("talana-backend-stable", "talana-backend-canary")
        assert canary["trafficRouting"] == {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": APP, "namespace": NAMESPACE}}}
        assert ("Service", "talana-backend-stable") in objs and ("Service", "talana-backend-canary") in objs

    def test_image_is_artifact_registry_with_git_sha(self, objs) -> None:  # noqa: ANN001
        """The image comes from the seed's Artifact Registry, tagged with a git SHA."""
        image = objs[("Rollout", APP)]["spec"]["template"]["spec"]["containers"][0]["image"]
        repo, tag = image.rsplit(":", 1)
        assert repo == IMAGE
        assert len(tag) in range(7, 41) and all(c in "0123456789abcdef" for c in tag)

    def test_namespace(self, objs) -> None:  # noqa: ANN001
        """Every namespaced object of the backend lives in talana-dev (the Gateway lives with Kong)."""
        for (kind, name), m in objs.items():
            if kind == "GatewayClass":
                assert "namespace" not in m["metadata"]
            elif kind == "Gateway":
                assert m["metadata"]["namespace"] == "kong"
            else:
                assert m["metadata"]["namespace"] == NAMESPACE, (kind, name)

    def test_restricted_pod(self, objs) -> None:  # noqa: ANN001
        """The pod runs non-root with a read-only root filesystem and no service-account token."""
        pod = objs[("Rollout", APP)]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert pod["automountServiceAccountToken"] is False
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        assert container["securityContext"]["runAsNonRoot"] is True


class TestGateway:
    def test_kong_gateway_class(self, objs) -> None:  # noqa: ANN001
        """GatewayClass kong is Kong Ingress Controller's, unmanaged (the Kong chart runs the proxy)."""
        gc = objs[("GatewayClass", "kong")]
        assert gc["spec"]["controllerName"] == "konghq.com/kic-gateway-controller"
        assert gc["metadata"]["annotations"]["konghq.com/gatewayclass-unmanaged"] == "true"

    def test_kong_gateway(self, objs) -> None:  # noqa: ANN001
        """Gateway kong-gateway (class kong) listens on HTTP 80 and admits routes from talana-dev only."""
        gw = objs[("Gateway", "kong-gateway")]
        assert gw["spec"]["gatewayClassName"] == "kong"
        (listener,) = gw["spec"]["listeners"]
        assert (listener["name"], listener["port"], listener["protocol"]) == ("http", 80, "HTTP")
        assert listener["allowedRoutes"]["namespaces"]["selector"]["matchLabels"] == {"kubernetes.io/metadata.name": NAMESPACE}

    def test_route(self, objs) -> None:  # noqa: ANN001
        """The HTTPRoute attaches to kong-gateway, splits stable 100 / canary 0, and answers any host."""
        route = objs[("HTTPRoute", APP)]
        assert route["spec"]["parentRefs"] == [{"namespace": "kong", "name": "kong-gateway", "sectionName": "http"}]
        backends = route["spec"]["rules"][0]["backendRefs"]
        assert [(b["name"], b["weight"]) for b in backends] == [("talana-backend-stable", 100), ("talana-backend-canary", 0)]
        assert "hostnames" not in route["spec"]

    def test_kong_plugins_attached(self, objs) -> None:  # noqa: ANN001
        """KongPlugins rate-limiting and cors exist in talana-dev and are attached with konghq.com/plugins."""
        route = objs[("HTTPRoute", APP)]
        attached = route["metadata"]["annotations"]["konghq.com/plugins"].split(",")
        assert attached == ["talana-backend-rate-limit", "talana-backend-cors"]
        assert objs[("KongPlugin", "talana-backend-rate-limit")]["plugin"] == "rate-limiting"
        assert objs[("KongPlugin", "talana-backend-cors")]["plugin"] == "cors"

    def test_network_policy_admits_kong(self, objs) -> None:  # noqa: ANN001
        """The NetworkPolicy lets Kong's namespace reach the pods."""
        peers = objs[("NetworkPolicy", APP)]["spec"]["ingress"][0]["from"]
        assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kong"}}} in peers


class TestSecrets:
    def test_external_secret_from_gcp_store(self, objs) -> None:  # noqa: ANN001
        """The Django secrets come from the ClusterSecretStore gcp-secret-manager, never a Secret with values."""
        es = objs[("ExternalSecret", APP)]
        assert es["apiVersion"] == "external-secrets.io/v1"
        assert es["spec"]["secretStoreRef"] == {"name": "gcp-secret-manager", "kind": "ClusterSecretStore"}
        assert {d["secretKey"] for d in es["spec"]["data"]} == {"DJANGO_SECRET_KEY", "DATABASE_PASSWORD"}
        assert not any(kind == "Secret" for kind, _ in objs)


class TestArgoCD:
    def test_application_talana_backend_dev(self, gitops_project) -> None:  # noqa: ANN001
        """Synth's wiring gives the seed's Application talana-backend-dev: dist/dev/talana-backend into talana-dev."""
        from cdk8s_gitops.synth import synthesize

        wiring = objects(synthesize(gitops_project, ["dev"], [APP]).output("dev", "argocd-apps"))
        app = wiring[("Application", "talana-backend-dev")]["spec"]
        assert app["source"]["path"] == "dist/dev/talana-backend"
        assert app["destination"]["namespace"] == NAMESPACE
        assert app["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}
