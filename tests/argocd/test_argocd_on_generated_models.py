"""The argocd package on the generated models: shared upstream structures, checked in the context that holds them."""

from __future__ import annotations

from typing import Any

from helpers import manifest_error

from cdk8s_gitops import from_manifest
from cdk8s_gitops.argocd import Application, ApplicationSet, ApplicationSource, AppProject, ImageUpdater, SyncPolicy
from cdk8s_gitops.models import argocd_image_updater_argoproj_io_v1alpha1 as updater_models
from cdk8s_gitops.models import argoproj_io_v1alpha1 as generated

LIST = {"list": {"elements": [{"cluster": "dev"}]}}


class TestOneClassPerStructure:
    def test_public_names_are_the_generated_classes(self) -> None:
        """The kinds and the structure names the package exports are the generated classes."""
        assert Application is generated.Application
        assert ApplicationSet is generated.ApplicationSet
        assert AppProject is generated.AppProject
        assert ImageUpdater is updater_models.ImageUpdater
        assert ApplicationSource is generated.Source
        assert SyncPolicy is generated.ApplicationSpecSyncPolicy

    def test_from_manifest_returns_generated_classes_with_argocd_checks(self, make_app: Any) -> None:
        """from_manifest gives the generated Application, and Argo CD's checks run on it."""
        assert type(from_manifest(make_app())) is generated.Application
        message = manifest_error(Application, make_app(source={"repoURL": "https://g/x.git", "path": "/abs"}))
        assert "spec.source.path: '/abs' is absolute" in message


class TestSharedDestination:
    def test_project_destination_globs_are_fine(self, make_project: Any) -> None:
        """AppProject destinations share the generated Destination class: globs stay valid there."""
        doc = make_project(destinations=[{"server": "*", "namespace": "*"}, {"name": "in-cluster", "namespace": "!kube-system"}])
        assert AppProject.from_manifest(doc).to_manifest() == doc

    def test_application_destination_needs_a_url(self, make_app: Any) -> None:
        """The same class in an Application: server must be an API URL."""
        message = manifest_error(Application, make_app(destination={"server": "*", "namespace": "shop"}))
        assert "spec.destination.server: '*' is not an API server URL" in message

    def test_project_destination_needs_server_or_name(self, make_project: Any) -> None:
        """A project destination with neither server nor name is refused at its index."""
        message = manifest_error(AppProject, make_project(destinations=[{"namespace": "shop"}]))
        assert "spec.destinations[0].server: neither server nor name is set" in message

    def test_template_values_skipped_only_in_templates(self, make_app: Any, make_appset: Any) -> None:
        """A '{{ }}' server is fine in an ApplicationSet template and refused in an Application."""
        doc = make_appset()
        doc["spec"]["template"]["spec"]["destination"] = {"server": "{{.url}}", "namespace": "shop"}
        assert ApplicationSet.from_manifest(doc).to_manifest() == doc
        message = manifest_error(Application, make_app(destination={"server": "{{.url}}", "namespace": "shop"}))
        assert "spec.destination.server: '{{.url}}' is not an API server URL" in message


class TestNestedGenerators:
    def test_nested_combination_checked_as_generated_class(self, make_appset: Any) -> None:
        """A merge inside a matrix is free-form in the CRD; it is checked as a merge (merge keys, two generators)."""
        doc = make_appset(generators=[{"matrix": {"generators": [LIST, {"merge": {"mergeKeys": [], "generators": [LIST, LIST]}}]}}])
        message = manifest_error(ApplicationSet, doc)
        assert "spec.generators[0].matrix.generators[1].merge.mergeKeys: is empty" in message

    def test_third_level_refused(self, make_appset: Any) -> None:
        """Argo CD nests combination generators one level only."""
        inner = {"matrix": {"generators": [LIST, {"matrix": {"generators": [LIST, LIST]}}]}}
        doc = make_appset(generators=[{"matrix": {"generators": [LIST, inner]}}])
        message = manifest_error(ApplicationSet, doc)
        assert "matrix.generators[1].matrix: a matrix generator inside a nested matrix or merge is one level too deep" in message

    def test_plugin_requeue_not_negative(self, make_appset: Any) -> None:
        """requeueAfterSeconds of a plugin generator cannot be negative."""
        doc = make_appset(generators=[{"plugin": {"configMapRef": {"name": "p"}, "requeueAfterSeconds": -1}}])
        assert "spec.generators[0].plugin.requeueAfterSeconds: -1 is negative" in manifest_error(ApplicationSet, doc)
