"""Header modifier filters (private): the header rules the generated models do not carry.

The Gateway API's header entries (``requestHeaderModifier`` / ``responseHeaderModifier``
``set`` and ``add``) have the same shape as Kubernetes' core ``HTTPHeader``, so the generated
modules share that class, and with it lose the CRD's constraints on these entries: names are
HTTP tokens of 1-256 characters, values 1-4096 visible ASCII characters with single inner
spaces or tabs, ``set`` and ``add`` are keyed by name and ``remove`` is a set. This module
checks them on the header modifier class of every served version.
"""

from __future__ import annotations

import re
from typing import Any

from ..core.deferred import class_name
from ..core.fields import Issues
from ..core.schema import semantic_check
from ..models import gateway_networking_k8s_io_v1 as v1
from ..models import gateway_networking_k8s_io_v1alpha2 as v1alpha2
from ..models import gateway_networking_k8s_io_v1beta1 as v1beta1
from ._common import duplicates

__all__: list[str] = []

_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")
_HEADER_VALUE = re.compile(r"^[!-~]+([\t ]?[!-~]+)*$")


def _header_problems(headers: list[Any] | None, key: str, issues: Issues) -> None:
    for index, header in enumerate(headers or ()):
        if not 1 <= len(header.name) <= 256 or not _HEADER_NAME.match(header.name):
            issues.add((key, index, "name"), f"header name {header.name!r} is not an HTTP header name (1-256 token "
                                             f"characters, no spaces or ':'); use a name such as 'x-canary'", header.name)
        if not 1 <= len(header.value) <= 4096 or not _HEADER_VALUE.match(header.value):
            issues.add((key, index, "value"), f"header value {header.value!r} must be 1-4096 visible ASCII characters, "
                                              f"with single spaces or tabs only between words; remove leading, "
                                              f"trailing or repeated whitespace", header.value)
    for name in duplicates(h.name for h in headers or ()):
        issues.add((key,), f"header {name!r} appears more than once in {key}; list each header once", name)


@semantic_check(v1.RequestHeaderModifier, class_name(v1beta1, "HTTPRouteSpecRulesBackendRefsFiltersRequestHeaderModifier"),
                class_name(v1alpha2, "GRPCRouteSpecRulesBackendRefsFiltersRequestHeaderModifier"))
def _check_header_modifier(modifier: Any) -> None:
    issues = Issues()
    _header_problems(modifier.set, "set", issues)
    _header_problems(modifier.add, "add", issues)
    for name in duplicates(modifier.remove or ()):
        issues.add(("remove",), f"header {name!r} is listed more than once in remove; list each header once", name)
    issues.raise_any("HTTPHeaderFilter")
