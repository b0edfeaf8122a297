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
        # The rules test externalName only with has(): another name is the same view, remembered too.
        ServiceSpec(type="ExternalName", external_name="other.example.com")
        assert evaluated == ["ServiceSpec"]
        ServiceSpec(type="NodePort")  # a value the rules read differs: evaluated
        assert evaluated == ["ServiceSpec", "ServiceSpec"]
        for _ in range(2):  # a refused value is never remembered: refused every time
            with pytest.raises(ManifestError, match="externalName"):
                ServiceSpec(type="ClusterIP", external_name="db.example.com")
        assert len(evaluated) == 4

    def test_fields_tested_only_for_presence_are_given_as_true(self) -> None:
        """A field the rules read only as ``has(self.<field>)`` is in the view as ``True``; a field also read
        otherwise, by any rule of the class, keeps its value; a rule that reads the whole object turns it off."""
        from cdk8s_gitops.core.schema import _cel_view, _fields_needed, _presence_only
        from cdk8s_gitops.models.argoproj_io_v1alpha1.rollout import RolloutSpec

        assert _presence_only(ServiceSpec) == {"externalName"}  # type is compared too: read in full
        assert _presence_only(EnvVar) == {"valueFrom"}  # value is compared with '': read in full
        assert _presence_only(RolloutSpec) == {"template", "workloadRef"}
        env = EnvVar(name="A", value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="metadata.name")))
        assert _cel_view(env, _fields_needed(EnvVar), _presence_only(EnvVar)) == {"valueFrom": True}
        from cdk8s_gitops.core.schema import Rule

        class Rules:  # what _presence_only reads of a class: its rules
            __rules__: tuple[Rule, ...] = (Rule("has(self.a) || has( self.b )", "m"), Rule("!has(self.c) || self.c.size() > 0", "m"),
                         Rule("has(self.d.e)", "m"), Rule("has(self.f)", "m"), Rule("self == 'x'", "m", field="f"))

        assert _presence_only(Rules) == {"a", "b"}
        Rules.__rules__ += (Rule("size(self) > 0", "m"),)
        _fields_needed.cache_clear()
        _presence_only.cache_clear()
        assert _presence_only(Rules) == set()
        with pytest.raises(ManifestError, match="value"):  # presence still decides: the rule refuses both set
            EnvVar(name="A", value="x", value_from=EnvVarSource(field_ref=ObjectFieldSelector(field_path="metadata.name")))

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
