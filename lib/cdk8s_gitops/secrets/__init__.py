"""External Secrets as typed models: secrets come from a store, never from ``dist/``.

Kinds (registered with :func:`cdk8s_gitops.from_manifest` on import):

- ``external-secrets.io``: :class:`ExternalSecret`, :class:`ClusterExternalSecret`,
  :class:`SecretStore`, :class:`ClusterSecretStore` (v1, v1beta1; v1alpha1 for all but
  ClusterExternalSecret).
- ``generators.external-secrets.io/v1alpha1``: :class:`Password`, :class:`ClusterGenerator`.

Importing this package also registers the fail-closed synth check
(:func:`~cdk8s_gitops.secrets.checks.no_secret_values`): any ``v1`` Secret with
``data`` or ``stringData`` in the synthesized output is refused.

Example::

    from cdk8s_gitops import TypedResource
    from cdk8s_gitops.secrets import ExternalSecret

    TypedResource(chart, ExternalSecret.build(
        metadata={"name": "db"},
        spec={"secretStoreRef": {"name": "gcp", "kind": "ClusterSecretStore"},
              "refreshInterval": "1h",
              "target": {"name": "db", "creationPolicy": "Owner"},
              "data": [{"secretKey": "password", "remoteRef": {"key": "db-password"}}]},
    ))
"""

from . import checks
from ._common import LabelSelector, LabelSelectorRequirement, SecretKeySelector, ServiceAccountSelector
from .checks import no_secret_values
from .external_secret import (
    ClusterExternalSecret,
    ClusterExternalSecretSpec,
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretDataFrom,
    ExternalSecretFind,
    ExternalSecretMetadata,
    ExternalSecretSpec,
    ExternalSecretTarget,
    ExternalSecretTemplate,
    FindName,
    GeneratorRef,
    RemoteRef,
    Rewrite,
    RewriteMerge,
    RewriteRegexp,
    RewriteTransform,
    SecretStoreRef,
    SourceRef,
    TargetManifest,
    TemplateFrom,
    TemplateMetadata,
    TemplateRef,
    TemplateRefItem,
)
from .generators import ClusterGenerator, ClusterGeneratorSpec, GeneratorSpecs, Password, PasswordSpec
from .providers import (
    AWSAuth,
    AWSAuthSecretRef,
    AWSJWTAuth,
    AWSProvider,
    AWSSecretsManager,
    AWSSessionTag,
    CAProvider,
    GCPSMAuth,
    GCPSMAuthSecretRef,
    GCPSMProvider,
    GCPWorkloadIdentity,
    KubernetesAuth,
    KubernetesCertAuth,
    KubernetesProvider,
    KubernetesServer,
    KubernetesTokenAuth,
    VaultAppRole,
    VaultAuth,
    VaultCertAuth,
    VaultCheckAndSet,
    VaultClientTLS,
    VaultIamAuth,
    VaultJwtAuth,
    VaultKubernetesAuth,
    VaultKubernetesServiceAccountToken,
    VaultLdapAuth,
    VaultProvider,
    VaultUserPassAuth,
)
from .store import (
    ClusterSecretStore,
    ClusterSecretStoreCondition,
    RetrySettings,
    SecretStore,
    SecretStoreProvider,
    SecretStoreSpec,
)

__all__ = [
    "AWSAuth",
    "AWSAuthSecretRef",
    "AWSJWTAuth",
    "AWSProvider",
    "AWSSecretsManager",
    "AWSSessionTag",
    "CAProvider",
    "ClusterExternalSecret",
    "ClusterExternalSecretSpec",
    "ClusterGenerator",
    "ClusterGeneratorSpec",
    "ClusterSecretStore",
    "ClusterSecretStoreCondition",
    "ExternalSecret",
    "ExternalSecretData",
    "ExternalSecretDataFrom",
    "ExternalSecretFind",
    "ExternalSecretMetadata",
    "ExternalSecretSpec",
    "ExternalSecretTarget",
    "ExternalSecretTemplate",
    "FindName",
    "GCPSMAuth",
    "GCPSMAuthSecretRef",
    "GCPSMProvider",
    "GCPWorkloadIdentity",
    "GeneratorRef",
    "GeneratorSpecs",
    "KubernetesAuth",
    "KubernetesCertAuth",
    "KubernetesProvider",
    "KubernetesServer",
    "KubernetesTokenAuth",
    "LabelSelector",
    "LabelSelectorRequirement",
    "Password",
    "PasswordSpec",
    "RemoteRef",
    "RetrySettings",
    "Rewrite",
    "RewriteMerge",
    "RewriteRegexp",
    "RewriteTransform",
    "SecretKeySelector",
    "SecretStore",
    "SecretStoreProvider",
    "SecretStoreRef",
    "SecretStoreSpec",
    "ServiceAccountSelector",
    "SourceRef",
    "TargetManifest",
    "TemplateFrom",
    "TemplateMetadata",
    "TemplateRef",
    "TemplateRefItem",
    "VaultAppRole",
    "VaultAuth",
    "VaultCertAuth",
    "VaultCheckAndSet",
    "VaultClientTLS",
    "VaultIamAuth",
    "VaultJwtAuth",
    "VaultKubernetesAuth",
    "VaultKubernetesServiceAccountToken",
    "VaultLdapAuth",
    "VaultProvider",
    "VaultUserPassAuth",
    "checks",
    "no_secret_values",
]
