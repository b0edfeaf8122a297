"""Synthesis: build the App for one or all environments, then write, check or diff ``dist/``."""

# Importing the scan registers it as a global check: synth refuses secret values before writing.
from . import secret_scan as _secret_scan  # noqa: F401
from .build import AppOutput, SynthResult, build_chart, collect_chart, synthesize
from .docs import PROVENANCE_FILE
from .project import AppModule, Project
from .render import dump_documents, object_sort_key
from .writer import Changes, check, diff_text, render_files, write

__all__ = [
    "PROVENANCE_FILE",
    "AppModule",
    "AppOutput",
    "Changes",
    "Project",
    "SynthResult",
    "build_chart",
    "check",
    "collect_chart",
    "diff_text",
    "dump_documents",
    "object_sort_key",
    "render_files",
    "synthesize",
    "write",
]
