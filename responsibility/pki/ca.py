"""The county's certificate authorities: a root CA, an issuing CA for persons and seals, a TSA certificate.

``init_pki`` makes them once and loads them afterwards; the files live in one directory (normally
``instance/pki/``), certificates as PEM, private keys as PKCS#8 encrypted under the instance secret.
The manifest ``pki.json`` is written last, so a directory without it holds no PKI yet and is
overwritten by the next ``init_pki`` (nothing can have been issued from it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes, CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from responsibility.pki.errors import PkiError
from responsibility.pki.storage import load_encrypted_key, write_atomic, write_encrypted_key

__all__ = [
    "CA_NAMES",
    "DOCUMENT_SIGNING_EKUS",
    "Pki",
    "build_crl",
    "crl_url",
    "export_root_pem",
    "init_pki",
    "issue_person_certificate",
]

CaName = Literal["root", "issuing"]
CA_NAMES: tuple[CaName, ...] = ("root", "issuing")
MANIFEST = "pki.json"
# X.520 serialNumber is a PrintableString.
_PRINTABLE = re.compile(r"[A-Za-z0-9 '()+,\-./:=?]{1,64}")

#: Extended key usages of a person or seal certificate. emailProtection makes NSS (poppler's pdfsig,
#: Firefox-family readers) accept the certificate for document signatures; id-kp-documentSigning
#: (RFC 9336) and Adobe's Authentic Documents OID name the real purpose.
DOCUMENT_SIGNING_EKUS = (
    ExtendedKeyUsageOID.EMAIL_PROTECTION,
    ObjectIdentifier("1.3.6.1.5.5.7.3.36"),
    ObjectIdentifier("1.2.840.113583.1.1.5"),
)


@dataclass(frozen=True)
class Pki:
    """The loaded PKI. Keys are live objects: load once per process and pass the object around."""

    directory: Path
    base_url: str
    county_name: str
    bureau_name: str
    root_certificate: x509.Certificate
    issuing_certificate: x509.Certificate
    tsa_certificate: x509.Certificate
    root_key: rsa.RSAPrivateKey = field(repr=False)
    issuing_key: rsa.RSAPrivateKey = field(repr=False)
    tsa_key: rsa.RSAPrivateKey = field(repr=False)

    def ca_certificate(self, ca: str) -> x509.Certificate:
        return {"root": self.root_certificate, "issuing": self.issuing_certificate}[_check_ca(ca)]

    def ca_key(self, ca: str) -> rsa.RSAPrivateKey:
        return {"root": self.root_key, "issuing": self.issuing_key}[_check_ca(ca)]

    @property
    def person_chain(self) -> tuple[x509.Certificate, ...]:
        """Certificates between a person's certificate and the root, root last."""
        return (self.issuing_certificate, self.root_certificate)


def _check_ca(ca: str) -> CaName:
    if ca not in CA_NAMES:
        raise PkiError(f"unknown CA {ca!r}; expected one of {', '.join(CA_NAMES)}")
    return ca  # type: ignore[return-value]


def crl_url(base_url: str, ca: str) -> str:
    """Where the CRL of ``ca`` is published (and what certificates it issued point to)."""
    return f"{base_url.rstrip('/')}/pki/crl/{_check_ca(ca)}.crl"


def _name(common_name: str, organisation: str, serial_number: str | None = None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial_number is not None:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial_number))
    return x509.Name(attrs)


def _sign_certificate(
    *,
    subject: x509.Name,
    public_key: CertificatePublicKeyTypes,
    issuer_certificate: x509.Certificate | None,
    issuer_key: CertificateIssuerPrivateKeyTypes,
    not_before: datetime,
    not_after: datetime,
    extensions: Iterable[tuple[x509.ExtensionType, bool]],
    crl_from: str | None,
) -> x509.Certificate:
    issuer = subject if issuer_certificate is None else issuer_certificate.subject
    if issuer_certificate is not None:
        not_after = min(not_after, issuer_certificate.not_valid_after_utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    aki_source = issuer_key.public_key() if issuer_certificate is None else issuer_certificate.public_key()
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(aki_source),  # type: ignore[arg-type]
        critical=False,
    )
    if crl_from is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_from)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _signing_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _create(directory: Path, secret: bytes, county_name: str, bureau_name: str, base_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    issuing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root = _sign_certificate(
        subject=_name(f"{county_name}教育安全责任根证书", bureau_name),
        public_key=root_key.public_key(),
        issuer_certificate=None,
        issuer_key=root_key,
        not_before=now,
        not_after=now + timedelta(days=20 * 365),
        extensions=[(x509.BasicConstraints(ca=True, path_length=1), True), (_ca_usage(), True)],
        crl_from=None,
    )
    issuing = _sign_certificate(
        subject=_name(f"{county_name}教育安全责任签名证书CA", bureau_name),
        public_key=issuing_key.public_key(),
        issuer_certificate=root,
        issuer_key=root_key,
        not_before=now,
        not_after=now + timedelta(days=10 * 365),
        extensions=[(x509.BasicConstraints(ca=True, path_length=0), True), (_ca_usage(), True)],
        crl_from=crl_url(base_url, "root"),
    )
    tsa = _sign_certificate(
        subject=_name(f"{county_name}教育安全责任时间戳服务", bureau_name),
        public_key=tsa_key.public_key(),
        issuer_certificate=root,
        issuer_key=root_key,
        not_before=now,
        not_after=now + timedelta(days=10 * 365),
        extensions=[
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (_signing_usage(), True),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True),
        ],
        crl_from=crl_url(base_url, "root"),
    )
    for name, cert, key in (("root", root, root_key), ("issuing", issuing, issuing_key), ("tsa", tsa, tsa_key)):
        write_atomic(directory / f"{name}.crt.pem", cert.public_bytes(serialization.Encoding.PEM))
        write_encrypted_key(directory / f"{name}.key.pem", key, secret=secret, name=name)
    manifest = {
        "version": 1,
        "county_name": county_name,
        "bureau_name": bureau_name,
        "base_url": base_url,
        "created_at": now.isoformat(),
    }
    write_atomic(directory / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))


