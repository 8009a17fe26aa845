"""A generation batch as many small jobs (issue 16): chunks of schools, each its own transaction.

A province (≈20,000 schools) cannot be one RQ job on one worker: it would use one CPU, and a
worker killed after hours would lose everything. :func:`plan_chunks` cuts the batch into
``BatchChunk`` rows of ``CHUNK_SIZE`` schools; every chunk is then one RQ job that any worker
runs with :func:`run_chunk`:

- the chunk's agreements, its counts and the batch's running totals are written in **one
  transaction**, so a worker killed in the middle leaves nothing of the chunk (the database
  rolls it back; a PDF already stored is content-addressed and is simply found again);
- a chunk already ``finished`` is skipped, so RQ's retry of a job whose worker died after the
  commit can neither write nor count a school twice;
- the chunk that commits last closes the batch (a conditional update: exactly one wins).

Progress is the batch row's ``done`` (added to with SQL arithmetic, never read-modify-write, so
two workers never lose each other's counts) and the chunks' states. Services never commit; this
driver does, like the others in ``jobs``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..agreements import PdfStore, generate
from ..audit import append_event, deferred_events
from ..models import BatchChunk, BatchJob, Campaign, School
from ..models.agreements import JOB_FAILED, JOB_FINISHED, JOB_QUEUED, JOB_RUNNING
from ..models.base import utcnow
from .batches import JobSettings, finish_job
from .errors import DomainError

__all__ = ["CHUNK_SIZE", "ChunkOutcome", "ChunkWork", "chunk_progress", "plan_chunks", "run_chunk", "run_chunk_with"]

CHUNK_SIZE = JobSettings.chunk_size
"""The default number of schools per chunk (``JobSettings.chunk_size``): small enough that a
killed worker loses seconds of work and that two workers share a county evenly, large enough
that the per-job overhead (the campaign, the template check, the bureau signers) stays small."""


def plan_chunks(
    session: Session, job: BatchJob, *, size: int = CHUNK_SIZE, school_ids: Sequence[int] | None = None
) -> list[BatchChunk]:
    """The job's chunks, created on the first call (flushed; the caller commits) and returned as
    they are on later ones, so planning twice (a retried planner) never doubles the work. The
    schools are ``school_ids``, else the job's one school, else every school."""
    existing = list(session.scalars(select(BatchChunk).where(BatchChunk.job_id == job.id).order_by(BatchChunk.seq)))
    if existing:
        return existing
    if school_ids is not None:
        ids = list(school_ids)
    elif job.school_id is not None:
        ids = [job.school_id]
    else:
        ids = list(session.scalars(select(School.id).order_by(School.source_id)))
    chunks = [
        BatchChunk(job_id=job.id, seq=n, school_ids=ids[start : start + size], state=JOB_QUEUED)
        for n, start in enumerate(range(0, len(ids), size))
    ]
    session.add_all(chunks)
    job.total = len(ids)
    session.flush()
    return chunks


ChunkOutcome = Literal["skipped", "done", "closed", "failed"]
"""``skipped`` (already finished), ``done``, ``closed`` (done, and the batch closed with it) or
``failed`` (the whole batch was refused)."""


ChunkWork = Callable[[list[int]], tuple[int, list[dict[str, Any]]]]
"""What a chunk does with its school ids inside its transaction: ``(items done, errors)``;
flushes, never commits; a :class:`DomainError` refuses the whole batch."""


def run_chunk(
    session: Session, job_id: int, seq: int, settings: JobSettings, *, today: dt.date | None = None
) -> ChunkOutcome:
    """Generate the agreements of chunk ``seq`` of batch ``job_id`` in one transaction."""
    job = session.get_one(BatchJob, job_id)

    def work(school_ids: list[int]) -> tuple[int, list[dict[str, Any]]]:
        summary = generate(
            session,
            session.get_one(Campaign, job.campaign_id),
            storage=PdfStore(settings.storage_dir),
            actor=job.created_by,
            school_ids=school_ids,
            template_root=Path(settings.template_root),
            workers=1,  # the workers are the RQ processes; each renders in its own process
            today=today,
        )
        f = summary.failures
        return summary.total, [
            {"school_id": x.school_id, "school_name": x.school_name, "message": x.message} for x in f
        ]

    return run_chunk_with(session, job_id, seq, work)


