"""The registry of global checks: complete, and imported only for the kinds present."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cdk8s_gitops
from cdk8s_gitops.core.validation import global_checks
from cdk8s_gitops.registry import CHECK_MODULES

LIB = Path(cdk8s_gitops.__file__).parent


class TestCheckModules:
    def test_every_module_with_a_global_check_is_listed(self) -> None:
        """A library module that registers a global check is in CHECK_MODULES (else synth could skip it)."""
        found = set()
        for path in LIB.rglob("*.py"):
            text = path.read_text()
            if "@add_global_check" in text or "@add_object_check" in text:
                found.add("cdk8s_gitops." + ".".join(path.relative_to(LIB).with_suffix("").parts))
        assert found == set(CHECK_MODULES)

    def test_checks_of_absent_kinds_are_not_imported(self) -> None:
        """Objects without Kafka or Argo Workflows kinds do not import those add-ons; with a Kafka they do."""
        code = ("import sys; from cdk8s_gitops.core.validation import global_checks; "
                "n = len(global_checks({'Deployment', 'Service'})); a = 'cdk8s_gitops.addons.strimzi' in sys.modules; "
                "m = len(global_checks({'Kafka'})); b = 'cdk8s_gitops.addons.strimzi' in sys.modules; print(n, a, m, b)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        assert out[1] == "False" and out[3] == "True"
        assert int(out[2]) > int(out[0]) > 0

    def test_checks_for_any_kind_load_no_argo_cd_models(self) -> None:
        """The checks every object needs (sync waves, secrets, images) do not import the Argo CD package: synth's
        worker processes would each pay for it."""
        code = ("import sys; from cdk8s_gitops.core.validation import global_checks; "
                "names = {c.__name__ for c in global_checks({'Deployment', 'Service'})}; "
                "print('check_sync_waves' in names, 'cdk8s_gitops.argocd' in sys.modules)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        assert out == ["True", "False"]

    def test_default_registers_every_library_check(self) -> None:
        """Without kinds, every listed module's checks are returned."""
        modules = {check.__module__ for check in global_checks()}
        assert set(CHECK_MODULES) <= modules


class TestObjectChecks:
    def test_only_library_object_checks_may_be_skipped(self) -> None:
        """A per-object check of the library is skippable for cached objects; one registered by other code
        (whose source the cache's key does not cover) always runs, and a view leaves out only objects that
        passed that very check."""
        from cdk8s_gitops.core import validation
        from cdk8s_gitops.core.errors import Problem
        from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject, add_object_check, check_name, is_object_check
        from cdk8s_gitops.synth.secret_scan import secret_scan

        def mine(index: ObjectIndex) -> list[Problem]:
            return []

        add_object_check(mine)
        try:
            assert not is_object_check(mine)
            assert is_object_check(secret_scan)
        finally:
            validation._GLOBAL_CHECKS.remove(mine)
            validation._OBJECT_CHECKS.discard(mine)
        name = check_name(secret_scan)
        index = ObjectIndex("dev")
        index.add(RenderedObject({"kind": "ConfigMap", "metadata": {"name": "a"}}, "app", checked=frozenset({name})))
        index.add(RenderedObject({"kind": "ConfigMap", "metadata": {"name": "b"}}, "app"))
        assert [o.name for o in index.unchecked(name)] == ["b"]
        assert [o.name for o in index.unchecked("other:check")] == ["a", "b"]
