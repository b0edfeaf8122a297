"""Checks for Prometheus rules: PromQL expressions, durations, metric, label and alert names.

PromQL is parsed with the ``promql-parser`` package (a Python binding of the Rust
``promql-parser`` crate, which follows the Prometheus grammar), never with a regular
expression. The package is imported on first use, so importing this library does not
need it; a rule check without it fails with an actionable message.

Every check returns ``None`` when the value is valid, else ``"<what is wrong>; <fix>"``.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "check_alert_name",
    "check_label_name",
    "check_label_value",
    "check_metric_name",
    "check_prometheus_duration",
    "check_promql",
]

# Prometheus' own duration form (model.ParseDuration): units largest first, each at most once.
_PROM_DURATION = re.compile(r"^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$")
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")


def _parser() -> Any:
    try:
        import promql_parser
    except ModuleNotFoundError:  # pragma: no cover - depends on the environment
        raise ValueError(
            "checking PromQL needs the 'promql-parser' package, which is not installed; "
            "install it with: pip install promql-parser"
        ) from None
    return promql_parser


def check_promql(expr: Any) -> str | None:
    """Why ``expr`` is not a valid PromQL expression, or None.

    An integer is accepted (the CRD allows ``expr: 1``; it is the number literal).
    """
    if isinstance(expr, bool):
        return f"expr {expr!r} is not a PromQL expression; write the expression as a string"
    if isinstance(expr, int):
        return None
    if not isinstance(expr, str) or not expr.strip():
        return f"expr {expr!r} is empty; write a PromQL expression such as 'up == 0'"
    try:
        _parser().parse(expr)
    except ValueError as exc:
        if "promql-parser" in str(exc):
            raise
        text = " ".join(expr.split())
        shown = text if len(text) <= 120 else text[:117] + "..."
        return f"expr {shown!r} is not valid PromQL: {exc}; fix the expression (check it with 'promtool check rules')"
    return None


def check_prometheus_duration(value: Any, field: str) -> str | None:
    """Why ``value`` is not a Prometheus duration (``30s``, ``5m``, ``1h30m``, ``1d``), or None."""
    if not isinstance(value, str) or not value or not _PROM_DURATION.match(value):
        return (f"{field} {value!r} is not a Prometheus duration; use a number and units from largest to smallest "
                "(y, w, d, h, m, s, ms), such as '30s', '5m' or '1h30m'")
    return None


def check_metric_name(name: str) -> str | None:
    """Why ``name`` is not a metric name usable as a recording rule name, or None."""
    if not _METRIC_NAME.match(name or ""):
        return (f"record {name!r} is not a valid metric name; use letters, digits, '_' and ':' not starting with a "
                "digit, such as 'job:http_requests:rate5m'")
    return None


def check_label_name(name: str, what: str = "label") -> str | None:
    """Why ``name`` is not a label (or annotation) name, or None (``__name__`` is reserved for labels)."""
    if not _LABEL_NAME.match(name or ""):
        return (f"{what} name {name!r} is not valid; use letters, digits and '_' not starting with a digit, "
                "such as 'severity'")
    if what == "label" and name == "__name__":
        return "label name '__name__' is reserved for the metric name; use another label name"
    return None


def check_label_value(value: str, what: str) -> str | None:
    """Why ``value`` cannot be a label value (it must be valid UTF-8 text), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{what} {value!r} is not valid UTF-8; use plain text"
    return None


def check_alert_name(name: Any) -> str | None:
    """Why ``name`` is not a usable alert name (a non-empty label value), or None."""
    if not isinstance(name, str) or not name.strip():
        return f"alert {name!r} is empty; give the alert a name such as 'ArgoCDAppOutOfSync'"
    if name != name.strip() or any(ord(c) < 32 for c in name):
        return f"alert {name!r} has leading/trailing spaces or control characters; use a plain name such as 'HighErrorRate'"
    return check_label_value(name, "alert")
