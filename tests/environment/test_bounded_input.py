"""Hostile or broken input files are refused quickly, naming the file (and line), never hanging or crashing.

Cases that would hang or exhaust memory if their guard regressed run in a child process with
a generous timeout, so a regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cdk8s_gitops.core.errors import ConfigError, format_value
from cdk8s_gitops.core.files import ENVIRONMENT_FILE_LIMIT, atomic_write, read_bounded
from cdk8s_gitops.core.patterns import MAX_PATTERN_LENGTH, check_user_pattern, user_pattern
from cdk8s_gitops.core.safe_yaml import ENVIRONMENT_LIMITS, check_yaml_limits
from cdk8s_gitops.environment import load_environment
from cdk8s_gitops.environment.spec import ImagePolicy, check_image_tag

GOOD = """name: dev
git:
  repo_url: https://github.com/example/platform.git
apps: {}
"""

BOMB = """name: dev
git:
  repo_url: https://github.com/example/platform.git
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def run_isolated(code: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child Python; a hang or a blow-up fails the test instead of stalling it."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)


def load_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    return run_isolated(
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from pathlib import Path\n"
        "from cdk8s_gitops.core.errors import ConfigError\n"
        "from cdk8s_gitops.environment import load_environment\n"
        "try:\n"
        f"    load_environment(Path({str(path)!r}))\n"
        "except ConfigError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(3)\n")


class TestFileKinds:
    def test_fifo_is_refused_without_blocking(self, tmp_path: Path) -> None:
        """An environment file that is a FIFO (no writer) is refused, not read forever."""
        fifo = tmp_path / "dev.yaml"
        os.mkfifo(fifo)
        proc = load_in_child(fifo)
        assert proc.returncode == 3, proc.stderr
        assert "FIFO" in proc.stdout and "dev.yaml" in proc.stdout

    def test_link_to_dev_zero_is_refused(self, tmp_path: Path) -> None:
        """A symlink to /dev/zero is a device, refused before any byte is read (no MemoryError)."""
        link = tmp_path / "dev.yaml"
        link.symlink_to("/dev/zero")
        with pytest.raises(ConfigError, match="character device"):
            load_environment(link)

    def test_folder_is_refused(self, tmp_path: Path) -> None:
        """A folder named like an environment file is refused with the fix."""
        (tmp_path / "dev.yaml").mkdir()
        with pytest.raises(ConfigError, match="is a folder"):
            load_environment(tmp_path / "dev.yaml")

    def test_huge_file_is_refused_by_size(self, tmp_path: Path) -> None:
        """A file above the limit is refused from its size, naming both."""
        path = tmp_path / "dev.yaml"
        path.write_text(GOOD + "x: [" + "1," * (ENVIRONMENT_FILE_LIMIT // 2) + "1]\n")
        with pytest.raises(ConfigError, match=r"dev.yaml: is 1\.\d MiB, above the limit of 1\.0 MiB"):
            load_environment(path)

    def test_read_bounded_never_reads_past_the_limit(self, tmp_path: Path) -> None:
        """The limit holds even for what fstat cannot see in advance."""
        path = tmp_path / "f"
        path.write_bytes(b"x" * 100)
        assert read_bounded(path, 100) == b"x" * 100
        with pytest.raises(ConfigError, match="above the limit of 99 bytes"):
            read_bounded(path, 99)

    def test_environments_cli_with_fifo(self, tmp_path: Path) -> None:
        """The CLI reports a FIFO environment file as a configuration error (exit 2), without hanging."""
        (tmp_path / "apps").mkdir()
        (tmp_path / "environments").mkdir()
        os.mkfifo(tmp_path / "environments/dev.yaml")
        proc = subprocess.run([sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(tmp_path), "synth"],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 2
        assert "environments/dev.yaml" in proc.stderr and "FIFO" in proc.stderr and "Traceback" not in proc.stderr


class TestYamlBudgets:
    def test_alias_bomb_is_refused_with_its_line(self, tmp_path: Path) -> None:
        """A billion-laughs file is refused from its events (never expanded), naming file and line."""
        path = tmp_path / "dev.yaml"
        path.write_text(BOMB)
        proc = load_in_child(path)
        assert proc.returncode == 3, proc.stderr
        assert "dev.yaml" in proc.stdout and "alias" in proc.stdout and "line " in proc.stdout

    def test_many_small_aliases_are_refused(self) -> None:
        """More alias uses than the budget are refused even when each is small."""
        text = "a: &x 1\nb: [" + ", ".join(["*x"] * (ENVIRONMENT_LIMITS.max_aliases + 1)) + "]\n"
        with pytest.raises(ConfigError, match=f"more than {ENVIRONMENT_LIMITS.max_aliases} YAML aliases"):
            check_yaml_limits(text, "f.yaml")

    def test_a_few_anchors_are_fine(self) -> None:
        """Ordinary sharing through anchors stays allowed."""
        check_yaml_limits("base: &base {replicas: 2, sync: true}\ndev: *base\nstaging: *base\n", "f.yaml")

    def test_deep_nesting_is_refused_with_its_line(self) -> None:
        """Nesting past the depth limit is refused at the line where it goes too deep."""
        depth = ENVIRONMENT_LIMITS.max_depth + 1
        text = "".join(f"{'  ' * i}k:\n" for i in range(depth)) + "  " * depth + "v\n"
        with pytest.raises(ConfigError) as info:
            check_yaml_limits(text, "f.yaml")
        assert f"line {ENVIRONMENT_LIMITS.max_depth + 1}" in str(info.value) and "deeper" in str(info.value)


    def test_deep_flow_nesting_in_an_environment_file(self, tmp_path: Path) -> None:
        """Thousands of nested brackets are refused as a configuration error naming the file and position."""
        path = tmp_path / "dev.yaml"
        path.write_text(GOOD + "x: " + "[" * 5000 + "]" * 5000 + "\n")
        with pytest.raises(ConfigError) as info:
            load_environment(path)
        assert "dev.yaml" in str(info.value) and "line 5" in str(info.value)

    def test_validate_reports_an_alias_bomb_as_a_finding(self, tmp_path: Path) -> None:
        """`validate` on an alias bomb reports it for that file and stops, without expanding it."""
        path = tmp_path / "bomb.yaml"
        path.write_text(BOMB.replace("name: dev", "apiVersion: v1\nkind: ConfigMap"))
        fifo = tmp_path / "pipe.yaml"
        os.mkfifo(fifo)
        proc = subprocess.run([sys.executable, "-m", "cdk8s_gitops.cli", "-C", str(tmp_path), "validate", str(path),
                               str(fifo)], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 1
        assert "bomb.yaml" in proc.stdout and "alias" in proc.stdout
        assert "pipe.yaml" in proc.stdout and "FIFO" in proc.stdout


class TestBoundedMessages:
    def test_format_value_of_an_expanded_structure_is_cheap_and_short(self) -> None:
        """A value shared a billion times over renders only its first characters."""
        leaf = ["lol"] * 9
        value: list[Any] = leaf
        for _ in range(9):
            value = [value] * 9
        proc = run_isolated(
            "from cdk8s_gitops.core.errors import format_value\n"
            "v = ['lol'] * 9\n"
            "for _ in range(9):\n"
            "    v = [v] * 9\n"
            "print(format_value(v))\n", timeout=60)
        assert proc.returncode == 0
        assert proc.stdout.strip() == format_value(value) and len(format_value(value)) <= 80
        assert format_value(value).startswith("[[[[[[[[[['lol', 'lol'")

    def test_format_value_keeps_small_values_exact(self) -> None:
        """Values that fit render exactly as repr renders them."""
        small: list[Any] = ["abc", 42, None, {"a": [1, (2,)]}, frozenset({1}), set(), b"x", 1.5]
        for item in small:
            assert format_value(item) == repr(item)
        assert format_value("x" * 500) == repr("x" * 500)[:77] + "..."
        assert format_value(10 ** 5000) == "<an integer of 16610 bits>"

    def test_environment_error_with_huge_value_is_short(self, tmp_path: Path) -> None:
        """A huge wrong-typed value in an environment file is reported shortened."""
        path = tmp_path / "dev.yaml"
        path.write_text(GOOD + "replicas: [" + ", ".join(["1"] * 50000) + "]\n")
        with pytest.raises(ConfigError) as info:
            load_environment(path)
        assert "replicas" in str(info.value) and len(str(info.value)) < 600


class TestUserPatterns:
    def test_catastrophic_pattern_matches_in_linear_time(self) -> None:
        """(a+)+$ against a long non-matching tag completes (RE2), where Python's re would run for ages."""
        proc = run_isolated(
            "from cdk8s_gitops.environment.spec import ImagePolicy, check_image_tag\n"
            "p = ImagePolicy(tag_pattern=r'^(a+)+$')\n"
            "print(check_image_tag('a' * 120 + 'b', p))\n"
            "print(check_image_tag('a' * 120, p))\n", timeout=60)
        assert proc.returncode == 0, proc.stderr
        refused, accepted = proc.stdout.strip().splitlines()
        assert "does not match this environment's tag_pattern" in refused
        assert accepted == "None"

    def test_backreferences_are_refused_at_load(self, tmp_path: Path) -> None:
        """A pattern RE2 cannot run is refused when the environment file is loaded, naming the key and the fix."""
        path = tmp_path / "dev.yaml"
        path.write_text(GOOD + "image_policy:\n  tag_pattern: '^(a)\\1$'\n")
        with pytest.raises(ConfigError) as info:
            load_environment(path)
        text = str(info.value)
        assert "image_policy.tag_pattern" in text and "backreferences" in text

    def test_overlong_pattern_is_refused(self) -> None:
        """Patterns are limited in length."""
        assert "above the limit" in (check_user_pattern("a" * (MAX_PATTERN_LENGTH + 1)) or "")
        assert check_user_pattern(r"^v\d+\.\d+\.\d+$") is None

    def test_patterns_keep_full_match_semantics(self) -> None:
        """tag_pattern must match the whole tag, as before."""
        policy = ImagePolicy(tag_pattern=r"v\d+")
        assert check_image_tag("v12", policy) is None
        assert check_image_tag("v12-rc", policy) is not None
        assert user_pattern(r"v\d+").fullmatch("v1") is not None


class TestAtomicWrite:
    def test_mode_kept_and_no_temp_left(self, tmp_path: Path) -> None:
        """atomic_write keeps the old mode and leaves no temporary file."""
        path = tmp_path / "dev.yaml"
        path.write_text("old\n")
        os.chmod(path, 0o640)
        atomic_write(path, b"new\n")
        assert path.read_text() == "new\n" and (path.stat().st_mode & 0o777) == 0o640
        assert [p.name for p in tmp_path.iterdir()] == ["dev.yaml"]

    def test_symlink_is_written_through(self, tmp_path: Path) -> None:
        """A symlinked file keeps its link; the target gets the new content."""
        (tmp_path / "real.yaml").write_text("old\n")
        (tmp_path / "dev.yaml").symlink_to("real.yaml")
        atomic_write(tmp_path / "dev.yaml", b"new\n")
        assert (tmp_path / "dev.yaml").is_symlink() and (tmp_path / "real.yaml").read_text() == "new\n"
