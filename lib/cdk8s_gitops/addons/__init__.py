"""Add-on kinds the reference platforms need, one module per upstream API group.

Importing this package registers every kind below with :func:`cdk8s_gitops.from_manifest`.
"""

from .konghq import (
    PLUGINS_ANNOTATION,
    KongClusterPlugin,
    KongPlugin,
    attach_kong_plugins,
    kong_plugin_names,
)

__all__ = [
    "PLUGINS_ANNOTATION",
    "KongClusterPlugin",
    "KongPlugin",
    "attach_kong_plugins",
    "kong_plugin_names",
]

# -- cert-manager, CloudNativePG, Strimzi, Velero, Argo Workflows ---------------------------------
# Each module registers its kinds on import. CloudNativePG and Velero both have a kind called
# Backup (and a BackupSpec): reach those through their modules (addons.cloudnative_pg.Backup,
# addons.velero.Backup); every other kind is exported here as well.
from . import argo_workflows, cert_manager, cloudnative_pg, strimzi, velero  # noqa: E402
from .argo_workflows import (  # noqa: E402
    ClusterWorkflowTemplate,
    CronWorkflow,
    Workflow,
    WorkflowSpec,
    WorkflowTemplate,
)
from .cert_manager import Certificate, ClusterIssuer, Issuer  # noqa: E402
from .cloudnative_pg import Cluster, ScheduledBackup  # noqa: E402
from .strimzi import Kafka, KafkaNodePool, KafkaTopic  # noqa: E402
from .velero import Schedule  # noqa: E402

__all__ += [
    "Certificate",
    "Cluster",
    "ClusterIssuer",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
    "Issuer",
    "Kafka",
    "KafkaNodePool",
    "KafkaTopic",
    "Schedule",
    "ScheduledBackup",
    "Workflow",
    "WorkflowSpec",
    "WorkflowTemplate",
    "argo_workflows",
    "cert_manager",
    "cloudnative_pg",
    "strimzi",
    "velero",
]
