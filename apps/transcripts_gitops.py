"""transcripts-gitops: Argo CD Applications, the Argo Workflows CI pipeline and image updates of Transcripts v2.

What the seed describes, in the namespace ``argo-workflows`` (set in ``environments/dev.yaml``;
the seed's "local" overlay is ``dev`` here) and in Argo CD's namespace ``argocd``:

- Argo CD Applications ``transcripts-infrastructure`` (destination namespace ``infrastructure``)
  and ``transcripts-services`` (destination namespace ``endpoints``), automated with prune and
  self-heal. Their sources are the folders synth writes, ``<git.dist_path>/<env>/<app>`` of the
  environment's Git repository (the seed's Kustomize paths ``deploy/kubernetes/...`` have no
  counterpart here). ``transcripts-services`` ignores differences in the Deployments' container
  images (``jqPathExpressions: .spec.template.spec.containers[].image``), as the seed asks,
  because image updates are written back separately. It deliberately does *not* set
  ``RespectIgnoreDifferences``: a tag bump committed to Git must still be applied (it also changes
  the pod template's ``app.kubernetes.io/version`` label, so the Deployment shows out of sync).
- The Argo Workflows ``WorkflowTemplate`` ``transcripts-ci-pipeline`` with the parameters
  ``git-repo``, ``git-revision``, ``registry`` and ``image-tag`` and the steps checkout -> test ->
  build images (the two services in parallel, BuildKit rootless) -> push (crane, to the in-cluster
  registry) -> update image tags in Git (``cdk8s-gitops set-image`` on the environment file,
  which re-synthesizes ``dist/``, then a commit). Steps share a per-workflow volume ``workspace``.
- The ``CronWorkflow`` ``transcripts-ci-nightly`` (the seed names none): every day at 2 AM
  (``0 2 * * *``, UTC), running ``transcripts-ci-pipeline``, never two at once.
- Argo CD Image Updater settings for ``transcripts-services``: an ``ImageUpdater``
  (``argocd-image-updater.argoproj.io/v1alpha1``, the v1.x configuration) and, for v0.x updaters,
  the seed's annotations on the Application (``image-list``, ``write-back-method: git``).
- Add-ons: Argo Workflows (its UI on the seed's node port 30746) and Argo CD Image Updater (chart
  pinned to 1.0.5, a line that serves the ``ImageUpdater`` kind; the plain-HTTP registry listed in
  its ``registries.conf``) as Argo CD Applications of their Helm charts.
- The workflow's ServiceAccount ``transcripts-ci`` with the Role the Argo executor needs
  (``workflowtaskresults``), and the Git token for the tag update from the environment's secret
  store through an ExternalSecret (mounted as a file).

Modernised or corrected:

- ``image-tag``: the seed's ``{{workflow.creationTimestamp}}`` renders RFC 3339
  (``2025-06-01T02:00:00Z``), whose ':' is not allowed in an image tag. The default is built from
  the strftime variants instead,
  ``{{workflow.creationTimestamp.Y}}{{...m}}{{...d}}-{{...H}}{{...M}}{{...S}}``, giving
  ``20250601-020000``: unique per build, sortable, and valid; the environment's ``image_policy``
  for ``transcripts-services`` accepts exactly that form.
- The seed's image list tracks the mutable ``:latest``; here the updater takes the newest build
  whose tag matches ``^[0-9]{8}-[0-9]{6}$`` (``update-strategy: newest-build``).
- Annotation-based Image Updater configuration is the legacy v0.x form; the ``ImageUpdater``
  resource replaces it in v1.x (both are emitted; a v1.x updater reads the annotations only when
  an application reference sets ``useAnnotations``).
- CronWorkflow uses ``schedules`` (``schedule`` is deprecated since Argo Workflows 3.6).

Assumptions where the seed shows no detail: the test step installs ``requirements-dev.txt`` and
runs ``pytest``; each service builds from ``services/<service>/`` (its Dockerfile there), as the
seed's ``build-images.sh`` is not shown. The per-workflow volume is ReadWriteOnce, which suits the
seed's single-node local cluster (on several nodes, use a ReadWriteMany class).

Caveat: Argo CD Image Updater writes back only to Kustomize and Helm sources; the ``dist/``
folders are plain manifests, so in this layout the pipeline's last step is what records new tags
in Git (the updater settings are kept as the seed describes them).

Left out: the seed's webhook trigger (marked "future"; its payload is not an Argo Workflows
submit call), and Argo CD itself with its UI node port (the seed installs it beforehand).

Note: synth's Argo CD wiring also generates ``transcripts-infrastructure-dev`` and
``transcripts-services-dev`` for the same folders; ``environments/dev.yaml`` keeps those manual so
that the seed's Applications here own the objects.
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.addons.argo_workflows import CronWorkflow, CronWorkflowSpec, WorkflowSpec, WorkflowTemplate
from cdk8s_gitops.argocd import (
    Application,
    ApplicationSource,
    ApplicationSpec,
    ImageUpdater,
    ImageUpdaterSpec,
    image_updater_annotations,
)
from cdk8s_gitops.argocd.application import FINALIZER_FOREGROUND
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.kube import (
    AppArmorProfile,
    Capabilities,
    EmbeddedPersistentVolumeClaim,
    EmptyDirVolumeSource,
    EnvVar,
    PersistentVolumeClaimSpec,
    PodSecurityContext,
    PolicyRule,
    ResourceRequirements,
    Role,
    RoleBinding,
    RoleRef,
    SeccompProfile,
    SecretVolumeSource,
    SecurityContext,
    ServiceAccount,
    Subject,
    Volume,
    VolumeMount,
    VolumeResourceRequirements,
)
from cdk8s_gitops.models.argocd_image_updater_argoproj_io_v1alpha1 import (
    ImageUpdaterSpecApplicationRefs,
    ImageUpdaterSpecApplicationRefsCommonUpdateSettings,
    ImageUpdaterSpecApplicationRefsImages,
    ImageUpdaterSpecApplicationRefsWriteBackConfig,
    ImageUpdaterSpecApplicationRefsWriteBackConfigGitConfig,
)
from cdk8s_gitops.models.argoproj_io_v1alpha1 import (
    Destination,
    IgnoreDifferences,
    Inputs,
    WorkflowSpecArgumentsParameters,
    WorkflowSpecPodGC,
    WorkflowSpecTemplateDefaults,
    WorkflowSpecTemplateDefaultsContainer,
    WorkflowSpecTemplateDefaultsScript,
    WorkflowSpecTemplateDefaultsSteps,
    WorkflowTemplateRef,
)
from cdk8s_gitops.models.argoproj_io_v1alpha1 import (
    WorkflowSpecTtlStrategy as TtlStrategy,
)
from cdk8s_gitops.models.external_secrets_io_v1 import (
    ExternalSecretSpecData,
    ExternalSecretSpecDataRemoteRef,
    ExternalSecretSpecDataSourceRefStoreRef,
    ExternalSecretSpecTarget,
)
from cdk8s_gitops.platform.addons import CATALOG, HelmAddon, HelmChart
from cdk8s_gitops.platform.argocd_wiring import sync_policy
from cdk8s_gitops.platform.checks import EXTERNAL_ANNOTATION
from cdk8s_gitops.secrets import ExternalSecret, ExternalSecretSpec

ARGOCD_NAMESPACE = "argocd"
PIPELINE = "transcripts-ci-pipeline"
NIGHTLY = "transcripts-ci-nightly"
CI_ACCOUNT = "transcripts-ci"
GIT_CREDENTIALS = "transcripts-ci-git-credentials"

SOURCE_REPO = "https://github.com/your-org/transcripts.git"
SOURCE_REVISION = "migration-to-modularity"
REGISTRY = "docker-registry.infrastructure.svc.cluster.local:5000"
SERVICES = ("gateway", "transcription")

# The Applications the seed names, the app folders they sync and their destination namespaces
# (the namespaces of those apps in environments/<env>.yaml).
INFRASTRUCTURE = ("transcripts-infrastructure", "infrastructure")
SERVICES_APP = ("transcripts-services", "endpoints")

_TS = "{{workflow.creationTimestamp.%s}}"
IMAGE_TAG = "".join(_TS % c for c in "Ymd") + "-" + "".join(_TS % c for c in "HMS")
"""Default ``image-tag``: ``<YYYYMMDD>-<HHMMSS>`` of the workflow's creation (valid as an image tag)."""
TAG_PATTERN = "^[0-9]{8}-[0-9]{6}$"

