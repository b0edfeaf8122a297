"""``SecretStore`` and ``ClusterSecretStore`` (external-secrets.io v1, v1beta1, v1alpha1).

A store says how the controller reaches one secret backend. Exactly one provider per
store. GCP Secret Manager, Vault, AWS and Kubernetes are typed (see
:mod:`cdk8s_gitops.secrets.providers`); the other providers are kept as given.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import BaseModel, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel
from ._common import (
    Duration,
    ExternalSecretsResource,
    LabelSelector,
    NamespacedReference,
    NamespaceName,
    served,
    set_fields,
)
from .external_secret import GROUP, V1, V1ALPHA1, V1BETA1, check_regexp
from .providers import AWSProvider, GCPSMProvider, KubernetesProvider, VaultProvider

__all__ = [
    "ClusterSecretStore",
    "ClusterSecretStoreCondition",
    "RetrySettings",
    "SecretStore",
    "SecretStoreProvider",
    "SecretStoreSpec",
]

_ALL = (V1, V1BETA1, V1ALPHA1)
_NEWER = (V1, V1BETA1)


def _kept(*versions: str, alias: str | None = None) -> Any:
    """A provider kept as given, served by ``versions``."""
    if set(versions) == set(_ALL) and alias is None:
        return None
    return served(*versions, alias=alias)


class SecretStoreProvider(K8sModel):
    """The one secret backend of a store (``spec.provider``); exactly one field is set.

    Attributes:
        aws: ``aws``: AWS Secrets Manager or Parameter Store; see :class:`AWSProvider`. Default: none.
        gcpsm: ``gcpsm``: GCP Secret Manager; see :class:`GCPSMProvider`. Default: none.
        vault: ``vault``: HashiCorp Vault; see :class:`VaultProvider`. Default: none.
        kubernetes: ``kubernetes``: Secrets of a cluster; see :class:`KubernetesProvider`. Default: none.
        akeyless: ``akeyless``, kept as given. Default: none.
        alibaba: ``alibaba``, kept as given. Default: none.
        azurekv: ``azurekv``, kept as given. Default: none.
        barbican: ``barbican``, kept as given. Default: none.
        beyondtrust: ``beyondtrust``, kept as given. Default: none.
        bitwardensecretsmanager: ``bitwardensecretsmanager``, kept as given. Default: none.
        chef: ``chef``, kept as given. Default: none.
        cloudrusm: ``cloudrusm``, kept as given. Default: none.
        conjur: ``conjur``, kept as given. Default: none.
        delinea: ``delinea``, kept as given. Default: none.
        device42: ``device42``, kept as given. Default: none.
        doppler: ``doppler``, kept as given. Default: none.
        dvls: ``dvls``, kept as given. Default: none.
        fake: ``fake``, kept as given. Default: none.
        fortanix: ``fortanix``, kept as given. Default: none.
        github: ``github``, kept as given. Default: none.
        gitlab: ``gitlab``, kept as given. Default: none.
        ibm: ``ibm``, kept as given. Default: none.
        infisical: ``infisical``, kept as given. Default: none.
        keepersecurity: ``keepersecurity``, kept as given. Default: none.
        nebiusmysterybox: ``nebiusmysterybox``, kept as given. Default: none.
        ngrok: ``ngrok``, kept as given. Default: none.
        onboardbase: ``onboardbase``, kept as given. Default: none.
        onepassword: ``onepassword``, kept as given. Default: none.
        onepassword_sdk: ``onepasswordSDK``, kept as given. Default: none.
        oracle: ``oracle``, kept as given. Default: none.
        ovh: ``ovh``, kept as given. Default: none.
        passbolt: ``passbolt``, kept as given. Default: none.
        passworddepot: ``passworddepot``, kept as given. Default: none.
        previder: ``previder``, kept as given. Default: none.
        pulumi: ``pulumi``, kept as given. Default: none.
        scaleway: ``scaleway``, kept as given. Default: none.
        secretserver: ``secretserver``, kept as given. Default: none.
        senhasegura: ``senhasegura``, kept as given. Default: none.
        volcengine: ``volcengine``, kept as given. Default: none.
        webhook: ``webhook``, kept as given. Default: none.
        yandexcertificatemanager: ``yandexcertificatemanager``, kept as given. Default: none.
        yandexlockbox: ``yandexlockbox``, kept as given. Default: none.
    """

    aws: AWSProvider | None = None
    gcpsm: GCPSMProvider | None = None
    vault: VaultProvider | None = None
    kubernetes: KubernetesProvider | None = None
    akeyless: dict[str, Any] | None = _kept(*_ALL)
    alibaba: dict[str, Any] | None = _kept(V1BETA1, V1ALPHA1)
    azurekv: dict[str, Any] | None = _kept(*_ALL)
    barbican: dict[str, Any] | None = _kept(V1)
    beyondtrust: dict[str, Any] | None = _kept(*_NEWER)
    bitwardensecretsmanager: dict[str, Any] | None = _kept(*_NEWER)
    chef: dict[str, Any] | None = _kept(*_NEWER)
    cloudrusm: dict[str, Any] | None = _kept(*_NEWER)
    conjur: dict[str, Any] | None = _kept(*_NEWER)
    delinea: dict[str, Any] | None = _kept(*_NEWER)
    device42: dict[str, Any] | None = _kept(V1BETA1)
    doppler: dict[str, Any] | None = _kept(*_NEWER)
    dvls: dict[str, Any] | None = _kept(V1)
    fake: dict[str, Any] | None = _kept(*_ALL)
    fortanix: dict[str, Any] | None = _kept(*_NEWER)
    github: dict[str, Any] | None = _kept(*_NEWER)
    gitlab: dict[str, Any] | None = _kept(*_ALL)
    ibm: dict[str, Any] | None = _kept(*_ALL)
    infisical: dict[str, Any] | None = _kept(*_NEWER)
    keepersecurity: dict[str, Any] | None = _kept(*_NEWER)
    nebiusmysterybox: dict[str, Any] | None = _kept(V1)
    ngrok: dict[str, Any] | None = _kept(V1)
    onboardbase: dict[str, Any] | None = _kept(*_NEWER)
    onepassword: dict[str, Any] | None = _kept(*_NEWER)
    onepassword_sdk: dict[str, Any] | None = _kept(V1, alias="onepasswordSDK")
    oracle: dict[str, Any] | None = _kept(*_ALL)
    ovh: dict[str, Any] | None = _kept(V1)
    passbolt: dict[str, Any] | None = _kept(*_NEWER)
    passworddepot: dict[str, Any] | None = _kept(*_ALL)
    previder: dict[str, Any] | None = _kept(*_NEWER)
    pulumi: dict[str, Any] | None = _kept(*_NEWER)
    scaleway: dict[str, Any] | None = _kept(*_NEWER)
    secretserver: dict[str, Any] | None = _kept(*_NEWER)
    senhasegura: dict[str, Any] | None = _kept(*_NEWER)
    volcengine: dict[str, Any] | None = _kept(V1)
    webhook: dict[str, Any] | None = _kept(*_ALL)
    yandexcertificatemanager: dict[str, Any] | None = _kept(*_NEWER)
    yandexlockbox: dict[str, Any] | None = _kept(*_ALL)

    @model_validator(mode="after")
    def _check_one(self) -> Self:
        given = set_fields(self)
        if not given:
            raise ValueError("no provider is configured (got an empty provider); "
                             "set exactly one provider such as aws, gcpsm, vault or kubernetes")
        if len(given) > 1:
            raise ValueError(f"{len(given)} providers are configured ({', '.join(given)}); a store has exactly one "
                             f"provider: keep one and make a separate store for each of the others")
        return self

    @property
    def name(self) -> str:
        """The upstream key of the configured provider (``vault``, ``aws``, ``onepasswordSDK``...)."""
        return set_fields(self)[0]

    @property
    def config(self) -> BaseModel | dict[str, Any]:
        """The configured provider's settings (a typed model, or the mapping kept as given)."""
        for name in type(self).model_fields:
            value: BaseModel | dict[str, Any] | None = getattr(self, name)
            if value is not None:
                return value
        raise AssertionError("a validated provider has one field set")


