"""talana-cluster-secret-store: the ClusterSecretStore that reads the talana secrets from GCP Secret Manager.

What the seed (talana-sre-challenge, ``000_b2573accbc811141``) asks for: a ClusterSecretStore
(the seed's ``k8s/infra/cluster-secret-store``, synced by the Argo CD Application
``cluster-secret-store`` into ``external-secrets``) through which the External Secrets Operator
reads GCP Secret Manager in project ``talana-sre-challenge-jesben`` with Workload Identity.

Here: ClusterSecretStore ``gcp-secret-manager`` (``external-secrets.io/v1``), provider ``gcpsm``,
authenticating as the operator's Kubernetes ServiceAccount ``external-secrets/external-secrets``,
which the ``external-secrets`` Helm release (app ``talana-platform``) annotates with the Google
service account ``external-secrets@talana-sre-challenge-jesben.iam.gserviceaccount.com``. The GKE
cluster's name is read from the metadata server (the seed does not give it); its location is the
registry's region, ``us-east1``. The store's name is the environment's secret store setting
(``apps.talana-backend.secret_store``), so the backend's ExternalSecret and this store cannot drift.

The Application ``cluster-secret-store`` that syncs this folder is declared in ``talana-platform``
(the seed's name); see that module for the wiring.

Modernised: ``external-secrets.io/v1`` (the seed's era used ``v1beta1``, deprecated upstream).
Left out: the Google service account, its ``roles/secretmanager.secretAccessor`` grant and the
Workload Identity binding are Terraform's (``infra/``), outside Kubernetes.
"""

from constructs import Construct

from cdk8s_gitops import ObjectMeta, TypedResource
from cdk8s_gitops.environment import ResolvedAppSettings
from cdk8s_gitops.secrets import (
    ClusterSecretStore,
    GCPSMAuth,
    GCPSMProvider,
    GCPWorkloadIdentity,
    SecretStoreProvider,
    SecretStoreSpec,
    ServiceAccountSelector,
)

STORE_NAME = "gcp-secret-manager"
GCP_PROJECT = "talana-sre-challenge-jesben"
GCP_REGION = "us-east1"
OPERATOR_SERVICE_ACCOUNT = "external-secrets"


def build(scope: Construct, env: ResolvedAppSettings) -> None:
    TypedResource(scope, ClusterSecretStore(
        metadata=ObjectMeta(name=STORE_NAME),
        spec=SecretStoreSpec(provider=SecretStoreProvider(gcpsm=GCPSMProvider(
            project_id=GCP_PROJECT,
            auth=GCPSMAuth(workload_identity=GCPWorkloadIdentity(
                cluster_location=GCP_REGION,
                cluster_project_id=GCP_PROJECT,
                # The operator's own ServiceAccount, in the namespace it runs in (this app's).
                service_account_ref=ServiceAccountSelector(name=OPERATOR_SERVICE_ACCOUNT, namespace=env.namespace),
            )),
        ))),
    ))
