"""Application: typed sources, destination, sync policy, diffing options and the rules Argo CD enforces."""

from __future__ import annotations

import warnings
from typing import Any

import cdk8s
import pytest
from helpers import manifest_error

from cdk8s_gitops import GitOpsChart, TypedResource, from_manifest
from cdk8s_gitops.argocd import (
    FINALIZER_BACKGROUND,
    FINALIZER_FOREGROUND,
    Application,
    ApplicationSource,
    ApplicationSpec,
    SyncPolicy,
    all_sources,
    sync_wave_annotation,
)


def refused(doc: dict[str, Any]) -> str:
    """The message of the ManifestError that loading ``doc`` raises."""
    return manifest_error(Application, doc)


class TestBuild:
    def test_minimal_round_trip(self, make_app: Any) -> None:
        """A Git-path Application loads and emits itself unchanged, with no defaults added."""
        doc = make_app()
        app = Application.from_manifest(doc)
        assert app.to_manifest() == doc
        assert isinstance(app.spec.source, ApplicationSource)
        assert app.spec.source.repo_url == "https://github.com/acme/gitops.git"

    def test_build_from_python_values(self) -> None:
        """Application.build fills apiVersion and kind and takes snake_case or camelCase keys."""
        app = Application.from_manifest({
            "metadata": {"name": "shop", "namespace": "argocd", "finalizers": [FINALIZER_FOREGROUND]},
            "spec": ApplicationSpec(
                project="default",
                destination={"name": "in-cluster", "namespace": "shop"},  # type: ignore[arg-type]  # mappings accepted
                source=ApplicationSource(repo_url="https://charts.example.com", chart="shop", target_revision="1.2.3",
                                         helm={"release_name": "shop", "values_object": {"replicas": 2}}),  # type: ignore[arg-type]
                sync_policy=SyncPolicy(automated={"prune": True, "self_heal": True}, sync_options=["CreateNamespace=true"]),  # type: ignore[arg-type]
            ),
        })
        manifest = app.to_manifest()
        assert manifest["apiVersion"] == "argoproj.io/v1alpha1"
        assert manifest["kind"] == "Application"
        assert manifest["metadata"]["finalizers"] == ["resources-finalizer.argocd.argoproj.io"]
        assert manifest["spec"]["source"] == {"repoURL": "https://charts.example.com", "chart": "shop", "targetRevision": "1.2.3",
                                              "helm": {"releaseName": "shop", "valuesObject": {"replicas": 2}}}
        assert manifest["spec"]["syncPolicy"] == {"automated": {"prune": True, "selfHeal": True},
                                                  "syncOptions": ["CreateNamespace=true"]}

    def test_multiple_sources_with_value_file_reference(self, make_app: Any) -> None:
        """A chart can read values from another source through its ref ($values/...)."""
        doc = make_app(source=None, sources=[
            {"repoURL": "https://charts.example.com", "chart": "shop", "targetRevision": "1.2.3",
             "helm": {"valueFiles": ["$values/envs/dev/values.yaml"]}},
            {"repoURL": "https://github.com/acme/values.git", "targetRevision": "main", "ref": "values"},
        ])
        app = Application.from_manifest(doc)
        assert app.to_manifest() == doc
        assert [s.ref for s in all_sources(app.spec)] == [None, "values"]

    def test_kustomize_directory_and_plugin_options(self, make_app: Any) -> None:
        """Kustomize, directory (Jsonnet) and plugin options are typed and round-trip."""
        for source in (
            {"repoURL": "https://g/x.git", "path": "k", "kustomize": {
                "namePrefix": "dev-", "images": ["shop=ghcr.io/acme/shop:1.2.3"], "commonLabels": {"team": "shop"},
                "replicas": [{"name": "shop", "count": 3}],
                "patches": [{"target": {"kind": "Deployment", "name": "shop"}, "patch": "- op: remove\n  path: /spec/replicas"}]}},
            {"repoURL": "https://g/x.git", "path": "j", "directory": {
                "recurse": True, "include": "*.jsonnet", "jsonnet": {"tlas": [{"name": "env", "value": "dev"}]}}},
            {"repoURL": "https://g/x.git", "path": "p", "plugin": {
                "name": "cmp", "env": [{"name": "A", "value": "1"}], "parameters": [{"name": "m", "map": {"k": "v"}}]}},
        ):
            doc = make_app(source=source)
            assert Application.from_manifest(doc).to_manifest() == doc

    def test_registered_for_from_manifest(self, make_app: Any) -> None:
        """cdk8s_gitops.from_manifest loads an Application by apiVersion and kind."""
        doc = make_app()
        app = from_manifest(doc)
        assert isinstance(app, Application)
        assert app.to_manifest() == doc

    def test_typed_resource_with_sync_wave(self, make_app: Any) -> None:
        """In a chart, an Application is one ApiObject and carries its sync wave as an annotation."""
        chart = GitOpsChart(cdk8s.App(), "dev-platform", app_name="platform")
        res = TypedResource(chart, Application.from_manifest(make_app()), sync_wave=-2)
        manifest = res.to_manifest()
        assert manifest["metadata"]["annotations"] == sync_wave_annotation(-2)
        assert manifest["spec"]["destination"]["namespace"] == "shop"

    def test_strict_types(self, make_app: Any) -> None:
        """A quoted boolean is not a boolean: the path, the value and the fix are named."""
        message = refused(make_app(syncPolicy={"automated": {"selfHeal": "true"}}))
        assert "spec.syncPolicy.automated.selfHeal" in message
        assert "'true'" in message
        assert "use true or false" in message

    def test_misspelt_field_lists_allowed_keys(self, make_app: Any) -> None:
        """A misspelt source key is refused and the message lists the keys a source has."""
        message = refused(make_app(source={"repoURL": "https://g/x.git", "targetRevison": "main"}))
        assert "spec.source.targetRevison: unknown field" in message
        assert "targetRevision" in message


