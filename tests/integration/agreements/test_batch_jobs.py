"""Background batches: in a thread of this process and on an RQ worker, with progress in the
job row that another session can read while the batch runs."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from agreement_tools import school
from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.errors import InvalidState
from responsibility.instance import instance_of
from responsibility.jobs import (
    JobSettings,
    RqDispatcher,
    ThreadDispatcher,
    active_job,
    dispatcher_for,
    queue_generation,
)
from responsibility.jobs.dispatch import batch_job_id
from responsibility.models import Agreement, BatchJob
from responsibility.models.agreements import JOB_FINISHED, JOB_RUNNING

REDIS_URL = "redis://127.0.0.1:6379/0"


def _settings(app, workers: int = 1):  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    return JobSettings.from_settings(
        instance_of(app).settings, db.engine.url.render_as_string(hide_password=False), workers=workers
    )


def test_thread_batch_publishes_progress_while_it_runs(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    job = queue_generation(demo_session, campaign, actor="test", backend="thread")
    demo_session.commit()
    job_id = job.id
    assert job.total == 60
    runner = dispatcher_for(redis_url=None, engine=db.engine, settings=_settings(demo_app, workers=2))
    assert isinstance(runner, ThreadDispatcher)
    with pytest.raises(InvalidState, match="already has batch"):
        queue_generation(demo_session, campaign, actor="test", backend="thread")
    demo_session.rollback()

    seen: list[int] = []
    stop = threading.Event()
    engine = db.engine

    def watch() -> None:  # another session, as the web page would
        with Session(bind=engine) as other:
            while not stop.is_set():
                row = other.get(BatchJob, job_id, populate_existing=True)
                if row is not None and row.state == JOB_RUNNING:
                    seen.append(row.done)
                other.rollback()
                stop.wait(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    runner.dispatch(job_id)
    try:
        assert runner.join(job_id, timeout=300)
    finally:
        stop.set()
        watcher.join()

    demo_session.expire_all()
    done = demo_session.get(BatchJob, job_id)
    assert (done.state, done.done, done.total, done.failed, done.percent) == (JOB_FINISHED, 60, 60, 0, 100)
    assert done.started_at is not None and done.finished_at is not None
    assert seen and seen == sorted(seen) and any(0 < n < 60 for n in seen)
    assert len(demo_session.scalars(select(Agreement)).all()) == 60
    assert active_job(demo_session, campaign) is None


def test_rq_worker_runs_the_batch(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    redis = pytest.importorskip("redis")
    from rq import SimpleWorker

    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    target = school(demo_session, "SCH012")
    target.school_buses = 2  # more buses than the demo: the batch must read this database
    job = queue_generation(demo_session, campaign, actor="test", backend="rq", school=target)
    demo_session.commit()

    runner = dispatcher_for(
        redis_url=REDIS_URL,
        engine=None,
        settings=_settings(demo_app),
        queue=f"test-{uuid.uuid4().hex}",  # type: ignore[arg-type]
    )
    assert isinstance(runner, RqDispatcher)
    runner.dispatch(job.id)
    queue = runner.queue()
    try:
        assert queue.count == 1
        assert SimpleWorker([queue], connection=queue.connection).work(burst=True)
        rq_job = queue.fetch_job(batch_job_id(runner.settings.database_url, job.id))
        assert rq_job.return_value() == {"job_id": job.id, "chunks": 1}  # the planner
        chunk = queue.fetch_job(batch_job_id(runner.settings.database_url, job.id, "chunk", 0))
        assert chunk.return_value() == {"job_id": job.id, "seq": 0, "outcome": "closed"}
    finally:
        queue.delete(delete_jobs=True)

    demo_session.expire_all()
    row = demo_session.get(BatchJob, job.id)
    assert (row.state, row.done, row.total) == (JOB_FINISHED, 1, 1)
    agreement = demo_session.scalars(select(Agreement).where(Agreement.school_id == target.id)).one()
    assert agreement.state == "draft"


def test_a_refused_batch_ends_failed_with_its_reason(demo_app, demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.jobs import run_generation

    campaign.template_hash = "0" * 64  # as if the template had been edited since
    job = queue_generation(demo_session, campaign, actor="test", backend="foreground")
    demo_session.commit()
    with Session(bind=db.engine, expire_on_commit=False) as other:
        row = run_generation(other, job.id, _settings(demo_app))
        assert row.state == "failed" and "changed since campaign" in (row.message or "")
    assert demo_session.scalars(select(Agreement)).all() == []


def test_an_abandoned_job_does_not_block_a_new_batch(demo_session, campaign) -> None:  # type: ignore[no-untyped-def]
    old = queue_generation(demo_session, campaign, actor="test", backend="thread")
    old.state = JOB_RUNNING
    demo_session.flush()
    old.updated_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    demo_session.commit()
    assert active_job(demo_session, campaign) is None
    new = queue_generation(demo_session, campaign, actor="test", backend="thread")
    demo_session.commit()
    assert new.id != old.id
    demo_session.refresh(old)
    assert old.state == "failed" and "abandoned" in (old.message or "")
