"""Argo Workflows (``argoproj.io/v1alpha1``): WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Workflow.

Argo Workflows shares the ``argoproj.io`` group with Argo CD and Argo Rollouts; its kinds are
grouped here by upstream project. A workflow is a list of templates (containers, scripts,
steps, DAGs, Kubernetes resources, suspensions) and an ``entrypoint`` naming the first one.
A WorkflowTemplate keeps such a spec in the cluster for Workflows and CronWorkflows to
reference (``workflowTemplateRef``) or to borrow templates from (``templateRef``)::

    ci = WorkflowTemplate.build(metadata={"name": "ci", "namespace": "argo"}, spec={
        "entrypoint": "main",
        "arguments": {"parameters": [{"name": "revision", "value": "main"}]},
        "templates": [
            {"name": "main", "steps": [[{"name": "test", "template": "test"}],
                                       [{"name": "build-api", "template": "build"},
                                        {"name": "build-web", "template": "build"}]]},
            {"name": "test", "container": {"image": "golang:1.24", "command": ["go", "test", "./..."]}},
            {"name": "build", "container": {"image": "moby/buildkit:v0.23.0"}},
        ]})
    nightly = CronWorkflow.build(metadata={"name": "ci-nightly", "namespace": "argo"}, spec={
        "schedules": ["0 2 * * *"], "timezone": "Etc/UTC",
        "workflowSpec": {"workflowTemplateRef": {"name": "ci"}}})

Validation follows Argo's workflow linter: template, step and task names (letters, digits
and ``-``, at most 128 characters) unique; one template type per template; ``entrypoint``,
``onExit`` and every step or task ``template`` name a template of the spec (``templateRef``
points elsewhere and is checked across objects at synth); each step or task references
exactly one template and loops in one way; DAG ``dependencies``/``depends`` name tasks of
the DAG, without cycles, and not both on one task; required inputs of a referenced
template are supplied; parameter and artifact names unique and well formed, values inside
``enum``; volume names unique; CronWorkflow schedules are five-field cron expressions
(``schedule`` or ``schedules``), ``timezone`` an IANA zone, names at most 52 characters.

Containers and script templates use the typed Kubernetes models (the container ``name`` is
optional here); volumes, claim templates and tolerations too. Kept as given: retry
strategies, artifact repositories, metrics, synchronization, hooks, ``containerSet``,
``data``, ``http``, ``plugin`` templates, affinity and executor settings.
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.errors import Problem
from ..core.fields import DNSLabel, IntOrString, Issues
from ..core.model import K8sModel, ObjectMeta, Resource
from ..core.validation import ObjectIndex, add_global_check
from ..kube import (
    Container,
    EmbeddedPersistentVolumeClaim,
    LabelSelector,
    LocalObjectReference,
    PodSecurityContext,
    Toleration,
    Volume,
)
from ._cron import cron_problem

__all__ = [
    "Arguments",
    "Artifact",
    "ClusterWorkflowTemplate",
    "ContinueOn",
    "CronWorkflow",
    "CronWorkflowSpec",
    "DAGTask",
    "DAGTemplate",
    "Inputs",
    "Outputs",
    "Parameter",
    "PodGC",
    "ResourceTemplate",
    "ScriptTemplate",
    "Sequence",
    "SuspendTemplate",
    "TTLStrategy",
    "Template",
    "TemplateMetadata",
    "TemplateRef",
    "Workflow",
    "WorkflowContainer",
    "WorkflowSpec",
    "WorkflowStep",
    "WorkflowTemplate",
    "WorkflowTemplateRef",
    "workflow_template_refs",
]

GROUP = "argoproj.io"
VERSION = f"{GROUP}/v1alpha1"

_FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_FIELD_MAX = 128
_PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")
_DEPENDS_NAME = re.compile(r"([a-zA-Z0-9][-a-zA-Z0-9]*?)\.(?:[A-Z][a-zA-Z]+)|([a-zA-Z0-9][-a-zA-Z0-9]*)")
_CRON_NAME_MAX = 52
_TEMPLATE_TYPES = ("container", "script", "steps", "dag", "resource", "suspend", "containerSet", "data", "http", "plugin")


def _field_name_problem(name: str) -> str | None:
    if len(name) > _FIELD_MAX:
        return f"is {len(name)} characters, above {_FIELD_MAX}"
    if not _FIELD_NAME.match(name):
        return "is not a valid name (letters, digits and '-', starting with a letter or digit)"
    return None


def _placeholder(text: str) -> bool:
    return "{{" in text


# =====================================================================================
# Parameters, artifacts, arguments
# =====================================================================================
class Parameter(K8sModel):
    """A parameter (workflow arguments, template inputs and outputs, step arguments).

    Attributes:
        name: ``name``: letters, digits, ``-`` and ``_``. Required.
        value: ``value``: a string; may use ``{{...}}`` expressions. Default: none (given at submission or by
            ``default``).
        default: ``default`` when no value is given. Default: none.
        enum: ``enum``: the allowed values (the UI offers them); ``value`` must be one of them. Default: none.
        description: ``description``. Default: none.
        global_name: ``globalName``: also export the parameter as ``{{workflow.outputs.parameters.<name>}}``.
            Default: none.
        value_from: ``valueFrom`` (output parameters: ``path``, ``jsonPath``, ``expression``...), kept as given.
            Default: none.
    """

    name: str
    value: str | None = None
    default: str | None = None
    enum: list[str] | None = None
    description: str | None = None
    global_name: str | None = None
    value_from: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not _PARAM_NAME.match(self.name):
            raise ValueError(f"name: {self.name!r} is not a parameter name; use letters, digits, '-' and '_' "
                             f"such as 'git-revision'")
        if self.enum is not None:
            if not self.enum:
                raise ValueError(f"enum: parameter {self.name!r} has an empty enum; list the allowed values or remove enum")
            if self.value is not None and not _placeholder(self.value) and self.value not in self.enum:
                raise ValueError(f"value: {self.value!r} of parameter {self.name!r} is not in its enum {self.enum!r}; "
                                 f"use one of the listed values")
        return self


class Artifact(K8sModel):
    """An artifact (inputs, outputs, step arguments).

    Attributes:
        name: ``name``: letters, digits, ``-`` and ``_``. Required.
        path: ``path`` in the container. Default: none.
        from_: ``from``: take the artifact from a step's output (``{{steps.gen.outputs.artifacts.out}}``). Default: none.
        from_expression: ``fromExpression``. Default: none.
        global_name: ``globalName``. Default: none.
        mode: ``mode``: file mode bits. Default: none.
        optional: ``optional``: do not fail when missing. Default: none (false).
        sub_path: ``subPath`` inside the artifact. Default: none.
        recurse_mode: ``recurseMode``. Default: none.
        archive_logs: ``archiveLogs``. Default: none.
        deleted: ``deleted``. Default: none.
        archive: ``archive`` (``none``, ``tar``, ``zip``), kept as given. Default: none (tar.gz).
        artifact_gc: ``artifactGC``, kept as given. Default: none.
        artifactory: ``artifactory`` location, kept as given. Default: none.
        azure: ``azure`` location, kept as given. Default: none.
        gcs: ``gcs`` location, kept as given. Default: none.
        git: ``git`` repository (``repo``, ``revision``), kept as given. Default: none.
        hdfs: ``hdfs`` location, kept as given. Default: none.
        http: ``http`` URL, kept as given. Default: none.
        oss: ``oss`` location, kept as given. Default: none.
        raw: ``raw`` inline data, kept as given. Default: none.
        s3: ``s3`` location, kept as given. Default: none (the artifact repository).
    """

    name: str
    path: str | None = None
    from_: str | None = None
    from_expression: str | None = None
    global_name: str | None = None
    mode: int | None = None
    optional: bool | None = None
    sub_path: str | None = None
    recurse_mode: bool | None = None
    archive_logs: bool | None = None
    deleted: bool | None = None
    archive: dict[str, Any] | None = None
    artifact_gc: dict[str, Any] | None = Field(default=None, alias="artifactGC")
    artifactory: dict[str, Any] | None = None
    azure: dict[str, Any] | None = None
    gcs: dict[str, Any] | None = None
    git: dict[str, Any] | None = None
    hdfs: dict[str, Any] | None = None
    http: dict[str, Any] | None = None
    oss: dict[str, Any] | None = None
    raw: dict[str, Any] | None = None
    s3: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not _PARAM_NAME.match(self.name):
            raise ValueError(f"name: {self.name!r} is not an artifact name; use letters, digits, '-' and '_'")
        return self


def _unique_names(items: Iterable[Parameter | Artifact] | None, key: str) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        if item.name in seen:
            raise ValueError(f"{key}[{i}].name: {item.name!r} is already used by {key}[{seen[item.name]}]; give every "
                             f"{key[:-1]} a unique name")
        seen[item.name] = i


class Arguments(K8sModel):
    """``arguments``: values passed to a workflow or to a step's template.

    Attributes:
        parameters: ``parameters``: see :class:`Parameter`; names unique. Default: none.
        artifacts: ``artifacts``: see :class:`Artifact`; names unique. Default: none.
    """

    parameters: list[Parameter] | None = None
    artifacts: list[Artifact] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique_names(self.parameters, "parameters")
        _unique_names(self.artifacts, "artifacts")
        return self


class Inputs(Arguments):
    """``inputs`` of a template: the parameters and artifacts it takes.

    A parameter without ``value``, ``default`` or ``valueFrom`` is required: every step or task
    that uses the template must supply it in its ``arguments``.

    Attributes:
        parameters: ``parameters``; names unique. Default: none.
        artifacts: ``artifacts``; names unique. Default: none.
    """


class Outputs(K8sModel):
    """``outputs`` of a template.

    Attributes:
        parameters: ``parameters`` (with ``valueFrom``); names unique. Default: none.
        artifacts: ``artifacts`` (with ``path``); names unique. Default: none.
        result: ``result`` (set by Argo), kept as given. Default: none.
        exit_code: ``exitCode`` (set by Argo), kept as given. Default: none.
    """

    parameters: list[Parameter] | None = None
    artifacts: list[Artifact] | None = None
    result: str | None = None
    exit_code: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique_names(self.parameters, "parameters")
        _unique_names(self.artifacts, "artifacts")
        return self


# =====================================================================================
# Steps and DAG tasks
# =====================================================================================
class TemplateRef(K8sModel):
    """``templateRef``: a template of a WorkflowTemplate (or ClusterWorkflowTemplate) in the cluster.

    Attributes:
        name: ``name`` of the WorkflowTemplate. Required.
        template: ``template``: the template's name inside it. Required.
        cluster_scope: ``clusterScope``: refer to a ClusterWorkflowTemplate. Default: none (false).
    """

    name: str
    template: str
    cluster_scope: bool | None = None


class ContinueOn(K8sModel):
    """``continueOn``: keep going when the step or task fails.

    Attributes:
        error: ``error``. Default: none (false).
        failed: ``failed``. Default: none (false).
    """

    error: bool | None = None
    failed: bool | None = None


class Sequence(K8sModel):
    """``withSequence``: loop over numbers.

    Attributes:
        count: ``count`` of numbers (from ``start``). Default: none.
        start: ``start``. Default: none (0).
        end: ``end`` (inclusive); not with ``count``. Default: none.
        format: ``format``: printf format of each number. Default: none.
    """

    count: IntOrString | None = None
    start: IntOrString | None = None
    end: IntOrString | None = None
    format: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.count is not None and self.end is not None:
            raise ValueError(f"end: {self.end!r} is set together with count {self.count!r}; use count or end")
        return self


class _Invocation(K8sModel):
    """Fields shared by steps and DAG tasks."""

    name: str
    template: str | None = None
    template_ref: TemplateRef | None = None
    inline: dict[str, Any] | None = None
    arguments: Arguments | None = None
    when: str | None = None
    with_items: list[Any] | None = None
    with_param: str | None = None
    with_sequence: Sequence | None = None
    continue_on: ContinueOn | None = None
    hooks: dict[str, Any] | None = None
    on_exit: str | None = None

    @model_validator(mode="after")
    def _check_invocation(self) -> Self:
        why = _field_name_problem(self.name)
        if why:
            raise ValueError(f"name: {self.name!r} {why}; use a name such as 'build-image'")
        refs = [key for key, value in (("template", self.template), ("templateRef", self.template_ref),
                                       ("inline", self.inline)) if value is not None]
        if not refs:
            raise ValueError(f"template: {self.name!r} references no template; give template (a template of this spec), "
                             f"templateRef or inline")
        if len(refs) > 1:
            raise ValueError(f"{refs[1]}: {self.name!r} sets both {refs[0]} and {refs[1]}; reference one template")
        loops = [key for key, value in (("withItems", self.with_items), ("withParam", self.with_param),
                                        ("withSequence", self.with_sequence)) if value is not None]
        if len(loops) > 1:
            raise ValueError(f"{loops[1]}: {self.name!r} loops with both {loops[0]} and {loops[1]}; use one of them")
        return self

    @property
    def referenced_template(self) -> str | None:
        """The local template this step or task runs (None for ``templateRef``/``inline``)."""
        return self.template


class WorkflowStep(_Invocation):
    """One step of a ``steps`` template (steps in one inner list run in parallel).

    Attributes:
        name: ``name``: letters, digits and ``-``, at most 128 characters. Required.
        template: ``template``: a template of this spec; one of ``template``, ``templateRef``, ``inline``.
            Default: none.
        template_ref: ``templateRef``: see :class:`TemplateRef`. Default: none.
        inline: ``inline``: a template written in place, kept as given. Default: none.
        arguments: ``arguments``: values for the template's inputs, see :class:`Arguments`. Default: none.
        when: ``when``: run only if this expression is true (``{{workflow.status}} == Succeeded``). Default: none.
        with_items: ``withItems``: run once per item (strings, numbers or maps), kept as given. Default: none.
        with_param: ``withParam``: run once per element of a JSON list. Default: none.
        with_sequence: ``withSequence``: see :class:`Sequence`. Default: none.
        continue_on: ``continueOn``: see :class:`ContinueOn`. Default: none.
        hooks: ``hooks`` (lifecycle hooks), kept as given. Default: none.
        on_exit: ``onExit`` (deprecated upstream; use hooks), a template name. Default: none.
    """


class DAGTask(_Invocation):
    """One task of a ``dag`` template.

    Attributes:
        name: ``name``: letters, digits and ``-``, at most 128 characters; unique in the DAG. Required.
        template: ``template``: a template of this spec; one of ``template``, ``templateRef``, ``inline``.
            Default: none.
        template_ref: ``templateRef``: see :class:`TemplateRef`. Default: none.
        inline: ``inline``, kept as given. Default: none.
        arguments: ``arguments``: see :class:`Arguments`. Default: none.
        dependencies: ``dependencies``: tasks that must succeed first; not with ``depends``. Default: none.
        depends: ``depends``: an expression over other tasks (``A && (B.Succeeded || C.Failed)``). Default: none.
        when: ``when``. Default: none.
        with_items: ``withItems``, kept as given. Default: none.
        with_param: ``withParam``. Default: none.
        with_sequence: ``withSequence``: see :class:`Sequence`. Default: none.
        continue_on: ``continueOn``: see :class:`ContinueOn`. Default: none.
        hooks: ``hooks``, kept as given. Default: none.
        on_exit: ``onExit`` (deprecated upstream), a template name. Default: none.
    """

    dependencies: list[str] | None = None
    depends: str | None = None

    @model_validator(mode="after")
    def _check_dependencies(self) -> Self:
        if self.dependencies is not None and self.depends is not None:
            raise ValueError(f"depends: task {self.name!r} sets both dependencies and depends; use depends (or dependencies)")
        return self

    def needs(self) -> list[str]:
        """The task names this task waits for (from ``dependencies`` or ``depends``)."""
        if self.depends is not None:
            names: list[str] = []
            for dotted, plain in _DEPENDS_NAME.findall(self.depends):
                name = dotted or plain
                if name not in names:
                    names.append(name)
            return names
        return list(self.dependencies or [])


class DAGTemplate(K8sModel):
    """``dag``: tasks run as soon as their dependencies are done.

    Attributes:
        tasks: ``tasks``: see :class:`DAGTask`; names unique, dependencies name tasks of this DAG, no cycles.
            Required.
        target: ``target``: run only these tasks (space-separated) and their dependencies. Default: none (all).
        fail_fast: ``failFast``: stop scheduling new tasks after a failure. Default: none (true).
    """

    tasks: list[DAGTask]
    target: str | None = None
    fail_fast: bool | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        index: dict[str, int] = {}
        for i, task in enumerate(self.tasks):
            if task.name in index:
                issues.add(("tasks", i, "name"), f"{task.name!r} is already used by tasks[{index[task.name]}]; give every "
                                                 f"task a unique name", task.name)
            index.setdefault(task.name, i)
        known = ", ".join(index)
        for i, task in enumerate(self.tasks):
            field = "depends" if task.depends is not None else "dependencies"
            for name in task.needs():
                if name not in index:
                    issues.add(("tasks", i, field), f"task {task.name!r} depends on {name!r}, which is not a task of this "
                                                    f"DAG (tasks: {known}); fix the task name", name)
        if not issues:
            cycle = self._cycle(index)
            if cycle:
                first = index[cycle[0]]
                issues.add(("tasks", first, "depends" if self.tasks[first].depends is not None else "dependencies"),
                           f"the tasks depend on each other in a cycle ({' -> '.join(cycle)}); remove one of these "
                           f"dependencies", cycle[0])
        for name in (self.target or "").split():
            if name not in index and not _placeholder(name):
                issues.add(("target",), f"{name!r} is not a task of this DAG (tasks: {known}); name existing tasks", name)
        issues.raise_any("DAGTemplate")
        return self

    def _cycle(self, index: dict[str, int]) -> list[str] | None:
        state: dict[str, int] = {}
        path: list[str] = []

        def visit(name: str) -> list[str] | None:
            state[name] = 1
            path.append(name)
            for dep in self.tasks[index[name]].needs():
                if state.get(dep) == 1:
                    return path[path.index(dep):] + [dep]
                if dep not in state:
                    found = visit(dep)
                    if found:
                        return found
            path.pop()
            state[name] = 2
            return None

        for task in self.tasks:
            if task.name not in state:
                found = visit(task.name)
                if found:
                    return found
        return None


# =====================================================================================
# Templates
# =====================================================================================
class WorkflowContainer(Container):
    """``container`` of a template: a Kubernetes container whose ``name`` is optional (Argo names it ``main``).

    Every other field is as in :class:`cdk8s_gitops.kube.Container`.

    Attributes:
        name: ``name``. Default: none (``main``).
    """

    name: DNSLabel | None = None  # type: ignore[assignment]  # optional here, unlike in a pod's container


class ScriptTemplate(WorkflowContainer):
    """``script``: a container that runs ``source`` with its ``command`` (``python``, ``bash``...).

    Attributes:
        source: ``source``: the script. Required.
        name: ``name``. Default: none (``main``).
    """

    source: str


class ResourceTemplate(K8sModel):
    """``resource``: create, apply, patch, get or delete a Kubernetes object.

    Attributes:
        action: ``action``: ``get``, ``create``, ``apply``, ``delete``, ``replace`` or ``patch``. Required.
        manifest: ``manifest``: the object as YAML; one of ``manifest`` and ``manifestFrom`` (not for ``get``
            and ``delete`` with flags). Default: none.
        manifest_from: ``manifestFrom``: the object from an input artifact, kept as given. Default: none.
        merge_strategy: ``mergeStrategy`` for ``patch``: ``strategic``, ``merge`` or ``json``. Default: none (``strategic``).
        success_condition: ``successCondition`` (label-selector syntax over the object). Default: none.
        failure_condition: ``failureCondition``. Default: none.
        set_owner_reference: ``setOwnerReference``: the Workflow owns the object. Default: none (false).
        flags: ``flags``: extra ``kubectl`` arguments. Default: none.
    """

    action: str
    manifest: str | None = None
    manifest_from: dict[str, Any] | None = None
    merge_strategy: Literal["strategic", "merge", "json"] | None = None
    success_condition: str | None = None
    failure_condition: str | None = None
    set_owner_reference: bool | None = None
    flags: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        actions = ("get", "create", "apply", "delete", "replace", "patch")
        if not _placeholder(self.action) and self.action not in actions:
            raise ValueError(f"action: {self.action!r} is not a resource action; use one of {', '.join(actions)}")
        if self.manifest is not None and self.manifest_from is not None:
            raise ValueError("manifestFrom: is set together with manifest; give the object one way")
        if self.action not in ("get", "delete") and self.manifest is None and self.manifest_from is None:
            raise ValueError(f"manifest: is not set for action {self.action!r}; give the object as manifest (YAML) or "
                             f"manifestFrom")
        return self


class SuspendTemplate(K8sModel):
    """``suspend``: pause the workflow until resumed or for a duration.

    Attributes:
        duration: ``duration``: seconds (``"30"``) or a Go duration (``"5m"``). Default: none (until resumed).
    """

    duration: str | None = None


class TemplateMetadata(K8sModel):
    """``metadata`` of a template (and ``podMetadata`` of a spec): put on the pods.

    Attributes:
        labels: ``labels``. Default: none.
        annotations: ``annotations``. Default: none.
    """

    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None


class Template(K8sModel):
    """One ``templates`` entry: exactly one of container, script, steps, dag, resource, suspend (or
    containerSet, data, http, plugin).

    Attributes:
        name: ``name``: letters, digits and ``-``, at most 128 characters; unique in the spec. Required.
        inputs: ``inputs``: see :class:`Inputs`. Default: none.
        outputs: ``outputs``: see :class:`Outputs`. Default: none.
        container: ``container``: see :class:`WorkflowContainer`. Default: none.
        script: ``script``: see :class:`ScriptTemplate`. Default: none.
        steps: ``steps``: a list of parallel groups of :class:`WorkflowStep` (``- - name: a``). Default: none.
        dag: ``dag``: see :class:`DAGTemplate`. Default: none.
        resource: ``resource``: see :class:`ResourceTemplate`. Default: none.
        suspend: ``suspend``: see :class:`SuspendTemplate` (``{}`` to wait for a resume). Default: none.
        container_set: ``containerSet``, kept as given. Default: none.
        data: ``data``, kept as given. Default: none.
        http: ``http``, kept as given. Default: none.
        plugin: ``plugin``, kept as given. Default: none.
        metadata: ``metadata``: see :class:`TemplateMetadata`. Default: none.
        volumes: ``volumes`` of this template's pod. Default: none.
        init_containers: ``initContainers``, kept as given. Default: none.
        sidecars: ``sidecars``, kept as given. Default: none.
        retry_strategy: ``retryStrategy`` (``limit``, ``retryPolicy``, ``backoff``), kept as given. Default: none.
        active_deadline_seconds: ``activeDeadlineSeconds``: an integer or an expression. Default: none.
        timeout: ``timeout``: a Go duration for the template. Default: none.
        node_selector: ``nodeSelector``. Default: none.
        tolerations: ``tolerations``. Default: none.
        affinity: ``affinity``, kept as given. Default: none.
        security_context: ``securityContext`` of the pod. Default: none.
        service_account_name: ``serviceAccountName``. Default: none (the workflow's).
        automount_service_account_token: ``automountServiceAccountToken``. Default: none.
        priority_class_name: ``priorityClassName``. Default: none.
        scheduler_name: ``schedulerName``. Default: none.
        parallelism: ``parallelism``: at most this many pods of this template at once. Default: none.
        fail_fast: ``failFast``. Default: none.
        daemon: ``daemon``: keep the container running for later steps. Default: none (false).
        memoize: ``memoize``, kept as given. Default: none.
        metrics: ``metrics``, kept as given. Default: none.
        synchronization: ``synchronization`` (mutexes, semaphores), kept as given. Default: none.
        archive_location: ``archiveLocation``, kept as given. Default: none.
        executor: ``executor``, kept as given. Default: none.
        host_aliases: ``hostAliases``, kept as given. Default: none.
        pod_spec_patch: ``podSpecPatch``: a JSON/YAML patch of the pod spec. Default: none.
        annotations: ``annotations`` (deprecated upstream; use ``metadata``). Default: none.
    """

    name: str
    inputs: Inputs | None = None
    outputs: Outputs | None = None
    container: WorkflowContainer | None = None
    script: ScriptTemplate | None = None
    steps: list[list[WorkflowStep]] | None = None
    dag: DAGTemplate | None = None
    resource: ResourceTemplate | None = None
    suspend: SuspendTemplate | None = None
    container_set: dict[str, Any] | None = None
    data: dict[str, Any] | None = None
    http: dict[str, Any] | None = None
    plugin: dict[str, Any] | None = None
    metadata: TemplateMetadata | None = None
    volumes: list[Volume] | None = None
    init_containers: list[dict[str, Any]] | None = None
    sidecars: list[dict[str, Any]] | None = None
    retry_strategy: dict[str, Any] | None = None
    active_deadline_seconds: IntOrString | None = None
    timeout: str | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: dict[str, Any] | None = None
    security_context: PodSecurityContext | None = None
    service_account_name: str | None = None
    automount_service_account_token: bool | None = None
    priority_class_name: str | None = None
    scheduler_name: str | None = None
    parallelism: int | None = None
    fail_fast: bool | None = None
    daemon: bool | None = None
    memoize: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    synchronization: dict[str, Any] | None = None
    archive_location: dict[str, Any] | None = None
    executor: dict[str, Any] | None = None
    host_aliases: list[dict[str, Any]] | None = None
    pod_spec_patch: str | None = None
    annotations: dict[str, str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        why = _field_name_problem(self.name)
        if why:
            raise ValueError(f"name: {self.name!r} {why}; use a name such as 'build-image'")
        types = self.template_types()
        if not types:
            raise ValueError(f"template {self.name!r} has no template type; give one of {', '.join(_TEMPLATE_TYPES)}")
        if len(types) > 1:
            raise ValueError(f"{types[1]}: template {self.name!r} has several types ({', '.join(types)}); give each "
                             f"template exactly one (split it into several templates)")
        for i, group in enumerate(self.steps or []):
            seen: dict[str, int] = {}
            for j, step in enumerate(group):
                if step.name in seen:
                    raise ValueError(f"steps[{i}][{j}].name: {step.name!r} is already used by steps[{i}][{seen[step.name]}]; "
                                     f"give parallel steps distinct names")
                seen[step.name] = j
        return self

    def template_types(self) -> list[str]:
        """The template types set (upstream keys), normally exactly one."""
        fields = type(self).model_fields
        names = ("container", "script", "steps", "dag", "resource", "suspend", "container_set", "data", "http", "plugin")
        return [fields[n].alias or n for n in names if getattr(self, n) is not None]

    def invocations(self) -> Iterator[tuple[tuple[str | int, ...], _Invocation]]:
        """Every step and DAG task with its location inside this template."""
        for i, group in enumerate(self.steps or []):
            for j, step in enumerate(group):
                yield ("steps", i, j), step
        for i, task in enumerate(self.dag.tasks if self.dag else []):
            yield ("dag", "tasks", i), task

    def required_inputs(self) -> list[str]:
        """Input parameters without ``value``, ``default`` or ``valueFrom``: callers must supply them."""
        return [p.name for p in (self.inputs.parameters if self.inputs else None) or []
                if p.value is None and p.default is None and p.value_from is None]


# =====================================================================================
# Workflow spec
# =====================================================================================
class PodGC(K8sModel):
    """``podGC``: when finished pods are deleted.

    Attributes:
        strategy: ``strategy``: ``OnPodCompletion``, ``OnPodSuccess``, ``OnWorkflowCompletion`` or
            ``OnWorkflowSuccess``. Default: none (pods are kept).
        label_selector: ``labelSelector``: only pods matching it. Default: none (all).
        delete_delay_duration: ``deleteDelayDuration``: wait this long (Go duration) before deleting. Default: none.
    """

    strategy: Literal["", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"] | None = None
    label_selector: LabelSelector | None = None
    delete_delay_duration: str | None = None


class TTLStrategy(K8sModel):
    """``ttlStrategy``: delete the Workflow some time after it finished.

    Attributes:
        seconds_after_completion: ``secondsAfterCompletion``. Default: none (kept).
        seconds_after_success: ``secondsAfterSuccess``. Default: none.
        seconds_after_failure: ``secondsAfterFailure``. Default: none.
    """

    seconds_after_completion: int | None = None
    seconds_after_success: int | None = None
    seconds_after_failure: int | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        for key, value in (("secondsAfterCompletion", self.seconds_after_completion),
                           ("secondsAfterSuccess", self.seconds_after_success),
                           ("secondsAfterFailure", self.seconds_after_failure)):
            if value is not None and value < 0:
                raise ValueError(f"{key}: {value} is negative; use 0 or more seconds")
        return self


class WorkflowTemplateRef(K8sModel):
    """``workflowTemplateRef``: run the spec of a WorkflowTemplate (or ClusterWorkflowTemplate).

    Attributes:
        name: ``name`` of the WorkflowTemplate (same namespace). Required.
        cluster_scope: ``clusterScope``: refer to a ClusterWorkflowTemplate. Default: none (false).
    """

    name: str
    cluster_scope: bool | None = None


class WorkflowSpec(K8sModel):
    """The spec of a Workflow, WorkflowTemplate or ClusterWorkflowTemplate (``workflowSpec`` of a CronWorkflow).

    Attributes:
        entrypoint: ``entrypoint``: the template to start with; names a template of ``templates``. Default: none
            (required to run, unless ``workflowTemplateRef`` supplies it).
        arguments: ``arguments``: workflow parameters (``{{workflow.parameters.<name>}}``) and artifacts, see
            :class:`Arguments`. Default: none.
        templates: ``templates``: see :class:`Template`; names unique. Default: none.
        workflow_template_ref: ``workflowTemplateRef``: see :class:`WorkflowTemplateRef`; not with ``templates``.
            Default: none.
        on_exit: ``onExit``: a template run when the workflow ends. Default: none.
        service_account_name: ``serviceAccountName`` of the pods. Default: none (the namespace's ``default``).
        volume_claim_templates: ``volumeClaimTemplates``: claims created per workflow (shared by its steps).
            Default: none.
        volumes: ``volumes`` of every pod; names unique together with the claim templates. Default: none.
        pod_gc: ``podGC``: see :class:`PodGC`. Default: none.
        ttl_strategy: ``ttlStrategy``: see :class:`TTLStrategy`. Default: none.
        parallelism: ``parallelism``: pods running at once. Default: none (no limit).
        active_deadline_seconds: ``activeDeadlineSeconds`` for the whole workflow. Default: none.
        priority: ``priority``. Default: none.
        suspend: ``suspend``: start suspended. Default: none (false).
        shutdown: ``shutdown``: ``Terminate`` or ``Stop``. Default: none.
        pod_metadata: ``podMetadata``: see :class:`TemplateMetadata`. Default: none.
        node_selector: ``nodeSelector`` of every pod. Default: none.
        tolerations: ``tolerations`` of every pod. Default: none.
        affinity: ``affinity``, kept as given. Default: none.
        security_context: ``securityContext`` of every pod. Default: none.
        image_pull_secrets: ``imagePullSecrets``. Default: none.
        automount_service_account_token: ``automountServiceAccountToken``. Default: none.
        host_network: ``hostNetwork``. Default: none.
        dns_policy: ``dnsPolicy``. Default: none.
        dns_config: ``dnsConfig``, kept as given. Default: none.
        host_aliases: ``hostAliases``, kept as given. Default: none.
        scheduler_name: ``schedulerName``. Default: none.
        pod_priority_class_name: ``podPriorityClassName``. Default: none.
        pod_spec_patch: ``podSpecPatch``. Default: none.
        pod_disruption_budget: ``podDisruptionBudget``, kept as given. Default: none.
        retry_strategy: ``retryStrategy`` default for every template, kept as given. Default: none.
        template_defaults: ``templateDefaults``, kept as given. Default: none.
        archive_logs: ``archiveLogs``. Default: none.
        artifact_repository_ref: ``artifactRepositoryRef``, kept as given. Default: none.
        artifact_gc: ``artifactGC``, kept as given. Default: none.
        volume_claim_gc: ``volumeClaimGC``, kept as given. Default: none.
        executor: ``executor``, kept as given. Default: none.
        hooks: ``hooks``, kept as given. Default: none.
        metrics: ``metrics``, kept as given. Default: none.
        synchronization: ``synchronization``, kept as given. Default: none.
        workflow_metadata: ``workflowMetadata``, kept as given. Default: none.
    """

    entrypoint: str | None = None
    arguments: Arguments | None = None
    templates: list[Template] | None = None
    workflow_template_ref: WorkflowTemplateRef | None = None
    on_exit: str | None = None
    service_account_name: str | None = None
    volume_claim_templates: list[EmbeddedPersistentVolumeClaim] | None = None
    volumes: list[Volume] | None = None
    pod_gc: PodGC | None = Field(default=None, alias="podGC")
    ttl_strategy: TTLStrategy | None = None
    parallelism: int | None = None
    active_deadline_seconds: int | None = None
    priority: int | None = None
    suspend: bool | None = None
    shutdown: str | None = None
    pod_metadata: TemplateMetadata | None = None
    node_selector: dict[str, str] | None = None
    tolerations: list[Toleration] | None = None
    affinity: dict[str, Any] | None = None
    security_context: PodSecurityContext | None = None
    image_pull_secrets: list[LocalObjectReference] | None = None
    automount_service_account_token: bool | None = None
    host_network: bool | None = None
    dns_policy: str | None = None
    dns_config: dict[str, Any] | None = None
    host_aliases: list[dict[str, Any]] | None = None
    scheduler_name: str | None = None
    pod_priority_class_name: str | None = None
    pod_spec_patch: str | None = None
    pod_disruption_budget: dict[str, Any] | None = None
    retry_strategy: dict[str, Any] | None = None
    template_defaults: dict[str, Any] | None = None
    archive_logs: bool | None = None
    artifact_repository_ref: dict[str, Any] | None = None
    artifact_gc: dict[str, Any] | None = Field(default=None, alias="artifactGC")
    volume_claim_gc: dict[str, Any] | None = None
    executor: dict[str, Any] | None = None
    hooks: dict[str, Any] | None = None
    metrics: dict[str, Any] | None = None
    synchronization: dict[str, Any] | None = None
    workflow_metadata: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        templates: dict[str, int] = {}
        for i, template in enumerate(self.templates or []):
            if template.name in templates:
                issues.add(("templates", i, "name"), f"{template.name!r} is already used by templates[{templates[template.name]}]; "
                                                     f"give every template a unique name", template.name)
            templates.setdefault(template.name, i)
        known = ", ".join(templates) or "none"
        if self.workflow_template_ref is not None and self.templates:
            issues.add(("templates",), f"are set together with workflowTemplateRef {self.workflow_template_ref.name!r}; the "
                                       f"referenced template supplies the templates, remove them here")
        local = self.workflow_template_ref is None
        for key, value in (("entrypoint", self.entrypoint), ("onExit", self.on_exit)):
            if value and local and not _placeholder(value) and value not in templates:
                issues.add((key,), f"{value!r} is not a template of this spec (templates: {known}); name one of them or "
                                   f"add the template", value)
        for i, template in enumerate(self.templates or []):
            for loc, call in template.invocations():
                self._check_call(issues, ("templates", i, *loc), call, templates, known)
        volumes: dict[str, str] = {}
        for i, claim in enumerate(self.volume_claim_templates or []):
            name = claim.metadata.name if claim.metadata else None
            if name:
                volumes.setdefault(name, f"volumeClaimTemplates[{i}]")
        for i, volume in enumerate(self.volumes or []):
            if volume.name in volumes:
                issues.add(("volumes", i, "name"), f"{volume.name!r} is already used by {volumes[volume.name]}; give every "
                                                   f"volume a unique name", volume.name)
            volumes.setdefault(volume.name, f"volumes[{i}]")
        if self.parallelism is not None and self.parallelism < 0:
            issues.add(("parallelism",), f"{self.parallelism} is negative; use 0 or more", self.parallelism)
        issues.raise_any("WorkflowSpec")
        return self

    def _check_call(self, issues: Issues, loc: tuple[str | int, ...], call: _Invocation, templates: dict[str, int],
                    known: str) -> None:
        name = call.template
        if name is None or _placeholder(name):
            return
        if name not in templates:
            issues.add((*loc, "template"), f"step {call.name!r} runs template {name!r}, which is not a template of this spec "
                                           f"(templates: {known}); fix the name, or use templateRef for a template of "
                                           f"another WorkflowTemplate", name)
            return
        target = self.templates[templates[name]]  # type: ignore[index]  # the name was found in them
        given = {p.name for p in (call.arguments.parameters if call.arguments else None) or []}
        for missing in (p for p in target.required_inputs() if p not in given):
            issues.add((*loc, "arguments"), f"step {call.name!r} does not supply input parameter {missing!r} of template "
                                            f"{name!r}; add it to arguments.parameters (or give the input a default)",
                       missing)
        if call.on_exit and not _placeholder(call.on_exit) and call.on_exit not in templates:
            issues.add((*loc, "onExit"), f"{call.on_exit!r} is not a template of this spec (templates: {known})",
                       call.on_exit)

    def template(self, name: str) -> Template | None:
        """The template called ``name``, or None."""
        return next((t for t in self.templates or [] if t.name == name), None)


def _runnable(spec: WorkflowSpec, prefix: tuple[str, ...]) -> Issues:
    """Checks for a spec that is run as it is (Workflow, CronWorkflow): an entrypoint and argument values."""
    issues = Issues()
    if spec.workflow_template_ref is None and not spec.entrypoint:
        issues.add((*prefix, "entrypoint"), "is not set; name the template to start with, or use workflowTemplateRef")
    for i, param in enumerate((spec.arguments.parameters if spec.arguments else None) or []):
        if param.value is None and param.value_from is None and param.default is None:
            issues.add((*prefix, "arguments", "parameters", i, "value"), f"parameter {param.name!r} has no value; give "
                                                                        f"value (or valueFrom)", param.name)
    return issues


# =====================================================================================
# Kinds
# =====================================================================================
class WorkflowTemplate(Resource):
    """An Argo Workflows WorkflowTemplate (``argoproj.io/v1alpha1``): a workflow spec kept in the cluster.

    Workflows and CronWorkflows run it with ``workflowTemplateRef`` or borrow its templates with
    ``templateRef``. ``entrypoint`` is optional here (a library of templates).

    Attributes:
        spec: ``spec``: see :class:`WorkflowSpec`. Required.
    """

    KIND: ClassVar[str] = "WorkflowTemplate"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (VERSION,)

    spec: WorkflowSpec


class ClusterWorkflowTemplate(Resource):
    """An Argo Workflows ClusterWorkflowTemplate (``argoproj.io/v1alpha1``): a WorkflowTemplate for every namespace.

    Referenced with ``clusterScope: true`` in ``workflowTemplateRef`` or ``templateRef``.

    Attributes:
        spec: ``spec``: see :class:`WorkflowSpec`. Required.
    """

    KIND: ClassVar[str] = "ClusterWorkflowTemplate"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (VERSION,)
    NAMESPACED: ClassVar[bool] = False

    spec: WorkflowSpec


class Workflow(Resource):
    """An Argo Workflows Workflow (``argoproj.io/v1alpha1``): one run.

    Usually created by ``argo submit`` or a CronWorkflow, rarely kept in Git; modelled so that
    existing manifests load. Needs an ``entrypoint`` (or ``workflowTemplateRef``) and a value
    for every argument.

    Attributes:
        spec: ``spec``: see :class:`WorkflowSpec`. Required.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Workflow"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (VERSION,)

    spec: WorkflowSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_runnable(self) -> Self:
        _runnable(self.spec, ("spec",)).raise_any("Workflow")
        return self


@cache
def _zones() -> frozenset[str]:
    try:
        return frozenset(zoneinfo.available_timezones())
    except Exception:  # noqa: BLE001 - no time zone database at all: accept any zone
        return frozenset()


class CronWorkflowSpec(K8sModel):
    """``spec`` of a CronWorkflow.

    Attributes:
        workflow_spec: ``workflowSpec``: the Workflow to create, see :class:`WorkflowSpec`. Required.
        schedules: ``schedules``: five-field cron expressions (``0 2 * * *``) or descriptors (``@daily``).
            One of ``schedules`` and ``schedule``.
        schedule: ``schedule``: a single cron expression (deprecated upstream since 3.6 in favour of
            ``schedules``). Default: none.
        timezone: ``timezone``: IANA zone of the schedule (``Europe/Madrid``). Default: none (the controller's).
        concurrency_policy: ``concurrencyPolicy``: ``Allow``, ``Forbid`` or ``Replace``. Default: none (``Allow``).
        starting_deadline_seconds: ``startingDeadlineSeconds``: how late a missed run may still start. Default: none.
        successful_jobs_history_limit: ``successfulJobsHistoryLimit``. Default: none (3).
        failed_jobs_history_limit: ``failedJobsHistoryLimit``. Default: none (1).
        suspend: ``suspend``: create no Workflows. Default: none (false).
        when: ``when``: an expression deciding whether a scheduled run happens. Default: none.
        stop_strategy: ``stopStrategy`` (``expression``), kept as given. Default: none.
        workflow_metadata: ``workflowMetadata``: labels and annotations of the created Workflows. Default: none.
    """

    workflow_spec: WorkflowSpec
    schedules: list[str] | None = None
    schedule: str | None = None
    timezone: str | None = None
    concurrency_policy: Literal["Allow", "Forbid", "Replace"] | None = None
    starting_deadline_seconds: int | None = None
    successful_jobs_history_limit: int | None = None
    failed_jobs_history_limit: int | None = None
    suspend: bool | None = None
    when: str | None = None
    stop_strategy: dict[str, Any] | None = None
    workflow_metadata: ObjectMeta | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        if self.schedule is not None and self.schedules is not None:
            issues.add(("schedules",), f"{self.schedules!r} is set together with schedule {self.schedule!r}; put every "
                                       f"expression into schedules and remove schedule", self.schedules)
        elif not self.schedule and not self.schedules:
            issues.add(("schedules",), "no schedule is set; give schedules such as ['0 2 * * *']")
        entries: list[tuple[tuple[str | int, ...], str]] = []
        if self.schedule is not None:
            entries.append((("schedule",), self.schedule))
        entries += [(("schedules", i), value) for i, value in enumerate(self.schedules or [])]
        for loc, value in entries:
            why = cron_problem(value, "standard")
            if why:
                fix = ("move the zone into spec.timezone" if "time zone" in why else
                       "write five cron fields (minute hour day-of-month month day-of-week) such as '0 2 * * *', or a "
                       "descriptor such as '@daily'")
                issues.add(loc, f"{value!r} {why}; {fix}", value)
        zones = _zones()
        if self.timezone and zones and self.timezone not in zones:
            issues.add(("timezone",), f"{self.timezone!r} is not an IANA time zone; use a name such as 'Etc/UTC' or "
                                      f"'Europe/Madrid'", self.timezone)
        for key, limit in (("startingDeadlineSeconds", self.starting_deadline_seconds),
                           ("successfulJobsHistoryLimit", self.successful_jobs_history_limit),
                           ("failedJobsHistoryLimit", self.failed_jobs_history_limit)):
            if limit is not None and limit < 0:
                issues.add((key,), f"{limit} is negative; use 0 or more", limit)
        issues.raise_any("CronWorkflowSpec")
        return self

    @property
    def all_schedules(self) -> list[str]:
        """Every cron expression of the CronWorkflow (``schedules`` or ``schedule``)."""
        return list(self.schedules or ([self.schedule] if self.schedule else []))


class CronWorkflow(Resource):
    """An Argo Workflows CronWorkflow (``argoproj.io/v1alpha1``): Workflows on a cron schedule.

    Created Workflows are named ``<name>-<timestamp>``, so the name is at most 52 characters.

    Attributes:
        spec: ``spec``: see :class:`CronWorkflowSpec`. Required.
        status: ``status``: written by the controller, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "CronWorkflow"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (VERSION,)

    spec: CronWorkflowSpec
    status: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check_runnable(self) -> Self:
        issues = _runnable(self.spec.workflow_spec, ("spec", "workflowSpec"))
        name = self.metadata.name
        if name is not None and len(name) > _CRON_NAME_MAX:
            issues.add(("metadata", "name"), f"{name!r} is {len(name)} characters; CronWorkflow names are at most "
                                             f"{_CRON_NAME_MAX} (a timestamp is appended); use a shorter name", name)
        issues.raise_any("CronWorkflow")
        return self


# =====================================================================================
# Across objects
# =====================================================================================
def _template_refs(manifest: dict[str, Any]) -> Iterator[tuple[str, str, bool, str | None]]:
    """(path, WorkflowTemplate name, cluster scope, template name or None) of every reference in a manifest."""
    spec = manifest.get("spec") or {}
    prefix = "spec"
    if manifest.get("kind") == "CronWorkflow":
        spec, prefix = spec.get("workflowSpec") or {}, "spec.workflowSpec"
    ref = spec.get("workflowTemplateRef")
    if isinstance(ref, dict) and isinstance(ref.get("name"), str):
        yield f"{prefix}.workflowTemplateRef.name", ref["name"], bool(ref.get("clusterScope")), None
    for i, template in enumerate(spec.get("templates") or []):
        if not isinstance(template, dict):
            continue
        calls: list[tuple[str, Any]] = []
        for j, group in enumerate(template.get("steps") or []):
            calls += [(f"steps[{j}][{k}]", step) for k, step in enumerate(group or [])]
        calls += [(f"dag.tasks[{j}]", task) for j, task in enumerate((template.get("dag") or {}).get("tasks") or [])]
        for where, call in calls:
            ref = call.get("templateRef") if isinstance(call, dict) else None
            if isinstance(ref, dict) and isinstance(ref.get("name"), str) and isinstance(ref.get("template"), str):
                yield (f"{prefix}.templates[{i}].{where}.templateRef", ref["name"], bool(ref.get("clusterScope")),
                       ref["template"])


@add_global_check
def workflow_template_refs(index: ObjectIndex) -> Iterable[Problem]:
    """``workflowTemplateRef`` and ``templateRef`` name a (Cluster)WorkflowTemplate synthesized with them.

    A WorkflowTemplate is looked up in the referring object's namespace, a ClusterWorkflowTemplate
    (``clusterScope: true``) anywhere; a ``templateRef`` must also name one of its templates.
    """
    for kind in ("Workflow", "CronWorkflow", "WorkflowTemplate", "ClusterWorkflowTemplate"):
        for obj in index.of_kind(kind, group=GROUP):
            for path, name, cluster, template in _template_refs(dict(obj.manifest)):
                if _placeholder(name):
                    continue
                if cluster:
                    target = index.get("ClusterWorkflowTemplate", name, None, group=GROUP)
                    what = f"ClusterWorkflowTemplate {name!r}"
                else:
                    target = index.get("WorkflowTemplate", name, obj.namespace, group=GROUP)
                    where = f" in namespace {obj.namespace!r}" if obj.namespace else ""
                    what = f"WorkflowTemplate {name!r}{where}"
                if target is None:
                    yield Problem(subject=f"{kind} {obj.name!r}", path=path if template is None else f"{path}.name",
                                  message=f"{what} is not synthesized",
                                  fix="add the template to the app, fix the name, or set clusterScope to match its kind",
                                  where=obj.where())
                    continue
                if template is None or _placeholder(template):
                    continue
                names = [t.get("name") for t in ((target.manifest.get("spec") or {}).get("templates") or [])
                         if isinstance(t, dict)]
                if template not in names:
                    yield Problem(subject=f"{kind} {obj.name!r}", path=f"{path}.template",
                                  message=f"{template!r} is not a template of {what} (templates: {', '.join(map(str, names))})",
                                  fix="name one of its templates", where=obj.where())
