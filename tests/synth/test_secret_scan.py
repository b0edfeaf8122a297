"""The secret scan: planted secrets in many formats and places are refused, references and normal config are not."""

from __future__ import annotations

import base64
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk8s_gitops import SynthError
from cdk8s_gitops.cli import main
from cdk8s_gitops.core import ALLOW_ANNOTATION, secret_scan_allowance
from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject
from cdk8s_gitops.secrets.checks import no_secret_values
from cdk8s_gitops.synth.secret_scan import credential_key, problem, scan_manifest, secret_scan

from ..helpers import upstream_documents
from .conftest import snapshot_tree

PEM = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
       "-----END OPENSSH PRIVATE KEY-----\n")
RSA = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\n-----END RSA PRIVATE KEY-----"
ENCRYPTED = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----"
GITHUB = "ghp_" + "Zq3xT9bW2mK7vL4nR8pY1cF6hJ0sD5gA3eU2"
GITHUB_FINE = "github_pat_" + "11ABCDEFG0" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1aC3eG5iK7mO9qS1uW3yA5cE7gI9kM1o"
AWS_ID = "AKIA" + "Z7QW3ERT5YUI8OPL"
AWS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Xw2LmTe"
JWT = ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
       "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")
SLACK = "https://hooks.slack.com/services/" + "T0A1B2C3D/B0A1B2C3D/aB3dE5gH7jK9mN1pQ3sT5vX7"
STRIPE = "sk_live_" + "51HqLyjWDarjtT1zdp7dcXyZ"


