"""Secret scanning of every string synth writes, before anything is written.

``dist/`` is committed to Git, so synth refuses any object that holds what looks like a secret
value, wherever it sits: ConfigMap data, container ``env`` values and ``args``, annotations, Helm
values inside Argo CD Applications, collector configs, ExternalSecret templates. Items of ``List``
kinds (``List``, ``SecretList``, any ``*List`` with ``items``) are scanned as objects of their own.

What counts as a finding (see docs/how-to/secrets.md):

- **Known secret formats**, by the detector plugins of `detect-secrets` (Yelp), run in-process on
  each string: private keys, AWS, GitHub, GitLab, Slack, Stripe, JWT, basic-auth URLs, Twilio,
  SendGrid, npm, PyPI, OpenAI, Azure storage, Discord, Telegram and others, plus its keyword
  detector for ``password = ...`` lines in config text. A few formats it lacks are added as
  plugins of the same kind (:data:`~cdk8s_gitops.synth.secret_detectors.EXTRA_PATTERNS`).
- **High-entropy tokens**: a value that is one token of base64/base64url characters, at least 20
  long, mixing upper case, lower case and digits, above detect-secrets' base64 entropy limit (4.5).
  Pure hex strings (checksums, commit SHAs, digests) are not flagged this way.
- **Credential fields**: a key named like a credential (``password``, ``adminPassword``,
  ``client_secret``, ``apiKey``, ``token``, ``AWS_SECRET_ACCESS_KEY``; also an ``env``/``parameters``
  entry ``{name: DB_PASSWORD, value: ...}``) whose value is a non-empty literal, not a reference
  (``$(VAR)``, ``${env:VAR}``, ``{{ .password }}``, a file path, an ARN or store reference).
  Keys that name something (``secretName``, ``passwordFile``, ``tokenUrl``, ``existingSecret``, ...)
  are not credentials. YAML and JSON text (Helm values, collector configs) is parsed and scanned
  field by field.
- **Literal values of the External Secrets fake provider** (``spec.provider.fake.data``, the
  ``Fake`` generator): they are secret values in Git by construction.

Secret *values* in ``v1`` Secrets (``data``/``stringData``) are refused by
:func:`cdk8s_gitops.secrets.checks.no_secret_values` and not reported twice here.

A finding that is not a secret is allowed per object and field with the annotation
:data:`~cdk8s_gitops.core.allowances.ALLOW_ANNOTATION` and a reason; allowances are listed in the
app's README. Refusals name the object, the field path and the kind of secret, never the value.
Results are cached per string, so repeated values (labels, images, shared config) cost nothing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from ..core.allowances import ALLOW_ANNOTATION, parse_allowances
from ..core.errors import Problem
from ..core.validation import ObjectIndex, RenderedObject, add_object_check
from .secret_detectors import detectors_for, keyword_detector, load_detect_secrets

__all__ = ["Allowance", "SecretFinding", "allowances", "object_allowances", "scan_manifest", "scan_object", "secret_scan"]

FIX = ("keep the value in the secret store and reference it: an ExternalSecret "
       "(cdk8s_gitops.secrets.ExternalSecret) for the Secret, then secretKeyRef/envFrom in the workload, "
       "or ${env:VAR}/$(VAR) placeholders in config text; if it is not a secret, allow it with the annotation "
       f"{ALLOW_ANNOTATION}: '<field path>: <reason>'")

_MAX_TEXT = 1 << 20  # longer strings (more than a Kubernetes object holds) get the pattern detectors only
_ENTROPY_LIMIT = 4.5  # detect-secrets' default for base64 strings


@dataclass(frozen=True, order=True)
class SecretFinding:
    """One suspected secret: the object, the field path inside it and what it looks like (never the value)."""

    subject: str
    path: str
    kind: str


@dataclass(frozen=True, order=True)
class Allowance:
    """One allowed finding: the object, the field path (or a path above it) and why it is not a secret."""

    subject: str
    path: str
    reason: str


# -- detectors: synth/secret_detectors.py ---------------------------------------------------------
def _heuristically_safe(hit: str, line: str) -> bool:
    """detect-secrets' own false-positive filters, plus references and placeholders."""
    load_detect_secrets()
    from detect_secrets.filters import heuristic as h

    return (_is_reference(hit) or h.is_templated_secret(hit) or h.is_prefixed_with_dollar_sign(hit)
            or h.is_sequential_string(hit) or h.is_potential_uuid(hit) or h.is_not_alphanumeric_string(hit)
            or h.is_indirect_reference(line) or h.is_likely_id_string(hit, line))


