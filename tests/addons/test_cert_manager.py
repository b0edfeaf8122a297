"""cert-manager: Issuer, ClusterIssuer, Certificate (cert-manager.io/v1)."""

from __future__ import annotations

from typing import Any

import cdk8s
import pytest
from helpers import refused, schema_errors, upstream_documents

from cdk8s_gitops import GitOpsChart, TypedResource, from_manifest
from cdk8s_gitops.addons import Certificate, ClusterIssuer, Issuer
from cdk8s_gitops.synth import collect_chart

V1 = "cert-manager.io/v1"
KINDS: dict[str, type] = {"Issuer": Issuer, "ClusterIssuer": ClusterIssuer, "Certificate": Certificate}
# cert-manager/ (7 files) and cloudnative-pg/cluster-example-cert-manager.yaml
EXPECTED_COUNTS = {"Issuer": 6, "ClusterIssuer": 4, "Certificate": 6}


# -- helpers -----------------------------------------------------------------------------------
def issuer(**spec: Any) -> ClusterIssuer:
    return ClusterIssuer.from_manifest({"metadata": {"name": "root"}, "spec": spec})


def acme(**fields: Any) -> dict[str, Any]:
    return {"server": "https://acme-v02.api.letsencrypt.org/directory", "email": "ops@example.com",
            "privateKeySecretRef": {"name": "le-account"}, **fields}


def certificate(**spec: Any) -> Certificate:
    base: dict[str, Any] = {"secretName": "web-tls", "dnsNames": ["web.example.com"],
                            "issuerRef": {"name": "root", "kind": "ClusterIssuer"}}
    return Certificate.from_manifest({"metadata": {"name": "web", "namespace": "shop"}, "spec": {**base, **spec}})


