"""A syrupy extension that stores each snapshot as one readable multi-document YAML file.

Reviewers read the generated manifests as YAML diffs in pull requests. Accepts a list of
manifests, a single manifest, an :class:`~cdk8s_gitops.synth.AppOutput`, or a typed model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from ..core.model import Resource
from ..synth.render import dump_documents

__all__ = ["YamlSnapshotExtension", "to_documents"]


def to_documents(data: Any) -> list[Mapping[str, Any]]:
    """Normalize what a test passes into a list of manifests."""
    if hasattr(data, "manifests") and not isinstance(data, Mapping):
        return list(data.manifests)
    if isinstance(data, Resource):
        return [data.to_manifest()]
    if isinstance(data, Mapping):
        return [data]
    if isinstance(data, list | tuple):
        return [d.to_manifest() if isinstance(d, Resource) else d for d in data]
    raise TypeError(f"cannot snapshot {type(data).__name__} as YAML; pass manifests (dicts), typed models or an AppOutput")


class YamlSnapshotExtension(SingleFileSnapshotExtension):
    """One ``.yaml`` file per snapshot, in ``__snapshots__/<test module>/``."""

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT

    def serialize(self, data: Any, **kwargs: Any) -> str:  # noqa: ARG002 - syrupy's signature
        return dump_documents(to_documents(data))
