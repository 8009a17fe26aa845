"""Checkpoints of the audit chain, as records: what a recomputed chain cannot fake.

The hash chain alone catches an edited, deleted or reordered event — unless whoever edits it also
recomputes every later hash and the head row, which anyone with database access can do. A
checkpoint pins ``(seq, head hash, event count, time)``; ``evidence.checkpoints`` signs it with
the bureau seal (a detached CMS SignedData with an RFC 3161 timestamp token) and checks those
signatures. Nobody without the seal key can re-sign it, so after such a rewrite the event at a
checkpoint's ``seq`` no longer has the signed hash.

This module is the bottom-layer half: the payload the signature covers, the checkpoint row, and
the comparison of every row with the chain. It imports nothing above ``models``: the signature
check comes in as a function (:data:`SignatureCheck`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..canonical import canonical_text
from ..clock import iso_utc
from ..models import AuditChainHead, AuditCheckpoint, AuditEvent
from .errors import AuditLogBroken
from .log import GENESIS_HASH, HEAD_ROW_ID, append_event, verify_chain

__all__ = [
    "CHECKPOINT_KIND",
    "CheckpointCheck",
    "CheckpointHead",
    "SignatureCheck",
    "checkpoint_head",
    "checkpoint_payload",
    "record_checkpoint",
    "verify_checkpoints",
]

CHECKPOINT_KIND = "responsibility.audit.checkpoint/1"

SignatureCheck = Callable[[bytes, bytes], "str | None"]
"""``(payload, cms_der) -> problem``: None when the signature over the payload holds."""


def checkpoint_payload(
    seq: int, head_hash: str, event_count: int, created_at: dt.datetime, number: int | None = None
) -> str:
    """The canonical JSON a checkpoint's signature covers. ``number`` (the checkpoint's place in
    1, 2, 3 …, its row id) is signed so that renumbering rows cannot close a gap; checkpoints
    made before numbering have none."""
    body: dict[str, object] = {
        "kind": CHECKPOINT_KIND,
        "seq": seq,
        "head_hash": head_hash,
        "event_count": event_count,
        "created_at": iso_utc(created_at),
    }
    if number is not None:
        body["number"] = number
    return canonical_text(body)


@dataclass(frozen=True)
class CheckpointHead:
    """What a new checkpoint pins: the chain's head when it was taken, and the payload to sign."""

    number: int
    """The checkpoint's number (its row id): one more than any number used before."""
    seq: int
    head_hash: str
    event_count: int
    created_at: dt.datetime
    payload: str


def checkpoint_head(session: Session, *, now: dt.datetime | None = None, numbers_used: int = 0) -> CheckpointHead:
    """The chain's current head (locked until the caller's commit) and its payload.

    The new number is one more than the highest in the table, in the chain's ``audit.checkpoint``
    events and ``numbers_used`` (the highest witness file): a number is never given twice, even
    after a row was deleted. Refuses (``AuditLogBroken``, an ``InvalidState``) when the chain does
    not check: signing it would launder a rewrite."""
    check = verify_chain(session)
    if not check.ok:
        raise AuditLogBroken(
            f"the audit log is broken at event {check.first_broken_seq}; not signing a checkpoint",
            check.first_broken_seq,
        )
    now = now or dt.datetime.now(dt.UTC)
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == HEAD_ROW_ID).with_for_update()
    ).scalar_one_or_none()
    seq, head_hash = (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)
    count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= seq)) or 0
    number = (
        max(session.scalar(select(func.max(AuditCheckpoint.id))) or 0, _numbers_in_chain(session), numbers_used) + 1
    )
    return CheckpointHead(number, seq, head_hash, count, now, checkpoint_payload(seq, head_hash, count, now, number))


def _numbers_in_chain(session: Session) -> int:
    subjects = session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "audit.checkpoint"))
    return max((int(s.split(":", 1)[1]) for s in subjects if s.split(":", 1)[-1].isdigit()), default=0)


def record_checkpoint(session: Session, head: CheckpointHead, cms_der: bytes, *, actor: str) -> AuditCheckpoint:
    """Store the signed checkpoint of ``head`` and append ``audit.checkpoint`` after it; the
    caller commits."""
    row = AuditCheckpoint(
        id=head.number, seq=head.seq, head_hash=head.head_hash, event_count=head.event_count, created_at=head.created_at,
        actor=actor, payload=head.payload, cms=cms_der,
    )  # fmt: skip
    session.add(row)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="audit.checkpoint",
        subject=f"checkpoint:{row.id}",
        data={"seq": head.seq, "head_hash": head.head_hash, "event_count": head.event_count},
    )
    return row


@dataclass(frozen=True)
class CheckpointCheck:
    """Result of checking every checkpoint against its signature and the chain."""

    ok: bool
    checkpoints: int
    """Number of checkpoints read."""
    first_broken_id: int | None = None
    first_broken_seq: int | None = None
    """The checkpoint's ``seq`` (the event it pins)."""
    reason: str | None = None
    """Why it fails, in English."""
    last_seq: int | None = None
    """``seq`` pinned by the newest good checkpoint (None when there is none)."""


def _payload_matches(row: AuditCheckpoint) -> bool:
    try:
        body = json.loads(row.payload)
    except ValueError:
        return False
    return (
        body.get("kind") == CHECKPOINT_KIND
        and body.get("seq") == row.seq
        and body.get("head_hash") == row.head_hash
        and body.get("event_count") == row.event_count
        and body.get("number", row.id) == row.id
    )


def verify_checkpoints(session: Session, check_signature: SignatureCheck) -> CheckpointCheck:
    """Check every checkpoint (oldest first): ``check_signature`` accepts its signature, the signed payload is
    the row, and the chain still has the signed hash at the signed ``seq`` with the signed number
    of events up to it. Names the first checkpoint that fails."""
    rows = session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq, AuditCheckpoint.id)).all()
    last_seq: int | None = None

    def broken(row: AuditCheckpoint, why: str) -> CheckpointCheck:
        return CheckpointCheck(False, len(rows), row.id, row.seq, why, last_seq)

    for row in rows:
        if not _payload_matches(row):
            return broken(row, "checkpoint row differs from what was signed")
        problem = check_signature(row.payload.encode("utf-8"), bytes(row.cms))
        if problem is not None:
            return broken(row, problem)
        if row.seq == 0:
            actual_hash: str | None = GENESIS_HASH
        else:
            actual_hash = session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == row.seq))
        if actual_hash is None:
            return broken(row, f"event {row.seq} pinned by the checkpoint is missing")
        if actual_hash != row.head_hash:
            return broken(row, f"event {row.seq} no longer has the hash the checkpoint signed (history rewritten)")
        count = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.seq <= row.seq)) or 0
        if count != row.event_count:
            return broken(row, f"{count} events up to {row.seq}, the checkpoint signed {row.event_count}")
        last_seq = row.seq
    return CheckpointCheck(True, len(rows), last_seq=last_seq)
