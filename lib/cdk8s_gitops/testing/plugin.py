"""pytest plugin (registered through the ``pytest11`` entry point): fixtures for testing apps and constructs.

Installed with the package, so a downstream repository gets these fixtures by
``pip install cdk8s-gitops``:

- ``gitops_project``: the :class:`~cdk8s_gitops.synth.Project` at the pytest root
  (override the folder with the ini option ``cdk8s_gitops_project``).
- ``synth_app(app, env)``: synthesize one app for one environment; returns an
  :class:`~cdk8s_gitops.synth.AppOutput` (``.manifests``, ``.objects``), validated
  like ``cdk8s-gitops synth`` validates.
- ``synth_chart(build, **settings)``: run a ``build(scope, env)`` function in a fresh
  chart with test settings; returns the list of manifests, validated.
- ``yaml_snapshot``: syrupy's ``snapshot`` storing one multi-document YAML file per test.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

__all__ = ["pytest_addoption"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("cdk8s_gitops_project", "repository root holding apps/ and environments/ (default: pytest rootdir)", default="")


@pytest.fixture(scope="session")
def gitops_project(pytestconfig: pytest.Config) -> Any:
    """The project whose apps and environments the tests synthesize."""
    from cdk8s_gitops.synth import Project

    configured = pytestconfig.getini("cdk8s_gitops_project")
    root = Path(pytestconfig.rootpath, configured) if configured else Path(pytestconfig.rootpath)
    return Project(root=root)


@pytest.fixture(scope="session")
def synth_app(gitops_project: Any) -> Callable[[str, str], Any]:
    """``synth_app(app, env)``: the app's output in that environment (cached per session)."""
    from cdk8s_gitops.synth import synthesize

    cache: dict[tuple[str, str], Any] = {}

    def run(app: str, env: str) -> Any:
        if (app, env) not in cache:
            result = synthesize(gitops_project, [env], [app])
            cache[(app, env)] = result.output(env, app)
        return cache[(app, env)]

    return run


@pytest.fixture
def synth_chart() -> Callable[..., list[dict[str, Any]]]:
    """``synth_chart(build, app="test", environment="test", **env_fields)``: manifests of one chart."""
    from cdk8s_gitops.testing.harness import synth_chart as run

    return run


@pytest.fixture
def yaml_snapshot(snapshot: Any) -> Any:
    """syrupy's snapshot, stored as readable YAML files."""
    from cdk8s_gitops.testing.snapshot import YamlSnapshotExtension

    return snapshot.use_extension(YamlSnapshotExtension)
