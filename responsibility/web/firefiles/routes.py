"""``/schools/<id>/fire-files``, ``/fire-files/<building>`` (+ ``/edit``, ``/checks``,
``/plan/<version>.pdf``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import season
from ...accounts.access import can_view_school
from ...errors import BadInput, DomainError
from ...extensions import db, db_session
from ...hazards.roles import is_school_staff
from ...models import Building, FireFileVersion, Person, School, in_service
from ..bilingual import in_reader_language
from ..clock import local_today
from ..context import settings
from ..messages import error_text
from .blueprint import bp

_INTS = ("floors", "stairs", "child_rooms_top_floor", "extinguishers", "hydrants")
_BOOLS = ("dense_occupancy", "emergency_lighting_ok", "evac_signs_ok")


def _me() -> Person | None:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return db.session.get(Person, user.person_id) if user.person_id is not None else None


def _visible_or_403(school_id: int) -> None:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if not can_view_school(db_session(), user, school_id, local_today()):
        abort(403)


def _building_or_404(source_id: str) -> Building:
    try:
        building = season.find_building(db_session(), source_id)
    except DomainError:
        abort(404)
    _visible_or_403(building.school_id)
    return building


def _rights(building: Building) -> tuple[Person | None, bool, bool]:
    """(me, may edit the file, may record a check) on today."""
    me, today = _me(), local_today()
    if me is None:
        return None, False, False
    edit = season.may_edit(db_session(), me, building, today)
    return me, edit, is_school_staff(db_session(), me, building.school, today)


@bp.route("/schools/<source_id>/fire-files")
@login_required
def buildings(source_id: str) -> str:
    school = db.session.scalar(select(School).where(School.source_id == source_id))
    if school is None:
        abort(404)
    _visible_or_403(school.id)
    rows = season.school_buildings(db_session(), school, local_today())
    return render_template("firefiles/buildings.html", school=school, rows=rows, today=local_today())


def _context(building: Building, form: Any = None) -> dict[str, Any]:
    me, may_edit, may_check = _rights(building)
    staff = db.session.scalars(
        select(Person)
        .where(Person.org_id == building.school_id, in_service(Person, local_today()))
        .order_by(Person.source_id)
    ).all()
    plan = building.fire_plan
    return {
        "building": building,
        "plan": plan,
        "fields": season.current_fields(building),
        "version": plan.version if plan else 0,
        "history": season.history_of(db_session(), building),
        "checks": season.checks_of(db_session(), building),
        "me": me,
        "may_edit": may_edit,
        "may_check": may_check,
        "staff": staff,
        "today": local_today(),
        "form": form or {},
        "max_mb": settings().season.fire_plan_max_bytes // (1024 * 1024),
    }


@bp.route("/fire-files/<source_id>")
@login_required
def building(source_id: str) -> str:
    return render_template("firefiles/building.html", **_context(_building_or_404(source_id)))


def _refused(err: DomainError, building_id: str) -> tuple[str, int]:
    db.session.rollback()
    flash(in_reader_language(error_text(err)), "error")
    return render_template("firefiles/building.html", **_context(_building_or_404(building_id), request.form)), (
        err.http_status
    )


def _int(name: str) -> int | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadInput(_("Enter whole numbers for floors, stairs and equipment counts.")) from None


def _bool(name: str) -> bool | None:
    return {"yes": True, "no": False}.get(request.form.get(name, ""))


def _form_fields() -> season.FireFileFields:
    values: dict[str, Any] = {name: _int(name) for name in _INTS}
    values.update({name: _bool(name) for name in _BOOLS})
    return dataclasses.replace(season.FireFileFields(), **values)


@bp.route("/fire-files/<source_id>/edit", methods=["POST"])
@login_required
def edit(source_id: str) -> BaseResponse | tuple[str, int]:
    found = _building_or_404(source_id)
    me, may_edit, _check = _rights(found)
    if me is None or not may_edit:
        abort(403, description=_("You hold no post at this school that may keep its fire files."))
    raw = request.form.get("version", "").strip()
    upload = request.files.get("plan")
    try:
        plan = None
        if upload is not None and upload.filename:
            plan = season.check_plan_pdf(
                upload.read(), name=upload.filename, max_bytes=settings().season.fire_plan_max_bytes
            )
        row = season.edit_fire_file(
            db_session(), source_id, by=me.source_id, fields=_form_fields(), today=local_today(),
            actor=f"person:{me.source_id}", expected_version=int(raw) if raw.isdigit() else None,
            plan=plan, store=season.plan_store(settings().storage.instance_dir),
        )  # fmt: skip
    except DomainError as err:
        return _refused(err, source_id)
    db.session.commit()
    flash(_("Fire file saved as version %(version)s.", version=row.version), "success")
    return redirect(url_for("firefiles.building", source_id=source_id))


def _day(name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        raise BadInput(_("Enter the date of the check.")) from None


@bp.route("/fire-files/<source_id>/checks", methods=["POST"])
@login_required
def check(source_id: str) -> BaseResponse | tuple[str, int]:
    found = _building_or_404(source_id)
    me, _edit, may_check = _rights(found)
    if me is None or not may_check:
        abort(403, description=_("Only the school's staff record its fire checks."))
    try:
        recorded = season.record_fire_check(
            db_session(), source_id, by=request.form.get("checker", "").strip() or me.source_id,
            day=_day("date"), today=local_today(), finding=request.form.get("finding"),
            actor=f"person:{me.source_id}",
        )  # fmt: skip
    except DomainError as err:
        return _refused(err, source_id)
    db.session.commit()
    flash(_("Fire check of %(day)s recorded.", day=recorded.date.isoformat()), "success")
    return redirect(url_for("firefiles.building", source_id=source_id))


@bp.route("/fire-files/<source_id>/plan/<int:version>.pdf")
@login_required
def plan(source_id: str, version: int) -> Response:
    found = _building_or_404(source_id)
    row = db.session.scalar(
        select(FireFileVersion).where(FireFileVersion.building_id == found.id, FireFileVersion.version == version)
    )
    if row is None or row.plan_sha256 is None:
        abort(404)
    try:
        data = season.plan_store(settings().storage.instance_dir).read(row.plan_sha256)
    except DomainError:
        abort(404)
    name = f"{found.source_id}-v{version}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


__all__ = ["building", "buildings", "check", "edit", "plan"]
