"""Batch jobs: a ``BatchJob`` row that a runner executes and keeps up to date.

``queue_generation`` records the job (the caller commits, then hands the id to a dispatcher);
``run_generation`` executes it with any session: it marks the row running, calls
``agreements.generate`` and commits the row after every school, so any other session (the web
page, ``flask campaign show``) sees the progress. A whole-batch refusal (a broken template)
ends the job ``failed`` with its message; an unexpected error does too, and is re-raised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..agreements import PdfStore, ProgressStep, generate
from ..audit import append_event
from ..clock import as_utc
from ..messages import N_, Message, message_json, msg
from ..models import BatchJob, Campaign, School
from ..models.agreements import CAMPAIGN_DRAFT, JOB_FAILED, JOB_FINISHED, JOB_QUEUED, JOB_RUNNING
from ..models.base import utcnow
from ..settings import Settings
from .errors import BatchAlreadyRunning, CampaignFrozen, DomainError

__all__ = [
    "finish_job",
    "ABANDONED_AFTER",
    "GENERATE",
    "JobSettings",
    "active_job",
    "fail_undispatched",
    "queue_generation",
    "record_queued",
    "run_generation",
    "set_job_message",
    "unexpected_error",
]

GENERATE = "generate"
ABANDONED_AFTER = dt.timedelta(minutes=15)
"""A queued or running job whose row has not changed for this long is taken as abandoned (its
process died); it no longer blocks a new batch of its campaign."""


@dataclass(frozen=True)
class JobSettings:
    """What a runner needs besides the job id; plain values so they travel through Redis (an RQ
    worker has no app: it rebuilds what it needs from these)."""

    database_url: str
    storage_dir: str
    template_root: str
    workers: int = 1
    chunk_size: int = 25
    """Schools per chunk job of a batch on RQ (``jobs.chunks``)."""

    @classmethod
    def from_settings(cls, settings: Settings, database_url: str, *, workers: int | None = None) -> JobSettings:
        """The job's share of the instance settings; ``workers`` overrides ``AGREEMENT_WORKERS``."""
        return cls(
            database_url=database_url,
            storage_dir=str(settings.storage.agreements_dir),
            template_root=str(settings.template_root),
            workers=max(1, workers if workers is not None else settings.jobs.workers),
        )


def active_job(session: Session, campaign: Campaign) -> BatchJob | None:
    """The campaign's live queued or running batch, if any (one at a time per campaign)."""
    jobs = session.scalars(
        select(BatchJob)
        .where(BatchJob.campaign_id == campaign.id, BatchJob.state.in_((JOB_QUEUED, JOB_RUNNING)))
        .order_by(BatchJob.id.desc())
    ).all()
    now = utcnow()
    for job in jobs:
        touched = as_utc(job.updated_at)
        if now - touched < ABANDONED_AFTER:
            return job
    return None


def queue_generation(
    session: Session, campaign: Campaign, *, actor: str, backend: str, school: School | None = None
) -> BatchJob:
    """Record a generation job for ``campaign`` (or one ``school``); refused while another batch
    of the campaign is queued or running, or when the campaign is no longer a draft."""
    if campaign.state != CAMPAIGN_DRAFT:
        raise CampaignFrozen(f"campaign {campaign.name!r} is {campaign.state}: its agreements are frozen")
    running = active_job(session, campaign)
    if running is not None:
        raise BatchAlreadyRunning(f"campaign {campaign.name!r} already has batch {running.id} {running.state}")
    for stale in session.scalars(
        select(BatchJob).where(BatchJob.campaign_id == campaign.id, BatchJob.state.in_((JOB_QUEUED, JOB_RUNNING)))
    ):
        stale.state, stale.finished_at = JOB_FAILED, utcnow()
        set_job_message(stale, msg(N_("abandoned: no progress for a long time (its process stopped)")))
    total = 1 if school is not None else len(session.scalars(select(School.id)).all())
    return record_queued(
        session, kind=GENERATE, campaign_id=campaign.id, actor=actor, backend=backend, total=total,
        school_id=school.id if school is not None else None, data={"school": school.source_id if school else None},
    )  # fmt: skip


