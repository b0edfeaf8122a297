"""Argo CD ``ApplicationSet`` (``argoproj.io/v1alpha1``): the ApplicationSet controller's checks on the generated model.

Generators produce parameter sets (a list, the clusters registered in Argo CD, Git
directories or files, pull requests, SCM repositories, a plugin); ``matrix`` and
``merge`` combine two or more of them, one level deep (a matrix inside a matrix may
hold only plain generators; the CRD keeps such a nested combination free-form, so it is
checked here against the same generated classes). Each parameter set fills the
``template`` (an Application with ``{{ ... }}`` expressions); ``templatePatch`` (Go
templates only) patches it as text.

Checks registered here: each generators entry holds exactly one generator; a matrix
combines exactly two, a merge at least two with merge keys; ``list`` elements are mappings;
a git generator lists directories or files (not both); template metadata holds valid names
and labels (or template expressions); ``goTemplateOptions`` are Go template options and
``templatePatch`` needs ``goTemplate``; a strategy type is ``AllAtOnce`` or ``RollingSync``
(with steps); ``ignoreApplicationDifferences`` JSON pointers are valid. Generator label
selectors are the generated ``meta/v1`` LabelSelector, checked by the kube package.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.errors import format_value
from ..core.fields import Issues, set_fields, wire_name
from ..core.model import check_label_key, check_label_value, check_name
from ..core.model_errors import pydantic_validate
from ..core.schema import semantic_check
from ..models.argoproj_io_v1alpha1 import (
    ApplicationSet,
    ApplicationSetSpec,
    ApplicationSetSpecGenerators,
    ApplicationSetSpecGeneratorsClusterDecisionResource,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplate,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata,
    ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec,
    ApplicationSetSpecGeneratorsGit,
    ApplicationSetSpecGeneratorsGitDirectories,
    ApplicationSetSpecGeneratorsList,
    ApplicationSetSpecGeneratorsMatrix,
    ApplicationSetSpecGeneratorsMatrixGenerators,
    ApplicationSetSpecGeneratorsMatrixGeneratorsPlugin,
    ApplicationSetSpecGeneratorsMerge,
    ApplicationSetSpecIgnoreApplicationDifferences,
)
from ._common import check_json_pointer, metadata_problems, register_metadata_check, skip_check

__all__ = [
    "GO_TEMPLATE_OPTIONS",
    "ApplicationSet",
    "ApplicationSetSpec",
    "ApplicationSetTemplate",
    "ApplicationSetTemplateMetadata",
    "ApplicationSetTemplateSpec",
    "Generators",
    "GitDirectory",
    "GitGenerator",
    "MatrixGenerator",
    "MergeGenerator",
    "generator_type",
]

GO_TEMPLATE_OPTIONS = ("missingkey=default", "missingkey=invalid", "missingkey=zero", "missingkey=error")
"""The options Go's text/template accepts in ``goTemplateOptions``."""

#: An Application template: ``spec.template`` or a generator's ``template``.
ApplicationSetTemplate = ApplicationSetSpecGeneratorsClusterDecisionResourceTemplate
#: The ``metadata`` of an Application template (name, labels, annotations, finalizers).
ApplicationSetTemplateMetadata = ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata
#: The ``spec`` of an Application template (project, source or sources, destination, sync policy).
ApplicationSetTemplateSpec = ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateSpec
#: One entry of ``spec.generators``: exactly one generator type set.
Generators = ApplicationSetSpecGenerators
#: A directory of a ``git`` generator (``path``, ``exclude``).
GitDirectory = ApplicationSetSpecGeneratorsGitDirectories
#: ``git``: Applications from the directories or files of a Git repository.
GitGenerator = ApplicationSetSpecGeneratorsGit
#: ``matrix``: every combination of the parameter sets of exactly two generators.
MatrixGenerator = ApplicationSetSpecGeneratorsMatrix
#: ``merge``: parameter sets of the first generator, updated from the others by merge keys.
MergeGenerator = ApplicationSetSpecGeneratorsMerge

register_metadata_check(ApplicationSet)

Generator = ApplicationSetSpecGenerators | ApplicationSetSpecGeneratorsMatrixGenerators
#: The generator types of an entry (Python field names), in the order messages list them.
_TYPES = ("list", "clusters", "git", "scm_provider", "cluster_decision_resource", "pull_request", "plugin", "matrix", "merge")


def generator_type(generator: Generator) -> str:
    """The upstream key of the generator an entry holds (``git``, ``matrix``...); empty when it holds none."""
    kinds = _set_types(generator)
    return kinds[0] if kinds else ""


