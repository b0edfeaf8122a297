"""Type checkers see every generated field: mypy --strict flags each realistic mistake on its line, and nothing else."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PROGRAM = textwrap.dedent('''\
    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.models.apps_v1 import Deployment, DeploymentSpec, DeploymentStrategy
    from cdk8s_gitops.models.argoproj_io_v1alpha1 import Source
    from cdk8s_gitops.models.cert_manager_io_v1 import CertificateSpec, IssuerRef
    from cdk8s_gitops.models.core_v1 import Container, ContainerPort, PodSpec, PodTemplateSpec
    from cdk8s_gitops.models.meta_v1 import LabelSelector

    good = Deployment(
        metadata=ObjectMeta(name="web"),
        spec=DeploymentSpec(
            selector=LabelSelector(match_labels={"app": "web"}),
            strategy=DeploymentStrategy(type="Recreate"),
            template=PodTemplateSpec(
                metadata=ObjectMeta(labels={"app": "web"}),
                spec=PodSpec(containers=[Container(name="web", image="nginx:1.27", ports=[ContainerPort(container_port=80)])]),
            ),
        ),
    )
    source = Source(repo_url="https://example.com/x.git", target_revision="HEAD")
    cert = CertificateSpec(secret_name="tls", is_ca=True, issuer_ref=IssuerRef(name="ca"))
    bad_enum = Container(name="web", image_pull_policy="Alway")  # MISTAKE
    bad_camel = ContainerPort(containerPort=80)  # MISTAKE
    bad_type = ContainerPort(container_port="80")  # MISTAKE
    bad_missing = Container(image="nginx:1.27")  # MISTAKE
    bad_irregular = Source(repoURL="https://example.com/x.git")  # MISTAKE
    bad_spelling = Container(name="web", imagee="nginx")  # MISTAKE
    bad_nested = PodSpec(containers=[{"name": "web"}])  # MISTAKE
''')


def test_mypy_flags_each_mistake_on_its_line(tmp_path: Path) -> None:
    """Each line marked MISTAKE gets an error; the correct code above gets none."""
    if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
        pytest.skip("mypy is not installed (dev extra)")
    program = tmp_path / "probe.py"
    program.write_text(PROGRAM, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                           str(program)], capture_output=True, text=True, check=False, cwd=tmp_path)
    flagged = {int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error:" in line}
    lines = PROGRAM.splitlines()
    expected = {number for number, text in enumerate(lines, 1) if text.endswith("# MISTAKE")}
    assert flagged == expected, proc.stdout
