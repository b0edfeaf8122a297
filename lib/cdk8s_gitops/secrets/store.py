"""``SecretStore`` and ``ClusterSecretStore`` (external-secrets.io v1, v1beta1, v1alpha1).

A store says how the controller reaches one secret backend: exactly one provider per store.
The classes are the generated models of :mod:`cdk8s_gitops.models.external_secrets_io_v1`
(``SecretStore``, ``ClusterSecretStore``) and of the older versions (``SecretStoreV1Beta1``,
``SecretStoreV1Alpha1``, ``ClusterSecretStoreV1Beta1``, ``ClusterSecretStoreV1Alpha1``). This
module adds what the webhook and the controller enforce beyond the schemas: exactly one
provider, a namespaced store only reading from its own namespace, conditions only on a
ClusterSecretStore, regular expressions and durations that parse. A provider or field one
version has and another lacks is refused in the other version with the versions that serve it.
Provider-specific rules are in :mod:`cdk8s_gitops.secrets.providers`.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ..core.deferred import attributes, class_module, class_name, lazy_names, when_used
from ..core.fields import Issues, set_fields
from ..core.model import explain_version_gaps
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..kube import core_v1 as _label_selector_checks  # noqa: F401  (registers the meta/v1 LabelSelector checks)
from ..models import external_secrets_io_v1 as v1
from ..models import external_secrets_io_v1alpha1 as v1alpha1
from ..models import external_secrets_io_v1beta1 as v1beta1
from .external_secret import check_regexp
from .providers import MODULES, STORE_MODULES, is_reference, on_structures

__all__ = [
    "ClusterSecretStore",
    "ClusterSecretStoreCondition",
    "ClusterSecretStoreV1Alpha1",
    "ClusterSecretStoreV1Beta1",
    "RetrySettings",
    "SecretStore",
    "SecretStoreProvider",
    "SecretStoreSpec",
    "SecretStoreV1Alpha1",
    "SecretStoreV1Beta1",
    "foreign_references",
    "is_secret_store",
    "provider_config",
    "provider_name",
]

# The public names are the v1 classes, created on first use (importing this module creates no store class).
if TYPE_CHECKING:
    SecretStore = v1.SecretStore
    SecretStoreV1Beta1 = v1beta1.SecretStore
    SecretStoreV1Alpha1 = v1alpha1.SecretStore
    ClusterSecretStore = v1.ClusterSecretStore
    ClusterSecretStoreV1Beta1 = v1beta1.ClusterSecretStore
    ClusterSecretStoreV1Alpha1 = v1alpha1.ClusterSecretStore
    SecretStoreSpec = v1.SecretStoreSpec
    SecretStoreProvider = v1.SecretStoreSpecProvider
    RetrySettings = v1.SecretStoreSpecRetrySettings
    ClusterSecretStoreCondition = v1.SecretStoreSpecConditions
    #: A SecretStore or ClusterSecretStore of any served version.
    AnyStore = (v1.SecretStore | v1beta1.SecretStore | v1alpha1.SecretStore
                | v1.ClusterSecretStore | v1beta1.ClusterSecretStore | v1alpha1.ClusterSecretStore)

_NAMES: dict[str, tuple[ModuleType | str, str]] = {
    "SecretStore": (v1, "SecretStore"),
    "SecretStoreV1Beta1": (v1beta1, "SecretStore"),
    "SecretStoreV1Alpha1": (v1alpha1, "SecretStore"),
    "ClusterSecretStore": (v1, "ClusterSecretStore"),
    "ClusterSecretStoreV1Beta1": (v1beta1, "ClusterSecretStore"),
    "ClusterSecretStoreV1Alpha1": (v1alpha1, "ClusterSecretStore"),
    "SecretStoreSpec": (v1, "SecretStoreSpec"),
    "SecretStoreProvider": (v1, "SecretStoreSpecProvider"),
    "RetrySettings": (v1, "SecretStoreSpecRetrySettings"),
    "ClusterSecretStoreCondition": (v1, "SecretStoreSpecConditions"),
}

LAZY_NAMES = tuple(_NAMES)
"""The public names created on first use (the package re-exports them the same way)."""


def _any_store() -> Any:
    return (v1.SecretStore | v1beta1.SecretStore | v1alpha1.SecretStore
            | v1.ClusterSecretStore | v1beta1.ClusterSecretStore | v1alpha1.ClusterSecretStore)


if not TYPE_CHECKING:  # type checkers see the assignments above
    __getattr__ = lazy_names(__name__, globals(), {"AnyStore": _any_store, **attributes(_NAMES)})


def _by_name(name: str) -> list[str]:
    """The generated class ``name`` of every served version, by ``"module:Class"`` name (nothing is created)."""
    return [class_name(m, name) for m in MODULES]


def _explain_versions() -> None:
    explain_version_gaps({"v1": v1.SecretStore, "v1beta1": v1beta1.SecretStore, "v1alpha1": v1alpha1.SecretStore})
    explain_version_gaps({"v1": v1.ClusterSecretStore, "v1beta1": v1beta1.ClusterSecretStore,
                          "v1alpha1": v1alpha1.ClusterSecretStore})


when_used(STORE_MODULES, _explain_versions)


# -- exactly one provider ----------------------------------------------------------------------
@semantic_check(*_by_name("SecretStoreSpecProvider"))
def _one_provider(provider: Any) -> None:
    given = set_fields(provider)
    if not given:
        raise ValueError("no provider is configured (got an empty provider); "
                         "set exactly one provider such as aws, gcpsm, vault or kubernetes")
    if len(given) > 1:
        raise ValueError(f"{len(given)} providers are configured ({', '.join(given)}); a store has exactly one "
                         f"provider: keep one and make a separate store for each of the others")


def provider_name(store: AnyStore) -> str:
    """The upstream key of a store's provider (``vault``, ``aws``, ``onepasswordSDK``...), or ``""`` without a spec."""
    return set_fields(store.spec.provider)[0] if store.spec is not None else ""


