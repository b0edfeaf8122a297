"""Argo Workflows: WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow, Workflow (argoproj.io/v1alpha1)."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import refused, schema_errors, upstream_documents

from cdk8s_gitops import GitOpsChart, TypedResource, from_manifest
from cdk8s_gitops.addons import ClusterWorkflowTemplate, CronWorkflow, Workflow, WorkflowTemplate
from cdk8s_gitops.addons.argo_workflows import all_schedules, workflow_template_refs
from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject, global_checks
from cdk8s_gitops.synth import collect_chart

VERSION = "argoproj.io/v1alpha1"
KINDS: dict[str, type] = {"WorkflowTemplate": WorkflowTemplate, "ClusterWorkflowTemplate": ClusterWorkflowTemplate,
                          "CronWorkflow": CronWorkflow, "Workflow": Workflow}
EXPECTED_COUNTS = {"Workflow": 9, "WorkflowTemplate": 6, "CronWorkflow": 1}
BUSYBOX = {"image": "busybox:1.37", "command": ["echo"]}


def seed_pipeline() -> dict[str, Any]:
    """The seed's CI pipeline (003): parameters, checkout, tests, parallel image builds, push, tag update."""
    def step(name: str, template: str, **extra: Any) -> dict[str, Any]:
        return {"name": name, "template": template, **extra}

    return {
        "entrypoint": "ci",
        "serviceAccountName": "argo-workflow",
        "arguments": {"parameters": [
            {"name": "git-repo", "value": "https://github.com/your-org/transcripts.git"},
            {"name": "git-revision", "value": "migration-to-modularity"},
            {"name": "registry", "value": "docker-registry.infrastructure.svc.cluster.local:5000"},
            {"name": "image-tag", "value": "{{workflow.creationTimestamp.Y}}{{workflow.creationTimestamp.m}}"},
        ]},
        "volumeClaimTemplates": [{"metadata": {"name": "workspace"}, "spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "2Gi"}}}}],
        "templates": [
            {"name": "ci", "steps": [
                [step("checkout", "git-checkout")],
                [step("test", "run-tests")],
                [step("build-gateway", "build-image", arguments={"parameters": [{"name": "service", "value": "gateway"}]}),
                 step("build-transcription", "build-image",
                      arguments={"parameters": [{"name": "service", "value": "transcription"}]})],
                [step("push", "push-images")],
                [step("update-tags", "update-tags")],
            ]},
            {"name": "git-checkout", "container": {
                "image": "alpine/git:2.47.2", "workingDir": "/workspace",
                "args": ["clone", "--branch", "{{workflow.parameters.git-revision}}", "{{workflow.parameters.git-repo}}", "."],
                "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]}},
            {"name": "run-tests", "script": {"image": "python:3.12-slim", "command": ["sh"], "workingDir": "/workspace",
                                             "source": "pip install -r requirements.txt && pytest -q",
                                             "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]}},
            {"name": "build-image", "inputs": {"parameters": [{"name": "service"}]}, "container": {
                "image": "moby/buildkit:v0.23.2-rootless", "command": ["buildctl-daemonless.sh"],
                "args": ["build", "--frontend", "dockerfile.v0", "--local", "context=services/{{inputs.parameters.service}}",
                         "--output", "type=oci,dest=/workspace/{{inputs.parameters.service}}.tar"],
                "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]}},
            {"name": "push-images", "container": {"image": "quay.io/skopeo/stable:v1.18.0", "command": ["sh", "-c"],
                                                  "args": ["for f in /workspace/*.tar; do skopeo copy oci-archive:$f "
                                                           "docker://{{workflow.parameters.registry}}/transcripts/"
                                                           "$(basename $f .tar):{{workflow.parameters.image-tag}}; done"],
                                                  "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]}},
            {"name": "update-tags", "container": {"image": "alpine/git:2.47.2", "command": ["sh", "-c"],
                                                  "args": ["echo update tags"]}},
        ],
    }


# -- helpers -----------------------------------------------------------------------------------
def template(**spec: Any) -> WorkflowTemplate:
    return WorkflowTemplate.from_manifest({"metadata": {"name": "ci", "namespace": "argo"}, "spec": spec})


def leaf(name: str = "echo", **fields: Any) -> dict[str, Any]:
    return {"name": name, "container": BUSYBOX, **fields}


def steps(*groups: list[dict[str, Any]], extra: list[dict[str, Any]] | None = None) -> WorkflowTemplate:
    return template(entrypoint="main", templates=[{"name": "main", "steps": list(groups)}, leaf(), *(extra or [])])


def dag(*tasks: dict[str, Any], **fields: Any) -> WorkflowTemplate:
    return template(entrypoint="main", templates=[{"name": "main", "dag": {"tasks": list(tasks), **fields}}, leaf()])


def cron(name: str = "ci-nightly", **spec: Any) -> CronWorkflow:
    base: dict[str, Any] = {"schedules": ["0 2 * * *"], "workflowSpec": {"workflowTemplateRef": {"name": "ci"}}}
    return CronWorkflow.from_manifest({"metadata": {"name": name, "namespace": "argo"}, "spec": {**base, **spec}})


# -- WorkflowTemplate --------------------------------------------------------------------------
class TestWorkflowTemplate:
    def test_seed_pipeline(self) -> None:
        """The seed's pipeline builds, keeps its parameters, and validates against the schema."""
        ci = WorkflowTemplate.from_manifest({"metadata": {"name": "transcripts-ci-pipeline", "namespace": "argo-workflows"},
                                    "spec": seed_pipeline()})
        manifest = ci.to_manifest()
        assert [p["name"] for p in manifest["spec"]["arguments"]["parameters"]] == [
            "git-repo", "git-revision", "registry", "image-tag"]
        assert [len(g) for g in manifest["spec"]["templates"][0]["steps"]] == [1, 1, 2, 1, 1]
        assert not schema_errors(manifest)

    def test_typed_parts_round_trip(self) -> None:
        """DAGs, resources, suspend, artifacts, loops, pod GC, TTL and volumes round-trip unchanged."""
        doc = {"apiVersion": VERSION, "kind": "WorkflowTemplate", "metadata": {"name": "lib", "namespace": "argo"},
               "spec": {
                   "entrypoint": "main", "onExit": "notify", "parallelism": 2, "podGC": {"strategy": "OnPodSuccess"},
                   "ttlStrategy": {"secondsAfterCompletion": 3600}, "volumes": [{"name": "cache", "emptyDir": {}}],
                   "podMetadata": {"labels": {"team": "ci"}}, "tolerations": [{"key": "ci", "operator": "Exists"}],
                   "arguments": {"parameters": [{"name": "env", "value": "dev", "enum": ["dev", "prod"],
                                                 "description": "target"}],
                                 "artifacts": [{"name": "src", "git": {"repo": "https://example.com/r.git"}}]},
                   "templates": [
                       {"name": "main", "dag": {"failFast": True, "target": "apply", "tasks": [
                           {"name": "gen", "template": "gen"},
                           {"name": "apply", "template": "apply", "depends": "gen.Succeeded",
                            "arguments": {"artifacts": [{"name": "m", "from": "{{tasks.gen.outputs.artifacts.m}}"}]}},
                           {"name": "each", "template": "echo", "dependencies": ["gen"], "withSequence": {"count": "3"},
                            "continueOn": {"failed": True}},
                           {"name": "lib", "templateRef": {"name": "other", "template": "x", "clusterScope": True},
                            "when": "{{workflow.parameters.env}} == prod"}]}},
                       {"name": "gen", "outputs": {"artifacts": [{"name": "m", "path": "/tmp/m.yaml", "archive": {"none": {}}}],
                                                   "parameters": [{"name": "id", "valueFrom": {"path": "/tmp/id"}}]},
                        "script": {"image": "python:3.12", "command": ["python"], "source": "print(1)"},
                        "retryStrategy": {"limit": "3", "retryPolicy": "OnFailure"}, "activeDeadlineSeconds": 600,
                        "metadata": {"annotations": {"a": "b"}}},
                       {"name": "apply", "inputs": {"artifacts": [{"name": "m", "path": "/tmp/m.yaml"}]},
                        "resource": {"action": "apply", "manifestFrom": {"artifact": {"name": "m"}},
                                     "successCondition": "status.phase == Ready"}},
                       {"name": "approve", "suspend": {"duration": "10m"}},
                       {"name": "notify", "steps": [[{"name": "say", "template": "echo", "withItems": ["a", {"b": 1}]}]]},
                       {"name": "echo", "container": {"image": "busybox", "args": ["{{item}}"],
                                                      "resources": {"limits": {"memory": "64Mi"}}}}]}}
        model = WorkflowTemplate.from_manifest(doc)
        assert model.to_manifest() == doc
        assert not schema_errors(doc)

    def test_library_without_entrypoint(self) -> None:
        """A WorkflowTemplate may be a library of templates without an entrypoint."""
        assert template(templates=[leaf()]).spec.entrypoint is None

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches the four Argo Workflows kinds next to Argo CD's and Rollouts'."""
        docs = {
            "WorkflowTemplate": {"templates": [leaf()]},
            "ClusterWorkflowTemplate": {"templates": [leaf()]},
            "Workflow": {"entrypoint": "echo", "templates": [leaf()]},
            "CronWorkflow": {"schedules": ["@daily"], "workflowSpec": {"entrypoint": "echo", "templates": [leaf()]}},
        }
        for kind, spec in docs.items():
            model = from_manifest({"apiVersion": VERSION, "kind": kind, "metadata": {"name": "x"}, "spec": spec})
            assert type(model) is KINDS[kind]
        assert not ClusterWorkflowTemplate.NAMESPACED

    def test_entrypoint_names_a_template(self) -> None:
        """entrypoint names a template of the spec."""
        refused(lambda: template(entrypoint="main", templates=[leaf()]), "WorkflowTemplate 'ci'", "spec.entrypoint", "'main'",
                "echo")

    def test_on_exit_names_a_template(self) -> None:
        """onExit names a template of the spec."""
        refused(lambda: template(onExit="cleanup", templates=[leaf()]), "WorkflowTemplate 'ci'", "spec.onExit", "'cleanup'")

    def test_template_names_unique(self) -> None:
        """Template names are unique."""
        refused(lambda: template(templates=[leaf(), leaf()]), "WorkflowTemplate 'ci'", "spec.templates[1].name", "'echo'")

    def test_template_name_format(self) -> None:
        """Template names are letters, digits and '-' (at most 128)."""
        refused(lambda: template(templates=[leaf("build_image")]), "WorkflowTemplate 'ci'", "spec.templates[0].name",
                "'build_image'")
        refused(lambda: template(templates=[leaf("a" * 129)]), "WorkflowTemplate 'ci'", "spec.templates[0].name", "129")

    def test_template_has_a_type(self) -> None:
        """A template has one of container, script, steps, dag, resource, suspend..."""
        refused(lambda: template(templates=[{"name": "empty"}]), "WorkflowTemplate 'ci'", "spec.templates[0]", "'empty'")

    def test_template_has_one_type(self) -> None:
        """A template has exactly one type."""
        refused(lambda: template(templates=[leaf(suspend={})]), "WorkflowTemplate 'ci'", "spec.templates[0].suspend",
                "'echo'", "container, suspend")

    def test_step_template_exists(self) -> None:
        """A step's template names a template of the spec."""
        refused(lambda: steps([{"name": "hello", "template": "ecko"}]), "WorkflowTemplate 'ci'",
                "spec.templates[0].steps[0][0].template", "'ecko'", "templateRef")

    def test_task_template_exists(self) -> None:
        """A DAG task's template names a template of the spec."""
        refused(lambda: dag({"name": "a", "template": "missing"}), "WorkflowTemplate 'ci'",
                "spec.templates[0].dag.tasks[0].template", "'missing'")

    def test_template_ref_is_not_checked_locally(self) -> None:
        """A templateRef points at another WorkflowTemplate: it is checked across objects, not here."""
        assert steps([{"name": "lib", "templateRef": {"name": "other", "template": "x"}}]).spec.templates

    def test_step_references_one_template(self) -> None:
        """A step sets one of template, templateRef and inline."""
        refused(lambda: steps([{"name": "hello"}]), "WorkflowTemplate 'ci'", "spec.templates[0].steps[0][0].template",
                "'hello'")
        refused(lambda: steps([{"name": "hello", "template": "echo", "inline": {"container": BUSYBOX}}]),
                "WorkflowTemplate 'ci'", "spec.templates[0].steps[0][0].inline", "'hello'")

    def test_step_loops_one_way(self) -> None:
        """withItems, withParam and withSequence are exclusive."""
        refused(lambda: steps([{"name": "each", "template": "echo", "withItems": [1], "withParam": "{{inputs.x}}"}]),
                "WorkflowTemplate 'ci'", "spec.templates[0].steps[0][0].withParam", "'each'", "withItems")

    def test_step_name_format(self) -> None:
        """Step names are letters, digits and '-'."""
        refused(lambda: steps([{"name": "say hello", "template": "echo"}]), "WorkflowTemplate 'ci'",
                "spec.templates[0].steps[0][0].name", "'say hello'")

    def test_parallel_step_names_unique(self) -> None:
        """Steps of one parallel group have distinct names."""
        refused(lambda: steps([{"name": "a", "template": "echo"}, {"name": "a", "template": "echo"}]),
                "WorkflowTemplate 'ci'", "spec.templates[0].steps[0][1].name", "'a'")

    def test_required_inputs_supplied(self) -> None:
        """A step supplies every input parameter of its template that has no value or default."""
        target = {"name": "greet", "inputs": {"parameters": [{"name": "who"}, {"name": "greeting", "default": "hi"}]},
                  "container": BUSYBOX}
        refused(lambda: steps([{"name": "g", "template": "greet"}], extra=[target]), "WorkflowTemplate 'ci'",
                "spec.templates[0].steps[0][0].arguments", "'who'", "'greet'")
        ok = steps([{"name": "g", "template": "greet", "arguments": {"parameters": [{"name": "who", "value": "x"}]}}],
                   extra=[target])
        assert ok.spec.templates

    def test_step_on_exit_exists(self) -> None:
        """A step's onExit names a template of the spec."""
        refused(lambda: steps([{"name": "a", "template": "echo", "onExit": "bye"}]), "WorkflowTemplate 'ci'",
                "spec.templates[0].steps[0][0].onExit", "'bye'")

    def test_dag_task_names_unique(self) -> None:
        """DAG task names are unique."""
        refused(lambda: dag({"name": "a", "template": "echo"}, {"name": "a", "template": "echo"}), "WorkflowTemplate 'ci'",
                "spec.templates[0].dag.tasks[1].name", "'a'")

    def test_dag_dependencies_exist(self) -> None:
        """dependencies and depends name tasks of the DAG (results such as .Succeeded are allowed)."""
        refused(lambda: dag({"name": "a", "template": "echo"}, {"name": "b", "template": "echo", "dependencies": ["c"]}),
                "WorkflowTemplate 'ci'", "spec.templates[0].dag.tasks[1].dependencies", "'c'")
        refused(lambda: dag({"name": "a", "template": "echo"},
                            {"name": "b", "template": "echo", "depends": "(a.Succeeded || a.Failed) && !x"}),
                "WorkflowTemplate 'ci'", "spec.templates[0].dag.tasks[1].depends", "'x'")

    def test_dag_without_cycles(self) -> None:
        """DAG dependencies have no cycle."""
        refused(lambda: dag({"name": "a", "template": "echo", "depends": "c"}, {"name": "b", "template": "echo", "depends": "a"},
                            {"name": "c", "template": "echo", "depends": "b"}),
                "WorkflowTemplate 'ci'", "spec.templates[0].dag.tasks[0].depends", "a -> c -> b -> a")

    def test_dag_depends_or_dependencies(self) -> None:
        """A task sets depends or dependencies, not both."""
        refused(lambda: dag({"name": "a", "template": "echo"},
                            {"name": "b", "template": "echo", "depends": "a", "dependencies": ["a"]}),
                "WorkflowTemplate 'ci'", "spec.templates[0].dag.tasks[1].depends", "'b'")

    def test_dag_target_exists(self) -> None:
        """target names tasks of the DAG."""
        refused(lambda: dag({"name": "a", "template": "echo"}, target="a z"), "WorkflowTemplate 'ci'",
                "spec.templates[0].dag.target", "'z'")

    def test_sequence_count_or_end(self) -> None:
        """withSequence takes count or end."""
        refused(lambda: dag({"name": "a", "template": "echo", "withSequence": {"count": 3, "end": 5}}),
                "WorkflowTemplate 'ci'", "spec.templates[0].dag.tasks[0].withSequence.end", "5")

    def test_parameter_names_unique(self) -> None:
        """Workflow argument names are unique (also inputs and outputs)."""
        refused(lambda: template(arguments={"parameters": [{"name": "env", "value": "a"}, {"name": "env", "value": "b"}]},
                                 templates=[leaf()]),
                "WorkflowTemplate 'ci'", "spec.arguments.parameters[1].name", "'env'")
        refused(lambda: template(templates=[leaf(inputs={"artifacts": [{"name": "a"}, {"name": "a"}]})]),
                "WorkflowTemplate 'ci'", "spec.templates[0].inputs.artifacts[1].name", "'a'")

    def test_parameter_name_format(self) -> None:
        """Parameter and artifact names are letters, digits, '-' and '_'."""
        refused(lambda: template(arguments={"parameters": [{"name": "git repo", "value": "x"}]}, templates=[leaf()]),
                "WorkflowTemplate 'ci'", "spec.arguments.parameters[0].name", "'git repo'")
        refused(lambda: template(templates=[leaf(outputs={"artifacts": [{"name": "out.tar", "path": "/o"}]})]),
                "WorkflowTemplate 'ci'", "spec.templates[0].outputs.artifacts[0].name", "'out.tar'")

    def test_enum(self) -> None:
        """enum is not empty, and value (unless an expression) is one of its entries."""
        refused(lambda: template(arguments={"parameters": [{"name": "env", "enum": []}]}, templates=[leaf()]),
                "WorkflowTemplate 'ci'", "spec.arguments.parameters[0].enum", "'env'")
        refused(lambda: template(arguments={"parameters": [{"name": "env", "value": "qa", "enum": ["dev", "prod"]}]},
                                 templates=[leaf()]),
                "WorkflowTemplate 'ci'", "spec.arguments.parameters[0].value", "'qa'", "'dev'")
        assert template(arguments={"parameters": [{"name": "env", "value": "{{inputs.x}}", "enum": ["dev"]}]},
                        templates=[leaf()]).spec.arguments

    def test_parameter_values_are_strings(self) -> None:
        """Parameter values are strings (quote numbers in YAML), as in the schema."""
        refused(lambda: template(arguments={"parameters": [{"name": "n", "value": 3}]}, templates=[leaf()]),
                "WorkflowTemplate 'ci'", "spec.arguments.parameters[0].value", "3")

    def test_resource_template(self) -> None:
        """resource: a known action, and a manifest (one way) unless it gets or deletes."""
        refused(lambda: template(templates=[{"name": "r", "resource": {"action": "upsert", "manifest": "x"}}]),
                "WorkflowTemplate 'ci'", "spec.templates[0].resource.action", "'upsert'")
        refused(lambda: template(templates=[{"name": "r", "resource": {"action": "create"}}]), "WorkflowTemplate 'ci'",
                "spec.templates[0].resource.manifest", "'create'")
        refused(lambda: template(templates=[{"name": "r", "resource": {"action": "apply", "manifest": "x",
                                                                        "manifestFrom": {"artifact": {"name": "m"}}}}]),
                "WorkflowTemplate 'ci'", "spec.templates[0].resource.manifestFrom", "manifest")
        assert template(templates=[{"name": "r", "resource": {"action": "delete", "flags": ["pod", "x"]}}]).spec.templates

    def test_templates_not_with_workflow_template_ref(self) -> None:
        """A spec with workflowTemplateRef takes its templates from there."""
        refused(lambda: template(workflowTemplateRef={"name": "base"}, templates=[leaf()]), "WorkflowTemplate 'ci'",
                "spec.templates", "'base'")

    def test_volume_names_unique(self) -> None:
        """volumes and volumeClaimTemplates share one name space."""
        refused(lambda: template(templates=[leaf()], volumes=[{"name": "work", "emptyDir": {}}],
                                 volumeClaimTemplates=[{"metadata": {"name": "work"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]),
                "WorkflowTemplate 'ci'", "spec.volumes[0].name", "'work'", "volumeClaimTemplates[0]")

    def test_ttl_not_negative(self) -> None:
        """ttlStrategy seconds are 0 or more."""
        refused(lambda: template(templates=[leaf()], ttlStrategy={"secondsAfterSuccess": -1}), "WorkflowTemplate 'ci'",
                "spec.ttlStrategy.secondsAfterSuccess", "-1")

    def test_pod_gc_strategy_enum(self) -> None:
        """podGC.strategy takes Argo's strategies."""
        refused(lambda: template(templates=[leaf()], podGC={"strategy": "Always"}), "WorkflowTemplate 'ci'",
                "spec.podGC.strategy", "'Always'")

    def test_container_is_the_typed_kubernetes_container(self) -> None:
        """Template containers are typed containers: name optional, imagePullPolicy one of the kubelet's values."""
        assert template(templates=[leaf()]).spec.templates[0].container.name is None  # type: ignore[union-attr,index]
        refused(lambda: template(templates=[leaf(container={"image": "x", "imagePullPolicy": "Sometimes"})]),
                "WorkflowTemplate 'ci'", "spec.templates[0].container.imagePullPolicy", "'Sometimes'")

    def test_container_resources_requests_within_limits(self) -> None:
        """Template container resources use the Kubernetes ResourceRequirements rules."""
        refused(lambda: template(templates=[leaf(container={"image": "x", "resources": {
            "requests": {"memory": "2Gi"}, "limits": {"memory": "1Gi"}}})]), "WorkflowTemplate 'ci'",
            "spec.templates[0].container.resources.requests.memory", "'2Gi'")

    def test_script_needs_source(self) -> None:
        """A script template has source."""
        refused(lambda: template(templates=[{"name": "s", "script": {"image": "python:3.12"}}]), "WorkflowTemplate 'ci'",
                "spec.templates[0].script.source", "required")


# -- Workflow and CronWorkflow -----------------------------------------------------------------
class TestWorkflow:
    def test_entrypoint_required(self) -> None:
        """A Workflow names its entrypoint (or uses workflowTemplateRef)."""
        refused(lambda: Workflow.from_manifest({"metadata": {"generateName": "run-"}, "spec": {"templates": [leaf()]}}), "Workflow 'run-'",
                "spec.entrypoint", "is not set")
        assert Workflow.from_manifest({"metadata": {"generateName": "run-"}, "spec": {"workflowTemplateRef": {"name": "ci"}}}).spec

    def test_argument_values_required(self) -> None:
        """A Workflow's arguments have values (a WorkflowTemplate's may be given at submission)."""
        refused(lambda: Workflow.from_manifest({"metadata": {"name": "run"}, "spec": {
            "entrypoint": "echo", "templates": [leaf()], "arguments": {"parameters": [{"name": "env"}]}}}),
            "Workflow 'run'", "spec.arguments.parameters[0].value", "'env'")
        assert template(templates=[leaf()], arguments={"parameters": [{"name": "env"}]}).spec.arguments


class TestCronWorkflow:
    def test_nightly(self) -> None:
        """The seed's nightly run: 2 AM every day, running the pipeline template, validates."""
        nightly = cron(name="transcripts-ci-nightly", timezone="Etc/UTC", concurrencyPolicy="Forbid",
                       startingDeadlineSeconds=300, successfulJobsHistoryLimit=3, failedJobsHistoryLimit=1,
                       workflowSpec={"workflowTemplateRef": {"name": "transcripts-ci-pipeline"}},
                       workflowMetadata={"labels": {"app.kubernetes.io/part-of": "transcripts"}})
        manifest = nightly.to_manifest()
        assert manifest["spec"]["schedules"] == ["0 2 * * *"]
        assert all_schedules(nightly.spec) == ["0 2 * * *"]
        assert not schema_errors(manifest)

    def test_legacy_schedule_field(self) -> None:
        """The single schedule field (before Argo 3.6) is still accepted."""
        legacy = CronWorkflow.from_manifest({"metadata": {"name": "n"}, "spec": {"schedule": "0 2 * * *",
                                                                 "workflowSpec": {"workflowTemplateRef": {"name": "ci"}}}})
        assert all_schedules(legacy.spec) == ["0 2 * * *"]
        assert not schema_errors(legacy.to_manifest())

    def test_schedule_or_schedules(self) -> None:
        """schedule and schedules are exclusive, and one is required."""
        refused(lambda: cron(schedule="0 3 * * *"), "CronWorkflow 'ci-nightly'", "spec.schedules", "'0 2 * * *'",
                "'0 3 * * *'")
        refused(lambda: cron(schedules=None), "CronWorkflow 'ci-nightly'", "spec.schedules", "no schedule")

    def test_five_field_cron(self) -> None:
        """Schedules are five-field cron expressions or descriptors."""
        refused(lambda: cron(schedules=["@daily", "0 0 2 * * *"]), "CronWorkflow 'ci-nightly'", "spec.schedules[1]",
                "'0 0 2 * * *'", "6 fields")
        refused(lambda: cron(schedules=["0 2 * * SUNDAY"]), "CronWorkflow 'ci-nightly'", "spec.schedules[0]", "'SUNDAY'")
        refused(lambda: cron(schedules=["60 2 * * *"]), "CronWorkflow 'ci-nightly'", "spec.schedules[0]", "'60'", "0-59")

    def test_time_zone_in_its_field(self) -> None:
        """The zone goes into timezone, not into the schedule."""
        refused(lambda: cron(schedules=["CRON_TZ=Europe/Madrid 0 2 * * *"]), "CronWorkflow 'ci-nightly'",
                "spec.schedules[0]", "'CRON_TZ=Europe/Madrid 0 2 * * *'", "spec.timezone")

    def test_timezone_is_iana(self) -> None:
        """timezone is an IANA zone name."""
        refused(lambda: cron(timezone="CET+1"), "CronWorkflow 'ci-nightly'", "spec.timezone", "'CET+1'")

    def test_concurrency_policy_enum(self) -> None:
        """concurrencyPolicy is Allow, Forbid or Replace."""
        refused(lambda: cron(concurrencyPolicy="Queue"), "CronWorkflow 'ci-nightly'", "spec.concurrencyPolicy", "'Queue'")

    def test_limits_not_negative(self) -> None:
        """History limits and startingDeadlineSeconds are 0 or more."""
        refused(lambda: cron(successfulJobsHistoryLimit=-1), "CronWorkflow 'ci-nightly'", "spec.successfulJobsHistoryLimit",
                "-1")
        refused(lambda: cron(startingDeadlineSeconds=-5), "CronWorkflow 'ci-nightly'", "spec.startingDeadlineSeconds", "-5")

    def test_name_length(self) -> None:
        """CronWorkflow names are at most 52 characters."""
        name = "n" * 53
        refused(lambda: cron(name=name), f"CronWorkflow '{name}'", "metadata.name", "53", "52")

    def test_workflow_spec_runnable(self) -> None:
        """The workflowSpec has an entrypoint (or workflowTemplateRef) and argument values."""
        refused(lambda: cron(workflowSpec={"templates": [leaf()]}), "CronWorkflow 'ci-nightly'",
                "spec.workflowSpec.entrypoint", "is not set")
        refused(lambda: cron(workflowSpec={"entrypoint": "echo", "templates": [leaf()],
                                           "arguments": {"parameters": [{"name": "env"}]}}),
                "CronWorkflow 'ci-nightly'", "spec.workflowSpec.arguments.parameters[0].value", "'env'")

    def test_workflow_spec_checked_like_a_template(self) -> None:
        """The workflowSpec gets the same checks as a WorkflowTemplate's spec."""
        refused(lambda: cron(workflowSpec={"entrypoint": "main", "templates": [leaf()]}), "CronWorkflow 'ci-nightly'",
                "spec.workflowSpec.entrypoint", "'main'")


# -- across objects ----------------------------------------------------------------------------
def _index(*models: Any) -> ObjectIndex:
    index = ObjectIndex("dev")
    for model in models:
        index.add(RenderedObject(model.to_manifest(), "ci", model))
    return index


class TestTemplateReferences:
    def test_registered(self) -> None:
        """The check runs at every synth."""
        assert workflow_template_refs in global_checks()

    def test_resolved_references_pass(self) -> None:
        """workflowTemplateRef and templateRef to synthesized templates are fine."""
        lib = template(templates=[leaf()])
        user = WorkflowTemplate.from_manifest({"metadata": {"name": "user", "namespace": "argo"}, "spec": {
            "templates": [{"name": "main", "steps": [[{"name": "a", "templateRef": {"name": "ci", "template": "echo"}}]]}]}})
        assert list(workflow_template_refs(_index(lib, user, cron()))) == []

    def test_missing_workflow_template(self) -> None:
        """A CronWorkflow whose workflowTemplateRef names no synthesized WorkflowTemplate is reported."""
        problems = [str(p) for p in workflow_template_refs(_index(cron()))]
        assert problems == ["CronWorkflow 'ci-nightly' (ci): spec.workflowSpec.workflowTemplateRef.name: WorkflowTemplate "
                            "'ci' in namespace 'argo' is not synthesized; add the template to the app, fix the name, or "
                            "set clusterScope to match its kind"]

    def test_namespace_and_scope_matter(self) -> None:
        """A WorkflowTemplate in another namespace, or a cluster-scoped reference to it, does not resolve."""
        other = WorkflowTemplate.from_manifest({"metadata": {"name": "ci", "namespace": "tools"}, "spec": {"templates": [leaf()]}})
        assert len(list(workflow_template_refs(_index(other, cron())))) == 1
        scoped = cron(workflowSpec={"workflowTemplateRef": {"name": "ci", "clusterScope": True}})
        cluster = ClusterWorkflowTemplate.from_manifest({"metadata": {"name": "ci"}, "spec": {"templates": [leaf()]}})
        assert len(list(workflow_template_refs(_index(template(templates=[leaf()]), scoped)))) == 1
        assert list(workflow_template_refs(_index(cluster, scoped))) == []

    def test_missing_template_in_template_ref(self) -> None:
        """A templateRef must name a template of the referenced WorkflowTemplate."""
        lib = template(templates=[leaf()])
        user = WorkflowTemplate.from_manifest({"metadata": {"name": "user", "namespace": "argo"}, "spec": {
            "templates": [{"name": "main", "dag": {"tasks": [{"name": "a", "templateRef": {"name": "ci", "template": "ech"}}]}}]}})
        problems = [str(p) for p in workflow_template_refs(_index(lib, user))]
        assert len(problems) == 1
        assert "spec.templates[0].dag.tasks[0].templateRef.template: 'ech' is not a template of WorkflowTemplate 'ci'" in problems[0]


# -- corpus and schemas ------------------------------------------------------------------------
class TestUpstreamExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every Workflow, WorkflowTemplate and CronWorkflow in upstream-examples round-trips and validates."""
        counts: dict[str, int] = {}
        for name, _, doc in upstream_documents(kinds=KINDS, group="argoproj.io"):
            model = from_manifest(doc)
            assert isinstance(model, KINDS[doc["kind"]]), name
            assert model.to_manifest() == doc, name
            assert not schema_errors(model.to_manifest()), name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\nargo-workflows round trip: {counts}")
        assert counts == EXPECTED_COUNTS

    def test_upstream_template_references_resolve(self) -> None:
        """The templateRefs between upstream's WorkflowTemplates resolve across objects."""
        index = ObjectIndex("dev")
        for _, _, doc in upstream_documents(kinds={"WorkflowTemplate": WorkflowTemplate}, group="argoproj.io"):
            index.add(RenderedObject(doc, "ci", from_manifest(doc)))
        assert list(workflow_template_refs(index)) == []

    def test_built_objects_validate(self) -> None:
        """The seed's pipeline and nightly CronWorkflow synthesized by a chart validate and resolve."""
        chart = GitOpsChart(cdk8s.App(), "local-ci", app_name="ci", namespace="argo-workflows")
        TypedResource(chart, WorkflowTemplate.from_manifest({"metadata": {"name": "transcripts-ci-pipeline"}, "spec": seed_pipeline()}))
        TypedResource(chart, CronWorkflow.from_manifest({"metadata": {"name": "transcripts-ci-nightly"}, "spec": {
            "schedules": ["0 2 * * *"], "concurrencyPolicy": "Forbid",
            "workflowSpec": {"workflowTemplateRef": {"name": "transcripts-ci-pipeline"}}}}))
        TypedResource(chart, ClusterWorkflowTemplate.from_manifest({"metadata": {"name": "echo"}, "spec": {"templates": [leaf()]}}))
        objects = collect_chart(chart, "ci")
        assert len(objects) == 3
        index = ObjectIndex("local")
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.name
            index.add(obj)
        assert list(workflow_template_refs(index)) == []
