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
- ``yaml_snapshot``: syrupy's ``snapshot`` storing one multi-document YAML file per test;
  a failure names the changed objects (kind, namespace, name) before the line diff. Needs
  syrupy, from the ``testing`` extra (``pip install 'cdk8s-gitops[testing]'``); without it,
  a test that asks for this fixture errors with that instruction and every other test runs.

Start-up cost: this module imports only pytest. cdk8s, jsii, pydantic and syrupy load when a
fixture is first used, so installing the package never slows down or breaks ``pytest``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

__all__ = ["MISSING_SYRUPY", "pytest_addoption"]


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


#: What a test that uses ``yaml_snapshot`` prints when syrupy is not installed.
MISSING_SYRUPY = ("the yaml_snapshot fixture needs syrupy, which is not installed; install the testing extra: "
                  "pip install 'cdk8s-gitops[testing]' (or add syrupy to your test dependencies)")


@pytest.fixture
def yaml_snapshot(request: pytest.FixtureRequest) -> Any:
    """syrupy's snapshot, stored as readable YAML files (needs the ``testing`` extra)."""
    try:
        from cdk8s_gitops.testing.snapshot import YamlSnapshotExtension
    except ImportError:
        pytest.fail(MISSING_SYRUPY, pytrace=False)
    return request.getfixturevalue("snapshot").use_extension(YamlSnapshotExtension)
