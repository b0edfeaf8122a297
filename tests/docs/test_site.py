"""The documentation site: `mkdocs build --strict` passes, the API reference covers every public name with
its defaults, the how-to examples run, and every Mermaid diagram in docs/ parses."""

from __future__ import annotations

import html
import importlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO
from mermaid_check import parser
from pydantic import BaseModel
from tool_cache import CACHE as TOOL_CACHE
from tool_cache import digest, locked, tree

# API reference page (docs/reference/<page>.md) -> the package it documents.
PACKAGES = {
    "cdk8s_gitops": "cdk8s_gitops",
    "core": "cdk8s_gitops.core",
    "kube": "cdk8s_gitops.kube",
    "rollouts": "cdk8s_gitops.rollouts",
    "gateway": "cdk8s_gitops.gateway",
    "secrets": "cdk8s_gitops.secrets",
    "argocd": "cdk8s_gitops.argocd",
    "observability": "cdk8s_gitops.observability",
    "addons": "cdk8s_gitops.addons",
    "platform": "cdk8s_gitops.platform",
    "environment": "cdk8s_gitops.environment",
    "synth": "cdk8s_gitops.synth",
    "testing": "cdk8s_gitops.testing",
}
HOW_TOS = ["canary", "secrets", "argocd", "observability", "promotion"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the repository with `mkdocs build --strict` into a temporary folder."""
    try:
        import mkdocs  # noqa: F401
        import mkdocstrings  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"the dev extra is not installed ({exc}); pip install -e '.[dev]'")
        pytest.skip(f"mkdocs is not installed ({exc}); pip install -e '.[dev]'")
    # Built once per set of inputs (docs/, mkdocs.yml, the library's sources, the tools' versions) and kept
    # under .cache/site/<key>: a later run, or another pytest-xdist worker, reuses the checked build.
    from importlib.metadata import version

    tools = [f"{d}=={version(d)}" for d in ("mkdocs", "mkdocstrings", "mkdocstrings-python", "mkdocs-material", "griffe")
             if _installed(d)]
    key = digest(*tools, sys.version, files=[REPO / "mkdocs.yml", REPO / "README.md", *tree(REPO / "docs"),
                                             *tree(REPO / "lib", "*.py", "*.typed")])
    out = TOOL_CACHE / "site" / key
    with locked("site"):
        if (out / "index.html").is_file():
            return out
        staging = tmp_path_factory.mktemp("site")
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(staging)], cwd=REPO,
                                capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=False)
        elapsed = time.monotonic() - started
        problems = [line for line in result.stderr.splitlines() if line.startswith(("WARNING", "ERROR"))]
        assert result.returncode == 0, "\n".join(problems) or result.stderr[-3000:]
        # No warning at all, not even the docstring parse messages griffe would log (none is lowered or filtered).
        assert problems == [] and "griffe:" not in result.stderr, result.stderr[-3000:]
        print(f"mkdocs build --strict: {elapsed:.1f} s")
        out.parent.mkdir(parents=True, exist_ok=True)
        for old in out.parent.iterdir():  # keep only the newest build
            shutil.rmtree(old, ignore_errors=True)
        shutil.copytree(staging, out)
    return out


def _installed(dist: str) -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version(dist)
    except PackageNotFoundError:
        return False
    return True


def _page(site: Path, page: str) -> str:
    return (site / "reference" / page / "index.html").read_text(encoding="utf-8")


def _ids(text: str) -> set[str]:
    return set(re.findall(r'id="([^"]+)"', text))


def _section(text: str, anchor: str, size: int = 3000) -> str:
    """The readable text that follows the element with id ``anchor``, without spaces."""
    start = text.index(f'id="{anchor}"')
    plain = html.unescape(re.sub(r"<[^>]+>", " ", text[start:start + size]))
    return re.sub(r"\s+", "", plain)


def _public(module: str) -> list[str]:
    return [n for n in importlib.import_module(module).__all__ if not n.startswith("__")]


class TestBuild:
    def test_strict_build_passes(self, site: Path) -> None:
        """`mkdocs build --strict` succeeds: no broken link, no unparsed docstring, no missing page."""
        assert (site / "index.html").is_file()
        for page in ("getting-started", *(f"how-to/{h}" for h in HOW_TOS), "how-to/dist-readmes", "reference"):
            assert (site / page / "index.html").is_file(), page

    def test_every_package_has_a_page(self) -> None:
        """Each public package has its reference page, listed in the navigation, rendering that package."""
        config = (REPO / "mkdocs.yml").read_text()
        for page, module in PACKAGES.items():
            text = (REPO / "docs" / "reference" / f"{page}.md").read_text()
            assert f"::: {module}\n" in text, page
            assert f"reference/{page}.md" in config, page


class TestApiReference:
    @pytest.mark.parametrize("page", sorted(PACKAGES))
    def test_every_public_name_is_documented(self, site: Path, page: str) -> None:
        """Every name in the package's __all__ (classes, functions, constants, exported modules) has an entry."""
        module = PACKAGES[page]
        ids = _ids(_page(site, page))
        missing = [name for name in _public(module) if f"{module}.{name}" not in ids]
        assert missing == []

    @pytest.mark.parametrize("page", sorted(PACKAGES))
    def test_defaults_are_shown(self, site: Path, page: str) -> None:
        """Each props model field with a literal default shows that default next to its name."""
        module = PACKAGES[page]
        text = _page(site, page)
        ids = _ids(text)
        checked, wrong = 0, []
        for name in _public(module):
            cls = getattr(importlib.import_module(module), name)
            if not (inspect.isclass(cls) and issubclass(cls, BaseModel)):
                continue
            own = inspect.get_annotations(cls)
            for field, info in cls.model_fields.items():
                default = info.default
                if field not in own or not isinstance(default, (int, str)) or isinstance(default, Enum):
                    continue
                anchor = f"{module}.{name}.{field}"
                if anchor not in ids:
                    continue
                checked += 1
                shown = _section(text, anchor, 1500) + _section(text, f"{module}.{name}", 20000)
                # The default as source (`= 8080`, `= 'http'`), or, when the source names a constant, the
                # value the docstring gives (`Default: grafana_dashboard`).
                if repr(default).replace(" ", "") not in shown and not (
                        isinstance(default, str) and default and default.replace(" ", "") in shown):
                    wrong.append(f"{anchor} = {default!r}")
        assert wrong == []
        if page in ("platform", "environment"):
            assert checked > 10

    def test_construct_defaults(self, site: Path) -> None:
        """Construct arguments show their defaults (HelmAddon's sync wave, Microservice's port)."""
        platform = _page(site, "platform")
        assert "sync_wave:int=-10" in _section(platform, "cdk8s_gitops.platform.HelmAddon")
        assert "port:Annotated[int,Field(ge=1,le=65535)]=8080" in _section(platform, "cdk8s_gitops.platform.MicroserviceProps.port")

    def test_sphinx_roles_are_rewritten(self, site: Path) -> None:
        """Sphinx roles in docstrings (:class:`X`) are shown as code, not as raw role syntax."""
        for page in PACKAGES:
            assert ":class:" not in html.unescape(re.sub(r"<[^>]+>", "", _page(site, page))), page


def _blocks(path: Path) -> list[tuple[str, str]]:
    return re.findall(r"^```(\w+)\n(.*?)\n```$", path.read_text(), re.DOTALL | re.MULTILINE)


def _examples() -> list[Any]:
    cases = []
    for name in HOW_TOS:
        path = REPO / "docs" / "how-to" / f"{name}.md"
        environment = None
        for i, (lang, body) in enumerate(_blocks(path)):
            if lang == "yaml":
                doc = yaml.safe_load(body)
                if isinstance(doc, dict) and "name" in doc and "apps" in doc:
                    environment = doc
            elif lang == "python" and re.search(r"^def build\(", body, re.MULTILINE):
                cases.append(pytest.param(environment, body, id=f"{name}-{i}"))
    return cases


class TestHowToExamples:
    def test_every_capability_has_an_example(self) -> None:
        assert {c.id.rsplit("-", 1)[0] for c in _examples()} >= {"canary", "secrets", "argocd", "observability"}

    @pytest.mark.parametrize(("environment", "code"), _examples())
    def test_example_synthesizes(self, environment: dict[str, Any], code: str) -> None:
        """The page's app code, in the environment file shown before it, passes synth with its checks."""
        from cdk8s_gitops.environment import EnvironmentSpec
        from cdk8s_gitops.testing.harness import synth_chart

        assert environment is not None, "an example needs an environment file shown before it"
        EnvironmentSpec.model_validate(environment)
        namespace: dict[str, Any] = {}
        exec(compile(code, "<docs example>", "exec"), namespace)  # noqa: S102 - our own documentation
        apps = list(environment["apps"])
        fields = {k: v for k, v in environment.items() if k != "name"}
        manifests = synth_chart(namespace["build"], app=apps[-1], environment=environment["name"], **fields)
        assert manifests


class TestDiagramsInDocs:
    def test_mermaid_blocks_parse(self) -> None:
        """Every Mermaid diagram in docs/ is valid for Mermaid's own parser."""
        blocks = [(p.name, b) for p in sorted((REPO / "docs").rglob("*.md")) for lang, b in _blocks(p) if lang == "mermaid"]
        assert blocks
        assert parser().errors([b for _, b in blocks]) == []


class TestOffline:
    def test_mermaid_ships_with_the_site(self, site: Path) -> None:
        """The renderer and its licence are in the built site; no page loads anything from a CDN."""
        script = site / "assets" / "javascripts" / "mermaid.min.js"
        assert script.stat().st_size > 1_000_000
        assert 'globalThis["mermaid"]' in script.read_text(encoding="utf-8")[-1000:]  # the global Material uses
        assert (script.with_name("mermaid.LICENSE.txt")).read_text().startswith("The MIT License")
        pages = sorted(site.rglob("*.html"))
        with_diagrams = [p for p in pages if 'class="mermaid"' in p.read_text(encoding="utf-8")]
        assert with_diagrams
        for page in pages:
            text = page.read_text(encoding="utf-8")
            assert not re.search(r"""<(script|link)[^>]+(src|href)="https?://""", text), page
            if page in with_diagrams:
                assert re.search(r'<script src="[./]*assets/javascripts/mermaid\.min\.js"', text), page

    def test_home_diagram_is_short_and_top_down(self) -> None:
        """The home page diagram reads top-down with a handful of nodes."""
        [diagram] = [b for lang, b in _blocks(REPO / "docs" / "index.md") if lang == "mermaid"]
        lines = diagram.splitlines()
        assert lines[0].strip() == "flowchart TD"
        nodes = set(re.findall(r"(\w+)\[", diagram))
        assert 3 <= len(nodes) <= 6 and len(lines) <= 8
