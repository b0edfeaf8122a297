"""The packages whose kinds :func:`cdk8s_gitops.from_manifest` knows, declared in one place.

Every typed kind registers itself with core when its module is imported. Core never imports
the API-group packages (they depend on core, not the reverse); instead this module, which sits
above them, hands core a loader that imports them all on the first lookup of a kind
(``from_manifest``, ``registered_kinds``, ``resource_class``, the global synth checks).
``cdk8s_gitops/__init__.py`` imports this module, so the loader is in place whatever a
program imports first, and ``import cdk8s_gitops`` stays cheap: nothing is loaded until needed.
"""

from __future__ import annotations

from .core.model import add_kind_loader

__all__ = ["load_all_kinds"]


def load_all_kinds() -> None:
    """Import every package that registers kinds or global synth checks (``platform`` registers checks).

    ``models`` (generated) registers its kinds lazily, by module; the hand-written API-group packages
    register theirs on import and take precedence for the kinds they cover.
    """
    from . import addons, argocd, gateway, kube, models, observability, platform, rollouts, secrets  # noqa: F401


add_kind_loader(load_all_kinds)
