"""The packages whose kinds :func:`cdk8s_gitops.from_manifest` knows, declared in one place.

Every typed kind registers itself with core when its module is imported. Core never imports
the API-group packages (they depend on core, not the reverse); instead this module, which sits
above them, hands core a loader that imports them all on the first lookup of a kind
(``from_manifest``, ``registered_kinds``, ``resource_class``, the global synth checks).
``cdk8s_gitops/__init__.py`` imports this module, so the loader is in place whatever a
program imports first, and ``import cdk8s_gitops`` stays cheap: nothing is loaded until needed.
"""

from __future__ import annotations

import importlib

from .core.loaders import add_check_loader, add_kind_loader

__all__ = ["CHECK_MODULES", "load_all_kinds", "load_checks"]

# Library modules that register global synth checks, with the kinds their checks look at (None: any
# object). Synth imports a module only when an environment holds one of its kinds, so that a run pays
# only for what it needs. tests/core/test_validation.py keeps this list complete.
CHECK_MODULES: dict[str, frozenset[str] | None] = {
    "cdk8s_gitops.secrets.checks": None,
    "cdk8s_gitops.core.images": None,
    "cdk8s_gitops.synth.secret_scan": None,
    "cdk8s_gitops.platform.checks": None,
    "cdk8s_gitops.core.ordering": None,
    "cdk8s_gitops.addons.strimzi": frozenset({"Kafka", "KafkaNodePool"}),
    "cdk8s_gitops.addons.argo_workflows": frozenset({"Workflow", "CronWorkflow", "WorkflowTemplate", "ClusterWorkflowTemplate"}),
}


def load_all_kinds() -> None:
    """Import every package that registers kinds, and every module of :data:`CHECK_MODULES`.

    ``models`` (generated) registers its kinds lazily, by module; the hand-written API-group packages
    register theirs on import and take precedence for the kinds they cover.
    """
    from . import addons, argocd, gateway, kube, models, observability, platform, rollouts, secrets  # noqa: F401

    for module in CHECK_MODULES:  # the checks of core and synth too (image grammar, secret scan)
        importlib.import_module(module)


def load_checks(kinds: set[str]) -> None:
    """Import the modules of the global checks that concern ``kinds`` (see :data:`CHECK_MODULES`)."""
    for module, concerns in CHECK_MODULES.items():
        if concerns is None or concerns & kinds:
            importlib.import_module(module)


add_kind_loader(load_all_kinds)
add_check_loader(load_checks)
