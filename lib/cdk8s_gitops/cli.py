"""The ``cdk8s-gitops`` command: a thin layer over :mod:`cdk8s_gitops.synth`.

Exit codes (see :data:`cdk8s_gitops.core.failures.EXIT_CODES`): 0 ok; 1 differences found or
validation failed; 2 usage or configuration error; 3 output folder refused; 4 no space left;
5 read-only filesystem; 6 file-size limit; 7 permission denied; 8 other OS error; 130 interrupted.
Errors are printed as one line per problem, never as a traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .core.errors import ConfigError, GitOpsError, Problem, SynthError
from .core.failures import EXIT_CODES, EXIT_DIFF, EXIT_INTERRUPTED, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, describe_os_error
from .server import add_serve_command

if TYPE_CHECKING:  # imported where used, so that --help does not load synth
    from collections.abc import Callable
    from types import FrameType

    from .environment.edit import ImageChange
    from .synth import Project, SynthResult
    from .synth.fleet import OnFolder
    from .synth.install import DistState

__all__ = ["main"]


def _project(args: argparse.Namespace, required: bool = True) -> Project:
    from .synth import Project

    output = getattr(args, "output", None)
    project = Project(root=_root(args, required), dist_dir=Path(output).absolute() if output else None)
    if hasattr(args, "dist_state"):
        args.dist_state.shown = f"{project.relative(project.dist_dir)}/"
    return project


def _root(args: argparse.Namespace, required: bool = True) -> Path:
    """--project-dir, else the nearest folder up from here with cdk8s.yaml or apps/ + environments/ (as git does)."""
    from .synth.project import find_root

    if args.project_dir is not None:
        return Path(args.project_dir)
    found = find_root(Path.cwd())
    if found is None and required:
        raise ConfigError(Problem(
            str(Path.cwd()), "", "no cdk8s-gitops project here or in any parent folder (looked for cdk8s.yaml, "
            "or apps/ and environments/ side by side)",
            "run from inside the project, pass --project-dir DIR, or create one with 'cdk8s-gitops init DIR'"))
    return found or Path.cwd()


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", "-e", action="append", metavar="NAME", dest="envs",
                        help="only this environment (repeatable). Default: every file in environments/")
    parser.add_argument("--app", "-a", action="append", metavar="NAME", dest="apps",
                        help="only this app (repeatable). Default: every app in apps/")


def _waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes; use 1 or more")
    return value


def _cmd_synth(args: argparse.Namespace) -> int:
    from .synth.fleet import synthesize_fleet

    project = _project(args)
    if args.shard:
        return _synth_shard(args, project)

    def build(on_folder: OnFolder | None) -> SynthResult:
        stats: dict[str, int] = {}
        result = synthesize_fleet(project, args.envs, args.apps, jobs=args.jobs, cache=not args.no_cache,
                                  debug=args.debug, stats=stats, on_folder=on_folder)
        where = f"{stats['workers']} processes" if stats["workers"] else "this process"
        print(f"built {stats['built']} of {stats['pairs']} (environment, app) pairs in {where}; "
              f"{stats['pairs'] - stats['built']} unchanged, from the cache")
        return result

    return _check_or_write(args, project, build, cdk8s_cli=True, early=args.jobs != 1)


def _synth_shard(args: argparse.Namespace, project: Project) -> int:
    from .synth.fleet import parse_shard, synthesize_shard

    shard = parse_shard(args.shard)
    if args.check or args.apps or not args.output:
        raise ConfigError(Problem("--shard", "", "a shard needs --output DIR and takes neither --check nor --app",
                                  "run: cdk8s-gitops synth --shard I/N --output DIR, then: cdk8s-gitops assemble DIR..."))
    summary = synthesize_shard(project, shard, Path(args.output), args.envs, jobs=args.jobs, cache=not args.no_cache,
                               debug=args.debug)
    print(f"shard {summary.index}/{summary.count}: {len(summary.pairs)} app folders, {summary.objects} objects "
          f"({summary.built} built, {len(summary.pairs) - summary.built} from the cache) in {summary.folder}/")
    return EXIT_OK


def _cmd_assemble(args: argparse.Namespace) -> int:
    from .synth.fleet import assemble

    project = _project(args)
    return _check_or_write(args, project, lambda _: assemble(project, [Path(p) for p in args.folders], args.envs,
                                                             debug=args.debug))


def _check_or_write(args: argparse.Namespace, project: Project, build: Callable[[OnFolder | None], SynthResult],
                    cdk8s_cli: bool = False, early: bool = False) -> int:
    """``--check`` the result of ``build`` against dist/, or write it (under the output folder's lock).

    ``build`` is given where to send app folders' files early when ``early`` (the run may use worker processes:
    this process writes them into a :class:`~.synth.writer.Prestage` while it waits), else None."""
    from .synth.cdk8s_cli import cdk8s_outdir, check_scratch, copy_manifests, same_as_dist_warning
    from .synth.writer import Prestage, check, locked, write

    if not args.check:
        # Under `cdk8s synth` (cdk8s.yaml's app command), CDK8S_OUTDIR is a scratch folder the cdk8s CLI has
        # emptied: dist/ is written here as always (atomically), then its manifests are copied there.
        outdir = None if args.output or not cdk8s_cli else cdk8s_outdir()
        notice = same_as_dist_warning(outdir, project) if outdir else None
        if notice:
            print(f"warning: {notice}", file=sys.stderr)
        elif outdir:
            check_scratch(outdir, project)
        with locked(project, partial=bool(args.envs or args.apps), on_wait=_waiting) as recovered, \
                Prestage(project, enabled=early) as prestage:
            for note in recovered:
                print(f"note: {note}", file=sys.stderr)
            result = build(prestage.put if prestage.enabled else None)
            changes = write(result, project, args.dist_state, prestage=prestage, cache=not getattr(args, "no_cache", False))
        for note in changes.notes:
            print(f"note: {note}", file=sys.stderr)
        if outdir and not notice:
            copy_manifests(result, project, outdir)
        summary = f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed" if changes else "no changes"
        print(f"synthesized {result.object_count} objects for {len(result.outputs)} app folders "
              f"into {project.relative(project.dist_dir)}/ ({summary})")
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        return EXIT_OK
    result = build(None)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.check:
        changes = check(result, project, cache=not getattr(args, "no_cache", False))
        if changes:
            print(f"dist/ is stale: {len(changes.lines())} file(s) differ from a fresh synth "
                  f"(run 'cdk8s-gitops synth' and commit the result):")
            for line in changes.lines():
                print(f"  {line}")
            return EXIT_DIFF
        print(f"dist/ is up to date ({result.object_count} objects in {len(result.outputs)} app folders)")
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from .synth.fleet import synthesize_fleet
    from .synth.writer import diff_markdown, diff_text

    project = _project(args)
    result = synthesize_fleet(project, args.envs, args.apps, debug=args.debug)
    if args.markdown:
        text = diff_markdown(result, project)
        sys.stdout.write(text)
        return EXIT_OK if "No changes" in text.splitlines()[2] else EXIT_DIFF
    text = diff_text(result, project)
    if not text:
        print("no changes: dist/ matches a fresh synth")
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_DIFF


def _cmd_list(args: argparse.Namespace) -> int:
    from .environment import discover_environments, load_environments
    from .synth.fleet import synthesize_fleet

    project = _project(args)
    apps = project.apps()
    envs = load_environments(project.environments_dir, args.envs, root=project.root)
    counts: dict[tuple[str, str], int] = {}
    if not args.no_count:
        result = synthesize_fleet(project, args.envs, args.apps, debug=args.debug)
        counts = {(o.environment, o.app): len(o.objects) for o in result.outputs}
    print(f"environments: {', '.join(discover_environments(project.environments_dir))}")
    print(f"{'APP':<28} {'ENVIRONMENT':<14} {'NAMESPACE':<28} OBJECTS")
    for name, module in apps.items():
        if args.apps and name not in args.apps:
            continue
        listed = [e for e in envs if name in e.apps]
        if not listed:
            print(f"{name:<28} {'-':<14} {'-':<28} -   ({project.relative(module.path)}: in no environment)")
        for env in listed:
            ns = env.for_app(name).namespace
            count = counts.get((env.name, name), "-")
            print(f"{name:<28} {env.name:<14} {ns:<28} {count}")
    return EXIT_OK


def _edit_and_synth(args: argparse.Namespace, plan: Callable[[Project], list[ImageChange]]) -> int:
    """Plan, edit the environment files and synthesize them, all under the output folder's lock."""
    from contextlib import AbstractContextManager, nullcontext

    from .core.files import atomic_write
    from .environment.edit import apply_changes
    from .synth import synthesize, write
    from .synth.writer import locked

    project = _project(args)
    guard: AbstractContextManager[list[str] | None] = (
        nullcontext() if args.dry_run else locked(project, partial=not args.no_synth, on_wait=_waiting))
    with guard as recovered:
        for note in recovered or ():
            print(f"note: {note}", file=sys.stderr)
        changes = plan(project)
        if not changes:
            print("nothing to change: the tags are already there")
            return EXIT_OK
        for change in changes:
            print(f"{'would change' if args.dry_run else 'changed'} {change}")
        if args.dry_run:
            return EXIT_OK
        envs = sorted({c.environment for c in changes})
        previous = apply_changes(project.environments_dir, changes, project.root)
        try:
            if not args.no_synth:
                result = synthesize(project, envs, debug=args.debug)
                write(result, project, args.dist_state)
                print(f"synthesized {', '.join(envs)} into {project.relative(project.dist_dir)}/")
        except BaseException:
            if args.dist_state.phase == "unchanged":  # undo: the environment files go back as they were
                for path, (text, mode) in previous.items():
                    atomic_write(path, text.encode("utf-8"), mode)
                args.dist_state.environments_restored = True
            raise
    return EXIT_OK


