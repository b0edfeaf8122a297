"""The hooks through which the kinds and the global checks get registered: lists of loaders, and nothing heavy to
import.

``cdk8s_gitops.registry`` adds its loader here when the package is imported; :mod:`.model` runs the
loaders before the first lookup of a kind. Keeping the list in a module of its own lets
``import cdk8s_gitops`` (and the pytest plugin) put the loader in place without importing pydantic.
"""

from __future__ import annotations

TYPE_CHECKING = False  # kept light: `import cdk8s_gitops` loads this module
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["add_check_loader", "add_kind_loader", "run_kind_loaders"]

_KIND_LOADERS: list[Callable[[], None]] = []

_check_loaders: list[Callable[[set[str]], None]] = []
"""Run by :func:`~.validation.global_checks` with the kinds present."""


def add_check_loader(loader: Callable[[set[str]], None]) -> None:
    """Install what imports the modules of global checks that concern a set of kinds (see
    :mod:`cdk8s_gitops.registry`: core never imports the API-group packages itself)."""
    if loader not in _check_loaders:
        _check_loaders.append(loader)


def add_kind_loader(loader: Callable[[], None]) -> None:
    """Run ``loader`` (once) before the next lookup of a kind, so that the kinds it imports are registered."""
    _KIND_LOADERS.append(loader)


def run_kind_loaders() -> None:
    """Run the loaders not yet run (cheap when there are none)."""
    while _KIND_LOADERS:
        _KIND_LOADERS.pop(0)()
