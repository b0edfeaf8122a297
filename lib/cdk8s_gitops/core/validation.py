"""Checks across objects, run once at synth over everything an environment produces.

A construct registers a check with :func:`add_check`; a check is any callable that
takes the :class:`ObjectIndex` of the whole environment and yields
:class:`~cdk8s_gitops.core.errors.Problem` records. Synth runs every check, collects
every problem (each tagged with the construct path of the construct that registered
it), and refuses to write ``dist/`` if there is any.

Checks that apply to every object of some kind (for example "no Secret carries data")
register once with :func:`add_global_check`. A global check whose verdict on an object
depends on that object's manifest alone (the secret scan, the image grammar) registers
with :func:`add_object_check` instead: the incremental synth then skips a library check
of that sort on an object that already passed it in an earlier run of the same library
(an object taken from the cache lists the checks it passed in ``checked``). Checks of
other modules than the library's always run: their code is not part of the cache's key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .loaders import _check_loaders

__all__ = ["Check", "ObjectIndex", "RenderedObject", "add_global_check", "add_object_check", "check_name", "global_checks",
           "is_object_check"]


@dataclass(frozen=True)
class RenderedObject:
    """One synthesized object: its manifest, the app it belongs to, and who made it.

    ``resource`` is the typed model when the object came from a typed construct, else None.
    ``source`` is a callable giving the construct path (computed only when reporting).
    ``checked`` names the library's :func:`add_object_check` checks (:func:`check_name`) the object
    already passed in an earlier run of the same library (it comes from the incremental cache).
    """

    manifest: Mapping[str, Any]
    app: str
    resource: Any = None
    source: Callable[[], str] | None = None
    checked: frozenset[str] = frozenset()
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What checks and docs derived from the manifest, kept for the next one that asks (the secret scan's
    findings serve both the check and the README's allowances). The manifest is never changed once collected."""

    @property
    def kind(self) -> str:
        return self.key[1]

    @property
    def api_version(self) -> str:
        return str(self.manifest.get("apiVersion", ""))

    @property
    def group(self) -> str:
        return self.key[0]

    @property
    def name(self) -> str:
        return self.key[3]

    @property
    def namespace(self) -> str | None:
        return self.key[2]

    @property
    def key(self) -> tuple[str, str, str | None, str]:
        """(group, kind, namespace, name): what makes an object one of its own in an environment. Worked out once
        (the manifest never changes once collected)."""
        found: tuple[str, str, str | None, str] | None = self.__dict__.get("_key")
        if found is None:
            manifest = self.manifest
            api = str(manifest.get("apiVersion", ""))
            metadata = manifest.get("metadata") or {}
            found = (api.split("/", 1)[0] if "/" in api else "", str(manifest.get("kind", "")), metadata.get("namespace"),
                     str(metadata.get("name", "")))
            self.__dict__["_key"] = found  # a frozen dataclass: its __dict__ takes what its __setattr__ refuses
        return found

    def where(self) -> str:
        return self.source() if self.source else self.app


