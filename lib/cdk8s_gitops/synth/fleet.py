"""Synth at fleet scale: parallel, incremental and sharded, with the same output as a serial synth.

- :func:`synthesize_fleet`: like :func:`~cdk8s_gitops.synth.build.synthesize`, but pairs whose
  inputs did not change come from the cache, and the others are built in ``jobs`` processes.
- :func:`synthesize_shard`: build one shard of the pairs (``synth --shard I/N``) into a folder.
- :func:`assemble`: gather the folders of all N shards into one result, checked across objects
  exactly as a single synth is, for the dist writer to write or check.

Every path ends in :func:`~cdk8s_gitops.synth.build.finish_synth` (Argo CD wiring and every
cross-object check over all objects of each environment), so the verdict is the same as one
serial synth. When a check fails on objects that were built in another process (whose
construct paths were not kept), the selection is built again serially, so that the error
names construct paths exactly as a serial synth does.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import ConfigError, ManifestError, Problem, SynthError
from ..core.validation import global_checks
from ..environment.loader import load_environments, resolved
from ..environment.spec import EnvironmentSpec, ResolvedAppSettings
from .build import (
    WIRING_FOLDER,
    WIRING_MODULE,
    AppOutput,
    SynthResult,
    build_wiring_output,
    fewer_collections,
    finish_synth,
    freeze_now,
    select_pairs,
    synthesize,
    wiring_settings,
)
from .cache import CACHE_DIR, RecordStore
from .diagrams import inventory_row
from .docs import app_files, environment_readme, expected_argocd
from .parallel import BuiltPair, Forked, build_records, can_fork, default_jobs, note_checks_passed, record_pair
from .project import AppModule, Project
from .records import InputHasher, PairRecord, pair_key, track_inputs

__all__ = ["SHARD_FILE", "OnFolder", "ShardSummary", "assemble", "parse_shard", "shard_of", "synthesize_fleet", "synthesize_shard"]

WIRING_CACHE = "_wiring"
"""The cache's folder of Argo CD wiring records (``<env>/argocd-apps.json``; no environment is named so)."""

SECTIONS_FILE = "_sections.json"
"""The cache's memo of environment README sections (see :func:`~cdk8s_gitops.synth.docs.environment_readme`)."""

OnFolder = Callable[[str, str, dict[str, str]], None]
"""Called with (environment, app, files by name) of an app folder as soon as they are known."""

SHARD_FILE = "shard.json"
"""Written into a shard's folder: which shard it is and which pairs it holds."""


class _AppFactory:
    """The parent's cdk8s App, created on first use (a fully cached run may need none)."""

    def __init__(self) -> None:
        self._app: Any = None

    def __call__(self) -> Any:
        if self._app is None:
            from ..core.lazy import LazyApp

            self._app = LazyApp()
        return self._app


