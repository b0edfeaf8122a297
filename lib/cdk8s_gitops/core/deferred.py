"""Registrations that wait until a generated module is first used.

A hand-written package adds checks and error explanations to generated classes. Creating those
classes at import costs time (a kind's module defines all its structures: the secret stores'
holds about 150); an app that never builds such an object should not pay for them. So a package
registers the action (:func:`when_used`) against the generated modules it concerns, and the
action runs the first time a class of one of them is validated (its checks are looked up) or
explained in an error, before anything reads what the action registers.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from types import ModuleType
from typing import Any

__all__ = ["attributes", "class_module", "class_name", "importer", "lazy_names", "run_pending", "when_explained", "when_used"]

_PENDING: dict[str, list[list[Callable[[], None] | None]]] = {}
_EXPLAINING: dict[str, list[list[Callable[[], None] | None]]] = {}


def when_used(modules: Iterable[str], action: Callable[[], None]) -> None:
    """Run ``action`` once, when a class of one of ``modules`` (module names) is first used."""
    entry: list[Callable[[], None] | None] = [action]
    for module in modules:
        _PENDING.setdefault(module, []).append(entry)


def when_explained(modules: Iterable[str], action: Callable[[], None]) -> None:
    """Run ``action`` once, when an error on a class of one of ``modules`` is first explained (not on first
    validation): for what only error messages read, such as the fields one served version lacks, whose
    registration creates the classes of every version."""
    entry: list[Callable[[], None] | None] = [action]
    for module in modules:
        _EXPLAINING.setdefault(module, []).append(entry)


def run_pending(cls: type, *, explaining: bool = False) -> None:
    """Run the actions waiting for the modules of ``cls`` and of its bases (``explaining``: an error on ``cls``
    is being explained, so also those of :func:`when_explained`)."""
    for table in (_PENDING, _EXPLAINING) if explaining else (_PENDING,):
        if not table:
            continue
        for base in cls.__mro__:
            for entry in table.pop(base.__module__, ()):
                action, entry[0] = entry[0], None
                if action is not None:
                    action()


def lazy_names(module: str, namespace: MutableMapping[str, Any], names: Mapping[str, Callable[[], Any]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` giving each of ``names`` (name -> how to get the value) on first access, then
    keeping it in ``namespace`` (the module's ``globals()``). For public names whose classes should be created
    on first use; declare them for type checkers in an ``if TYPE_CHECKING:`` block."""

    def __getattr__(name: str) -> Any:
        get = names.get(name)
        if get is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = namespace[name] = get()
        return value

    return __getattr__


def attributes(table: Mapping[str, tuple[ModuleType | str, str]]) -> dict[str, Callable[[], Any]]:
    """For :func:`lazy_names`: each public name of ``table`` is attribute ``attr`` of ``source`` (public name ->
    (source, attr)); a source is a module, or a module's name, imported on first access."""
    return {name: functools.partial(_attribute, source, attr) for name, (source, attr) in table.items()}


def _attribute(source: ModuleType | str, attr: str) -> Any:
    module = importlib.import_module(source) if isinstance(source, str) else source
    return getattr(module, attr)


def importer(module: str) -> Callable[[], None]:
    """An action (for :func:`when_used`) that imports ``module``: a package's checks registered by that import."""
    return functools.partial(_import, module)


def _import(module: str) -> None:
    importlib.import_module(module)


def class_module(package: ModuleType, name: str) -> str:
    """The module of the generated class ``name`` of the generated ``package`` (``models.<group_version>``), read
    from the package's table of where each class lives: nothing is imported or created."""
    return f"{package.__name__}.{package._WHERE[name]}"


def class_name(package: ModuleType, name: str) -> str:
    """``"module:Class"`` of the generated class ``name`` of ``package``: how ``semantic_check`` names a class
    without creating it."""
    return f"{class_module(package, name)}:{name}"