GIT_IMAGE = "alpine/git:v2.49.1"
TEST_IMAGE = "python:3.12.11-slim-bookworm"
BUILDKIT_IMAGE = "moby/buildkit:v0.24.0-rootless"
CRANE_IMAGE = "gcr.io/go-containerregistry/crane:v0.20.3"
GITOPS_IMAGE = "python:3.12.11-bookworm"
IMAGE_UPDATER_CHART = HelmChart("https://argoproj.github.io/argo-helm", "argocd-image-updater", "1.0.5", ARGOCD_NAMESPACE)

CI_UID = 10001
BUILDKIT_UID = 1000  # the rootless BuildKit image runs as its user 1000 (subordinate IDs are mapped for it)


def _restricted(uid: int = CI_UID) -> SecurityContext:
    return SecurityContext(allow_privilege_escalation=False, read_only_root_filesystem=True, run_as_non_root=True,
                           run_as_user=uid, run_as_group=uid, capabilities=Capabilities(drop=["ALL"]),
                           seccomp_profile=SeccompProfile(type="RuntimeDefault"))


def _resources(cpu: str, memory: str) -> ResourceRequirements:
    return ResourceRequirements(requests={"cpu": "100m", "memory": "256Mi"}, limits={"cpu": cpu, "memory": memory})


