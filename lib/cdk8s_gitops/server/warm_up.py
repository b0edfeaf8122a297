"""What the server builds once so that no command pays for the library's first use of its main construct.

Much of what the library needs to build an object is made on its first use in a process: the CEL programs of a
kind's validation rules, classes that are created when first used, the secret scan's detectors, memo tables. A
command forked from a server that never built anything would make them all again, every time (in the 300-service
benchmark, the first of three changed pairs took 30 ms and the third 2.5 ms). So the server, once, builds a sample
:class:`~cdk8s_gitops.platform.Microservice` (the construct most apps are made of) in each rollout strategy,
through the same steps as a synth of one pair (:func:`~cdk8s_gitops.synth.parallel.record_pair`: objects, README,
provenance, inventory row, input digests), and runs the checks across objects over them. It does so in a scratch
folder, with library code only (never a module of the project), and throws the results away.
"""

from __future__ import annotations

import gc
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["STRATEGIES", "warm_up"]

STRATEGIES = ("recreate", "rolling", "canary", "blue_green")


def _sample(scope: Any, env: Any) -> None:
    from ..platform import MetricsSettings, Microservice, MicroserviceProps, Resources, SecretEnv

    Microservice(scope, "svc", MicroserviceProps(
        name="warm-up", image="registry.example.com/warm-up/warm-up", port=8080, env={"MODE": "warm-up"},
        secret_env={"DATABASE_URL": SecretEnv(key="warm-up/database", property="url")},
        metrics=MetricsSettings(path="/metrics"), resources=Resources()))


def _environment(strategy: str) -> Any:
    from ..environment.spec import EnvironmentSpec

    return EnvironmentSpec.model_validate({
        "name": f"warm-{strategy.replace('_', '-')}",
        "git": {"repo_url": "https://git.example.com/warm-up.git"},
        "replicas": 2,
        "autoscaling": {"min_replicas": 2, "max_replicas": 4},
        "rollout": {"strategy": strategy},
        "gateway": {"name": "gateway", "namespace": "gateway", "domain": "warm-up.example.com"},
        "secret_store": {"kind": "ClusterSecretStore", "name": "warm-up", "external": True},
        "apps": {"warm-up": {"images": {"warm-up": "v1.0.0"}}},
    })


def warm_up(scratch: Path) -> int:
    """Build the samples in a folder made inside ``scratch`` (given, so that no variable such as ``TMPDIR`` is read:
    a command with another value is still served); returns how many objects were built (0 when building failed:
    the warm-up is only a shortcut, a command then makes what it needs itself)."""
    from ..core.lazy import LazyApp
    from ..core.validation import ObjectIndex
    from ..synth.build import run_checks
    from ..synth.cache import ignore_all
    from ..synth.parallel import record_pair
    from ..synth.project import AppModule, Project
    from ..synth.records import InputHasher

    built = 0
    try:
        ignore_all(scratch)  # the project's cache folder: never committed
        with tempfile.TemporaryDirectory(prefix=".warm-up-", dir=scratch) as folder:
            project = Project(Path(folder))
            module = AppModule(name="warm-up", path=Path(folder) / "apps" / "warm_up.py", build=_sample)
            hasher = InputHasher(project)
            for strategy in STRATEGIES:
                spec = _environment(strategy)
                record, out, _ = record_pair(LazyApp(), project, spec, module, "warm-up", debug=False, hasher=hasher)
                if out is None or record.problems:
                    return 0
                run_checks(ObjectIndex(spec.name, list(out.objects), repo_url=spec.git.repo_url), [])
                built += len(out.objects)
    except Exception:  # noqa: BLE001 - never a reason for the server not to start
        return 0
    finally:
        gc.collect()
    return built
