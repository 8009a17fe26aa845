"""`flask jobs …`: run a batch worker, see what the batches are doing.

``worker`` starts an RQ worker the documented way (``rq worker``) with the app's Redis URL and
queue, so any number of machines sharing one PostgreSQL and one Redis share the batches (README
"Batch work on RQ workers"). ``status`` prints the recent batches with their progress, chunks
and retried chunks (one aggregate query each), when the stored reports were computed last and,
when Redis is configured, the queue's length.
``refresh-reports`` stores the gap report and the season board a province's pages read;
``cron`` queues that refresh every ``REPORT_REFRESH_MINUTES`` on the workers.
"""

from __future__ import annotations

import faulthandler
from typing import TypeVar
from zoneinfo import ZoneInfo

import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..clock import local_display
from ..extensions import db_session
from ..jobs.chunks import chunk_progress
from ..jobs.report_cron import report_scheduler
from ..jobs.reports import refresh_reports
from ..models import BatchJob, BoardSnapshot, GapSnapshot
from .clock import county_today
from .context import settings
from .errors import fail, handle_domain_errors
from .hazard_common import parse_date

group = AppGroup("jobs", help="Batch jobs: run an RQ worker, show progress.")

SIMPLE_WORKER = "rq.worker.SimpleWorker"


@group.command("worker")
@click.option("--queue", "queue_name", default=None, help="Queue to serve (default: the app's RQ_QUEUE).")
@click.option("--burst", is_flag=True, help="Quit when the queue is empty.")
@click.option("--fork", is_flag=True, help="Run each job in a forked work horse (RQ's default Worker).")
@click.option(
    "--maintenance-interval", default=30, show_default=True, help="Seconds between requeues of dead workers' jobs."
)
def worker_command(queue_name: str | None, burst: bool, fork: bool, maintenance_interval: int) -> None:
    """Start an RQ worker (``rq worker``) on the app's Redis (REDIS_URL) and queue."""
    jobs = settings().jobs
    if not jobs.redis_url:
        fail("REDIS_URL is not set: batches run in the web process; no worker is needed")
        return
    from rq.cli import main as rq_main

    # A crash inside the interpreter or an extension (seen once in a 20,000-school run) leaves
    # the Python traceback in the worker's log; RQ requeues the dead worker's chunk.
    faulthandler.enable()
    argv = ["worker", "--url", jobs.redis_url]
    argv += ["--maintenance-interval", str(maintenance_interval)]
    if not fork:
        argv += ["--worker-class", SIMPLE_WORKER]
    if burst:
        argv.append("--burst")
    argv.append(queue_name or jobs.queue)
    rq_main.main(args=argv, prog_name="rq")


@group.command("status")
@click.option("--limit", default=10, show_default=True, help="How many recent batches.")
@handle_domain_errors
def status_command(limit: int) -> None:
    """The most recent batches: state, done/total, failed, chunks finished and retried."""
    session = db_session()
    rows = session.scalars(select(BatchJob).order_by(BatchJob.id.desc()).limit(limit)).all()
    for job in rows:
        chunks, finished, retried = chunk_progress(session, job.id)
        line = f"batch {job.id} {job.kind} campaign {job.campaign_id}: {job.state} {job.done}/{job.total}"
        line += f" ({job.percent}%), failed {job.failed}"
        if chunks:
            line += f"; chunks {finished}/{chunks}, retried {retried}"
        click.echo(line)
    for kind, snapshot in (("gap report", _newest(GapSnapshot)), ("season board", _newest(BoardSnapshot))):
        if snapshot is None:
            click.echo(f"stored {kind}: none")
        else:
            when = local_display(snapshot.computed_at, ZoneInfo(settings().zone))
            click.echo(f"stored {kind}: of {snapshot.at.isoformat()}, computed {when} by {snapshot.computed_by}")
    redis_url = settings().jobs.redis_url
    if redis_url:
        try:
            from redis import Redis
            from rq import Queue

            queue = Queue(settings().jobs.queue, connection=Redis.from_url(redis_url))
            click.echo(f"queue {queue.name}: {queue.count} waiting, {queue.started_job_registry.count} running")
        except Exception as exc:  # Redis down: say so, the database part is still true
            click.echo(f"queue: Redis unreachable ({type(exc).__name__})", err=True)


Stored = TypeVar("Stored", GapSnapshot, BoardSnapshot)


def _newest(model: type[Stored]) -> Stored | None:
    """The stored report computed last (``flask jobs cron`` keeps it fresh: an old one says the
    scheduler or its workers are not running)."""
    query = select(model).order_by(model.computed_at.desc(), model.id.desc()).limit(1)
    return db_session().scalars(query).first()


@group.command("refresh-reports")
@click.option("--at", "at_text", help="The day (YYYY-MM-DD); default today.")
@handle_domain_errors
def refresh_reports_command(at_text: str | None) -> None:
    """Compute and store the gap report (the live campaign covering the day) and the live
    campaign's season board: what their pages read above LIVE_REPORT_SCHOOLS schools (``flask jobs
    cron`` queues this every REPORT_REFRESH_MINUTES); a county without a campaign gets the gap
    report only."""
    at = parse_date(at_text, "--at") or county_today()
    done = refresh_reports(
        db_session(), at, patrols=settings().patrols, today=county_today(), zone=settings().zone, actor="cli"
    )
    click.echo(f"gap report of {at.isoformat()}: {done.gaps.finding_count} findings in {done.gaps.seconds:.1f} s")
    if done.board is None:
        click.echo("season board: no campaign yet")
    else:
        click.echo(f"season board of {done.campaign_name} on {at.isoformat()}: {done.board.seconds:.1f} s")
    db_session().commit()


@group.command("cron")
@click.option("--every", "minutes", type=click.IntRange(min=1), default=None,
              help="Minutes between refreshes (default: the app's REPORT_REFRESH_MINUTES).")  # fmt: skip
def cron_command(minutes: int | None) -> None:
    """Queue the refresh of the stored reports now and every few minutes (RQ's cron scheduler):
    run one per deployment beside the workers, which run the refreshes."""
    jobs = settings().jobs
    if not jobs.redis_url:
        fail("REDIS_URL is not set: run `flask jobs refresh-reports` from the system's scheduler instead")
        return
    every = minutes or jobs.report_refresh_minutes
    scheduler = report_scheduler(
        jobs.redis_url, jobs.queue, jobs.database_url, minutes=every, zone=settings().zone, patrols=settings().patrols
    )
    from redis.exceptions import RedisError

    click.echo(f"refreshing the stored reports every {every} min on queue {jobs.queue}")
    try:
        scheduler.start()
    except RedisError as err:
        fail(f"the job queue cannot be reached: {err}")
