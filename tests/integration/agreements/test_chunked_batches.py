"""Issue 16: a generation batch on RQ is many chunk jobs; a worker killed in the middle of a
chunk leaves nothing of it, the chunk is retried, and every agreement exists exactly once.

The workers are real ``rq worker`` subprocesses on the local Redis (a unique queue per test)
against this test's real database (an SQLite file, or PostgreSQL when DATABASE_URL is set)."""

from __future__ import annotations

import os
import signal
import time
import uuid

from fixtures.rq_workers import REDIS_URL, chunk_states, job_settings, kill_mid_chunk, redis_connection, start_worker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility.jobs import RqDispatcher, queue_generation
from responsibility.jobs.chunks import chunk_progress, run_chunk
from responsibility.models import Agreement, AuditEvent, BatchJob
from responsibility.models.agreements import JOB_FINISHED, JOB_QUEUED


def test_a_worker_killed_mid_chunk_leaves_every_agreement_exactly_once(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from rq import Queue
    from rq.registry import StartedJobRegistry

    from responsibility.extensions import db

    connection = redis_connection()
    job = queue_generation(demo_session, campaign, actor="test", backend="rq")
    demo_session.commit()
    job_id = job.id
    queue_name = f"test-kill-{uuid.uuid4().hex}"
    settings = replace(job_settings(demo_app), chunk_size=5)  # 12 chunks: several to be caught in
    RqDispatcher(REDIS_URL, settings, queue=queue_name).dispatch(job_id)
    queue = Queue(queue_name, connection=connection)
    first = start_worker(queue_name, burst=False)
    try:
        killed_seq = kill_mid_chunk(db.engine, job_id, first)
        killed = chunk_states(db.engine, job_id)
        assert len(killed) == 12
        assert killed[killed_seq][0] == JOB_QUEUED, "the kill came after the chunk's commit"
        finished_before = [seq for seq, (state, _) in killed.items() if state == JOB_FINISHED]
        assert finished_before
        with Session(bind=db.engine) as other:  # only the committed chunks count
            assert other.get_one(BatchJob, job_id).done == 5 * len(finished_before)

        # What a live worker's maintenance does once the dead worker's heartbeat has expired
        # (after ~90 s): the abandoned chunk job is retried (it carries Retry).
        StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
        second = start_worker(queue_name, burst=True)
        assert second.wait(600) == 0, second.stderr.read().decode() if second.stderr else ""
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        queue.delete(delete_jobs=True)

    demo_session.expire_all()
    row = demo_session.get_one(BatchJob, job_id)
    assert (row.state, row.done, row.total, row.failed) == (JOB_FINISHED, 60, 60, 0)
    after = chunk_states(db.engine, job_id)
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
    settings = job_settings(demo_app)
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
    run_chunk(demo_session, job.id, 1, job_settings(demo_app))
    result = demo_runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0, result.output
    assert f"batch {job.id} generate campaign {campaign.id}: running 20/60 (33%), failed 0; chunks 1/2, retried 0" in (
        result.output
    )
    refused = demo_runner.invoke(args=["jobs", "worker"])
    assert refused.exit_code == 2 and "REDIS_URL is not set" in refused.output
