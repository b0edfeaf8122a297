"""Tests of cdk8s_gitops.kube.core_v1: the pod template parts and the core v1 kinds."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

import pytest
from helpers import assert_same, manifest_error

from cdk8s_gitops import ManifestError, from_manifest
from cdk8s_gitops.kube import (
    ConfigMap,
    Container,
    Deployment,
    LabelSelector,
    Namespace,
    PersistentVolumeClaim,
    PodTemplateSpec,
    Probe,
    ResourceQuota,
    ResourceRequirements,
    Secret,
    Service,
    ServiceAccount,
    ServicePort,
    ServiceSpec,
    Volume,
    selector_is_empty,
    selector_matches,
)

from ._k8s import assert_round_trip, pod_template, validate_strict


def deployment_with(**pod_spec: Any) -> dict[str, Any]:
    """A Deployment around :func:`pod_template`, with ``pod_spec`` merged into the pod spec."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "shop"},
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
            "template": pod_template("web", **pod_spec),
        },
    }


def container_error(mutate: Any) -> str:
    """The ManifestError of a Deployment whose first container was changed by ``mutate``."""
    doc = deployment_with()
    mutate(doc["spec"]["template"]["spec"]["containers"][0])
    return manifest_error(Deployment, doc)


C0 = "spec.template.spec.containers[0]"


class TestNamespace:
    def test_round_trip(self) -> None:
        """A Namespace with labels, annotations and finalizers is emitted exactly as loaded."""
        doc = {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": "shop",
                "labels": {"pod-security.kubernetes.io/enforce": "restricted", "team": "checkout"},
                "annotations": {"argocd.argoproj.io/sync-wave": "-1"},
            },
            "spec": {"finalizers": ["kubernetes"]},
        }
        assert_round_trip(Namespace, doc)
        validate_strict(doc)

    def test_is_cluster_scoped_with_label_names(self) -> None:
        """Namespace is cluster-scoped and its name must be a DNS label (no dots)."""
        assert Namespace.NAMESPACED is False
        message = manifest_error(Namespace, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team.a"}})
        assert "metadata.name 'team.a'" in message


class TestConfigMap:
    def test_round_trip(self) -> None:
        """A ConfigMap with data, binaryData and immutable round-trips and passes the strict schema."""
        doc = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "web-config", "namespace": "shop"},
            "data": {"app.yaml": "port: 8080\nlog: info\n", "FEATURE_X": "on"},
            "binaryData": {"logo.png": "iVBORw0KGgo="},
            "immutable": True,
        }
        assert_round_trip(ConfigMap, doc)
        validate_strict(doc)


class TestSecret:
    DOC: ClassVar[dict[str, Any]] = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "registry", "namespace": "shop"},
        "type": "kubernetes.io/dockerconfigjson",
        "data": {".dockerconfigjson": "eyJhdXRocyI6e319"},
        "stringData": {"note": "rotated monthly"},
        "immutable": False,
    }

    def test_round_trip(self) -> None:
        """A Secret with data, stringData, type and immutable round-trips and passes the strict schema."""
        assert_round_trip(Secret, copy.deepcopy(self.DOC))
        validate_strict(self.DOC)

    def test_data_must_be_base64(self) -> None:
        """A data value that is not base64 is refused at its key, without echoing the value."""
        doc = copy.deepcopy(self.DOC)
        doc["data"] = {"password": "hunter2!"}
        message = manifest_error(Secret, doc)
        assert "Secret 'registry': data.password:" in message
        assert "not valid base64" in message and "stringData" in message
        assert "hunter2" not in message

    def test_key_characters(self) -> None:
        """A key with characters outside letters, digits, '-', '_' and '.' is refused, naming the key."""
        doc = copy.deepcopy(self.DOC)
        doc["stringData"] = {"bad/key": "x"}
        message = manifest_error(Secret, doc)
        assert "stringData.bad/key" in message and "'bad/key'" in message


