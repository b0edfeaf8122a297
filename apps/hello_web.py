"""hello-web: a small web service that exercises the core end to end (temporary)."""
from cdk8s_gitops import TypedResource
from cdk8s_gitops.kube import ConfigMap

def build(scope, env):
    TypedResource(scope, ConfigMap.build(metadata={"name": "hello-web"}, data={"GREETING": "hello", "TAG": env.image_tag("web")}))