# -- issuers -----------------------------------------------------------------------------------
class TestIssuer:
    def test_self_signed_ca_issuer_chain(self) -> None:
        """The seed's pattern: a self-signed issuer, a CA certificate, and a CA ClusterIssuer over its Secret."""
        root = issuer(selfSigned={})
        ca = ClusterIssuer.from_manifest({"metadata": {"name": "selfsigned-cluster-issuer"}, "spec": {"ca": {"secretName": "selfsigned-ca"}}})
        assert root.to_manifest() == {"apiVersion": V1, "kind": "ClusterIssuer", "metadata": {"name": "root"},
                                      "spec": {"selfSigned": {}}}
        assert ca.spec.ca is not None and ca.spec.ca.secret_name == "selfsigned-ca"
        assert not ClusterIssuer.NAMESPACED and Issuer.NAMESPACED

    def test_acme_round_trip(self) -> None:
        """An ACME issuer with HTTP-01 and DNS-01 solvers, EAB and the renamed keys (keyID, skipTLSVerify) round-trips."""
        doc = {"apiVersion": V1, "kind": "Issuer", "metadata": {"name": "le", "namespace": "shop"},
               "spec": {"acme": acme(skipTLSVerify=False, preferredChain="ISRG Root X1", profile="tlsserver",
                                     externalAccountBinding={"keyID": "kid", "keySecretRef": {"name": "eab", "key": "k"}},
                                     solvers=[{"selector": {"dnsZones": ["example.com"]},
                                               "dns01": {"cloudflare": {"apiTokenSecretRef": {"name": "cf", "key": "t"}}}},
                                              {"http01": {"gatewayHTTPRoute": {"parentRefs": [{"name": "gw"}]}}}])}}
        assert Issuer.from_manifest(doc).to_manifest() == doc
        assert not schema_errors(doc)

    def test_registered_for_from_manifest(self) -> None:
        """from_manifest dispatches the three kinds to these models."""
        for kind, cls in KINDS.items():
            spec = {"selfSigned": {}} if kind != "Certificate" else {"secretName": "s", "commonName": "a",
                                                                     "issuerRef": {"name": "i"}}
            assert type(from_manifest({"apiVersion": V1, "kind": kind, "metadata": {"name": "x"}, "spec": spec})) is cls

    def test_one_issuer_type_required(self) -> None:
        """An issuer with no type is refused."""
        refused(lambda: issuer(), "ClusterIssuer 'root'", "spec", "selfSigned")

    def test_only_one_issuer_type(self) -> None:
        """An issuer with two types is refused, naming the second."""
        refused(lambda: issuer(selfSigned={}, ca={"secretName": "ca"}), "ClusterIssuer 'root'", "spec.ca", "selfSigned")

    def test_ca_secret_name_is_a_secret_name(self) -> None:
        """ca.secretName must be a valid Secret name."""
        refused(lambda: issuer(ca={"secretName": "Root_CA"}), "ClusterIssuer 'root'", "spec.ca.secretName", "'Root_CA'")

    def test_acme_server_is_a_url(self) -> None:
        """acme.server must be the directory URL."""
        refused(lambda: issuer(acme=acme(server="letsencrypt")), "ClusterIssuer 'root'", "spec.acme.server", "'letsencrypt'")

    def test_acme_private_key_secret_required(self) -> None:
        """acme.privateKeySecretRef is required (it keeps the account key)."""
        spec = acme()
        del spec["privateKeySecretRef"]
        refused(lambda: issuer(acme=spec), "ClusterIssuer 'root'", "spec.acme.privateKeySecretRef", "required")

    def test_acme_preferred_chain_length(self) -> None:
        """acme.preferredChain is at most 64 characters."""
        refused(lambda: issuer(acme=acme(preferredChain="x" * 65)), "ClusterIssuer 'root'", "spec.acme.preferredChain", "x" * 65)

    def test_solver_needs_a_challenge_type(self) -> None:
        """A solver with neither http01 nor dns01 is refused."""
        refused(lambda: issuer(acme=acme(solvers=[{"selector": {}}])), "ClusterIssuer 'root'", "spec.acme.solvers[0]",
                "no challenge type")

    def test_solver_has_one_challenge_type(self) -> None:
        """A solver with both http01 and dns01 is refused."""
        refused(lambda: issuer(acme=acme(solvers=[{"http01": {"ingress": {}}, "dns01": {"route53": {}}}])),
                "ClusterIssuer 'root'", "spec.acme.solvers[0].dns01", "http01")

    def test_http01_has_one_solver_type(self) -> None:
        """http01 needs exactly one of ingress and gatewayHTTPRoute."""
        refused(lambda: issuer(acme=acme(solvers=[{"http01": {"ingress": {}, "gatewayHTTPRoute": {}}}])),
                "ClusterIssuer 'root'", "spec.acme.solvers[0].http01", "ingress, gatewayHTTPRoute")

    def test_dns01_has_one_provider(self) -> None:
        """dns01 needs exactly one DNS provider."""
        refused(lambda: issuer(acme=acme(solvers=[{"dns01": {"cnameStrategy": "Follow"}}])),
                "ClusterIssuer 'root'", "spec.acme.solvers[0].dns01", "none")

    def test_vault_and_venafi_kept_as_given(self) -> None:
        """vault and venafi settings are kept as given."""
        vault = {"server": "https://vault:8200", "path": "pki/sign/web", "auth": {"kubernetes": {"role": "cm"}}}
        assert issuer(vault=vault).to_manifest()["spec"] == {"vault": vault}


