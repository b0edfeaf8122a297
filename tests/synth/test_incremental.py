"""The incremental synth never writes a stale dist/: every input it newly caches rebuilds when it changes.

Besides pair records (tests/synth/test_fleet.py), the cache keeps each environment's Argo CD
wiring and a memo of the environment READMEs' Argo CD sections, and objects taken from it skip
the per-object checks they already passed. Each test changes one input of these and compares
the result with a synth that uses no cache at all, the reference.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdk8s_gitops.core.errors import SynthError
from cdk8s_gitops.synth import Project, records, render_files, secret_scan, synthesize, write
from cdk8s_gitops.synth import fleet as fleet_module
from cdk8s_gitops.synth.cache import CACHE_DIR, RecordStore
from cdk8s_gitops.synth.fleet import SECTIONS_FILE, WIRING_CACHE, synthesize_fleet, synthesize_shard

from .test_fleet import _fleet

GITHUB = "ghp_" + "Zq3xT9bW2mK7vL4nR8pY1cF6hJ0sD5gA3eU2"

LEAKS = '''"""svc-3 with a token in plain sight: the secret scan refuses it."""
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="svc-3"), data={"GH": "''' + GITHUB + '''"}))
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    root = _fleet(tmp_path / "repo")
    monkeypatch.syspath_prepend(str(root))  # apps import fleet_shared from the repository
    monkeypatch.delitem(sys.modules, "fleet_shared", raising=False)  # this test's copy, not another test's
    return Project(root=root)


@pytest.fixture
def wirings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The environments whose Argo CD wiring was built (not taken from the cache), in order."""
    built: list[str] = []
    real: Callable[..., Any] = fleet_module.build_wiring_output  # type: ignore[attr-defined]  # the name fleet calls

    def counting(cdk_app: Any, spec: Any) -> Any:
        built.append(spec.name)
        return real(cdk_app, spec)

    monkeypatch.setattr(fleet_module, "build_wiring_output", counting)
    return built


def _reference(project: Project) -> dict[str, bytes]:
    fresh = Project(root=project.root)
    return render_files(synthesize(fresh), fresh)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


