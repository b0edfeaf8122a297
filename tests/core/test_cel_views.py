"""CEL views leave out the fields of nested objects that no rule of the class names (``core.schema._nested_keep``),
so that values differing only there hit the memo of passed rules. Leaving them out must never change an answer."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import upstream_documents
from pydantic import BaseModel

from cdk8s_gitops import from_manifest
from cdk8s_gitops.core import schema
from cdk8s_gitops.core.errors import GitOpsError
from cdk8s_gitops.core.schema import Rule, SchemaModel


class _Port(SchemaModel):
    name: str | None = None
    port: int | None = None


class _Pair(SchemaModel):
    a: _Port | None = None
    b: _Port | None = None


def _with_rules(*rules: str) -> type[SchemaModel]:
    return type("_Probe", (_Pair,), {"__rules__": tuple(Rule(r, "broken") for r in rules), "__module__": __name__})


class TestWhatIsKept:
    def test_names_mentioned_are_kept_and_literal_comparisons_allow_pruning(self) -> None:
        keep = schema._nested_keep(_with_rules("self.a.port == 80 && has(self.b.name)"))
        assert keep is not None and {"port", "name", "a", "b"} <= keep

    @pytest.mark.parametrize("rule", ["self.a == self.b", "self.a != self.b", "self.a in [self.b]",
                                      "self.all(x, x == self.a)", "[self.a].exists(x, x == self.b)",
                                      "[self.a] == [self.b]", "self.c.filter(x, x.port) == self.d.filter(y, y.port)",
                                      "self.c.filter(x, has(x.name)) == []"])
    def test_comparing_what_may_be_objects_turns_pruning_off(self, rule: str) -> None:
        assert schema._nested_keep(_with_rules(rule)) is None

    def test_comparing_scalar_fields_keeps_pruning(self) -> None:
        assert schema._nested_keep(_with_rules("self.a.port == self.b.port", "(self.a.name != self.b.name)")) is not None

    def test_a_backend_name_no_rule_reads_leaves_the_http_route_view_unchanged(self) -> None:
        from cdk8s_gitops.models.gateway_networking_k8s_io_v1 import HTTPRouteSpec

        def spec(backend: str) -> HTTPRouteSpec:
            return HTTPRouteSpec.model_validate({"parentRefs": [{"name": "gw"}], "rules": [
                {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "backendRefs": [{"name": backend, "port": 80}]}]})

        views = [schema._cel_view(spec(name), schema._fields_needed(HTTPRouteSpec), schema._presence_only(HTTPRouteSpec),
                                  schema._nested_keep(HTTPRouteSpec)) for name in ("svc-a", "svc-b")]
        assert views[0] == views[1]
        assert views[0]["rules"][0]["matches"] == [{}]  # kept as many as there are: the rules count them


def _instances(value: Any) -> list[SchemaModel]:
    found: list[SchemaModel] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, BaseModel):
            if isinstance(item, SchemaModel):
                found.append(item)
            stack.extend(item.__dict__.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return found


def _verdict(cls: type[SchemaModel], view: dict[str, Any]) -> str | None:
    try:
        schema._check_rules(cls, view)
    except ValueError as exc:
        return str(exc)
    return None


def test_pruned_views_give_the_answers_of_full_views_on_every_upstream_example() -> None:
    """Every nested object of every loadable upstream example: the rules of its class answer the same on the view that
    leaves fields out as on the full view (the refusals are covered by the rule tests, which run on pruned views)."""
    compared = 0
    for document in upstream_documents():
        try:
            model = from_manifest(document.doc)
        except (GitOpsError, ValueError, KeyError, TypeError):
            continue  # a kind the library does not model, or an example upstream's own rules refuse
        for instance in _instances(model):
            cls = type(instance)
            keep = schema._nested_keep(cls) if cls.__rules__ else None
            if keep is None:
                continue
            only, present = schema._fields_needed(cls), schema._presence_only(cls)
            full = schema._cel_view(instance, only, present)
            pruned = schema._cel_view(instance, only, present, keep)
            assert _verdict(cls, pruned) == _verdict(cls, full), (document.name, cls.__name__)
            compared += 1
    assert compared > 50  # the corpus reaches many classes whose views are pruned
