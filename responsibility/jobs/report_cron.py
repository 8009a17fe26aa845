"""The schedule of the stored reports' refresh (issue 16): RQ's ``CronScheduler`` with one job,
``tasks.refresh_reports_task`` every ``REPORT_REFRESH_MINUTES`` (``reports``), started by
``flask jobs cron``. Its own module because it names the task (``tasks`` imports ``reports``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..settings_work import PatrolSettings
from . import tasks
from .dispatch import database_tag

__all__ = ["REFRESH_TIMEOUT", "report_scheduler"]

REFRESH_TIMEOUT = 3600
"""Seconds a refresh may run (at 20,000 schools both reports take ≈ 1.5 min)."""


def report_scheduler(
    redis_url: str, queue: str, database_url: str, *, minutes: int, zone: str, patrols: PatrolSettings
) -> Any:
    """An RQ ``CronScheduler`` that queues ``tasks.refresh_reports_task`` on ``queue`` now and
    every ``minutes`` after (the task takes the day in ``zone`` when it runs); ``start()`` runs it.
    The patrol settings travel as a plain dict."""
    from redis import Redis
    from rq.cron import CronScheduler

    database = database_tag(database_url)
    scheduler = CronScheduler(connection=Redis.from_url(redis_url), name=f"responsibility-reports-{database}")
    scheduler.register(
        tasks.refresh_reports_task, queue, args=(database_url, zone, asdict(patrols)), interval=minutes * 60,
        job_timeout=REFRESH_TIMEOUT, result_ttl=86400, failure_ttl=7 * 86400, name=f"refresh-reports-{database}",
    )  # fmt: skip
    return scheduler
