"""The GitHub workflows and the pre-commit hook: linted with check-jsonschema and zizmor, and what they run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PULL_REQUEST = WORKFLOWS / "pull-request.yml"
BUILD_AND_DEPLOY = WORKFLOWS / "build-and-deploy.yml"
SHARDED = WORKFLOWS / "sharded-synth.yml"
ALL_WORKFLOWS = [PULL_REQUEST, BUILD_AND_DEPLOY, SHARDED]
PRE_COMMIT = REPO / ".pre-commit-config.yaml"
SHA_PIN = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@([0-9a-f]{40})\s+#\s*v\d+(\.\d+)*\s*$")


def tool(name: str) -> str:
    """The path of a linter installed beside this Python (the dev extra), else on PATH; skip (fail in CI) without it."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; CI installs it with the dev extra (pip install -e '.[dev]')")
        pytest.skip(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def lint(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as True
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def scripts(workflow: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in steps(workflow) if "run" in step)


def step(workflow: dict[str, Any], job: str, name: str) -> dict[str, Any]:
    return next(s for s in workflow["jobs"][job]["steps"] if s.get("name") == name)


def run_script(script: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's `run:` script with bash -e, as GitHub's default shell does."""
    path = tmp_path / "step.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "-e", str(path)], cwd=tmp_path, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60, check=False)


def fake_cli(tmp_path: Path, body: str) -> str:
    """A PATH whose `cdk8s-gitops` is a stub running `body` (bash), before the real one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stub = bin_dir / "cdk8s-gitops"
    stub.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
    stub.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(scope="module")
def pull_request() -> dict[str, Any]:
    return load(PULL_REQUEST)


@pytest.fixture(scope="module")
def build_and_deploy() -> dict[str, Any]:
    return load(BUILD_AND_DEPLOY)


class TestLinters:
    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_workflow_matches_github_schema(self, path: Path) -> None:
        """check-jsonschema accepts the workflow against its vendored GitHub workflow schema (offline)."""
        result = lint(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path))
        assert result.returncode == 0, result.stdout + result.stderr

    def test_every_job_has_a_timeout(self) -> None:
        """check-jsonschema's timeout schema: no job can hang for GitHub's six-hour default."""
        result = lint(tool("check-jsonschema"), "--builtin-schema", "custom.github-workflows-require-timeout",
                      *map(str, ALL_WORKFLOWS))
        assert result.returncode == 0, result.stdout + result.stderr

    def test_zizmor_reports_nothing_on_the_workflows(self) -> None:
        """zizmor (offline, default persona) finds nothing in .github/workflows."""
        result = lint(tool("zizmor"), "--offline", "--format", "plain", ".github/workflows")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout, result.stdout + result.stderr

    def test_zizmor_reports_nothing_on_the_pre_commit_config(self) -> None:
        """zizmor (offline) finds nothing in .pre-commit-config.yaml either."""
        result = lint(tool("zizmor"), "--offline", "--format", "plain", "--collect=pre-commit", ".pre-commit-config.yaml")
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout, result.stdout + result.stderr


class TestBothWorkflows:
    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_actions_are_pinned_to_a_commit_with_its_version(self, path: Path) -> None:
        """Every `uses:` names a full 40-character commit SHA followed by a `# vX.Y.Z` comment."""
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"^\s*(-\s+)?uses:", line)]
        assert lines
        for line in lines:
            assert SHA_PIN.match(line), f"not pinned to a commit with a version comment: {line.strip()}"

    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_checkouts_do_not_persist_credentials(self, path: Path) -> None:
        """Every actions/checkout sets persist-credentials: false (the token is not left in .git/config)."""
        checkouts = [s for s in steps(load(path)) if s.get("uses", "").startswith("actions/checkout@")]
        assert checkouts
        for checkout in checkouts:
            assert checkout["with"]["persist-credentials"] is False

    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_no_expression_inside_a_script(self, path: Path) -> None:
        """No `${{ }}` in any `run:` script: context values reach scripts through env (no template injection)."""
        assert "${{" not in scripts(load(path))

    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_scripts_parse(self, path: Path, tmp_path: Path) -> None:
        """Every bash script passes `bash -n` and every `shell: python` script compiles."""
        for s in steps(load(path)):
            if "run" not in s:
                continue
            if s.get("shell") == "python":
                compile(s["run"], s.get("name", "step"), "exec")
                continue
            script = tmp_path / "step.sh"
            script.write_text(s["run"], encoding="utf-8")
            result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
            assert result.returncode == 0, f"{s.get('name')}: {result.stderr}"

    @pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: p.name)
    def test_runs_are_serialized(self, path: Path) -> None:
        """Each workflow has a concurrency group."""
        assert load(path)["concurrency"]["group"]


