"""transcripts-gitops (seed 003): Argo CD Applications, the Argo Workflows CI pipeline and Image Updater settings."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import by_kind_and_name

APP = "transcripts-gitops"
REGISTRY = "docker-registry.infrastructure.svc.cluster.local:5000"


@pytest.fixture
def objs(synth_app) -> dict[tuple[str, str], dict[str, Any]]:  # noqa: ANN001
    return by_kind_and_name(synth_app(APP, "dev").manifests)


@pytest.fixture
def pipeline(objs) -> dict[str, Any]:  # noqa: ANN001
    return objs[("WorkflowTemplate", "transcripts-ci-pipeline")]["spec"]


def template(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(t for t in spec["templates"] if t["name"] == name)


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev (the seed's local overlay), for review."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot


class TestApplications:
    @pytest.mark.parametrize(("name", "namespace"), [("transcripts-infrastructure", "infrastructure"),
                                                     ("transcripts-services", "endpoints")])
    def test_destination_and_sync(self, objs, name: str, namespace: str) -> None:  # noqa: ANN001
        """Both Applications live in argocd, target the seed's namespaces and sync automatically with prune and self-heal."""
        app = objs[("Application", name)]
        assert app["metadata"]["namespace"] == "argocd"
        assert app["spec"]["destination"]["namespace"] == namespace
        assert app["spec"]["syncPolicy"]["automated"] == {"prune": True, "selfHeal": True}

    @pytest.mark.parametrize("name", ["transcripts-infrastructure", "transcripts-services"])
    def test_source_is_the_synthesized_folder(self, objs, synth_app, name: str) -> None:  # noqa: ANN001
        """Each source is <dist_path>/<env>/<app> of the environment's repository, and synth produces that folder."""
        out = synth_app(APP, "dev")
        source = objs[("Application", name)]["spec"]["source"]
        assert source["path"] == f"{out.settings.git.dist_path}/dev/{name}"
        assert (source["repoURL"], source["targetRevision"]) == (out.settings.git.repo_url, out.settings.git.revision)
        assert synth_app(name, "dev").manifests

    @pytest.mark.parametrize("name", ["transcripts-infrastructure", "transcripts-services"])
    def test_destination_matches_the_apps_namespace(self, objs, synth_app, name: str) -> None:  # noqa: ANN001
        """The destination namespace is the namespace that app's objects are synthesized into."""
        namespaces = {m["metadata"].get("namespace") for m in synth_app(name, "dev").manifests}
        assert namespaces == {objs[("Application", name)]["spec"]["destination"]["namespace"]}

    def test_services_ignore_image_differences(self, objs) -> None:  # noqa: ANN001
        """transcripts-services ignores the Deployments' container images, and still applies them when Git changes."""
        spec = objs[("Application", "transcripts-services")]["spec"]
        assert spec["ignoreDifferences"] == [{"group": "apps", "kind": "Deployment",
                                              "jqPathExpressions": [".spec.template.spec.containers[].image"]}]
        assert "RespectIgnoreDifferences=true" not in spec["syncPolicy"].get("syncOptions", [])
        assert "ignoreDifferences" not in objs[("Application", "transcripts-infrastructure")]["spec"]