class _CachedWiring:
    """Each environment's Argo CD wiring (:func:`~cdk8s_gitops.synth.build.build_wiring_output`), taken from the
    cache when it was built from the same environment settings, library and project modules; new ones are kept
    in ``fresh`` for the caller to store once the whole synth passed its checks.

    The wiring depends on the environment's settings only, so :meth:`start` can build it in a forked process
    while this one imports the apps and builds pairs, on a core that is otherwise idle then."""

    def __init__(self, project: Project, store: RecordStore | None, hasher: InputHasher, app: _AppFactory) -> None:
        self.project, self.store, self.hasher, self.app = project, store, hasher, app
        self.fresh: list[PairRecord] = []
        self.sections: dict[str, str] = {}
        """Environment README sections drawn in the forked process, by memo key (see :func:`_environment_readmes`)."""
        self._ready: dict[str, tuple[AppOutput, Any] | Exception] = {}
        self._forked: tuple[Forked, dict[str, EnvironmentSpec]] | None = None
        self._keys: dict[str, str] = {}

    def start(self, specs: Sequence[EnvironmentSpec]) -> None:
        """Take each wiring of ``specs`` from the cache, and build the others in a forked process when one may
        be forked (:func:`~.parallel.can_fork`); :meth:`prepare`, or the first wiring asked for, collects them."""
        missing = {}
        for spec in specs:
            if spec.argocd.enabled and spec.name not in self._ready:
                cached = self._cached(spec, self._key(spec))
                if cached is not None:
                    self._ready[spec.name] = cached
                else:
                    missing[spec.name] = spec
        if missing and can_fork():
            self._forked = Forked(lambda: self._records(list(missing.values()))), missing

    def prepare(self, specs: Sequence[EnvironmentSpec]) -> None:
        """Build the wiring of each environment of ``specs`` now (while workers build the pairs); :meth:`__call__`
        then returns it, or raises what building it raised, where the synth asks for it."""
        self._collect()
        for spec in specs:
            if spec.argocd.enabled and spec.name not in self._ready:
                try:
                    self._ready[spec.name] = self._build(spec)
                except (ManifestError, ConfigError) as exc:
                    self._ready[spec.name] = exc
        # The checks of these kinds (Argo CD's) load now, not after the workers: a wiring built elsewhere or
        # taken from the cache imported none of their modules here.
        global_checks({o.kind for ready in self._ready.values() if not isinstance(ready, Exception) for o in ready[0].objects})

    def __call__(self, spec: EnvironmentSpec) -> tuple[AppOutput, Any]:
        self._collect()
        ready = self._ready.pop(spec.name, None)
        if isinstance(ready, Exception):
            raise ready
        return ready if ready is not None else self._build(spec)

    def close(self) -> None:
        """Stop a forked build that is no longer wanted (the synth stopped before it asked for the wiring)."""
        if self._forked is not None:
            self._forked[0].close()
            self._forked = None

    def _collect(self) -> None:
        """Take what the forked process built. A wiring it did not build (it raised, or registered chart-level
        checks that must run here) is built here when asked for, as in a serial run."""
        if self._forked is None:
            return
        forked, specs = self._forked
        self._forked = None
        records, sections = forked.result() or ((), {})
        self.sections.update(sections)
        for record in records:
            if isinstance(record, PairRecord) and not record.has_checks and record.environment in specs:
                self._ready[record.environment] = self._output(specs[record.environment], record)
                if self.store is not None:
                    self.fresh.append(record)

    def _key(self, spec: EnvironmentSpec) -> str:
        """The wiring's cache key (computed once per environment: the forked process inherits it)."""
        if spec.name not in self._keys:
            self._keys[spec.name] = pair_key(self.project, spec.model_dump_json(), spec.name, WIRING_FOLDER)
        return self._keys[spec.name]

    def _cached(self, spec: EnvironmentSpec, key: str) -> tuple[AppOutput, None] | None:
        record = self.store.fresh(spec.name, WIRING_FOLDER, key, self.hasher) if self.store is not None else None
        return self._output(spec, record) if record is not None else None

    @staticmethod
    def _output(spec: EnvironmentSpec, record: PairRecord) -> tuple[AppOutput, None]:
        return AppOutput(spec.name, WIRING_FOLDER, wiring_settings(spec), WIRING_MODULE, record.objects(WIRING_FOLDER),
                         rendered=record.files, inventory_row=record.row, digests=record.known_digests(),
                         encoded=record.encoded or None), None

    def _build(self, spec: EnvironmentSpec) -> tuple[AppOutput, Any]:
        key = self._key(spec)
        cached = self._cached(spec, key)
        if cached is not None:
            return cached
        out, chart, record = self._new(spec, key)
        if self.store is not None and not record.has_checks:
            self.fresh.append(record)
        return out, chart

    def _new(self, spec: EnvironmentSpec, key: str) -> tuple[AppOutput, Any, PairRecord]:
        """Build the wiring; the record holds what the cache stores (and what a forked process sends back)."""
        with track_inputs() as opened:
            out, chart = build_wiring_output(self.app(), spec)
            out.rendered = app_files(out, self.project)
        manifests = [dict(o.manifest) for o in out.objects]
        out.inventory_row = inventory_row(WIRING_FOLDER, manifests)
        record = PairRecord(spec.name, WIRING_FOLDER, key, manifests=manifests, typed=[o.resource is not None for o in out.objects],
                            files=dict(out.rendered), inputs=self.hasher.inputs([*self.hasher.loaded_modules(), *opened.inputs], opened.listed),
                            environ=dict(sorted(opened.env.items())),
                            row=out.inventory_row, has_checks=bool(chart.checks))
        return out, chart, record

    def _records(self, specs: Sequence[EnvironmentSpec]) -> tuple[list[PairRecord], dict[str, str]]:
        """In the forked process: the records of ``specs``, with the per-object checks their objects passed
        (as a worker's records carry them: the parent need not run them again), and each environment README's
        Argo CD section as it is when no app holds Applications (:func:`~.docs.expected_argocd`), by memo key."""
        records, sections = [], {}
        for spec in specs:
            out, _, record = self._new(spec, self._key(spec))
            if not record.has_checks:
                note_checks_passed(record, out.objects)
            records.append(record)
            key, section = expected_argocd(spec, record.manifests)
            sections[key] = section
        return records, sections


