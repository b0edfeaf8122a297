"""Generate a fleet repository: N services, one app module each, three environments.

Used by ``benchmarks/fleet_scale.py`` (and handy on its own for profiling)::

    python benchmarks/fleet_repo.py /tmp/fleet --services 300

Every service is a :class:`~cdk8s_gitops.platform.Microservice` built with typed props from
its environment settings (the path users write). The environments differ the way real
ones do: dev runs Recreate with one replica, staging rolls with an HPA, production runs a
canary Rollout behind the Gateway with an HPA and a PDB.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

ENVIRONMENTS = {
    "dev": {"replicas": 1, "strategy": "recreate", "tag": "dev-4f2a9c1", "pattern": "'^dev-[0-9a-f]{7,40}$'",
            "domain": "dev.example.com", "autoscaling": None, "automated": "true"},
    "staging": {"replicas": 2, "strategy": "rolling", "tag": "staging-8b1f0c2", "pattern": "'^staging-[0-9a-f]{7,40}$'",
                "domain": "staging.example.com", "autoscaling": (2, 5), "automated": "true"},
    "production": {"replicas": 3, "strategy": "canary", "tag": "v1.4.2", "pattern": "'^v\\d+\\.\\d+\\.\\d+$'",
                   "domain": "example.com", "autoscaling": (3, 20), "automated": "false"},
}

APP_TEMPLATE = '''"""{name}: one service of the fleet."""

from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.platform import MetricsSettings, Microservice, MicroserviceProps, Resources, SecretEnv

from fleet_common import TEAM_LABELS


def build(scope, env: ResolvedAppSettings) -> None:
    Microservice(scope, "svc", MicroserviceProps(
        name="{name}",
        image="registry.example.com/fleet/{name}",
        port=8080,
        env={{"SERVICE_NAME": "{name}", "TEAM": TEAM_LABELS["team"], "REVISION": "{revision}"}},
        secret_env={{"DATABASE_URL": SecretEnv(key="{name}/database", property="url")}},
        metrics=MetricsSettings(path="/metrics"),
        resources=Resources(),
    ))
'''

COMMON = '''"""Shared by every fleet app (imported from the repository: an input of every app)."""

TEAM_LABELS = {"team": "platform"}
'''


def service_name(i: int) -> str:
    return f"svc-{i:04d}"


def environment_yaml(env: str, services: int) -> str:
    s = ENVIRONMENTS[env]
    lines = [
        f"name: {env}",
        "cluster:", f"  name: {env}-cluster", "  server: https://kubernetes.default.svc",
        "git:", "  repo_url: https://github.com/example-org/fleet.git", "  revision: main", "  dist_path: dist",
        'namespace_scheme: "{app}-{env}"',
        f"replicas: {s['replicas']}",
    ]
    if s["autoscaling"]:
        lines += ["autoscaling:", f"  min_replicas: {s['autoscaling'][0]}", f"  max_replicas: {s['autoscaling'][1]}"]
    lines += [
        "rollout:", f"  strategy: {s['strategy']}",
        "sync:", f"  automated: {s['automated']}", f"  prune: {s['automated']}", f"  self_heal: {s['automated']}",
        "image_policy:", f"  tag_pattern: {s['pattern']}", "  allow_mutable: false",
        "gateway:", "  name: platform-gateway", "  namespace: gateway", f"  domain: {s['domain']}",
        "secret_store:", "  kind: ClusterSecretStore", "  name: platform-secrets", "  external: true",
        "apps:",
    ]
    for i in range(services):
        name = service_name(i)
        lines += [f"  {name}:", "    images:", f"      {name}: {s['tag']}"]
    return "\n".join(lines) + "\n"


def app_path(root: Path, i: int) -> Path:
    return root / "apps" / f"{service_name(i).replace('-', '_')}.py"


def write_app(root: Path, i: int, revision: str = "r1") -> None:
    app_path(root, i).write_text(APP_TEMPLATE.format(name=service_name(i), revision=revision), encoding="utf-8")


def generate(root: Path, services: int) -> Path:
    """Write the repository at ``root`` (replacing apps/, environments/ and dist/ there)."""
    for sub in ("apps", "environments", "dist"):
        shutil.rmtree(root / sub, ignore_errors=True)
    (root / "apps").mkdir(parents=True)
    (root / "environments").mkdir(parents=True)
    (root / "fleet_common.py").write_text(COMMON, encoding="utf-8")
    for i in range(services):
        write_app(root, i)
    for env in ENVIRONMENTS:
        (root / "environments" / f"{env}.yaml").write_text(environment_yaml(env, services), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--services", "-n", type=int, default=30)
    args = parser.parse_args()
    generate(args.root, args.services)
    print(f"wrote a fleet of {args.services} services to {args.root}")


if __name__ == "__main__":
    main()
