"""BackingService: pinned upstream servers with volumes, generated credentials and the restricted baseline."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from helpers import CRD_SCHEMAS as SCHEMAS
from helpers import by_kind_and_name, require

from cdk8s_gitops import ManifestError
from cdk8s_gitops.kube import Container, PersistentVolumeClaimSpec, Probe, SecurityContext, StatefulSet
from cdk8s_gitops.platform.backing_service import (
    BackingPort,
    BackingProbe,
    BackingService,
    BackingServiceProps,
    GeneratedCredentials,
    VolumeSettings,
)
from cdk8s_gitops.secrets import ExternalSecret
from cdk8s_gitops.testing import synth_chart

DB = BackingServiceProps(
    name="db",
    image="postgres:17.6",
    ports=(BackingPort(name="postgres", port=5432),),
    credentials=GeneratedCredentials(fixed={"username": "app"}, file_env={"POSTGRES_PASSWORD_FILE": "password"}),
    volume=VolumeSettings(mount_path="/var/lib/postgresql/data", size="5Gi"),
    liveness=BackingProbe(command=("pg_isready",)),
    allow_from_namespaces=("api",),
)


def build(props: BackingServiceProps) -> dict[tuple[str, str], dict[str, Any]]:
    manifests = synth_chart(lambda scope, env: BackingService(scope, "svc", props), app="shop")
    return by_kind_and_name(manifests)


def pod_spec(objs: dict[tuple[str, str], dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return objs[(kind, name)]["spec"]["template"]["spec"]


class TestWorkloads:
    def test_statefulset_with_claim_template(self) -> None:
        """The default workload is a StatefulSet with one replica, its Service as serviceName and a claim template."""
        objs = build(DB)
        spec = objs[("StatefulSet", "db")]["spec"]
        assert spec["replicas"] == 1 and spec["serviceName"] == "db"
        assert spec["volumeClaimTemplates"] == [{"metadata": {"name": "data"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "5Gi"}}}}]
        mounts = {m["name"]: m["mountPath"] for m in spec["template"]["spec"]["containers"][0]["volumeMounts"]}
        assert mounts["data"] == "/var/lib/postgresql/data"

    def test_deployment_with_claim_recreates(self) -> None:
        """A Deployment gets a PersistentVolumeClaim <name>-data, mounts it, and uses Recreate."""
        props = DB.model_copy(update={"workload": "Deployment", "credentials": None})
        objs = build(props)
        assert objs[("Deployment", "db")]["spec"]["strategy"] == {"type": "Recreate"}
        assert objs[("PersistentVolumeClaim", "db-data")]["spec"]["resources"]["requests"]["storage"] == "5Gi"
        volumes = pod_spec(objs, "Deployment", "db")["volumes"]
        assert {"name": "data", "persistentVolumeClaim": {"claimName": "db-data"}} in volumes

    def test_node_port_service(self) -> None:
        """A port with node_port makes the Service a NodePort with that fixed port."""
        props = BackingServiceProps(name="registry", image="registry:3.0.0",
                                    ports=(BackingPort(name="registry", port=5000, node_port=30500),))
        service = build(props)[("Service", "registry")]["spec"]
        assert service["type"] == "NodePort"
        assert service["ports"] == [{"name": "registry", "port": 5000, "targetPort": "registry", "protocol": "TCP",
                                     "nodePort": 30500}]

    def test_cluster_ip_by_default(self) -> None:
        """Without node ports the Service is ClusterIP."""
        assert build(DB)[("Service", "db")]["spec"]["type"] == "ClusterIP"


class TestSecurity:
    def test_restricted_pod(self) -> None:
        """Pods run non-root with a high UID, no escalation, no capabilities, RuntimeDefault seccomp and a read-only root."""
        spec = pod_spec(build(DB), "StatefulSet", "db")
        container = spec["containers"][0]
        ctx = container["securityContext"]
        assert ctx["runAsNonRoot"] and ctx["runAsUser"] >= 10000 and ctx["readOnlyRootFilesystem"]
        assert ctx["allowPrivilegeEscalation"] is False and ctx["capabilities"] == {"drop": ["ALL"]}
        assert ctx["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False and spec["serviceAccountName"] == "db"
        assert container["imagePullPolicy"] == "Always"
        assert set(container["resources"]) == {"limits", "requests"}
        assert "livenessProbe" in container and "readinessProbe" in container

    def test_digest_skip_only_for_tags(self) -> None:
        """A tag-pinned image carries the CKV_K8S_43 skip; a digest-pinned one does not."""
        assert "checkov.io/skip1" in build(DB)[("StatefulSet", "db")]["metadata"]["annotations"]
        digest = DB.model_copy(update={"image": "postgres@sha256:" + "a" * 64})
        assert "annotations" not in build(digest)[("StatefulSet", "db")]["metadata"]

    def test_network_policy_peers(self) -> None:
        """The NetworkPolicy admits the app's pods and the listed namespaces, on the service's ports."""
        rule = build(DB)[("NetworkPolicy", "db")]["spec"]["ingress"][0]
        assert rule["ports"] == [{"protocol": "TCP", "port": 5432}]
        assert {"podSelector": {"matchLabels": {"app.kubernetes.io/part-of": "shop"}}} in rule["from"]
        assert {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "api"}}} in rule["from"]

    def test_network_policy_anywhere(self) -> None:
        """allow_from_anywhere admits every source, still only on the service's ports."""
        props = DB.model_copy(update={"allow_from_anywhere": True})
        rule = build(props)[("NetworkPolicy", "db")]["spec"]["ingress"][0]
        assert rule == {"ports": [{"protocol": "TCP", "port": 5432}]}


