"""``/targets`` (the live campaign), ``/targets/<campaign>`` (the county), ``/targets/<campaign>/<school>``."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import login_required
from sqlalchemy import select

from ... import targets
from ...extensions import db, db_session
from ...models import School, Town
from ..campaign_args import campaign_or_404, day_arg, live_campaign_or_404, visible_schools
from .blueprint import bp

PAGE = 100
"""Schools per page of the county table (keyset on the school's import id)."""


@bp.route("/targets")
@login_required
def live() -> str:
    """The live campaign's county page (the latest by term start)."""
    return county(live_campaign_or_404().id)


@bp.route("/targets/<int:campaign_id>")
@login_required
def county(campaign_id: int) -> str:
    campaign, at, visible = campaign_or_404(campaign_id), day_arg(), visible_schools()
    town = request.args.get("town") or ""
    after = request.args.get("after") or ""
    query = select(School.id, School.source_id).order_by(School.source_id)
    if visible is not None:
        query = query.where(School.id.in_(visible))
    if town:
        query = query.join(Town, Town.id == School.town_id).where(Town.source_id == town)
    summary_ids = [row[0] for row in db.session.execute(query)]
    page_rows = db.session.execute(query.where(School.source_id > after).limit(PAGE + 1)).all()
    cards = targets.scorecards(db_session(), campaign, at, summary_ids)
    shown = {row[0] for row in page_rows[:PAGE]}
    towns = db.session.execute(select(Town.source_id, Town.name).order_by(Town.source_id)).all()
    return render_template(
        "targets/county.html",
        campaign=campaign,
        at=at,
        cards=[c for c in cards if c.school_id in shown],
        specs=cards[0].values if cards else (),
        summary=targets.county_summary(cards),
        totals=targets.status_counts(cards),
        towns=towns,
        town=town,
        next_after=page_rows[PAGE - 1][1] if len(page_rows) > PAGE else None,
    )


@bp.route("/targets/<int:campaign_id>/<school_id>")
@login_required
def school(campaign_id: int, school_id: str) -> str:
    campaign, at, visible = campaign_or_404(campaign_id), day_arg(), visible_schools()
    found = db.session.scalar(select(School).where(School.source_id == school_id))
    if found is None or (visible is not None and found.id not in visible):
        abort(404)
    (card,) = targets.scorecards(db_session(), campaign, at, [found.id])
    return render_template("targets/school.html", campaign=campaign, at=at, card=card, school=found)


__all__ = ["county", "live", "school"]