def _set_types(generator: Generator) -> list[str]:
    return set_fields(generator, _TYPES)


# -- template ------------------------------------------------------------------------------------
@semantic_check(ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata)
def _check_template_meta(meta: ApplicationSetSpecGeneratorsClusterDecisionResourceTemplateMetadata) -> None:
    issues = Issues()
    if meta.name and not skip_check(meta.name, True):
        why = check_name(meta.name, "subdomain")
        if why:
            issues.add(("name",), f"{meta.name!r} {why}; use a valid Application name (or a template expression)", meta.name)
    if meta.namespace and not skip_check(meta.namespace, True):
        why = check_name(meta.namespace, "label")
        if why:
            issues.add(("namespace",), f"{meta.namespace!r} {why}; use a valid namespace name", meta.namespace)
    for key, value in (meta.labels or {}).items():
        if not skip_check(key, True):
            why = check_label_key(key)
            if why:
                issues.add(("labels", key), f"label key {key!r} {why}; use a valid label key", key)
                continue
        if not skip_check(value, True):
            why = check_label_value(value)
            if why:
                issues.add(("labels", key), f"value {value!r} {why}; use a valid label value (or a template expression)", value)
    for loc, message, value in metadata_problems(meta, True):
        issues.add(loc, message, value)
    issues.raise_any("ApplicationSetTemplateMeta")


# -- generators ----------------------------------------------------------------------------------
@semantic_check(ApplicationSetSpecGeneratorsList)
def _check_list(generator: ApplicationSetSpecGeneratorsList) -> None:
    for i, element in enumerate(generator.elements or ()):
        if not isinstance(element, Mapping):
            raise ValueError(f"elements[{i}]: {format_value(element)} is not a mapping; "
                             f"write each element as key: value parameters (cluster: dev)")


@semantic_check(ApplicationSetSpecGeneratorsGit)
def _check_git(generator: ApplicationSetSpecGeneratorsGit) -> None:
    if generator.directories and generator.files:
        raise ValueError("files: both directories and files are set, and Argo CD would use only directories; "
                         "use two git generators (or a matrix) to combine them")
    if not generator.directories and not generator.files:
        raise ValueError("directories: neither directories nor files is set; list directories (one Application per "
                         "directory) or files (parameters read from JSON/YAML files)")
    _check_requeue(generator)


def _check_requeue(generator: ApplicationSetSpecGeneratorsGit | ApplicationSetSpecGeneratorsClusterDecisionResource
                   | ApplicationSetSpecGeneratorsMatrixGeneratorsPlugin) -> None:
    if generator.requeue_after_seconds is not None and generator.requeue_after_seconds < 0:
        raise ValueError(f"requeueAfterSeconds: {generator.requeue_after_seconds} is negative; use 0 or a positive integer")


semantic_check(ApplicationSetSpecGeneratorsClusterDecisionResource)(_check_requeue)
semantic_check(ApplicationSetSpecGeneratorsMatrixGeneratorsPlugin)(_check_requeue)


def _exactly_one(generator: Generator, allowed: tuple[str, ...]) -> None:
    kinds = _set_types(generator)
    if not kinds:
        raise ValueError(f"no generator: the entry sets none of {', '.join(wire_name(type(generator), n) for n in allowed)}; "
                         f"give each generators entry exactly one generator")
    if len(kinds) > 1:
        raise ValueError(f"{kinds[1]}: the entry sets several generators ({', '.join(kinds)}); "
                         f"give each generators entry exactly one (combine them with matrix or merge)")


@semantic_check(ApplicationSetSpecGenerators)
def _check_generator(generator: ApplicationSetSpecGenerators) -> None:
    _exactly_one(generator, _TYPES)


def _check_matrix_count(count: int) -> None:
    if count != 2:
        raise ValueError(f"generators: a matrix combines exactly 2 generators, got {count}; "
                         f"give it two generators (nest another matrix to combine more)")


def _check_merge(count: int, merge_keys: list[str]) -> None:
    if count < 2:
        raise ValueError(f"generators: a merge needs at least 2 generators, got {count}; add the generators to merge")
    if not merge_keys:
        raise ValueError("mergeKeys: is empty; name the parameters that identify a parameter set (such as 'server')")


@semantic_check(ApplicationSetSpecGeneratorsMatrix)
def _check_matrix(matrix: ApplicationSetSpecGeneratorsMatrix) -> None:
    _check_matrix_count(len(matrix.generators))


@semantic_check(ApplicationSetSpecGeneratorsMerge)
def _check_merge_generator(merge: ApplicationSetSpecGeneratorsMerge) -> None:
    _check_merge(len(merge.generators), merge.merge_keys)