class RetrySettings(K8sModel):
    """Retries of failed provider calls (``spec.retrySettings``).

    Attributes:
        max_retries: ``maxRetries``. Default: the provider client's own.
        retry_interval: ``retryInterval``: a Go duration (``10s``). Default: the provider client's own.
    """

    max_retries: int | None = None
    retry_interval: Duration | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.max_retries is not None and self.max_retries < 0:
            raise ValueError(f"maxRetries: {self.max_retries} is negative; use 0 or a positive number")
        return self


class ClusterSecretStoreCondition(K8sModel):
    """Which namespaces may use a ClusterSecretStore (``spec.conditions[]``); an ExternalSecret's namespace
    must match at least one condition.

    Attributes:
        namespace_selector: ``namespaceSelector``: a label selector of namespaces. Default: none.
        namespaces: ``namespaces`` by name. Default: none.
        namespace_regexes: ``namespaceRegexes``: regular expressions for namespace names. Default: none.
    """

    namespace_selector: LabelSelector | None = None
    namespaces: list[NamespaceName] | None = None
    namespace_regexes: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        found = Issues()
        for i, pattern in enumerate(self.namespace_regexes or ()):
            why = check_regexp(pattern)
            if why:
                found.add(("namespaceRegexes", i), f"{pattern!r} is not a regular expression ({why}); fix the pattern", pattern)
        found.raise_any("ClusterSecretStoreCondition")
        return self


