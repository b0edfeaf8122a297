"""`cdk8s-gitops convert`: manifests in, a typed app module out, which synthesizes back to the same objects."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from cdk8s_gitops.cli import main

DEV = textwrap.dedent("""\
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web, namespace: shop-dev, labels: {app: web}}
    spec:
      replicas: 1
      selector: {matchLabels: {app: web}}
      template:
        metadata: {labels: {app: web}}
        spec:
          containers:
          - name: web
            image: ghcr.io/acme/web:dev-abc123
            resources: {limits: {memory: 256Mi}}
            ports: [{containerPort: 8080}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: web, namespace: shop-dev}
    spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: db, namespace: shop-dev}
    stringData: {password: hunter2-very-secret-value}
    ---
    apiVersion: example.com/v1
    kind: Widget
    metadata: {name: w, namespace: shop-dev}
    spec: {size: small}
""")
PROD = (DEV.replace("shop-dev", "shop-prod").replace("replicas: 1", "replicas: 3").replace("dev-abc123", "v1.2.3")
        .replace("256Mi", "1Gi"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "apps").mkdir(parents=True)
    (root / "environments").mkdir()
    for env in ("dev", "production"):
        (root / "environments" / f"{env}.yaml").write_text(
            f"name: {env}\ngit: {{repo_url: 'https://github.com/example/platform.git'}}\n"
            "secret_store: {name: vault, external: true}\n", encoding="utf-8")
    (tmp_path / "dev.yaml").write_text(DEV, encoding="utf-8")
    (tmp_path / "prod.yaml").write_text(PROD, encoding="utf-8")
    return root


class TestConvert:
    def test_per_environment_values_come_from_the_environment(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Tags, replicas, namespace and other differing values move to environments/*.yaml; one module, no copies."""
        rc = main(["-C", str(project), "convert", "--app", "shop", "--env", f"dev={project.parent / 'dev.yaml'}",
                   "--env", f"production={project.parent / 'prod.yaml'}"])
        out = capsys.readouterr().out
        assert rc == 0, out
        assert "verify: synthesizing the module gives back every input object" in out
        module = (project / "apps" / "shop.py").read_text(encoding="utf-8")
        assert 'env.image_tag("web")' in module and "env.replicas" in module and "env.namespace" in module
        assert "containers=[" in module and "Container(" in module and "container_port=8080" in module
        assert "containerPort" not in module and '"matchLabels"' not in module  # typed, snake_case
        prod = yaml.safe_load((project / "environments" / "production.yaml").read_text(encoding="utf-8"))
        assert prod["apps"]["shop"] == {"namespace": "shop-prod", "replicas": 3, "images": {"web": "v1.2.3"},
                                        "settings": {"web_limits_memory": "1Gi", }}
        assert prod["secret_store"] == {"name": "vault", "external": True}  # the rest of the file is kept

    def test_secrets_never_reach_code_or_environment_files(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A Secret with data becomes an ExternalSecret on the environment's store; its value is nowhere."""
        assert main(["-C", str(project), "convert", "--app", "shop", "--env", f"dev={project.parent / 'dev.yaml'}",
                     "--env", f"production={project.parent / 'prod.yaml'}"]) == 0
        out = capsys.readouterr().out
        assert "put its keys (password) as properties of 'shop/db'" in out
        for path in [*project.rglob("*.py"), *project.rglob("*.yaml")]:
            assert "hunter2" not in path.read_text(encoding="utf-8"), path
        module = (project / "apps" / "shop.py").read_text(encoding="utf-8")
        assert "ExternalSecret(" in module and "store.name" in module

    def test_untyped_kinds_use_the_escape_hatch_with_a_comment(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A kind with no model is a plain cdk8s ApiObject, and a comment says how to get typed code."""
        assert main(["-C", str(project), "convert", "--app", "shop", str(project.parent / "dev.yaml")]) == 0
        module = (project / "apps" / "shop.py").read_text(encoding="utf-8")
        assert "Widget (example.com/v1) has no typed model here" in module and "ApiObject(" in module
        assert "untyped (escape hatch): Widget 'w'" in capsys.readouterr().out

    def test_generated_module_passes_mypy_strict_and_ruff(self, project: Path) -> None:
        """The module is formatted, ruff-clean and mypy --strict clean."""
        pytest.importorskip("mypy")
        assert main(["-C", str(project), "convert", "--app", "shop", "--env", f"dev={project.parent / 'dev.yaml'}",
                     "--env", f"production={project.parent / 'prod.yaml'}"]) == 0
        module = project / "apps" / "shop.py"
        mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(module)],
                              capture_output=True, text=True, check=False, cwd=project)
        assert mypy.returncode == 0, mypy.stdout
        ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "E,F,W,I,UP,B", "--line-length", "120", str(module)],
                              capture_output=True, text=True, check=False)
        assert ruff.returncode == 0, ruff.stdout

    def test_the_project_synthesizes_the_converted_app(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """After convert, `cdk8s-gitops synth` of the repository writes the app for both environments."""
        assert main(["-C", str(project), "convert", "--app", "shop", "--env", f"dev={project.parent / 'dev.yaml'}",
                     "--env", f"production={project.parent / 'prod.yaml'}"]) == 0
        assert main(["-C", str(project), "synth"]) == 0, capsys.readouterr().err
        prod = list(yaml.safe_load_all((project / "dist" / "production" / "shop" / "manifest.yaml").read_text(encoding="utf-8")))
        deployment = next(d for d in prod if d["kind"] == "Deployment")
        assert deployment["spec"]["replicas"] == 3
        assert deployment["spec"]["template"]["spec"]["containers"][0]["image"] == "ghcr.io/acme/web:v1.2.3"
        assert not any(d["kind"] == "Secret" for d in prod)

    def test_refusals(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An existing module, a missing environment file and broken YAML are refused and nothing is written."""
        (project / "apps" / "shop.py").write_text("# mine\n", encoding="utf-8")
        assert main(["-C", str(project), "convert", "--app", "shop", str(project.parent / "dev.yaml")]) == 2
        bad = project.parent / "bad.yaml"
        bad.write_text("kind: [\n", encoding="utf-8")
        assert main(["-C", str(project), "convert", "--app", "other", str(bad)]) == 2
        assert main(["-C", str(project), "convert", "--app", "other", "--env", f"staging={project.parent / 'dev.yaml'}"]) == 2
        err = capsys.readouterr().err
        assert "already exists" in err and "not valid YAML" in err and "staging.yaml" in err
        assert (project / "apps" / "shop.py").read_text(encoding="utf-8") == "# mine\n"
        assert not (project / "apps" / "other.py").exists()