class TestServiceAccount:
    def test_round_trip(self) -> None:
        """A ServiceAccount with automountServiceAccountToken and pull secrets round-trips and validates."""
        doc = {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "web", "namespace": "shop", "annotations": {"iam.gke.io/gcp-service-account": "web@p.iam.gserviceaccount.com"}},
            "automountServiceAccountToken": False,
            "imagePullSecrets": [{"name": "registry"}],
            "secrets": [{"name": "web-token"}],
        }
        model = assert_round_trip(ServiceAccount, doc)
        assert model.automount_service_account_token is False
        validate_strict(doc)


class TestResourceQuota:
    DOC: ClassVar[dict[str, Any]] = {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": {"name": "compute", "namespace": "team-a"},
        "spec": {
            "hard": {"requests.cpu": "8", "requests.memory": "16Gi", "limits.cpu": 16, "pods": "50", "count/deployments.apps": 20},
            "scopeSelector": {"matchExpressions": [{"scopeName": "PriorityClass", "operator": "In", "values": ["normal"]}]},
        },
    }

    def test_round_trip(self) -> None:
        """Quantities keep their type (string or number) through a round trip; the strict schema accepts the quota."""
        assert_round_trip(ResourceQuota, copy.deepcopy(self.DOC))
        validate_strict(self.DOC)

    def test_negative_quantity(self) -> None:
        """A negative hard limit is refused at its key, naming the value."""
        doc = copy.deepcopy(self.DOC)
        doc["spec"]["hard"]["pods"] = -1
        message = manifest_error(ResourceQuota, doc)
        assert "spec.hard.pods: '-1' is negative" in message or "spec.hard.pods: -1 is negative" in message


class TestPersistentVolumeClaim:
    def test_round_trip(self) -> None:
        """A claim with access modes, storage class, requests and a data source round-trips and validates."""
        doc = {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "namespace": "shop"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "storageClassName": "premium-rwo",
                "volumeMode": "Filesystem",
                "resources": {"requests": {"storage": "20Gi"}},
                "dataSource": {"apiGroup": "snapshot.storage.k8s.io", "kind": "VolumeSnapshot", "name": "data-snap"},
            },
        }
        assert_round_trip(PersistentVolumeClaim, doc)
        validate_strict(doc)

    def test_access_mode(self) -> None:
        """An unknown access mode is refused, listing the allowed ones."""
        doc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "d"}, "spec": {"accessModes": ["RWO"]}}
        message = manifest_error(PersistentVolumeClaim, doc)
        assert "spec.accessModes[0]" in message and "'RWO'" in message and "ReadWriteOnce" in message


