"""set-image and promote edit only existing environment files, atomically, keeping their mode, under the lock."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from cdk8s_gitops.cli import main

from .test_edit import project  # noqa: F401 - the shared fixture (apps/shop.py, dev and production)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class TestEnvironmentNames:
    @pytest.mark.parametrize("name", ["../../elsewhere/file", "../apps/shop", "/etc/passwd", "dev.yaml", "nope", ""])
    def test_set_image_refuses_names_outside_environments(self, project: Path, tmp_path_factory: pytest.TempPathFactory,  # noqa: F811
                                                           capsys: pytest.CaptureFixture[str], name: str) -> None:
        """--env must name an existing environment: anything else exits 2 listing them, and no file changes."""
        outside = project.parent / "elsewhere"
        outside.mkdir(exist_ok=True)
        (outside / "file.yaml").write_text("name: file\napps:\n  shop:\n    images:\n      web: v1\n")
        before, before_outside = tree(project), tree(outside)
        assert main(["-C", str(project), "set-image", "shop", "v1.2.3", "--env", name]) == 2
        err = capsys.readouterr().err
        assert "no environment named" in err and "choose one of: dev, production" in err
        assert tree(project) == before and tree(outside) == before_outside

    def test_promote_refuses_unknown_environments(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
        """promote --to ../x is refused naming the flag and the environments."""
        before = tree(project)
        assert main(["-C", str(project), "promote", "--from", "dev", "--to", "../x"]) == 2
        err = capsys.readouterr().err
        assert "--to" in err and "choose one of: dev, production" in err
        assert tree(project) == before


class TestAtomicEdits:
    def test_mode_and_symlink_are_kept(self, project: Path) -> None:  # noqa: F811
        """The edited environment file keeps its mode; a symlinked one keeps its link."""
        env = project / "environments/dev.yaml"
        os.chmod(env, 0o600)
        assert main(["-C", str(project), "set-image", "shop", "dev-89abcde", "--env", "dev"]) == 0
        assert stat.S_IMODE(env.stat().st_mode) == 0o600 and "dev-89abcde" in env.read_text()
        real = project / "environments/.production.real"
        (project / "environments/production.yaml").rename(real)
        (project / "environments/production.yaml").symlink_to(real.name)
        assert main(["-C", str(project), "set-image", "shop", "v1.0.1", "--env", "production"]) == 0
        assert (project / "environments/production.yaml").is_symlink() and "v1.0.1" in real.read_text()
        assert not [p for p in (project / "environments").iterdir() if "cdk8s-tmp" in p.name]

    def test_set_image_refuses_a_missing_dist(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
        """set-image synthesizes one environment: without a full dist/ it refuses before editing anything."""
        import shutil

        shutil.rmtree(project / "dist")
        before = tree(project)
        assert main(["-C", str(project), "set-image", "shop", "dev-89abcde", "--env", "dev"]) == 3
        assert "full 'cdk8s-gitops synth'" in capsys.readouterr().err
        assert tree(project) == before
        assert main(["-C", str(project), "set-image", "shop", "dev-89abcde", "--env", "dev", "--no-synth"]) == 0
