"""ApplicationSet: generators (list, clusters, git, matrix, merge...), templates, templatePatch and sync policy."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops import ManifestError
from cdk8s_gitops.argocd import ApplicationSet, ApplicationSpec, GitGenerator, MatrixGenerator, template_context
from cdk8s_gitops.core.model import validate_model

GIT_DIRS = {"git": {"repoURL": "https://github.com/acme/gitops.git", "revision": "main", "directories": [{"path": "dist/*"}]}}
LIST = {"list": {"elements": [{"cluster": "dev", "url": "https://dev.example.com"}]}}
CLUSTERS = {"clusters": {"selector": {"matchLabels": {"env": "dev"}}}}


def refused(doc: dict[str, Any]) -> str:
    """The message of the ManifestError that loading ``doc`` raises."""
    return manifest_error(ApplicationSet, doc)


class TestBuild:
    def test_git_directory_generator_round_trip(self, make_appset: Any) -> None:
        """A git directory ApplicationSet with Go templates round-trips unchanged."""
        doc = make_appset()
        appset = ApplicationSet.from_manifest(doc)
        assert appset.to_manifest() == doc
        generator = appset.spec.generators[0]
        assert generator.generator_type() == "git"
        assert isinstance(generator.git, GitGenerator)
        assert generator.git.directories[0].path == "dist/dev/*"  # type: ignore[index]

    def test_every_generator_type(self, make_appset: Any) -> None:
        """list, clusters, git files, clusterDecisionResource, plugin, pullRequest and scmProvider round-trip."""
        generators = [
            LIST, CLUSTERS,
            {"git": {"repoURL": "https://g/x.git", "revision": "HEAD", "files": [{"path": "envs/*/config.json"}],
                     "pathParamPrefix": "cfg", "requeueAfterSeconds": 60, "values": {"team": "shop"}}},
            {"clusterDecisionResource": {"configMapRef": "ocm", "name": "placement", "requeueAfterSeconds": 30}},
            {"plugin": {"configMapRef": {"name": "plugin"}, "input": {"parameters": {"a": [1, 2], "b": {"c": True}}}}},
            {"pullRequest": {"github": {"owner": "acme", "repo": "shop"}, "requeueAfterSeconds": 1800}},
            {"scmProvider": {"github": {"organization": "acme"}, "filters": [{"repositoryMatch": "^shop"}]}},
        ]
        doc = make_appset(generators=generators)
        appset = ApplicationSet.from_manifest(doc)
        assert appset.to_manifest() == doc
        assert [g.generator_type() for g in appset.spec.generators] == [
            "list", "clusters", "git", "clusterDecisionResource", "plugin", "pullRequest", "scmProvider"]

    def test_matrix_and_merge(self, make_appset: Any) -> None:
        """matrix (two generators, one nested merge) and merge (merge keys) round-trip."""
        doc = make_appset(generators=[
            {"matrix": {"generators": [CLUSTERS, {"merge": {"mergeKeys": ["cluster"], "generators": [LIST, LIST]}}]}},
            {"merge": {"mergeKeys": ["server"], "generators": [CLUSTERS, {"matrix": {"generators": [GIT_DIRS, LIST]}}]}},
        ])
        appset = ApplicationSet.from_manifest(doc)
        assert appset.to_manifest() == doc
        assert isinstance(appset.spec.generators[0].matrix, MatrixGenerator)

    def test_template_patch_and_policies(self, make_appset: Any) -> None:
        """templatePatch, syncPolicy, strategy, preservedFields and ignoreApplicationDifferences round-trip."""
        doc = make_appset(
            templatePatch='{{- if .autoSync }}\nspec:\n  syncPolicy:\n    automated: {}\n{{- end }}\n',
            syncPolicy={"applicationsSync": "create-update", "preserveResourcesOnDeletion": True},
            strategy={"type": "RollingSync", "rollingSync": {"steps": [
                {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]},
                {"matchExpressions": [{"key": "env", "operator": "In", "values": ["prod"]}], "maxUpdate": "10%"}]}},
            preservedFields={"annotations": ["a"], "labels": ["b"]},
            ignoreApplicationDifferences=[{"jsonPointers": ["/spec/source/targetRevision"]}, {"name": "x", "jqPathExpressions": [".x"]}],
        )
        assert ApplicationSet.from_manifest(doc).to_manifest() == doc

    def test_generator_template_may_be_partial(self, make_appset: Any) -> None:
        """A generator's template may leave the destination empty: the spec template completes it."""
        doc = make_appset(generators=[{"list": {"elements": [{"cluster": "dev"}], "template": {
            "metadata": {}, "spec": {"project": "default", "destination": {}}}}}])
        assert ApplicationSet.from_manifest(doc).to_manifest() == doc

    def test_templated_values_skip_value_checks(self, make_appset: Any) -> None:
        """Template expressions are accepted where a checked value is expected (sync options, namespace, labels)."""
        doc = make_appset()
        spec = doc["spec"]["template"]["spec"]
        spec["syncPolicy"]["syncOptions"] = ["{{.syncOption}}"]
        spec["project"] = "{{.project}}"
        doc["spec"]["template"]["metadata"]["labels"] = {"team": "{{ index .labels 0 }}"}
        assert ApplicationSet.from_manifest(doc).to_manifest() == doc

    def test_template_context_for_a_standalone_spec(self) -> None:
        """A spec built on its own for a template validates as a template inside template_context()."""
        doc = {"project": "{{.project}}", "destination": {"server": "{{.url}}"}}
        with pytest.raises(ManifestError, match=r"destination.server: '\{\{.url\}\}' is not an API server URL"):
            validate_model(ApplicationSpec, doc)
        with template_context():
            spec = validate_model(ApplicationSpec, doc)
        assert spec.project == "{{.project}}"


