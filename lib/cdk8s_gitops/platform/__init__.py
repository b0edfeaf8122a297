"""Platform (L3) constructs: compositions of the typed resources for whole services and apps.

Importing this package registers its cross-object checks (:mod:`.checks`).
"""

from . import checks
from .addons import CATALOG, HelmAddon, HelmChart
from .argocd_wiring import build_wiring, sync_policy
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
]