# -- keys and values ------------------------------------------------------------------------------
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_CREDENTIAL_WORDS = ("password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "privatekey",
                     "credential", "credentials", "authorization", "bearer")
_KEY_PAIRS = {"api", "private", "access", "secret", "client", "auth", "signing", "encryption", "master", "account",
              "session", "license", "hmac", "shared", "ssh", "gpg", "pgp", "root", "admin", "webhook"}
_NAME_WORDS = frozenset({
    "name", "names", "ref", "refs", "reference", "file", "files", "path", "paths", "dir", "url", "uri", "urls",
    "endpoint", "host", "namespace", "selector", "store", "type", "length", "ttl", "field", "env", "header",
    "mount", "volume", "policy", "rotation", "generator", "template", "provider", "existing", "id", "ids", "kind",
    "mode", "format", "enabled", "enable", "disable", "disabled", "required", "count", "interval", "duration",
    "expiry", "expiration", "expires", "lifetime", "location", "source", "label", "annotation", "prefix",
    "suffix", "version", "algorithm", "size", "bits", "audience", "issuer", "hash", "hashed", "min", "max",
    "regex", "pattern", "strategy", "command", "method", "encoding", "key_name", "var", "variable", "property",
    "rotate", "reset", "validity", "usage", "scope", "scopes", "claim", "claims", "lookup", "auth_type",
})
_REFERENCE = re.compile(
    r"^\s*(?:\$\(.+\)|\$\{.+\}|%\(.+\)s|<[^<>]+>|\*+|(?:file|env|ext|vault|ref\+\w+|arn|awssm|gcpsm|azkv|k8s|secret|pullsecret|secretref)[:+].*"
    r"|[.~]?/.*)\s*$", re.S)
_PLAIN = re.compile(r"^(?:true|false|yes|no|on|off|null|none|nil|~|-?\d+(?:\.\d+)?)$", re.I)
_TOKEN = re.compile(r"^[A-Za-z0-9+/=_-]{20,1000}$")
_ONE_LINE_MAPPING = re.compile(r"^\s*[\w.\-]+:\s+\S")
_YAML_KEY = re.compile(r"""^\s*(?:-\s+)?["']?([\w.\-/\[\]]+)["']?\s*[:=]""")


def _words(key: str) -> list[str]:
    return [w.lower() for w in _WORDS.findall(key)]


@lru_cache(maxsize=4096)
def credential_key(key: str) -> bool:
    """Whether a field named ``key`` holds a credential (``adminPassword``) rather than naming one (``secretName``).

    The last word decides (``clientSecret``, ``AWS_SECRET_ACCESS_KEY``, ``apiKey``, ``PGPASSWORD``); a word
    that names something (``secretName``, ``passwordFile``, ``tokenUrl``, ``existingSecret``) rules it out.
    """
    words = _words(key)
    if not words or _NAME_WORDS.intersection(words):
        return False
    if key.lower() in ("auth", "requirepass", "masterauth"):
        return True
    last = words[-1]
    if last.endswith(_CREDENTIAL_WORDS) or last == "pass":
        return True
    if last == "key" and len(words) > 1 and words[-2] in _KEY_PAIRS:
        return True
    # SECRET_KEY_BASE, password_value: the value of a credential
    return last in ("base", "value", "data", "string", "text", "literal", "plain", "raw") and any(
        w.endswith(_CREDENTIAL_WORDS) for w in words[:-1])


def _is_reference(value: str) -> bool:
    return "{{" in value or bool(_REFERENCE.match(value))


def _literal(value: str, key: str) -> bool:
    """Whether ``value`` of a credential field is a literal (not empty, a reference, a flag or a key's name)."""
    text = value.strip()
    if not text or _PLAIN.match(text) or _is_reference(text):
        return False
    if key.lower() == "auth" and len(text) < 12:
        return False  # auth: basic / oidc / none name a method
    words = _words(key)
    if words and words[-1] in ("secret", "secrets", "credential", "credentials") and re.fullmatch(r"[a-z0-9]+(?:[-.][a-z0-9]+)+", text):
        return False  # ``serverTLSSecret: cluster-tls`` names a Secret object (credentials: [consumer1-auth] too)
    # The name of a key or variable (``passwordKey: password``, ``secretKey: DB_PASSWORD``), not a value.
    return not (re.fullmatch(r"[A-Za-z][A-Za-z_.-]*", text) and credential_key(text))