class TestTemplateRules:
    def test_template_sync_options_checked(self, make_appset: Any) -> None:
        """An unknown (not templated) sync option in the template is refused at its full path."""
        doc = make_appset()
        doc["spec"]["template"]["spec"]["syncPolicy"]["syncOptions"] = ["CreateNamespaces=true"]
        message = refused(doc)
        assert "ApplicationSet 'shop': spec.template.spec.syncPolicy.syncOptions[0]: 'CreateNamespaces=true'" in message

    def test_template_destination_not_both(self, make_appset: Any) -> None:
        """A template destination with both server and name is refused."""
        doc = make_appset()
        doc["spec"]["template"]["spec"]["destination"] = {"server": "{{.url}}", "name": "prod"}
        assert "spec.template.spec.destination.name: both server '{{.url}}' and name 'prod'" in refused(doc)

    def test_template_metadata_name(self, make_appset: Any) -> None:
        """A literal (not templated) Application name in the template must be a valid name."""
        doc = make_appset()
        doc["spec"]["template"]["metadata"]["name"] = "Shop_App"
        assert "spec.template.metadata.name: 'Shop_App'" in refused(doc)

    def test_template_metadata_namespace(self, make_appset: Any) -> None:
        """A literal namespace for the generated Applications must be a valid namespace name."""
        doc = make_appset()
        doc["spec"]["template"]["metadata"]["namespace"] = "Argo CD"
        assert "spec.template.metadata.namespace: 'Argo CD'" in refused(doc)

    def test_template_metadata_label_value(self, make_appset: Any) -> None:
        """A literal label value in the template must be a valid label value."""
        doc = make_appset()
        doc["spec"]["template"]["metadata"]["labels"] = {"team": "shop team"}
        assert "spec.template.metadata.labels.team: value 'shop team'" in refused(doc)

    def test_template_required(self, make_appset: Any) -> None:
        """spec.template is required."""
        assert "spec.template: required field is missing" in refused(make_appset(template=None))

    def test_template_project_required(self, make_appset: Any) -> None:
        """The template spec needs a project, as the CRD requires."""
        doc = make_appset()
        del doc["spec"]["template"]["spec"]["project"]
        assert "spec.template.spec.project: required field is missing" in refused(doc)

    def test_template_patch_needs_go_template(self, make_appset: Any) -> None:
        """templatePatch without goTemplate: true is refused."""
        message = refused(make_appset(goTemplate=None, goTemplateOptions=None, templatePatch="spec: {}"))
        assert "spec.templatePatch:" in message and "set goTemplate: true" in message

    def test_go_template_options(self, make_appset: Any) -> None:
        """goTemplateOptions are Go text/template options."""
        message = refused(make_appset(goTemplateOptions=["missingkey=fail"]))
        assert "spec.goTemplateOptions[0]: 'missingkey=fail' is not a Go template option" in message

    def test_go_template_options_without_go_template_warn(self, make_appset: Any) -> None:
        """goTemplateOptions without goTemplate have no effect: a warning says so."""
        with pytest.warns(UserWarning, match="goTemplateOptions has no effect"):
            ApplicationSet.from_manifest(make_appset(goTemplate=False))


