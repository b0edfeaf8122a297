"""Fleet benchmark: what users run, against baselines with the same output, in one run.

For N services (default 30, 100 and 300) a repository is generated (``fleet_repo.py``): one
app per service, a :class:`~cdk8s_gitops.platform.Microservice` built from typed props and
the environment's settings, three environments, about 10 objects per service and environment.
Every variant runs as a whole process and writes one ``manifest.yaml`` per (environment, app):

- ``library``      ``cdk8s-gitops synth --no-cache --jobs 1`` (validation, cross-object checks,
                   READMEs and provenance included);
- ``library-jN``   the same with ``--jobs N`` (default N = the CPUs available);
- ``incremental``  ``cdk8s-gitops synth`` after one app changed, the cache warm from the run before;
- ``incremental-server``  the same with ``cdk8s-gitops serve`` running for the repository (started once per
                   size, untimed; its start-up is reported): each command is a new process that hands itself to
                   the server, which forks a warm child for it. Every other variant runs with the server off,
                   but ``library-server`` (``library`` through the server: a full synth when both are warm);
- ``pyyaml``       PyYAML's C dumper on the same dicts (the floor for Python-as-config);
- ``cdk8s-naive``  plain cdk8s, one ``ApiObject`` per object (fields added with JSON patches);
- ``cdk8s-fast``   plain cdk8s, one chart per folder whose ``to_json`` returns the dicts.

The baselines read the library's own output dicts from a JSON file (inside their timing, as
a config loader would), so every variant writes the same content.
The library is byte-compiled first, as ``pip install`` leaves it; the apps are compiled when imported and, as
Python does by default, their bytecode is kept in ``apps/__pycache__`` (``PYTHONDONTWRITEBYTECODE`` is removed from
every variant's environment: a developer's or CI runner's repository keeps it after the first run).
Times are whole-process wall and CPU seconds (the CPU of every child, Node.js included),
medians of ``--repeat`` runs, interleaved. Start-up is reported apart from per-object cost:
from the runs at the smallest and largest N, cost = start-up + objects x per-object cost.
Every figure is a ratio against a baseline measured in the same run.

Usage: ``python benchmarks/fleet.py [--services 30 100 300] [--repeat 3] [--jobs 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from fleet_repo import generate, write_app  # noqa: E402

CLI = [sys.executable, "-m", "cdk8s_gitops"]


# -- baselines (run as `python fleet.py --baseline NAME DATA OUT`) ----------------------------

def _load(data: Path) -> dict[str, list[dict[str, Any]]]:
    return json.loads(data.read_text())


def baseline_pyyaml(data: Path, out: Path) -> None:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    for folder, manifests in _load(data).items():
        target = out / folder / "manifest.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.dump_all(manifests, Dumper=dumper, sort_keys=False, default_flow_style=False))


def baseline_cdk8s_naive(data: Path, out: Path) -> None:
    from cdk8s_gitops._node import configure_node  # the same Node.js as the library (before cdk8s starts jsii)

    configure_node()
    import cdk8s

    app = cdk8s.App(outdir=str(out), yaml_output_type=cdk8s.YamlOutputType.FILE_PER_CHART)
    for folder, manifests in _load(data).items():
        chart = cdk8s.Chart(app, folder.replace("/", "--"), disable_resource_name_hashes=True)
        for doc in manifests:
            meta = doc["metadata"]
            obj = cdk8s.ApiObject(chart, f"{doc['kind']}-{meta.get('namespace')}-{meta['name']}", api_version=doc["apiVersion"],
                                  kind=doc["kind"], metadata=cdk8s.ApiObjectMetadata(
                                      name=meta["name"], namespace=meta.get("namespace"), labels=meta.get("labels"),
                                      annotations=meta.get("annotations")))
            for key, value in doc.items():
                if key not in ("apiVersion", "kind", "metadata"):
                    obj.add_json_patch(cdk8s.JsonPatch.add(f"/{key}", value))
    app.synth()


def baseline_cdk8s_fast(data: Path, out: Path) -> None:
    from cdk8s_gitops._node import configure_node

    configure_node()
    import cdk8s

    class DictChart(cdk8s.Chart):
        def __init__(self, scope: Any, id: str, manifests: list[dict[str, Any]]) -> None:
            super().__init__(scope, id, disable_resource_name_hashes=True)
            self._manifests = manifests

        def to_json(self) -> list[Any]:
            return self._manifests

    app = cdk8s.App(outdir=str(out), yaml_output_type=cdk8s.YamlOutputType.FILE_PER_CHART)
    for folder, manifests in _load(data).items():
        DictChart(app, folder.replace("/", "--"), manifests)
    app.synth()


BASELINES = {"pyyaml": baseline_pyyaml, "cdk8s-naive": baseline_cdk8s_naive, "cdk8s-fast": baseline_cdk8s_fast}


# -- timing -------------------------------------------------------------------------------------

def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the process and all its children) of one whole run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def byte_compile_library(env: dict[str, str]) -> Path:
    """Byte-compile the cdk8s_gitops package the CLI imports, as ``pip install`` does (a run from a source tree or a
    ``git archive`` snapshot would otherwise compile it on every start where ``PYTHONDONTWRITEBYTECODE`` is set).
    The apps are left alone: like a fresh clone in CI, they are compiled when imported."""
    where = subprocess.run([sys.executable, "-c", "import cdk8s_gitops, os; print(os.path.dirname(cdk8s_gitops.__file__))"],
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "compileall", "-q", where], env=env, check=True, capture_output=True)
    return Path(where)


def export_dicts(root: Path, data: Path) -> int:
    """The library's output of ``root`` as {folder: [manifest, ...]} for the baselines; returns the object count."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, list[Any]] = {}
    for path in sorted((root / "dist").glob("*/*/manifest.yaml")):
        out[path.parent.relative_to(root / "dist").as_posix()] = [d for d in yaml.load_all(path.read_text(), Loader=loader) if d]
    data.write_text(json.dumps(out))
    return sum(len(v) for v in out.values())