class TestDestination:
    def test_server_and_name_both_set(self, make_app: Any) -> None:
        """A destination with both server and name is refused, naming both values."""
        message = refused(make_app(destination={"server": "https://kubernetes.default.svc", "name": "in-cluster"}))
        assert "Application 'shop': spec.destination.name" in message
        assert "'https://kubernetes.default.svc'" in message and "'in-cluster'" in message

    def test_neither_server_nor_name(self, make_app: Any) -> None:
        """A destination without server or name is refused."""
        message = refused(make_app(destination={"namespace": "shop"}))
        assert "spec.destination.server: neither server nor name is set" in message

    def test_server_must_be_url(self, make_app: Any) -> None:
        """A cluster name written in server is refused with the hint to use name."""
        message = refused(make_app(destination={"server": "in-cluster", "namespace": "shop"}))
        assert "spec.destination.server: 'in-cluster' is not an API server URL" in message
        assert "name: 'in-cluster'" in message

    def test_namespace_must_be_dns_label(self, make_app: Any) -> None:
        """The destination namespace must be a valid namespace name."""
        message = refused(make_app(destination={"server": "https://kubernetes.default.svc", "namespace": "Shop_Dev"}))
        assert "spec.destination.namespace: 'Shop_Dev'" in message

    def test_destination_is_required(self, make_app: Any) -> None:
        """spec.destination is required."""
        assert "spec.destination: required field is missing" in refused(make_app(destination=None))


