"""Build the cdk8s App for the selected environments and apps, and collect what it synthesizes.

This is the one entry point behind ``cdk8s-gitops synth``, ``cdk8s synth`` (via
``cdk8s.yaml``), the pytest fixtures and the benchmark. It never writes files: it
returns a :class:`SynthResult` that the dist writer turns into ``dist/``.

Speed: typed resources are read from the Python side (no jsii call per object); only
objects made by other cdk8s libraries (cdk8s-plus, plain ``ApiObject``) are asked for
their JSON across the bridge.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cdk8s
from pydantic import ValidationError

from ..core.chart import GitOpsChart, collect_chart
from ..core.errors import ConfigError, GitOpsError, ManifestError, Problem, SynthError
from ..core.labels import INSTANCE
from ..core.lazy import LazyApp, construct_path
from ..core.model import problems_from_validation_error
from ..core.validation import ObjectIndex, RenderedObject, check_name, global_checks, is_object_check
from ..environment.loader import load_environments
from ..environment.spec import RESERVED_APP, EnvironmentSpec, ResolvedAppSettings
from .project import AppModule, Project
from .render import dump_documents

__all__ = ["WIRING_FOLDER", "WIRING_MODULE", "AppOutput", "SynthResult", "Wiring", "build_chart", "build_pair", "build_wiring_output",
           "collect_chart", "fewer_collections", "finish_synth", "freeze_now", "run_checks", "select_pairs", "settle_pair", "synthesize",
           "wiring_settings"]


@dataclass
class AppOutput:
    """What one app synthesizes in one environment."""

    environment: str
    app: str
    settings: ResolvedAppSettings
    module: AppModule
    objects: list[RenderedObject] = field(default_factory=list)
    rendered: dict[str, str] | None = None
    """The folder's files already rendered (by a worker process or the cache), by file name; else None."""
    digests: dict[str, str] | None = None
    """The SHA-256 of each of ``rendered``, when known (files from the cache were checked against them)."""
    encoded: dict[str, bytes] | None = None
    """``rendered`` as UTF-8, when at hand already (files from the cache were encoded to check them)."""
    inventory_row: list[str] | None = None
    """The folder's row in the environment README (:func:`~.diagrams.inventory_row`), when already computed."""

    @property
    def manifests(self) -> list[dict[str, Any]]:
        return [dict(o.manifest) for o in self.objects]

    def yaml(self) -> str:
        if self.rendered is not None:
            return self.rendered["manifest.yaml"]
        return dump_documents(o.manifest for o in self.objects)


