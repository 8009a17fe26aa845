"""Issue 16: a generation batch on RQ is many chunk jobs; a worker killed in the middle of a
chunk leaves nothing of it, the chunk is retried, and every agreement exists exactly once.

The workers are real ``rq worker`` subprocesses on the local Redis (a unique queue per test)
against this test's real database (an SQLite file, or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility.instance import instance_of
from responsibility.jobs import JobSettings, RqDispatcher, queue_generation
from responsibility.jobs.chunks import chunk_progress, run_chunk
from responsibility.models import Agreement, AuditEvent, BatchChunk, BatchJob
from responsibility.models.agreements import JOB_FINISHED, JOB_QUEUED

REDIS_URL = "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[3]


def _redis():  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    return connection


def _settings(app) -> JobSettings:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    return JobSettings.from_settings(instance_of(app).settings, db.engine.url.render_as_string(hide_password=False))


def _worker(queue: str, *, burst: bool) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL, "--worker-class", "rq.worker.SimpleWorker"]
    argv += [*(["--burst"] if burst else []), queue]
    return subprocess.Popen(argv, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _chunks(engine, job_id: int) -> dict[int, tuple[str, int]]:  # type: ignore[no-untyped-def]
    """``{seq: (state, attempts)}`` of the batch's chunks, read in a session of its own."""
    with Session(bind=engine) as other:
        return {
            c.seq: (c.state, c.attempts) for c in other.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id))
        }