class TestService:
    def doc(self, **spec: Any) -> dict[str, Any]:
        """A two-port ClusterIP Service; ``spec`` keys override."""
        return {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web"}},
            "spec": {
                "type": "ClusterIP",
                "selector": {"app.kubernetes.io/name": "web"},
                "ports": [
                    {"name": "http", "port": 80, "targetPort": "http", "protocol": "TCP", "appProtocol": "http"},
                    {"name": "metrics", "port": 9090, "targetPort": 9090},
                ],
                **spec,
            },
        }

    def test_round_trip(self) -> None:
        """A ClusterIP Service with named and numbered target ports round-trips and validates."""
        doc = self.doc(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 600}},
                       internalTrafficPolicy="Cluster", trafficDistribution="PreferClose")
        assert_round_trip(Service, doc)
        validate_strict(doc)

    def test_round_trip_load_balancer(self) -> None:
        """A LoadBalancer Service with nodePort, source ranges and status round-trips."""
        doc = self.doc(type="LoadBalancer", externalTrafficPolicy="Local", loadBalancerSourceRanges=["10.0.0.0/8"],
                       ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"], allocateLoadBalancerNodePorts=True)
        doc["spec"]["ports"][0]["nodePort"] = 30080
        doc["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}]}}
        assert_round_trip(Service, doc)
        validate_strict(doc)

    def test_round_trip_headless_and_external_name(self) -> None:
        """Headless (clusterIP None) and ExternalName Services round-trip."""
        headless = self.doc(clusterIP="None", publishNotReadyAddresses=True)
        assert_round_trip(Service, headless)
        validate_strict(headless)
        external = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                    "spec": {"type": "ExternalName", "externalName": "db.example.com"}}
        assert_round_trip(Service, external)
        validate_strict(external)

    def test_target_port_keeps_its_type(self) -> None:
        """targetPort stays an integer or a string, as written."""
        service = Service.from_manifest(self.doc())
        assert service.spec is not None and service.spec.ports is not None
        assert service.spec.ports[0].target_port == "http"
        assert service.spec.ports[1].target_port == 9090

    @pytest.mark.parametrize("port", [0, 65536, -80])
    def test_port_range(self, port: int) -> None:
        """A Service port outside 1-65535 is refused at spec.ports[i].port, naming the value."""
        doc = self.doc()
        doc["spec"]["ports"][0]["port"] = port
        message = manifest_error(Service, doc)
        assert f"Service 'web': spec.ports[0].port: port {port} is outside 1-65535; use a port number between 1 and 65535" in message

    def test_target_port_range(self) -> None:
        """A numeric targetPort outside 1-65535 is refused at its path."""
        doc = self.doc()
        doc["spec"]["ports"][1]["targetPort"] = 70000
        assert "spec.ports[1].targetPort: port 70000 is outside 1-65535" in manifest_error(Service, doc)

    def test_target_port_name(self) -> None:
        """A targetPort name that is not an IANA service name is refused, naming it."""
        doc = self.doc()
        doc["spec"]["ports"][0]["targetPort"] = "HTTP_Port"
        message = manifest_error(Service, doc)
        assert "spec.ports[0].targetPort: port name 'HTTP_Port' is not an IANA service name" in message

    def test_target_port_bool(self) -> None:
        """A boolean targetPort is one error at the field, not one per accepted type."""
        doc = self.doc()
        doc["spec"]["ports"][0]["targetPort"] = True
        with pytest.raises(ManifestError) as info:
            Service.from_manifest(doc)
        assert len(info.value.problems) == 1
        assert info.value.problems[0].path == "spec.ports[0].targetPort"

    def test_type(self) -> None:
        """An unknown Service type is refused, listing the four types."""
        message = manifest_error(Service, self.doc(type="Internal"))
        assert "spec.type" in message and "'Internal'" in message and "'ExternalName'" in message

    def test_several_ports_need_names(self) -> None:
        """With several ports, an unnamed port is refused at its name."""
        doc = self.doc()
        del doc["spec"]["ports"][1]["name"]
        assert "spec.ports[1].name: ports[1] (port 9090) has no name" in manifest_error(Service, doc)

    def test_port_names_unique(self) -> None:
        """Two ports with the same name are refused at the second one."""
        doc = self.doc()
        doc["spec"]["ports"][1]["name"] = "http"
        assert "spec.ports[1].name: port name 'http' is already used by ports[0]" in manifest_error(Service, doc)

    def test_node_port_needs_node_port_type(self) -> None:
        """nodePort on a ClusterIP Service is refused with the fix."""
        doc = self.doc()
        doc["spec"]["ports"][0]["nodePort"] = 30080
        message = manifest_error(Service, doc)
        assert "spec.ports[0].nodePort: nodePort 30080 is set but the Service type is ClusterIP" in message

    def test_external_name_required(self) -> None:
        """type ExternalName without externalName is refused."""
        message = manifest_error(Service, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                                           "spec": {"type": "ExternalName"}})
        assert "spec.externalName: type ExternalName needs externalName" in message

    def test_external_name_only_with_type(self) -> None:
        """externalName on a ClusterIP Service is refused (the API server ignores it there)."""
        message = manifest_error(Service, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                                           "spec": {"externalName": "db.example.com", "ports": [{"port": 5432}]}})
        assert "spec.externalName: externalName is only used with type ExternalName" in message

    def test_name_is_rfc1035(self) -> None:
        """Service names must start with a letter (RFC 1035)."""
        assert Service.NAME_RULE == "dns1035"
        doc = self.doc()
        doc["metadata"]["name"] = "1web"
        assert "metadata.name '1web'" in manifest_error(Service, doc)

    def test_build_from_python(self) -> None:
        """A Service built with snake_case Python names emits upstream camelCase keys."""
        service = Service.from_manifest({
            "metadata": {"name": "web"},
            "spec": ServiceSpec(selector={"app": "web"}, ports=[ServicePort(name="http", port=80, target_port="http")]),
        })
        assert_same(service.to_manifest(), {
            "apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]},
        })


