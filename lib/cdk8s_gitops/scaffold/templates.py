"""The files ``cdk8s-gitops init`` writes, as templates (``{name}``-style fields, doubled braces literal)."""

from __future__ import annotations

__all__ = ["FILES"]

PYPROJECT = '''\
# The platform repository {project}: apps/ and environments/ synthesized into dist/ by cdk8s-gitops.
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{project}"
version = "0.1.0"
description = "GitOps platform: typed cdk8s apps, per-environment settings, rendered manifests in dist/."
requires-python = ">=3.11"
dependencies = [
    "{package}",
]

[project.optional-dependencies]
# pytest and syrupy for the YAML snapshot tests in tests/.
test = [
    "{package_testing}",
]

# Not a Python package: apps/ are loaded by file path, so nothing is packaged.
[tool.setuptools]
packages = []

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = ["--strict-markers", "--strict-config", "-ra"]
'''

GITIGNORE = '''\
.venv/
__pycache__/
*.egg-info/
.pytest_cache/
# cdk8s synth's scratch output (cdk8s-gitops synth writes dist/ itself).
/.cdk8s.out/
/.dist.tmp-*/
/.dist.old-*/
# cdk8s-gitops synth's lock file, its staging trees and its in-place staging inside dist/ (only during a write;
# the next synth finishes or removes what a killed run left).
.*.cdk8s-gitops.lock
.*.cdk8s-staging-*/
.*.cdk8s-old-*/
.cdk8s-gitops~*
'''

APP = '''\
"""hello: a small web service, the example app of this repository.

One Microservice: a Deployment (Recreate in dev) or a canary Rollout with Gateway API
traffic splitting (production), an HPA where the environment autoscales, an HTTPRoute on
the environment's Gateway, a PodDisruptionBudget, a ServiceAccount without a token and a
NetworkPolicy. Its greeting is in a ConfigMap. What differs per environment (image tag,
replicas, rollout strategy, domain) comes from environments/<env>.yaml, never from an
``if`` on the environment's name.
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ConfigMap
from cdk8s_gitops.platform import Microservice, MicroserviceProps, Resources


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="hello-config"),
                                   data={{"GREETING": "Hello from {project}"}}))
    Microservice(scope, "web", MicroserviceProps(
        name="web",
        image="ghcr.io/example-org/hello",       # the tag comes from environments/<env>.yaml
        port=8080,
        env={{"GREETING_CONFIG": "hello-config"}},
        resources=Resources(cpu_request="50m", memory_request="64Mi"),
    ))
'''

DEV = '''\
# Development: one replica, Recreate, automated sync. CI bumps the tag with `cdk8s-gitops set-image`.
name: dev
cluster:
  name: dev
  server: https://kubernetes.default.svc
git:
  repo_url: {repo_url}
  revision: main
  dist_path: dist
replicas: 1
rollout:
  strategy: recreate
sync:
  automated: true
  prune: true
  self_heal: true
image_policy:
  tag_pattern: '^dev-[0-9a-f]{{7,40}}$'
gateway:
  name: platform-gateway
  namespace: gateway
  domain: dev.example.com
apps:
  hello:
    images:
      web: dev-0123abc
'''

PRODUCTION = '''\
# Production: autoscaled, canary through the Gateway, manual sync. Promote with
# `cdk8s-gitops set-image hello v1.0.1 --env production` (or `promote --from ... --to production`).
name: production
cluster:
  name: production
  server: https://kubernetes.default.svc
git:
  repo_url: {repo_url}
  revision: main
  dist_path: dist
replicas: 2
autoscaling:
  min_replicas: 2
  max_replicas: 10
rollout:
  strategy: canary
sync:
  automated: false
image_policy:
  tag_pattern: '^v\\d+\\.\\d+\\.\\d+$'
gateway:
  name: platform-gateway
  namespace: gateway
  domain: example.com
apps:
  hello:
    images:
      web: v1.0.0
'''

