"""Hostile-input benchmark: how long each refusal takes, against loading a good environment file.

Each hostile file (an alias bomb, deep nesting, a file over the size limit, a FIFO, a link to
/dev/zero, a catastrophic ``tag_pattern``) is loaded with ``load_environment`` and must be refused
with the library's ``ConfigError`` (or, for the pattern, a refused tag). The time is the median of
``--repeat`` runs in this process; the ratio is against loading the repository's own
``environments/production.yaml`` in the same run. The last line is::

    hostile: baseline <ms> ms; worst <name> <ms> ms (<ratio>x baseline); all refused: yes|no

Usage: ``python benchmarks/hostile_inputs.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cdk8s_gitops.core.errors import ConfigError
from cdk8s_gitops.core.files import ENVIRONMENT_FILE_LIMIT
from cdk8s_gitops.environment import load_environment
from cdk8s_gitops.environment.spec import ImagePolicy, check_image_tag

REPO = Path(__file__).resolve().parents[1]
HEAD = "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\n"


def _bomb() -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return HEAD + "\n".join(lines) + "\n"


def _cases(tmp: Path) -> dict[str, Callable[[], bool]]:
    files = {
        "alias-bomb": _bomb(),
        "deep-nesting": HEAD + "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "v\n",
        "flow-nesting": HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n",
        "oversize": HEAD + "x: [" + "1," * ENVIRONMENT_FILE_LIMIT + "1]\n",
    }
    cases: dict[str, Callable[[], bool]] = {}
    for name, text in files.items():
        path = tmp / f"{name}.yaml"
        path.write_text(text)
        cases[name] = lambda p=path: _refused(p)
    os.mkfifo(tmp / "fifo.yaml")
    cases["fifo"] = lambda: _refused(tmp / "fifo.yaml")
    (tmp / "zero.yaml").symlink_to("/dev/zero")
    cases["dev-zero"] = lambda: _refused(tmp / "zero.yaml")
    policy = ImagePolicy(tag_pattern=r"^(a+)+$")
    cases["catastrophic-pattern"] = lambda: check_image_tag("a" * 120 + "b", policy) is not None
    return cases


def _refused(path: Path) -> bool:
    try:
        load_environment(path)
    except ConfigError:
        return True
    return False


def _median(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    baseline = _median(lambda: load_environment(REPO / "environments/production.yaml"), args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        cases = _cases(Path(tmp))
        results = {name: (_median(fn, args.repeat), fn()) for name, fn in cases.items()}
    for name, (seconds, refused) in results.items():
        print(f"{name:<22} {seconds * 1000:8.2f} ms  {seconds / baseline:6.2f}x baseline  refused: {refused}")
    worst = max(results, key=lambda n: results[n][0])
    all_refused = all(refused for _, refused in results.values())
    print(f"hostile: baseline {baseline * 1000:.2f} ms; worst {worst} {results[worst][0] * 1000:.2f} ms "
          f"({results[worst][0] / baseline:.2f}x baseline); all refused: {'yes' if all_refused else 'no'}")
    return 0 if all_refused else 1


if __name__ == "__main__":
    sys.exit(main())