WORKSPACE = VolumeMount(name="workspace", mount_path="/workspace")
TMP = VolumeMount(name="tmp", mount_path="/tmp")


def application(env: ResolvedAppSettings, app: str, namespace: str, annotations: dict[str, str] | None = None,
                ignore_differences: list[IgnoreDifferences] | None = None) -> Application:
    """An Application syncing ``app``'s synthesized folder of this environment into ``namespace``."""
    metadata = ObjectMeta(name=app, namespace=ARGOCD_NAMESPACE, finalizers=[FINALIZER_FOREGROUND])
    if annotations:
        metadata = ObjectMeta(name=app, namespace=ARGOCD_NAMESPACE, annotations=annotations,
                              finalizers=[FINALIZER_FOREGROUND])
    source = ApplicationSource(repo_url=env.git.repo_url, target_revision=env.git.revision,
                               path=f"{env.git.dist_path}/{env.environment}/{app}")
    destination = Destination(server=env.cluster.server, namespace=namespace)
    policy = sync_policy(env.sync)
    if ignore_differences:
        return Application(metadata=metadata, spec=ApplicationSpec(
            project="default", source=source, destination=destination, sync_policy=policy,
            ignore_differences=ignore_differences))
    return Application(metadata=metadata, spec=ApplicationSpec(
        project="default", source=source, destination=destination, sync_policy=policy))


def image_repository(service: str) -> str:
    return f"{REGISTRY}/transcripts/{service}"


