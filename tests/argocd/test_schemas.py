"""Objects built with the models validate against the CRD JSON schemas in ../shared/schemas (Draft 7)."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import assert_schema_valid

from cdk8s_gitops import GitOpsChart, TypedResource
from cdk8s_gitops.argocd import (
    FINALIZER_FOREGROUND,
    Application,
    ApplicationSet,
    AppProject,
    ImageUpdater,
    project_policy,
    sync_wave_annotation,
)


def helm_app() -> Application:
    return Application.from_manifest({
        "metadata": {"name": "cert-manager", "namespace": "argocd", "finalizers": [FINALIZER_FOREGROUND],
                  "annotations": sync_wave_annotation(-10)},
        "spec": {
            "project": "platform",
            "source": {"repoURL": "https://charts.jetstack.io", "chart": "cert-manager", "targetRevision": "v1.16.2",
                       "helm": {"releaseName": "cert-manager", "valuesObject": {"crds": {"enabled": True}},
                                "parameters": [{"name": "replicaCount", "value": "2", "forceString": True}],
                                "skipCrds": False}},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "cert-manager"},
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True, "allowEmpty": False},
                "syncOptions": ["CreateNamespace=true", "ServerSideApply=true", "PrunePropagationPolicy=foreground"],
                "retry": {"limit": 5, "backoff": {"duration": "5s", "factor": 2, "maxDuration": "3m"}},
                "managedNamespaceMetadata": {"labels": {"team": "platform"}},
            },
            "ignoreDifferences": [{"group": "admissionregistration.k8s.io", "kind": "ValidatingWebhookConfiguration",
                                   "jqPathExpressions": [".webhooks[]?.clientConfig.caBundle"]}],
            "info": [{"name": "owner", "value": "platform"}],
            "revisionHistoryLimit": 5,
        },
    })


def multi_source_app() -> Application:
    return Application.from_manifest({
        "metadata": {"name": "shop", "namespace": "argocd"},
        "spec": {
            "project": "team-shop",
            "sources": [
                {"repoURL": "oci://ghcr.io/acme/charts", "chart": "shop", "targetRevision": "1.4.0",
                 "helm": {"valueFiles": ["$values/envs/dev/shop.yaml"], "ignoreMissingValueFiles": True}},
                {"repoURL": "https://github.com/acme/values.git", "targetRevision": "main", "ref": "values"},
                {"repoURL": "https://github.com/acme/gitops.git", "path": "overlays/dev", "targetRevision": "main",
                 "kustomize": {"namePrefix": "dev-", "images": ["shop=ghcr.io/acme/shop:1.4.0"],
                               "replicas": [{"name": "shop", "count": 2}],
                               "patches": [{"target": {"kind": "Deployment"}, "patch": "- op: add\n  path: /x\n  value: 1"}]}},
                {"repoURL": "https://github.com/acme/jsonnet.git", "path": "lib", "directory": {
                    "recurse": True, "exclude": "vendor/*", "jsonnet": {"extVars": [{"name": "env", "value": "dev"}]}}},
            ],
            "destination": {"name": "in-cluster", "namespace": "shop"},
        },
    })


def full_appset() -> ApplicationSet:
    cluster = {"clusters": {"selector": {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev", "prod"]}]},
                            "values": {"tier": "web"}}}
    elements = {"list": {"elements": [{"env": "dev"}, {"env": "prod"}]}}
    return ApplicationSet.from_manifest({
        "metadata": {"name": "apps", "namespace": "argocd"},
        "spec": {
            "goTemplate": True,
            "goTemplateOptions": ["missingkey=error"],
            "generators": [
                {"git": {"repoURL": "https://github.com/acme/gitops.git", "revision": "main",
                         "directories": [{"path": "dist/dev/*"}, {"path": "dist/dev/skip", "exclude": True}]}},
                {"matrix": {"generators": [cluster, {"git": {"repoURL": "https://github.com/acme/gitops.git", "revision": "main",
                                                             "files": [{"path": "envs/*/config.yaml"}]}}]}},
                {"merge": {"mergeKeys": ["env"], "generators": [elements, {"matrix": {"generators": [elements, cluster]}}]}},
                {"clusterDecisionResource": {"configMapRef": "ocm", "labelSelector": {"matchLabels": {"a": "b"}}}},
                {"plugin": {"configMapRef": {"name": "p"}, "input": {"parameters": {"k": ["v"]}}, "requeueAfterSeconds": 60}},
                {"pullRequest": {"github": {"owner": "acme", "repo": "shop", "labels": ["preview"]}},
                 "selector": {"matchLabels": {"env": "dev"}}},
            ],
            "template": {
                "metadata": {"name": "{{.path.basename}}", "labels": {"env": "dev"}},
                "spec": {
                    "project": "default",
                    "source": {"repoURL": "https://github.com/acme/gitops.git", "targetRevision": "main", "path": "{{.path.path}}"},
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": "{{.path.basename}}"},
                    "syncPolicy": {"syncOptions": ["CreateNamespace=true"]},
                },
            },
            "templatePatch": "{{- if .autoSync }}\nspec:\n  syncPolicy:\n    automated: {prune: true}\n{{- end }}\n",
            "syncPolicy": {"applicationsSync": "create-update", "preserveResourcesOnDeletion": True},
            "strategy": {"type": "RollingSync", "rollingSync": {"steps": [
                {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}], "maxUpdate": 1}]}},
            "ignoreApplicationDifferences": [{"jsonPointers": ["/spec/syncPolicy"]}],
        },
    })


def team_project() -> AppProject:
    return AppProject.from_manifest({
        "metadata": {"name": "team-shop", "namespace": "argocd", "finalizers": ["resources-finalizer.argocd.argoproj.io"]},
        "spec": {
            "description": "Shop team, least privilege",
            "sourceRepos": ["https://github.com/acme/gitops.git"],
            "destinations": [{"server": "https://kubernetes.default.svc", "namespace": "shop-*"}],
            "clusterResourceWhitelist": [],
            "namespaceResourceBlacklist": [{"group": "", "kind": "ResourceQuota"}, {"group": "", "kind": "LimitRange"}],
            "roles": [{"name": "ci", "policies": [project_policy("team-shop", "ci", "sync"),
                                                  project_policy("team-shop", "ci", "get")],
                       "groups": ["acme:shop-admins"]}],
            "syncWindows": [{"kind": "deny", "schedule": "0 22 * * FRI", "duration": "60h", "namespaces": ["shop-prod"],
                             "manualSync": True, "timeZone": "Europe/Berlin"}],
            "orphanedResources": {"warn": True},
            "sourceNamespaces": ["argocd"],
        },
    })


def image_updater() -> ImageUpdater:
    return ImageUpdater.from_manifest({
        "metadata": {"name": "shop", "namespace": "argocd"},
        "spec": {
            "commonUpdateSettings": {"updateStrategy": "semver", "allowTags": "regexp:^v?[0-9]+\\.[0-9]+\\.[0-9]+$"},
            "writeBackConfig": {"method": "git", "gitConfig": {"branch": "main", "writeBackTarget": "kustomization"}},
            "applicationRefs": [{"namePattern": "dev-*", "images": [
                {"alias": "shop", "imageName": "ghcr.io/acme/shop:1.x",
                 "manifestTargets": {"kustomize": {"name": "ghcr.io/acme/shop"}}}]}],
        },
    })


class TestSchemas:
    @pytest.mark.parametrize("factory", [helm_app, multi_source_app, full_appset, team_project, image_updater])
    def test_built_objects_validate(self, factory: Any) -> None:
        """Each object built with the models passes its CRD schema."""
        assert_schema_valid(factory())

    def test_synthesized_object_validates(self) -> None:
        """The manifest a TypedResource emits in a chart (labels and sync wave added) passes the schema."""
        chart = GitOpsChart(cdk8s.App(), "dev-platform", app_name="platform", namespace="argocd")
        res = TypedResource(chart, multi_source_app(), sync_wave=-1)
        manifest = res.to_manifest()
        assert manifest["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-1"
        assert_schema_valid(manifest)

    def test_schema_catches_what_it_should(self) -> None:
        """Sanity check of the harness: a manifest with a misspelt field fails the schema."""
        manifest = helm_app().to_manifest()
        manifest["spec"]["syncPolicy"]["automated"]["selfheal"] = True
        with pytest.raises(AssertionError, match="selfheal"):
            assert_schema_valid(manifest)
