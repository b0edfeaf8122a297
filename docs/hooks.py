"""MkDocs hooks for the documentation site (configured in ``mkdocs.yml``; not a page).

1. Modules a package exports. A package may list submodules in ``__all__``
   (``cdk8s_gitops.addons`` exports ``cert_manager``, ``velero``, ...). mkdocstrings renders
   a package's exported classes and functions but not its exported modules, so a reference
   page that contains the line ``<!-- exported modules -->`` gets one ``:::`` block per module
   its package exports, found statically with griffe (nothing is imported).

2. One docstring layout griffe does not parse. Some docstrings document several fields on one
   line of an ``Attributes:`` section (``sample_limit, target_limit, ...: per-scrape limits``).
   griffe's Google parser reads one name per entry and warns about each such line, which
   ``--strict`` turns into a failed build. The fields are still documented by their annotations
   and defaults, so these warnings, and only these, are lowered to INFO; every other warning
   still fails the build.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

_MULTI_NAME = "Failed to get 'name: description' pair from"
_ROOT = re.compile(r"^::: (cdk8s_gitops(?:\.\w+)*)\s*$", re.MULTILINE)
_LIB = Path(__file__).resolve().parents[1] / "lib"


class _MultiNameAttributes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and _MULTI_NAME in record.getMessage():
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def on_startup(command: str, dirty: bool) -> None:  # noqa: ARG001 - the MkDocs hook signature
    logger = logging.getLogger("mkdocs.plugins.griffe")
    if not any(isinstance(f, _MultiNameAttributes) for f in logger.filters):
        logger.addFilter(_MultiNameAttributes())


def exported_modules(package: str) -> list[str]:
    """The dotted paths of the modules ``package`` lists in ``__all__``, in that order."""
    import griffe

    loaded = griffe.load(package, search_paths=[str(_LIB)], resolve_aliases=False)
    found = []
    for name in loaded.exports or []:
        member = loaded.members.get(str(name))
        if member is not None and not member.is_alias and member.is_module:
            found.append(f"{package}.{name}")
    return found


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:  # noqa: ARG001 - the MkDocs hook signature
    root = _ROOT.search(markdown)
    if root is None or not page.file.src_uri.startswith("reference/"):
        return markdown
    blocks = [f"\n::: {module}\n    options:\n      heading_level: 2\n" for module in exported_modules(root.group(1))]
    return markdown.rstrip("\n") + "\n" + "".join(blocks)