TEST = '''\
"""The hello app per environment: the fields that matter, then the YAML a reviewer reads."""

import pytest


def objects(out):
    return {{(m["kind"], m["metadata"]["name"]): m for m in out.manifests}}


def test_dev_is_one_replica_with_the_dev_tag(synth_app):
    deployment = objects(synth_app("hello", "dev"))[("Deployment", "web")]
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/example-org/hello:dev-0123abc"


def test_production_is_a_canary_on_the_gateway(synth_app):
    objs = objects(synth_app("hello", "production"))
    assert "canary" in objs[("Rollout", "web")]["spec"]["strategy"]
    assert objs[("HTTPRoute", "web")]["spec"]["hostnames"] == ["web.example.com"]
    assert objs[("HorizontalPodAutoscaler", "web")]["spec"]["maxReplicas"] == 10


@pytest.mark.parametrize("env", ["dev", "production"])
def test_snapshot(env, synth_app, yaml_snapshot):
    """The rendered YAML; update after an intended change with `pytest --snapshot-update`."""
    assert synth_app("hello", env).manifests == yaml_snapshot
'''

WORKFLOW = '''\
# On every push and pull request: the committed dist/ equals a fresh synth, every object validates
# offline, and the tests (field assertions and YAML snapshots) pass.
name: ci

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

concurrency:
  group: ci-${{{{ github.ref }}}}
  cancel-in-progress: true

jobs:
  check:
    name: synth --check, validate, pytest
    runs-on: ubuntu-latest
    timeout-minutes: 20
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065 # v5.6.0
        with:
          python-version: "3.11"
      - name: Install
        run: python -m pip install -e '.[test]'
      - name: Committed dist/ is up to date
        run: cdk8s-gitops synth --check
      - name: Validate dist/
        run: cdk8s-gitops validate
      - name: Test
        run: python -m pytest
'''

README = '''\
# {project}

The Kubernetes platform as typed Python, built with [cdk8s-gitops](https://pypi.org/project/cdk8s-gitops/):
apps in `apps/`, per-environment settings in `environments/`, and the rendered manifests in `dist/`, which
Argo CD syncs (bootstrap an environment once with `kubectl apply -f dist/<env>/argocd-apps/manifest.yaml`).

```sh
python3 -m venv .venv && .venv/bin/pip install -e '.[test]'
.venv/bin/cdk8s-gitops synth        # writes dist/ (atomically; a failure leaves it as it was)
.venv/bin/python -m pytest          # field assertions and YAML snapshots
```

| path | what |
|---|---|
| `apps/<app>.py` | one app: `build(scope, env)` creates its constructs |
| `environments/<env>.yaml` | what differs per environment: cluster, image tags, replicas, rollout, sync |
| `dist/<env>/<app>/manifest.yaml` | the rendered manifests (commit them; CI checks they are fresh) |
| `tests/` | tests with the cdk8s-gitops pytest fixtures (`synth_app`, `yaml_snapshot`) |
| `cdk8s.yaml` | lets `cdk8s synth` run the same build (it writes dist/ the same way) |

Day to day:

- Add an app: a module in `apps/`, listed under `apps:` in each environment that runs it.
- Ship an image: `cdk8s-gitops set-image hello dev-4f2a9c1 --env dev`; promote with
  `cdk8s-gitops set-image hello v1.0.1 --env production`.
- Before a pull request: `cdk8s-gitops synth`, `cdk8s-gitops validate`, `python -m pytest`
  (after an intended change, `python -m pytest --snapshot-update`), and commit `dist/` with the change.
'''

#: path -> template; every path is relative to the new repository.
FILES: dict[str, str] = {
    "pyproject.toml": PYPROJECT,
    ".gitignore": GITIGNORE,
    "README.md": README,
    "apps/hello.py": APP,
    "environments/dev.yaml": DEV,
    "environments/production.yaml": PRODUCTION,
    "tests/test_hello.py": TEST,
    ".github/workflows/ci.yml": WORKFLOW,
}
