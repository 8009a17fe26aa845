"""``POST /patrols/log``, ``/patrols/grids/<grid>``, ``/patrols/schools/<school>`` (``?start=&end=``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import patrols
from ...accounts.access import visible_school_ids
from ...clock import now_utc
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import Grid, Person, School
from ..clock import local_today, zone
from ..context import settings
from ..messages import error_text
from .blueprint import bp

DEFAULT_DAYS = 28


def _allowed(school_id: int) -> None:
    """403 unless the viewer may see the school (their own, liaised, or the whole county)."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    if visible is not None and school_id not in visible:
        abort(403)


def _range() -> tuple[dt.date, dt.date]:
    today = local_today()
    try:
        end = dt.date.fromisoformat(request.args["end"]) if request.args.get("end") else today
        start = dt.date.fromisoformat(request.args["start"]) if request.args.get("start") else None
    except ValueError:
        abort(400, description=_("Dates are written YYYY-MM-DD."))
    return (start or end - dt.timedelta(days=DEFAULT_DAYS - 1)), end


def _grid_or_404(source_id: str) -> Grid:
    grid = db.session.scalar(select(Grid).where(Grid.source_id == source_id))
    if grid is None:
        abort(404)
    _allowed(grid.school_id)
    return grid


def _history(grid: Grid, start: dt.date, end: dt.date) -> dict[str, Any]:
    try:
        gaps = patrols.patrol_gaps(
            db_session(), grid.source_id, start, end, settings=settings().patrols, today=local_today()
        )
    except DomainError as err:
        abort(err.http_status, description=error_text(err))
    days = []
    day = end
    by_day: dict[dt.date, list[Any]] = {}
    for p in gaps.patrols:
        by_day.setdefault(p.day, []).append(p)
    gap_days = gaps.gap_days()
    while day >= start:
        days.append({"day": day, "patrols": by_day.get(day, []), "gap": day in gap_days})
        day -= dt.timedelta(days=1)
    return {"grid": grid, "school": grid.school, "gaps": gaps, "days": days, "start": start, "end": end}


@bp.route("/patrols/grids/<grid_id>")
@login_required
def history(grid_id: str) -> str:
    start, end = _range()
    return render_template("patrols/history.html", **_history(_grid_or_404(grid_id), start, end))


@bp.route("/patrols/log", methods=["POST"])
@login_required
def log() -> BaseResponse | tuple[str, int]:
    grid = _grid_or_404(request.form.get("grid", "").strip())
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        abort(403, description=_("Only accounts linked to a person can log patrols."))
    try:
        patrols.log_patrol(
            db_session(), grid.source_id, person.source_id, at=now_utc(), now=now_utc(), tz=zone(),
            note=request.form.get("note"), settings=settings().patrols, actor=f"person:{person.source_id}",
        )  # fmt: skip
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        today = local_today()
        context = _history(grid, today - dt.timedelta(days=DEFAULT_DAYS - 1), today)
        return render_template("patrols/history.html", **context), err.http_status
    db.session.commit()
    flash(_("Patrol of %(grid)s logged: normal.", grid=grid.name), "success")
    return redirect(url_for("patrols.history", grid_id=grid.source_id))


@bp.route("/patrols/schools/<school_id>")
@login_required
def school(school_id: str) -> str:
    found = db.session.scalar(select(School).where(School.source_id == school_id))
    if found is None:
        abort(404)
    _allowed(found.id)
    start, end = _range()
    try:
        summary = patrols.school_patrols(
            db_session(), found.source_id, start, end, settings=settings().patrols, today=local_today()
        )
    except DomainError as err:
        abort(err.http_status, description=error_text(err))
    return render_template("patrols/school.html", school=found, summary=summary, start=start, end=end)


__all__ = ["history", "log", "school"]
