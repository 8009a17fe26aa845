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
carry ``Retry``: when a worker dies mid-chunk RQ requeues the job once its entry in the started
registry expires (any live worker's maintenance does it), and the chunk runs again from nothing.
A ``SimpleWorker`` has no heartbeat while a job runs (the job runs on its only thread), so that
entry lives for the job's timeout + 60 s: :data:`CHUNK_JOB_TIMEOUT`.

A campaign issue is planned and chunked the same way
(:func:`plan_issue_task`, :mod:`.issue_chunks`) in two rounds: one :func:`check_issue_chunk_task`
per chunk (the stale check), and when the last check releases the batch, one
:func:`run_issue_chunk_task` per chunk; a worker opens the bureau seal and its signing
environment once and reuses them for its chunks.

A countersign batch (:mod:`.countersign_chunks`) runs :func:`prepare_countersign_task` and then
:func:`complete_countersign_task` per chunk, enqueued by the web process's thread that holds the
chief's key and signs in between; the jobs carry the certificate, never the key.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..agreements import PdfStore
from ..board.season import BoardDay, compute_board_snapshot
from ..chain.gaps.snapshots import compute_snapshot
from ..clock import today as county_today
from ..config import normalise_database_url
from ..errors import ConcurrentChange
from ..models import BatchChunk, BatchJob
from ..settings import Settings
from ..settings_work import PatrolSettings
from .batches import JobSettings, run_generation
from .bureau_chunks import bureau_chunk_size, plan_bureau_issue, run_bureau_chunk, unplanned_bureau_job
from .chunks import plan_chunks, run_chunk
from .countersign_chunks import complete_countersign_chunk, prepare_countersign_chunk
from .dispatch import CHUNK_JOB_TIMEOUT, CHUNK_RETRIES, batch_job_id
from .issue_chunks import check_issue_chunk, plan_issue, run_issue_chunk
from .mail_outbox import deliver_pending
from .reports import refresh_reports

__all__ = [
    "CHUNK_RETRIES",
    "check_issue_chunk_task",
    "chunk_job_id",
    "complete_countersign_task",
    "plan_generation_task",
    "plan_bureau_task",
    "plan_issue_task",
    "prepare_countersign_task",
    "refresh_board_task",
    "refresh_gaps_task",
    "refresh_reports_task",
    "run_bureau_chunk_task",
    "run_chunk_task",
    "run_generation_task",
    "run_issue_chunk_task",
]


@cache
def engine_for(url: str) -> Engine:
    """One engine per database URL for the life of the worker process."""
    url = normalise_database_url(url)
    options: dict[str, Any] = {"connect_args": {"timeout": 30}} if url.startswith("sqlite") else {}
    return create_engine(url, pool_pre_ping=True, **options)


_ENGINE_PIDS: dict[int, int] = {}


def _engine(settings: JobSettings) -> Engine:
    return _engine_of(settings.database_url)


def _engine_of(database_url: str) -> Engine:
    """This process's engine for ``database_url`` (a forked work horse drops the parent's sockets)."""
    engine = engine_for(database_url)
    if _ENGINE_PIDS.setdefault(id(engine), os.getpid()) != os.getpid():
        # A forked work horse must not reuse the parent's sockets: drop the inherited
        # connections in this process only (SQLAlchemy's documented pattern for fork).
        engine.dispose(close=False)
        _ENGINE_PIDS[id(engine)] = os.getpid()
    return engine


def chunk_job_id(database_url: str, job_id: int, seq: int) -> str:
    """The RQ job id of a chunk (``dispatch.batch_job_id``)."""
    return batch_job_id(database_url, job_id, "chunk", seq)


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
            job_id=chunk_job_id(job_settings.database_url, job_id, seq),
            retry=Retry(max=CHUNK_RETRIES),
            job_timeout=CHUNK_JOB_TIMEOUT,
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


_CERTIFY_TTL = 600.0
"""Seconds a worker keeps its opened seal and signing environment (trust roots, CRLs, TSA)
before opening them again, so a revocation published meanwhile is picked up."""
_CERTIFY: dict[str, tuple[float, Any]] = {}


def _instance(settings: Settings) -> Any:
    """This worker's instance context for ``settings`` (carried without the PKI secret: a
    ``PKI_SECRET`` comes from the worker's own ``RESPONSIBILITY_PKI_SECRET``, else the instance
    folder's ``pki/secret`` file is read, as the web process does)."""
    from ..agreements.instance import InstanceContext

    secret = os.environ.get("RESPONSIBILITY_PKI_SECRET") or settings.trust.pki_secret
    return InstanceContext(replace(settings, trust=replace(settings.trust, pki_secret=secret)))


def _kept(cache: dict[str, tuple[float, Any]], session: Session, settings: Settings, build: Any) -> Any:
    """``build(session, instance)`` once per worker and instance folder, kept for ``_CERTIFY_TTL``;
    committed after building (the seal's register row, when the app registers it on first use)."""
    key = str(settings.storage.instance_dir)
    found = cache.get(key)
    if found is None or time.monotonic() - found[0] > _CERTIFY_TTL:
        found = (time.monotonic(), build(session, _instance(settings)))
        session.commit()
        cache[key] = found
    return found[1]


def _certify(session: Session, settings: Settings) -> Any:
    """The seal's certification hook, built once per worker and reused for ``_CERTIFY_TTL``."""
    from ..agreements.certification import certification_for_issue

    return _kept(_CERTIFY, session, settings, certification_for_issue)


def plan_issue_task(
    job_id: int, settings: dict[str, Any], instance: Settings, allow_missing: bool, today: str
) -> dict[str, Any]:
    """Check the issue of batch ``job_id`` and enqueue one check job per chunk of its drafts."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        seqs = plan_issue(
            session, job_id, template_root=Path(job_settings.template_root), allow_missing=allow_missing,
            today=dt.date.fromisoformat(today), size=job_settings.chunk_size,
        )  # fmt: skip
    _enqueue_chunks(check_issue_chunk_task, "check", job_id, seqs, settings, instance, today)
    return {"job_id": job_id, "chunks": len(seqs)}


def _enqueue_chunks(
    task: Any, round_: str, job_id: int, seqs: list[int], settings: dict[str, Any], instance: Settings, today: str
) -> None:
    """One RQ job of ``task`` per chunk, on the queue of the job running now (ids per round:
    a retried enqueue never doubles a chunk's job)."""
    for seq in seqs:
        _enqueue_current(
            task,
            job_id,
            seq,
            settings,
            instance,
            today,
            job_id=f"{chunk_job_id(settings['database_url'], job_id, seq)}-{round_}",
        )


def _enqueue_current(task: Any, *args: Any, job_id: str) -> None:
    """Enqueue ``task(*args)`` as RQ job ``job_id`` on the queue of the job running now, retried."""
    from rq import Queue, Retry, get_current_job

    current = get_current_job()
    assert current is not None, "the issue's tasks run on an RQ worker"
    Queue(current.origin, connection=current.connection).enqueue(
        task, *args, job_id=job_id, retry=Retry(max=CHUNK_RETRIES), job_timeout=CHUNK_JOB_TIMEOUT, result_ttl=86400,
        failure_ttl=7 * 86400,
    )  # fmt: skip


def check_issue_chunk_task(
    job_id: int, seq: int, settings: dict[str, Any], instance: Settings, today: str
) -> dict[str, Any]:
    """The stale check of chunk ``seq`` of issue batch ``job_id``; the check that releases the
    batch enqueues the issue job of every chunk."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        outcome = check_issue_chunk(
            session, job_id, seq, template_root=Path(job_settings.template_root), today=dt.date.fromisoformat(today)
        )
        seqs = []
        if outcome == "released":  # only the release needs every chunk's seq
            query = select(BatchChunk.seq).where(BatchChunk.job_id == job_id).order_by(BatchChunk.seq)
            seqs = list(session.scalars(query))
    if seqs:
        _enqueue_chunks(run_issue_chunk_task, "issue", job_id, seqs, settings, instance, today)
    return {"job_id": job_id, "seq": seq, "outcome": outcome}


def run_issue_chunk_task(
    job_id: int, seq: int, settings: dict[str, Any], instance: Settings, today: str
) -> dict[str, Any]:
    """Certify and issue chunk ``seq`` of issue batch ``job_id``; the chunk that closes the batch
    enqueues the planner of the bureau agreements' batch it recorded."""
    job_settings = JobSettings(**settings)
    bureau_job = None
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        outcome = run_issue_chunk(
            session, job_id, seq, certify=_certify(session, instance), storage=PdfStore(job_settings.storage_dir),
            template_root=Path(job_settings.template_root), today=dt.date.fromisoformat(today), bureau_later=True,
        )  # fmt: skip
        if outcome in ("closed", "skipped"):  # skipped: a retry after the close (see unplanned_bureau_job)
            bureau_job = unplanned_bureau_job(session, session.get_one(BatchJob, job_id).campaign_id)
    if bureau_job is not None:
        _enqueue_current(
            plan_bureau_task,
            bureau_job,
            settings,
            instance,
            today,
            job_id=batch_job_id(job_settings.database_url, bureau_job),
        )
    return {"job_id": job_id, "seq": seq, "outcome": outcome, "bureau_job": bureau_job}


def plan_bureau_task(job_id: int, settings: dict[str, Any], instance: Settings, today: str) -> dict[str, Any]:
    """Cut the bureau agreements' batch ``job_id`` into chunks and enqueue one job per chunk."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        seqs = plan_bureau_issue(
            session, job_id, today=dt.date.fromisoformat(today), size=bureau_chunk_size(job_settings.chunk_size)
        )
    _enqueue_chunks(run_bureau_chunk_task, "bureau", job_id, seqs, settings, instance, today)
    return {"job_id": job_id, "chunks": len(seqs)}


def run_bureau_chunk_task(
    job_id: int, seq: int, settings: dict[str, Any], instance: Settings, today: str
) -> dict[str, Any]:
    """Issue (certified) the bureau agreements of chunk ``seq`` of batch ``job_id``."""
    job_settings = JobSettings(**settings)
    with Session(bind=_engine(job_settings), expire_on_commit=False) as session:
        outcome = run_bureau_chunk(
            session, job_id, seq, certify=_certify(session, instance), storage=PdfStore(job_settings.storage_dir),
            template_root=Path(job_settings.template_root), today=dt.date.fromisoformat(today),
        )  # fmt: skip
        return {"job_id": job_id, "seq": seq, "outcome": outcome}


def refresh_gaps_task(
    database_url: str, at: str, campaign_id: int | None, live_campaign: bool, actor: str
) -> dict[str, Any]:
    """Compute and store the gap report of day ``at`` (``chain.gaps.snapshots``), queued by the
    report page's refresh at a province's size; one transaction, so a killed worker stores nothing."""
    with Session(bind=_engine_of(database_url), expire_on_commit=False) as session:
        snapshot = compute_snapshot(
            session, at=dt.date.fromisoformat(at), campaign_id=campaign_id, live_campaign=live_campaign, actor=actor
        )
        session.commit()
        return {"snapshot_id": snapshot.id, "findings": snapshot.finding_count, "seconds": snapshot.seconds}


def refresh_board_task(database_url: str, campaign_id: int, day: BoardDay, actor: str) -> dict[str, Any]:
    """Compute and store the season board of campaign ``campaign_id`` on ``day.at``
    (``board.season``), queued by the board's refresh at a province's size; one transaction."""
    with Session(bind=_engine_of(database_url), expire_on_commit=False) as session:
        snapshot = compute_board_snapshot(session, campaign_id, day, actor=actor)
        session.commit()
        return {"snapshot_id": snapshot.id, "seconds": snapshot.seconds}


def refresh_reports_task(database_url: str, zone: str, patrols: dict[str, Any]) -> dict[str, Any]:
    """Store both reports of today in ``zone`` (``reports.refresh_reports``), queued by the
    scheduler of ``flask jobs cron``; one transaction. A refresh of the same day that stored first
    (another scheduler, a page's refresh) wins: this one stores nothing and says so."""
    today = county_today(ZoneInfo(zone))
    with Session(bind=_engine_of(database_url), expire_on_commit=False) as session:
        try:
            done = refresh_reports(
                session, today, patrols=PatrolSettings(**patrols), today=today, zone=zone, actor="cron"
            )
        except ConcurrentChange:
            session.rollback()
            return {"at": today.isoformat(), "skipped": "another refresh of the day stored first"}
        session.commit()
        board = None if done.board is None else done.board.seconds
        return {"at": today.isoformat(), "findings": done.gaps.finding_count, "board_seconds": board}


_SIGNING_ENV: dict[str, tuple[float, Any]] = {}


def _signing_env_of(session: Session, context: Any) -> Any:
    return context.signing_environment(session)


def _countersign_step(
    step: Any, job_id: int, seq: int, settings: dict[str, Any], instance: Settings, person_id: int,
    certificate: bytes, chain: list[bytes], day: str,
) -> Any:  # fmt: skip
    """Run a countersign chunk step (``prepare_countersign_chunk`` or ``complete_countersign_chunk``)
    with this worker's signing environment and the countersigner's DER ``certificate`` and ``chain``."""
    from cryptography import x509

    with Session(bind=_engine(JobSettings(**settings)), expire_on_commit=False) as session:
        return step(
            session, _kept(_SIGNING_ENV, session, instance, _signing_env_of), job_id, seq, person_id,
            x509.load_der_x509_certificate(certificate), [x509.load_der_x509_certificate(c) for c in chain],
            day=dt.date.fromisoformat(day),
        )  # fmt: skip


def prepare_countersign_task(
    job_id: int, seq: int, settings: dict[str, Any], instance: Settings, person_id: int, certificate: bytes,
    chain: list[bytes], day: str,
) -> dict[str, Any]:  # fmt: skip
    """Prepare the countersignatures of chunk ``seq`` of batch ``job_id`` with the countersigner's
    ``certificate`` (DER) and ``chain``: no key is needed, none travels (:mod:`.countersign_chunks`)."""
    args = (job_id, seq, settings, instance, person_id, certificate, chain, day)
    return {"job_id": job_id, "seq": seq, "outcome": _countersign_step(prepare_countersign_chunk, *args)}


def complete_countersign_task(
    job_id: int, seq: int, settings: dict[str, Any], instance: Settings, person_id: int, certificate: bytes,
    chain: list[bytes], day: str,
) -> dict[str, Any]:  # fmt: skip
    """Finish, check and record the signed countersignatures of chunk ``seq`` of batch ``job_id``;
    the chunk that closes the batch mails its notifications (as the thread's batch does at its end)."""
    outcome = _countersign_step(complete_countersign_chunk, job_id, seq, settings, instance, person_id, certificate,
                                chain, day)  # fmt: skip
    if outcome == "closed" and instance.mail.enabled:
        deliver_pending(_engine(JobSettings(**settings)), instance.mail)
    return {"job_id": job_id, "seq": seq, "outcome": outcome}