# -- certificates ------------------------------------------------------------------------------
class TestCertificate:
    def test_every_typed_field_round_trips(self) -> None:
        """A Certificate using every typed field (isCA, privateKey, subject, secretTemplate...) round-trips and validates."""
        doc = {"apiVersion": V1, "kind": "Certificate", "metadata": {"name": "root-ca", "namespace": "cert-manager"},
               "spec": {"secretName": "root-ca", "commonName": "root-ca", "isCA": True, "duration": "87600h",
                        "renewBefore": "720h", "dnsNames": ["ca.example.com"], "ipAddresses": ["10.0.0.1", "::1"],
                        "uris": ["spiffe://cluster.local/ca"], "emailAddresses": ["ops@example.com"],
                        "privateKey": {"algorithm": "ECDSA", "size": 384, "encoding": "PKCS8", "rotationPolicy": "Always"},
                        "usages": ["cert sign", "crl sign", "digital signature"],
                        "subject": {"organizations": ["Example"], "countries": ["ES"], "serialNumber": "1"},
                        "secretTemplate": {"labels": {"app": "ca"}, "annotations": {"reflector/enabled": "true"}},
                        "additionalOutputFormats": [{"type": "CombinedPEM"}], "revisionHistoryLimit": 2,
                        "signatureAlgorithm": "ECDSAWithSHA384", "encodeUsagesInRequest": True,
                        "issuerRef": {"name": "selfsigned", "kind": "ClusterIssuer", "group": "cert-manager.io"}}}
        cert = Certificate.from_manifest(doc)
        assert cert.to_manifest() == doc
        assert cert.spec is not None
        assert cert.spec.is_ca is True and cert.spec.private_key is not None and cert.spec.private_key.size == 384
        assert not schema_errors(doc)

    def test_names_something(self) -> None:
        """A Certificate without commonName, SANs or literalSubject is refused."""
        refused(lambda: certificate(dnsNames=None), "Certificate 'web'", "spec", "commonName", "dnsNames")

    def test_secret_name_is_a_secret_name(self) -> None:
        """secretName must be a valid Secret name."""
        refused(lambda: certificate(secretName="Web_TLS"), "Certificate 'web'", "spec.secretName", "'Web_TLS'")

    def test_secret_name_and_issuer_required(self) -> None:
        """secretName and issuerRef are required."""
        refused(lambda: Certificate.from_manifest({"metadata": {"name": "web"}, "spec": {"commonName": "a", "issuerRef": {"name": "i"}}}),
                "Certificate 'web'", "spec.secretName", "required")
        refused(lambda: Certificate.from_manifest({"metadata": {"name": "web"}, "spec": {"commonName": "a", "secretName": "s"}}),
                "Certificate 'web'", "spec.issuerRef", "required")

    def test_common_name_length(self) -> None:
        """commonName is at most 64 characters."""
        long = "a" * 65
        refused(lambda: certificate(commonName=long), "Certificate 'web'", "spec.commonName", long, "64")

    def test_literal_subject_excludes_common_name(self) -> None:
        """literalSubject and commonName are exclusive."""
        refused(lambda: certificate(literalSubject="CN=web", commonName="web"), "Certificate 'web'", "spec.literalSubject",
                "'CN=web'", "commonName")

    def test_literal_subject_excludes_subject(self) -> None:
        """literalSubject and subject are exclusive."""
        refused(lambda: certificate(literalSubject="CN=web,O=Ex", subject={"organizations": ["Ex"]}), "Certificate 'web'",
                "spec.literalSubject", "'CN=web,O=Ex'", "subject")

    def test_ip_addresses_are_ips(self) -> None:
        """ipAddresses entries are IP addresses."""
        refused(lambda: certificate(ipAddresses=["10.0.0.1", "web.local"]), "Certificate 'web'", "spec.ipAddresses[1]",
                "'web.local'")

    def test_rsa_key_size(self) -> None:
        """RSA (also the default algorithm) keys are 2048-8192 bits."""
        refused(lambda: certificate(privateKey={"size": 1024}), "Certificate 'web'", "spec.privateKey.size", "1024")
        refused(lambda: certificate(privateKey={"algorithm": "RSA", "size": 16384}), "Certificate 'web'",
                "spec.privateKey.size", "16384")

    def test_ecdsa_key_size(self) -> None:
        """ECDSA keys are 256, 384 or 521 bits."""
        refused(lambda: certificate(privateKey={"algorithm": "ECDSA", "size": 2048}), "Certificate 'web'",
                "spec.privateKey.size", "2048", "521")

    def test_ed25519_ignores_size(self) -> None:
        """Ed25519 keys accept any size (it is ignored upstream)."""
        spec = certificate(privateKey={"algorithm": "Ed25519", "size": 1}).spec
        assert spec is not None and spec.private_key is not None

    def test_private_key_enums(self) -> None:
        """algorithm, encoding and rotationPolicy take upstream's values only."""
        refused(lambda: certificate(privateKey={"algorithm": "DSA"}), "Certificate 'web'", "spec.privateKey.algorithm", "'DSA'")
        refused(lambda: certificate(privateKey={"rotationPolicy": "Sometimes"}), "Certificate 'web'",
                "spec.privateKey.rotationPolicy", "'Sometimes'")

    def test_usages_enum(self) -> None:
        """usages take cert-manager's key usage names."""
        refused(lambda: certificate(usages=["server auth", "serverAuth"]), "Certificate 'web'", "spec.usages[1]", "'serverAuth'")

    def test_duration_is_a_go_duration(self) -> None:
        """duration is a Go duration (no days unit)."""
        refused(lambda: certificate(duration="90d"), "Certificate 'web'", "spec.duration", "'90d'")

    def test_duration_minimum(self) -> None:
        """duration is at least 1h."""
        refused(lambda: certificate(duration="30m"), "Certificate 'web'", "spec.duration", "'30m'", "1h")

    def test_renew_before_is_a_go_duration(self) -> None:
        """renewBefore is a Go duration."""
        refused(lambda: certificate(renewBefore="two weeks"), "Certificate 'web'", "spec.renewBefore", "'two weeks'")

    def test_renew_before_minimum(self) -> None:
        """renewBefore is at least 5m."""
        refused(lambda: certificate(renewBefore="1m"), "Certificate 'web'", "spec.renewBefore", "'1m'", "5m")

    def test_renew_before_below_duration(self) -> None:
        """renewBefore is below the duration (the default 2160h when unset)."""
        refused(lambda: certificate(duration="24h", renewBefore="48h"), "Certificate 'web'", "spec.renewBefore", "'48h'", "24h")
        refused(lambda: certificate(renewBefore="2160h"), "Certificate 'web'", "spec.renewBefore", "'2160h'", "default")

    def test_renew_before_or_percentage(self) -> None:
        """renewBefore and renewBeforePercentage are exclusive."""
        refused(lambda: certificate(renewBefore="360h", renewBeforePercentage=20), "Certificate 'web'", "spec.renewBefore",
                "'360h'", "20")

    def test_renew_before_percentage_range(self) -> None:
        """renewBeforePercentage is 1-99 and renews at least 5m before expiry."""
        refused(lambda: certificate(renewBeforePercentage=100), "Certificate 'web'", "spec.renewBeforePercentage", "100")
        refused(lambda: certificate(duration="1h", renewBeforePercentage=1), "Certificate 'web'",
                "spec.renewBeforePercentage", "1 renews", "5m")

    def test_issuer_kind(self) -> None:
        """issuerRef.kind is Issuer or ClusterIssuer for cert-manager's own issuers; any kind for other groups."""
        refused(lambda: certificate(issuerRef={"name": "root", "kind": "ClusterIssuers"}), "Certificate 'web'",
                "spec.issuerRef.kind", "'ClusterIssuers'")
        external = certificate(issuerRef={"name": "pca", "kind": "AWSPCAClusterIssuer", "group": "awspca.cert-manager.io"})
        assert external.spec is not None and external.spec.issuer_ref.kind == "AWSPCAClusterIssuer"

    def test_strict_types(self) -> None:
        """isCA is a boolean, not the string 'true'."""
        refused(lambda: certificate(isCA="true"), "Certificate 'web'", "spec.isCA", "'true'")


