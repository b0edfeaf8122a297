"""Helpers of the kube model tests: the pinned Kubernetes schema version, round trips, a pod template.

The comparisons and refusal checks shared with other suites are in ``helpers``."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import kubernetes_validate
from helpers import assert_same

from cdk8s_gitops import Resource

__all__ = ["K8S_VERSION", "assert_round_trip", "pod_template", "validate_strict"]

R = TypeVar("R", bound=Resource)

K8S_VERSION = "1.33"
"""Kubernetes version whose strict schemas (kubernetes-validate) the test manifests must pass.

Pinned, so that results do not move when kubernetes-validate adds versions; an older minor
also catches fields that newer clusters accept but older ones would reject.
"""


def assert_round_trip(cls: type[R], doc: dict[str, Any]) -> R:
    """Load ``doc`` into ``cls`` and check that it emits exactly ``doc`` again; return the model."""
    original = copy.deepcopy(doc)
    model = cls.from_manifest(doc)
    assert doc == original, "from_manifest changed its input"
    assert_same(model.to_manifest(), original)
    return model


def validate_strict(manifest: dict[str, Any]) -> None:
    """Validate ``manifest`` against upstream's strict OpenAPI schema of :data:`K8S_VERSION`."""
    kubernetes_validate.validate(manifest, K8S_VERSION, strict=True)


def pod_template(app: str = "web", **spec: Any) -> dict[str, Any]:
    """A realistic pod template meeting the restricted Pod Security Standard (extra ``spec`` keys merged in)."""
    return {
        "metadata": {
            "labels": {"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": "shop"},
            "annotations": {"prometheus.io/scrape": "true"},
        },
        "spec": {
            "serviceAccountName": app,
            "automountServiceAccountToken": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": 10001,
                "runAsGroup": 10001,
                "fsGroup": 10001,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "containers": [
                {
                    "name": app,
                    "image": f"ghcr.io/acme/{app}:1.4.2",
                    "imagePullPolicy": "IfNotPresent",
                    "args": ["--port=8080"],
                    "ports": [
                        {"name": "http", "containerPort": 8080, "protocol": "TCP"},
                        {"name": "metrics", "containerPort": 9090},
                    ],
                    "env": [
                        {"name": "LOG_LEVEL", "value": "info"},
                        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                        {"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": f"{app}-db", "key": "password"}}},
                        {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}},
                    ],
                    "envFrom": [{"configMapRef": {"name": f"{app}-config"}}, {"secretRef": {"name": f"{app}-env", "optional": True}, "prefix": "APP_"}],
                    "resources": {
                        "requests": {"cpu": "250m", "memory": "256Mi"},
                        "limits": {"cpu": 1, "memory": "512Mi", "ephemeral-storage": "1Gi"},
                    },
                    "readinessProbe": {
                        "httpGet": {"path": "/readyz", "port": "http", "httpHeaders": [{"name": "X-Probe", "value": "1"}]},
                        "periodSeconds": 5,
                        "timeoutSeconds": 2,
                        "failureThreshold": 3,
                    },
                    "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 20},
                    "startupProbe": {"grpc": {"port": 9091, "service": "health"}, "failureThreshold": 30, "periodSeconds": 2},
                    "securityContext": {
                        "allowPrivilegeEscalation": False,
                        "readOnlyRootFilesystem": True,
                        "runAsNonRoot": True,
                        "capabilities": {"drop": ["ALL"]},
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "volumeMounts": [
                        {"name": "tmp", "mountPath": "/tmp"},
                        {"name": "config", "mountPath": "/etc/app", "readOnly": True},
                    ],
                    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                }
            ],
            "volumes": [
                {"name": "tmp", "emptyDir": {"sizeLimit": "64Mi"}},
                {"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420, "items": [{"key": "app.yaml", "path": "app.yaml"}]}},
            ],
            "terminationGracePeriodSeconds": 30,
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": {"app.kubernetes.io/name": app}},
                }
            ],
            "affinity": {
                "podAntiAffinity": {
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {
                            "weight": 100,
                            "podAffinityTerm": {
                                "topologyKey": "kubernetes.io/hostname",
                                "labelSelector": {"matchLabels": {"app.kubernetes.io/name": app}},
                            },
                        }
                    ]
                }
            },
            "tolerations": [{"key": "workload", "operator": "Equal", "value": "apps", "effect": "NoSchedule"}],
            "nodeSelector": {"kubernetes.io/os": "linux"},
            **spec,
        },
    }
