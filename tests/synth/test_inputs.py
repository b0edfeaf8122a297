"""What a build reads: files opened and environment variables, noted while track_inputs runs."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from cdk8s_gitops.synth import Project
from cdk8s_gitops.synth.inputs import UNSET, WHOLE_ENVIRONMENT, WORKING_FOLDER, env_digests, track_inputs, untracked
from cdk8s_gitops.synth.records import InputHasher


class TestTrackInputs:
    def test_files_opened_and_variables_read_are_noted(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """open(), os.environ[...] / .get / in / os.getenv and os.environb are all noted, by name."""
        data = tmp_path / "data.txt"
        data.write_text("x")
        monkeypatch.setenv("INPUTS_A", "1")
        with track_inputs() as reads:
            data.read_text()
            assert os.environ["INPUTS_A"] == "1"
            os.environ.get("INPUTS_B")
            assert "INPUTS_C" not in os.environ
            os.getenv("INPUTS_D")
            if hasattr(os, "environb"):
                os.environb.get(b"INPUTS_E")
        assert str(data) in reads.files
        expected = {"INPUTS_A", "INPUTS_B", "INPUTS_C", "INPUTS_D"} | ({"INPUTS_E"} if hasattr(os, "environb") else set())
        assert set(reads.env) == expected

    def test_folders_listed_are_noted_but_not_the_import_systems(self, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        """glob, iterdir, listdir and walk note the folder; looking for a module to import does not."""
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "x.txt").write_text("x")
        (tmp_path / "mods").mkdir()
        (tmp_path / "mods" / "inputs_probe_module.py").write_text("VALUE = 1\n")
        monkeypatch.syspath_prepend(str(tmp_path / "mods"))
        with track_inputs() as reads:
            list((tmp_path / "a").glob("*.txt"))
            os.listdir(tmp_path)
            list(os.walk(tmp_path / "a"))
            __import__("inputs_probe_module")
        assert reads.listed == {str(tmp_path), str(tmp_path / "a")}
        assert any(f.endswith("inputs_probe_module.py") for f in reads.files)  # the module itself: an input

    def test_walking_the_environment_is_noted_as_the_whole(self) -> None:
        with track_inputs() as reads:
            dict(os.environ)
        assert WHOLE_ENVIRONMENT in reads.env

    def test_nothing_is_noted_outside_or_untracked(self) -> None:
        os.environ.get("INPUTS_OUTSIDE")
        with track_inputs() as reads:
            with untracked():
                os.environ.get("INPUTS_PAUSED")
                os.environ.copy()
            os.environ.get("INPUTS_NOTED")
        assert set(reads.env) == {"INPUTS_NOTED"}

    def test_an_enclosing_block_receives_what_an_inner_one_noted(self) -> None:
        with track_inputs() as outer:
            os.environ.get("INPUTS_OUTER")
            with track_inputs() as inner:
                os.environ.get("INPUTS_INNER")
        assert set(inner.env) == {"INPUTS_INNER"}
        assert set(outer.env) == {"INPUTS_OUTER", "INPUTS_INNER"}

    def test_a_variable_is_known_by_the_value_it_had_when_first_read(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A build that sets a variable it read (setdefault) depends on the value it found: here, none."""
        monkeypatch.delenv("INPUTS_DOMAIN", raising=False)
        with track_inputs() as reads:
            os.environ.setdefault("INPUTS_DOMAIN", "example.com")
            assert os.environ["INPUTS_DOMAIN"] == "example.com"
        monkeypatch.delenv("INPUTS_DOMAIN")
        assert reads.env == {"INPUTS_DOMAIN": UNSET} == env_digests(["INPUTS_DOMAIN"])

    def test_environ_keeps_working_as_a_mapping(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Setting, deleting, copying: os.environ behaves as before, and child processes see the changes."""
        with track_inputs():
            monkeypatch.setenv("INPUTS_SET", "yes")
            assert os.environ.copy()["INPUTS_SET"] == "yes"
            monkeypatch.delenv("INPUTS_SET")
            assert "INPUTS_SET" not in os.environ
        assert type(os.environ) is os._Environ  # its own class again once nothing is tracked


class TestEnvDigests:
    def test_digest_of_the_value_never_the_value(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("INPUTS_TOKEN", "s3cr3t-value")
        monkeypatch.delenv("INPUTS_ABSENT", raising=False)
        digests = env_digests(["INPUTS_TOKEN", "INPUTS_ABSENT"])
        assert digests == {"INPUTS_TOKEN": hashlib.sha256(b"s3cr3t-value").hexdigest(), "INPUTS_ABSENT": UNSET}

    def test_whole_environment_changes_with_any_variable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        before = env_digests([WHOLE_ENVIRONMENT])
        assert env_digests([WHOLE_ENVIRONMENT]) == before
        monkeypatch.setenv("INPUTS_ANY", "1")
        assert env_digests([WHOLE_ENVIRONMENT]) != before

    def test_digests_are_not_noted_as_reads(self) -> None:
        with track_inputs() as reads:
            env_digests(["INPUTS_X", WHOLE_ENVIRONMENT])
        assert reads.env == {}


class TestInputHasher:
    def test_a_project_inside_pythons_folder_is_still_the_project(self, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        """A checkout under the system Python's prefix (/usr/src/app with /usr) has inputs; a virtual environment
        inside the project does not."""
        root = tmp_path / "src" / "app"
        (root / "apps").mkdir(parents=True)
        (root / "apps" / "web.py").write_text("x = 1\n")
        (root / ".venv" / "lib").mkdir(parents=True)
        (root / ".venv" / "lib" / "dep.py").write_text("y = 2\n")
        monkeypatch.setattr(sys, "base_prefix", str(tmp_path))
        monkeypatch.setattr(sys, "prefix", str(root / ".venv"))
        hasher = InputHasher(Project(root=root))
        found = hasher.inputs([str(root / "apps" / "web.py"), str(root / ".venv" / "lib" / "dep.py")])
        assert list(found) == ["apps/web.py"]

    def test_a_link_is_known_by_the_path_it_was_opened_by(self, tmp_path: Path) -> None:
        """Moving a symbolic link to another target changes the input, though neither target changed."""
        root = tmp_path / "repo"
        (root / "data").mkdir(parents=True)
        (root / "data" / "v1.txt").write_text("one\n")
        (root / "data" / "v2.txt").write_text("two\n")
        link = root / "data" / "current.txt"
        link.symlink_to("v1.txt")
        recorded = InputHasher(Project(root=root)).inputs([str(link)])
        assert list(recorded) == ["data/current.txt"]
        assert InputHasher(Project(root=root)).unchanged(recorded)
        link.unlink()
        link.symlink_to("v2.txt")
        assert not InputHasher(Project(root=root)).unchanged(recorded)

    def test_a_loop_of_links_is_an_input_not_a_crash(self, tmp_path: Path) -> None:
        """A path that leads into a loop of links is recorded as missing: if it is mended, the pair rebuilds."""
        root = tmp_path / "repo"
        root.mkdir()
        (root / "a").symlink_to("b")
        (root / "b").symlink_to("a")
        recorded = InputHasher(Project(root=root)).inputs([str(root / "a")])
        assert recorded == {"a": "missing"}
        (root / "a").unlink()
        (root / "a").write_text("mended\n")
        assert not InputHasher(Project(root=root)).unchanged(recorded)

    def test_files_read_then_rewritten_stay_inputs_written_first_do_not(self, tmp_path: Path) -> None:
        pins, scratch = tmp_path / "pins.json", tmp_path / "scratch.txt"
        pins.write_text("{}")
        with track_inputs() as reads:
            pins.read_text()
            pins.write_text('{"a": 1}')
            scratch.write_text("x")
            scratch.read_text()
        assert str(pins) in reads.inputs and str(scratch) not in reads.inputs

    def test_a_relative_path_makes_the_working_folder_an_input(self, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
        (tmp_path / "a").mkdir()
        (tmp_path / "a" / "data.txt").write_text("x")
        monkeypatch.chdir(tmp_path / "a")
        with track_inputs() as reads:
            Path("data.txt").read_text()
        assert WORKING_FOLDER in reads.env and str(tmp_path / "a" / "data.txt") in reads.files
        here = env_digests([WORKING_FOLDER])
        monkeypatch.chdir(tmp_path)
        assert env_digests([WORKING_FOLDER]) != here

    def test_a_sqlite_database_is_a_file_read(self, tmp_path: Path) -> None:
        import sqlite3

        database = tmp_path / "inventory.db"
        sqlite3.connect(database).close()
        with track_inputs() as reads:
            sqlite3.connect(f"file:{database}?mode=ro", uri=True).close()
        assert str(database) in reads.files


class TestFingerprint:
    def test_a_distribution_from_a_path_or_vcs_is_known_by_its_files(self, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        """Installed again from a Git branch or a folder under the same version, a distribution changes the key;
        one from an index (no direct_url.json) is known by its name and version only."""
        from cdk8s_gitops.synth import records

        site = tmp_path / "site"
        direct, indexed = site / "teamlib-0.1.0.dist-info", site / "other-1.0.dist-info"
        for info in (direct, indexed):
            info.mkdir(parents=True)
            (info / "RECORD").write_text("pkg/__init__.py,sha256=aaa,10\n")
        (direct / "direct_url.json").write_text('{"url": "git+https://example.com/teamlib.git", "vcs_info": {}}')
        monkeypatch.syspath_prepend(str(site))

        def fresh() -> str:
            monkeypatch.setattr(records, "_fingerprint", None)
            return records.fingerprint()

        before = fresh()
        (indexed / "RECORD").write_text("pkg/__init__.py,sha256=bbb,10\n")
        assert fresh() == before
        (direct / "RECORD").write_text("pkg/__init__.py,sha256=ccc,10\n")
        assert fresh() != before
