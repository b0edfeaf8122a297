"""Build and validate one chart in isolation, for unit tests of constructs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..core.chart import GitOpsChart
from ..core.errors import ConfigError, ManifestError, SynthError
from ..core.lazy import LazyApp
from ..core.validation import ObjectIndex
from ..environment.spec import EnvironmentSpec, ResolvedAppSettings

__all__ = ["make_settings", "synth_chart"]


def make_settings(app: str = "test", environment: str = "test", **fields: Any) -> ResolvedAppSettings:
    """Settings for ``app`` in a throwaway environment; ``fields`` are EnvironmentSpec keys (snake_case)."""
    data: dict[str, Any] = {"name": environment, "git": {"repo_url": "https://github.com/example/platform.git"}}
    data.update(fields)
    data.setdefault("apps", {}).setdefault(app, {})
    try:
        spec = EnvironmentSpec.model_validate(data)
    except ManifestError as exc:  # named after the settings, as an environment file's errors name the file
        subject = f"environment {environment!r} (test settings)"
        raise ConfigError([replace(problem, subject=subject) for problem in exc.problems]) from None
    return spec.for_app(app)


def synth_chart(build: Callable[[Any, ResolvedAppSettings], Any], app: str = "test", environment: str = "test",
                **fields: Any) -> list[dict[str, Any]]:
    """Run ``build(scope, env)`` in a fresh chart; return its manifests after the synth checks.

    Raises :class:`SynthError` when a cross-object check fails, as ``cdk8s-gitops synth`` would.
    """
    from ..synth.build import collect_chart, run_checks

    settings = make_settings(app, environment, **fields)
    chart = GitOpsChart(LazyApp(), f"{environment}-{app}", app_name=app, namespace=settings.namespace,
                        environment=settings)
    build(chart, settings)
    objects = collect_chart(chart, app)
    index = ObjectIndex(environment)
    for obj in objects:
        index.add(obj)
    problems = run_checks(index, [chart])
    if problems:
        raise SynthError(problems)
    return [dict(o.manifest) for o in objects]
