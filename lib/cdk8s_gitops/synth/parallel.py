"""Build (environment, app) pairs, in this process or in worker processes.

Workers are forked from the parent, which has already imported the library and the app
modules, so a worker starts in milliseconds instead of importing everything again. jsii talks
to one Node.js process per Python process: a forked worker must not use the parent's (their
requests would interleave on the same pipes), so each worker first gives jsii a kernel of its
own (:func:`_fresh_jsii_kernel`) and loads the assemblies the parent had loaded into it (when it first
calls jsii: a worker whose apps hold only typed objects never starts Node.js).

Workers return :class:`~cdk8s_gitops.synth.records.PairRecord` objects (manifests and
rendered text); only the parent writes ``dist/``.
"""

from __future__ import annotations

import atexit
import importlib.resources
import itertools
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..environment.spec import EnvironmentSpec
from .project import AppModule, Project
from .records import InputHasher, PairRecord, environ_digests, input_digests, track_inputs

__all__ = ["MAX_JOBS", "PAIRS_PER_WORKER", "BuiltPair", "Forked", "build_records", "can_fork", "default_jobs",
           "note_checks_passed", "object_checks_passed"]

MAX_JOBS = 8
"""Default cap on worker processes (beyond it, memory grows faster than speed)."""

PAIRS_PER_WORKER = 8
"""A worker costs a Node.js start (about 0.2 s); fewer pairs than this per worker are built in process."""

