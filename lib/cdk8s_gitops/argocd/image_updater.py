"""Argo CD Image Updater (``argocd-image-updater.argoproj.io/v1alpha1``): the ``ImageUpdater`` resource
and the Application annotations it reads.

An ``ImageUpdater`` selects Applications by name pattern and labels, names the images
to track (alias and image), how to pick a new tag (``updateStrategy``: semver,
newest-build, digest, alphabetical), and how to write it back (``argocd``: through the
Argo CD API; ``git``: a commit to the Application's repository). Settings at the top
are defaults for every application reference, which may override them per image.

The classes are the generated ones (:mod:`cdk8s_gitops.models.argocd_image_updater_argoproj_io_v1alpha1`;
the CRD states the alias and write-back method patterns); the updater's other rules are
semantic checks on them: known update strategies, ``allowTags`` as ``any`` or
``regexp:<valid expression>``, pull secret and write-back target syntax, unique non-empty
image aliases and names, at least one application reference.

With ``useAnnotations: true`` the updater reads the older per-Application annotations
instead; :func:`image_updater_annotations` writes them, checked.
"""

from __future__ import annotations

import re

from pydantic import ValidationError

from ..core.fields import Issues
from ..core.schema import semantic_check
from ..models.argocd_image_updater_argoproj_io_v1alpha1 import (
    ImageUpdater,
    ImageUpdaterSpec,
    ImageUpdaterSpecApplicationRefsCommonUpdateSettings,
    ImageUpdaterSpecApplicationRefsWriteBackConfig,
)
from ._common import register_metadata_check

__all__ = [
    "IMAGE_UPDATER_ANNOTATION_PREFIX",
    "UPDATE_STRATEGIES",
    "ImageUpdater",
    "ImageUpdaterSpec",
    "image_updater_annotations",
]

IMAGE_UPDATER_ANNOTATION_PREFIX = "argocd-image-updater.argoproj.io/"

UPDATE_STRATEGIES = ("semver", "newest-build", "latest", "digest", "alphabetical", "name")
"""Update strategies the image updater knows (``latest`` and ``name`` are the older names of
``newest-build`` and ``alphabetical``)."""

UpdateSettings = ImageUpdaterSpecApplicationRefsCommonUpdateSettings
WriteBack = ImageUpdaterSpecApplicationRefsWriteBackConfig

register_metadata_check(ImageUpdater)

_ALIAS = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9-._]*$")
_METHOD = re.compile(r"^(argocd|git|git:[a-zA-Z0-9][a-zA-Z0-9-._/:]*)$")
_PULL_SECRET_PREFIXES = ("pullsecret:", "secret:", "env:", "ext:")
_TARGET_PREFIXES = ("kustomization", "helmvalues")


def _update_settings_issues(issues: Issues, loc: tuple[str | int, ...], update_strategy: str | None, allow_tags: str | None,
                            pull_secret: str | None) -> None:
    if update_strategy is not None and update_strategy not in UPDATE_STRATEGIES:
        issues.add((*loc, "updateStrategy"), f"{update_strategy!r} is not an update strategy; use one of "
                                             f"{', '.join(UPDATE_STRATEGIES)}", update_strategy)
    allow = allow_tags
    if allow is not None and allow != "any" and not allow.startswith("regexp:"):
        issues.add((*loc, "allowTags"), f"{allow!r} is neither 'any' nor 'regexp:<expression>'; write the filter as "
                                        f"'regexp:^v[0-9]+' (or 'any')", allow)
    elif allow is not None and allow.startswith("regexp:"):
        try:
            re.compile(allow.removeprefix("regexp:"))
        except re.error as exc:
            issues.add((*loc, "allowTags"), f"{allow!r} holds an invalid regular expression ({exc}); fix the expression", allow)
    if pull_secret is not None and not pull_secret.startswith(_PULL_SECRET_PREFIXES):
        issues.add((*loc, "pullSecret"), f"{pull_secret!r} does not start with {', '.join(_PULL_SECRET_PREFIXES)}; write "
                                         f"'pullsecret:<namespace>/<name>' or 'secret:<namespace>/<name>#<key>'", pull_secret)


def _write_back_issues(issues: Issues, loc: tuple[str | int, ...], method: str | None, target: str | None) -> None:
    if method is not None and not _METHOD.match(method):
        issues.add((*loc, "method"), f"{method!r} is not a write-back method; use 'argocd', 'git' or "
                                     f"'git:secret:<namespace>/<secret>'", method)
    if target is not None and target.partition(":")[0] not in _TARGET_PREFIXES:
        issues.add((*loc, "gitConfig", "writeBackTarget"), f"{target!r} is not a write-back target; use "
                                                           f"'kustomization[:<path>]' or 'helmvalues[:<path>]'", target)


@semantic_check(UpdateSettings)
def _check_update_settings(settings: UpdateSettings) -> None:
    issues = Issues()
    _update_settings_issues(issues, (), settings.update_strategy, settings.allow_tags, settings.pull_secret)
    issues.raise_any("CommonUpdateSettings")


@semantic_check(WriteBack)
def _check_write_back(config: WriteBack) -> None:
    issues = Issues()
    target = config.git_config.write_back_target if config.git_config else None
    _write_back_issues(issues, (), None, target)  # the method's pattern is a schema rule of the generated class
    issues.raise_any("WriteBackConfig")


@semantic_check(ImageUpdaterSpec)
def _check_spec(spec: ImageUpdaterSpec) -> None:
    issues = Issues()
    if not spec.application_refs:
        issues.add(("applicationRefs",), "is empty, so no Application is updated; add at least one application reference",
                   [])
    for i, ref in enumerate(spec.application_refs):
        # Unique aliases: the schema keys images by alias (x-kubernetes-list-type map), a generated rule.
        for j, image in enumerate(ref.images or ()):
            if not image.image_name.strip():
                issues.add(("applicationRefs", i, "images", j, "imageName"),
                           "is empty; give the image (such as 'ghcr.io/acme/shop:1.x')", image.image_name)
    issues.raise_any("ImageUpdaterSpec")


@semantic_check(ImageUpdater)
def _check_image_updater(updater: ImageUpdater) -> None:
    if updater.spec is None:
        issues = Issues()
        issues.add(("spec",), "is not set; add spec.applicationRefs naming the Applications whose images are updated", None)
        issues.raise_any("ImageUpdater")


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
    _update_settings_issues(issues, ("settings",), update_strategy, allow_tags, None)
    _write_back_issues(issues, ("writeBack",), write_back_method, write_back_target)
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
