"""``/incidents`` (the list), ``/incidents/report``, ``/incidents/record`` (bureau), ``/incidents/<number>``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import incidents
from ...accounts.access import own_school_ids, visible_school_ids
from ...agreements.bureau_facts import bureau_post_assignments
from ...errors import BadInput, DomainError
from ...extensions import db, db_session
from ...messages import N_
from ...models import INCIDENT_STATUSES, Building, Grid, Person, School, Town
from ..clock import local_today, zone
from ..context import settings
from ..messages import error_text
from .blueprint import bp


def _person() -> Person | None:
    person_id = getattr(current_user, "person_id", None)
    return db.session.get(Person, person_id) if person_id is not None else None


def _bureau_person() -> Person | None:
    """The viewer's person when they hold a bureau post today (who records 漏报/瞒报)."""
    person = _person()
    if person is None or not bureau_post_assignments(db_session(), [person.id], local_today()):
        return None
    return person


def _names() -> dict[str, Any]:
    """Kind and severity names in the reader's language, the catalogue for the forms."""
    catalogue, english = incidents.load_catalogue(), str(get_locale() or "zh_CN").startswith("en")
    kinds = {k.code: (k.name_en if english else k.name) for k in catalogue.kinds}
    severities = {s.code: (s.name_en if english else s.name) for s in catalogue.severities}
    return {"catalogue": catalogue, "kind_names": kinds, "severity_names": severities}


def _moment(name: str, label: str) -> dt.datetime:
    raw = request.form.get(name, "").strip()
    try:
        return dt.datetime.fromisoformat(raw).replace(tzinfo=zone()).astimezone(dt.UTC)
    except ValueError:
        raise BadInput(
            N_("%(option)s: not a date and time like 2025-01-15 08:30: %(value)s"), option=label, value=repr(raw)
        ) from None


def _count(name: str) -> int:
    raw = request.form.get(name, "").strip() or "0"
    if not raw.lstrip("-").isdigit():
        raise BadInput(N_("Deaths and injuries are whole numbers of at least 0."))
    return int(raw)


def _facts(school: str) -> incidents.IncidentFacts:
    form = request.form
    return incidents.IncidentFacts(
        school=school, kind=form.get("kind", ""), occurred_at=_moment("occurred_at", _("When it happened")),
        place=form.get("place", ""), severity=form.get("severity", ""), description=form.get("description", ""),
        deaths=_count("deaths"), injuries=_count("injuries"),
    )  # fmt: skip


def _places(school: School) -> dict[str, Any]:
    grids = db.session.scalars(select(Grid).where(Grid.school_id == school.id).order_by(Grid.source_id)).all()
    buildings = db.session.scalars(
        select(Building).where(Building.school_id == school.id).order_by(Building.source_id)
    ).all()
    return {"grids": grids, "buildings": buildings}


@bp.route("/incidents/report", methods=["GET", "POST"])
@login_required
def report() -> BaseResponse | str | tuple[str, int]:
    person = _person()
    own = own_school_ids(db_session(), person.id, local_today()) if person else frozenset()
    if person is None or not own:
        abort(403, description=_("Only a school's staff report its incidents."))
    wanted = request.values.get("school", "").strip()
    query = select(School).where(School.id.in_(sorted(own))).order_by(School.source_id)
    school = db.session.scalar(query.where(School.source_id == wanted) if wanted else query.limit(1))
    if school is None:
        abort(403, description=_("Only a school's staff report its incidents."))
    context = {"school": school, "form": request.form, **_places(school), **_names()}
    if request.method == "GET":
        return render_template("incidents/report.html", **context)
    try:
        row = incidents.report_incident(
            db_session(), _facts(school.source_id), limits=settings().incidents, reporter=person.source_id
        )
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        return render_template("incidents/report.html", **context), err.http_status
    db.session.commit()
    flash(_("Incident %(number)s reported.", number=row.number), "success")
    return redirect(url_for("incidents.detail", incident_number=row.number))


@bp.route("/incidents/record", methods=["GET", "POST"])
@login_required
def record() -> BaseResponse | str | tuple[str, int]:
    person = _bureau_person()
    if person is None:
        abort(403, description=_("Only bureau staff record incidents a school did not report."))
    schools = db.session.scalars(select(School).order_by(School.source_id)).all()
    context = {"schools": schools, "form": request.form, **_names()}
    if request.method == "GET":
        return render_template("incidents/record.html", **context)
    try:
        row = incidents.record_unreported(
            db_session(), _facts(request.form.get("school", "")), by=person.source_id,
            concealed=bool(request.form.get("concealed")), limits=settings().incidents,
        )  # fmt: skip
    except DomainError as err:
        db.session.rollback()
        flash(error_text(err), "error")
        return render_template("incidents/record.html", **context), err.http_status
    db.session.commit()
    flash(_("Incident %(number)s recorded.", number=row.number), "success")
    return redirect(url_for("incidents.detail", incident_number=row.number))


@bp.route("/incidents")
@login_required
def index() -> str:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    args = request.args
    filters = incidents.IncidentFilter(
        town=args.get("town") or None, kind=args.get("kind") or None, status=args.get("status") or None
    )
    rows = incidents.list_incidents(db_session(), filters, visible)
    person = _person()
    may_report = bool(person and own_school_ids(db_session(), person.id, local_today()))
    towns = db.session.scalars(select(Town.name).order_by(Town.source_id)).all()
    return render_template(
        "incidents/list.html", rows=rows, filters=filters, towns=towns, statuses=INCIDENT_STATUSES,
        may_report=may_report, may_record=_bureau_person() is not None, county=visible is None or len(visible) > 1,
        **_names(),
    )  # fmt: skip


@bp.route("/incidents/<incident_number>")
@login_required
def detail(incident_number: str) -> str:
    try:
        row = incidents.find_incident(db_session(), incident_number)
    except DomainError:
        abort(404)
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    if visible is not None and row.school_id not in visible:
        abort(404)
    return render_template("incidents/detail.html", row=row, **_names())


__all__ = ["detail", "index", "record", "report"]