def _entropy(data: str) -> float:
    counts: dict[str, int] = {}
    for ch in data:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(data)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _token_like(value: str) -> bool:
    return (bool(_TOKEN.match(value)) and not re.fullmatch(r"[0-9a-fA-F]+", value)
            and any(c.isupper() for c in value) and any(c.islower() for c in value)
            and any(c.isdigit() for c in value) and _entropy(value) > _ENTROPY_LIMIT)


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _has_alias(text: str) -> bool:
    """Whether YAML ``text`` uses an alias (``*name``): such text is not expanded (an alias bomb in a string
    must not hang synth) and is scanned line by line instead."""
    return "*" in text and any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_FAST_LOADER))


def _embedded(text: str) -> Any:
    """The mapping or list that ``text`` holds as JSON or YAML, or None."""
    stripped = text.lstrip()
    if len(text) > _MAX_TEXT or not ("\n" in text.strip() or stripped[:1] in ("{", "[") or _ONE_LINE_MAPPING.match(text)):
        return None
    data: Any = None
    try:
        if stripped[:1] in ("{", "["):
            try:
                data = json.loads(text)
            except ValueError:
                data = None
        if data is None and not _has_alias(text):
            data = yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader, aliases ruled out above
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return None
    return data if isinstance(data, (dict, list)) and data else None


# -- scanning one string --------------------------------------------------------------------------
Hit = tuple[str, str]  # (path inside the string, "" for the whole value; kind of secret)


@lru_cache(maxsize=65536)
def _scan_string(value: str, key: str, depth: int = 0) -> tuple[Hit, ...]:
    hits: list[Hit] = []
    if key and credential_key(key) and _literal(value, key):
        hits.append(("", f"literal value in the credential field {key!r}"))
    embedded = _embedded(value) if depth < 3 else None
    if embedded is not None:  # JSON or YAML text: every value in it is scanned on its own, with its key
        for parts, inner_key, leaf in _leaves(embedded, (), ""):
            for sub, kind in _scan_string(leaf, inner_key, depth + 1):
                inner = render_path(parts)
                hits.append((f"{inner}:{sub}" if sub else inner, kind))
        return tuple(dict.fromkeys(hits))
    if len(value) > _MAX_TEXT:  # beyond what one Kubernetes object holds: scanned in overlapping windows
        step = _MAX_TEXT // 2
        for start in range(0, len(value), step):
            hits.extend(_scan_string(value[start:start + _MAX_TEXT], key, depth))
        return tuple(dict.fromkeys(hits))
    flag = _FLAG.match(value)
    if flag and credential_key(flag.group(1)) and _literal(flag.group(2), flag.group(1)):
        hits.append(("", f"literal value of the credential flag {flag.group(1)!r}"))
    decoded = _base64_text(value) if depth < 3 else None
    if decoded is not None:  # binaryData, kubeconfig client-key-data, base64 blobs: scan what they hold
        hits.extend((f"base64:{sub}" if sub else "base64", kind) for sub, kind in _scan_string(decoded, key, depth + 1))
    seen_types = set()
    for plugin in detectors_for(value):
        for hit in plugin.analyze_string(value):
            if not _is_reference(hit) and plugin.secret_type not in seen_types:
                seen_types.add(plugin.secret_type)
                hits.append(("", plugin.secret_type))
    if _basic_auth_header(value):
        hits.append(("", "HTTP basic-auth credentials (Basic <base64 user:password>)"))
    if decoded is None and _token_like(value.strip()):  # encoded text is judged by what it decodes to
        hits.append(("", "high-entropy token (base64)"))
    if "=" in value or ":" in value or " " in value:
        hits.extend(_scan_lines(value))
    return tuple(dict.fromkeys(hits))


_FLAG = re.compile(r"^-{1,2}([A-Za-z][\w.-]*)=(.+)$", re.S)
_BASE64 = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
_DIRECTIVE_KEYS = frozenset({"password", "passwd", "pass", "pwd", "requirepass", "masterauth", "secret", "token",
                             "apikey", "api_key", "api-key", "auth_token", "access_token", "passphrase"})