def run_chunk_with(
    session: Session, job_id: int, seq: int, work: ChunkWork, *, on_close: Callable[[BatchJob], None] | None = None
) -> ChunkOutcome:
    """Run chunk ``seq`` of batch ``job_id`` with ``work`` in one transaction (see the module
    docstring); ``on_close(job)`` runs in the transaction of the chunk that closes the batch (the
    issue freezes its campaign there)."""
    chunk = session.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id, BatchChunk.seq == seq)).one()
    job = session.get_one(BatchJob, job_id)
    if chunk.state == JOB_FINISHED or job.state in (JOB_FINISHED, JOB_FAILED):
        return "skipped"
    _start(session, job_id, chunk)
    try:
        with deferred_events(session):  # the audit head is locked only just before the commit
            done, errors = work(list(chunk.school_ids))
    except DomainError as exc:  # a whole-batch refusal (template changed, campaign frozen…)
        session.rollback()
        finish_job(session, job_id, JOB_FAILED, exc.message)
        return "failed"
    except BaseException:
        session.rollback()  # nothing of the chunk stays; RQ retries the job
        raise
    chunk.state, chunk.done, chunk.failed, chunk.errors = JOB_FINISHED, done, len(errors), errors
    session.execute(
        update(BatchJob)
        .where(BatchJob.id == job_id)
        .values(done=BatchJob.done + done, failed=BatchJob.failed + len(errors), updated_at=utcnow())
    )
    session.commit()
    return "closed" if _close_if_last(session, job_id, on_close) else "done"


def _start(session: Session, job_id: int, chunk: BatchChunk) -> None:
    """Count the attempt and mark the batch running (once), committed before the work."""
    chunk.attempts += 1
    session.execute(
        update(BatchJob)
        .where(BatchJob.id == job_id, BatchJob.state == JOB_QUEUED)
        .values(state=JOB_RUNNING, started_at=utcnow(), updated_at=utcnow())
    )
    session.commit()


def _close_if_last(session: Session, job_id: int, on_close: Callable[[BatchJob], None] | None) -> bool:
    """Finish the batch when no chunk is left; the conditional update lets exactly one of two
    chunks finishing at the same moment close it and write its event."""
    left = session.scalar(
        select(func.count(BatchChunk.id)).where(BatchChunk.job_id == job_id, BatchChunk.state != JOB_FINISHED)
    )
    if left:
        return False
    won = session.execute(
        update(BatchJob)
        .where(BatchJob.id == job_id, BatchJob.state == JOB_RUNNING)
        .values(state=JOB_FINISHED, finished_at=utcnow(), updated_at=utcnow())
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return False
    job = session.get_one(BatchJob, job_id)
    job.errors = [e for c in _chunks(session, job_id) for e in c.errors]
    if on_close is not None:
        try:
            on_close(job)
        except DomainError as exc:
            session.rollback()
            finish_job(session, job_id, JOB_FAILED, exc.message)
            return True
    append_event(
        session,
        actor=job.created_by,
        action=f"batch.{JOB_FINISHED}",
        subject=f"batch:{job.id}",
        data={"kind": job.kind, "done": job.done, "failed": job.failed, "message": None, "chunks": True},
    )
    session.commit()
    return True


def _chunks(session: Session, job_id: int) -> Sequence[BatchChunk]:
    return session.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id).order_by(BatchChunk.seq)).all()


def chunk_progress(session: Session, job_id: int) -> tuple[int, int, int]:
    """``(chunks, finished, retried)`` of a batch, from one aggregate query (``flask jobs status``)."""
    total, finished, retried = session.execute(
        select(
            func.count(BatchChunk.id),
            func.count(BatchChunk.id).filter(BatchChunk.state == JOB_FINISHED),
            func.count(BatchChunk.id).filter(BatchChunk.attempts > 1),
        ).where(BatchChunk.job_id == job_id)
    ).one()
    return int(total), int(finished), int(retried)