class TestContainer:
    def test_name_must_be_dns_label(self) -> None:
        """An upper-case or underscored container name is refused with a suggested spelling."""
        message = container_error(lambda c: c.update(name="Web_App"))
        assert f"{C0}.name: name 'Web_App' must be a DNS label" in message
        assert "use a name such as 'web-app'" in message

    def test_image_pull_policy(self) -> None:
        """imagePullPolicy accepts only Always, IfNotPresent and Never."""
        message = container_error(lambda c: c.update(imagePullPolicy="always"))
        assert f"{C0}.imagePullPolicy:" in message and "'always'" in message and "'IfNotPresent'" in message

    @pytest.mark.parametrize("port", [0, 65536])
    def test_container_port_range(self, port: int) -> None:
        """containerPort outside 1-65535 is refused at its path."""
        message = container_error(lambda c: c["ports"][0].update(containerPort=port))
        assert f"{C0}.ports[0].containerPort: port {port} is outside 1-65535" in message

    def test_port_names_unique(self) -> None:
        """Two container ports with the same name are refused."""
        message = container_error(lambda c: c["ports"][1].update(name="http"))
        assert f"{C0}.ports[1].name: port name 'http' is already used by ports[0]" in message

    def test_liveness_success_threshold(self) -> None:
        """livenessProbe.successThreshold other than 1 is refused (upstream requires 1)."""
        message = container_error(lambda c: c["livenessProbe"].update(successThreshold=2))
        assert f"{C0}.livenessProbe.successThreshold: livenessProbe.successThreshold is 2" in message

    def test_mount_paths_unique(self) -> None:
        """The same mountPath twice in one container is refused."""
        message = container_error(lambda c: c["volumeMounts"][1].update(mountPath="/tmp"))
        assert f"{C0}.volumeMounts[1].mountPath: mountPath '/tmp' is already used" in message

    def test_python_defaults_are_not_emitted(self) -> None:
        """Fields left unset in Python are not written (upstream defaults apply)."""
        container = Container(name="web", image="nginx:1.27")
        assert_same(container.dump(), {"name": "web", "image": "nginx:1.27"})


class TestProbe:
    def test_exactly_one_handler(self) -> None:
        """A probe with two checks is refused, naming both."""
        message = container_error(lambda c: c["readinessProbe"].update(tcpSocket={"port": 8080}))
        assert f"{C0}.readinessProbe: probe has several checks (httpGet, tcpSocket)" in message

    def test_no_handler(self) -> None:
        """A probe with only timings is refused with the library's error."""
        with pytest.raises(ManifestError, match="Probe: probe has no check; set exactly one of exec, grpc, httpGet, tcpSocket"):
            Probe(period_seconds=5)

    def test_negative_period(self) -> None:
        """Negative probe timings are refused at their path."""
        message = container_error(lambda c: c["readinessProbe"].update(periodSeconds=-5))
        assert f"{C0}.readinessProbe.periodSeconds: -5 is negative" in message

    def test_grpc_port_range(self) -> None:
        """A gRPC probe port outside 1-65535 is refused."""
        message = container_error(lambda c: c["startupProbe"]["grpc"].update(port=0))
        assert f"{C0}.startupProbe.grpc.port: port 0 is outside 1-65535" in message

    def test_http_get_port_name(self) -> None:
        """A named httpGet port must be an IANA service name."""
        message = container_error(lambda c: c["readinessProbe"]["httpGet"].update(port="health-check-port"))
        assert f"{C0}.readinessProbe.httpGet.port: port name 'health-check-port'" in message


