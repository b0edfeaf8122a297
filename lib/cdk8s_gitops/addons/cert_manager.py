"""cert-manager (``cert-manager.io/v1``): Issuer, ClusterIssuer and Certificate.

An Issuer (namespaced) or ClusterIssuer (cluster-scoped) says how certificates are signed:
``selfSigned``, ``ca`` (a CA key pair in a Secret), ``acme`` (Let's Encrypt and other ACME
servers), ``vault`` or ``venafi``; exactly one of them. A Certificate asks an issuer for a
certificate and keeps it, renewed, in a Secret::

    root = ClusterIssuer.build(metadata={"name": "selfsigned"}, spec={"selfSigned": {}})
    ca = Certificate.build(metadata={"name": "root-ca", "namespace": "cert-manager"},
                           spec={"isCA": True, "commonName": "root-ca", "secretName": "root-ca",
                                 "issuerRef": {"name": "selfsigned", "kind": "ClusterIssuer"}})
    issuer = ClusterIssuer.build(metadata={"name": "ca"}, spec={"ca": {"secretName": "root-ca"}})

Validation follows cert-manager's admission webhook: one issuer type, one challenge type per
ACME solver, a subject or SAN on every Certificate, key sizes per algorithm, durations of at
least 1h with ``renewBefore`` of at least 5m and below the duration.

Vault and Venafi issuers, ACME solver details (``http01``/``dns01``), keystores and name
constraints are kept as given.
"""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar, Literal, Self

from pydantic import Field, model_validator

from ..core.fields import Issues
from ..core.model import K8sModel, Resource, check_name
from ..core.units import parse_duration

__all__ = [
    "ACMEChallengeSolver",
    "ACMEExternalAccountBinding",
    "ACMEIssuer",
    "CAIssuer",
    "Certificate",
    "CertificateAdditionalOutputFormat",
    "CertificatePrivateKey",
    "CertificateSecretTemplate",
    "CertificateSpec",
    "ClusterIssuer",
    "Issuer",
    "IssuerReference",
    "IssuerSpec",
    "SecretKeySelector",
    "SelfSignedIssuer",
    "X509Subject",
]

GROUP = "cert-manager.io"

MINIMUM_DURATION_SECONDS = 3600
"""cert-manager refuses certificates valid for less than 1h."""

MINIMUM_RENEW_BEFORE_SECONDS = 300
"""cert-manager refuses ``renewBefore`` below 5m."""

DEFAULT_DURATION_SECONDS = 90 * 24 * 3600
"""cert-manager's default certificate lifetime (2160h, 90 days)."""

_ISSUER_TYPES = ("acme", "ca", "selfSigned", "vault", "venafi")
_HTTP01_TYPES = ("ingress", "gatewayHTTPRoute")
_DNS01_PROVIDERS = ("acmeDNS", "akamai", "azureDNS", "cloudDNS", "cloudflare", "digitalocean", "rfc2136", "route53", "webhook")

KeyUsage = Literal[
    "signing", "digital signature", "content commitment", "key encipherment", "key agreement", "data encipherment",
    "cert sign", "crl sign", "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
    "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user", "timestamping", "ocsp signing",
    "microsoft sgc", "netscape sgc",
]


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:g}h" if seconds >= 3600 else f"{seconds / 60:g}m"


# =====================================================================================
# Issuers
# =====================================================================================
class SecretKeySelector(K8sModel):
    """A key of a Secret in the issuer's namespace (the cluster resource namespace for a ClusterIssuer).

    Attributes:
        name: ``name`` of the Secret. Required.
        key: ``key`` inside it. Default: none (a key the issuer type chooses, such as ``tls.key``).
    """

    name: str
    key: str | None = None


class SelfSignedIssuer(K8sModel):
    """``selfSigned``: each certificate is signed with its own private key.

    Attributes:
        crl_distribution_points: ``crlDistributionPoints``: CRL URLs written into certificates. Default: none.
    """

    crl_distribution_points: list[str] | None = None


