"""The campaign issue as many small RQ jobs (issue 16): chunks of schools, each certified and
issued in its own transaction, the campaign frozen by the chunk that closes the batch.

In a thread of the web process (:mod:`.issuing`) the issue is one all-or-nothing transaction;
at province size (20,000 certifications, each with its RFC 3161 timestamp) that is hours on one
CPU with nothing committed. On RQ it is planned like a generation batch (:mod:`.chunks`):

- the planner runs the cheap checks of the issue (``agreements.check_issue`` without the stale
  check: the campaign still a draft, its template, a school without an agreement) and cuts the
  drafts into chunks in the ``checking`` state; a refusal fails the job and nothing is issued;
- the stale check (composing every draft again, ~0.1 s a draft: 40 CPU-minutes for a province,
  once serial in the planner) runs as one *check* job per chunk on any worker
  (:func:`check_issue_chunk`): each records its stale drafts and marks its chunk ``checked``;
  the check that finds no chunk left ``checking`` releases the batch, exactly one of two at the
  same moment (a conditional update of the chunks): it fails the job with every stale draft
  listed, all-or-nothing as before, or turns every chunk ``queued`` for the issue jobs, which the
  task layer then enqueues;
- each chunk certifies and issues the drafts of its schools and notifies their signers in one
  transaction: a worker killed mid-chunk leaves no half-issued agreement (the certified PDFs
  already stored are content-addressed and simply found again), RQ retries the job, and a
  finished chunk never runs again;
- the chunk that commits last freezes the campaign (its one ``campaign.issued`` event) and
  issues the bureau agreements in the same transaction.

While the chunks run, the campaign is still a draft with some agreements issued; the batch is
the campaign's active job, so no generation can start meanwhile (``batches.active_job``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..agreements import PdfStore, issue_bureau_agreements
from ..agreements.campaigns import CertificationHook, check_issue, freeze_campaign, issue_drafts
from ..agreements.staleness import stale_agreements, stale_refusal
from ..models import Agreement, BatchChunk, BatchJob, Campaign, School
from ..models.agreements import (
    AGREEMENT_DRAFT,
    AGREEMENT_KIND_SCHOOL,
    JOB_FAILED,
    JOB_FINISHED,
    JOB_QUEUED,
    JOB_RUNNING,
)
from ..models.base import utcnow
from .batches import finish_job
from .bureau_chunks import queue_bureau_issue
from .chunks import CHUNK_SIZE, ChunkOutcome, plan_chunks, run_chunk_with
from .errors import DomainError

__all__ = ["CHUNK_CHECKED", "CHUNK_CHECKING", "CheckOutcome", "check_issue_chunk", "plan_issue", "run_issue_chunk"]

CHUNK_CHECKING, CHUNK_CHECKED = "checking", "checked"
"""A chunk's states before its issue job may run: waiting for its stale check, checked."""

CheckOutcome = Literal["skipped", "checked", "released", "failed"]
"""``skipped`` (the batch already ended), ``checked`` (others are still checking or another check
released it), ``released`` (this check released every chunk for the issue jobs, or found them
released with none started: enqueue them) or ``failed``
(this check ended the batch: stale drafts)."""


def plan_issue(
    session: Session,
    job_id: int,
    *,
    template_root: Path,
    allow_missing: bool,
    today: dt.date,
    size: int = CHUNK_SIZE,
) -> list[int]:
    """Run the cheap checks of the issue and cut the job's drafts into chunks waiting for their
    stale check (committed); the chunks' seqs, or ``[]`` when a check refused (the job then ends
    ``failed``). Planning again (a retried planner) returns the chunks already made."""
    job = session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)
    try:
        agreements, _missing = check_issue(
            session, campaign, template_root=template_root, allow_missing=allow_missing, today=today, check_stale=False
        )
    except DomainError as exc:
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, exc.message)
        return []
    drafts = sorted((a for a in agreements if a.state == AGREEMENT_DRAFT), key=lambda a: a.document_number)
    fresh = not session.scalar(select(func.count(BatchChunk.id)).where(BatchChunk.job_id == job_id))
    chunks = plan_chunks(session, job, size=size, school_ids=[a.school_id for a in drafts])
    if fresh:
        for chunk in chunks:
            chunk.state = CHUNK_CHECKING
        job.total = len(drafts)
    session.commit()
    return [c.seq for c in chunks]


def _chunk_drafts(session: Session, campaign: Campaign, school_ids: list[int]) -> list[Agreement]:
    return list(
        session.scalars(
            select(Agreement)
            .where(
                Agreement.campaign_id == campaign.id,
                Agreement.kind == AGREEMENT_KIND_SCHOOL,
                Agreement.school_id.in_(school_ids),
                Agreement.state == AGREEMENT_DRAFT,
            )
            .order_by(Agreement.document_number)
        ).all()
    )