BuiltPair = tuple[PairRecord, Any, Any]
"""A record, and when built in this process also its AppOutput and chart (else None, None)."""


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def default_jobs(pairs: int) -> int:
    """Worker processes for ``pairs`` pairs to build: the CPUs this process may use, at most
    :data:`MAX_JOBS`, and at least :data:`PAIRS_PER_WORKER` pairs per worker (else 1: in process)."""
    return max(1, min(available_cpus(), MAX_JOBS, pairs // PAIRS_PER_WORKER))


def record_pair(cdk_app: Any, project: Project, spec: EnvironmentSpec, module: AppModule, key: str, *,
                debug: bool, hasher: InputHasher) -> BuiltPair:
    """Build one pair in this process; the record carries the rendered files and the inputs read."""
    from .build import build_pair, settle_pair
    from .diagrams import images_memo, inventory_row
    from .docs import app_files

    with track_inputs() as opened, images_memo():  # the README's sections and the row walk each manifest once
        out, chart, problems = build_pair(cdk_app, project, spec, module, debug=debug)
        files = app_files(out, project) if out is not None else {}
        manifests = out.manifests if out is not None else []
        row = inventory_row(module.name, manifests) if out is not None else []
    record = PairRecord(spec.name, module.name, key, problems=problems)
    if out is not None:
        record.manifests = manifests
        record.typed = [o.resource is not None for o in out.objects]
        record.files = files
        record.has_checks = chart is not None and bool(chart.checks)
        record.inputs = input_digests(project, module.path, opened, hasher)
        record.environ = environ_digests(project, opened.env)
        record.row = out.inventory_row = row
        out.rendered = files
    settle_pair()
    return record, out, chart


# -- worker processes ------------------------------------------------------------------------

_job: dict[str, Any] | None = None  # what the forked workers inherit from the parent
_worker_app: Any = None
_kept: list[Any] = []


def _fresh_jsii_kernel() -> None:
    """In a forked worker: leave the parent's Node.js process alone and start one of our own."""
    from jsii import _reference_map, _runtime
    from jsii._kernel.providers import ProcessProvider

    prop = ProcessProvider.__dict__["_process"]
    stored = next(c.cell_contents for c in prop.fget.__closure__ if isinstance(c.cell_contents, list))
    if not stored:
        return  # the parent never started Node.js: the assembly loads it keeps for later came along with the fork
    # Never stop the parent's process from here (its atexit hook and __del__ would): keep it referenced.
    atexit.unregister(stored[0].stop)
    _kept.extend(stored)
    stored.clear()
    from .._node import defer_kernel_loads

    defer_kernel_loads()  # a worker that never calls jsii never starts Node.js
    for module in list(_reference_map._assembly_to_module.values()):  # in load order: dependencies first
        assembly = sys.modules[f"{module}._jsii"].__jsii_assembly__
        with importlib.resources.as_file(importlib.resources.files(f"{assembly.module}._jsii").joinpath(assembly.filename)) as path:
            _runtime.kernel.load(assembly.name, assembly.version, os.fspath(path))


def _worker_init() -> None:
    global _worker_app
    _fresh_jsii_kernel()
    from ..core.lazy import LazyApp

    _worker_app = LazyApp()


def _worker_build(indices: Sequence[int]) -> list[tuple[int, PairRecord]]:
    assert _job is not None
    job = _job
    out = []
    for i in indices:
        spec, module, key = job["work"][i]
        record, built, _ = record_pair(_worker_app, job["project"], spec, module, key, debug=job["debug"], hasher=job["hasher"])
        if built is not None and not record.problems:
            note_checks_passed(record, built.objects)
        out.append((i, record))
    return out


def note_checks_passed(record: PairRecord, objects: Sequence[Any]) -> None:
    """Run the per-object checks over ``objects`` (built in another process) and note in ``record`` those they all
    passed, so that the parent does not run them again (see :func:`object_checks_passed`)."""
    record.passed = object_checks_passed(objects)
    record.checked = bool(record.passed)


def object_checks_passed(objects: Sequence[Any]) -> list[str]:
    """The library's per-object checks (``add_object_check``: the secret scan, the image grammar), run here
    over one pair's objects, by name when every object passed them all; else none (the parent then runs them
    and reports). The worker has scanned the objects for the README already: the parent need not again."""
    from ..core.validation import ObjectIndex, check_name, global_checks, is_object_check

    index = ObjectIndex("")
    for obj in objects:
        index.add(obj)
    names = []
    for check in global_checks({obj.kind for obj in objects}):
        if is_object_check(check):
            if next(iter(check(index)), None) is not None:
                return []
            names.append(check_name(check))
    return names


def can_fork() -> bool:
    """Whether work may go to a forked process now: the platform forks, more than one CPU is available
    (else a second process only competes with this one), and no jsii object exists yet."""
    return "fork" in multiprocessing.get_all_start_methods() and available_cpus() > 1 and not _jsii_objects_exist()


class Forked:
    """``fn()`` run in a process forked now (see :func:`can_fork`), while this process goes on.

    :meth:`result` waits for its pickled return value; it is None when ``fn`` raised or the process
    died (the caller then does the work itself, so that errors are reported as in a serial run)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        # Daemonic: a parent that stops early (an error elsewhere) ends it at exit instead of waiting for it.
        self._process = context.Process(target=_forked_main, args=(fn, send), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> Any:
        try:
            return self._receive.recv()
        except (EOFError, OSError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process if it still runs, and release it."""
        self._receive.close()
        if self._process.is_alive():
            self._process.kill()  # not a signal the process could turn into an exception (and print)
        self._process.join()


def _forked_main(fn: Callable[[], Any], send: Any) -> None:
    for name in ("SIGINT", "SIGTERM"):  # Ctrl-C ends it quietly: the parent reports the interruption
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    try:
        _worker_init()
        value = fn()
    except BaseException:  # noqa: BLE001 - the parent does the work again and reports what it raises
        value = None
    try:
        send.send(value)
    except Exception:  # noqa: BLE001 - the parent stopped listening, or the value does not pickle: it does the work itself
        pass
    finally:
        send.close()


def _jsii_objects_exist() -> bool:
    """Whether this process already created jsii objects (a fork would copy references the worker's
    own kernel does not know)."""
    if "jsii" not in sys.modules:
        return False
    from jsii import _reference_map

    return bool(_reference_map._refs._refs)


def build_records(project: Project, work: Sequence[tuple[EnvironmentSpec, AppModule, str]], *, jobs: int, debug: bool,
                  hasher: InputHasher, in_process: Callable[[], Any], stats: dict[str, int] | None = None,
                  meanwhile: Callable[[], None] | None = None,
                  on_record: Callable[[PairRecord], None] | None = None) -> list[BuiltPair]:
    """Build every pair of ``work`` (spec, module, key): the first in this process, the others in ``jobs``
    worker processes forked after it; or all in this process when ``jobs`` is 1, there are at most two
    pairs, the platform cannot fork, or jsii objects exist (a fork would copy them).

    ``in_process`` returns the cdk8s App to build in when building here. ``meanwhile`` runs in this process
    while the workers build (when there are workers), so that its work overlaps theirs; so does ``on_record``,
    called with the first pair's record and each worker's as it comes back (not when built here). Returns one
    :data:`BuiltPair` per pair, in the order of ``work``; ``stats["workers"]`` receives the number
    of worker processes used (0: built in this process).
    """
    jobs = min(jobs, len(work) - 1)
    parallel = jobs > 1 and "fork" in multiprocessing.get_all_start_methods() and not _jsii_objects_exist()
    if stats is not None:
        stats["workers"] = jobs if parallel else 0
    if not parallel:
        cdk_app = in_process() if work else None
        return [record_pair(cdk_app, project, spec, module, key, debug=debug, hasher=hasher) for spec, module, key in work]
    # The first pair is built here: the validators, CEL programs and memos it builds on first use are then
    # inherited by every worker instead of being built again in each. A pair that made jsii objects (a
    # construct of another cdk8s library) rules out forking: the rest is built here too.
    spec, module, key = work[0]
    first = record_pair(in_process(), project, spec, module, key, debug=debug, hasher=hasher)
    if _jsii_objects_exist():
        if stats is not None:
            stats["workers"] = 0
        cdk_app = in_process()
        return [first, *(record_pair(cdk_app, project, s, m, k, debug=debug, hasher=hasher) for s, m, k in work[1:])]
    from .build import freeze_now

    global _job
    _job = {"project": project, "work": list(work), "debug": debug, "hasher": hasher}
    # Eight batches per worker, of equal sizes (within one pair), so that the workers end within a small batch of
    # each other and a slow app does not leave the others idle; pairs of one app sit in different batches (round
    # robin), spreading big apps across workers.
    chunks = max(jobs, min(len(work) - 1, jobs * 8))
    order = sorted(range(1, len(work)), key=lambda i: (i % chunks, i))
    bounds = [len(order) * k // chunks for k in range(chunks + 1)]
    batches = [order[a:b] for a, b in itertools.pairwise(bounds) if b > a]
    results: dict[int, PairRecord] = {}
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_worker_init) as pool:
            running = pool.map(_worker_build, batches)  # every batch is submitted here
            if on_record is not None:
                on_record(first[0])
            if meanwhile is not None:
                meanwhile()
            for batch in running:
                results.update(batch)
                freeze_now()  # the records just received live to the end: later collections need not scan them
                if on_record is not None:
                    for _, record in batch:
                        on_record(record)
    finally:
        _job = None
    return [first, *((results[i], None, None) for i in range(1, len(work)))]
