"""Where each object goes in ``dist/``: default Argo CD sync waves and a stable object order.

Both the chart (when it collects its objects) and the dist writer use these, so they live in core.
So does the synth check that every sync-wave annotation is an integer (:func:`check_sync_waves`): it
concerns objects of every kind, and here it costs no import of the Argo CD models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .errors import Problem, format_value
from .validation import ObjectIndex, add_object_check

__all__ = [
    "CLUSTER_SCOPED_KINDS",
    "DEFAULT_SYNC_WAVES",
    "SYNC_WAVE",
    "check_sync_wave_value",
    "check_sync_waves",
    "is_namespaced",
    "object_sort_key",
    "sort_objects",
    "with_default_sync_wave",
]

SYNC_WAVE = "argocd.argoproj.io/sync-wave"

DEFAULT_SYNC_WAVES: dict[str, int] = {
    "Namespace": -3, "CustomResourceDefinition": -3,
    "ClusterSecretStore": -2, "SecretStore": -2, "ClusterGenerator": -2, "Password": -2,
    "ExternalSecret": -1, "ClusterExternalSecret": -1,
}
"""Sync waves objects get when they set none: namespaces and CRDs first, then secret stores and
generators, then secrets, then everything else (wave 0). Argo CD orders core kinds inside a
wave by itself, but not custom resources, hence explicit waves for these."""


def with_default_sync_wave(manifest: dict[str, Any]) -> dict[str, Any]:
    """``manifest`` with the default wave of its kind added when it carries none (edited in place)."""
    wave = DEFAULT_SYNC_WAVES.get(str(manifest.get("kind")))
    if wave is None:
        return manifest
    meta = manifest.setdefault("metadata", {})
    annotations = meta.get("annotations") or {}
    if SYNC_WAVE not in annotations:
        meta["annotations"] = dict(sorted({**annotations, SYNC_WAVE: str(wave)}.items()))
    return manifest


_SYNC_WAVE_VALUE = re.compile(r"^[+-]?\d+$")


def check_sync_wave_value(value: str) -> str | None:
    """Why ``value`` is not a sync-wave annotation value (an integer as a string), or None."""
    if not isinstance(value, str) or not _SYNC_WAVE_VALUE.match(value.strip()):
        return (f"sync wave {format_value(value)} is not an integer; "
                f"write the wave as an integer string such as '-1', '0' or '5' (or use sync_wave_annotation(n))")
    return None


@add_object_check
def check_sync_waves(index: ObjectIndex) -> Iterator[Problem]:
    """Every synthesized object's ``argocd.argoproj.io/sync-wave`` annotation holds an integer (an object check:
    objects from the incremental cache passed it already)."""
    for obj in index:
        annotations = (obj.manifest.get("metadata") or {}).get("annotations") or {}
        if SYNC_WAVE not in annotations:
            continue
        why = check_sync_wave_value(annotations[SYNC_WAVE])
        if why:
            message, _, fix = why.partition("; ")
            yield Problem(subject=f"{obj.kind} {obj.name!r}", path=f"metadata.annotations.{SYNC_WAVE}",
                          message=message, fix=fix, where=obj.where())


CLUSTER_SCOPED_KINDS = frozenset({
    "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "StorageClass",
    "PriorityClass", "ClusterSecretStore", "ClusterExternalSecret", "ClusterGenerator", "ClusterIssuer",
    "GatewayClass", "ClusterAnalysisTemplate", "ClusterWorkflowTemplate", "KongClusterPlugin",
    "PersistentVolume", "IngressClass", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
})
"""Kinds of objects made outside the typed models that get no default namespace from the chart."""


def is_namespaced(manifest: Mapping[str, Any]) -> bool:
    """Whether ``manifest``'s kind lives in a namespace (unknown kinds are taken as namespaced)."""
    return manifest.get("kind") not in CLUSTER_SCOPED_KINDS


# Objects Argo CD and kubectl must create before the others come first, then by name.
_KIND_ORDER = [
    "Namespace", "CustomResourceDefinition", "ResourceQuota", "LimitRange", "PriorityClass", "StorageClass",
    "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "NetworkPolicy",
    "ClusterSecretStore", "SecretStore", "ClusterGenerator", "Password", "ExternalSecret", "ClusterExternalSecret",
    "ConfigMap", "Secret", "PersistentVolumeClaim", "ClusterIssuer", "Issuer", "Certificate",
    "Service", "GatewayClass", "Gateway", "ReferenceGrant",
    "Deployment", "StatefulSet", "DaemonSet", "Rollout", "Job", "CronJob",
    "HorizontalPodAutoscaler", "PodDisruptionBudget", "HTTPRoute", "GRPCRoute",
]
_KIND_RANK = {kind: i for i, kind in enumerate(_KIND_ORDER)}


def object_sort_key(manifest: Mapping[str, Any]) -> tuple[Any, ...]:
    """Sync wave, then kind (dependencies first), then namespace and name."""
    meta = manifest.get("metadata") or {}
    try:
        wave = int((meta.get("annotations") or {}).get(SYNC_WAVE, 0))
    except (TypeError, ValueError):
        wave = 0
    kind = str(manifest.get("kind", ""))
    return (wave, _KIND_RANK.get(kind, len(_KIND_ORDER)), kind, str(manifest.get("apiVersion", "")),
            str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def sort_objects(manifests: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``manifests`` in dist/ order (see :func:`object_sort_key`)."""
    return sorted(manifests, key=object_sort_key)
