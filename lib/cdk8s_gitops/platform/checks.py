"""Checks across objects, run once per environment at synth (registered on import).

They read plain manifests from the :class:`~cdk8s_gitops.core.validation.ObjectIndex`, so
they cover objects from any construct, typed or not:

- every route backend (HTTPRoute, GRPCRoute) is a Service that exists and has that port;
- every Service a Rollout names exists and selects the Rollout's pods;
- every ExternalSecret's store exists (unless the environment declares it external);
- every HorizontalPodAutoscaler targets a workload that exists.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..core.errors import Problem
from ..core.validation import ObjectIndex, RenderedObject, add_global_check

__all__ = [
    "check_application_paths",
    "check_autoscaler_targets",
    "check_external_secret_stores",
    "check_rollout_services",
    "check_route_backends",
    "check_unique_objects",
]

EXTERNAL_ANNOTATION = "gitops.cdk8s.io/external"
"""Annotation on an object whose references point outside dist/ (value: why); its checks are skipped."""


def _spec(obj: RenderedObject) -> Mapping[str, Any]:
    spec = obj.manifest.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _external(obj: RenderedObject) -> bool:
    return EXTERNAL_ANNOTATION in ((obj.manifest.get("metadata") or {}).get("annotations") or {})


def _subject(obj: RenderedObject) -> str:
    return f"{obj.kind} {obj.name!r}"


def _service_ports(service: RenderedObject) -> set[int]:
    return {p["port"] for p in (_spec(service).get("ports") or []) if isinstance(p, Mapping) and isinstance(p.get("port"), int)}


@add_global_check
def check_route_backends(index: ObjectIndex) -> Iterator[Problem]:
    """A route's Service backends exist (in this environment) and expose the port it names."""
    for kind in ("HTTPRoute", "GRPCRoute"):
        for route in index.of_kind(kind, "gateway.networking.k8s.io"):
            if _external(route):
                continue
            for r, rule in enumerate(_spec(route).get("rules") or []):
                for b, ref in enumerate((rule or {}).get("backendRefs") or []):
                    if ref.get("kind", "Service") != "Service" or ref.get("group", "") not in ("", "core"):
                        continue
                    ns = ref.get("namespace") or route.namespace
                    path = f"spec.rules[{r}].backendRefs[{b}]"
                    service = index.get("Service", ref.get("name", ""), ns, group="")
                    if service is None:
                        yield Problem(_subject(route), f"{path}.name",
                                      f"Service {ref.get('name')!r} in namespace {ns!r} is not synthesized in environment {index.environment!r}",
                                      "create the Service in an app of this environment, fix the name, or annotate the route "
                                      f"with {EXTERNAL_ANNOTATION}: <why>", route.where())
                    elif ref.get("port") is not None and ref.get("port") not in _service_ports(service):
                        yield Problem(_subject(route), f"{path}.port",
                                      f"Service {ref.get('name')!r} has no port {ref.get('port')} (ports: "
                                      f"{', '.join(map(str, sorted(_service_ports(service)))) or 'none'})",
                                      "use one of the Service's ports", route.where())


def _pod_labels(spec: Mapping[str, Any]) -> Mapping[str, str]:
    return ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}


@add_global_check
def check_rollout_services(index: ObjectIndex) -> Iterator[Problem]:
    """The Services a Rollout shifts traffic between exist and select its pods."""
    fields = (("canary", "stableService"), ("canary", "canaryService"), ("blueGreen", "activeService"),
              ("blueGreen", "previewService"))
    for rollout in index.of_kind("Rollout", "argoproj.io"):
        if _external(rollout):
            continue
        spec = _spec(rollout)
        labels = _pod_labels(spec)
        strategy = spec.get("strategy") or {}
        for block, field in fields:
            name = (strategy.get(block) or {}).get(field)
            if not name:
                continue
            path = f"spec.strategy.{block}.{field}"
            service = index.get("Service", name, rollout.namespace, group="")
            if service is None:
                yield Problem(_subject(rollout), path, f"Service {name!r} is not synthesized in namespace {rollout.namespace!r}",
                              "create the Service next to the Rollout", rollout.where())
                continue
            selector = _spec(service).get("selector") or {}
            wrong = {k: v for k, v in selector.items() if labels.get(k) != v}
            if not selector or wrong:
                yield Problem(_subject(rollout), path,
                              f"Service {name!r} selector {dict(selector)} does not select the Rollout's pods (labels {dict(labels)})",
                              "make the Service select the pod template's labels", rollout.where())