def _keys(project: Project, pairs: Sequence[tuple[EnvironmentSpec, AppModule]],
          settings: Sequence[tuple[ResolvedAppSettings, str]] | None = None) -> list[str]:
    """Each pair's :func:`~.records.pair_key`; ``settings``: each pair's resolved settings and their JSON, when known."""
    made = settings if settings is not None else [resolved(spec, module.name) for spec, module in pairs]
    return [pair_key(project, text, spec.name, module.name) for (spec, module), (_, text) in zip(pairs, made, strict=True)]


def _produce(project: Project, pairs: Sequence[tuple[EnvironmentSpec, AppModule]], keys: Sequence[str], *,
             jobs: int | None, store: RecordStore | None, hasher: InputHasher, app: _AppFactory,
             debug: bool, stats: dict[str, int] | None = None,
             fresh: list[Any] | None = None, meanwhile: Callable[[], None] | None = None,
             on_folder: OnFolder | None = None) -> tuple[list[BuiltPair], int]:
    """A built pair for every pair (from the cache when fresh); returns them and how many were built.

    Records to store in the cache go to ``fresh``: the caller saves them only once the whole synth passed
    its checks (the secret scan among them), so a refused object never reaches the cache folder. ``meanwhile``
    runs in this process while worker processes build (see :func:`~.parallel.build_records`); so does
    ``on_folder``, given the files of each pair taken from the cache or built by then (not when all is built here)."""
    built: list[BuiltPair | None] = [None] * len(pairs)
    misses: list[int] = []
    for i, (spec, module) in enumerate(pairs):
        record = store.fresh(spec.name, module.name, keys[i], hasher) if store is not None else None
        if record is not None:
            built[i] = (record, None, None)
        else:
            misses.append(i)
    work = [(pairs[i][0], pairs[i][1], keys[i]) for i in misses]
    workers = default_jobs(len(work)) if jobs is None else jobs

    def folder(record: PairRecord) -> None:
        if on_folder is not None and record.files and not record.problems:
            on_folder(record.environment, record.app, record.files)

    def overlapping() -> None:
        for result in built:
            if result is not None:
                folder(result[0])
        if meanwhile is not None:
            meanwhile()

    for i, result in zip(misses, build_records(project, work, jobs=workers, debug=debug, hasher=hasher, in_process=app,
                                               stats=stats, meanwhile=overlapping, on_record=folder), strict=False):
        record, _out, chart = result
        if record.has_checks and chart is None:
            # Its chart-level checks must see the whole environment: build it again here, with its chart.
            spec, module = pairs[i]
            result = record_pair(app(), project, spec, module, keys[i], debug=debug, hasher=hasher)
        built[i] = result
        if store is not None and not result[0].has_checks and fresh is not None:
            fresh.append(result[0])
    return [b for b in built if b is not None], len(misses)


