"""Tests of cdk8s_gitops.kube.apps_v1: Deployment, StatefulSet, DaemonSet."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from helpers import assert_same, manifest_error

from cdk8s_gitops import ObjectMeta, from_manifest
from cdk8s_gitops.kube import (
    Container,
    DaemonSet,
    Deployment,
    DeploymentSpec,
    DeploymentStrategy,
    LabelSelector,
    PodSpec,
    PodTemplateSpec,
    RollingUpdateDeployment,
    StatefulSet,
)

from ._k8s import assert_round_trip, pod_template, validate_strict

LABELS = {"app.kubernetes.io/name": "web"}


def deployment(**spec: Any) -> dict[str, Any]:
    """A production-like Deployment; ``spec`` keys override."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "labels": {"app.kubernetes.io/name": "web", "app.kubernetes.io/managed-by": "cdk8s-gitops"},
            "annotations": {"argocd.argoproj.io/sync-wave": "5"},
        },
        "spec": {
            "replicas": 3,
            "revisionHistoryLimit": 5,
            "minReadySeconds": 10,
            "progressDeadlineSeconds": 300,
            "selector": {"matchLabels": dict(LABELS)},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
            "template": pod_template("web"),
            **spec,
        },
    }


def statefulset(**spec: Any) -> dict[str, Any]:
    """A StatefulSet with a claim template mounted by the container; ``spec`` keys override."""
    template = pod_template("db")
    template["spec"]["containers"][0]["volumeMounts"].append({"name": "data", "mountPath": "/var/lib/db"})
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "shop"},
        "spec": {
            "serviceName": "db-headless",
            "replicas": 3,
            "podManagementPolicy": "Parallel",
            "selector": {"matchLabels": {"app.kubernetes.io/name": "db"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}},
            "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"},
            "ordinals": {"start": 0},
            "template": template,
            "volumeClaimTemplates": [
                {
                    "metadata": {"name": "data", "labels": {"app.kubernetes.io/name": "db"}},
                    "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "ssd", "resources": {"requests": {"storage": "50Gi"}}},
                }
            ],
            **spec,
        },
    }


def daemonset(**spec: Any) -> dict[str, Any]:
    """A node-agent DaemonSet; ``spec`` keys override."""
    template = pod_template("node-agent", tolerations=[{"operator": "Exists"}], priorityClassName="system-node-critical")
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "node-agent", "namespace": "observability"},
        "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/name": "node-agent"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%", "maxSurge": 0}},
            "minReadySeconds": 5,
            "revisionHistoryLimit": 3,
            "template": template,
            **spec,
        },
    }