class TestSources:
    def test_a_source_is_required(self, make_app: Any) -> None:
        """An Application with none of source, sources and sourceHydrator is refused."""
        message = refused(make_app(source=None))
        assert "spec.source: none of source, sources or sourceHydrator is set" in message

    def test_empty_sources_list_is_no_source(self, make_app: Any) -> None:
        """An empty sources list counts as no source."""
        assert "spec.source: none of source" in refused(make_app(source=None, sources=[]))

    def test_repo_url_required(self, make_app: Any) -> None:
        """repoURL is required on every source."""
        assert "spec.source.repoURL: required field is missing" in refused(make_app(source={"path": "x"}))

    def test_repo_url_not_empty(self, make_app: Any) -> None:
        """An empty repoURL is refused."""
        assert "spec.source.repoURL: ' ' is empty" in refused(make_app(source={"repoURL": " ", "path": "x"}))

    def test_duplicate_ref(self, make_app: Any) -> None:
        """Two sources with the same ref are refused at the second one."""
        message = refused(make_app(source=None, sources=[
            {"repoURL": "https://g/a.git", "ref": "values"}, {"repoURL": "https://g/b.git", "ref": "values"}]))
        assert "spec.sources[1].ref: 'values' is already used by sources[0]" in message

    def test_duplicate_source_name(self, make_app: Any) -> None:
        """Two sources with the same name are refused."""
        message = refused(make_app(source=None, sources=[
            {"repoURL": "https://g/a.git", "name": "app"}, {"repoURL": "https://g/b.git", "name": "app"}]))
        assert "spec.sources[1].name: 'app' is already used" in message

    def test_value_file_reference_must_exist(self, make_app: Any) -> None:
        """A $ref values file must name the ref of a source in sources; the known refs are listed."""
        message = refused(make_app(source=None, sources=[
            {"repoURL": "https://charts.example.com", "chart": "shop", "helm": {"valueFiles": ["$vals/dev.yaml"]}},
            {"repoURL": "https://g/values.git", "ref": "values"}]))
        assert "spec.sources[0].helm.valueFiles[0]: '$vals/dev.yaml'" in message
        assert "refs: values" in message

    def test_plugin_parameter_has_one_kind_of_value(self, make_app: Any) -> None:
        """A plugin parameter with both string and array is refused."""
        message = refused(make_app(source={"repoURL": "https://g/x.git", "plugin": {
            "parameters": [{"name": "p", "string": "a", "array": ["b"]}]}}))
        assert "spec.source.plugin.parameters[0].array: parameter 'p' sets string and array" in message

    def test_helm_version(self, make_app: Any) -> None:
        """helm.version must be v2 or v3."""
        message = refused(make_app(source={"repoURL": "https://c.example.com", "chart": "x", "helm": {"version": "3"}}))
        assert "spec.source.helm.version: '3' is not a Helm major version" in message

    def test_helm_values_object_must_be_mapping(self, make_app: Any) -> None:
        """valuesObject is a mapping, not a YAML string (that is values)."""
        message = refused(make_app(source={"repoURL": "https://c.example.com", "chart": "x",
                                           "helm": {"valuesObject": "replicas: 2"}}))
        assert "spec.source.helm.valuesObject" in message and "'replicas: 2'" in message

    def test_helm_values_is_text(self, make_app: Any) -> None:
        """helm.values takes YAML text (a string in the schema); a mapping there is refused at its path."""
        message = refused(make_app(source={"repoURL": "https://c.example.com", "chart": "x",
                                           "helm": {"values": {"replicas": 2}}}))
        assert "spec.source.helm.values: Input should be a valid string, got {'replicas': 2}" in message

    def test_absolute_path(self, make_app: Any) -> None:
        """Source paths are relative to the repository root."""
        message = refused(make_app(source={"repoURL": "https://g/x.git", "path": "/dist/dev/shop"}))
        assert "spec.source.path: '/dist/dev/shop' is absolute" in message
        assert "'dist/dev/shop'" in message

    def test_kustomize_patch_needs_content(self, make_app: Any) -> None:
        """A kustomize patch needs patch or path."""
        message = refused(make_app(source={"repoURL": "https://g/x.git", "kustomize": {
            "patches": [{"target": {"kind": "Deployment"}}]}}))
        assert "spec.source.kustomize.patches[0].patch: neither patch nor path is set" in message

    def test_several_tools_warn(self, make_app: Any) -> None:
        """A source configuring both helm and kustomize loads, with a warning naming both."""
        doc = make_app(source={"repoURL": "https://g/x.git", "helm": {"releaseName": "x"}, "kustomize": {"namePrefix": "a-"}})
        with pytest.warns(UserWarning, match=r"several tools \(helm, kustomize\)"):
            Application.from_manifest(doc)

    def test_source_and_sources_refused(self, make_app: Any) -> None:
        """With both source and sources, Argo CD silently ignores source: the generated model refuses the pair."""
        doc = make_app(sources=[{"repoURL": "https://g/x.git", "path": "a"}])
        message = refused(doc)
        assert "spec: source and sources are both set" in message and "silently ignores source" in message

    def test_source_hydrator(self, make_app: Any) -> None:
        """A source hydrator alone is a valid source."""
        doc = make_app(source=None, sourceHydrator={
            "drySource": {"repoURL": "https://g/x.git", "targetRevision": "main", "path": "apps/shop"},
            "syncSource": {"targetBranch": "env/dev", "path": "apps/shop"}})
        assert Application.from_manifest(doc).to_manifest() == doc


