"""Testing support for downstream repositories: pytest fixtures and a YAML snapshot extension."""

from .harness import make_settings, synth_chart
from .snapshot import YamlSnapshotExtension, to_documents

__all__ = ["YamlSnapshotExtension", "make_settings", "synth_chart", "to_documents"]
