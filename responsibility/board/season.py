"""The season board's figures together (``season_figures``), computed on each view in a county,
and stored per school for a province (``compute_board_snapshot``; read by ``board.stored``,
issue 16).

Why stored: at 20,000 schools the patrol figure alone judges ≈ 850,000 person-grid duties, and
the board took seconds to a minute. Every figure is a sum over schools (``ByTown``), so a
snapshot keeps a row of each school's numbers of every figure for the whole county; the page adds
up those of the schools its reader may see in the database. The round's fail rate per risk area
is the round's own (all its schools), stored as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db_unique import add_unique
from ..models import BOARD_INCIDENTS, BOARD_SHARES, BoardSnapshot, BoardSnapshotSchool, Campaign
from ..settings_work import PatrolSettings
from .figures import (
    BoardSchools,
    ByTown,
    IncidentCounts,
    RoundFigure,
    Share,
    anti_fraud_coverage,
    attendance,
    board_schools,
    fire_checks,
    incidents_in_term,
    latest_round,
    patrol_coverage,
    visit_rate,
)

__all__ = [
    "PATROL_DAYS",
    "SHARE_FIGURES",
    "BoardDay",
    "compute_board_snapshot",
    "latest_board_snapshot",
    "patrol_start",
    "season_figures",
]

PATROL_DAYS = 28
"""The board's patrol range ends on its day and spans the patrol school page's default (28 days)."""


def patrol_start(at: dt.date) -> dt.date:
    """The first day of the board's patrol range ending on ``at``."""
    return at - dt.timedelta(days=PATROL_DAYS - 1)


SHARE_FIGURES = ("patrols", "attendance", "fire", "visits", "fraud")
"""The figures that are shares (done of total); ``round`` is one too, with its round's name."""
BOARD_COLUMNS = (*(f"{name}_{part}" for name in BOARD_SHARES for part in ("done", "total")), *BOARD_INCIDENTS)
"""The numbers a stored board keeps per school (``BoardSnapshotSchool``'s columns)."""


@dataclass(frozen=True)
class BoardDay:
    """What the board's figures of a day depend on besides the campaign and the schools; plain
    values, so that it travels to an RQ worker."""

    at: dt.date
    patrols: PatrolSettings
    today: dt.date
    """The real today: a patrol period still running is judged up to it."""
    zone: str
    """An IANA zone name (incidents are counted by local day)."""

    @property
    def patrol_start(self) -> dt.date:
        return patrol_start(self.at)


def season_figures(session: Session, schools: BoardSchools, campaign: Campaign, day: BoardDay) -> dict[str, Any]:
    """Every figure of the board for ``schools`` on ``day.at``: ``round`` (or None), ``patrols``,
    ``attendance``, ``fire``, ``visits``, ``fraud`` (``ByTown[Share]``), ``incidents``."""
    at = day.at
    return {
        "round": latest_round(session, schools),
        "patrols": patrol_coverage(session, schools, day.patrol_start, at, settings=day.patrols, today=day.today),
        "attendance": attendance(session, schools, campaign.term_start, campaign.term_end, at),
        "fire": fire_checks(session, schools, at),
        "visits": visit_rate(session, schools, campaign, at),
        "fraud": anti_fraud_coverage(session, schools, campaign, at),
        "incidents": incidents_in_term(session, schools, campaign, at, ZoneInfo(day.zone)),
    }


def _school_rows(schools: BoardSchools, figures: Mapping[str, Any]) -> list[dict[str, int]]:
    """One row of numbers per school of ``schools`` (every figure; zero where nothing counts)."""
    zero = dict.fromkeys(BOARD_COLUMNS, 0)
    rows = {school_id: dict(zero, school_id=school_id) for school_id in schools.rows}
    shares: dict[str, ByTown[Share]] = {name: figures[name] for name in SHARE_FIGURES}
    if figures["round"] is not None:
        shares["round"] = figures["round"].submitted
    for name, figure in shares.items():
        for school_id, share in figure.schools.items():
            rows[school_id][f"{name}_done"], rows[school_id][f"{name}_total"] = share.done, share.total
    incidents: ByTown[IncidentCounts] = figures["incidents"]
    for school_id, counts in incidents.schools.items():
        rows[school_id].update(zip(BOARD_INCIDENTS, dataclasses.astuple(counts), strict=True))
    return list(rows.values())


def compute_board_snapshot(session: Session, campaign_id: int, day: BoardDay, *, actor: str) -> BoardSnapshot:
    """Compute the board of every school of campaign ``campaign_id`` on ``day.at`` and store it,
    replacing the campaign's older snapshot of the same day. Flushes; the caller commits (one
    transaction: a reader sees the old board or the whole new one)."""
    started = time.perf_counter()
    campaign = session.get_one(Campaign, campaign_id)
    at = day.at
    schools = board_schools(session, None)
    figures = season_figures(session, schools, campaign, day)
    found: RoundFigure | None = figures["round"]
    kept: dict[str, Any] = {"round": None}
    if found is not None:
        kept["round"] = {"round_id": found.round_id, "name": found.name, "fail_rates": dict(found.fail_rates)}
    older = select(BoardSnapshot.id).where(BoardSnapshot.campaign_id == campaign.id, BoardSnapshot.at == at)
    session.execute(delete(BoardSnapshotSchool).where(BoardSnapshotSchool.snapshot_id.in_(older)))
    session.execute(delete(BoardSnapshot).where(BoardSnapshot.campaign_id == campaign.id, BoardSnapshot.at == at))
    snapshot = BoardSnapshot(
        campaign_id=campaign.id, at=at, computed_at=now_utc(), seconds=0.0, computed_by=actor, figures=kept
    )
    add_unique(session, snapshot)
    rows = _school_rows(schools, figures)
    if rows:
        session.execute(insert(BoardSnapshotSchool), [dict(row, snapshot_id=snapshot.id) for row in rows])
    snapshot.seconds = round(time.perf_counter() - started, 3)
    return snapshot


def latest_board_snapshot(session: Session, campaign_id: int, at: dt.date) -> BoardSnapshot | None:
    return session.scalars(
        select(BoardSnapshot).where(BoardSnapshot.campaign_id == campaign_id, BoardSnapshot.at == at)
    ).first()
