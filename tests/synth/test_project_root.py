"""Apps import helper modules kept at the project's root, from any working directory, without PYTHONPATH."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = '''"""shop: its ConfigMap's owner comes from a helper module at the project's root."""
from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import ConfigMap

from team_defaults import OWNER


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"owner": OWNER}))
'''


def test_helper_module_at_the_root_imports_from_elsewhere(project: Path) -> None:
    (project / "apps" / "shop.py").write_text(APP)
    (project / "team_defaults.py").write_text('OWNER = "payments"\n')
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    elsewhere = project.parent
    proc = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "--project-dir", str(project), "synth"],
                          capture_output=True, text=True, check=False, env=env, cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert "owner: payments" in (project / "dist" / "dev" / "shop" / "manifest.yaml").read_text()
