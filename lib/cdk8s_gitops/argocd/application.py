"""Argo CD ``Application`` (``argoproj.io/v1alpha1``): Argo CD's checks on the generated model.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`): one
source (``spec.source``) or several (``spec.sources``), never both (a schema rule of the
generated ``ApplicationSpec``), a source hydrator, the destination, sync policy, diff
settings. This module registers what Argo CD checks beyond the CRD schema, as semantic
checks that run for objects built in Python and loaded from YAML alike:

- a source has a ``repoURL``, a relative ``path`` and at most one rendering tool (helm,
  kustomize, directory, plugin: more than one gives a warning, Argo CD refuses it);
- Helm ``version`` is ``v2`` or ``v3``; a Kustomize patch has ``patch`` or ``path``; a
  plugin parameter sets one of ``string``, ``array`` or ``map``;
- the destination names a cluster by ``server`` (an API URL) or by ``name``, never both,
  and its namespace is a valid name; ``ignoreDifferences`` JSON pointers are valid;
- the spec names a valid project, sets a source (an ApplicationSet template may leave it and
  the destination to its generators), has unique ``ref`` and ``name`` values in ``sources``
  and every ``$ref/...`` Helm values file names one of the refs.

Inside ApplicationSet templates (``spec.template.spec`` and generator templates, a class of
their own), string values may be ``{{ ... }}`` expressions that the ApplicationSet
controller fills in; checks on such values are skipped there. The parts of a spec
(sources, destination, ``ignoreDifferences``) are generated classes shared by
Applications, templates and AppProjects (whose destinations allow globs), so they are
checked from the spec that holds them, which knows the context.
"""

from __future__ import annotations

import re
import warnings

from ..core.fields import Issues
from ..core.model import check_name
from ..core.schema import semantic_check
from ..models.argoproj_io_v1alpha1 import (
    Application,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec,
    ApplicationSpec,
    ApplicationSpecSourceHelm,
    ApplicationSpecSourceHydratorDrySource,
    ApplicationSpecSourceKustomizePatches,
    ApplicationSpecSourcePluginParameters,
    Automated,
    Destination,
    IgnoreDifferences,
    Source,
)
from ._common import check_json_pointer, in_template, register_metadata_check, skip_check

__all__ = [
    "FINALIZER_BACKGROUND",
    "FINALIZER_FOREGROUND",
    "Application",
    "ApplicationSource",
    "ApplicationSpec",
    "Automated",
    "Destination",
    "HelmSource",
    "IgnoreDifferences",
    "TemplateSpec",
    "all_sources",
    "source_tools",
]

FINALIZER_FOREGROUND = "resources-finalizer.argocd.argoproj.io"
"""``metadata.finalizers`` value: deleting the Application deletes its resources first (foreground cascade)."""
FINALIZER_BACKGROUND = "resources-finalizer.argocd.argoproj.io/background"
"""``metadata.finalizers`` value: deleting the Application deletes its resources in the background."""

#: One source of an Application (``spec.source``, ``spec.sources[]``).
ApplicationSource = Source
#: The Helm settings of a source (``helm``: release name, values, parameters).
HelmSource = ApplicationSpecSourceHelm

TemplateSpec = ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec
"""The Application spec inside an ApplicationSet template (``spec.template.spec``, generator templates)."""

register_metadata_check(Application)

_TOOLS = ("helm", "kustomize", "directory", "plugin")


def source_tools(source: Source | ApplicationSpecSourceHydratorDrySource) -> list[str]:
    """The rendering tools a source configures (``helm``, ``kustomize``, ``directory``, ``plugin``)."""
    return [t for t in _TOOLS if getattr(source, t) is not None]


def all_sources(spec: ApplicationSpec | TemplateSpec) -> list[Source]:
    """The sources Argo CD uses: ``sources`` when set, else ``[source]`` (empty with neither)."""
    if spec.sources:
        return list(spec.sources)
    return [spec.source] if spec.source is not None else []


# -- tools -------------------------------------------------------------------------------------
@semantic_check(ApplicationSpecSourceKustomizePatches)
def _check_kustomize_patch(patch: ApplicationSpecSourceKustomizePatches) -> None:
    if patch.patch is None and patch.path is None:
        raise ValueError("patch: neither patch nor path is set; give the patch inline (patch) or as a file (path)")


@semantic_check(ApplicationSpecSourcePluginParameters)
def _check_plugin_parameter(parameter: ApplicationSpecSourcePluginParameters) -> None:
    given = [k for k in ("string", "array", "map") if getattr(parameter, k) is not None]
    if len(given) > 1:
        raise ValueError(f"{given[1]}: parameter {parameter.name!r} sets {' and '.join(given)}; "
                         f"give a parameter exactly one of string, array or map")


@semantic_check(ApplicationSpecSourceHydratorDrySource)
def _check_dry_source(source: ApplicationSpecSourceHydratorDrySource) -> None:
    _warn_tools(source.repo_url, source_tools(source))


def _warn_tools(repo_url: str, tools: list[str]) -> None:
    if len(tools) > 1:
        warnings.warn(f"source {repo_url!r} configures several tools ({', '.join(tools)}); Argo CD renders a "
                      f"source with one tool and refuses this one; keep only the one the source needs",
                      UserWarning, stacklevel=2)


# -- parts of a spec, checked from the spec (the same classes serve Applications, templates and projects) --
Loc = tuple[str | int, ...]


