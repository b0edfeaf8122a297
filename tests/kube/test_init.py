"""Tests of the cdk8s_gitops.kube package: exports and the conventions every model follows."""

from __future__ import annotations

import inspect
import re
from types import ModuleType

import pytest

from cdk8s_gitops import K8sModel, Resource, kube
from cdk8s_gitops.core.model import camel
from cdk8s_gitops.kube import apps_v1, autoscaling_v2, batch_v1, core_v1, networking_v1, policy_v1, rbac_v1

MODULES = [core_v1, apps_v1, batch_v1, autoscaling_v2, policy_v1, networking_v1, rbac_v1]


def models(module: ModuleType) -> list[type[K8sModel]]:
    """The K8sModel classes defined in ``module``."""
    return [obj for _, obj in inspect.getmembers(module, inspect.isclass)
            if issubclass(obj, K8sModel) and obj.__module__ == module.__name__]


ALL_MODELS = [cls for module in MODULES for cls in models(module)]
RESOURCES = [cls for cls in ALL_MODELS if issubclass(cls, Resource)]


class TestExports:
    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
    def test_every_model_exported(self, module: ModuleType) -> None:
        """Every model of a module is in the module's and the package's __all__."""
        for cls in models(module):
            assert cls.__name__ in module.__all__, f"{cls.__name__} missing from {module.__name__}.__all__"
            assert cls.__name__ in kube.__all__, f"{cls.__name__} missing from cdk8s_gitops.kube.__all__"
            assert getattr(kube, cls.__name__) is cls

    def test_all_sorted_and_unique(self) -> None:
        """The package __all__ is sorted and has no duplicates."""
        assert list(kube.__all__) == sorted(set(kube.__all__))

    def test_kinds(self) -> None:
        """The modelled kinds are exactly the ones the platform needs."""
        assert sorted(cls.KIND for cls in RESOURCES) == sorted([
            "Namespace", "ConfigMap", "Secret", "ServiceAccount", "Service", "ResourceQuota", "PersistentVolumeClaim",
            "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "HorizontalPodAutoscaler", "PodDisruptionBudget",
            "NetworkPolicy", "Ingress", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
        ])


class TestConventions:
    @pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.KIND)
    def test_resource_class_vars(self, cls: type[Resource]) -> None:
        """Every kind declares KIND, served API_VERSIONS, a NAME_RULE and NAMESPACED; cluster-scoped ones say so."""
        assert cls.KIND and cls.API_VERSIONS
        assert all("/" in v or v == "v1" for v in cls.API_VERSIONS)
        assert cls.NAME_RULE in ("subdomain", "label", "dns1035", "path")
        assert cls.NAMESPACED is (cls.KIND not in ("Namespace", "ClusterRole", "ClusterRoleBinding"))

    @pytest.mark.parametrize("cls", ALL_MODELS, ids=lambda c: c.__name__)
    def test_docstring_documents_every_field(self, cls: type[K8sModel]) -> None:
        """Every model has an Attributes section naming each of its own fields and its upstream key."""
        doc = inspect.getdoc(cls) or ""
        assert "Attributes:" in doc, f"{cls.__name__} has no Attributes section"
        own = [name for name in cls.model_fields if name not in Resource.model_fields or cls is Resource]
        section = doc.split("Attributes:", 1)[1]
        entries = {m.group(1): m.group(2) for m in re.finditer(r"^    (\w+): (.*?)(?=^    \w+: |\Z)", section, re.M | re.S)}
        for name in own:
            assert name in entries, f"{cls.__name__}.{name} is not documented"
            alias = cls.model_fields[name].alias or camel(name)
            assert f"``{alias}``" in entries[name], f"{cls.__name__}.{name}: upstream key {alias!r} not named"
            assert "Default:" in entries[name] or "Required." in entries[name], f"{cls.__name__}.{name}: default not stated"

    @pytest.mark.parametrize("cls", ALL_MODELS, ids=lambda c: c.__name__)
    def test_aliases_are_upstream_keys(self, cls: type[K8sModel]) -> None:
        """Every field has a camelCase alias (the upstream key); optional fields default to None."""
        for name, field in cls.model_fields.items():
            alias = field.alias or camel(name)
            assert re.fullmatch(r"[a-z][A-Za-z0-9]*", alias), f"{cls.__name__}.{name}: alias {alias!r}"
            if not field.is_required() and name not in ("api_version", "kind", "metadata"):
                assert field.default is None, f"{cls.__name__}.{name} defaults to {field.default!r}, not None"