class TestGenerators:
    def test_generators_required(self, make_appset: Any) -> None:
        """spec.generators is required and may not be empty."""
        assert "spec.generators: required field is missing" in refused(make_appset(generators=None))
        assert "spec.generators: is empty" in refused(make_appset(generators=[]))

    def test_entry_without_generator(self, make_appset: Any) -> None:
        """A generators entry with only a selector is refused."""
        message = refused(make_appset(generators=[{"selector": {"matchLabels": {"env": "dev"}}}]))
        assert "spec.generators[0]: no generator" in message

    def test_entry_with_two_generators(self, make_appset: Any) -> None:
        """A generators entry with two generators is refused, naming both."""
        message = refused(make_appset(generators=[{**LIST, **CLUSTERS}]))
        assert "spec.generators[0].clusters: the entry sets several generators (list, clusters)" in message

    def test_unknown_generator(self, make_appset: Any) -> None:
        """An unknown generator key is refused and the known ones are listed."""
        message = refused(make_appset(generators=[{"cluster": {}}]))
        assert "spec.generators[0].cluster: unknown field" in message
        assert "clusters" in message and "matrix" in message

    def test_git_needs_directories_or_files(self, make_appset: Any) -> None:
        """A git generator without directories or files is refused."""
        message = refused(make_appset(generators=[{"git": {"repoURL": "https://g/x.git", "revision": "main"}}]))
        assert "spec.generators[0].git.directories: neither directories nor files is set" in message

    def test_git_not_both_directories_and_files(self, make_appset: Any) -> None:
        """A git generator with directories and files is refused (files would be ignored)."""
        gen = copy.deepcopy(GIT_DIRS)
        gen["git"]["files"] = [{"path": "config.json"}]
        assert "spec.generators[0].git.files: both directories and files are set" in refused(make_appset(generators=[gen]))

    def test_git_revision_required(self, make_appset: Any) -> None:
        """A git generator needs a revision."""
        gen = copy.deepcopy(GIT_DIRS)
        del gen["git"]["revision"]
        assert "spec.generators[0].git.revision: required field is missing" in refused(make_appset(generators=[gen]))

    def test_matrix_needs_two_generators(self, make_appset: Any) -> None:
        """A matrix combines exactly two generators."""
        message = refused(make_appset(generators=[{"matrix": {"generators": [LIST, CLUSTERS, GIT_DIRS]}}]))
        assert "spec.generators[0].matrix.generators: a matrix combines exactly 2 generators, got 3" in message

    def test_merge_needs_two_generators(self, make_appset: Any) -> None:
        """A merge needs at least two generators."""
        message = refused(make_appset(generators=[{"merge": {"mergeKeys": ["server"], "generators": [CLUSTERS]}}]))
        assert "spec.generators[0].merge.generators: a merge needs at least 2 generators, got 1" in message

    def test_merge_needs_merge_keys(self, make_appset: Any) -> None:
        """A merge needs at least one merge key."""
        message = refused(make_appset(generators=[{"merge": {"mergeKeys": [], "generators": [CLUSTERS, LIST]}}]))
        assert "spec.generators[0].merge.mergeKeys: is empty" in message

    def test_nested_matrix_needs_two_generators(self, make_appset: Any) -> None:
        """A nested matrix also combines exactly two generators."""
        message = refused(make_appset(generators=[{"matrix": {"generators": [LIST, {"matrix": {"generators": [LIST]}}]}}]))
        assert "spec.generators[0].matrix.generators[1].matrix.generators: a matrix combines exactly 2 generators, got 1" in message

    def test_nesting_is_one_level(self, make_appset: Any) -> None:
        """A matrix inside a matrix inside a matrix is refused."""
        innermost = {"matrix": {"generators": [LIST, LIST]}}
        doc = make_appset(generators=[{"matrix": {"generators": [LIST, {"matrix": {"generators": [LIST, innermost]}}]}}])
        message = refused(doc)
        assert "spec.generators[0].matrix.generators[1].matrix.generators[1].matrix: a matrix generator inside a nested" in message

    def test_list_elements_are_mappings(self, make_appset: Any) -> None:
        """List generator elements are parameter mappings."""
        message = refused(make_appset(generators=[{"list": {"elements": ["dev"]}}]))
        assert "spec.generators[0].list.elements[0]: 'dev' is not a mapping" in message

    def test_requeue_after_seconds_not_negative(self, make_appset: Any) -> None:
        """requeueAfterSeconds cannot be negative."""
        gen: dict[str, Any] = copy.deepcopy(GIT_DIRS)
        gen["git"]["requeueAfterSeconds"] = -5
        assert "spec.generators[0].git.requeueAfterSeconds: -5 is negative" in refused(make_appset(generators=[gen]))

    def test_selector_in_needs_values(self, make_appset: Any) -> None:
        """A selector expression with In needs values."""
        message = refused(make_appset(generators=[{"clusters": {"selector": {"matchExpressions": [
            {"key": "env", "operator": "In"}]}}}]))
        assert "spec.generators[0].clusters.selector.matchExpressions[0].values: operator In needs at least one value" in message

    def test_selector_exists_takes_no_values(self, make_appset: Any) -> None:
        """A selector expression with Exists takes no values."""
        message = refused(make_appset(generators=[{"clusters": {"selector": {"matchExpressions": [
            {"key": "env", "operator": "Exists", "values": ["x"]}]}}}]))
        assert "matchExpressions[0].values: operator Exists takes no values" in message

    def test_selector_match_labels(self, make_appset: Any) -> None:
        """Selector matchLabels keys must be label keys."""
        message = refused(make_appset(generators=[{"clusters": {"selector": {"matchLabels": {"env type": "dev"}}}}]))
        assert "spec.generators[0].clusters.selector.matchLabels: key 'env type'" in message

    def test_selector_operator(self, make_appset: Any) -> None:
        """A selector operator must be In, NotIn, Exists or DoesNotExist."""
        message = refused(make_appset(generators=[{"clusters": {"selector": {"matchExpressions": [
            {"key": "env", "operator": "Equals", "values": ["x"]}]}}}]))
        assert "matchExpressions[0].operator" in message and "'Equals'" in message

    def test_plugin_config_map_ref_required(self, make_appset: Any) -> None:
        """A plugin generator needs configMapRef."""
        message = refused(make_appset(generators=[{"plugin": {"input": {"parameters": {}}}}]))
        assert "spec.generators[0].plugin.configMapRef: required field is missing" in message


