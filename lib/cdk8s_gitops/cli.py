"""The ``cdk8s-gitops`` command: a thin layer over :mod:`cdk8s_gitops.synth`.

Exit codes: 0 ok; 1 differences found or validation failed; 2 usage or configuration error.
Errors are printed as one line per problem, never as a traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .core.errors import ConfigError, GitOpsError, SynthError

if TYPE_CHECKING:  # imported where used, so that --help does not load synth
    from .environment.edit import ImageChange
    from .synth import Project

EXIT_OK, EXIT_DIFF, EXIT_USAGE = 0, 1, 2

__all__ = ["main"]


def _project(args: argparse.Namespace) -> Project:
    from .synth import Project

    # `cdk8s synth` (cdk8s.yaml) runs this command with CDK8S_OUTDIR set to its output folder.
    output = getattr(args, "output", None) or os.environ.get("CDK8S_OUTDIR")
    return Project(root=Path(args.project_dir), dist_dir=Path(output).resolve() if output else None)


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--env", "-e", action="append", metavar="NAME", dest="envs",
                        help="only this environment (repeatable). Default: every file in environments/")
    parser.add_argument("--app", "-a", action="append", metavar="NAME", dest="apps",
                        help="only this app (repeatable). Default: every app in apps/")


def _cmd_synth(args: argparse.Namespace) -> int:
    from .synth import check, synthesize, write

    project = _project(args)
    result = synthesize(project, args.envs, args.apps, debug=args.debug)
    if args.check:
        changes = check(result, project)
        if changes:
            print(f"dist/ is stale: {len(changes.lines())} file(s) differ from a fresh synth "
                  f"(run 'cdk8s-gitops synth' and commit the result):")
            for line in changes.lines():
                print(f"  {line}")
            return EXIT_DIFF
        print(f"dist/ is up to date ({result.object_count} objects in {len(result.outputs)} app folders)")
        return EXIT_OK
    changes = write(result, project)
    summary = f"{len(changes.added)} added, {len(changes.changed)} changed, {len(changes.removed)} removed" if changes else "no changes"
    print(f"synthesized {result.object_count} objects for {len(result.outputs)} app folders "
          f"into {project.relative(project.dist_dir)}/ ({summary})")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from .synth import diff_text, synthesize
    from .synth.writer import diff_markdown

    project = _project(args)
    result = synthesize(project, args.envs, args.apps, debug=args.debug)
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
    from .synth import synthesize

    project = _project(args)
    apps = project.apps()
    envs = load_environments(project.environments_dir, args.envs, root=project.root)
    counts: dict[tuple[str, str], int] = {}
    if not args.no_count:
        result = synthesize(project, args.envs, args.apps, debug=args.debug)
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


def _apply_and_synth(args: argparse.Namespace, changes: list[ImageChange]) -> int:
    from .environment.edit import apply_changes
    from .synth import synthesize, write

    project = _project(args)
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
            write(result, project)
            print(f"synthesized {', '.join(envs)} into {project.relative(project.dist_dir)}/")
    except BaseException:
        for path, text in previous.items():  # undo: the environment files go back as they were
            path.write_text(text, encoding="utf-8")
        raise
    return EXIT_OK


def _cmd_set_image(args: argparse.Namespace) -> int:
    from .environment.edit import plan_set_image

    project = _project(args)
    return _apply_and_synth(args, plan_set_image(project.environments_dir, args.env, args.target, args.tag, project.root))


def _cmd_promote(args: argparse.Namespace) -> int:
    from .environment.edit import plan_promotion

    project = _project(args)
    return _apply_and_synth(args, plan_promotion(project.environments_dir, args.source, args.target, args.app, project.root))


def _cmd_validate(args: argparse.Namespace) -> int:
    from .synth.validate import KUBERNETES_VERSION, validate_paths

    project = _project(args)
    paths = [Path(p) for p in args.paths] or [project.dist_dir]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"error: {', '.join(map(str, missing))}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    schema_dir = Path(args.schema_dir) if args.schema_dir else None
    if schema_dir is not None and not schema_dir.is_dir():
        print(f"error: --schema-dir {schema_dir}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    count, findings = validate_paths(paths, schema_dir, project.root)
    for finding in findings:
        print(finding)
    status = f"{len(findings)} problem(s)" if findings else "no problems"
    print(f"validated {count} objects (core kinds against Kubernetes {KUBERNETES_VERSION}): {status}",
          file=sys.stderr if findings else sys.stdout)
    return EXIT_DIFF if findings else EXIT_OK


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
    report = convert_into_project(Path(args.project_dir).resolve(), args.app, list(args.paths), envs, args.models or (),
                                  force=args.force, dry_run=args.dry_run, check=not args.no_verify)
    print("\n".join(report))
    return EXIT_DIFF if any(line.startswith("verify: ") and "gives back" not in line for line in report) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cdk8s-gitops",
        description="Synthesize typed cdk8s GitOps platforms into plain YAML under dist/ for Argo CD.",
        epilog="Exit codes: 0 ok, 1 differences or failed validation, 2 usage or configuration error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--project-dir", "-C", default=os.curdir, metavar="DIR",
                        help="repository root holding apps/, environments/ and dist/. Default: current directory")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks for failures in app code")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("synth", help="build every app for every environment and write dist/",
                       description="Build apps/ for environments/ and write dist/<env>/<app>/manifest.yaml "
                                   "(plus README.md and hydrator.metadata). Atomic: on any error dist/ is left as it was; "
                                   "files of apps and environments that no longer exist are removed.")
    _selection(p)
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and list the files that differ when the committed dist/ is stale")
    p.add_argument("--output", "-o", metavar="DIR",
                   help="write here instead of <project>/dist. Default: $CDK8S_OUTDIR when set (cdk8s synth sets it)")
    p.set_defaults(func=_cmd_synth)

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

    p = sub.add_parser("validate", help="validate YAML offline: Kubernetes schemas, CRD schemas, policy",
                       description="Validate every object in dist/ (or PATH): core kinds strictly with kubernetes-validate "
                                   "at a pinned Kubernetes version, custom resources against JSON schemas in the kubeconform "
                                   "layout (<schema-dir>/<group>/<kind>_<version>.json), and the library's policy checks. "
                                   "One line per problem; exit 1 on any. A kind with no schema is a problem.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders. Default: <project>/dist")
    p.add_argument("--schema-dir", metavar="DIR", help="folder of custom resource schemas (kubeconform layout)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("set-image", help="set an app's image tag in one environment (keeps comments), then synth",
                       description="Edit environments/ENV.yaml: set apps.<app>.images.<service> to TAG, keeping comments and "
                                   "layout. The tag must follow the OCI tag grammar and the environment's image_policy "
                                   "(mutable tags such as 'latest' are refused unless allowed). Then synthesize that environment. "
                                   "On any refusal neither the file nor dist/ changes.")
    p.add_argument("target", metavar="APP[/SERVICE]", help="the app, and the service when the app has several")
    p.add_argument("tag", metavar="TAG", help="the new image tag, e.g. v1.4.3 or dev-4f2a9c1")
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
    """Run the CLI; returns the exit code (the console script exits with it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except ConfigError as exc:
        _print_error(exc)
        return EXIT_USAGE
    except SynthError as exc:
        _print_error(exc)
        return EXIT_DIFF
    except GitOpsError as exc:
        _print_error(exc)
        return EXIT_DIFF
    except BrokenPipeError:  # the reader (`| head`) went away: not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; dist/ was left as it was", file=sys.stderr)
        return 130


def _print_error(exc: Exception) -> None:
    print(f"error: {exc}", file=sys.stderr)
    print("dist/ was left unchanged.", file=sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
