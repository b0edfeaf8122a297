"""``cdk8s-gitops serve``: a command served by the warm server behaves as the same command in its own process.

Each test starts a real server (``cdk8s-gitops serve``) for a throwaway project and runs real commands
beside it, comparing their output, exit code and ``dist/`` with the same command run with the server bypassed
(``CDK8S_GITOPS_SERVER=off``). The server's log says which commands it served: that is how the tests know a command
did not silently run in its own process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cdk8s_gitops import server
from cdk8s_gitops.server import process

from ..synth.conftest import ENV, snapshot_tree

COMMAND = Path(sys.executable).with_name("cdk8s-gitops")
"""The console command, as users run it (``python -m`` puts the working folder first on sys.path, so a server and a
command started from different folders would not share their path)."""

pytestmark = [pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="the server needs fork()"),
              pytest.mark.skipif(not COMMAND.exists(), reason="the cdk8s-gitops command is not installed beside Python")]

APP = '''"""shop: a config map that shows what the build saw."""
import os
import time
import warnings
from pathlib import Path

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    marker = os.environ.get("SLOW_MARKER")
    if marker:  # say so, then wait (at most a minute) for the test to create <marker>.go
        Path(marker).write_text(str(os.getpgrp()))
        for _ in range(600):
            if Path(marker + ".go").exists():
                break
            time.sleep(0.1)
    if os.environ.get("WARN"):
        warnings.warn("shop has something to say")
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={
        "tag": env.image_tag("web"), "who": os.environ.get("WHO", "nobody")}))
'''


def run(project: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMMAND), *args], cwd=cwd or project, capture_output=True,
                          text=True, input=stdin, timeout=300, env={**os.environ, **(env or {})})


class Server:
    def __init__(self, project: Path, *options: str) -> None:
        self.project = project
        self.log = project / "server.log"
        self.proc = subprocess.Popen([str(COMMAND), "serve", "--idle", "10", *options], cwd=project,
                                     stderr=self.log.open("w"), stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not server.socket_path(project).exists():
            assert self.proc.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def served(self, expected: int = 0) -> list[str]:
        """The commands the server logged as served, once there are ``expected`` (it logs a command when it reaps its
        child, which may be just after the command itself ended)."""
        deadline = time.monotonic() + 30
        while True:
            lines = [line for line in self.log.read_text().splitlines() if line.startswith("served ")]
            if len(lines) >= expected or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Server]:
    """A server for a project with one app (shop) in dev and production."""
    project = tmp_path / "project"
    (project / "apps").mkdir(parents=True)
    (project / "apps" / "shop.py").write_text(APP)
    (project / "environments").mkdir()
    for name, replicas in (("dev", 1), ("production", 3)):
        (project / "environments" / f"{name}.yaml").write_text(ENV.format(name=name, replicas=replicas))
    started = Server(project)
    try:
        yield started
    finally:
        if started.proc.poll() is None:
            started.proc.send_signal(signal.SIGTERM)
            started.proc.wait(timeout=60)
        assert not server.socket_path(project).exists()


def test_synth_is_served_with_the_same_output(served: Server, tmp_path: Path) -> None:
    """synth through the server: the same stdout, exit code and dist/ as in its own process; the server logs it."""
    project = served.project
    own = run(project, "synth", "--no-cache", "--output", str(tmp_path / "own"), env={"CDK8S_GITOPS_SERVER": "off"})
    through = run(project, "synth", "--no-cache", "--output", str(tmp_path / "through"))
    assert (through.returncode, through.stdout.replace("through/", "own/"), through.stderr) == (own.returncode, own.stdout, own.stderr)
    assert own.returncode == 0 and "dev/shop" in snapshot_tree(tmp_path / "own").__repr__()
    assert snapshot_tree(tmp_path / "through") == snapshot_tree(tmp_path / "own")
    log = served.served(1)
    assert len(log) == 1 and "synth --no-cache --output" in log[0] and log[0].endswith("exit 0")


def test_errors_and_exit_codes_come_through(served: Server) -> None:
    """A broken environment file: the same message on stderr and exit code 2; dist/ untouched."""
    project = served.project
    assert run(project, "synth").returncode == 0
    before = snapshot_tree(project / "dist")
    (project / "environments" / "dev.yaml").write_text("name: dev\nreplicas: many\n")
    own = run(project, "synth", env={"CDK8S_GITOPS_SERVER": "off"})
    through = run(project, "synth")
    assert own.returncode == through.returncode == 2
    assert through.stderr == own.stderr and "replicas" in through.stderr
    assert snapshot_tree(project / "dist") == before
    assert [line.rsplit(":", 1)[1] for line in served.served(2)] == [" exit 0", " exit 2"]


def test_the_command_s_environment_and_folder_are_used(served: Server) -> None:
    """The child builds with the command's environment (not the server's) and from the command's working folder."""
    project = served.project
    result = run(project, "synth", env={"WHO": "alice"}, cwd=project / "apps")
    assert result.returncode == 0, result.stderr
    assert "who: alice" in (project / "dist/dev/shop/manifest.yaml").read_text()
    assert run(project, "synth", env={"WHO": "bob"}).returncode == 0
    assert "who: bob" in (project / "dist/dev/shop/manifest.yaml").read_text()
    assert len(served.served(2)) == 2


