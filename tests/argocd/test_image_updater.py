"""ImageUpdater (argocd-image-updater.argoproj.io/v1alpha1) and the Application annotations the updater reads."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.argocd import ImageUpdater, image_updater_annotations


def updater(**spec: Any) -> dict[str, Any]:
    """A valid ImageUpdater manifest; keyword arguments replace spec fields."""
    body: dict[str, Any] = {"applicationRefs": [{"namePattern": "shop-*", "images": [
        {"alias": "shop", "imageName": "ghcr.io/acme/shop:1.x"}]}]}
    body.update(spec)
    return {"apiVersion": "argocd-image-updater.argoproj.io/v1alpha1", "kind": "ImageUpdater",
            "metadata": {"name": "shop", "namespace": "argocd"}, "spec": body}


def refused(doc: dict[str, Any]) -> str:
    """The message of the ManifestError that loading ``doc`` raises."""
    return manifest_error(ImageUpdater, doc)


class TestImageUpdater:
    def test_round_trip(self) -> None:
        """A complete ImageUpdater loads and emits itself unchanged."""
        doc = updater(
            commonUpdateSettings={"updateStrategy": "newest-build", "allowTags": "regexp:^[0-9a-f]{7}$",
                                  "ignoreTags": ["latest"], "pullSecret": "pullsecret:argocd/ghcr", "forceUpdate": False},
            writeBackConfig={"method": "git:secret:argocd/git-creds",
                             "gitConfig": {"branch": "main", "writeBackTarget": "helmvalues:/values.yaml",
                                           "pullRequest": {"github": {}}}},
            imagesVerification={"enabled": True, "cosignKey": {"secretName": "cosign", "key": "cosign.pub"}},
        )
        doc["spec"]["applicationRefs"].append({"namePattern": "*", "useAnnotations": True,
                                               "labelSelectors": {"matchLabels": {"image-updater": "on"}}})
        assert ImageUpdater.from_manifest(doc).to_manifest() == doc

    def test_update_strategy(self) -> None:
        """updateStrategy must be a strategy the updater knows."""
        message = refused(updater(commonUpdateSettings={"updateStrategy": "newest"}))
        assert "spec.commonUpdateSettings.updateStrategy: 'newest' is not an update strategy" in message

    def test_allow_tags_form(self) -> None:
        """allowTags is 'any' or 'regexp:<expression>'."""
        message = refused(updater(commonUpdateSettings={"allowTags": "^v1"}))
        assert "spec.commonUpdateSettings.allowTags: '^v1' is neither 'any' nor 'regexp:<expression>'" in message

    def test_allow_tags_regexp(self) -> None:
        """The expression of allowTags must compile."""
        assert "allowTags: 'regexp:^(v1' holds an invalid regular expression" in refused(
            updater(commonUpdateSettings={"allowTags": "regexp:^(v1"}))

    def test_pull_secret_form(self) -> None:
        """pullSecret names its source (pullsecret:, secret:, env:, ext:)."""
        assert "spec.commonUpdateSettings.pullSecret: 'ghcr-creds' does not start with" in refused(
            updater(commonUpdateSettings={"pullSecret": "ghcr-creds"}))

    def test_write_back_method(self) -> None:
        """writeBackConfig.method is argocd, git or git:<credentials> (the CRD's pattern)."""
        message = refused(updater(writeBackConfig={"method": "github"}))
        assert "spec.writeBackConfig.method: String should match pattern '^(argocd|git|git:" in message
        assert "got 'github'" in message

    def test_write_back_target(self) -> None:
        """writeBackTarget is kustomization[:path] or helmvalues[:path]."""
        message = refused(updater(writeBackConfig={"method": "git", "gitConfig": {"writeBackTarget": "values:/v.yaml"}}))
        assert "spec.writeBackConfig.gitConfig.writeBackTarget: 'values:/v.yaml' is not a write-back target" in message

    def test_alias_pattern(self) -> None:
        """An image alias follows the upstream pattern."""
        doc = updater(applicationRefs=[{"namePattern": "x", "images": [{"alias": "-shop", "imageName": "shop:1"}]}])
        message = refused(doc)
        assert "spec.applicationRefs[0].images[0].alias: String should match pattern '^[a-zA-Z0-9][a-zA-Z0-9-._]*$'" in message
        assert "got '-shop'" in message

    def test_alias_unique(self) -> None:
        """Aliases are unique within an application reference."""
        image = {"alias": "shop", "imageName": "shop:1"}
        doc = updater(applicationRefs=[{"namePattern": "x", "images": [image, image]}])
        assert "spec.applicationRefs[0].images[1].alias: 'shop' is already used by images[0]" in refused(doc)

    def test_image_name_not_empty(self) -> None:
        """An image needs a name."""
        doc = updater(applicationRefs=[{"namePattern": "x", "images": [{"alias": "shop", "imageName": ""}]}])
        assert "spec.applicationRefs[0].images[0].imageName: is empty" in refused(doc)

    def test_per_image_settings_checked(self) -> None:
        """Settings inside an image are checked like the top-level ones."""
        doc = updater(applicationRefs=[{"namePattern": "x", "images": [
            {"alias": "shop", "imageName": "shop:1", "commonUpdateSettings": {"updateStrategy": "highest"}}]}])
        assert "spec.applicationRefs[0].images[0].commonUpdateSettings.updateStrategy: 'highest'" in refused(doc)

    def test_application_refs_required(self) -> None:
        """applicationRefs is required and may not be empty."""
        assert "spec.applicationRefs: List should have at least 1 item" in refused(updater(applicationRefs=[]))
        assert "spec.applicationRefs[0].namePattern: required field is missing" in refused(
            updater(applicationRefs=[{"images": []}]))


class TestAnnotations:
    def test_annotations(self) -> None:
        """The annotations hold the image list, per-alias settings and the write-back settings."""
        assert image_updater_annotations(
            {"shop": "ghcr.io/acme/shop:1.x"}, update_strategy="semver", write_back_method="git",
            write_back_target="kustomization", git_branch="main", helm_parameters={"shop": ("image.repository", "image.tag")},
        ) == {
            "argocd-image-updater.argoproj.io/image-list": "shop=ghcr.io/acme/shop:1.x",
            "argocd-image-updater.argoproj.io/shop.update-strategy": "semver",
            "argocd-image-updater.argoproj.io/shop.helm.image-name": "image.repository",
            "argocd-image-updater.argoproj.io/shop.helm.image-tag": "image.tag",
            "argocd-image-updater.argoproj.io/write-back-method": "git",
            "argocd-image-updater.argoproj.io/write-back-target": "kustomization",
            "argocd-image-updater.argoproj.io/git-branch": "main",
        }

    def test_bad_strategy(self) -> None:
        """An unknown strategy is refused, naming the annotation and the value."""
        with pytest.raises(ValueError, match=r"<alias>.update-strategy: 'fastest' is not an update strategy"):
            image_updater_annotations({"shop": "shop"}, update_strategy="fastest")

    def test_bad_method(self) -> None:
        """An unknown write-back method is refused."""
        with pytest.raises(ValueError, match=r"write-back-method: 'push' is not a write-back method"):
            image_updater_annotations({"shop": "shop"}, write_back_method="push")

    def test_needs_an_image(self) -> None:
        """At least one image is needed."""
        with pytest.raises(ValueError, match="image-list: no image given"):
            image_updater_annotations({})

    def test_helm_parameters_alias_known(self) -> None:
        """Helm parameters refer to an alias of the image list."""
        with pytest.raises(ValueError, match="alias 'api' is not in images"):
            image_updater_annotations({"shop": "shop"}, helm_parameters={"api": ("a", "b")})
