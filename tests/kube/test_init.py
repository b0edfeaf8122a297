"""Tests of the cdk8s_gitops.kube package: exports are the generated models, and the rules attach to them."""

from __future__ import annotations

import importlib
import inspect
from types import ModuleType

import pytest
from helpers import manifest_error

from cdk8s_gitops import K8sModel, Resource, kube
from cdk8s_gitops.core.model import resource_class
from cdk8s_gitops.core.schema import SchemaModel
from cdk8s_gitops.kube import apps_v1, autoscaling_v2, batch_v1, core_v1, networking_v1, policy_v1, rbac_v1
from cdk8s_gitops.models import apps_v1 as generated_apps_v1

MODULES = [core_v1, apps_v1, batch_v1, autoscaling_v2, policy_v1, networking_v1, rbac_v1]


def exported_classes(module: ModuleType) -> list[type[K8sModel]]:
    """The model classes a kube module exports."""
    return [obj for obj in (getattr(module, name) for name in module.__all__)
            if inspect.isclass(obj) and issubclass(obj, K8sModel)]


ALL_MODELS = [cls for module in MODULES for cls in exported_classes(module)]
RESOURCES = [cls for cls in ALL_MODELS if issubclass(cls, Resource)]


class TestExports:
    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
    def test_no_hand_written_model(self, module: ModuleType) -> None:
        """A kube module defines no model class of its own: no copy of an upstream structure remains."""
        own = [name for name, obj in inspect.getmembers(module, inspect.isclass)
               if issubclass(obj, K8sModel) and obj.__module__ == module.__name__]
        assert own == []

    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
    def test_exports_are_generated(self, module: ModuleType) -> None:
        """Every exported model is the generated class of the same name (meta/v1 for the label selector)."""
        group = module.__name__.rsplit(".", 1)[-1]
        classes = exported_classes(module)
        assert classes
        for cls in classes:
            assert issubclass(cls, SchemaModel), cls
            source = "meta_v1" if cls.__name__.startswith("LabelSelector") else group
            assert cls.__module__ == f"cdk8s_gitops.models.{source}", cls
            assert getattr(importlib.import_module(cls.__module__), cls.__name__) is cls
            assert getattr(kube, cls.__name__) is cls and cls.__name__ in kube.__all__

    def test_all_sorted_and_unique(self) -> None:
        """The package __all__ is sorted and has no duplicates."""
        assert list(kube.__all__) == sorted(set(kube.__all__))

    def test_kinds(self) -> None:
        """The exported kinds are exactly the ones the platform needs."""
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
        assert cls.NAME_RULE == {"Namespace": "label", "Service": "dns1035"}.get(
            cls.KIND, "path" if cls.API_VERSIONS[0].startswith("rbac.") else "subdomain")
        assert cls.NAMESPACED is (cls.KIND not in ("Namespace", "ClusterRole", "ClusterRoleBinding"))

    @pytest.mark.parametrize("cls", RESOURCES, ids=lambda c: c.KIND)
    def test_from_manifest_returns_the_export(self, cls: type[Resource]) -> None:
        """from_manifest looks every kind up to the exported (generated) class."""
        for version in cls.API_VERSIONS:
            assert resource_class(version, cls.KIND) is cls


class TestRulesOnGeneratedClasses:
    def test_checks_apply_to_the_models_import(self) -> None:
        """The semantic checks run for the class imported from cdk8s_gitops.models too (it is the same class)."""
        doc = {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "api"}}, "spec": {"containers": [{"name": "web", "image": "nginx"}]}}},
        }
        message = manifest_error(generated_apps_v1.Deployment, doc)
        assert "spec.selector.matchLabels: selector.matchLabels {'app': 'web'} is not a subset" in message

    def test_field_rules_name_upstream_paths(self) -> None:
        """A value rule reports at the upstream key of the field, list items with their index."""
        doc = {
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"securityContext": {"supplementalGroups": [10, -3]},
                                           "containers": [{"name": "web", "ports": [{"containerPort": 0}]}]}}},
        }
        message = manifest_error(generated_apps_v1.Deployment, doc)
        assert "spec.template.spec.securityContext.supplementalGroups[1]: -3 is negative" in message
        assert "spec.template.spec.containers[0].ports[0].containerPort: port 0 is outside 1-65535" in message
