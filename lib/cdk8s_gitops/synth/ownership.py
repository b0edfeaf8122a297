"""Whether synth owns an output folder: its ownership file, what the folder holds, and the refusals.

Synth writes only into a folder that is missing, empty, or holds nothing but the files its ownership
file (:data:`MARKER`) lists, and the folders leading to them (see :mod:`.install`, which writes it).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import GitOpsError
from ..core.files import Signature, read_bounded, settled, signature, signature_of
from .docs import PROVENANCE_FILE

__all__ = ["INTERNAL", "MARKER", "Inventory", "OutputError", "check_owned", "inventory", "is_layout_path", "marker_bytes",
           "resolve_output"]

#: The ownership file at the top of the output folder (no .yaml/.json: Argo CD never reads it).
MARKER = ".cdk8s-gitops-dist"
INTERNAL = ".cdk8s-gitops~"  # in-place staging, trash and journal names inside the output folder
_ENV_FILES = frozenset({"README.md"})
_APP_FILES = frozenset({"manifest.yaml", "README.md", PROVENANCE_FILE})
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_SHOWN = 10
_MAX_FOREIGN = 200


class OutputError(GitOpsError):
    """The output folder cannot be written safely (foreign content, damaged, wrong kind of file)."""


def is_layout_path(rel: str) -> bool:
    """Whether ``rel`` is a file synth writes: ``<env>/README.md`` or ``<env>/<app>/<one of its files>``."""
    parts = rel.split("/")
    if not all(_LABEL.match(p) for p in parts[:-1]):
        return False
    return (len(parts) == 2 and parts[1] in _ENV_FILES) or (len(parts) == 3 and parts[2] in _APP_FILES)


def marker_bytes(files: list[str] | set[str] | dict[str, bytes]) -> bytes:
    """The ownership file listing ``files`` (sorted: the same tree gives the same bytes)."""
    head = ("# Written by cdk8s-gitops synth: these files are its own; the next synth replaces or removes them.\n"
            "# Anything else in this folder makes synth refuse to write here. Do not edit by hand.\n")
    return (head + "".join(f"{rel}\n" for rel in sorted(f for f in files if f != MARKER))).encode()


# ----------------------------------------------------------------------------------------------- inventory


@dataclass
class Inventory:
    """What the output folder holds, judged against the ownership file (or the layout rule without one)."""

    exists: bool = False
    marker: bool = False
    files: dict[str, int] = field(default_factory=dict)  # owned regular files -> mode
    signatures: dict[str, Signature] = field(default_factory=dict)  # owned regular files -> signature when walked
    dirs: dict[str, int] = field(default_factory=dict)  # folders leading to them -> mode ("" is the top)
    foreign: list[str] = field(default_factory=list)
    more_foreign: bool = False  # the walk stopped early: there are more foreign entries than listed
    missing: list[str] = field(default_factory=list)
    bad_marker: str = ""

    @property
    def empty(self) -> bool:
        return not self.files and not self.foreign


_LISTED: dict[str, tuple[Signature, frozenset[str]]] = {}
"""Ownership files read and found sound, by path, with their signature: one that settled (2 s old when read) is not
read again while its signature holds (synth replaces it by a rename, so a new one is a new inode)."""


def _listed(target: Path, shown: str) -> tuple[set[str] | None, str]:
    path = f"{target}{os.sep}{MARKER}"
    try:
        version: Signature | None = signature(path)
    except OSError:
        version = None
    known = _LISTED.get(path)
    if known is not None and version == known[0]:
        return set(known[1]), ""
    try:
        text = read_bounded(path, 8 << 20, f"{shown}/{MARKER}").decode("utf-8")
    except FileNotFoundError:
        return None, ""
    except (GitOpsError, OSError, UnicodeDecodeError) as exc:
        return set(), f"cannot be read ({exc})"
    listed = {line for line in text.splitlines() if line and not line.startswith("#")}
    odd = sorted(rel for rel in listed if not is_layout_path(rel))
    if odd:
        return set(), f"lists paths synth never writes ({', '.join(odd[:3])})"
    if version is not None and settled(version):
        _LISTED[path] = (version, frozenset(listed))
    return listed, ""


def inventory(target: Path, shown: str = "dist", *, light: bool = False) -> Inventory:
    """Walk ``target`` (symlinks are never followed inside it) and sort every entry into owned or foreign.

    ``light``: tell entries apart by the type the folder listing gives, without reading each one's status; the
    inventory then has no modes nor signatures (enough to refuse a folder that is not synth's, not to write)."""
    inv = Inventory()
    try:
        top = os.lstat(target)
    except FileNotFoundError:
        return inv
    inv.exists = True
    inv.dirs[""] = stat.S_IMODE(top.st_mode)
    listed, inv.bad_marker = _listed(target, shown)
    mount = os.path.ismount(target)
    inv.marker = listed is not None and not inv.bad_marker
    owned_dirs = {rel.rsplit("/", 1)[0] for rel in listed or ()} | {rel.split("/", 1)[0] for rel in listed or ()}

    def walk(folder: str, rel: str) -> None:
        if len(inv.foreign) >= _MAX_FOREIGN:  # enough to refuse: never walk a whole home folder
            inv.more_foreign = True
            return
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except FileNotFoundError:  # removed by a run finishing its swap while this unlocked pre-check looked
            return
        for entry in entries:
            sub = f"{rel}/{entry.name}" if rel else entry.name
            if not rel and (entry.name == MARKER or entry.name.startswith(INTERNAL)
                            or entry.name.endswith(".cdk8s-gitops.lock") or (mount and entry.name == "lost+found")):
                if entry.name == MARKER and not entry.is_file(follow_symlinks=False):
                    inv.foreign.append(sub)
                continue
            try:
                if light:
                    info = None
                    is_dir, is_file = entry.is_dir(follow_symlinks=False), entry.is_file(follow_symlinks=False)
                else:
                    info = entry.stat(follow_symlinks=False)
                    is_dir, is_file = stat.S_ISDIR(info.st_mode), stat.S_ISREG(info.st_mode)
            except FileNotFoundError:
                continue
            if is_dir:
                ours = sub in owned_dirs if listed is not None else (sub.count("/") < 2 and bool(_LABEL.match(entry.name)))
                if ours:
                    inv.dirs[sub] = stat.S_IMODE(info.st_mode) if info is not None else 0
                    walk(entry.path, sub)
                else:
                    inv.foreign.append(sub + "/")
            elif is_file and (sub in listed if listed is not None else is_layout_path(sub)):
                inv.files[sub] = stat.S_IMODE(info.st_mode) if info is not None else 0
                if info is not None:
                    inv.signatures[sub] = signature_of(info)
            else:
                inv.foreign.append(sub)

    if stat.S_ISDIR(top.st_mode):
        walk(str(target), "")
    inv.missing = sorted((listed or set()) - set(inv.files))
    return inv


def _listing(entries: list[str], more_unknown: bool = False) -> str:
    more = f" and {len(entries) - _SHOWN}{'+' if more_unknown else ''} more" if len(entries) > _SHOWN else ""
    return ", ".join(entries[:_SHOWN]) + more


def _layout_like(entry: str) -> bool:
    """Whether a foreign entry could be synth output of a concurrent run (decided again under the lock)."""
    if entry.endswith("/"):
        parts = entry[:-1].split("/")
        return len(parts) <= 2 and all(_LABEL.match(p) for p in parts)
    return is_layout_path(entry)


def check_owned(inv: Inventory, shown: str, *, partial: bool, locked: bool = True) -> None:
    """Refuse (:class:`OutputError`) to write into a folder holding anything synth did not write.

    Without the lock (``locked=False``, a pre-check) entries shaped like synth output are let through:
    another run may be swapping its tree in at that moment; the check under the lock decides.
    """
    if not locked and all(_layout_like(e) for e in inv.foreign):
        inv = Inventory(exists=inv.exists, marker=inv.marker, files=inv.files, dirs=inv.dirs, missing=inv.missing,
                        bad_marker=inv.bad_marker)
    if inv.bad_marker:
        raise OutputError(f"{shown}: the ownership file {MARKER} {inv.bad_marker}; nothing was written. "
                          f"If {shown} holds only synth output, delete it and run a full 'cdk8s-gitops synth'; "
                          "otherwise choose another --output folder")
    if inv.foreign:
        why = "files synth did not write" if inv.marker else "entries that are not synth output"
        raise OutputError(f"{shown}: refusing to write: the folder holds {why}: {_listing(inv.foreign, inv.more_foreign)}; "
                          "nothing was written or removed. Move those entries out of it, or choose an empty or "
                          "new folder with --output (synth replaces the whole folder, so it only writes into one "
                          "that holds nothing but its own output)")
    if partial and (not inv.exists or inv.empty):
        raise OutputError(f"{shown} is {'missing' if not inv.exists else 'empty'}: a run limited with --env or --app "
                          "would write a partial tree; nothing was written. Run a full 'cdk8s-gitops synth' first")
    if partial and inv.missing:
        raise OutputError(f"{shown} is damaged: files listed in {MARKER} are missing ({_listing(inv.missing)}); "
                          "a run limited with --env or --app would keep it incomplete; nothing was written. "
                          "Run a full 'cdk8s-gitops synth'")


def resolve_output(dist: Path, shown: str) -> Path:
    """The real folder behind ``dist`` (a symlink is written through); refuses a non-folder."""
    target = Path(os.path.realpath(dist))
    if target.exists() and not target.is_dir():
        what = "a symlink to something that is not a folder" if dist.is_symlink() else "not a folder"
        raise OutputError(f"{shown} is {what}; nothing was written. Remove it or choose another --output folder")
    return target
