"""The stored reports of a day refreshed together (issue 16): the gap report of the live campaign
covering the day and the live campaign's season board, what a province's pages read above
``LIVE_REPORT_SCHOOLS`` schools. ``flask jobs refresh-reports`` runs it by hand and the job
``flask jobs cron`` queues every ``REPORT_REFRESH_MINUTES`` (``report_cron``) runs it on a
worker (``tasks.refresh_reports_task``), so that the stored reports are never much older than that.

The scheduler is RQ's own (``rq.cron.CronScheduler``): one process per deployment enqueues the
job; any worker of the queue runs it. Two refreshes of one day at the same moment (a second
scheduler, a click on a page's refresh) cannot both store: the second gets ``ConcurrentChange``
and the task reports that it was skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..board.season import BoardDay, compute_board_snapshot
from ..chain.gaps.snapshots import compute_snapshot
from ..models import BoardSnapshot, GapSnapshot
from ..season import live_campaign
from ..season.errors import NoSeason
from ..settings_work import PatrolSettings

__all__ = ["RefreshedReports", "refresh_reports"]


@dataclass(frozen=True)
class RefreshedReports:
    gaps: GapSnapshot
    board: BoardSnapshot | None
    """None without a campaign (no season to show)."""
    campaign_name: str | None


def refresh_reports(
    session: Session, at: dt.date, *, patrols: PatrolSettings, today: dt.date, zone: str, actor: str
) -> RefreshedReports:
    """Compute and store both reports of day ``at``; flushes, the caller commits (one transaction:
    a reader sees the old reports or both new ones)."""
    gaps = compute_snapshot(session, at=at, campaign_id=None, live_campaign=True, actor=actor)
    try:
        campaign = live_campaign(session)
    except NoSeason:
        return RefreshedReports(gaps, None, None)
    board = compute_board_snapshot(session, campaign.id, BoardDay(at, patrols, today, zone), actor=actor)
    return RefreshedReports(gaps, board, campaign.name)
