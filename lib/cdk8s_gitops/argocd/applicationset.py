"""Argo CD ``ApplicationSet`` (``argoproj.io/v1alpha1``): Applications generated from parameters.

Generators produce parameter sets (a list, the clusters registered in Argo CD, Git
directories or files, pull requests, SCM repositories, a plugin); ``matrix`` and
``merge`` combine two or more of them, one level deep (a matrix inside a matrix may
hold only plain generators). Each parameter set fills the ``template`` (an
Application with ``{{ ... }}`` expressions); ``templatePatch`` (Go templates only)
patches it as text. ``pullRequest`` and ``scmProvider`` generators and ``strategy``
are kept as given (mappings).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, ModelWrapValidatorHandler, model_validator

from ..core.errors import format_value
from ..core.fields import Issues, NonNegativeInt
from ..core.model import K8sModel, check_label_key, check_label_value, check_name
from ._common import (
    ArgoResource,
    LabelSelector,
    check_json_pointer,
    metadata_problems,
    skip_check,
    template_context,
)
from .application import ApplicationSpec

__all__ = [
    "GO_TEMPLATE_OPTIONS",
    "ApplicationSet",
    "ApplicationSetGenerator",
    "ApplicationSetIgnoreDifferences",
    "ApplicationSetNestedGenerator",
    "ApplicationSetSpec",
    "ApplicationSetSyncPolicy",
    "ApplicationSetTemplate",
    "ApplicationSetTemplateMeta",
    "ApplicationSetTerminalGenerator",
    "ClusterDecisionResourceGenerator",
    "ClusterGenerator",
    "GitGenerator",
    "GitPathItem",
    "ListGenerator",
    "MatrixGenerator",
    "MergeGenerator",
    "NestedMatrixGenerator",
    "NestedMergeGenerator",
    "PluginConfigMapRef",
    "PluginGenerator",
    "PluginInput",
    "PreservedFields",
]

GO_TEMPLATE_OPTIONS = ("missingkey=default", "missingkey=invalid", "missingkey=zero", "missingkey=error")
"""The options Go's text/template accepts in ``goTemplateOptions``."""


# -- template --------------------------------------------------------------------------------
class ApplicationSetTemplateMeta(K8sModel):
    """``template.metadata``: metadata of the generated Applications (values may be templated).

    Attributes:
        name: ``name``: usually templated (``'{{.cluster}}-guestbook'``). Default: none.
        namespace: ``namespace``: Default: the ApplicationSet's namespace.
        labels: ``labels``. annotations: ``annotations``. finalizers: ``finalizers``. Default: none.
    """

    name: str | None = None
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    finalizers: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.name and not skip_check(self.name):
            why = check_name(self.name, "subdomain")
            if why:
                issues.add(("name",), f"{self.name!r} {why}; use a valid Application name (or a template expression)", self.name)
        if self.namespace and not skip_check(self.namespace):
            why = check_name(self.namespace, "label")
            if why:
                issues.add(("namespace",), f"{self.namespace!r} {why}; use a valid namespace name", self.namespace)
        for key, value in (self.labels or {}).items():
            if not skip_check(key):
                why = check_label_key(key)
                if why:
                    issues.add(("labels", key), f"label key {key!r} {why}; use a valid label key", key)
                    continue
            if not skip_check(value):
                why = check_label_value(value)
                if why:
                    issues.add(("labels", key), f"value {value!r} {why}; use a valid label value (or a template expression)", value)
        for loc, message, value in metadata_problems(self):
            issues.add(loc, message, value)
        issues.raise_any("ApplicationSetTemplateMeta")
        return self


