"""Secrets: ExternalSecrets, their stores and providers, the target Secrets (key names only) and their readers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._common import (
    WORKLOAD_KINDS,
    Flowchart,
    Manifest,
    _cell,
    _code,
    _containers,
    _key,
    _kind,
    _meta,
    _name,
    _ns,
    _of,
    _pod_template,
    _spec,
    _table,
)

_EXTERNAL_ANNOTATION = "gitops.cdk8s.io/external"

_PROVIDER_FIELDS = ("service", "region", "server", "path", "version", "projectID", "location", "vaultUrl", "url",
                    "remoteNamespace", "host", "environment", "tenant", "organization")


def _provider(store: Manifest) -> tuple[str, list[str]]:
    """(provider name, non-secret identifying fields); never reads ``auth``."""
    provider = _spec(store).get("provider") or {}
    if not isinstance(provider, Mapping) or not provider:
        return "", []
    name = sorted(provider)[0]
    body = provider[name] if isinstance(provider[name], Mapping) else {}
    details = [f"{k} {body[k]}" for k in _PROVIDER_FIELDS if isinstance(body.get(k), (str, int)) and body.get(k) != ""]
    return str(name), details


def _secret_consumers(workloads: Sequence[Manifest], secret: str, ns: str) -> list[tuple[Manifest, str]]:
    found = []
    for w in workloads:
        if _ns(w) != ns:
            continue
        _, pod = _pod_template(w)
        how: set[str] = set()
        for vol in pod.get("volumes") or []:
            vol = vol or {}
            if ((vol.get("secret") or {}).get("secretName")) == secret:
                how.add("files")
            for src in ((vol.get("projected") or {}).get("sources") or []):
                if ((src or {}).get("secret") or {}).get("name") == secret:
                    how.add("files")
        for container, _init in _containers(pod):
            for env in container.get("env") or []:
                if (((env or {}).get("valueFrom") or {}).get("secretKeyRef") or {}).get("name") == secret:
                    how.add("env")
            for env_from in container.get("envFrom") or []:
                if ((env_from or {}).get("secretRef") or {}).get("name") == secret:
                    how.add("env")
        for pull in pod.get("imagePullSecrets") or []:
            if (pull or {}).get("name") == secret:
                how.add("image pull")
        if how:
            found.append((w, ", ".join(sorted(how))))
    return found


def _es_keys(es_spec: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """(key names of the target Secret, remote references); names only, never values."""
    keys, remote = [], []
    template = (es_spec.get("target") or {}).get("template") or {}
    template_keys = sorted(str(k) for k in (template.get("data") or {}))
    for item in es_spec.get("data") or []:
        if not isinstance(item, Mapping):
            continue
        keys.append(str(item.get("secretKey", "")))
        ref = item.get("remoteRef") or {}
        if ref.get("key"):
            remote.append(str(ref["key"]) + (f" ({ref['property']})" if ref.get("property") else ""))
        source = (item.get("sourceRef") or {}).get("generatorRef")
        if source:
            remote.append(f"generator {source.get('kind', '')} {source.get('name', '')}")
    for item in es_spec.get("dataFrom") or []:
        if not isinstance(item, Mapping):
            continue
        if item.get("extract"):
            remote.append(f"all properties of {item['extract'].get('key', '')}")
            keys.append(f"(every property of {item['extract'].get('key', '')})")
        if item.get("find"):
            find = item["find"]
            what = (find.get("name") or {}).get("regexp") or find.get("path") or "matching secrets"
            remote.append(f"secrets matching {what}")
            keys.append("(one per matching secret)")
        gen = (item.get("sourceRef") or {}).get("generatorRef")
        if gen:
            remote.append(f"generator {gen.get('kind', '')} {gen.get('name', '')}")
            keys.append(f"(keys from generator {gen.get('name', '')})")
    if template_keys:
        keys = template_keys
    return keys, remote


def secrets_section(manifests: Sequence[Manifest], heading: str = "## Secrets") -> str:
    """The secrets path: provider -> store -> ExternalSecret -> target Secret -> workloads.

    Shows the names of the keys the target Secret holds and where each comes from (remote
    key and property), never a value; for a store among ``manifests`` it names the provider
    and its non-secret settings (server, region, ...), never its credentials.

    Returns ``""`` when there is no ExternalSecret, ClusterExternalSecret or store.
    """
    externals = _of(manifests, "ExternalSecret", "ClusterExternalSecret")
    stores = _of(manifests, "SecretStore", "ClusterSecretStore")
    if not (externals or stores):
        return ""
    workloads = _of(manifests, *WORKLOAD_KINDS)
    chart = Flowchart("LR")
    store_ids: dict[tuple[str, str, str], str] = {}
    store_rows = []
    for store in stores:
        ns = "" if _kind(store) == "ClusterSecretStore" else _ns(store)
        pname, details = _provider(store)
        sid = chart.node((_kind(store), ns, _name(store)), [f"{_kind(store)} {_name(store)}"], "hexagon")
        store_ids[(_kind(store), ns, _name(store))] = sid
        if pname:
            pid = chart.node(("provider", pname, *details), [f"provider {pname}", *details], "cylinder")
            chart.edge(pid, sid)
        store_rows.append([_code(_name(store)), _kind(store), _cell(pname), _cell(", ".join(details))])
    es_rows = []
    for es in externals:
        es_spec = _spec(es)
        kind = _kind(es)
        ns = _ns(es)
        if kind == "ClusterExternalSecret":
            es_spec = es_spec.get("externalSecretSpec") or {}
        ref = es_spec.get("secretStoreRef") or {}
        store_kind = str(ref.get("kind") or "SecretStore")
        store_name = str(ref.get("name", ""))
        store_ns = "" if store_kind == "ClusterSecretStore" else ns
        skey = (store_kind, store_ns, store_name)
        if skey not in store_ids and store_name:
            external = (_meta(es).get("annotations") or {}).get(_EXTERNAL_ANNOTATION)
            store_ids[skey] = chart.node(skey, [f"{store_kind} {store_name}",
                                                "(managed outside dist/)" if external else "(not in this folder)"], "hexagon")
        keys, remote = _es_keys(es_spec)
        refresh = es_spec.get("refreshInterval", "")
        eid = chart.node((kind, ns, _name(es)), [f"{kind} {_name(es)}", f"refresh {refresh}" if refresh else ""], "box")
        if store_name:
            chart.edge(store_ids[skey], eid)
        for item in es_spec.get("dataFrom") or []:
            gen = ((item or {}).get("sourceRef") or {}).get("generatorRef")
            if gen:
                gid = chart.node(("generator", gen.get("kind", ""), ns, gen.get("name", "")),
                                 [f"{gen.get('kind', 'generator')} {gen.get('name', '')}"], "cylinder")
                chart.edge(gid, eid)
        target = es_spec.get("target") or {}
        target_name = str(target.get("name") or (_name(es) if kind == "ExternalSecret" else ""))
        if target_name:
            key_lines = keys if len(keys) <= 6 else [*keys[:5], f"... {len(keys) - 5} more"]
            tid = chart.node(("Secret", ns, target_name), [f"Secret {target_name}", *key_lines], "parallelogram")
            chart.edge(eid, tid, "creates" if target.get("creationPolicy", "Owner") in ("Owner", "Orphan") else "updates")
            for w, how in _secret_consumers(workloads, target_name, ns):
                wid = chart.node(_key(w), [f"{_kind(w)} {_name(w)}"], "subroutine")
                chart.edge(tid, wid, how)
        es_rows.append([_code(_name(es)), _cell(f"{store_kind} {store_name}" if store_name else "(none)"),
                        "<br>".join(_code(r) for r in remote), _code(target_name),
                        ", ".join(_code(k) for k in keys), _cell(refresh)])
    lines = [heading, "", "Key names only: values live in the secret store and never in Git.", "", chart.markdown(), ""]
    if es_rows:
        lines += _table(["ExternalSecret", "store", "remote reference", "target Secret", "keys", "refresh"], es_rows)
        lines += [""]
    if store_rows:
        lines += ["### Stores", ""]
        lines += _table(["store", "kind", "provider", "settings"], store_rows)
        lines += [""]
    return "\n".join(lines).rstrip("\n") + "\n"