def test_standard_input_comes_through(served: Server) -> None:
    """convert - reads the command's standard input."""
    project = served.project
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  level: debug\n"
    own = run(project, "convert", "-", "--app", "extra", "--dry-run", stdin=manifest, env={"CDK8S_GITOPS_SERVER": "off"})
    through = run(project, "convert", "-", "--app", "extra", "--dry-run", stdin=manifest)
    assert (through.returncode, through.stdout, through.stderr) == (own.returncode, own.stdout, own.stderr)
    assert own.returncode == 0 and 'data={"level": "debug"}' in own.stdout
    assert len(served.served(1)) == 1


def test_another_python_path_runs_the_command_itself(served: Server, tmp_path: Path) -> None:
    """A command whose sys.path differs is refused with a note and runs in its own process, with the same result."""
    project = served.project
    result = run(project, "synth", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 0
    assert "server did not take this command" in result.stderr and "sys.path" in result.stderr
    assert served.served() == []
    assert (project / "dist/dev/shop/manifest.yaml").exists()


def building(project: Path, marker: Path, line: str | None = None) -> subprocess.Popen[str]:
    """``cdk8s-gitops synth`` (or the shell ``line``) started with the app waiting in its build (see APP), once the
    app says it is there."""
    argv = ["sh", "-c", line] if line else [str(COMMAND), "synth"]
    command = subprocess.Popen(argv, cwd=project, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "SLOW_MARKER": str(marker)})
    deadline = time.monotonic() + 120
    while not marker.exists() or not marker.read_text():
        assert command.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    return command


def bump(project: Path, tag: str) -> None:
    dev = project / "environments" / "dev.yaml"
    dev.write_text(dev.read_text().replace("v1.0.1", tag))


def test_ctrl_c_reaches_the_served_command(served: Server, tmp_path: Path) -> None:
    """SIGINT to the command interrupts the child building for it: exit 130, dist/ as it was."""
    project = served.project
    assert run(project, "synth").returncode == 0
    before = snapshot_tree(project / "dist")
    bump(project, "v1.0.7")
    command = building(project, tmp_path / "building")
    command.send_signal(signal.SIGINT)
    _out, err = command.communicate(timeout=60)
    assert command.returncode == 130, err
    assert snapshot_tree(project / "dist") == before
    assert served.served(2)[-1].endswith("exit 130")