def _load(directory: Path, secret: bytes) -> Pki:
    try:
        manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
        certs = {
            name: x509.load_pem_x509_certificate((directory / f"{name}.crt.pem").read_bytes())
            for name in ("root", "issuing", "tsa")
        }
    except (OSError, ValueError) as exc:
        raise PkiError(f"the PKI in {directory} is damaged: {exc}") from exc
    if not isinstance(manifest, dict) or not {"base_url", "county_name", "bureau_name"} <= manifest.keys():
        raise PkiError(f"the PKI manifest in {directory} is incomplete")
    keys = {name: load_encrypted_key(directory / f"{name}.key.pem", secret=secret, name=name) for name in certs}
    for name, key in keys.items():
        if not isinstance(key, rsa.RSAPrivateKey) or key.public_key() != certs[name].public_key():
            raise PkiError(f"PKI key {name} does not match its certificate")
    return Pki(
        directory=directory,
        base_url=manifest["base_url"],
        county_name=manifest["county_name"],
        bureau_name=manifest["bureau_name"],
        root_certificate=certs["root"],
        issuing_certificate=certs["issuing"],
        tsa_certificate=certs["tsa"],
        root_key=keys["root"],  # type: ignore[arg-type]
        issuing_key=keys["issuing"],  # type: ignore[arg-type]
        tsa_key=keys["tsa"],  # type: ignore[arg-type]
    )


def load_pki(directory: Path, *, secret: bytes) -> Pki:
    """Open the PKI in ``directory``; never creates one (:func:`init_pki` does). Raises
    :class:`PkiError` when the files are missing or damaged or ``secret`` does not open them."""
    return _load(Path(directory), secret)


def init_pki(directory: Path, *, secret: bytes, county_name: str, bureau_name: str, base_url: str) -> Pki:
    """Create the PKI in ``directory`` unless it exists, then load it.

    Idempotent: a second call loads what the first made (the names and ``base_url`` passed then win;
    certificates already carry their CRL URLs). A wrong ``secret`` raises :class:`PkiError`.
    """
    directory = Path(directory)
    if not (directory / MANIFEST).is_file():
        if not secret:
            raise PkiError("the instance secret is empty; the PKI keys cannot be protected")
        _create(directory, secret, county_name, bureau_name, base_url)
    return _load(directory, secret)


def issue_person_certificate(
    pki: Pki,
    public_key: CertificatePublicKeyTypes,
    *,
    name: str,
    organisation: str,
    serial_number: str,
    days: int = 365,
    now: datetime | None = None,
) -> x509.Certificate:
    """Certificate for a person (or an organisation's seal) issued by the issuing CA.

    CN is ``name``, O is ``organisation``, serialNumber is the person's source id; key usage
    digitalSignature + nonRepudiation (critical) and the document-signing EKUs.
    """
    if not isinstance(public_key, (rsa.RSAPublicKey, ec.EllipticCurvePublicKey)):
        raise PkiError("person keys must be RSA or ECDSA")
    if not name.strip() or not organisation.strip() or not serial_number.strip():
        raise PkiError("name, organisation and serial number are required for a certificate")
    if not _PRINTABLE.fullmatch(serial_number):
        raise PkiError(f"serial number {serial_number!r} has characters a certificate cannot carry")
    start = (now or datetime.now(UTC)).replace(microsecond=0) - timedelta(minutes=5)
    return _sign_certificate(
        subject=_name(name, organisation, serial_number),
        public_key=public_key,
        issuer_certificate=pki.issuing_certificate,
        issuer_key=pki.issuing_key,
        not_before=start,
        not_after=start + timedelta(days=days, minutes=5),
        extensions=[
            (x509.BasicConstraints(ca=False, path_length=None), True),
            (_signing_usage(), True),
            (x509.ExtendedKeyUsage(list(DOCUMENT_SIGNING_EKUS)), False),
        ],
        crl_from=crl_url(pki.base_url, "issuing"),
    )


def build_crl(
    pki: Pki,
    ca: str,
    revoked: Iterable[tuple[int, datetime]],
    *,
    this_update: datetime,
    next_update: datetime,
) -> bytes:
    """A DER CRL of ``ca`` listing ``(serial, revoked_at)`` pairs.

    The CRL number is derived from ``this_update`` (microseconds since the epoch), so later CRLs of
    one CA always have larger numbers without any stored counter.
    """
    if next_update <= this_update:
        raise PkiError("a CRL's next update must be after its this update")
    issuer = pki.ca_certificate(ca)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.subject)
        .last_update(this_update)
        .next_update(next_update)
        .add_extension(x509.CRLNumber(int(this_update.timestamp() * 1_000_000)), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
    )
    for serial, revoked_at in revoked:
        entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(revoked_at).build()
        builder = builder.add_revoked_certificate(entry)
    return builder.sign(pki.ca_key(ca), hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def export_root_pem(pki: Pki) -> bytes:
    """The root certificate as PEM, for verifiers and for Adobe Reader / WPS trust settings."""
    return pki.root_certificate.public_bytes(serialization.Encoding.PEM)
