"""cert-manager (``cert-manager.io/v1``): Issuer, ClusterIssuer and Certificate.

An Issuer (namespaced) or ClusterIssuer (cluster-scoped) says how certificates are signed:
``selfSigned``, ``ca`` (a CA key pair in a Secret), ``acme`` (Let's Encrypt and other ACME
servers), ``vault`` or ``venafi``; exactly one of them. A Certificate asks an issuer for a
certificate and keeps it, renewed, in a Secret::

    from cdk8s_gitops import ObjectMeta
    from cdk8s_gitops.addons.cert_manager import Certificate, CertificateSpec, ClusterIssuer, IssuerRef, IssuerSpec
    from cdk8s_gitops.models.cert_manager_io_v1 import IssuerSpecCa, IssuerSpecSelfSigned

    root = ClusterIssuer(metadata=ObjectMeta(name="selfsigned"), spec=IssuerSpec(self_signed=IssuerSpecSelfSigned()))
    ca = Certificate(
        metadata=ObjectMeta(name="root-ca", namespace="cert-manager"),
        spec=CertificateSpec(is_ca=True, common_name="root-ca", secret_name="root-ca",
                             issuer_ref=IssuerRef(name="selfsigned", kind="ClusterIssuer")),
    )
    issuer = ClusterIssuer(metadata=ObjectMeta(name="ca"), spec=IssuerSpec(ca=IssuerSpecCa(secret_name="root-ca")))

The classes are the generated models of :mod:`cdk8s_gitops.models.cert_manager_io_v1`; this
module adds what cert-manager's admission webhook enforces beyond the CRD schema: one issuer
type, one challenge type per ACME solver, a subject or SAN on every Certificate, key sizes per
algorithm, durations of at least 1h with ``renewBefore`` of at least 5m and below the duration.
"""

from __future__ import annotations

import ipaddress

from ..core.fields import Issues, set_fields, wire_name
from ..core.model import check_name
from ..core.schema import semantic_check
from ..core.units import parse_duration
from ..models.cert_manager_io_v1 import (
    Certificate,
    CertificateSpec,
    CertificateSpecPrivateKey,
    ClusterIssuer,
    Issuer,
    IssuerRef,
    IssuerSpec,
    IssuerSpecAcme,
    IssuerSpecAcmeSolvers,
    IssuerSpecCa,
)

__all__ = [
    "DEFAULT_DURATION_SECONDS",
    "MINIMUM_DURATION_SECONDS",
    "MINIMUM_RENEW_BEFORE_SECONDS",
    "Certificate",
    "CertificateSpec",
    "ClusterIssuer",
    "Issuer",
    "IssuerRef",
    "IssuerSpec",
]

GROUP = "cert-manager.io"

MINIMUM_DURATION_SECONDS = 3600
"""cert-manager refuses certificates valid for less than 1h."""

MINIMUM_RENEW_BEFORE_SECONDS = 300
"""cert-manager refuses ``renewBefore`` below 5m."""

DEFAULT_DURATION_SECONDS = 90 * 24 * 3600
"""cert-manager's default certificate lifetime (2160h, 90 days)."""

# In the order errors name them: the second one set is the one reported.
_ISSUER_TYPES = ("self_signed", "ca", "acme", "vault", "venafi")
_HTTP01_TYPES = ("ingress", "gateway_http_route")
_DNS01_PROVIDERS = ("acme_dns", "akamai", "azure_dns", "cloud_dns", "cloudflare", "digitalocean", "rfc2136", "route53",
                    "webhook")


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:g}h" if seconds >= 3600 else f"{seconds / 60:g}m"


# -- issuers ------------------------------------------------------------------------------------
@semantic_check(IssuerSpec)
def _one_issuer_type(spec: IssuerSpec) -> None:
    given = set_fields(spec, _ISSUER_TYPES)
    if not given:
        raise ValueError(f"no issuer type is set; give exactly one of {', '.join(sorted(wire_name(IssuerSpec, n) for n in _ISSUER_TYPES))} "
                         f"(selfSigned: {{}} for a self-signed issuer)")
    if len(given) > 1:
        raise ValueError(f"{given[1]}: is set together with {given[0]}; give exactly one issuer type per issuer")


@semantic_check(IssuerSpecCa)
def _ca_secret(ca: IssuerSpecCa) -> None:
    why = check_name(ca.secret_name, "subdomain")
    if why:
        raise ValueError(f"secretName: {ca.secret_name!r} {why}; use the name of the Secret holding the CA key pair")


@semantic_check(IssuerSpecAcme)
def _acme_server(acme: IssuerSpecAcme) -> None:
    if not acme.server.startswith(("https://", "http://")):
        raise ValueError(f"server: {acme.server!r} is not a URL; give the ACME directory URL such as "
                         f"'https://acme-v02.api.letsencrypt.org/directory'")


@semantic_check(IssuerSpecAcmeSolvers)
def _one_challenge_type(solver: IssuerSpecAcmeSolvers) -> None:
    given = set_fields(solver, ("http01", "dns01"))
    if not given:
        raise ValueError("no challenge type is set; give http01 (ingress or gatewayHTTPRoute) or dns01 (a DNS provider)")
    if len(given) > 1:
        raise ValueError("dns01: is set together with http01; use one challenge type per solver (add a second solver "
                         "with a selector for the other)")
    for where, value, table in (("http01", solver.http01, _HTTP01_TYPES), ("dns01", solver.dns01, _DNS01_PROVIDERS)):
        if value is None:
            continue
        kinds = set_fields(value, table)
        if len(kinds) != 1:
            what = "solver types" if where == "http01" else "providers"
            raise ValueError(f"{where}: has {'no' if not kinds else 'several'} {what} ({', '.join(kinds) or 'none'}); "
                             f"give exactly one of {', '.join(wire_name(type(value), n) for n in table)}")


