"""External Secrets as typed models: secrets come from a store, never from ``dist/``.

Kinds (registered with :func:`cdk8s_gitops.from_manifest` on import):

- ``external-secrets.io``: :class:`ExternalSecret`, :class:`ClusterExternalSecret` (the
  generated models; ``v1``, with ``ExternalSecretV1Beta1``, ``ExternalSecretV1Alpha1`` and
  ``ClusterExternalSecretV1Beta1`` for the older versions, helpers :func:`store_refs`,
  :func:`generator_refs`, :func:`target_secret_name`), :class:`SecretStore`,
  :class:`ClusterSecretStore` (generated models, v1, with ``SecretStoreV1Beta1``... for the older
  versions; helpers :func:`provider_name`, :func:`provider_config`, :func:`foreign_references`).
- ``generators.external-secrets.io/v1alpha1``: :class:`Password`, :class:`ClusterGenerator` (generated
  models; :func:`password_spec` writes the schema-required password fields).

Importing this package also registers the fail-closed synth check
(:func:`~cdk8s_gitops.secrets.checks.no_secret_values`): any ``v1`` Secret with
``data`` or ``stringData`` in the synthesized output is refused.

Example::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.secrets import (
        ExternalSecret,
        ExternalSecretData,
        ExternalSecretSpec,
        ExternalSecretTarget,
        RemoteRef,
        StoreRef,
    )

    db = ExternalSecret(
        metadata=ObjectMeta(name="db"),
        spec=ExternalSecretSpec(
            secret_store_ref=StoreRef(name="gcp", kind="ClusterSecretStore"),
            refresh_interval="1h",
            target=ExternalSecretTarget(name="db", creation_policy="Owner"),
            data=[ExternalSecretData(secret_key="password", remote_ref=RemoteRef(key="db-password"))],
        ),
    )

``TypedResource(scope, db)`` then puts it into a chart.
"""

from typing import TYPE_CHECKING

from ..core.deferred import attributes, lazy_names
from ..models.meta_v1 import LabelSelector, LabelSelectorRequirement
from . import checks, external_secret, generators, providers, store
from .checks import no_secret_values
from .external_secret import (
    ExternalSecret,
    ExternalSecretData,
    ExternalSecretDataFrom,
    ExternalSecretSpec,
    ExternalSecretTarget,
    ExternalSecretTemplate,
    GeneratorRef,
    RemoteRef,
    SourceRef,
    StoreRef,
    generator_refs,
    store_refs,
    target_secret_name,
)
from .generators import password_spec
from .store import foreign_references, provider_config, provider_name

# The store, provider and generator classes, ClusterExternalSecrets and the older ExternalSecret versions are
# created on first use: an app that writes only v1 ExternalSecrets never pays for the ~400 classes of the others.
if TYPE_CHECKING:
    from .external_secret import (
        ClusterExternalSecret,
        ClusterExternalSecretSpec,
        ClusterExternalSecretV1Beta1,
        ExternalSecretV1Alpha1,
        ExternalSecretV1Beta1,
    )
    from .generators import (
        ClusterGenerator,
        ClusterGeneratorSpec,
        GeneratorSpecs,
        Password,
        PasswordSpec,
    )
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
        SecretKeySelector,
        ServiceAccountSelector,
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
        ClusterSecretStoreV1Alpha1,
        ClusterSecretStoreV1Beta1,
        RetrySettings,
        SecretStore,
        SecretStoreProvider,
        SecretStoreSpec,
        SecretStoreV1Alpha1,
        SecretStoreV1Beta1,
    )

if not TYPE_CHECKING:  # type checkers see the imports above
    __getattr__ = lazy_names(__name__, globals(), attributes({
        name: (module, name) for module in (external_secret, generators, providers, store) for name in module.LAZY_NAMES
    }))

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
    "ClusterExternalSecretV1Beta1",
    "ClusterGenerator",
    "ClusterGeneratorSpec",
    "ClusterSecretStore",
    "ClusterSecretStoreCondition",
    "ClusterSecretStoreV1Alpha1",
    "ClusterSecretStoreV1Beta1",
    "ExternalSecret",
    "ExternalSecretData",
    "ExternalSecretDataFrom",
    "ExternalSecretSpec",
    "ExternalSecretTarget",
    "ExternalSecretTemplate",
    "ExternalSecretV1Alpha1",
    "ExternalSecretV1Beta1",
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
    "SecretKeySelector",
    "SecretStore",
    "SecretStoreProvider",
    "SecretStoreSpec",
    "SecretStoreV1Alpha1",
    "SecretStoreV1Beta1",
    "ServiceAccountSelector",
    "SourceRef",
    "StoreRef",
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
    "foreign_references",
    "generator_refs",
    "no_secret_values",
    "password_spec",
    "provider_config",
    "provider_name",
    "store_refs",
    "target_secret_name",
]
