"""talana-cluster-secret-store (seed 000): the ClusterSecretStore reading GCP Secret Manager with Workload Identity."""

from __future__ import annotations

from typing import Any

from helpers import by_kind_and_name

APP = "talana-cluster-secret-store"


def objects(out: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(out.manifests)


class TestSnapshot:
    def test_dev(self, synth_app, yaml_snapshot) -> None:  # noqa: ANN001
        """The rendered YAML of dev (assertions below check what matters)."""
        assert synth_app(APP, "dev").manifests == yaml_snapshot


class TestClusterSecretStore:
    def test_gcp_secret_manager_with_workload_identity(self, synth_app) -> None:  # noqa: ANN001
        """gcp-secret-manager reads project talana-sre-challenge-jesben as the operator's ServiceAccount."""
        objs = objects(synth_app(APP, "dev"))
        store = objs[("ClusterSecretStore", "gcp-secret-manager")]
        assert store["apiVersion"] == "external-secrets.io/v1"
        assert "namespace" not in store["metadata"]
        gcpsm = store["spec"]["provider"]["gcpsm"]
        assert gcpsm["projectID"] == "talana-sre-challenge-jesben"
        wi = gcpsm["auth"]["workloadIdentity"]
        assert wi["serviceAccountRef"] == {"namespace": "external-secrets", "name": "external-secrets"}
        assert wi["clusterLocation"] == "us-east1"

    def test_backend_reads_this_store(self, gitops_project) -> None:  # noqa: ANN001
        """The backend's ExternalSecret names this store, and both agree with the environment's secret_store."""
        from cdk8s_gitops.synth import synthesize

        result = synthesize(gitops_project, ["dev"], [APP, "talana-backend"])
        store = objects(result.output("dev", APP))[("ClusterSecretStore", "gcp-secret-manager")]
        es = objects(result.output("dev", "talana-backend"))[("ExternalSecret", "talana-backend")]
        assert es["spec"]["secretStoreRef"] == {"name": store["metadata"]["name"], "kind": store["kind"]}
