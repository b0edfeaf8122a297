"""Secret store providers: the generated models of ``spec.provider`` plus the rules upstream checks later.

Every provider of a SecretStore (``aws``, ``gcpsm``, ``vault``, ``kubernetes``, ``azurekv``, ...) is a
generated model of :mod:`cdk8s_gitops.models.external_secrets_io_v1` (and of the v1beta1 and
v1alpha1 modules for the older versions). The public names below (:data:`VaultProvider`,
:data:`AWSProvider`...) are the v1 classes. The schemas state field types, enums and name patterns;
this module adds what the controller would only refuse at runtime (a Vault address that is no URL,
an AppRole without a role ID, client TLS with one half, a role that is no ARN...). Checks are
registered on the class of every version that has the structure. Credentials are always
*references* to Kubernetes Secrets or ServiceAccounts, never values.
"""

from __future__ import annotations

import typing
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from ..core.deferred import attributes, class_module, lazy_names, when_used
from ..core.fields import Issues, set_fields
from ..core.schema import semantic_check
from ..models import external_secrets_io_v1 as v1
from ..models import external_secrets_io_v1alpha1 as v1alpha1
from ..models import external_secrets_io_v1beta1 as v1beta1

__all__ = [
    "AWSAuth",
    "AWSAuthSecretRef",
    "AWSJWTAuth",
    "AWSProvider",
    "AWSSecretsManager",
    "AWSSessionTag",
    "CAProvider",
    "GCPSMAuth",
    "GCPSMAuthSecretRef",
    "GCPSMProvider",
    "GCPWorkloadIdentity",
    "KubernetesAuth",
    "KubernetesCertAuth",
    "KubernetesProvider",
    "KubernetesServer",
    "KubernetesTokenAuth",
    "SecretKeySelector",
    "ServiceAccountSelector",
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
    "is_reference",
    "structures",
]

C = TypeVar("C", bound=Callable[..., Any])

MODULES: tuple[ModuleType, ...] = (v1, v1beta1, v1alpha1)
STORE_MODULES: tuple[str, ...] = tuple(class_module(m, kind) for m in MODULES for kind in ("SecretStore", "ClusterSecretStore"))
"""The generated modules of the stores of every version: the checks here are registered when one is first used."""


def _models_of(annotation: Any) -> list[type[BaseModel]]:
    args = typing.get_args(annotation)
    if args:
        return [m for a in args for m in _models_of(a)]
    return [annotation] if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []


def _at(cls: type[BaseModel], path: str) -> type[BaseModel] | None:
    current: type[BaseModel] | None = cls
    for key in path.split("."):
        if current is None:
            return None
        found = next((f for n, f in current.model_fields.items() if key in (n, f.alias)), None)
        models = _models_of(found.annotation) if found is not None else []
        current = models[0] if len(models) == 1 else None
    return current


def structures(path: str) -> tuple[type[BaseModel], ...]:
    """The generated class at ``path`` under a store's ``spec`` (``provider.vault.auth``), one per version
    that has it (v1 first). The same class can serve several paths (upstream shares the Go type)."""
    found = (_at(module.SecretStoreSpec, path) for module in MODULES)
    return tuple(dict.fromkeys(c for c in found if c is not None))


def on_structures(path: str) -> Callable[[C], C]:
    """Register a check for the classes at ``path`` (see :func:`structures`) when a store module is first used."""

    def register(check: C) -> C:
        def attach() -> None:
            semantic_check(*structures(path))(check)

        when_used(STORE_MODULES, attach)
        return check

    return register



_REFERENCE_FIELDS = frozenset({"name", "namespace", "key", "audiences", "type"})


def is_reference(model: BaseModel) -> bool:
    """Whether ``model`` references a Kubernetes object by name and namespace (a Secret key, a ServiceAccount,
    a CA in a Secret or ConfigMap): these are what a namespaced store may only take from its own namespace."""
    fields = set(type(model).model_fields)
    return {"name", "namespace"} <= fields <= _REFERENCE_FIELDS


