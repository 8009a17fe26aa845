"""Bring your own PKCS#12: a person enrols with a key and certificate from an external CA.

The certificate must chain to one of the configured external roots (setting
``EXTERNAL_TRUST_ROOTS``: PEM files), be valid now, allow signing, and name the person (CN equal
to the person's name; a serialNumber, when the certificate has one, equal to the source id). The
private key is then kept exactly like a county key: sealed under the person's signing PIN. The
certificate is entered in the register with ``ca = "external"``: revoking it here stops its use
in this system, but only its own CA can put it on a CRL.

Revocation of an external certificate is not checked at enrolment (nothing is fetched from the
network; ``soft-fail``): whoever signs with it must supply that CA's revocation data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.clock import as_utc
from responsibility.errors import BadInput, Forbidden
from responsibility.models import IssuedCertificate, Person, SigningEnrolment
from responsibility.pki.custody import check_pin_policy, seal_private_key
from responsibility.pki.enrolment import install_enrolment
from responsibility.pki.registry import fingerprint, record_certificate

__all__ = ["EXTERNAL_CA", "enrol_pkcs12", "external_trust_roots", "load_trust_roots"]

EXTERNAL_CA = "external"
#: A PKCS#12 file with a key and a few certificates is a few KB; refuse anything near this.
MAX_PKCS12_BYTES = 256 * 1024


def load_trust_roots(paths: Iterable[str | Path]) -> list[x509.Certificate]:
    """Every certificate in the given PEM files; an unreadable file is :class:`BadInput`."""
    roots: list[x509.Certificate] = []
    for path in paths:
        try:
            roots.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
        except (OSError, ValueError) as exc:
            raise BadInput(f"cannot read external trust roots from {path}: {exc}") from exc
    return roots


def external_trust_roots(config: Mapping[str, Any]) -> list[x509.Certificate]:
    """The roots of external CAs whose certificates persons may bring (``EXTERNAL_TRUST_ROOTS``:
    one path or a list of paths to PEM files). Empty when not configured."""
    value = config.get("EXTERNAL_TRUST_ROOTS") or []
    paths = [value] if isinstance(value, (str, Path)) else list(value)
    return load_trust_roots(paths)


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def _open(
    data: bytes, password: str | None
) -> tuple[rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey, x509.Certificate, list[x509.Certificate]]:
    if len(data) > MAX_PKCS12_BYTES:
        raise BadInput("the PKCS#12 file is too large")
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(
            data, password.encode("utf-8") if password else None
        )
    except (ValueError, TypeError) as exc:
        raise BadInput("cannot open the PKCS#12 file (wrong password or not a PKCS#12 file)") from exc
    if certificate is None or key is None:
        raise BadInput("the PKCS#12 file must hold a private key and its certificate")
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise BadInput("only RSA and ECDSA signing keys are supported")
    if key.public_key() != certificate.public_key():
        raise BadInput("the private key in the PKCS#12 file does not belong to its certificate")
    return key, certificate, list(others)


def _check_identity(certificate: x509.Certificate, person: Person) -> None:
    names = [str(a.value).strip() for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    serials = [str(a.value).strip() for a in certificate.subject.get_attributes_for_oid(NameOID.SERIAL_NUMBER)]
    if person.name.strip() not in names:
        raise Forbidden(f"the certificate is issued to {', '.join(names) or 'nobody'}, not to {person.name}")
    if serials and person.source_id not in serials:
        raise Forbidden(f"the certificate's serialNumber does not match {person.source_id}")


def _check_usage(certificate: x509.Certificate) -> None:
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise Forbidden("the certificate may not be used for signatures (key usage)")


def _validated_chain(
    certificate: x509.Certificate, others: list[x509.Certificate], roots: list[x509.Certificate], moment: dt.datetime
) -> list[x509.Certificate]:
    """The path to a trusted root (without the leaf), or :class:`Forbidden`."""
    context = ValidationContext(
        trust_roots=[_asn1(root) for root in roots],
        other_certs=[_asn1(cert) for cert in others],
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=moment,
    )
    validator = CertificateValidator(_asn1(certificate), validation_context=context)
    try:
        path = _run(validator.async_validate_path())
    except (PathBuildingError, PathValidationError, ValidationError) as exc:
        raise Forbidden(f"the certificate is not issued by a trusted external CA: {exc}") from exc
    chain = [x509.load_der_x509_certificate(cert.dump()) for cert in path.iter_certs(include_root=True)]
    return [cert for cert in chain if cert != certificate]


def _run(coroutine):  # type: ignore[no-untyped-def]
    """Run ``coroutine`` to completion, in a worker thread when this thread already runs an event
    loop (``asyncio.run`` refuses to nest)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _key_kind(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return f"rsa-{key.key_size}"
    return "ecdsa-p256" if isinstance(key.curve, ec.SECP256R1) else f"ecdsa-{key.curve.name}"[:16]


def enrol_pkcs12(
    session: Session,
    person: Person,
    data: bytes,
    password: str | None,
    pin: str,
    *,
    trust_roots: list[x509.Certificate],
    actor: str,
    now: dt.datetime | None = None,
    min_digits: int = 6,
) -> SigningEnrolment:
    """Enrol ``person`` with the key and certificate of a PKCS#12 file from an external CA.

    Refusals: weak PIN (:class:`~responsibility.pki.errors.WeakPin`); no external roots, an
    unreadable file or wrong password (:class:`BadInput`); a certificate that is not the person's,
    not valid now, not for signing, not from a trusted root or already enrolled by someone else
    (:class:`Forbidden`). Replaces any earlier enrolment like :func:`~responsibility.pki.enrolment.enrol`.
    """
    check_pin_policy(pin, min_digits)
    if not trust_roots:
        raise BadInput("no external CA is trusted (set EXTERNAL_TRUST_ROOTS)")
    moment = as_utc(now) if now is not None else dt.datetime.now(dt.UTC)
    key, certificate, others = _open(data, password)
    _check_identity(certificate, person)
    if not certificate.not_valid_before_utc <= moment < certificate.not_valid_after_utc:
        raise Forbidden("the certificate is not valid now")
    _check_usage(certificate)
    chain = _validated_chain(certificate, others, trust_roots, moment)
    if session.scalar(
        select(IssuedCertificate.id).where(IssuedCertificate.fingerprint_sha256 == fingerprint(certificate))
    ):
        raise Forbidden("this certificate is already registered")
    sealed = seal_private_key(key, pin)
    row = record_certificate(session, certificate, person=person, key_kind=_key_kind(key), ca=EXTERNAL_CA, now=moment)
    chain_pem = "".join(cert.public_bytes(serialization.Encoding.PEM).decode("ascii") for cert in chain)
    return install_enrolment(session, person, row, sealed, chain_pem=chain_pem, actor=actor, now=moment)
