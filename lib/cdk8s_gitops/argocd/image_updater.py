"""Argo CD Image Updater (``argocd-image-updater.argoproj.io/v1alpha1``): the ``ImageUpdater`` resource
and the Application annotations it reads.

An ``ImageUpdater`` selects Applications by name pattern and labels, names the images
to track (alias and image), how to pick a new tag (``updateStrategy``: semver,
newest-build, digest, alphabetical), and how to write it back (``argocd``: through the
Argo CD API; ``git``: a commit to the Application's repository). Settings at the top
are defaults for every application reference, which may override them per image.

With ``useAnnotations: true`` the updater reads the older per-Application annotations
instead; :func:`image_updater_annotations` writes them, checked.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar, Self

from pydantic import ValidationError, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel
from ._common import ArgoResource, LabelSelector

__all__ = [
    "IMAGE_UPDATER_ANNOTATION_PREFIX",
    "UPDATE_STRATEGIES",
    "CommonUpdateSettings",
    "CosignKey",
    "GitWriteBackConfig",
    "ImageConfig",
    "ImageUpdater",
    "ImageUpdaterApplicationRef",
    "ImageUpdaterSpec",
    "ImagesVerification",
    "KustomizeTarget",
    "ManifestTargets",
    "ParameterTarget",
    "WriteBackConfig",
    "image_updater_annotations",
]

IMAGE_UPDATER_ANNOTATION_PREFIX = "argocd-image-updater.argoproj.io/"

UPDATE_STRATEGIES = ("semver", "newest-build", "latest", "digest", "alphabetical", "name")
"""Update strategies the image updater knows (``latest`` and ``name`` are the older names of
``newest-build`` and ``alphabetical``)."""

_ALIAS = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-._]*$")
_METHOD = re.compile(r"^(argocd|git|git:[a-zA-Z0-9][a-zA-Z0-9-._/:]*)$")
_PULL_SECRET_PREFIXES = ("pullsecret:", "secret:", "env:", "ext:")
_TARGET_PREFIXES = ("kustomization", "helmvalues")


def _check_update_settings(issues: Issues, loc: tuple[str | int, ...], settings: CommonUpdateSettings | None) -> None:
    if settings is None:
        return
    if settings.update_strategy is not None and settings.update_strategy not in UPDATE_STRATEGIES:
        issues.add((*loc, "updateStrategy"), f"{settings.update_strategy!r} is not an update strategy; use one of "
                                             f"{', '.join(UPDATE_STRATEGIES)}", settings.update_strategy)
    allow = settings.allow_tags
    if allow is not None and allow != "any" and not allow.startswith("regexp:"):
        issues.add((*loc, "allowTags"), f"{allow!r} is neither 'any' nor 'regexp:<expression>'; write the filter as "
                                        f"'regexp:^v[0-9]+' (or 'any')", allow)
    elif allow is not None and allow.startswith("regexp:"):
        try:
            re.compile(allow.removeprefix("regexp:"))
        except re.error as exc:
            issues.add((*loc, "allowTags"), f"{allow!r} holds an invalid regular expression ({exc}); fix the expression", allow)
    secret = settings.pull_secret
    if secret is not None and not secret.startswith(_PULL_SECRET_PREFIXES):
        issues.add((*loc, "pullSecret"), f"{secret!r} does not start with {', '.join(_PULL_SECRET_PREFIXES)}; write "
                                         f"'pullsecret:<namespace>/<name>' or 'secret:<namespace>/<name>#<key>'", secret)


def _check_write_back(issues: Issues, loc: tuple[str | int, ...], config: WriteBackConfig | None) -> None:
    if config is None:
        return
    if config.method is not None and not _METHOD.match(config.method):
        issues.add((*loc, "method"), f"{config.method!r} is not a write-back method; use 'argocd', 'git' or "
                                     f"'git:secret:<namespace>/<secret>'", config.method)
    target = config.git_config.write_back_target if config.git_config else None
    if target is not None and target.partition(":")[0] not in _TARGET_PREFIXES:
        issues.add((*loc, "gitConfig", "writeBackTarget"), f"{target!r} is not a write-back target; use "
                                                           f"'kustomization[:<path>]' or 'helmvalues[:<path>]'", target)


# -- nested structures ------------------------------------------------------------------------
class CommonUpdateSettings(K8sModel):
    """``commonUpdateSettings``: how new tags are chosen (at the top, per application reference or per image).

    Attributes:
        update_strategy: ``updateStrategy``: see :data:`UPDATE_STRATEGIES`. Default: ``semver``.
        allow_tags: ``allowTags``: ``regexp:<expression>`` or ``any``. Default: all tags.
        ignore_tags: ``ignoreTags``: tag globs to skip. Default: none.
        force_update: ``forceUpdate``: update even when the image is not in use. Default: false.
        pull_secret: ``pullSecret``: registry credentials (``pullsecret:<ns>/<name>``, ``secret:<ns>/<name>#<key>``,
            ``env:<VAR>``, ``ext:<script>``). Default: anonymous.
        platforms: ``platforms``: platforms an image must support (``linux/amd64``). Default: the cluster's.
    """

    update_strategy: str | None = None
    allow_tags: str | None = None
    ignore_tags: list[str] | None = None
    force_update: bool | None = None
    pull_secret: str | None = None
    platforms: list[str] | None = None


class GitWriteBackConfig(K8sModel):
    """``writeBackConfig.gitConfig``: where the ``git`` write-back method commits.

    Attributes:
        repository: ``repository``. Default: the Application's source repository.
        branch: ``branch``: branch to commit to (``main:image-updates`` to push to another branch). Default: the
            Application's target revision.
        write_back_target: ``writeBackTarget``: ``kustomization[:<path>]`` or ``helmvalues[:<path>]``. Default: an
            ``.argocd-source-<app>.yaml`` file.
        pull_request: ``pullRequest``: open a pull request instead of pushing (``github: {}``), kept as given.
            Default: none.
    """

    repository: str | None = None
    branch: str | None = None
    write_back_target: str | None = None
    pull_request: dict[str, Any] | None = None


class WriteBackConfig(K8sModel):
    """``writeBackConfig``: how a new tag is recorded.

    Attributes:
        method: ``method``: ``argocd`` (Argo CD API), ``git``, or ``git:secret:<ns>/<name>`` (credentials). Default:
            ``argocd``.
        git_config: ``gitConfig``: see :class:`GitWriteBackConfig`. Default: none.
    """

    method: str | None = None
    git_config: GitWriteBackConfig | None = None


class CosignKey(K8sModel):
    """``imagesVerification.cosignKey``: the public key images must be signed with.

    Attributes:
        secret_name: ``secretName``: Secret holding the key. Required.
        key: ``key``: key inside the Secret. Required.
    """

    secret_name: str
    key: str


class ImagesVerification(K8sModel):
    """``imagesVerification``: signature checks before an update.

    Attributes:
        enabled: ``enabled``. Default: true.
        cosign_key: ``cosignKey``: see :class:`CosignKey`. Default: none.
    """

    enabled: bool | None = None
    cosign_key: CosignKey | None = None


class ParameterTarget(K8sModel):
    """``manifestTargets.helm`` / ``manifestTargets.plugin``: parameter names that receive the image.

    Attributes:
        name: ``name``: parameter for the image name. tag: ``tag``: parameter for the tag.
        spec: ``spec``: parameter for the full image reference. Default: none for each.
    """

    name: str | None = None
    tag: str | None = None
    spec: str | None = None


class KustomizeTarget(K8sModel):
    """``manifestTargets.kustomize``.

    Attributes:
        name: ``name``: the image name in the kustomization. Required.
    """

    name: str


class ManifestTargets(K8sModel):
    """``images[].manifestTargets``: where in the Application's source the image is set.

    Attributes:
        helm: ``helm``: see :class:`ParameterTarget`. kustomize: ``kustomize``: see :class:`KustomizeTarget`.
        plugin: ``plugin``: see :class:`ParameterTarget`. Default: none for each (detected).
    """

    helm: ParameterTarget | None = None
    kustomize: KustomizeTarget | None = None
    plugin: ParameterTarget | None = None


class ImageConfig(K8sModel):
    """One ``applicationRefs[].images`` entry.

    Attributes:
        alias: ``alias``: short name of the image (letters, digits, ``-``, ``.``, ``_``). Required.
        image_name: ``imageName``: image with an optional version constraint (``nginx:1.x``). Required.
        common_update_settings: ``commonUpdateSettings``: see :class:`CommonUpdateSettings`. Default: inherited.
        manifest_targets: ``manifestTargets``: see :class:`ManifestTargets`. Default: detected.
        images_verification: ``imagesVerification``: see :class:`ImagesVerification`. Default: inherited.
    """

    alias: str
    image_name: str
    common_update_settings: CommonUpdateSettings | None = None
    manifest_targets: ManifestTargets | None = None
    images_verification: ImagesVerification | None = None


class ImageUpdaterApplicationRef(K8sModel):
    """One ``spec.applicationRefs`` entry: which Applications, and which of their images.

    Attributes:
        name_pattern: ``namePattern``: Application name glob (``*``, ``shop-*``). Required.
        label_selectors: ``labelSelectors``: label selector on the Applications. Default: none.
        use_annotations: ``useAnnotations``: read the per-Application annotations instead of ``images``.
            Default: false.
        images: ``images``: see :class:`ImageConfig`. Default: none.
        common_update_settings: ``commonUpdateSettings``. write_back_config: ``writeBackConfig``.
        images_verification: ``imagesVerification``. Default: inherited from the spec.
    """

    name_pattern: str
    label_selectors: LabelSelector | None = None
    use_annotations: bool | None = None
    images: list[ImageConfig] | None = None
    common_update_settings: CommonUpdateSettings | None = None
    write_back_config: WriteBackConfig | None = None
    images_verification: ImagesVerification | None = None


class ImageUpdaterSpec(K8sModel):
    """``spec`` of an ImageUpdater.

    Attributes:
        application_refs: ``applicationRefs``: see :class:`ImageUpdaterApplicationRef`. Required.
        common_update_settings: ``commonUpdateSettings``: defaults for every reference. Default: semver.
        write_back_config: ``writeBackConfig``: defaults for every reference. Default: ``argocd`` method.
        images_verification: ``imagesVerification``: defaults for every reference. Default: none.

    Checks: aliases match the upstream pattern and are unique within a reference; update
    strategies, tag filters, pull secrets, write-back methods and targets use the
    forms the updater reads.
    """

    application_refs: list[ImageUpdaterApplicationRef]
    common_update_settings: CommonUpdateSettings | None = None
    write_back_config: WriteBackConfig | None = None
    images_verification: ImagesVerification | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        _check_update_settings(issues, ("commonUpdateSettings",), self.common_update_settings)
        _check_write_back(issues, ("writeBackConfig",), self.write_back_config)
        if not self.application_refs:
            issues.add(("applicationRefs",), "is empty, so no Application is updated; add at least one application reference",
                       [])
        for i, ref in enumerate(self.application_refs):
            loc: tuple[str | int, ...] = ("applicationRefs", i)
            _check_update_settings(issues, (*loc, "commonUpdateSettings"), ref.common_update_settings)
            _check_write_back(issues, (*loc, "writeBackConfig"), ref.write_back_config)
            aliases: dict[str, int] = {}
            for j, image in enumerate(ref.images or ()):
                if not _ALIAS.match(image.alias):
                    issues.add((*loc, "images", j, "alias"), f"{image.alias!r} is not a valid alias; use letters, digits, "
                                                             f"'-', '.' and '_', starting with a letter or digit", image.alias)
                elif image.alias in aliases:
                    issues.add((*loc, "images", j, "alias"), f"{image.alias!r} is already the alias of images[{aliases[image.alias]}]; "
                                                             f"give each image a unique alias", image.alias)
                aliases.setdefault(image.alias, j)
                if not image.image_name.strip():
                    issues.add((*loc, "images", j, "imageName"), "is empty; give the image (such as 'ghcr.io/acme/shop:1.x')",
                               image.image_name)
                _check_update_settings(issues, (*loc, "images", j, "commonUpdateSettings"), image.common_update_settings)
        issues.raise_any("ImageUpdaterSpec")
        return self


class ImageUpdater(ArgoResource):
    """An Argo CD Image Updater ``ImageUpdater`` (``argocd-image-updater.argoproj.io/v1alpha1``).

    Attributes:
        spec: ``spec``: see :class:`ImageUpdaterSpec`. Required.
        status: ``status``: written by the updater, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ImageUpdater"
    API_VERSIONS: ClassVar[tuple[str, ...]] = ("argocd-image-updater.argoproj.io/v1alpha1",)

    spec: ImageUpdaterSpec
    status: dict[str, Any] | None = None