def _result(project: Project, specs: list[EnvironmentSpec], environments: Sequence[str] | None, apps: Sequence[str] | None,
            pairs: Sequence[tuple[EnvironmentSpec, AppModule]], built: Sequence[BuiltPair], app: _AppFactory,
            debug: bool, wiring: _CachedWiring | None = None,
            settings: Sequence[tuple[ResolvedAppSettings, str]] | None = None) -> SynthResult:
    outputs: list[AppOutput] = []
    charts: list[tuple[AppOutput, Any]] = []
    problems: list[Problem] = []
    warnings: list[str] = []
    for i, ((spec, module), (record, out, chart)) in enumerate(zip(pairs, built, strict=False)):
        if record.problems:
            if apps and module.name not in apps:
                warnings.extend(f"{p} (not selected; context for --app)" for p in record.problems)
            else:
                problems.extend(record.problems)
            continue
        if out is None:
            out = AppOutput(spec.name, module.name, settings[i][0] if settings is not None else spec.for_app(module.name), module,
                            record.objects(module.name), rendered=record.files, inventory_row=record.row or None,
                            digests=record.known_digests(), encoded=record.encoded or None)
        outputs.append(out)
        charts.append((out, chart))
    try:
        return finish_synth(project, specs, environments, apps, None, outputs, charts, list(problems), warnings,
                            wiring=wiring if wiring is not None else lambda spec: build_wiring_output(app(), spec))
    except SynthError as exc:
        if len(exc.problems) > len(problems) and any(chart is None for _, chart in charts):
            # A check failed on objects built elsewhere: build serially so that messages carry construct paths.
            return synthesize(project, environments, apps, debug=debug)
        raise


def synthesize_fleet(project: Project, environments: Sequence[str] | None = None, apps: Sequence[str] | None = None, *,
                     jobs: int | None = None, cache: bool = True, debug: bool = False,
                     stats: dict[str, int] | None = None, on_folder: OnFolder | None = None) -> SynthResult:
    """:func:`~cdk8s_gitops.synth.build.synthesize`, incremental and in parallel; the same result.

    Args:
        jobs: worker processes for the pairs to build; 1 builds in this process. Default:
            :func:`~cdk8s_gitops.synth.parallel.default_jobs` (CPUs, at most 8, at least 8 pairs each).
        cache: reuse and store pair records in ``<project>/.cdk8s-gitops-cache/``. Default: on.
        stats: when given, receives ``pairs``, ``built`` (how many were not taken from the cache) and
            ``workers`` (processes that built them; 0 when built in this process).
        on_folder: called with the files of app folders while worker processes build (for
            :class:`~cdk8s_gitops.synth.writer.Prestage`); before the checks ran, so nothing is final yet.
    """
    with fewer_collections():
        return _synthesize_fleet(project, environments, apps, jobs=jobs, cache=cache, debug=debug, stats=stats,
                                 on_folder=on_folder)


def _synthesize_fleet(project: Project, environments: Sequence[str] | None, apps: Sequence[str] | None, *,
                      jobs: int | None, cache: bool, debug: bool, stats: dict[str, int] | None,
                      on_folder: OnFolder | None) -> SynthResult:
    specs = load_environments(project.environments_dir, environments, root=project.root)
    store = RecordStore(project.root / CACHE_DIR, ignored=True, passed=True) if cache else None
    hasher = InputHasher(project, exclude=[project.root / CACHE_DIR])
    app = _AppFactory()
    counts: dict[str, int] = {}
    fresh: list[Any] = []
    wiring = _CachedWiring(project, RecordStore(project.root / CACHE_DIR / WIRING_CACHE, ignored=True, passed=True)
                           if store is not None else None, hasher, app)
    try:
        if jobs != 1:  # the wiring needs only the settings: it is built beside the app imports and the first pair
            wiring.start(specs)
        pairs = select_pairs(project, specs, apps)
        freeze_now()  # the imported apps
        settings = [resolved(spec, module.name) for spec, module in pairs]
        built, count = _produce(project, pairs, _keys(project, pairs, settings), jobs=jobs, store=store, hasher=hasher, app=app,
                                debug=debug, stats=counts, fresh=fresh, meanwhile=lambda: wiring.prepare(specs),
                                on_folder=on_folder)
        if stats is not None:
            stats.update(pairs=len(pairs), built=count, workers=counts.get("workers", 0))
        result = _result(project, specs, environments, apps, pairs, built, app, debug, wiring, settings)
    finally:
        wiring.close()
    if store is not None or wiring.sections:  # only after every check passed
        _environment_readmes(project, result, wiring.sections, persist=store is not None)
    if store is not None:
        _share_within_apps(fresh)
        for record in fresh:
            if not apps or record.app in apps:  # problems of apps built only as context are not reported: never store them
                record.passed = list(result.object_checks.get(record.environment, ()))
                store.save(record)
        for record in wiring.fresh:
            record.passed = list(result.object_checks.get(record.environment, ()))
            wiring.store.save(record)  # type: ignore[union-attr]  # a store exists when the cache is on
    return result


