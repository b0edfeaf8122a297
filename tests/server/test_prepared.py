"""What the synth server prepares before each command (from files only, never running project code): app modules
compiled, environments loaded with their apps' settings resolved. A changed file is never taken from what was
prepared."""

from __future__ import annotations

import importlib.machinery
import time
from pathlib import Path
from typing import Any

import pytest

from cdk8s_gitops.core import files
from cdk8s_gitops.environment import loader
from cdk8s_gitops.synth import project as project_module
from cdk8s_gitops.synth.project import Project

APP = '''"""shop."""
VALUE = {value}


def build(scope, env):
    pass
'''

ENV = "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\nreplicas: {replicas}\napps:\n  shop: {{}}\n"


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as settled at once (the tests need not wait 2 s); what was prepared is forgotten after."""
    monkeypatch.setattr(files, "SETTLED_NS", 0)
    monkeypatch.setattr(project_module, "_COMPILED", {})
    monkeypatch.setattr(loader, "_LOADED", {})
    monkeypatch.setattr(loader, "_RESOLVED", {})


def _no_import(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Any, module: Any) -> None:
        raise AssertionError(f"{module.__name__} was imported from its file")

    monkeypatch.setattr(importlib.machinery.SourceFileLoader, "exec_module", refuse)


def test_an_unchanged_app_runs_the_code_compiled_ahead(tmp_path: Path, settled: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text(APP.format(value=1))
    project_module.compile_apps(tmp_path / "apps")
    with monkeypatch.context() as patch:
        _no_import(patch)
        app = Project(tmp_path).apps()["shop"]
        assert app.build.__globals__["VALUE"] == 1 and app.description == "shop."
        assert app.build.__code__.co_filename == str(tmp_path / "apps" / "shop.py")


def test_a_changed_app_is_imported_from_its_file(tmp_path: Path, settled: None, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "apps" / "shop.py"
    source.parent.mkdir()
    source.write_text(APP.format(value=1))
    project_module.compile_apps(tmp_path / "apps")
    time.sleep(0.05)  # past the file system's clock tick
    source.write_text(APP.format(value=2))  # same size, in place
    assert Project(tmp_path).apps()["shop"].build.__globals__["VALUE"] == 2
    with monkeypatch.context() as patch:  # the new source is compiled on the next call, and then used
        project_module.compile_apps(tmp_path / "apps")
        _no_import(patch)
        assert Project(tmp_path).apps()["shop"].build.__globals__["VALUE"] == 2


def test_an_app_changed_moments_ago_is_not_compiled_ahead(tmp_path: Path, settled: None,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "SETTLED_NS", 10**12)
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text(APP.format(value=1))
    project_module.compile_apps(tmp_path / "apps")
    assert not project_module._COMPILED


def test_a_broken_app_is_left_to_the_import_to_report(tmp_path: Path, settled: None) -> None:
    from cdk8s_gitops import ConfigError

    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text("def build(scope, env:\n")
    project_module.compile_apps(tmp_path / "apps")
    with pytest.raises(ConfigError, match="failed to import: SyntaxError"):
        Project(tmp_path).apps()


def test_resolved_settings_are_made_ahead_and_follow_the_file(tmp_path: Path, settled: None) -> None:
    folder = tmp_path / "environments"
    folder.mkdir()
    (folder / "dev.yaml").write_text(ENV.format(replicas=2))
    loader.preload(folder, tmp_path)
    spec = loader.load_environment(folder / "dev.yaml", tmp_path)
    settings, text = loader.resolved(spec, "shop")
    assert settings == spec.for_app("shop") and text == spec.for_app("shop").model_dump_json()
    assert loader.resolved(spec, "shop")[0] is settings  # made once, ahead
    time.sleep(0.05)
    (folder / "dev.yaml").write_text(ENV.format(replicas=3))
    loader.preload(folder, tmp_path)
    again = loader.load_environment(folder / "dev.yaml", tmp_path)
    assert again is not spec and loader.resolved(again, "shop")[0].replicas == 3
    assert id(spec) not in loader._RESOLVED


def test_the_warm_up_builds_every_strategy_without_starting_node() -> None:
    """The server's warm-up builds a Microservice in each rollout strategy, in a scratch folder it removes, and never
    starts Node.js (a forked child must start its own)."""
    import json
    import os
    import subprocess
    import sys
    import tempfile

    scratch = Path(tempfile.mkdtemp())
    code = ("import json, sys, os; from pathlib import Path; from cdk8s_gitops.server.warm_up import warm_up; "
            "from cdk8s_gitops import _node; from cdk8s_gitops.synth.inputs import track_inputs\n"
            "with track_inputs() as reads:\n"
            f"    built = warm_up(Path({str(scratch)!r}) / 'cache')\n"
            "apps = [m for m in sys.modules if m.startswith('cdk8s_gitops_apps')]\n"
            "print(json.dumps([built, _node.node_started(), apps, sorted(reads.env)]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300,
                         env=dict(os.environ)).stdout
    built, started, apps, variables = json.loads(out.strip().splitlines()[-1])
    assert built >= 4 * 6  # each strategy: a workload, its Service, an HPA, a PDB, a route, a secret...
    assert started is False and apps == []
    assert os.listdir(scratch / "cache") == [".gitignore"]  # the scratch project is gone; the cache is never committed
    assert not {"TMPDIR", "TEMP", "TMP"} & set(variables)  # a command with another temporary folder is still served


def test_a_standby_the_system_refuses_is_no_standby(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the system refuses the fork (or the pair of sockets), the server goes on without a standby."""
    import socket

    from cdk8s_gitops.server import standby as module

    def refused(*_: Any) -> Any:
        raise OSError(12, "Cannot allocate memory")

    for target, name in ((module, "fork_held"), (socket, "socketpair")):
        with monkeypatch.context() as patch:
            patch.setattr(target, name, refused)
            waiting = module.Standby()
            waiting.start((), lambda *_: None)
            assert waiting.pid is None
            with socket.socket() as conn:
                assert waiting.take({}, [], conn) is None