class TestWiringCache:
    def test_unchanged_wiring_comes_from_the_cache(self, project: Project, wirings: list[str]) -> None:
        """A second run builds no wiring; its output equals a synth without cache."""
        synthesize_fleet(project, jobs=1)
        assert wirings == ["dev", "production"]
        assert (project.root / CACHE_DIR / WIRING_CACHE / "dev" / "argocd-apps.json").is_file()
        second = synthesize_fleet(project, jobs=1)
        assert wirings == ["dev", "production"]  # nothing built the second time
        assert render_files(second, project) == _reference(project)

    def test_changed_setting_read_by_the_wiring_rebuilds_it(self, project: Project, wirings: list[str]) -> None:
        """The revision Argo CD syncs (Application targetRevision) changes in one environment: that wiring is
        rebuilt, the other one is not, and the Applications carry the new revision."""
        synthesize_fleet(project, jobs=1)
        _edit(project.environments_dir / "production.yaml", "repo_url: https://github.com/example/platform.git",
              "repo_url: https://github.com/example/platform.git\n  revision: release-7")
        result = synthesize_fleet(project, jobs=1)
        assert wirings == ["dev", "production", "production"]
        assert "targetRevision: release-7" in result.output("production", "argocd-apps").yaml()
        assert render_files(result, project) == _reference(project)

    def test_library_change_rebuilds_everything(self, project: Project, wirings: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
        """Another library (its version or source: the fingerprint) never reuses a record, a wiring or a memo."""
        synthesize_fleet(project, jobs=1)
        monkeypatch.setattr(records, "_fingerprint", "another library")
        stats: dict[str, int] = {}
        result = synthesize_fleet(project, jobs=1, stats=stats)
        assert stats["built"] == stats["pairs"] == 14
        assert wirings == ["dev", "production", "dev", "production"]
        assert render_files(result, project) == _reference(project)

    def test_changed_helper_module_rebuilds_the_wiring(self, project: Project, wirings: list[str]) -> None:
        """Project modules loaded when the wiring was built are its inputs too (a module may register checks)."""
        synthesize_fleet(project, jobs=1)
        (project.root / "fleet_shared.py").write_text('OWNER = "payments"\n')
        del sys.modules["fleet_shared"]
        fresh = Project(root=project.root)
        result = synthesize_fleet(fresh, jobs=1)
        assert wirings == ["dev", "production", "dev", "production"]
        assert "owner: payments" in result.output("dev", "svc-0").yaml()
        assert render_files(result, fresh) == _reference(project)


class TestReadmeMemo:
    def test_memo_follows_the_applications(self, project: Project) -> None:
        """The environment READMEs drawn with the memo equal fresh ones, before and after a change of the
        Applications; the memo keeps one section per environment."""
        first = synthesize_fleet(project, jobs=1)
        assert set(first.readmes) == {"dev", "production"}
        assert render_files(first, project) == _reference(project)
        _edit(project.environments_dir / "dev.yaml", "repo_url: https://github.com/example/platform.git",
              "repo_url: https://github.com/example/platform.git\n  revision: main")
        second = synthesize_fleet(project, jobs=1)
        assert "dist/dev/svc-0 @ main" in second.readmes["dev"] and "@ HEAD" not in second.readmes["dev"]
        assert render_files(second, project) == _reference(project)
        memo = json.loads((project.root / CACHE_DIR / SECTIONS_FILE).read_text())
        assert len(memo) == 2

    def test_damaged_memo_is_ignored(self, project: Project) -> None:
        """A memo file that is not JSON is drawn again, not trusted."""
        synthesize_fleet(project, jobs=1)
        (project.root / CACHE_DIR / SECTIONS_FILE).write_text("{not json")
        result = synthesize_fleet(project, jobs=1)
        assert render_files(result, project) == _reference(project)


class TestChecksOfCachedObjects:
    def test_only_rebuilt_objects_are_scanned_again(self, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
        """Objects from the cache passed the secret scan in the run that stored them: a one-app change scans the
        objects of that app's two pairs (two objects each) once, for the check and the README together."""
        synthesize_fleet(project, jobs=1)
        _edit(project.root / "apps" / "svc_2.py", "ServicePort(port=80)", "ServicePort(port=8080)")
        scanned: list[str] = []
        real = secret_scan.scan_manifest

        def counting(manifest: Any, container: str = "") -> Any:
            if not container:
                scanned.append(str(manifest["metadata"]["name"]))
            return real(manifest, container)

        monkeypatch.setattr(secret_scan, "scan_manifest", counting)
        stats: dict[str, int] = {}
        synthesize_fleet(Project(root=project.root), jobs=1, stats=stats)
        assert stats["built"] == 2
        assert scanned == ["svc-2", "svc-2", "svc-2", "svc-2"]  # ConfigMap and Service, in dev and production

    def test_records_are_checked_only_from_the_cache(self, project: Project, tmp_path: Path) -> None:
        """Cache records are marked as having passed the checks; records of a shard folder never are."""
        synthesize_fleet(project, jobs=1)
        hasher = records.InputHasher(project, exclude=[project.root / CACHE_DIR])
        cached = RecordStore(project.root / CACHE_DIR, ignored=True, passed=True).load("dev", "svc-0")
        assert cached is not None
        key = cached.key
        fresh = RecordStore(project.root / CACHE_DIR, ignored=True, passed=True).fresh("dev", "svc-0", key, hasher)
        assert fresh is not None and fresh.checked
        assert set(fresh.passed) == {"cdk8s_gitops.synth.secret_scan:secret_scan", "cdk8s_gitops.core.images:image_references",
                                     "cdk8s_gitops.core.ordering:check_sync_waves",
                                     "cdk8s_gitops.secrets.checks:no_secret_values"}
        assert all(o.checked == frozenset(fresh.passed) for o in fresh.objects("svc-0"))
        synthesize_shard(project, (1, 1), tmp_path / "shard", jobs=1, cache=False)
        shard = RecordStore(tmp_path / "shard").fresh("dev", "svc-0", key, hasher)
        assert shard is not None and not shard.checked and not any(o.checked for o in shard.objects("svc-0"))

    def test_app_built_as_context_is_not_stored(self, project: Project) -> None:
        """synth --app svc-0 builds svc-3 only as context and does not report its secret; svc-3 must then not
        enter the cache, else a full run would take it from there without scanning it."""
        (project.root / "apps" / "svc_3.py").write_text(LEAKS)
        with pytest.raises(SynthError, match="ConfigMap 'svc-3'"):
            synthesize_fleet(Project(root=project.root), jobs=1)
        synthesize_fleet(Project(root=project.root), apps=["svc-0"], jobs=1)
        assert (project.root / CACHE_DIR / "dev" / "svc-0.json").is_file()
        assert not (project.root / CACHE_DIR / "dev" / "svc-3.json").exists()
        with pytest.raises(SynthError, match="ConfigMap 'svc-3'"):
            synthesize_fleet(Project(root=project.root), jobs=1)


class TestLinkedWrite:
    def test_unchanged_files_are_linked_and_changed_ones_written(self, project: Project) -> None:
        """A one-app change writes the new tree with the unchanged files hard-linked from the old one (same
        inode) and the changed ones written anew; the tree holds exactly the new output."""
        write(synthesize_fleet(project, jobs=1), project)
        dist = project.dist_dir
        before = {p: os.stat(dist / p).st_ino for p in ("dev/svc-0/manifest.yaml", "dev/svc-2/manifest.yaml")}
        _edit(project.root / "apps" / "svc_2.py", "ServicePort(port=80)", "ServicePort(port=8080)")
        fresh = Project(root=project.root)
        result = synthesize_fleet(fresh, jobs=1)
        changes = write(result, fresh)
        assert "dev/svc-2/manifest.yaml" in changes.changed and "dev/svc-0/manifest.yaml" not in changes.changed
        assert os.stat(dist / "dev/svc-0/manifest.yaml").st_ino == before["dev/svc-0/manifest.yaml"]
        assert os.stat(dist / "dev/svc-2/manifest.yaml").st_ino != before["dev/svc-2/manifest.yaml"]
        expected = render_files(result, fresh)
        on_disk = {p.relative_to(dist).as_posix(): p.read_bytes() for p in dist.rglob("*") if p.is_file()}
        assert {k: v for k, v in on_disk.items() if not k.startswith(".")} == expected

    def test_file_changed_since_it_was_read_is_not_linked(self, tmp_path: Path) -> None:
        """A file rewritten after synth read it (same size, other bytes) is written, never linked."""
        from cdk8s_gitops.synth.install import _link_same, signature

        source = tmp_path / "old.yaml"
        source.write_text("a: 1\n")
        seen = signature(source)
        assert _link_same(source, tmp_path / "same.yaml", seen)
        assert (tmp_path / "same.yaml").read_text() == "a: 1\n"
        source.write_text("a: 2\n")
        assert not _link_same(source, tmp_path / "new.yaml", seen)
        assert not (tmp_path / "new.yaml").exists()


class TestCollector:
    def test_synth_puts_the_collector_back(self, project: Project) -> None:
        """A synth runs with fewer collections, and afterwards (also after a refusal) the collector has its
        thresholds and no frozen objects again: a program that calls synth keeps its own settings."""
        import gc

        from cdk8s_gitops.synth.build import fewer_collections

        before = (gc.get_threshold(), gc.get_freeze_count())
        with fewer_collections():
            assert gc.get_threshold()[0] >= 50_000
            assert gc.get_freeze_count() > 0
        assert (gc.get_threshold(), gc.get_freeze_count()) == before
        synthesize_fleet(project, jobs=1)
        assert (gc.get_threshold(), gc.get_freeze_count()) == before
        (project.root / "apps" / "svc_3.py").write_text(LEAKS)
        with pytest.raises(SynthError):
            synthesize(Project(root=project.root))
        assert (gc.get_threshold(), gc.get_freeze_count()) == before

    def test_a_settled_pair_leaves_no_cycle_and_its_survivors_frozen(self) -> None:
        """After each pair, the cycles its build left are collected (the young generation only) and what survives is
        left out of later scans: a long synth neither keeps garbage cycles nor scans its manifests again."""
        import gc
        import weakref

        from cdk8s_gitops.synth.build import fewer_collections, settle_pair

        class Node:
            def __init__(self) -> None:
                self.me = self

        with fewer_collections():
            garbage = Node()
            gone = weakref.ref(garbage)
            kept = [{"kind": "Service"}]
            del garbage
            frozen = gc.get_freeze_count()
            settle_pair()
            assert gone() is None  # the cycle was collected
            assert gc.get_freeze_count() > frozen and gc.get_count()[0] < 50
            assert kept == [{"kind": "Service"}]

    def test_objects_frozen_by_the_caller_stay_frozen(self) -> None:
        """A program that froze objects itself finds them frozen after a synth (synth then freezes nothing)."""
        import gc

        from cdk8s_gitops.synth.build import fewer_collections, freeze_now, settle_pair

        gc.freeze()
        try:
            frozen = gc.get_freeze_count()
            with fewer_collections():
                freeze_now()
                settle_pair()
                assert gc.get_freeze_count() == frozen
            assert gc.get_freeze_count() == frozen
        finally:
            gc.unfreeze()
