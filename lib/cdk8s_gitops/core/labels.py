"""Standard ``app.kubernetes.io/*`` labels and stable names.

Names are explicit: ``metadata.name`` comes from the caller, never from the construct
path, so renaming a Python variable never renames a live object.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "COMPONENT",
    "INSTANCE",
    "MANAGED_BY",
    "MANAGER",
    "NAME",
    "PART_OF",
    "VERSION",
    "merge_labels",
    "standard_labels",
]

NAME = "app.kubernetes.io/name"
INSTANCE = "app.kubernetes.io/instance"
VERSION = "app.kubernetes.io/version"
COMPONENT = "app.kubernetes.io/component"
PART_OF = "app.kubernetes.io/part-of"
MANAGED_BY = "app.kubernetes.io/managed-by"
MANAGER = "cdk8s-gitops"


def standard_labels(
    *, name: str | None = None, part_of: str | None = None, instance: str | None = None,
    component: str | None = None, version: str | None = None,
) -> dict[str, str]:
    """The recommended labels that are known, plus ``managed-by: cdk8s-gitops``; keys sorted."""
    labels = {
        NAME: name, INSTANCE: instance, VERSION: version, COMPONENT: component, PART_OF: part_of,
        MANAGED_BY: MANAGER,
    }
    return {k: v for k, v in sorted(labels.items()) if v}


def merge_labels(base: Mapping[str, str] | None, own: Mapping[str, str] | None) -> dict[str, str] | None:
    """``base`` with ``own`` on top (the object's own labels win); keys sorted; None when both are empty."""
    merged = {**(base or {}), **(own or {})}
    return dict(sorted(merged.items())) if merged else None
