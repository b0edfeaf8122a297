"""set-image and promote: comment-preserving edits, refusals that leave files and dist/ alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdk8s_gitops.cli import main

APP = '''from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"tag": env.image_tag("web")}))
'''

DEV = """# Development environment.
name: dev
git:
  repo_url: https://github.com/example/platform.git   # the platform repository
image_policy:
  tag_pattern: '^(dev-[0-9a-f]{7}|v\\d+\\.\\d+\\.\\d+)$'
apps:
  shop:
    images:
      web: dev-1234567   # bumped by CI
"""

PROD = """name: production
git:
  repo_url: https://github.com/example/platform.git
image_policy:
  tag_pattern: '^v\\d+\\.\\d+\\.\\d+$'
apps:
  shop:
    images:
      web: v1.0.0
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "apps").mkdir()
    (tmp_path / "apps" / "shop.py").write_text(APP)
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.yaml").write_text(DEV)
    (tmp_path / "environments" / "production.yaml").write_text(PROD)
    assert main(["-C", str(tmp_path), "synth"]) == 0
    return tmp_path


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class TestSetImage:
    def test_keeps_comments_and_resynthesizes(self, project: Path) -> None:
        """Only the tag changes in the file (comments stay), and dist/ holds the new tag."""
        assert main(["-C", str(project), "set-image", "shop", "dev-89abcde", "--env", "dev"]) == 0
        text = (project / "environments/dev.yaml").read_text()
        assert text == DEV.replace("dev-1234567", "dev-89abcde")
        assert "tag: dev-89abcde" in (project / "dist/dev/shop/manifest.yaml").read_text()

    @pytest.mark.parametrize(("env", "tag", "expected"), [
        ("dev", "dev-123;rm -rf /", "is not a valid image tag"),
        ("dev", "$(reboot)", "is not a valid image tag"),
        ("production", "latest", "'latest' is a mutable tag"),
        ("production", "dev-89abcde", "does not match this environment's tag_pattern"),
    ])
    def test_refusals_change_nothing(self, project: Path, env: str, tag: str, expected: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
        """A refused tag exits 2 with the reason; neither environments/ nor dist/ changes."""
        before = tree(project)
        assert main(["-C", str(project), "set-image", "shop/web", tag, "--env", env]) == 2
        assert expected in capsys.readouterr().err
        assert tree(project) == before

    def test_same_tag_changes_nothing(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Setting the tag that is already there says so and writes nothing."""
        before = tree(project)
        assert main(["-C", str(project), "set-image", "shop", "dev-1234567", "--env", "dev"]) == 0
        assert "nothing to change" in capsys.readouterr().out
        assert tree(project) == before

    def test_unknown_app(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An app the environment does not list is refused, naming the apps it has."""
        assert main(["-C", str(project), "set-image", "cart", "dev-89abcde", "--env", "dev"]) == 2
        assert "choose one of: shop" in capsys.readouterr().err

    def test_failed_synth_restores_the_file(self, project: Path) -> None:
        """If synth fails after the edit, the environment file is put back and dist/ is unchanged."""
        (project / "apps/shop.py").write_text("def build(scope, env):\n    raise RuntimeError('broken app')\n")
        before = tree(project)
        assert main(["-C", str(project), "set-image", "shop", "dev-89abcde", "--env", "dev"]) == 1
        assert tree(project) == before


class TestPromote:
    def test_refuses_scheme_mismatch(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """dev-<sha> cannot go to a v<semver> production: refused with the set-image fix, nothing written."""
        before = tree(project)
        assert main(["-C", str(project), "promote", "--from", "dev", "--to", "production"]) == 2
        err = capsys.readouterr().err
        assert "cannot promote 'dev-1234567'" in err and "set-image shop/web" in err
        assert tree(project) == before

    def test_copies_compatible_tags(self, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A tag the target accepts is copied, printed, and synthesized."""
        assert main(["-C", str(project), "set-image", "shop", "v1.1.0", "--env", "dev"]) == 0
        capsys.readouterr()
        assert main(["-C", str(project), "promote", "--from", "dev", "--to", "production"]) == 0
        assert "production: shop/web: v1.0.0 -> v1.1.0" in capsys.readouterr().out
        assert "tag: v1.1.0" in (project / "dist/production/shop/manifest.yaml").read_text()