class TestCredentials:
    def test_generator_and_external_secret(self) -> None:
        """Credentials come from a Password generator through an ExternalSecret created once, fixed keys merged in."""
        objs = build(DB)
        password = objs[("Password", "db-password")]["spec"]
        assert password["length"] == 32 and password["symbols"] == 0 and "secretKeys" not in password
        es = objs[("ExternalSecret", "db-credentials")]["spec"]
        assert es["refreshPolicy"] == "CreatedOnce"
        assert es["dataFrom"] == [{"sourceRef": {"generatorRef": {
            "apiVersion": "generators.external-secrets.io/v1alpha1", "kind": "Password", "name": "db-password"}}}]
        assert es["target"]["template"] == {"engineVersion": "v2", "mergePolicy": "Merge", "data": {"username": "app"}}
        assert ("Secret", "db-credentials") not in objs

    def test_files_not_environment(self) -> None:
        """The Secret is mounted read-only and <VAR>_FILE points at its key; no secretKeyRef in the environment."""
        container = pod_spec(build(DB), "StatefulSet", "db")["containers"][0]
        assert {"name": "POSTGRES_PASSWORD_FILE", "value": "/var/run/secrets/db/password"} in container["env"]
        assert {"name": "credentials", "mountPath": "/var/run/secrets/db", "readOnly": True} in container["volumeMounts"]
        assert all("valueFrom" not in e for e in container["env"])

    def test_several_generated_keys(self) -> None:
        """More than one generated key is written as the generator's secretKeys."""
        props = DB.model_copy(update={"credentials": GeneratedCredentials(generated_keys=("a", "b"))})
        assert build(props)[("Password", "db-password")]["spec"]["secretKeys"] == ["a", "b"]

    def test_sync_waves(self) -> None:
        """The generator syncs before the ExternalSecret, which syncs before the workload."""
        objs = build(DB)
        wave = lambda k, n: objs[(k, n)]["metadata"].get("annotations", {}).get("argocd.argoproj.io/sync-wave")  # noqa: E731
        assert (wave("Password", "db-password"), wave("ExternalSecret", "db-credentials")) == ("-2", "-1")

    def test_against_crd_schemas(self) -> None:
        """The generator and ExternalSecret validate against the External Secrets CRD schemas."""
        require(SCHEMAS)
        objs = build(DB)
        for (kind, name), path in {("Password", "db-password"): "generators.external-secrets.io/password_v1alpha1.json",
                                   ("ExternalSecret", "db-credentials"): "external-secrets.io/externalsecret_v1.json"}.items():
            schema_file = SCHEMAS / path
            assert schema_file.exists(), f"{path} not present"
            jsonschema.Draft7Validator(json.loads(schema_file.read_text())).validate(objs[(kind, name)])


