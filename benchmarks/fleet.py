"""Fleet benchmark: the library against plain cdk8s and plain PyYAML, same content, same run.

A fleet of N services x 3 environments x 10 objects (Rollout, two Services, HTTPRoute,
ExternalSecret, HPA, PDB, NetworkPolicy, ServiceMonitor, Application) is synthesized to
YAML three ways:

- library:     typed models -> TypedResource in GitOpsCharts -> collect -> cross-object checks -> YAML
               (the path ``cdk8s-gitops synth`` takes, minus writing files);
- cdk8s-naive: one cdk8s ``ApiObject`` plus one ``JsonPatch`` per object, then ``App.synth_yaml()``;
- pyyaml:      ``yaml.dump_all`` of the same dicts with PyYAML's C dumper (no cdk8s at all).

Each variant runs in its own fresh process (so the jsii Node process and caches start cold
for each); the time is the median of ``--repeat`` runs. Peak RSS is the largest resident
set (Python plus its Node child) seen in the library runs. The last line is::

    fleet: <n> objects; library <s> s; cdk8s-naive <s> s; pyyaml <s> s; library/cdk8s-naive <r>; library/pyyaml <r>; peak RSS <MB> MB

Usage: ``python benchmarks/fleet.py [--services 100] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("dev", "staging", "production")


def fleet(services: int) -> dict[str, list[dict[str, Any]]]:
    """The manifests of the fleet by environment: 10 objects per service."""
    out: dict[str, list[dict[str, Any]]] = {}
    for env in ENVIRONMENTS:
        ns = f"fleet-{env}"
        docs: list[dict[str, Any]] = []
        for i in range(services):
            docs.extend(service_objects(f"svc-{i:04d}", ns, env))
        out[env] = docs
    return out


def service_objects(name: str, ns: str, env: str) -> list[dict[str, Any]]:
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "fleet"}
    meta = lambda n, **extra: {"name": n, "namespace": ns, "labels": dict(labels), **extra}  # noqa: E731
    selector = {"app.kubernetes.io/name": name}
    container = {
        "name": "app", "image": f"registry.example.com/{name}:v1.2.3",
        "ports": [{"name": "http", "containerPort": 8080}],
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
        "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
        "securityContext": {"runAsNonRoot": True, "allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True,
                            "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}},
    }
    return [
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": meta(name),
         "spec": {"replicas": 2, "revisionHistoryLimit": 3, "selector": {"matchLabels": selector},
                  "template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": [container]}},
                  "strategy": {"canary": {
                      "stableService": f"{name}-stable", "canaryService": f"{name}-canary",
                      "trafficRouting": {"plugins": {"argoproj-labs/gatewayAPI": {"httpRoute": name, "namespace": ns}}},
                      "steps": [{"setWeight": 10}, {"pause": {"duration": "1m"}}, {"setWeight": 50},
                                {"pause": {"duration": "2m"}}, {"setWeight": 100}]}}}},
        *({"apiVersion": "v1", "kind": "Service", "metadata": meta(f"{name}-{role}"),
           "spec": {"selector": selector, "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}
          for role in ("stable", "canary")),
        {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": meta(name),
         "spec": {"parentRefs": [{"name": "platform", "namespace": "gateway"}], "hostnames": [f"{name}.{env}.example.com"],
                  "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                             "backendRefs": [{"name": f"{name}-stable", "port": 80, "weight": 100},
                                             {"name": f"{name}-canary", "port": 80, "weight": 0}]}]}},
        {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret",
         "metadata": meta(name, annotations={"gitops.cdk8s.io/external": "the vault ClusterSecretStore is installed with the platform"}),
         "spec": {"refreshInterval": "1h", "secretStoreRef": {"kind": "ClusterSecretStore", "name": "vault"},
                  "target": {"name": f"{name}-env", "creationPolicy": "Owner"},
                  "data": [{"secretKey": "DATABASE_URL", "remoteRef": {"key": f"{name}/db", "property": "url"}}]}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta(name),
         "spec": {"scaleTargetRef": {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": name},
                  "minReplicas": 2, "maxReplicas": 5,
                  "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}]}},
        {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(name),
         "spec": {"maxUnavailable": 1, "selector": {"matchLabels": selector}}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": meta(name),
         "spec": {"podSelector": {"matchLabels": selector}, "policyTypes": ["Ingress"],
                  "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "gateway"}}}],
                               "ports": [{"protocol": "TCP", "port": 8080}]}]}},
        {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": meta(name),
         "spec": {"selector": {"matchLabels": selector}, "endpoints": [{"port": "http", "path": "/metrics", "interval": "30s"}]}},
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": f"{name}-{env}", "namespace": "argocd"},
         "spec": {"project": "default",
                  "source": {"repoURL": "https://github.com/example/platform.git", "targetRevision": "main", "path": f"dist/{env}/{name}"},
                  "destination": {"server": "https://kubernetes.default.svc", "namespace": ns},
                  "syncPolicy": {"automated": {"prune": True, "selfHeal": True}, "syncOptions": ["CreateNamespace=true"]}}},
    ]


# --- the three variants (each run in a fresh process) ------------------------------------

def run_library(docs: dict[str, list[dict[str, Any]]]) -> int:
    import cdk8s

    from cdk8s_gitops import GitOpsChart, TypedResource  # first: it points jsii at the wheel's Node
    from cdk8s_gitops.core.model import resource_class
    from cdk8s_gitops.core.validation import ObjectIndex
    from cdk8s_gitops.synth.build import collect_chart, run_checks
    from cdk8s_gitops.synth.render import dump_documents

    app = cdk8s.App()
    size = 0
    for env, manifests in docs.items():
        chart = GitOpsChart(app, env, app_name="fleet")
        for doc in manifests:
            model = resource_class(doc["apiVersion"], doc["kind"]).from_manifest(doc)
            TypedResource(chart, model)
        objects = collect_chart(chart, "fleet")
        index = ObjectIndex(env)
        for obj in objects:
            index.add(obj)
        problems = run_checks(index, [chart])
        if problems:
            raise SystemExit(f"library variant: unexpected problems: {problems[:3]}")
        size += len(dump_documents(o.manifest for o in objects))
    return size


def run_cdk8s_naive(docs: dict[str, list[dict[str, Any]]]) -> int:
    from cdk8s_gitops._node import configure_node  # same Node as the library, for fairness (before cdk8s starts jsii)

    configure_node()
    import cdk8s
    app = cdk8s.App()
    for env, manifests in docs.items():
        chart = cdk8s.Chart(app, env, disable_resource_name_hashes=True)
        for doc in manifests:
            meta = doc["metadata"]
            obj = cdk8s.ApiObject(chart, f"{doc['kind']}-{meta['name']}", api_version=doc["apiVersion"], kind=doc["kind"],
                                  metadata=cdk8s.ApiObjectMetadata(name=meta["name"], namespace=meta.get("namespace"),
                                                                   labels=meta.get("labels")))
            obj.add_json_patch(cdk8s.JsonPatch.add("/spec", doc["spec"]))
    return len(app.synth_yaml())


def run_pyyaml(docs: dict[str, list[dict[str, Any]]]) -> int:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return sum(len(yaml.dump_all(manifests, Dumper=dumper, sort_keys=False)) for manifests in docs.values())


VARIANTS = {"library": run_library, "cdk8s-naive": run_cdk8s_naive, "pyyaml": run_pyyaml}


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kb() -> int:
    """Resident set of this process plus its children (the jsii Node process)."""
    me = os.getpid()
    total = _rss_kb(me)
    for task in Path(f"/proc/{me}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        total += sum(_rss_kb(int(c)) for c in children)
    return total


def child(variant: str, services: int) -> None:
    """Run one variant in this process; print JSON with seconds and peak RSS."""
    docs = fleet(services)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kb())
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()
    size = VARIANTS[variant](docs)
    seconds = time.perf_counter() - start
    stop.set()
    sampler.join()
    peak[0] = max(peak[0], _tree_rss_kb())
    objects = sum(len(v) for v in docs.values())
    print(json.dumps({"variant": variant, "seconds": seconds, "objects": objects, "bytes": size, "peak_rss_kb": peak[0]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", "-n", type=int, default=100, help="services per environment. Default: 100")
    parser.add_argument("--repeat", "-r", type=int, default=3, help="runs per variant (median reported). Default: 3")
    parser.add_argument("--child", choices=sorted(VARIANTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.services)
        return
    results: dict[str, list[dict[str, Any]]] = {v: [] for v in VARIANTS}
    for _ in range(args.repeat):
        for variant in VARIANTS:  # interleaved, so drift in machine load hits every variant alike
            proc = subprocess.run([sys.executable, __file__, "--child", variant, "--services", str(args.services)],
                                  capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.exit(f"{variant} failed:\n{proc.stderr}")
            results[variant].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    med = {v: statistics.median(r["seconds"] for r in runs) for v, runs in results.items()}
    for variant, runs in results.items():
        times = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        print(f"{variant:<12} runs: {times} s; output {runs[0]['bytes']} bytes; peak RSS {max(r['peak_rss_kb'] for r in runs) / 1024:.0f} MB")
    objects = results["library"][0]["objects"]
    peak_mb = max(r["peak_rss_kb"] for r in results["library"]) / 1024
    print(f"fleet: {objects} objects; library {med['library']:.2f} s; cdk8s-naive {med['cdk8s-naive']:.2f} s; "
          f"pyyaml {med['pyyaml']:.2f} s; library/cdk8s-naive {med['library'] / med['cdk8s-naive']:.2f}; "
          f"library/pyyaml {med['library'] / med['pyyaml']:.2f}; peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
