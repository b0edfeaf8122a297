"""talana-backend: the talana Django backend on GKE, canaried by Argo Rollouts behind Kong's Gateway API.

What the seed (talana-sre-challenge, ``000_b2573accbc811141``) asks for, and where it is:

- The Django backend as an Argo Rollouts ``Rollout`` ``talana-backend`` in namespace ``talana-dev``
  (``Microservice``): canary with the Gateway API traffic-router plugin (``argoproj-labs/gatewayAPI``)
  shifting the weights of the HTTPRoute ``talana-backend``, steps 10% / pause 1m / 30% / pause 1m /
  50% / pause 2m / 100% (``apps.talana-backend.rollout`` in ``environments/dev.yaml``).
- The Services the Rollout switches between: ``talana-backend-stable`` and ``talana-backend-canary``
  (and ``talana-backend``, the plain Service of the workload).
- The image from Artifact Registry ``us-east1-docker.pkg.dev/talana-sre-challenge-jesben/talana-repo/talana-backend``
  tagged with the git SHA of the build (``apps.talana-backend.image_policy.tag_pattern`` accepts only
  a 7-40 digit hexadecimal SHA; CI writes the tag with ``cdk8s-gitops set-image``).
- The Kong Gateway API entry point: GatewayClass ``kong`` (Kong Ingress Controller's
  ``konghq.com/kic-gateway-controller``, unmanaged: the Kong chart runs the proxy) and Gateway
  ``kong-gateway`` in namespace ``kong``, plain HTTP on port 80 as in the seed, admitting routes from
  this app's namespace only. The route attaches through the environment's gateway setting
  (``apps.talana-backend.gateway``: ``kong-gateway`` in ``kong``).
- Kong plugins (KongPlugin ``talana-backend-rate-limit`` and ``talana-backend-cors``) attached to the
  HTTPRoute with the ``konghq.com/plugins`` annotation.
- The Django secrets (secret key, database password for Cloud SQL) as an ``ExternalSecret`` reading
  GCP Secret Manager through the ClusterSecretStore ``gcp-secret-manager`` (app
  ``talana-cluster-secret-store``), mounted read-only as files (``<VAR>_FILE`` names each file).

The Argo CD Application of this folder is ``talana-backend-dev``, the child Application synth's
Argo CD wiring generates for this app in dev (``dist/dev/argocd-apps``), with destination ``talana-dev``.

Modernised: the seed's Kustomize base + overlay (``k8s/apps/talana-backend/{base,overlays/dev}``)
becomes this module plus the dev environment file (no ``kustomization.yaml`` in ``dist/``); the
ExternalSecret uses ``external-secrets.io/v1`` (not ``v1beta1``); the Gateway API objects use ``v1``.

Left out, and why: the seed gives no hostname (the Kong API is reached by its load-balancer IP),
so the HTTPRoute matches every host (``spec.hostnames`` is removed: ``RouteSettings`` cannot say
"any host" yet); the load balancer's IP ``35.237.234.196`` is assigned by GCP to Kong's proxy
Service and is not pinned here; the Cloud SQL instance, Artifact Registry and Secret Manager
secrets are Terraform's (``infra/``), outside Kubernetes.

Known gap: during a canary the plugin rewrites the HTTPRoute's backend weights, which the
self-healing ``talana-backend-dev`` would revert; that Application needs ``ignoreDifferences`` on
the route's weights, which synth's wiring cannot add per app yet (see the report for the change).
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.addons import KongPlugin
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.gateway import (
    AllowedRoutes,
    Gateway,
    GatewayClass,
    GatewayClassSpec,
    GatewaySpec,
    Listener,
    RouteNamespaces,
)
from cdk8s_gitops.kube import LabelSelector
from cdk8s_gitops.platform import Microservice, MicroserviceProps, Resources, RouteSettings, SecretEnv

IMAGE = "us-east1-docker.pkg.dev/talana-sre-challenge-jesben/talana-repo/talana-backend"
KONG_CONTROLLER = "konghq.com/kic-gateway-controller"
GATEWAY_CLASS = "kong"
RATE_LIMIT = "talana-backend-rate-limit"
CORS = "talana-backend-cors"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    gateway = env.gateway
    if gateway is None or gateway.namespace is None:
        raise ValueError("talana-backend needs apps.talana-backend.gateway with name and namespace "
                         f"in environments/{env.environment}.yaml (the Kong Gateway)")

    # Kong's Gateway API entry point (the seed's base/gateway.yaml).
    TypedResource(scope, GatewayClass(
        metadata=ObjectMeta(name=GATEWAY_CLASS, annotations={"konghq.com/gatewayclass-unmanaged": "true"}),
        spec=GatewayClassSpec(controller_name=KONG_CONTROLLER),
    ), sync_wave=-2)
    TypedResource(scope, Gateway(
        metadata=ObjectMeta(name=gateway.name, namespace=gateway.namespace),
        spec=GatewaySpec(gateway_class_name=GATEWAY_CLASS, listeners=[Listener(
            name=gateway.section_name or "http", port=80, protocol="HTTP",
            allowed_routes=AllowedRoutes(namespaces=RouteNamespaces(
                from_="Selector",
                selector=LabelSelector(match_labels={"kubernetes.io/metadata.name": env.namespace}))))]),
    ), sync_wave=-1)

    # Kong plugins (the seed's base/kong-plugins.yaml), attached to the route below.
    # ``config`` is the plugin's own configuration, free-form upstream (keys as the Kong plugin names them).
    TypedResource(scope, KongPlugin(
        metadata=ObjectMeta(name=RATE_LIMIT), plugin="rate-limiting",
        config={"minute": 120, "policy": "local", "limit_by": "ip"},
    ), sync_wave=-1)
    TypedResource(scope, KongPlugin(
        metadata=ObjectMeta(name=CORS), plugin="cors",
        config={"origins": ["*"], "methods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                "headers": ["Accept", "Authorization", "Content-Type", "X-CSRFToken"],
                "credentials": False, "max_age": 3600},
    ), sync_wave=-1)

    backend = Microservice(scope, "talana-backend", MicroserviceProps(
        name="talana-backend",
        image=IMAGE,
        port=8000,
        env={"DJANGO_DEBUG": "false", "PORT": "8000"},
        secret_env={
            "DJANGO_SECRET_KEY": SecretEnv(key="talana-backend-django-secret-key"),
            "DATABASE_PASSWORD": SecretEnv(key="talana-backend-db-password"),
        },
        resources=Resources(cpu_request="100m", cpu_limit="500m", memory_request="256Mi", memory_limit="512Mi"),
        route=RouteSettings(kong_plugins=(RATE_LIMIT, CORS)),
        component="backend",
    ))
    # No hostname in the seed: Kong serves the backend on its load balancer's IP, any Host header.
    assert backend.route is not None
    backend.route.add_override("spec.hostnames", None)
