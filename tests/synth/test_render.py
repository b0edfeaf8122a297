"""The YAML writer writes exactly what PyYAML writes: on the repository's manifests, on the upstream
examples and on generated documents full of the strings YAML treats specially."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import upstream_documents

from cdk8s_gitops.synth import render
from cdk8s_gitops.synth.render import dump_documents, pyyaml_documents

ROOT = Path(__file__).resolve().parents[2]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Strings YAML reads as something else, indicators, quotes, spaces, unicode, breaks.
TRICKY = [
    "", " ", "a", "true", "True", "TRUE", "yes", "No", "on", "OFF", "y", "n", "null", "Null", "~", "0", "-1", "+1", "1_000",
    "0x1F", "0o17", "017", "1.5", "-.5", ".5", "1e3", "1E+3", ".inf", "-.Inf", ".NaN", "1:20", "190:20:30", "2001-12-14",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "=", "<<", "-", "--", "---", "...", "- a", "-a", "?", "? a",
    ":", "a:", "a: b", "a:b", "http://x.y/z?q=1#f", "a #b", "a#b", "#a", "&a", "*a", "!a", "|", ">", "'", '"', "'a'", '"a"',
    "%a", "@a", "`a", "a,b", "[a]", "{a}", "a]", "a b", "a  b", " a", "a ", "a\tb", "a\nb", "a\n", "\na", "a\n\nb", "a \nb",
    "a\r\nb", "a\x85b", "a\u2028b", "é", "日本", "a\u00a0b", "\ufeffa", "a\x00b", "a\x07", "x" * 127, "x" * 128, "x" * 1001,
    "word " * 900, "image:v1@sha256:" + "a" * 64, "${VAR}", "{{ .Values.x }}", "a'b", 'a"b', "a\\b", "/metrics", "_x", "1a",
    "0.0.0.0/0", "10.0.0.1", "x=y", "a,b,c", "*", "a*", "!", "a!", "~a", "a~", "100m", "1Gi", "8080", "08", "0b101", "+",
]

_scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=string.printable + "é日\u2028\x85", max_size=12),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
)
_keys = st.one_of(st.sampled_from(TRICKY), st.text(alphabet=string.ascii_letters + ":-. #'\"0123456789", max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_keys, inner, max_size=4)),
    max_leaves=25,
)
_documents = st.dictionaries(_keys, _values, max_size=6)


class TestSameAsPyYAML:
    @settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(_documents, min_size=1, max_size=3))
    def test_generated_documents(self, documents: list[dict[str, object]]) -> None:
        assert dump_documents(documents) == pyyaml_documents(documents)

    @pytest.mark.parametrize("text", TRICKY)
    def test_each_tricky_string_as_key_value_and_item(self, text: str) -> None:
        doc = {text: text, "list": [text, {text: [text]}, [text]], "nested": {"a": {text: text}}}
        out = dump_documents([doc])
        assert out == pyyaml_documents([doc])
        assert list(yaml.load_all(out, Loader=_Loader)) == [doc]

    def test_repository_manifests(self) -> None:
        """Every manifest in the repository's dist/ is written back byte for byte (PyYAML wrote them)."""
        files = sorted((ROOT / "dist").rglob("manifest.yaml"))
        assert files
        for path in files:
            text = path.read_text(encoding="utf-8")
            assert dump_documents(yaml.load_all(text, Loader=_Loader)) == text, path

    def test_upstream_examples(self) -> None:
        """The upstream example manifests (multi-line configs, floats, odd keys) are written as PyYAML writes them."""
        documents = upstream_documents()
        assert len(documents) > 100
        for entry in documents:
            assert dump_documents([entry.doc]) == pyyaml_documents([entry.doc]), f"{entry.name}:{entry.index}"
        docs = [entry.doc for entry in documents]
        assert dump_documents(docs) == pyyaml_documents(docs)


class TestFallback:
    def test_floats_and_multiline_strings_go_to_pyyaml(self) -> None:
        doc = {"a": 1.5, "b": "x\ny\n", "c": {"d": float("inf")}}
        assert dump_documents([doc]) == pyyaml_documents([doc])

    def test_other_types_are_left_to_pyyaml(self) -> None:
        """Types the writer does not write itself go to PyYAML: the same text, or the same refusal."""
        class Name(str):
            pass

        doc = {"tuple": (1, 2), "sub": Name("x"), "set": {1}}
        assert dump_documents([{"tuple": (1, 2)}]) == pyyaml_documents([{"tuple": (1, 2)}]) == "tuple:\n- 1\n- 2\n"
        with pytest.raises(yaml.representer.RepresenterError):
            pyyaml_documents([doc])
        with pytest.raises(yaml.representer.RepresenterError):
            dump_documents([doc])

    def test_memo_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(render, "_MEMO_LIMIT", 3)
        docs = [{f"k{i}": f"v{i}"} for i in range(10)]
        assert dump_documents(docs) == pyyaml_documents(docs)
        assert len(render._values) <= 3 and len(render._keys) <= 3
