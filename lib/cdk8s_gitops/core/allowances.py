"""Reviewable allowances for the secret scan (``gitops.cdk8s.io/secret-scan-allow``).

Synth scans every string it writes for secret values (see :mod:`cdk8s_gitops.synth.secret_scan`).
When a finding is not a secret (a public test key, a documented sample token), the object says
so itself, in an annotation that a reviewer sees in the pull request and in ``dist/``::

    metadata:
      annotations:
        gitops.cdk8s.io/secret-scan-allow: |
          data["demo.pem"]: public test key of the upstream demo, not used anywhere
          spec.template.spec.containers[0].env[2].value: sample token documented by the vendor

One entry per line, ``<field path>: <reason>``; the path is the one the refusal printed (an entry
also covers everything below it). Every allowance is listed in the app's ``dist/`` README, and an
entry that matches no finding is refused, so allowances never outlive their reason.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["ALLOW_ANNOTATION", "parse_allowances", "secret_scan_allowance"]

ALLOW_ANNOTATION = "gitops.cdk8s.io/secret-scan-allow"


def secret_scan_allowance(entries: Mapping[str, str]) -> dict[str, str]:
    """The annotation that allows the secret-scan findings at ``entries`` (field path -> reason).

    Merge it into the object's ``metadata.annotations``::

        ConfigMap(metadata=ObjectMeta(name="demo", annotations=secret_scan_allowance(
            {'data["demo.pem"]': "public test key of the upstream demo"})), data={...})

    Raises ``ValueError`` for an empty path or reason, or one spanning several lines.
    """
    lines = []
    for path, reason in sorted(entries.items()):
        for what, text in (("path", path), ("reason", reason)):
            if not isinstance(text, str) or not text.strip() or "\n" in text:
                raise ValueError(f"secret-scan allowance {path!r}: the {what} must be one non-empty line; "
                                 "write the field path the refusal printed and why it is not a secret")
        if ": " in path:
            raise ValueError(f"secret-scan allowance {path!r}: the path must not contain ': '; use the path the refusal printed")
        lines.append(f"{path.strip()}: {reason.strip()}")
    return {ALLOW_ANNOTATION: "\n".join(lines)}


def parse_allowances(value: object) -> tuple[dict[str, str], list[str]]:
    """The entries of an allowance annotation (path -> reason) and the lines that are malformed."""
    if not isinstance(value, str):
        return {}, [f"the annotation must be a string of '<field path>: <reason>' lines, got {type(value).__name__}"]
    entries: dict[str, str] = {}
    bad: list[str] = []
    for raw in value.splitlines():
        line = raw.strip()
        if not line:
            continue
        path, sep, reason = line.partition(": ")
        if not sep or not path.strip() or not reason.strip():
            bad.append(f"line {line[:60]!r} is not '<field path>: <reason>'")
            continue
        entries[path.strip()] = reason.strip()
    return entries, bad