def _base64_text(value: str) -> str | None:
    """The text a base64 value (40 characters or more) decodes to, when it is readable text."""
    text = value.strip().replace("\n", "")
    if len(text) % 4 or not _BASE64.fullmatch(text):
        return None
    import base64
    import binascii

    try:
        raw = base64.b64decode(text, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in decoded)
    return decoded if decoded and printable / len(decoded) > 0.95 else None


_BASIC = re.compile(r"\b[Bb]asic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])")


def _basic_auth_header(text: str) -> bool:
    """``Authorization: Basic dXNlcjpwYXNz`` in any text: the base64 part decodes to ``user:password``."""
    import base64
    import binascii

    for match in _BASIC.finditer(text) if "asic" in text else ():
        token = match.group(1)
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        _user, colon, password = decoded.partition(":")
        if colon and password and decoded.isprintable() and not _is_reference(password):
            return True
    return False


def _directives(line: str) -> bool:
    """``requirepass foobared`` (redis), ``password s3cret`` (.netrc, pgbouncer): a credential word, then a literal."""
    tokens = line.split()
    if not 2 <= len(tokens) <= 8 or "=" in line or ": " in line:
        return False
    for i, token in enumerate(tokens[:-1]):
        if token.strip("'\"").lower() in _DIRECTIVE_KEYS and (i == 0 or i == len(tokens) - 2):
            value = tokens[i + 1].strip("'\";")
            if _literal(value, token) and (len(value) >= 6 or any(c.isdigit() for c in value)):
                return True
    return False


def _scan_lines(text: str) -> list[Hit]:
    """``password = literal`` lines of config text (ini, properties, env files, unparsable YAML)."""
    detector, regexes = keyword_detector()
    hits: list[Hit] = []
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > 4096 or not re.search(r"(?i)pass|pwd|key|secret|token|contrase|masterauth", line):
            continue
        if _directives(line):
            hits.append((f"line {number}" if "\n" in text.strip() else "", "password or key in a config directive"))
            continue
        if not re.search(r"=|:\s", line):  # an assignment, not ``git:secret:name``
            continue
        for hit in detector.analyze_string(line, denylist_regex_to_group=regexes):
            if _heuristically_safe(hit.strip(), line):
                continue
            key = _YAML_KEY.match(line)
            if key and _NAME_WORDS.intersection(_words(key.group(1))):
                continue
            where = f"line {number}" if "\n" in text.strip() else ""
            hits.append((where, "password or key assignment in config text"))
            break
    return hits


# -- walking an object ----------------------------------------------------------------------------
_SAFE_KEYS = frozenset({"image", "caBundle", "labels", "matchLabels", "ownerReferences", "finalizers", "uid",
                        "resourceVersion", "apiVersion", "kind", "name", "namespace", "generateName"})
_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def render_path(parts: Iterable[str | int]) -> str:
    """``("data", "app.ini")`` -> ``data["app.ini"]``; ``("spec", "env", 0, "value")`` -> ``spec.env[0].value``."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _SIMPLE_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return out


_REFERENCE_SUFFIXES = ("Ref", "Refs", "ref")
_REFERENCE_KEYS = frozenset({"valueFrom", "envFrom", "dataFrom", "secretRef"})


def _reference_key(key: str) -> bool:
    return key.endswith(_REFERENCE_SUFFIXES) or key in _REFERENCE_KEYS


# A walked string: (its parent's path parts, its own key/index or None, the key it sits under, the string).
Leaf = tuple[tuple[str | int, ...], "str | int | None", str, str]


def _path_of(leaf: Leaf) -> tuple[str | int, ...]:
    return leaf[0] if leaf[1] is None else (*leaf[0], leaf[1])  # built only for the few strings a scan flags


def _leaves(node: Any, parts: tuple[str | int, ...], key: str) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """Every string below ``node``: (path parts, the key it sits under, the string)."""
    found: list[Leaf] = []
    _collect_leaves(node, parts, key, found)
    return ((_path_of(leaf), leaf[2], leaf[3]) for leaf in found)


_SCALARS = (int, float, bool, type(None))
_SKIPPED_KEYS = _SAFE_KEYS | _REFERENCE_KEYS  # keys whose values are never scanned (see _reference_key)


def _collect_leaves(node: Any, parts: tuple[str | int, ...], key: str, found: list[Leaf]) -> None:
    kind = type(node)  # exact types first: the abstract Mapping check is slow and manifests are plain dicts
    if kind is str:
        found.append((parts, None, key, node))
    elif kind is dict or (kind is not list and kind not in _SCALARS and isinstance(node, Mapping)):
        # {name: DB_PASSWORD, value: ...} (env, Helm parameters): the value's key is the name.
        named = node.get("name") if isinstance(node.get("name"), str) and "value" in node else None
        names_key = "remoteRef" in node or "sourceRef" in node  # ExternalSecret data: secretKey is a key name
        for k, v in node.items():
            sub = type(v)
            if sub in _SCALARS:
                continue  # holds no string
            if type(k) is not str:
                k = str(k)
            if k in _SKIPPED_KEYS or k.endswith(_REFERENCE_SUFFIXES) or (names_key and k == "secretKey"):
                continue
            if sub is str:
                found.append((parts, k, named if named and k == "value" else k, v))
            else:
                _collect_leaves(v, (*parts, k), named if named and k == "value" else k, found)
    elif kind is list or (kind not in _SCALARS and isinstance(node, list)):
        flag = ""
        for i, v in enumerate(node):
            # args: ["--db-password", "literal"]: the value's key is the flag before it
            if type(v) is str:
                found.append((parts, i, flag or key, v))
                flag = v.lstrip("-") if v.startswith("-") and "=" not in v else ""
            else:
                if type(v) not in _SCALARS:
                    _collect_leaves(v, (*parts, i), flag or key, found)
                flag = ""
    elif kind not in _SCALARS and isinstance(node, str):
        found.append((parts, None, key, node))


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` when it is a mapping, else an empty one (manifests from plain ApiObjects are not checked)."""
    return value if isinstance(value, Mapping) else {}


