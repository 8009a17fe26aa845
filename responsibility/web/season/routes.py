"""``/season``: the season board. Bureau viewers only (admins, auditors, bureau leaders and
section staff); anyone else gets 404, like the bureau's round pages. The figures are of the
viewer's visible schools (``visible_school_ids``)."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template
from flask_login import current_user, login_required

from ... import board
from ...accounts.access import sees_whole_county
from ...accounts.roles import SECTION_STAFF, roles_of
from ...extensions import db_session
from ..campaign_args import day_arg, live_campaign_or_404, visible_schools
from ..clock import local_today, zone
from ..context import settings
from ..paging import page_arg, page_of
from .blueprint import bp

SCHOOLS_PER_PAGE = 100
"""Schools listed per page of the board's school table (the county and town figures are of all)."""
PATROL_DAYS = 28
"""The patrol range ends on the day and spans the patrol school page's default (28 days)."""


@bp.route("/season")
@login_required
def index() -> str:
    session = db_session()
    held = roles_of(session, current_user._get_current_object(), local_today())  # type: ignore[attr-defined]
    if not (sees_whole_county(held) or SECTION_STAFF in held):
        abort(404)
    campaign, at, number = live_campaign_or_404(), day_arg(), page_arg()
    schools = board.board_schools(session, visible_schools())
    patrol_start = at - dt.timedelta(days=PATROL_DAYS - 1)
    term_end = min(at, campaign.term_end)
    figures = {
        "round": board.latest_round(session, schools),
        "patrols": board.patrol_coverage(
            session, schools, patrol_start, at, settings=settings().patrols, today=local_today()
        ),
        "attendance": board.attendance(session, schools, campaign.term_start, campaign.term_end, at),
        "fire": board.fire_checks(session, schools, at),
        "visits": board.visit_rate(session, schools, campaign, at),
        "fraud": board.anti_fraud_coverage(session, schools, campaign, at),
        "incidents": board.incidents_in_term(session, schools, campaign, at, zone()),
    }
    listed = page_of(list(schools.rows.items()), number, SCHOOLS_PER_PAGE)
    return render_template(
        "season/board.html", campaign=campaign, at=at, schools=schools, listed=listed, f=figures,
        patrol_start=patrol_start, term_end=term_end,
    )  # fmt: skip


__all__ = ["index"]