class TestPipeline:
    def test_parameters(self, pipeline) -> None:  # noqa: ANN001
        """The four parameters of the seed with their values; image-tag renders without ':'."""
        params = {p["name"]: p["value"] for p in pipeline["arguments"]["parameters"]}
        assert params["git-repo"] == "https://github.com/your-org/transcripts.git"
        assert params["git-revision"] == "migration-to-modularity"
        assert params["registry"] == REGISTRY
        assert params["image-tag"] == ("{{workflow.creationTimestamp.Y}}{{workflow.creationTimestamp.m}}"
                                       "{{workflow.creationTimestamp.d}}-{{workflow.creationTimestamp.H}}"
                                       "{{workflow.creationTimestamp.M}}{{workflow.creationTimestamp.S}}")

    def test_rendered_tag_is_valid_and_accepted(self, pipeline, synth_app) -> None:  # noqa: ANN001
        """Rendered for a build at 2025-06-01 02:00:00, the tag is an OCI tag that dev's services image policy accepts."""
        from cdk8s_gitops.environment.spec import check_image_tag

        raw = next(p["value"] for p in pipeline["arguments"]["parameters"] if p["name"] == "image-tag")
        parts = {"Y": "2025", "m": "06", "d": "01", "H": "02", "M": "00", "S": "00"}
        tag = re.sub(r"\{\{workflow\.creationTimestamp\.(\w)\}\}", lambda m: parts[m.group(1)], raw)
        assert tag == "20250601-020000"
        assert check_image_tag(tag, synth_app("transcripts-services", "dev").settings.image_policy) is None

    def test_steps_in_order(self, pipeline) -> None:  # noqa: ANN001
        """checkout -> test -> build images (parallel) -> push -> update image tags, one group each."""
        assert pipeline["entrypoint"] == "ci"
        groups = template(pipeline, "ci")["steps"]
        assert [[s["name"] for s in g] for g in groups] == [
            ["checkout"], ["test"], ["build-images"], ["push-images"], ["update-image-tags"]]

    def test_builds_run_in_parallel_per_service(self, pipeline) -> None:  # noqa: ANN001
        """Builds and pushes fan out over the services (withItems runs the items in parallel)."""
        groups = template(pipeline, "ci")["steps"]
        for step in (groups[2][0], groups[3][0]):
            assert step["withItems"] == ["gateway", "transcription"]
            assert step["arguments"]["parameters"] == [{"name": "service", "value": "{{item}}"}]

    def test_checkout_uses_parameters(self, pipeline) -> None:  # noqa: ANN001
        """Checkout clones git-repo at git-revision."""
        command = template(pipeline, "checkout")["container"]["args"][0]
        assert "{{workflow.parameters.git-repo}}" in command and "{{workflow.parameters.git-revision}}" in command

    def test_push_to_registry_with_tag(self, pipeline) -> None:  # noqa: ANN001
        """Push sends each image to <registry>/transcripts/<service>:<image-tag>."""
        args = template(pipeline, "push-image")["container"]["args"]
        assert args[-1] == "{{workflow.parameters.registry}}/transcripts/{{inputs.parameters.service}}:{{workflow.parameters.image-tag}}"

    def test_tag_update_bumps_environment(self, pipeline) -> None:  # noqa: ANN001
        """The tag update runs cdk8s-gitops set-image for transcripts-services in this environment and pushes."""
        script = template(pipeline, "update-image-tags")["script"]
        env = {e["name"]: e["value"] for e in script["env"]}
        assert env["ENVIRONMENT"] == "dev" and env["IMAGE_TAG"] == "{{workflow.parameters.image-tag}}"
        assert 'set-image --env "$ENVIRONMENT" "transcripts-services/$service"' in script["source"]
        assert "push origin" in script["source"]

    def test_git_token_from_secret_store(self, objs, pipeline) -> None:  # noqa: ANN001
        """The Git token arrives through an ExternalSecret and is mounted as a file; no Secret is emitted."""
        es = objs[("ExternalSecret", "transcripts-ci-git-credentials")]["spec"]
        assert es["secretStoreRef"] == {"kind": "ClusterSecretStore", "name": "platform-secrets"}
        volumes = template(pipeline, "update-image-tags")["volumes"]
        assert volumes[0]["secret"]["secretName"] == "transcripts-ci-git-credentials"
        assert not [k for k, _ in objs if k == "Secret"]

    def test_runs_as_ci_account(self, objs, pipeline) -> None:  # noqa: ANN001
        """Pods run as transcripts-ci, which may report task results (the executor's need) and nothing more."""
        assert pipeline["serviceAccountName"] == "transcripts-ci"
        assert objs[("Role", "transcripts-ci-executor")]["rules"] == [
            {"apiGroups": ["argoproj.io"], "resources": ["workflowtaskresults"], "verbs": ["create", "patch"]}]

    def test_namespace(self, objs) -> None:  # noqa: ANN001
        """The pipeline and its schedule live in argo-workflows."""
        for kind, name in (("WorkflowTemplate", "transcripts-ci-pipeline"), ("CronWorkflow", "transcripts-ci-nightly")):
            assert objs[(kind, name)]["metadata"]["namespace"] == "argo-workflows"