class TestPullRequestWorkflow:
    def test_runs_on_pull_requests_with_read_only_contents(self, pull_request: dict[str, Any]) -> None:
        """Triggered by pull_request (never pull_request_target), with `contents: read` and nothing more."""
        assert set(pull_request["on"]) == {"pull_request"}
        assert pull_request["permissions"] == {"contents": "read"}
        assert all("permissions" not in job for job in pull_request["jobs"].values())

    def test_installs_like_the_quickstart_on_python_311(self, pull_request: dict[str, Any]) -> None:
        """setup-python 3.11, then `pip install -e '.[dev]'` (the Quickstart's install)."""
        setup = next(s for s in steps(pull_request) if s.get("uses", "").startswith("actions/setup-python@"))
        assert str(setup["with"]["python-version"]) == "3.11"
        assert "pip install -e '.[dev]'" in scripts(pull_request)

    def test_runs_tests_synth_check_validate_and_markdown_diff(self, pull_request: dict[str, Any]) -> None:
        """pytest, `synth --check`, `validate` and `diff --markdown` into the job summary, in that order."""
        text = scripts(pull_request)
        order = [text.index(cmd) for cmd in ("pytest", "cdk8s-gitops synth --check", "cdk8s-gitops validate",
                                             "cdk8s-gitops diff --markdown")]
        assert order == sorted(order)
        assert "GITHUB_STEP_SUMMARY" in step(pull_request, "check", "Rendered diff into the job summary")["run"]

    def test_nothing_rewrites_dist_before_the_check(self, pull_request: dict[str, Any]) -> None:
        """No step runs a writing `cdk8s-gitops synth` (which would hide a stale dist/ from `synth --check`)."""
        for line in scripts(pull_request).splitlines():
            if "cdk8s-gitops synth" in line:
                assert "--check" in line, line

    def test_schema_dir_comes_from_a_repository_variable(self, pull_request: dict[str, Any]) -> None:
        """validate reads the schema folder from vars.CRD_SCHEMA_DIR, passed through env."""
        validate = step(pull_request, "check", "Validate dist/")
        assert validate["env"]["CRD_SCHEMA_DIR"] == "${{ vars.CRD_SCHEMA_DIR }}"

    def test_validate_runs_without_a_schema_dir(self, pull_request: dict[str, Any], tmp_path: Path) -> None:
        """Without CRD_SCHEMA_DIR validate still runs (the library's models need no schemas) and its exit 1 fails the step."""
        path = fake_cli(tmp_path, 'echo "called: $*"; exit 1')
        result = run_script(step(pull_request, "check", "Validate dist/")["run"], tmp_path,
                            {"PATH": path, "CRD_SCHEMA_DIR": ""})
        assert result.returncode == 1
        assert result.stdout.strip() == "called: validate"

    def test_validate_runs_with_the_schema_dir_and_fails_with_it(self, pull_request: dict[str, Any], tmp_path: Path) -> None:
        """With CRD_SCHEMA_DIR set, validate gets it as --schemas and its exit 1 fails the step."""
        path = fake_cli(tmp_path, 'echo "called: $*"; exit 1')
        result = run_script(step(pull_request, "check", "Validate dist/")["run"], tmp_path,
                            {"PATH": path, "CRD_SCHEMA_DIR": "schemas"})
        assert result.returncode == 1
        assert "called: validate --schemas schemas" in result.stdout

    @pytest.mark.parametrize(("exit_code", "step_fails"), [(0, False), (1, False), (2, True)])
    def test_diff_exit_codes(self, pull_request: dict[str, Any], tmp_path: Path, exit_code: int, step_fails: bool) -> None:
        """diff's exit 1 (there are changes) is a success and lands in the summary; exit 2 (an error) fails the step."""
        path = fake_cli(tmp_path, f'printf "## Rendered manifests\\n\\ncalled: %s\\n" "$*"; exit {exit_code}')
        summary = tmp_path / "summary.md"
        summary.touch()
        runner_temp = tmp_path / "runner-temp"
        runner_temp.mkdir()
        result = run_script(step(pull_request, "check", "Rendered diff into the job summary")["run"], tmp_path,
                            {"PATH": path, "GITHUB_WORKSPACE": str(tmp_path), "RUNNER_TEMP": str(runner_temp),
                             "GITHUB_STEP_SUMMARY": str(summary)})
        assert (result.returncode != 0) is step_fails, result.stdout + result.stderr
        text = summary.read_text(encoding="utf-8")
        if step_fails:
            assert result.returncode == exit_code and text == ""
        else:
            assert f"called: diff --markdown --output {tmp_path}/.base/dist" in text

    def test_diff_compares_with_the_base_branch(self, pull_request: dict[str, Any]) -> None:
        """The base branch's dist/ is checked out (sparse) and the diff compares the fresh synth with it."""
        base = step(pull_request, "check", "Check out the base branch's dist/")
        assert base["with"]["ref"] == "${{ github.event.pull_request.base.sha }}"
        assert base["with"]["path"] == ".base" and base["with"]["sparse-checkout"] == "dist"


