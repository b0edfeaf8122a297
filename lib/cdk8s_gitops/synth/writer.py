"""The dist writer: render a :class:`SynthResult` to files, and write, check or diff them.

Writing never loses data (see :mod:`.install` for the guarantees): synth writes only into an
output folder that holds nothing but its own files (listed in the ownership file
:data:`~.install.MARKER`), swaps the new tree in as one step, keeps file modes, writes through
a symlinked output folder, and holds a lock so that runs do not overlap. Files of apps and
environments that no longer exist are removed (within the folders the run owns).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.files import read_bounded
from .build import SynthResult
from .cache import CACHE_DIR
from .docs import app_files, environment_readme
from .install import (
    DistState,
    Signature,
    TreeWriter,
    install_tree,
    recover,
    signature,
    staging_path,
)
from .known_files import KnownFiles
from .lock import holds_lock, output_lock
from .ownership import MARKER, Inventory, check_owned, inventory, marker_bytes, resolve_output
from .project import Project

__all__ = ["Changes", "DistState", "Prestage", "check", "diff_markdown", "diff_text", "locked", "plan", "render_files",
           "write"]


def render_files(result: SynthResult, project: Project, digests: dict[str, str] | None = None) -> dict[str, bytes]:
    """Every file the result produces, by path relative to ``dist/``; ``digests`` receives the SHA-256 of those whose
    digest is known already (files of app folders taken from the incremental cache)."""
    files: dict[str, bytes] = {}
    for spec in result.environments:
        outs = [o for o in result.outputs if o.environment == spec.name]
        readme = result.readmes.get(spec.name)
        files[f"{spec.name}/README.md"] = (readme if readme is not None else environment_readme(spec, outs, project)).encode()
    for out in result.outputs:
        folder = f"{out.environment}/{out.app}/"
        rendered = out.rendered if out.rendered is not None else app_files(out, project)
        encoded = out.encoded
        if encoded is not None and encoded.keys() == rendered.keys():  # from the cache: bytes at hand
            for name, data in encoded.items():
                files[folder + name] = data
        else:
            for name, text in rendered.items():
                files[folder + name] = text.encode()
        if digests is not None and out.digests:
            for name, digest in out.digests.items():
                digests[folder + name] = digest
    return files


def _owned(rel: str, owned: tuple[str, ...], produced: dict[str, bytes]) -> bool:
    if rel in produced:
        return True
    return any(prefix == "" or rel == prefix or rel.startswith(prefix + "/") for prefix in owned)


def _output(project: Project) -> tuple[Path, str]:
    dist: Path = project.dist_dir
    shown = project.relative(dist)
    return resolve_output(dist, shown), shown


def _with_parent(target: Path, shown: str, partial: bool) -> Path:
    """``target``, after creating the folders above it (the lock file and staging tree live there).

    A partial run never creates them: with no parent there is no tree to complete, so it refuses.
    """
    if not target.parent.is_dir():
        if partial:
            check_owned(Inventory(), shown, partial=True)
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


class _Produced:
    """The files a run produces, and the SHA-256 of each (known ahead for files from the cache, else computed once)."""

    def __init__(self, files: dict[str, bytes], digests: dict[str, str]) -> None:
        self.files, self._digests = files, digests

    def digest(self, rel: str) -> str:
        found = self._digests.get(rel)
        if found is None:
            found = self._digests[rel] = hashlib.sha256(self.files[rel]).hexdigest()
        return found


def _current(target: Path, inv: Inventory, known: KnownFiles | None = None, produced: _Produced | None = None,
             same: dict[str, Signature] | None = None) -> dict[str, bytes]:
    """The files synth owns in the output folder (foreign entries are never read).

    With ``known`` (what the last write noted) and ``produced``, a file with the signature and content noted, which
    is the content produced, is not read: it is the produced bytes. ``same`` receives each file whose content is
    known to be as it was when the walk of ``inv`` saw it (taken from the note, or read with that signature before
    and after), with that signature."""
    owned = [*inv.files, *([MARKER] if inv.marker else [])]
    out: dict[str, bytes] = {}
    base = f"{target}{os.sep}"
    for rel in sorted(owned):
        walked = inv.signatures.get(rel)
        if known is not None and produced is not None and rel in produced.files and walked is not None:
            noted = known.digest(rel, walked)
            if noted is not None and noted == produced.digest(rel):
                out[rel] = produced.files[rel]
                if same is not None:
                    same[rel] = walked
                continue
        path = base + rel  # text, not pathlib: this runs for every file of dist/
        out[rel] = read_bounded(path, 256 << 20)
        if same is not None and walked is not None:
            try:
                if signature(path) == walked:
                    same[rel] = walked
            except OSError:
                continue
    return out


@dataclass
class Changes:
    """How ``dist/`` differs from what synth produces (within the folders the run owns)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the run recovered from killed runs before writing (not a change of the new tree)."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        return ([f"added:   {p}" for p in self.added] + [f"removed: {p}" for p in self.removed]
                + [f"changed: {p}" for p in self.changed])