class TestPolicies:
    def test_applications_sync_values(self, make_appset: Any) -> None:
        """syncPolicy.applicationsSync takes one of the four policies."""
        message = refused(make_appset(syncPolicy={"applicationsSync": "create-only-once"}))
        assert "spec.syncPolicy.applicationsSync" in message and "'create-only-once'" in message
        assert "create-update" in message

    def test_strategy_type(self, make_appset: Any) -> None:
        """strategy.type is AllAtOnce or RollingSync."""
        assert "spec.strategy.type: 'Canary' is not an ApplicationSet strategy" in refused(make_appset(strategy={"type": "Canary"}))

    def test_rolling_sync_needs_steps(self, make_appset: Any) -> None:
        """A RollingSync strategy needs steps."""
        assert "spec.strategy.rollingSync: type RollingSync has no rollingSync.steps" in refused(
            make_appset(strategy={"type": "RollingSync"}))

    def test_ignore_application_differences_pointer(self, make_appset: Any) -> None:
        """ignoreApplicationDifferences JSON pointers start with '/'."""
        message = refused(make_appset(ignoreApplicationDifferences=[{"jsonPointers": ["spec/source"]}]))
        assert "spec.ignoreApplicationDifferences[0].jsonPointers[0]: 'spec/source' does not start with '/'" in message

    def test_sync_wave_annotation(self, make_appset: Any) -> None:
        """The ApplicationSet's own sync-wave annotation must be an integer."""
        doc = make_appset()
        doc["metadata"]["annotations"] = {"argocd.argoproj.io/sync-wave": "1.5"}
        assert "metadata.annotations.argocd.argoproj.io/sync-wave: sync wave '1.5' is not an integer" in refused(doc)
