"""``/rounds`` (the list, and the open form for bureau leaders and admins), ``/rounds/<id>`` (a
round's completion per school, town and risk area). A school's people see on ``/rounds`` only
the checklists they may open."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response as BaseResponse

from ... import inspections
from ...errors import BadInput, DomainError
from ...extensions import db, db_session
from ...models import InspectionChecklist, InspectionRound, PostAssignment, RiskArea, Town
from ..clock import local_today
from .blueprint import bp
from .common import OPENERS, actor, is_bureau_staff, labels, person_or_none, refused, require_bureau, roles

PAGE_SIZE = 50
HEADS = ("S01", "S02", "S03")


def _open_form_context(held: frozenset[str]) -> dict[str, Any]:
    catalogue = inspections.load_catalogue()
    names = dict(db.session.execute(select(RiskArea.code, RiskArea.name)).all())
    areas = [(code, names.get(code) or catalogue.area_names.get(code, code)) for code in catalogue.areas]
    towns = db.session.scalars(select(Town).order_by(Town.source_id)).all()
    return {"may_open": bool(held & OPENERS), "areas": areas, "towns": towns, "form": request.form}


def _bureau_list(held: frozenset[str]) -> dict[str, Any]:
    counts = dict(
        db.session.execute(
            select(InspectionChecklist.round_id, func.count(InspectionChecklist.id)).group_by(
                InspectionChecklist.round_id
            )
        ).all()
    )
    submitted = dict(
        db.session.execute(
            select(InspectionChecklist.round_id, func.count(InspectionChecklist.id))
            .where(InspectionChecklist.status == "submitted")
            .group_by(InspectionChecklist.round_id)
        ).all()
    )
    rounds = db.session.scalars(select(InspectionRound).order_by(InspectionRound.id.desc())).all()
    rows = [{"round": r, "schools": counts.get(r.id, 0), "submitted": submitted.get(r.id, 0)} for r in rounds]
    return {"bureau": True, "rows": rows, **_open_form_context(held)}


def _school_list() -> dict[str, Any]:
    person = person_or_none()
    if person is None:
        return {"bureau": False, "checklists": []}
    today = local_today()
    led = select(PostAssignment.org_id).where(
        PostAssignment.person_id == person.id, PostAssignment.post_code.in_(HEADS), PostAssignment.held_on(today)
    )
    checklists = db.session.scalars(
        select(InspectionChecklist)
        .where(or_(InspectionChecklist.school_id.in_(led), InspectionChecklist.inspector_person_id == person.id))
        .order_by(InspectionChecklist.round_id.desc(), InspectionChecklist.id)
    ).all()
    return {"bureau": False, "checklists": checklists}


@bp.route("/rounds")
@login_required
def index() -> str:
    held = roles()
    context = _bureau_list(held) if is_bureau_staff(held) else _school_list()
    return render_template("rounds/list.html", **context, **labels())


def _date(name: str) -> dt.date:
    raw = request.form.get(name, "").strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(_("Give the start and the end as dates (YYYY-MM-DD).")) from None


@bp.route("/rounds", methods=["POST"])
@login_required
def open_round() -> BaseResponse | tuple[str, int]:
    held = require_bureau()
    if not held & OPENERS:
        abort(403, description=_("Only bureau leaders and administrators open inspection rounds."))
    form = request.form
    try:
        town = form.get("town", "").strip() if form.get("scope") == "town" else None
        if form.get("scope") == "town" and not town:
            raise BadInput(_("Choose the town of the round."))
        the_round = inspections.open_round(
            db_session(), name=form.get("name", ""), start=_date("start"), end=_date("end"),
            areas=form.getlist("area") or None, town=town, actor=actor(),
        )  # fmt: skip
    except DomainError as err:
        db.session.rollback()
        return refused(err, "rounds/list.html", **_bureau_list(held))
    round_id = the_round.id
    db.session.commit()
    flash(_("Inspection round %(id)s opened.", id=round_id), "success")
    return redirect(url_for("rounds.status", round_id=round_id))


@bp.route("/rounds/<int:round_id>")
@login_required
def status(round_id: int) -> str:
    require_bureau()
    try:
        view = inspections.round_completion(db_session(), round_id)
    except DomainError:
        abort(404)
    the_round = db.session.get(InspectionRound, round_id)
    town = request.args.get("town", "").strip()
    schools = [s for s in view.schools if not town or (s.town_id or "") == town]
    pages = max(1, -(-len(schools) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    towns = dict(db.session.execute(select(Town.source_id, Town.name)).all())
    areas = dict(db.session.execute(select(RiskArea.code, RiskArea.name)).all())
    return render_template(
        "rounds/status.html", view=view, the_round=the_round, town=town, town_names=towns, area_names=areas,
        schools=schools[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page=page, pages=pages,
        submitted=sum(1 for s in view.schools if s.status == "submitted"), **labels(),
    )  # fmt: skip


__all__ = ["index", "open_round", "status"]