def start_server(root: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], float]:
    """``cdk8s-gitops serve`` for ``root``; returns it and the seconds it took to start listening."""
    start = time.perf_counter()
    proc = subprocess.Popen([*CLI, "serve", "--idle", "30"], cwd=root, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    while not (root / ".cdk8s-gitops-cache" / "server.sock").exists():
        if proc.poll() is not None or time.perf_counter() - start > 120:
            sys.exit("cdk8s-gitops serve did not start")
        time.sleep(0.02)
    return proc, time.perf_counter() - start


def run_size(services: int, repeat: int, jobs: int, work: Path) -> dict[str, Any]:
    root = generate(work / f"fleet-{services}", services)
    served = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    served.pop("PYTHONDONTWRITEBYTECODE", None)  # Python's default: the apps' bytecode is kept between runs
    env = {**served, "CDK8S_GITOPS_SERVER": "off"}
    subprocess.run([*CLI, "synth", "--no-cache", "--jobs", "1"], cwd=root, env=env, check=True, capture_output=True)
    data = work / f"fleet-{services}.json"
    objects = export_dicts(root, data)
    out = work / "out"
    variants: dict[str, list[str]] = {
        "library": [*CLI, "synth", "--no-cache", "--jobs", "1", "-o", str(out)],
        f"library-j{jobs}": [*CLI, "synth", "--no-cache", "--jobs", str(jobs), "-o", str(out)],
        **{name: [sys.executable, __file__, "--baseline", name, str(data), str(out)] for name in BASELINES},
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in [*variants, "library-server", "incremental",
                                                                          "incremental-server"]}
    server, server_start = start_server(root, served)
    try:
        for r in range(repeat):
            for name, cmd in variants.items():  # interleaved: drift in machine load hits every variant alike
                shutil.rmtree(out, ignore_errors=True)
                times[name].append(timed(cmd, root, env))
            # Incremental: warm the cache, change one app, synth again (writes dist/ of the project).
            subprocess.run([*CLI, "synth"], cwd=root, env=env, check=True, capture_output=True)
            write_app(root, 0, revision=f"r{r + 2}")
            times["incremental"].append(timed([*CLI, "synth"], root, env))
            # The same through the server (CPU: the command's process only; its child is the server's).
            write_app(root, 1, revision=f"r{r + 2}")
            times["incremental-server"].append(timed([*CLI, "synth"], root, served))
            # A full synth through the server too: the one-app change against a full synth, both warm.
            shutil.rmtree(out, ignore_errors=True)
            times["library-server"].append(timed(variants["library"], root, served))
    finally:
        server.terminate()
        server.wait()
    med = {name: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for name, t in times.items()}
    return {"services": services, "objects": objects, "wall": {k: v[0] for k, v in med.items()},
            "cpu": {k: v[1] for k, v in med.items()}, "server_start": server_start}


def report(results: list[dict[str, Any]], jobs: int) -> None:
    names = list(results[0]["wall"])
    print(f"\nwhole-process medians (wall s / cpu s); ratios on wall against baselines of the same run, jobs={jobs}")
    print(f"{'services':>8} {'objects':>7} " + " ".join(f"{n:>18}" for n in names))
    for r in results:
        print(f"{r['services']:>8} {r['objects']:>7} " + " ".join(f"{r['wall'][n]:>8.2f} /{r['cpu'][n]:>7.2f} " for n in names))
    print()
    for r in results:
        w, c = r["wall"], r["cpu"]
        print(f"N={r['services']} ({r['objects']} objects): "
              f"library/pyyaml {w['library'] / w['pyyaml']:.2f} (cpu {c['library'] / c['pyyaml']:.2f}); "
              f"library/cdk8s-naive {w['library'] / w['cdk8s-naive']:.2f} (cpu {c['library'] / c['cdk8s-naive']:.2f}); "
              f"library/cdk8s-fast {w['library'] / w['cdk8s-fast']:.2f}; "
              f"library-j{jobs}/pyyaml {w[f'library-j{jobs}'] / w['pyyaml']:.2f}; "
              f"library-j{jobs}/library {w[f'library-j{jobs}'] / w['library']:.2f}; "
              f"incremental/library {w['incremental'] / w['library']:.2f}; "
              f"incremental-server/library {w['incremental-server'] / w['library']:.3f}; "
              f"incremental-server/library-server {w['incremental-server'] / w['library-server']:.3f} "
              f"(server start-up {r['server_start']:.1f} s, once)")
    print("\nissue #17 targets (wall / cpu; cpu is the steadier figure on a shared machine):")
    small, big = results[0], results[-1]
    for label, r, num, den, target in (
            ("library/cdk8s-naive", small, "library", "cdk8s-naive", 1.0),
            ("library/cdk8s-naive", big, "library", "cdk8s-naive", 0.3),
            ("library/pyyaml", big, "library", "pyyaml", 2.5),
            (f"library-j{jobs}/pyyaml", big, f"library-j{jobs}", "pyyaml", 1.6),
            ("incremental/library", big, "incremental", "library", 0.1),
            ("incremental-server/library", big, "incremental-server", "library", 0.1),
            ("  (both through the server)", big, "incremental-server", "library-server", 0.1)):
        wall, cpu = r["wall"][num] / r["wall"][den], r["cpu"][num] / r["cpu"][den]
        shown = "    -" if num == "incremental-server" else f"{cpu:5.2f}"  # its work is done by the server's child
        print(f"  N={r['services']:<4} {label:<27} {wall:5.3f} / {shown}   target <= {target}")
    if len(results) >= 2:
        dn = big["objects"] - small["objects"]
        print("\nstart-up and per-object cost (wall / cpu; from the smallest and largest N):")
        for n in names:
            costs = []
            for measure in ("wall", "cpu"):
                per = (big[measure][n] - small[measure][n]) / dn
                costs.append((small[measure][n] - per * small["objects"], per))
            print(f"  {n:<14} start-up {costs[0][0]:6.2f} / {costs[1][0]:5.2f} s   "
                  f"per object {costs[0][1] * 1000:6.3f} / {costs[1][1] * 1000:6.3f} ms")
        grow = (big["wall"]["library"] / small["wall"]["library"]) / (big["objects"] / small["objects"])
        print(f"growth: library time x{big['wall']['library'] / small['wall']['library']:.1f} for objects "
              f"x{big['objects'] / small['objects']:.1f} (time growth / object growth = {grow:.2f}; 1.0 is linear "
              f"with no start-up, below 1 means start-up is amortized)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", "-n", type=int, nargs="+", default=[30, 100, 300], help="fleet sizes. Default: 30 100 300")
    parser.add_argument("--repeat", "-r", type=int, default=3, help="runs per variant (median reported). Default: 3")
    parser.add_argument("--jobs", "-j", type=int, default=len(os.sched_getaffinity(0)), help="processes for library-jN")
    parser.add_argument("--baseline", nargs=3, metavar=("NAME", "DATA", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline:
        name, data, out = args.baseline
        BASELINES[name](Path(data), Path(out))
        return
    print(f"byte-compiled {byte_compile_library(dict(os.environ))}", flush=True)
    with tempfile.TemporaryDirectory(prefix="fleet-bench-") as tmp:
        results = []
        for services in args.services:
            results.append(run_size(services, args.repeat, args.jobs, Path(tmp)))
            print(json.dumps(results[-1]), flush=True)
        report(results, args.jobs)


if __name__ == "__main__":
    main()
