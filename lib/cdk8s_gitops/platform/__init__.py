"""Platform (L3) constructs: compositions of the typed resources for whole services and apps.

Importing this package registers its cross-object checks (:mod:`.checks`).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import checks

if TYPE_CHECKING:
    from .addons import CATALOG, HelmAddon, HelmChart
    from .argocd_wiring import build_wiring, sync_policy, template_sync_policy
    from .backing_service import (
        BackingPort,
        BackingProbe,
        BackingService,
        BackingServiceProps,
        GeneratedCredentials,
        VolumeSettings,
    )
    from .backup import ObjectStorageTarget, PostgresBackupCronJob, PostgresBackupProps
    from .dashboards import GrafanaDashboard, GrafanaDashboardProps
    from .microservice import Microservice, MicroserviceProps
    from .namespace import NamespaceBaseline, NamespaceBaselineProps, QuotaSettings
    from .projects import DEFAULT_NAMESPACED_KINDS, ProjectDestination, TeamProject, TeamProjectProps
    from .props import MetricsSettings, Resources, RouteSettings, SecretEnv
    from .security import restricted_container_security, restricted_pod_security


# Where each public name lives: imported on first use, so that an app pays only for the
# constructs it uses (a Microservice does not load the backing services or the dashboards).
_HOME = {
    "CATALOG": "addons",
    "HelmAddon": "addons",
    "HelmChart": "addons",
    "build_wiring": "argocd_wiring",
    "sync_policy": "argocd_wiring",
    "template_sync_policy": "argocd_wiring",
    "BackingPort": "backing_service",
    "BackingProbe": "backing_service",
    "BackingService": "backing_service",
    "BackingServiceProps": "backing_service",
    "GeneratedCredentials": "backing_service",
    "VolumeSettings": "backing_service",
    "ObjectStorageTarget": "backup",
    "PostgresBackupCronJob": "backup",
    "PostgresBackupProps": "backup",
    "GrafanaDashboard": "dashboards",
    "GrafanaDashboardProps": "dashboards",
    "NamespaceBaseline": "namespace",
    "NamespaceBaselineProps": "namespace",
    "QuotaSettings": "namespace",
    "Microservice": "microservice",
    "MicroserviceProps": "microservice",
    "DEFAULT_NAMESPACED_KINDS": "projects",
    "ProjectDestination": "projects",
    "TeamProject": "projects",
    "TeamProjectProps": "projects",
    "MetricsSettings": "props",
    "Resources": "props",
    "RouteSettings": "props",
    "SecretEnv": "props",
    "restricted_container_security": "security",
    "restricted_pod_security": "security",
}

__all__ = [
    "CATALOG",
    "DEFAULT_NAMESPACED_KINDS",
    "BackingPort",
    "BackingProbe",
    "BackingService",
    "BackingServiceProps",
    "GeneratedCredentials",
    "GrafanaDashboard",
    "GrafanaDashboardProps",
    "HelmAddon",
    "HelmChart",
    "MetricsSettings",
    "Microservice",
    "MicroserviceProps",
    "NamespaceBaseline",
    "NamespaceBaselineProps",
    "ObjectStorageTarget",
    "PostgresBackupCronJob",
    "PostgresBackupProps",
    "ProjectDestination",
    "QuotaSettings",
    "Resources",
    "RouteSettings",
    "SecretEnv",
    "TeamProject",
    "TeamProjectProps",
    "VolumeSettings",
    "build_wiring",
    "checks",
    "restricted_container_security",
    "restricted_pod_security",
    "sync_policy",
    "template_sync_policy",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
