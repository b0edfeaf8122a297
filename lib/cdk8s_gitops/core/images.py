"""Image references by the OCI distribution grammar: one parser for the Python API, environment files and the CLI.

The grammar (the reference grammar of the distribution project, which registries and container
runtimes implement)::

    reference  := name [ ":" tag ] [ "@" digest ]
    name       := [ domain "/" ] path            at most 255 characters in all
    domain     := host [ ":" port ]              host: DNS labels joined by ".", "localhost", or [IPv6]
    path       := component ( "/" component )*   component: [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
    tag        := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
    digest     := algorithm ":" hex              sha256: 64 lower-case hex digits, sha512: 128

Repositories are lower case; nothing else (spaces, tabs, newlines, a trailing newline after a
digest) is part of a reference. Every check here matches the whole string, so a value with a
line break is always refused.

An environment's ``images.<service>`` value is the part after the repository: ``<tag>``,
``<tag>@<digest>`` or ``<digest>`` (:func:`parse_pin`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Problem
from .fields import loc_path
from .validation import ObjectIndex, add_object_check

__all__ = [
    "DIGEST_ALGORITHMS",
    "ImageReference",
    "check_digest",
    "check_repository",
    "check_tag",
    "image_references",
    "parse_image",
    "parse_pin",
    "version_label",
]

NAME_MAX = 255
TAG_MAX = 128
#: The digest algorithms registries accept, with the length of their lower-case hex value.
DIGEST_ALGORITHMS = {"sha256": 64, "sha512": 128}

_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_DOMAIN_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"([a-z0-9]+(?:[+._-][a-z0-9]+)*):([0-9a-fA-F]+)")
_LABEL_VALUE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?")


def _shown(value: str, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def check_tag(tag: str) -> str | None:
    """Why ``tag`` is not an OCI tag, or None."""
    if not isinstance(tag, str):
        return f"image tag must be a string, got {type(tag).__name__}; quote it in YAML"
    if not _TAG.fullmatch(tag):
        return (f"{_shown(tag)} is not a valid image tag; use at most {TAG_MAX} letters, digits, '_', '.' and '-', "
                "not starting with '.' or '-', with no spaces or line breaks")
    return None


def check_digest(digest: str) -> str | None:
    """Why ``digest`` is not a digest registries accept (``sha256:<64 hex>``, ``sha512:<128 hex>``), or None."""
    match = _DIGEST.fullmatch(digest) if isinstance(digest, str) else None
    if not match:
        return f"{_shown(str(digest))} is not a digest; write sha256:<64 lower-case hex digits>, with no spaces or line breaks"
    algorithm, hex_value = match.groups()
    expected = DIGEST_ALGORITHMS.get(algorithm)
    if expected is None:
        return f"{_shown(digest)} uses the digest algorithm {algorithm!r}; use sha256 (or sha512)"
    if len(hex_value) != expected or hex_value != hex_value.lower():
        return f"{_shown(digest)} is not a {algorithm} digest; it needs exactly {expected} lower-case hex digits"
    return None


def check_repository(name: str) -> str | None:
    """Why ``name`` (``registry.example.com:5000/team/app``, no tag or digest) is not a repository, or None."""
    if not isinstance(name, str) or not name:
        return "the image repository is empty; write it as registry.example.com/team/app"
    if len(name) > NAME_MAX:
        return f"the image repository is {len(name)} characters long; the OCI limit is {NAME_MAX}"
    first, slash, rest = name.partition("/")
    # The first component is a registry when it has a '.' or ':' or is localhost (as container runtimes decide).
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        if not _DOMAIN.fullmatch(first):
            return f"{_shown(name)}: {_shown(first)} is not a valid registry host[:port]"
        path = rest
    else:
        path = name
    if not _PATH.fullmatch(path):
        why = ("has upper-case letters; repositories are lower case" if path != path.lower() and _PATH.fullmatch(path.lower())
               else "is not a valid repository path (lower-case letters, digits and single '.', '_', '__' or '-' "
                    "between them, components joined by '/', no spaces or line breaks)")
        return f"{_shown(name)} {why}"
    return None


@dataclass(frozen=True)
class ImageReference:
    """A parsed image reference: ``repository[:tag][@digest]``."""

    repository: str
    tag: str | None = None
    digest: str | None = None

    def __str__(self) -> str:
        return self.repository + (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")


def parse_pin(value: str) -> tuple[str | None, str | None]:
    """``(tag, digest)`` of an environment's image value: ``v1.2.3``, ``v1.2.3@sha256:...`` or ``sha256:...``.

    Raises ``ValueError`` (message with the fix) when a part breaks the grammar.
    """
    if not isinstance(value, str):
        raise ValueError(f"image tag must be a string, got {type(value).__name__}; quote it in YAML")
    tag, at, digest = value.partition("@")
    if not at and ":" in value:  # a tag never holds ':', so this is meant as a digest
        tag, digest = "", value
    if at or digest:
        why = check_digest(digest)
        if why:
            raise ValueError(why)
    if tag or not digest:
        why = check_tag(tag)
        if why:
            raise ValueError(why)
    return tag or None, digest or None


def parse_image(reference: str, *, pinned: bool = True) -> ImageReference:
    """Parse a full reference (``ghcr.io/team/app:1.2@sha256:...``); ``ValueError`` with the fix when invalid.

    ``pinned``: require a tag or a digest (default), as workloads in ``dist/`` need one.
    """
    if not isinstance(reference, str):
        raise ValueError(f"image must be a string, got {type(reference).__name__}")
    name, at, digest = reference.partition("@")
    last_slash = name.rfind("/")
    colon = name.rfind(":")
    tag = ""
    if colon > last_slash:
        name, tag = name[:colon], name[colon + 1:]
        why = check_tag(tag)
        if why:
            raise ValueError(f"{_shown(reference)}: {why}")
    if at:
        why = check_digest(digest)
        if why:
            raise ValueError(f"{_shown(reference)}: {why}")
    why = check_repository(name)
    if why:
        raise ValueError(why)
    if pinned and not tag and not at:
        raise ValueError(f"{_shown(reference)} has no tag or digest; pin a version such as {name + ':1.2.3'!r}")
    return ImageReference(name, tag or None, digest or None)


def version_label(tag: str | None, digest: str | None) -> str | None:
    """The ``app.kubernetes.io/version`` label value for an image pinned by ``tag`` and/or ``digest``.

    The tag when it is a valid label value (at most 63 characters); for a digest alone,
    ``<algorithm>-<first 12 hex digits>`` (``sha256-3a7bd3e2360a``); a longer tag is shortened to
    63 characters. None when nothing usable is left.
    """
    if tag:
        if _LABEL_VALUE.fullmatch(tag):
            return tag
        short = re.sub(r"^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "", tag[:63])
        if short and _LABEL_VALUE.fullmatch(short):
            return short
    if digest:
        algorithm, _, hex_value = digest.partition(":")
        return f"{algorithm}-{hex_value[:12].lower()}"
    return None


def _image_fields(node: Any, parts: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = []
    _collect_image_fields(node, parts, found)
    return iter(found)


_IMAGE_KEYS = frozenset({"image", "imageName"})
_LEAVES = (int, float, bool, type(None))  # hold no image field: not walked into


def _collect_image_fields(node: Any, parts: tuple[str | int, ...] | None, found: list[tuple[Any, str]]) -> None:
    """Append (path parts, image) of every image field below ``node``; with ``parts`` None, (None, image) (a walk
    that builds no paths, for objects whose images all pass)."""
    kind = type(node)  # exact types first: the abstract Mapping check is slow and manifests are plain dicts
    if kind is dict or (kind is not list and kind is not str and isinstance(node, Mapping)):
        for key, value in node.items():
            sub = type(value)
            if sub is str:  # a string under another key holds no image field
                if key in _IMAGE_KEYS:
                    found.append((None if parts is None else (*parts, key), value))
            elif key in _IMAGE_KEYS and isinstance(value, str):
                found.append((None if parts is None else (*parts, key), value))
            elif sub not in _LEAVES:
                _collect_image_fields(value, None if parts is None else (*parts, str(key)), found)
    elif kind is list or (kind is not str and isinstance(node, list)):
        for i, value in enumerate(node):
            sub = type(value)
            if sub is not str and sub not in _LEAVES:
                _collect_image_fields(value, None if parts is None else (*parts, i), found)


def _image_problem(image: str) -> str | None:
    if "{{" in image:
        return None  # templated: resolved by a controller at run time
    return _grammar_problem(image) if type(image) is str else _grammar_problem.__wrapped__(image)


@functools.lru_cache(maxsize=8192)
def _grammar_problem(image: str) -> str | None:
    """What is wrong with ``image`` under the OCI grammar (tags allowed), or None; a fleet repeats its images."""
    try:
        parse_image(image, pinned=False)
    except ValueError as exc:
        return str(exc).partition("; ")[0]
    return None


@add_object_check
def image_references(index: ObjectIndex) -> Iterable[Problem]:
    """Every ``image``/``imageName`` string synth writes follows the OCI grammar, however the object was made
    (typed model, cdk8s-plus, plain ApiObject). Templated values (``{{inputs.parameters.image}}``, resolved by
    a controller at run time) are left alone. Whether a tag is allowed is the environment's image_policy."""
    for obj in index:
        images: list[tuple[Any, str]] = []
        _collect_image_fields(obj.manifest, None, images)
        if all(_image_problem(image) is None for _, image in images):
            continue  # most objects: no paths are built
        for parts, image in _image_fields(obj.manifest):
            why = _image_problem(image)
            if why is not None:
                yield Problem(f"{obj.kind} {obj.name!r}", loc_path(parts), why,
                              "write the image as registry/repository:tag or repository@sha256:<64 hex> (OCI grammar)",
                              obj.where())
