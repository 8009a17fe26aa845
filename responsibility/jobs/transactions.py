"""The units of work of entry points: the only place outside views and commands that commits.

Services raise and never commit (README "Architecture"); views, ``flask`` commands and the batch
drivers of :mod:`responsibility.jobs` decide where a transaction ends. The two helpers here are
the commits those entry points share, so the web, the CLI and the batches commit the same way:

- :func:`commit_with_retry` runs a signing unit of work and commits it, running it again on the
  fresh state when a concurrent signature won the race (``RevisionConflict`` and the database's
  own lock or version conflicts);
- :func:`unlock_and_commit` unlocks a signing key in transactions of its own: the attempt is
  counted and committed before the PIN is checked, the outcome committed after, because a
  wrong-PIN count that a later rollback erased (or that parallel requests overwrote) would make
  the lock useless.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..agreements.errors import RevisionConflict
from ..errors import InvalidState
from ..models import Person
from ..pki.ca import Pki
from ..pki.enrolment import SigningLocked, UnlockedKey, check_unlock, reserve_unlock
from ..pki.errors import WrongPin

__all__ = ["commit_with_retry", "is_lock_conflict", "unlock_and_commit"]

T = TypeVar("T")


def is_lock_conflict(exc: BaseException) -> bool:
    """True for the errors that mean "someone else wrote first; run again on the fresh state"."""
    if isinstance(exc, (RevisionConflict, StaleDataError, IntegrityError)):
        return True
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and ("locked" in text or "deadlock" in text or "serializ" in text)


def commit_with_retry(session: Session, work: Callable[[], T], *, attempts: int = 4) -> T:
    """Run ``work`` and commit; on a concurrent-update conflict (SQLite busy snapshot, a stale
    version, a duplicate revision number) roll back and run it again on the fresh state. Any
    other error rolls back and propagates. For entry points only (views, commands, jobs)."""
    for attempt in range(attempts):
        try:
            result = work()
            session.commit()
            return result
        except BaseException as exc:  # a crash (even SystemExit) must not leave the transaction open
            session.rollback()
            if not is_lock_conflict(exc):
                raise
            if attempt == attempts - 1:
                raise InvalidState(
                    "本责任书正在被他人同时签署，请稍后重试 (a concurrent signature; try again)"
                ) from exc
    raise AssertionError("unreachable")


def unlock_and_commit(
    session: Session, person: Person, pin: str, *, pki: Pki, now: dt.datetime | None = None
) -> UnlockedKey:
    """:func:`~responsibility.pki.enrolment.unlock_signing_key` as two committed transactions:
    the attempt's reservation (``reserve_unlock``: counted atomically, the lock set at the limit),
    then the PIN check (``check_unlock``), committed whatever the outcome.

    Call it first in the request, before changing anything: pending (unflushed) changes raise
    :class:`InvalidState`; changes already flushed cannot be detected and would be committed with
    the count. Then sign in a new transaction with the returned key.
    """
    if session.new or session.dirty or session.deleted:
        raise InvalidState("unlock the signing key before changing anything else in the transaction")
    try:
        attempt = reserve_unlock(session, person, now=now)
    except BaseException:
        session.rollback()
        raise
    # The attempt is counted (and, at the limit, the lock set) before the PIN is checked, and no
    # lock is held while the key derivation runs.
    session.commit()
    try:
        unlocked = check_unlock(session, person, attempt, pin, pki=pki, now=now)
    except (WrongPin, SigningLocked):
        session.commit()
        raise
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return unlocked
