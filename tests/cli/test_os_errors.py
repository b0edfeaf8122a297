"""Operating-system errors and interruptions: a clear message, an exit code of their own, a true word on dist/."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk8s_gitops.cli import build_parser, main
from cdk8s_gitops.core.failures import (
    EXIT_CODES,
    EXIT_INTERRUPTED,
    EXIT_NO_SPACE,
    EXIT_OS_ERROR,
    EXIT_PERMISSION,
    EXIT_READ_ONLY,
    EXIT_TOO_LARGE,
    describe_os_error,
)
from cdk8s_gitops.synth import install
from cdk8s_gitops.synth.cache import CACHE_DIR

APP = '''from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"tag": env.image_tag("web")}))
'''

ENV = """name: {name}
git:
  repo_url: https://github.com/example/platform.git
apps:
  shop:
    images:
      web: {tag}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text(APP)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(ENV.format(name="dev", tag="v1.0.0"))
    return tmp_path


def tree(root: Path) -> dict[str, bytes]:
    """Every file under root with its bytes, except synth's incremental cache (not part of the output)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and CACHE_DIR not in p.relative_to(root).parts}


def bump(project: Path) -> None:
    path = project / "environments/dev.yaml"
    path.write_text(path.read_text().replace("v1.0.0", "v1.0.1"))


def failing_write(code: int):  # noqa: ANN202
    real = os.write

    def write(fd: int, data: bytes) -> int:
        if len(data) > 64:  # the file content, not the lock file's pid
            raise OSError(code, os.strerror(code))
        return real(fd, data)
    return write


class TestOsErrors:
    @pytest.mark.parametrize(("code", "exit_code", "words"), [
        (errno.ENOSPC, EXIT_NO_SPACE, "no space left"),
        (errno.EDQUOT, EXIT_NO_SPACE, "quota"),
        (errno.EROFS, EXIT_READ_ONLY, "read-only"),
        (errno.EFBIG, EXIT_TOO_LARGE, "file-size limit"),
        (errno.EACCES, EXIT_PERMISSION, "permission denied"),
        (errno.EIO, EXIT_OS_ERROR, "Input/output error"),
    ])
    def test_write_failure_is_a_clear_error_and_dist_is_unchanged(
            self, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            code: int, exit_code: int, words: str) -> None:
        """A failing write exits with the error's own code, names the file and the fix; dist/ and its folder are unchanged."""
        assert main(["-C", str(project), "synth"]) == 0
        before = tree(project)
        bump(project)
        monkeypatch.setattr(os, "write", failing_write(code))
        capsys.readouterr()
        assert main(["-C", str(project), "synth"]) == exit_code
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
        assert ".dist.cdk8s-staging-" in err  # the file that could not be written
        assert "dist/ was left unchanged." in err
        assert {k: v for k, v in tree(project).items() if not k.startswith("environments/")} == \
            {k: v for k, v in before.items() if not k.startswith("environments/")}
        assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]

    def test_every_exit_code_is_in_help(self) -> None:
        """--help lists every exit code with its meaning."""
        text = build_parser().format_help()
        for code, meaning in EXIT_CODES.items():
            assert f"{code:<4} {meaning}" in text

    def test_describe_names_both_paths(self) -> None:
        """A rename error names source and destination."""
        code, message = describe_os_error(OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b"))
        assert code == EXIT_OS_ERROR and "/a -> /b" in message


class TestRealFilesystems:
    def test_file_size_limit(self, project: Path) -> None:
        """Under `ulimit -f` too small for a manifest, synth exits 6 with the message (SIGXFSZ does not kill it)."""
        assert main(["-C", str(project), "synth"]) == 0
        before = tree(project / "dist")
        bump(project)
        child = (
            "import resource, sys\n"
            "import cdk8s  # jsii unpacks its runtime on import: done before the limit, as in a running shell\n"
            "from cdk8s_gitops.cli import main\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))\n"
            f"sys.exit(main(['-C', {str(project)!r}, 'synth']))\n"
        )
        proc = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, timeout=300)
        assert proc.returncode == EXIT_TOO_LARGE, proc.stderr
        assert "file-size limit" in proc.stderr and "ulimit -f" in proc.stderr and "Traceback" not in proc.stderr
        assert tree(project / "dist") == before

    @pytest.mark.parametrize(("options", "exit_code"), [("size=64k", EXIT_NO_SPACE), ("ro,size=64k", EXIT_READ_ONLY)])
    def test_full_and_read_only_tmpfs(self, project: Path, tmp_path_factory: pytest.TempPathFactory,
                                      options: str, exit_code: int) -> None:
        """On a real full (64 KiB tmpfs, a 200 KiB app) or read-only filesystem: the exit code, the message, no leftovers."""
        big = APP.replace('data={"tag": env.image_tag("web")}', 'data={f"k{i}": "x" * 2000 for i in range(100)}')
        (project / "apps/shop.py").write_text(big)
        mnt = tmp_path_factory.mktemp("mnt")
        if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(mnt)],
                                               capture_output=True).returncode != 0:
            pytest.skip("cannot mount a tmpfs here (needs root and mount rights)")
        try:
            proc = subprocess.run([sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(project), "synth",
                                   "--output", str(mnt / "out")], capture_output=True, text=True, timeout=300)
            assert proc.returncode == exit_code, proc.stderr
            assert "Traceback" not in proc.stderr and str(mnt) in proc.stderr
            assert "was left unchanged" in proc.stderr
            assert os.listdir(mnt) == []
        finally:
            subprocess.run(["umount", str(mnt)], check=True)


