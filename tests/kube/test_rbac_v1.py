"""Tests of cdk8s_gitops.kube.rbac_v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.kube import ClusterRole, ClusterRoleBinding, Role, RoleBinding

from ._k8s import assert_round_trip, validate_strict

GROUP = "rbac.authorization.k8s.io/v1"


def role(**body: Any) -> dict[str, Any]:
    """A namespaced Role reading config; ``body`` keys override."""
    return {
        "apiVersion": GROUP,
        "kind": "Role",
        "metadata": {"name": "config-reader", "namespace": "shop"},
        "rules": [
            {"apiGroups": [""], "resources": ["configmaps", "secrets"], "resourceNames": ["web-config"], "verbs": ["get", "watch", "list"]},
            {"apiGroups": ["apps"], "resources": ["deployments/scale"], "verbs": ["patch"]},
        ],
        **body,
    }


def binding(kind: str = "RoleBinding", **body: Any) -> dict[str, Any]:
    """A binding of a ClusterRole to a ServiceAccount, a user and a group; ``body`` keys override."""
    doc = {
        "apiVersion": GROUP,
        "kind": kind,
        "metadata": {"name": "web-reader"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
        "subjects": [
            {"kind": "ServiceAccount", "name": "web", "namespace": "shop"},
            {"kind": "User", "name": "jane@example.com", "apiGroup": "rbac.authorization.k8s.io"},
            {"kind": "Group", "name": "sre", "apiGroup": "rbac.authorization.k8s.io"},
        ],
        **body,
    }
    if kind == "RoleBinding":
        doc["metadata"]["namespace"] = "shop"
    return doc


class TestRole:
    def test_round_trip(self) -> None:
        """A Role with resource-name rules round-trips and validates."""
        doc = role()
        assert_round_trip(Role, doc)
        validate_strict(doc)

    def test_no_verbs(self) -> None:
        """A rule without verbs is refused."""
        doc = role()
        doc["rules"][0]["verbs"] = []
        assert "rules[0]: the rule has no verbs" in manifest_error(Role, doc)

    def test_resources_need_api_groups(self) -> None:
        """A resource rule without apiGroups is refused with the core-group hint."""
        doc = role()
        del doc["rules"][1]["apiGroups"]
        message = manifest_error(Role, doc)
        assert "rules[1]: the rule on resources ['deployments/scale'] has no apiGroups" in message and '[""]' in message

    def test_non_resource_urls_only_in_cluster_roles(self) -> None:
        """A Role granting nonResourceURLs is refused."""
        doc = role(rules=[{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}])
        assert "rules[0].nonResourceURLs: a Role cannot grant nonResourceURLs" in manifest_error(Role, doc)

    def test_names_are_path_segments(self) -> None:
        """RBAC names may contain ':' but not '/'."""
        doc = role()
        doc["metadata"]["name"] = "shop:config-reader"
        Role.from_manifest(doc)
        doc["metadata"]["name"] = "shop/config-reader"
        assert "metadata.name 'shop/config-reader' is not a valid path segment" in manifest_error(Role, doc)


class TestClusterRole:
    def test_round_trip(self) -> None:
        """A ClusterRole with non-resource URLs and a ':' name round-trips and validates."""
        doc = {
            "apiVersion": GROUP,
            "kind": "ClusterRole",
            "metadata": {"name": "argo-rollouts:gateway", "labels": {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}},
            "rules": [
                {"apiGroups": ["gateway.networking.k8s.io"], "resources": ["httproutes", "grpcroutes"], "verbs": ["get", "list", "watch", "update", "patch"]},
                {"nonResourceURLs": ["/metrics"], "verbs": ["get"]},
            ],
        }
        assert_round_trip(ClusterRole, doc)
        validate_strict(doc)
        assert ClusterRole.NAMESPACED is False

    def test_aggregation_round_trip(self) -> None:
        """An aggregated ClusterRole (selectors, empty rules) round-trips and validates."""
        doc = {
            "apiVersion": GROUP,
            "kind": "ClusterRole",
            "metadata": {"name": "monitoring"},
            "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/aggregate-to-monitoring": "true"}}]},
            "rules": [],
        }
        assert_round_trip(ClusterRole, doc)
        validate_strict(doc)

    def test_mixed_rule(self) -> None:
        """A rule with both resources and nonResourceURLs is refused."""
        doc = {"apiVersion": GROUP, "kind": "ClusterRole", "metadata": {"name": "x"},
               "rules": [{"apiGroups": [""], "resources": ["pods"], "nonResourceURLs": ["/healthz"], "verbs": ["get"]}]}
        assert "rules[0]: the rule mixes resources and nonResourceURLs" in manifest_error(ClusterRole, doc)


class TestRoleBinding:
    def test_round_trip(self) -> None:
        """A RoleBinding with ServiceAccount, User and Group subjects round-trips and validates."""
        doc = binding()
        assert_round_trip(RoleBinding, doc)
        validate_strict(doc)

    def test_role_ref_required(self) -> None:
        """roleRef is required."""
        doc = binding()
        del doc["roleRef"]
        assert "roleRef: required field is missing" in manifest_error(RoleBinding, doc)

    def test_role_ref_kind(self) -> None:
        """roleRef.kind accepts Role and ClusterRole."""
        doc = binding()
        doc["roleRef"]["kind"] = "ServiceAccount"
        message = manifest_error(RoleBinding, doc)
        assert "roleRef.kind" in message and "'ServiceAccount'" in message and "'ClusterRole'" in message

    def test_role_ref_api_group(self) -> None:
        """roleRef.apiGroup must be rbac.authorization.k8s.io."""
        doc = binding()
        doc["roleRef"]["apiGroup"] = ""
        assert "roleRef.apiGroup: apiGroup is '', but a role reference points into the RBAC group" in manifest_error(RoleBinding, doc)
        del doc["roleRef"]["apiGroup"]
        message = manifest_error(RoleBinding, doc)
        assert "roleRef.apiGroup: apiGroup is missing" in message and "'rbac.authorization.k8s.io'" in message

    @pytest.mark.parametrize("subject,text", [
        ({"kind": "ServiceAccount", "name": "web", "apiGroup": "rbac.authorization.k8s.io"}, "a ServiceAccount subject has apiGroup"),
        ({"kind": "User", "name": "jane", "namespace": "shop"}, "a User subject has namespace 'shop'"),
        ({"kind": "Robot", "name": "r2"}, "'Robot'"),
    ])
    def test_subject(self, subject: dict[str, Any], text: str) -> None:
        """Subjects are ServiceAccounts, Users or Groups with matching apiGroup and namespace."""
        message = manifest_error(RoleBinding, binding(subjects=[subject]))
        assert "subjects[0]" in message and text in message


class TestClusterRoleBinding:
    def test_round_trip(self) -> None:
        """A ClusterRoleBinding round-trips and validates."""
        doc = binding("ClusterRoleBinding")
        assert_round_trip(ClusterRoleBinding, doc)
        validate_strict(doc)
        assert ClusterRoleBinding.NAMESPACED is False

    def test_role_ref_must_be_cluster_role(self) -> None:
        """A ClusterRoleBinding referring to a Role is refused."""
        doc = binding("ClusterRoleBinding")
        doc["roleRef"]["kind"] = "Role"
        assert "roleRef.kind: a ClusterRoleBinding refers to kind 'Role'" in manifest_error(ClusterRoleBinding, doc)

    def test_service_account_needs_namespace(self) -> None:
        """A ServiceAccount subject without namespace is refused in a ClusterRoleBinding."""
        doc = binding("ClusterRoleBinding")
        del doc["subjects"][0]["namespace"]
        message = manifest_error(ClusterRoleBinding, doc)
        assert "subjects[0].namespace: ServiceAccount subject 'web' has no namespace" in message
