"""The command line: help, exit codes, and no Node.js noise."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from cdk8s_gitops.cli import main


class TestHelp:
    def test_no_command_prints_help_and_exits_2(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Running without a command shows the commands and exits with the usage code."""
        assert main([]) == 2
        out = capsys.readouterr().out
        for command in ("synth", "diff", "list"):
            assert command in out

    def test_synth_help_explains_options(self, capsys: pytest.CaptureFixture[str]) -> None:
        """synth --help documents selection, --check and the atomic behaviour."""
        with pytest.raises(SystemExit) as info:
            main(["synth", "--help"])
        assert info.value.code == 0
        out = capsys.readouterr().out
        assert "--check" in out and "--env" in out and "--app" in out and "Atomic" in out

    def test_unknown_app_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Selecting an app that does not exist exits 2 and lists the apps."""
        assert main(["-C", str(REPO), "synth", "--check", "--app", "nope"]) == 2
        assert "no app named 'nope'" in capsys.readouterr().err


class TestCommittedDist:
    def test_committed_dist_is_what_synth_produces(self) -> None:
        """The committed dist/ equals a fresh synth of apps/ and environments/ (synth --check exits 0)."""
        assert main(["-C", str(REPO), "synth", "--check"]) == 0


def _path_without_node() -> str:
    parts = []
    for part in os.environ.get("PATH", "").split(os.pathsep):
        if part and not (Path(part) / "node").exists():
            parts.append(part)
    return os.pathsep.join(parts)


class TestNode:
    def test_works_without_system_node_and_prints_no_warnings(self, tmp_path: Path) -> None:
        """With no node on PATH and JSII_NODE unset, the CLI uses the wheel's Node and prints no Node/jsii warning."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JSII_", "NODE_"))}
        env["PATH"] = _path_without_node()
        assert shutil.which("node", path=env["PATH"]) is None
        result = subprocess.run(
            [sys.executable, "-m", "cdk8s_gitops", "-C", str(REPO), "synth", "-o", str(tmp_path / "out")],
            env=env, capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert "warning" not in result.stdout.lower()

    def test_user_jsii_node_is_respected(self, tmp_path: Path) -> None:
        """An explicit JSII_NODE is kept (here a link to the same Node under another name)."""
        from cdk8s_gitops._node import wheel_node_path

        custom = tmp_path / "my-node"
        node = wheel_node_path()
        assert node is not None
        custom.symlink_to(node)
        code = "import os, cdk8s_gitops; print(os.environ['JSII_NODE'])"
        env = {**os.environ, "JSII_NODE": str(custom)}
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        assert result.stdout.strip() == str(custom)


class TestDeterminismOfTheRepository:
    def test_two_synths_under_different_seeds_and_zones_equal_the_committed_dist(self, tmp_path: Path) -> None:
        """The reference platforms synthesize to identical bytes under two hash seeds and time zones, equal to dist/."""
        def tree(root: Path) -> dict[str, bytes]:
            return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

        outputs = []
        for seed, tz in (("0", "UTC"), ("987654", "America/Santiago")):
            out = tmp_path / f"dist-{seed}"
            env = {**os.environ, "PYTHONHASHSEED": seed, "TZ": tz}
            result = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(REPO), "synth", "--no-cache", "-o", str(out)],
                                    env=env, capture_output=True, text=True, check=False)
            assert result.returncode == 0, result.stderr
            outputs.append(tree(out))
        assert outputs[0] == outputs[1]
        assert outputs[0] == tree(REPO / "dist")


class TestConsoleEntry:
    def test_exits_with_mains_code_after_freezing(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The command exits with main's code; it freezes what is alive first (the interpreter's last collection
        would walk the whole synthesized fleet again), which main called from a program never does."""
        import gc

        from cdk8s_gitops import cli
        from cdk8s_gitops.console import console

        frozen: list[bool] = []
        monkeypatch.setattr(cli, "main", lambda: 3)
        monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
        monkeypatch.setenv("CDK8S_GITOPS_SERVER", "off")
        with pytest.raises(SystemExit) as caught:
            console()
        assert caught.value.code == 3
        assert frozen == [True]

    def test_a_served_command_loads_only_what_hands_it_over(self) -> None:
        """The console module and the command's side of the server load neither the CLI nor typing, pathlib or
        pydantic: a served command starts in a few milliseconds."""
        code = ("import sys; import cdk8s_gitops.console; "
                "print(sorted(m for m in ('cdk8s_gitops.cli', 'cdk8s_gitops.server.process', 'typing', 'pathlib', "
                "'pydantic', 'contextlib', 'argparse') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ}).stdout
        assert out.strip() == "[]"