CHANGED_DURING_RUN = "changed during the run"
"""The digest kept for an input two pairs saw with different contents: it matches nothing, so both rebuild."""


def _share_within_apps(records: Sequence[PairRecord]) -> None:
    """Give the pairs of one app built in a run the union of their inputs (files, folders, variables).

    A pair may use what another pair of the same app read without reading it itself: a memo in the app's module or
    in a helper (``functools.cache``), filled by the environment built first in that process. Then only the first
    pair recorded the file; the union makes it an input of all of them, so a change rebuilds them all."""
    by_app: dict[str, list[PairRecord]] = {}
    for record in records:
        by_app.setdefault(record.app, []).append(record)
    for group in by_app.values():
        if len(group) < 2:
            continue
        inputs: dict[str, str] = {}
        environ: dict[str, str] = {}
        for record in group:
            for union, seen in ((inputs, record.inputs), (environ, record.environ)):
                for name, digest in seen.items():
                    union[name] = digest if union.get(name, digest) == digest else CHANGED_DURING_RUN
        for record in group:
            record.inputs, record.environ = dict(sorted(inputs.items())), dict(sorted(environ.items()))


class _Memo(dict[str, str]):
    """A memo that notes which keys a run read or wrote (the others are dropped when it is saved)."""

    def __init__(self, stored: dict[str, str]) -> None:
        super().__init__(stored)
        self.used: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key: str, value: str) -> None:
        self.used.add(key)
        super().__setitem__(key, value)


def _environment_readmes(project: Project, result: SynthResult, drawn: dict[str, str], *, persist: bool) -> None:
    """Render the environment READMEs of ``result`` with a memo of Argo CD sections: ``drawn`` (by the forked wiring
    process) and, when ``persist``, the cache's (kept to the sections this run used, so it never grows beyond one per
    environment)."""
    path = project.root / CACHE_DIR / SECTIONS_FILE
    memo: dict[str, str] = {}
    if persist:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            memo = {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else {}
        except (OSError, ValueError):
            memo = {}
    used = _Memo({**memo, **drawn})
    for spec in result.environments:
        result.readmes[spec.name] = environment_readme(spec, [o for o in result.outputs if o.environment == spec.name],
                                                       project, used)
    kept = {key: used[key] for key in sorted(used.used) if key in used}
    if persist and kept != memo:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(kept, sort_keys=True))
        os.replace(tmp, path)


# -- shards ------------------------------------------------------------------------------------

