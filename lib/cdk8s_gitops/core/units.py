"""Durations and quantities as upstream writes them.

- Go durations (``30s``, ``1m30s``, ``2h``): Argo Rollouts pauses, Argo CD retries,
  Prometheus ``for``. :func:`parse_duration` returns seconds.
- Kubernetes quantities (``250m``, ``512Mi``, ``1.5``): :func:`parse_quantity` returns a float.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation

__all__ = ["parse_duration", "parse_quantity"]

_GO_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$")
_GO_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_PROM_DURATION = re.compile(r"^(?:\d+(?:ms|s|m|h|d|w|y))+$")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
                 "d": 86400, "w": 604800, "y": 31536000}


def parse_duration(text: str, *, allow_days: bool = False) -> float:
    """Seconds in a Go duration (``1m30s``); with ``allow_days`` also Prometheus units (``1d``, ``1w``).

    Raises ``ValueError`` with the accepted form when ``text`` is not a duration.
    """
    if not isinstance(text, str):
        raise ValueError(f"{text!r} is not a duration; write it as a string such as '30s', '5m' or '1h30m'")
    if text == "0":
        return 0.0
    if allow_days and _PROM_DURATION.match(text):
        return float(sum(int(n) * _UNIT_SECONDS[u] for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", text)))
    if not _GO_DURATION.match(text):
        units = "ms, s, m, h" + (", d, w, y" if allow_days else "")
        raise ValueError(f"{text!r} is not a duration; use a number and a unit ({units}), such as '30s', '5m' or '1h30m'")
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in _GO_PART.findall(text))


_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|n|u)?$")
_SUFFIX: dict[str | None, Decimal | int] = {None: 1, "m": Decimal("0.001"), "n": Decimal("1e-9"), "u": Decimal("1e-6"), "k": 10**3, "M": 10**6,
           "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30,
           "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}


def parse_quantity(value: str | int | float) -> float:
    """The numeric value of a Kubernetes quantity (``250m`` -> 0.25, ``1Gi`` -> 1073741824)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a quantity")
    if isinstance(value, int | float):
        return float(value)
    if type(value) is str:
        return _quantity_text(value)  # a fleet repeats a few quantities: each is parsed once
    return _parse_quantity_text(str(value), value)


def _parse_quantity_text(text: str, value: object) -> float:
    match = _QUANTITY.match(text)
    if not match:
        raise ValueError(f"{value!r} is not a Kubernetes quantity; use a number with an optional suffix such as '250m', '512Mi' or '2'")
    number, suffix = match.groups()
    try:
        base = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a Kubernetes quantity; use a number such as '0.5' or '500m'") from None
    if suffix and suffix[0] in "eE":
        return float(base * Decimal(10) ** int(suffix[1:]))
    return float(base * Decimal(_SUFFIX[suffix]))


@functools.lru_cache(maxsize=4096)
def _quantity_text(text: str) -> float:
    return _parse_quantity_text(text, text)
