"""Argo CD kinds (``argoproj.io/v1alpha1``): Application, ApplicationSet, AppProject; and Argo CD
Image Updater's ``ImageUpdater`` (``argocd-image-updater.argoproj.io/v1alpha1``).

The classes are the generated ones (:mod:`cdk8s_gitops.models.argoproj_io_v1alpha1` and
:mod:`cdk8s_gitops.models.argocd_image_updater_argoproj_io_v1alpha1`). Importing this
package registers Argo CD's own checks on them as semantic checks (sources, destinations,
sync options, generators, project roles and windows, image updater settings), which run
for objects built in Python and loaded with :func:`cdk8s_gitops.from_manifest` alike.

Also the sync-wave and sync-options annotations (:func:`sync_wave_annotation`,
:func:`sync_options_annotation`) and the list of sync options Argo CD knows. Importing
this package registers the kinds with :func:`cdk8s_gitops.from_manifest` and the
synth check that every ``argocd.argoproj.io/sync-wave`` annotation is an integer.

Example::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.argocd import FINALIZER_FOREGROUND, Application, ApplicationSource, ApplicationSpec, SyncPolicy
    from cdk8s_gitops.models.argoproj_io_v1alpha1 import Automated, Destination

    app = Application(
        metadata=ObjectMeta(name="shop", namespace="argocd", finalizers=[FINALIZER_FOREGROUND]),
        spec=ApplicationSpec(
            project="default",
            source=ApplicationSource(repo_url="https://github.com/acme/gitops.git", path="dist/dev/shop", target_revision="main"),
            destination=Destination(server="https://kubernetes.default.svc", namespace="shop"),
            sync_policy=SyncPolicy(automated=Automated(prune=True, self_heal=True), sync_options=["CreateNamespace=true"]),
        ),
    )

``TypedResource(scope, app, sync_wave=-1)`` then puts it into a chart, in sync wave -1.
"""

from ..core.resource import SYNC_WAVE
from ._common import template_context
from .application import (
    FINALIZER_BACKGROUND,
    FINALIZER_FOREGROUND,
    Application,
    ApplicationSource,
    ApplicationSpec,
    Automated,
    Destination,
    HelmSource,
    IgnoreDifferences,
    all_sources,
    source_tools,
)
from .applicationset import (
    GO_TEMPLATE_OPTIONS,
    ApplicationSet,
    ApplicationSetSpec,
    ApplicationSetTemplate,
    ApplicationSetTemplateMetadata,
    ApplicationSetTemplateSpec,
    Generators,
    GitDirectory,
    GitGenerator,
    MatrixGenerator,
    MergeGenerator,
    generator_type,
)
from .appproject import (
    POLICY_ACTIONS,
    POLICY_RESOURCES,
    AppProject,
    AppProjectSpec,
    ClusterResourceRestrictionItem,
    GroupKind,
    ProjectRole,
    check_cron_schedule,
    project_policy,
)
from .image_updater import (
    IMAGE_UPDATER_ANNOTATION_PREFIX,
    UPDATE_STRATEGIES,
    ImageUpdater,
    ImageUpdaterSpec,
    image_updater_annotations,
)
from .sync import (
    APPLICATION_SYNC_OPTIONS,
    RESOURCE_SYNC_OPTIONS,
    SYNC_OPTIONS_ANNOTATION,
    SyncPolicy,
    TemplateSyncPolicy,
    check_sync_option,
    check_sync_waves,
    has_option,
    sync_options_annotation,
    sync_policy_issues,
    sync_wave_annotation,
    sync_wave_of,
)

__all__ = [
    "APPLICATION_SYNC_OPTIONS",
    "FINALIZER_BACKGROUND",
    "FINALIZER_FOREGROUND",
    "GO_TEMPLATE_OPTIONS",
    "IMAGE_UPDATER_ANNOTATION_PREFIX",
    "POLICY_ACTIONS",
    "POLICY_RESOURCES",
    "RESOURCE_SYNC_OPTIONS",
    "SYNC_OPTIONS_ANNOTATION",
    "SYNC_WAVE",
    "UPDATE_STRATEGIES",
    "AppProject",
    "AppProjectSpec",
    "Application",
    "ApplicationSet",
    "ApplicationSetSpec",
    "ApplicationSetTemplate",
    "ApplicationSetTemplateMetadata",
    "ApplicationSetTemplateSpec",
    "ApplicationSource",
    "ApplicationSpec",
    "Automated",
    "ClusterResourceRestrictionItem",
    "Destination",
    "Generators",
    "GitDirectory",
    "GitGenerator",
    "GroupKind",
    "HelmSource",
    "IgnoreDifferences",
    "ImageUpdater",
    "ImageUpdaterSpec",
    "MatrixGenerator",
    "MergeGenerator",
    "ProjectRole",
    "SyncPolicy",
    "TemplateSyncPolicy",
    "all_sources",
    "check_cron_schedule",
    "check_sync_option",
    "check_sync_waves",
    "generator_type",
    "has_option",
    "image_updater_annotations",
    "project_policy",
    "source_tools",
    "sync_options_annotation",
    "sync_policy_issues",
    "sync_wave_annotation",
    "sync_wave_of",
    "template_context",
]
