"""Issue 16: the campaign issue on RQ workers is many chunk jobs, each certifying (bureau seal,
RFC 3161 timestamp) and issuing its drafts in one transaction; a worker killed mid-chunk leaves
no half-issued agreement, the chunk is retried, every agreement is certified and issued exactly
once, and the chunk that closes the batch freezes the campaign."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
import uuid
from dataclasses import replace

from fixtures.rq_workers import REDIS_URL, chunk_states, job_settings, kill_mid_chunk, redis_connection, start_worker
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility.instance import instance_of
from responsibility.jobs import RqDispatcher
from responsibility.jobs.dispatch import dispatch_issue
from responsibility.jobs.issuing import queue_issue
from responsibility.models import Agreement, AgreementRevision, AuditEvent, BatchJob, Campaign
from responsibility.models.agreements import JOB_FINISHED, JOB_QUEUED

SCHOOLS = ("SCH001", "SCH002", "SCH003", "SCH004", "SCH005", "SCH006")


def test_a_worker_killed_mid_issue_chunk_leaves_every_agreement_issued_once(wf_app, make_campaign) -> None:  # type: ignore[no-untyped-def]
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from responsibility.extensions import db

    connection = redis_connection()
    campaign_id = make_campaign(*SCHOOLS)
    queue_name = f"test-issue-kill-{uuid.uuid4().hex}"
    queue = Queue(queue_name, connection=connection)
    with wf_app.app_context():
        session = db.session
        job = queue_issue(
            session, session.get_one(Campaign, campaign_id), actor="test", allow_missing=True, backend="rq"
        )
        session.commit()
        job_id = job.id
        dispatcher = RqDispatcher(REDIS_URL, replace(job_settings(wf_app), chunk_size=2), queue=queue_name)
        dispatch_issue(
            dispatcher, job_id, instance_of(wf_app).settings, allow_missing=True, today=dt.date(2024, 11, 15)
        )
        first = start_worker(queue_name, burst=False)
        try:
            killed_seq = kill_mid_chunk(db.engine, job_id, first)
            killed = chunk_states(db.engine, job_id)
            assert len(killed) == 3 and killed[killed_seq][0] == JOB_QUEUED
            finished_before = [seq for seq, (state, _) in killed.items() if state == JOB_FINISHED]
            with Session(bind=db.engine) as other:
                assert other.get_one(BatchJob, job_id).done == 2 * len(finished_before)
                assert other.get_one(Campaign, campaign_id).state == "draft"  # frozen only by the last chunk
                issued_now = other.scalar(
                    select(func.count(Agreement.id)).where(
                        Agreement.campaign_id == campaign_id, Agreement.state == "issued"
                    )
                )
                assert issued_now == 2 * len(finished_before)  # nothing of the killed chunk
            StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)
            second = start_worker(queue_name, burst=True)
            assert second.wait(600) == 0, second.stderr.read().decode() if second.stderr else ""
        finally:
            if first.poll() is None:
                os.killpg(first.pid, signal.SIGKILL)
            queue.delete(delete_jobs=True)

        session.expire_all()
        row = session.get_one(BatchJob, job_id)
        assert (row.state, row.done, row.total, row.failed) == (JOB_FINISHED, 6, 6, 0), row.message
        after = chunk_states(db.engine, job_id)
        assert after[killed_seq][1] == killed[killed_seq][1] + 1
        assert all(after[seq] == killed[seq] for seq in finished_before)
        assert session.get_one(Campaign, campaign_id).state == "issued"
        agreements = session.scalars(
            select(Agreement).where(Agreement.campaign_id == campaign_id, Agreement.kind == "school")
        ).all()
        assert len(agreements) == 6 and {a.state for a in agreements} == {"issued"}
        for agreement in agreements:  # certified once: one certified revision, the file it names
            kinds = session.scalars(
                select(AgreementRevision.kind).where(AgreementRevision.agreement_id == agreement.id)
            ).all()
            assert sorted(kinds).count("certified") == 1
        certified = session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "agreement.certified")).all()
        school_subjects = {f"agreement:{a.id}" for a in agreements}
        assert sorted(s for s in certified if s in school_subjects) == sorted(school_subjects)
        frozen = session.scalars(
            select(AuditEvent.data).where(
                AuditEvent.action == "campaign.issued", AuditEvent.subject == f"campaign:{campaign_id}"
            )
        ).all()
        assert len(frozen) == 1 and sorted(frozen[0]["issued"]) == sorted(a.document_number for a in agreements)
        assert frozen[0]["certified"] is True
        session.remove()