# -- corpus and schemas ------------------------------------------------------------------------
class TestUpstreamExamples:
    def test_round_trip_and_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every Issuer, ClusterIssuer and Certificate in upstream-examples round-trips and validates against its schema."""
        counts: dict[str, int] = {}
        for name, _, doc in upstream_documents(kinds=KINDS, group="cert-manager.io"):
            model = from_manifest(doc)
            assert isinstance(model, KINDS[doc["kind"]]), name
            assert model.to_manifest() == doc, name
            assert not schema_errors(model.to_manifest()), name
            counts[doc["kind"]] = counts.get(doc["kind"], 0) + 1
        with capsys.disabled():
            print(f"\ncert-manager round trip: {counts}")
        assert counts == EXPECTED_COUNTS

    def test_built_objects_validate(self) -> None:
        """Issuers and Certificates synthesized by a chart validate against the cert-manager.io schemas."""
        chart = GitOpsChart(cdk8s.App(), "dev-certs", app_name="certs", namespace="cert-manager")
        TypedResource(chart, issuer(selfSigned={}))
        TypedResource(chart, Certificate.from_manifest({"metadata": {"name": "selfsigned-ca"}, "spec": {
            "isCA": True, "commonName": "selfsigned-ca", "secretName": "selfsigned-ca", "duration": "87600h",
            "privateKey": {"algorithm": "ECDSA", "size": 256},
            "issuerRef": {"name": "root", "kind": "ClusterIssuer", "group": "cert-manager.io"}}}))
        TypedResource(chart, ClusterIssuer.from_manifest({"metadata": {"name": "selfsigned-cluster-issuer"},
                                                 "spec": {"ca": {"secretName": "selfsigned-ca"}}}))
        TypedResource(chart, Issuer.from_manifest({"metadata": {"name": "le"}, "spec": {"acme": acme(solvers=[
            {"http01": {"ingress": {"ingressClassName": "nginx"}}}])}}))
        TypedResource(chart, certificate(usages=["server auth"], renewBeforePercentage=33,
                                         privateKey={"rotationPolicy": "Always"}))
        objects = collect_chart(chart, "certs")
        assert len(objects) == 5
        for obj in objects:
            assert not schema_errors(dict(obj.manifest)), obj.name