def pipeline(env: ResolvedAppSettings) -> WorkflowTemplate:
    """The CI pipeline: checkout -> test -> parallel builds -> push -> tag update."""
    p = "{{workflow.parameters.%s}}"
    service = "{{inputs.parameters.service}}"
    per_service = Inputs(parameters=[WorkflowSpecArgumentsParameters(name="service")])

    def step(name: str, template: str) -> list[WorkflowSpecTemplateDefaultsSteps]:
        return [WorkflowSpecTemplateDefaultsSteps(name=name, template=template)]

    def each_service(name: str, template: str) -> list[WorkflowSpecTemplateDefaultsSteps]:
        return [WorkflowSpecTemplateDefaultsSteps(
            name=name, template=template, with_items=list(SERVICES),
            arguments=Inputs(parameters=[WorkflowSpecArgumentsParameters(name="service", value="{{item}}")]))]

    def home(path: str = "/tmp") -> EnvVar:
        return EnvVar(name="HOME", value=path)

    update_script = "\n".join([
        "set -eu",
        'git clone --depth 1 --branch "$GITOPS_REVISION" "$GITOPS_REPO" /tmp/gitops',
        "cd /tmp/gitops",
        "python -m venv /tmp/venv && /tmp/venv/bin/pip install --quiet .",
        f"for service in {' '.join(SERVICES)}; do",
        f'  /tmp/venv/bin/cdk8s-gitops set-image --env "$ENVIRONMENT" "{SERVICES_APP[0]}/$service" "$IMAGE_TAG"',
        "done",
        "git add environments dist",
        'git -c user.name=transcripts-ci -c user.email=transcripts-ci@users.noreply.github.com '
        f'commit -m "{SERVICES_APP[0]}: images $IMAGE_TAG"',
        "git -c credential.helper='!f() { echo username=x-access-token; echo \"password=$(cat /var/run/secrets/git/token)\"; }; f' "
        'push origin "HEAD:$GITOPS_REVISION"',
    ])
    return WorkflowTemplate(metadata=ObjectMeta(name=PIPELINE), spec=WorkflowSpec(
        entrypoint="ci",
        service_account_name=CI_ACCOUNT,
        arguments=Inputs(parameters=[
            WorkflowSpecArgumentsParameters(name="git-repo", value=SOURCE_REPO, description="source repository"),
            WorkflowSpecArgumentsParameters(name="git-revision", value=SOURCE_REVISION, description="branch to build from"),
            WorkflowSpecArgumentsParameters(name="registry", value=REGISTRY, description="registry the images are pushed to"),
            WorkflowSpecArgumentsParameters(name="image-tag", value=IMAGE_TAG,
                                            description="tag of this build's images: <YYYYMMDD>-<HHMMSS>"),
        ]),
        volume_claim_templates=[EmbeddedPersistentVolumeClaim(
            metadata=ObjectMeta(name="workspace"),
            spec=PersistentVolumeClaimSpec(access_modes=["ReadWriteOnce"],
                                           resources=VolumeResourceRequirements(requests={"storage": "5Gi"})))],
        volumes=[Volume(name="tmp", empty_dir=EmptyDirVolumeSource())],
        security_context=PodSecurityContext(run_as_non_root=True, run_as_user=CI_UID, run_as_group=CI_UID, fs_group=CI_UID,
                                            seccomp_profile=SeccompProfile(type="RuntimeDefault")),
        active_deadline_seconds=3600,
        pod_gc=WorkflowSpecPodGC(strategy="OnPodSuccess"),
        ttl_strategy=TtlStrategy(seconds_after_success=86400, seconds_after_failure=604800),
        templates=[
            WorkflowSpecTemplateDefaults(name="ci", steps=[
                step("checkout", "checkout"),
                step("test", "test"),
                each_service("build-images", "build-image"),
                each_service("push-images", "push-image"),
                step("update-image-tags", "update-image-tags"),
            ]),
            WorkflowSpecTemplateDefaults(name="checkout", container=WorkflowSpecTemplateDefaultsContainer(
                image=GIT_IMAGE, command=["sh", "-c"],
                args=[f'rm -rf /workspace/src && git clone --depth 1 --branch "{p % "git-revision"}" '
                      f'"{p % "git-repo"}" /workspace/src && mkdir -p -m 2775 /workspace/images'],
                env=[home()],
                volume_mounts=[WORKSPACE, TMP], security_context=_restricted(),
                resources=_resources("500m", "256Mi"))),
            WorkflowSpecTemplateDefaults(name="test", container=WorkflowSpecTemplateDefaultsContainer(
                image=TEST_IMAGE, command=["sh", "-c"], working_dir="/workspace/src",
                args=["python -m venv /tmp/venv && /tmp/venv/bin/pip install --quiet -r requirements-dev.txt "
                      "&& /tmp/venv/bin/python -m pytest -q"],
                env=[home()],
                volume_mounts=[WORKSPACE, TMP], security_context=_restricted(),
                resources=_resources("2", "2Gi"))),
            WorkflowSpecTemplateDefaults(
                name="build-image", inputs=per_service,
                container=WorkflowSpecTemplateDefaultsContainer(
                    image=BUILDKIT_IMAGE, command=["buildctl-daemonless.sh"],
                    args=["build", "--frontend", "dockerfile.v0",
                          "--local", f"context=/workspace/src/services/{service}",
                          "--local", f"dockerfile=/workspace/src/services/{service}",
                          "--output", f"type=docker,name={p % 'registry'}/transcripts/{service}:{p % 'image-tag'},"
                                      f"dest=/workspace/images/{service}.tar"],
                    env=[EnvVar(name="BUILDKITD_FLAGS", value="--oci-worker-no-process-sandbox"), home("/home/user")],
                    volume_mounts=[WORKSPACE, TMP,
                                   VolumeMount(name="buildkit", mount_path="/home/user/.local/share/buildkit")],
                    # Rootless BuildKit creates user namespaces: the default seccomp and AppArmor profiles forbid that.
                    security_context=SecurityContext(allow_privilege_escalation=False, run_as_non_root=True,
                                                     run_as_user=BUILDKIT_UID, run_as_group=BUILDKIT_UID,
                                                     seccomp_profile=SeccompProfile(type="Unconfined"),
                                                     app_armor_profile=AppArmorProfile(type="Unconfined")),
                    resources=_resources("2", "4Gi")),
                volumes=[Volume(name="buildkit", empty_dir=EmptyDirVolumeSource())]),
            WorkflowSpecTemplateDefaults(
                name="push-image", inputs=per_service,
                container=WorkflowSpecTemplateDefaultsContainer(
                    image=CRANE_IMAGE,
                    args=["push", "--insecure", f"/workspace/images/{service}.tar",
                          f"{p % 'registry'}/transcripts/{service}:{p % 'image-tag'}"],
                    env=[home()],
                    volume_mounts=[WORKSPACE, TMP], security_context=_restricted(),
                    resources=_resources("500m", "512Mi"))),
            WorkflowSpecTemplateDefaults(
                name="update-image-tags",
                script=WorkflowSpecTemplateDefaultsScript(
                    image=GITOPS_IMAGE, command=["sh"], source=update_script,
                    env=[home(),
                         EnvVar(name="GITOPS_REPO", value=env.git.repo_url),
                         EnvVar(name="GITOPS_REVISION", value=env.git.revision),
                         EnvVar(name="ENVIRONMENT", value=env.environment),
                         EnvVar(name="IMAGE_TAG", value=p % "image-tag")],
                    volume_mounts=[TMP, VolumeMount(name="git-credentials", mount_path="/var/run/secrets/git", read_only=True)],
                    security_context=_restricted(), resources=_resources("1", "1Gi")),
                volumes=[Volume(name="git-credentials",
                                secret=SecretVolumeSource(secret_name=GIT_CREDENTIALS, default_mode=0o440))]),
        ],
    ))

