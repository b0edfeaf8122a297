"""Python names for upstream names: snake_case fields, PascalCase classes, safe identifiers."""

from __future__ import annotations

import keyword
import re

__all__ = ["class_name", "module_name", "snake"]

# A plural acronym (IPs, CIDRs), an acronym before a word (URLPath -> URL, Path), a word, an acronym, digits.
_WORDS = re.compile(r"[A-Z]{2,}s(?=[A-Z0-9_]|$)|[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z][a-z0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z0-9]*")

# Attributes of pydantic's BaseModel and of our bases that a field must not shadow.
_RESERVED = {
    "model_config", "model_fields", "model_computed_fields", "model_extra", "model_fields_set",
    "copy", "dict", "json", "parse_obj", "parse_raw", "parse_file", "schema", "schema_json", "construct",
    "validate", "update_forward_refs", "from_orm", "dump", "build", "describe", "to_manifest", "from_manifest",
    "name_rule", "registry",
}


def snake(name: str) -> str:
    """``repoURL`` -> ``repo_url``, ``externalIPs`` -> ``external_ips``, ``x-forwarded-for`` -> ``x_forwarded_for``."""
    words = _WORDS.findall(name)
    text = "_".join(word.lower() for word in words) if words else "field"
    if not text or text[0].isdigit():
        text = f"n_{text}"
    if keyword.iskeyword(text) or keyword.issoftkeyword(text) or text in _RESERVED or text.startswith("model_"):
        text = f"{text}_"
    return text


def class_name(*parts: str) -> str:
    """``("Rollout", "spec", "strategy")`` -> ``RolloutSpecStrategy``."""
    out = []
    for part in parts:
        for word in _WORDS.findall(part):
            out.append(word[:1].upper() + word[1:])
    text = "".join(out) or "Object"
    return f"N{text}" if text[0].isdigit() else text


def module_name(group: str, version: str) -> str:
    """``("gateway.networking.k8s.io", "v1")`` -> ``gateway_networking_k8s_io_v1``; core groups by their short name."""
    base = group.replace(".", "_").replace("-", "_") if group else "core"
    return f"{base}_{version}"