@add_global_check
def check_external_secret_stores(index: ObjectIndex) -> Iterator[Problem]:
    """An ExternalSecret's store is synthesized in the environment (SecretStore: in its namespace)."""
    for es in index.of_kind("ExternalSecret", "external-secrets.io"):
        if _external(es):
            continue
        ref = _spec(es).get("secretStoreRef") or {}
        name, kind = ref.get("name"), ref.get("kind", "SecretStore")
        if not name or (kind, name) in index.external_stores:
            continue
        found = index.get(kind, name, None if kind == "ClusterSecretStore" else es.namespace, group="external-secrets.io")
        if found is None:
            where = "" if kind == "ClusterSecretStore" else f" in namespace {es.namespace!r}"
            if _reads_environment_store(es):  # the environment's secret_store: its `external` switch exists
                fix = (f"add the store to an app of this environment, or, when it is managed elsewhere, set "
                       f"secret_store.external: true in environments/{index.environment}.yaml")
            else:
                fix = (f"add the store to an app of this environment, or, when it is managed elsewhere, annotate the "
                       f"ExternalSecret with {EXTERNAL_ANNOTATION}: <why> (metadata.annotations)")
            yield Problem(_subject(es), "spec.secretStoreRef.name",
                          f"{kind} {name!r}{where} is not synthesized in environment {index.environment!r}", fix, es.where())


def _reads_environment_store(obj: RenderedObject) -> bool:
    """Whether a construct that honours the environment's ``secret_store.external`` made ``obj`` (Microservice)."""
    made_by = getattr(getattr(obj.source, "__self__", None), "scope", None)
    return bool(getattr(made_by, "USES_ENVIRONMENT_SECRET_STORE", False))


@add_global_check
def check_autoscaler_targets(index: ObjectIndex) -> Iterator[Problem]:
    """A HorizontalPodAutoscaler scales a workload that exists in its namespace."""
    for hpa in index.of_kind("HorizontalPodAutoscaler", "autoscaling"):
        ref = _spec(hpa).get("scaleTargetRef") or {}
        api = str(ref.get("apiVersion", ""))
        group = api.split("/", 1)[0] if "/" in api else ""
        if index.get(str(ref.get("kind", "")), str(ref.get("name", "")), hpa.namespace, group=group) is None:
            yield Problem(_subject(hpa), "spec.scaleTargetRef",
                          f"{ref.get('kind')} {ref.get('name')!r} is not synthesized in namespace {hpa.namespace!r}",
                          "point it at a workload of this app", hpa.where())


@add_global_check
def check_application_paths(index: ObjectIndex) -> Iterator[Problem]:
    """An Argo CD Application reading this repository's dist/ points at a folder synth produces."""
    if not index.repo_url or not index.dist_paths:
        return
    roots = {p.split("/", 1)[0] for p in index.dist_paths}
    for app in index.of_kind("Application", "argoproj.io"):
        spec = _spec(app)
        sources = [("spec.source", spec.get("source"))] if spec.get("source") else []
        sources += [(f"spec.sources[{i}]", s) for i, s in enumerate(spec.get("sources") or [])]
        for path, source in sources:
            if not isinstance(source, Mapping) or source.get("repoURL") != index.repo_url:
                continue
            target = str(source.get("path") or "").strip("/")
            if target.split("/", 1)[0] in roots and target not in index.dist_paths:
                yield Problem(_subject(app), f"{path}.path",
                              f"{target!r} is not a folder synth produces",
                              f"point it at one of: {', '.join(sorted(index.dist_paths))}", app.where())


@add_global_check
def check_unique_objects(index: ObjectIndex) -> Iterator[Problem]:
    """No two apps of an environment emit the same object (kind, namespace, name): Argo CD would flip between them."""
    seen: dict[tuple[str, str, str | None, str], RenderedObject] = {}
    for obj in index:
        first = seen.setdefault(obj.key, obj)
        if first is not obj and first.app != obj.app:
            where = f" in namespace {obj.namespace!r}" if obj.namespace else ""
            yield Problem(_subject(obj), "metadata.name",
                          f"app {obj.app!r} emits the same {obj.kind}{where} as app {first.app!r}",
                          "keep the object in one app of the environment (or rename one of them)", obj.where())