class CAIssuer(K8sModel):
    """``ca``: certificates are signed by the CA key pair in a Secret.

    Attributes:
        secret_name: ``secretName``: the Secret (``tls.crt``, ``tls.key``) holding the CA; for a ClusterIssuer it
            lives in the cluster resource namespace (``cert-manager`` by default). Required.
        crl_distribution_points: ``crlDistributionPoints``. Default: none.
        issuing_certificate_urls: ``issuingCertificateURLs``: AIA URLs of the issuing certificate. Default: none.
        ocsp_servers: ``ocspServers``: OCSP URLs written into certificates. Default: none.
    """

    secret_name: str
    crl_distribution_points: list[str] | None = None
    issuing_certificate_urls: list[str] | None = Field(default=None, alias="issuingCertificateURLs")
    ocsp_servers: list[str] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        why = check_name(self.secret_name, "subdomain")
        if why:
            raise ValueError(f"secretName: {self.secret_name!r} {why}; use the name of the Secret holding the CA key pair")
        return self


class ACMEExternalAccountBinding(K8sModel):
    """``acme.externalAccountBinding``: bind the ACME account to an account at the CA (EAB).

    Attributes:
        key_id: ``keyID``: the key identifier the CA gave. Required.
        key_secret_ref: ``keySecretRef``: the Secret holding the base64url MAC key. Required.
        key_algorithm: ``keyAlgorithm``: ``HS256``, ``HS384`` or ``HS512`` (deprecated upstream). Default: none (``HS256``).
    """

    key_id: str = Field(alias="keyID")
    key_secret_ref: SecretKeySelector
    key_algorithm: Literal["HS256", "HS384", "HS512"] | None = None


class ACMEChallengeSolver(K8sModel):
    """One ``acme.solvers`` entry: how to answer challenges for the domains its selector picks.

    Attributes:
        selector: ``selector`` (``dnsNames``, ``dnsZones``, ``matchLabels``), kept as given. Default: none (every domain).
        http01: ``http01`` (``ingress`` or ``gatewayHTTPRoute``), kept as given. Default: none.
        dns01: ``dns01`` (one DNS provider such as ``route53``, ``cloudDNS``, ``cloudflare``), kept as given. Default: none.

    Exactly one of ``http01`` and ``dns01``.
    """

    selector: dict[str, Any] | None = None
    http01: dict[str, Any] | None = None
    dns01: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        given = [name for name in ("http01", "dns01") if getattr(self, name) is not None]
        if not given:
            raise ValueError("no challenge type is set; give http01 (ingress or gatewayHTTPRoute) or dns01 (a DNS provider)")
        if len(given) > 1:
            raise ValueError("dns01: is set together with http01; use one challenge type per solver (add a second solver "
                             "with a selector for the other)")
        if self.http01 is not None:
            kinds = [k for k in _HTTP01_TYPES if k in self.http01]
            if len(kinds) != 1:
                raise ValueError(f"http01: has {'no' if not kinds else 'several'} solver types ({', '.join(kinds) or 'none'}); "
                                 f"give exactly one of {', '.join(_HTTP01_TYPES)}")
        if self.dns01 is not None:
            providers = [k for k in _DNS01_PROVIDERS if k in self.dns01]
            if len(providers) != 1:
                raise ValueError(f"dns01: has {'no' if not providers else 'several'} providers ({', '.join(providers) or 'none'}); "
                                 f"give exactly one of {', '.join(_DNS01_PROVIDERS)}")
        return self