def plan(result: SynthResult, project: Project, files: dict[str, bytes] | None = None, *,
         cache: bool = True) -> tuple[dict[str, bytes], Changes]:
    """The complete new content of ``dist/`` (with its ownership file) and the changes from what is there now.
    ``cache``: take files the last write noted as they are (see :mod:`.known_files`) instead of reading them."""
    target, shown = _output(project)
    known = KnownFiles(project.root / CACHE_DIR, target) if cache and files is None else None
    new, changes, _ = _plan(result, project, target, inventory(target, shown), files, known=known)
    return new, changes


def _plan(result: SynthResult, project: Project, target: Path, inv: Inventory,
          files: dict[str, bytes] | None = None, reuse: dict[str, Signature] | None = None,
          known: KnownFiles | None = None, same: dict[str, Signature] | None = None,
          ) -> tuple[dict[str, bytes], Changes, _Produced]:
    """The new tree and the changes; ``reuse`` (when given) receives the files of the output folder that the new
    tree holds unchanged, with their signatures (the writer links them instead of writing them again).
    ``known`` and ``same``: see :func:`_current`."""
    digests: dict[str, str] = {}
    produced = files if files is not None else render_files(result, project, digests)
    made = _Produced(produced, digests)
    if same is None and reuse is not None:
        same = {}
    current = _current(target, inv, known, made, same)
    new = {rel: data for rel, data in current.items() if rel != MARKER and not _owned(rel, result.owned, produced)}
    new.update(produced)
    new[MARKER] = marker_bytes(new)
    changes = Changes(
        added=sorted(set(new) - set(current)),
        removed=sorted(set(current) - set(new)),
        changed=sorted(rel for rel in set(new) & set(current) if new[rel] != current[rel]),
    )
    if reuse is not None and same is not None:
        reuse.update((rel, same[rel]) for rel in set(new) & set(same) if new[rel] == current[rel])
    return new, changes, made


@contextmanager
def locked(project: Project, *, partial: bool = False, on_wait: Callable[[str], None] | None = None) -> Iterator[list[str]]:
    """Hold the output folder's lock (for a whole run: reading environments, building, writing).

    Refuses (:class:`~.install.OutputError`) before taking the lock when the output folder holds
    anything synth did not write, and once the lock is held when ``partial`` (``--env``/``--app``)
    and the folder is missing, empty or damaged. Leftovers of killed runs are recovered first;
    the context value lists what was recovered.
    """
    target, shown = _output(project)
    before = inventory(target, shown, light=True)  # for the checks below only: write() walks again to write
    check_owned(before, shown, partial=False, locked=False)  # refuse before creating the lock file
    waited = False

    def waiting(message: str) -> None:
        nonlocal waited
        waited = True
        if on_wait is not None:
            on_wait(message)

    with output_lock(_with_parent(target, shown, partial), waiting):
        notes = recover(target)
        # The walk just made stands when no run held the lock, none was recovered, and it found nothing but synth's
        # own entries; else walk again. (This check refuses early; write() walks once more before it writes.)
        check_owned(before if not waited and not notes and not before.foreign else inventory(target, shown), shown,
                    partial=partial)
        yield notes


