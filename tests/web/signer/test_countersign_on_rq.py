"""With REDIS_URL set, the batch countersign runs on the RQ workers (issue 16) and the key stays in
the web process: a real ``rq worker`` prepares each signature with the chief's certificate, the
web thread signs only the prepared attributes, the worker completes and records them; the job
page follows; a refusal is per agreement; a retried chunk signs nothing twice; nothing but
certificates travels through Redis."""

from __future__ import annotations

import os
import re
import signal
import time
import uuid

from fixtures.rq_workers import REDIS_URL, job_settings, redis_connection, start_worker
from fixtures.signing_workflow import PIN, three_school_signed
from sqlalchemy import func, select

from responsibility.clock import today
from responsibility.instance import install_instance
from responsibility.jobs.dispatch import batch_job_id
from responsibility.models import Agreement, AgreementRevision, AuditEvent, BatchJob, CountersignItem


def _until_finished(client, job_id: int, worker) -> dict:  # type: ignore[no-untyped-def,type-arg]
    deadline = time.monotonic() + 300
    while True:
        progress = client.get(f"/sign/jobs/{job_id}.json").get_json()
        if progress["state"] in ("finished", "failed"):
            return progress  # type: ignore[no-any-return]
        assert worker.poll() is None, worker.stderr.read().decode() if worker.stderr else ""
        assert time.monotonic() < deadline, progress
        time.sleep(0.2)


def test_the_batch_countersign_runs_on_the_workers_and_the_key_stays_here(  # type: ignore[no-untyped-def]
    signer_app, login, smtp_sink, monkeypatch
) -> None:
    import dataclasses

    from fixtures.signing_workflow import holder
    from rq import Queue
    from rq.job import Job

    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.jobs.countersign import RqCountersignRunner
    from responsibility.models import MailAddress
    from responsibility.settings import MailSettings
    from responsibility.web.sign.board import RUNNERS_KEY

    connection = redis_connection()
    ids, campaign_id, chief = three_school_signed(signer_app)
    queue_name = f"test-countersign-{uuid.uuid4().hex}"
    signer_app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name)
    install_instance(signer_app)  # the settings are frozen: rebuild them after the change
    sink, port = smtp_sink  # the completion that closes the batch mails, as the thread's batch does
    context = instance_of(signer_app)
    monkeypatch.setattr(
        context, "settings", dataclasses.replace(context.settings, mail=MailSettings(host="127.0.0.1", port=port))
    )
    with signer_app.app_context():
        principal = holder(db.session, db.session.get_one(Agreement, ids[0]).school, "S01")
        db.session.add(MailAddress(person_id=principal.id, email="head@example.cn"))
        db.session.commit()
    client = login(chief)
    with signer_app.app_context():
        database_url = job_settings(signer_app).database_url  # what the board's dispatcher carries
    queue = Queue(queue_name, connection=connection)
    worker = start_worker(queue_name, burst=False)
    try:
        started = client.post(
            f"/sign/board/{campaign_id}/countersign", data={"agreement": ids, "pin": PIN, "confirm": "y"}
        )
        assert started.status_code == 302 and "/sign/jobs/" in started.headers["Location"]
        job_id = int(started.headers["Location"].rsplit("/", 1)[1])
        runner = signer_app.extensions[RUNNERS_KEY][job_id]
        assert isinstance(runner, RqCountersignRunner)
        assert runner.join(timeout=300)  # prepared by the worker, signed here, completion queued
        progress = _until_finished(client, job_id, worker)
        travelled = [
            Job.fetch(batch_job_id(database_url, job_id, 0, r), connection=connection) for r in ("prepare", "complete")
        ]
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(30)
        queue.delete(delete_jobs=True)
    assert (progress["state"], progress["done"], progress["failed"]) == ("finished", 3, 1), progress
    deadline = time.monotonic() + 20
    while not sink.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {tuple(to) for _, to, _ in sink.messages} == {("head@example.cn",)}
    assert "学校方签署完成后" in progress["errors"][0]["message"]
    page = client.get(f"/sign/jobs/{job_id}").get_data(as_text=True)
    outcome = dict(re.findall(r'data-agreement="(\d+)" data-status="(\w+)"', page))
    assert outcome == {str(ids[0]): "signed", str(ids[1]): "signed", str(ids[2]): "refused"}
    with signer_app.app_context():
        job = db.session.get_one(BatchJob, job_id)
        assert (job.kind, job.backend) == ("countersign", "rq")
        states = [db.session.get_one(Agreement, i).state for i in ids]
        assert states == ["archived", "archived", "issued"]
        items = db.session.scalars(select(CountersignItem).where(CountersignItem.job_id == job_id)).all()
        assert sorted(i.state for i in items) == ["done", "done", "refused"]
        countersignature = db.session.get_one(Agreement, ids[0]).revisions[-2]  # then the archive timestamp
        assert countersignature.kind == "countersigned" and countersignature.field_name == "sig_bureau_heads"
        archived = db.session.scalar(
            select(func.count(AuditEvent.seq)).where(AuditEvent.action == "agreement.archived")
        )
        assert archived == 2
        db.session.remove()
    for rq_job in travelled:  # what went through Redis: ids, settings, the certificate and its chain
        args = rq_job.args
        assert isinstance(args[5], bytes) and args[5].startswith(b"0\x82")  # a DER certificate
        assert not any(b"PRIVATE KEY" in a for a in args if isinstance(a, bytes))
        assert [type(a).__name__ for a in args[:5]] == ["int", "int", "dict", "Settings", "int"]


