"""Fail closed on secret values: synth refuses any ``v1`` Secret that carries ``data`` or ``stringData``.

Secret values never belong in ``dist/`` (it is committed to Git). A Secret with values
is reported wherever it came from (a typed model, a plain cdk8s ``ApiObject``,
cdk8s-plus, an ``add_override``), with the fix: fetch the values through an
ExternalSecret. A Secret without values (for example a ServiceAccount token Secret,
filled by Kubernetes) is allowed.

A second check refuses a SecretStore whose provider references Secrets or ServiceAccounts
in another namespace than the one the chart gave it (a namespaced store only reads from
its own namespace).

Both checks register themselves with :func:`cdk8s_gitops.core.validation.add_global_check`
when :mod:`cdk8s_gitops.secrets` is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..core.errors import Problem
from ..core.validation import ObjectIndex, RenderedObject, add_global_check
from .store import foreign_references, is_secret_store

__all__ = ["no_secret_values", "secret_store_namespaces"]

_FIX = (
    "remove the values and fetch them with an ExternalSecret (cdk8s_gitops.secrets.ExternalSecret: "
    "spec.data[].remoteRef.key names the secret in your store, spec.target.name this Secret)"
)


def _value_fields(obj: RenderedObject) -> Iterator[str]:
    for field in ("data", "stringData"):
        if obj.manifest.get(field):  # an empty mapping holds no secret
            yield field


@add_global_check
def no_secret_values(index: ObjectIndex) -> Iterable[Problem]:
    """One problem per ``v1`` Secret with a non-empty ``data`` or ``stringData``."""
    for obj in index.of_kind("Secret", group=""):
        if obj.api_version != "v1":
            continue
        fields = list(_value_fields(obj))
        if not fields:
            continue
        keys = sorted({str(k) for f in fields if isinstance(obj.manifest.get(f), dict) for k in obj.manifest[f]})
        namespace = f" in namespace {obj.namespace!r}" if obj.namespace else ""
        yield Problem(
            subject=f"Secret {obj.name!r}",
            path=" and ".join(fields),
            message=(f"the Secret{namespace} carries secret values (keys: {', '.join(keys) or '?'}); "
                     f"synth never writes secret values to dist/, use an ExternalSecret"),
            fix=_FIX,
            where=obj.where(),
        )


@add_global_check
def secret_store_namespaces(index: ObjectIndex) -> Iterable[Problem]:
    """A SecretStore that got its namespace from the chart must not reference another namespace.

    (A store built with an explicit namespace is checked when it is built.)
    """
    for obj in index.of_kind("SecretStore", group="external-secrets.io"):
        store = obj.resource
        if not is_secret_store(store) or obj.namespace is None:
            continue
        for loc, _bad, message in foreign_references(store, obj.namespace):
            text, _, fix = message.partition("; ")
            path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
            yield Problem(subject=f"SecretStore {obj.name!r}", path=path, message=text, fix=fix, where=obj.where())