class TestInterrupt:
    def test_ctrl_c_before_the_swap(self, project: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
        """Ctrl-C while the new tree is staged: exit 130, 'left unchanged' is true, no staging left."""
        assert main(["-C", str(project), "synth"]) == 0
        before = tree(project / "dist")
        bump(project)

        def fault(step: str) -> None:
            if step == "staged":
                raise KeyboardInterrupt
        monkeypatch.setattr(install, "FAULT", fault)
        capsys.readouterr()
        assert main(["-C", str(project), "synth"]) == EXIT_INTERRUPTED
        assert "dist/ was left unchanged" in capsys.readouterr().err
        assert tree(project / "dist") == before
        assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]

    def test_late_ctrl_c_says_the_new_tree_is_in_place(self, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
        """Ctrl-C after the swap never claims dist/ was left as it was: it says the new output is there."""
        assert main(["-C", str(project), "synth"]) == 0
        bump(project)

        def fault(step: str) -> None:
            if step == "swapped":
                raise KeyboardInterrupt
        monkeypatch.setattr(install, "FAULT", fault)
        capsys.readouterr()
        assert main(["-C", str(project), "synth"]) == EXIT_INTERRUPTED
        err = capsys.readouterr().err
        assert "left unchanged" not in err and "left as it was" not in err
        assert "already holds the new output" in err
        assert "v1.0.1" in (project / "dist/dev/shop/manifest.yaml").read_text()

    def test_late_ctrl_c_in_set_image_keeps_the_environment_edit(self, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
        """set-image interrupted after dist/ was replaced keeps the edited file, so file and dist/ agree."""
        assert main(["-C", str(project), "synth"]) == 0

        def fault(step: str) -> None:
            if step == "swapped":
                raise KeyboardInterrupt
        monkeypatch.setattr(install, "FAULT", fault)
        assert main(["-C", str(project), "set-image", "shop", "v2.0.0", "--env", "dev"]) == EXIT_INTERRUPTED
        assert "web: v2.0.0" in (project / "environments/dev.yaml").read_text()
        assert "v2.0.0" in (project / "dist/dev/shop/manifest.yaml").read_text()
        assert "already holds the new output" in capsys.readouterr().err

    def test_early_ctrl_c_in_set_image_restores_the_file(self, project: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
        """set-image interrupted before the swap puts the environment file back and says so."""
        assert main(["-C", str(project), "synth"]) == 0
        before = tree(project)

        def fault(step: str) -> None:
            if step == "staged":
                raise KeyboardInterrupt
        monkeypatch.setattr(install, "FAULT", fault)
        assert main(["-C", str(project), "set-image", "shop", "v2.0.0", "--env", "dev"]) == EXIT_INTERRUPTED
        assert tree(project) == before
        err = capsys.readouterr().err
        assert "left unchanged" in err and "environment files were put back" in err


SIGNAL_CHILD = r'''
import os, signal, sys
from cdk8s_gitops.synth import install
step, project = sys.argv[1:3]
def fault(name):
    if name == step:
        os.kill(os.getpid(), signal.SIGTERM)
install.FAULT = fault
from cdk8s_gitops.cli import main
sys.exit(main(["-C", project, "synth"]))
'''


class TestTerminate:
    @pytest.mark.parametrize(("step", "words", "new"), [
        ("staged", "dist/ was left unchanged", False),
        ("exchanged", "already holds the new output", True),  # arrives while the swap holds signals back
    ])
    def test_sigterm_is_handled_like_ctrl_c(self, project: Path, step: str, words: str, new: bool) -> None:
        """A cancelled CI job (SIGTERM) exits 130 with a true message and no leftovers."""
        assert main(["-C", str(project), "synth"]) == 0
        before = tree(project / "dist")
        bump(project)
        proc = subprocess.run([sys.executable, "-c", SIGNAL_CHILD, step, str(project)], capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == EXIT_INTERRUPTED, proc.stderr
        assert words in proc.stderr
        assert ("v1.0.1" in (project / "dist/dev/shop/manifest.yaml").read_text()) is new
        if not new:
            assert tree(project / "dist") == before
        assert sorted(p.name for p in project.iterdir() if p.name != CACHE_DIR) == ["apps", "dist", "environments"]