def cm(data: dict[str, str], **meta: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings", "namespace": "shop", **meta}, "data": data}


def deployment(container: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop"},
            "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "ghcr.io/x/web:1.0", **container}]}}}}


def application(helm: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "grafana", "namespace": "argocd"},
            "spec": {"source": {"repoURL": "https://charts.example.com", "chart": "grafana", "helm": helm}}}


# (case id, manifest, expected subject, expected field path, expected kind (substring), the value that must never be echoed)
PLANTED = [
    ("ssh key in a ConfigMap", cm({"id_ed25519": PEM}), "ConfigMap 'settings'", "data.id_ed25519", "Private Key", "b3BlbnNzaC1rZXkt"),
    ("rsa key in a ConfigMap", cm({"tls.key": RSA}), "ConfigMap 'settings'", 'data["tls.key"]', "Private Key", "MIIEowIBAAKCAQEA"),
    ("encrypted PKCS#8 key", cm({"key.pem": ENCRYPTED}), "ConfigMap 'settings'", 'data["key.pem"]', "Private Key", "MIIFHDBOBgkq"),
    ("GitHub token in env", deployment({"env": [{"name": "GH", "value": GITHUB}]}), "Deployment 'web'",
     "spec.template.spec.containers[0].env[0].value", "GitHub Token", GITHUB),
    ("fine-grained GitHub token in args", deployment({"args": ["--github", GITHUB_FINE]}), "Deployment 'web'",
     "spec.template.spec.containers[0].args[1]", "GitHub Token", GITHUB_FINE),
    ("AWS keys in a ConfigMap", cm({"credentials": f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_KEY}\n"}),
     "ConfigMap 'settings'", "data.credentials", "AWS Access Key", AWS_ID),
    ("AWS secret key line", cm({"credentials": f"[default]\naws_secret_access_key = {AWS_KEY}\n"}),
     "ConfigMap 'settings'", "data.credentials:line 2", "config text", AWS_KEY),
    ("adminPassword in Helm values text", application({"values": "grafana:\n  adminUser: admin\n  adminPassword: Tr0ub4dor&3\n"}),
     "Application 'grafana'", "spec.source.helm.values:grafana.adminPassword", "adminPassword", "Tr0ub4dor"),
    ("password in valuesObject", application({"valuesObject": {"auth": {"rootPassword": "hunter2hunter2"}}}),
     "Application 'grafana'", "spec.source.helm.valuesObject.auth.rootPassword", "rootPassword", "hunter2"),
    ("Helm parameter", application({"parameters": [{"name": "redis.auth.password", "value": "pa55word-x"}]}),
     "Application 'grafana'", "spec.source.helm.parameters[0].value", "redis.auth.password", "pa55word"),
    ("password in collector config", cm({"collector.yaml": "exporters:\n  otlphttp:\n    endpoint: https://otel.example.com\n"
                                                          "    auth:\n      password: correct-horse-battery\n"}),
     "ConfigMap 'settings'", 'data["collector.yaml"]:exporters.otlphttp.auth.password', "password", "correct-horse"),
    ("Authorization header in collector config", cm({"collector.yaml": "exporters:\n  otlphttp:\n    headers:\n"
                                                                       "      Authorization: Basic dXNlcjpzM2NyM3Q=\n"}),
     "ConfigMap 'settings'", 'data["collector.yaml"]:exporters.otlphttp.headers.Authorization', "Authorization", "dXNlcjpzM2NyM3Q"),
    ("JWT in an annotation", cm({}, annotations={"example.com/session": JWT}), "ConfigMap 'settings'",
     'metadata.annotations["example.com/session"]', "JSON Web Token", JWT[:30]),
    ("basic-auth URL", cm({"DATABASE_URL": "postgres://app:s3cr3tpw@db.shop:5432/app"}), "ConfigMap 'settings'",
     "data.DATABASE_URL", "Basic Auth", "s3cr3tpw"),
    ("Slack webhook", cm({"notify": SLACK}), "ConfigMap 'settings'", "data.notify", "Slack", SLACK[-20:]),
    ("Stripe key in env", deployment({"env": [{"name": "PAYMENTS", "value": STRIPE}]}), "Deployment 'web'",
     "spec.template.spec.containers[0].env[0].value", "Stripe", STRIPE),
    ("password flag in args", deployment({"args": ["--db-password", "pa55word-x"]}), "Deployment 'web'",
     "spec.template.spec.containers[0].args[1]", "db-password", "pa55word"),
    ("password in properties text", cm({"app.properties": "server.port=8080\nspring.datasource.password=pa55word-x\n"}),
     "ConfigMap 'settings'", 'data["app.properties"]:line 2', "config text", "pa55word"),
    ("credential env var", deployment({"env": [{"name": "API_TOKEN", "value": "plain-token-value-1"}]}), "Deployment 'web'",
     "spec.template.spec.containers[0].env[0].value", "API_TOKEN", "plain-token-value-1"),
    ("high-entropy token", cm({"blob": "q8Xw2LmTeZ7vK4nR9pY1cF6hJ0sD5gA3eU2wQ"}), "ConfigMap 'settings'",
     "data.blob", "high-entropy", "q8Xw2LmTeZ7v"),
    ("redis requirepass", cm({"redis.conf": "port 6379\nrequirepass foobared-42\n"}), "ConfigMap 'settings'",
     'data["redis.conf"]:line 2', "config directive", "foobared"),
    ("netrc password", cm({".netrc": "machine api.example.com login bot password s3cretpw\n"}), "ConfigMap 'settings'",
     'data[".netrc"]', "config directive", "s3cretpw"),
    ("private key in kubeconfig client-key-data", cm({"kubeconfig": "apiVersion: v1\nusers:\n- name: ci\n  user:\n"
                                                                   "    client-key-data: " + base64.b64encode(RSA.encode()).decode() + "\n"}),
     "ConfigMap 'settings'", "data.kubeconfig:users[0].user.client-key-data:base64", "Private Key",
     base64.b64encode(RSA.encode()).decode()[:40]),
    ("AWS key in binaryData", {**cm({}), "binaryData": {"credentials": base64.b64encode(
        f"aws_secret_access_key = {AWS_KEY}\n".encode()).decode()}},
     "ConfigMap 'settings'", "binaryData.credentials:base64", "config text", AWS_KEY),
    ("credential flag with =", deployment({"args": ["--api-key=abc123def456"]}), "Deployment 'web'",
     "spec.template.spec.containers[0].args[0]", "api-key", "abc123def456"),
    ("docker config auth", cm({"config.json": '{"auths": {"ghcr.io": {"auth": "' + base64.b64encode(b"bot:pa55word-x").decode() + '"}}}'}),
     "ConfigMap 'settings'", 'data["config.json"]:auths["ghcr.io"].auth', "auth", "pa55word"),
    ("Vault token in env", deployment({"env": [{"name": "VAULT", "value": "hvs." + "CAESIJ3k9fQ2mZx7LpW4rT8vY1nB5cH0gD6s"}]}),
     "Deployment 'web'", "spec.template.spec.containers[0].env[0].value", "Vault Token", "CAESIJ3k9fQ2"),
    ("literal in an ExternalSecret template", {
        "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"secretStoreRef": {"name": "vault", "kind": "SecretStore"},
                 "target": {"template": {"data": {"username": "app", "password": "pa55word-x"}}},
                 "data": [{"secretKey": "DB_PASSWORD", "remoteRef": {"key": "db", "property": "password"}}]}},
     "ExternalSecret 'db'", "spec.target.template.data.password", "password", "pa55word"),
    ("fake provider value", {
        "apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": {"name": "fake", "namespace": "shop"},
        "spec": {"provider": {"fake": {"data": [{"key": "/shop/db", "value": "opensesame-42", "version": "v1"}]}}}},
     "SecretStore 'fake'", "spec.provider.fake.data[0].value", "fake provider", "opensesame"),
    ("Fake generator", {"apiVersion": "generators.external-secrets.io/v1alpha1", "kind": "Fake",
                        "metadata": {"name": "fake", "namespace": "shop"}, "spec": {"data": {"apiKey": "opensesame-42"}}},
     "Fake 'fake'", "spec.data.apiKey", "fake provider", "opensesame"),
    ("private key inside YAML config text", cm({"collector.yaml": "exporters:\n  otlp:\n    tls:\n      key_pem: |\n"
                                                                  + "".join(f"        {line}\n" for line in RSA.splitlines())}),
     "ConfigMap 'settings'", 'data["collector.yaml"]:exporters.otlp.tls.key_pem', "Private Key", "MIIEowIBAAKCAQEA"),
    ("token inside JSON text", cm({"settings.json": '{"integrations": [{"kind": "github", "auth": "' + GITHUB + '"}]}'}),
     "ConfigMap 'settings'", 'data["settings.json"]:integrations[0].auth', "GitHub Token", GITHUB),
    ("basic-auth header in nginx config", cm({"nginx.conf": 'location / {\n  proxy_set_header Authorization "Basic '
                                                            + base64.b64encode(b"ops:pa55word-x").decode() + '";\n}\n'}),
     "ConfigMap 'settings'", 'data["nginx.conf"]', "basic-auth", base64.b64encode(b"ops:pa55word-x").decode()),
    ("token in a List item", {"apiVersion": "v1", "kind": "List", "metadata": {"name": "bundle"},
                              "items": [cm({"notify": SLACK})]},
     "ConfigMap 'settings' in namespace 'shop' (items[0] of List 'bundle')", "data.notify", "Slack", SLACK[-20:]),
]

NEGATIVE = [
    ("references in env and args", deployment({
        "args": ["--password-file=/run/secrets/db/password", "--token=$(API_TOKEN)"],
        "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
                {"name": "DB_PASSWORD_FILE", "value": "/var/run/secrets/web/DB_PASSWORD"},
                {"name": "API_TOKEN", "value": "${env:API_TOKEN}"},
                {"name": "LOG_LEVEL", "value": "info"}]})),
    ("placeholders in an ExternalSecret template", {
        "apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "db", "namespace": "shop"},
        "spec": {"target": {"template": {"data": {
            "username": "app", "password": "{{ .password }}", "url": "postgres://app:{{ .password }}@db:5432/app",
            "credentials": "[default]\naws_secret_access_key = {{ .secret_access_key }}\n"}}},
                 "data": [{"secretKey": "password", "remoteRef": {"key": "shop/db", "property": "password"}}]}}),
    ("checksums and digests", {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "shop", "annotations": {
            "checksum/config": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"}},
        "spec": {"template": {"spec": {"containers": [{"name": "web", "image": (
            "ghcr.io/example/web@sha256:3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b")}]}}}}),
    ("normal config text", cm({
        "collector.yaml": "receivers:\n  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n"
                          "exporters:\n  otlphttp:\n    endpoint: https://otel.example.com\n    headers:\n"
                          "      authorization: ${env:OTLP_AUTH}\n",
        "app.ini": "[server]\nport = 8080\npassword_file = /run/secrets/pw\n",
        "uuid": "123e4567-e89b-12d3-a456-426614174000", "commit": "9fceb02d0ae598e95dc970b74767f19372d61af8",
        "motd": "Set the password in the vault.\nThe token expires after 5 minutes.\nrotate token daily\n"
                "Basic authentication is off.\n",
        "ca.crt": "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTES\n"
                  "-----END CERTIFICATE-----\n"})),
    ("names of Secrets", {"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": {"name": "db"},
                          "spec": {"certificates": {"serverTLSSecret": "db-server-tls", "serverCASecret": "db-ca"},
                                   "superuserSecret": {"name": "db-superuser"}, "existingSecret": "db-creds",
                                   "passwordKey": "password", "tokenUrl": "https://auth.example.com/token"}}),
    ("Secret without values", {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "sa-token",
                               "annotations": {"kubernetes.io/service-account.name": "web"}},
                               "type": "kubernetes.io/service-account-token"}),
]


