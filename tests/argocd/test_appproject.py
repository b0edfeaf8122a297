"""AppProject: sources, destinations, resource allow/deny lists, roles with policies, sync windows."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.argocd import AppProject, check_cron_schedule, project_policy


def refused(doc: dict[str, Any]) -> str:
    """The message of the ManifestError that loading ``doc`` raises."""
    return manifest_error(AppProject, doc)


def role(**fields: Any) -> dict[str, Any]:
    """A valid role of project team-shop; keyword arguments replace fields."""
    body: dict[str, Any] = {"name": "deployer", "description": "CI",
                            "policies": [project_policy("team-shop", "deployer", "sync")], "groups": ["acme:shop"]}
    body.update(fields)
    return body


def window(**fields: Any) -> dict[str, Any]:
    """A valid sync window; keyword arguments replace fields (None removes one)."""
    body: dict[str, Any] = {"kind": "deny", "schedule": "0 22 * * *", "duration": "8h", "applications": ["*"]}
    for key, value in fields.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


class TestBuild:
    def test_least_privilege_project_round_trip(self, make_project: Any) -> None:
        """A least-privilege project with every typed list round-trips unchanged."""
        doc = make_project(
            sourceNamespaces=["argocd-apps-*"],
            clusterResourceWhitelist=[{"group": "", "kind": "Namespace", "name": "shop-*"}],
            clusterResourceBlacklist=[{"group": "", "kind": "Namespace", "name": "kube-*"}],
            namespaceResourceWhitelist=[{"group": "apps", "kind": "Deployment"}, {"group": "argoproj.io", "kind": "Rollout"}],
            namespaceResourceBlacklist=[{"group": "", "kind": "ResourceQuota"}],
            roles=[role(jwtTokens=[{"iat": 1535390316, "id": "t1"}])],
            syncWindows=[window(manualSync=True, timeZone="Europe/Berlin"), window(kind="allow", schedule="0 6 * * MON-FRI")],
            orphanedResources={"warn": True, "ignore": [{"kind": "ConfigMap", "name": "kube-root-ca.crt"}]},
            signatureKeys=[{"keyID": "4AEE18F83AFDEB23"}],
            destinationServiceAccounts=[{"server": "https://kubernetes.default.svc", "namespace": "shop-*",
                                         "defaultServiceAccount": "argocd-shop"}],
            permitOnlyProjectScopedClusters=False,
        )
        project = AppProject.from_manifest(doc)
        assert project.to_manifest() == doc
        assert project.spec.roles[0].policies == ["p, proj:team-shop:deployer, applications, sync, team-shop/*, allow"]  # type: ignore[index]

    def test_project_policy_helper(self) -> None:
        """project_policy writes a Casbin line for a project role."""
        assert project_policy("p1", "ro", "get", "web", effect="deny") == "p, proj:p1:ro, applications, get, p1/web, deny"


class TestDestinations:
    def test_destination_needs_server_or_name(self, make_project: Any) -> None:
        """A project destination without server or name is refused."""
        message = refused(make_project(destinations=[{"namespace": "shop"}]))
        assert "spec.destinations[0].server: neither server nor name is set" in message

    def test_duplicate_destination(self, make_project: Any) -> None:
        """The same destination twice is refused."""
        dest = {"server": "https://kubernetes.default.svc", "namespace": "shop"}
        assert "spec.destinations[1]: repeats destinations[0]" in refused(make_project(destinations=[dest, dest]))

    def test_duplicate_source_repo(self, make_project: Any) -> None:
        """The same source repository twice is refused."""
        message = refused(make_project(sourceRepos=["https://g/x.git", "https://g/x.git"]))
        assert "spec.sourceRepos[1]: source repository 'https://g/x.git' is listed twice" in message

    def test_resource_kind_required(self, make_project: Any) -> None:
        """Allow/deny list entries need a group and a kind."""
        message = refused(make_project(clusterResourceWhitelist=[{"group": ""}]))
        assert "spec.clusterResourceWhitelist[0].kind: required field is missing" in message

    def test_namespace_lists_have_no_name(self, make_project: Any) -> None:
        """Namespace resource lists hold group and kind only."""
        message = refused(make_project(namespaceResourceWhitelist=[{"group": "apps", "kind": "Deployment", "name": "x"}]))
        assert "spec.namespaceResourceWhitelist[0].name: unknown field" in message


class TestRoles:
    def test_role_name(self, make_project: Any) -> None:
        """A role name must be letters, digits, '-' and '_'."""
        assert "spec.roles[0].name: 'ci role' is not a valid role name" in refused(
            make_project(roles=[role(name="ci role", policies=None)]))

    def test_duplicate_role(self, make_project: Any) -> None:
        """Two roles with one name are refused."""
        assert "spec.roles[1].name: 'deployer' is already the name of roles[0]" in refused(make_project(roles=[role(), role()]))

    def test_policy_form(self, make_project: Any) -> None:
        """A policy needs six comma-separated parts starting with p."""
        message = refused(make_project(roles=[role(policies=["proj:team-shop:deployer, applications, sync"])]))
        assert "spec.roles[0].policies[0]: 'proj:team-shop:deployer, applications, sync' does not have the 6" in message

    def test_policy_subject(self, make_project: Any) -> None:
        """The policy subject must be this project's role."""
        message = refused(make_project(roles=[role(policies=["p, proj:other:deployer, applications, sync, team-shop/*, allow"])]))
        assert "spec.roles[0].policies[0]:" in message and "has subject 'proj:other:deployer'" in message
        assert "'proj:team-shop:deployer'" in message

    def test_policy_resource(self, make_project: Any) -> None:
        """The policy resource must be one a project may grant."""
        message = refused(make_project(roles=[role(policies=["p, proj:team-shop:deployer, accounts, get, team-shop/*, allow"])]))
        assert "names resource 'accounts'" in message

    def test_policy_action(self, make_project: Any) -> None:
        """The policy action must be a known action."""
        message = refused(make_project(roles=[role(policies=["p, proj:team-shop:deployer, applications, deploy, team-shop/*, allow"])]))
        assert "names action 'deploy'" in message

    def test_policy_object(self, make_project: Any) -> None:
        """The policy object must be inside this project."""
        message = refused(make_project(roles=[role(policies=["p, proj:team-shop:deployer, applications, get, other/*, allow"])]))
        assert "names object 'other/*'" in message and "'team-shop/*'" in message

    def test_policy_effect(self, make_project: Any) -> None:
        """The policy effect is allow or deny."""
        message = refused(make_project(roles=[role(policies=["p, proj:team-shop:deployer, applications, get, team-shop/*, permit"])]))
        assert "has effect 'permit'" in message

    def test_duplicate_policy(self, make_project: Any) -> None:
        """The same policy twice in a role is refused."""
        line = project_policy("team-shop", "deployer", "get")
        assert "spec.roles[0].policies[1]: policy" in refused(make_project(roles=[role(policies=[line, line])]))

    def test_group_name(self, make_project: Any) -> None:
        """An SSO group with a comma must be quoted."""
        assert "spec.roles[0].groups[0]: group 'a,b' contains ','" in refused(make_project(roles=[role(groups=["a,b"])]))

    def test_jwt_token_needs_iat(self, make_project: Any) -> None:
        """A JWT token entry needs iat."""
        assert "spec.roles[0].jwtTokens[0].iat: required field is missing" in refused(
            make_project(roles=[role(jwtTokens=[{"id": "x"}])]))