# -- public names: the v1 classes (created on first use: importing this module creates no store class) --
if TYPE_CHECKING:
    SecretKeySelector = v1.SecretStoreSpecProviderAkeylessAuthSecretRefKubernetesAuthSecretRef
    ServiceAccountSelector = v1.SecretStoreSpecProviderAkeylessAuthSecretRefKubernetesAuthServiceAccountRef
    CAProvider = v1.SecretStoreSpecProviderAkeylessCaProvider
    GCPSMProvider = v1.SecretStoreSpecProviderGcpsm
    GCPSMAuth = v1.SecretStoreSpecProviderGcpsmAuth
    GCPSMAuthSecretRef = v1.SecretStoreSpecProviderGcpsmAuthSecretRef
    GCPWorkloadIdentity = v1.SecretStoreSpecProviderGcpsmAuthWorkloadIdentity
    VaultProvider = v1.SecretStoreSpecProviderVault
    VaultAuth = v1.SecretStoreSpecProviderVaultAuth
    VaultAppRole = v1.SecretStoreSpecProviderVaultAuthAppRole
    VaultKubernetesAuth = v1.SecretStoreSpecProviderVaultAuthKubernetes
    VaultLdapAuth = v1.SecretStoreSpecProviderVaultAuthLdap
    VaultUserPassAuth = v1.SecretStoreSpecProviderVaultAuthUserPass
    VaultJwtAuth = v1.SecretStoreSpecProviderVaultAuthJwt
    VaultKubernetesServiceAccountToken = v1.SecretStoreSpecProviderVaultAuthJwtKubernetesServiceAccountToken
    VaultCertAuth = v1.SecretStoreSpecProviderVaultAuthCert
    VaultIamAuth = v1.SecretStoreSpecProviderVaultAuthIam
    VaultClientTLS = v1.SecretStoreSpecProviderVaultTls
    VaultCheckAndSet = v1.SecretStoreSpecProviderVaultCheckAndSet
    AWSProvider = v1.SecretStoreSpecProviderAws
    AWSAuth = v1.SecretStoreSpecProviderAwsAuth
    AWSJWTAuth = v1.SecretStoreSpecProviderAwsAuthJwt
    AWSAuthSecretRef = v1.SecretStoreSpecProviderAwsAuthSecretRef
    AWSSecretsManager = v1.SecretStoreSpecProviderAwsSecretsManager
    AWSSessionTag = v1.SecretStoreSpecProviderAwsSessionTags
    KubernetesProvider = v1.SecretStoreSpecProviderKubernetes
    KubernetesServer = v1.SecretStoreSpecProviderKubernetesServer
    KubernetesAuth = v1.SecretStoreSpecProviderKubernetesAuth
    KubernetesCertAuth = v1.SecretStoreSpecProviderKubernetesAuthCert
    KubernetesTokenAuth = v1.SecretStoreSpecProviderKubernetesAuthToken

_V1_NAMES: dict[str, str] = {
    "SecretKeySelector": "SecretStoreSpecProviderAkeylessAuthSecretRefKubernetesAuthSecretRef",
    "ServiceAccountSelector": "SecretStoreSpecProviderAkeylessAuthSecretRefKubernetesAuthServiceAccountRef",
    "CAProvider": "SecretStoreSpecProviderAkeylessCaProvider",
    "GCPSMProvider": "SecretStoreSpecProviderGcpsm",
    "GCPSMAuth": "SecretStoreSpecProviderGcpsmAuth",
    "GCPSMAuthSecretRef": "SecretStoreSpecProviderGcpsmAuthSecretRef",
    "GCPWorkloadIdentity": "SecretStoreSpecProviderGcpsmAuthWorkloadIdentity",
    "VaultProvider": "SecretStoreSpecProviderVault",
    "VaultAuth": "SecretStoreSpecProviderVaultAuth",
    "VaultAppRole": "SecretStoreSpecProviderVaultAuthAppRole",
    "VaultKubernetesAuth": "SecretStoreSpecProviderVaultAuthKubernetes",
    "VaultLdapAuth": "SecretStoreSpecProviderVaultAuthLdap",
    "VaultUserPassAuth": "SecretStoreSpecProviderVaultAuthUserPass",
    "VaultJwtAuth": "SecretStoreSpecProviderVaultAuthJwt",
    "VaultKubernetesServiceAccountToken": "SecretStoreSpecProviderVaultAuthJwtKubernetesServiceAccountToken",
    "VaultCertAuth": "SecretStoreSpecProviderVaultAuthCert",
    "VaultIamAuth": "SecretStoreSpecProviderVaultAuthIam",
    "VaultClientTLS": "SecretStoreSpecProviderVaultTls",
    "VaultCheckAndSet": "SecretStoreSpecProviderVaultCheckAndSet",
    "AWSProvider": "SecretStoreSpecProviderAws",
    "AWSAuth": "SecretStoreSpecProviderAwsAuth",
    "AWSJWTAuth": "SecretStoreSpecProviderAwsAuthJwt",
    "AWSAuthSecretRef": "SecretStoreSpecProviderAwsAuthSecretRef",
    "AWSSecretsManager": "SecretStoreSpecProviderAwsSecretsManager",
    "AWSSessionTag": "SecretStoreSpecProviderAwsSessionTags",
    "KubernetesProvider": "SecretStoreSpecProviderKubernetes",
    "KubernetesServer": "SecretStoreSpecProviderKubernetesServer",
    "KubernetesAuth": "SecretStoreSpecProviderKubernetesAuth",
    "KubernetesCertAuth": "SecretStoreSpecProviderKubernetesAuthCert",
    "KubernetesTokenAuth": "SecretStoreSpecProviderKubernetesAuthToken",
}
LAZY_NAMES = tuple(_V1_NAMES)
"""The public names created on first use (the package re-exports them the same way)."""