@dataclass
class SynthResult:
    """Everything a synth produced, before anything is written.

    Attributes:
        environments: the environment specs that were built.
        outputs: one :class:`AppOutput` per environment and app, sorted.
        owned: the dist-relative folders this run is responsible for (stale files in them are removed);
            ``("",)`` means the whole of ``dist/``.
        warnings: things worth a look that do not stop synth.
    """

    environments: list[EnvironmentSpec]
    outputs: list[AppOutput]
    owned: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)
    readmes: dict[str, str] = field(default_factory=dict)
    """Environment READMEs already rendered (by the incremental synth), by environment name."""
    object_checks: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The library's per-object checks that ran over every object of each environment (and passed)."""

    def output(self, environment: str, app: str) -> AppOutput:
        for out in self.outputs:
            if out.environment == environment and out.app == app:
                return out
        raise KeyError(f"no output for app {app!r} in environment {environment!r}")

    @property
    def object_count(self) -> int:
        return sum(len(o.objects) for o in self.outputs)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a synth with fewer garbage collections, then put the collector back as it was.

    A synth allocates millions of small objects that live until it ends (manifests, models, records);
    CPython's default collector scans them again and again (a fifth of a synth's CPU time). Inside the
    block, the objects that exist (the imported library and apps, once :func:`freeze_now` is called) are
    left out of the scans, and a collection starts after 50,000 new objects instead of 700.
    """
    global _freezing
    threshold = gc.get_threshold()
    # A program that froze objects itself keeps them frozen: then synth freezes nothing (unfreezing is all or none).
    outer, owner = _freezing, not _freezing and not frozen_by_host and gc.get_freeze_count() == 0
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    _freezing = outer or owner
    if owner:
        gc.freeze()
    try:
        yield
    finally:
        _freezing = outer
        if owner:
            gc.unfreeze()
        gc.set_threshold(*threshold)


_freezing = False

frozen_by_host = False
"""Set by a process that froze its objects and then forks the processes that synthesize (the server, see
:mod:`cdk8s_gitops.server`): synth then neither counts the frozen objects (``gc.get_freeze_count`` walks them all,
which in a forked process copies every page they are on) nor freezes or unfreezes any."""


def settle_pair() -> None:
    """After a pair is built (within :func:`fewer_collections`, when it froze objects itself): collect the young
    generation, which holds the reference cycles the pair's build left (a scan of its new objects only), then
    leave what survived out of every later scan. Without this, the collector's older generations scanned all
    the manifests, models and records built so far, again and again (0.3 s of a 300-service synth)."""
    if _freezing:
        gc.collect(0)
        gc.freeze()


def freeze_now() -> None:
    """Leave every object that exists now out of the collector's scans (within :func:`fewer_collections`, when
    it froze objects itself)."""
    if _freezing:
        gc.freeze()


def build_chart(cdk_app: cdk8s.App, module: AppModule, settings: ResolvedAppSettings) -> GitOpsChart:
    """Create the chart of ``module`` for one environment and run its ``build(scope, env)``."""
    chart = GitOpsChart(
        cdk_app,
        f"{settings.environment}-{module.name}",
        app_name=module.name,
        namespace=settings.namespace,
        labels={INSTANCE: f"{module.name}-{settings.environment}"},
        environment=settings,
    )
    module.build(chart, settings)
    return chart


def select_pairs(project: Project, specs: list[EnvironmentSpec], apps: Sequence[str] | None) -> list[tuple[EnvironmentSpec, AppModule]]:
    modules = project.apps()
    problems: list[Problem] = []
    for name in apps or ():
        if name not in modules:
            problems.append(Problem("--app", "", f"no app named {name!r}", f"choose one of: {', '.join(modules) or '(none)'}"))
    pairs = []
    for spec in specs:
        env_file = f"{project.relative(project.environments_dir / spec.name)}.yaml"
        for app_name in spec.apps:
            if app_name not in modules:
                problems.append(Problem(env_file, f"apps.{app_name}", f"there is no app module for {app_name!r}",
                                        f"add apps/{app_name.replace('-', '_')}.py or remove the entry (apps: {', '.join(modules)})"))
        for app_name in sorted(spec.apps):
            if app_name in modules:
                pairs.append((spec, modules[app_name]))
    if problems:
        raise ConfigError(problems)
    return pairs


def build_pair(cdk_app: cdk8s.App, project: Project, spec: EnvironmentSpec, module: AppModule, *,
               debug: bool = False) -> tuple[AppOutput | None, GitOpsChart | None, list[Problem]]:
    """Build one app for one environment: its output and chart, or the problems that stopped it."""
    settings = spec.for_app(module.name)
    out = AppOutput(spec.name, module.name, settings, module)
    where = f"{project.relative(module.path)}, environment {spec.name}"
    try:
        chart = build_chart(cdk_app, module, settings)
        out.objects = collect_chart(chart, module.name)
    except (ManifestError, ConfigError) as exc:
        return None, None, _located(exc.problems, _app_line(exc, module, project, where))
    except ValidationError as exc:  # a pydantic model of the app's own: the same one-line problems
        return None, None, problems_from_validation_error(exc, exc.title, _app_line(exc, module, project, where))
    except GitOpsError as exc:
        return None, None, [Problem(f"app {module.name!r}", "", str(exc), "", _app_line(exc, module, project, where))]
    except Exception as exc:  # noqa: BLE001 - app code is user code: report, never a jsii traceback
        where = _app_line(exc, module, project, where)
        detail = "".join(traceback.format_exception(exc)) if debug else ""
        message = _short_error(exc)
        return None, None, [Problem(f"app {module.name!r}", "", f"build failed: {message}",
                                    "fix the app code" + ("" if debug else " (run with --debug for the traceback)") + detail, where)]
    return out, chart, []


def synthesize(
    project: Project,
    environments: Sequence[str] | None = None,
    apps: Sequence[str] | None = None,
    *,
    debug: bool = False,
) -> SynthResult:
    """Build every selected app for every selected environment and validate the result.

    ``apps`` limits what is returned (and written); every app of the selected environments is
    still built and checked, so that checks across apps see the whole environment.

    Raises :class:`ConfigError` for bad environment files or selections, and
    :class:`SynthError` listing every problem found (invalid models, failed cross-object
    checks, app code that raised) across all environments and apps at once.
    """
    with fewer_collections():
        return _synthesize(project, environments, apps, debug)


def _synthesize(project: Project, environments: Sequence[str] | None, apps: Sequence[str] | None,
                debug: bool) -> SynthResult:
    specs = load_environments(project.environments_dir, environments, root=project.root)
    pairs = select_pairs(project, specs, apps)
    freeze_now()  # the imported apps
    cdk_app = LazyApp()
    problems: list[Problem] = []
    outputs: list[AppOutput] = []
    charts: list[tuple[AppOutput, GitOpsChart | None]] = []
    warnings: list[str] = []
    for spec, module in pairs:
        out, chart, found = build_pair(cdk_app, project, spec, module, debug=debug)
        if found and apps and module.name not in apps:
            # Built only as context for the selected apps: its own failure is a warning here.
            warnings.extend(f"{p} (not selected; context for --app)" for p in found)
            continue
        problems.extend(found)
        if out is not None and chart is not None:
            outputs.append(out)
            charts.append((out, chart))
    return finish_synth(project, specs, environments, apps, cdk_app, outputs, charts, problems, warnings)


WIRING_FOLDER = RESERVED_APP
"""The folder of each environment's Argo CD wiring (``platform.argocd_wiring.WIRING_FOLDER``, which is imported
only when a wiring is built: a run that takes it from the cache does not load the Argo CD models)."""


def wiring_settings(spec: EnvironmentSpec) -> ResolvedAppSettings:
    """The settings the Argo CD wiring folder of ``spec`` is built and described with."""
    return spec.for_app(WIRING_FOLDER).model_copy(update={"namespace": spec.argocd.namespace})


def build_wiring_output(cdk_app: cdk8s.App, spec: EnvironmentSpec) -> tuple[AppOutput, GitOpsChart]:
    """Build the Argo CD objects that sync the folders of ``spec`` (``dist/<env>/argocd-apps``); raises
    :class:`ManifestError` or :class:`ConfigError` when they cannot be built."""
    from ..platform.argocd_wiring import build_wiring

    settings = wiring_settings(spec)
    out = AppOutput(spec.name, WIRING_FOLDER, settings, WIRING_MODULE)
    chart = GitOpsChart(cdk_app, f"{spec.name}-{WIRING_FOLDER}", app_name=WIRING_FOLDER,
                        namespace=spec.argocd.namespace, environment=settings)
    build_wiring(chart, spec, sorted(spec.apps))
    out.objects = collect_chart(chart, WIRING_FOLDER)
    return out, chart


Wiring = Callable[[EnvironmentSpec], tuple[AppOutput, "GitOpsChart | None"]]
"""Gives the wiring output of an environment and its chart (None when it comes from the cache)."""


def finish_synth(project: Project, specs: list[EnvironmentSpec], environments: Sequence[str] | None,
                 apps: Sequence[str] | None, cdk_app: cdk8s.App | None, outputs: list[AppOutput],
                 charts: list[tuple[AppOutput, GitOpsChart | None]], problems: list[Problem],
                 warnings: list[str], wiring: Wiring | None = None) -> SynthResult:
    """Add each environment's Argo CD wiring, run the cross-object checks over everything, and
    return the result (or raise :class:`SynthError` with every problem found, ``problems`` first).

    ``charts`` pairs each output with its chart, or with None when the output came from a worker
    process or the cache (such an app registered no chart-level checks). ``cdk_app`` is the App to
    build the wiring in; ``wiring`` replaces :func:`build_wiring_output` (then ``cdk_app`` may be None:
    the incremental synth takes an unchanged wiring from its cache)."""
    if not environments:  # a full run: name the app modules no environment lists
        warnings = [*_unlisted_apps(project, specs), *warnings]
    if wiring is None:
        if cdk_app is None:
            raise TypeError("finish_synth needs a cdk8s App or a wiring function")
        app = cdk_app

        def wiring(spec: EnvironmentSpec) -> tuple[AppOutput, GitOpsChart | None]:
            return build_wiring_output(app, spec)
    # The Argo CD objects that sync each environment's folders (dist/<env>/argocd-apps).
    for spec in specs:
        if not spec.argocd.enabled:
            continue
        try:
            out, chart = wiring(spec)
        except (ManifestError, ConfigError) as exc:
            problems.extend(_located(exc.problems, f"argocd wiring, environment {spec.name}"))
            continue
        outputs.append(out)
        charts.append((out, chart))

    # Cross-object checks, once per environment over everything it produced.
    dist_paths = _dist_paths(project, specs)
    by_env: dict[str, ObjectIndex] = {}
    for out in outputs:
        index = by_env.get(out.environment)
        if index is None:
            spec_of = next(s for s in specs if s.name == out.environment)
            index = by_env[out.environment] = ObjectIndex(out.environment, repo_url=spec_of.git.repo_url, dist_paths=dist_paths,
                                                          external_stores=external_stores(spec_of))
        index.extend(out.objects)
    context_only = {f"{o.environment}-{o.app}/" for o in outputs if apps and o.app not in apps and o.app != WIRING_FOLDER}
    files = {f"{o.environment}-{o.app}/": project.relative(o.module.path) for o in outputs if o.app != WIRING_FOLDER}
    for env_name, index in sorted(by_env.items()):
        for problem in run_checks(index, [chart for out, chart in charts if out.environment == env_name and chart is not None]):
            if any(problem.where.startswith(prefix) for prefix in context_only):
                continue  # about an app that is not selected: its own synth reports it
            problems.append(_with_file(problem, files))
    if problems:
        raise SynthError(problems)
    passed = {env_name: tuple(index.object_checks) for env_name, index in by_env.items()}
    if apps:  # every app was built so that the checks saw the whole environment; write only the selected ones
        outputs = [o for o in outputs if o.app in apps or o.app == WIRING_FOLDER]
    return SynthResult(specs, outputs, _owned(specs, environments, apps), warnings, object_checks=passed)


def external_stores(spec: EnvironmentSpec) -> frozenset[tuple[str, str]]:
    """The (kind, name) of every secret store ``spec`` (or one of its apps) declares as external."""
    stores = [spec.secret_store, *(app.secret_store for app in spec.apps.values())]
    return frozenset((s.kind, s.name) for s in stores if s is not None and s.external)


def _unlisted_apps(project: Project, specs: list[EnvironmentSpec]) -> list[str]:
    """A warning per app module that no environment lists (nothing is synthesized for it)."""
    envs = project.relative(project.environments_dir)
    return [f"{project.relative(module.path)}: app {name!r} is in no environment file, so nothing is synthesized "
            f"for it; list it under apps: in {envs}/<env>.yaml, or delete the module"
            for name, module in project.apps().items() if not any(name in spec.apps for spec in specs)]


def _dist_paths(project: Project, loaded: Sequence[EnvironmentSpec] = ()) -> frozenset[str]:
    """Every dist/ folder the project's environment files ask for (all environments, whatever the selection;
    the environments of ``loaded`` are not read again)."""
    from ..environment.loader import discover_environments, load_environment

    known = {spec.name: spec for spec in loaded}
    paths: set[str] = set()
    for name in discover_environments(project.environments_dir):
        try:
            spec = known.get(name) or load_environment(project.environments_dir / f"{name}.yaml", project.root)
        except ConfigError:
            continue  # a broken file not selected for this run; selected ones were already validated
        base = f"{spec.git.dist_path}/{spec.name}"
        paths.update(f"{base}/{app}" for app in spec.apps)
        if spec.argocd.enabled:
            paths.add(f"{base}/{WIRING_FOLDER}")
    return frozenset(paths)


WIRING_MODULE = AppModule(
    name=WIRING_FOLDER, path=Path(__file__), build=lambda scope, env: None, source="cdk8s_gitops.platform.argocd_wiring",
    description="The Argo CD objects that sync this environment: apply this folder once to bootstrap it.")


def run_checks(index: ObjectIndex, charts: Iterable[GitOpsChart]) -> list[Problem]:
    """Run the global checks and every check the charts registered; each failure carries its construct path."""
    problems: list[Problem] = []
    for check in global_checks({obj.kind for obj in index}):
        if is_object_check(check):  # objects from the cache passed it already (same library, same manifest)
            name = check_name(check)
            index.object_checks.append(name)
            problems.extend(check(index.unchecked(name)))
        else:
            problems.extend(check(index))
    for chart in charts:
        for owner, check in chart.checks:
            found = list(check(index))
            if found:
                path = construct_path(owner)
                problems.extend(Problem(p.subject, p.path, p.message, p.fix, p.where or path) for p in found)
    return problems


def _owned(specs: list[EnvironmentSpec], environments: Sequence[str] | None, apps: Sequence[str] | None) -> tuple[str, ...]:
    if not environments and not apps:
        return ("",)
    env_names = [s.name for s in specs]
    if not apps:
        return tuple(sorted(env_names))
    return tuple(sorted(f"{env}/{app}" for env in env_names for app in apps))


def _app_line(exc: BaseException, module: AppModule, project: Project, where: str) -> str:
    """``where`` with the app file's line that raised (the innermost frame in the module), when there is one."""
    line = None
    tb = exc.__traceback__
    target = str(module.path)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == target:
            line = tb.tb_lineno
        tb = tb.tb_next
    shown = project.relative(module.path)
    return where.replace(shown, f"{shown}:{line}", 1) if line is not None else where


def _with_file(problem: Problem, files: dict[str, str]) -> Problem:
    """A cross-object problem located by construct path also names the app file the construct comes from."""
    for prefix, file in files.items():
        if problem.where.startswith(prefix):
            return Problem(problem.subject, problem.path, problem.message, problem.fix, f"{file}: {problem.where}")
    return problem


def _located(problems: Iterable[Problem], where: str) -> list[Problem]:
    return [p if p.where else Problem(p.subject, p.path, p.message, p.fix, where) for p in problems]


def _short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    first = text[0] if text else ""
    # jsii wraps JavaScript errors in RuntimeError; the first line is the useful one.
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