class TestPlanted:
    @pytest.mark.parametrize(("manifest", "subject", "path", "kind", "value"),
                             [c[1:] for c in PLANTED], ids=[c[0] for c in PLANTED])
    def test_refused_naming_object_field_and_kind(self, manifest: dict[str, Any], subject: str, path: str,
                                                  kind: str, value: str) -> None:
        """Each planted secret is one finding naming the object, the field path and the kind; the value is never echoed."""
        findings, _, _ = scan_manifest(manifest)
        matching = [f for f in findings if f.path == path]
        assert matching, f"no finding at {path}: {findings}"
        assert any(kind in f.kind for f in matching), matching
        assert all(f.subject.startswith(subject) for f in matching), matching
        for finding in findings:
            text = str(problem(finding))
            assert value not in text
            assert "ExternalSecret" in text and ALLOW_ANNOTATION in text  # the fix

    def test_synth_check_refuses_through_the_index(self) -> None:
        """The registered global check reports every finding with the object's construct path."""
        index = ObjectIndex("dev")
        index.add(RenderedObject(cm({"id_ed25519": PEM}), "shop", None, lambda: "dev-shop/settings"))
        problems = list(secret_scan(index))
        assert [(p.subject, p.path, p.where) for p in problems] == [
            ("ConfigMap 'settings' in namespace 'shop' (app 'shop')", "data.id_ed25519", "dev-shop/settings")]
        assert "Private Key" in problems[0].message


