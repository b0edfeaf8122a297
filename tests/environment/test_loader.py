"""Environment files: loading, validation, and errors that name the file and key path."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import REPO

from cdk8s_gitops import ConfigError, ManifestError
from cdk8s_gitops.core import files
from cdk8s_gitops.environment import load_environment, load_environments

MINIMAL = "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\n"


def write(tmp_path: Path, text: str, name: str = "dev") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


class TestLoadEnvironment:
    def test_committed_environments_load(self) -> None:
        """dev, staging and production in environments/ are valid."""
        specs = load_environments(REPO / "environments")
        assert [s.name for s in specs] == ["dev", "production", "staging"]

    def test_defaults(self, tmp_path: Path) -> None:
        """A minimal file gets documented defaults: in-cluster, rolling, automated sync, one replica."""
        spec = load_environment(write(tmp_path, MINIMAL))
        assert spec.cluster.server == "https://kubernetes.default.svc"
        assert spec.rollout.strategy == "rolling"
        assert spec.sync.automated and spec.sync.prune and spec.sync.self_heal
        assert spec.replicas == 1
        assert spec.autoscaling is None

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("name: dev\ngit: [\n", "invalid YAML"),
            ("", "the file is empty"),
            ("- a\n- b\n", "expected a mapping at the top level, got a list"),
            (MINIMAL + "colour: blue\n", "colour: unknown field"),
            (MINIMAL + "replicas: '3'\n", "replicas: Input should be a valid integer, got '3'"),
            (MINIMAL + "autoscaling: {min_replicas: 2, max_replicas: 1}\n",
             "autoscaling.max_replicas: must be at least min_replicas (2), got 1"),
            (MINIMAL + "apps:\n  shop:\n    images:\n      web: 'v1;rm -rf /'\n",
             "apps.shop.images.web: 'v1;rm -rf /' is not a valid image tag"),
            (MINIMAL + "apps:\n  shop:\n    images:\n      web: '$(curl evil)'\n", "is not a valid image tag"),
            (MINIMAL + "apps:\n  shop:\n    images:\n      web: latest\n", "'latest' is a mutable tag"),
            (MINIMAL + "replicas: 1\nreplicas: 2\n", "duplicate key 'replicas'"),
            ("name: staging\ngit:\n  repo_url: https://github.com/x/y.git\n", "name: is 'staging' but the file is dev.yaml"),
            (MINIMAL + "rollout:\n  strategy: canary\n  canary:\n    steps:\n      - set_weight: 10\n        pause: 1m\n",
             "a step needs exactly one of set_weight, pause or analysis"),
            (MINIMAL + "rollout:\n  strategy: canary\n  canary:\n    steps:\n      - pause: soon\n", "'soon' is not a duration"),
            (MINIMAL + "image_policy:\n  tag_pattern: '(['\n", "is not a valid regular expression"),
            (MINIMAL + "namespace_scheme: '{team}-{env}'\n", "may only use the placeholders"),
        ],
    )
    def test_errors_name_file_and_key(self, tmp_path: Path, text: str, expected: str) -> None:
        """Each broken file gives a ConfigError naming the file and the problem, never a traceback."""
        path = write(tmp_path, text)
        with pytest.raises(ConfigError) as info:
            load_environment(path)
        message = str(info.value)
        assert str(path) in message
        assert expected in message

    def test_tag_pattern_enforced(self, tmp_path: Path) -> None:
        """A tag outside the environment's tag_pattern is refused, naming the pattern."""
        text = MINIMAL + "image_policy:\n  tag_pattern: '^v\\d+\\.\\d+\\.\\d+$'\napps:\n  shop:\n    images:\n      web: dev-abc1234\n"
        with pytest.raises(ConfigError, match=r"does not match this environment's tag_pattern"):
            load_environment(write(tmp_path, text))

    def test_all_broken_files_reported_together(self, tmp_path: Path) -> None:
        """load_environments reports every broken file at once."""
        write(tmp_path, "", "dev")
        write(tmp_path, "- x\n", "staging")
        with pytest.raises(ConfigError) as info:
            load_environments(tmp_path)
        assert len(info.value.problems) == 2

    def test_unknown_environment_lists_known(self, tmp_path: Path) -> None:
        """Asking for an environment that has no file lists the ones that exist."""
        write(tmp_path, MINIMAL)
        with pytest.raises(ConfigError, match="choose one of: dev"):
            load_environments(tmp_path, ["prod"])


