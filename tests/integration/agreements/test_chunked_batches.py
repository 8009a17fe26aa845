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
from responsibility.jobs.chunks import CHUNK_SIZE, chunk_progress, run_chunk
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


def _chunks(engine, job_id: int) -> list[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    with Session(bind=engine) as other:
        return [
            (c.seq, c.state, c.attempts)
            for c in other.scalars(select(BatchChunk).where(BatchChunk.job_id == job_id).order_by(BatchChunk.seq))
        ]


def test_a_worker_killed_mid_chunk_leaves_every_agreement_exactly_once(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from responsibility.extensions import db

    connection = _redis()
    job = queue_generation(demo_session, campaign, actor="test", backend="rq")
    demo_session.commit()
    job_id = job.id
    queue_name = f"test-kill-{uuid.uuid4().hex}"
    RqDispatcher(REDIS_URL, _settings(demo_app), queue=queue_name).dispatch(job_id)
    queue = Queue(queue_name, connection=connection)
    first = _worker(queue_name, burst=False)
    try:
        deadline = time.monotonic() + 240
        while True:  # wait until the first chunk is committed and the second one has started
            state = _chunks(db.engine, job_id)
            if len(state) >= 2 and state[0][1] == JOB_FINISHED and state[1][2] >= 1:
                break
            assert first.poll() is None, first.stderr.read().decode() if first.stderr else ""
            assert time.monotonic() < deadline, f"the worker never got to the second chunk: {state}"
            time.sleep(0.05)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and anything it started, mid-chunk
        first.wait(30)
        killed = _chunks(db.engine, job_id)
        assert killed[1][1] == JOB_QUEUED, "the kill came after the chunk's commit; it proves nothing"
        assert len(killed) == -(-60 // CHUNK_SIZE)
        with Session(bind=db.engine) as other:
            assert other.get_one(BatchJob, job_id).done == CHUNK_SIZE  # only the committed chunk counts

        # What a live worker's maintenance does once the dead worker's heartbeat has expired
        # (after ~90 s): the abandoned chunk job is retried (it carries Retry).
        StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
        second = _worker(queue_name, burst=True)
        assert second.wait(300) == 0, second.stderr.read().decode() if second.stderr else ""
    finally:
        for proc in (first,):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        queue.delete(delete_jobs=True)

    demo_session.expire_all()
    row = demo_session.get_one(BatchJob, job_id)
    assert (row.state, row.done, row.total, row.failed) == (JOB_FINISHED, 60, 60, 0)
    assert [c[1] for c in _chunks(db.engine, job_id)] == [JOB_FINISHED] * len(killed)
    assert _chunks(db.engine, job_id)[1][2] == 2  # the killed chunk ran again, once
    assert chunk_progress(demo_session, job_id) == (len(killed), len(killed), 1)
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
