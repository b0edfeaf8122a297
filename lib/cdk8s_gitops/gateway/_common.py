"""Value types, references and list limits shared by the Gateway API kinds (private).

Every type checks one upstream rule (the OpenAPI pattern, length or range of the CRD,
or a CEL rule of the field itself) and raises ``ValueError("<what is wrong>; <fix>")``
so that the error names the bad value and the fix at the field's own path.

Rules that tie several fields together are checked by model validators, which record
problems with :class:`~cdk8s_gitops.core.fields.Issues` at paths relative to the model; pydantic puts the model's
own location in front, so errors read ``spec.rules[0].matches[1].path.value``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, model_validator

from ..core.fields import Issues, Port
from ..core.model import K8sModel, check_label_key, check_label_value
from ..core.units import parse_duration

__all__ = [
    "GROUP",
    "BackendObjectReference",
    "CommonRouteSpec",
    "Duration",
    "Group",
    "HeaderName",
    "HeaderValue",
    "Hostname",
    "Kind",
    "LocalObjectReference",
    "Namespace",
    "ObjectName",
    "ParentReference",
    "PortNumber",
    "PreciseHostname",
    "SectionName",
    "Weight",
    "check_ip_or_hostname",
    "check_label_map",
    "check_parent_refs",
    "duplicates",
    "duration_seconds",
    "limit",
    "unique",
]

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


# -- list limits ---------------------------------------------------------------------------
def limit(noun: str, maximum: int | None = None, minimum: int | None = None, fix: str = "",
          optional: bool = True) -> AfterValidator:
    """A list validator for upstream's ``minItems``/``maxItems``: the message counts the items.

    ``noun`` is the plural of what the list holds (``rules``); ``fix`` says what to do
    instead when there are too many; ``optional`` says whether the field may be left out.
    """

    def check(items: list[Any]) -> list[Any]:
        count = len(items)
        if maximum is not None and count > maximum:
            advice = fix or f"keep at most {maximum}"
            raise ValueError(f"{count} {noun} is more than the upstream limit of {maximum}; {advice}")
        if minimum is not None and count < minimum:
            raise ValueError(f"{count} {noun} is fewer than the {minimum} upstream requires; "
                             f"give at least {minimum}{' or leave the field out' if optional else ''}")
        return items

    return AfterValidator(check)


def unique(noun: str) -> AfterValidator:
    """A list validator for ``x-kubernetes-list-type: set``: every entry once."""

    def check(items: list[Any]) -> list[Any]:
        twice = duplicates(items)
        if twice:
            raise ValueError(f"{noun} {twice[0]!r} is listed more than once; list each {noun} once")
        return items

    return AfterValidator(check)


# -- strings -------------------------------------------------------------------------------
_LABEL = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
_DNS_LABEL = re.compile(rf"^{_LABEL}$")
_WILDCARD_HOSTNAME = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})*$")
_KIND = re.compile(r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
_HEADER_VALUE = re.compile(r"^[!-~]+([\t ]?[!-~]+)*$")
_DURATION = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")
_IPV4ISH = re.compile(r"^[0-9.]+$")


def _hostname_problem(value: str, wildcard: bool) -> str | None:
    pattern = _WILDCARD_HOSTNAME if wildcard else _SUBDOMAIN
    if not value or len(value) > 253 or not pattern.match(value):
        allowed = "with an optional leading '*.' label" if wildcard else "without a wildcard"
        return (f"hostname {value!r} is not an RFC 1123 DNS name ({allowed}): lowercase letters, digits, '-' "
                f"and '.', at most 253 characters")
    labels = value.removeprefix("*.").split(".")
    long = next((label for label in labels if len(label) > 63), None)
    if long is not None:
        return f"hostname {value!r} has a label longer than 63 characters ({long[:20]}...)"
    if _IPV4ISH.match(value):
        return f"hostname {value!r} is an IP address; Gateway API hostnames must be DNS names"
    return None


def _hostname(value: str) -> str:
    why = _hostname_problem(value, wildcard=True)
    if why:
        raise ValueError(f"{why}; use a name such as 'app.example.com' or '*.example.com'")
    return value


def _precise_hostname(value: str) -> str:
    why = _hostname_problem(value, wildcard=False)
    if why:
        raise ValueError(f"{why}; use a full name such as 'app.example.com'")
    return value


def _section_name(value: str) -> str:
    if not 1 <= len(value) <= 253 or not _SUBDOMAIN.match(value):
        raise ValueError(f"section name {value!r} is not a DNS subdomain (lowercase letters, digits, '-' and '.', "
                         f"1-253 characters); use the name of a listener such as 'https'")
    return value


def _object_name(value: str) -> str:
    if not 1 <= len(value) <= 253:
        raise ValueError(f"name {value!r} must have 1-253 characters; give the referenced object's name")
    return value


def _namespace(value: str) -> str:
    if len(value) > 63 or not _DNS_LABEL.match(value):
        raise ValueError(f"namespace {value!r} is not a DNS label (lowercase letters, digits and '-', 1-63 "
                         f"characters); use a namespace name such as 'shop'")
    return value


def _group(value: str) -> str:
    if value and (len(value) > 253 or not _SUBDOMAIN.match(value)):
        raise ValueError(f"group {value!r} is not an API group (a DNS subdomain, or '' for the core group); "
                         f"use a group such as '' or 'gateway.networking.k8s.io'")
    return value


def _kind(value: str) -> str:
    if not 1 <= len(value) <= 63 or not _KIND.match(value):
        raise ValueError(f"kind {value!r} is not a kind name (letters, digits and '-', starting with a letter, "
                         f"1-63 characters); use a kind such as 'Service'")
    return value


def _header_name(value: str) -> str:
    if not 1 <= len(value) <= 256 or not _HEADER_NAME.match(value):
        raise ValueError(f"header name {value!r} is not an HTTP header name (1-256 token characters, no spaces "
                         f"or ':'); use a name such as 'x-canary'")
    return value


def _header_value(value: str) -> str:
    if not 1 <= len(value) <= 4096 or not _HEADER_VALUE.match(value):
        raise ValueError(f"header value {value!r} must be 1-4096 visible ASCII characters, with single spaces "
                         f"or tabs only between words; remove leading, trailing or repeated whitespace")
    return value


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError(f"duration {value!r} is not a Gateway API duration (up to four groups of at most 5 "
                         f"digits and a unit h, m, s or ms); use a value such as '10s', '500ms' or '1m30s'")
    return value


def _weight(value: int) -> int:
    if not 0 <= value <= 1_000_000:
        raise ValueError(f"weight {value} is outside 0-1000000; use a weight between 0 and 1,000,000")
    return value


Hostname = Annotated[str, AfterValidator(_hostname)]
"""A hostname (RFC 1123), optionally with a leading ``*.`` wildcard label: ``*.example.com``."""

PreciseHostname = Annotated[str, AfterValidator(_precise_hostname)]
"""A hostname (RFC 1123) without a wildcard (redirect and rewrite targets)."""

SectionName = Annotated[str, AfterValidator(_section_name)]
"""A listener (or other section) name: a DNS subdomain of 1-253 characters."""

ObjectName = Annotated[str, AfterValidator(_object_name)]
"""The name of a referenced object: 1-253 characters."""

Namespace = Annotated[str, AfterValidator(_namespace)]
"""A namespace name: a DNS label."""

Group = Annotated[str, AfterValidator(_group)]
"""An API group: ``""`` (core) or a DNS subdomain."""

Kind = Annotated[str, AfterValidator(_kind)]
"""A kind name: ``Service``, ``Gateway``."""

HeaderName = Annotated[str, AfterValidator(_header_name)]
"""An HTTP header (or query parameter) name: RFC 7230 token characters."""

HeaderValue = Annotated[str, AfterValidator(_header_value)]
"""An HTTP header value: visible ASCII, single inner spaces or tabs."""

Duration = Annotated[str, AfterValidator(_duration)]
"""A Gateway API duration (GEP-2257): ``10s``, ``500ms``, ``1h30m``."""

PortNumber = Port
"""A port number, 1-65535 (the shared :data:`cdk8s_gitops.core.fields.Port`)."""

Weight = Annotated[int, AfterValidator(_weight)]
"""A backend weight, 0-1,000,000."""


def duration_seconds(value: str) -> float:
    """Seconds in a Gateway API duration (already validated)."""
    return parse_duration(value)


def check_label_map(labels: dict[str, str] | None, what: str, max_entries: int, *, values: bool) -> None:
    """Refuse invalid keys (and label values) in a labels or annotations map, and too many entries."""
    if labels is None:
        return
    if len(labels) > max_entries:
        raise ValueError(f"{len(labels)} {what} is more than the upstream limit of {max_entries}; keep at most {max_entries}")
    for key, value in labels.items():
        why = check_label_key(key)
        if why:
            raise ValueError(f"{what} key {key!r} {why}; use a key such as 'example.com/team'")
        if values:
            why = check_label_value(value)
            if why:
                raise ValueError(f"{what} {key!r} value {value!r} {why}; use a valid label value")
        elif len(value) > 4096:
            raise ValueError(f"{what} {key!r} value has {len(value)} characters, more than 4096; shorten it")


# -- shared structures ---------------------------------------------------------------------
class LocalObjectReference(K8sModel):
    """A reference to an object in the same namespace (``extensionRef`` filters, parameters).

    Attributes:
        group: ``group``: API group of the referent (``""`` for core). Required.
        kind: ``kind``: kind of the referent. Required.
        name: ``name``: name of the referent. Required.
    """

    group: Group
    kind: Kind
    name: ObjectName


class BackendObjectReference(K8sModel):
    """A reference to a backend (a Service by default), as used by mirrors and external auth.

    Attributes:
        group: ``group``. Default: ``""`` (core API group).
        kind: ``kind``. Default: ``Service``.
        name: ``name``: name of the backend. Required.
        namespace: ``namespace``. Default: the route's namespace (another namespace needs a ReferenceGrant there).
        port: ``port``: destination port, 1-65535. Required when the backend is a Service.
    """

    group: Group | None = None
    kind: Kind | None = None
    name: ObjectName
    namespace: Namespace | None = None
    port: PortNumber | None = None

    def is_service(self) -> bool:
        """Whether this refers to a core Service (the upstream defaults for group and kind)."""
        return (self.group or "") == "" and (self.kind or "Service") == "Service"

    @model_validator(mode="after")
    def _check_port(self) -> Self:
        if self.is_service() and self.port is None:
            raise ValueError(f"port: Service backend {self.name!r} has no port; "
                             f"add the Service port to send traffic to, such as port: 8080")
        return self


class ParentReference(K8sModel):
    """A parent (a Gateway by default) that a route attaches to.

    Attributes:
        group: ``group``. Default: ``gateway.networking.k8s.io``.
        kind: ``kind``. Default: ``Gateway`` (``Service`` for mesh routes, with group ``""``).
        namespace: ``namespace``. Default: the route's namespace.
        name: ``name``: name of the parent. Required.
        section_name: ``sectionName``: the listener name on the Gateway. Default: all listeners.
        port: ``port``: attach only to listeners on this port, 1-65535. Default: all ports.
    """

    group: Group | None = None
    kind: Kind | None = None
    namespace: Namespace | None = None
    name: ObjectName
    section_name: SectionName | None = None
    port: PortNumber | None = None

    def parent_key(self) -> tuple[str, str, str, str]:
        """Group, kind, namespace and name with upstream defaults applied."""
        return (self.group if self.group is not None else GROUP, self.kind or "Gateway", self.namespace or "", self.name)


def check_parent_refs(refs: list[ParentReference] | None, issues: Issues, prefix: tuple[str | int, ...],
                      *, ports: bool = True) -> None:
    """Upstream's rules for several references to the same parent.

    When a route lists one parent more than once, every entry must name a different
    ``sectionName`` (or ``port``), and either all of them set it or none.
    """
    by_parent: dict[tuple[str, str, str, str], list[tuple[int, ParentReference]]] = {}
    for index, ref in enumerate(refs or ()):
        by_parent.setdefault(ref.parent_key(), []).append((index, ref))
    what = "sectionName or port" if ports else "sectionName"
    for (_, kind, _, name), entries in by_parent.items():
        if len(entries) < 2:
            continue
        scoped = [(i, r) for i, r in entries if r.section_name or (ports and r.port)]
        if len(scoped) != len(entries):
            index = next(i for i, r in entries if not (r.section_name or (ports and r.port)))
            issues.add(prefix + (index,), f"{kind} {name!r} is listed {len(entries)} times and this entry has no "
                                          f"{what}; give every reference to the same parent its own {what}", name)
            continue
        seen: dict[tuple[str | None, int | None], int] = {}
        for index, ref in entries:
            key = (ref.section_name, ref.port if ports else None)
            if key in seen:
                issues.add(prefix + (index,), f"{kind} {name!r} is listed twice with the same {what} "
                                              f"({ref.section_name or ref.port!r}); remove the duplicate reference", name)
            seen[key] = index


def check_ip_or_hostname(kind: str, value: str) -> str | None:
    """Why ``value`` is not a valid address of type ``kind`` (IPAddress or Hostname), or None."""
    if kind == "IPAddress":
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return f"{value!r} is not an IPv4 or IPv6 address; use an address such as '10.0.0.1' or set type: Hostname"
    elif kind == "Hostname":
        why = _hostname_problem(value, wildcard=True)
        if why:
            return f"{why}; use a hostname such as 'lb.example.com'"
    return None



class CommonRouteSpec(K8sModel):
    """Fields every route kind shares: where it attaches.

    Attributes:
        parent_refs: ``parentRefs``: Gateways (or Services, for mesh routes) to attach to, at most 32;
            several references to one parent each need their own ``sectionName`` or ``port``.
            Default: none (the route attaches nowhere unless ``useDefaultGateways`` says so).
        use_default_gateways: ``useDefaultGateways``: ``All`` or ``None``: attach to the cluster's default
            Gateways. Default: ``None``.
    """

    parent_refs: Annotated[list[ParentReference], limit("parentRefs", 32, fix="split the route or attach through fewer parents")] | None = None
    use_default_gateways: Literal["All", "None"] | None = None
