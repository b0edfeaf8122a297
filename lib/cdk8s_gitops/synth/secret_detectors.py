"""The secret scan's pattern detectors: detect-secrets' plugins and a few of the same kind.

:func:`detectors` are the detector plugins of `detect-secrets` (Yelp) that look for known secret
formats, plus :data:`EXTRA_PATTERNS` written as plugins of the same kind; the public-IP, entropy and
keyword plugins are left out (:mod:`.secret_scan` applies entropy and keywords itself, with the
field's context). :func:`detectors_for` gives the plugins that can find something in one string:
every plugin is a list of regular expressions, and one search with all of them, joined, rules out
most strings (names, hostnames, paths) before any plugin runs.
"""

from __future__ import annotations

import logging
import re
import sys
import warnings
from functools import lru_cache
from typing import Any

__all__ = ["EXTRA_PATTERNS", "detectors", "detectors_for", "keyword_detector", "load_detect_secrets"]


def load_detect_secrets() -> None:
    """Import detect-secrets, leaving how Python shows warnings as it was.

    Importing it makes every warning of the process go to :mod:`logging` (``logging.captureWarnings(True)``), so an
    app's warnings would show differently after the first scan of a run, or not at all in a command served by
    ``cdk8s-gitops serve`` (which loads detect-secrets ahead). The display is put back right after the import."""
    if "detect_secrets" in sys.modules:
        return
    shown = warnings.showwarning
    import detect_secrets  # noqa: F401  (the import is the point)

    if warnings.showwarning is not shown:
        logging.captureWarnings(False)

EXTRA_PATTERNS = (
    # Formats detect-secrets 1.5 does not know, written as its RegexBasedDetector plugins.
    ("Private Key", r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"),
    ("GitHub Token", r"\bgithub_pat_[A-Za-z0-9_]{40,}"),
    ("Google API Key", r"\bAIza[0-9A-Za-z_-]{35}"),
    ("API Token", r"\bsk-(?:proj|ant|live|svcacct)-[A-Za-z0-9_-]{20,}"),
    ("Hugging Face Token", r"\bhf_[A-Za-z]{34,}"),
    ("Bearer Token", r"\b(?i:bearer)\s+[A-Za-z0-9._~+/-]{20,}=*"),
    ("npm Token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("Docker Hub Token", r"\bdckr_pat_[A-Za-z0-9_-]{20,}"),
    ("Vault Token", r"\bhv[sb]\.[A-Za-z0-9_-]{24,}"),
    ("DigitalOcean Token", r"\bdo[poa]_v1_[a-f0-9]{64}\b"),
    ("Shopify Token", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b"),
    ("Grafana Token", r"\bgl(?:sa|c)_[A-Za-z0-9_+/=-]{32,}"),
    ("Slack App Token", r"\bxapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+"),
    ("age Secret Key", r"\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b"),
)
"""Secret formats detect-secrets does not know: (the kind reported, the pattern)."""


@lru_cache(maxsize=1)
def detectors() -> tuple[Any, ...]:
    """The pattern detector plugins, one instance each (created on first use: detect-secrets loads in 0.1 s)."""
    load_detect_secrets()
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.high_entropy_strings import HighEntropyStringsPlugin
    from detect_secrets.plugins.ip_public import IPPublicDetector
    from detect_secrets.plugins.keyword import KeywordDetector

    plugins: list[Any] = []
    cls: type[Any]
    for cls in get_mapping_from_secret_type_to_class().values():
        # A public IP address is not a secret; entropy and keywords are applied below, with context.
        if issubclass(cls, (IPPublicDetector, HighEntropyStringsPlugin, KeywordDetector)):
            continue
        plugins.append(cls())
    for name, pattern in EXTRA_PATTERNS:
        ident = re.sub(r"\W", "", name)
        extra = type(f"_{ident}Detector", (RegexBasedDetector,),
                     {"secret_type": name, "denylist": [re.compile(pattern)]})
        plugins.append(extra())
    return tuple(plugins)


# Backreferences, named groups and global inline flags do not survive being joined: such a plugin is kept apart.
_UNJOINABLE = re.compile(r"\\[1-9]|\(\?P[=<]|\(\?<[A-Za-z_]|^\(\?[aiLmsux]+\)")


@lru_cache(maxsize=1)
def _screen() -> tuple[tuple[re.Pattern[str], ...], tuple[Any, ...]]:
    """(the joined patterns of the plugins that only search their regular expressions, one per set of flags;
    the plugins that cannot be screened so and always run)."""
    load_detect_secrets()
    from detect_secrets.plugins.base import RegexBasedDetector
    from detect_secrets.plugins.jwt import JwtTokenDetector

    # What these plugins find is always what one of their patterns matched (the JWT one then drops what does not
    # decode): where no pattern matches, they find nothing.
    searching = (RegexBasedDetector.analyze_string, JwtTokenDetector.analyze_string)
    by_flags: dict[int, list[str]] = {}
    always: list[Any] = []
    for plugin in detectors():
        patterns = list(getattr(plugin, "denylist", ()))
        if type(plugin).analyze_string not in searching or not patterns or any(
                not isinstance(p, re.Pattern) or _UNJOINABLE.search(p.pattern) for p in patterns):
            always.append(plugin)
            continue
        for p in patterns:
            by_flags.setdefault(p.flags, []).append(p.pattern)
    try:
        screens = tuple(re.compile("|".join(f"(?:{p})" for p in patterns), flags) for flags, patterns in by_flags.items())
    except re.error:  # a pattern this joining does not foresee: no screening
        return (re.compile(""),), ()
    return screens, tuple(always)


def detectors_for(value: str) -> tuple[Any, ...]:
    """The plugins that may find something in ``value``: all of them when one of their patterns matches it
    somewhere, else only those that cannot be ruled out by their patterns (none of detect-secrets' own)."""
    screens, always = _screen()
    if any(screen.search(value) for screen in screens):
        return detectors()
    return always


@lru_cache(maxsize=1)
def keyword_detector() -> tuple[Any, dict[Any, int]]:
    """detect-secrets' keyword plugin and its patterns for config text (``password = ...``)."""
    load_detect_secrets()
    from detect_secrets.plugins.keyword import CONFIG_DENYLIST_REGEX_TO_GROUP, KeywordDetector

    return KeywordDetector(), CONFIG_DENYLIST_REGEX_TO_GROUP
