"""Fail closed on secret values: synth refuses any ``v1`` Secret that carries ``data`` or ``stringData``,
also as an item of a ``List`` kind (``List``, ``SecretList``, any ``*List`` with ``items``).

Secret values never belong in ``dist/`` (it is committed to Git). A Secret with values
is reported wherever it came from (a typed model, a plain cdk8s ``ApiObject``,
cdk8s-plus, an ``add_override``), with the fix: fetch the values through an
ExternalSecret. A Secret without values (for example a ServiceAccount token Secret,
filled by Kubernetes) is allowed.

A second check refuses a SecretStore whose provider references Secrets or ServiceAccounts
in another namespace than the one the chart gave it (a namespaced store only reads from
its own namespace).

Both checks register themselves when :mod:`cdk8s_gitops.secrets` is imported: the first as a check of one object at
a time (:func:`cdk8s_gitops.core.validation.add_object_check`), the second as a global one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..core.errors import Problem
from ..core.validation import ObjectIndex, add_global_check, add_object_check
from .store import foreign_references, is_secret_store

__all__ = ["list_items", "no_secret_values", "secret_store_namespaces", "secret_value_problems"]

_FIX = (
    "remove the values and fetch them with an ExternalSecret (cdk8s_gitops.secrets.ExternalSecret: "
    "spec.data[].remoteRef.key names the secret in your store, spec.target.name this Secret)"
)


def _value_fields(manifest: Mapping[str, Any]) -> Iterator[str]:
    for field in ("data", "stringData"):
        if manifest.get(field):  # an empty mapping holds no secret
            yield field


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one (manifests from plain ApiObjects are not checked)."""
    return value if isinstance(value, Mapping) else {}


def list_items(manifest: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``manifest`` and, for ``List`` kinds (``List``, ``SecretList``, any ``*List`` with ``items``), every
    item inside it, nested lists included: (field path prefix such as ``items[2].``, object)."""
    yield prefix, manifest
    kind, items = manifest.get("kind"), manifest.get("items")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, Mapping):
                yield from list_items(item, f"{prefix}items[{i}].")


def secret_value_problems(manifest: Mapping[str, Any], where: str = "") -> Iterator[Problem]:
    """One problem per ``v1`` Secret with values in ``manifest`` or among its List items
    (``kubectl apply`` unwraps a List, so a Secret inside one is committed all the same)."""
    for prefix, doc in list_items(manifest):
        if doc.get("kind") != "Secret" or doc.get("apiVersion") != "v1":
            continue
        fields = list(_value_fields(doc))
        if not fields:
            continue
        keys = sorted({str(k) for f in fields if isinstance(doc.get(f), Mapping) for k in doc[f]})
        meta = _mapping(doc.get("metadata"))
        namespace = f" in namespace {meta['namespace']!r}" if meta.get("namespace") else ""
        outer = ""
        if prefix:
            outer_meta = _mapping(manifest.get("metadata"))
            outer = f" ({prefix.rstrip('.')} of {manifest.get('kind')} {str(outer_meta.get('name') or '(unnamed)')!r})"
        yield Problem(
            subject=f"Secret {str(meta.get('name') or '(unnamed)')!r}{outer}",
            path=" and ".join(f"{prefix}{f}" for f in fields),
            message=(f"the Secret{namespace} carries secret values (keys: {', '.join(keys) or '?'}); "
                     f"synth never writes secret values to dist/, use an ExternalSecret"),
            fix=_FIX,
            where=where,
        )


@add_object_check
def no_secret_values(index: ObjectIndex) -> Iterable[Problem]:
    """One problem per ``v1`` Secret with a non-empty ``data`` or ``stringData``, also inside List kinds (an object
    check: objects from the incremental cache passed it already)."""
    for obj in index:
        if obj.kind == "Secret" or obj.kind.endswith("List"):
            yield from secret_value_problems(obj.manifest, obj.where())


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
