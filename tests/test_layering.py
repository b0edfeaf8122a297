"""The import graph of ``lib/cdk8s_gitops`` and ``apps/``: no circles, dependencies point one way only.

Every ``import`` and ``from ... import`` is read with :mod:`ast`, including the ones inside functions
(lazy imports count: a circle that only closes at run time is still a circle). The allowed direction is
the one in ../shared/DESIGN.md::

    core <- models <- API-group modules <- platform <- apps <- synth <- cli

with ``environment`` (settings data) just above ``core``, ``kube`` (core Kubernetes kinds, which the other
API-group packages may use) and ``codegen`` (the generator) just above ``models``,
``registry`` (the table of packages whose kinds ``from_manifest`` loads) just above ``platform``, and
``testing`` (the pytest plugin) above ``synth``. An API-group module never imports another API-group module.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LIB = REPO / "lib"
ROOT = "cdk8s_gitops"

# Each top-level part of the package and its rank: a module may import only parts of a lower rank
# (or modules of its own part). Parts that share a rank may not import each other.
API_GROUPS = ("rollouts", "gateway", "secrets", "argocd", "observability", "addons")
RANKS: dict[str, int] = {
    "_node": 0,
    "core": 0,
    "environment": 10,
    "models": 20,
    "kube": 22,  # core Kubernetes kinds: semantic rules on models/, imported by the other API groups
    "codegen": 25,
    **dict.fromkeys(API_GROUPS, 30),
    "platform": 40,
    "registry": 45,
    ROOT: 50,  # the public facade, cdk8s_gitops/__init__.py
    "apps": 60,
    "synth": 70,
    "testing": 80,
    "scaffold": 85,  # `init`: writes a new project, checked by synthesizing it (synth, testing)
    "server": 87,  # `serve`: keeps the library loaded and forks a warm process per command (runs the CLI's main)
    "cli": 90,
    "console": 95,  # the `cdk8s-gitops` command: forwards to the server (light), else runs the CLI
    "__main__": 100,
}


def module_files() -> dict[str, Path]:
    """Every module of the package and of ``apps/``, by dotted name (a package by its own name)."""
    found: dict[str, Path] = {}
    for path in sorted((LIB / ROOT).rglob("*.py")):
        parts = list(path.relative_to(LIB).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    for path in sorted((REPO / "apps").glob("*.py")):
        found[f"apps.{path.stem}"] = path
    return found


def part_of(module: str) -> str:
    """The layer a module belongs to: ``cdk8s_gitops.rollouts.rollout`` -> ``rollouts``."""
    parts = module.split(".")
    if parts[0] == "apps":
        return "apps"
    return parts[1] if len(parts) > 1 else ROOT


def _imported(tree: ast.Module, module: str, is_package: bool, known: set[str]) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import of ``tree`` that targets a module of ours."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                # ``from pkg import sub`` imports the submodule; ``from pkg import name`` runs pkg/__init__.py.
                yield (candidate if candidate in known else base), node.lineno
        elif isinstance(node, ast.Call) and _is_import_module_call(node):
            yield node.args[0].value, node.lineno  # type: ignore[attr-defined]  # checked by _is_import_module_call


def _is_import_module_call(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return (name in ("import_module", "__import__") and bool(node.args)
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str))


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {imported module of ours: first line}, for every module of ours."""
    files = module_files()
    known = set(files)
    graph: dict[str, dict[str, int]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: dict[str, int] = {}
        for target, line in _imported(tree, module, path.name == "__init__.py", known):
            # Keep the longest known prefix: ``import cdk8s_gitops.core.model`` targets that module.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != module:
                edges.setdefault(target, line)
        graph[module] = edges
    return graph


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work: list[tuple[str, Iterator[str]]] = [(start, iter(graph[start]))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def wrong_way(graph: dict[str, dict[str, int]]) -> list[str]:
    """Every import against the allowed direction, as ``file:line: importer -> imported (why)``."""
    files = module_files()
    bad = []
    for module, edges in sorted(graph.items()):
        source = part_of(module)
        for target, line in sorted(edges.items()):
            dest = part_of(target)
            if dest == source:
                continue
            where = f"{files[module].relative_to(REPO)}:{line}: {module} -> {target}"
            if source not in RANKS or dest not in RANKS:
                unknown = source if source not in RANKS else dest
                bad.append(f"{where} ({unknown!r} has no place in the layer table of tests/test_layering.py)")
            elif RANKS[dest] == RANKS[source]:
                bad.append(f"{where} ({source} and {dest} are peers and may not import each other)")
            elif RANKS[dest] > RANKS[source]:
                bad.append(f"{where} ({source} sits below {dest})")
    return bad


class TestImportGraph:
    def test_reads_lazy_and_relative_imports(self) -> None:
        """The graph sees imports inside functions and resolves relative ones (else the checks below prove nothing)."""
        graph = import_graph()
        assert "cdk8s_gitops.core.errors" in graph["cdk8s_gitops.core.model"]
        assert "cdk8s_gitops.core" in graph[ROOT]
        # synth/build.py imports the dist-path loader inside a function.
        assert "cdk8s_gitops.environment.loader" in graph["cdk8s_gitops.synth.build"]
        # the registry imports the API-group packages only when a kind is first looked up.
        assert "cdk8s_gitops.kube" in graph["cdk8s_gitops.registry"]

    def test_detects_a_circle_and_a_wrong_way_edge(self) -> None:
        """The checks themselves fail on a made-up circle and on core importing synth."""
        graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
        assert circles(graph) == [["a", "b", "c"]]
        real = import_graph()
        real["cdk8s_gitops.core.chart"] = {**real["cdk8s_gitops.core.chart"], "cdk8s_gitops.synth.build": 99}
        assert any("core/chart.py:99" in line and "core sits below synth" in line for line in wrong_way(real))
        real["cdk8s_gitops.rollouts.rollout"] = {**real["cdk8s_gitops.rollouts.rollout"], "cdk8s_gitops.gateway": 7}
        assert any("rollouts and gateway are peers" in line for line in wrong_way(real))

    def test_no_import_circles(self) -> None:
        """No set of modules imports itself round, not even through function-level imports."""
        graph = import_graph()
        found = circles(graph)
        report = []
        for component in found:
            members = set(component)
            edges = [f"  {a} -> {b} (line {graph[a][b]})" for a in component for b in sorted(graph[a]) if b in members]
            report.append(f"circle of {len(component)} modules:\n" + "\n".join(edges))
        assert not found, "\n".join(report)

    def test_imports_follow_the_layers(self) -> None:
        """core <- models <- API groups <- platform <- apps <- synth <- cli; API groups never import each other."""
        bad = wrong_way(import_graph())
        assert not bad, "imports against the allowed direction:\n" + "\n".join(bad)

    @pytest.mark.parametrize("part", sorted({part_of(m) for m in module_files()}))
    def test_every_part_has_a_layer(self, part: str) -> None:
        """A new top-level package gets a place in the layer table before it can be imported."""
        assert part in RANKS, f"add {part!r} to RANKS in tests/test_layering.py"


REGISTRY_PROBE = """
import sys
import cdk8s_gitops
groups = ("kube", "rollouts", "gateway", "secrets", "argocd", "observability", "addons", "platform")
print(sorted(g for g in groups if f"cdk8s_gitops.{g}" in sys.modules))
issuer = cdk8s_gitops.from_manifest({"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer",
                                      "metadata": {"name": "selfsigned"}, "spec": {"selfSigned": {}}})
print(type(issuer).__module__)
print(sorted(g for g in groups if f"cdk8s_gitops.{g}" in sys.modules))
"""


class TestRegistry:
    def test_kinds_load_on_first_lookup_through_the_registry(self) -> None:
        """import cdk8s_gitops loads no API-group package; the first from_manifest loads them all (core imports none)."""
        result = subprocess.run([sys.executable, "-c", REGISTRY_PROBE], capture_output=True, text=True, check=True)
        before, module, after = result.stdout.splitlines()
        assert before == "[]"
        assert module == "cdk8s_gitops.models.cert_manager_io_v1.cluster_issuer"  # the generated class, checks registered by addons
        assert after == str(sorted(("kube", "rollouts", "gateway", "secrets", "argocd", "observability", "addons", "platform")))