class TestBuildAndDeployWorkflow:
    def test_runs_on_pushes_to_main_that_change_the_platform(self, build_and_deploy: dict[str, Any]) -> None:
        """push to main, limited to apps/, services/, lib/ and environments/."""
        push = build_and_deploy["on"]["push"]
        assert push["branches"] == ["main"]
        assert push["paths"] == ["apps/**", "services/**", "lib/**", "environments/**"]

    def test_only_the_deploy_job_may_write(self, build_and_deploy: dict[str, Any]) -> None:
        """No permissions at the top; contents: read for the jobs, contents: write only where the commit is pushed."""
        assert build_and_deploy["permissions"] == {}
        jobs = build_and_deploy["jobs"]
        assert {name: job["permissions"] for name, job in jobs.items()} == {
            "changes": {"contents": "read"},
            "build-and-push": {"contents": "read"},
            "deploy-dev": {"contents": "write"},
        }

    def test_registry_is_a_parameter(self, build_and_deploy: dict[str, Any]) -> None:
        """The registry comes from the manual run's input or vars.REGISTRY, never from the file."""
        assert "registry" in build_and_deploy["on"]["workflow_dispatch"]["inputs"]
        image = step(build_and_deploy, "build-and-push", "Image reference")
        assert image["env"]["REGISTRY"] == "${{ inputs.registry || vars.REGISTRY }}"

    def test_image_tag_matches_the_dev_tag_pattern(self, build_and_deploy: dict[str, Any]) -> None:
        """The tag is dev-<7-character sha>, which environments/dev.yaml's image_policy.tag_pattern accepts."""
        text = scripts(build_and_deploy)
        assert ":dev-${GITHUB_SHA::7}" in text and 'tag="dev-${GITHUB_SHA::7}"' in text
        pattern = yaml.safe_load((REPO / "environments" / "dev.yaml").read_text(encoding="utf-8"))["image_policy"]["tag_pattern"]
        assert re.fullmatch(pattern, "dev-" + "0123456789abcdef0123456789abcdef01234567"[:7])

    def test_builds_with_docker_actions(self, build_and_deploy: dict[str, Any]) -> None:
        """The build job logs in with docker/login-action and pushes with docker/build-push-action."""
        uses = [s.get("uses", "").split("@")[0] for s in build_and_deploy["jobs"]["build-and-push"]["steps"]]
        assert "docker/login-action" in uses and "docker/build-push-action" in uses
        build = step(build_and_deploy, "build-and-push", "Build and push")
        assert build["with"]["push"] is True and build["with"]["tags"] == "${{ steps.image.outputs.ref }}"

    def test_deploy_sets_the_dev_tag_and_commits_dist(self, build_and_deploy: dict[str, Any]) -> None:
        """The deploy job runs set-image for dev, synthesizes, commits environments/dev.yaml and dist/ as the bot."""
        deploy = build_and_deploy["jobs"]["deploy-dev"]
        assert deploy["needs"] == ["changes", "build-and-push"]
        script = step(build_and_deploy, "deploy-dev", "Set the dev tags, synth, commit and push")["run"]
        assert 'cdk8s-gitops set-image "${target}" "${tag}" --env dev' in script
        assert "git add -- environments/dev.yaml dist" in script
        assert "41898282+github-actions[bot]@users.noreply.github.com" in script


