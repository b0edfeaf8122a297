"""Generators (generators.external-secrets.io v1alpha1): ``Password``, ``ClusterGenerator`` and the others.

A generator makes values instead of reading them from a store; an ExternalSecret uses one
through ``dataFrom[].sourceRef.generatorRef``. Nothing generated is in the manifest.

The classes are the generated models of
:mod:`cdk8s_gitops.models.generators_external_secrets_io_v1alpha1` (every generator kind:
``Password``, ``ClusterGenerator``, ``ECRAuthorizationToken``, ``UUID``...). This module adds
what the controller would only refuse when it generates: a password whose digits and symbols
do not fit in its length, no symbols to draw from, a key listed twice, a ClusterGenerator whose
``kind`` does not match the spec it sets.

The schema lists ``length``, ``noUpper`` and ``allowRepeat`` of a password as required although
the API server defaults them: the models accept a Password without them (the upstream
examples omit them) and never add them. Offline validators (kubeconform) still refuse such a
Password; :func:`password_spec` writes the three with their upstream defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.deferred import attributes, class_name, lazy_names
from ..core.fields import set_fields
from ..core.schema import semantic_check
from ..models import generators_external_secrets_io_v1alpha1 as gen

__all__ = [
    "ClusterGenerator",
    "ClusterGeneratorSpec",
    "GeneratorSpecs",
    "Password",
    "PasswordSpec",
    "password_spec",
]

# The public names, created on first use (importing this module creates no generator class).
if TYPE_CHECKING:
    Password = gen.Password
    PasswordSpec = gen.PasswordSpec
    ClusterGenerator = gen.ClusterGenerator
    ClusterGeneratorSpec = gen.ClusterGeneratorSpec
    GeneratorSpecs = gen.ClusterGeneratorSpecGenerator

_NAMES = {"Password": "Password", "PasswordSpec": "PasswordSpec", "ClusterGenerator": "ClusterGenerator",
          "ClusterGeneratorSpec": "ClusterGeneratorSpec", "GeneratorSpecs": "ClusterGeneratorSpecGenerator"}

LAZY_NAMES = tuple(_NAMES)
"""The public names created on first use (the package re-exports them the same way)."""

if not TYPE_CHECKING:  # type checkers see the assignments above
    __getattr__ = lazy_names(__name__, globals(), attributes({name: (gen, target) for name, target in _NAMES.items()}))

GENERATORS_GROUP = "generators.external-secrets.io"
_SCHEMA_REQUIRED = ("length", "noUpper", "allowRepeat")
"""Password fields the schema requires and the API server defaults."""


def password_spec(**fields: Any) -> gen.PasswordSpec:
    """A :class:`PasswordSpec` from snake_case (or upstream) keywords, with ``length``, ``noUpper`` and
    ``allowRepeat`` written with their upstream defaults (24, false, false) when not given, so that
    offline schema validators accept the object."""
    spec = gen.PasswordSpec(**fields)
    missing = {}
    for wire in _SCHEMA_REQUIRED:
        name = next(n for n, f in gen.PasswordSpec.model_fields.items() if (f.alias or n) == wire)
        if getattr(spec, name) is None:
            missing[wire] = gen.PasswordSpec.__defaults__[wire]
    if not missing:
        return spec
    return gen.PasswordSpec(**{**spec.model_dump(by_alias=True, exclude_unset=True), **missing})


# -- Password --------------------------------------------------------------------------------------
@semantic_check(class_name(gen, "PasswordSpec"))
def _password(spec: gen.PasswordSpec) -> None:
    for key, value in (("length", spec.length), ("digits", spec.digits), ("symbols", spec.symbols)):
        if value is not None and value < (1 if key == "length" else 0):
            raise ValueError(f"{key}: {value} is too small; use {'a positive' if key == 'length' else 'a non-negative'} number")
    length = spec.length if spec.length is not None else int(gen.PasswordSpec.__defaults__["length"])
    fixed = (spec.digits or 0) + (spec.symbols or 0)
    if fixed > length:
        raise ValueError(
            f"digits: digits ({spec.digits or 0}) plus symbols ({spec.symbols or 0}) is {fixed}, more than length "
            f"{length}; lower them or raise length"
        )
    if spec.symbols and spec.symbol_characters == "":
        raise ValueError(f"symbolCharacters: '' leaves nothing to draw {spec.symbols} symbols from; "
                         f"list the symbols to use or set symbols to 0")
    if spec.secret_keys is not None and len(set(spec.secret_keys)) != len(spec.secret_keys):
        raise ValueError(f"secretKeys: {spec.secret_keys!r} lists a key twice; list each key once")


# -- ClusterGenerator --------------------------------------------------------------------------------
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


@semantic_check(class_name(gen, "ClusterGeneratorSpecGenerator"))
def _one_generator(generator: gen.ClusterGeneratorSpecGenerator) -> None:
    given = set_fields(generator)
    if len(given) != 1:
        got = ", ".join(given) or "none"
        raise ValueError(f"generator sets {got}; set exactly one generator spec, the one matching spec.kind")


@semantic_check(class_name(gen, "ClusterGeneratorSpec"))
def _kind_matches(spec: gen.ClusterGeneratorSpec) -> None:
    expected = _KIND_TO_SPEC[spec.kind]
    given = set_fields(spec.generator)[0]
    if given != expected:
        raise ValueError(
            f"generator.{given}: kind {spec.kind!r} reads generator.{expected}, but {given} is set; "
            f"put the settings under {expected} or change kind"
        )
