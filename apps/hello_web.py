"""hello-web: a small web service that exercises the library end to end.

One Microservice whose workload, scaling and exposure follow the environment: a
Deployment (Recreate in dev, RollingUpdate in staging) or a canary Rollout with
Gateway API traffic splitting (production); an HPA where the environment autoscales;
its greeting in a ConfigMap, its database password from the secret store.
"""

from cdk8s_gitops import TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.platform import MetricsSettings, Microservice, MicroserviceProps, SecretEnv


def build(scope, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ConfigMap.build(metadata={"name": "hello-web-config"},
                                         data={"GREETING": "Hello from cdk8s-gitops"}))
    Microservice(scope, "web", MicroserviceProps(
        name="web",
        image="ghcr.io/example-org/hello-web",
        port=8080,
        env={"GREETING_FILE": "/etc/hello/greeting"},
        secret_env={"DATABASE_PASSWORD": SecretEnv(key="hello-web/database", property="password")},
        metrics=MetricsSettings(path="/metrics"),
    ))
