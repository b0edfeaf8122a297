"""TeamProject: an AppProject per team with least privilege."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import crd_schema

from cdk8s_gitops import ManifestError
from cdk8s_gitops.argocd import AppProject, ClusterResourceRestrictionItem, GroupKind, ProjectRole
from cdk8s_gitops.models.argoproj_io_v1alpha1 import AppProjectSpecNamespaceResourceBlacklist, AppProjectSpecRoles
from cdk8s_gitops.platform import ProjectDestination, TeamProject, TeamProjectProps
from cdk8s_gitops.testing import synth_chart

REPO = "https://github.com/example/platform.git"


def props(**extra) -> TeamProjectProps:  # noqa: ANN003
    return TeamProjectProps(team="payments", source_repos=(REPO,),
                            destinations=(ProjectDestination(namespace="payments-dev"),), **extra)


class TestTeamProject:
    def test_only_what_the_team_owns(self) -> None:
        """Repositories, destinations and kinds are listed explicitly; no cluster-scoped kind by default; no Secret."""
        [project] = synth_chart(lambda s, e: TeamProject(s, "team", props(group="payments-devs")))
        spec = project["spec"]
        assert project["metadata"] == {**project["metadata"], "name": "payments", "namespace": "argocd"}
        assert spec["sourceRepos"] == [REPO]
        assert spec["destinations"] == [{"server": "https://kubernetes.default.svc", "namespace": "payments-dev"}]
        assert spec["clusterResourceWhitelist"] == []
        kinds = {(k["group"], k["kind"]) for k in spec["namespaceResourceWhitelist"]}
        assert ("argoproj.io", "Rollout") in kinds and ("", "Secret") not in kinds
        role = spec["roles"][0]
        assert role["groups"] == ["payments-devs"]
        assert role["policies"] == ["p, proj:payments:developers, applications, get, payments/*, allow",
                                    "p, proj:payments:developers, applications, sync, payments/*, allow"]

    @pytest.mark.parametrize("extra", [{"source_repos": ["*"]}, {"cluster_kinds": ["*"]},
                                       {"namespaced_kinds": ["apps/*"]}])
    def test_wildcards_refused(self, extra: dict[str, list[str]]) -> None:
        """A wildcard repository or kind is refused, naming the field and the value."""
        data = {"team": "payments", "source_repos": [REPO], "destinations": [{"namespace": "payments-dev"}], **extra}
        with pytest.raises(ManifestError, match="is a wildcard"):
            TeamProjectProps(**data)  # type: ignore[arg-type]  # fields from a parametrized mapping

    def test_valid_against_schema(self) -> None:
        """The AppProject validates against Argo CD's CRD schema."""
        import jsonschema

        schema = crd_schema("argoproj.io/v1alpha1", "AppProject")
        [project] = synth_chart(lambda s, e: TeamProject(s, "team", props(group="g")))
        assert list(jsonschema.Draft7Validator(schema).iter_errors(project)) == []


class TestEnvironmentTarget:
    def test_destinations_default_to_the_environment_cluster(self) -> None:
        """A destination without a server gets the environment's cluster.server; the project its Argo CD namespace."""
        env: dict[str, Any] = {"cluster": {"name": "staging", "server": "https://staging.k8s.example.com"}, "argocd": {"namespace": "gitops"}}
        [project] = synth_chart(lambda s, e: TeamProject(s, "team", props()), **env)
        assert project["spec"]["destinations"] == [{"server": "https://staging.k8s.example.com", "namespace": "payments-dev"}]
        assert project["metadata"]["namespace"] == "gitops"

    def test_explicit_server_wins(self) -> None:
        """A destination's own server is kept."""
        p = TeamProjectProps(team="payments", source_repos=(REPO,),
                             destinations=(ProjectDestination(namespace="payments", server="https://other.example.com"),))
        [project] = synth_chart(lambda s, e: TeamProject(s, "team", p))
        assert project["spec"]["destinations"][0]["server"] == "https://other.example.com"


class TestTypedProject:
    def test_built_from_typed_parts(self) -> None:
        """The AppProject is composed of ProjectRole, GroupKind and ClusterResourceRestrictionItem (the generated classes)."""
        made: list[TeamProject] = []
        synth_chart(lambda s, e: made.append(TeamProject(s, "team", props(group="payments-devs",
                                                                          cluster_kinds=("Namespace",)))))
        project = made[0].project.resource
        assert isinstance(project, AppProject) and project.spec is not None
        spec = project.spec
        assert spec.roles is not None and isinstance(spec.roles[0], ProjectRole)
        assert spec.roles[0].groups == ["payments-devs"]
        assert spec.cluster_resource_whitelist is not None
        assert [(k.group, k.kind) for k in spec.cluster_resource_whitelist] == [("", "Namespace")]
        assert all(isinstance(k, ClusterResourceRestrictionItem) for k in spec.cluster_resource_whitelist)
        assert spec.namespace_resource_whitelist is not None
        assert all(isinstance(k, GroupKind) for k in spec.namespace_resource_whitelist)
        assert ProjectRole is AppProjectSpecRoles and GroupKind is AppProjectSpecNamespaceResourceBlacklist
