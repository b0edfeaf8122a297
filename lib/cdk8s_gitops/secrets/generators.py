"""Generators (generators.external-secrets.io v1alpha1): ``Password`` and ``ClusterGenerator``.

A generator makes values instead of reading them from a store; an ExternalSecret uses one
through ``dataFrom[].sourceRef.generatorRef``. Nothing generated is in the manifest.

The schema lists ``length``, ``noUpper`` and ``allowRepeat`` of a password as required even
though the API server defaults them, so offline validators (kubeconform) refuse a
Password without them. Objects *built* in Python (``Password.build``,
``ClusterGenerator.build``) therefore get those three written with their upstream defaults
when not given; objects loaded with ``from_manifest`` are kept exactly as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, model_validator

from ..core.model import K8sModel
from ._common import ExternalSecretsResource, set_fields

__all__ = ["ClusterGenerator", "ClusterGeneratorSpec", "GeneratorSpecs", "Password", "PasswordSpec"]

GENERATORS_GROUP = "generators.external-secrets.io"
_PASSWORD_DEFAULTS = {"length": 24, "noUpper": False, "allowRepeat": False}


class PasswordSpec(K8sModel):
    """How a random password is made (``Password.spec``, ``ClusterGenerator.spec.generator.passwordSpec``).

    Attributes:
        length: ``length``: number of characters. Default: 24 (written when built in Python).
        digits: ``digits``: how many of them are digits. Default: 25% of the length.
        symbols: ``symbols``: how many are symbols. Default: 25% of the length.
        symbol_characters: ``symbolCharacters``: the symbols to choose from. Default: ``~!@#$%^&*()_+`-={}|[]\\:"<>?,./``.
        no_upper: ``noUpper``: no uppercase letters. Default: false (written when built in Python).
        allow_repeat: ``allowRepeat``: characters may repeat. Default: false (written when built in Python).
        encoding: ``encoding`` of the result: ``raw``, ``base64``, ``base64url``, ``base32`` or ``hex``. Default: ``raw``.
        secret_keys: ``secretKeys``: generate one password per key. Default: one password under ``password``.
    """

    length: int | None = None
    digits: int | None = None
    symbols: int | None = None
    symbol_characters: str | None = None
    no_upper: bool | None = None
    allow_repeat: bool | None = None
    encoding: Literal["base64", "base64url", "base32", "hex", "raw"] | None = None
    secret_keys: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for key, value in (("length", self.length), ("digits", self.digits), ("symbols", self.symbols)):
            if value is not None and value < (1 if key == "length" else 0):
                raise ValueError(f"{key}: {value} is too small; use {'a positive' if key == 'length' else 'a non-negative'} number")
        length = self.length if self.length is not None else 24
        fixed = (self.digits or 0) + (self.symbols or 0)
        if fixed > length:
            raise ValueError(
                f"digits: digits ({self.digits or 0}) plus symbols ({self.symbols or 0}) is {fixed}, more than length "
                f"{length}; lower them or raise length"
            )
        if self.symbols and self.symbol_characters == "":
            raise ValueError(f"symbolCharacters: '' leaves nothing to draw {self.symbols} symbols from; "
                             f"list the symbols to use or set symbols to 0")
        if self.secret_keys is not None and len(set(self.secret_keys)) != len(self.secret_keys):
            raise ValueError(f"secretKeys: {self.secret_keys!r} lists a key twice; list each key once")
        return self


def _with_password_defaults(spec: Any) -> Any:
    """``spec`` (a mapping or a :class:`PasswordSpec`) with the schema-required fields written."""
    if isinstance(spec, PasswordSpec):
        data = spec.dump()
    elif isinstance(spec, Mapping):
        data = {PasswordSpec.model_fields[k].alias or k if k in PasswordSpec.model_fields else k: v for k, v in spec.items()}
    else:
        return spec
    return {**_PASSWORD_DEFAULTS, **data}


class Password(ExternalSecretsResource):
    """A ``generators.external-secrets.io`` Password generator.

    Attributes:
        spec: ``spec``; see :class:`PasswordSpec`. Required.
        status: ``status``; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Password"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GENERATORS_GROUP}/v1alpha1",)

    spec: PasswordSpec
    status: dict[str, Any] | None = None

    @classmethod
    def build(cls, **fields: Any) -> Self:
        """Create the model, writing ``length``, ``noUpper`` and ``allowRepeat`` (upstream defaults) if not given."""
        if "spec" in fields:
            fields = {**fields, "spec": _with_password_defaults(fields["spec"])}
        return super().build(**fields)


_KIND_TO_SPEC = {
    "ACRAccessToken": "acrAccessTokenSpec",
    "CloudsmithAccessToken": "cloudsmithAccessTokenSpec",
    "ECRAuthorizationToken": "ecrAuthorizationTokenSpec",
    "Fake": "fakeSpec",
    "GCRAccessToken": "gcrAccessTokenSpec",
    "GithubAccessToken": "githubAccessTokenSpec",
    "Grafana": "grafanaSpec",
    "Password": "passwordSpec",
    "QuayAccessToken": "quayAccessTokenSpec",
    "SSHKey": "sshKeySpec",
    "STSSessionToken": "stsSessionTokenSpec",
    "UUID": "uuidSpec",
    "VaultDynamicSecret": "vaultDynamicSecretSpec",
    "Webhook": "webhookSpec",
}


