"""Round-trip fuzzing of every modelled kind, as Kubernetes' API machinery fuzzes its types.

The valid upstream examples (../shared/upstream-examples) of the kinds the library models are
mutated at random places (a field dropped, duplicated, retyped or renamed; extreme numbers and
strings; unicode; deep nesting; long lists) and loaded with :func:`cdk8s_gitops.from_manifest`.
Loading must either give the same object back (``to_manifest()`` equal to the input, JSON types
included) or raise the library's :class:`ManifestError`: never another exception, never a silently
changed object, and the input is never modified.

The tests only use ``from_manifest``/``to_manifest``, so they hold for any way the models are written.

Runs: a fixed, derandomized set of examples by default (a few seconds, the same in every run, no
example database). ``CDK8S_GITOPS_FUZZ=long`` runs many more, randomized (see docs/guide/testing.md).
"""

from __future__ import annotations

import copy
import math
import os
import warnings
from typing import Any

import pytest
from helpers import UPSTREAM_EXAMPLES, upstream_documents
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdk8s_gitops import ManifestError, from_manifest, registered_kinds

LONG = os.environ.get("CDK8S_GITOPS_FUZZ", "").lower() == "long"
settings.register_profile("cdk8s-gitops-fuzz", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("cdk8s-gitops-fuzz-long", max_examples=20_000, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FUZZ = settings.get_profile("cdk8s-gitops-fuzz-long" if LONG else "cdk8s-gitops-fuzz")

Path = tuple[str | int, ...]


def same(a: Any, b: Any) -> bool:
    """Equal values with equal JSON types (``1``, ``1.0`` and ``True`` differ); NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return set(a) == set(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _seeds() -> list[tuple[str, dict[str, Any]]]:
    """The upstream examples of modelled kinds that load and round-trip unchanged (the valid ones)."""
    if not UPSTREAM_EXAMPLES.is_dir():
        return []
    kinds = registered_kinds()
    seeds = []
    for doc in upstream_documents(required=False):
        if (doc.doc.get("apiVersion"), doc.doc.get("kind")) not in kinds:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                out = from_manifest(copy.deepcopy(doc.doc)).to_manifest()
        except ManifestError:
            continue  # a known-invalid example (tested as such elsewhere)
        if same(out, doc.doc):
            seeds.append((f"{doc.name}#{doc.index}", doc.doc))
    return seeds


SEEDS = _seeds()


def _paths(node: Any, path: Path = ()) -> list[Path]:
    out: list[Path] = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*path, k))
            out.extend(_paths(v, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.append((*path, i))
            out.extend(_paths(v, (*path, i)))
    return out


def _parent(doc: Any, path: Path) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


EXTREME_NUMBERS = [0, -1, 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, -(2**63) - 1, 2**64, 10**100, 1e308, -1e308,
                   1.5, -0.0, 5e-324, float("inf"), float("-inf")]
EXTREME_STRINGS = ["", " ", "a" * 10_000, "é漢字🙂\u200b", "\x00", "\ud800", "line\nbreak", "tab\t", "${x}", "{{x}}",
                   "-1", "true", "null", "0x1F", "1e3", "../..", "A" * 254 + ".", "\u202e", "ﬀ"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                    st.sampled_from(EXTREME_NUMBERS), st.sampled_from(EXTREME_STRINGS))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                      max_leaves=12)

OPERATIONS = ("drop", "duplicate", "retype", "rename", "number", "string", "nest", "grow", "add")


def mutate(doc: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """``doc`` with one to three random mutations (``doc`` itself is not changed)."""
    doc = copy.deepcopy(doc)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = _paths(doc)
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        op = data.draw(st.sampled_from(OPERATIONS), label="operation")
        parent, key = _parent(doc, path), path[-1]
        value = parent[key]
        if op == "drop":
            del parent[key]
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.insert(int(key), copy.deepcopy(value))
            else:
                parent[f"{key}{data.draw(st.sampled_from(['Copy', '_', '2', 'S']))}"] = copy.deepcopy(value)
        elif op == "retype":
            parent[key] = data.draw(VALUES, label="value")
        elif op == "rename" and isinstance(parent, dict):
            new = data.draw(st.sampled_from([str(key).upper(), str(key).lower(), f"{key}x", f"_{key}", f"{key} ",
                                             str(key).replace("a", "\u0430"), ""]), label="new key")
            parent[new] = parent.pop(key)
        elif op == "number":
            parent[key] = data.draw(st.sampled_from(EXTREME_NUMBERS), label="number")
        elif op == "string":
            parent[key] = data.draw(st.sampled_from(EXTREME_STRINGS), label="string")
        elif op == "nest":
            depth = data.draw(st.integers(1, 100), label="depth")
            for _ in range(depth):
                value = [value] if data.draw(st.booleans()) else {"k": value}
            parent[key] = value
        elif op == "grow":
            count = data.draw(st.integers(2, 300), label="items")
            parent[key] = [copy.deepcopy(value)] * count if not isinstance(value, list) else (value * count)[:1000]
        elif op == "add" and isinstance(value, dict):
            value[data.draw(st.text(max_size=12), label="new field")] = data.draw(VALUES, label="value")
    return doc


def check_round_trip(doc: dict[str, Any]) -> None:
    """The property: ManifestError, or exactly the input back; the input is never modified.

    (The models' advisory warnings about odd but valid content are expected here and silenced.)
    """
    before = copy.deepcopy(doc)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            resource = from_manifest(doc)
    except ManifestError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)  # a message a person can read
        # the bad value is rendered shortened (the fix may list choices, such as the supported kinds)
        longest = max(len(p.subject) + len(p.path) + len(p.message) for p in exc.problems)
        assert longest < 2_000, f"a problem renders the bad value unbounded ({longest} characters)"
    else:
        out = resource.to_manifest()
        assert same(out, before), f"silently changed: {_diff(before, out)}"
    assert same(doc, before), "loading modified the input"


def _diff(a: Any, b: Any, path: str = "") -> str:
    if type(a) is not type(b):
        return f"{path or '<root>'}: {a!r:.80} ({type(a).__name__}) -> {b!r:.80} ({type(b).__name__})"
    if isinstance(a, dict):
        for k in set(a) | set(b):
            if k not in a or k not in b:
                return f"{path}.{k}: {'dropped' if k not in b else 'added'}"
            if not same(a[k], b[k]):
                return _diff(a[k], b[k], f"{path}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items -> {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not same(x, y):
                return _diff(x, y, f"{path}[{i}]")
    return f"{path}: {a!r:.80} -> {b!r:.80}"


def _require_seeds() -> None:
    if not SEEDS:
        if os.environ.get("CI"):
            pytest.fail(f"no upstream examples of modelled kinds under {UPSTREAM_EXAMPLES}")
        pytest.skip(f"{UPSTREAM_EXAMPLES} is not present (run with ../shared beside the repository)")


class TestRoundTripFuzz:
    def test_seeds_cover_many_kinds(self) -> None:
        """The corpus is the valid examples of many modelled kinds (so the fuzzing reaches most models)."""
        _require_seeds()
        assert len({(d["apiVersion"], d["kind"]) for _, d in SEEDS}) >= 20

    @FUZZ
    @given(data=st.data())
    def test_mutated_examples_load_identically_or_are_refused(self, data: st.DataObject) -> None:
        """A mutated example gives the same object back or a ManifestError; never another exception."""
        _require_seeds()
        _name, seed = data.draw(st.sampled_from(SEEDS), label="example")
        check_round_trip(mutate(seed, data))

    def test_property_catches_silent_changes(self) -> None:
        """The property itself fails on a model that changes what it loads (it is not vacuous)."""
        _require_seeds()
        _, seed = SEEDS[0]
        changed = copy.deepcopy(seed)
        changed["metadata"] = {**changed.get("metadata", {}), "labels": {"a": "b"}}
        assert not same(changed, seed)
        assert same(copy.deepcopy(seed), seed)
        assert not same({"a": 1}, {"a": True}) and not same({"a": 1}, {"a": 1.0})


class TestBoundedErrors:
    """Cases the fuzzing found, kept as plain tests: bad values are shown shortened, never whole."""

    def test_long_name_and_kind(self) -> None:
        """A 10,000-character name, kind or apiVersion gives a short message."""
        for doc in ({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a" * 10_000}},
                    {"apiVersion": "v1", "kind": "K" * 10_000, "metadata": {"name": "x"}},
                    {"apiVersion": "v" * 10_000, "kind": "ConfigMap", "metadata": {"name": "x"}},
                    {"apiVersion": "v1", "kind": ["ConfigMap"] * 5_000, "metadata": {"name": "x"}}):
            with pytest.raises(ManifestError) as info:
                from_manifest(doc)
            assert all(len(p.subject) + len(p.path) + len(p.message) < 400 for p in info.value.problems), info.value

    def test_short_quoted_values_are_kept(self) -> None:
        """Text between two quoted values is not taken for a long value (messages stay intact)."""
        from cdk8s_gitops.core.values import bounded_message as _bounded

        message = ("'0 2 * * *' has 5 fields, not 6 (second minute hour day-of-month month day-of-week) "
                   "(upstream reads it seconds first); use '0 0 2 * * *' (daily at 02:00), or '@daily'")
        assert _bounded(message) == message
        assert _bounded(f"name {'b' * 300!r} is bad") == "name '" + "b" * 76 + "...' is bad"

    @pytest.mark.parametrize("number", [float("inf"), float("-inf"), float("nan")])
    def test_non_finite_numbers_are_refused(self, number: float) -> None:
        """inf and NaN (YAML .inf/.nan) are refused, also in free-form fields, instead of being emitted as null."""
        with pytest.raises(ManifestError, match=r"data\.x: .* not a number JSON or Kubernetes can carry"):
            from_manifest({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"x": number}})
