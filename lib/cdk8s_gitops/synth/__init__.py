"""Synthesis: build the App for one or all environments, then write, check or diff ``dist/``."""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# Importing the scan registers it as a global check: synth refuses secret values before writing.
from . import secret_scan as _secret_scan  # noqa: F401

if TYPE_CHECKING:
    from .build import AppOutput, SynthResult, build_chart, collect_chart, synthesize
    from .docs import PROVENANCE_FILE
    from .install import DistState, OutputError
    from .project import AppModule, Project
    from .render import dump_documents, object_sort_key
    from .writer import Changes, check, diff_text, locked, render_files, write

# Where each public name lives: imported on first use (``synth.Project`` does not load the kinds).
_HOME = {
    "AppOutput": "build", "SynthResult": "build", "build_chart": "build", "collect_chart": "build", "synthesize": "build",
    "PROVENANCE_FILE": "docs", "DistState": "install", "OutputError": "install", "AppModule": "project", "Project": "project",
    "dump_documents": "render", "object_sort_key": "render",
    "Changes": "writer", "check": "writer", "diff_text": "writer", "render_files": "writer", "write": "writer",
    "locked": "writer",
}

__all__ = [
    "PROVENANCE_FILE",
    "AppModule",
    "AppOutput",
    "Changes",
    "DistState",
    "OutputError",
    "Project",
    "SynthResult",
    "build_chart",
    "check",
    "collect_chart",
    "diff_text",
    "dump_documents",
    "locked",
    "object_sort_key",
    "render_files",
    "synthesize",
    "write",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
