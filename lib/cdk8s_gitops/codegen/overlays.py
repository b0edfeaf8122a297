"""What the generator adds to the schemas: facts upstream states elsewhere than in the schema.

- :data:`CORE_ENUMS`: allowed values that Kubernetes declares with ``+enum`` in its Go
  types but that the bundled JSON schemas do not carry. They become ``Literal`` types.
- :data:`RULES`: combinations upstream silently ignores or forbids, written as CEL rules
  so that one mechanism (the same as CRDs' ``x-kubernetes-validations``) refuses them.
  Keyed by the upstream type: a core definition name, or ``group/Kind:path`` for a CRD.
- :data:`CLUSTER_SCOPED`: custom resource kinds without a namespace (the JSON schema files
  do not say; a CRD YAML's ``spec.scope`` does).
"""

from __future__ import annotations

from ..core.schema import Rule

__all__ = ["CLUSTER_SCOPED", "CORE_ENUMS", "CORE_ITEM_ENUMS", "FAMILIES", "PRIMARY_KINDS", "RULES"]

_PROTOCOLS = ("SCTP", "TCP", "UDP")
_CORE = "io.k8s.api.core.v1."

CORE_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    (_CORE + "Container", "imagePullPolicy"): ("Always", "IfNotPresent", "Never"),
    (_CORE + "Container", "terminationMessagePolicy"): ("FallbackToLogsOnError", "File"),
    # Always makes an init container a sidecar; regular containers may override the pod's policy (restartPolicyRules).
    (_CORE + "Container", "restartPolicy"): ("Always", "Never", "OnFailure"),
    (_CORE + "EphemeralContainer", "imagePullPolicy"): ("Always", "IfNotPresent", "Never"),
    (_CORE + "PodSpec", "restartPolicy"): ("Always", "Never", "OnFailure"),
    (_CORE + "PodSpec", "dnsPolicy"): ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"),
    (_CORE + "PodSpec", "preemptionPolicy"): ("Never", "PreemptLowerPriority"),
    (_CORE + "ContainerPort", "protocol"): _PROTOCOLS,
    (_CORE + "ServicePort", "protocol"): _PROTOCOLS,
    (_CORE + "ServiceSpec", "type"): ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
    (_CORE + "ServiceSpec", "sessionAffinity"): ("ClientIP", "None"),
    (_CORE + "ServiceSpec", "externalTrafficPolicy"): ("Cluster", "Local"),
    (_CORE + "ServiceSpec", "internalTrafficPolicy"): ("Cluster", "Local"),
    (_CORE + "ServiceSpec", "ipFamilyPolicy"): ("PreferDualStack", "RequireDualStack", "SingleStack"),
    (_CORE + "PersistentVolumeClaimSpec", "volumeMode"): ("Block", "Filesystem"),
    (_CORE + "Toleration", "operator"): ("Equal", "Exists", "Gt", "Lt"),
    # An empty effect matches every taint effect.
    (_CORE + "Toleration", "effect"): ("", "NoExecute", "NoSchedule", "PreferNoSchedule"),
    (_CORE + "NodeSelectorRequirement", "operator"): ("DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"),
    (_CORE + "TopologySpreadConstraint", "whenUnsatisfiable"): ("DoNotSchedule", "ScheduleAnyway"),
    (_CORE + "TopologySpreadConstraint", "nodeAffinityPolicy"): ("Honor", "Ignore"),
    (_CORE + "TopologySpreadConstraint", "nodeTaintsPolicy"): ("Honor", "Ignore"),
    (_CORE + "SeccompProfile", "type"): ("Localhost", "RuntimeDefault", "Unconfined"),
    (_CORE + "AppArmorProfile", "type"): ("Localhost", "RuntimeDefault", "Unconfined"),
    (_CORE + "HTTPGetAction", "scheme"): ("HTTP", "HTTPS"),
    (_CORE + "PodSecurityContext", "fsGroupChangePolicy"): ("Always", "OnRootMismatch"),
    ("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement", "operator"): ("DoesNotExist", "Exists", "In", "NotIn"),
    ("io.k8s.api.apps.v1.DeploymentStrategy", "type"): ("Recreate", "RollingUpdate"),
    ("io.k8s.api.apps.v1.StatefulSetSpec", "podManagementPolicy"): ("OrderedReady", "Parallel"),
    ("io.k8s.api.apps.v1.StatefulSetUpdateStrategy", "type"): ("OnDelete", "RollingUpdate"),
    ("io.k8s.api.apps.v1.DaemonSetUpdateStrategy", "type"): ("OnDelete", "RollingUpdate"),
    ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted"): ("Delete", "Retain"),
    ("io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy", "whenScaled"): ("Delete", "Retain"),
    ("io.k8s.api.batch.v1.JobSpec", "completionMode"): ("Indexed", "NonIndexed"),
    ("io.k8s.api.batch.v1.JobSpec", "podReplacementPolicy"): ("Failed", "TerminatingOrFailed"),
    ("io.k8s.api.batch.v1.CronJobSpec", "concurrencyPolicy"): ("Allow", "Forbid", "Replace"),
    ("io.k8s.api.batch.v1.PodFailurePolicyRule", "action"): ("Count", "FailIndex", "FailJob", "Ignore"),
    ("io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement", "operator"): ("In", "NotIn"),
    ("io.k8s.api.autoscaling.v2.MetricSpec", "type"): ("ContainerResource", "External", "Object", "Pods", "Resource"),
    ("io.k8s.api.autoscaling.v2.MetricTarget", "type"): ("AverageValue", "Utilization", "Value"),
    ("io.k8s.api.autoscaling.v2.HPAScalingPolicy", "type"): ("Percent", "Pods"),
    ("io.k8s.api.autoscaling.v2.HPAScalingRules", "selectPolicy"): ("Disabled", "Max", "Min"),
    ("io.k8s.api.networking.v1.HTTPIngressPath", "pathType"): ("Exact", "ImplementationSpecific", "Prefix"),
    ("io.k8s.api.networking.v1.NetworkPolicyPort", "protocol"): _PROTOCOLS,
    ("io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "unhealthyPodEvictionPolicy"): ("AlwaysAllow", "IfHealthyBudget"),
}

