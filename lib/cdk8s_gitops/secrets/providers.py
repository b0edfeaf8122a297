"""Typed secret store providers: GCP Secret Manager, HashiCorp Vault, AWS, Kubernetes.

Every other provider (Azure Key Vault, 1Password, GitLab, ...) is kept as given in
:class:`~cdk8s_gitops.secrets.store.SecretStoreProvider`. Credentials are always
*references* to Kubernetes Secrets or ServiceAccounts, never values.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel
from ._common import (
    NamespacedReference,
    NamespaceName,
    ObjectName,
    SecretKey,
    SecretKeySelector,
    ServiceAccountSelector,
    served,
    set_fields,
    warn_several,
)

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
]

V1, V1BETA1 = "v1", "v1beta1"


class CAProvider(NamespacedReference):
    """A CA certificate kept in a Secret or ConfigMap (``caProvider``).

    Attributes:
        type: ``type``: ``Secret`` or ``ConfigMap``. Required.
        name: ``name`` of the object. Required.
        key: ``key`` holding the PEM certificate. Default: none.
        namespace: ``namespace`` of the object (ClusterSecretStore only). Default: the store's namespace.
    """

    type: Literal["Secret", "ConfigMap"]
    name: ObjectName
    key: SecretKey | None = None


# -- GCP Secret Manager ------------------------------------------------------------------
class GCPSMAuthSecretRef(K8sModel):
    """A service-account key kept in a Secret (``gcpsm.auth.secretRef``).

    Attributes:
        secret_access_key_secret_ref: ``secretAccessKeySecretRef``: the JSON key file. Default: none.
    """

    secret_access_key_secret_ref: SecretKeySelector | None = None


class GCPWorkloadIdentity(K8sModel):
    """GKE Workload Identity: act as the Google service account bound to a Kubernetes ServiceAccount.

    Attributes:
        service_account_ref: ``serviceAccountRef``: the Kubernetes ServiceAccount. Required.
        cluster_location: ``clusterLocation`` of the GKE cluster. Default: read from the metadata server.
        cluster_name: ``clusterName``. Default: read from the metadata server.
        cluster_project_id: ``clusterProjectID``. Default: the provider's ``projectID``.
    """

    service_account_ref: ServiceAccountSelector
    cluster_location: str | None = None
    cluster_name: str | None = None
    cluster_project_id: str | None = Field(default=None, alias="clusterProjectID")


class GCPSMAuth(K8sModel):
    """How the controller authenticates to Secret Manager (``gcpsm.auth``).

    Attributes:
        secret_ref: ``secretRef``: a service-account key in a Secret. Default: none.
        workload_identity: ``workloadIdentity``: GKE Workload Identity. Default: none.
        workload_identity_federation: ``workloadIdentityFederation``, kept as given. Default: none. v1 only.

    With none of them the controller's own credentials (its pod's Workload Identity) are used.
    """

    secret_ref: GCPSMAuthSecretRef | None = None
    workload_identity: GCPWorkloadIdentity | None = None
    workload_identity_federation: dict[str, Any] | None = served(V1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        warn_several(self, ("secret_ref", "workload_identity", "workload_identity_federation"), "gcpsm.auth",
                     "only one is used; keep the one you mean")
        return self


class GCPSMProvider(K8sModel):
    """GCP Secret Manager (``provider.gcpsm``).

    Attributes:
        project_id: ``projectID``: the Google Cloud project holding the secrets. Default: the controller's project.
        location: ``location``: a region for regional secrets. Default: global secrets. v1/v1beta1 only.
        auth: ``auth``. Default: the controller's own identity.
        secret_version_selection_policy: ``secretVersionSelectionPolicy``: ``LatestOrFail`` or ``LatestOrFetch``.
            Default: ``LatestOrFail``. v1 only.
    """

    project_id: str | None = Field(default=None, alias="projectID")
    location: str | None = served(V1, V1BETA1)
    auth: GCPSMAuth | None = None
    secret_version_selection_policy: Literal["LatestOrFail", "LatestOrFetch"] | None = served(V1)


# -- HashiCorp Vault -----------------------------------------------------------------------
class VaultAppRole(K8sModel):
    """AppRole auth (``vault.auth.appRole``).

    Attributes:
        path: ``path`` where the AppRole method is mounted. Required (upstream default ``approle``).
        role_id: ``roleId``: the role ID, written inline (it is not a secret). Default: none.
        role_ref: ``roleRef``: the role ID kept in a Secret. Default: none. v1/v1beta1 only.
        secret_ref: ``secretRef``: the secret ID in a Secret. Required.

    One of ``roleId`` and ``roleRef`` is required.
    """

    path: str
    role_id: str | None = None
    role_ref: SecretKeySelector | None = served(V1, V1BETA1)
    secret_ref: SecretKeySelector

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.role_id and self.role_ref is None:
            raise ValueError(
                f"roleId: no role ID given (roleId {self.role_id!r}, no roleRef); set roleId or roleRef"
            )
        return self


class VaultKubernetesAuth(K8sModel):
    """Kubernetes auth (``vault.auth.kubernetes``): log in with a ServiceAccount token.

    Attributes:
        mount_path: ``mountPath`` of the Kubernetes auth method. Required (upstream default ``kubernetes``).
        role: ``role`` in Vault to log in as. Required.
        service_account_ref: ``serviceAccountRef``: request a token for this ServiceAccount. Default: none.
        secret_ref: ``secretRef``: a long-lived token kept in a Secret. Default: none.

    With neither, the controller's own ServiceAccount token is used.
    """

    mount_path: str
    role: str
    service_account_ref: ServiceAccountSelector | None = None
    secret_ref: SecretKeySelector | None = None


class VaultLdapAuth(K8sModel):
    """LDAP auth (``vault.auth.ldap``).

    Attributes:
        path: ``path`` of the LDAP method. Required (upstream default ``ldap``).
        username: ``username``. Required.
        secret_ref: ``secretRef``: the password. Default: none.
    """

    path: str
    username: str
    secret_ref: SecretKeySelector | None = None


class VaultUserPassAuth(K8sModel):
    """Username and password auth (``vault.auth.userPass``, v1/v1beta1).

    Attributes:
        path: ``path`` of the userpass method. Required (upstream default ``userpass``).
        username: ``username``. Required.
        secret_ref: ``secretRef``: the password. Default: none.
    """

    path: str
    username: str
    secret_ref: SecretKeySelector | None = None


class VaultKubernetesServiceAccountToken(K8sModel):
    """A ServiceAccount token requested for JWT auth (``jwt.kubernetesServiceAccountToken``).

    Attributes:
        service_account_ref: ``serviceAccountRef``. Required.
        audiences: ``audiences`` of the token. Default: ``["vault"]``.
        expiration_seconds: ``expirationSeconds``. Default: 600.
    """

    service_account_ref: ServiceAccountSelector
    audiences: list[str] | None = None
    expiration_seconds: int | None = None


class VaultJwtAuth(K8sModel):
    """JWT/OIDC auth (``vault.auth.jwt``).

    Attributes:
        path: ``path`` of the JWT method. Required (upstream default ``jwt``).
        role: ``role``. Default: the method's default role.
        secret_ref: ``secretRef``: a JWT kept in a Secret. Default: none.
        kubernetes_service_account_token: ``kubernetesServiceAccountToken``: request a ServiceAccount token.
            Default: none. One of ``secretRef`` and ``kubernetesServiceAccountToken`` is required.
    """

    path: str
    role: str | None = None
    secret_ref: SecretKeySelector | None = None
    kubernetes_service_account_token: VaultKubernetesServiceAccountToken | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.secret_ref is None and self.kubernetes_service_account_token is None:
            raise ValueError("secretRef: the JWT method has no token source (no secretRef, no kubernetesServiceAccountToken); "
                             "set one of them")
        return self


class VaultCertAuth(K8sModel):
    """TLS certificate auth (``vault.auth.cert``).

    Attributes:
        client_cert: ``clientCert``: the client certificate in a Secret. Default: none.
        secret_ref: ``secretRef``: the private key in a Secret. Default: none.
        path: ``path`` of the cert method. Default: ``cert``. v1 only.
        vault_role: ``vaultRole``. Default: none. v1 only.
    """

    client_cert: SecretKeySelector | None = None
    secret_ref: SecretKeySelector | None = None
    path: str | None = served(V1)
    vault_role: str | None = served(V1)


class AWSJWTAuth(K8sModel):
    """IAM roles for service accounts: a ServiceAccount's token (``auth.jwt``).

    Attributes:
        service_account_ref: ``serviceAccountRef``. Default: none.
    """

    service_account_ref: ServiceAccountSelector | None = None


class AWSAuthSecretRef(K8sModel):
    """Static AWS credentials kept in Secrets (``auth.secretRef``).

    Attributes:
        access_key_id_secret_ref: ``accessKeyIDSecretRef``. Default: none.
        secret_access_key_secret_ref: ``secretAccessKeySecretRef``. Default: none.
        session_token_secret_ref: ``sessionTokenSecretRef``. Default: none. v1/v1beta1 only.
    """

    access_key_id_secret_ref: SecretKeySelector | None = Field(default=None, alias="accessKeyIDSecretRef")
    secret_access_key_secret_ref: SecretKeySelector | None = None
    session_token_secret_ref: SecretKeySelector | None = served(V1, V1BETA1)


class VaultIamAuth(K8sModel):
    """AWS IAM auth (``vault.auth.iam``, v1/v1beta1).

    Attributes:
        vault_role: ``vaultRole``: the Vault role. Required.
        path: ``path`` of the AWS method. Default: ``aws``.
        region: ``region``. Default: ``us-east-1``.
        role: ``role``: an IAM role to assume first. Default: none.
        external_id: ``externalID`` for assuming ``role``. Default: none.
        vault_aws_iam_server_id: ``vaultAwsIamServerID``: the ``X-Vault-AWS-IAM-Server-ID`` header. Default: none.
        jwt: ``jwt``: IRSA credentials. Default: none.
        secret_ref: ``secretRef``: static credentials. Default: none (the controller's own).
    """

    vault_role: str
    path: str | None = None
    region: str | None = None
    role: str | None = None
    external_id: str | None = Field(default=None, alias="externalID")
    vault_aws_iam_server_id: str | None = Field(default=None, alias="vaultAwsIamServerID")
    jwt: AWSJWTAuth | None = None
    secret_ref: AWSAuthSecretRef | None = None


class VaultAuth(K8sModel):
    """How the controller logs in to Vault (``vault.auth``); set one method.

    Attributes:
        token_secret_ref: ``tokenSecretRef``: a Vault token kept in a Secret. Default: none.
        app_role: ``appRole``. Default: none.
        kubernetes: ``kubernetes``. Default: none.
        ldap: ``ldap``. Default: none.
        user_pass: ``userPass``. Default: none. v1/v1beta1 only.
        jwt: ``jwt``. Default: none.
        cert: ``cert``. Default: none.
        iam: ``iam``. Default: none. v1/v1beta1 only.
        gcp: ``gcp``, kept as given. Default: none. v1 only.
        namespace: ``namespace``: the Vault namespace to log in to. Default: the provider's namespace.
            v1/v1beta1 only.
    """

    token_secret_ref: SecretKeySelector | None = None
    app_role: VaultAppRole | None = None
    kubernetes: VaultKubernetesAuth | None = None
    ldap: VaultLdapAuth | None = None
    user_pass: VaultUserPassAuth | None = served(V1, V1BETA1)
    jwt: VaultJwtAuth | None = None
    cert: VaultCertAuth | None = None
    iam: VaultIamAuth | None = served(V1, V1BETA1)
    gcp: dict[str, Any] | None = served(V1)
    namespace: str | None = served(V1, V1BETA1)

    METHODS: ClassVar[tuple[str, ...]] = ("token_secret_ref", "app_role", "kubernetes", "ldap", "user_pass", "jwt", "cert", "iam", "gcp")

    @model_validator(mode="after")
    def _check(self) -> Self:
        warn_several(self, self.METHODS, "vault.auth", "the controller uses only the first it supports; keep one method")
        return self


class VaultClientTLS(K8sModel):
    """The client certificate for mutual TLS with Vault (``vault.tls``, v1/v1beta1).

    Attributes:
        cert_secret_ref: ``certSecretRef``: the certificate. Default: none.
        key_secret_ref: ``keySecretRef``: the private key. Default: none. Both or neither.
    """

    cert_secret_ref: SecretKeySelector | None = None
    key_secret_ref: SecretKeySelector | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        given = set_fields(self)
        if len(given) == 1:
            missing = "keySecretRef" if given == ["certSecretRef"] else "certSecretRef"
            raise ValueError(f"{missing}: only {given[0]} is set; client TLS needs both certSecretRef and keySecretRef")
        return self


class VaultCheckAndSet(K8sModel):
    """Check-and-set for writes (``vault.checkAndSet``, v1).

    Attributes:
        required: ``required``: refuse writes without a version check. Default: false.
    """

    required: bool | None = None


class VaultProvider(K8sModel):
    """HashiCorp Vault (``provider.vault``).

    Attributes:
        server: ``server``: the Vault address (``https://vault.example.com:8200``). Required.
        path: ``path``: the mount path of the KV engine, prefixed to every key. Default: none (keys carry it).
        version: ``version`` of the KV engine: ``v1`` or ``v2``. Default: ``v2``.
        namespace: ``namespace`` (Vault Enterprise). Default: none.
        ca_bundle: ``caBundle``: base64 PEM CA bundle. Default: the system roots.
        ca_provider: ``caProvider``: the CA in a Secret or ConfigMap. Default: none.
        tls: ``tls``: client certificate for mutual TLS. Default: none. v1/v1beta1 only.
        auth: ``auth``. Default: none.
        read_your_writes: ``readYourWrites``. Default: false.
        forward_inconsistent: ``forwardInconsistent``. Default: false.
        headers: ``headers`` sent with every request. Default: none. v1/v1beta1 only.
        check_and_set: ``checkAndSet``. Default: none. v1 only.
    """

    server: str
    path: str | None = None
    version: Literal["v1", "v2"] | None = None
    namespace: str | None = None
    ca_bundle: str | None = None
    ca_provider: CAProvider | None = None
    tls: VaultClientTLS | None = served(V1, V1BETA1)
    auth: VaultAuth | None = None
    read_your_writes: bool | None = None
    forward_inconsistent: bool | None = None
    headers: dict[str, str] | None = served(V1, V1BETA1)
    check_and_set: VaultCheckAndSet | None = served(V1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.server.startswith(("https://", "http://")):
            raise ValueError(f"server: {self.server!r} is not a URL; use the Vault address such as 'https://vault.example.com:8200'")
        return self


# -- AWS -------------------------------------------------------------------------------------
class AWSAuth(K8sModel):
    """How the controller authenticates to AWS (``aws.auth``).

    Attributes:
        jwt: ``jwt``: IRSA, the token of a ServiceAccount annotated with a role. Default: none.
        secret_ref: ``secretRef``: static access keys in Secrets. Default: none.

    With neither, the controller's own credentials (its pod's IRSA or instance role) are used.
    """

    jwt: AWSJWTAuth | None = None
    secret_ref: AWSAuthSecretRef | None = None


class AWSSessionTag(K8sModel):
    """A session tag for the assumed role (``aws.sessionTags[]``).

    Attributes:
        key: ``key``. Required.
        value: ``value``. Required.
    """

    key: str
    value: str


class AWSSecretsManager(K8sModel):
    """Secrets Manager options for deletes by PushSecret (``aws.secretsManager``).

    Attributes:
        force_delete_without_recovery: ``forceDeleteWithoutRecovery``. Default: false.
        recovery_window_in_days: ``recoveryWindowInDays``: 7 to 30. Default: 30.
    """

    force_delete_without_recovery: bool | None = None
    recovery_window_in_days: int | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        days = self.recovery_window_in_days
        if days is not None and not 7 <= days <= 30:
            raise ValueError(f"recoveryWindowInDays: {days} is outside 7-30; use a number of days between 7 and 30")
        if self.force_delete_without_recovery and days is not None:
            raise ValueError(
                f"recoveryWindowInDays: {days} conflicts with forceDeleteWithoutRecovery: true; set only one of them"
            )
        return self


class AWSProvider(K8sModel):
    """AWS Secrets Manager or Systems Manager Parameter Store (``provider.aws``).

    Attributes:
        service: ``service``: ``SecretsManager`` or ``ParameterStore``. Required.
        region: ``region`` (``eu-central-1``). Required.
        role: ``role``: an IAM role ARN to assume. Default: none.
        additional_roles: ``additionalRoles``: roles to chain after ``role``. Default: none. v1/v1beta1 only.
        external_id: ``externalID`` for assuming ``role``. Default: none. v1/v1beta1 only.
        auth: ``auth``. Default: the controller's own credentials.
        prefix: ``prefix`` added to every key. Default: none. v1/v1beta1 only.
        secrets_manager: ``secretsManager`` options (service SecretsManager only). Default: none. v1/v1beta1 only.
        session_tags: ``sessionTags``. Default: none. v1/v1beta1 only.
        transitive_tag_keys: ``transitiveTagKeys``. Default: none. v1/v1beta1 only.
        custom_session_tags: ``customSessionTags``. Default: none. v1 only.
        session_tags_policy: ``sessionTagsPolicy``: ``None``, ``Simple`` or ``Custom``. Default: ``None``. v1 only.
    """

    service: Literal["SecretsManager", "ParameterStore"]
    region: str
    role: str | None = None
    additional_roles: list[str] | None = served(V1, V1BETA1)
    external_id: str | None = served(V1, V1BETA1, alias="externalID")
    auth: AWSAuth | None = None
    prefix: str | None = served(V1, V1BETA1)
    secrets_manager: AWSSecretsManager | None = served(V1, V1BETA1)
    session_tags: list[AWSSessionTag] | None = served(V1, V1BETA1)
    transitive_tag_keys: list[str] | None = served(V1, V1BETA1)
    custom_session_tags: dict[str, str] | None = served(V1)
    session_tags_policy: Literal["None", "Simple", "Custom"] | None = served(V1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        found = Issues()
        if not self.region.strip():
            found.add(("region",), f"{self.region!r} is not an AWS region; use a region such as 'eu-central-1'", self.region)
        if self.secrets_manager is not None and self.service != "SecretsManager":
            found.add(("secretsManager",), f"secretsManager options do not apply to service {self.service!r}; "
                                           f"remove them or use service 'SecretsManager'", self.service)
        if self.role is not None and not self.role.startswith("arn:"):
            found.add(("role",), f"{self.role!r} is not an IAM role ARN; use 'arn:aws:iam::<account>:role/<name>'", self.role)
        found.raise_any("AWSProvider")
        return self


# -- Kubernetes ------------------------------------------------------------------------------
class KubernetesServer(K8sModel):
    """The API server to read Secrets from (``kubernetes.server``).

    Attributes:
        url: ``url``. Default: ``kubernetes.default`` (this cluster).
        ca_bundle: ``caBundle``: base64 PEM CA bundle. Default: none.
        ca_provider: ``caProvider``: the CA in a Secret or ConfigMap. Default: none.
    """

    url: str | None = None
    ca_bundle: str | None = None
    ca_provider: CAProvider | None = None


class KubernetesCertAuth(K8sModel):
    """Client certificate auth (``kubernetes.auth.cert``).

    Attributes:
        client_cert: ``clientCert``. Default: none.
        client_key: ``clientKey``. Default: none.
    """

    client_cert: SecretKeySelector | None = None
    client_key: SecretKeySelector | None = None


class KubernetesTokenAuth(K8sModel):
    """Bearer token auth (``kubernetes.auth.token``).

    Attributes:
        bearer_token: ``bearerToken``: the token in a Secret. Default: none.
    """

    bearer_token: SecretKeySelector | None = None


class KubernetesAuth(K8sModel):
    """How the controller authenticates to the API server (``kubernetes.auth``); exactly one method.

    Attributes:
        service_account: ``serviceAccount``: request a token for this ServiceAccount. Default: none.
        token: ``token``. Default: none.
        cert: ``cert``. Default: none.
    """

    service_account: ServiceAccountSelector | None = None
    token: KubernetesTokenAuth | None = None
    cert: KubernetesCertAuth | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        given = set_fields(self)
        if len(given) != 1:
            got = ", ".join(given) or "none"
            raise ValueError(f"kubernetes auth sets {got}; set exactly one of serviceAccount, token or cert")
        return self


class KubernetesProvider(K8sModel):
    """Secrets of a Kubernetes cluster (``provider.kubernetes``).

    Attributes:
        remote_namespace: ``remoteNamespace``: where the source Secrets live. Default: ``default``.
        server: ``server``. Default: this cluster.
        auth: ``auth``. Default: none.
        auth_ref: ``authRef``: a kubeconfig kept in a Secret. Default: none. v1/v1beta1 only.
    """

    remote_namespace: NamespaceName | None = None
    server: KubernetesServer | None = None
    auth: KubernetesAuth | None = None
    auth_ref: SecretKeySelector | None = served(V1, V1BETA1)
