"""Argo Workflows (``argoproj.io/v1alpha1``): WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Workflow.

Argo Workflows shares the ``argoproj.io`` group with Argo CD and Argo Rollouts; its kinds are
grouped here by upstream project. A workflow is a list of templates (containers, scripts,
steps, DAGs, Kubernetes resources, suspensions) and an ``entrypoint`` naming the first one.
A WorkflowTemplate keeps such a spec in the cluster for Workflows and CronWorkflows to
reference (``workflowTemplateRef``) or to borrow templates from (``templateRef``)::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.argo_workflows import CronWorkflow, CronWorkflowSpec, WorkflowSpec, WorkflowTemplate
    from cdk8s_gitops.models.argoproj_io_v1alpha1 import (
        Inputs,
        WorkflowSpecArgumentsParameters,
        WorkflowSpecTemplateDefaults,
        WorkflowSpecTemplateDefaultsContainer,
        WorkflowSpecTemplateDefaultsSteps,
        WorkflowTemplateRef,
    )

    ci = WorkflowTemplate(metadata=ObjectMeta(name="ci", namespace="argo"), spec=WorkflowSpec(
        entrypoint="main",
        arguments=Inputs(parameters=[WorkflowSpecArgumentsParameters(name="revision", value="main")]),
        templates=[
            WorkflowSpecTemplateDefaults(name="main", steps=[
                [WorkflowSpecTemplateDefaultsSteps(name="test", template="test")],
                [WorkflowSpecTemplateDefaultsSteps(name="build-api", template="build"),
                 WorkflowSpecTemplateDefaultsSteps(name="build-web", template="build")],
            ]),
            WorkflowSpecTemplateDefaults(name="test", container=WorkflowSpecTemplateDefaultsContainer(
                image="golang:1.24", command=["go", "test", "./..."])),
            WorkflowSpecTemplateDefaults(name="build", container=WorkflowSpecTemplateDefaultsContainer(
                image="moby/buildkit:v0.23.0")),
        ],
    ))
    nightly = CronWorkflow(metadata=ObjectMeta(name="ci-nightly", namespace="argo"), spec=CronWorkflowSpec(
        schedules=["0 2 * * *"], timezone="Etc/UTC",
        workflow_spec=WorkflowSpec(workflow_template_ref=WorkflowTemplateRef(name="ci")),
    ))

Validation follows Argo's workflow linter: template, step and task names (letters, digits
and ``-``, at most 128 characters) unique; one template type per template; ``entrypoint``,
``onExit`` and every step or task ``template`` name a template of the spec (``templateRef``
points elsewhere and is checked across objects at synth); each step or task references
exactly one template and loops in one way; DAG ``dependencies``/``depends`` name tasks of
the DAG, without cycles, and not both on one task; required inputs of a referenced
template are supplied; parameter and artifact names unique and well formed, values inside
``enum``; volume names unique; CronWorkflow schedules are five-field cron expressions
(``schedule`` or ``schedules``), ``timezone`` an IANA zone, names at most 52 characters.

The classes are the generated models of :mod:`cdk8s_gitops.models.argoproj_io_v1alpha1`
(every field typed from the CRD schemas); this module registers the checks above on them.
A ``templates`` entry and ``templateDefaults`` share one generated class, so the checks of a
template run from the spec that lists it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from .. import kube  # noqa: F401 - registers the checks of the core/v1 structures templates embed (resources, volumes)
from ..core.cron import is_time_zone, schedule_error
from ..core.errors import Problem
from ..core.fields import Issues
from ..core.schema import semantic_check
from ..core.validation import ObjectIndex, add_global_check
from ..models.argoproj_io_v1alpha1 import (
    Artifact,
    ClusterWorkflowTemplate,
    CronWorkflow,
    CronWorkflowSpec,
    Inputs,
    Outputs,
    WithSequence,
    Workflow,
    WorkflowSpec,
    WorkflowSpecArgumentsParameters,
    WorkflowSpecPodGC,
    WorkflowSpecTemplateDefaults,
    WorkflowSpecTemplateDefaultsContainer,
    WorkflowSpecTemplateDefaultsDag,
    WorkflowSpecTemplateDefaultsDagTasks,
    WorkflowSpecTemplateDefaultsInitContainers,
    WorkflowSpecTemplateDefaultsScript,
    WorkflowSpecTemplateDefaultsSteps,
    WorkflowTemplate,
)
from ..models.argoproj_io_v1alpha1 import Resource as ResourceTemplate
from ..models.argoproj_io_v1alpha1 import (
    WorkflowSpecTtlStrategy as TtlStrategy,
)

__all__ = [
    "ClusterWorkflowTemplate",
    "CronWorkflow",
    "CronWorkflowSpec",
    "Workflow",
    "WorkflowSpec",
    "WorkflowTemplate",
    "all_schedules",
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

Step = WorkflowSpecTemplateDefaultsSteps
DAGTask = WorkflowSpecTemplateDefaultsDagTasks
Parameter = WorkflowSpecArgumentsParameters


def _field_name_problem(name: str) -> str | None:
    if len(name) > _FIELD_MAX:
        return f"is {len(name)} characters, above {_FIELD_MAX}"
    if not _FIELD_NAME.match(name):
        return "is not a valid name (letters, digits and '-', starting with a letter or digit)"
    return None


def _placeholder(text: str) -> bool:
    return "{{" in text


# -- parameters, artifacts, arguments -----------------------------------------------------------
@semantic_check(Parameter)
def _parameter(self: Parameter) -> None:
    if not _PARAM_NAME.match(self.name):
        raise ValueError(f"name: {self.name!r} is not a parameter name; use letters, digits, '-' and '_' "
                         f"such as 'git-revision'")
    if self.enum is not None:
        if not self.enum:
            raise ValueError(f"enum: parameter {self.name!r} has an empty enum; list the allowed values or remove enum")
        if self.value is not None and not _placeholder(self.value) and self.value not in self.enum:
            raise ValueError(f"value: {self.value!r} of parameter {self.name!r} is not in its enum {self.enum!r}; "
                             f"use one of the listed values")


@semantic_check(Artifact)
def _artifact(self: Artifact) -> None:
    if not _PARAM_NAME.match(self.name):
        raise ValueError(f"name: {self.name!r} is not an artifact name; use letters, digits, '-' and '_'")


@semantic_check(Inputs, Outputs)
def _unique_parameters_and_artifacts(self: Inputs | Outputs) -> None:
    groups: tuple[tuple[str, list[Any] | None], ...] = (("parameters", self.parameters), ("artifacts", self.artifacts))
    for key, items in groups:
        seen: dict[str, int] = {}
        for i, item in enumerate(items or []):
            if item.name in seen:
                raise ValueError(f"{key}[{i}].name: {item.name!r} is already used by {key}[{seen[item.name]}]; give every "
                                 f"{key[:-1]} a unique name")
            seen[item.name] = i


# -- steps and DAG tasks ------------------------------------------------------------------------
@semantic_check(WithSequence)
def _sequence(self: WithSequence) -> None:
    if self.count is not None and self.end is not None:
        raise ValueError(f"end: {self.end!r} is set together with count {self.count!r}; use count or end")


@semantic_check(Step, DAGTask)
def _invocation(self: Step | DAGTask) -> None:
    if self.name is None:
        raise ValueError("name: is not set; give every step a name such as 'build-image'")
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
    if isinstance(self, DAGTask) and self.dependencies is not None and self.depends is not None:
        raise ValueError(f"depends: task {self.name!r} sets both dependencies and depends; use depends (or dependencies)")


def needs(task: DAGTask) -> list[str]:
    """The task names ``task`` waits for (from ``dependencies`` or ``depends``)."""
    if task.depends is not None:
        names: list[str] = []
        for dotted, plain in _DEPENDS_NAME.findall(task.depends):
            name = dotted or plain
            if name not in names:
                names.append(name)
        return names
    return list(task.dependencies or [])


@semantic_check(WorkflowSpecTemplateDefaultsDag)
def _dag(self: WorkflowSpecTemplateDefaultsDag) -> None:
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
        for name in needs(task):
            if name not in index:
                issues.add(("tasks", i, field), f"task {task.name!r} depends on {name!r}, which is not a task of this "
                                                f"DAG (tasks: {known}); fix the task name", name)
    if not issues:
        cycle = _cycle(self.tasks, index)
        if cycle:
            first = index[cycle[0]]
            issues.add(("tasks", first, "depends" if self.tasks[first].depends is not None else "dependencies"),
                       f"the tasks depend on each other in a cycle ({' -> '.join(cycle)}); remove one of these "
                       f"dependencies", cycle[0])
    for name in (self.target or "").split():
        if name not in index and not _placeholder(name):
            issues.add(("target",), f"{name!r} is not a task of this DAG (tasks: {known}); name existing tasks", name)
    issues.raise_any("DAGTemplate")


def _cycle(tasks: list[DAGTask], index: dict[str, int]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for dep in needs(tasks[index[name]]):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[name] = 2
        return None

    for task in tasks:
        if task.name not in state:
            found = visit(task.name)
            if found:
                return found
    return None


# -- templates ----------------------------------------------------------------------------------
@semantic_check(ResourceTemplate)
def _resource_template(self: ResourceTemplate) -> None:
    actions = ("get", "create", "apply", "delete", "replace", "patch")
    if not _placeholder(self.action) and self.action not in actions:
        raise ValueError(f"action: {self.action!r} is not a resource action; use one of {', '.join(actions)}")
    if self.manifest is not None and self.manifest_from is not None:
        raise ValueError("manifestFrom: is set together with manifest; give the object one way")
    if self.action not in ("get", "delete") and self.manifest is None and self.manifest_from is None:
        raise ValueError(f"manifest: is not set for action {self.action!r}; give the object as manifest (YAML) or "
                         f"manifestFrom")


def template_types(template: WorkflowSpecTemplateDefaults) -> list[str]:
    """The template types ``template`` sets (upstream keys), normally exactly one."""
    fields = type(template).model_fields
    names = ("container", "script", "steps", "dag", "resource", "suspend", "container_set", "data", "http", "plugin")
    return [fields[n].alias or n for n in names if getattr(template, n) is not None]


def _check_template(template: WorkflowSpecTemplateDefaults, issues: Issues, loc: tuple[str | int, ...]) -> None:
    """A ``templates`` entry: a name, exactly one template type, distinct names of parallel steps."""
    if template.name is None:
        issues.add((*loc, "name"), "is not set; give every template a name such as 'build-image'")
        return
    why = _field_name_problem(template.name)
    if why:
        issues.add((*loc, "name"), f"{template.name!r} {why}; use a name such as 'build-image'", template.name)
        return
    types = template_types(template)
    if not types:
        issues.add(loc, f"template {template.name!r} has no template type; give one of {', '.join(_TEMPLATE_TYPES)}")
        return
    if len(types) > 1:
        issues.add((*loc, types[1]), f"template {template.name!r} has several types ({', '.join(types)}); give each "
                                     f"template exactly one (split it into several templates)")
        return
    for i, group in enumerate(template.steps or []):
        seen: dict[str, int] = {}
        for j, step in enumerate(group):
            if step.name in seen:
                issues.add((*loc, "steps", i, j, "name"), f"{step.name!r} is already used by steps[{i}][{seen[step.name]}]; "
                                                          f"give parallel steps distinct names", step.name)
            seen.setdefault(step.name or "", j)


def _invocations(template: WorkflowSpecTemplateDefaults) -> Iterator[tuple[tuple[str | int, ...], Step | DAGTask]]:
    for i, group in enumerate(template.steps or []):
        for j, step in enumerate(group):
            yield ("steps", i, j), step
    for i, task in enumerate(template.dag.tasks if template.dag else []):
        yield ("dag", "tasks", i), task


def _required_inputs(template: WorkflowSpecTemplateDefaults) -> list[str]:
    """Input parameters without ``value``, ``default`` or ``valueFrom``: callers must supply them."""
    return [p.name for p in (template.inputs.parameters if template.inputs else None) or []
            if p.value is None and p.default is None and p.value_from is None]


_PULL_POLICIES = ("Always", "IfNotPresent", "Never")
_POD_GC_STRATEGIES = ("", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")


@semantic_check(WorkflowSpecTemplateDefaultsContainer, WorkflowSpecTemplateDefaultsScript,
                WorkflowSpecTemplateDefaultsInitContainers)
def _container(self: WorkflowSpecTemplateDefaultsContainer) -> None:
    # The schema types imagePullPolicy as a string; the kubelet takes three values.
    if self.image_pull_policy is not None and self.image_pull_policy not in _PULL_POLICIES:
        raise ValueError(f"imagePullPolicy: {self.image_pull_policy!r} is not a pull policy; use one of "
                         f"{', '.join(map(repr, _PULL_POLICIES))}")


@semantic_check(WorkflowSpecTemplateDefaultsScript)
def _script_source(self: WorkflowSpecTemplateDefaultsScript) -> None:
    if self.source is None:
        raise ValueError("source: required field is missing for a script template; give the code the command runs")


# -- workflow spec ------------------------------------------------------------------------------
@semantic_check(WorkflowSpecPodGC)
def _pod_gc(self: WorkflowSpecPodGC) -> None:
    if self.strategy is not None and self.strategy not in _POD_GC_STRATEGIES:
        raise ValueError(f"strategy: {self.strategy!r} is not a podGC strategy; use one of "
                         f"{', '.join(map(repr, _POD_GC_STRATEGIES))}")


@semantic_check(TtlStrategy)
def _ttl(self: TtlStrategy) -> None:
    for key, value in (("secondsAfterCompletion", self.seconds_after_completion),
                       ("secondsAfterSuccess", self.seconds_after_success),
                       ("secondsAfterFailure", self.seconds_after_failure)):
        if value is not None and value < 0:
            raise ValueError(f"{key}: {value} is negative; use 0 or more seconds")


@semantic_check(WorkflowSpec)
def _workflow_spec(self: WorkflowSpec) -> None:
    issues = Issues()
    templates: dict[str, int] = {}
    for i, template in enumerate(self.templates or []):
        _check_template(template, issues, ("templates", i))
        if template.name is None:
            continue
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
        for loc, call in _invocations(template):
            _check_call(self, issues, ("templates", i, *loc), call, templates, known)
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


def _check_call(spec: WorkflowSpec, issues: Issues, loc: tuple[str | int, ...], call: Step | DAGTask,
                templates: dict[str, int], known: str) -> None:
    name = call.template
    if name is None or _placeholder(name):
        return
    if name not in templates:
        issues.add((*loc, "template"), f"step {call.name!r} runs template {name!r}, which is not a template of this spec "
                                       f"(templates: {known}); fix the name, or use templateRef for a template of "
                                       f"another WorkflowTemplate", name)
        return
    target = (spec.templates or [])[templates[name]]
    given = {p.name for p in (call.arguments.parameters if call.arguments else None) or []}
    for missing in (p for p in _required_inputs(target) if p not in given):
        issues.add((*loc, "arguments"), f"step {call.name!r} does not supply input parameter {missing!r} of template "
                                        f"{name!r}; add it to arguments.parameters (or give the input a default)",
                   missing)
    if call.on_exit and not _placeholder(call.on_exit) and call.on_exit not in templates:
        issues.add((*loc, "onExit"), f"{call.on_exit!r} is not a template of this spec (templates: {known})",
                   call.on_exit)


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


# -- kinds --------------------------------------------------------------------------------------
@semantic_check(Workflow)
def _workflow(self: Workflow) -> None:
    _runnable(self.spec, ("spec",)).raise_any("Workflow")


@semantic_check(CronWorkflowSpec)
def check_cron_workflow_spec(spec: CronWorkflowSpec) -> None:
    """``schedule`` or ``schedules`` (not both), each a five-field cron expression or descriptor
    (:mod:`cdk8s_gitops.core.cron`), ``timezone`` an IANA zone, limits not negative."""
    issues = Issues()
    if spec.schedule is not None and spec.schedules is not None:
        issues.add(("schedules",), f"{spec.schedules!r} is set together with schedule {spec.schedule!r}; put every "
                                   f"expression into schedules and remove schedule", spec.schedules)
    elif not spec.schedule and not spec.schedules:
        issues.add(("schedules",), "no schedule is set; give schedules such as ['0 2 * * *']")
    entries: list[tuple[tuple[str | int, ...], str]] = []
    if spec.schedule is not None:
        entries.append((("schedule",), spec.schedule))
    entries += [(("schedules", i), value) for i, value in enumerate(spec.schedules or [])]
    for loc, value in entries:
        message = schedule_error(value, "standard", zone_field="spec.timezone")
        if message:
            issues.add(loc, message, value)
    if spec.timezone and not is_time_zone(spec.timezone):
        issues.add(("timezone",), f"{spec.timezone!r} is not an IANA time zone; use a name such as 'Etc/UTC' or "
                                  f"'Europe/Madrid'", spec.timezone)
    if spec.concurrency_policy is not None and spec.concurrency_policy not in ("Allow", "Forbid", "Replace"):
        issues.add(("concurrencyPolicy",), f"{spec.concurrency_policy!r} is not a concurrency policy; use one of "
                                           f"'Allow', 'Forbid' or 'Replace'", spec.concurrency_policy)
    for key, count in (("startingDeadlineSeconds", spec.starting_deadline_seconds),
                       ("successfulJobsHistoryLimit", spec.successful_jobs_history_limit),
                       ("failedJobsHistoryLimit", spec.failed_jobs_history_limit)):
        if count is not None and count < 0:
            issues.add((key,), f"{count} is negative; use 0 or more", count)
    issues.raise_any("CronWorkflowSpec")


def all_schedules(spec: CronWorkflowSpec) -> list[str]:
    """Every cron expression of a CronWorkflow ``spec`` (``schedules`` or ``schedule``)."""
    return list(spec.schedules or ([spec.schedule] if spec.schedule else []))


@semantic_check(CronWorkflow)
def _cron_workflow(self: CronWorkflow) -> None:
    issues = _runnable(self.spec.workflow_spec, ("spec", "workflowSpec"))
    name = self.metadata.name
    if name is not None and len(name) > _CRON_NAME_MAX:
        issues.add(("metadata", "name"), f"{name!r} is {len(name)} characters; CronWorkflow names are at most "
                                         f"{_CRON_NAME_MAX} (a timestamp is appended); use a shorter name", name)
    issues.raise_any("CronWorkflow")


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
