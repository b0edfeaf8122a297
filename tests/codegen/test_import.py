"""`cdk8s-gitops import`: typed models for users' own CRDs, with the same generator and conventions."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from helpers import shared_dir

from cdk8s_gitops.cli import main

WIDGET_CRD = textwrap.dedent("""\
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata: {name: widgets.example.com}
    spec:
      group: example.com
      scope: Namespaced
      names: {kind: Widget, plural: widgets}
      versions:
      - name: v1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              apiVersion: {type: string}
              kind: {type: string}
              metadata: {type: object}
              spec:
                type: object
                required: [size]
                x-kubernetes-validations:
                - rule: "!has(self.scaling) || self.scaling.minReplicas <= self.scaling.maxReplicas"
                  message: minReplicas must not exceed maxReplicas
                properties:
                  size: {type: string, enum: [small, large]}
                  ownerEmail: {type: string, pattern: '^[^@]+@[^@]+$'}
                  dnsTTL: {type: integer, minimum: 1, maximum: 86400}
                  scaling:
                    type: object
                    properties:
                      minReplicas: {type: integer}
                      maxReplicas: {type: integer}
                  ports:
                    type: array
                    maxItems: 2
                    items:
                      type: object
                      required: [port]
                      properties:
                        port: {type: integer}
                        name: {type: string}
""")

USER_PROGRAM = textwrap.dedent("""\
    from crds.example_com_v1 import Widget, WidgetSpec, WidgetSpecScaling
    from cdk8s_gitops import ObjectMeta

    widget = Widget(metadata=ObjectMeta(name="w"), spec=WidgetSpec(size="small", dns_ttl=60, scaling=WidgetSpecScaling(min_replicas=1, max_replicas=3)))
    wrong_enum = WidgetSpec(size="medium")  # MISTAKE
    wrong_name = WidgetSpec(size="small", dnsTTL=60)  # MISTAKE
""")


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=False)


class TestImport:
    def test_generates_a_typed_package_with_rules(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The package builds objects by keyword, emits camelCase, and refuses enum, pattern, limit and CEL mistakes."""
        (tmp_path / "crd.yaml").write_text(WIDGET_CRD, encoding="utf-8")
        assert main(["import", str(tmp_path / "crd.yaml"), "--out", str(tmp_path / "crds")]) == 0
        assert "Widget (example.com/v1): from crds.example_com_v1 import Widget" in capsys.readouterr().out
        code = textwrap.dedent("""\
            import crds
            from cdk8s_gitops import ManifestError, ObjectMeta, from_manifest
            from crds.example_com_v1 import Widget, WidgetSpec, WidgetSpecScaling, WidgetSpecPorts
            w = Widget(metadata=ObjectMeta(name="w"), spec=WidgetSpec(size="small", dns_ttl=60, owner_email="a@b.c",
                       scaling=WidgetSpecScaling(min_replicas=1, max_replicas=3), ports=[WidgetSpecPorts(port=80)]))
            m = w.to_manifest()
            assert m == {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
                         "spec": {"size": "small", "dnsTTL": 60, "ownerEmail": "a@b.c",
                                  "scaling": {"minReplicas": 1, "maxReplicas": 3}, "ports": [{"port": 80}]}}, m
            assert type(from_manifest(m)) is Widget
            for bad, needle in [({"size": "medium"}, "spec.size"), ({"size": "small", "ownerEmail": "nope"}, "spec.ownerEmail"),
                                ({"size": "small", "dnsTTL": 0}, "spec.dnsTTL"), ({}, "spec.size"),
                                ({"size": "small", "scaling": {"minReplicas": 5, "maxReplicas": 2}}, "minReplicas must not exceed maxReplicas"),
                                ({"size": "small", "ports": [{"port": 1}, {"port": 2}, {"port": 3}]}, "spec.ports")]:
                try:
                    Widget.from_manifest({**m, "spec": bad})
                except ManifestError as exc:
                    assert needle in str(exc), (needle, str(exc))
                else:
                    raise AssertionError(f"accepted {bad}")
            print("ok")
        """)
        proc = _run(code, tmp_path)
        assert proc.stdout.strip() == "ok", proc.stderr

    def test_type_checkers_see_the_fields(self, tmp_path: Path) -> None:
        """mypy --strict flags an enum mistake and a camelCase keyword in code using the imported models."""
        pytest.importorskip("mypy")
        (tmp_path / "crd.yaml").write_text(WIDGET_CRD, encoding="utf-8")
        assert main(["import", str(tmp_path / "crd.yaml"), "--out", str(tmp_path / "crds")]) == 0
        (tmp_path / "use.py").write_text(USER_PROGRAM, encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "use.py"], cwd=tmp_path,
                              capture_output=True, text=True, check=False)
        flagged = {int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error:" in line}
        expected = {n for n, line in enumerate(USER_PROGRAM.splitlines(), 1) if line.endswith("# MISTAKE")}
        assert flagged == expected, proc.stdout

    def test_upstream_crd_round_trips_its_examples(self, tmp_path: Path) -> None:
        """A real CRD (Strimzi KafkaUser, wrapped from ../shared's schema) imports and loads a valid object."""
        schema = json.loads((shared_dir("schemas", "crds") / "kafka.strimzi.io" / "kafkauser_v1.json").read_text())
        crd = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "kafkausers.kafka.strimzi.io"},
               "spec": {"group": "kafka.strimzi.io", "scope": "Namespaced", "names": {"kind": "KafkaUser", "plural": "kafkausers"},
                        "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema}}]}}
        (tmp_path / "crds-in").mkdir()
        (tmp_path / "crds-in" / "kafkauser.yaml").write_text(yaml.safe_dump(crd), encoding="utf-8")
        assert main(["import", str(tmp_path / "crds-in"), "--out", str(tmp_path / "mycrds")]) == 0
        code = textwrap.dedent("""\
            from mycrds.kafka_strimzi_io_v1 import KafkaUser
            doc = {"apiVersion": "kafka.strimzi.io/v1", "kind": "KafkaUser", "metadata": {"name": "u", "labels": {"strimzi.io/cluster": "c"}},
                   "spec": {"authentication": {"type": "tls"}, "authorization": {"type": "simple", "acls": [
                       {"resource": {"type": "topic", "name": "t"}, "operations": ["Read"]}]}}}
            assert KafkaUser.from_manifest(doc).to_manifest() == doc
            print("ok")
        """)
        proc = _run(code, tmp_path)
        assert proc.stdout.strip() == "ok", proc.stderr

    def test_refusals_change_nothing(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing file, a file without CRDs, and an output folder with foreign code are refused with a fix."""
        assert main(["import", str(tmp_path / "nope.yaml")]) == 2
        (tmp_path / "x.yaml").write_text("kind: ConfigMap\napiVersion: v1\n", encoding="utf-8")
        assert main(["import", str(tmp_path / "x.yaml"), "--out", str(tmp_path / "out")]) == 2
        (tmp_path / "crd.yaml").write_text(WIDGET_CRD, encoding="utf-8")
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "code.py").write_text("x = 1\n", encoding="utf-8")
        assert main(["import", str(tmp_path / "crd.yaml"), "--out", str(tmp_path / "mine")]) == 2
        err = capsys.readouterr().err
        assert "no such file" in err and "holds no CustomResourceDefinition" in err and "code.py" in err
        assert not (tmp_path / "out").exists() and sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["code.py"]
