"""Microservice: the objects each rollout strategy produces, secure defaults, and clear errors."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

from cdk8s_gitops import ManifestError
from cdk8s_gitops.platform import MetricsSettings, Microservice, MicroserviceProps, RouteSettings, SecretEnv
from cdk8s_gitops.testing import synth_chart

GATEWAY = {"name": "gw", "namespace": "gateway", "domain": "example.com"}
STORE = {"name": "vault", "external": True}


def build_with(props: MicroserviceProps, **env: Any) -> dict[tuple[str, str], dict[str, Any]]:
    env.setdefault("apps", {"shop": {"images": {props.image_key or props.name: "v1.2.3"}}})
    manifests = synth_chart(lambda scope, settings: Microservice(scope, "svc", props), app="shop", **env)
    return by_kind_and_name(manifests)


WEB = MicroserviceProps(name="web", image="registry.example.com/shop/web")


class TestStrategies:
    def test_recreate_is_a_deployment(self) -> None:
        """recreate gives a Deployment with the Recreate strategy and the environment's replicas."""
        objs = build_with(WEB, rollout={"strategy": "recreate"}, replicas=1)
        deployment = objs[("Deployment", "web")]
        assert deployment["spec"]["strategy"] == {"type": "Recreate"}
        assert deployment["spec"]["replicas"] == 1
        assert ("HorizontalPodAutoscaler", "web") not in objs
        assert ("PodDisruptionBudget", "web") not in objs

    def test_rolling_with_autoscaling(self) -> None:
        """rolling gives RollingUpdate; autoscaling adds an HPA with the bounds and drops spec.replicas."""
        objs = build_with(WEB, rollout={"strategy": "rolling"}, autoscaling={"min_replicas": 2, "max_replicas": 5})
        deployment = objs[("Deployment", "web")]
        assert deployment["spec"]["strategy"]["type"] == "RollingUpdate"
        assert "replicas" not in deployment["spec"]
        hpa = objs[("HorizontalPodAutoscaler", "web")]["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (2, 5)
        assert hpa["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
        assert objs[("PodDisruptionBudget", "web")]["spec"]["maxUnavailable"] == 1

    def test_canary_with_gateway_api(self) -> None:
        """canary gives a Rollout whose steps come from the environment and whose traffic the Gateway API plugin splits."""
        steps = [{"set_weight": 10}, {"pause": "1m"}, {"set_weight": 30}, {"pause": "1m"}, {"set_weight": 50},
                 {"pause": "2m"}, {"set_weight": 100}]
        objs = build_with(WEB, rollout={"strategy": "canary", "canary": {"steps": steps}}, gateway=GATEWAY)
        canary = objs[("Rollout", "web")]["spec"]["strategy"]["canary"]
        assert canary["steps"] == [{"setWeight": 10}, {"pause": {"duration": "1m"}}, {"setWeight": 30},
                                   {"pause": {"duration": "1m"}}, {"setWeight": 50}, {"pause": {"duration": "2m"}},
                                   {"setWeight": 100}]
        assert (canary["stableService"], canary["canaryService"]) == ("web-stable", "web-canary")
        assert canary["trafficRouting"] == {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": "web", "namespace": "shop-test"}}}
        route = objs[("HTTPRoute", "web")]["spec"]
        assert route["hostnames"] == ["web.example.com"]
        assert route["parentRefs"] == [{"name": "gw", "namespace": "gateway"}]
        assert [(b["name"], b["weight"]) for b in route["rules"][0]["backendRefs"]] == [("web-stable", 100), ("web-canary", 0)]

    def test_blue_green(self) -> None:
        """blue_green gives a Rollout with active and preview Services, manual promotion by default."""
        objs = build_with(WEB, rollout={"strategy": "blue_green"}, gateway=GATEWAY)
        blue = objs[("Rollout", "web")]["spec"]["strategy"]["blueGreen"]
        assert (blue["activeService"], blue["previewService"], blue["autoPromotionEnabled"]) == ("web", "web-preview", False)
        assert ("Service", "web-preview") in objs
        assert objs[("HTTPRoute", "web")]["spec"]["rules"][0]["backendRefs"] == [{"name": "web", "port": 80}]


class TestSecureDefaults:
    def test_restricted_pod_security(self) -> None:
        """Pods run as non-root without privilege escalation, capabilities dropped, read-only root, probes and limits."""
        pod = build_with(WEB)[("Deployment", "web")]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        sc = container["securityContext"]
        assert sc["runAsNonRoot"] and not sc["allowPrivilegeEscalation"] and sc["readOnlyRootFilesystem"]
        assert sc["capabilities"] == {"drop": ["ALL"]}
        assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
        assert set(container["resources"]) == {"requests", "limits"}
        assert "livenessProbe" in container and "readinessProbe" in container
        assert pod["automountServiceAccountToken"] is False
        assert container["image"] == "registry.example.com/shop/web:v1.2.3"

    def test_network_policy_lets_in_gateway_and_app(self) -> None:
        """The NetworkPolicy admits the app's own pods and the gateway namespace on the container port only."""
        objs = build_with(WEB, gateway=GATEWAY)
        rule = objs[("NetworkPolicy", "web")]["spec"]["ingress"][0]
        assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateway"}}} in rule["from"]
        assert rule["ports"] == [{"protocol": "TCP", "port": 8080}]

    def test_secret_env_goes_through_external_secret(self) -> None:
        """Secret variables become an ExternalSecret (sync wave -1) and envFrom; no Secret with data is emitted."""
        props = WEB.model_copy(update={"secret_env": {"DB": SecretEnv(key="shop/db", property="url")}})
        objs = build_with(props, secret_store=STORE)
        es = objs[("ExternalSecret", "web")]
        assert es["spec"]["data"] == [{"secretKey": "DB", "remoteRef": {"key": "shop/db", "property": "url"}}]
        assert es["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"
        pod = objs[("Deployment", "web")]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert {"name": "DB_FILE", "value": "/var/run/secrets/web/DB"} in container["env"]
        assert {"name": "secrets", "mountPath": "/var/run/secrets/web", "readOnly": True} in container["volumeMounts"]
        assert {"name": "secrets", "secret": {"secretName": "web-secrets", "defaultMode": 0o440}} in pod["volumes"]
        assert "envFrom" not in container
        assert not any(kind == "Secret" for kind, _ in objs)

    def test_secret_env_mode(self) -> None:
        """secret_mode env uses envFrom and records the checkov skip with its reason."""
        props = WEB.model_copy(update={"secret_env": {"DB": SecretEnv(key="shop/db")}, "secret_mode": "env"})
        deployment = build_with(props, secret_store=STORE)[("Deployment", "web")]
        assert deployment["spec"]["template"]["spec"]["containers"][0]["envFrom"] == [{"secretRef": {"name": "web-secrets"}}]
        assert deployment["metadata"]["annotations"]["checkov.io/skip2"].startswith("CKV_K8S_35=")

    def test_metrics_add_service_monitor(self) -> None:
        """metrics adds a ServiceMonitor on the primary Service and lets Prometheus's namespace in."""
        props = WEB.model_copy(update={"metrics": MetricsSettings()})
        objs = build_with(props)
        sm = objs[("ServiceMonitor", "web")]["spec"]
        assert sm["endpoints"] == [{"port": "http", "path": "/metrics", "interval": "30s"}]
        policy = objs[("NetworkPolicy", "web")]["spec"]["ingress"]
        assert policy[1]["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"] == "monitoring"

    def test_route_without_hostnames(self) -> None:
        """hostnames=() gives a route that matches any host the listener accepts."""
        props = WEB.model_copy(update={"route": RouteSettings(hostnames=())})
        assert "hostnames" not in build_with(props, gateway=GATEWAY)[("HTTPRoute", "web")]["spec"]

    def test_grpc_service(self) -> None:
        """A gRPC service gets a GRPCRoute and gRPC probes."""
        props = WEB.model_copy(update={"protocol": "grpc", "route": RouteSettings()})
        objs = build_with(props, gateway=GATEWAY)
        assert ("GRPCRoute", "web") in objs
        container = objs[("Deployment", "web")]["spec"]["template"]["spec"]["containers"][0]
        assert container["livenessProbe"]["grpc"] == {"port": 8080}


class TestErrors:
    def test_image_with_tag_is_refused(self) -> None:
        """The image is a repository; a tag in it is refused with where the tag belongs."""
        with pytest.raises(ValueError, match="must be a repository without tag"):
            MicroserviceProps(name="web", image="nginx:1.25")

    def test_missing_image_tag_names_the_environment_key(self) -> None:
        """A service with no tag in the environment names the key to add."""
        with pytest.raises(ManifestError, match=r"apps.shop.images.web"):
            build_with(WEB, apps={"shop": {"images": {}}})

    def test_secret_env_without_store(self) -> None:
        """secret_env in an environment without a secret store is refused with the fix."""
        props = WEB.model_copy(update={"secret_env": {"DB": SecretEnv(key="shop/db")}})
        with pytest.raises(ManifestError, match="has no secret_store; add secret_store"):
            build_with(props)