class TestResourceRequirements:
    def test_quantities_keep_their_type(self) -> None:
        """Integer, float and string quantities are emitted with the type they were given."""
        resources = ResourceRequirements.model_validate({"requests": {"cpu": 0.5, "memory": "128Mi"}, "limits": {"cpu": 1}})
        assert_same(resources.dump(), {"requests": {"cpu": 0.5, "memory": "128Mi"}, "limits": {"cpu": 1}})

    def test_request_above_limit(self) -> None:
        """A request above its limit is refused, naming both values."""
        message = container_error(lambda c: c["resources"]["requests"].update(cpu="1500m"))
        assert f"{C0}.resources.requests.cpu: requests.cpu '1500m' is above limits.cpu 1" in message

    def test_negative_limit(self) -> None:
        """A negative limit is refused at its key."""
        message = container_error(lambda c: c["resources"]["limits"].update(memory="-512Mi"))
        assert f"{C0}.resources.limits.memory: '-512Mi' is negative" in message

    def test_not_a_quantity(self) -> None:
        """A string that is not a quantity is refused with examples of the format."""
        message = container_error(lambda c: c["resources"]["limits"].update(memory="512MB"))
        assert f"{C0}.resources.limits.memory: '512MB' is not a Kubernetes quantity" in message

    def test_wrong_type_is_one_problem(self) -> None:
        """A boolean quantity is one problem at its key, not one per type a quantity may have."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["cpu"] = True
        with pytest.raises(ManifestError) as info:
            Deployment.from_manifest(doc)
        assert [(p.path, p.message) for p in info.value.problems] == [
            (f"{C0}.resources.limits.cpu", "True (boolean) is not a quantity")]

    def test_quantities_of_every_owner_are_checked(self) -> None:
        """emptyDir.sizeLimit, pod overhead and resourceFieldRef.divisor are quantities too."""
        message = manifest_error(Deployment, deployment_with(overhead={"cpu": "lots"}))
        assert "spec.template.spec.overhead.cpu: 'lots' is not a Kubernetes quantity" in message
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["volumes"][0]["emptyDir"]["sizeLimit"] = "-1Gi"
        doc["spec"]["template"]["spec"]["containers"][0]["env"][3]["valueFrom"]["resourceFieldRef"]["divisor"] = "1MB"
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.volumes[0].emptyDir.sizeLimit: '-1Gi' is negative" in message
        assert f"{C0}.env[3].valueFrom.resourceFieldRef.divisor: '1MB' is not a Kubernetes quantity" in message


class TestEnvVar:
    def test_value_and_value_from(self) -> None:
        """A variable with both value and valueFrom is refused at the variable (a schema rule of the generated EnvVar)."""
        message = container_error(lambda c: c["env"][1].update(value="x"))
        assert f"{C0}.env[1]: value and valueFrom are both set; the API server refuses this: keep one" in message

    def test_value_from_needs_one_source(self) -> None:
        """valueFrom with two sources is refused."""
        message = container_error(lambda c: c["env"][1]["valueFrom"].update(configMapKeyRef={"name": "c", "key": "k"}))
        assert f"{C0}.env[1].valueFrom: valueFrom has several sources (configMapKeyRef, fieldRef)" in message


class TestVolume:
    def test_typed_sources_round_trip(self) -> None:
        """configMap, secret, emptyDir, PVC, projected, downwardAPI, ephemeral and csi volumes round-trip."""
        volumes = [
            {"name": "cfg", "configMap": {"name": "web-config", "optional": True}},
            {"name": "tls", "secret": {"secretName": "web-tls", "defaultMode": 256, "items": [{"key": "tls.crt", "path": "cert.pem", "mode": 292}]}},
            {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "128Mi"}},
            {"name": "scratch", "emptyDir": {}},
            {"name": "data", "persistentVolumeClaim": {"claimName": "data", "readOnly": False}},
            {"name": "token", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"audience": "vault", "expirationSeconds": 3600, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
            ]}},
            {"name": "podinfo", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
            {"name": "work", "ephemeral": {"volumeClaimTemplate": {"metadata": {"labels": {"type": "scratch"}},
                                                                   "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}},
            {"name": "secrets-store", "csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": True,
                                               "volumeAttributes": {"secretProviderClass": "web"}}},
        ]
        doc = deployment_with(volumes=volumes)
        doc["spec"]["template"]["spec"]["containers"][0]["volumeMounts"] = [{"name": v["name"], "mountPath": f"/mnt/{v['name']}"} for v in volumes]
        assert_round_trip(Deployment, doc)
        validate_strict(doc)

    def test_one_source(self) -> None:
        """A volume with two sources is refused, naming them."""
        with pytest.raises(ManifestError, match=r"Volume: .*volume 'cfg' has several sources \(configMap, secret\)"):
            Volume.model_validate({"name": "cfg", "configMap": {"name": "a"}, "secret": {"secretName": "b"}})

    def test_name_must_be_dns_label(self) -> None:
        """Volume names are DNS labels."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["volumes"][0]["name"] = "Tmp"
        assert "spec.template.spec.volumes[0].name: name 'Tmp' must be a DNS label" in manifest_error(Deployment, doc)


