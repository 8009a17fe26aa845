"""Entry points RQ workers import: ``flask jobs worker`` (``rq worker responsibility``) runs them.

A worker has no Flask app: each job carries its settings (``JobSettings``). What is costly to
build is built once per worker process and reused by every job it runs (issue 16): the engine
and its connection pool per database URL (a job used to create and dispose of one), and the
agreement template and its fonts, which ``pdf`` keeps loaded in the process. ``flask jobs
worker`` therefore runs RQ's ``SimpleWorker`` (jobs in the worker process itself, no fork per
job), so these live as long as the worker; with ``--fork`` each job runs in a forked work horse
and only what the worker built before the fork is shared.

A generation batch is planned by :func:`plan_generation_task` (one RQ job: it cuts the batch
into chunks and enqueues one :func:`run_chunk_task` per chunk on the same queue). Chunk jobs
carry ``Retry``: when a worker dies mid-chunk RQ requeues the job once its heartbeat expires
(any live worker's maintenance does it), and the chunk runs again from nothing.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..config import normalise_database_url
from .batches import JobSettings, run_generation
from .chunks import plan_chunks, run_chunk

__all__ = ["CHUNK_RETRIES", "chunk_job_id", "plan_generation_task", "run_chunk_task", "run_generation_task"]

CHUNK_RETRIES = 3
"""Attempts after the first for a chunk whose worker died or hit an unexpected error."""


@cache
def engine_for(url: str) -> Engine:
    """One engine per database URL for the life of the worker process."""
    url = normalise_database_url(url)
    options: dict[str, Any] = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    return create_engine(url, pool_pre_ping=True, **options)


_ENGINE_PIDS: dict[int, int] = {}


def _engine(settings: JobSettings) -> Engine:
    engine = engine_for(settings.database_url)
    if _ENGINE_PIDS.setdefault(id(engine), os.getpid()) != os.getpid():
        # A forked work horse must not reuse the parent's sockets: drop the inherited
        # connections in this process only (SQLAlchemy's documented pattern for fork).
        engine.dispose(close=False)
        _ENGINE_PIDS[id(engine)] = os.getpid()
    return engine


def chunk_job_id(job_id: int, seq: int) -> str:
    """The RQ job id of a chunk: stable, so enqueuing a chunk twice never runs it twice at once."""
    return f"responsibility-batch-{job_id}-chunk-{seq}"


def run_generation_task(job_id: int, settings: dict[str, Any]) -> dict[str, Any]:
    """Run batch ``job_id`` in this one job (kept for jobs queued before chunking)."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        job = run_generation(session, job_id, job_settings)
        return {"job_id": job.id, "state": job.state, "done": job.done, "failed": job.failed}


def plan_generation_task(job_id: int, settings: dict[str, Any]) -> dict[str, Any]:
    """Cut batch ``job_id`` into chunks and enqueue one job per chunk on this job's queue."""
    from rq import Queue, Retry, get_current_job

    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        from ..models import BatchJob

        chunks = plan_chunks(session, session.get_one(BatchJob, job_id), size=job_settings.chunk_size)
        seqs = [c.seq for c in chunks]
        session.commit()
    current = get_current_job()
    assert current is not None, "plan_generation_task runs on an RQ worker"
    queue = Queue(current.origin, connection=current.connection)
    for seq in seqs:
        queue.enqueue(
            run_chunk_task,
            job_id,
            seq,
            settings,
            job_id=chunk_job_id(job_id, seq),
            retry=Retry(max=CHUNK_RETRIES),
            job_timeout=900,
            result_ttl=86400,
            failure_ttl=7 * 86400,
        )
    return {"job_id": job_id, "chunks": len(seqs)}


def run_chunk_task(job_id: int, seq: int, settings: dict[str, Any]) -> dict[str, Any]:
    """Run chunk ``seq`` of batch ``job_id``; returns what became of it."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        outcome = run_chunk(session, job_id, seq, job_settings)
        return {"job_id": job_id, "seq": seq, "outcome": outcome}