class ACMEIssuer(K8sModel):
    """``acme``: certificates from an ACME server (Let's Encrypt, ZeroSSL, step-ca...).

    Attributes:
        server: ``server``: the ACME directory URL (``https://acme-v02.api.letsencrypt.org/directory``). Required.
        email: ``email`` registered with the account (expiry notices). Default: none.
        private_key_secret_ref: ``privateKeySecretRef``: the Secret cert-manager keeps the account key in
            (created when missing). Required.
        solvers: ``solvers``: see :class:`ACMEChallengeSolver`. Default: none (no certificate can be issued).
        profile: ``profile``: the certificate profile to ask for (``tlsserver``, ``shortlived``). Default: the server's.
        ca_bundle: ``caBundle``: base64 PEM CAs that sign the ACME server's certificate. Default: system roots.
        skip_tls_verify: ``skipTLSVerify``: do not verify the ACME server's TLS certificate. Default: false.
        external_account_binding: ``externalAccountBinding``: see :class:`ACMEExternalAccountBinding`. Default: none.
        disable_account_key_generation: ``disableAccountKeyGeneration``: use the existing key only. Default: false.
        enable_duration_feature: ``enableDurationFeature``: send the Certificate's duration to the server. Default: false.
        preferred_chain: ``preferredChain``: common name of the root to prefer, at most 64 characters. Default: none.
    """

    server: str
    email: str | None = None
    private_key_secret_ref: SecretKeySelector
    solvers: list[ACMEChallengeSolver] | None = None
    profile: str | None = None
    ca_bundle: str | None = None
    skip_tls_verify: bool | None = Field(default=None, alias="skipTLSVerify")
    external_account_binding: ACMEExternalAccountBinding | None = None
    disable_account_key_generation: bool | None = None
    enable_duration_feature: bool | None = None
    preferred_chain: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.server.startswith(("https://", "http://")):
            raise ValueError(f"server: {self.server!r} is not a URL; give the ACME directory URL such as "
                             f"'https://acme-v02.api.letsencrypt.org/directory'")
        if self.preferred_chain is not None and len(self.preferred_chain) > 64:
            raise ValueError(f"preferredChain: {self.preferred_chain!r} is longer than 64 characters; give the root's common name")
        return self


class IssuerSpec(K8sModel):
    """``spec`` of an Issuer or ClusterIssuer: exactly one issuer type.

    Attributes:
        self_signed: ``selfSigned``: see :class:`SelfSignedIssuer`. Default: none.
        ca: ``ca``: see :class:`CAIssuer`. Default: none.
        acme: ``acme``: see :class:`ACMEIssuer`. Default: none.
        vault: ``vault`` (HashiCorp Vault PKI), kept as given. Default: none.
        venafi: ``venafi`` (CyberArk Certificate Manager), kept as given. Default: none.
    """

    self_signed: SelfSignedIssuer | None = None
    ca: CAIssuer | None = None
    acme: ACMEIssuer | None = None
    vault: dict[str, Any] | None = None
    venafi: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_type(self) -> Self:
        fields = type(self).model_fields
        given = [fields[f].alias or f for f in fields if getattr(self, f) is not None]
        if not given:
            raise ValueError(f"no issuer type is set; give exactly one of {', '.join(_ISSUER_TYPES)} "
                             f"(selfSigned: {{}} for a self-signed issuer)")
        if len(given) > 1:
            raise ValueError(f"{given[1]}: is set together with {given[0]}; give exactly one issuer type per issuer")
        return self


class _IssuerBase(Resource):
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: IssuerSpec
    status: dict[str, Any] | None = None


class Issuer(_IssuerBase):
    """A cert-manager Issuer (``cert-manager.io/v1``): signs certificates for Certificates in its namespace.

    Attributes:
        spec: ``spec``: see :class:`IssuerSpec`. Required.
        status: ``status``: written by cert-manager, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Issuer"


class ClusterIssuer(_IssuerBase):
    """A cert-manager ClusterIssuer (``cert-manager.io/v1``): an issuer every namespace can use.

    Secrets it refers to (the CA, the ACME account key) live in the cluster resource namespace
    (``cert-manager`` unless the controller is started with another).

    Attributes:
        spec: ``spec``: see :class:`IssuerSpec`. Required.
        status: ``status``: written by cert-manager, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "ClusterIssuer"
    NAMESPACED: ClassVar[bool] = False


