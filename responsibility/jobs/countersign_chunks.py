"""The countersign batch on the RQ workers (issue 16), with the key never leaving the web process.

The chief enters the PIN once for N agreements; the unlocked key must not go to Redis (it would
be stored there in plain) and the PIN is never stored. So the batch is split where the key is
needed, the way remote signing services work:

1. **prepare** (RQ chunk jobs, :func:`prepare_countersign_chunk`): each agreement's signature
   revision is written and digested with the chief's *certificate* alone
   (``agreements.prepared_signing``); the prepared PDF goes to the content-addressed store, its
   digest and signed attributes to a :class:`~responsibility.models.CountersignItem`; a refusal
   (not the chief's turn, the school has not signed) is recorded on the item;
2. **sign** (the web process's thread that holds the key, :func:`sign_prepared_items`): the key
   signs each item's signed attributes — a fraction of a millisecond each — and the values are
   committed; the key is dropped;
3. **complete** (RQ chunk jobs, :func:`complete_countersign_chunk`): each signature is finished
   (CMS, RFC 3161 timestamp), checked through the acceptance gate, recorded with its archive
   timestamp, in one transaction per chunk (``chunks.run_chunk_with``): a worker killed midway
   leaves nothing of the chunk, RQ retries it, a finished chunk never runs again.

Every step is idempotent: an item already prepared is not prepared again, one already signed is
not signed again, one done is not completed again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any, Literal

from cryptography import x509
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..agreements.prepared_signing import PreparedTurn, complete_turn_signature, prepare_turn_signature
from ..agreements.signing_env import SigningEnvironment
from ..messages import message_json
from ..models import Agreement, BatchChunk, BatchJob, CountersignItem, Person
from ..models.agreements import (
    COUNTERSIGN_DONE,
    COUNTERSIGN_PREPARED,
    COUNTERSIGN_REFUSED,
    COUNTERSIGN_SIGNED,
    COUNTERSIGN_WAITING,
    JOB_FAILED,
    JOB_FINISHED,
    JOB_QUEUED,
)
from ..pki.enrolment import UnlockedKey
from ..signing import KeySigner, PreparedSignature, sign_attributes
from .chunks import ChunkOutcome, plan_chunks, run_chunk_with
from .errors import DomainError

__all__ = [
    "CHUNK_PREPARED",
    "CHUNK_PREPARING",
    "COUNTERSIGN_CHUNK_SIZE",
    "complete_countersign_chunk",
    "plan_countersign",
    "prepare_countersign_chunk",
    "refusal_entry",
    "sign_prepared_items",
    "wait_until_prepared",
]

CHUNK_PREPARING, CHUNK_PREPARED = "preparing", "prepared"
"""A countersign chunk's states before its completion job: waiting for its preparation, prepared."""
COUNTERSIGN_CHUNK_SIZE = 10
"""Agreements per chunk: a completion holds the row locks of its agreements until it commits
(≈ 0.3 s each), so signers of those agreements wait seconds at most."""


def plan_countersign(
    session: Session, job: BatchJob, agreement_ids: Sequence[int], *, size: int = COUNTERSIGN_CHUNK_SIZE
) -> list[int]:
    """The batch's items (in the order given) and chunks waiting for their preparation (flushed;
    the caller commits); planning again returns the chunks already made."""
    if session.scalar(select(func.count(CountersignItem.id)).where(CountersignItem.job_id == job.id)) == 0:
        session.add_all(
            CountersignItem(job_id=job.id, position=n, agreement_id=agreement_id)
            for n, agreement_id in enumerate(agreement_ids)
        )
        chunks = plan_chunks(session, job, size=size, school_ids=list(agreement_ids))
        for chunk in chunks:
            chunk.state = CHUNK_PREPARING
        session.flush()
    return list(session.scalars(select(BatchChunk.seq).where(BatchChunk.job_id == job.id).order_by(BatchChunk.seq)))


def _chunk(session: Session, job_id: int, seq: int) -> BatchChunk:
    return session.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id, BatchChunk.seq == seq)).one()


def _items(session: Session, job_id: int, agreement_ids: Sequence[int]) -> list[CountersignItem]:
    return list(
        session.scalars(
            select(CountersignItem)
            .where(CountersignItem.job_id == job_id, CountersignItem.agreement_id.in_(list(agreement_ids)))
            .order_by(CountersignItem.position)
        )
    )


def refusal_entry(session: Session, agreement_id: int, exc: DomainError) -> dict[str, Any]:
    """A countersign batch's error entry for ``agreement_id`` (the job page lists them): the
    school, the message and its msgid and parameters, so the page renders the reader's language."""
    agreement = session.get(Agreement, agreement_id)
    school = agreement.school if agreement is not None else None
    return {"agreement_id": agreement_id, "school_name": school.name if school is not None else "",
            "message": str(exc), **message_json(exc.message)}  # fmt: skip