class TestNegatives:
    @pytest.mark.parametrize("manifest", [c[1] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
    def test_no_finding(self, manifest: dict[str, Any]) -> None:
        """References, placeholders, checksums, digests, names of Secrets and normal config are not secrets."""
        assert scan_manifest(manifest) == ([], [], [])

    def test_upstream_examples_are_clean(self) -> None:
        """The valid upstream examples (real-world configs without secrets) raise no false alarm."""
        docs = upstream_documents()
        noisy = [(d.name, f.path, f.kind) for d in docs for f in scan_manifest(d.doc)[0]]
        assert noisy == []

    @pytest.mark.parametrize(("key", "expected"), [
        ("password", True), ("adminPassword", True), ("AWS_SECRET_ACCESS_KEY", True), ("apiKey", True),
        ("client_secret", True), ("PGPASSWORD", True), ("SECRET_KEY_BASE", True), ("x-api-key", True),
        ("secretName", False), ("passwordFile", False), ("tokenUrl", False), ("existingSecret", False),
        ("secretKeys", False), ("key", False), ("publicKey", False), ("password_min_length", False)])
    def test_credential_key(self, key: str, expected: bool) -> None:
        """A key is a credential by its last word; words that name something rule it out."""
        assert credential_key(key) is expected


class TestHostileText:
    def test_alias_bomb_in_a_string_is_not_expanded(self) -> None:
        """YAML text with aliases is scanned line by line, never expanded (an alias bomb stays cheap)."""
        import time

        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
        start = time.perf_counter()
        findings, _, _ = scan_manifest(cm({"bomb.yaml": "\n".join([*lines, "password: pa55word-x"]) + "\n"}))
        assert time.perf_counter() - start < 2
        assert [(f.path, f.kind) for f in findings] == [('data["bomb.yaml"]:line 10', "password or key assignment in config text")]


class TestAllowances:
    def test_allowance_silences_and_is_reported(self) -> None:
        """An allowance with a reason covers its field (and below); the scan returns it for the README."""
        manifest = cm({"demo.pem": RSA}, annotations=secret_scan_allowance({'data["demo.pem"]': "public demo key from the docs"}))
        findings, allowed, problems = scan_manifest(manifest)
        assert findings == [] and problems == []
        assert [(a.path, a.reason) for a in allowed] == [('data["demo.pem"]', "public demo key from the docs")]

    def test_allowance_covers_only_its_field(self) -> None:
        """Another field of the same object is still refused."""
        manifest = cm({"demo.pem": RSA, "live.pem": PEM}, annotations=secret_scan_allowance({'data["demo.pem"]': "demo"}))
        assert [f.path for f in scan_manifest(manifest)[0]] == ['data["live.pem"]']

    def test_unused_and_malformed_allowances_are_refused(self) -> None:
        """An allowance that matches nothing, or a line without a reason, is a problem of its own."""
        manifest = cm({"a": "b"}, annotations={ALLOW_ANNOTATION: "data.a: not a secret\ndata.b"})
        _, _, problems = scan_manifest(manifest)
        messages = sorted(p.message for p in problems)
        assert any("matches no secret-scan finding" in m for m in messages)
        assert any("is not '<field path>: <reason>'" in m for m in messages)

    def test_helper_refuses_empty_reason(self) -> None:
        """secret_scan_allowance needs a one-line reason."""
        with pytest.raises(ValueError, match="reason"):
            secret_scan_allowance({"data.x": " "})


class TestLists:
    def test_secret_with_values_inside_a_list(self) -> None:
        """A Secret with data as an item of a List (or SecretList) is refused like a top-level one."""
        for kind in ("List", "SecretList"):
            secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "x"}}
            index = ObjectIndex("dev")
            index.add(RenderedObject({"apiVersion": "v1", "kind": kind, "metadata": {"name": "bundle"},
                                      "items": [{"apiVersion": "v1", "kind": "List", "items": [secret]}]}, "shop"))
            problems = list(no_secret_values(index))
            assert [(p.subject, p.path) for p in problems] == [
                (f"Secret 'db' (items[0].items[0] of {kind} 'bundle')", "items[0].items[0].stringData")]
            assert "password" in problems[0].message  # the key's name, not its value


