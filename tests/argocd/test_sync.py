"""Sync policy, sync options known to Argo CD, and the sync-wave and sync-options annotations."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import manifest_error

from cdk8s_gitops.argocd import (
    APPLICATION_SYNC_OPTIONS,
    RESOURCE_SYNC_OPTIONS,
    Application,
    SyncPolicy,
    check_sync_option,
    check_sync_waves,
    sync_options_annotation,
    sync_wave_annotation,
    sync_wave_of,
)
from cdk8s_gitops.core.validation import ObjectIndex, RenderedObject, global_checks


def refused(doc: dict[str, Any]) -> str:
    """The message of the ManifestError that loading ``doc`` raises."""
    return manifest_error(Application, doc)


class TestSyncOptions:
    def test_every_documented_option_is_accepted(self, make_app: Any) -> None:
        """Every option Argo CD documents for Applications loads."""
        options = ["Validate=false", "CreateNamespace=true", "PrunePropagationPolicy=foreground", "PruneLast=true",
                   "ApplyOutOfSyncOnly=true", "Replace=true", "ServerSideApply=true", "RespectIgnoreDifferences=true",
                   "FailOnSharedResource=true", "SkipDryRunOnMissingResource=true", "Prune=confirm", "Delete=false",
                   "ClientSideApplyMigration=false"]
        doc = make_app(syncPolicy={"syncOptions": options})
        assert Application.from_manifest(doc).to_manifest() == doc

    def test_unknown_option_is_named_and_known_ones_listed(self, make_app: Any) -> None:
        """An unknown option is refused with its index and value, and every known option is listed."""
        message = refused(make_app(syncPolicy={"syncOptions": ["CreateNamespace=true", "AutoPrune=true"]}))
        assert "spec.syncPolicy.syncOptions[1]: 'AutoPrune=true' is not a sync option Argo CD knows" in message
        for name in APPLICATION_SYNC_OPTIONS:
            assert name in message

    def test_wrong_case_gets_a_suggestion(self, make_app: Any) -> None:
        """Argo CD compares options exactly; a wrong case is refused with the right spelling."""
        message = refused(make_app(syncPolicy={"syncOptions": ["createNamespace=true"]}))
        assert "did you mean 'CreateNamespace=true'" in message

    def test_value_not_read_by_argocd(self, make_app: Any) -> None:
        """A known option with a value Argo CD does not act on is refused with the values it reads."""
        message = refused(make_app(syncPolicy={"syncOptions": ["PrunePropagationPolicy=cascade"]}))
        assert "spec.syncPolicy.syncOptions[0]: 'PrunePropagationPolicy=cascade'" in message
        assert "PrunePropagationPolicy=orphan" in message

    def test_option_without_value(self, make_app: Any) -> None:
        """An option without '=value' is refused."""
        assert "'CreateNamespace' is not a sync option" in refused(make_app(syncPolicy={"syncOptions": ["CreateNamespace"]}))

    def test_resource_only_option(self, make_app: Any) -> None:
        """Force=true works only as a resource annotation; in an Application it is refused with that hint."""
        message = refused(make_app(syncPolicy={"syncOptions": ["Force=true"]}))
        assert "'Force=true' is honoured only as a resource annotation" in message

    def test_contradicting_options(self, make_app: Any) -> None:
        """The same option twice with different values is refused at the second."""
        message = refused(make_app(syncPolicy={"syncOptions": ["ServerSideApply=true", "ServerSideApply=false"]}))
        assert "spec.syncPolicy.syncOptions[1]: 'ServerSideApply=false' contradicts syncOptions[0]" in message

    def test_check_sync_option_function(self) -> None:
        """check_sync_option returns None for a known option and a reason for another."""
        assert check_sync_option("Prune=false") is None
        assert check_sync_option("Force=true", RESOURCE_SYNC_OPTIONS) is None
        assert "not a sync option" in (check_sync_option("Bogus=1") or "")

    def test_managed_namespace_metadata_without_create_namespace_warns(self) -> None:
        """managedNamespaceMetadata without CreateNamespace=true does nothing: a warning says so."""
        with pytest.warns(UserWarning, match="CreateNamespace=true"):
            SyncPolicy.model_validate({"managedNamespaceMetadata": {"labels": {"a": "b"}}})

    def test_has_option(self) -> None:
        """SyncPolicy.has_option looks an option up."""
        policy = SyncPolicy(sync_options=["CreateNamespace=true"])
        assert policy.has_option("CreateNamespace=true")
        assert not policy.has_option("PruneLast=true")


class TestRetry:
    def test_retry_round_trip(self, make_app: Any) -> None:
        """A retry with backoff round-trips; a plain number of seconds is a valid duration."""
        doc = make_app(syncPolicy={"retry": {"limit": -1, "backoff": {"duration": "5", "factor": 2, "maxDuration": "3m"}}})
        assert Application.from_manifest(doc).to_manifest() == doc

    def test_bad_duration(self, make_app: Any) -> None:
        """A backoff duration that is not a duration is refused."""
        message = refused(make_app(syncPolicy={"retry": {"backoff": {"duration": "five seconds"}}}))
        assert "spec.syncPolicy.retry.backoff.duration: 'five seconds' is not a duration" in message

    def test_max_duration_shorter_than_duration(self, make_app: Any) -> None:
        """maxDuration below duration is refused."""
        message = refused(make_app(syncPolicy={"retry": {"backoff": {"duration": "1m", "maxDuration": "30s"}}}))
        assert "spec.syncPolicy.retry.backoff.maxDuration: '30s' is shorter than duration '1m'" in message

    def test_factor_below_one(self, make_app: Any) -> None:
        """A backoff factor below 1 is refused."""
        assert "spec.syncPolicy.retry.backoff.factor: 0 is below 1" in refused(
            make_app(syncPolicy={"retry": {"backoff": {"factor": 0}}}))

    def test_limit_is_an_integer(self, make_app: Any) -> None:
        """retry.limit is an integer, not a string."""
        message = refused(make_app(syncPolicy={"retry": {"limit": "5"}}))
        assert "spec.syncPolicy.retry.limit" in message and "'5'" in message


class TestAnnotations:
    def test_sync_wave_annotation(self) -> None:
        """sync_wave_annotation writes the wave as a string under argocd.argoproj.io/sync-wave."""
        assert sync_wave_annotation(-1) == {"argocd.argoproj.io/sync-wave": "-1"}
        assert sync_wave_annotation(5) == {"argocd.argoproj.io/sync-wave": "5"}

    @pytest.mark.parametrize("wave", ["1", 1.5, True, None])
    def test_sync_wave_must_be_integer(self, wave: Any) -> None:
        """A wave that is not an int is refused, naming the value."""
        with pytest.raises(ValueError, match="sync wave must be an integer"):
            sync_wave_annotation(wave)

    def test_sync_wave_of(self, make_app: Any) -> None:
        """sync_wave_of reads the wave of a model or a manifest; no annotation means wave 0."""
        doc = make_app()
        assert sync_wave_of(doc) == 0
        doc["metadata"]["annotations"] = sync_wave_annotation(-5)
        assert sync_wave_of(doc) == -5
        assert sync_wave_of(Application.from_manifest(doc)) == -5

    def test_sync_wave_of_refuses_non_integer(self) -> None:
        """sync_wave_of refuses a non-integer annotation, naming it."""
        with pytest.raises(ValueError, match="sync wave 'x' is not an integer"):
            sync_wave_of({"metadata": {"annotations": {"argocd.argoproj.io/sync-wave": "x"}}})

    def test_sync_options_annotation(self) -> None:
        """sync_options_annotation joins checked options with commas."""
        assert sync_options_annotation("Prune=false", "Force=true") == {
            "argocd.argoproj.io/sync-options": "Prune=false,Force=true"}

    def test_sync_options_annotation_refuses_unknown(self) -> None:
        """An unknown resource sync option is refused."""
        with pytest.raises(ValueError, match="'prune=false' is not a sync option"):
            sync_options_annotation("prune=false")

    def test_sync_options_annotation_needs_an_option(self) -> None:
        """At least one option is needed."""
        with pytest.raises(ValueError, match="no option given"):
            sync_options_annotation()


class TestSyncWaveCheck:
    def test_registered_as_global_check(self) -> None:
        """The sync-wave check runs at every synth."""
        assert check_sync_waves in global_checks()

    def test_reports_non_integer_waves(self) -> None:
        """Every object whose sync-wave annotation is not an integer is reported with kind, name, path and value."""
        index = ObjectIndex("dev")
        index.add(RenderedObject({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "ok", "annotations": {"argocd.argoproj.io/sync-wave": "-3"}}}, "shop"))
        index.add(RenderedObject({"apiVersion": "v1", "kind": "ConfigMap",
                                  "metadata": {"name": "bad", "annotations": {"argocd.argoproj.io/sync-wave": "early"}}}, "shop"))
        index.add(RenderedObject({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "none"}}, "shop"))
        problems = list(check_sync_waves(index))
        assert len(problems) == 1
        text = str(problems[0])
        assert "ConfigMap 'bad' (shop): metadata.annotations.argocd.argoproj.io/sync-wave: sync wave 'early' is not an integer" in text