def _cmd_set_image(args: argparse.Namespace) -> int:
    from .environment.edit import plan_set_image

    return _edit_and_synth(args, lambda project: plan_set_image(
        project.environments_dir, args.env, args.target, args.tag, project.root))


def _cmd_promote(args: argparse.Namespace) -> int:
    from .environment.edit import plan_promotion

    return _edit_and_synth(args, lambda project: plan_promotion(
        project.environments_dir, args.source, args.target, args.app, project.root))


def _cmd_validate(args: argparse.Namespace) -> int:
    from .synth.validate import KUBERNETES_VERSION, validate_paths

    project = _project(args, required=not args.paths)
    paths = [Path(p) for p in args.paths] or [project.dist_dir]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"error: {', '.join(map(str, missing))}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    schema_dirs = [Path(d) for d in args.schemas or ()]
    not_dirs = [d for d in schema_dirs if not d.is_dir()]
    if not_dirs:
        print(f"error: --schemas {', '.join(map(str, not_dirs))}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    count, findings = validate_paths(paths, schema_dirs, project.root, unknown=args.unknown)
    problems = [f for f in findings if not f.warning]
    for finding in findings:
        print(finding, file=sys.stderr if finding.warning else sys.stdout)
    warned = len(findings) - len(problems)
    status = f"{len(problems)} problem(s)" if problems else "no problems"
    if warned:
        status += f", {warned} object(s) of kinds nothing could check (warnings)"
    print(f"validated {count} objects (modelled kinds with the library's models, core kinds against Kubernetes "
          f"{KUBERNETES_VERSION}): {status}", file=sys.stderr if problems else sys.stdout)
    return EXIT_DIFF if problems else EXIT_OK


def _cmd_init(args: argparse.Namespace) -> int:
    from .scaffold import init

    root = Path(args.directory)
    result = init(root, package_spec=args.package_spec, force=args.force, repo_url=args.repo_url)
    for rel in result.written:
        print(f"created     {rel}")
    for rel in result.overwritten:
        print(f"overwrote   {rel}")
    shown = str(root)
    print(f"\nA platform repository is ready in {shown}. Next:\n"
          f"  cd {shown}\n"
          f"  python3 -m venv .venv && .venv/bin/pip install -e '.[test]'\n"
          f"  .venv/bin/cdk8s-gitops synth && .venv/bin/python -m pytest")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from .codegen.importer import import_crds

    out = Path(args.out)
    result = import_crds([Path(p) for p in args.paths], out)
    package = out.name
    for (api_version, kind), (module, _cls) in sorted(result.kinds.items()):
        print(f"{kind} ({api_version}): from {package}.{module.split('.')[0]} import {kind}")
    print(f"wrote {len(result.files)} files to {out}; `import {package}` also makes from_manifest load these kinds")
    return EXIT_OK


def _cmd_convert(args: argparse.Namespace) -> int:
    from .synth.convert import convert_into_project

    envs: dict[str, str] = {}
    for item in args.envs or ():
        name, sep, file = item.partition("=")
        if not sep or not name or not file:
            print(f"error: --env {item!r}: use NAME=FILE, e.g. --env dev=rendered/dev.yaml", file=sys.stderr)
            return EXIT_USAGE
        envs[name] = file
    if not args.paths and not envs:
        print("error: give the manifests to convert: PATH... (or - for standard input), or --env NAME=FILE per environment",
              file=sys.stderr)
        return EXIT_USAGE
    report = convert_into_project(_root(args).resolve(), args.app, list(args.paths), envs, args.models or (),
                                  force=args.force, dry_run=args.dry_run, check=not args.no_verify)
    print("\n".join(report))
    return EXIT_DIFF if any(line.startswith("verify: ") and "gives back" not in line for line in report) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cdk8s-gitops",
        description="Synthesize typed cdk8s GitOps platforms into plain YAML under dist/ for Argo CD.",
        epilog="exit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--project-dir", "-C", default=None, metavar="DIR",
                        help="repository root holding apps/, environments/ and dist/. Default: the nearest folder "
                             "up from the current one that has cdk8s.yaml, or apps/ and environments/")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for failures in app code")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("synth", help="build every app for every environment and write dist/",
                       description="Build apps/ for environments/ and write dist/<env>/<app>/manifest.yaml "
                                   "(plus README.md and hydrator.metadata). Atomic: on any error dist/ is left as it was; "
                                   "files of apps and environments that no longer exist are removed. Writes only into a "
                                   "folder that holds nothing but synth's own files (listed in dist/.cdk8s-gitops-dist), "
                                   "swaps the new tree in as one step and waits for other runs (a lock beside dist/). "
                                   "--env/--app refuse a missing or damaged dist/ (run a full synth).")
    _selection(p)
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and list the files that differ when the committed dist/ is stale")
    p.add_argument("--output", "-o", metavar="DIR",
                   help="write here instead of <project>/dist (with --shard: the shard's folder). Under `cdk8s synth` "
                        "($CDK8S_OUTDIR set) dist/ is still written, and its manifests are copied into $CDK8S_OUTDIR")
    p.add_argument("--jobs", "-j", type=_jobs, metavar="N",
                   help="build apps in N processes (1: everything in this process). Output is the same for any N. "
                        "Default: the CPUs available, at most 8, with at least 8 (environment, app) pairs each")
    p.add_argument("--no-cache", action="store_true",
                   help="build every app; do not read or write the incremental cache (.cdk8s-gitops-cache/). "
                        "Without it, a pair's output is reused while nothing its build read changed: its settings, "
                        "the library, the files it opened, the folders it listed, the environment variables it read")
    p.add_argument("--shard", metavar="I/N",
                   help="build only shard I of N (a stable split of the (environment, app) pairs, for a CI job "
                        "matrix) into --output DIR; then 'cdk8s-gitops assemble' the N folders")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("assemble", help="combine the folders of 'synth --shard I/N' jobs into dist/ (or --check it)",
                       description="Read the folders written by all N 'synth --shard I/N' jobs, refuse a missing shard or "
                                   "records built from other inputs than the current files, run the Argo CD wiring and every "
                                   "cross-object check over all objects, then write dist/ exactly as one synth would "
                                   "(or, with --check, compare it).")
    p.add_argument("folders", nargs="+", metavar="DIR", help="the shard folders (each holds shard.json)")
    p.add_argument("--env", "-e", action="append", metavar="NAME", dest="envs",
                   help="only this environment (repeatable; as passed to the shard jobs). Default: every environment")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and list the files that differ when the committed dist/ is stale")
    p.add_argument("--output", "-o", metavar="DIR", help="write here instead of <project>/dist")
    p.set_defaults(func=_cmd_assemble, apps=None)

    p = sub.add_parser("diff", help="show, object by object, what synth would change in dist/",
                       description="Print a unified diff per object between dist/ and a fresh synth. Exit 1 when there are changes.")
    _selection(p)
    p.add_argument("--output", "-o", metavar="DIR", help="compare with this folder instead of <project>/dist")
    p.add_argument("--markdown", action="store_true",
                   help="print Markdown grouped by environment, app and object (for a pull request comment or job summary)")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("list", help="list apps, environments and object counts",
                       description="List every app with the environments it is synthesized for, its namespace and object count.")
    _selection(p)
    p.add_argument("--no-count", action="store_true", help="skip synthesis; do not count objects")
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser("validate", help="validate YAML offline: the library's models, Kubernetes schemas, CRD schemas, policy",
                       description="Validate every object in dist/ (or PATH) with only the installed package: every kind "
                                   "the library models with its typed models, core kinds also strictly with "
                                   "kubernetes-validate at a pinned Kubernetes version, other custom resources against JSON "
                                   "schemas in the kubeconform layout (<DIR>/<group>/<kind>_<version>.json) from --schemas, "
                                   "and the library's policy checks. One line per problem; exit 1 on any. A kind nothing "
                                   "can check is a problem (a warning with --unknown warn).")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders. Default: <project>/dist")
    p.add_argument("--schemas", "--schema-dir", action="append", metavar="DIR", dest="schemas",
                   help="folder of JSON schemas for kinds the library does not model (kubeconform layout; repeatable)")
    p.add_argument("--unknown", choices=("error", "warn"), default="error",
                   help="what a kind that is neither modelled nor found in --schemas is: a problem (default) or a warning")
    p.set_defaults(func=_cmd_validate)

    add_serve_command(sub, main)

    p = sub.add_parser("init", help="create a new platform repository that uses this package",
                       description="Write a platform repository into DIR: pyproject.toml depending on cdk8s-gitops, "
                                   "cdk8s.yaml, apps/hello.py (an example app), environments/dev.yaml and production.yaml, "
                                   "tests with YAML snapshots, a CI workflow (synth --check, validate, pytest), a README; "
                                   "then synthesize dist/. Refuses a non-empty DIR unless --force.")
    p.add_argument("directory", nargs="?", default=os.curdir, metavar="DIR", help="the new repository. Default: here")
    p.add_argument("--package-spec", default="cdk8s-gitops", metavar="REQ",
                   help="how the new repository depends on this package: a requirement ('cdk8s-gitops>=0.1'), or a "
                        "local checkout or wheel path. Default: cdk8s-gitops")
    p.add_argument("--repo-url", metavar="URL",
                   help="the Git URL Argo CD reads the new repository from. Default: https://github.com/example-org/<DIR name>.git")
    p.add_argument("--force", action="store_true",
                   help="write into a non-empty DIR: the scaffold's files replace files of the same name; others are kept")
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("set-image", help="set an app's image tag in one environment (keeps comments), then synth",
                       description="Edit environments/ENV.yaml: set apps.<app>.images.<service> to TAG, keeping comments and "
                                   "layout. The tag must follow the OCI tag grammar and the environment's image_policy "
                                   "(mutable tags such as 'latest' are refused unless allowed). Then synthesize that environment. "
                                   "On any refusal neither the file nor dist/ changes.")
    p.add_argument("target", metavar="APP[/SERVICE]", help="the app, and the service when the app has several")
    p.add_argument("tag", metavar="TAG", help="the new image tag, e.g. v1.4.3 or dev-4f2a9c1; or a digest: v1.4.3@sha256:<64 hex>, sha256:<64 hex>")
    p.add_argument("--env", "-e", required=True, metavar="NAME", help="the environment file to edit")
    p.add_argument("--dry-run", action="store_true", help="print the change; write nothing")
    p.add_argument("--no-synth", action="store_true", help="edit the environment file only")
    p.set_defaults(func=_cmd_set_image)

    p = sub.add_parser("promote", help="copy image tags from one environment to the next, then synth",
                       description="Copy every app's image tags from --from to --to (or one app with --app). Refuses tags "
                                   "the target's image_policy does not accept (for example staging-<sha> into a v<semver> "
                                   "production): set those explicitly with set-image. Prints what changed.")
    p.add_argument("--from", dest="source", required=True, metavar="ENV", help="environment to copy tags from")
    p.add_argument("--to", dest="target", required=True, metavar="ENV", help="environment to copy tags into")
    p.add_argument("--app", metavar="NAME", help="only this app. Default: every app both environments list")
    p.add_argument("--dry-run", action="store_true", help="print the changes; write nothing")
    p.add_argument("--no-synth", action="store_true", help="edit the environment file only")
    p.set_defaults(func=_cmd_promote)

    p = sub.add_parser("import", help="generate typed models for your own CRDs (like cdk8s import)",
                       description="Read CustomResourceDefinition YAML (files or folders) and write a Python package of typed "
                                   "models, one module per API group and version: snake_case fields, Literal enums, required "
                                   "fields, schema limits and CEL rules checked at construction, upstream camelCase in YAML. "
                                   "Objects reuse the library's core classes (containers, selectors). Run it again after a "
                                   "CRD changes; the package is generated, do not edit it.")
    p.add_argument("paths", nargs="+", metavar="CRD", help="CRD YAML files or folders of them")
    p.add_argument("--out", "-o", default="crds", metavar="DIR",
                   help="package folder to write (created if missing). Default: ./crds")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("convert", help="turn plain manifests (or Helm/Kustomize output) into a typed app module",
                       description="Read manifests (files, folders, multi-document YAML, `helm template` or `kubectl kustomize` "
                                   "output; - reads standard input) and write apps/<APP>.py with a typed build(scope, env). "
                                   "With --env NAME=FILE per environment, values that differ (image tags, replicas, namespace, "
                                   "others as apps.<APP>.settings) are read from environments/<NAME>.yaml, whose apps.<APP> "
                                   "entries are written too. A Secret with data becomes an ExternalSecret on the environment's "
                                   "store (values are never written). The module is then synthesized and compared with the "
                                   "input; the report lists every normalization. Exit 1 when the comparison finds a difference.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="manifest files or folders, or - for standard input")
    p.add_argument("--app", required=True, metavar="NAME", help="the app's name (apps/<name>.py, '-' becomes '_')")
    p.add_argument("--env", action="append", dest="envs", metavar="NAME=FILE",
                   help="the app rendered for environment NAME (repeatable); instead of PATHs")
    p.add_argument("--models", action="append", metavar="PACKAGE",
                   help="a package made by `cdk8s-gitops import` whose kinds to use as well (repeatable)")
    p.add_argument("--force", action="store_true", help="replace an existing module and apps.<APP> entries")
    p.add_argument("--dry-run", action="store_true", help="print the report and the module; write nothing")
    p.add_argument("--no-verify", action="store_true", help="skip synthesizing the module and comparing it with the input")
    p.set_defaults(func=_cmd_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (:func:`~.console.console`, the command, exits with it)."""
    from .synth.install import DistState

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    args.dist_state = state = DistState()
    if hasattr(signal, "SIGXFSZ"):  # over `ulimit -f`: get EFBIG (a clear error), not a core-dumping signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    previous_term = _terminate_as_interrupt()
    try:
        return _run(args, state)
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)


def _terminate_as_interrupt() -> Callable[[int, FrameType | None], object] | int | None:
    """SIGTERM (a CI job cancelled) cleans up like Ctrl-C; only possible in the main thread."""
    def handler(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        return None


def _run(args: argparse.Namespace, state: DistState) -> int:
    from .synth.install import OutputError

    try:
        return int(args.func(args))
    except ConfigError as exc:
        _print_error(exc, state)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_OUTPUT
    except SynthError as exc:
        _print_error(exc, state)
        return EXIT_DIFF
    except GitOpsError as exc:
        _print_error(exc, state)
        return EXIT_DIFF
    except ValueError as exc:
        converted = _as_library_error(exc)
        if converted is None:
            raise
        _print_error(converted, state)
        return EXIT_DIFF
    except BrokenPipeError:  # the reader (`| head`) went away: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        if args.debug:
            import traceback

            traceback.print_exc()
        code, message = describe_os_error(exc)
        _print_error(message, state)
        return code
    except KeyboardInterrupt:
        print(f"interrupted; {state.describe()}{_restored(state)}", file=sys.stderr)
        return EXIT_INTERRUPTED


def _restored(state: DistState) -> str:
    return " The environment files were put back as they were." if state.environments_restored else ""


def _as_library_error(exc: ValueError) -> GitOpsError | None:
    """Safety net: a pydantic ValidationError that escaped becomes the library's error (field, value, fix)."""
    from pydantic import ValidationError

    if not isinstance(exc, ValidationError):
        return None
    from .core.errors import ManifestError
    from .core.model import problems_from_validation_error

    return ManifestError(problems_from_validation_error(exc, exc.title))


def _print_error(exc: Exception | str, state: DistState) -> None:
    print(f"error: {exc}", file=sys.stderr)
    print(f"{state.describe()}{_restored(state)}", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