@semantic_check(ApplicationSetSpecGeneratorsMatrixGenerators)
def _check_nested_generator(generator: ApplicationSetSpecGeneratorsMatrixGenerators) -> None:
    _exactly_one(generator, _TYPES)
    # The CRD keeps a matrix or merge inside a matrix or merge free-form: check it as the same
    # generated class, and refuse a third level (Argo CD nests combination generators one level only).
    for key, cls in (("matrix", ApplicationSetSpecGeneratorsMatrix), ("merge", ApplicationSetSpecGeneratorsMerge)):
        nested = getattr(generator, key)
        if nested is None:
            continue
        data = nested.model_dump(mode="json", by_alias=True, exclude_unset=True) if isinstance(nested, BaseModel) else nested
        if isinstance(data, Mapping):
            for j, inner in enumerate(data.get("generators") or ()):
                for deeper in ("matrix", "merge"):
                    if isinstance(inner, Mapping) and deeper in inner:
                        raise ValueError(f"{key}.generators[{j}].{deeper}: a {deeper} generator inside a nested matrix or "
                                         f"merge is one level too deep (Argo CD nests combination generators one level only); "
                                         f"flatten the generators")
        try:
            pydantic_validate(cls, data)  # pydantic's error: its locations go under this generator's key
        except ValidationError as exc:
            raise _prefixed(exc, key) from None


def _prefixed(exc: ValidationError, key: str) -> ValidationError:
    from pydantic_core import InitErrorDetails, PydanticCustomError

    items: list[InitErrorDetails] = []
    for item in exc.errors(include_url=False):
        context = {k: v for k, v in (item.get("ctx") or {}).items() if k != "error"}
        context["message"] = item["msg"]
        items.append(InitErrorDetails(type=PydanticCustomError(item["type"], "{message}", context),
                                      loc=(key, *item.get("loc", ())), input=item.get("input")))
    return ValidationError.from_exception_data("ApplicationSetNestedGenerator", items)


# -- spec ----------------------------------------------------------------------------------------
@semantic_check(ApplicationSetSpecIgnoreApplicationDifferences)
def _check_ignore_application_differences(entry: ApplicationSetSpecIgnoreApplicationDifferences) -> None:
    issues = Issues()
    for i, pointer in enumerate(entry.json_pointers or ()):
        why = check_json_pointer(pointer)
        if why:
            issues.add(("jsonPointers", i), f"{pointer!r} {why}; write a JSON pointer such as '/spec/source/targetRevision'",
                       pointer)
    issues.raise_any("ApplicationSetIgnoreDifferences")


_STRATEGY_TYPES = ("AllAtOnce", "RollingSync")


@semantic_check(ApplicationSetSpec)
def _check_spec(spec: ApplicationSetSpec) -> None:
    issues = Issues()
    if not spec.generators:
        issues.add(("generators",), "is empty, so no Application would be generated; add at least one generator", [])
    for i, option in enumerate(spec.go_template_options or ()):
        if option not in GO_TEMPLATE_OPTIONS:
            issues.add(("goTemplateOptions", i), f"{option!r} is not a Go template option; use one of "
                                                 f"{', '.join(GO_TEMPLATE_OPTIONS)}", option)
    if spec.go_template_options and not spec.go_template:
        warnings.warn("spec.goTemplateOptions has no effect without goTemplate: true; set goTemplate: true or remove them",
                      UserWarning, stacklevel=2)
    if spec.template_patch is not None and not spec.go_template:
        issues.add(("templatePatch",), f"templatePatch {format_value(spec.template_patch, 40)} needs Go templates, "
                                       f"but goTemplate is {spec.go_template!r}; set goTemplate: true",
                   spec.template_patch)
    strategy = spec.strategy
    if strategy is not None and strategy.type is not None:
        if strategy.type not in _STRATEGY_TYPES:
            issues.add(("strategy", "type"), f"{format_value(strategy.type)} is not an ApplicationSet strategy; use "
                                             f"{' or '.join(_STRATEGY_TYPES)}", strategy.type)
        elif strategy.type == "RollingSync" and not (strategy.rolling_sync and strategy.rolling_sync.steps):
            rolling: Any = strategy.rolling_sync.dump() if strategy.rolling_sync else None
            issues.add(("strategy", "rollingSync"), "type RollingSync has no rollingSync.steps; list the steps "
                                                    "(matchExpressions on Application labels, optional maxUpdate)", rolling)
    issues.raise_any("ApplicationSetSpec")
