"""CEL rules are evaluated on the smallest view that gives the same answer, and each refusal still happens."""

from __future__ import annotations

from typing import Any

import pytest

from cdk8s_gitops import ManifestError
from cdk8s_gitops.core.schema import _fields_read
from cdk8s_gitops.kube import EnvVar, EnvVarSource, ObjectFieldSelector, ServiceSpec


class TestFieldsRead:
    def test_rules_reading_fields_get_just_those_fields(self) -> None:
        assert _fields_read("!(has(self.type) && self.type == 'ExternalName') || has(self.externalName)") == frozenset({"type", "externalName"})
        assert _fields_read("self.x.all(y, y > 0) && size(self.z) < 3") == frozenset({"x", "z"})
        assert _fields_read("has(self.__namespace__)") == frozenset({"__namespace__"})

    def test_rules_reading_self_whole_get_the_whole_object(self) -> None:
        """A macro or function on ``self`` itself, or ``self`` compared whole, needs every field."""
        assert _fields_read("self.all(k, k != '')") is None
        assert _fields_read("size(self) <= 3") is None
        assert _fields_read("self == oldSelf") is None
        assert _fields_read("self.a == 1 || self != null") is None


class TestRulesStillRefuse:
    """Rules of one object share a converted view; a rule that fails still names its field and message."""

    def test_two_rules_on_the_same_object(self) -> None:
        with pytest.raises(ManifestError, match="externalName"):
            ServiceSpec(type="ClusterIP", external_name="db.example.com")
        with pytest.raises(ManifestError, match="externalName"):
            ServiceSpec(type="ExternalName")
        assert ServiceSpec(type="ExternalName", external_name="db.example.com").external_name == "db.example.com"

    def test_value_and_value_from(self) -> None:
        with pytest.raises(ManifestError, match="value"):
            EnvVar(name="A", value="x", value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="metadata.name")))
        assert EnvVar(name="A", value="x").value == "x"


class TestPassedValuesAreRemembered:
    """A value that passed its class's rules is not evaluated again; every other value still is."""

    def test_equal_value_passes_from_the_memo_and_others_are_evaluated(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from cdk8s_gitops.core import schema

        monkeypatch.setattr(schema, "_PASSED", set())
        evaluated: list[str] = []
        real = schema._check_rules

        def counting(cls: type, view: dict[str, object]) -> None:
            evaluated.append(cls.__name__)
            real(cls, view)

        monkeypatch.setattr(schema, "_check_rules", counting)
        ServiceSpec(type="ExternalName", external_name="db.example.com")
        ServiceSpec(type="ExternalName", external_name="db.example.com")
        assert evaluated == ["ServiceSpec"]
        ServiceSpec(type="ExternalName", external_name="other.example.com")
        assert evaluated == ["ServiceSpec", "ServiceSpec"]
        for _ in range(2):  # a refused value is never remembered: refused every time
            with pytest.raises(ManifestError, match="externalName"):
                ServiceSpec(type="ClusterIP", external_name="db.example.com")
        assert len(evaluated) == 4

    def test_keys_tell_types_apart(self) -> None:
        """``repr`` keeps 1, 1.0, True and "1" apart (JSON would not)."""
        from cdk8s_gitops.core.schema import _passed_key

        keys = {_passed_key(ServiceSpec, {"a": v}) for v in (1, 1.0, True, "1")}
        int_key: dict[Any, Any] = {1: "a"}
        keys |= {_passed_key(ServiceSpec, int_key), _passed_key(ServiceSpec, {"1": "a"})}
        assert len(keys) == 6

    def test_memo_is_bounded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from cdk8s_gitops.core import schema

        monkeypatch.setattr(schema, "_PASSED", set())
        monkeypatch.setattr(schema, "_PASSED_LIMIT", 2)
        for i in range(5):
            ServiceSpec(type="ExternalName", external_name=f"db{i}.example.com")
        assert len(schema._PASSED) <= 2