class GeneratorSpecs(K8sModel):
    """The settings of a ClusterGenerator's generator (``spec.generator``); exactly one field is set.

    Attributes:
        password_spec: ``passwordSpec``; see :class:`PasswordSpec`. Default: none.
        acr_access_token_spec: ``acrAccessTokenSpec``, kept as given. Default: none.
        cloudsmith_access_token_spec: ``cloudsmithAccessTokenSpec``, kept as given. Default: none.
        ecr_authorization_token_spec: ``ecrAuthorizationTokenSpec``, kept as given. Default: none.
        fake_spec: ``fakeSpec``, kept as given. Default: none.
        gcr_access_token_spec: ``gcrAccessTokenSpec``, kept as given. Default: none.
        github_access_token_spec: ``githubAccessTokenSpec``, kept as given. Default: none.
        grafana_spec: ``grafanaSpec``, kept as given. Default: none.
        mfa_spec: ``mfaSpec``, kept as given. Default: none.
        quay_access_token_spec: ``quayAccessTokenSpec``, kept as given. Default: none.
        ssh_key_spec: ``sshKeySpec``, kept as given. Default: none.
        sts_session_token_spec: ``stsSessionTokenSpec``, kept as given. Default: none.
        uuid_spec: ``uuidSpec``, kept as given. Default: none.
        vault_dynamic_secret_spec: ``vaultDynamicSecretSpec``, kept as given. Default: none.
        webhook_spec: ``webhookSpec``, kept as given. Default: none.
    """

    password_spec: PasswordSpec | None = None
    acr_access_token_spec: dict[str, Any] | None = None
    cloudsmith_access_token_spec: dict[str, Any] | None = None
    ecr_authorization_token_spec: dict[str, Any] | None = None
    fake_spec: dict[str, Any] | None = None
    gcr_access_token_spec: dict[str, Any] | None = None
    github_access_token_spec: dict[str, Any] | None = None
    grafana_spec: dict[str, Any] | None = None
    mfa_spec: dict[str, Any] | None = None
    quay_access_token_spec: dict[str, Any] | None = None
    ssh_key_spec: dict[str, Any] | None = None
    sts_session_token_spec: dict[str, Any] | None = None
    uuid_spec: dict[str, Any] | None = None
    vault_dynamic_secret_spec: dict[str, Any] | None = None
    webhook_spec: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_one(self) -> Self:
        given = set_fields(self)
        if len(given) != 1:
            got = ", ".join(given) or "none"
            raise ValueError(f"generator sets {got}; set exactly one generator spec, the one matching spec.kind")
        return self


class ClusterGeneratorSpec(K8sModel):
    """``spec`` of a ClusterGenerator.

    Attributes:
        kind: ``kind`` of generator (``Password``, ``ECRAuthorizationToken``, ``UUID``...). Required.
        generator: ``generator``: its settings under the matching key (``passwordSpec`` for ``Password``). Required.
    """

    kind: Literal[
        "ACRAccessToken", "CloudsmithAccessToken", "ECRAuthorizationToken", "Fake", "GCRAccessToken",
        "GithubAccessToken", "QuayAccessToken", "Password", "SSHKey", "STSSessionToken", "UUID",
        "VaultDynamicSecret", "Webhook", "Grafana",
    ]
    generator: GeneratorSpecs

    @model_validator(mode="after")
    def _check_match(self) -> Self:
        expected = _KIND_TO_SPEC[self.kind]
        given = set_fields(self.generator)[0]
        if given != expected:
            raise ValueError(
                f"generator.{given}: kind {self.kind!r} reads generator.{expected}, but {given} is set; "
                f"put the settings under {expected} or change kind"
            )
        return self


class ClusterGenerator(ExternalSecretsResource):
    """A ``generators.external-secrets.io`` ClusterGenerator (cluster-scoped): a generator usable from any namespace.

    Attributes:
        spec: ``spec``; see :class:`ClusterGeneratorSpec`. Required.
        status: ``status``; kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ClusterGenerator"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GENERATORS_GROUP}/v1alpha1",)
    NAMESPACED: ClassVar[bool] = False

    spec: ClusterGeneratorSpec
    status: dict[str, Any] | None = None

    @classmethod
    def build(cls, **fields: Any) -> Self:
        """Create the model; a ``passwordSpec`` gets ``length``, ``noUpper`` and ``allowRepeat`` written if not given."""
        spec = fields.get("spec")
        if isinstance(spec, BaseModel):
            spec = spec.model_dump(by_alias=True, exclude_unset=True)
        if isinstance(spec, Mapping):
            generator = spec.get("generator")
            if isinstance(generator, BaseModel):
                generator = generator.model_dump(by_alias=True, exclude_unset=True)
            if isinstance(generator, Mapping):
                generator = dict(generator)
                for key in ("passwordSpec", "password_spec"):
                    if key in generator:
                        generator[key] = _with_password_defaults(generator[key])
                fields = {**fields, "spec": {**spec, "generator": generator}}
        return super().build(**fields)
