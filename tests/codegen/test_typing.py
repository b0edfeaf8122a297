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

# What app modules write: platform constructs, props, environment settings and the semantic packages' short names.
# Lists where props keep tuples are correct code (no false alarm).
APP_PROGRAM = '''\
from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.argocd import Application, ApplicationSource, ApplicationSpec, Automated, Destination, SyncPolicy
from cdk8s_gitops.environment import ResolvedAppSettings, SyncPolicySpec
from cdk8s_gitops.gateway import HTTPRoute, HTTPRouteSpec, ParentReference
from cdk8s_gitops.kube import (ConfigMap, Container, HTTPGetAction, Probe, ResourceRequirements, Service, ServicePort,
                               ServiceSpec)
from cdk8s_gitops.platform import HelmAddon, Microservice, MicroserviceProps, RouteSettings
from cdk8s_gitops.rollouts import CanaryStep
from cdk8s_gitops.secrets import ExternalSecret, ExternalSecretSpec


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="ok"), data={"a": "b"}))
    ObjectMeta(name=1)  # MISTAKE
    ObjectMeta(name="x", labels={"a": 1})  # MISTAKE
    TypedResource(scope, {"kind": "ConfigMap"})  # MISTAKE
    ServiceSpec(type="Cluster")  # MISTAKE
    ParentReference(nam="gw")  # MISTAKE
    ApplicationSource(repo_url="https://x", target_revision=1)  # MISTAKE
    ExternalSecretSpec(refresh_interval=60)  # MISTAKE
    SyncPolicySpec(automated="yes")  # MISTAKE
    env.image_tag(1)  # MISTAKE
    Microservice(scope, "x", {"name": "x"})  # MISTAKE
    HelmAddon(scope, "x", values=["a"])  # MISTAKE
    RouteSettings(hostname=["a"])  # MISTAKE
    CanaryStep(set_weight="10")  # MISTAKE
    ns: int = env.namespace  # MISTAKE
    ServicePort(port=80, target_port=8080.5)  # MISTAKE
    Probe(http_get=HTTPGetAction(port="http", path=1))  # MISTAKE
    SyncPolicy(automated=Automated(self_heal="true"))  # MISTAKE
    Destination(server="https://x", namespace=None, nme="x")  # MISTAKE
    ConfigMap(metadata=ObjectMeta(name="x"), data={"a": 1})  # MISTAKE
    Container(name="x", resources=ResourceRequirements(limits={"cpu": [1]}))  # MISTAKE
    MicroserviceProps(name="x", image="r/x", secret_env={"A": "key"})  # MISTAKE
    Service(metadata=ObjectMeta(name="x"), spec=ServiceSpec(ports=[ServicePort(port="80")]))  # MISTAKE
    Application(metadata=ObjectMeta(name="x"), spec=ApplicationSpec(project="p", destination=Destination(), sources="x"))  # MISTAKE
    HTTPRoute(metadata=ObjectMeta(name="r"), spec=HTTPRouteSpec(hostnames="a.example.com"))  # MISTAKE
    ExternalSecret(metadata=ObjectMeta(name="s"), spec=ExternalSecretSpec(target="x"))  # MISTAKE
    Microservice(scope, "ok", MicroserviceProps(name="ok", image="r/ok", writable_paths=["/tmp"], command=["serve"],
                                                route=RouteSettings(hostnames=["ok.example.com"])), env=env)
'''


def test_mypy_flags_each_mistake_on_its_line(tmp_path: Path) -> None:
    """Each line marked MISTAKE gets an error; the correct code above gets none."""
    if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
        pytest.skip("mypy is not installed (dev extra)")
    programs = {"probe.py": PROGRAM, "app_probe.py": APP_PROGRAM}
    for name, text in programs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                           *programs], capture_output=True, text=True, check=False, cwd=tmp_path)
    for name, text in programs.items():
        flagged = {int(line.split(":")[1]) for line in proc.stdout.splitlines() if line.startswith(f"{name}:") and ": error:" in line}
        expected = {number for number, line in enumerate(text.splitlines(), 1) if line.endswith("# MISTAKE")}
        assert flagged == expected, proc.stdout
