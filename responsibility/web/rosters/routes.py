"""``/rosters/<org_id>`` (the plan, ``/day`` edits one day, ``/upload`` imports an .xlsx),
``/rosters/template.xlsx`` and ``/rosters/attendance`` (the bureau's 到岗率 table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from werkzeug.wrappers import Response as BaseResponse

from ... import season
from ...accounts.roles import ADMIN, AUDITOR, BUREAU_LEADER, SECTION_STAFF, roles_of
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import Organization, Person, PostAssignment, User
from ...season.roster_drift import note_roster_write
from ...season.roster_report import RosterSigner, roster_signer
from ...season.roster_reports import reported_roster
from ...season.roster_roles import may_plan_roster, may_read_roster
from ...season.rosters import KEY_POSTS
from ..bilingual import in_reader_language
from ..clock import local_today
from ..context import settings
from ..messages import error_text
from .blueprint import bp

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BUREAU_ROLES = frozenset({ADMIN, AUDITOR, BUREAU_LEADER, SECTION_STAFF})


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def readable_org(org_id: str) -> Organization:
    """The organisation the viewer may read: 404 for an unknown one or a school they may not see
    (as everywhere), 403 for the bureau's roster to someone outside the bureau."""
    org = db.session.scalar(select(Organization).where(Organization.source_id == org_id))
    if org is None or org.kind not in ("school", "bureau", "section"):
        abort(404)
    if not may_read_roster(db_session(), _user(), org, local_today()):
        abort(404 if org.kind == "school" else 403)
    return org


def _planner(org: Organization) -> None:
    if not may_plan_roster(db_session(), _user(), org, local_today()):
        abort(403, description=_("You may read this roster but not plan it."))


def _day_arg(plan: season.RosterPlan, text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text) if text else local_today()
    except ValueError:
        abort(400, description=_("The date must be YYYY-MM-DD."))
    return day if plan.term_start <= day <= plan.term_end else plan.term_start


def _people(org: Organization, day: dt.date) -> list[Person]:
    """Who may be named on ``org``'s roster that day in the form: its people in service, and
    anyone holding a post there (the import accepts any known person; the form offers these)."""
    posts = select(PostAssignment.person_id).where(PostAssignment.org_id == org.id, PostAssignment.held_on(day))
    units = select(Organization.id).where(or_(Organization.id == org.id, Organization.parent_id == org.id))
    query = (
        select(Person)
        .where(or_(Person.id.in_(posts), Person.org_id.in_(units) & Person.in_service_on(day)))
        .order_by(Person.source_id)
    )
    return list(db.session.scalars(query))


def _signer(org: Organization, day: dt.date) -> RosterSigner | None:
    try:
        return roster_signer(db_session(), org, day)
    except DomainError:
        return None


def _page(org: Organization, day_text: str = "", form: dict[str, Any] | None = None) -> str:
    session, conf = db_session(), settings().season
    plan = season.roster_plan(session, org.source_id, conf)
    day = _day_arg(plan, day_text)
    today = local_today()
    (chosen,) = [d for d in plan.days if d.date == day]
    attendance = season.attendance_rate(session, plan.term_start, plan.term_end, today, org.source_id)
    return render_template(
        "rosters/plan.html",
        org=org,
        plan=plan,
        day=chosen,
        today=today,
        attendance=attendance.total,
        may_plan=may_plan_roster(session, _user(), org, today),
        leaders=season.leader_choices(session, org, day, conf.leading_posts),
        people=_people(org, day),
        key_posts=KEY_POSTS,
        form=form or {},
        report=reported_roster(session, org),
        signer=_signer(org, today),
    )


@bp.route("/rosters/<org_id>")
@login_required
def plan(org_id: str) -> str:
    return _page(readable_org(org_id), request.args.get("day", ""))


def refused_page(org: Organization, err: DomainError, day_text: str = "", form: dict[str, Any] | None = None):  # type: ignore[no-untyped-def]
    db.session.rollback()
    flash(in_reader_language(error_text(err)), "error")
    return _page(org, day_text, form), err.http_status


