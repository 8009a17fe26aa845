"""The bureau agreements of an issue on RQ as a batch of chunks of their own (issue 16).

The issue in one transaction (a thread, the CLI) renders the bureau's internal agreements after
the school agreements, in the same transaction. On RQ the chunk that closed the issue batch did
so too: one worker rendering and certifying every bureau agreement (≈0.5 s each, 25–30 for a
county) while the other workers idled, a serial tail that grows with every county of a province.
Now that chunk freezes the campaign and records a ``bureau_issue`` batch instead
(:func:`queue_bureau_issue`, same transaction); its planner cuts the bureau links into chunks
by holder (``BatchChunk.school_ids`` holds the holders' person ids here), each chunk issues the
links of its holders in one transaction (:func:`run_bureau_chunk`: a link already issued is
skipped, so a retried chunk never issues one twice), and the chunk that closes the batch appends
the campaign's one ``campaign.bureau_issued`` event.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements import PdfStore
from ..agreements.bureau_issue import (
    announce_bureau_issued,
    bureau_link_holders,
    issue_bureau_agreements,
    live_bureau_agreements,
)
from ..agreements.campaigns import CertificationHook
from ..clock import as_utc
from ..models import BatchChunk, BatchJob, Campaign
from ..models.agreements import JOB_FAILED, JOB_QUEUED
from .batches import finish_job, record_queued
from .chunks import CHUNK_SIZE, ChunkOutcome, plan_chunks, run_chunk_with
from .errors import DomainError

__all__ = [
    "BUREAU_ISSUE",
    "bureau_chunk_size",
    "unplanned_bureau_job",
    "plan_bureau_issue",
    "queue_bureau_issue",
    "run_bureau_chunk",
]

BUREAU_ISSUE = "bureau_issue"
"""``BatchJob.kind`` of the bureau agreements' batch that follows an issue on RQ."""


def queue_bureau_issue(session: Session, campaign: Campaign, *, actor: str) -> BatchJob:
    """Record the bureau agreements' batch of ``campaign`` (flushed; the caller commits and the
    task layer enqueues its planner)."""
    return record_queued(session, kind=BUREAU_ISSUE, campaign_id=campaign.id, actor=actor, backend="rq")


def unplanned_bureau_job(session: Session, campaign_id: int) -> int | None:
    """The id of the campaign's bureau agreements' batch still queued with no chunk planned, if
    any: the one whose planner the closing issue chunk enqueues (again, when a retry of that
    chunk finds the issue finished: its worker may have died between the commit and the enqueue)."""
    planned = select(BatchChunk.id).where(BatchChunk.job_id == BatchJob.id).exists()
    return session.scalar(
        select(BatchJob.id)
        .where(
            BatchJob.campaign_id == campaign_id,
            BatchJob.kind == BUREAU_ISSUE,
            BatchJob.state == JOB_QUEUED,
            ~planned,
        )
        .order_by(BatchJob.id.desc())
        .limit(1)
    )


def bureau_chunk_size(school_chunk: int = CHUNK_SIZE) -> int:
    """Holders per bureau chunk: a fifth of a school chunk, since a bureau agreement is rendered
    and certified (≈0.5 s) where a school draft is only certified (≈0.1 s); with whole school
    chunks a county's 25–30 bureau links made one chunk on one worker (10–14 s at 600 schools)."""
    return max(1, school_chunk // 5)


def plan_bureau_issue(session: Session, job_id: int, *, today: dt.date, size: int | None = None) -> list[int]:
    """Cut the bureau links of the job's campaign into chunks by holder (committed; planning
    again returns the same chunks); the seqs, or ``[]`` when the bureau side cannot be composed
    (the job then ends ``failed`` with why)."""
    job = session.get_one(BatchJob, job_id)
    try:
        holders = bureau_link_holders(session, session.get_one(Campaign, job.campaign_id), today=today)
    except DomainError as exc:
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, exc.message)
        return []
    chunks = plan_chunks(session, job, size=size or bureau_chunk_size(), school_ids=holders)
    session.commit()
    return [c.seq for c in chunks]


def run_bureau_chunk(
    session: Session,
    job_id: int,
    seq: int,
    *,
    certify: CertificationHook | None,
    storage: PdfStore,
    template_root: Path,
    today: dt.date,
) -> ChunkOutcome:
    """Issue (certified) the bureau agreements of chunk ``seq``'s holders in one transaction; the
    chunk that closes the batch announces the campaign's bureau agreements."""
    job = session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)

    def work(holder_ids: list[int]) -> tuple[int, list[dict[str, object]]]:
        issue_bureau_agreements(
            session, campaign, storage=storage, certify=certify, actor=job.created_by, today=today,
            template_root=template_root, holders=holder_ids, announce=False,
        )  # fmt: skip
        return len(holder_ids), []

    def close(closing: BatchJob) -> None:
        live = live_bureau_agreements(session, campaign)
        since = as_utc(closing.created_at)
        issued = [a.document_number for a in live if as_utc(a.generated_at) >= since]
        announce_bureau_issued(
            session, campaign, actor=closing.created_by, issued=issued, skipped=len(live) - len(issued), day=today
        )

    return run_chunk_with(session, job_id, seq, work, on_close=close)
