"""The base of the environment file's models."""

from __future__ import annotations

from pydantic import ConfigDict

from ..core.props import Props

__all__ = ["SpecModel"]


class SpecModel(Props):
    """Base of the environment file's models: unknown keys refused, frozen, strict types.

    Like every :class:`~cdk8s_gitops.core.props.Props`, bad input raises
    :class:`~cdk8s_gitops.core.errors.ManifestError` (the loader names the file instead of the class).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
