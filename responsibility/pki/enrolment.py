"""Enrolment (a person sets a signing PIN and gets a key pair and certificate) and unlocking the key.

The private key is kept sealed under a key derived from the PIN (``custody.seal_private_key``);
the PIN is never stored, logged or put in an audit event. Unlocking counts wrong PINs on the
enrolment row: :data:`MAX_PIN_FAILURES` in a row lock signing for :data:`LOCK_DURATION`; each
attempt is counted atomically *before* the PIN is checked (``pki.pin_attempts``), so parallel
guesses cannot outrun the lock.

**The failure count must survive the caller's rollback.** :func:`unlock_signing_key` records a
wrong PIN (or the reset after a right one) in the caller's session and then raises or returns; if
the caller rolled back, a guesser would have unlimited tries. Entry points (views, commands, jobs)
therefore call ``jobs.transactions.unlock_and_commit``, which runs the attempt in a transaction of
its own and commits it whatever the outcome, *before* the signing work starts its own transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.audit.log import append_event
from responsibility.clock import as_utc
from responsibility.errors import BadInput, Forbidden, InvalidState
from responsibility.models import (
    ENROLMENT_ACTIVE,
    ENROLMENT_REVOKED,
    Bureau,
    IssuedCertificate,
    Person,
    PostAssignment,
    School,
    SigningEnrolment,
)
from responsibility.pki.ca import Pki, issue_person_certificate
from responsibility.pki.custody import (
    KeyKind,
    SigningKey,
    check_pin_policy,
    generate_key,
    open_private_key,
    seal_private_key,
)
from responsibility.pki.errors import PkiError, WrongPin
from responsibility.pki.pin_attempts import (
    LOCK_DURATION,
    MAX_PIN_FAILURES,
    PinAttempt,
    SigningLocked,
    record_wrong_pin,
    reserve_pin_attempt,
    reset_pin_count,
)
from responsibility.pki.registry import certificate_of, record_certificate, revoke_certificate

__all__ = [
    "KEY_KINDS",
    "LOCK_DURATION",
    "MAX_PIN_FAILURES",
    "CertificateUnusable",
    "NotEnrolled",
    "SigningLocked",
    "UnlockedKey",
    "check_unlock",
    "enrol",
    "enrolment_of",
    "install_enrolment",
    "may_enrol",
    "min_pin_digits",
    "organisation_name",
    "reserve_unlock",
    "unlock_signing_key",
]

KEY_KINDS: tuple[KeyKind, ...] = ("ecdsa-p256", "rsa-2048")
CERTIFICATE_DAYS = 365


class NotEnrolled(InvalidState):
    """The person has no signing key yet (they set a signing PIN on the enrolment page first)."""


class CertificateUnusable(Forbidden):
    """The person's certificate is revoked or outside its validity: no new signatures with it."""


@dataclass(frozen=True)
class UnlockedKey:
    """A person's opened signing key with its certificate; hold it for one request only."""

    key: SigningKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    """Issuing CA, then root (an external certificate: the chain its PKCS#12 brought): what
    :class:`~responsibility.signing.KeySigner` embeds."""
    enrolment_id: int

    def __iter__(self):  # type: ignore[no-untyped-def]
        """Unpacks as ``key, certificate, chain``."""
        return iter((self.key, self.certificate, self.chain))


def min_pin_digits(config: Mapping[str, Any]) -> int:
    """The PIN policy's minimum length: setting ``PIN_MIN_DIGITS`` (never below 6)."""
    return max(6, int(config.get("PIN_MIN_DIGITS") or 6))


def _now(now: dt.datetime | None) -> dt.datetime:
    return as_utc(now) if now is not None else dt.datetime.now(dt.UTC)


def enrolment_of(session: Session, person: Person, *, for_update: bool = False) -> SigningEnrolment | None:
    query = select(SigningEnrolment).where(SigningEnrolment.person_id == person.id)
    if for_update:
        query = query.with_for_update()
    return session.scalar(query)