class TestValidation:
    def test_unpinned_image(self) -> None:
        """An image without a tag is refused with the value and the fix."""
        with pytest.raises(ManifestError, match=r"'postgres' has no tag or digest; pin"):
            BackingServiceProps(name="db", image="postgres", ports=(BackingPort(name="pg", port=5432),))

    def test_mutable_tag(self) -> None:
        """A mutable tag such as latest is refused."""
        with pytest.raises(ManifestError, match="mutable tag 'latest'"):
            BackingServiceProps(name="db", image="postgres:latest", ports=(BackingPort(name="pg", port=5432),))

    def test_low_uid(self) -> None:
        """A UID under 10000 is refused (checkov CKV_K8S_40)."""
        with pytest.raises(ManifestError, match="run_as_user"):
            BackingServiceProps(name="db", image="postgres:17", ports=(BackingPort(name="pg", port=5432),), run_as_user=999)

    def test_probe_port_must_exist(self) -> None:
        """A probe naming an unknown port is refused, naming it."""
        with pytest.raises(ManifestError, match="probe port 'http' is not one of the ports"):
            BackingServiceProps(name="db", image="postgres:17", ports=(BackingPort(name="pg", port=5432),),
                                liveness=BackingProbe(port="http"))

    def test_duplicate_ports(self) -> None:
        """Two ports with the same number are refused."""
        with pytest.raises(ManifestError, match="number 80 is used twice"):
            BackingServiceProps(name="web", image="nginx:1.27", ports=(BackingPort(name="a", port=80), BackingPort(name="b", port=80)))

    def test_node_port_range(self) -> None:
        """A node port outside 30000-32767 is refused."""
        with pytest.raises(ManifestError, match="node_port"):
            BackingPort(name="registry", port=5000, node_port=5000)

    def test_file_env_unknown_key(self) -> None:
        """file_env must name a generated or fixed key."""
        with pytest.raises(ManifestError, match=r"file_env.PW_FILE: key 'pw' is not in the Secret"):
            GeneratedCredentials(file_env={"PW_FILE": "pw"})

    def test_key_generated_and_fixed(self) -> None:
        """A key cannot be both generated and fixed."""
        with pytest.raises(ManifestError, match="key 'password' is both generated and fixed"):
            GeneratedCredentials(fixed={"password": "x"})

    def test_probe_both_actions(self) -> None:
        """A probe with both an HTTP path and a command is refused."""
        with pytest.raises(ManifestError, match="sets both http_path and command"):
            BackingProbe(http_path="/health", command=("true",))

    def test_volume_size(self) -> None:
        """A size that is not a quantity is refused."""
        with pytest.raises(ManifestError, match="size '10 GB' is not a quantity"):
            VolumeSettings(mount_path="/data", size="10 GB")


class TestTypedParts:
    def test_probe_actions(self) -> None:
        """probe() gives a typed Probe: an HTTP GET, a command, or (neither) a TCP connect, with the timings."""
        http = BackingProbe(http_path="/health", port="web", period_seconds=3).probe("postgres")
        assert isinstance(http, Probe) and http.http_get is not None
        assert (http.http_get.path, http.http_get.port, http.period_seconds) == ("/health", "web", 3)
        assert http.exec is None and http.tcp_socket is None
        command = BackingProbe(command=("pg_isready", "-q")).probe("postgres")
        assert command.exec is not None and command.exec.command == ["pg_isready", "-q"]
        assert command.http_get is None and command.tcp_socket is None
        tcp = BackingProbe().probe("postgres")
        assert tcp.model_dump(by_alias=True, exclude_none=True) == {
            "tcpSocket": {"port": "postgres"}, "initialDelaySeconds": 10, "periodSeconds": 10, "timeoutSeconds": 5,
            "failureThreshold": 6}

    def test_claim_spec(self) -> None:
        """claim_spec() gives a typed PersistentVolumeClaimSpec; the storage class only when one is given."""
        spec = VolumeSettings(mount_path="/data", size="1Gi", storage_class="fast", access_mode="ReadWriteOncePod").claim_spec()
        assert isinstance(spec, PersistentVolumeClaimSpec)
        assert spec.access_modes == ["ReadWriteOncePod"] and spec.storage_class_name == "fast"
        assert spec.resources is not None and spec.resources.requests == {"storage": "1Gi"}
        assert VolumeSettings(mount_path="/data").claim_spec().storage_class_name is None

    def test_objects_are_typed_models(self) -> None:
        """The construct's attributes hold typed models, read with attributes rather than camelCase keys."""
        made: list[BackingService] = []
        synth_chart(lambda scope, env: made.append(BackingService(scope, "svc", DB)), app="shop")
        [svc] = made
        workload = svc.workload.resource
        assert isinstance(workload, StatefulSet) and workload.spec is not None
        pod = workload.spec.template.spec
        assert pod is not None
        [container] = pod.containers
        assert isinstance(container, Container) and isinstance(container.security_context, SecurityContext)
        assert container.security_context.read_only_root_filesystem is True
        assert container.liveness_probe is not None and container.liveness_probe.exec is not None
        assert svc.external_secret is not None and isinstance(svc.external_secret.resource, ExternalSecret)