def check_issue_chunk(session: Session, job_id: int, seq: int, *, template_root: Path, today: dt.date) -> CheckOutcome:
    """The stale check of chunk ``seq``'s drafts (committed), then the release of the batch if
    no chunk is left to check. A retried check of a chunk already checked only tries the release
    (a worker killed between the two leaves the batch releasable)."""
    job = session.get_one(BatchJob, job_id)
    if job.state in (JOB_FINISHED, JOB_FAILED):
        return "skipped"
    chunk = session.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id, BatchChunk.seq == seq)).one()
    if chunk.state == CHUNK_CHECKING:
        campaign = session.get_one(Campaign, job.campaign_id)
        drafts = _chunk_drafts(session, campaign, list(chunk.school_ids))
        stale = stale_agreements(session, campaign, drafts, template_root=template_root, today=today)
        chunk.state = CHUNK_CHECKED
        chunk.errors = [{"document_number": a.document_number, "reason": reason} for a, reason in stale]
        job.state, job.updated_at = JOB_RUNNING, utcnow()
        if job.started_at is None:
            job.started_at = job.updated_at
        session.commit()
    elif chunk.state != CHUNK_CHECKED:
        # Released already. A retry of the check that released (its worker died before the
        # issue jobs were enqueued) enqueues them again while none has started, as a retried
        # generation planner does; a chunk's issue job skips a finished chunk.
        started = session.scalar(
            select(func.count(BatchChunk.id)).where(BatchChunk.job_id == job_id, BatchChunk.attempts >= 1)
        )
        return "checked" if started else "released"
    return _release_if_all_checked(session, job_id)


def _release_if_all_checked(session: Session, job_id: int) -> CheckOutcome:
    left = session.scalar(
        select(func.count(BatchChunk.id)).where(BatchChunk.job_id == job_id, BatchChunk.state == CHUNK_CHECKING)
    )
    if left:
        return "checked"
    stale = [
        (str(e["document_number"]), str(e["reason"]))
        for chunk in session.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id).order_by(BatchChunk.seq))
        for e in chunk.errors
    ]
    won = session.execute(
        update(BatchChunk)
        .where(BatchChunk.job_id == job_id, BatchChunk.state == CHUNK_CHECKED)
        .values(state=JOB_QUEUED, errors=[], updated_at=utcnow())
    )
    if not won.rowcount:  # type: ignore[attr-defined]
        session.rollback()
        return "checked"
    if stale:
        session.flush()
        finish_job(session, job_id, JOB_FAILED, stale_refusal(sorted(stale)).message)
        return "failed"
    session.commit()
    return "released"


def run_issue_chunk(
    session: Session,
    job_id: int,
    seq: int,
    *,
    certify: CertificationHook | None,
    storage: PdfStore,
    template_root: Path,
    today: dt.date,
    bureau_later: bool = False,
) -> ChunkOutcome:
    """Certify and issue the drafts of chunk ``seq`` in one transaction; the last chunk freezes
    the campaign and issues its bureau agreements, or with ``bureau_later`` (on RQ) records the
    batch that issues them in chunks of their own (``jobs.bureau_chunks``)."""
    job = session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)

    state = session.scalar(select(BatchChunk.state).where(BatchChunk.job_id == job_id, BatchChunk.seq == seq))
    if state in (CHUNK_CHECKING, CHUNK_CHECKED):
        # only a release enqueues the issue jobs: a chunk still checking here is a bug, never issued
        raise RuntimeError(f"batch {job_id}: chunk {seq} has not passed the stale check")

    def work(school_ids: list[int]) -> tuple[int, list[dict[str, object]]]:
        drafts = _chunk_drafts(session, campaign, school_ids)
        issued = issue_drafts(session, drafts, storage=storage, certify=certify, today=today)
        return len(issued), []

    def close(closing: BatchJob) -> None:
        issued = list(
            session.scalars(
                select(Agreement.document_number)
                .where(
                    Agreement.campaign_id == campaign.id,
                    Agreement.kind == AGREEMENT_KIND_SCHOOL,
                    Agreement.state != AGREEMENT_DRAFT,
                )
                .order_by(Agreement.document_number)
            )
        )
        have = select(Agreement.school_id).where(
            Agreement.campaign_id == campaign.id, Agreement.kind == AGREEMENT_KIND_SCHOOL
        )
        missing = tuple(
            session.scalars(select(School.source_id).where(School.id.not_in(have)).order_by(School.source_id))
        )
        freeze_campaign(
            session, campaign, actor=closing.created_by, issued=issued, missing=missing, certified=certify is not None
        )
        if bureau_later:
            queue_bureau_issue(session, campaign, actor=closing.created_by)
            return
        issue_bureau_agreements(
            session, campaign, storage=storage, certify=certify, actor=closing.created_by, today=today,
            template_root=template_root,
        )  # fmt: skip

    return run_chunk_with(session, job_id, seq, work, on_close=close)