class TestChangedApps:
    """The `changes` job's script, run in a throwaway git repository."""

    @staticmethod
    def git(repo: Path, *args: str) -> str:
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo,
                              check=True, capture_output=True, text=True).stdout.strip()

    @pytest.fixture()
    def repo(self, tmp_path: Path) -> Path:
        if shutil.which("git") is None:
            pytest.skip("git is not installed")
        repo = tmp_path / "repo"
        (repo / "apps").mkdir(parents=True)
        (repo / "apps" / "hello_web.py").write_text("def build(scope, env): pass\n", encoding="utf-8")
        (repo / "apps" / "shop.py").write_text('APP_NAME = "storefront"\n', encoding="utf-8")
        for dockerfile in ("services/hello-web/Dockerfile", "services/storefront/api/Dockerfile",
                           "services/storefront/worker/Dockerfile"):
            (repo / dockerfile).parent.mkdir(parents=True, exist_ok=True)
            (repo / dockerfile).write_text("FROM scratch\n", encoding="utf-8")
        self.git(repo, "init", "-q", "-b", "main")
        self.git(repo, "add", "-A")
        self.git(repo, "commit", "-q", "-m", "base")
        return repo

    def find(self, workflow: dict[str, Any], repo: Path, before: str, event: str = "push") -> dict[str, str]:
        script = repo.parent / "find.py"
        script.write_text(step(workflow, "changes", "Find the apps this push changes")["run"], encoding="utf-8")
        output = repo.parent / "github-output"
        output.write_text("", encoding="utf-8")
        env = {**os.environ, "GITHUB_OUTPUT": str(output), "EVENT_NAME": event, "BEFORE": before}
        subprocess.run([sys.executable, str(script)], cwd=repo, env=env, check=True, capture_output=True, text=True)
        return dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())

    def test_a_changed_app_and_service_are_built(self, build_and_deploy: dict[str, Any], repo: Path) -> None:
        """Changing apps/hello_web.py and a file under services/storefront/ builds hello-web and every storefront service."""
        before = self.git(repo, "rev-parse", "HEAD")
        (repo / "apps" / "hello_web.py").write_text("def build(scope, env): return None\n", encoding="utf-8")
        (repo / "services" / "storefront" / "api" / "main.py").write_text("", encoding="utf-8")
        self.git(repo, "add", "-A")
        self.git(repo, "commit", "-q", "-m", "change")
        out = self.find(build_and_deploy, repo, before)
        assert out["targets"] == "hello-web storefront/api storefront/worker"
        assert out["count"] == "3"
        assert json.loads(out["matrix"])["include"][0] == {"target": "hello-web", "image": "hello-web",
                                                           "context": "services/hello-web"}

    def test_a_lib_only_push_builds_nothing(self, build_and_deploy: dict[str, Any], repo: Path) -> None:
        """A push that changes only lib/ yields an empty matrix (the build job is skipped)."""
        before = self.git(repo, "rev-parse", "HEAD")
        (repo / "lib").mkdir()
        (repo / "lib" / "x.py").write_text("", encoding="utf-8")
        self.git(repo, "add", "-A")
        self.git(repo, "commit", "-q", "-m", "lib")
        out = self.find(build_and_deploy, repo, before)
        assert out == {"matrix": '{"include": []}', "targets": "", "count": "0"}

    def test_a_manual_run_builds_every_app(self, build_and_deploy: dict[str, Any], repo: Path) -> None:
        """Without a previous commit to compare (manual run, new branch), every app with a Dockerfile is built."""
        out = self.find(build_and_deploy, repo, "", event="workflow_dispatch")
        assert out["count"] == "3"