class TestDeployment:
    def test_round_trip(self) -> None:
        """A production-like Deployment round-trips with types unchanged and passes the strict schema."""
        doc = deployment()
        assert_round_trip(Deployment, doc)
        validate_strict(doc)

    def test_round_trip_recreate_paused_with_status(self) -> None:
        """A paused Recreate Deployment exported with status round-trips."""
        doc = deployment(strategy={"type": "Recreate"}, paused=True, replicas=0)
        doc["status"] = {"observedGeneration": 4, "replicas": 0, "conditions": [{"type": "Available", "status": "True"}]}
        assert_round_trip(Deployment, doc)

    def test_round_trip_exported_from_cluster(self) -> None:
        """A Deployment as ``kubectl get -o yaml`` prints it (server defaults, nulls, empty objects) round-trips."""
        doc = {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": "echo",
                "namespace": "default",
                "uid": "0b3c8f9e-2a4d-4b8e-9c51-5d6f7a8b9c0d",
                "resourceVersion": "123456",
                "generation": 2,
                "creationTimestamp": "2025-01-10T09:00:00Z",
                "annotations": {"deployment.kubernetes.io/revision": "2"},
            },
            "spec": {
                "progressDeadlineSeconds": 600,
                "replicas": 1,
                "revisionHistoryLimit": 10,
                "selector": {"matchLabels": {"app": "echo"}},
                "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
                "template": {
                    "metadata": {"creationTimestamp": None, "labels": {"app": "echo"}},
                    "spec": {
                        "containers": [{
                            "image": "kong/go-echo:0.5.0",
                            "imagePullPolicy": "IfNotPresent",
                            "name": "echo",
                            "ports": [{"containerPort": 80, "protocol": "TCP"}],
                            "resources": {},
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File",
                        }],
                        "dnsPolicy": "ClusterFirst",
                        "restartPolicy": "Always",
                        "schedulerName": "default-scheduler",
                        "securityContext": {},
                        "terminationGracePeriodSeconds": 30,
                    },
                },
            },
            "status": {"availableReplicas": 1, "observedGeneration": 2, "readyReplicas": 1, "replicas": 1, "updatedReplicas": 1},
        }
        assert_round_trip(Deployment, doc)

    def test_registered(self) -> None:
        """from_manifest picks the Deployment model for apps/v1."""
        assert isinstance(from_manifest(deployment()), Deployment)
        assert Deployment.API_VERSIONS == ("apps/v1",)

    def test_build_from_python(self) -> None:
        """A Deployment built from Python models emits the camelCase manifest, only with the fields set."""
        model = Deployment(
            metadata=ObjectMeta(name="api"),
            spec=DeploymentSpec(
                replicas=2,
                selector=LabelSelector(match_labels={"app": "api"}),
                strategy=DeploymentStrategy(rolling_update=RollingUpdateDeployment(max_surge=1, max_unavailable="0%")),
                template=PodTemplateSpec(
                    metadata=ObjectMeta(labels={"app": "api"}),
                    spec=PodSpec(containers=[Container(name="api", image="ghcr.io/acme/api:2.0.0")]),
                ),
            ),
        )
        manifest = model.to_manifest()
        assert_same(manifest, {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "api"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": {"app": "api"}},
                "strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": "0%"}},
                "template": {"metadata": {"labels": {"app": "api"}},
                             "spec": {"containers": [{"name": "api", "image": "ghcr.io/acme/api:2.0.0"}]}},
            },
        })
        validate_strict(manifest)

    def test_selector_must_be_subset_of_template_labels(self) -> None:
        """A matchLabels entry missing from the template labels is refused, naming both label sets."""
        doc = deployment(selector={"matchLabels": {"app.kubernetes.io/name": "web", "tier": "frontend"}})
        message = manifest_error(Deployment, doc)
        assert "Deployment 'web': spec.selector.matchLabels: selector.matchLabels" in message
        assert "'tier': 'frontend'" in message
        assert "template.metadata.labels {'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop'}" in message
        assert "tier='frontend' missing or different" in message

    def test_selector_value_differs(self) -> None:
        """A matchLabels value that differs from the template's is refused."""
        message = manifest_error(Deployment, deployment(selector={"matchLabels": {"app.kubernetes.io/name": "api"}}))
        assert "app.kubernetes.io/name='api' missing or different" in message

    def test_selector_expression_must_match(self) -> None:
        """A matchExpressions entry that the template labels do not satisfy is refused at its index."""
        doc = deployment(selector={"matchLabels": dict(LABELS),
                                   "matchExpressions": [{"key": "track", "operator": "In", "values": ["stable"]}]})
        message = manifest_error(Deployment, doc)
        assert "spec.selector.matchExpressions[0]: selector.matchExpressions[0] (track In ['stable']) does not match" in message

    def test_empty_selector(self) -> None:
        """An empty selector is refused (it would select every pod in the namespace)."""
        message = manifest_error(Deployment, deployment(selector={}))
        assert "spec.selector: the selector of a Deployment is empty" in message

    @pytest.mark.parametrize("field", ["replicas", "revisionHistoryLimit", "minReadySeconds"])
    def test_counts_non_negative(self, field: str) -> None:
        """replicas, revisionHistoryLimit and minReadySeconds below zero are refused at their path."""
        message = manifest_error(Deployment, deployment(**{field: -1}))
        assert f"spec.{field}: -1 is negative; use 0 or a positive integer" in message

    def test_replicas_string(self) -> None:
        """A quoted replica count is refused (strict types, as the API server)."""
        message = manifest_error(Deployment, deployment(replicas="3"))
        assert "spec.replicas:" in message and "'3'" in message

    def test_recreate_with_rolling_update(self) -> None:
        """rollingUpdate together with type Recreate is refused."""
        message = manifest_error(Deployment, deployment(strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}))
        assert "spec.strategy.rollingUpdate: rollingUpdate is set with type Recreate, which ignores it" in message

    def test_strategy_type(self) -> None:
        """An unknown strategy type is refused, listing Recreate and RollingUpdate."""
        message = manifest_error(Deployment, deployment(strategy={"type": "Canary"}))
        assert "spec.strategy.type" in message and "'Canary'" in message and "'Recreate'" in message

    def test_surge_and_unavailable_both_zero(self) -> None:
        """maxSurge and maxUnavailable both zero are refused (the rollout could not progress)."""
        message = manifest_error(Deployment, deployment(strategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}))
        assert "spec.strategy.rollingUpdate: maxSurge 0 and maxUnavailable '0%' are both zero" in message

    @pytest.mark.parametrize("value", ["25", "a%", -1])
    def test_surge_format(self, value: Any) -> None:
        """maxSurge must be a non-negative integer or a percentage string."""
        message = manifest_error(Deployment, deployment(strategy={"rollingUpdate": {"maxSurge": value}}))
        assert "spec.strategy.rollingUpdate.maxSurge:" in message and repr(value).strip("'") in message

    def test_surge_keeps_type(self) -> None:
        """Integer and percentage values of maxSurge/maxUnavailable keep their types."""
        model = Deployment.from_manifest(deployment(strategy={"rollingUpdate": {"maxSurge": 2, "maxUnavailable": "10%"}}))
        assert model.spec.strategy is not None and model.spec.strategy.rolling_update is not None
        assert model.spec.strategy.rolling_update.max_surge == 2
        assert model.spec.strategy.rolling_update.max_unavailable == "10%"

    def test_restart_policy_always(self) -> None:
        """A Deployment pod template with restartPolicy Never is refused at its path."""
        doc = deployment()
        doc["spec"]["template"]["spec"]["restartPolicy"] = "Never"
        message = manifest_error(Deployment, doc)
        assert "spec.template.spec.restartPolicy: restartPolicy is 'Never', which a Deployment does not accept; use 'Always'" in message

    def test_progress_deadline_above_min_ready(self) -> None:
        """progressDeadlineSeconds not above minReadySeconds is refused, naming both."""
        message = manifest_error(Deployment, deployment(progressDeadlineSeconds=10, minReadySeconds=10))
        assert "spec.progressDeadlineSeconds: progressDeadlineSeconds 10 is not above minReadySeconds 10" in message

    def test_spec_required(self) -> None:
        """A Deployment without spec is refused."""
        message = manifest_error(Deployment, {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}})
        assert "spec: required field is missing" in message

    def test_template_without_spec(self) -> None:
        """A pod template without spec is refused at spec.template."""
        doc = deployment()
        del doc["spec"]["template"]["spec"]
        assert "spec.template: the pod template of a Deployment has no spec" in manifest_error(Deployment, doc)

    def test_every_problem_reported(self) -> None:
        """Independent problems of one spec are reported together."""
        doc = deployment(selector={"matchLabels": {"app": "x"}})
        doc["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure"
        message = manifest_error(Deployment, doc)
        assert message.startswith("2 problems:")


class TestStatefulSet:
    def test_round_trip(self) -> None:
        """A StatefulSet with claim templates (no apiVersion/kind in them) round-trips and validates."""
        doc = statefulset()
        assert_round_trip(StatefulSet, doc)
        validate_strict(doc)

    def test_claim_template_with_type_meta(self) -> None:
        """A claim template that does spell apiVersion and kind keeps them."""
        doc = statefulset()
        doc["spec"]["volumeClaimTemplates"][0] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                                                   **doc["spec"]["volumeClaimTemplates"][0]}
        assert_round_trip(StatefulSet, doc)
        validate_strict(doc)

    def test_mount_of_unknown_volume(self) -> None:
        """A mount naming neither a pod volume nor a claim template is refused."""
        doc = statefulset()
        doc["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] = "storage"
        message = manifest_error(StatefulSet, doc)
        assert "spec.template.spec.containers[0].volumeMounts[2].name: container 'db' mounts volume 'data'" in message
        assert "storage" in message

    def test_selector_must_match(self) -> None:
        """The selector/template check applies to StatefulSets."""
        message = manifest_error(StatefulSet, statefulset(selector={"matchLabels": {"app.kubernetes.io/name": "web"}}))
        assert "spec.selector.matchLabels" in message

    def test_on_delete_with_rolling_update(self) -> None:
        """rollingUpdate with type OnDelete is refused."""
        message = manifest_error(StatefulSet, statefulset(updateStrategy={"type": "OnDelete", "rollingUpdate": {"partition": 1}}))
        assert "spec.updateStrategy.rollingUpdate: rollingUpdate is set with type OnDelete, which ignores it" in message

    def test_partition_non_negative(self) -> None:
        """A negative partition is refused at its path."""
        message = manifest_error(StatefulSet, statefulset(updateStrategy={"rollingUpdate": {"partition": -1}}))
        assert "spec.updateStrategy.rollingUpdate.partition: -1 is negative" in message

    def test_replicas_non_negative(self) -> None:
        """Negative replicas are refused."""
        assert "spec.replicas: -2 is negative" in manifest_error(StatefulSet, statefulset(replicas=-2))

    def test_claim_template_needs_name(self) -> None:
        """A claim template without metadata.name is refused."""
        doc = statefulset()
        del doc["spec"]["volumeClaimTemplates"][0]["metadata"]["name"]
        message = manifest_error(StatefulSet, doc)
        assert "spec.volumeClaimTemplates[0].metadata.name: volumeClaimTemplates[0] has no metadata.name" in message


class TestDaemonSet:
    def test_round_trip(self) -> None:
        """A node-agent DaemonSet round-trips and validates."""
        doc = daemonset()
        assert_round_trip(DaemonSet, doc)
        validate_strict(doc)

    def test_selector_must_match(self) -> None:
        """The selector/template check applies to DaemonSets."""
        message = manifest_error(DaemonSet, daemonset(selector={"matchLabels": {"app": "agent"}}))
        assert "DaemonSet 'node-agent': spec.selector.matchLabels" in message

    def test_surge_and_unavailable_both_zero(self) -> None:
        """maxSurge 0 with maxUnavailable 0 is refused."""
        message = manifest_error(DaemonSet, daemonset(updateStrategy={"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}))
        assert "spec.updateStrategy.rollingUpdate: maxSurge 0 and maxUnavailable 0 are both zero" in message

    def test_revision_history_limit_non_negative(self) -> None:
        """A negative revisionHistoryLimit is refused."""
        assert "spec.revisionHistoryLimit: -1 is negative" in manifest_error(DaemonSet, daemonset(revisionHistoryLimit=-1))

    def test_input_not_modified(self) -> None:
        """Loading never changes the caller's dict."""
        doc = daemonset()
        original = copy.deepcopy(doc)
        DaemonSet.from_manifest(doc)
        assert doc == original