# =====================================================================================
# Certificate
# =====================================================================================
class IssuerReference(K8sModel):
    """``issuerRef``: the issuer that signs the certificate.

    Attributes:
        name: ``name`` of the issuer. Required.
        kind: ``kind``: ``Issuer`` (same namespace) or ``ClusterIssuer`` for cert-manager's own issuers; any kind for
            external issuers of another group. Default: none (``Issuer``).
        group: ``group``: the issuer's API group. Default: none (``cert-manager.io``).
    """

    name: str
    kind: str | None = None
    group: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.group in (None, "", GROUP) and self.kind not in (None, "", "Issuer", "ClusterIssuer"):
            raise ValueError(f"kind: {self.kind!r} is not a cert-manager issuer kind; use 'Issuer' or 'ClusterIssuer' "
                             f"(or set group to the external issuer's API group)")
        return self


class CertificatePrivateKey(K8sModel):
    """``privateKey``: the certificate's key.

    Attributes:
        algorithm: ``algorithm``: ``RSA``, ``ECDSA`` or ``Ed25519``. Default: none (``RSA``).
        size: ``size`` in bits: 2048-8192 for RSA, 256, 384 or 521 for ECDSA, ignored for Ed25519.
            Default: none (2048 for RSA, 256 for ECDSA).
        encoding: ``encoding``: ``PKCS1`` or ``PKCS8``. Default: none (``PKCS1``).
        rotation_policy: ``rotationPolicy``: ``Always`` (new key on every renewal) or ``Never``.
            Default: none (``Always`` since cert-manager 1.18).
    """

    algorithm: Literal["RSA", "ECDSA", "Ed25519"] | None = None
    size: int | None = None
    encoding: Literal["PKCS1", "PKCS8"] | None = None
    rotation_policy: Literal["Never", "Always"] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        size = self.size
        if size is None or size == 0:
            return self
        if self.algorithm in (None, "RSA") and not 2048 <= size <= 8192:
            raise ValueError(f"size: {size} is not an RSA key size; use a size between 2048 and 8192 (such as 2048 or 4096)")
        if self.algorithm == "ECDSA" and size not in (256, 384, 521):
            raise ValueError(f"size: {size} is not an ECDSA key size; use 256, 384 or 521")
        return self


class X509Subject(K8sModel):
    """``subject``: distinguished name fields besides the common name.

    Attributes:
        organizations: ``organizations`` (O). Default: none.
        organizational_units: ``organizationalUnits`` (OU). Default: none.
        countries: ``countries`` (C). Default: none.
        provinces: ``provinces`` (ST). Default: none.
        localities: ``localities`` (L). Default: none.
        street_addresses: ``streetAddresses``. Default: none.
        postal_codes: ``postalCodes``. Default: none.
        serial_number: ``serialNumber``. Default: none.
    """

    organizations: list[str] | None = None
    organizational_units: list[str] | None = None
    countries: list[str] | None = None
    provinces: list[str] | None = None
    localities: list[str] | None = None
    street_addresses: list[str] | None = None
    postal_codes: list[str] | None = None
    serial_number: str | None = None


class CertificateSecretTemplate(K8sModel):
    """``secretTemplate``: labels and annotations copied onto the certificate's Secret.

    Attributes:
        annotations: ``annotations``. Default: none.
        labels: ``labels``. Default: none.
    """

    annotations: dict[str, str] | None = None
    labels: dict[str, str] | None = None


class CertificateAdditionalOutputFormat(K8sModel):
    """One ``additionalOutputFormats`` entry: an extra key in the Secret.

    Attributes:
        type: ``type``: ``DER`` (``key.der``) or ``CombinedPEM`` (``tls-combined.pem``). Required.
    """

    type: Literal["DER", "CombinedPEM"]


