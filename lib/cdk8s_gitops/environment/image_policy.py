"""The image policy of an environment: which image tags and digests it accepts."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from ..core.images import parse_pin
from ..core.patterns import check_user_pattern, user_pattern
from ..core.props import Items
from .base import SpecModel

__all__ = ["ImagePolicy", "check_image_tag"]


class ImagePolicy(SpecModel):
    """Which image tags this environment accepts.

    Attributes:
        tag_pattern: a regular expression every tag must match in full
            (``^v\\d+\\.\\d+\\.\\d+$``). Default: any tag in the OCI grammar.
        allow_mutable: accept tags that move (``latest``, ``main``, anything ending in
            ``-latest``). Default: false.
        mutable_tags: the tags treated as mutable. Default: latest, stable, edge, main, master.
        require_digest: every image must be pinned by a digest (``<tag>@sha256:...`` or ``sha256:...``).
            Default: false (immutable tags are enforced by ``tag_pattern`` and ``allow_mutable`` instead).
            ``tag_pattern`` and the mutable-tag rule still apply to the tag before a digest, and with a
            ``tag_pattern`` a bare digest is refused (see :func:`check_image_tag`).
    """

    tag_pattern: str | None = None
    allow_mutable: bool = False
    require_digest: bool = False
    mutable_tags: Items[str] = ("latest", "stable", "edge", "main", "master")

    @field_validator("tag_pattern")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        if value is not None:
            why = check_user_pattern(value)  # RE2: linear-time matching, no catastrophic backtracking
            if why:
                raise ValueError(why)
        return value

    @field_validator("mutable_tags", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    def is_mutable(self, tag: str) -> bool:
        """Whether ``tag`` is one that moves between builds."""
        return tag in self.mutable_tags or tag.endswith("-latest")


def check_image_tag(tag: Any, policy: ImagePolicy) -> str | None:
    """Return why ``tag`` is refused under ``policy`` (with the fix), or None if it is accepted.

    ``tag`` is what follows the repository: ``v1.2.3``, ``v1.2.3@sha256:<64 hex>`` or ``sha256:<64 hex>``
    (OCI grammar, :mod:`cdk8s_gitops.core.images`). Digests are held to the same policy as tags:

    - ``require_digest``: a digest must be present (alone or after the tag);
    - the tag part, when present, must not be mutable (unless ``allow_mutable``) and must match
      ``tag_pattern`` in full, whether or not a digest follows it;
    - with a ``tag_pattern``, a bare digest is refused (it has no tag to check): write ``<tag>@<digest>``.
    """
    if not isinstance(tag, str):
        return f"image tag must be a string, got {tag!r}; quote it in YAML"
    try:
        name, digest = parse_pin(tag)
    except ValueError as exc:
        return str(exc)
    if policy.require_digest and digest is None:
        return (f"{tag!r} has no digest, which this environment requires; "
                "write <tag>@sha256:<64 hex digits> or sha256:<64 hex digits>")
    if name is None:
        if policy.tag_pattern:
            return (f"{tag[:24]!r}... is a digest without a tag, so this environment's tag_pattern '{policy.tag_pattern}' "
                    "cannot be checked; write <tag>@<digest> with a tag of that form")
        return None
    if not policy.allow_mutable and policy.is_mutable(name):
        return f"{name!r} is a mutable tag, which this environment refuses; use an immutable tag such as a version or commit SHA"
    if policy.tag_pattern and not user_pattern(policy.tag_pattern).fullmatch(name):
        return f"{name!r} does not match this environment's tag_pattern '{policy.tag_pattern}'; use a tag of that form"
    return None