class TestPodSpec:
    def test_container_names_unique(self) -> None:
        """An init container and a container with the same name are refused at the later one."""
        doc = deployment_with(initContainers=[{"name": "web", "image": "busybox:1.36", "command": ["true"]}])
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.containers[0].name: container name 'web' is already used by initContainers[0]" in message

    def test_volume_names_unique(self) -> None:
        """Two volumes with the same name are refused."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["volumes"][1]["name"] = "tmp"
        assert "spec.template.spec.volumes[1].name: volume name 'tmp' is already used by volumes[0]" in manifest_error(Deployment, doc)

    def test_needs_a_container(self) -> None:
        """A pod spec with an empty container list is refused."""
        doc = deployment_with(containers=[])
        assert "spec.template.spec.containers: the pod has no containers" in manifest_error(Deployment, doc)

    def test_mount_needs_volume(self) -> None:
        """A volumeMount naming no volume is refused, listing the pod's volumes."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["containers"][0]["volumeMounts"][1]["name"] = "settings"
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.containers[0].volumeMounts[1].name: container 'web' mounts volume 'settings'" in message
        assert "(volumes: config, tmp)" in message

    def test_restricted_template_round_trip(self) -> None:
        """The restricted-profile pod template (security contexts, probes, env sources) round-trips as a model."""
        template = pod_template("web")
        model = PodTemplateSpec.model_validate(copy.deepcopy(template))
        assert_same(model.dump(), template)
        assert model.spec is not None and model.spec.security_context is not None
        assert model.spec.security_context.seccomp_profile is not None
        assert model.spec.security_context.seccomp_profile.type == "RuntimeDefault"

    def test_host_namespaces_aliases(self) -> None:
        """hostIPC, hostPID and setHostnameAsFQDN keep their upstream spelling."""
        doc = deployment_with(hostIPC=False, hostPID=False, setHostnameAsFQDN=False, hostNetwork=False)
        assert_round_trip(Deployment, doc)
        validate_strict(doc)


