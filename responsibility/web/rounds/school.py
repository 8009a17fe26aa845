"""``/rounds/<id>/<school>``: the school's checklist, grouped by risk area, with the answer
forms (``…/answer``), the deputy's choice of inspector (``…/assign``) and the submission
(``…/submit``). Every form carries the checklist's version: a stale one is a 409 with the
service's message. Who sees the page: the school's heads (S01, S02) and safety deputy (S03),
the assigned inspector, and the bureau (county-wide viewers, the school's liaison section);
anyone else gets 404."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import hazards, inspections
from ...accounts.access import visible_school_ids
from ...agreements.certification import certification_for_issue
from ...errors import DomainError
from ...extensions import db, db_session, limiter
from ...hazards.roles import bureau_supervisor_ids, holds_post
from ...inspections.result import submit_with_result
from ...jobs.transactions import commit_with_retry, unlock_and_commit
from ...models import Building, Grid, InspectionChecklist, Person, RiskArea
from ..clock import local_today
from ..context import instance, settings
from ..rate_limits import sign_rate_limit, user_and_address
from .blueprint import bp
from .common import labels, person_or_none, refused, user

MAX_PHOTOS = 9
HEADS = frozenset({"S01", "S02", "S03"})
DEPUTY = frozenset({"S03"})


def _checklist_or_404(round_id: int, school_id: str) -> InspectionChecklist:
    try:
        checklist = inspections.find_checklist(db_session(), round_id, school_id)
    except DomainError:
        abort(404)
    person, today = person_or_none(), local_today()
    session = db_session()
    if visible_school_ids(session, user(), today) is None:
        return checklist
    if person is not None and (
        holds_post(session, person, checklist.school_id, HEADS, today)
        or checklist.inspector_person_id == person.id
        or person.id in bureau_supervisor_ids(session, checklist.school, today)
    ):
        return checklist
    abort(404)


def _may_inspect(checklist: InspectionChecklist, person: Person | None) -> bool:
    if person is None:
        return False
    session, today = db_session(), local_today()
    return (
        holds_post(session, person, checklist.school_id, DEPUTY, today)
        or checklist.inspector_person_id == person.id
        or person.id in bureau_supervisor_ids(session, checklist.school, today)
    )


def _context(checklist: InspectionChecklist) -> dict[str, Any]:
    session = db_session()
    db.session.refresh(checklist)
    items = inspections.checklist_items(checklist)
    answers: dict[str, list[Any]] = defaultdict(list)
    for answer in checklist.answers:
        answers[answer.item_id].append(answer)
    groups: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        groups[item.area].append(item)
    person = person_or_none()
    school = checklist.school
    return {
        "checklist": checklist,
        "school": school,
        "groups": dict(groups),
        "answers": answers,
        "unanswered": inspections.unanswered_items(session, checklist),
        "area_names": dict(db.session.execute(select(RiskArea.code, RiskArea.name)).all()),
        "buildings": db.session.scalars(
            select(Building).where(Building.school_id == school.id).order_by(Building.source_id)
        ).all(),
        "grids": db.session.scalars(
            select(Grid).where(Grid.school_id == school.id).order_by(Grid.level, Grid.source_id)
        ).all(),
        "staff": db.session.scalars(select(Person).where(Person.org_id == school.id).order_by(Person.source_id)).all(),
        "may_inspect": checklist.status == "open" and _may_inspect(checklist, person),
        "signs_result": instance().has_pki(),
        "is_deputy": person is not None and holds_post(session, person, school.id, DEPUTY, local_today()),
        **labels(),
    }


@bp.route("/rounds/<int:round_id>/<school_id>")
@login_required
def checklist(round_id: int, school_id: str) -> str:
    return render_template("rounds/checklist.html", **_context(_checklist_or_404(round_id, school_id)))


def _version() -> int | None:
    raw = request.form.get("version", "").strip()
    return int(raw) if raw.isdigit() else None


def _photos() -> list[tuple[str, bytes]]:
    files = [f for f in request.files.getlist("photo") if f and f.filename]
    return [(f.filename or "photo", f.read()) for f in files[: MAX_PHOTOS + 1]]


def _by() -> str:
    person = person_or_none()
    if person is None:
        abort(403, description=_("Only accounts linked to a person can inspect."))
    return person.source_id


def _done(checklist: InspectionChecklist, step: Any) -> BaseResponse | tuple[str, int]:
    round_id, school_id = checklist.round_id, checklist.school.source_id
    try:
        message = step()
    except DomainError as err:
        db.session.rollback()
        return refused(err, "rounds/checklist.html", **_context(_checklist_or_404(round_id, school_id)))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("rounds.checklist", round_id=round_id, school_id=school_id))


@bp.route("/rounds/<int:round_id>/<school_id>/answer", methods=["POST"])
@login_required
def answer(round_id: int, school_id: str) -> BaseResponse | tuple[str, int]:
    checklist = _checklist_or_404(round_id, school_id)
    form, by = request.form, _by()
    target = form.get("target", "").strip()
    kind, _sep, key = target.partition(":")

    def step() -> str:
        made = inspections.answer_item(
            db_session(), round_id, school_id, form.get("item", ""), by=by, on=local_today(),
            result=form.get("result", ""), note=form.get("note"),
            building=key if kind == "building" else None, grid=key if kind == "grid" else None,
            photos=_photos(), limits=settings().hazards, store=hazards.photo_store(settings().storage),
            expected_version=_version(),
        )  # fmt: skip
        if made.hazard is not None:
            return _("Item %(item)s failed: hazard %(no)s opened.", item=made.item_id, no=made.hazard.file_no)
        return _("Item %(item)s answered.", item=made.item_id)

    return _done(checklist, step)


@bp.route("/rounds/<int:round_id>/<school_id>/assign", methods=["POST"])
@login_required
def assign(round_id: int, school_id: str) -> BaseResponse | tuple[str, int]:
    checklist, by = _checklist_or_404(round_id, school_id), _by()

    def step() -> str:
        inspections.assign_inspector(
            db_session(), round_id, school_id, by=by, person=request.form.get("person", ""), on=local_today(),
            expected_version=_version(),
        )  # fmt: skip
        return _("Inspector assigned.")

    return _done(checklist, step)


@bp.route("/rounds/<int:round_id>/<school_id>/submit", methods=["POST"])
@login_required
@limiter.limit(sign_rate_limit, key_func=user_and_address)
def submit(round_id: int, school_id: str) -> BaseResponse | tuple[str, int]:
    """Submit the checklist; with a PKI the inspector's PIN signs its result PDF in the same unit
    of work (``inspections.submit_with_result``), which then waits for both school heads."""
    checklist, by = _checklist_or_404(round_id, school_id), _by()
    context = instance()
    session = db_session()
    unlocked = env = certify = None
    if context.has_pki():
        person = person_or_none()
        assert person is not None  # _by() refused accounts without a person
        try:
            unlocked = unlock_and_commit(session, person, request.form.get("pin", ""), pki=context.pki)
        except DomainError as err:
            db.session.rollback()
            return refused(err, "rounds/checklist.html", **_context(_checklist_or_404(round_id, school_id)))
        env = context.signing_environment(session)
        certify = certification_for_issue(session, context)

    def step() -> str:
        outcome = commit_with_retry(
            session,
            lambda: submit_with_result(
                session, round_id, school_id, by=by, on=local_today(), env=env, unlocked=unlocked, certify=certify,
                expected_version=_version(), template_root=context.template_root,
            ),
        )  # fmt: skip
        if outcome.document is not None:
            return _(
                "Checklist submitted; its result %(number)s is signed by you and awaits both school heads.",
                number=outcome.document.document_number,
            )
        return _("Checklist submitted.")

    return _done(checklist, step)


__all__ = ["answer", "assign", "checklist", "submit"]
