"""Synthesis: build the App for one or all environments, then write, check or diff ``dist/``."""

from .build import AppOutput, SynthResult, build_chart, collect_chart, synthesize
from .docs import PROVENANCE_FILE
from .install import DistState, OutputError
from .project import AppModule, Project
from .render import dump_documents, object_sort_key
from .writer import Changes, check, diff_text, locked, render_files, write

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