def _subject(manifest: Mapping[str, Any], container: str = "") -> str:
    meta = _mapping(manifest.get("metadata"))
    name = meta.get("name") or meta.get("generateName") or "(unnamed)"
    ns = f" in namespace {meta['namespace']!r}" if meta.get("namespace") else ""
    return f"{manifest.get('kind') or '(no kind)'} {str(name)!r}{ns}{container}"


def _is_list(manifest: Mapping[str, Any]) -> bool:
    kind = manifest.get("kind")
    return isinstance(kind, str) and kind.endswith("List") and isinstance(manifest.get("items"), list)


def _fake_values(manifest: Mapping[str, Any]) -> Iterator[str]:
    """Paths of the literal values of an External Secrets fake provider or Fake generator."""
    spec = _mapping(manifest.get("spec"))
    group = str(manifest.get("apiVersion", "")).split("/")[0]
    if not group.endswith("external-secrets.io"):
        return
    places: list[tuple[tuple[str | int, ...], Any]] = []
    fake = (spec.get("provider") or {}).get("fake") if isinstance(spec.get("provider"), Mapping) else None
    if isinstance(fake, Mapping):
        places.append((("spec", "provider", "fake", "data"), fake.get("data")))
    if manifest.get("kind") == "Fake":
        places.append((("spec", "data"), spec.get("data")))
    generator = spec.get("generator")
    if isinstance(generator, Mapping) and isinstance(generator.get("fakeSpec"), Mapping):
        places.append((("spec", "generator", "fakeSpec", "data"), generator["fakeSpec"].get("data")))
    for base, data in places:
        for parts, key, leaf in _leaves(data, base, ""):
            if leaf.strip() and key not in ("key", "version"):
                yield render_path(parts)


