"""Argo CD ``Application`` (``argoproj.io/v1alpha1``): what to deploy, where, and how to sync it.

One source (``spec.source``) or several (``spec.sources``): a Git path (plain manifests,
Jsonnet or a plugin), a Helm chart with values or ``valuesObject``, Kustomize options.
The destination names a cluster by ``server`` (its API URL) or by ``name`` (as
registered in Argo CD), never both. :class:`ApplicationSpec` is also the spec of
ApplicationSet templates, where string values may be ``{{ ... }}`` expressions.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import Field, field_validator, model_validator

from ..core.errors import format_value
from ..core.fields import IntOrString, Issues
from ..core.model import K8sModel, check_name
from ._common import ArgoResource, check_json_pointer, in_template, skip_check
from .sync import SyncPolicy

__all__ = [
    "Application",
    "ApplicationDestination",
    "ApplicationSource",
    "ApplicationSourceDirectory",
    "ApplicationSourceHelm",
    "ApplicationSourceJsonnet",
    "ApplicationSourceKustomize",
    "ApplicationSourcePlugin",
    "ApplicationSpec",
    "DrySource",
    "HelmFileParameter",
    "HelmParameter",
    "Info",
    "JsonnetVar",
    "KustomizePatch",
    "KustomizePatchTarget",
    "KustomizeReplica",
    "PluginEnv",
    "PluginParameter",
    "ResourceIgnoreDifferences",
    "SourceHydrator",
    "SyncSource",
]

FINALIZER_FOREGROUND = "resources-finalizer.argocd.argoproj.io"
FINALIZER_BACKGROUND = "resources-finalizer.argocd.argoproj.io/background"


# -- Helm -------------------------------------------------------------------------------------
class HelmParameter(K8sModel):
    """One ``helm.parameters`` entry (``--set name=value``).

    Attributes:
        name: ``name``: the values path (``image.tag``). Default: none.
        value: ``value``. Default: none.
        force_string: ``forceString``: pass with ``--set-string``. Default: false.
    """

    name: str | None = None
    value: str | None = None
    force_string: bool | None = None


class HelmFileParameter(K8sModel):
    """One ``helm.fileParameters`` entry (``--set-file name=path``).

    Attributes:
        name: ``name``: the values path. Default: none.
        path: ``path``: file in the source whose content becomes the value. Default: none.
    """

    name: str | None = None
    path: str | None = None


class ApplicationSourceHelm(K8sModel):
    """``source.helm``: how Argo CD renders a Helm chart.

    Attributes:
        value_files: ``valueFiles``: values files, relative to the chart, or ``$<ref>/path`` in another
            source of ``sources``. Default: none (the chart's values.yaml).
        values: ``values``: inline values as a YAML string. Default: none.
        values_object: ``valuesObject``: inline values as a mapping (wins over ``values``). Default: none.
        parameters: ``parameters``: see :class:`HelmParameter`. Default: none.
        file_parameters: ``fileParameters``: see :class:`HelmFileParameter`. Default: none.
        release_name: ``releaseName``. Default: the Application's name.
        version: ``version``: Helm major version, ``v2`` or ``v3``. Default: chosen from Chart.yaml.
        pass_credentials: ``passCredentials``: send repository credentials to every domain. Default: false.
        ignore_missing_value_files: ``ignoreMissingValueFiles``. Default: false.
        skip_crds: ``skipCrds``: do not install the chart's CRDs. Default: false.
        skip_schema_validation: ``skipSchemaValidation``. Default: false.
        skip_tests: ``skipTests``: leave out test manifests. Default: false.
        namespace: ``namespace``: namespace Helm templates with. Default: the destination namespace.
        kube_version: ``kubeVersion``: Kubernetes version passed to Helm. Default: the cluster's.
        api_versions: ``apiVersions``: API versions passed to Helm (``[group/]version/kind``). Default: the cluster's.
    """

    value_files: list[str] | None = None
    values: str | None = None
    values_object: dict[str, Any] | None = None
    parameters: list[HelmParameter] | None = None
    file_parameters: list[HelmFileParameter] | None = None
    release_name: str | None = None
    version: str | None = None
    pass_credentials: bool | None = None
    ignore_missing_value_files: bool | None = None
    skip_crds: bool | None = None
    skip_schema_validation: bool | None = None
    skip_tests: bool | None = None
    namespace: str | None = None
    kube_version: str | None = None
    api_versions: list[str] | None = None

    @field_validator("values", mode="before")
    @classmethod
    def _values_is_text(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            raise ValueError(f"{format_value(value)} is a mapping, but values takes YAML text; "
                             f"put the mapping under valuesObject, or write values: | followed by the YAML")
        return value

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.version is not None and not skip_check(self.version) and self.version not in ("v2", "v3"):
            raise ValueError(f"version: {self.version!r} is not a Helm major version Argo CD supports; "
                             f"use 'v3' (or 'v2'), or leave it out")
        return self


# -- Kustomize --------------------------------------------------------------------------------
class KustomizeReplica(K8sModel):
    """One ``kustomize.replicas`` entry.

    Attributes:
        name: ``name``: the workload's name. Required.
        count: ``count``: replica count (integer or string). Required.
    """

    name: str
    count: IntOrString


class KustomizePatchTarget(K8sModel):
    """``kustomize.patches[].target``: which resources a patch applies to.

    Attributes:
        group: ``group``. version: ``version``. kind: ``kind``. name: ``name``. namespace: ``namespace``.
        label_selector: ``labelSelector``. annotation_selector: ``annotationSelector``. Default: none for each.
    """

    group: str | None = None
    version: str | None = None
    kind: str | None = None
    name: str | None = None
    namespace: str | None = None
    label_selector: str | None = None
    annotation_selector: str | None = None


class KustomizePatch(K8sModel):
    """One ``kustomize.patches`` entry (strategic merge or JSON 6902 patch).

    Attributes:
        patch: ``patch``: the patch, inline as YAML/JSON text. Default: none.
        path: ``path``: a patch file in the source. Default: none.
        target: ``target``: see :class:`KustomizePatchTarget`. Default: none.
        options: ``options``: Kustomize patch options (``allowNameChange``...). Default: none.
    """

    patch: str | None = None
    path: str | None = None
    target: KustomizePatchTarget | None = None
    options: dict[str, bool] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.patch is None and self.path is None:
            raise ValueError("patch: neither patch nor path is set; give the patch inline (patch) or as a file (path)")
        return self


class ApplicationSourceKustomize(K8sModel):
    """``source.kustomize``: options Argo CD passes to Kustomize.

    Attributes:
        name_prefix: ``namePrefix``. name_suffix: ``nameSuffix``. Default: none.
        images: ``images``: image overrides (``name=new:tag`` or ``image:tag``). Default: none.
        common_labels: ``commonLabels``. common_annotations: ``commonAnnotations``. Default: none.
        common_annotations_envsubst: ``commonAnnotationsEnvsubst``: expand ``${VAR}`` in common annotations. Default: false.
        force_common_labels: ``forceCommonLabels``. force_common_annotations: ``forceCommonAnnotations``. Default: false.
        label_without_selector: ``labelWithoutSelector``. label_include_templates: ``labelIncludeTemplates``. Default: false.
        namespace: ``namespace``: namespace set on every resource. Default: none.
        replicas: ``replicas``: see :class:`KustomizeReplica`. Default: none.
        patches: ``patches``: see :class:`KustomizePatch`. Default: none.
        components: ``components``: Kustomize components to add. Default: none.
        ignore_missing_components: ``ignoreMissingComponents``. Default: false.
        version: ``version``: a Kustomize version configured in argocd-cm. Default: the bundled one.
        kube_version: ``kubeVersion``. api_versions: ``apiVersions``: passed to Helm charts Kustomize inflates.
            Default: the cluster's.
    """

    name_prefix: str | None = None
    name_suffix: str | None = None
    images: list[str] | None = None
    common_labels: dict[str, str] | None = None
    common_annotations: dict[str, str] | None = None
    common_annotations_envsubst: bool | None = None
    force_common_labels: bool | None = None
    force_common_annotations: bool | None = None
    label_without_selector: bool | None = None
    label_include_templates: bool | None = None
    namespace: str | None = None
    replicas: list[KustomizeReplica] | None = None
    patches: list[KustomizePatch] | None = None
    components: list[str] | None = None
    ignore_missing_components: bool | None = None
    version: str | None = None
    kube_version: str | None = None
    api_versions: list[str] | None = None


# -- directory / Jsonnet ------------------------------------------------------------------------
class JsonnetVar(K8sModel):
    """A Jsonnet external variable or top-level argument.

    Attributes:
        name: ``name``. Required.
        value: ``value``. Required.
        code: ``code``: the value is Jsonnet code rather than a string. Default: false.
    """

    name: str
    value: str
    code: bool | None = None


class ApplicationSourceJsonnet(K8sModel):
    """``directory.jsonnet``.

    Attributes:
        ext_vars: ``extVars``: external variables. Default: none.
        tlas: ``tlas``: top-level arguments. Default: none.
        libs: ``libs``: library search paths. Default: none.
    """

    ext_vars: list[JsonnetVar] | None = None
    tlas: list[JsonnetVar] | None = None
    libs: list[str] | None = None


class ApplicationSourceDirectory(K8sModel):
    """``source.directory``: plain manifests or Jsonnet in a directory.

    Attributes:
        recurse: ``recurse``: include subdirectories. Default: false.
        include: ``include``: glob of files to use (``'{*.yml,*.yaml}'``). Default: all.
        exclude: ``exclude``: glob of files to leave out (wins over include). Default: none.
        jsonnet: ``jsonnet``: see :class:`ApplicationSourceJsonnet`. Default: none.
    """

    recurse: bool | None = None
    include: str | None = None
    exclude: str | None = None
    jsonnet: ApplicationSourceJsonnet | None = None


# -- config management plugin -----------------------------------------------------------------
class PluginEnv(K8sModel):
    """One ``plugin.env`` entry.

    Attributes:
        name: ``name``. Required.
        value: ``value``. Required.
    """

    name: str
    value: str


class PluginParameter(K8sModel):
    """One ``plugin.parameters`` entry: a string, an array or a map (exactly one).

    Attributes:
        name: ``name``. Default: none.
        string: ``string``. array: ``array``. map: ``map``. Default: none for each.
    """

    name: str | None = None
    string: str | None = None
    array: list[str] | None = None
    map: dict[str, str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        given = [k for k in ("string", "array", "map") if getattr(self, k) is not None]
        if len(given) > 1:
            raise ValueError(f"{given[1]}: parameter {self.name!r} sets {' and '.join(given)}; "
                             f"give a parameter exactly one of string, array or map")
        return self


class ApplicationSourcePlugin(K8sModel):
    """``source.plugin``: a config management plugin.

    Attributes:
        name: ``name``: the plugin; without it, Argo CD picks a sidecar plugin by its discovery rules.
            Default: none.
        env: ``env``: see :class:`PluginEnv`. Default: none.
        parameters: ``parameters``: see :class:`PluginParameter`. Default: none.
    """

    name: str | None = None
    env: list[PluginEnv] | None = None
    parameters: list[PluginParameter] | None = None


# -- sources ------------------------------------------------------------------------------------
_TOOLS = ("helm", "kustomize", "directory", "plugin")


class _SourceTools(K8sModel):
    helm: ApplicationSourceHelm | None = None
    kustomize: ApplicationSourceKustomize | None = None
    directory: ApplicationSourceDirectory | None = None
    plugin: ApplicationSourcePlugin | None = None

    def tools(self) -> list[str]:
        """The rendering tools this source configures (``helm``, ``kustomize``, ``directory``, ``plugin``)."""
        return [t for t in _TOOLS if getattr(self, t) is not None]


class ApplicationSource(_SourceTools):
    """One source of an Application: a Git path or a Helm chart, and how to render it.

    Attributes:
        repo_url: ``repoURL``: Git repository, Helm repository or OCI registry. Required.
        path: ``path``: directory in a Git repository. Default: the repository root.
        target_revision: ``targetRevision``: branch, tag or commit; for a Helm chart, the chart version.
            Default: ``HEAD``.
        chart: ``chart``: chart name in a Helm repository (not for charts kept in Git). Default: none.
        ref: ``ref``: name other sources use to read files from this one (``$ref/values.yaml``);
            only in ``sources``. Default: none.
        name: ``name``: source name, shown by the CLI and UI. Default: none.
        tag_prefix: ``tagPrefix``: prefix of tags considered for semver revisions. Default: none.
        helm: ``helm``: see :class:`ApplicationSourceHelm`. Default: none.
        kustomize: ``kustomize``: see :class:`ApplicationSourceKustomize`. Default: none.
        directory: ``directory``: see :class:`ApplicationSourceDirectory`. Default: none.
        plugin: ``plugin``: see :class:`ApplicationSourcePlugin`. Default: none.

    Argo CD renders a source with one tool; setting more than one of helm, kustomize,
    directory and plugin gives a warning (Argo CD refuses such an Application).
    """

    repo_url: str = Field(alias="repoURL")
    path: str | None = None
    target_revision: str | None = None
    chart: str | None = None
    ref: str | None = None
    name: str | None = None
    tag_prefix: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.repo_url.strip():
            raise ValueError(f"repoURL: {self.repo_url!r} is empty; give the URL of a Git repository, Helm repository or OCI registry")
        if self.path is not None and self.path.startswith("/") and not skip_check(self.path):
            raise ValueError(f"path: {self.path!r} is absolute, and Argo CD refuses absolute source paths; "
                             f"write it relative to the repository root, such as {self.path.lstrip('/') or '.'!r}")
        tools = self.tools()
        if len(tools) > 1:
            warnings.warn(f"source {self.repo_url!r} configures several tools ({', '.join(tools)}); Argo CD renders a "
                          f"source with one tool and refuses this one; keep only the one the source needs",
                          UserWarning, stacklevel=2)
        return self


class DrySource(_SourceTools):
    """``sourceHydrator.drySource``: the unrendered source the hydrator renders from.

    Attributes:
        repo_url: ``repoURL``. Required.
        target_revision: ``targetRevision``. Required.
        path: ``path``. Required.
        helm, kustomize, directory, plugin: as in :class:`ApplicationSource`. Default: none.
    """

    repo_url: str = Field(alias="repoURL")
    target_revision: str
    path: str


class SyncSource(K8sModel):
    """``sourceHydrator.syncSource``: where rendered manifests are committed and synced from.

    Attributes:
        target_branch: ``targetBranch``. Required.
        path: ``path``. Required.
        repo_url: ``repoURL``. Default: the dry source's repository.
    """

    target_branch: str
    path: str
    repo_url: str | None = Field(default=None, alias="repoURL")


class HydrateTo(K8sModel):
    """``sourceHydrator.hydrateTo``: a staging branch hydrated manifests go to first.

    Attributes:
        target_branch: ``targetBranch``. Required.
    """

    target_branch: str


class SourceHydrator(K8sModel):
    """``spec.sourceHydrator``: render manifests into a Git branch, then sync from it.

    Attributes:
        dry_source: ``drySource``: see :class:`DrySource`. Required.
        sync_source: ``syncSource``: see :class:`SyncSource`. Required.
        hydrate_to: ``hydrateTo``: see :class:`HydrateTo`. Default: none.
    """

    dry_source: DrySource
    sync_source: SyncSource
    hydrate_to: HydrateTo | None = None


# -- destination, diffing, info -------------------------------------------------------------------
class ApplicationDestination(K8sModel):
    """``spec.destination``: the cluster and namespace to deploy to.

    Attributes:
        server: ``server``: the cluster's API server URL (``https://kubernetes.default.svc``). Default: none.
        name: ``name``: the cluster's name as registered in Argo CD (``in-cluster``). Default: none.
        namespace: ``namespace``: namespace for resources that set none. Default: none.

    Exactly one of server and name: both is an error; neither is an error on an
    Application (an ApplicationSet template may leave both to its generators).
    """

    server: str | None = None
    name: str | None = None
    namespace: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.server and self.name:
            raise ValueError(f"name: both server {self.server!r} and name {self.name!r} are set; set only one: "
                             f"name for a cluster registered in Argo CD, or server for its API URL")
        if not in_template() and not self.server and not self.name:
            raise ValueError("server: neither server nor name is set; set server (the cluster API URL, "
                             "'https://kubernetes.default.svc' for the local cluster) or name (a cluster registered in Argo CD)")
        if self.server and not skip_check(self.server) and not re.match(r"^https?://", self.server):
            raise ValueError(f"server: {self.server!r} is not an API server URL; use server: 'https://...' for a URL, "
                             f"or name: {self.server!r} for a cluster registered by name")
        if self.namespace and not skip_check(self.namespace):
            why = check_name(self.namespace, "label")
            if why:
                raise ValueError(f"namespace: {self.namespace!r} {why}; use a valid namespace name")
        return self


class ResourceIgnoreDifferences(K8sModel):
    """One ``spec.ignoreDifferences`` entry: fields to leave out of the diff for matching resources.

    Attributes:
        kind: ``kind``: resource kind (``*`` for all). Required.
        group: ``group``: API group (``apps``; ``*`` for all). Default: the core group.
        name: ``name``. namespace: ``namespace``: match one object exactly (no globs). Default: any.
        json_pointers: ``jsonPointers``: RFC 6901 pointers (``/spec/replicas``). Default: none.
        jq_path_expressions: ``jqPathExpressions``: jq paths (``.spec.template.spec.containers[]``). Default: none.
        managed_fields_managers: ``managedFieldsManagers``: ignore fields owned by these managers. Default: none.
    """

    kind: str
    group: str | None = None
    name: str | None = None
    namespace: str | None = None
    json_pointers: list[str] | None = None
    jq_path_expressions: list[str] | None = None
    managed_fields_managers: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        for i, pointer in enumerate(self.json_pointers or ()):
            why = None if skip_check(pointer) else check_json_pointer(pointer)
            if why:
                issues.add(("jsonPointers", i), f"{pointer!r} {why}; write a JSON pointer such as '/spec/replicas' "
                                                f"(or use jqPathExpressions)", pointer)
        issues.raise_any("ResourceIgnoreDifferences")
        return self


class Info(K8sModel):
    """One ``spec.info`` entry: extra information shown in the Argo CD UI.

    Attributes:
        name: ``name``. Required.
        value: ``value``. Required.
    """

    name: str
    value: str


# -- spec and object ---------------------------------------------------------------------------
_VALUE_FILE_REF = re.compile(r"^\$([^/]+)/")


class ApplicationSpec(K8sModel):
    """``spec`` of an Application (and of ApplicationSet templates).

    Attributes:
        project: ``project``: the AppProject (``default`` for the built-in one). Required.
        destination: ``destination``: see :class:`ApplicationDestination`. Required.
        source: ``source``: a single source; see :class:`ApplicationSource`. Default: none.
        sources: ``sources``: several sources, rendered together (``source`` is then ignored). Default: none.
        source_hydrator: ``sourceHydrator``: see :class:`SourceHydrator`. Default: none.
        sync_policy: ``syncPolicy``: see :class:`~cdk8s_gitops.argocd.SyncPolicy`. Default: none (manual sync).
        ignore_differences: ``ignoreDifferences``: see :class:`ResourceIgnoreDifferences`. Default: none.
        info: ``info``: see :class:`Info`. Default: none.
        revision_history_limit: ``revisionHistoryLimit``: deployments kept in the history (>= 0). Default: 10.

    An Application needs one of source, sources or sourceHydrator. In ``sources``,
    ``ref`` names must be unique and every ``$ref/...`` Helm values file must name one.
    """

    project: str
    destination: ApplicationDestination
    source: ApplicationSource | None = None
    sources: list[ApplicationSource] | None = None
    source_hydrator: SourceHydrator | None = None
    sync_policy: SyncPolicy | None = None
    ignore_differences: list[ResourceIgnoreDifferences] | None = None
    info: list[Info] | None = None
    revision_history_limit: int | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if not skip_check(self.project):
            why = "is empty" if not self.project else check_name(self.project, "subdomain")
            if why:
                issues.add(("project",), f"{self.project!r} {why}; name an AppProject, such as 'default'", self.project)
        if not in_template() and self.source is None and not self.sources and self.source_hydrator is None:
            issues.add(("source",), "none of source, sources or sourceHydrator is set; set source "
                                    "(repoURL, path or chart, targetRevision) or list several in sources", None)
        if self.source is not None and self.sources:
            warnings.warn("spec.source is ignored because spec.sources is set; move the source into sources or remove it",
                          UserWarning, stacklevel=2)
        if self.revision_history_limit is not None and self.revision_history_limit < 0:
            issues.add(("revisionHistoryLimit",), f"{self.revision_history_limit} is negative; use 0 or more (default 10)",
                       self.revision_history_limit)
        self._check_sources(issues)
        issues.raise_any("ApplicationSpec")
        return self

    def _check_sources(self, issues: Issues) -> None:
        refs: dict[str, int] = {}
        names: dict[str, int] = {}
        for i, src in enumerate(self.sources or ()):
            for key, seen in (("ref", refs), ("name", names)):
                value = getattr(src, key)
                if value is None or skip_check(value):
                    continue
                if value in seen:
                    issues.add(("sources", i, key), f"{value!r} is already used by sources[{seen[value]}]; "
                                                    f"give each source a unique {key}", value)
                else:
                    seen[value] = i
        for i, src in enumerate(self.sources or ()):
            for j, value_file in enumerate((src.helm.value_files or ()) if src.helm else ()):
                match = _VALUE_FILE_REF.match(value_file)
                if not match or skip_check(value_file):
                    continue
                ref = match.group(1)
                if ref not in refs:
                    known = ", ".join(sorted(refs)) or "none"
                    issues.add(("sources", i, "helm", "valueFiles", j),
                               f"{value_file!r} reads from ${ref}, but no source has ref {ref!r} (refs: {known}); "
                               f"add a source with ref: {ref} or fix the reference", value_file)

    def all_sources(self) -> list[ApplicationSource]:
        """The sources Argo CD uses: ``sources`` when set, else ``[source]`` (empty with neither)."""
        if self.sources:
            return list(self.sources)
        return [self.source] if self.source is not None else []


class Application(ArgoResource):
    """An Argo CD ``Application`` (``argoproj.io/v1alpha1``).

    Attributes:
        spec: ``spec``: see :class:`ApplicationSpec`. Required.
        operation: ``operation``: a sync requested through the API, kept as given. Default: none.
        status: ``status``: written by Argo CD, kept as given. Default: none.

    ``metadata.finalizers`` may hold :data:`FINALIZER_FOREGROUND` (delete the app's
    resources with it) or :data:`FINALIZER_BACKGROUND`; other ``*.argoproj.io``
    finalizers are refused as typos. An ``argocd.argoproj.io/sync-wave`` annotation
    (app of apps) must be an integer.
    """

    KIND: ClassVar[str] = "Application"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argoproj.io/v1alpha1",)

    FINALIZER_FOREGROUND: ClassVar[str] = FINALIZER_FOREGROUND
    FINALIZER_BACKGROUND: ClassVar[str] = FINALIZER_BACKGROUND

    spec: ApplicationSpec
    operation: dict[str, Any] | None = None
    status: dict[str, Any] | None = None
