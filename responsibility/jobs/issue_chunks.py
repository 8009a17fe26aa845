"""The campaign issue as many small RQ jobs (issue 16): chunks of schools, each certified and
issued in its own transaction, the campaign frozen by the chunk that closes the batch.

In a thread of the web process (:mod:`.issuing`) the issue is one all-or-nothing transaction;
at province size (20,000 certifications, each with its RFC 3161 timestamp) that is hours on one
CPU with nothing committed. On RQ it is planned like a generation batch (:mod:`.chunks`):

- the planner runs every check of the issue first (``agreements.check_issue``: a draft that no
  longer matches the data, a school without an agreement): a refusal fails the job and nothing
  is issued;
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

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements import PdfStore, issue_bureau_agreements
from ..agreements.campaigns import CertificationHook, check_issue, freeze_campaign, issue_drafts
from ..models import Agreement, BatchJob, Campaign, School
from ..models.agreements import AGREEMENT_DRAFT, AGREEMENT_KIND_SCHOOL
from .batches import finish_job
from .chunks import CHUNK_SIZE, ChunkOutcome, plan_chunks, run_chunk_with
from .errors import DomainError

__all__ = ["plan_issue", "run_issue_chunk"]


def plan_issue(
    session: Session,
    job_id: int,
    *,
    template_root: Path,
    allow_missing: bool,
    today: dt.date,
    size: int = CHUNK_SIZE,
) -> list[int]:
    """Check the issue of the job's campaign and cut its drafts into chunks (committed); the
    chunks' seqs, or ``[]`` when the check refused (the job then ends ``failed``)."""
    job = session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)
    try:
        agreements, _missing = check_issue(
            session, campaign, template_root=template_root, allow_missing=allow_missing, today=today
        )
    except DomainError as exc:
        session.rollback()
        finish_job(session, job_id, "failed", str(exc))
        return []
    drafts = sorted((a for a in agreements if a.state == AGREEMENT_DRAFT), key=lambda a: a.document_number)
    chunks = plan_chunks(session, job, size=size, school_ids=[a.school_id for a in drafts])
    job.total = len(drafts)
    session.commit()
    return [c.seq for c in chunks]


def run_issue_chunk(
    session: Session,
    job_id: int,
    seq: int,
    *,
    certify: CertificationHook | None,
    storage: PdfStore,
    template_root: Path,
    today: dt.date,
) -> ChunkOutcome:
    """Certify and issue the drafts of chunk ``seq`` in one transaction; the last chunk freezes
    the campaign and issues its bureau agreements."""
    job = session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)

    def work(school_ids: list[int]) -> tuple[int, list[dict[str, object]]]:
        drafts = session.scalars(
            select(Agreement)
            .where(
                Agreement.campaign_id == campaign.id,
                Agreement.kind == AGREEMENT_KIND_SCHOOL,
                Agreement.school_id.in_(school_ids),
                Agreement.state == AGREEMENT_DRAFT,
            )
            .order_by(Agreement.document_number)
        ).all()
        issued = issue_drafts(session, list(drafts), storage=storage, certify=certify, today=today)
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
        issue_bureau_agreements(
            session, campaign, storage=storage, certify=certify, actor=closing.created_by, today=today,
            template_root=template_root,
        )  # fmt: skip

    return run_chunk_with(session, job_id, seq, work, on_close=close)
