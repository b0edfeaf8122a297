"""NamespaceBaseline: Namespace with Pod Security Admission labels, default-deny, DNS egress, ResourceQuota."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import by_kind_and_name

from cdk8s_gitops import ManifestError
from cdk8s_gitops.platform.namespace import (
    NamespaceBaseline,
    NamespaceBaselineProps,
    QuotaSettings,
    format_cpu,
    format_memory,
)
from cdk8s_gitops.testing import synth_chart

QUOTA = QuotaSettings(requests_cpu="1", limits_cpu="2", requests_memory="1Gi", limits_memory="2Gi", pods=4)


def build(props: NamespaceBaselineProps) -> dict[tuple[str, str], dict[str, Any]]:
    manifests = synth_chart(lambda scope, env: NamespaceBaseline(scope, "baseline", props), app="shop")
    return by_kind_and_name(manifests)


class TestNamespaceBaseline:
    def test_all_objects(self) -> None:
        """By default: the Namespace, default-deny (ingress and egress), allow-dns and the quota when given."""
        objs = build(NamespaceBaselineProps(namespace="shop-dev", quota=QUOTA))
        assert sorted(objs) == [("Namespace", "shop-dev"), ("NetworkPolicy", "allow-dns"),
                                ("NetworkPolicy", "default-deny"), ("ResourceQuota", "namespace-quota")]

    def test_namespace_pod_security_labels(self) -> None:
        """The Namespace enforces, audits and warns at the restricted level, keeps extra labels and has no namespace."""
        objs = build(NamespaceBaselineProps(namespace="shop-dev", namespace_labels={"team": "shop"}))
        meta = objs[("Namespace", "shop-dev")]["metadata"]
        assert "namespace" not in meta
        for mode in ("enforce", "audit", "warn"):
            assert meta["labels"][f"pod-security.kubernetes.io/{mode}"] == "restricted"
        assert meta["labels"]["team"] == "shop"
        assert meta["annotations"]["argocd.argoproj.io/sync-wave"] == "-3"

    def test_pod_security_level(self) -> None:
        """pod_security picks another level for all three modes."""
        objs = build(NamespaceBaselineProps(namespace="shop-dev", pod_security="baseline"))
        assert objs[("Namespace", "shop-dev")]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "baseline"

    def test_default_deny_selects_every_pod(self) -> None:
        """default-deny has an empty podSelector, both policy types and no rules, in the namespace, at wave -2."""
        deny = build(NamespaceBaselineProps(namespace="shop-dev"))[("NetworkPolicy", "default-deny")]
        assert deny["metadata"]["namespace"] == "shop-dev"
        assert deny["spec"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert deny["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"] == "-2"

    def test_dns_egress(self) -> None:
        """allow-dns lets every pod reach kube-dns in kube-system on UDP and TCP 53."""
        dns = build(NamespaceBaselineProps(namespace="shop-dev"))[("NetworkPolicy", "allow-dns")]["spec"]
        assert dns["podSelector"] == {} and dns["policyTypes"] == ["Egress"]
        rule = dns["egress"][0]
        assert rule["to"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                               "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]
        assert rule["ports"] == [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]

    def test_ingress_only(self) -> None:
        """deny_egress=False denies ingress only and needs no DNS policy."""
        objs = build(NamespaceBaselineProps(namespace="shop-dev", deny_egress=False))
        assert objs[("NetworkPolicy", "default-deny")]["spec"]["policyTypes"] == ["Ingress"]
        assert ("NetworkPolicy", "allow-dns") not in objs

    def test_unmanaged_namespace(self) -> None:
        """manage_namespace=False leaves the Namespace to someone else."""
        objs = build(NamespaceBaselineProps(namespace="shop-dev", manage_namespace=False))
        assert ("Namespace", "shop-dev") not in objs

    def test_quota(self) -> None:
        """The ResourceQuota holds compute totals, pods, and zero LoadBalancers, NodePorts and volume claims."""
        quota = build(NamespaceBaselineProps(namespace="shop-dev", quota=QUOTA))[("ResourceQuota", "namespace-quota")]
        assert quota["spec"]["hard"] == {
            "limits.cpu": "2", "limits.memory": "2Gi", "persistentvolumeclaims": "0", "pods": "4",
            "requests.cpu": "1", "requests.memory": "1Gi", "services.loadbalancers": "0", "services.nodeports": "0"}

    def test_reserved_labels_refused(self) -> None:
        """Pod Security labels come from pod_security; setting them by hand is refused with the fix."""
        with pytest.raises(ManifestError, match="set pod_security"):
            NamespaceBaselineProps(namespace="shop-dev", namespace_labels={"pod-security.kubernetes.io/enforce": "privileged"})

    def test_bad_namespace_refused(self) -> None:
        """The namespace must be a DNS label."""
        with pytest.raises(ManifestError, match="Shop_Dev"):
            NamespaceBaselineProps(namespace="Shop_Dev")

    def test_unknown_prop_refused(self) -> None:
        """Props are strict: unknown keys are refused."""
        with pytest.raises(ManifestError, match="limit_range"):
            NamespaceBaselineProps(namespace="shop-dev", limit_range=True)  # type: ignore[call-arg]


class TestQuotaSettings:
    def test_for_pods(self) -> None:
        """for_pods multiplies per-pod requests and limits and rounds to readable quantities."""
        q = QuotaSettings.for_pods(40, cpu_request="100m", cpu_limit="500m", memory_request="128Mi", memory_limit="256Mi")
        assert (q.requests_cpu, q.limits_cpu, q.requests_memory, q.limits_memory, q.pods) == ("4", "20", "5Gi", "10Gi", 40)

    def test_for_pods_fractions(self) -> None:
        """Totals that are not whole cores or GiB stay in millicores and MiB."""
        q = QuotaSettings.for_pods(3, cpu_request="150m", cpu_limit="250m", memory_request="100Mi", memory_limit="300Mi")
        assert (q.requests_cpu, q.limits_cpu, q.requests_memory, q.limits_memory) == ("450m", "750m", "300Mi", "900Mi")

    def test_counts_optional(self) -> None:
        """A count set to None is left out of spec.hard; services and extra entries are added when set."""
        q = QuotaSettings(requests_cpu="1", limits_cpu="1", requests_memory="1Gi", limits_memory="1Gi", pods=2,
                          persistent_volume_claims=None, services=3, extra={"count/jobs.batch": "5"})
        hard = q.hard()
        assert "persistentvolumeclaims" not in hard
        assert hard["services"] == "3" and hard["count/jobs.batch"] == "5"

    def test_requests_above_limits_refused(self) -> None:
        """Requests above limits are refused, naming both values and the fix."""
        with pytest.raises(ManifestError, match=r"requests_cpu: 4 is above limits_cpu 2"):
            QuotaSettings(requests_cpu="4", limits_cpu="2", requests_memory="1Gi", limits_memory="1Gi", pods=1)

    def test_bad_quantity_refused(self) -> None:
        """A value that is not a Kubernetes quantity is refused with an example."""
        with pytest.raises(ManifestError, match="lots"):
            QuotaSettings(requests_cpu="lots", limits_cpu="2", requests_memory="1Gi", limits_memory="1Gi", pods=1)

    def test_negative_pods_refused(self) -> None:
        """for_pods refuses a negative pod count."""
        with pytest.raises(ValueError, match="-1"):
            QuotaSettings.for_pods(-1, cpu_request="1", cpu_limit="1", memory_request="1Gi", memory_limit="1Gi")


class TestFormatting:
    @pytest.mark.parametrize(("cores", "text"), [(2.0, "2"), (0.5, "500m"), (0.0001, "1m"), (1.25, "1250m")])
    def test_format_cpu(self, cores: float, text: str) -> None:
        """Whole cores print as numbers, the rest as millicores rounded up."""
        assert format_cpu(cores) == text

    @pytest.mark.parametrize(("size", "text"), [(2**30, "1Gi"), (3 * 2**20, "3Mi"), (1, "1Mi"), (1536 * 2**20, "1536Mi")])
    def test_format_memory(self, size: float, text: str) -> None:
        """Whole GiB print as Gi, the rest as MiB rounded up."""
        assert format_memory(size) == text
