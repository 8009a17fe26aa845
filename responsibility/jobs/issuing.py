"""The campaign issue as a background job: the request that asks for it returns at once, a
thread of this process certifies and issues every agreement, and a progress page follows it.

**Without Redis: one transaction, progress in memory.** Issuing is all or nothing
(``agreements.issue_campaign``): either every draft is certified and issued and the campaign is
frozen, or nothing changed. Its progress therefore cannot be committed to the ``BatchJob`` row
while it runs (that would commit half an issue, and on SQLite the open write transaction blocks
any other writer anyway). The runner keeps ``(done, total)`` in memory for the progress page of
this process and writes the final counts with the issue's own commit.

**With Redis (a province)** the issue is chunked on the RQ workers instead
(:mod:`.issue_chunks`): every check first, then chunks of schools each certified and issued in
its own transaction, the campaign frozen by the last one; :func:`queue_issue` records the job
with ``backend="rq"`` and ``dispatch.dispatch_issue`` hands it to the workers.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..agreements import PdfStore, issue_bureau_agreements, issue_campaign
from ..agreements.campaigns import CertificationHook
from ..agreements.cascade import issue_cascade, school_agreement_for_cascade
from ..messages import N_, msg
from ..models import Agreement, BatchJob, Campaign, Person, School
from ..models.agreements import (
    AGREEMENT_DRAFT,
    AGREEMENT_KIND_SCHOOL,
    CAMPAIGN_DRAFT,
    JOB_FAILED,
    JOB_QUEUED,
    JOB_RUNNING,
)
from .batches import active_job, close_after, finish_job, record_queued, start_job
from .errors import BatchAlreadyRunning, CampaignFrozen

__all__ = [
    "CASCADE_ISSUE",
    "ISSUE",
    "IssueRunner",
    "JobRun",
    "queue_cascade_issue",
    "queue_issue",
    "run_cascade_issue",
    "run_issue",
]

ISSUE = "issue"
CASCADE_ISSUE = "cascade_issue"
_log = logging.getLogger(__name__)


def queue_issue(
    session: Session, campaign: Campaign, *, actor: str, allow_missing: bool, backend: str = "thread"
) -> BatchJob:
    """Record an issue job for ``campaign`` (the caller commits, then starts an
    :class:`IssueRunner`, or dispatches it to RQ with ``backend="rq"``); refused once the
    campaign is issued or while a batch of it runs."""
    if campaign.state != CAMPAIGN_DRAFT:
        raise CampaignFrozen(f"campaign {campaign.name!r} is {campaign.state}: it is already issued")
    running = active_job(session, campaign)
    if running is not None:
        raise BatchAlreadyRunning(f"campaign {campaign.name!r} already has batch {running.id} {running.state}")
    drafts = session.scalar(
        select(func.count(Agreement.id)).where(
            Agreement.campaign_id == campaign.id,
            Agreement.kind == AGREEMENT_KIND_SCHOOL,
            Agreement.state == AGREEMENT_DRAFT,
        )
    )
    return record_queued(
        session, kind=ISSUE, campaign_id=campaign.id, actor=actor, backend=backend, total=int(drafts or 0),
        data={"allow_missing": allow_missing},
    )  # fmt: skip


def run_issue(
    session: Session,
    job_id: int,
    certify: Callable[[Session], CertificationHook | None],
    *,
    storage: PdfStore,
    template_root: Path,
    allow_missing: bool,
    today: dt.date,
    on_step: Callable[[int, int], None] | None = None,
) -> BatchJob:
    """Issue the job's campaign in one unit of work; the job ends ``finished`` with the issue
    committed, or ``failed`` with the refusal's message and nothing issued."""
    job = start_job(session, job_id)
    if job is None:
        return session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)

    def work() -> None:
        hook = certify(session)
        summary = issue_campaign(
            session,
            campaign,
            actor=job.created_by,
            storage=storage,
            template_root=template_root,
            allow_missing=allow_missing,
            today=today,
            certify=hook,
            progress=on_step,
        )
        issue_bureau_agreements(
            session,
            campaign,
            storage=storage,
            certify=hook,
            actor=job.created_by,
            today=today,
            template_root=template_root,
        )
        job.total = len(summary.issued)
        session.commit()

    return close_after(session, job_id, work)


def queue_cascade_issue(session: Session, school: School, *, actor: str) -> BatchJob:
    """Record the issue of ``school``'s post agreements (its school agreement must be
    countersigned); refused while the school's previous cascade issue still runs."""
    parent = school_agreement_for_cascade(session, school)
    running = session.scalar(
        select(BatchJob.id).where(
            BatchJob.kind == CASCADE_ISSUE,
            BatchJob.school_id == school.id,
            BatchJob.state.in_((JOB_QUEUED, JOB_RUNNING)),
        )
    )
    if running is not None:
        raise BatchAlreadyRunning(f"school {school.source_id} already has cascade batch {running} running")
    return record_queued(
        session, kind=CASCADE_ISSUE, campaign_id=parent.campaign_id, actor=actor, backend="thread",
        school_id=school.id, data={"school": school.source_id},
    )  # fmt: skip


def run_cascade_issue(
    session: Session,
    job_id: int,
    certify: Callable[[Session], CertificationHook | None],
    *,
    storage: PdfStore,
    template_root: Path,
    day: dt.date,
    issuer_id: int | None,
    on_step: Callable[[int, int], None] | None = None,
) -> BatchJob:
    """Issue the job's school's missing post agreements in one unit of work (``issue_cascade``);
    ``finished`` with the counts, or ``failed`` with the refusal and nothing issued."""
    job = start_job(session, job_id)
    if job is None:
        return session.get_one(BatchJob, job_id)
    school = session.get_one(School, job.school_id)
    issuer = session.get(Person, issuer_id) if issuer_id is not None else None

    def work() -> None:
        summary = issue_cascade(
            session, school, storage=storage, certify=certify(session), actor=job.created_by, day=day,
            issuer=issuer, template_root=template_root, progress=on_step,
        )  # fmt: skip
        job.total = len(summary.issued) + summary.skipped
        session.commit()

    return close_after(session, job_id, work)


#: What a runner runs: ``run(session, job_id, on_step)`` to the job's end.
JobRun = Callable[[Session, int, Callable[[int, int], None]], BatchJob]


class IssueRunner:
    """Runs one issue job (a campaign's, or a school's cascade) in a daemon thread with its own
    session on ``engine``; ``progress`` is its live ``(done, total)`` for the progress page."""

    def __init__(self, engine: Engine, run: JobRun) -> None:
        self.engine = engine
        self.run = run
        self.progress: tuple[int, int] = (0, 0)
        self.thread: threading.Thread | None = None

    def _step(self, done: int, total: int) -> None:
        self.progress = (done, total)

    def start(self, job_id: int) -> None:
        self.thread = threading.Thread(target=self._run, args=(job_id,), name=f"issue-{job_id}", daemon=True)
        self.thread.start()

    def _run(self, job_id: int) -> None:
        with Session(bind=self.engine, expire_on_commit=False) as session:
            try:
                self.run(session, job_id, self._step)
            except Exception:
                _log.exception("issue batch %s failed", job_id)
                session.rollback()
                job = session.get(BatchJob, job_id)
                if job is not None and job.state in (JOB_QUEUED, JOB_RUNNING):
                    finish_job(session, job_id, JOB_FAILED, msg(N_("the batch stopped on an unexpected error")))

    def join(self, timeout: float | None = None) -> bool:
        if self.thread is None:
            return True
        self.thread.join(timeout)
        return not self.thread.is_alive()