def _hold_commits(connection, job_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Begin a transaction on ``connection`` that no chunk can commit past: on PostgreSQL the
    batch row locked (a chunk's commit adds to its counts), on SQLite the write lock. False
    (and nothing held) when a worker holds it right now; the caller tries again."""
    from sqlalchemy import text

    try:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA busy_timeout = 50")
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.begin()
            connection.execute(text("SET LOCAL lock_timeout = '50ms'"))
            connection.execute(text("SELECT id FROM batch_jobs WHERE id = :id FOR UPDATE"), {"id": job_id})
    except Exception:
        connection.rollback()
        return False
    return True


def _in_progress(connection, job_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    """Chunks started (an attempt committed) and not finished, read inside the held transaction."""
    from sqlalchemy import text

    rows = connection.execute(
        text("SELECT seq FROM batch_chunks WHERE job_id = :id AND attempts >= 1 AND state != :done"),
        {"id": job_id, "done": JOB_FINISHED},
    )
    return [int(seq) for (seq,) in rows]


def _kill_mid_chunk(engine, job_id: int, worker: subprocess.Popen[bytes]) -> int:  # type: ignore[no-untyped-def]
    """Kill ``worker`` while it is inside a chunk, after at least one other chunk has committed;
    returns the killed chunk's seq. Which chunk it is does not matter (workers may take them in
    any order): the commits are held while the chunk is seen running, so the kill is certain to
    land before its commit, whatever the load on the machine."""
    deadline = time.monotonic() + 480
    with engine.connect() as connection:
        try:
            while True:
                assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
                assert time.monotonic() < deadline, f"no chunk was caught running: {_chunks(engine, job_id)}"
                finished = any(state == JOB_FINISHED for state, _ in _chunks(engine, job_id).values())
                if finished and _hold_commits(connection, job_id):
                    running = _in_progress(connection, job_id)
                    if running:
                        os.killpg(worker.pid, signal.SIGKILL)  # the worker and anything it started
                        worker.wait(60)
                        connection.rollback()
                        return running[0]
                    connection.rollback()
                time.sleep(0.02)
        finally:
            if connection.dialect.name == "sqlite":
                connection.exec_driver_sql("PRAGMA busy_timeout = 30000")  # back as the pool gave it


def test_a_worker_killed_mid_chunk_leaves_every_agreement_exactly_once(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from rq import Queue
    from rq.registry import StartedJobRegistry

    from responsibility.extensions import db

    connection = _redis()
    job = queue_generation(demo_session, campaign, actor="test", backend="rq")
    demo_session.commit()
    job_id = job.id
    queue_name = f"test-kill-{uuid.uuid4().hex}"
    settings = replace(_settings(demo_app), chunk_size=5)  # 12 chunks: several to be caught in
    RqDispatcher(REDIS_URL, settings, queue=queue_name).dispatch(job_id)
    queue = Queue(queue_name, connection=connection)
    first = _worker(queue_name, burst=False)
    try:
        killed_seq = _kill_mid_chunk(db.engine, job_id, first)
        killed = _chunks(db.engine, job_id)
        assert len(killed) == 12
        assert killed[killed_seq][0] == JOB_QUEUED, "the kill came after the chunk's commit"
        finished_before = [seq for seq, (state, _) in killed.items() if state == JOB_FINISHED]
        assert finished_before
        with Session(bind=db.engine) as other:  # only the committed chunks count
            assert other.get_one(BatchJob, job_id).done == 5 * len(finished_before)

        # What a live worker's maintenance does once the dead worker's heartbeat has expired
        # (after ~90 s): the abandoned chunk job is retried (it carries Retry).
        StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
        second = _worker(queue_name, burst=True)
        assert second.wait(600) == 0, second.stderr.read().decode() if second.stderr else ""
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        queue.delete(delete_jobs=True)

    demo_session.expire_all()
    row = demo_session.get_one(BatchJob, job_id)
    assert (row.state, row.done, row.total, row.failed) == (JOB_FINISHED, 60, 60, 0)
    after = _chunks(db.engine, job_id)
    assert {state for state, _ in after.values()} == {JOB_FINISHED}
    assert after[killed_seq][1] == killed[killed_seq][1] + 1  # the killed chunk ran again, once
    assert all(after[seq] == killed[seq] for seq in finished_before)  # finished chunks never ran again
    assert chunk_progress(demo_session, job_id)[:2] == (12, 12)
    per_school = demo_session.execute(
        select(Agreement.school_id, func.count(Agreement.id))
        .where(Agreement.campaign_id == campaign.id)
        .group_by(Agreement.school_id)
    ).all()
    assert len(per_school) == 60 and {n for _, n in per_school} == {1}
    generated = demo_session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "agreement.generated")).all()
    assert len(generated) == 60 == len(set(generated))  # the killed attempt left no event either
    finished = demo_session.scalars(
        select(AuditEvent.subject).where(AuditEvent.action == "batch.finished", AuditEvent.subject == f"batch:{job_id}")
    ).all()
    assert len(finished) == 1


def test_a_finished_chunk_is_never_run_twice(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.jobs.chunks import plan_chunks

    job = queue_generation(demo_session, campaign, actor="test", backend="rq")
    chunks = plan_chunks(demo_session, job, size=40)
    assert [len(c.school_ids) for c in chunks] == [40, 20]
    assert plan_chunks(demo_session, job, size=40) == chunks  # planning again changes nothing
    demo_session.commit()
    settings = _settings(demo_app)
    assert run_chunk(demo_session, job.id, 1, settings) == "done"
    assert run_chunk(demo_session, job.id, 1, settings) == "skipped"  # a retry after the commit
    assert demo_session.get_one(BatchJob, job.id).done == 20
    assert run_chunk(demo_session, job.id, 0, settings) == "closed"
    row = demo_session.get_one(BatchJob, job.id)
    assert (row.state, row.done, row.total) == (JOB_FINISHED, 60, 60)
    assert demo_session.scalar(select(func.count(Agreement.id))) == 60


def test_jobs_status_shows_the_chunks_and_worker_needs_redis(demo_app, demo_session, campaign, demo_runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.jobs.chunks import plan_chunks

    job = queue_generation(demo_session, campaign, actor="test", backend="rq")
    plan_chunks(demo_session, job, size=40)
    demo_session.commit()
    run_chunk(demo_session, job.id, 1, _settings(demo_app))
    result = demo_runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert f"batch {job.id} generate campaign {campaign.id}: running 20/60 (33%), failed 0; chunks 1/2, retried 0" in (
        result.output
    )
    refused = demo_runner.invoke(args=["jobs", "worker"])
    assert refused.exit_code == 2 and "REDIS_URL is not set" in refused.output