# -- annotations --------------------------------------------------------------------------------
def image_updater_annotations(
    images: dict[str, str],
    *,
    update_strategy: str | None = None,
    allow_tags: str | None = None,
    write_back_method: str | None = None,
    write_back_target: str | None = None,
    git_branch: str | None = None,
    helm_parameters: dict[str, tuple[str, str]] | None = None,
) -> dict[str, str]:
    """The Application annotations the image updater reads (with ``useAnnotations: true``).

    Args:
        images: alias -> image with an optional constraint (``{"shop": "ghcr.io/acme/shop:1.x"}``); becomes
            ``image-list``. Required (at least one).
        update_strategy: per-alias ``<alias>.update-strategy`` for every image. Default: none (semver).
        allow_tags: per-alias ``<alias>.allow-tags`` (``regexp:...`` or ``any``). Default: none.
        write_back_method: ``write-back-method`` (``argocd``, ``git``, ``git:secret:<ns>/<name>``). Default: none.
        write_back_target: ``write-back-target`` (``kustomization[:<path>]``, ``helmvalues[:<path>]``). Default: none.
        git_branch: ``git-branch``. Default: none.
        helm_parameters: alias -> (name parameter, tag parameter): ``<alias>.helm.image-name`` and
            ``<alias>.helm.image-tag``. Default: none.

    Each value is checked as in :class:`ImageUpdaterSpec`; a mistake raises ``ValueError``
    naming the annotation and the value.
    """
    if not images:
        raise ValueError(f"{IMAGE_UPDATER_ANNOTATION_PREFIX}image-list: no image given; pass at least one alias and image")
    issues = Issues()
    settings = CommonUpdateSettings(update_strategy=update_strategy, allow_tags=allow_tags)
    _check_update_settings(issues, ("settings",), settings)
    _check_write_back(issues, ("writeBack",), WriteBackConfig(
        method=write_back_method, git_config=GitWriteBackConfig(write_back_target=write_back_target)))
    for alias in images:
        if not _ALIAS.match(alias):
            issues.add(("alias",), f"{alias!r} is not a valid alias; use letters, digits, '-', '.' and '_'", alias)
    try:
        issues.raise_any("annotations")
    except ValidationError as exc:
        names = {"updateStrategy": "<alias>.update-strategy", "allowTags": "<alias>.allow-tags",
                 "method": "write-back-method", "writeBackTarget": "write-back-target", "alias": "image-list"}
        first = exc.errors()[0]
        key = names.get(str(first["loc"][-1]), str(first["loc"][-1]))
        raise ValueError(f"{IMAGE_UPDATER_ANNOTATION_PREFIX}{key}: {first['msg']}") from None
    p = IMAGE_UPDATER_ANNOTATION_PREFIX
    out = {f"{p}image-list": ",".join(f"{alias}={image}" for alias, image in images.items())}
    for alias in images:
        if update_strategy:
            out[f"{p}{alias}.update-strategy"] = update_strategy
        if allow_tags:
            out[f"{p}{alias}.allow-tags"] = allow_tags
    for alias, (name_param, tag_param) in (helm_parameters or {}).items():
        if alias not in images:
            raise ValueError(f"{p}{alias}.helm.image-name: alias {alias!r} is not in images ({', '.join(images)}); "
                             f"use one of the image aliases")
        out[f"{p}{alias}.helm.image-name"] = name_param
        out[f"{p}{alias}.helm.image-tag"] = tag_param
    if write_back_method:
        out[f"{p}write-back-method"] = write_back_method
    if write_back_target:
        out[f"{p}write-back-target"] = write_back_target
    if git_branch:
        out[f"{p}git-branch"] = git_branch
    return out