def _refuse(session: Session, item: CountersignItem, exc: DomainError) -> None:
    item.state, item.error = COUNTERSIGN_REFUSED, refusal_entry(session, item.agreement_id, exc)


def prepare_countersign_chunk(
    session: Session,
    env: SigningEnvironment,
    job_id: int,
    seq: int,
    person_id: int,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    *,
    day: dt.date,
) -> Literal["skipped", "prepared"]:
    """Prepare the signatures of chunk ``seq`` (committed); ``skipped`` when it is prepared already
    or the batch has ended."""
    chunk, job = _chunk(session, job_id, seq), session.get_one(BatchJob, job_id)
    if chunk.state != CHUNK_PREPARING or job.state in (JOB_FINISHED, JOB_FAILED):
        return "skipped"
    person = session.get_one(Person, person_id)
    for item in _items(session, job_id, chunk.school_ids):
        if item.state != COUNTERSIGN_WAITING:
            continue
        try:
            turn = prepare_turn_signature(session, env, item.agreement_id, person, certificate, chain, day=day)
        except DomainError as exc:
            _refuse(session, item, exc)
            continue
        item.prepared_sha256, _ = env.store.put(turn.prepared.pdf)
        item.state, item.field, item.base_sha256 = COUNTERSIGN_PREPARED, turn.field, turn.base
        item.document_digest, item.signed_attributes = turn.prepared.document_digest, turn.prepared.signed_attributes
        item.region_start, item.region_end = turn.prepared.region_start, turn.prepared.region_end
    chunk.state = CHUNK_PREPARED
    session.commit()
    return "prepared"


def wait_until_prepared(session: Session, job_id: int, *, timeout: float, poll: float = 0.25) -> bool:
    """Wait (reading committed rows) until no chunk of the batch is still being prepared."""
    deadline = time.monotonic() + timeout
    while True:
        left = session.scalar(
            select(func.count(BatchChunk.id)).where(BatchChunk.job_id == job_id, BatchChunk.state == CHUNK_PREPARING)
        )
        session.rollback()  # end the read: the next one sees what the workers committed since
        if not left:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(poll)


def sign_prepared_items(session: Session, job_id: int, unlocked: UnlockedKey) -> int:
    """The key's signature over every prepared item's signed attributes (committed), and every
    chunk queued for its completion; the number signed now."""
    signer = KeySigner(unlocked.certificate, unlocked.key, unlocked.chain)
    items = session.scalars(
        select(CountersignItem).where(CountersignItem.job_id == job_id, CountersignItem.state == COUNTERSIGN_PREPARED)
    ).all()
    for item in items:
        assert item.signed_attributes is not None  # set with the prepared state
        item.signature = sign_attributes(signer, item.signed_attributes)
        item.state = COUNTERSIGN_SIGNED
    for chunk in session.scalars(
        select(BatchChunk).where(BatchChunk.job_id == job_id, BatchChunk.state == CHUNK_PREPARED)
    ):
        chunk.state = JOB_QUEUED
    session.commit()
    return len(items)


def _prepared(env: SigningEnvironment, item: CountersignItem) -> PreparedTurn:
    assert item.prepared_sha256 and item.document_digest and item.signed_attributes and item.field and item.base_sha256
    assert item.region_start is not None and item.region_end is not None
    prepared = PreparedSignature(env.store.read(item.prepared_sha256), item.document_digest, item.region_start,
                                 item.region_end, item.signed_attributes)  # fmt: skip
    return PreparedTurn(item.base_sha256, item.field, prepared)


def complete_countersign_chunk(
    session: Session,
    env: SigningEnvironment,
    job_id: int,
    seq: int,
    person_id: int,
    certificate: x509.Certificate,
    chain: Sequence[x509.Certificate],
    *,
    day: dt.date,
) -> ChunkOutcome:
    """Finish, check and record the signed items of chunk ``seq`` in one transaction; the items
    refused before count as the batch's errors here."""
    job = session.get_one(BatchJob, job_id)
    person = session.get_one(Person, person_id)

    def work(agreement_ids: list[int]) -> tuple[int, list[dict[str, Any]]]:
        items = _items(session, job_id, agreement_ids)
        for item in items:
            if item.state != COUNTERSIGN_SIGNED:
                continue
            try:
                complete_turn_signature(session, env, item.agreement_id, person, certificate, chain,
                                        _prepared(env, item), item.signature or b"", day=day,
                                        actor=job.created_by)  # fmt: skip
            except DomainError as exc:
                _refuse(session, item, exc)
                continue
            item.state = COUNTERSIGN_DONE
        return len(items), [item.error or {} for item in items if item.state == COUNTERSIGN_REFUSED]

    return run_chunk_with(session, job_id, seq, work)
