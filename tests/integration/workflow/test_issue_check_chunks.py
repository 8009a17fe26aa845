"""Issue 16: on RQ the issue's stale check runs as one check job per chunk instead of serially in
the planner. No chunk is issued before every chunk has passed; the last check releases the batch
exactly once; a stale draft anywhere fails the whole batch with every stale draft named and
nothing issued (all-or-nothing, as the issue in one transaction); a retried check is harmless."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace

import pytest
from fixtures.rq_workers import REDIS_URL, chunk_states, job_settings, redis_connection, start_worker
from sqlalchemy import func, select, update

from responsibility.agreements import PdfStore
from responsibility.instance import instance_of
from responsibility.jobs import RqDispatcher
from responsibility.jobs.dispatch import dispatch_issue
from responsibility.jobs.issue_chunks import (
    CHUNK_CHECKED,
    CHUNK_CHECKING,
    check_issue_chunk,
    plan_issue,
    run_issue_chunk,
)
from responsibility.jobs.issuing import queue_issue
from responsibility.models import Agreement, BatchJob, Campaign, PostAssignment, School
from responsibility.models.agreements import JOB_FAILED, JOB_FINISHED, JOB_QUEUED
from responsibility.pdf.template import DEFAULT_ROOT

DAY = dt.date(2024, 11, 15)
SCHOOLS = ("SCH001", "SCH002", "SCH003", "SCH004")


def _queue(session, campaign_id: int) -> int:  # type: ignore[no-untyped-def]
    job = queue_issue(session, session.get_one(Campaign, campaign_id), actor="test", allow_missing=True, backend="rq")
    session.commit()
    return job.id


def _make_stale(session, source_id: str) -> None:  # type: ignore[no-untyped-def]
    school_id = select(School.id).where(School.source_id == source_id).scalar_subquery()
    session.execute(
        update(PostAssignment)
        .where(PostAssignment.post_code == "S03", PostAssignment.org_id == school_id)
        .values(business_duty="分管安全、后勤和基建（已改）")
    )
    session.commit()


def _issued(session, campaign_id: int) -> int:  # type: ignore[no-untyped-def]
    return int(
        session.scalar(
            select(func.count(Agreement.id)).where(Agreement.campaign_id == campaign_id, Agreement.state == "issued")
        )
    )


def test_the_last_check_releases_the_chunks_once_and_only_then_they_issue(wf_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    campaign_id = make_campaign(*SCHOOLS)
    with wf_app.app_context():
        session = db.session
        job_id = _queue(session, campaign_id)
        seqs = plan_issue(session, job_id, template_root=DEFAULT_ROOT, allow_missing=True, today=DAY, size=2)
        assert seqs == [0, 1] and plan_issue(  # a retried planner finds the same chunks, still to check
            session, job_id, template_root=DEFAULT_ROOT, allow_missing=True, today=DAY, size=2
        ) == [0, 1]
        assert {s for s, _ in chunk_states(db.engine, job_id).values()} == {CHUNK_CHECKING}
        store = PdfStore(instance_of(wf_app).settings.storage.agreements_dir)

        def issue(seq: int) -> str:
            return run_issue_chunk(
                session, job_id, seq, certify=None, storage=store, template_root=DEFAULT_ROOT, today=DAY
            )

        with pytest.raises(RuntimeError, match="stale check"):
            issue(0)  # never issued before the check passed
        assert check_issue_chunk(session, job_id, 0, template_root=DEFAULT_ROOT, today=DAY) == "checked"
        assert check_issue_chunk(session, job_id, 0, template_root=DEFAULT_ROOT, today=DAY) == "checked"
        states = chunk_states(db.engine, job_id)
        assert states[0][0] == CHUNK_CHECKED and states[1][0] == CHUNK_CHECKING
        assert session.get_one(BatchJob, job_id).state == "running" and _issued(session, campaign_id) == 0

        assert check_issue_chunk(session, job_id, 1, template_root=DEFAULT_ROOT, today=DAY) == "released"
        assert {s for s, _ in chunk_states(db.engine, job_id).values()} == {JOB_QUEUED}
        # a retry of the releasing check before any issue job started enqueues them again; after, not
        assert check_issue_chunk(session, job_id, 1, template_root=DEFAULT_ROOT, today=DAY) == "released"
        assert issue(0) == "done"
        assert check_issue_chunk(session, job_id, 0, template_root=DEFAULT_ROOT, today=DAY) == "checked"
        assert issue(1) == "closed"
        row = session.get_one(BatchJob, job_id)
        assert (row.state, row.done, row.total, row.errors) == (JOB_FINISHED, 4, 4, [])
        assert session.get_one(Campaign, campaign_id).state == "issued" and _issued(session, campaign_id) >= 4
        assert check_issue_chunk(session, job_id, 1, template_root=DEFAULT_ROOT, today=DAY) == "skipped"


def test_a_stale_draft_in_any_chunk_fails_the_batch_on_the_workers_with_nothing_issued(wf_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from rq import Queue

    from responsibility.extensions import db

    connection = redis_connection()
    campaign_id = make_campaign(*SCHOOLS)
    queue_name = f"test-issue-check-{uuid.uuid4().hex}"
    with wf_app.app_context():
        session = db.session
        _make_stale(session, "SCH003")
        stale_number = session.scalar(
            select(Agreement.document_number)
            .join(School, School.id == Agreement.school_id)
            .where(Agreement.campaign_id == campaign_id, School.source_id == "SCH003")
        )
        job_id = _queue(session, campaign_id)
        dispatcher = RqDispatcher(REDIS_URL, replace(job_settings(wf_app), chunk_size=2), queue=queue_name)
        dispatch_issue(dispatcher, job_id, instance_of(wf_app).settings, allow_missing=True, today=DAY)
        worker = start_worker(queue_name, burst=True)
        try:
            assert worker.wait(600) == 0, worker.stderr.read().decode() if worker.stderr else ""
        finally:
            Queue(queue_name, connection=connection).delete(delete_jobs=True)
        states = chunk_states(db.engine, job_id)
        assert len(states) == 2 and all(attempts == 0 for _, attempts in states.values())  # no issue job ran
        session.expire_all()
        row = session.get_one(BatchJob, job_id)
        assert row.state == JOB_FAILED and row.done == 0
        assert "regenerate before issuing" in (row.message or "") and f"{stale_number} (data changed)" in row.message
        assert session.get_one(Campaign, campaign_id).state == "draft" and _issued(session, campaign_id) == 0
        session.remove()
