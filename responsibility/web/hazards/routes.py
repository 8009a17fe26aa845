"""``/hazards/report?grid=…``, ``/hazards/<file_no>`` (+ ``/step``, ``/dossier.pdf``), ``/hazards``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import hazards, patrols
from ...accounts.access import visible_school_ids
from ...clock import now_utc
from ...errors import BadInput, DomainError
from ...evidence.sealing import report_sealer
from ...extensions import db, db_session
from ...hazards.board import board
from ...hazards.dossier import dossier_pdf, seal_dossier
from ...hazards.ledger import LedgerFilter, ledger_page
from ...hazards.supervision import supervise_hazard
from ...models import Grid, Person, RiskArea, School
from ..bilingual import in_reader_language
from ..clock import local_today, zone
from ..context import instance, settings
from ..paging import Page, page_arg
from .blueprint import bp

MAX_PHOTOS = 9
HAZARDS_PER_PAGE = 100
"""Hazards listed per page of the ledger (its count is of every matching one; `flask hazard ledger --xlsx` exports them all)."""
LEDGER_ARGS = frozenset(field.name for field in dataclasses.fields(LedgerFilter))
"""The ledger's filters (the query arguments are named as ``LedgerFilter``'s fields), kept by its
pager's links."""


def _person() -> Person:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        abort(403, description=_("Only accounts linked to a person can report or handle hazards."))
    return person


def _visible(school_id: int) -> None:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    if visible is not None and school_id not in visible:
        abort(404)


def _photos() -> list[tuple[str, bytes]]:
    files = [f for f in request.files.getlist("photo") if f and f.filename]
    return [(f.filename or "photo", f.read()) for f in files[: MAX_PHOTOS + 1]]


def _refused(err: DomainError, template: str, **context: Any) -> tuple[str, int]:
    db.session.rollback()
    flash(in_reader_language(str(err)), "error")
    return render_template(template, **context), err.http_status


@bp.route("/hazards/report", methods=["GET", "POST"])
@login_required
def report() -> BaseResponse | str | tuple[str, int]:
    person = _person()
    grid = db.session.scalar(select(Grid).where(Grid.source_id == request.values.get("grid", "").strip()))
    if grid is None:
        abort(404)
    _visible(grid.school_id)
    school = db.session.get(School, grid.school_id)
    areas = db.session.scalars(select(RiskArea).order_by(RiskArea.code)).all()
    duplicates = hazards.open_duplicates(db_session(), grid.id, request.values.get("area", ""))
    context: dict[str, Any] = {
        "grid": grid,
        "school": school,
        "areas": areas,
        "duplicates": duplicates,
        "form": request.form,
    }
    context["patrol_role"] = patrols.role_on(db_session(), grid, person, local_today())
    context["patrolled"] = patrols.patrol_on(db_session(), grid, person, local_today())
    if request.method == "GET":
        return render_template("hazards/report.html", **context)
    if duplicates and not request.form.get("confirm_new"):
        flash(_("Open hazards on this grid and area are listed below: confirm to report a new one."), "warning")
        return render_template("hazards/report.html", **context), 409
    try:
        hazard = hazards.report_hazard(
            db_session(),
            school=school.source_id if school else "",
            grid=grid.source_id,
            area=request.form.get("area", ""),
            description=request.form.get("description", ""),
            by=person.source_id,
            on=local_today(),
            photos=_photos(),
            limits=settings().hazards,
            store=hazards.photo_store(settings().storage),
        )
        patrols.record_hazard_patrol(db_session(), hazard, at=now_utc(), tz=zone(), settings=settings().patrols)
    except DomainError as err:
        return _refused(err, "hazards/report.html", **context)
    db.session.commit()
    flash(_("Hazard %(no)s reported.", no=hazard.file_no), "success")
    return redirect(url_for("hazards.detail", file_no=hazard.file_no))


def _hazard_or_404(file_no: str) -> hazards.Hazard:
    try:
        hazard = hazards.find_hazard(db_session(), file_no)
    except DomainError:
        abort(404)
    _visible(hazard.school_id)
    return hazard


def _detail_context(hazard: hazards.Hazard) -> dict[str, Any]:
    view = hazards.hazard_view(db_session(), hazard)
    staff = db.session.scalars(select(Person).where(Person.org_id == hazard.school_id).order_by(Person.source_id))
    return {"hazard": hazard, "view": view, "me": _person(), "staff": staff.all(), "today": local_today()}