class CertificateSpec(K8sModel):
    """``spec`` of a Certificate.

    Attributes:
        secret_name: ``secretName``: the Secret (``kubernetes.io/tls``) the certificate and key are written to. Required.
        issuer_ref: ``issuerRef``: see :class:`IssuerReference`. Required.
        common_name: ``commonName`` (CN), at most 64 characters. Default: none.
        dns_names: ``dnsNames``: DNS subject alternative names. Default: none.
        ip_addresses: ``ipAddresses``: IP SANs. Default: none.
        uris: ``uris``: URI SANs. Default: none.
        email_addresses: ``emailAddresses``: email SANs. Default: none.
        other_names: ``otherNames``: ``{oid, utf8Value}`` SANs, kept as given. Default: none.
        literal_subject: ``literalSubject``: the whole subject as an RFC 4514 string; not with ``commonName``
            or ``subject``. Default: none.
        subject: ``subject``: see :class:`X509Subject`. Default: none.
        duration: ``duration``: requested lifetime, a Go duration of at least 1h. Default: none (2160h, 90 days).
        renew_before: ``renewBefore``: renew this long before expiry, at least 5m and below the duration.
            Default: none (a third of the lifetime).
        renew_before_percentage: ``renewBeforePercentage``: renew at this percentage of the lifetime before
            expiry; not with ``renewBefore``. Default: none.
        is_ca: ``isCA``: the certificate may sign others (adds ``cert sign``). Default: false.
        private_key: ``privateKey``: see :class:`CertificatePrivateKey`. Default: none (RSA 2048).
        usages: ``usages``: key usages (``server auth``, ``client auth``, ``digital signature``...).
            Default: none (``digital signature``, ``key encipherment``).
        secret_template: ``secretTemplate``: see :class:`CertificateSecretTemplate`. Default: none.
        additional_output_formats: ``additionalOutputFormats``. Default: none.
        keystores: ``keystores`` (``jks``, ``pkcs12``), kept as given. Default: none.
        encode_usages_in_request: ``encodeUsagesInRequest``. Default: none (true).
        revision_history_limit: ``revisionHistoryLimit``: CertificateRequests kept. Default: none (1).
        signature_algorithm: ``signatureAlgorithm``. Default: none (chosen from the key).
        name_constraints: ``nameConstraints`` (CA certificates), kept as given. Default: none.
    """

    secret_name: str
    issuer_ref: IssuerReference
    common_name: str | None = None
    dns_names: list[str] | None = None
    ip_addresses: list[str] | None = None
    uris: list[str] | None = None
    email_addresses: list[str] | None = None
    other_names: list[dict[str, Any]] | None = None
    literal_subject: str | None = None
    subject: X509Subject | None = None
    duration: str | None = None
    renew_before: str | None = None
    renew_before_percentage: int | None = None
    is_ca: bool | None = Field(default=None, alias="isCA")
    private_key: CertificatePrivateKey | None = None
    usages: list[KeyUsage] | None = None
    secret_template: CertificateSecretTemplate | None = None
    additional_output_formats: list[CertificateAdditionalOutputFormat] | None = None
    keystores: dict[str, Any] | None = None
    encode_usages_in_request: bool | None = None
    revision_history_limit: int | None = None
    signature_algorithm: Literal["SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA", "ECDSAWithSHA256", "ECDSAWithSHA384",
                                 "ECDSAWithSHA512", "PureEd25519"] | None = None
    name_constraints: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        issues = Issues()
        why = check_name(self.secret_name, "subdomain")
        if why:
            issues.add(("secretName",), f"{self.secret_name!r} {why}; use a Secret name such as 'web-tls'", self.secret_name)
        identities = (self.common_name, self.dns_names, self.ip_addresses, self.uris, self.email_addresses,
                      self.other_names, self.literal_subject)
        if not any(identities):
            issues.add((), "the certificate names nothing: commonName, dnsNames, ipAddresses, uris, emailAddresses, "
                           "otherNames and literalSubject are all empty; set commonName or dnsNames")
        if self.common_name is not None and len(self.common_name) > 64:
            issues.add(("commonName",), f"{self.common_name!r} is {len(self.common_name)} characters, above the X.509 "
                                        f"limit of 64; shorten it and put long names in dnsNames", self.common_name)
        if self.literal_subject is not None:
            if self.common_name is not None:
                issues.add(("literalSubject",), f"{self.literal_subject!r} is set together with commonName; put the CN "
                                                f"into literalSubject and remove commonName", self.literal_subject)
            if self.subject is not None:
                issues.add(("literalSubject",), f"{self.literal_subject!r} is set together with subject; write every "
                                                f"subject field into literalSubject and remove subject", self.literal_subject)
        for i, address in enumerate(self.ip_addresses or []):
            try:
                ipaddress.ip_address(address)
            except ValueError:
                issues.add(("ipAddresses", i), f"{address!r} is not an IP address; use an IPv4 or IPv6 address such as "
                                               f"'10.0.0.1' (host names go into dnsNames)", address)
        self._check_durations(issues)
        issues.raise_any("CertificateSpec")
        return self

    def _check_durations(self, issues: Issues) -> None:
        duration: float = DEFAULT_DURATION_SECONDS
        if self.duration is not None:
            try:
                duration = parse_duration(self.duration)
            except ValueError:
                issues.add(("duration",), f"{self.duration!r} is not a Go duration; write a number and a unit (h, m, s) "
                                          f"such as '2160h'", self.duration)
                return
            if duration < MINIMUM_DURATION_SECONDS:
                issues.add(("duration",), f"{self.duration!r} is below cert-manager's minimum of 1h; use a duration of at "
                                          f"least '1h' (such as '2160h')", self.duration)
        if self.renew_before is not None and self.renew_before_percentage is not None:
            issues.add(("renewBefore",), f"{self.renew_before!r} is set together with renewBeforePercentage "
                                         f"{self.renew_before_percentage}; use one of them", self.renew_before)
        if self.renew_before is not None:
            try:
                renew = parse_duration(self.renew_before)
            except ValueError:
                issues.add(("renewBefore",), f"{self.renew_before!r} is not a Go duration; write a number and a unit "
                                             f"such as '360h'", self.renew_before)
                return
            if renew < MINIMUM_RENEW_BEFORE_SECONDS:
                issues.add(("renewBefore",), f"{self.renew_before!r} is below cert-manager's minimum of 5m; use at least '5m'",
                           self.renew_before)
            elif renew >= duration:
                issues.add(("renewBefore",), f"{self.renew_before!r} is not below the certificate duration "
                                             f"{self.duration or '2160h (default)'}; renew before expiry with a shorter "
                                             f"renewBefore (such as a third of the duration)", self.renew_before)
        if self.renew_before_percentage is not None:
            pct = self.renew_before_percentage
            if not 0 < pct < 100:
                issues.add(("renewBeforePercentage",), f"{pct} is outside 1-99; use a percentage of the lifetime such as 33", pct)
            elif duration * pct / 100 < MINIMUM_RENEW_BEFORE_SECONDS:
                issues.add(("renewBeforePercentage",), f"{pct} renews {_hours(duration * pct / 100)} before expiry, below "
                                                       f"cert-manager's minimum of 5m; use a larger percentage", pct)


class Certificate(Resource):
    """A cert-manager Certificate (``cert-manager.io/v1``): a certificate kept renewed in a Secret.

    Attributes:
        spec: ``spec``: see :class:`CertificateSpec`. Required.
        status: ``status``: written by cert-manager, kept as given. Default: none.
    """

    KIND: ClassVar[str] = "Certificate"
    API_VERSIONS: ClassVar[tuple[str, ...]] = (f"{GROUP}/v1",)

    spec: CertificateSpec
    status: dict[str, Any] | None = None