def _object_findings(manifest: Mapping[str, Any], subject: str) -> tuple[list[SecretFinding], list[Allowance], list[Problem]]:
    """Findings of one object (not of its List items), after its own allowances."""
    found: dict[str, list[str]] = {}
    secret_values = manifest.get("kind") == "Secret" and manifest.get("apiVersion") == "v1"
    leaves: list[Leaf] = []
    _collect_leaves(manifest, (), "", leaves)
    for leaf in leaves:
        hits = _scan_string(leaf[3], leaf[2])
        if not hits:
            continue  # most strings: no path is built for them
        parts = _path_of(leaf)
        if parts[:1] == ("items",) and _is_list(manifest):
            continue
        if secret_values and parts[:1] in (("data",), ("stringData",)):
            continue  # reported by the Secret check (secrets.checks.no_secret_values)
        if parts[:3] == ("metadata", "annotations", ALLOW_ANNOTATION):
            continue
        path = render_path(parts)
        for sub, kind in hits:
            found.setdefault(f"{path}:{sub}" if sub else path, []).append(kind)
    for path in _fake_values(manifest):
        found.setdefault(path, []).append("literal value of the External Secrets fake provider")
    meta = _mapping(manifest.get("metadata"))
    annotations = _mapping(meta.get("annotations"))
    entries, bad = parse_allowances(annotations[ALLOW_ANNOTATION]) if ALLOW_ANNOTATION in annotations else ({}, [])
    problems = [Problem(subject, f"metadata.annotations[{ALLOW_ANNOTATION!r}]", why,
                        "write one '<field path>: <reason>' per line") for why in bad]
    used: set[str] = set()
    findings: list[SecretFinding] = []
    for path, kinds in sorted(found.items()):
        allowed = next((a for a in entries if _covers(a, path)), None)
        if allowed is not None:
            used.add(allowed)
            continue
        findings.extend(SecretFinding(subject, path, kind) for kind in dict.fromkeys(kinds))
    for path in sorted(set(entries) - used):
        problems.append(Problem(subject, f"metadata.annotations[{ALLOW_ANNOTATION!r}]",
                                f"the allowance for {path!r} matches no secret-scan finding",
                                "remove the entry, or correct its path to the one the refusal printed"))
    return findings, [Allowance(subject, p, entries[p]) for p in sorted(used)], problems


def _covers(allowed: str, path: str) -> bool:
    return path == allowed or (path.startswith(allowed) and path[len(allowed)] in ".[:")


def scan_manifest(manifest: Mapping[str, Any], container: str = "") -> tuple[list[SecretFinding], list[Allowance], list[Problem]]:
    """Findings, allowances used and malformed allowances of ``manifest`` and, for List kinds, of its items."""
    subject = _subject(manifest, container)
    findings, allowed, problems = _object_findings(manifest, subject)
    if _is_list(manifest):
        for i, item in enumerate(manifest["items"]):
            if isinstance(item, Mapping):
                sub = scan_manifest(item, f" (items[{i}] of {subject})")
                findings += sub[0]
                allowed += sub[1]
                problems += sub[2]
    return findings, allowed, problems


def problem(finding: SecretFinding, where: str = "") -> Problem:
    """The refusal for one finding: object, field path, kind of secret and the fix (never the value)."""
    return Problem(finding.subject, finding.path,
                   f"holds what looks like a secret ({finding.kind}); dist/ is committed to Git and must not hold secret values",
                   FIX, where)


def scan_object(obj: RenderedObject, container: str = "") -> tuple[list[SecretFinding], list[Allowance], list[Problem]]:
    """:func:`scan_manifest` of ``obj``'s manifest; the object's strings are scanned once however many times
    this is asked (the check and the README both ask), only the subject changes with ``container``."""
    manifest = obj.manifest
    if _is_list(manifest):  # items carry their own subjects: not kept
        return scan_manifest(manifest, container)
    base = obj.memo.get("secret_scan")
    if base is None:
        base = obj.memo["secret_scan"] = scan_manifest(manifest)
    if not container:
        return list(base[0]), list(base[1]), list(base[2])
    subject = _subject(manifest, container)
    return ([SecretFinding(subject, f.path, f.kind) for f in base[0]], [Allowance(subject, a.path, a.reason) for a in base[1]],
            [Problem(subject, p.path, p.message, p.fix, p.where) for p in base[2]])


@add_object_check
def secret_scan(index: ObjectIndex) -> Iterable[Problem]:
    """Every string of every object synth writes, scanned; one problem per finding."""
    for obj in index:
        findings, _, problems = scan_object(obj, f" (app {obj.app!r})")
        for finding in findings:
            yield problem(finding, obj.where())
        for bad in problems:
            yield Problem(bad.subject, bad.path, bad.message, bad.fix, obj.where())


def object_allowances(objects: Iterable[RenderedObject]) -> list[Allowance]:
    """:func:`allowances` of the manifests of ``objects`` (scanned once, see :func:`scan_object`)."""
    out: list[Allowance] = []
    for obj in objects:
        out.extend(scan_object(obj)[1])
    return out


def allowances(manifests: Iterable[Mapping[str, Any]]) -> list[Allowance]:
    """The allowances in force for ``manifests`` (for the README)."""
    out: list[Allowance] = []
    for manifest in manifests:
        out.extend(scan_manifest(manifest)[1])
    return out