if not TYPE_CHECKING:  # type checkers see the assignments above
    __getattr__ = lazy_names(__name__, globals(), attributes({name: (v1, target) for name, target in _V1_NAMES.items()}))


def _warn_several(model: BaseModel, names: tuple[str, ...], what: str, order_note: str) -> None:
    given = set_fields(model, names)
    if len(given) > 1:
        warnings.warn(f"{what}: several methods are set ({', '.join(given)}); {order_note}", UserWarning, stacklevel=2)


# -- GCP Secret Manager ------------------------------------------------------------------------
@on_structures("provider.gcpsm.auth")
def _gcpsm_auth(auth: Any) -> None:
    _warn_several(auth, ("secret_ref", "workload_identity", "workload_identity_federation"), "gcpsm.auth",
                  "only one is used; keep the one you mean")


# -- HashiCorp Vault -----------------------------------------------------------------------------
@on_structures("provider.vault.auth.appRole")
def _vault_app_role(role: Any) -> None:
    if not role.role_id and getattr(role, "role_ref", None) is None:
        raise ValueError(f"roleId: no role ID given (roleId {role.role_id!r}, no roleRef); set roleId or roleRef")


@on_structures("provider.vault.auth.jwt")
def _vault_jwt(jwt: Any) -> None:
    if jwt.secret_ref is None and jwt.kubernetes_service_account_token is None:
        raise ValueError("secretRef: the JWT method has no token source (no secretRef, no kubernetesServiceAccountToken); "
                         "set one of them")


_VAULT_METHODS = ("token_secret_ref", "app_role", "kubernetes", "ldap", "user_pass", "jwt", "cert", "iam", "gcp")


@on_structures("provider.vault.auth")
def _vault_auth(auth: Any) -> None:
    _warn_several(auth, _VAULT_METHODS, "vault.auth", "the controller uses only the first it supports; keep one method")


@on_structures("provider.vault.tls")
def _vault_tls(tls: Any) -> None:
    given = set_fields(tls)
    if len(given) == 1:
        missing = "keySecretRef" if given == ["certSecretRef"] else "certSecretRef"
        raise ValueError(f"{missing}: only {given[0]} is set; client TLS needs both certSecretRef and keySecretRef")


@on_structures("provider.vault")
def _vault(vault: Any) -> None:
    if not vault.server.startswith(("https://", "http://")):
        raise ValueError(f"server: {vault.server!r} is not a URL; use the Vault address such as 'https://vault.example.com:8200'")


# -- AWS -------------------------------------------------------------------------------------------
@on_structures("provider.aws.secretsManager")
def _aws_secrets_manager(options: Any) -> None:
    days = options.recovery_window_in_days
    if days is not None and not 7 <= days <= 30:
        raise ValueError(f"recoveryWindowInDays: {days} is outside 7-30; use a number of days between 7 and 30")
    if options.force_delete_without_recovery and days is not None:
        raise ValueError(f"recoveryWindowInDays: {days} conflicts with forceDeleteWithoutRecovery: true; set only one of them")


@on_structures("provider.aws")
def _aws(aws: Any) -> None:
    found = Issues()
    if not aws.region.strip():
        found.add(("region",), f"{aws.region!r} is not an AWS region; use a region such as 'eu-central-1'", aws.region)
    if getattr(aws, "secrets_manager", None) is not None and aws.service != "SecretsManager":
        found.add(("secretsManager",), f"secretsManager options do not apply to service {aws.service!r}; "
                                       f"remove them or use service 'SecretsManager'", aws.service)
    if aws.role is not None and not aws.role.startswith("arn:"):
        found.add(("role",), f"{aws.role!r} is not an IAM role ARN; use 'arn:aws:iam::<account>:role/<name>'", aws.role)
    found.raise_any("AWSProvider")


# -- Kubernetes ----------------------------------------------------------------------------------
@on_structures("provider.kubernetes.auth")
def _kubernetes_auth(auth: Any) -> None:
    given = set_fields(auth)
    if len(given) != 1:
        got = ", ".join(given) or "none"
        raise ValueError(f"kubernetes auth sets {got}; set exactly one of serviceAccount, token or cert")