@bp.route("/rosters/<org_id>/day", methods=["POST"])
@login_required
def edit_day(org_id: str) -> BaseResponse | tuple[str, int]:
    org = readable_org(org_id)
    _planner(org)
    form = request.form
    day_text = form.get("day", "").strip()
    try:
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        abort(400, description=_("The date must be YYYY-MM-DD."))
    version = form.get("version", "").strip()
    posts = {post: form.get(f"post-{i}", "").strip() for i, post in enumerate(KEY_POSTS)}
    row = season.RosterRow(
        0,
        day,
        form.get("shift", "").strip() or "24h",
        form.get("leader", "").strip(),
        tuple(s.strip() for s in form.getlist("staff") if s.strip()),
        {k: v for k, v in posts.items() if v},
    )
    try:
        season.edit_roster_day(
            db_session(),
            org.source_id,
            row,
            leading_posts=settings().season.leading_posts,
            actor=f"user:{_user().username}",
            expected_version=int(version) if version.isdigit() else None,
        )
        note_roster_write(
            db_session(), org.source_id, settings().season, day=local_today(), actor=f"user:{_user().username}"
        )
    except DomainError as err:
        return refused_page(org, err, day_text, dict(form.lists()))
    db.session.commit()
    flash(_("The duty of %(day)s is saved.", day=day.isoformat()), "success")
    return redirect(url_for("rosters.plan", org_id=org.source_id, day=day.isoformat()) + "#day-form")


@bp.route("/rosters/<org_id>/upload", methods=["POST"])
@login_required
def upload(org_id: str) -> BaseResponse | tuple[str, int]:
    org = readable_org(org_id)
    _planner(org)
    sent = request.files.get("roster")
    if sent is None or not sent.filename:
        abort(400, description=_("Choose an .xlsx file to upload."))
    try:
        rows = season.read_roster_xlsx(sent.read())
        result = season.import_roster(
            db_session(),
            org.source_id,
            rows,
            leading_posts=settings().season.leading_posts,
            actor=f"user:{_user().username}",
        )
        note_roster_write(
            db_session(), org.source_id, settings().season, day=local_today(), actor=f"user:{_user().username}"
        )
    except DomainError as err:
        return refused_page(org, err)
    db.session.commit()
    flash(
        _(
            "%(rows)s shifts imported (%(first)s – %(last)s), %(replaced)s replaced.",
            rows=result.rows,
            first=str(result.first),
            last=str(result.last),
            replaced=result.replaced,
        ),
        "success",
    )
    return redirect(url_for("rosters.plan", org_id=org.source_id))


@bp.route("/rosters/template.xlsx")
@login_required
def template() -> Response:
    try:
        data = season.roster_template(db_session())
    except DomainError as err:
        abort(404, description=in_reader_language(error_text(err)))
    return Response(
        data, mimetype=XLSX_MIME, headers={"Content-Disposition": 'attachment; filename="roster-template.xlsx"'}
    )


def _span(default_start: dt.date, default_end: dt.date) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(request.args.get("start") or default_start.isoformat())
        end = dt.date.fromisoformat(request.args.get("end") or default_end.isoformat())
    except ValueError:
        abort(400, description=_("The date must be YYYY-MM-DD."))
    return start, end


@bp.route("/rosters/attendance")
@login_required
def attendance() -> str:
    """到岗率 per school and per town (the bureau's view), with the bureau's own roster."""
    session = db_session()
    if not roles_of(session, _user(), local_today()) & BUREAU_ROLES:
        abort(403, description=_("Only the bureau sees the attendance of every school."))
    try:
        campaign = season.live_campaign(session)
    except DomainError as err:
        abort(404, description=in_reader_language(error_text(err)))
    start, end = _span(campaign.term_start, campaign.term_end)
    report = season.attendance_rate(session, start, end, local_today())
    bureau = session.scalar(select(Organization).where(Organization.kind == "bureau"))
    return render_template("rosters/attendance.html", report=report, campaign=campaign, bureau=bureau)


__all__ = ["BUREAU_ROLES", "attendance", "edit_day", "plan", "readable_org", "refused_page", "template", "upload"]
