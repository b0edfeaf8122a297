"""The Python examples of the documentation are typed and type-check.

Every ```python block of docs/ and README.md, and every example in the docstrings of the public API (outside the
generated models and the platform constructs), is written in the one typed form: keyword arguments, nested typed
objects, ``TypedResource(scope, Model(...))``; never ``Kind.build(metadata={...}, spec={...})``. The blocks are
then type-checked together with ``mypy --strict`` and pydantic's plugin (the project's own settings), so a renamed
field, a camelCase keyword or a dict where a model belongs fails here, not in a reader's editor. Blocks of a page
that build an app are also run in a chart. A block that goes on from the one before it says so with the HTML
comment ``<!-- continues the example above -->`` on the line above its fence; a page that shows a CRD (a YAML
block of kind CustomResourceDefinition) gets the package ``cdk8s-gitops import`` makes of it, as the page says.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import REPO
from tool_cache import CACHE as TOOL_CACHE

FENCE = re.compile(r"^(?:<!-- (?P<mark>[^>]*?) -->\n)?```(?P<lang>\w+)\n(?P<body>.*?)\n```$", re.DOTALL | re.MULTILINE)
CONTINUES = "continues the example above"
#: The untyped form: a dict of upstream keys built through ``Kind.build`` or passed as metadata/spec.
UNTYPED = re.compile(r"\b[A-Z]\w*\.build\(|\bmetadata=\{|\bspec=\{")
#: Library folders whose docstrings are not checked here: generated (models) or being rewritten (platform).
SKIPPED = ("models",)


@dataclass
class Example:
    """One Python example: where it is written (file and first line) and its code."""

    source: str
    line: int
    code: str
    continues: bool = False
    lang: str = "python"

    def __str__(self) -> str:
        return f"{self.source}:{self.line}"


def doc_pages() -> list[Path]:
    return [*sorted((REPO / "docs").rglob("*.md")), REPO / "README.md"]


def page_blocks(page: Path) -> list[Example]:
    """Every fenced block of ``page`` (any language), with its first code line."""
    text = page.read_text(encoding="utf-8")
    out = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start("body")) + 1
        out.append(Example(page.relative_to(REPO).as_posix(), line, match["body"], match["mark"] == CONTINUES, match["lang"]))
    return out


def docstring_examples() -> list[Example]:
    """The literal blocks (after a line ending in ``::``) of every docstring in the library, except SKIPPED."""
    package = REPO / "lib" / "cdk8s_gitops"
    out = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).parts[0] in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            doc = ast.get_docstring(node, clean=False)
            if not doc or not node.body:
                continue
            first = node.body[0].lineno  # the docstring's first line
            for offset, block in _literal_blocks(doc):
                out.append(Example(path.relative_to(REPO).as_posix(), first + offset, block))
    return out


def _literal_blocks(doc: str) -> list[tuple[int, str]]:
    """(line offset, dedented text) of each reStructuredText literal block in ``doc``."""
    lines = doc.splitlines()
    blocks = []
    i = 0
    while i < len(lines):
        if lines[i].rstrip().endswith("::"):
            indent = len(lines[i]) - len(lines[i].lstrip())
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            start = j
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                j += 1
            if j > start:
                blocks.append((start, textwrap.dedent("\n".join(lines[start:j])).strip("\n")))
            i = j
        else:
            i += 1
    return blocks


def python_examples() -> list[Example]:
    """The ```python blocks of the docs, those that go on from the previous block joined to it."""
    out: list[Example] = []
    for page in doc_pages():
        for block in page_blocks(page):
            if block.lang != "python":
                continue
            if block.continues:
                assert out and out[-1].source == block.source, f"{block}: nothing above to continue"
                out[-1] = Example(out[-1].source, out[-1].line, f"{out[-1].code}\n\n\n{block.code}")
            else:
                out.append(block)
    return out


def self_contained(example: Example) -> bool:
    """A docstring example that starts with its imports is a whole program (others are fragments of prose)."""
    return example.code.lstrip().startswith(("from ", "import "))


def crd_blocks(source: str) -> list[str]:
    page = REPO / source
    return [b.code for b in page_blocks(page) if b.lang == "yaml" and "kind: CustomResourceDefinition" in b.code]


class TestTypedForm:
    def test_docs_have_python_examples(self) -> None:
        """The collection finds the examples (a broken pattern would make every check below vacuous)."""
        examples = python_examples()
        assert len(examples) >= 12
        assert {"README.md", "docs/guide/architecture.md", "docs/getting-started.md"} <= {e.source for e in examples}
        assert len([e for e in docstring_examples() if self_contained(e)]) >= 5

    @pytest.mark.parametrize("example", [*python_examples(), *docstring_examples()], ids=str)
    def test_no_untyped_form(self, example: Example) -> None:
        """No example builds an object from a dict of upstream keys (``Kind.build(...)``, ``metadata={...}``)."""
        found = [m.group(0) for m in UNTYPED.finditer(example.code)]
        assert found == [], f"{example}: {found}; write Kind(metadata=ObjectMeta(...), spec=KindSpec(...))"

    @pytest.mark.parametrize("example", python_examples(), ids=str)
    def test_examples_compile(self, example: Example) -> None:
        """Every Python block of the docs is valid Python."""
        compile(example.code, str(example), "exec")

    def test_app_functions_are_typed(self) -> None:
        """Every ``build(scope, env)`` shown says its types, as apps/ do."""
        untyped = [str(e) for e in python_examples() if re.search(r"def build\(scope, env\)", e.code)]
        assert untyped == []


def _mypy_config(folder: Path) -> Path:
    """The project's mypy settings (pyproject.toml) for a folder of examples; test functions may skip annotations,
    as the project's own tests may."""
    config = folder / "mypy.ini"
    config.write_text(textwrap.dedent(f"""\
        [mypy]
        python_version = 3.11
        strict = True
        plugins = pydantic.mypy
        mypy_path = {REPO / "lib"}:{folder}
        explicit_package_bases = True

        [mypy-kubernetes_validate.*]
        ignore_missing_imports = True

        [mypy-doctests.*]
        disallow_untyped_defs = False
        disallow_incomplete_defs = False
        disallow_untyped_calls = False
        check_untyped_defs = True

        [pydantic-mypy]
        init_typed = True
        init_forbid_extra = True
        warn_required_dynamic_aliases = True
        """), encoding="utf-8")
    return config


#: A control: an example with one mistake of each kind the check exists for; each must be flagged on its line.
CONTROL = '''\
from cdk8s_gitops import ObjectMeta
from cdk8s_gitops.kube import ConfigMap, ContainerPort

ok = ConfigMap(metadata=ObjectMeta(name="cfg"), data={"a": "b"})
camel = ContainerPort(containerPort=80)  # MISTAKE
wrong_type = ContainerPort(container_port="80")  # MISTAKE
dict_for_model = ConfigMap(metadata={"name": "cfg"})  # MISTAKE
'''


class TestTypeCheck:
    def test_mypy_strict_passes_on_every_example(self, tmp_path: Path) -> None:
        """mypy --strict passes on every docs block and every self-contained docstring example, and flags each
        mistake of a control example on its line (so a passing run means the examples were really checked)."""
        if shutil.which("mypy") is None and not (Path(sys.executable).parent / "mypy").exists():
            pytest.skip("mypy is not installed (dev extra)")
        from cdk8s_gitops.cli import main

        examples = [*python_examples(), *(e for e in docstring_examples() if self_contained(e))]
        modules: dict[str, Example] = {}
        (tmp_path / "doctests").mkdir()
        (tmp_path / "doctests" / "__init__.py").write_text("", encoding="utf-8")
        for n, example in enumerate(examples):
            # pytest tests (test functions with fixtures) are checked as the project's tests are
            name = f"doctests/doc_{n}.py" if re.search(r"^def test_", example.code, re.MULTILINE) else f"doc_{n}.py"
            (tmp_path / name).write_text(example.code + "\n", encoding="utf-8")
            modules[name] = example
            if "from crds." in example.code:
                crds = crd_blocks(example.source)
                assert crds, f"{example}: imports crds.* but the page shows no CRD to import"
                for i, crd in enumerate(crds):
                    (tmp_path / f"crd{n}-{i}.yaml").write_text(crd, encoding="utf-8")
                if not (tmp_path / "crds").exists():
                    files = [str(tmp_path / f"crd{n}-{i}.yaml") for i in range(len(crds))]
                    assert main(["import", *files, "--out", str(tmp_path / "crds")]) == 0
        (tmp_path / "control.py").write_text(CONTROL, encoding="utf-8")
        cache = TOOL_CACHE / "mypy-docs"
        proc = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(_mypy_config(tmp_path)),
                               "--cache-dir", str(cache), *sorted(modules), "control.py"],
                              capture_output=True, text=True, check=False, cwd=tmp_path)
        errors: list[str] = []
        control: set[int] = set()
        for line in proc.stdout.splitlines():
            match = re.match(r"^(\S+?\.py):(\d+): error: (.*)$", line)
            if not match:
                continue
            name, number, message = match[1], int(match[2]), match[3]
            if name == "control.py":
                control.add(number)
            elif name in modules:
                example = modules[name]
                errors.append(f"{example.source}:{example.line + number - 1}: {message}")
            else:
                errors.append(line)
        assert proc.returncode in (0, 1), proc.stdout + proc.stderr
        expected = {n for n, text in enumerate(CONTROL.splitlines(), 1) if text.endswith("# MISTAKE")}
        assert control == expected, proc.stdout
        assert errors == [], "\n".join(errors)


def _page_environment(source: str) -> dict[str, Any] | None:
    """The environment file the page shows (a YAML block with ``name`` and ``apps``), if any."""
    for block in page_blocks(REPO / source):
        if block.lang == "yaml":
            doc = yaml.safe_load(block.code)
            if isinstance(doc, dict) and "name" in doc and "apps" in doc:
                return doc
    return None


#: The environment for pages that show an app without an environment file of their own.
DEFAULT_ENVIRONMENT: dict[str, Any] = {
    "name": "dev",
    "apps": {"shop": {"images": {"web": "v1.4.2", "api": "v2.0.1"}}},
    "gateway": {"name": "platform-gateway", "namespace": "gateway", "domain": "example.com"},
    "secret_store": {"name": "platform-secrets", "external": True},
}


def _runnable() -> list[Any]:
    return [pytest.param(e, id=str(e)) for e in python_examples()
            if re.search(r"^def build\(", e.code, re.MULTILINE) and "from crds." not in e.code]


class TestAppExamplesRun:
    @pytest.mark.parametrize("example", _runnable())
    def test_example_synthesizes(self, example: Example) -> None:
        """Each app shown in the docs builds and passes synth's checks, in the page's environment when it shows one."""
        from cdk8s_gitops.testing.harness import synth_chart

        environment = _page_environment(example.source) or DEFAULT_ENVIRONMENT
        namespace: dict[str, Any] = {}
        exec(compile(example.code, str(example), "exec"), namespace)  # noqa: S102 - our own documentation
        fields = {k: v for k, v in environment.items() if k != "name"}
        manifests = synth_chart(namespace["build"], app=list(environment["apps"])[-1], environment=environment["name"], **fields)
        assert manifests and all(m["metadata"]["name"] for m in manifests)