class TestNightly:
    def test_two_am_daily(self, objs) -> None:  # noqa: ANN001
        """The CronWorkflow runs transcripts-ci-pipeline every day at 2 AM, never two at once."""
        spec = objs[("CronWorkflow", "transcripts-ci-nightly")]["spec"]
        assert spec["schedules"] == ["0 2 * * *"]
        assert spec["workflowSpec"] == {"workflowTemplateRef": {"name": "transcripts-ci-pipeline"}}
        assert spec["concurrencyPolicy"] == "Forbid"


class TestImageUpdater:
    def test_resource(self, objs) -> None:  # noqa: ANN001
        """The ImageUpdater tracks both images of transcripts-services, newest build tag, git write-back."""
        spec = objs[("ImageUpdater", "transcripts-services")]["spec"]
        assert objs[("ImageUpdater", "transcripts-services")]["metadata"]["namespace"] == "argocd"
        ref = spec["applicationRefs"][0]
        assert ref["namePattern"] == "transcripts-services"
        assert {i["alias"]: i["imageName"] for i in ref["images"]} == {
            "gateway": f"{REGISTRY}/transcripts/gateway", "transcription": f"{REGISTRY}/transcripts/transcription"}
        assert spec["writeBackConfig"]["method"] == "git"
        assert spec["commonUpdateSettings"] == {"updateStrategy": "newest-build", "allowTags": "regexp:^[0-9]{8}-[0-9]{6}$"}

    def test_annotations(self, objs) -> None:  # noqa: ANN001
        """The seed's annotations on the Application: image-list of both services and write-back-method git."""
        annotations = objs[("Application", "transcripts-services")]["metadata"]["annotations"]
        prefix = "argocd-image-updater.argoproj.io/"
        assert annotations[f"{prefix}image-list"] == (f"gateway={REGISTRY}/transcripts/gateway,"
                                                      f"transcription={REGISTRY}/transcripts/transcription")
        assert annotations[f"{prefix}write-back-method"] == "git"
        assert ":latest" not in annotations[f"{prefix}image-list"]


class TestAddons:
    def test_argo_workflows_and_image_updater_installed(self, objs) -> None:  # noqa: ANN001
        """Argo Workflows and the Image Updater (a chart serving the ImageUpdater kind) are Applications in argocd."""
        workflows = objs[("Application", "argo-workflows")]["spec"]
        updater = objs[("Application", "argocd-image-updater")]["spec"]
        assert workflows["destination"]["namespace"] == "argo-workflows"
        assert updater["source"]["chart"] == "argocd-image-updater"
        assert int(updater["source"]["targetRevision"].split(".")[0]) >= 1

    def test_addon_settings(self, objs) -> None:  # noqa: ANN001
        """The Argo Workflows UI is on node port 30746; the updater knows the registry speaks plain HTTP."""
        workflows = objs[("Application", "argo-workflows")]["spec"]["source"]["helm"]["valuesObject"]
        assert workflows["server"] == {"serviceType": "NodePort", "serviceNodePort": 30746}
        updater = objs[("Application", "argocd-image-updater")]["spec"]["source"]["helm"]["valuesObject"]
        [registry] = updater["config"]["registries"]
        assert registry["prefix"] == REGISTRY and registry["api_url"] == f"http://{REGISTRY}" and registry["insecure"]


class TestEnvironments:
    def test_dev_only(self, synth_app) -> None:  # noqa: ANN001
        """The seed wires only its local overlay, which is dev here."""
        for env in ("staging", "production"):
            with pytest.raises(KeyError, match="no output"):
                synth_app(APP, env)