def may_enrol(session: Session, person: Person, day: dt.date) -> bool:
    """Whether ``person`` holds any post on ``day`` (only post holders sign anything)."""
    found = session.scalar(
        select(PostAssignment.id).where(PostAssignment.person_id == person.id, PostAssignment.held_on(day)).limit(1)
    )
    return found is not None


def organisation_name(person: Person, pki: Pki) -> str:
    """The certificate's O: the person's school, else the bureau (sections belong to the bureau)."""
    org = person.org
    if isinstance(org, (School, Bureau)):
        return org.name
    return pki.bureau_name


def enrol(
    session: Session,
    pki: Pki,
    person: Person,
    pin: str,
    *,
    key_kind: str = "ecdsa-p256",
    actor: str,
    now: dt.datetime | None = None,
    min_digits: int = 6,
) -> SigningEnrolment:
    """Make ``person`` a key pair and a one-year certificate and keep the key sealed under ``pin``.

    Re-enrolment replaces the key and revokes the previous certificate (reason ``superseded``),
    and clears any PIN lock. Weak PIN: :class:`~responsibility.pki.errors.WeakPin`; unknown key
    kind: :class:`BadInput`. Writes ``pki.enrolled``; the caller commits.
    """
    check_pin_policy(pin, min_digits)
    if key_kind not in KEY_KINDS:
        raise BadInput(f"unknown key kind {key_kind!r}; expected one of {', '.join(KEY_KINDS)}")
    moment = _now(now)
    key = generate_key(key_kind)  # type: ignore[arg-type]
    try:
        certificate = issue_person_certificate(
            pki,
            key.public_key(),
            name=person.name,
            organisation=organisation_name(person, pki),
            serial_number=person.source_id,
            days=CERTIFICATE_DAYS,
            now=moment,
        )
    except PkiError as exc:
        raise BadInput(f"cannot issue a certificate for {person.source_id}: {exc}") from exc
    sealed = seal_private_key(key, pin)
    row = record_certificate(session, certificate, person=person, key_kind=key_kind, now=moment)
    return install_enrolment(session, person, row, sealed, chain_pem=None, actor=actor, now=moment)


def install_enrolment(
    session: Session,
    person: Person,
    row: IssuedCertificate,
    sealed_key: bytes,
    *,
    chain_pem: str | None,
    actor: str,
    now: dt.datetime,
) -> SigningEnrolment:
    """Make ``row`` (already recorded) and ``sealed_key`` the person's signing key: revoke the
    previous certificate (``superseded``), clear the PIN lock, write ``pki.enrolled``."""
    enrolment = enrolment_of(session, person, for_update=True)
    replaced: str | None = None
    if enrolment is None:
        enrolment = SigningEnrolment(person_id=person.id, created_at=now)
        session.add(enrolment)
    else:
        old = enrolment.certificate
        if old.revoked_at is None:
            revoke_certificate(session, old, reason="superseded", actor=actor, now=now)
        replaced = old.serial_hex
    enrolment.certificate_id = row.id
    enrolment.certificate = row
    enrolment.sealed_key = sealed_key
    enrolment.chain_pem = chain_pem
    enrolment.state = ENROLMENT_ACTIVE
    enrolment.failed_pin_count = 0
    enrolment.locked_until = None
    enrolment.updated_at = now
    append_event(
        session,
        actor=actor,
        action="pki.enrolled",
        subject=f"person:{person.source_id}",
        data={
            "serial": row.serial_hex,
            "fingerprint_sha256": row.fingerprint_sha256,
            "key_kind": row.key_kind,
            "ca": row.ca,
            "replaced_serial": replaced,
        },
        at=now,
    )
    session.flush()
    return enrolment