@bp.route("/hazards/<file_no>")
@login_required
def detail(file_no: str) -> str:
    return render_template("hazards/detail.html", **_detail_context(_hazard_or_404(file_no)))


def _day(name: str) -> dt.date | None:
    raw = request.form.get(name, "").strip()
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _step(hazard: hazards.Hazard, step: str, by: str, version: int | None) -> hazards.Hazard:
    session, today, form = db_session(), local_today(), request.form
    key = hazard.file_no or hazard.source_id
    common: dict[str, Any] = {"by": by, "on": today, "expected_version": version}
    if step == "plan":
        funds = form.get("funds", "").strip()
        if funds and not funds.isdigit():
            raise BadInput(_("The funds must be a whole number of yuan."))
        return hazards.plan_hazard(
            session, key, level=form.get("level", ""), measures=form.get("measures", ""),
            rectifier=form.get("rectifier", ""), deadline=_day("deadline"), temporary=form.get("temporary"),
            funds=int(funds) if funds.isdigit() else None, **common,
        )  # fmt: skip
    if step in ("progress", "done"):
        return hazards.record_progress(
            session, key, note=form.get("note", ""), done=step == "done" or bool(form.get("done")), photos=_photos(),
            limits=settings().hazards, store=hazards.photo_store(settings().storage), **common,
        )  # fmt: skip
    if step == "reject":
        return hazards.reject_hazard(session, key, note=form.get("note", ""), **common)
    if step == "void":
        return hazards.void_hazard(session, key, reason=form.get("note", ""), **common)
    if step == "supervise":
        sealer = report_sealer(session, instance())
        return supervise_hazard(
            session, key, sealer=sealer, store=instance().store,
            supervision_days=settings().hazards.supervision_days, **common,
        )  # fmt: skip
    if step == "accept":
        accepted = hazards.accept_hazard(session, key, **common)
        if hazards.state_of(accepted.status) == "closed":
            seal_dossier(
                session, accepted, sealer=report_sealer(session, instance()), store=instance().store,
                photos=hazards.photo_store(settings().storage), actor=f"person:{by}",
            )  # fmt: skip
        return accepted
    abort(400, description=_("Unknown step."))


@bp.route("/hazards/<file_no>/step", methods=["POST"])
@login_required
def step(file_no: str) -> BaseResponse | tuple[str, int]:
    hazard = _hazard_or_404(file_no)
    person = _person()
    raw = request.form.get("version", "").strip()
    version = int(raw) if raw.isdigit() else None
    try:
        _step(hazard, request.form.get("step", ""), person.source_id, version)
    except DomainError as err:
        db.session.rollback()
        return _refused(err, "hazards/detail.html", **_detail_context(_hazard_or_404(file_no)))
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("hazards.detail", file_no=file_no))


@bp.route("/hazards/<file_no>/dossier.pdf")
@login_required
def dossier(file_no: str) -> Response:
    hazard = _hazard_or_404(file_no)
    data = dossier_pdf(
        db_session(),
        hazard,
        sealer=report_sealer(db_session(), instance()),
        store=instance().store,
        photos=hazards.photo_store(settings().storage),
    )
    db.session.rollback()
    name = f"{hazard.file_no or hazard.source_id}.pdf"
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/hazards")
@login_required
def ledger() -> str:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    args = request.args
    number = page_arg()
    filters = LedgerFilter(
        school=args.get("school") or None,
        state=args.get("state") or None,
        level=args.get("level") or None,
        area=args.get("area") or None,
        town=args.get("town") or None,
        overdue=bool(args.get("overdue")),
    )
    try:
        rows, total = ledger_page(
            db_session(),
            filters,
            at=local_today(),
            offset=(number - 1) * HAZARDS_PER_PAGE,
            limit=HAZARDS_PER_PAGE,
            school_ids=None if visible is None else frozenset(visible),
        )
    except DomainError as err:
        abort(400, description=in_reader_language(str(err)))
    query = {key: value for key, value in args.items() if key in LEDGER_ARGS and value}
    return render_template(
        "hazards/ledger.html", rows=Page(rows, number, HAZARDS_PER_PAGE, total), query=query, filters=filters,
        states=hazards.STATES,
    )  # fmt: skip


@bp.route("/hazards/board")
@login_required
def board_page() -> str:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    result = board(db_session(), at=local_today(), school_ids=set(visible) if visible is not None else None)
    return render_template("hazards/board.html", board=result)


__all__ = ["board_page", "detail", "dossier", "ledger", "report", "step"]