def test_a_chunk_run_twice_signs_each_agreement_once(signer_app) -> None:  # type: ignore[no-untyped-def]
    """The three steps in-process: preparing, signing and completing a chunk again changes nothing."""
    from fixtures.signing_workflow import holder

    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.jobs.countersign import queue_countersign
    from responsibility.jobs.countersign_chunks import (
        complete_countersign_chunk,
        plan_countersign,
        prepare_countersign_chunk,
        sign_prepared_items,
    )
    from responsibility.jobs.transactions import unlock_and_commit
    from responsibility.models import Campaign

    ids, campaign_id, _ = three_school_signed(signer_app)
    context = instance_of(signer_app)
    with signer_app.app_context():
        session = db.session
        chief = holder(session, None, "B01")
        unlocked = unlock_and_commit(session, chief, PIN, pki=context.pki)
        job = queue_countersign(session, session.get_one(Campaign, campaign_id), ids[:2], actor="test", backend="rq")
        (seq,) = plan_countersign(session, job, ids[:2])
        session.commit()
        env = context.signing_environment(session)
        day = today()
        args = (job.id, seq, chief.id, unlocked.certificate, unlocked.chain)
        assert prepare_countersign_chunk(session, env, *args, day=day) == "prepared"
        assert prepare_countersign_chunk(session, env, *args, day=day) == "skipped"
        assert sign_prepared_items(session, job.id, unlocked) == 2
        assert sign_prepared_items(session, job.id, unlocked) == 0
        assert complete_countersign_chunk(session, env, *args, day=day) == "closed"
        assert complete_countersign_chunk(session, env, *args, day=day) == "skipped"
        countersigned = session.scalar(
            select(func.count(AgreementRevision.id)).where(
                AgreementRevision.agreement_id.in_(ids[:2]), AgreementRevision.kind == "countersigned"
            )
        )
        assert countersigned == 2
        assert session.get_one(BatchJob, job.id).state == "finished"
        db.session.remove()


def test_a_worker_killed_mid_completion_leaves_each_agreement_countersigned_once(signer_app) -> None:  # type: ignore[no-untyped-def]
    """Chunks of one agreement; the worker is killed inside a completion chunk (after another has
    committed); RQ retries it on a second worker: every agreement is countersigned and archived
    exactly once, the batch finishes once."""
    from dataclasses import replace

    from fixtures.rq_workers import chunk_states, kill_mid_chunk
    from fixtures.signing_workflow import holder
    from rq import Queue
    from rq.registry import StartedJobRegistry

    from responsibility.extensions import db
    from responsibility.instance import instance_of
    from responsibility.jobs.countersign import RqCountersignRunner, queue_countersign
    from responsibility.jobs.dispatch import RqDispatcher
    from responsibility.jobs.transactions import unlock_and_commit
    from responsibility.models import Campaign

    connection = redis_connection()
    ids, campaign_id, _ = three_school_signed(signer_app)
    context = instance_of(signer_app)
    queue_name = f"test-countersign-kill-{uuid.uuid4().hex}"
    queue = Queue(queue_name, connection=connection)
    first = start_worker(queue_name, burst=False)
    try:
        with signer_app.app_context():
            session = db.session
            chief = holder(session, None, "B01")
            unlocked = unlock_and_commit(session, chief, PIN, pki=context.pki)
            campaign = session.get_one(Campaign, campaign_id)
            job_id = queue_countersign(session, campaign, ids, actor="test", backend="rq").id
            session.commit()
            dispatcher = RqDispatcher(REDIS_URL, replace(job_settings(signer_app), chunk_size=1), queue=queue_name)
            runner = RqCountersignRunner(db.engine, dispatcher, context.settings, day=today())
            runner.start(job_id, ids, chief.id, unlocked)
            del unlocked
            killed_seq = kill_mid_chunk(db.engine, job_id, first)
            assert runner.join(timeout=60)
            killed = chunk_states(db.engine, job_id)
            assert killed[killed_seq][0] != "finished", "the kill came after the chunk's commit"
            StartedJobRegistry(queue=queue).cleanup(timestamp=time.time() + 3600)  # what a live worker's upkeep does
            second = start_worker(queue_name, burst=True)
            assert second.wait(600) == 0, second.stderr.read().decode() if second.stderr else ""
            session.expire_all()
            job = session.get_one(BatchJob, job_id)
            assert (job.state, job.done, job.failed) == ("finished", 3, 1)
            after = chunk_states(db.engine, job_id)
            assert after[killed_seq] == ("finished", killed[killed_seq][1] + 1)  # it ran again, once
            per_agreement = dict(
                session.execute(
                    select(AgreementRevision.agreement_id, func.count(AgreementRevision.id))
                    .where(AgreementRevision.agreement_id.in_(ids), AgreementRevision.kind == "countersigned")
                    .group_by(AgreementRevision.agreement_id)
                ).all()
            )
            assert per_agreement == {ids[0]: 1, ids[1]: 1}
            archived = session.scalars(
                select(AuditEvent.subject).where(AuditEvent.action == "agreement.archived")
            ).all()
            assert sorted(archived) == sorted(f"agreement:{i}" for i in ids[:2])
            closed = session.scalar(
                select(func.count(AuditEvent.seq)).where(
                    AuditEvent.action == "batch.finished", AuditEvent.subject == f"batch:{job_id}"
                )
            )
            assert closed == 1
            db.session.remove()
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
        queue.delete(delete_jobs=True)