class TestForApp:
    def test_app_overrides_environment_defaults(self, tmp_path: Path) -> None:
        """Per-app settings override the environment's values for that app only."""
        text = MINIMAL + (
            "replicas: 2\nautoscaling: {min_replicas: 2, max_replicas: 5}\n"
            "apps:\n  a:\n    replicas: 4\n    autoscaling_disabled: true\n    rollout: {strategy: canary}\n  b: {}\n"
        )
        spec = load_environment(write(tmp_path, text))
        a, b = spec.for_app("a"), spec.for_app("b")
        assert (a.replicas, a.autoscaling, a.rollout.strategy) == (4, None, "canary")
        assert (b.replicas, b.autoscaling.max_replicas, b.rollout.strategy) == (2, 5, "rolling")  # type: ignore[union-attr]
        assert a.namespace == "a-dev"

    def test_missing_image_tag_names_the_fix(self, tmp_path: Path) -> None:
        """Asking for a service's tag that the file lacks says which key to add."""
        spec = load_environment(write(tmp_path, MINIMAL + "apps:\n  a: {}\n"))
        with pytest.raises(KeyError, match=r"add apps.a.images.web to environments/dev.yaml"):
            spec.for_app("a").image_tag("web")

    def test_settings_read_typed(self, tmp_path: Path) -> None:
        """``env.setting(key, kind)``: the value typed for type checkers; a value of another type names file, key and value."""
        text = MINIMAL + "apps:\n  a:\n    settings: {host: web.example.com, workers: 4, ratio: 2, debug: true, limit: '4'}\n"
        env = load_environment(write(tmp_path, text)).for_app("a")
        host: str = env.setting("host", str)
        workers: int = env.setting("workers", int)
        assert (host, workers, env.setting("ratio", float), env.setting("debug", bool)) == ("web.example.com", 4, 2.0, True)
        assert env.setting("limit") == "4"  # untyped: as written
        with pytest.raises(ManifestError, match=r"environments/dev.yaml: apps.a.settings.limit: '4' is a str value, "
                                                r"but the app reads it as int; write the value as int"):
            env.setting("limit", int)
        with pytest.raises(ManifestError, match=r"apps.a.settings.debug: True is a boolean value, but the app reads it as int"):
            env.setting("debug", int)
        with pytest.raises(KeyError, match=r"add apps.a.settings.missing to environments/dev.yaml"):
            env.setting("missing", str)


class TestLoadedOnce:
    """A settled environment file is read once per process (and once per synth server); any change reads it again."""

    TEXT = "name: dev\ngit:\n  repo_url: https://git.example.com/platform.git\nreplicas: 2\n"

    @pytest.fixture
    def reads(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        from cdk8s_gitops.environment import loader

        seen: list[str] = []
        real = loader.read_environment_text

        def counting(path: Path, shown: str) -> str:
            seen.append(shown)
            return real(path, shown)

        monkeypatch.setattr(loader, "read_environment_text", counting)
        monkeypatch.setattr(files, "SETTLED_NS", 0)  # every file counts as settled, however new
        return seen

    def test_an_unchanged_file_is_not_read_again(self, tmp_path: Path, reads: list[str]) -> None:
        path = write(tmp_path, self.TEXT)
        first = load_environment(path)
        assert load_environment(path) is first
        assert len(reads) == 1

    def test_a_change_of_the_same_size_is_read_again(self, tmp_path: Path, reads: list[str]) -> None:
        path = write(tmp_path, self.TEXT)
        assert load_environment(path).replicas == 2
        time.sleep(0.05)  # past the file system's clock tick: the case SETTLED_NS leaves to the signature
        path.write_text(self.TEXT.replace("replicas: 2", "replicas: 3"))  # same size, written in place
        assert load_environment(path).replicas == 3
        assert len(reads) == 2

    def test_a_symlink_pointed_elsewhere_is_read_again(self, tmp_path: Path, reads: list[str]) -> None:
        first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
        first.write_text(self.TEXT)
        second.write_text(self.TEXT.replace("replicas: 2", "replicas: 5"))
        (tmp_path / "envs").mkdir()
        link = tmp_path / "envs" / "dev.yaml"
        link.symlink_to(first)
        assert load_environment(link).replicas == 2
        link.unlink()
        link.symlink_to(second)
        assert load_environment(link).replicas == 5

    def test_a_file_changed_moments_ago_is_always_read(self, tmp_path: Path, reads: list[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
        """Within the file system's clock granularity a change may keep the signature: such a file is never kept."""

        monkeypatch.setattr(files, "SETTLED_NS", 10**12)
        path = write(tmp_path, self.TEXT)
        load_environment(path)
        load_environment(path)
        assert len(reads) == 2

    def test_a_broken_file_is_reported_every_time(self, tmp_path: Path, reads: list[str]) -> None:
        path = write(tmp_path, self.TEXT + "replicas: 4\n")
        for _ in range(2):
            with pytest.raises(ConfigError, match="duplicate key"):
                load_environment(path)