def record_queued(
    session: Session,
    *,
    kind: str,
    campaign_id: int,
    actor: str,
    backend: str,
    total: int = 0,
    school_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> BatchJob:
    """A new ``queued`` batch row and its ``batch.queued`` event (``data`` added to the kind and
    campaign), flushed: the one way every batch kind is recorded."""
    job = BatchJob(
        kind=kind, campaign_id=campaign_id, school_id=school_id, state=JOB_QUEUED, backend=backend, total=total,
        created_by=actor, errors=[],
    )  # fmt: skip
    session.add(job)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="batch.queued",
        subject=f"batch:{job.id}",
        data={"kind": kind, "campaign_id": campaign_id, **(data or {})},
    )
    return job


def run_generation(
    session: Session,
    job_id: int,
    settings: JobSettings,
    *,
    on_step: Callable[[ProgressStep], None] | None = None,
    today: dt.date | None = None,
) -> BatchJob:
    """Execute job ``job_id`` to the end, committing progress on ``session`` as it goes."""
    job = start_job(session, job_id)
    if job is None:
        return session.get_one(BatchJob, job_id)
    campaign = session.get_one(Campaign, job.campaign_id)
    school = session.get(School, job.school_id) if job.school_id is not None else None

    def progress(step: ProgressStep) -> None:
        job.total, job.done = step.total, step.done
        if step.failure is not None:
            f = step.failure
            job.failed += 1
            job.errors = [*job.errors, {"school_id": f.school_id, "school_name": f.school_name, "message": f.message}]
        session.commit()
        if on_step is not None:
            on_step(step)

    return close_after(
        session,
        job_id,
        lambda: generate(
            session,
            campaign,
            storage=PdfStore(settings.storage_dir),
            actor=job.created_by,
            school=school,
            progress=progress,
            template_root=Path(settings.template_root),
            workers=settings.workers,
            today=today,
        ),
    )


def start_job(session: Session, job_id: int) -> BatchJob | None:
    """The job, marked ``running`` and committed, when it was queued; None otherwise (a job
    already started or ended is never run twice)."""
    job = session.get_one(BatchJob, job_id)
    if job.state != JOB_QUEUED:
        return None
    job.state, job.started_at = JOB_RUNNING, utcnow()
    session.commit()
    return job


def close_after(session: Session, job_id: int, work: Callable[[], object]) -> BatchJob:
    """Run ``work`` (which commits what it did) and close the job: ``finished``, or ``failed``
    with a domain refusal's message and the work rolled back; an unexpected error fails the job
    and propagates. The one ending of every batch driver."""
    try:
        work()
    except DomainError as exc:
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, exc.message)
        return session.get_one(BatchJob, job_id)
    except BaseException as exc:
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, unexpected_error(exc))
        raise
    finish_job(session, job_id, JOB_FINISHED, None)
    return session.get_one(BatchJob, job_id)


def set_job_message(job: BatchJob, message: Message | None) -> None:
    """Why ``job`` stopped: its English text in ``message`` (the CLI, logs, the audit event) and
    the msgid with its parameters in ``message_data`` (the pages, in the reader's language)."""
    job.message = str(message) if message is not None else None
    job.message_data = message_json(message) if message is not None else None


def unexpected_error(exc: BaseException) -> Message:
    """The message of a batch stopped by an exception no rule foresaw (its type and text kept)."""
    return msg(N_("unexpected error: %(error)s"), error=f"{type(exc).__name__}: {exc}")


def finish_job(session: Session, job_id: int, state: str, message: Message | None) -> None:
    """Close a batch job as ``state`` with ``message``, append its one ``batch.<state>`` event and
    commit: the last step of every batch driver (generation and countersignature alike)."""
    job = session.get_one(BatchJob, job_id)
    job.state, job.finished_at = state, utcnow()
    set_job_message(job, message)
    if state == JOB_FINISHED:
        job.done = job.total
    append_event(
        session,
        actor=job.created_by,
        action=f"batch.{state}",
        subject=f"batch:{job.id}",
        data={"kind": job.kind, "done": job.done, "failed": job.failed, "message": job.message},
    )
    session.commit()


def fail_undispatched(session: Session, job_id: int, reason: str) -> None:
    """End a queued job that could not be handed to a runner (Redis unreachable…); commits."""
    session.rollback()
    finish_job(session, job_id, JOB_FAILED, msg(N_("could not start the batch: %(reason)s"), reason=reason))
