"""griffe extensions for the API reference (configured in ``mkdocs.yml``; not a page).

- :class:`SphinxRoles`: the library's docstrings use Sphinx roles for references
  (``:class:`Resources```, ``:func:`~cdk8s_gitops.from_manifest```, ``:data:`CATALOG```), which
  Markdown would show literally. Each becomes inline code of the name as it reads in the text
  (the last component when the target starts with ``~``).
- :class:`ConstantDefaults`: a field whose default is a named constant
  (``dump_image: str = DEFAULT_DUMP_IMAGE``) shows only the constant's name; the value the
  constant holds is added to the field's entry, so every default is visible where it applies.
"""

from __future__ import annotations

import ast
import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|obj|exc|const|ref|term):`(~?)([^`<]+?)(?:\s*<([^>]+)>)?`")


def _plain(match: re.Match[str]) -> str:
    tilde, text, target = match.group(1), match.group(2).strip(), match.group(3)
    if tilde and target is None:
        text = text.rsplit(".", 1)[-1]
    return f"`{text}`"


class SphinxRoles(griffe.Extension):
    """Rewrite Sphinx cross-reference roles in docstrings as inline code."""

    def on_object(self, *, obj: Any, loader: Any, **kwargs: Any) -> None:  # noqa: ARG002 - griffe's signature
        docstring = getattr(obj, "docstring", None)
        if docstring is not None and ":`" in docstring.value:
            docstring.value = _ROLE.sub(_plain, docstring.value)


class ConstantDefaults(griffe.Extension):
    """Show the value of a named constant used as a class attribute's default."""

    def on_object(self, *, obj: Any, loader: Any, **kwargs: Any) -> None:  # noqa: ARG002 - griffe's signature
        if not (obj.is_attribute and obj.parent is not None and obj.parent.is_class):
            return
        value = obj.value
        if not isinstance(value, griffe.ExprName):
            return
        try:
            target = loader.modules_collection[value.canonical_path]
            while target.is_alias:
                target = target.target
            literal = ast.literal_eval(str(target.value))
        except Exception:  # noqa: BLE001 - not a resolvable literal constant: leave the entry as it is
            return
        if not isinstance(literal, (str, int, float)) or isinstance(literal, bool):
            return
        note = f"Default: `{literal!r}` (`{value.name}`)."
        if obj.docstring is None:
            obj.docstring = griffe.Docstring(note, parent=obj)
        elif note not in obj.docstring.value:
            obj.docstring.value = f"{obj.docstring.value.rstrip()}\n\n{note}"
