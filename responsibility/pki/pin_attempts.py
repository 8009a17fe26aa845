"""Counting signing-PIN attempts so that parallel guesses cannot outrun the lock (issue 15, 1).

An attempt is *reserved* before the PIN is checked: one atomic statement ::

    UPDATE signing_enrolments SET failed_pin_count = failed_pin_count + 1, locked_until = …
    WHERE person_id = :p AND <not locked> AND failed_pin_count < :limit
    RETURNING failed_pin_count, locked_until

The database serialises it per signer (PostgreSQL: the row lock, re-checking the WHERE clause
after a concurrent commit; SQLite: the writer lock the UPDATE takes), so of N parallel attempts
at most :data:`MAX_PIN_FAILURES` get a reservation and the one that reaches the limit sets the lock
in the same statement. Only a reserved attempt may unseal the key, so at most the limit of wrong
PINs are ever checked. A right PIN then resets the count; a wrong one leaves it (the reservation
*is* the count). The entry layer commits the reservation before the slow key derivation
(``jobs.transactions.unlock_and_commit``), so no database lock is held while the KDF runs and a
crash during the check still counts the attempt.

Earlier the count was read, incremented in Python and written back: on SQLite 20 parallel wrong
PINs were all checked and left the count at 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from responsibility.audit.log import append_event
from responsibility.clock import as_utc
from responsibility.errors import InvalidState
from responsibility.models import Person, SigningEnrolment

__all__ = [
    "LOCK_DURATION",
    "MAX_PIN_FAILURES",
    "PinAttempt",
    "SigningLocked",
    "lock_message",
    "record_wrong_pin",
    "reserve_pin_attempt",
    "reset_pin_count",
]

MAX_PIN_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=15)


class SigningLocked(InvalidState):
    """Too many wrong PINs: signing is locked until the time named in the message."""

    def __init__(self, message: str, until: dt.datetime) -> None:
        super().__init__(message)
        self.until = until


@dataclass(frozen=True)
class PinAttempt:
    """A reserved attempt: ``failures`` counts it; ``locks`` when it is the last one allowed
    (the lock is already set and stays if this PIN is wrong)."""

    enrolment_id: int
    failures: int
    locks: bool
    until: dt.datetime | None


def lock_message(until: dt.datetime) -> str:
    return f"too many wrong signing PINs; signing is locked until {until:%Y-%m-%d %H:%M} UTC"


def reserve_pin_attempt(session: Session, enrolment: SigningEnrolment, moment: dt.datetime) -> PinAttempt:
    """Count one attempt atomically before the PIN is checked, or raise :class:`SigningLocked`.

    An expired lock starts a new count (this attempt is the first). The caller commits the
    reservation before checking the PIN (it must survive a wrong PIN and a crash)."""
    until = moment + LOCK_DURATION
    expired = SigningEnrolment.locked_until.is_not(None)  # within the WHERE below: only expired ones
    failures = case((expired, 1), else_=SigningEnrolment.failed_pin_count + 1)
    row = session.execute(
        update(SigningEnrolment)
        .where(
            SigningEnrolment.id == enrolment.id,
            or_(
                SigningEnrolment.locked_until.is_(None) & (SigningEnrolment.failed_pin_count < MAX_PIN_FAILURES),
                SigningEnrolment.locked_until <= moment,
            ),
        )
        .values(
            failed_pin_count=failures,
            locked_until=case((failures >= MAX_PIN_FAILURES, until), else_=None),
        )
        .returning(SigningEnrolment.failed_pin_count, SigningEnrolment.locked_until)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        locked = session.scalar(select(SigningEnrolment.locked_until).where(SigningEnrolment.id == enrolment.id))
        current = as_utc(locked) if locked is not None else until
        raise SigningLocked(lock_message(current), current)
    count, locked_until = row
    return PinAttempt(
        enrolment.id, count, count >= MAX_PIN_FAILURES, as_utc(locked_until) if locked_until is not None else None
    )


def record_wrong_pin(session: Session, person: Person, attempt: PinAttempt, moment: dt.datetime) -> None:
    """Audit a wrong PIN (already counted by its reservation); the last one allowed raises
    :class:`SigningLocked` and writes ``pki.pin_locked``. Flushed; the caller commits."""
    subject = f"person:{person.source_id}"
    append_event(
        session, actor=subject, action="pki.pin_wrong", subject=subject, data={"failures": attempt.failures}, at=moment
    )
    if attempt.locks and attempt.until is not None:
        append_event(
            session,
            actor=subject,
            action="pki.pin_locked",
            subject=subject,
            data={"failures": attempt.failures, "locked_until": attempt.until.isoformat()},
            at=moment,
        )
        session.flush()
        raise SigningLocked(lock_message(attempt.until), attempt.until)
    session.flush()


def reset_pin_count(session: Session, attempt: PinAttempt) -> None:
    """A right PIN: the count starts again (and the lock its reservation set is lifted)."""
    session.execute(
        update(SigningEnrolment)
        .where(SigningEnrolment.id == attempt.enrolment_id)
        .values(failed_pin_count=0, locked_until=None)
        .execution_options(synchronize_session=False)
    )