class TestSeccompProfile:
    def test_localhost_needs_profile(self) -> None:
        """type Localhost without localhostProfile is refused."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["securityContext"]["seccompProfile"] = {"type": "Localhost"}
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.securityContext.seccompProfile: type 'Localhost' needs localhostProfile" in message


class TestValuesUpstreamAccepts:
    def test_toleration_empty_effect_and_comparison_operators(self) -> None:
        """A toleration with an empty effect (every effect) and the Lt/Gt operators loads and emits unchanged."""
        tolerations = [{"key": "gpu", "operator": "Exists", "effect": ""},
                       {"key": "node.example.com/generation", "operator": "Gt", "value": "3", "effect": "NoSchedule"}]
        doc = deployment_with(tolerations=tolerations)
        assert_round_trip(Deployment, doc)
        doc["spec"]["template"]["spec"]["tolerations"] = [{"key": "gpu", "operator": "Near"}]
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.tolerations[0].operator" in message and "'Near'" in message and "'Lt'" in message

    def test_empty_value_with_value_from(self) -> None:
        """An empty value next to valueFrom is accepted, as by the API server (only a non-empty value conflicts)."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["containers"][0]["env"][1]["value"] = ""
        assert_round_trip(Deployment, doc)

    def test_container_restart_policy(self) -> None:
        """A container-level restartPolicy other than Always (restart rules) loads; an unknown value is refused."""
        doc = deployment_with()
        doc["spec"]["template"]["spec"]["containers"][0]["restartPolicy"] = "Never"
        assert_round_trip(Deployment, doc)
        message = container_error(lambda c: c.update(restartPolicy="Sometimes"))
        assert f"{C0}.restartPolicy" in message and "'Sometimes'" in message


class TestLabelSelector:
    def test_matches(self) -> None:
        """matchLabels and every matchExpressions operator are evaluated against labels."""
        selector = LabelSelector.model_validate({
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["frontend", "edge"]},
                {"key": "canary", "operator": "DoesNotExist"},
                {"key": "zone", "operator": "NotIn", "values": ["z9"]},
                {"key": "team", "operator": "Exists"},
            ],
        })
        assert selector_matches(selector, {"app": "web", "tier": "edge", "team": "a"})
        assert not selector_matches(selector, {"app": "web", "tier": "edge", "team": "a", "canary": "1"})
        assert not selector_matches(selector, {"app": "api", "tier": "edge", "team": "a"})
        assert not selector_matches(selector, {"app": "web", "tier": "edge", "team": "a", "zone": "z9"})
        assert not selector_matches(selector, {"app": "web", "tier": "back", "team": "a"})
        assert not selector_is_empty(selector)
        assert selector_is_empty(LabelSelector()) and selector_matches(LabelSelector(), {"any": "thing"})

    def test_in_needs_values(self) -> None:
        """operator In without values is refused."""
        with pytest.raises(ManifestError, match=r"LabelSelector: .*operator In needs at least one value \(key 'tier'\)"):
            LabelSelector.model_validate({"matchExpressions": [{"key": "tier", "operator": "In"}]})

    def test_label_key(self) -> None:
        """An invalid label key in matchLabels is refused at matchLabels."""
        doc = deployment_with()
        doc["spec"]["selector"]["matchLabels"] = {"bad key": "x"}
        assert "spec.selector.matchLabels: matchLabels key 'bad key'" in manifest_error(Deployment, doc)


class TestRegistry:
    def test_from_manifest_finds_core_kinds(self) -> None:
        """from_manifest loads every core v1 kind modelled here by apiVersion and kind."""
        for cls in (Namespace, ConfigMap, Secret, ServiceAccount, ResourceQuota, PersistentVolumeClaim, Service):
            doc = {"apiVersion": "v1", "kind": cls.KIND, "metadata": {"name": "x"}}
            assert type(from_manifest(doc)) is cls