def test_the_command_outlives_a_killed_server(served: Server, tmp_path: Path) -> None:
    """kill -9 on the server while a command runs: the command still gets its child's own exit code (here 130 from
    Ctrl-C, passed on to the child directly), and dist/ is as it was."""
    project = served.project
    command = building(project, tmp_path / "building")
    served.proc.kill()
    served.proc.wait(timeout=60)
    command.send_signal(signal.SIGINT)
    _out, err = command.communicate(timeout=60)
    assert command.returncode == 130, err
    assert "server stopped" not in err
    assert not (project / "dist").exists()
    server.socket_path(project).unlink()  # a killed server leaves its socket: commands then run in their own process
    assert run(project, "synth").returncode == 0


def test_serve_stop(served: Server) -> None:
    """serve --stop ends the server; commands then run in their own process."""
    project = served.project
    stopped = run(project, "serve", "--stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    served.proc.wait(timeout=60)
    assert not server.socket_path(project).exists()
    assert run(project, "synth").returncode == 0
    assert run(project, "serve", "--stop").returncode == 1


def test_a_changed_library_is_not_served(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server compares the library's state before each command: touched files are re-checked by their content;
    a changed fingerprint means stale (the server then stops)."""
    loaded = process._Loaded.__new__(process._Loaded)
    loaded.state, loaded.fingerprint = ["old"], "same"
    monkeypatch.setattr(process, "_library_state", lambda: ["touched"])
    monkeypatch.setattr(process, "_fingerprint", lambda: "same")
    assert not loaded.stale() and loaded.state == ["touched"]
    monkeypatch.setattr(process, "_library_state", lambda: ["edited"])
    monkeypatch.setattr(process, "_fingerprint", lambda: "other")
    assert loaded.stale()
    monkeypatch.setattr(process, "_library_state", lambda: ["touched"])
    assert not loaded.stale()


def test_refusals_name_the_difference() -> None:
    """Python, sys.path and variables the library read while loading must match the server's."""
    loaded = process._Loaded.__new__(process._Loaded)
    loaded.executable, loaded.path = "/py", ["/a"]
    loaded.variables, loaded.whole_environment = {"CDK8S_GITOPS_EAGER_NODE": None}, False
    loaded.startup = process._startup([0], [], {})
    base = {"executable": "/py", "path": ["/a"], "env": {}, "flags": [0], "warnoptions": []}
    assert loaded.refusal(base) is None
    assert "runs /py" in str(loaded.refusal({**base, "executable": "/other"}))
    assert "sys.path" in str(loaded.refusal({**base, "path": ["/b"]}))
    assert "CDK8S_GITOPS_EAGER_NODE" in str(loaded.refusal({**base, "env": {"CDK8S_GITOPS_EAGER_NODE": "1"}}))


def test_closed_streams_run_the_command_itself(served: Server) -> None:
    """A command with standard output or input closed is not handed over (the socket would take the free descriptor,
    or the child would have no stream): it runs in its own process, exactly as without a server, and never hangs."""
    project = served.project
    for redirect, args in ((">&-", "list"), ("2>&-", "list"), ("<&-", "convert - --app extra --dry-run")):
        line = f"exec {COMMAND} {args} {redirect}"
        own = subprocess.run(["sh", "-c", line], cwd=project, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "CDK8S_GITOPS_SERVER": "off"})
        through = subprocess.run(["sh", "-c", line], cwd=project, capture_output=True, text=True, timeout=120)
        assert (through.returncode, through.stderr) == (own.returncode, own.stderr), redirect
    assert served.served() == []


def test_app_warnings_show_as_in_their_own_process(served: Server) -> None:
    """A warning an app raises is shown on stderr, served or not (detect-secrets, loaded ahead by the server, would
    otherwise have sent it to logging). Python shows a warning once per place in the code; in its own process it may
    show again after detect-secrets' first import (requests adds warning filters, which resets that record), so the
    test counts no more than that."""
    project = served.project
    own = run(project, "synth", "--no-cache", "--check", env={"WARN": "1", "CDK8S_GITOPS_SERVER": "off"})
    through = run(project, "synth", "--no-cache", "--check", env={"WARN": "1"})
    shown = "UserWarning: shop has something to say"
    assert shown in own.stderr and shown in through.stderr
    assert (through.returncode, through.stdout) == (own.returncode, own.stdout)
    assert len(served.served(1)) == 1


def test_other_python_settings_run_the_command_itself(served: Server) -> None:
    """PYTHONWARNINGS (like -O, a hash seed or unbuffered output) acts when Python starts: a command started with
    another is refused with a note and runs in its own process, where warnings become errors as asked."""
    project = served.project
    result = run(project, "synth", env={"WARN": "1", "PYTHONWARNINGS": "error"})
    assert "Python started with other settings (PYTHONWARNINGS, sys.warnoptions)" in result.stderr
    assert result.returncode == 1 and "shop has something to say" in result.stderr
    assert served.served() == []


def test_ignored_hang_up_stays_ignored(served: Server, tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored) a hang-up neither stops the command nor reaches its child; the child runs in
    a process group of its own, not the server's, and as long as it needs."""
    project = served.project
    marker = tmp_path / "building"
    command = building(project, marker, f"trap '' HUP; exec {COMMAND} synth")
    assert int(marker.read_text()) != os.getpgid(served.proc.pid)
    command.send_signal(signal.SIGHUP)
    time.sleep(3)  # longer than the server's timeout for reading a request: the child must not take it as its own
    Path(f"{marker}.go").write_text("")
    _out, err = command.communicate(timeout=120)
    assert command.returncode == 0, err
    assert (project / "dist/dev/shop/manifest.yaml").exists()


def test_a_killed_command_stops_its_child(served: Server, tmp_path: Path) -> None:
    """kill -9 on the command: its child is interrupted as by Ctrl-C (exit 130), and dist/ is left as it was."""
    project = served.project
    assert run(project, "synth").returncode == 0
    before = snapshot_tree(project / "dist")
    bump(project, "v1.0.6")
    marker = tmp_path / "building"
    command = building(project, marker)
    command.kill()
    command.wait(timeout=60)
    assert served.served(2)[-1].endswith("exit 130")
    Path(f"{marker}.go").write_text("")
    assert snapshot_tree(project / "dist") == before


def test_commands_are_served_by_processes_forked_ahead(served: Server, tmp_path: Path) -> None:
    """While idle, the server forks the next command's process ahead; it reads again what changed on disk since (a
    record and dist/ rewritten by a run in its own process, an edited environment), so its output is a fresh one."""
    project = served.project
    assert run(project, "synth").returncode == 0
    assert "(forked ahead)" in served.served(1)[-1]
    env_file = project / "environments" / "dev.yaml"
    env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.4"))
    assert run(project, "synth", env={"CDK8S_GITOPS_SERVER": "off"}).returncode == 0  # records and dist/ change
    time.sleep(0.05)
    env_file.write_text(env_file.read_text().replace("v1.0.4", "v1.0.5"))
    through = run(project, "synth")
    assert through.returncode == 0, through.stderr
    assert "(forked ahead)" in served.served(2)[-1]
    assert "tag: v1.0.5" in (project / "dist" / "dev" / "shop" / "manifest.yaml").read_text()
    fresh = run(project, "synth", "--no-cache", "--output", str(tmp_path / "fresh"), env={"CDK8S_GITOPS_SERVER": "off"})
    assert fresh.returncode == 0
    assert snapshot_tree(tmp_path / "fresh") == snapshot_tree(project / "dist")


def test_a_standby_that_is_gone_is_replaced(served: Server) -> None:
    """A standby killed while it waits is reaped and replaced by another; the next command is served by it."""
    project = served.project
    assert run(project, "synth").returncode == 0
    served.served(1)
    killed = _kill_standby(served)
    assert _standby(served) not in (None, killed)
    again = run(project, "synth", "--check")
    assert again.returncode == 0, again.stderr
    lines = served.served(2)
    assert len(lines) == 2 and "(forked ahead)" in lines[-1]


def test_warming_stops_when_a_command_comes(tmp_path: Path) -> None:
    """The standby touches every record kept parsed, unless a command is waiting: then it stops at once."""
    from cdk8s_gitops.server.standby import warm
    from cdk8s_gitops.synth import cache
    from cdk8s_gitops.synth.records import PairRecord

    (tmp_path / "dev").mkdir()
    for i in range(3):
        record = PairRecord("dev", f"app{i}", "k", manifests=[{"kind": "ConfigMap", "metadata": {"name": "x"}}],
                                  typed=[False], files={"manifest.yaml": "kind: ConfigMap\n"})
        cache.RecordStore(tmp_path).save(record)
    try:
        assert cache.preload(tmp_path) == 3
        assert warm(lambda: False) == 3
        assert warm(lambda: True) == 0
    finally:
        for path in list(cache._PRELOADED):
            del cache._PRELOADED[path]


INTERRUPTED_AT_ONCE = """
import signal, sys
sys.path[0] = {bin!r}  # the console command's path, as the server's: else the server would not serve it
from cdk8s_gitops.server import client

def found(self, pid, original=client._Relay.found):  # Ctrl-C came before the server answered
    self.pending.append(int(signal.SIGINT))
    original(self, pid)

client._Relay.found = found
print("exit", client.forward(sys.argv[1:]))
"""


def _standby(served: Server) -> int | None:
    """The pid of an idle server's standby (its only child), once there is one (None after 30 s)."""
    children = Path(f"/proc/{served.proc.pid}/task/{served.proc.pid}/children")
    if not children.exists():
        pytest.skip("needs Linux's /proc/<pid>/task/<pid>/children to find the standby")
    deadline = time.monotonic() + 30
    while not (kids := children.read_text().split()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return int(kids[0]) if kids else None


def _kill_standby(served: Server) -> int:
    """Kill an idle server's standby; returns its pid once the server has reaped it."""
    pid = _standby(served)
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return pid


@pytest.mark.parametrize("ahead", [True, False], ids=["forked-ahead", "forked-then"])
def test_ctrl_c_as_the_command_starts_is_not_lost(served: Server, tmp_path: Path, ahead: bool) -> None:
    """A Ctrl-C the command passes on the moment it learns its child (one pressed before the server answered) is
    held until the child has set itself up, then delivered: the command ends with 130 and dist/ is unchanged."""
    if not ahead:  # a server that forks each command's process when the command comes
        served.proc.send_signal(signal.SIGTERM)
        served.proc.wait(timeout=60)
        served = Server(served.project, "--no-fork-ahead")
    try:
        _interrupted_at_once(served, tmp_path, ahead)
    finally:
        if served.proc.poll() is None:
            served.proc.send_signal(signal.SIGTERM)
            served.proc.wait(timeout=60)


def _interrupted_at_once(served: Server, tmp_path: Path, ahead: bool) -> None:
    project = served.project
    assert run(project, "synth").returncode == 0
    served.served(1)
    before = snapshot_tree(project / "dist")
    env_file = project / "environments" / "dev.yaml"
    env_file.write_text(env_file.read_text().replace("v1.0.1", "v1.0.6"))
    script = tmp_path / "interrupted.py"
    script.write_text(INTERRUPTED_AT_ONCE.format(bin=str(COMMAND.parent)))
    python = COMMAND.read_text().splitlines()[0].removeprefix("#!")  # the console command's interpreter
    for attempt in range(3):
        done = subprocess.run([python, str(script), "synth"], cwd=project, capture_output=True, text=True, timeout=300)
        assert "exit 130" in done.stdout, done.stdout + done.stderr
        assert "interrupted" in done.stderr and "synthesized" not in done.stdout
        assert snapshot_tree(project / "dist") == before
        line = served.served(attempt + 2)[-1]
        assert line.endswith("exit 130") and ("(forked ahead)" in line) == ahead