class ApplicationSetTemplate(K8sModel):
    """An Application template: ``spec.template`` or a generator's ``template``.

    String values may hold ``{{ ... }}`` expressions; checks on such values are skipped,
    and a template may leave the destination and source to be completed by a generator's
    template. Integer and boolean fields cannot be templated (use ``templatePatch``).

    Attributes:
        metadata: ``metadata``: see :class:`ApplicationSetTemplateMeta`. Required.
        spec: ``spec``: see :class:`~cdk8s_gitops.argocd.ApplicationSpec`. Required.
    """

    metadata: ApplicationSetTemplateMeta
    spec: ApplicationSpec

    @model_validator(mode="wrap")
    @classmethod
    def _as_template(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        with template_context():
            return handler(data)


# -- generators ----------------------------------------------------------------------------
class ListGenerator(K8sModel):
    """``list``: a fixed list of parameter sets.

    Attributes:
        elements: ``elements``: one mapping of parameters per Application. Default: none.
        elements_yaml: ``elementsYaml``: the elements as a YAML string (usually templated). Default: none.
        template: ``template``: overrides of the ApplicationSet template. Default: none.
    """

    elements: list[Any] | None = None
    elements_yaml: str | None = None
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for i, element in enumerate(self.elements or ()):
            if not isinstance(element, Mapping):
                raise ValueError(f"elements[{i}]: {format_value(element)} is not a mapping; "
                                 f"write each element as key: value parameters (cluster: dev)")
        return self


class ClusterGenerator(K8sModel):
    """``clusters``: one parameter set per cluster registered in Argo CD.

    Attributes:
        selector: ``selector``: label selector on the cluster secrets. Default: every cluster.
        values: ``values``: extra parameters (``values.<key>``). Default: none.
        template: ``template``: overrides of the ApplicationSet template. Default: none.
        flat_list: ``flatList``: one parameter set holding all clusters. Default: false.
    """

    selector: LabelSelector | None = None
    values: dict[str, str] | None = None
    template: ApplicationSetTemplate | None = None
    flat_list: bool | None = None


class GitPathItem(K8sModel):
    """One ``git.directories`` or ``git.files`` entry.

    Attributes:
        path: ``path``: a path or glob in the repository. Required.
        exclude: ``exclude``: leave matching paths out. Default: false.
    """

    path: str
    exclude: bool | None = None


class GitGenerator(K8sModel):
    """``git``: parameters from a Git repository's directories or from JSON/YAML files in it.

    Attributes:
        repo_url: ``repoURL``. Required.
        revision: ``revision``: branch, tag or commit. Required.
        directories: ``directories``: one parameter set per matching directory. Default: none.
        files: ``files``: parameter sets read from matching files. Default: none.
        path_param_prefix: ``pathParamPrefix``: prefix of the path parameters. Default: none.
        requeue_after_seconds: ``requeueAfterSeconds``: polling interval. Default: 180.
        values: ``values``: extra parameters. Default: none.
        template: ``template``: overrides of the ApplicationSet template. Default: none.

    Exactly one of directories and files.
    """

    repo_url: str = Field(alias="repoURL")
    revision: str
    directories: list[GitPathItem] | None = None
    files: list[GitPathItem] | None = None
    path_param_prefix: str | None = None
    requeue_after_seconds: NonNegativeInt | None = None
    values: dict[str, str] | None = None
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.directories and self.files:
            raise ValueError("files: both directories and files are set, and Argo CD would use only directories; "
                             "use two git generators (or a matrix) to combine them")
        if not self.directories and not self.files:
            raise ValueError("directories: neither directories nor files is set; list directories (one Application per "
                             "directory) or files (parameters read from JSON/YAML files)")
        return self


class ClusterDecisionResourceGenerator(K8sModel):
    """``clusterDecisionResource``: clusters listed in a custom resource (duck typing).

    Attributes:
        config_map_ref: ``configMapRef``: ConfigMap naming the resource's kind and status path. Required.
        name: ``name``: the resource's name. Default: none (use label_selector).
        label_selector: ``labelSelector``. Default: none.
        requeue_after_seconds: ``requeueAfterSeconds``. Default: 180.
        values: ``values``. template: ``template``. Default: none.
    """

    config_map_ref: str
    name: str | None = None
    label_selector: LabelSelector | None = None
    requeue_after_seconds: NonNegativeInt | None = None
    values: dict[str, str] | None = None
    template: ApplicationSetTemplate | None = None


class PluginConfigMapRef(K8sModel):
    """``plugin.configMapRef``.

    Attributes:
        name: ``name``: ConfigMap holding the plugin's URL and token. Required.
    """

    name: str


class PluginInput(K8sModel):
    """``plugin.input``.

    Attributes:
        parameters: ``parameters``: sent to the plugin, any JSON values. Default: none.
    """

    parameters: dict[str, Any] | None = None


class PluginGenerator(K8sModel):
    """``plugin``: parameter sets returned by an HTTP plugin.

    Attributes:
        config_map_ref: ``configMapRef``: see :class:`PluginConfigMapRef`. Required.
        input: ``input``: see :class:`PluginInput`. Default: none.
        requeue_after_seconds: ``requeueAfterSeconds``. Default: 1800.
        values: ``values``. template: ``template``. Default: none.
    """

    config_map_ref: PluginConfigMapRef
    input: PluginInput | None = None
    requeue_after_seconds: NonNegativeInt | None = None
    values: dict[str, str] | None = None
    template: ApplicationSetTemplate | None = None


_PLAIN_TYPES = ("list", "clusters", "git", "scmProvider", "clusterDecisionResource", "pullRequest", "plugin")


class _GeneratorBase(K8sModel):
    list_: ListGenerator | None = None
    clusters: ClusterGenerator | None = None
    git: GitGenerator | None = None
    scm_provider: dict[str, Any] | None = None
    cluster_decision_resource: ClusterDecisionResourceGenerator | None = None
    pull_request: dict[str, Any] | None = None
    plugin: PluginGenerator | None = None
    selector: LabelSelector | None = None

    _TYPES: ClassVar[tuple[str, ...]] = _PLAIN_TYPES

    def generator_type(self) -> str:
        """The upstream key of the generator this entry holds (``git``, ``matrix``...)."""
        return self._set_types()[0]

    def _set_types(self) -> list[str]:
        fields = type(self).model_fields
        by_alias = {(f.alias or n): n for n, f in fields.items()}
        return [t for t in self._TYPES if getattr(self, by_alias[t]) is not None]

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        kinds = self._set_types()
        if not kinds:
            raise ValueError(f"no generator: the entry sets none of {', '.join(self._TYPES)}; "
                             f"give each generators entry exactly one generator")
        if len(kinds) > 1:
            raise ValueError(f"{kinds[1]}: the entry sets several generators ({', '.join(kinds)}); "
                             f"give each generators entry exactly one (combine them with matrix or merge)")
        return self


class ApplicationSetTerminalGenerator(_GeneratorBase):
    """A generator inside a nested matrix or merge: plain generators only.

    Attributes:
        list_: ``list``: see :class:`ListGenerator`. clusters: ``clusters``: see :class:`ClusterGenerator`.
        git: ``git``: see :class:`GitGenerator`. scm_provider: ``scmProvider``: kept as given.
        cluster_decision_resource: ``clusterDecisionResource``. pull_request: ``pullRequest``: kept as given.
        plugin: ``plugin``: see :class:`PluginGenerator`.
        selector: ``selector``: keep only parameter sets whose values match. Default: none for each.
    """

    @model_validator(mode="before")
    @classmethod
    def _no_deeper_nesting(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            for key in ("matrix", "merge"):
                if key in data:
                    raise ValueError(f"{key}: a {key} generator inside a nested matrix or merge is one level too deep "
                                     f"(Argo CD nests combination generators one level only); flatten the generators")
        return data


class NestedMatrixGenerator(K8sModel):
    """A ``matrix`` inside a matrix or merge: exactly two plain generators.

    Attributes:
        generators: ``generators``: see :class:`ApplicationSetTerminalGenerator`. Required.
        template: ``template``. Default: none.
    """

    generators: list[ApplicationSetTerminalGenerator]
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_matrix_count(len(self.generators))
        return self


class NestedMergeGenerator(K8sModel):
    """A ``merge`` inside a matrix or merge: two or more plain generators joined on merge keys.

    Attributes:
        generators: ``generators``. Required.
        merge_keys: ``mergeKeys``: parameters that identify a parameter set. Required.
        template: ``template``. Default: none.
    """

    generators: list[ApplicationSetTerminalGenerator]
    merge_keys: list[str]
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_merge(len(self.generators), self.merge_keys)
        return self


class ApplicationSetNestedGenerator(_GeneratorBase):
    """A generator inside a top-level matrix or merge: plain, or a nested matrix/merge.

    Attributes:
        matrix: ``matrix``: see :class:`NestedMatrixGenerator`. merge: ``merge``: see :class:`NestedMergeGenerator`.
        list_: ``list``. clusters: ``clusters``. git: ``git``. scm_provider: ``scmProvider``.
        cluster_decision_resource: ``clusterDecisionResource``. pull_request: ``pullRequest``. plugin: ``plugin``.
        selector: ``selector``: as in :class:`ApplicationSetTerminalGenerator`. Default: none for each.
    """

    _TYPES: ClassVar[tuple[str, ...]] = (*_PLAIN_TYPES, "matrix", "merge")

    matrix: NestedMatrixGenerator | None = None
    merge: NestedMergeGenerator | None = None


def _check_matrix_count(count: int) -> None:
    if count != 2:
        raise ValueError(f"generators: a matrix combines exactly 2 generators, got {count}; "
                         f"give it two generators (nest another matrix to combine more)")


def _check_merge(count: int, merge_keys: list[str]) -> None:
    if count < 2:
        raise ValueError(f"generators: a merge needs at least 2 generators, got {count}; add the generators to merge")
    if not merge_keys:
        raise ValueError("mergeKeys: is empty; name the parameters that identify a parameter set (such as 'server')")


class MatrixGenerator(K8sModel):
    """``matrix``: every combination of the parameter sets of exactly two generators.

    Attributes:
        generators: ``generators``: see :class:`ApplicationSetNestedGenerator`. Required.
        template: ``template``. Default: none.
    """

    generators: list[ApplicationSetNestedGenerator]
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_matrix_count(len(self.generators))
        return self


class MergeGenerator(K8sModel):
    """``merge``: parameter sets of the first generator, updated from the others by merge keys.

    Attributes:
        generators: ``generators``: see :class:`ApplicationSetNestedGenerator`. Required.
        merge_keys: ``mergeKeys``: parameters that identify a parameter set. Required.
        template: ``template``. Default: none.
    """

    generators: list[ApplicationSetNestedGenerator]
    merge_keys: list[str]
    template: ApplicationSetTemplate | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _check_merge(len(self.generators), self.merge_keys)
        return self


class ApplicationSetGenerator(_GeneratorBase):
    """One ``spec.generators`` entry: exactly one generator, and an optional post-selector.

    Attributes:
        list_: ``list``: see :class:`ListGenerator`.
        clusters: ``clusters``: see :class:`ClusterGenerator`.
        git: ``git``: see :class:`GitGenerator`.
        matrix: ``matrix``: see :class:`MatrixGenerator`.
        merge: ``merge``: see :class:`MergeGenerator`.
        scm_provider: ``scmProvider``: repositories of an SCM organisation, kept as given.
        cluster_decision_resource: ``clusterDecisionResource``: see :class:`ClusterDecisionResourceGenerator`.
        pull_request: ``pullRequest``: open pull requests, kept as given.
        plugin: ``plugin``: see :class:`PluginGenerator`.
        selector: ``selector``: keep only parameter sets whose values match. Default: none for each.
    """

    _TYPES: ClassVar[tuple[str, ...]] = (*_PLAIN_TYPES, "matrix", "merge")

    matrix: MatrixGenerator | None = None
    merge: MergeGenerator | None = None


# -- spec -----------------------------------------------------------------------------------
class ApplicationSetSyncPolicy(K8sModel):
    """``spec.syncPolicy`` of an ApplicationSet (how it manages its Applications, not how they sync).

    Attributes:
        applications_sync: ``applicationsSync``: ``create-only``, ``create-update``, ``create-delete`` or
            ``sync``. Default: ``sync`` (create, update and delete).
        preserve_resources_on_deletion: ``preserveResourcesOnDeletion``: keep the Applications' resources
            when the ApplicationSet is deleted. Default: false.
    """

    applications_sync: Literal["create-only", "create-update", "create-delete", "sync"] | None = None
    preserve_resources_on_deletion: bool | None = None


class PreservedFields(K8sModel):
    """``spec.preservedFields``: Application annotations and labels the controller leaves alone.

    Attributes:
        annotations: ``annotations``: annotation keys. labels: ``labels``: label keys. Default: none.
    """

    annotations: list[str] | None = None
    labels: list[str] | None = None


class ApplicationSetIgnoreDifferences(K8sModel):
    """One ``spec.ignoreApplicationDifferences`` entry: Application fields the controller does not overwrite.

    Attributes:
        name: ``name``: the Application it applies to. Default: all.
        json_pointers: ``jsonPointers``: RFC 6901 pointers (``/spec/source/targetRevision``). Default: none.
        jq_path_expressions: ``jqPathExpressions``. Default: none.
    """

    name: str | None = None
    json_pointers: list[str] | None = None
    jq_path_expressions: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for i, pointer in enumerate(self.json_pointers or ()):
            why = check_json_pointer(pointer)
            if why:
                issues.add(("jsonPointers", i), f"{pointer!r} {why}; write a JSON pointer such as '/spec/source/targetRevision'",
                           pointer)
        issues.raise_any("ApplicationSetIgnoreDifferences")
        return self


_STRATEGY_TYPES = ("AllAtOnce", "RollingSync")


class ApplicationSetSpec(K8sModel):
    """``spec`` of an ApplicationSet.

    Attributes:
        generators: ``generators``: see :class:`ApplicationSetGenerator`; at least one. Required.
        template: ``template``: see :class:`ApplicationSetTemplate`. Required.
        go_template: ``goTemplate``: use Go templates (``{{ .cluster }}``) instead of fasttemplate. Default: false.
        go_template_options: ``goTemplateOptions``: from :data:`GO_TEMPLATE_OPTIONS`. Default: none.
        template_patch: ``templatePatch``: a Go template rendering a patch of the template (needs goTemplate).
            Default: none.
        sync_policy: ``syncPolicy``: see :class:`ApplicationSetSyncPolicy`. Default: none.
        strategy: ``strategy``: progressive sync (``type: RollingSync`` with steps), kept as given.
            Default: all at once.
        preserved_fields: ``preservedFields``: see :class:`PreservedFields`. Default: none.
        ignore_application_differences: ``ignoreApplicationDifferences``: see
            :class:`ApplicationSetIgnoreDifferences`. Default: none.
        apply_nested_selectors: ``applyNestedSelectors``: apply selectors of generators inside matrix and
            merge (always on since Argo CD 2.9). Default: false.
    """

    generators: list[ApplicationSetGenerator]
    template: ApplicationSetTemplate
    go_template: bool | None = None
    go_template_options: list[str] | None = None
    template_patch: str | None = None
    sync_policy: ApplicationSetSyncPolicy | None = None
    strategy: dict[str, Any] | None = None
    preserved_fields: PreservedFields | None = None
    ignore_application_differences: list[ApplicationSetIgnoreDifferences] | None = None
    apply_nested_selectors: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if not self.generators:
            issues.add(("generators",), "is empty, so no Application would be generated; add at least one generator", [])
        for i, option in enumerate(self.go_template_options or ()):
            if option not in GO_TEMPLATE_OPTIONS:
                issues.add(("goTemplateOptions", i), f"{option!r} is not a Go template option; use one of "
                                                     f"{', '.join(GO_TEMPLATE_OPTIONS)}", option)
        if self.go_template_options and not self.go_template:
            warnings.warn("spec.goTemplateOptions has no effect without goTemplate: true; set goTemplate: true or remove them",
                          UserWarning, stacklevel=2)
        if self.template_patch is not None and not self.go_template:
            issues.add(("templatePatch",), f"templatePatch {format_value(self.template_patch, 40)} needs Go templates, "
                                           f"but goTemplate is {self.go_template!r}; set goTemplate: true",
                       self.template_patch)
        if self.strategy is not None and "type" in self.strategy:
            kind = self.strategy["type"]
            if kind not in _STRATEGY_TYPES:
                issues.add(("strategy", "type"), f"{format_value(kind)} is not an ApplicationSet strategy; use "
                                                 f"{' or '.join(_STRATEGY_TYPES)}", kind)
            elif kind == "RollingSync" and not (self.strategy.get("rollingSync") or {}).get("steps"):
                issues.add(("strategy", "rollingSync"), "type RollingSync has no rollingSync.steps; list the steps "
                                                        "(matchExpressions on Application labels, optional maxUpdate)",
                           self.strategy.get("rollingSync"))
        issues.raise_any("ApplicationSetSpec")
        return self


class ApplicationSet(ArgoResource):
    """An Argo CD ``ApplicationSet`` (``argoproj.io/v1alpha1``).

    Attributes:
        spec: ``spec``: see :class:`ApplicationSetSpec`. Required.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ApplicationSet"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)

    spec: ApplicationSetSpec
    status: dict[str, Any] | None = None
