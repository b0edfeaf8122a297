"""Fleet-scale synth: parallel workers, the incremental cache, shards and assemble.

Every test compares with a serial synth without cache, the reference: the same bytes, the
same verdict, the same errors.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO

from cdk8s_gitops.core.errors import ConfigError, SynthError
from cdk8s_gitops.synth import Project, render_files, synthesize
from cdk8s_gitops.synth.cache import CACHE_DIR
from cdk8s_gitops.synth.fleet import assemble, parse_shard, shard_of, synthesize_fleet, synthesize_shard

SERVICE = '''"""{name}: a ConfigMap and a Service, with a helper shared by every app."""
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap, Service, ServicePort, ServiceSpec

from fleet_shared import OWNER


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="{name}"),
                                   data={{"tag": env.image_tag("web"), "owner": OWNER}}))
    TypedResource(scope, Service(metadata=ObjectMeta(name="{name}"),
                                 spec=ServiceSpec(selector={{"app": "{name}"}}, ports=[ServicePort(port=80)])))
'''

READS_DATA = '''"""reader: its ConfigMap holds a file of the repository, read while it builds."""
from pathlib import Path

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    text = (Path(__file__).parent.parent / "config" / "greeting.txt").read_text()
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="reader"), data={"greeting": text}))
'''

READS_AT_IMPORT = '''"""banner: its ConfigMap holds a file of the repository, read when the module is imported."""
from pathlib import Path

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap

BANNER = (Path(__file__).parent.parent / "config" / "banner.txt").read_text()


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="banner"), data={"banner": BANNER}))
'''

READS_VARIABLE = '''"""flavor: its ConfigMap holds an environment variable, read at {when}."""
import os

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap

AT_IMPORT = os.environ.get("FLEET_FLAVOR", "none") if "{when}" == "import" else None


def build(scope, env):
    flavor = AT_IMPORT if AT_IMPORT is not None else os.getenv("FLEET_FLAVOR", "none")
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="flavor"), data={{"flavor": flavor}}))
'''

READS_OUTSIDE = '''"""motd: its ConfigMap holds a file from outside the project, read at {when}."""
from pathlib import Path

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap

AT_IMPORT = Path({path!r}).read_text() if "{when}" == "import" else None


def build(scope, env):
    Path({scratch!r}).write_text("scratch")  # written then read back: its own output, not an input
    Path({scratch!r}).read_text()
    text = AT_IMPORT if AT_IMPORT is not None else Path({path!r}).read_text()
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="motd"), data={{"motd": text}}))
'''

LISTS_FOLDER = '''"""pages: one ConfigMap per file of config/pages/."""
from pathlib import Path

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    for page in sorted((Path(__file__).parent.parent / "config" / "pages").glob("*.txt")):
        TypedResource(scope, ConfigMap(metadata=ObjectMeta(name=f"page-{page.stem}"), data={"text": page.read_text()}))
'''

MEMO_USER = '''"""shop: its ConfigMap holds the catalog, read once per process by a helper."""
from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    from catalog import catalog  # imported while building: the first pair's build reads the file

    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="shop"), data={"catalog": catalog()}))
'''

WALKS_ENVIRONMENT = '''"""census: its ConfigMap counts the environment's variables."""
import os

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.kube import ConfigMap


def build(scope, env):
    TypedResource(scope, ConfigMap(metadata=ObjectMeta(name="census"), data={"count": str(len(dict(os.environ)))}))
