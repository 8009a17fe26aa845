"""``/season``: the season board. Bureau viewers only (admins, auditors, bureau leaders and
section staff); anyone else gets 404, like the bureau's round pages. The figures are of the
viewer's visible schools (``visible_school_ids``). Above ``LIVE_REPORT_SCHOOLS`` schools they are
added up from the board stored by ``/season/refresh`` (``board.season``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ... import board
from ...accounts.access import sees_whole_county
from ...accounts.roles import SECTION_STAFF, roles_of
from ...extensions import db_session
from ...jobs.dispatch import queue_board_refresh
from ..campaign_args import day_arg, live_campaign_or_404, visible_schools
from ..clock import local_today, zone
from ..context import settings
from ..paging import MAX_CHART_BARS, Page, page_arg, page_of
from ..stored_reports import reads_stored, refresh_stored
from .blueprint import bp

SCHOOLS_PER_PAGE = 100
"""Schools listed per page of the board's school table (the county and town figures are of all)."""
TOWNS_PER_PAGE = 100
"""Towns listed per page of the by-town table (``?towns=N``)."""
CHART_TOWNS = MAX_CHART_BARS
"""Up to this many towns the board draws a bar per town; above, the town table lists them."""


def _may_view() -> None:
    held = roles_of(db_session(), current_user._get_current_object(), local_today())  # type: ignore[attr-defined]
    if not (sees_whole_county(held) or SECTION_STAFF in held):
        abort(404)


def _day(at: dt.date) -> board.BoardDay:
    return board.BoardDay(at, settings().patrols, local_today(), zone().key)


@bp.route("/season")
@login_required
def index() -> str:
    _may_view()
    session = db_session()
    campaign, at, number = live_campaign_or_404(), day_arg(), page_arg()
    towns_number, stored = page_arg("towns"), reads_stored()
    if stored:
        snapshot = board.latest_board_snapshot(session, campaign.id, at)
        offset = (number - 1) * SCHOOLS_PER_PAGE
        read = board.stored_board(session, snapshot, visible_schools(), offset=offset, limit=SCHOOLS_PER_PAGE)
        figures, town_names, school_count = read.figures, read.towns, read.school_count
        listed: Page[Any] = Page(read.listed, number, SCHOOLS_PER_PAGE, school_count)
    else:
        snapshot = None
        schools = board.board_schools(session, visible_schools())
        figures = board.season_figures(session, schools, campaign, _day(at))
        town_names, school_count = schools.towns, len(schools.rows)
        listed = page_of(list(schools.rows.items()), number, SCHOOLS_PER_PAGE)
    towns = page_of(list(town_names), towns_number, TOWNS_PER_PAGE)
    return render_template(
        "season/board.html", campaign=campaign, at=at, town_names=town_names, school_count=school_count,
        listed=listed, f=figures, patrol_start=board.patrol_start(at), term_end=min(at, campaign.term_end),
        stored=stored, snapshot=snapshot, towns=towns,
        charted=len(town_names) <= CHART_TOWNS,
    )  # fmt: skip


@bp.route("/season/refresh", methods=["POST"])
@login_required
def refresh() -> BaseResponse:
    """Compute the stored board of the live campaign on the day: on an RQ worker when Redis is
    configured, else now, in this request."""
    _may_view()
    campaign, at = live_campaign_or_404(), day_arg()
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    day = _day(at)

    def here() -> str:
        snapshot = board.compute_board_snapshot(db_session(), campaign.id, day, actor=user.username)
        return gettext("Season board computed in %(seconds)s s.", seconds=f"{snapshot.seconds:.1f}")

    def queued(redis_url: str, queue: str, database_url: str) -> bool:
        return queue_board_refresh(
            redis_url, queue, database_url, campaign_id=campaign.id, day=day, actor=user.username
        )

    refresh_stored(here, queued)
    return redirect(url_for("season.index", at=at.isoformat()))


__all__ = ["index", "refresh"]