class Prestage:
    """The new tree begun while the synth still builds: app folders whose files are not in the output folder yet
    are written into the staging tree as they come (a parallel synth's own process waits for its workers then),
    so that :func:`write` has less left to do after the checks.

    Use it as a context with the output folder's lock held (inside :func:`locked`) and pass it to :func:`write`,
    which keeps what is right in it; leaving the context discards what :func:`write` did not take (a synth that
    fails leaves ``dist/`` and nothing else behind). A file that is in the output folder already is left to
    :func:`write`, which compares, links or rewrites it. When not ``enabled``, it writes nothing.
    """

    def __init__(self, project: Project, *, enabled: bool = True) -> None:
        self.tree: TreeWriter | None = None
        self.enabled = enabled
        self._target, self._shown = _output(project)
        self._begun = not enabled

    def __enter__(self) -> Prestage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def _begin(self) -> TreeWriter | None:
        """The tree, begun on the first folder (a run that builds everything here never walks ``dist/`` for it)."""
        if not self._begun:
            self._begun = True
            target = self._target
            if not target.parent.is_dir() or (target.is_dir() and os.path.ismount(target)):
                return None  # a mount point is written in place (see install_tree): nothing to begin beside it
            inv = inventory(target, self._shown)
            try:
                os.mkdir(staging_path(target), 0o700)
            except OSError:
                return None  # the parent refuses new entries: write() finds its own way
            self.tree = TreeWriter(staging_path(target), inv)
        return self.tree

    def put(self, environment: str, app: str, files: dict[str, str]) -> None:
        """Write the files of one app folder that the output folder does not hold yet."""
        tree = self._begin()
        if tree is None:
            return
        try:
            for name, text in files.items():
                rel = f"{environment}/{app}/{name}"
                if rel not in tree.inv.files and rel not in tree.written:
                    tree.write(rel, text.encode())
        except OSError:  # a full disk, say: stop here; write() reports it if it happens again
            self.discard()

    def take(self) -> TreeWriter | None:
        """The tree, for :func:`write` to complete (it is no longer this object's to discard)."""
        tree, self.tree = self.tree, None
        return tree

    def discard(self) -> None:
        tree, self.tree = self.tree, None
        if tree is not None:
            shutil.rmtree(tree.root, ignore_errors=True)


def write(result: SynthResult, project: Project, state: DistState | None = None,
          on_wait: Callable[[str], None] | None = None, prestage: Prestage | None = None, *, cache: bool = True) -> Changes:
    """Make ``dist/`` hold exactly what ``result`` produces; atomic, and a no-op when nothing changed.

    ``state`` (optional) records how far the write got, for true messages on interruption. ``prestage`` is the tree
    begun while building (its right files are kept; the rest is written now). ``cache``: take files the last write
    noted as they are, and note the files left as they were (see :mod:`.known_files`).
    Raises :class:`~.ownership.OutputError` when the output folder is not synth's own (nothing is written).
    """
    state = state if state is not None else DistState()
    started = prestage.take() if prestage is not None else None
    try:
        target, shown = _output(project)
        state.shown = f"{shown}/"
        partial = result.owned != ("",)
        if not holds_lock(target):  # else locked() checked it before taking the lock; the check under the lock follows
            check_owned(inventory(target, shown), shown, partial=False, locked=False)
        with output_lock(_with_parent(target, shown, partial), on_wait):
            notes = recover(target, keep=started.root if started is not None else None)
            walked = time.time_ns()
            inv = inventory(target, shown)
            check_owned(inv, shown, partial=partial)
            reuse: dict[str, Signature] = {}
            known = KnownFiles(project.root / CACHE_DIR, target) if cache else None
            same: dict[str, Signature] = {}
            new, changes, made = _plan(result, project, target, inv, reuse=reuse, known=known, same=same)
            changes.notes = notes
            if changes or not inv.exists:
                install_tree(target, new, inv, state, reuse, started, changed=[*changes.added, *changes.removed, *changes.changed])
                started = None  # installed, or removed by install_tree
            if known is not None:  # the files left as they were (a file the swap replaced has another signature)
                left = set(changes.changed) | set(changes.added)
                known.save({rel: (seen, made.digest(rel)) for rel, seen in same.items() if rel in made.files and rel not in left},
                           walked)
    finally:
        if started is not None:
            shutil.rmtree(started.root, ignore_errors=True)
    return changes


def check(result: SynthResult, project: Project, *, cache: bool = True) -> Changes:
    """What differs between the committed ``dist/`` and a fresh synth (empty when up to date)."""
    return plan(result, project, cache=cache)[1]


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