'''

ENV = """name: {name}
git:
  repo_url: https://github.com/example/platform.git
replicas: {replicas}
apps:
{apps}
"""


def _fleet(root: Path, services: int = 6) -> Path:
    """A project of ``services`` apps plus ``reader`` in dev and production, sharing fleet_shared.py."""
    for sub in ("apps", "environments", "config"):
        (root / sub).mkdir(parents=True)
    (root / "config" / "greeting.txt").write_text("hello\n")
    (root / "fleet_shared.py").write_text('OWNER = "platform"\n')
    names = [f"svc-{i}" for i in range(services)]
    for name in names:
        (root / "apps" / f"{name.replace('-', '_')}.py").write_text(SERVICE.format(name=name))
    (root / "apps" / "reader.py").write_text(READS_DATA)
    for env, replicas in (("dev", 1), ("production", 3)):
        apps = "\n".join(f"  {n}:\n    images:\n      web: v1.0.{replicas}" for n in names) + "\n  reader: {}"
        (root / "environments" / f"{env}.yaml").write_text(ENV.format(name=env, replicas=replicas, apps=apps))
    return root


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    root = _fleet(tmp_path / "repo")
    monkeypatch.syspath_prepend(str(root))  # apps import fleet_shared from the repository
    monkeypatch.delitem(sys.modules, "fleet_shared", raising=False)  # this test's copy, not another test's
    return Project(root=root)


def _edit_env(project: Project, old: str, new: str) -> None:
    for env in ("dev", "production"):
        path = project.environments_dir / f"{env}.yaml"
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))


def _cached_app(project: Project, name: str, source: str) -> dict[str, int]:
    """Add the app ``name`` to both environments and synthesize twice: the second run takes all from the cache."""
    (project.root / "apps" / f"{name}.py").write_text(source)
    _edit_env(project, "  reader: {}", f"  reader: {{}}\n  {name}: {{}}")
    stats: dict[str, int] = {}
    synthesize_fleet(Project(root=project.root), jobs=1)
    synthesize_fleet(Project(root=project.root), jobs=1, stats=stats)
    assert stats["built"] == 0
    return stats


def _files(project: Project, result) -> dict[str, bytes]:  # noqa: ANN001 - SynthResult
    return render_files(result, project)


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(root), *args],
                          capture_output=True, text=True, check=False, env=env)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


class TestParallel:
    def test_workers_write_the_bytes_of_a_serial_synth(self, tmp_path: Path) -> None:
        """synth --jobs 2 runs two worker processes and writes dist/ byte for byte as --jobs 1 does."""
        root = _fleet(tmp_path / "repo", services=10)
        serial = _cli(root, "synth", "--jobs", "1", "--no-cache", "-o", str(tmp_path / "serial"))
        assert serial.returncode == 0, serial.stderr
        assert "in this process" in serial.stdout
        parallel = _cli(root, "synth", "--jobs", "2", "--no-cache", "-o", str(tmp_path / "parallel"))
        assert parallel.returncode == 0, parallel.stderr
        assert "built 22 of 22 (environment, app) pairs in 2 processes" in parallel.stdout
        assert _tree(tmp_path / "parallel") == _tree(tmp_path / "serial")
        assert len(_tree(tmp_path / "serial")) == 1 + 2 + 2 * 3 * 12  # ownership file; env READMEs; 3 files per app folder (11 + wiring)

    def test_reference_platforms_in_workers_equal_the_committed_dist(self, tmp_path: Path) -> None:
        """The reference repository built by two workers (one app with chart checks built again in the parent)
        equals the committed dist/."""
        result = subprocess.run([sys.executable, "-m", "cdk8s_gitops", "-C", str(REPO), "synth", "--jobs", "2",
                                 "--no-cache", "-o", str(tmp_path / "out")], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        assert "in 2 processes" in result.stdout
        assert _tree(tmp_path / "out") == _tree(REPO / "dist")

    @pytest.mark.parametrize("eager", ["0", "1"], ids=["node-on-first-use", "node-at-import"])
    def test_worker_app_with_another_librarys_construct(self, tmp_path: Path, eager: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
        """An app built in a worker that creates a plain cdk8s ApiObject starts Node.js in that worker (the parent
        never did, or did at import) and writes what a serial synth writes."""
        monkeypatch.setenv("CDK8S_GITOPS_EAGER_NODE", eager)
        root = _fleet(tmp_path / "repo", services=10)
        (root / "apps" / "svc_7.py").write_text(
            "import cdk8s\n\n\ndef build(scope, env):\n"
            "    cdk8s.ApiObject(scope, 'raw', api_version='v1', kind='ConfigMap', metadata=cdk8s.ApiObjectMetadata(name='raw'))\n")
        serial = _cli(root, "synth", "--jobs", "1", "--no-cache", "-o", str(tmp_path / "serial"))
        parallel = _cli(root, "synth", "--jobs", "2", "--no-cache", "-o", str(tmp_path / "parallel"))
        assert serial.returncode == parallel.returncode == 0, parallel.stderr
        assert "in 2 processes" in parallel.stdout
        assert _tree(tmp_path / "parallel") == _tree(tmp_path / "serial")
        assert "name: raw" in (tmp_path / "parallel" / "dev" / "svc-7" / "manifest.yaml").read_text()

    def test_wiring_built_while_workers_run_reports_as_serial(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The parent builds the Argo CD wiring while the workers build the pairs; a wiring that cannot be built
        is still reported where and as a serial synth reports it, with the workers' own problems."""
        import cdk8s_gitops.synth.build as build
        import cdk8s_gitops.synth.fleet as fleet
        from cdk8s_gitops.core.errors import ManifestError, Problem

        root = _fleet(tmp_path / "repo", services=10)
        project = Project(root)
        good = synthesize_fleet(project, jobs=2, cache=False)
        assert [o.app for o in good.outputs if o.environment == "dev"][-1] == "argocd-apps"
        assert good.output("dev", "argocd-apps").objects

        def broken(app: object, spec: object) -> object:
            raise ManifestError(Problem("Application 'x'", "spec.destination", "planted", "fix it"))

        monkeypatch.setattr(fleet, "build_wiring_output", broken)
        monkeypatch.setattr(build, "build_wiring_output", broken)  # the serial synth a parallel one may fall back to
        messages = []
        for jobs in (1, 2):
            with pytest.raises(SynthError) as caught:
                synthesize_fleet(project, jobs=jobs, cache=False)
            messages.append(str(caught.value))
        assert messages[0] == messages[1]
        assert "argocd wiring, environment dev" in messages[1] and "planted" in messages[1]

    def test_errors_of_all_workers_are_reported_together(self, tmp_path: Path) -> None:
        """Two broken apps built by different workers: one error lists both, as a serial synth does, and
        dist/ is not written."""
        root = _fleet(tmp_path / "repo", services=10)
        for name in ("svc_1", "svc_6"):
            (root / "apps" / f"{name}.py").write_text("def build(scope, env):\n    raise RuntimeError('boom in ' + env.app)\n")
        parallel = _cli(root, "synth", "--jobs", "2", "--no-cache")
        serial = _cli(root, "synth", "--jobs", "1", "--no-cache")
        assert parallel.returncode == serial.returncode == 1
        assert parallel.stderr == serial.stderr
        for app in ("svc-1", "svc-6"):
            assert f"boom in {app}" in parallel.stderr
        assert "4 problems" in parallel.stderr  # two apps in two environments
        assert not (root / "dist").exists()

    def test_failed_cross_object_check_names_construct_paths_as_serial(self, tmp_path: Path) -> None:
        """A check failing on objects built by workers gives the serial synth's message, construct path included."""
        root = _fleet(tmp_path / "repo", services=10)
        (root / "apps" / "svc_3.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\nfrom cdk8s_gitops.kube import Secret\n\n\n"
            "def build(scope, env):\n    TypedResource(scope, Secret(metadata=ObjectMeta(name='leak'), string_data={'pw': 'x'}))\n")
        parallel = _cli(root, "synth", "--jobs", "2", "--no-cache")
        serial = _cli(root, "synth", "--jobs", "1", "--no-cache")
        assert parallel.returncode == serial.returncode == 1
        assert parallel.stderr == serial.stderr
        assert "dev-svc-3/" in parallel.stderr and "Secret 'leak'" in parallel.stderr


    @pytest.mark.parametrize("planted", [
        "TypedResource(scope, ConfigMap(metadata=ObjectMeta(name='cfg'), data={'DB_PASSWORD': 'hunter2-plain-text'}))",
        "TypedResource(scope, ConfigMap(metadata=ObjectMeta(name='cfg'), data={'image': 'Bad Image:'}))",
    ], ids=["secret-scan", "image-grammar"])
    def test_per_object_checks_run_in_workers_refuse_as_serial(self, tmp_path: Path, planted: str) -> None:
        """Workers run the per-object checks (secret scan, image grammar) on what they build and tell the parent
        which passed; an object that fails one is still refused with the serial synth's message."""
        root = _fleet(tmp_path / "repo", services=10)
        (root / "apps" / "svc_5.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\n"
            "from cdk8s_gitops.kube import ConfigMap\n\n\n"
            f"def build(scope, env):\n    {planted}\n")
        parallel = _cli(root, "synth", "--jobs", "2", "--no-cache")
        serial = _cli(root, "synth", "--jobs", "1", "--no-cache")
        assert parallel.returncode == serial.returncode == 1, parallel.stderr
        assert parallel.stderr == serial.stderr
        assert "dev-svc-5/" in parallel.stderr
        assert not (root / "dist").exists()

    def test_workers_report_the_checks_their_objects_passed(self, tmp_path: Path) -> None:
        """A worker's record names the per-object checks its objects passed, so the parent does not scan them again."""
        from cdk8s_gitops.synth import parallel

        root = _fleet(tmp_path / "repo", services=2)
        project = Project(root)
        from cdk8s_gitops.core.lazy import LazyApp
        from cdk8s_gitops.environment.loader import load_environments
        from cdk8s_gitops.synth.build import build_pair, select_pairs

        spec, module = select_pairs(project, load_environments(project.environments_dir, None, root=root), None)[0]
        out, _, problems = build_pair(LazyApp(), project, spec, module)
        assert out is not None and not problems
        assert sorted(parallel.object_checks_passed(out.objects)) == [
            "cdk8s_gitops.core.images:image_references", "cdk8s_gitops.core.ordering:check_sync_waves",
            "cdk8s_gitops.secrets.checks:no_secret_values", "cdk8s_gitops.synth.secret_scan:secret_scan"]


class TestCache:
    def test_second_run_builds_nothing_and_writes_the_same(self, fleet: Project) -> None:
        """A run with unchanged inputs takes every pair from the cache; the result equals a run without cache."""
        stats: dict[str, int] = {}
        first = synthesize_fleet(fleet, jobs=1, stats=stats)
        assert stats["built"] == stats["pairs"] == 14
        second = synthesize_fleet(fleet, jobs=1, stats=stats)
        assert stats["built"] == 0
        reference = synthesize(fleet)
        assert _files(fleet, second) == _files(fleet, first) == _files(fleet, reference)
        assert (fleet.root / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")

    def test_changed_app_module_rebuilds_only_its_pairs(self, fleet: Project) -> None:
        """Editing one app rebuilds that app in each environment, and the new output is written."""
        synthesize_fleet(fleet, jobs=1)
        path = fleet.root / "apps" / "svc_2.py"
        source = path.read_text()
        assert "ServicePort(port=80)" in source
        path.write_text(source.replace("ServicePort(port=80)", "ServicePort(port=8080)"))
        stats: dict[str, int] = {}
        fresh = Project(root=fleet.root)  # a new run imports the edited module
        result = synthesize_fleet(fresh, jobs=1, stats=stats)
        assert stats["built"] == 2
        assert "port: 8080" in result.output("dev", "svc-2").yaml()
        assert _files(fresh, result) == _files(fresh, synthesize(Project(root=fleet.root)))

    def test_changed_settings_of_one_app_rebuild_only_that_pair(self, fleet: Project) -> None:
        """A new image tag for one app in one environment rebuilds that one pair."""
        synthesize_fleet(fleet, jobs=1)
        env = fleet.environments_dir / "production.yaml"
        text = env.read_text()
        env.write_text(text.replace("  svc-4:\n    images:\n      web: v1.0.3", "  svc-4:\n    images:\n      web: v1.0.9"))
        stats: dict[str, int] = {}
        result = synthesize_fleet(fleet, jobs=1, stats=stats)
        assert stats["built"] == 1
        assert "tag: v1.0.9" in result.output("production", "svc-4").yaml()

    def test_changed_shared_module_rebuilds_every_app(self, fleet: Project) -> None:
        """A project module the apps import is an input of every app."""
        synthesize_fleet(fleet, jobs=1)
        (fleet.root / "fleet_shared.py").write_text('OWNER = "payments"\n')
        del sys.modules["fleet_shared"]  # a new run imports the edited module
        stats: dict[str, int] = {}
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == 14  # shared code is an input of every app (conservative, never stale)
        assert "owner: payments" in result.output("production", "svc-0").yaml()

    def test_file_read_while_building_is_an_input(self, fleet: Project) -> None:
        """A data file an app opens during build rebuilds that app when it changes."""
        synthesize_fleet(fleet, jobs=1)
        (fleet.root / "config" / "greeting.txt").write_text("bonjour\n")
        stats: dict[str, int] = {}
        result = synthesize_fleet(fleet, jobs=1, stats=stats)
        assert stats["built"] == 2
        assert "bonjour" in result.output("dev", "reader").yaml()

    def test_file_read_while_importing_is_an_input(self, fleet: Project) -> None:
        """A data file an app module reads when it is imported (module-level code) is an input too: of every app,
        as the project modules apps import are (conservative: another app may have triggered the read)."""
        (fleet.root / "apps" / "banner.py").write_text(READS_AT_IMPORT)
        (fleet.root / "config" / "banner.txt").write_text("first\n")
        _edit_env(fleet, "  reader: {}", "  reader: {}\n  banner: {}")
        synthesize_fleet(Project(root=fleet.root), jobs=1)
        (fleet.root / "config" / "banner.txt").write_text("second\n")
        stats: dict[str, int] = {}
        fresh = Project(root=fleet.root)
        result = synthesize_fleet(fresh, jobs=1, stats=stats)
        assert stats["built"] == stats["pairs"] == 16
        assert "second" in result.output("dev", "banner").yaml()
        assert _files(fresh, result) == _files(fresh, synthesize(Project(root=fleet.root)))

    def test_one_app_module_is_no_input_of_the_others(self, fleet: Project) -> None:
        """Importing an app opens its source: that file is an input of its own pairs only."""
        synthesize_fleet(fleet, jobs=1)
        records = sorted((fleet.root / CACHE_DIR / "dev").glob("*.json"))
        for path in records:
            inputs = json.loads(path.read_text())["inputs"]
            assert [name for name in inputs if name.startswith("apps/")] == [f"apps/{path.stem.replace('-', '_')}.py"]

    @pytest.mark.parametrize("when", ["build", "import"])
    def test_environment_variable_read_is_an_input(self, fleet: Project, monkeypatch: pytest.MonkeyPatch, when: str) -> None:
        """A variable an app reads (while it builds, or when its module is imported) rebuilds what read it when its
        value changes, is set or is unset; the record keeps a digest of the value, never the value."""
        (fleet.root / "apps" / "flavor.py").write_text(READS_VARIABLE.format(when=when))
        _edit_env(fleet, "  reader: {}", "  reader: {}\n  flavor: {}")
        monkeypatch.setenv("FLEET_FLAVOR", "plain-and-simple")
        stats: dict[str, int] = {}
        synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        environ = json.loads((fleet.root / CACHE_DIR / "dev" / "flavor.json").read_text())["environ"]
        assert re.fullmatch(r"[0-9a-f]{64}", environ["FLEET_FLAVOR"])  # the value's SHA-256 (the manifest holds the value)
        synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == 0
        for value in ("spicy", None):
            if value is None:
                monkeypatch.delenv("FLEET_FLAVOR")
            else:
                monkeypatch.setenv("FLEET_FLAVOR", value)
            fresh = Project(root=fleet.root)
            result = synthesize_fleet(fresh, jobs=1, stats=stats)
            assert stats["built"] == (2 if when == "build" else 16)  # read at import: an input of every app
            assert f"flavor: {value or 'none'}" in result.output("dev", "flavor").yaml()
            assert _files(fresh, result) == _files(fresh, synthesize(Project(root=fleet.root)))

    def test_walking_the_whole_environment_depends_on_every_variable(self, fleet: Project,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
        """An app that reads the environment as a whole (here: counts the variables) is rebuilt when any changes."""
        stats = _cached_app(fleet, "census", WALKS_ENVIRONMENT)
        monkeypatch.setenv("FLEET_UNRELATED", "1")
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == 2
        assert f"count: '{len(os.environ)}'" in result.output("dev", "census").yaml()

    @pytest.mark.parametrize("when", ["build", "import"])
    def test_file_outside_the_project_is_an_input(self, fleet: Project, tmp_path: Path, when: str) -> None:
        """A file outside the project an app reads (a shared configuration, another checkout) is an input by its
        absolute path; one the build also wrote is its own scratch, not an input."""
        outside = tmp_path / "shared" / "motd.txt"
        outside.parent.mkdir()
        outside.write_text("first\n")
        stats = _cached_app(fleet, "motd", READS_OUTSIDE.format(path=str(outside), when=when,
                                                                scratch=str(tmp_path / "scratch.txt")))
        inputs = json.loads((fleet.root / CACHE_DIR / "dev" / "motd.json").read_text())["inputs"]
        assert str(outside.resolve()) in inputs and str((tmp_path / "scratch.txt").resolve()) not in inputs
        outside.write_text("second\n")
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == (2 if when == "build" else 16)
        assert "second" in result.output("dev", "motd").yaml()

    def test_folder_an_app_lists_is_an_input(self, fleet: Project) -> None:
        """An app that makes one object per file of a folder is rebuilt when a file is added to it or removed (no
        file it read changed), not when nothing did."""
        pages = fleet.root / "config" / "pages"
        pages.mkdir()
        (pages / "home.txt").write_text("home\n")
        stats = _cached_app(fleet, "pages", LISTS_FOLDER)
        (pages / "about.txt").write_text("about\n")
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == 2
        assert "name: page-about" in result.output("dev", "pages").yaml()
        (pages / "home.txt").unlink()
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        assert stats["built"] == 2
        assert "page-home" not in result.output("dev", "pages").yaml()

    def test_data_one_pair_kept_in_memory_is_an_input_of_its_other_pairs(self, fleet: Project) -> None:
        """A helper's functools.cache reads a file once per process: the environment built second gets the data from
        memory. The pairs of one app share their inputs, so a change rebuilds both environments."""
        (fleet.root / "config" / "catalog.txt").write_text("v1\n")
        (fleet.root / "catalog.py").write_text(
            "import functools\nfrom pathlib import Path\n\n\n@functools.cache\ndef catalog():\n"
            "    return (Path(__file__).parent / 'config' / 'catalog.txt').read_text()\n")
        sys.modules.pop("catalog", None)
        stats = _cached_app(fleet, "shop", MEMO_USER)
        (fleet.root / "config" / "catalog.txt").write_text("v2\n")
        sys.modules.pop("catalog", None)  # a new run starts with an empty memo
        result = synthesize_fleet(Project(root=fleet.root), jobs=1, stats=stats)
        sys.modules.pop("catalog", None)
        assert stats["built"] == 2
        assert "v2" in result.output("production", "shop").yaml() and "v2" in result.output("dev", "shop").yaml()

    def test_starting_node_is_no_read_of_the_environment(self, tmp_path: Path) -> None:
        """An app whose construct starts Node.js (jsii copies the whole environment for it) is still taken from the
        cache when nothing it reads changed (a new process: Node.js starts inside the first build)."""
        root = _fleet(tmp_path / "repo", services=2)
        (root / "apps" / "svc_1.py").write_text(
            "import cdk8s\n\n\ndef build(scope, env):\n"
            "    cdk8s.ApiObject(scope, 'raw', api_version='v1', kind='ConfigMap', metadata=cdk8s.ApiObjectMetadata(name='raw'))\n")
        first = _cli(root, "synth", "--jobs", "1")
        assert first.returncode == 0, first.stderr
        environ = json.loads((root / CACHE_DIR / "dev" / "svc-1.json").read_text())["environ"]
        assert "*" not in environ
        second = _cli(root, "synth", "--jobs", "1")
        assert "built 0 of 6" in second.stdout, second.stdout + second.stderr

    def test_damaged_record_is_rebuilt_not_used(self, fleet: Project) -> None:
        """A record whose stored file no longer matches its checksum is ignored and rebuilt."""
        first = synthesize_fleet(fleet, jobs=1)
        record = fleet.root / CACHE_DIR / "dev" / "svc-0.json"
        data = json.loads(record.read_text())
        data["files"]["manifest.yaml"] = data["files"]["manifest.yaml"].replace("v1.0.1", "v6.6.6")
        record.write_text(json.dumps(data))
        stats: dict[str, int] = {}
        second = synthesize_fleet(fleet, jobs=1, stats=stats)
        assert stats["built"] == 1
        assert _files(fleet, second) == _files(fleet, first)

    def test_no_cache_builds_everything_and_stores_nothing(self, fleet: Project) -> None:
        """cache=False (--no-cache) neither reads nor writes the cache."""
        stats: dict[str, int] = {}
        synthesize_fleet(fleet, jobs=1, cache=False, stats=stats)
        assert stats["built"] == 14
        assert not (fleet.root / CACHE_DIR).exists()


class TestShards:
    def test_shard_is_stable_and_parses(self) -> None:
        """The split depends on the names only (SHA-256), not on Python's hash seed."""
        assert shard_of("production", "shop", 4) == shard_of("production", "shop", 4)
        assert {shard_of("dev", f"app-{i}", 3) for i in range(30)} == {1, 2, 3}
        assert shard_of("dev", "app-1", 1) == 1
        assert parse_shard("2/4") == (2, 4)
        for bad in ("0/4", "5/4", "x", "1/0"):
            with pytest.raises(ConfigError, match="--shard"):
                parse_shard(bad)

    def test_assembled_shards_equal_one_synth(self, fleet: Project, tmp_path: Path) -> None:
        """Three shards cover every pair exactly once, and their assembly equals a serial synth."""
        folders = [tmp_path / f"shard-{i}" for i in (1, 2, 3)]
        names: list[tuple[str, str]] = []
        for i, folder in enumerate(folders, 1):
            names += synthesize_shard(fleet, (i, 3), folder, jobs=1, cache=False).pairs
        assert sorted(names) == sorted({(e, a) for e in ("dev", "production") for a in [*(f"svc-{i}" for i in range(6)), "reader"]})
        result = assemble(fleet, folders)
        assert _files(fleet, result) == _files(fleet, synthesize(fleet))

    def test_missing_shard_and_stale_records_are_refused(self, fleet: Project, tmp_path: Path) -> None:
        """assemble refuses an incomplete matrix and records built from other inputs than the current files."""
        folders = [tmp_path / f"shard-{i}" for i in (1, 2)]
        for i, folder in enumerate(folders, 1):
            synthesize_shard(fleet, (i, 2), folder, jobs=1, cache=False)
        with pytest.raises(ConfigError, match=r"shard\(s\) 2/2 missing"):
            assemble(fleet, folders[:1])
        (fleet.root / "config" / "greeting.txt").write_text("changed\n")
        with pytest.raises(ConfigError, match="reader: was built from other inputs"):
            assemble(fleet, folders)

    def test_cross_object_checks_run_at_assembly(self, fleet: Project, tmp_path: Path) -> None:
        """A problem only the checks over a whole environment find is reported by assemble, as by synth."""
        (fleet.root / "apps" / "svc_5.py").write_text(
            "from cdk8s_gitops import ObjectMeta, TypedResource\nfrom cdk8s_gitops.kube import Secret\n\n\n"
            "def build(scope, env):\n    TypedResource(scope, Secret(metadata=ObjectMeta(name='leak'), string_data={'pw': 'x'}))\n")
        project = Project(root=fleet.root)
        folder = tmp_path / "all"
        synthesize_shard(project, (1, 1), folder, jobs=1, cache=False)
        with pytest.raises(SynthError) as assembled:
            assemble(project, [folder])
        with pytest.raises(SynthError) as serial:
            synthesize(Project(root=fleet.root))
        assert str(assembled.value) == str(serial.value)