#: Item enums of list fields (``policyTypes: [Ingress, Egress]``).
CORE_ITEM_ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    (_CORE + "PersistentVolumeClaimSpec", "accessModes"): ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"),
    (_CORE + "ServiceSpec", "ipFamilies"): ("IPv4", "IPv6"),
    ("io.k8s.api.networking.v1.NetworkPolicySpec", "policyTypes"): ("Egress", "Ingress"),
}

_RECREATE = "!(has(self.type) && self.type == 'Recreate' && has(self.rollingUpdate))"
_ON_DELETE = "!(has(self.type) && self.type == 'OnDelete' && has(self.rollingUpdate))"

RULES: dict[str, tuple[Rule, ...]] = {
    "io.k8s.api.apps.v1.DeploymentStrategy": (
        Rule(_RECREATE, "rollingUpdate is set with type Recreate, which ignores it: remove rollingUpdate or use type RollingUpdate",
             field_path="rollingUpdate"),
    ),
    "io.k8s.api.apps.v1.StatefulSetUpdateStrategy": (
        Rule(_ON_DELETE, "rollingUpdate is set with type OnDelete, which ignores it: remove rollingUpdate or use type RollingUpdate",
             field_path="rollingUpdate"),
    ),
    "io.k8s.api.apps.v1.DaemonSetUpdateStrategy": (
        Rule(_ON_DELETE, "rollingUpdate is set with type OnDelete, which ignores it: remove rollingUpdate or use type RollingUpdate",
             field_path="rollingUpdate"),
    ),
    "io.k8s.api.core.v1.ServiceSpec": (
        Rule("!(has(self.type) && self.type == 'ExternalName') || has(self.externalName)",
             "type ExternalName needs externalName", field_path="externalName"),
        Rule("!has(self.externalName) || (has(self.type) && self.type == 'ExternalName')",
             "externalName is only used with type ExternalName", field_path="externalName"),
    ),
    "io.k8s.api.core.v1.EnvVar": (
        Rule("!(has(self.value) && self.value != '' && has(self.valueFrom))",
             "value and valueFrom are both set; the API server refuses this: keep one"),
    ),
    "argoproj.io/Application:spec": (
        Rule("!(has(self.source) && has(self.sources))",
             "source and sources are both set; Argo CD then uses sources and silently ignores source: keep one"),
    ),
    "argoproj.io/Application:spec.syncPolicy": (
        Rule("!(has(self.automated) && has(self.automated.enabled) && self.automated.enabled == false && "
             "((has(self.automated.prune) && self.automated.prune) || (has(self.automated.selfHeal) && self.automated.selfHeal)))",
             "automated.prune or automated.selfHeal is set while automated.enabled is false, so they have no effect"),
    ),
    "argoproj.io/ApplicationSet:spec.template.spec": (
        Rule("!(has(self.source) && has(self.sources))",
             "source and sources are both set; Argo CD then uses sources and silently ignores source: keep one"),
    ),
    "argoproj.io/Rollout:spec": (
        Rule("!(has(self.template) && has(self.workloadRef))",
             "template is set together with workloadRef; remove template: the pods come from the referenced workload",
             "", ".template"),
    ),
    "argoproj.io/Rollout:spec.strategy": (
        Rule("!(has(self.canary) && has(self.blueGreen))", "canary and blueGreen are both set; choose one strategy"),
    ),
}

#: Kinds whose paths name the structures they share with other kinds of their group (in this order).
PRIMARY_KINDS = (
    "Application", "ApplicationSet", "AppProject", "Rollout", "AnalysisTemplate", "AnalysisRun", "Workflow", "WorkflowTemplate",
    "ExternalSecret", "SecretStore", "Certificate", "Issuer", "HTTPRoute", "Gateway", "Kafka", "Cluster", "Prometheus",
)

#: Product families inside one API group: kinds share generated structures only within their family, so
#: importing a Rollout does not load Argo Workflows' classes (argoproj.io holds four products).
FAMILIES: dict[str, str] = {
    **dict.fromkeys(("Application", "ApplicationSet", "AppProject"), "argocd"),
    **dict.fromkeys(("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun", "Experiment"), "rollouts"),
    **dict.fromkeys(("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow", "WorkflowArtifactGCTask",
                     "WorkflowEventBinding", "WorkflowTaskResult", "WorkflowTaskSet"), "workflows"),
    **dict.fromkeys(("EventBus", "EventSource", "Sensor"), "events"),
}

CLUSTER_SCOPED = frozenset({
    "ClusterAnalysisTemplate", "ClusterWorkflowTemplate", "ClusterIssuer", "ClusterSecretStore", "ClusterExternalSecret",
    "ClusterPushSecret", "ClusterGenerator", "ClusterImageCatalog", "GatewayClass", "KongClusterPlugin", "KongVault", "KongLicense",
})