def _check_certificate(enrolment: SigningEnrolment, moment: dt.datetime) -> None:
    row = enrolment.certificate
    if enrolment.state == ENROLMENT_REVOKED or row.revoked_at is not None:
        raise CertificateUnusable(
            f"the signing certificate {row.serial_hex} was revoked; set a new signing PIN to get a new one"
        )
    if not as_utc(row.not_before) <= moment < as_utc(row.not_after):
        raise CertificateUnusable(
            f"the signing certificate {row.serial_hex} is not valid now (valid "
            f"{as_utc(row.not_before):%Y-%m-%d} to {as_utc(row.not_after):%Y-%m-%d}); set a new signing PIN"
        )


def reserve_unlock(session: Session, person: Person, *, now: dt.datetime | None = None) -> PinAttempt:
    """The first half of :func:`unlock_signing_key`: refuse without counting (no enrolment:
    :class:`NotEnrolled`; revoked or expired certificate: :class:`CertificateUnusable`; an active
    lock: :class:`SigningLocked`), then count the attempt atomically before any PIN is checked
    (``pki.pin_attempts``). The caller commits the reservation before :func:`check_unlock`."""
    moment = _now(now)
    enrolment = session.scalar(
        select(SigningEnrolment)
        .where(SigningEnrolment.person_id == person.id)
        .execution_options(populate_existing=True)
    )
    if enrolment is None:
        raise NotEnrolled(f"{person.name} has not set a signing PIN yet")
    _check_certificate(enrolment, moment)
    attempt = reserve_pin_attempt(session, enrolment, moment)
    session.expire(enrolment, ["failed_pin_count", "locked_until"])
    return attempt


def check_unlock(
    session: Session, person: Person, attempt: PinAttempt, pin: str, *, pki: Pki, now: dt.datetime | None = None
) -> UnlockedKey:
    """The second half of :func:`unlock_signing_key`: open the key of a reserved ``attempt``.

    A wrong PIN is audited (``pki.pin_wrong``) and raises :class:`~responsibility.pki.errors.WrongPin`,
    or :class:`SigningLocked` (and ``pki.pin_locked``) when the attempt was the last one allowed;
    a right PIN resets the count. Flushed; the caller commits either way."""
    moment = _now(now)
    enrolment = session.get(SigningEnrolment, attempt.enrolment_id)
    if enrolment is None:
        raise NotEnrolled(f"{person.name} has not set a signing PIN yet")
    try:
        key = open_private_key(enrolment.sealed_key, pin)
    except WrongPin:
        record_wrong_pin(session, person, attempt, moment)
        raise
    reset_pin_count(session, attempt)
    session.expire(enrolment, ["failed_pin_count", "locked_until"])
    certificate = certificate_of(enrolment.certificate)
    if certificate.public_key() != key.public_key():
        raise PkiError(f"the sealed key of {person.source_id} does not match its certificate")
    chain = tuple(x509.load_pem_x509_certificates(enrolment.chain_pem.encode())) if enrolment.chain_pem else ()
    return UnlockedKey(key=key, certificate=certificate, chain=chain or pki.person_chain, enrolment_id=enrolment.id)


def unlock_signing_key(
    session: Session, person: Person, pin: str, *, pki: Pki, now: dt.datetime | None = None
) -> UnlockedKey:
    """Open ``person``'s signing key with ``pin``: :func:`reserve_unlock` then :func:`check_unlock`
    in the caller's transaction.

    Refuses, in this order: no enrolment (:class:`NotEnrolled`); a revoked or expired certificate
    (:class:`CertificateUnusable`, no PIN counted); an active lock (:class:`SigningLocked`, no PIN
    counted); a wrong PIN (:class:`~responsibility.pki.errors.WrongPin`, counted; the fifth in a row
    locks for 15 minutes, raises :class:`SigningLocked` and writes ``pki.pin_locked``). A right PIN
    resets the count. Entry points use ``jobs.transactions.unlock_and_commit`` instead, which
    commits the reservation before the PIN is checked and the outcome after.
    """
    attempt = reserve_unlock(session, person, now=now)
    return check_unlock(session, person, attempt, pin, pki=pki, now=now)
