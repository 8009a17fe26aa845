"""``/targets`` (the live campaign), ``/targets/<campaign>`` (the county), ``/targets/<campaign>/<school>``."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ... import targets
from ...accounts.access import visible_school_ids
from ...extensions import db, db_session
from ...models import Campaign, School, Town
from ..clock import local_today
from .blueprint import bp

PAGE = 100
"""Schools per page of the county table (keyset on the school's import id)."""


def _visible() -> set[int] | None:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    return None if visible is None else set(visible)


def _at() -> dt.date:
    text = request.args.get("at") or ""
    if not text:
        return local_today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(400, description=_("The date must be YYYY-MM-DD."))


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/targets")
@login_required
def live() -> str:
    """The live campaign's county page (the latest by term start)."""
    campaign = db.session.scalars(select(Campaign).order_by(Campaign.term_start.desc(), Campaign.id.desc())).first()
    if campaign is None:
        abort(404, description=_("No campaign yet: there are no targets to follow."))
    return county(campaign.id)


@bp.route("/targets/<int:campaign_id>")
@login_required
def county(campaign_id: int) -> str:
    campaign, at, visible = _campaign(campaign_id), _at(), _visible()
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
    campaign, at, visible = _campaign(campaign_id), _at(), _visible()
    found = db.session.scalar(select(School).where(School.source_id == school_id))
    if found is None or (visible is not None and found.id not in visible):
        abort(404)
    (card,) = targets.scorecards(db_session(), campaign, at, [found.id])
    return render_template("targets/school.html", campaign=campaign, at=at, card=card, school=found)


__all__ = ["county", "live", "school"]
