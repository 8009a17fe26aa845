"""The CA's register of issued certificates: recording, revoking, and the CRLs built from it.

Revocation is a row update plus an audit event in the caller's transaction; the CRL served next
reflects it because :func:`current_crl` keys its cache on the revocation state it reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.audit.log import append_event
from responsibility.clock import as_utc
from responsibility.errors import BadInput, InvalidState, NotFound
from responsibility.models import ENROLMENT_REVOKED, IssuedCertificate, Person, SigningEnrolment
from responsibility.pki.ca import CA_NAMES, Pki, build_crl

__all__ = [
    "CRL_VALIDITY",
    "REVOCATION_REASONS",
    "certificate_of",
    "current_crl",
    "current_crls",
    "fingerprint",
    "list_certificates",
    "record_certificate",
    "revoke_certificate",
    "revoke_person",
    "revoked_serials",
]

#: How long a CRL is valid (its nextUpdate); a fresh one is built after a day or on any revocation.
CRL_VALIDITY = dt.timedelta(days=7)
_CRL_REFRESH = dt.timedelta(days=1)
#: RFC 5280 reason names accepted for a revocation (the CRL lists the date; the reason is recorded).
REVOCATION_REASONS = (
    "unspecified",
    "key_compromise",
    "affiliation_changed",
    "superseded",
    "cessation_of_operation",
)

_crl_lock = threading.Lock()
_crl_cache: dict[tuple[str, str], tuple[str, dt.datetime, bytes]] = {}


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def certificate_of(row: IssuedCertificate) -> x509.Certificate:
    return x509.load_der_x509_certificate(row.der)


def record_certificate(
    session: Session,
    certificate: x509.Certificate,
    *,
    person: Person | None,
    key_kind: str,
    ca: str = "issuing",
    now: dt.datetime | None = None,
) -> IssuedCertificate:
    """Enter a freshly issued certificate in the register (no audit event: the caller's operation,
    e.g. an enrolment, writes one naming the serial)."""
    row = IssuedCertificate(
        ca=ca,
        serial_hex=format(certificate.serial_number, "x"),
        fingerprint_sha256=fingerprint(certificate),
        person_id=person.id if person is not None else None,
        subject=certificate.subject.rfc4514_string({NameOID.SERIAL_NUMBER: "serialNumber"}),
        der=certificate.public_bytes(serialization.Encoding.DER),
        key_kind=key_kind,
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        issued_at=now or dt.datetime.now(dt.UTC),
    )
    session.add(row)
    session.flush()
    return row


def revoke_certificate(
    session: Session,
    row: IssuedCertificate,
    *,
    reason: str,
    actor: str,
    now: dt.datetime | None = None,
) -> IssuedCertificate:
    """Mark ``row`` revoked from ``now`` and write ``pki.certificate_revoked``. Revoking twice is
    :class:`InvalidState`; an unknown reason is :class:`BadInput`. A person's enrolment on this
    certificate stops working at once."""
    if reason not in REVOCATION_REASONS:
        raise BadInput(f"unknown revocation reason {reason!r}; expected one of {', '.join(REVOCATION_REASONS)}")
    if row.revoked_at is not None:
        raise InvalidState(f"certificate {row.serial_hex} is already revoked")
    moment = now or dt.datetime.now(dt.UTC)
    row.revoked_at, row.revocation_reason = moment, reason
    enrolment = session.scalar(select(SigningEnrolment).where(SigningEnrolment.certificate_id == row.id))
    if enrolment is not None:
        enrolment.state, enrolment.updated_at = ENROLMENT_REVOKED, moment
    append_event(
        session,
        actor=actor,
        action="pki.certificate_revoked",
        subject=f"certificate:{row.serial_hex}",
        data={"serial": row.serial_hex, "person_id": row.person_id, "reason": reason, "subject": row.subject},
        at=moment,
    )
    session.flush()
    return row


def revoke_person(
    session: Session, person: Person, *, reason: str = "unspecified", actor: str, now: dt.datetime | None = None
) -> IssuedCertificate:
    """Revoke the certificate of ``person``'s current enrolment."""
    enrolment = session.scalar(select(SigningEnrolment).where(SigningEnrolment.person_id == person.id))
    if enrolment is None:
        raise NotFound(f"{person.name} ({person.source_id}) has no signing certificate")
    return revoke_certificate(session, enrolment.certificate, reason=reason, actor=actor, now=now)


def revoked_serials(session: Session, ca: str) -> list[tuple[int, dt.datetime]]:
    """``(serial, revoked_at)`` of every revoked certificate of ``ca``, oldest revocation first."""
    rows = session.execute(
        select(IssuedCertificate.serial_hex, IssuedCertificate.revoked_at)
        .where(IssuedCertificate.ca == ca, IssuedCertificate.revoked_at.is_not(None))
        .order_by(IssuedCertificate.revoked_at, IssuedCertificate.id)
    ).all()
    return [(int(serial_hex, 16), as_utc(revoked_at)) for serial_hex, revoked_at in rows if revoked_at is not None]


def _state_digest(revoked: Sequence[tuple[int, dt.datetime]]) -> str:
    text = ";".join(f"{serial:x}@{at.isoformat()}" for serial, at in revoked)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def current_crl(session: Session, pki: Pki, ca: str, *, now: dt.datetime | None = None) -> bytes:
    """The DER CRL of ``ca`` (``root`` or ``issuing``) listing every revoked certificate it issued.

    Built at most once a day per revocation state and process: the cache key includes a digest of
    the revoked serials, so a revocation shows in the very next CRL. ``nextUpdate`` is
    :data:`CRL_VALIDITY` after ``thisUpdate``. Unknown ``ca``: :class:`NotFound`.
    """
    if ca not in CA_NAMES:
        raise NotFound(f"no CA named {ca!r}")
    moment = now or dt.datetime.now(dt.UTC)
    revoked = revoked_serials(session, ca)
    digest = _state_digest(revoked)
    key = (fingerprint(pki.ca_certificate(ca)), ca)
    with _crl_lock:
        cached = _crl_cache.get(key)
        if cached is not None and cached[0] == digest and cached[1] <= moment < cached[1] + _CRL_REFRESH:
            return cached[2]
        # thisUpdate a minute back: a signature timestamped in the same second still sees it as current.
        this_update = moment.replace(microsecond=0) - dt.timedelta(minutes=1)
        if revoked:
            this_update = max(this_update, max(at for _, at in revoked).replace(microsecond=0))
        der = build_crl(pki, ca, revoked, this_update=this_update, next_update=this_update + CRL_VALIDITY)
        _crl_cache[key] = (digest, moment, der)
    return der


def current_crls(session: Session, pki: Pki, *, now: dt.datetime | None = None) -> list[bytes]:
    """The CRLs of every CA (what a validation context for signing needs)."""
    return [current_crl(session, pki, ca, now=now) for ca in CA_NAMES]


def list_certificates(session: Session, *, limit: int = 500) -> list[IssuedCertificate]:
    """The register, newest first (the admin's revocation page)."""
    return list(
        session.scalars(
            select(IssuedCertificate)
            .order_by(IssuedCertificate.issued_at.desc(), IssuedCertificate.id.desc())
            .limit(limit)
        )
    )
