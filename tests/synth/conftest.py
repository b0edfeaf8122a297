"""A throwaway project (apps/ + environments/) for synth and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

APP = '''"""shop: a config map per environment."""
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"tag": env.image_tag("web"), "replicas": str(env.replicas)}))
'''

ENV = """name: {name}
git:
  repo_url: https://github.com/example/platform.git
replicas: {replicas}
apps:
  shop:
    images:
      web: v1.0.{replicas}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one app (shop) in dev and production."""
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text(APP)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(ENV.format(name="dev", replicas=1))
    (tmp_path / "environments" / "production.yaml").write_text(ENV.format(name="production", replicas=3))
    return tmp_path


def snapshot_tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes (to prove a folder did not change)."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
