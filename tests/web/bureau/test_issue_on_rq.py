"""With REDIS_URL set, the campaign page's issue goes to the RQ workers as chunk jobs (issue 16):
the job row says ``rq``, a real worker runs the planner and the chunks, and the job page and the
campaign follow the committed progress."""

from __future__ import annotations

import uuid

from fixtures.rq_workers import REDIS_URL, redis_connection, start_worker
from sqlalchemy import func, select

from responsibility.instance import install_instance
from responsibility.models import Agreement, BatchJob, Campaign


def test_the_issue_runs_on_the_workers_when_redis_is_configured(demo_app, make_campaign, demo_login) -> None:  # type: ignore[no-untyped-def]
    from rq import Queue

    from responsibility.extensions import db

    connection = redis_connection()
    campaign_id = make_campaign("SCH001", "SCH002")
    queue_name = f"test-web-issue-{uuid.uuid4().hex}"
    demo_app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=queue_name)
    install_instance(demo_app)  # the settings are frozen: rebuild them after the change
    admin = demo_login("admin")
    queue = Queue(queue_name, connection=connection)
    try:
        started = admin.post(f"/campaigns/{campaign_id}/issue", data={"allow_missing": "1"})
        assert started.status_code == 302 and "/campaigns/jobs/" in started.headers["Location"]
        job_id = int(started.headers["Location"].rsplit("/", 1)[1])
        with demo_app.app_context():
            row = db.session.get_one(BatchJob, job_id)
            assert (row.kind, row.backend, row.state) == ("issue", "rq", "queued")
        assert [j.func_name for j in queue.get_jobs()] == ["responsibility.jobs.tasks.plan_issue_task"]
        worker = start_worker(queue_name, burst=True)
        assert worker.wait(600) == 0, worker.stderr.read().decode() if worker.stderr else ""
    finally:
        queue.delete(delete_jobs=True)
    progress = admin.get(started.headers["Location"] + ".json").get_json()
    assert (progress["state"], progress["done"], progress["total"]) == ("finished", 2, 2), progress
    with demo_app.app_context():
        assert db.session.get_one(Campaign, campaign_id).state == "issued"
        # the bureau agreements followed as a batch of their own on the same worker, with a page
        bureau = db.session.scalars(select(BatchJob).where(BatchJob.kind == "bureau_issue")).one()
        assert (bureau.campaign_id, bureau.state, bureau.done) == (campaign_id, "finished", bureau.total)
        issued = db.session.scalar(
            select(func.count(Agreement.id)).where(Agreement.campaign_id == campaign_id, Agreement.kind == "bureau")
        )
        assert issued and issued >= bureau.total > 0
        db.session.remove()
    assert "正在下发局内部责任书" in admin.get(f"/campaigns/jobs/{bureau.id}").get_data(as_text=True)