class TestSyncWindows:
    def test_kind(self, make_project: Any) -> None:
        """A window's kind is allow or deny."""
        message = refused(make_project(syncWindows=[window(kind="block")]))
        assert "spec.syncWindows[0].kind" in message and "'block'" in message

    def test_kind_required(self, make_project: Any) -> None:
        """A window needs a kind."""
        assert "spec.syncWindows[0].kind: is not set" in refused(make_project(syncWindows=[window(kind=None)]))

    def test_schedule(self, make_project: Any) -> None:
        """A window's schedule is a five-field cron expression."""
        message = refused(make_project(syncWindows=[window(schedule="0 22 * *")]))
        assert "spec.syncWindows[0].schedule: '0 22 * *' has 4 fields" in message

    def test_schedule_range(self, make_project: Any) -> None:
        """Cron fields stay inside their ranges."""
        message = refused(make_project(syncWindows=[window(schedule="0 25 * * *")]))
        assert "spec.syncWindows[0].schedule: '0 25 * * *' hour field '25' is outside 0-23" in message

    def test_duration(self, make_project: Any) -> None:
        """A window's duration is a Go duration."""
        assert "spec.syncWindows[0].duration: '8 hours' is not a duration" in refused(
            make_project(syncWindows=[window(duration="8 hours")]))

    def test_window_must_match_something(self, make_project: Any) -> None:
        """A window needs applications, namespaces or clusters."""
        message = refused(make_project(syncWindows=[window(applications=None)]))
        assert "spec.syncWindows[0].applications: the window matches nothing" in message

    def test_duplicate_window(self, make_project: Any) -> None:
        """Two windows with the same kind, schedule and duration are refused."""
        assert "spec.syncWindows[1]: repeats syncWindows[0]" in refused(make_project(syncWindows=[window(), window()]))

    @pytest.mark.parametrize("schedule", ["*/15 * * * *", "0 9-17 * * 1-5", "30 2 1,15 JAN,JUL SUN", "0 0 ? * *"])
    def test_valid_schedules(self, schedule: str) -> None:
        """Steps, ranges, lists, names and '?' are valid cron syntax."""
        assert check_cron_schedule(schedule) is None


class TestOther:
    def test_signature_key(self, make_project: Any) -> None:
        """signatureKeys hold GnuPG key ids."""
        assert "spec.signatureKeys[0].keyID: 'my-key' is not a GnuPG key id" in refused(
            make_project(signatureKeys=[{"keyID": "my-key"}]))

    def test_orphaned_resources_warn_is_boolean(self, make_project: Any) -> None:
        """orphanedResources.warn is a boolean."""
        message = refused(make_project(orphanedResources={"warn": "yes"}))
        assert "spec.orphanedResources.warn" in message and "'yes'" in message

    def test_finalizer(self, make_project: Any) -> None:
        """A misspelt Argo CD finalizer on a project is refused."""
        doc = make_project()
        doc["metadata"]["finalizers"] = ["resource-finalizer.argocd.argoproj.io"]
        assert "metadata.finalizers[0]: 'resource-finalizer.argocd.argoproj.io'" in refused(doc)