class TestPreCommit:
    def test_synth_check_hook(self) -> None:
        """A local, system-language hook runs `cdk8s-gitops synth --check` without file names."""
        config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
        hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
        hook = next(h for h in hooks if h["entry"] == "cdk8s-gitops synth --check")
        assert hook["language"] == "system"
        assert hook["pass_filenames"] is False

    @pytest.mark.parametrize(("path", "runs"), [
        ("apps/hello_web.py", True), ("lib/cdk8s_gitops/cli.py", True), ("environments/dev.yaml", True),
        ("dist/dev/hello-web/manifest.yaml", True), ("README.md", False), ("tests/cli/test_cli.py", False),
        ("myapps/x.py", False),
    ])
    def test_hook_runs_for_what_synth_reads_or_writes(self, path: str, runs: bool) -> None:
        """The hook's `files` pattern matches apps/, lib/, environments/ and dist/ only."""
        config = yaml.safe_load(PRE_COMMIT.read_text(encoding="utf-8"))
        hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "cdk8s-gitops-synth-check")
        assert bool(re.search(hook["files"], path)) is runs


class TestShardedSynthWorkflow:
    def test_matrix_lists_every_shard(self) -> None:
        """The matrix runs shards 1..SHARDS, and the assemble job waits for all of them."""
        workflow = load(SHARDED)
        shards = int(workflow["env"]["SHARDS"])
        assert workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"] == list(range(1, shards + 1))
        assert workflow["jobs"]["assemble"]["needs"] == "shard"
        assert workflow["permissions"] == {"contents": "read"}

    def test_scripts_check_the_repository_like_one_synth(self, tmp_path: Path) -> None:
        """Run the shard steps for every shard and the assemble step (artifacts laid out as download-artifact
        does): the committed dist/ passes; a shard left out fails the check."""
        workflow = load(SHARDED)
        shards = int(workflow["env"]["SHARDS"])
        synth = step(workflow, "shard", "Synthesize this shard")["run"]
        check = step(workflow, "assemble", "Committed dist/ is up to date")["run"]
        path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"

        def run(script: str, **env: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(["bash", "-e", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=300,
                                  check=False, env={**os.environ, "PATH": path, "SHARDS": str(shards),
                                                    "RUNNER_TEMP": str(tmp_path), **env})

        for shard in range(1, shards + 1):
            result = run(synth, SHARD=str(shard))
            assert result.returncode == 0, result.stderr
            (tmp_path / "shards").mkdir(exist_ok=True)
            (tmp_path / f"shard-{shard}").rename(tmp_path / "shards" / f"shard-{shard}")
        result = run(check)
        assert result.returncode == 0, result.stderr
        assert "dist/ is up to date" in result.stdout
        shutil.rmtree(tmp_path / "shards" / "shard-2")
        result = run(check)
        assert result.returncode == 2
        assert f"shard(s) 2/{shards} missing" in result.stderr
