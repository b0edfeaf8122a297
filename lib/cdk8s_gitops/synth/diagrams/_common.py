"""Shared building blocks of the diagrams: Mermaid flowcharts, Markdown tables and manifest readers."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from ...core.ordering import SYNC_WAVE

Manifest = Mapping[str, Any]

WORKLOAD_KINDS = ("Deployment", "Rollout", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")
"""Kinds whose pods are drawn and counted (their pod template is read)."""


# --------------------------------------------------------------------------------------------
# Mermaid and Markdown building blocks
# --------------------------------------------------------------------------------------------

_ENTITY = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "|": "#124;"}


def escape_label(text: object) -> str:
    """``text`` made safe inside a quoted Mermaid label (``id["..."]``, ``-->|"..."|``).

    Characters Mermaid or its HTML labels would interpret (``"``, ``#``, ``<``, ``>``, ``&``,
    backtick, ``|``) become Mermaid entity codes, which render as the character itself;
    line breaks become spaces. Use :meth:`Flowchart.node` with several lines for breaks.
    """
    return str(text).translate(_LABEL_TABLE)


# Entities; line breaks and tabs as spaces; other control characters dropped.
_LABEL_TABLE: dict[int, str | None] = {
    **{code: None for code in range(32)}, **{ord(ch): " " for ch in "\r\n\t"}, **{ord(k): v for k, v in _ENTITY.items()}}


def _label(lines: str | Sequence[object]) -> str:
    parts = [lines] if isinstance(lines, str) else [str(x) for x in lines if x not in (None, "")]
    return '"' + "<br/>".join(escape_label(p) for p in parts) + '"'


_SHAPES = {
    "box": ("[", "]"),
    "round": ("(", ")"),
    "stadium": ("([", "])"),
    "cylinder": ("[(", ")]"),
    "hexagon": ("{{", "}}"),
    "parallelogram": ("[/", "/]"),
    "circle": ("((", "))"),
    "subroutine": ("[[", "]]"),
}

_NOT_ID = re.compile(r"[^A-Za-z0-9]+")

_ARROWS = {"solid": "-->", "dotted": "-.->", "thick": "==>", "line": "---"}


class Flowchart:
    """A Mermaid ``flowchart`` assembled from nodes, subgraphs and edges, rendered deterministically.

    Node ids are made from the caller's key (a tuple of strings such as kind, namespace and
    name): letters, digits and ``_`` only, with a short hash added when two different keys
    would give the same id. Nodes are written in the order they were first added, edges
    sorted and without duplicates, so the same input always gives the same text.

    Args:
        direction: ``LR`` (left to right, the default), ``TB``, ``RL`` or ``BT``.
    """

    def __init__(self, direction: str = "LR") -> None:
        if direction not in ("LR", "TB", "TD", "RL", "BT"):
            raise ValueError(f"flowchart direction {direction!r} is not one of LR, TB, TD, RL, BT")
        self.direction = direction
        self._ids: dict[tuple[str, ...], str] = {}
        self._taken: set[str] = set()
        self._nodes: dict[str, tuple[str | None, str]] = {}  # id -> (subgraph id, text)
        self._subgraphs: dict[str, tuple[str | None, str]] = {}  # id -> (parent subgraph id, title)
        self._edges: set[tuple[str, str, str, str]] = set()

    def id(self, *key: object) -> str:
        """The stable node id for ``key``."""
        k = tuple(str(p) for p in key)
        if k in self._ids:
            return self._ids[k]
        base = "_".join(_NOT_ID.sub("_", p).strip("_") for p in k if p) or "node"
        base = base[:60].rstrip("_")
        ident = f"n_{base}"
        if ident in self._taken:
            digest = hashlib.sha1("\x00".join(k).encode()).hexdigest()[:8]
            ident = f"{ident}_{digest}"
        self._taken.add(ident)
        self._ids[k] = ident
        return ident

    def has(self, *key: object) -> bool:
        """Whether a node or subgraph with ``key`` was added."""
        k = tuple(str(p) for p in key)
        return k in self._ids and (self._ids[k] in self._nodes or self._ids[k] in self._subgraphs)

    def subgraph(self, key: tuple[object, ...], title: str | Sequence[object], parent: str | None = None) -> str:
        """Add (once) a subgraph titled ``title``, inside subgraph ``parent`` if given; returns its id."""
        ident = self.id(*key)
        if ident not in self._subgraphs:
            self._subgraphs[ident] = (parent, _label(title))
        return ident

    def node(self, key: tuple[object, ...], lines: str | Sequence[object], shape: str = "box",
             subgraph: str | None = None) -> str:
        """Add (once) a node showing ``lines`` (one per row) with ``shape``; returns its id."""
        ident = self.id(*key)
        if ident not in self._nodes:
            opening, closing = _SHAPES[shape]
            self._nodes[ident] = (subgraph, f"{ident}{opening}{_label(lines)}{closing}")
        return ident

    def edge(self, source: str, target: str, label: str = "", style: str = "solid") -> None:
        """Connect two node (or subgraph) ids, optionally with a label."""
        self._edges.add((source, target, label, style))

    def __bool__(self) -> bool:
        return bool(self._nodes)

    def render(self) -> str:
        """The diagram text (without the Markdown fence)."""
        lines = [f"flowchart {self.direction}"]

        def emit(parent: str | None, depth: int) -> None:
            pad = "    " * depth
            for owner, text in self._nodes.values():
                if owner == parent:
                    lines.append(pad + text)
            for sg, (owner, title) in self._subgraphs.items():
                if owner == parent:
                    lines.append(f"{pad}subgraph {sg} [{title}]")
                    emit(sg, depth + 1)
                    lines.append(f"{pad}end")

        emit(None, 1)
        for source, target, label, style in sorted(self._edges):
            arrow = _ARROWS[style]
            text = f"|{_label(label)}|" if label else ""
            lines.append(f"    {source} {arrow}{text} {target}")
        return "\n".join(lines)

    def markdown(self) -> str:
        """The diagram in a fenced ``mermaid`` block."""
        return "```mermaid\n" + self.render() + "\n```"


def mermaid_blocks(markdown: str) -> list[str]:
    """The text of every fenced ``mermaid`` block in ``markdown``, in order."""
    return [m.group(1) for m in re.finditer(r"^```mermaid\n(.*?)\n```$", markdown, re.DOTALL | re.MULTILINE)]


def _one_line(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _cell(value: object) -> str:
    """``value`` as plain text in a Markdown table cell: one line, ``|`` escaped, no HTML."""
    text = "" if value is None else str(value)
    text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _one_line(text)


def _code(value: object) -> str:
    """``value`` as inline code in a Markdown table cell (code spans need no HTML escaping)."""
    text = _one_line(value)
    if not text:
        return ""
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return out


# --------------------------------------------------------------------------------------------
# Reading manifests
# --------------------------------------------------------------------------------------------

def _meta(m: Manifest) -> Mapping[str, Any]:
    return m.get("metadata") or {}


def _name(m: Manifest) -> str:
    return str(_meta(m).get("name", ""))


def _ns(m: Manifest) -> str:
    return str(_meta(m).get("namespace") or "")


def _kind(m: Manifest) -> str:
    return str(m.get("kind", ""))


def _spec(m: Manifest) -> Mapping[str, Any]:
    spec = m.get("spec")
    return spec if isinstance(spec, Mapping) else {}


def _wave(m: Manifest) -> str:
    return str((_meta(m).get("annotations") or {}).get(SYNC_WAVE, ""))


def _key(m: Manifest) -> tuple[str, str, str]:
    return (_kind(m), _ns(m), _name(m))


def _of(manifests: Iterable[Manifest], *kinds: str) -> list[Manifest]:
    # _kind inlined: this runs for every manifest of a folder, for each of some twenty kinds a README looks for
    found = [m for m in manifests if (k := m.get("kind", "")) in kinds or (type(k) is not str and str(k) in kinds)]
    return sorted(found, key=_key) if len(found) > 1 else found


def _pod_template(m: Manifest) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """(pod template labels, pod spec) of a workload; empty when it has none."""
    kind, spec = _kind(m), _spec(m)
    if kind == "Pod":
        return _meta(m).get("labels") or {}, spec
    if kind == "CronJob":
        spec = ((spec.get("jobTemplate") or {}).get("spec") or {})
    template = spec.get("template") or {}
    if not isinstance(template, Mapping):
        return {}, {}
    return ((template.get("metadata") or {}).get("labels") or {}), (template.get("spec") or {})


def _containers(pod: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], bool]]:
    found = [(c, True) for c in pod.get("initContainers") or [] if isinstance(c, Mapping)]
    found += [(c, False) for c in pod.get("containers") or [] if isinstance(c, Mapping)]
    return found


def _selects(selector: Mapping[str, Any] | None, labels: Mapping[str, Any]) -> bool:
    """Whether a plain label selector (or a LabelSelector's matchLabels) selects ``labels``."""
    if not selector:
        return False
    match = selector.get("matchLabels") if "matchLabels" in selector or "matchExpressions" in selector else selector
    if not isinstance(match, Mapping) or not match:
        return False
    return all(labels.get(k) == v for k, v in match.items())


def _image_parts(image: str) -> tuple[str, str, str]:
    """(repository, tag, digest) of an image reference."""
    ref, _, digest = image.partition("@")
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        return ref[:colon], ref[colon + 1:], digest
    return ref, "", digest


_IMAGES_MEMO: dict[int, tuple[Any, list[str]]] | None = None


@contextmanager
def images_memo() -> Iterator[None]:
    """Within the block, the images of a manifest part are collected once however many sections ask (a folder's
    README asks three times). Keyed by the part's identity, which the memo keeps alive: the manifests must not
    change inside the block."""
    global _IMAGES_MEMO
    outer = _IMAGES_MEMO
    if outer is None:
        _IMAGES_MEMO = {}
    try:
        yield
    finally:
        _IMAGES_MEMO = outer


def _images_in(node: Any, key: str = "") -> list[str]:
    """The container images below ``node`` (a list the caller must not change)."""
    memo = _IMAGES_MEMO
    if memo is not None:
        known = memo.get(id(node))
        if known is not None and known[0] is node and not key:
            return known[1]
    found: list[str] = []
    _collect_images(node, key, found)
    if memo is not None and not key:
        memo[id(node)] = (node, found)
    return found


def _collect_images(node: Any, key: str, found: list[str]) -> None:
    kind = type(node)  # exact types first: the abstract Mapping check is slow and manifests are plain dicts
    if kind is dict or (kind is not list and kind is not str and isinstance(node, Mapping)):
        for k, v in node.items():
            sub = type(v)
            if sub is str:  # a leaf: no call for it
                if k == "image":
                    found.append(v)
            elif sub is dict or sub is list or (sub is not int and sub is not bool and v is not None):
                _collect_images(v, str(k), found)
    elif kind is list or (kind is not str and isinstance(node, list)):
        for v in node:
            _collect_images(v, key, found)
    elif key == "image" and isinstance(node, str):
        found.append(node)


def _duration_text(value: Any) -> str:
    return str(value) if value not in (None, "") else ""


def _ref_text(kind: str, ns: str, name: str, home_ns: str) -> str:
    return f"{kind} {ns + '/' if ns and ns != home_ns else ''}{name}"
