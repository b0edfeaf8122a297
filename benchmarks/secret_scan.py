"""Secret-scan benchmark: the scan's share of a synth of the reference platforms, same run.

Synthesizes the project in the current directory (apps/ + environments/) once, then times,
in this process:

- scan-cold: the secret scan of every synthesized object with empty caches (the first synth);
- scan-warm: the same scan again (caches filled: what a repeated string costs);
- dump:      rendering every object to YAML with the project's dumper (the writer's main work).

The last line is::

    secret-scan: <n> objects, <u> unique strings; synth <s> s; scan-cold <s> s; scan-warm <s> s; dump <s> s; scan-cold/synth <r>; scan-cold/dump <r>

Usage: ``python benchmarks/secret_scan.py [--repeat 5] [--fleet N]`` (``--fleet`` scans N copies of the
objects with their names changed, to see how the cost grows with thousands of objects).
"""

from __future__ import annotations

import argparse
import copy
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _median(fn: Callable[[], Any], repeat: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fleet", type=int, default=1, help="scan this many renamed copies of the objects")
    args = parser.parse_args()

    from cdk8s_gitops.synth import Project, dump_documents, secret_detectors, secret_scan, synthesize

    project = Project(Path.cwd())
    start = time.perf_counter()
    result = synthesize(project)
    synth_s = time.perf_counter() - start
    manifests = [dict(o.manifest) for out in result.outputs for o in out.objects]
    fleet = []
    for i in range(args.fleet):
        for m in manifests:
            copied = copy.deepcopy(m)
            copied.setdefault("metadata", {})["name"] = f"{copied['metadata'].get('name', 'x')}-{i}"
            fleet.append(copied)

    def scan() -> None:
        for m in fleet:
            secret_scan.scan_manifest(m)

    def clear() -> None:
        secret_scan._scan_string.cache_clear()  # noqa: SLF001 - measuring the cold path

    strings = {leaf for m in fleet for _, _, leaf in secret_scan._leaves(m, (), "")}  # noqa: SLF001
    secret_detectors.detectors()  # plugin set-up once, as in synth
    cold = _median(scan, args.repeat, clear)
    warm = _median(scan, args.repeat)
    dump = _median(lambda: dump_documents(fleet), args.repeat)
    print(f"secret-scan: {len(fleet)} objects, {len(strings)} unique strings; synth {synth_s:.3f} s; "
          f"scan-cold {cold:.3f} s; scan-warm {warm:.3f} s; dump {dump:.3f} s; "
          f"scan-cold/synth {cold / synth_s:.2f}; scan-cold/dump {cold / dump:.2f}")


if __name__ == "__main__":
    main()
