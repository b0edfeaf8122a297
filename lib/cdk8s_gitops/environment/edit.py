"""Edits of ``environments/<name>.yaml`` that keep comments, key order and layout.

Used by ``cdk8s-gitops set-image`` and ``cdk8s-gitops promote``. Every edit is checked
before anything is written: the new tag must pass the target environment's image policy,
and the edited file must still load as a valid :class:`EnvironmentSpec`.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from ..core.errors import ConfigError, Problem, format_value
from ..core.files import atomic_write
from .loader import discover_environments, load_environment, read_environment_text
from .spec import EnvironmentSpec, check_image_tag

__all__ = ["ImageChange", "apply_changes", "plan_promotion", "plan_set_image"]


@dataclass(frozen=True)
class ImageChange:
    """One image tag to change in one environment file."""

    environment: str
    app: str
    service: str
    old: str | None
    new: str

    def __str__(self) -> str:
        return f"{self.environment}: {self.app}/{self.service}: {self.old or '(none)'} -> {self.new}"


def _yaml() -> YAML:
    y = YAML()  # round-trip mode: comments and order survive
    y.preserve_quotes = True
    y.width = 4096
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _env_file(directory: Path, name: str, flag: str = "--env") -> Path:
    """The file of an existing environment; refuses any other name (``../elsewhere/file``, a typo)."""
    available = discover_environments(directory)
    if name not in available:
        raise ConfigError(Problem(flag, "", f"no environment named {format_value(name)} in environments/",
                                  f"choose one of: {', '.join(available) or '(none found)'}"))
    return directory / f"{name}.yaml"


def plan_set_image(directory: Path, env: str, target: str, tag: str, root: Path | None = None) -> list[ImageChange]:
    """The change ``set-image <app>[/<service>] <tag> --env <env>`` would make; refuses bad tags and unknown targets."""
    spec = load_environment(_env_file(directory, env), root)
    shown = f"environments/{env}.yaml"
    app, _, service = target.partition("/")
    if app not in spec.apps:
        raise ConfigError(Problem(shown, f"apps.{app}", f"app {app!r} is not in this environment",
                                  f"choose one of: {', '.join(sorted(spec.apps)) or '(none)'}"))
    images = spec.apps[app].images
    if not service:
        if len(images) != 1:
            raise ConfigError(Problem(shown, f"apps.{app}.images",
                                      f"app {app!r} has {len(images)} services ({', '.join(sorted(images)) or 'none'})",
                                      f"name one: {app}/<service>"))
        service = next(iter(images))
    why = check_image_tag(tag, spec.for_app(app).image_policy)
    if why:
        raise ConfigError(Problem(shown, f"apps.{app}.images.{service}", why))
    if images.get(service) == tag:
        return []
    return [ImageChange(env, app, service, images.get(service), tag)]


def plan_promotion(directory: Path, source: str, target: str, app: str | None = None,
                   root: Path | None = None) -> list[ImageChange]:
    """The changes ``promote --from <source> --to <target>`` would make; refuses tags the target cannot take."""
    src = load_environment(_env_file(directory, source, "--from"), root)
    dst = load_environment(_env_file(directory, target, "--to"), root)
    apps = [app] if app else sorted(set(src.apps) & set(dst.apps))
    problems: list[Problem] = []
    changes: list[ImageChange] = []
    for name in apps:
        if name not in src.apps or name not in dst.apps:
            missing = source if name not in src.apps else target
            problems.append(Problem(f"environments/{missing}.yaml", f"apps.{name}", f"app {name!r} is not in {missing}",
                                    "promote an app that both environments list"))
            continue
        for service, tag in sorted(src.apps[name].images.items()):
            old = dst.apps[name].images.get(service)
            if old == tag:
                continue
            why = check_image_tag(tag, dst.for_app(name).image_policy)
            if why:
                problems.append(Problem(
                    f"environments/{target}.yaml", f"apps.{name}.images.{service}",
                    f"cannot promote {tag!r} from {source}: {why.split('; ')[0]}",
                    f"this tag scheme needs an explicit tag: run 'cdk8s-gitops set-image {name}/{service} <tag> --env {target}'"))
                continue
            changes.append(ImageChange(target, name, service, old, tag))
    if problems:
        raise ConfigError(problems)
    return changes


def _render(text: str, changes: list[ImageChange]) -> str:
    y = _yaml()
    data: Any = y.load(text)
    for change in changes:
        app_node = data["apps"][change.app]
        if "images" not in app_node or app_node["images"] is None:
            app_node["images"] = CommentedMap()
        app_node["images"][change.service] = change.new
    buf = io.StringIO()
    y.dump(data, buf)
    return buf.getvalue()


def apply_changes(directory: Path, changes: list[ImageChange], root: Path | None = None) -> dict[Path, tuple[str, int]]:
    """Write ``changes`` into their files; returns the previous text and mode of every file written (to undo).

    Each new text is validated as an :class:`EnvironmentSpec` before any file is written; each file is
    replaced atomically (a temporary file flushed to disk, given the old mode, renamed over it).
    """
    by_env: dict[str, list[ImageChange]] = {}
    for change in changes:
        by_env.setdefault(change.environment, []).append(change)
    rendered: dict[Path, tuple[str, str]] = {}
    for env, env_changes in sorted(by_env.items()):
        path = _env_file(directory, env)
        old = read_environment_text(path, f"environments/{env}.yaml")
        new = _render(old, env_changes)
        _validate_text(path, new, root)
        rendered[path] = (old, new)
    previous: dict[Path, tuple[str, int]] = {}
    for path, (old, new) in rendered.items():
        mode = stat.S_IMODE(os.stat(path).st_mode)
        atomic_write(path, new.encode("utf-8"), mode)
        previous[path] = (old, mode)
    return previous


def _validate_text(path: Path, text: str, root: Path | None) -> EnvironmentSpec:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / path.name
        probe.write_text(text, encoding="utf-8")
        try:
            return load_environment(probe)
        except ConfigError as exc:
            shown = str(path if root is None else path.relative_to(root))
            raise ConfigError([Problem(shown, p.path, p.message, p.fix) for p in exc.problems]) from None
