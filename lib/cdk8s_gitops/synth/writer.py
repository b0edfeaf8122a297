"""The dist writer: render a :class:`SynthResult` to files, and write, check or diff them.

Writing is atomic: the new tree is staged beside ``dist/`` and swapped in with two
renames, so a failure at any point leaves ``dist/`` as it was. Files of apps and
environments that no longer exist are removed (within the folders the run owns).
"""

from __future__ import annotations

import difflib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .build import SynthResult
from .docs import PROVENANCE_FILE, app_readme, environment_readme, provenance
from .project import Project

__all__ = ["Changes", "check", "diff_markdown", "diff_text", "plan", "render_files", "write"]


def render_files(result: SynthResult, project: Project) -> dict[str, bytes]:
    """Every file the result produces, by path relative to ``dist/``."""
    files: dict[str, bytes] = {}
    for spec in result.environments:
        outs = [o for o in result.outputs if o.environment == spec.name]
        files[f"{spec.name}/README.md"] = environment_readme(spec, outs, project).encode()
    for out in result.outputs:
        base = f"{out.environment}/{out.app}"
        text = out.yaml()
        files[f"{base}/manifest.yaml"] = text.encode()
        files[f"{base}/README.md"] = app_readme(out, project).encode()
        files[f"{base}/{PROVENANCE_FILE}"] = provenance(out, text, project).encode()
    return files


def _owned(rel: str, owned: tuple[str, ...], produced: dict[str, bytes]) -> bool:
    if rel in produced:
        return True
    return any(prefix == "" or rel == prefix or rel.startswith(prefix + "/") for prefix in owned)


def _current(dist: Path) -> dict[str, bytes]:
    if not dist.is_dir():
        return {}
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


@dataclass
class Changes:
    """How ``dist/`` differs from what synth produces (within the folders the run owns)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        return ([f"added:   {p}" for p in self.added] + [f"removed: {p}" for p in self.removed]
                + [f"changed: {p}" for p in self.changed])


def plan(result: SynthResult, project: Project, files: dict[str, bytes] | None = None) -> tuple[dict[str, bytes], Changes]:
    """The complete new content of ``dist/`` and the changes from what is there now."""
    produced = files if files is not None else render_files(result, project)
    current = _current(project.dist_dir)
    new = {rel: data for rel, data in current.items() if not _owned(rel, result.owned, produced)}
    new.update(produced)
    changes = Changes(
        added=sorted(set(new) - set(current)),
        removed=sorted(set(current) - set(new)),
        changed=sorted(rel for rel in set(new) & set(current) if new[rel] != current[rel]),
    )
    return new, changes


def write(result: SynthResult, project: Project) -> Changes:
    """Make ``dist/`` hold exactly what ``result`` produces; atomic, and a no-op when nothing changed."""
    dist: Path = project.dist_dir
    new, changes = plan(result, project)
    if not changes and dist.is_dir():
        return changes
    staging = dist.parent / f".{dist.name}.tmp-{os.getpid()}"
    old = dist.parent / f".{dist.name}.old-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for rel, data in sorted(new.items()):
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as fh:
                fh.write(data)
        if dist.exists():
            os.replace(dist, old)
        os.replace(staging, dist)
    except BaseException:
        if not dist.exists() and old.exists():
            os.replace(old, dist)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return changes


def check(result: SynthResult, project: Project) -> Changes:
    """What differs between the committed ``dist/`` and a fresh synth (empty when up to date)."""
    return plan(result, project)[1]


def _objects(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for doc in yaml.safe_load_all(text):
        if not isinstance(doc, dict):
            continue
        meta = doc.get("metadata") or {}
        key = f"{doc.get('kind')} {meta['namespace'] + '/' if meta.get('namespace') else ''}{meta.get('name')}"
        out[key] = yaml.safe_dump(doc, sort_keys=False, default_flow_style=False, width=4096)
    return out


def _object_diffs(result: SynthResult, project: Project) -> tuple[list[tuple[str, str, str, list[str]]], list[str]]:
    """(folder, object, state, unified diff lines) per changed object, and other changed files."""
    new, changes = plan(result, project)
    dist: Path = project.dist_dir
    diffs: list[tuple[str, str, str, list[str]]] = []
    for rel in sorted(set(changes.added) | set(changes.removed) | set(changes.changed)):
        if not rel.endswith("manifest.yaml"):
            continue
        old_text = (dist / rel).read_text() if (dist / rel).is_file() else ""
        new_text = new[rel].decode() if rel in new else ""
        before, after = _objects(old_text), _objects(new_text)
        for key in sorted(set(before) | set(after)):
            if before.get(key) == after.get(key):
                continue
            state = "added" if key not in before else "removed" if key not in after else "changed"
            lines = list(difflib.unified_diff(
                (before.get(key) or "").splitlines(keepends=True), (after.get(key) or "").splitlines(keepends=True),
                fromfile=f"a/{rel}", tofile=f"b/{rel}"))
            diffs.append((rel.rsplit("/", 1)[0], key, state, lines))
    other = [p for p in changes.lines() if not p.endswith("manifest.yaml")]
    return diffs, other


def diff_text(result: SynthResult, project: Project) -> str:
    """A readable per-object unified diff of what synth would change in ``dist/``."""
    diffs, other = _object_diffs(result, project)
    chunks: list[str] = []
    for folder, key, state, lines in diffs:
        chunks.append(f"### {folder}: {key} ({state})\n")
        chunks.extend(lines)
        chunks.append("\n")
    if other and diffs:
        chunks.append("### other files\n" + "\n".join(other) + "\n")
    return "".join(chunks)


def diff_markdown(result: SynthResult, project: Project) -> str:
    """The diff as Markdown for a pull request: grouped by environment, then app, then object."""
    diffs, _ = _object_diffs(result, project)
    if not diffs:
        return "## Rendered manifests\n\nNo changes to `dist/`.\n"
    counts = {s: sum(1 for d in diffs if d[2] == s) for s in ("added", "changed", "removed")}
    out = ["## Rendered manifests", "",
           f"{len(diffs)} object(s) differ: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed.", ""]
    current_env = current_app = None
    for folder, key, state, lines in diffs:
        env, _, app = folder.partition("/")
        if env != current_env:
            out += [f"### Environment `{env}`", ""]
            current_env, current_app = env, None
        if app != current_app:
            out += [f"#### App `{app}`", ""]
            current_app = app
        body = "".join(lines[2:]).replace("```", "` ` `")
        out += [f"<details><summary>{state}: <code>{key}</code></summary>", "", "```diff", body.rstrip("\n"), "```", "",
                "</details>", ""]
    return "\n".join(out)
