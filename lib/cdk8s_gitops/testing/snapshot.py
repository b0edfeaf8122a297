"""A syrupy extension that stores each snapshot as one readable multi-document YAML file.

Reviewers read the generated manifests as YAML diffs in pull requests. Accepts a list of
manifests, a single manifest, an :class:`~cdk8s_gitops.synth.AppOutput`, or a typed model.
A failing comparison first names the objects that changed (kind, namespace, name), then
shows the line diff.

Needs syrupy, from the ``testing`` extra: ``pip install 'cdk8s-gitops[testing]'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

try:
    from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
except ImportError as exc:  # pragma: no cover - exercised in a virtualenv without syrupy
    raise ImportError("YAML snapshots need syrupy, which comes with the testing extra: "
                      "pip install 'cdk8s-gitops[testing]'") from exc

from ..synth.render import dump_documents
from .documents import changed_objects, to_documents

__all__ = ["YamlSnapshotExtension", "to_documents"]


class YamlSnapshotExtension(SingleFileSnapshotExtension):
    """One ``.yaml`` file per snapshot, in ``__snapshots__/<test module>/``."""

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT

    def serialize(self, data: Any, **kwargs: Any) -> str:  # noqa: ARG002 - syrupy's signature
        return dump_documents(to_documents(data))

    def diff_lines(self, serialized_data: Any, snapshot_data: Any) -> Iterator[str]:
        """The objects that changed (kind, namespace/name), then syrupy's line diff."""
        changes = changed_objects(str(snapshot_data or ""), str(serialized_data or ""))
        if changes:
            yield f"{len(changes)} object(s) differ from the snapshot:"
            for line in changes:
                yield f"  {line}"
        yield from super().diff_lines(serialized_data, snapshot_data)