def build(scope: Construct, env: ResolvedAppSettings) -> None:
    # -- add-ons the pipeline and the updater run on --------------------------------------
    # The seed reaches the Argo Workflows UI on node port 30746.
    HelmAddon(scope, "argo-workflows", chart=CATALOG["argo-workflows"],
              values={"server": {"serviceType": "NodePort", "serviceNodePort": 30746}})
    # The in-cluster registry speaks plain HTTP: the updater's registries.conf says so.
    HelmAddon(scope, "argocd-image-updater", chart=IMAGE_UPDATER_CHART, values={"config": {"registries": [
        {"name": "transcripts-local", "prefix": REGISTRY, "api_url": f"http://{REGISTRY}", "insecure": True}]}})

    # -- Argo CD Applications ---------------------------------------------------------------
    images = {service: image_repository(service) for service in SERVICES}
    TypedResource(scope, application(env, *INFRASTRUCTURE), sync_wave=0)
    TypedResource(scope, application(
        env, *SERVICES_APP,
        annotations=image_updater_annotations(images, update_strategy="newest-build", allow_tags=f"regexp:{TAG_PATTERN}",
                                              write_back_method="git", git_branch=env.git.revision),
        ignore_differences=[IgnoreDifferences(group="apps", kind="Deployment",
                                              jq_path_expressions=[".spec.template.spec.containers[].image"])],
    ), sync_wave=1)
    TypedResource(scope, ImageUpdater(
        metadata=ObjectMeta(name=SERVICES_APP[0], namespace=ARGOCD_NAMESPACE),
        spec=ImageUpdaterSpec(
            common_update_settings=ImageUpdaterSpecApplicationRefsCommonUpdateSettings(
                update_strategy="newest-build", allow_tags=f"regexp:{TAG_PATTERN}"),
            write_back_config=ImageUpdaterSpecApplicationRefsWriteBackConfig(
                method="git", git_config=ImageUpdaterSpecApplicationRefsWriteBackConfigGitConfig(branch=env.git.revision)),
            application_refs=[ImageUpdaterSpecApplicationRefs(
                name_pattern=SERVICES_APP[0],
                images=[ImageUpdaterSpecApplicationRefsImages(alias=s, image_name=image_repository(s)) for s in SERVICES])],
        ),
    ), sync_wave=2)

    # -- Argo Workflows: identity, credentials, pipeline, schedule --------------------------
    TypedResource(scope, ServiceAccount(metadata=ObjectMeta(name=CI_ACCOUNT)), sync_wave=-1)
    TypedResource(scope, Role(metadata=ObjectMeta(name=f"{CI_ACCOUNT}-executor"), rules=[
        PolicyRule(api_groups=["argoproj.io"], resources=["workflowtaskresults"], verbs=["create", "patch"])]), sync_wave=-1)
    TypedResource(scope, RoleBinding(
        metadata=ObjectMeta(name=f"{CI_ACCOUNT}-executor"),
        role_ref=RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=f"{CI_ACCOUNT}-executor"),
        subjects=[Subject(kind="ServiceAccount", name=CI_ACCOUNT, namespace=env.namespace)]), sync_wave=-1)
    store = env.secret_store
    if store is None:
        raise ValueError(f"transcripts-gitops needs a secret_store in environments/{env.environment}.yaml for the Git token")
    meta = ObjectMeta(name=GIT_CREDENTIALS)
    if store.external:
        meta = ObjectMeta(name=GIT_CREDENTIALS,
                          annotations={EXTERNAL_ANNOTATION: f"{store.kind} {store.name} is managed outside dist/"})
    TypedResource(scope, ExternalSecret(metadata=meta, spec=ExternalSecretSpec(
        refresh_interval=store.refresh_interval,
        secret_store_ref=ExternalSecretSpecDataSourceRefStoreRef(kind=store.kind, name=store.name),
        target=ExternalSecretSpecTarget(name=GIT_CREDENTIALS, creation_policy="Owner"),
        data=[ExternalSecretSpecData(secret_key="token",
                                     remote_ref=ExternalSecretSpecDataRemoteRef(key="transcripts/gitops-push-token"))],
    )), sync_wave=-1)
    TypedResource(scope, pipeline(env))
    TypedResource(scope, CronWorkflow(metadata=ObjectMeta(name=NIGHTLY), spec=CronWorkflowSpec(
        schedules=["0 2 * * *"],
        timezone="Etc/UTC",
        concurrency_policy="Forbid",
        starting_deadline_seconds=3600,
        successful_jobs_history_limit=3,
        failed_jobs_history_limit=3,
        workflow_spec=WorkflowSpec(workflow_template_ref=WorkflowTemplateRef(name=PIPELINE)),
    )), sync_wave=1)