class TestSpec:
    def test_project_required(self, make_app: Any) -> None:
        """spec.project is required."""
        assert "spec.project: required field is missing" in refused(make_app(project=None))

    def test_project_name(self, make_app: Any) -> None:
        """spec.project must be an object name."""
        assert "spec.project: 'Team Shop'" in refused(make_app(project="Team Shop"))

    def test_revision_history_limit(self, make_app: Any) -> None:
        """revisionHistoryLimit cannot be negative."""
        assert "spec.revisionHistoryLimit: -1 is negative" in refused(make_app(revisionHistoryLimit=-1))

    def test_ignore_differences_json_pointer(self, make_app: Any) -> None:
        """ignoreDifferences JSON pointers start with '/'."""
        message = refused(make_app(ignoreDifferences=[{"group": "apps", "kind": "Deployment", "jsonPointers": ["spec/replicas"]}]))
        assert "spec.ignoreDifferences[0].jsonPointers[0]: 'spec/replicas' does not start with '/'" in message

    def test_ignore_differences_kind_required(self, make_app: Any) -> None:
        """ignoreDifferences entries need a kind."""
        message = refused(make_app(ignoreDifferences=[{"group": "apps", "jsonPointers": ["/spec/replicas"]}]))
        assert "spec.ignoreDifferences[0].kind: required field is missing" in message

    def test_info_needs_name_and_value(self, make_app: Any) -> None:
        """info entries need a name and a value."""
        assert "spec.info[0].value: required field is missing" in refused(make_app(info=[{"name": "docs"}]))


class TestMetadata:
    def test_unknown_argocd_finalizer(self, make_app: Any) -> None:
        """A misspelt Argo CD finalizer is refused (it would block deletion for ever)."""
        doc = make_app()
        doc["metadata"]["finalizers"] = ["resources-finalizer.argoproj.io"]
        message = refused(doc)
        assert "metadata.finalizers[0]: 'resources-finalizer.argoproj.io' is not a finalizer Argo CD knows" in message

    def test_known_and_foreign_finalizers(self, make_app: Any) -> None:
        """Argo CD's finalizers and other controllers' finalizers are accepted."""
        doc = make_app()
        doc["metadata"]["finalizers"] = [FINALIZER_BACKGROUND, "post-delete-finalizer.argocd.argoproj.io/cleanup",
                                         "example.com/keep"]
        assert Application.from_manifest(doc).to_manifest() == doc

    def test_sync_wave_annotation_must_be_integer(self, make_app: Any) -> None:
        """The sync-wave annotation of an Application (app of apps) must be an integer."""
        doc = make_app()
        doc["metadata"]["annotations"] = {"argocd.argoproj.io/sync-wave": "first"}
        message = refused(doc)
        assert "metadata.annotations.argocd.argoproj.io/sync-wave: sync wave 'first' is not an integer" in message

    def test_no_warnings_for_a_clean_application(self, make_app: Any) -> None:
        """A clean Application loads without warnings."""
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Application.from_manifest(make_app(syncPolicy={"syncOptions": ["CreateNamespace=true"],
                                                           "managedNamespaceMetadata": {"labels": {"team": "shop"}}}))
