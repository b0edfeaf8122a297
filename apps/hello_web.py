"""hello-web: a small web service that exercises the library end to end.

One Microservice whose workload, scaling and exposure follow the environment: a
Deployment (Recreate in dev, RollingUpdate in staging) or a canary Rollout with
Gateway API traffic splitting (production); an HPA where the environment autoscales;
its greeting in a ConfigMap, its database password from the secret store; and the
namespace baseline: restricted Pod Security, default-deny NetworkPolicy (plus DNS), and a
ResourceQuota sized for two full versions of the service at its largest replica count.
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.platform import (
    MetricsSettings,
    Microservice,
    MicroserviceProps,
    NamespaceBaseline,
    NamespaceBaselineProps,
    QuotaSettings,
    Resources,
    SecretEnv,
)

RESOURCES = Resources()


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    most = env.autoscaling.max_replicas if env.autoscaling else max(env.replicas, 1)
    NamespaceBaseline(scope, "baseline", NamespaceBaselineProps(
        namespace=env.namespace,
        quota=QuotaSettings.for_pods(2 * most, cpu_request=RESOURCES.cpu_request, cpu_limit=RESOURCES.cpu_limit,
                                     memory_request=RESOURCES.memory_request, memory_limit=RESOURCES.memory_limit),
    ))
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="hello-web-config"),
                                   data={"GREETING": "Hello from cdk8s-gitops"}))
    Microservice(scope, "web", MicroserviceProps(
        name="web",
        image="ghcr.io/example-org/hello-web",
        port=8080,
        env={"GREETING_FILE": "/etc/hello/greeting"},
        secret_env={"DATABASE_PASSWORD": SecretEnv(key="hello-web/database", property="password")},
        metrics=MetricsSettings(path="/metrics"),
        resources=RESOURCES,
    ))
