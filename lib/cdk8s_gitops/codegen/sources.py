"""The generator's inputs: Kubernetes' OpenAPI definitions and CRD schemas, read into one shape.

Core kinds come from the JSON schemas bundled in the ``kubernetes-validate`` package
(:data:`KUBERNETES_VERSION`, the API level of our cdk8s-plus). Custom resources come
either from kubeconform-style JSON schema files (``<group>/<kind>_<version>.json``) or
from CustomResourceDefinition YAML (``spec.versions[*].schema.openAPIV3Schema``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.files import read_bounded
from ..core.safe_yaml import YamlLimits, check_yaml_limits

#: Largest CRD file ``import`` reads (32 MiB: a whole operator bundle), and its YAML budgets
#: (OpenAPI schemas nest deeply: two levels per field).
CRD_FILE_LIMIT = 32 << 20
CRD_LIMITS = YamlLimits(max_aliases=1_000, max_alias_nodes=100_000, max_depth=256, max_nodes=20_000_000)

__all__ = [
    "CORE_GROUP_VERSIONS",
    "KUBERNETES_VERSION",
    "CrdKind",
    "core_definitions",
    "crds_from_paths",
    "crds_from_schema_dir",
    "doc_link",
]

#: The Kubernetes API level of the generated core models (cdk8s-plus-36 targets 1.36).
KUBERNETES_VERSION = "1.36.0"

#: Core API groups whose kinds are generated (Go package segment, version).
CORE_GROUP_VERSIONS = (
    ("core", "v1"),
    ("apps", "v1"),
    ("batch", "v1"),
    ("autoscaling", "v2"),
    ("networking", "v1"),
    ("policy", "v1"),
    ("rbac", "v1"),
    ("scheduling", "v1"),
    ("storage", "v1"),
)


@dataclass(frozen=True)
class CrdKind:
    """One served version of one custom resource kind."""

    group: str
    version: str
    kind: str
    schema: dict[str, Any] = field(compare=False, repr=False)
    source: str = ""
    namespaced: bool | None = None


def core_definitions(version: str = KUBERNETES_VERSION) -> dict[str, Any]:
    """The ``$defs`` of Kubernetes ``version`` as bundled in kubernetes-validate."""
    import kubernetes_validate

    root = Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema" / f"v{version}-local"
    data = json.loads((root / "_definitions.json").read_text(encoding="utf-8"))
    defs: dict[str, Any] = data.get("$defs") or data.get("definitions") or {}
    return defs


def crds_from_schema_dir(root: Path) -> list[CrdKind]:
    """Every ``<group>/<kind>_<version>.json`` under ``root`` (kubeconform layout), sorted."""
    out = []
    for path in sorted(root.glob("*/*.json")):
        stem, _, version = path.stem.rpartition("_")
        schema = json.loads(path.read_text(encoding="utf-8"))
        kind = _kind_of(schema, stem)
        out.append(CrdKind(path.parent.name, version, kind, schema, f"{path.parent.name}/{path.name}"))
    return out


def _kind_of(schema: dict[str, Any], stem: str) -> str:
    """The kind's spelling: from ``kind``'s enum if the schema has one, else from ``x-kubernetes-group-version-kind``."""
    kind_prop = (schema.get("properties") or {}).get("kind") or {}
    for value in kind_prop.get("enum") or ():
        if isinstance(value, str) and value.lower() == stem:
            return value
    for gvk in schema.get("x-kubernetes-group-version-kind") or ():
        if str(gvk.get("kind", "")).lower() == stem:
            return str(gvk["kind"])
    return _KNOWN_KINDS.get(stem, stem[:1].upper() + stem[1:])


def crds_from_paths(paths: Iterable[Path]) -> list[CrdKind]:
    """CRDs from YAML files or folders of them (``kind: CustomResourceDefinition``), every served version."""
    import yaml

    out: list[CrdKind] = []
    for path in _yaml_files(paths):
        text = read_bounded(path, CRD_FILE_LIMIT, str(path)).decode("utf-8")
        check_yaml_limits(text, str(path), CRD_LIMITS)  # alias bombs refused before loading
        for index, doc in enumerate(yaml.safe_load_all(text)):
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc.get("spec") or {}
            group = str(spec.get("group") or "")
            kind = str((spec.get("names") or {}).get("kind") or "")
            namespaced = spec.get("scope", "Namespaced") != "Cluster"
            for ver in spec.get("versions") or ():
                schema = ((ver.get("schema") or {}).get("openAPIV3Schema")) or spec.get("validation", {}).get("openAPIV3Schema")
                if not isinstance(schema, dict) or not group or not kind:
                    continue
                if ver.get("served", True) is False:
                    continue
                out.append(CrdKind(group, str(ver.get("name")), kind, schema, f"{path.name}#{index}", namespaced))
    return sorted(out, key=lambda c: (c.group, c.version, c.kind))


def _yaml_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
        else:
            yield path


# Stems whose lower-case file names lose the kind's capitals and whose schema does not spell the kind.
_KNOWN_KINDS = {
    "application": "Application", "applicationset": "ApplicationSet", "appproject": "AppProject",
    "rollout": "Rollout", "analysistemplate": "AnalysisTemplate", "clusteranalysistemplate": "ClusterAnalysisTemplate",
    "analysisrun": "AnalysisRun", "experiment": "Experiment", "workflow": "Workflow", "workflowtemplate": "WorkflowTemplate",
    "clusterworkflowtemplate": "ClusterWorkflowTemplate", "cronworkflow": "CronWorkflow",
    "workfloweventbinding": "WorkflowEventBinding", "workflowtaskresult": "WorkflowTaskResult",
    "workflowtaskset": "WorkflowTaskSet", "workflowartifactgctask": "WorkflowArtifactGCTask",
    "eventbus": "EventBus", "eventsource": "EventSource", "sensor": "Sensor", "imageupdater": "ImageUpdater",
    "certificate": "Certificate", "certificaterequest": "CertificateRequest", "issuer": "Issuer", "clusterissuer": "ClusterIssuer",
    "kongplugin": "KongPlugin", "kongclusterplugin": "KongClusterPlugin", "kongconsumer": "KongConsumer",
    "kongconsumergroup": "KongConsumerGroup", "kongingress": "KongIngress", "kongupstreampolicy": "KongUpstreamPolicy",
    "kongcustomentity": "KongCustomEntity", "kongvault": "KongVault", "konglicense": "KongLicense",
    "tcpingress": "TCPIngress", "udpingress": "UDPIngress", "ingressclassparameters": "IngressClassParameters",
    "externalsecret": "ExternalSecret", "clusterexternalsecret": "ClusterExternalSecret", "secretstore": "SecretStore",
    "clustersecretstore": "ClusterSecretStore", "pushsecret": "PushSecret", "clusterpushsecret": "ClusterPushSecret",
    "password": "Password", "gcraccesstoken": "GCRAccessToken", "ecrauthorizationtoken": "ECRAuthorizationToken",
    "stssessiontoken": "STSSessionToken", "grafana": "Grafana", "generatorstate": "GeneratorState", "uuid": "UUID",
    "mfa": "MFA", "cloudsmithaccesstoken": "CloudsmithAccessToken", "acraccesstoken": "ACRAccessToken", "webhook": "Webhook",
    "fake": "Fake", "quayaccesstoken": "QuayAccessToken", "vaultdynamicsecret": "VaultDynamicSecret",
    "githubaccesstoken": "GithubAccessToken", "clustergenerator": "ClusterGenerator", "sshkey": "SSHKey",
    "gatewayclass": "GatewayClass", "gateway": "Gateway", "httproute": "HTTPRoute", "grpcroute": "GRPCRoute",
    "tlsroute": "TLSRoute", "tcproute": "TCPRoute", "udproute": "UDPRoute", "referencegrant": "ReferenceGrant",
    "backendtlspolicy": "BackendTLSPolicy", "backendlbpolicy": "BackendLBPolicy", "listenerset": "ListenerSet",
    "kafka": "Kafka", "kafkanodepool": "KafkaNodePool", "kafkatopic": "KafkaTopic", "kafkauser": "KafkaUser",
    "kafkaconnect": "KafkaConnect", "kafkaconnector": "KafkaConnector", "kafkamirrormaker2": "KafkaMirrorMaker2",
    "kafkamirrormaker": "KafkaMirrorMaker", "kafkabridge": "KafkaBridge", "kafkarebalance": "KafkaRebalance",
    "strimzipodset": "StrimziPodSet", "kafkatopiccontrolacls": "KafkaTopicControlAcls",
    "alertmanager": "Alertmanager", "alertmanagerconfig": "AlertmanagerConfig", "podmonitor": "PodMonitor",
    "probe": "Probe", "prometheus": "Prometheus", "prometheusagent": "PrometheusAgent", "prometheusrule": "PrometheusRule",
    "scrapeconfig": "ScrapeConfig", "servicemonitor": "ServiceMonitor", "thanosruler": "ThanosRuler",
    "opentelemetrycollector": "OpenTelemetryCollector", "instrumentation": "Instrumentation", "opampbridge": "OpAMPBridge",
    "targetallocator": "TargetAllocator", "cluster": "Cluster", "pooler": "Pooler", "backup": "Backup",
    "scheduledbackup": "ScheduledBackup", "database": "Database", "databaserole": "DatabaseRole", "publication": "Publication",
    "subscription": "Subscription", "imagecatalog": "ImageCatalog", "clusterimagecatalog": "ClusterImageCatalog",
    "failoverquorum": "FailoverQuorum", "schedule": "Schedule", "restore": "Restore", "backuprepository": "BackupRepository",
    "backupstoragelocation": "BackupStorageLocation", "volumesnapshotlocation": "VolumeSnapshotLocation",
    "deletebackuprequest": "DeleteBackupRequest", "downloadrequest": "DownloadRequest", "serverstatusrequest": "ServerStatusRequest",
    "podvolumebackup": "PodVolumeBackup", "podvolumerestore": "PodVolumeRestore", "datadownload": "DataDownload",
    "dataupload": "DataUpload",
}

# Where each group's API reference lives (generated docstrings link there).
_DOCS = {
    "argoproj.io": "https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/",
    "argocd-image-updater.argoproj.io": "https://argocd-image-updater.readthedocs.io/en/stable/",
    "cert-manager.io": "https://cert-manager.io/docs/reference/api-docs/",
    "configuration.konghq.com": "https://developer.konghq.com/kubernetes-ingress-controller/reference/custom-resources/",
    "external-secrets.io": "https://external-secrets.io/latest/api/spec/",
    "generators.external-secrets.io": "https://external-secrets.io/latest/api/generator/",
    "gateway.networking.k8s.io": "https://gateway-api.sigs.k8s.io/reference/spec/",
    "kafka.strimzi.io": "https://strimzi.io/docs/operators/latest/configuring.html",
    "monitoring.coreos.com": "https://prometheus-operator.dev/docs/api-reference/api/",
    "opentelemetry.io": "https://github.com/open-telemetry/opentelemetry-operator/blob/main/docs/api/",
    "postgresql.cnpg.io": "https://cloudnative-pg.io/documentation/current/cloudnative-pg.v1/",
    "velero.io": "https://velero.io/docs/main/api-types/",
}
_ARGO_DOCS = {
    "Rollout": "https://argo-rollouts.readthedocs.io/en/stable/features/specification/",
    "AnalysisTemplate": "https://argo-rollouts.readthedocs.io/en/stable/features/analysis/",
    "ClusterAnalysisTemplate": "https://argo-rollouts.readthedocs.io/en/stable/features/analysis/",
    "AnalysisRun": "https://argo-rollouts.readthedocs.io/en/stable/features/analysis/",
    "Experiment": "https://argo-rollouts.readthedocs.io/en/stable/features/experiment/",
    "EventBus": "https://argoproj.github.io/argo-events/APIs/",
    "EventSource": "https://argoproj.github.io/argo-events/APIs/",
    "Sensor": "https://argoproj.github.io/argo-events/APIs/",
}


def doc_link(group: str, kind: str, core_anchor: str = "") -> str:
    """The upstream API reference for ``kind`` of ``group`` (empty for groups we do not know)."""
    if core_anchor:
        minor = ".".join(KUBERNETES_VERSION.split(".")[:2])
        return f"https://kubernetes.io/docs/reference/generated/kubernetes-api/v{minor}/#{core_anchor}"
    if group == "argoproj.io":
        if kind in _ARGO_DOCS:
            return _ARGO_DOCS[kind]
        if kind.startswith(("Workflow", "ClusterWorkflow", "CronWorkflow")):
            return "https://argo-workflows.readthedocs.io/en/latest/fields/"
    return _DOCS.get(group, "")
