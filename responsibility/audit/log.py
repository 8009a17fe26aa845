"""Appending to and checking the audit chain.

Every state-changing service calls :func:`append_event` inside its own transaction, so an event
exists if and only if the change it describes was committed. ``hash = sha256(prev_hash ‖
canonical JSON of the event)``; the genesis ``prev_hash`` is 64 zeros.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..canonical import canonical_text
from ..clock import iso_utc, now_utc
from ..models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
HEAD_ROW_ID = 1
_DEFERRED = "responsibility.audit.deferred"


def canonical_json(seq: int, at: dt.datetime, actor: str, action: str, subject: str, data: Any) -> str:
    body = {"seq": seq, "at": iso_utc(at), "actor": actor, "action": action, "subject": subject, "data": data}
    return canonical_text(body)


def event_hash(prev_hash: str, canonical: str) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical.encode("utf-8")).hexdigest()


def lock_chain(session: Session) -> None:
    """Take the chain head's write lock for the rest of the caller's transaction (a no-op
    ``UPDATE``: PostgreSQL's row lock, SQLite's writer lock). A service that numbers its records by
    counting them (``SG-2025-0007``) takes it before counting, so two reports at once count one
    after the other instead of drawing the same number; it writes an audit event anyway."""
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ROW_ID)
        .values(seq=AuditChainHead.seq)
        .execution_options(synchronize_session=False)
    )


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction; the caller commits.

    The head row is written (a no-op ``UPDATE``) before it is read: that takes PostgreSQL's row
    lock and SQLite's writer lock first, so a parallel transaction waits here instead of reading
    the same head and failing on a clashing sequence number when it writes (``SELECT … FOR
    UPDATE`` alone does nothing on SQLite). Inside :func:`deferred_events` the event is only
    queued, and the returned event has no ``seq`` or ``hash`` yet.
    """
    data = json.loads(json.dumps(data or {}, ensure_ascii=False, default=str))
    pending = session.info.get(_DEFERRED)
    if pending is not None:
        pending.append({"actor": actor, "action": action, "subject": subject, "data": data, "at": at})
        return AuditEvent(actor=actor, action=action, subject=subject, data=data)
    at = at or now_utc()
    lock_chain(session)
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ROW_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditChainHead(id=HEAD_ROW_ID, seq=0, hash=GENESIS_HASH)
        session.add(head)
    seq = head.seq + 1
    digest = event_hash(head.hash, canonical_json(seq, at, actor, action, subject, data))
    event = AuditEvent(
        seq=seq, at=at, actor=actor, action=action, subject=subject, data=data, prev_hash=head.hash, hash=digest
    )
    session.add(event)
    head.seq, head.hash = seq, digest
    session.flush()
    return event


@contextmanager
def deferred_events(session: Session) -> Iterator[None]:
    """Queue the events appended inside the block and chain them (in call order) when it ends
    without an error; on an error they are dropped with the caller's rolled-back transaction.

    The chain's head is locked from a transaction's first event to its commit, so parallel
    transactions that append events serialise there. A batch chunk that renders or signs for
    minutes (``jobs.chunks``) appends its events here: the head is locked only for the last
    milliseconds before its commit, and workers really run side by side."""
    if session.info.get(_DEFERRED) is not None:  # already deferring: the outer block writes
        yield
        return
    pending: list[dict[str, Any]] = []
    session.info[_DEFERRED] = pending
    try:
        yield
    finally:
        session.info.pop(_DEFERRED, None)
    for event in pending:
        append_event(session, **event)


@dataclass(frozen=True)
class ChainCheck:
    """Result of recomputing the chain."""

    ok: bool
    """True when every event links to its predecessor and its hash recomputes."""
    events: int
    """Number of events read."""
    first_broken_seq: int | None = None
    """The first event (by position in the chain) that does not check, if any."""
    reason: str | None = None
    """Why that event fails, in English (the CLI and pages translate)."""


def verify_chain(session: Session, batch: int = 5000) -> ChainCheck:
    """Recompute every hash in ``seq`` order; name the first event that breaks the chain.

    Catches edited rows (hash mismatch), deleted rows (gap in seq / prev_hash mismatch),
    reordered rows (seq or prev_hash out of place) and a truncated tail (head mismatch).
    """
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    last_seq = 0
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    for event in session.execute(stmt).scalars():
        count += 1
        if event.seq != expected_seq:
            return ChainCheck(False, count, expected_seq, f"event {expected_seq} is missing (found {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainCheck(False, count, event.seq, "prev_hash does not match the previous event")
        recomputed = event_hash(
            prev_hash, canonical_json(event.seq, event.at, event.actor, event.action, event.subject, event.data)
        )
        if recomputed != event.hash:
            return ChainCheck(False, count, event.seq, "content does not match its hash")
        prev_hash, expected_seq, last_seq = event.hash, expected_seq + 1, event.seq
    head = session.get(AuditChainHead, HEAD_ROW_ID)
    if head is not None and (head.seq != last_seq or head.hash != prev_hash):
        return ChainCheck(False, count, last_seq + 1, "events after the last one were deleted")
    return ChainCheck(True, count)