def _source_issues(issues: Issues, loc: Loc, source: Source, template: bool) -> None:
    if not source.repo_url.strip():
        issues.add((*loc, "repoURL"), f"{source.repo_url!r} is empty; give the URL of a Git repository, Helm repository "
                                      f"or OCI registry", source.repo_url)
    if source.path is not None and source.path.startswith("/") and not skip_check(source.path, template):
        issues.add((*loc, "path"), f"{source.path!r} is absolute, and Argo CD refuses absolute source paths; "
                                   f"write it relative to the repository root, such as {source.path.lstrip('/') or '.'!r}",
                   source.path)
    helm = source.helm
    if helm is not None and helm.version is not None and not skip_check(helm.version, template) and helm.version not in ("v2", "v3"):
        issues.add((*loc, "helm", "version"), f"{helm.version!r} is not a Helm major version Argo CD supports; "
                                              f"use 'v3' (or 'v2'), or leave it out", helm.version)
    _warn_tools(source.repo_url, source_tools(source))


def _destination_issues(issues: Issues, destination: Destination, template: bool) -> None:
    loc: Loc = ("destination",)
    server, name, namespace = destination.server, destination.name, destination.namespace
    if server and name:
        issues.add((*loc, "name"), f"both server {server!r} and name {name!r} are set; set only one: "
                                   f"name for a cluster registered in Argo CD, or server for its API URL", name)
    elif not template and not server and not name:
        issues.add((*loc, "server"), "neither server nor name is set; set server (the cluster API URL, "
                                     "'https://kubernetes.default.svc' for the local cluster) or name "
                                     "(a cluster registered in Argo CD)", None)
    elif server and not skip_check(server, template) and not re.match(r"^https?://", server):
        issues.add((*loc, "server"), f"{server!r} is not an API server URL; use server: 'https://...' for a URL, "
                                     f"or name: {server!r} for a cluster registered by name", server)
    if namespace and not skip_check(namespace, template):
        why = check_name(namespace, "label")
        if why:
            issues.add((*loc, "namespace"), f"{namespace!r} {why}; use a valid namespace name", namespace)


def _ignore_differences_issues(issues: Issues, loc: Loc, entry: IgnoreDifferences, template: bool) -> None:
    for i, pointer in enumerate(entry.json_pointers or ()):
        why = None if skip_check(pointer, template) else check_json_pointer(pointer)
        if why:
            issues.add((*loc, "jsonPointers", i), f"{pointer!r} {why}; write a JSON pointer such as '/spec/replicas' "
                                                  f"(or use jqPathExpressions)", pointer)


# -- spec ----------------------------------------------------------------------------------------
_VALUE_FILE_REF = re.compile(r"^\$([^/]+)/")


@semantic_check(ApplicationSpec)
def _check_application_spec(spec: ApplicationSpec) -> None:
    # An ApplicationSpec validated on its own inside template_context() is a template's spec.
    template = in_template()
    issues = _spec_issues(spec, template)
    if not template and spec.source is None and not spec.sources and spec.source_hydrator is None:
        issues.add(("source",), "none of source, sources or sourceHydrator is set; set source "
                                "(repoURL, path or chart, targetRevision) or list several in sources", None)
    issues.raise_any("ApplicationSpec")


@semantic_check(TemplateSpec)
def _check_template_spec(spec: TemplateSpec) -> None:
    # A template may leave the destination and the source to the generators' templates.
    _spec_issues(spec, True).raise_any("ApplicationSpec")


def _spec_issues(spec: ApplicationSpec | TemplateSpec, template: bool) -> Issues:
    issues = Issues()
    if not skip_check(spec.project, template):
        why = "is empty" if not spec.project else check_name(spec.project, "subdomain")
        if why:
            issues.add(("project",), f"{spec.project!r} {why}; name an AppProject, such as 'default'", spec.project)
    if spec.revision_history_limit is not None and spec.revision_history_limit < 0:
        issues.add(("revisionHistoryLimit",), f"{spec.revision_history_limit} is negative; use 0 or more (default 10)",
                   spec.revision_history_limit)
    _destination_issues(issues, spec.destination, template)
    if spec.source is not None:
        _source_issues(issues, ("source",), spec.source, template)
    for i, src in enumerate(spec.sources or ()):
        _source_issues(issues, ("sources", i), src, template)
    for i, entry in enumerate(spec.ignore_differences or ()):
        _ignore_differences_issues(issues, ("ignoreDifferences", i), entry, template)
    refs: dict[str, int] = {}
    names: dict[str, int] = {}
    for i, src in enumerate(spec.sources or ()):
        for key, seen in (("ref", refs), ("name", names)):
            value = getattr(src, key)
            if value is None or skip_check(value, template):
                continue
            if value in seen:
                issues.add(("sources", i, key), f"{value!r} is already used by sources[{seen[value]}]; "
                                                f"give each source a unique {key}", value)
            else:
                seen[value] = i
    for i, src in enumerate(spec.sources or ()):
        for j, value_file in enumerate((src.helm.value_files or ()) if src.helm else ()):
            match = _VALUE_FILE_REF.match(value_file)
            if not match or skip_check(value_file, template):
                continue
            ref = match.group(1)
            if ref not in refs:
                known = ", ".join(sorted(refs)) or "none"
                issues.add(("sources", i, "helm", "valueFiles", j),
                           f"{value_file!r} reads from ${ref}, but no source has ref {ref!r} (refs: {known}); "
                           f"add a source with ref: {ref} or fix the reference", value_file)
    return issues
