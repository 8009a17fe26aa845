"""The scheduled refresh of the stored reports (issue 16): ``flask jobs cron``'s scheduler (RQ's
``CronScheduler``) queues one refresh when it starts and none again before its interval; a real
``rq worker`` runs it and stores today's gap report and the live campaign's season board, made by
``cron``, which ``flask jobs status`` shows. Without Redis the command says to use the system's
scheduler (exit 2)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select

from responsibility import season
from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.jobs.report_cron import report_scheduler
from responsibility.models import BoardSnapshot, BoardSnapshotSchool, GapSnapshot
from responsibility.settings_work import PatrolSettings

TODAY = today(DEFAULT_ZONE)


def test_the_scheduler_queues_a_refresh_that_a_worker_stores(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    from fixtures.rq_workers import REDIS_URL, redis_connection, start_worker
    from rq import Queue

    connection = redis_connection()
    start, end = (TODAY - dt.timedelta(days=30)).isoformat(), (TODAY + dt.timedelta(days=120)).isoformat()
    assert (
        demo_runner.invoke(args=["campaign", "create", "定时刷新批次", "--start", start, "--end", end]).exit_code == 0
    )
    name = f"test-cron-{uuid.uuid4().hex}"
    with demo_app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
    scheduler = report_scheduler(REDIS_URL, name, url, minutes=15, zone="Asia/Shanghai", patrols=PatrolSettings())
    queue = Queue(name, connection=connection)
    try:
        assert len(scheduler.enqueue_jobs()) == 1
        assert scheduler.enqueue_jobs() == []  # not again before 15 minutes have passed
        assert [j.func_name for j in queue.get_jobs()] == ["responsibility.jobs.tasks.refresh_reports_task"]
        worker = start_worker(name, burst=True)
        assert worker.wait(300) == 0, worker.stderr.read().decode() if worker.stderr else ""
    finally:
        queue.delete(delete_jobs=True)
    with demo_app.app_context():
        gaps = db.session.scalars(select(GapSnapshot)).one()
        assert (gaps.at, gaps.season_key, gaps.computed_by) == (TODAY, "live", "cron")
        board = db.session.scalars(select(BoardSnapshot)).one()
        assert (board.at, board.campaign_id, board.computed_by) == (TODAY, season.live_campaign(db.session).id, "cron")
        assert db.session.scalars(select(BoardSnapshotSchool.snapshot_id)).first() == board.id
    status = demo_runner.invoke(args=["jobs", "status"])
    assert status.exit_code == 0, status.output
    assert f"stored gap report: of {TODAY.isoformat()}, computed " in status.output and " by cron" in status.output
    assert f"stored season board: of {TODAY.isoformat()}, computed " in status.output


def test_without_redis_the_cron_command_says_what_to_do(demo_app, demo_runner) -> None:  # type: ignore[no-untyped-def]
    from responsibility.instance import install_instance

    assert "stored gap report: none" in demo_runner.invoke(args=["jobs", "status"]).output
    result = demo_runner.invoke(args=["jobs", "cron"])
    assert result.exit_code == 2
    assert "REDIS_URL is not set" in result.output and "refresh-reports" in result.output
    assert demo_runner.invoke(args=["jobs", "cron", "--every", "0"]).exit_code == 2
    demo_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    install_instance(demo_app)  # the settings are frozen: rebuild them after the change
    unreachable = demo_runner.invoke(args=["jobs", "cron", "--every", "5"])
    assert unreachable.exit_code == 2 and "the job queue cannot be reached" in unreachable.output