def provider_config(store: AnyStore) -> BaseModel:
    """The settings of a store's provider (the generated model of ``spec.provider.<name>``).

    Raises ``ValueError`` for a store without ``spec``."""
    if store.spec is None:
        raise ValueError(f"{store.kind} {store.metadata.name!r} has no spec.provider; add the provider's settings")
    provider = store.spec.provider
    for name in type(provider).model_fields:
        value = getattr(provider, name)
        if value is not None:
            return value  # type: ignore[no-any-return]
    raise AssertionError("a validated provider has one field set")


# -- spec ------------------------------------------------------------------------------------------
@on_structures("retrySettings")
def _retry_settings(settings: Any) -> None:
    if settings.max_retries is not None and settings.max_retries < 0:
        raise ValueError(f"maxRetries: {settings.max_retries} is negative; use 0 or a positive number")
    if settings.retry_interval is not None:
        try:
            parse_duration(settings.retry_interval)
        except ValueError as exc:
            raise ValueError(f"retryInterval: {exc}") from None


@on_structures("conditions")
def _condition(condition: Any) -> None:
    found = Issues()
    for i, pattern in enumerate(condition.namespace_regexes or ()):
        why = check_regexp(pattern)
        if why:
            found.add(("namespaceRegexes", i), f"{pattern!r} is not a regular expression ({why}); fix the pattern", pattern)
    found.raise_any("ClusterSecretStoreCondition")


@semantic_check(*_by_name("SecretStoreSpec"))
def _spec(spec: Any) -> None:
    refresh = getattr(spec, "refresh_interval", None)
    if refresh is not None and refresh < 0:
        raise ValueError(f"refreshInterval: {refresh} is negative; use a number of seconds (0 disables)")


# -- a namespaced store reads from its own namespace -------------------------------------------------
def _references(value: Any, loc: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], Any]]:
    out: list[tuple[tuple[str | int, ...], Any]] = []
    if isinstance(value, BaseModel):
        if is_reference(value):
            out.append((loc, value))
        fields = type(value).model_fields
        for name in value.model_fields_set:
            out.extend(_references(getattr(value, name), (*loc, fields[name].alias or name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out.extend(_references(item, (*loc, i)))
    return out


def foreign_references(store: AnyStore, namespace: str | None = None) -> list[tuple[tuple[str | int, ...], str, str]]:
    """References of a SecretStore's provider that name a namespace other than ``namespace`` (default: the
    store's own). Each item is ``(location, bad namespace, message)``; empty when the store has no namespace."""
    namespace = namespace if namespace is not None else store.metadata.namespace
    out: list[tuple[tuple[str | int, ...], str, str]] = []
    if namespace is None or store.spec is None:
        return out
    for loc, ref in _references(store.spec.provider, ("spec", "provider")):
        if ref.namespace is not None and ref.namespace != namespace:
            out.append(((*loc, "namespace"), ref.namespace,
                        f"{ref.namespace!r} is another namespace than the store's ({namespace!r}); a SecretStore "
                        f"only reads from its own namespace: remove namespace or use a ClusterSecretStore"))
    return out


@semantic_check(*_by_name("SecretStore"))
def _secret_store(store: Any) -> None:
    found = Issues()
    for loc, bad, message in foreign_references(store):
        found.add(loc, message, bad)
    if store.spec is not None and getattr(store.spec, "conditions", None):
        found.add(("spec", "conditions"),
                  "conditions only apply to a ClusterSecretStore (a SecretStore serves its own namespace); remove them",
                  None)
    found.raise_any("SecretStore")


def is_secret_store(obj: Any) -> bool:
    """Whether ``obj`` is a (namespaced) SecretStore of any served version."""
    loaded = [sys.modules.get(class_module(m, "SecretStore")) for m in MODULES]  # an unloaded module has no instances
    return any(module is not None and isinstance(obj, module.SecretStore) for module in loaded)
