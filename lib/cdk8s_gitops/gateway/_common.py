"""Helpers the Gateway API checks share (private): the group name, duplicates, hostnames.

The structures themselves are the generated classes of
:mod:`cdk8s_gitops.models.gateway_networking_k8s_io_v1` (and ``v1beta1``, ``v1alpha2`` for
the older versions upstream still serves); the CRD's patterns, limits and CEL rules run
there. What stays here is what the schema does not say.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

from ..core.fields import Issues

__all__ = ["GROUP", "check_hostnames", "check_unique_names", "duplicates", "hostname_problem", "ip_hostname"]

GROUP = "gateway.networking.k8s.io"
"""The Gateway API group."""


def duplicates(values: Iterable[Any]) -> list[Any]:
    """The values that occur more than once, in order of their second occurrence."""
    seen: set[Any] = set()
    out: list[Any] = []
    for value in values:
        if value in seen and value not in out:
            out.append(value)
        seen.add(value)
    return out


def ip_hostname(value: str) -> bool:
    """Whether ``value`` is an IP address (which the hostname pattern lets through, but upstream forbids)."""
    if ":" not in value and not value.replace(".", "").isdecimal():
        return False  # no IPv6 colon, and not only digits and dots: not an address (saves a raised ValueError)
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def hostname_problem(value: str) -> str | None:
    """What the CRD's hostname pattern lets through but RFC 1123 (and upstream's documentation) forbid, or None.

    An IP address is not a hostname, and no label is longer than 63 characters.
    """
    if ip_hostname(value):
        return f"hostname {value!r} is an IP address; Gateway API hostnames must be DNS names"
    long = next((label for label in value.removeprefix("*.").split(".") if len(label) > 63), None)
    if long is not None:
        return f"hostname {value!r} has a label longer than 63 characters ({long[:20]}...)"
    return None


def check_hostnames(hostnames: Sequence[str] | None, issues: Issues, prefix: tuple[str | int, ...]) -> None:
    """Every hostname of a route passes :func:`hostname_problem`."""
    for index, value in enumerate(hostnames or ()):
        why = hostname_problem(value)
        if why:
            issues.add(prefix + (index,), f"{why}; use a name such as 'app.example.com'", value)


def check_unique_names(names: Sequence[str], issues: Issues, prefix: tuple[str | int, ...], noun: str) -> None:
    """Entries of a list map keyed by ``name`` each appear once (the API server merges by that key)."""
    for name in duplicates(names):
        issues.add(prefix, f"{noun} {name!r} is matched more than once; match each {noun} once", name)