_SHARD = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``; :class:`ConfigError` unless ``1 <= I <= N``."""
    match = _SHARD.match(text or "")
    index, count = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if not match or count < 1 or not 1 <= index <= count:
        raise ConfigError(Problem("--shard", "", f"{text!r} is not a shard", "write I/N with 1 <= I <= N, for example 2/4"))
    return index, count


def shard_of(environment: str, app: str, count: int) -> int:
    """The shard (1..count) of a pair: from a SHA-256 of its names, so it is the same on every machine
    and run, and a pair keeps its shard when other apps are added or removed."""
    digest = hashlib.sha256(f"{environment}/{app}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@dataclass
class ShardSummary:
    """What ``synth --shard`` built."""

    index: int
    count: int
    folder: Path
    pairs: list[tuple[str, str]] = field(default_factory=list)
    built: int = 0
    objects: int = 0


def synthesize_shard(project: Project, shard: tuple[int, int], folder: Path, environments: Sequence[str] | None = None, *,
                     jobs: int | None = None, cache: bool = True, debug: bool = False) -> ShardSummary:
    """Build the pairs of shard ``I`` of ``N`` and store their records in ``folder`` (replaced).

    Raises :class:`SynthError` with every build problem of the shard (nothing is written then).
    Cross-object checks run when the shards are assembled (:func:`assemble`).
    """
    index, count = shard
    specs = load_environments(project.environments_dir, environments, root=project.root)
    pairs = [p for p in select_pairs(project, specs, None) if shard_of(p[0].name, p[1].name, count) == index]
    store = RecordStore(project.root / CACHE_DIR, ignored=True, passed=True) if cache else None
    hasher = InputHasher(project, exclude=[project.root / CACHE_DIR, Path(folder)])
    built, built_count = _produce(project, pairs, _keys(project, pairs), jobs=jobs, store=store, hasher=hasher,
                                  app=_AppFactory(), debug=debug)
    problems = [p for record, _, _ in built for p in record.problems]
    if problems:
        raise SynthError(problems)
    import shutil

    folder = Path(folder)
    shutil.rmtree(folder, ignore_errors=True)
    out = RecordStore(folder)
    for record, _, _ in built:
        out.save(record)
    names = [(spec.name, module.name) for spec, module in pairs]
    meta = {"shard": index, "of": count, "environments": [s.name for s in specs], "pairs": [f"{e}/{a}" for e, a in names]}
    (folder / SHARD_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return ShardSummary(index, count, folder, names, built_count, sum(len(r.manifests) for r, _, _ in built))


def assemble(project: Project, folders: Sequence[Path], environments: Sequence[str] | None = None, *,
             debug: bool = False) -> SynthResult:
    """One result from the folders of all N shards, as if one synth had built everything.

    Refuses (:class:`ConfigError`) folders that are not shard output, an incomplete or
    inconsistent set of shards, and records built from other inputs than the project's current
    files (library, settings, app modules): assembled output is never stale.
    """
    specs = load_environments(project.environments_dir, environments, root=project.root)
    pairs = select_pairs(project, specs, None)
    keys = _keys(project, pairs)
    problems: list[Problem] = []
    seen_shards: dict[int, str] = {}
    counts: set[int] = set()
    records: dict[tuple[str, str], Any] = {}
    for folder in folders:
        shown = str(folder)
        try:
            meta = json.loads((Path(folder) / SHARD_FILE).read_text(encoding="utf-8"))
            index, count = int(meta["shard"]), int(meta["of"])
        except (OSError, ValueError, KeyError, TypeError):
            problems.append(Problem(shown, SHARD_FILE, "is not the output of 'cdk8s-gitops synth --shard I/N'",
                                    "pass the folders written by every shard job"))
            continue
        counts.add(count)
        if index in seen_shards:
            problems.append(Problem(shown, "shard", f"shard {index}/{count} is also in {seen_shards[index]}", "pass each shard once"))
        seen_shards[index] = shown
        for path, record in RecordStore(Path(folder)).records():
            if record is None:
                problems.append(Problem(str(path), "", "is damaged (its files do not match their checksums)",
                                        "run that shard again"))
                continue
            records[(record.environment, record.app)] = record
    if len(counts) > 1:
        problems.append(Problem("shards", "", f"come from different splits ({', '.join(f'N={c}' for c in sorted(counts))})",
                                "assemble the shards of one matrix"))
    elif counts and (missing := sorted(set(range(1, max(counts) + 1)) - set(seen_shards))):
        problems.append(Problem("shards", "", f"shard(s) {', '.join(f'{i}/{max(counts)}' for i in missing)} missing",
                                "pass the output folders of every shard job"))
    hasher = InputHasher(project, exclude=[project.root / CACHE_DIR, *map(Path, folders)])
    built: list[BuiltPair] = []
    app = _AppFactory()
    for (spec, module), key in zip(pairs, keys, strict=False):
        record = records.pop((spec.name, module.name), None)
        if record is None:
            problems.append(Problem(f"{spec.name}/{module.name}", "", "is in no shard's output",
                                    "run every shard of the matrix for the same commit"))
        elif record.key != key or not hasher.unchanged(record.inputs):
            problems.append(Problem(f"{spec.name}/{module.name}", "", "was built from other inputs than the current files",
                                    "run the shards again for this commit"))
        elif record.has_checks:
            built.append(record_pair(app(), project, spec, module, key, debug=debug, hasher=hasher))
        else:
            built.append((record, None, None))
    selected = {s.name for s in specs}
    for env, app_name in sorted(k for k in records if k[0] in selected):
        problems.append(Problem(f"{env}/{app_name}", "", "is in a shard's output but not in the project",
                                "run the shards again for this commit"))
    if problems:
        raise ConfigError(problems)
    return _result(project, specs, environments, None, pairs, built, app, debug)
