"""Registrations that wait for the first use of a generated module, and names created on first access."""

from __future__ import annotations

from typing import Any

import pytest

from cdk8s_gitops.core import deferred
from cdk8s_gitops.core.deferred import lazy_names, run_pending, when_used


class _A:
    pass


class _B(_A):
    pass


_B.__module__ = "example.other"


class TestWhenUsed:
    def test_runs_once_on_first_use_of_any_module_listed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(deferred, "_PENDING", {})
        ran: list[str] = []
        when_used([_A.__module__, "example.other"], lambda: ran.append("shared"))
        when_used(["example.unused"], lambda: ran.append("never"))
        run_pending(int)  # a class of no listed module
        assert ran == []
        run_pending(_B)  # its own module, then its base's: the shared action runs once
        run_pending(_A)
        assert ran == ["shared"]
        assert list(deferred._PENDING) == ["example.unused"]


class TestLazyNames:
    def test_value_made_on_first_access_and_kept(self) -> None:
        made: list[str] = []
        namespace: dict[str, Any] = {}

        def make() -> str:
            made.append("x")
            return "value"

        getattr_ = lazy_names("example", namespace, {"Name": make})
        assert getattr_("Name") == "value"
        assert namespace == {"Name": "value"} and made == ["x"]
        with pytest.raises(AttributeError, match="module 'example' has no attribute 'Other'"):
            getattr_("Other")
