"""``/assessment/<campaign>`` (the county), ``/assessment/<campaign>/<school>`` (+ ``/adjust``, ``/veto``)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import assessment
from ...agreements.bureau_facts import bureau_post_assignments
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import Campaign, Person, School
from ..campaign_args import campaign_or_404, day_arg, live_campaign_or_404, visible_schools
from ..clock import local_today
from ..context import settings
from ..messages import error_text
from .blueprint import bp


def _assessor() -> Person | None:
    """The viewer's person when they hold a bureau post today (who may assess), else None."""
    person_id = getattr(current_user, "person_id", None)
    person = db.session.get(Person, person_id) if person_id is not None else None
    if person is None or not bureau_post_assignments(db_session(), [person.id], local_today()):
        return None
    return person


@bp.route("/assessment")
@login_required
def live() -> str:
    """The live campaign's assessment (the latest campaign by term start)."""
    return county(live_campaign_or_404().id)


@bp.route("/assessment/<int:campaign_id>")
@login_required
def county(campaign_id: int) -> str:
    campaign, at, visible = campaign_or_404(campaign_id), day_arg(), visible_schools()
    ids = None if visible is None else sorted(visible)
    try:
        proposal = assessment.propose(db_session(), campaign, at, school_ids=ids, patrols=settings().patrols)
    except DomainError as err:
        abort(422, description=error_text(err))
    return render_template("assessment/county.html", campaign=campaign, at=at, proposal=proposal)


def _school_page(campaign: Campaign, school_id: str, at: dt.date) -> str:
    found = db.session.scalar(select(School).where(School.source_id == school_id))
    visible = visible_schools()
    if found is None or (visible is not None and found.id not in visible):
        abort(404)
    try:
        (result,) = assessment.propose(
            db_session(), campaign, at, school_ids=[found.id], patrols=settings().patrols
        ).schools
    except DomainError as err:
        abort(422, description=error_text(err))
    return render_template(
        "assessment/school.html", campaign=campaign, at=at, result=result, may_assess=_assessor() is not None
    )


@bp.route("/assessment/<int:campaign_id>/<school_id>")
@login_required
def school(campaign_id: int, school_id: str) -> str:
    return _school_page(campaign_or_404(campaign_id), school_id, day_arg())


def _decide(campaign_id: int, school_id: str, action: str) -> BaseResponse | tuple[str, int]:
    campaign = campaign_or_404(campaign_id)
    person = _assessor()
    if person is None:
        abort(403, description=_("Only bureau staff assess."))
    form, today = request.form, local_today()
    try:
        if action == "adjust":
            try:
                points = float(form.get("points", ""))
            except ValueError:
                points = float("nan")
            assessment.adjust_part(
                db_session(), campaign, school_id, form.get("part", ""), points,
                reason=form.get("reason", ""), by=person.source_id, day=today,
            )  # fmt: skip
        else:
            assessment.decide_veto(
                db_session(), campaign, school_id, form.get("veto", ""), form.get("decision", ""),
                reason=form.get("reason", ""), by=person.source_id, day=today,
            )  # fmt: skip
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        return _school_page(campaign, school_id, today), err.http_status
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("assessment.school", campaign_id=campaign_id, school_id=school_id))


@bp.route("/assessment/<int:campaign_id>/<school_id>/adjust", methods=["POST"])
@login_required
def adjust(campaign_id: int, school_id: str) -> BaseResponse | tuple[str, int]:
    return _decide(campaign_id, school_id, "adjust")


@bp.route("/assessment/<int:campaign_id>/<school_id>/veto", methods=["POST"])
@login_required
def veto(campaign_id: int, school_id: str) -> BaseResponse | tuple[str, int]:
    return _decide(campaign_id, school_id, "veto")


__all__ = ["adjust", "county", "live", "school", "veto"]