class SecretStoreSpec(K8sModel):
    """``spec`` of a SecretStore or ClusterSecretStore.

    Attributes:
        provider: ``provider``: exactly one secret backend. Required.
        controller: ``controller``: the controller class that handles this store. Default: the default controller.
        retry_settings: ``retrySettings``. Default: none.
        refresh_interval: ``refreshInterval``: seconds between store health checks. Default: none (no re-check).
            v1/v1beta1 only.
        conditions: ``conditions``: namespaces allowed to use a ClusterSecretStore. Default: all namespaces.
            v1/v1beta1 only.
    """

    provider: SecretStoreProvider
    controller: str | None = None
    retry_settings: RetrySettings | None = None
    refresh_interval: int | None = served(V1, V1BETA1)
    conditions: list[ClusterSecretStoreCondition] | None = served(V1, V1BETA1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.refresh_interval is not None and self.refresh_interval < 0:
            raise ValueError(f"refreshInterval: {self.refresh_interval} is negative; use a number of seconds (0 disables)")
        return self


def _namespaced_refs(value: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], NamespacedReference]]:
    out: list[tuple[tuple[str | int, ...], NamespacedReference]] = []
    if isinstance(value, NamespacedReference):
        out.append((loc, value))
    if isinstance(value, BaseModel):
        cls = type(value)
        for name in value.model_fields_set:
            info = cls.model_fields[name]
            out.extend(_namespaced_refs(getattr(value, name), (*loc, info.alias or name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_namespaced_refs(item, (*loc, i)))
    return out


class _Store(ExternalSecretsResource):
    """Shared by SecretStore and ClusterSecretStore."""

    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/{V1}", f"{GROUP}/{V1BETA1}", f"{GROUP}/{V1ALPHA1}")

    spec: SecretStoreSpec
    status: dict[str, Any] | None = None

    @property
    def provider_name(self) -> str:
        """The upstream key of the store's provider (``vault``, ``gcpsm``...)."""
        return self.spec.provider.name


class SecretStore(_Store):
    """An ``external-secrets.io`` SecretStore: a secret backend usable by ExternalSecrets in its namespace.

    A namespaced store may only reference Secrets and ServiceAccounts in its own namespace:
    a reference naming another namespace is refused.

    Attributes:
        spec: ``spec``; see :class:`SecretStoreSpec`. Required.
        status: ``status``, written by the controller; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "SecretStore"

    def foreign_references(self, namespace: str | None = None) -> list[tuple[tuple[str | int, ...], str, str]]:
        """References of the provider that name a namespace other than ``namespace`` (default: the store's).

        Each item is ``(location, bad namespace, message)``; empty when the store has no namespace yet.
        """
        namespace = namespace if namespace is not None else self.metadata.namespace
        out: list[tuple[tuple[str | int, ...], str, str]] = []
        if namespace is None:
            return out
        for loc, ref in _namespaced_refs(self.spec.provider, ("spec", "provider")):
            if ref.namespace is not None and ref.namespace != namespace:
                out.append(((*loc, "namespace"), ref.namespace,
                            f"{ref.namespace!r} is another namespace than the store's ({namespace!r}); a SecretStore "
                            f"only reads from its own namespace: remove namespace or use a ClusterSecretStore"))
        return out

    @model_validator(mode="after")
    def _check_own_namespace(self) -> Self:
        found = Issues()
        for loc, bad, message in self.foreign_references():
            found.add(loc, message, bad)
        if self.spec.conditions:
            found.add(("spec", "conditions"),
                      "conditions only apply to a ClusterSecretStore (a SecretStore serves its own namespace); remove them",
                      None)
        found.raise_any(self.KIND)
        return self


class ClusterSecretStore(_Store):
    """An ``external-secrets.io`` ClusterSecretStore (cluster-scoped): a secret backend for every namespace
    (or those matching ``spec.conditions``).

    Attributes:
        spec: ``spec``; see :class:`SecretStoreSpec`. Required.
        status: ``status``, written by the controller; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ClusterSecretStore"
    NAMESPACED: ClassVar[bool] = False
