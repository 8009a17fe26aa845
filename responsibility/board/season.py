"""The season board's figures together (``season_figures``), computed on each view in a county,
and stored per school for a province (``compute_board_snapshot`` / ``stored_figures``, issue 16).

Why stored: at 20,000 schools the patrol figure alone judges ≈ 850,000 person-grid duties, and
the board took seconds to a minute. Every figure is a sum over schools (``ByTown``), so a
snapshot keeps each school's numbers of every figure for the whole county; the page adds up
those of the schools its reader may see, exactly as ``roll_up`` adds the live ones. The round's
fail rate per risk area is the round's own (all its schools), stored as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..clock import now_utc
from ..db_unique import add_unique
from ..models import BoardSnapshot, Campaign
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
    roll_up,
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
    "stored_figures",
]

PATROL_DAYS = 28
"""The board's patrol range ends on its day and spans the patrol school page's default (28 days)."""


def patrol_start(at: dt.date) -> dt.date:
    """The first day of the board's patrol range ending on ``at``."""
    return at - dt.timedelta(days=PATROL_DAYS - 1)


SHARE_FIGURES = ("patrols", "attendance", "fire", "visits", "fraud")
"""The figures that are shares (done of total); ``round`` is one too, with its round's name."""


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


def _per_school(figure: ByTown[Any]) -> dict[str, list[int]]:
    return {str(school_id): list(dataclasses.astuple(value)) for school_id, value in figure.schools.items()}


def compute_board_snapshot(session: Session, campaign_id: int, day: BoardDay, *, actor: str) -> BoardSnapshot:
    """Compute the board of every school of campaign ``campaign_id`` on ``day.at`` and store it,
    replacing the campaign's older snapshot of the same day. Flushes; the caller commits (one
    transaction: a reader sees the old board or the whole new one)."""
    started = time.perf_counter()
    campaign = session.get_one(Campaign, campaign_id)
    at = day.at
    figures = season_figures(session, board_schools(session, None), campaign, day)
    stored: dict[str, Any] = {name: _per_school(figures[name]) for name in (*SHARE_FIGURES, "incidents")}
    found: RoundFigure | None = figures["round"]
    stored["round"] = None
    if found is not None:
        stored["round"] = {
            "round_id": found.round_id,
            "name": found.name,
            "schools": _per_school(found.submitted),
            "fail_rates": dict(found.fail_rates),
        }
    session.execute(delete(BoardSnapshot).where(BoardSnapshot.campaign_id == campaign.id, BoardSnapshot.at == at))
    snapshot = BoardSnapshot(
        campaign_id=campaign.id,
        at=at,
        computed_at=now_utc(),
        seconds=round(time.perf_counter() - started, 3),
        computed_by=actor,
        figures=stored,
    )
    add_unique(session, snapshot)
    return snapshot


def latest_board_snapshot(session: Session, campaign_id: int, at: dt.date) -> BoardSnapshot | None:
    return session.scalars(
        select(BoardSnapshot).where(BoardSnapshot.campaign_id == campaign_id, BoardSnapshot.at == at)
    ).first()


def _shares(values: Mapping[str, list[int]]) -> dict[int, Share]:
    return {int(school_id): Share(*numbers) for school_id, numbers in values.items()}


def stored_figures(snapshot: BoardSnapshot, schools: BoardSchools) -> dict[str, Any]:
    """The figures of ``season_figures`` for ``schools``, added up from the snapshot."""
    data = snapshot.figures
    out: dict[str, Any] = {name: roll_up(schools, _shares(data[name]), Share()) for name in SHARE_FIGURES}
    incidents = {int(school_id): IncidentCounts(*numbers) for school_id, numbers in data["incidents"].items()}
    out["incidents"] = roll_up(schools, incidents, IncidentCounts())
    found = data.get("round")
    out["round"] = None
    if found is not None:
        submitted = roll_up(schools, _shares(found["schools"]), Share())
        out["round"] = RoundFigure(found["round_id"], found["name"], submitted, dict(found["fail_rates"]))
    return out
