"""monorepo-appsets (seed 004): the ApplicationSets `infra` and `services` over the monorepo platform's dist/ folders."""

from __future__ import annotations

from typing import Any

import pytest


def appsets(env: str, synth_app: Any) -> dict[str, dict[str, Any]]:
    return {m["metadata"]["name"]: m for m in synth_app("monorepo-appsets", env).manifests if m["kind"] == "ApplicationSet"}


class TestSnapshot:
    @pytest.mark.parametrize("env", ["dev"])
    def test_snapshot(self, env: str, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of each environment the app runs in, for review."""
        assert synth_app("monorepo-appsets", env).manifests == yaml_snapshot


class TestApplicationSets:
    def test_two_appsets_in_argocd(self, synth_app) -> None:  # noqa: ANN001
        """Exactly the seed's two ApplicationSets, argoproj.io/v1alpha1, in namespace argocd."""
        manifests = synth_app("monorepo-appsets", "dev").manifests
        assert sorted((m["kind"], m["metadata"]["name"]) for m in manifests) == [
            ("ApplicationSet", "infra"), ("ApplicationSet", "services")]
        for m in manifests:
            assert m["apiVersion"] == "argoproj.io/v1alpha1"
            assert m["metadata"]["namespace"] == "argocd"

    @pytest.mark.parametrize("name", ["infra", "services"])
    def test_go_templates_and_ignored_sync_policy(self, name: str, synth_app) -> None:  # noqa: ANN001
        """Go templates with missingkey=error; differences in /spec/syncPolicy are ignored."""
        spec = appsets("dev", synth_app)[name]["spec"]
        assert spec["goTemplate"] is True
        assert spec["goTemplateOptions"] == ["missingkey=error"]
        assert spec["ignoreApplicationDifferences"] == [{"jsonPointers": ["/spec/syncPolicy"]}]

    @pytest.mark.parametrize("name", ["infra", "services"])
    def test_automated_sync_policy(self, name: str, synth_app) -> None:  # noqa: ANN001
        """Generated Applications sync automatically with prune, self-heal, CreateNamespace and ApplyOutOfSyncOnly."""
        policy = appsets("dev", synth_app)[name]["spec"]["template"]["spec"]["syncPolicy"]
        assert policy == {"automated": {"prune": True, "selfHeal": True},
                          "syncOptions": ["CreateNamespace=true", "ApplyOutOfSyncOnly=true"]}

    def test_infra_generator_and_template(self, synth_app) -> None:  # noqa: ANN001
        """infra: a Git directory generator over dist/dev/monorepo-infra; name and namespace from the path segment."""
        spec = appsets("dev", synth_app)["infra"]["spec"]
        git = spec["generators"][0]["git"]
        assert git["repoURL"] == "https://github.com/example-org/gitops-platform.git"
        assert git["revision"] == "main"
        assert git["directories"] == [{"path": "dist/dev/monorepo-infra"}]
        template = spec["template"]
        assert template["metadata"]["name"] == "{{ index .path.segments 2 }}"
        assert template["spec"]["destination"] == {"server": "https://kubernetes.default.svc",
                                                   "namespace": "{{ index .path.segments 2 }}"}
        assert template["spec"]["source"]["path"] == "{{ .path.path }}"
        assert template["spec"]["source"]["targetRevision"] == "main"
        assert template["spec"]["project"] == "default"

    def test_services_generator_and_template(self, synth_app) -> None:  # noqa: ANN001
        """services: the services and Temporal folders, name from the path segment, namespace services."""
        spec = appsets("dev", synth_app)["services"]["spec"]
        assert spec["generators"][0]["git"]["directories"] == [{"path": "dist/dev/monorepo-services"},
                                                                {"path": "dist/dev/monorepo-temporal"}]
        assert spec["template"]["metadata"]["name"] == "{{ index .path.segments 2 }}"
        assert spec["template"]["spec"]["destination"]["namespace"] == "services"

    def test_generated_folders_exist(self, synth_app) -> None:  # noqa: ANN001
        """Every folder a generator lists is an app synthesized for dev (the segment after dist/dev names it)."""
        for appset in appsets("dev", synth_app).values():
            for directory in appset["spec"]["generators"][0]["git"]["directories"]:
                app = directory["path"].split("/")[2]
                assert synth_app(app, "dev").manifests