# -- certificates -------------------------------------------------------------------------------
@semantic_check(IssuerRef)
def _issuer_kind(ref: IssuerRef) -> None:
    if ref.group in (None, "", GROUP) and ref.kind not in (None, "", "Issuer", "ClusterIssuer"):
        raise ValueError(f"kind: {ref.kind!r} is not a cert-manager issuer kind; use 'Issuer' or 'ClusterIssuer' "
                         f"(or set group to the external issuer's API group)")


@semantic_check(CertificateSpecPrivateKey)
def _key_size(key: CertificateSpecPrivateKey) -> None:
    size = key.size
    if size is None or size == 0:
        return
    if key.algorithm in (None, "RSA") and not 2048 <= size <= 8192:
        raise ValueError(f"size: {size} is not an RSA key size; use a size between 2048 and 8192 (such as 2048 or 4096)")
    if key.algorithm == "ECDSA" and size not in (256, 384, 521):
        raise ValueError(f"size: {size} is not an ECDSA key size; use 256, 384 or 521")


@semantic_check(CertificateSpec)
def _certificate(spec: CertificateSpec) -> None:
    issues = Issues()
    why = check_name(spec.secret_name, "subdomain")
    if why:
        issues.add(("secretName",), f"{spec.secret_name!r} {why}; use a Secret name such as 'web-tls'", spec.secret_name)
    identities = (spec.common_name, spec.dns_names, spec.ip_addresses, spec.uris, spec.email_addresses,
                  spec.other_names, spec.literal_subject)
    if not any(identities):
        issues.add((), "the certificate names nothing: commonName, dnsNames, ipAddresses, uris, emailAddresses, "
                       "otherNames and literalSubject are all empty; set commonName or dnsNames")
    if spec.common_name is not None and len(spec.common_name) > 64:
        issues.add(("commonName",), f"{spec.common_name!r} is {len(spec.common_name)} characters, above the X.509 "
                                    f"limit of 64; shorten it and put long names in dnsNames", spec.common_name)
    if spec.literal_subject is not None:
        if spec.common_name is not None:
            issues.add(("literalSubject",), f"{spec.literal_subject!r} is set together with commonName; put the CN "
                                            f"into literalSubject and remove commonName", spec.literal_subject)
        if spec.subject is not None:
            issues.add(("literalSubject",), f"{spec.literal_subject!r} is set together with subject; write every "
                                            f"subject field into literalSubject and remove subject", spec.literal_subject)
    for i, address in enumerate(spec.ip_addresses or []):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            issues.add(("ipAddresses", i), f"{address!r} is not an IP address; use an IPv4 or IPv6 address such as "
                                           f"'10.0.0.1' (host names go into dnsNames)", address)
    _check_durations(spec, issues)
    issues.raise_any("CertificateSpec")


def _check_durations(spec: CertificateSpec, issues: Issues) -> None:
    duration: float = DEFAULT_DURATION_SECONDS
    if spec.duration is not None:
        try:
            duration = parse_duration(spec.duration)
        except ValueError:
            issues.add(("duration",), f"{spec.duration!r} is not a Go duration; write a number and a unit (h, m, s) "
                                      f"such as '2160h'", spec.duration)
            return
        if duration < MINIMUM_DURATION_SECONDS:
            issues.add(("duration",), f"{spec.duration!r} is below cert-manager's minimum of 1h; use a duration of at "
                                      f"least '1h' (such as '2160h')", spec.duration)
    if spec.renew_before is not None and spec.renew_before_percentage is not None:
        issues.add(("renewBefore",), f"{spec.renew_before!r} is set together with renewBeforePercentage "
                                     f"{spec.renew_before_percentage}; use one of them", spec.renew_before)
    if spec.renew_before is not None:
        try:
            renew = parse_duration(spec.renew_before)
        except ValueError:
            issues.add(("renewBefore",), f"{spec.renew_before!r} is not a Go duration; write a number and a unit "
                                         f"such as '360h'", spec.renew_before)
            return
        if renew < MINIMUM_RENEW_BEFORE_SECONDS:
            issues.add(("renewBefore",), f"{spec.renew_before!r} is below cert-manager's minimum of 5m; use at least '5m'",
                       spec.renew_before)
        elif renew >= duration:
            issues.add(("renewBefore",), f"{spec.renew_before!r} is not below the certificate duration "
                                         f"{spec.duration or '2160h (default)'}; renew before expiry with a shorter "
                                         f"renewBefore (such as a third of the duration)", spec.renew_before)
    if spec.renew_before_percentage is not None:
        pct = spec.renew_before_percentage
        if not 0 < pct < 100:
            issues.add(("renewBeforePercentage",), f"{pct} is outside 1-99; use a percentage of the lifetime such as 33", pct)
        elif duration * pct / 100 < MINIMUM_RENEW_BEFORE_SECONDS:
            issues.add(("renewBeforePercentage",), f"{pct} renews {_hours(duration * pct / 100)} before expiry, below "
                                                   f"cert-manager's minimum of 5m; use a larger percentage", pct)