APP = '''"""shop: a Deployment with a planted token made through a raw ApiObject."""
import cdk8s


def build(scope, env):
    bundle = cdk8s.ApiObject(scope, "bundle", api_version="v1", kind="List", metadata={{"name": "bundle"}})
    bundle.add_json_patch(cdk8s.JsonPatch.add("/items", [
        {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "hooks"}}, "data": {{"notify": "{slack}"}}}}]))
'''


class TestEndToEnd:
    def test_synth_refuses_and_leaves_dist_unchanged(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """synth exits non-zero naming object, field and kind, prints no value, and writes nothing."""
        assert main(["-C", str(project), "synth"]) == 0
        before = snapshot_tree(project)
        (project / "apps" / "shop.py").write_text(APP.format(slack=SLACK))
        before["apps/shop.py"] = (project / "apps" / "shop.py").read_bytes()
        assert main(["-C", str(project), "synth"]) != 0
        err = capsys.readouterr().err
        assert "ConfigMap 'hooks'" in err and "data.notify" in err and "Slack" in err
        assert SLACK[-20:] not in err and "Traceback" not in err
        assert snapshot_tree(project) == before

    def test_synthesize_raises_synth_error(self, project: Path) -> None:
        """The Python entry point raises SynthError with the finding."""
        from cdk8s_gitops.synth import Project, synthesize

        (project / "apps" / "shop.py").write_text(APP.format(slack=SLACK))
        with pytest.raises(SynthError, match=r"data\.notify"):
            synthesize(Project(project))

    def test_validate_scans_any_yaml(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """validate applies the same scan to a YAML file, naming file, object and field, never the value."""
        path = tmp_path / "leak.yaml"
        path.write_text(yaml.safe_dump_all([cm({"id_ed25519": PEM}), application(
            {"values": "adminPassword: Tr0ub4dor&3\n"})]))
        assert main(["validate", str(path)]) != 0
        out = capsys.readouterr()
        text = out.out + out.err
        assert "ConfigMap 'settings'" in text and "data.id_ed25519" in text and "Private Key" in text
        assert "spec.source.helm.values:adminPassword" in text
        assert "b3BlbnNzaC1rZXkt" not in text and "Tr0ub4dor" not in text


ALLOWED_APP = '''"""shop: a ConfigMap holding a documented demo key, allowed with a reason."""
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.core import secret_scan_allowance
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(
        metadata=ObjectMeta(name="demo", annotations=secret_scan_allowance({{'data["demo.pem"]': "public key pair of the vendor's demo"}})),
        data={{"demo.pem": {pem!r}}}))
'''


class TestAllowanceInDist:
    def test_allowance_is_listed_in_the_app_readme(self, project: Path) -> None:
        """An allowed finding synthesizes; the app's README lists object, field and reason."""
        (project / "apps" / "shop.py").write_text(ALLOWED_APP.format(pem=RSA))
        assert main(["-C", str(project), "synth"]) == 0
        readme = (project / "dist" / "dev" / "shop" / "README.md").read_text()
        assert "## Secret-scan allowances" in readme
        assert "| ConfigMap 'demo' in namespace 'shop-dev' | `data[\"demo.pem\"]` | public key pair of the vendor's demo |" in readme


class TestValidateAnyYaml:
    def test_validate_scans_documents_that_are_not_objects(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A plain values file (no apiVersion/kind) is scanned too."""
        path = tmp_path / "values.yaml"
        path.write_text("grafana:\n  adminPassword: Tr0ub4dor&3\n")
        assert main(["validate", str(path)]) != 0
        out = capsys.readouterr()
        assert "grafana.adminPassword" in out.out + out.err and "Tr0ub4dor" not in out.out + out.err


class TestScreen:
    """The joined patterns only rule out plugins that would find nothing: every plugin finds the same with the
    screen as without it, on known secrets, near misses and every string of the planted and negative cases."""

    @staticmethod
    def _found(plugins: Any, value: str) -> dict[str, list[str]]:
        return {p.secret_type: hits for p in plugins if (hits := list(p.analyze_string(value)))}

    def test_same_findings_with_the_screen(self) -> None:
        from cdk8s_gitops.synth.secret_detectors import EXTRA_PATTERNS, detectors, detectors_for
        from cdk8s_gitops.synth.secret_scan import _leaves

        values = {PEM, RSA, ENCRYPTED, GITHUB, GITHUB_FINE, AWS_ID, AWS_KEY, JWT, SLACK, STRIPE,
                  "Authorization: Bearer " + "x" * 30, "postgres://user:" + "s3cr3t" + "@db:5432/app", "eyJhbGciOi.x.y",
                  "AccountKey=" + "a" * 88, "xoxb-" + "1234-5678-abcdEFGH", "shop.example.com", "", "\n", "ghp_short"}
        for case in (*PLANTED, *NEGATIVE):
            values.update(leaf for item in case if isinstance(item, dict) for _, _, leaf in _leaves(item, (), ""))
        rng = random.Random(17)
        alphabet = "AKIAghp_sk-live0123456789abcdefXYZ:/=.+-_ \n"
        values.update("".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 80))) for _ in range(3000))
        screened = 0
        for value in values:
            some = detectors_for(value)
            assert self._found(some, value) == self._found(detectors(), value), value
            screened += not some
        assert screened > len(values) // 2  # the screen does rule out plugins for most strings
        assert len(detectors()) >= 20 + len(EXTRA_PATTERNS)  # detect-secrets' plugins and ours
        assert self._found(detectors_for(GITHUB), GITHUB) and self._found(detectors_for(JWT), JWT)


def test_loading_detect_secrets_leaves_warnings_as_they_were() -> None:
    """detect-secrets routes every warning of the process to logging when imported; the scan puts Python's display
    back, so an app's warnings show the same before and after the first scan (checked in a fresh process, where
    detect-secrets is not loaded yet)."""
    import subprocess
    import sys

    script = ("import sys, warnings\nshown = warnings.showwarning\n"
              "from cdk8s_gitops.synth.secret_scan import scan_manifest\n"
              "assert 'detect_secrets' not in sys.modules\n"
              "scan_manifest({'kind': 'ConfigMap', 'data': {'token': 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}})\n"
              "assert 'detect_secrets' in sys.modules\n"
              "assert warnings.showwarning is shown, warnings.showwarning\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