@dataclass
class ObjectIndex:
    """Everything one environment synthesizes, indexed for cross-object lookups."""

    environment: str
    objects: list[RenderedObject] = field(default_factory=list)
    repo_url: str | None = None
    """The Git repository Argo CD reads dist/ from (for checks of Application sources)."""
    dist_paths: frozenset[str] = frozenset()
    """Every dist/ folder synth produces for the project, as repository paths (``dist/dev/shop``)."""
    external_stores: frozenset[tuple[str, str]] = frozenset()
    """Secret stores (kind, name) the environment files declare as managed outside dist/ (``secret_store.external``)."""
    object_checks: list[str] = field(default_factory=list)
    """The per-object checks (:func:`check_name`) synth ran over this environment (every object passed them or
    had passed them before)."""
    _by_key: dict[tuple[str, str, str | None, str], RenderedObject] = field(default_factory=dict, repr=False)
    _by_kind: dict[str, list[RenderedObject]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        given, self.objects = self.objects, []
        for obj in given:  # objects passed to the constructor are indexed as added ones are (add objects with add())
            self.add(obj)

    def add(self, obj: RenderedObject) -> None:
        self.extend((obj,))

    def extend(self, objects: Iterable[RenderedObject]) -> None:
        """:meth:`add` each of ``objects``, in order."""
        append, by_key, by_kind = self.objects.append, self._by_key, self._by_kind
        for obj in objects:
            key = obj.key
            append(obj)
            by_key.setdefault(key, obj)
            found = by_kind.get(key[1])
            if found is None:
                by_kind[key[1]] = [obj]
            else:
                found.append(obj)

    def unchecked(self, check: str) -> ObjectIndex:
        """The same environment holding only the objects that did not pass the per-object check named ``check``
        (:func:`check_name`) in an earlier run."""
        view = ObjectIndex(self.environment, repo_url=self.repo_url, dist_paths=self.dist_paths,
                           external_stores=self.external_stores)
        view.extend(obj for obj in self.objects if check not in obj.checked)
        return view

    def get(self, kind: str, name: str, namespace: str | None = None, group: str | None = None) -> RenderedObject | None:
        """The object of ``kind`` named ``name`` (in ``namespace`` when namespaced), or None."""
        if group is not None:
            return self._by_key.get((group, kind, namespace, name))
        for (_g, k, ns, n), obj in self._by_key.items():
            if k == kind and n == name and ns == namespace:
                return obj
        return None

    def of_kind(self, kind: str, group: str | None = None) -> Iterator[RenderedObject]:
        """The objects of ``kind`` (of API ``group`` when given), in the order they were added."""
        for obj in self._by_kind.get(kind, ()):
            if group is None or obj.group == group:
                yield obj

    def __iter__(self) -> Iterator[RenderedObject]:
        return iter(self.objects)

    def __len__(self) -> int:
        return len(self.objects)


Check = Callable[[ObjectIndex], Iterable[Problem]]
_GLOBAL_CHECKS: list[Check] = []


def add_global_check(check: Check) -> Check:
    """Register a check that runs at every synth over every environment (usable as a decorator)."""
    if check not in _GLOBAL_CHECKS:
        _GLOBAL_CHECKS.append(check)
    return check


_OBJECT_CHECKS: set[Check] = set()


def add_object_check(check: Check) -> Check:
    """Register a global check (as :func:`add_global_check`) whose problems for an object depend only on
    that object's manifest and app, never on other objects or the environment. Such a check runs only on
    the objects an incremental synth built again; objects from the cache passed it already. Usable as a
    decorator."""
    _OBJECT_CHECKS.add(check)
    return add_global_check(check)


def is_object_check(check: Check) -> bool:
    """Whether ``check`` is one of the library's checks registered with :func:`add_object_check` (a check of
    another module is never skipped: the incremental cache's key covers the library's code only)."""
    return check in _OBJECT_CHECKS and str(getattr(check, "__module__", "")).startswith("cdk8s_gitops.")


def check_name(check: Check) -> str:
    """``module:qualified name`` of a check (how records list the checks their objects passed)."""
    return f"{getattr(check, '__module__', '')}:{getattr(check, '__qualname__', repr(check))}"


def global_checks(kinds: Iterable[str] | None = None) -> tuple[Check, ...]:
    """Every registered global check.

    Args:
        kinds: the kinds of the objects to check. When given, only the library modules whose
            checks concern one of them are imported first (the registry's check loader); checks
            registered by modules already imported (yours included) are always returned.
            Default: import every model package first, so every library check is registered
            (the Secret check runs even when no app imported ``cdk8s_gitops.secrets``).
    """
    if kinds is None or not _check_loaders:
        from .model import registered_kinds

        registered_kinds(generated=False)
    else:
        present = set(kinds)
        for loader in _check_loaders:
            loader(present)
    return tuple(_GLOBAL_CHECKS)
