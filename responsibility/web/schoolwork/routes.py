"""``/schools/<school>/visits``, ``/schools/<school>/education`` (+ ``/<id>/delete``),
``/education/county``.

Who may see a school's page is the visibility rule (others get 404, as for a school that does
not exist); who may write is the school's own people on the day (others who can see it — the
liaison section, the bureau — get 403). A stale form (its version moved on) is a 409 with the
current values shown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from ... import season
from ...accounts.access import own_school_ids
from ...errors import BadInput, DomainError
from ...extensions import db, db_session
from ...models import HomeVisitCount, Person, School, Town
from ...season import education
from ...targets.measures import MEASURES, Window
from ..bilingual import in_reader_language
from ..campaign_args import day_arg, live_campaign_or_404, visible_schools
from ..clock import local_today
from ..context import settings
from ..messages import error_text
from .blueprint import bp


def _school(school_id: str) -> School:
    found = db.session.scalar(select(School).where(School.source_id == school_id))
    visible = visible_schools()
    if found is None or (visible is not None and found.id not in visible):
        abort(404)
    return found


def _writer(school: School) -> str:
    """The actor of a write: a person of the school on the day, else 403."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None or school.id not in own_school_ids(db_session(), person.id, local_today()):
        abort(403, description=_("Only the school's own people can record its home visits and education."))
    return f"person:{person.source_id}"


def _int(name: str) -> int:
    try:
        return int((request.form.get(name) or "").strip())
    except ValueError:
        raise BadInput(_("%(field)s must be a whole number.", field=name)) from None


def _version() -> int | None:
    text = (request.form.get("version") or "").strip()
    return int(text) if text.isdigit() else None


def _refused(err: DomainError, template: str, **context: Any) -> tuple[str, int]:
    db.session.rollback()
    flash(in_reader_language(error_text(err)), "error")
    return render_template(template, **context), err.http_status


def _visit_rows(school: School, period: str) -> list[HomeVisitCount]:
    return list(
        db.session.scalars(
            select(HomeVisitCount)
            .where(HomeVisitCount.school_id == school.id, HomeVisitCount.period_name == period)
            .order_by(HomeVisitCount.class_name, HomeVisitCount.category)
        )
    )


@bp.route("/schools/<school_id>/visits", methods=["GET", "POST"])
@login_required
def visits(school_id: str) -> BaseResponse | str | tuple[str, int]:
    school, campaign = _school(school_id), live_campaign_or_404()
    period = campaign.season

    def context() -> dict[str, Any]:
        rows = _visit_rows(school, period)
        planned, done = sum(r.planned for r in rows), sum(r.visited for r in rows)
        return {"school": school, "campaign": campaign, "period": period, "rows": rows, "planned": planned,
                "done": done, "categories": settings().season.visit_categories, "form": request.form}  # fmt: skip

    if request.method == "GET":
        return render_template("schoolwork/visits.html", **context())
    actor = _writer(school)
    try:
        season.record_visits(
            db_session(), school.source_id, class_name=request.form.get("class_name", ""), period=period,
            planned=_int("planned"), done=_int("done"), category=request.form.get("category", ""),
            categories=settings().season.visit_categories, actor=actor, expected_version=_version(),
        )  # fmt: skip
    except DomainError as err:
        return _refused(err, "schoolwork/visits.html", **context())
    db.session.commit()
    flash(_("Home visits recorded."), "success")
    return redirect(url_for("schoolwork.visits", school_id=school.source_id))


def _facts() -> education.SessionFacts:
    try:
        day = dt.date.fromisoformat((request.form.get("date") or "").strip())
    except ValueError:
        raise BadInput(_("The date must be YYYY-MM-DD.")) from None
    return education.SessionFacts(
        topic=request.form.get("topic", ""), day=day, attendance=_int("attendance"), enrolled=_int("enrolled"),
        class_name=request.form.get("class_name", ""), note=request.form.get("note"),
    )  # fmt: skip


@bp.route("/schools/<school_id>/education", methods=["GET", "POST"])
@login_required
def sessions(school_id: str) -> BaseResponse | str | tuple[str, int]:
    school, campaign = _school(school_id), live_campaign_or_404()

    def context() -> dict[str, Any]:
        return {"school": school, "campaign": campaign, "topics": settings().season.education_topics,
                "rows": education.list_sessions(db_session(), school.source_id, campaign),
                "form": request.form, "today": local_today()}  # fmt: skip

    if request.method == "GET":
        return render_template("schoolwork/education.html", **context())
    actor = _writer(school)
    try:
        education.record_session(db_session(), school.source_id, _facts(),
                                 topics=settings().season.education_topics, today=local_today(), actor=actor)  # fmt: skip
    except DomainError as err:
        return _refused(err, "schoolwork/education.html", **context())
    db.session.commit()
    flash(_("Education session recorded."), "success")
    return redirect(url_for("schoolwork.sessions", school_id=school.source_id))


@bp.route("/schools/<school_id>/education/<int:session_id>", methods=["POST"])
@login_required
def edit_session(school_id: str, session_id: int) -> BaseResponse | str | tuple[str, int]:
    school, campaign = _school(school_id), live_campaign_or_404()
    actor = _writer(school)
    try:
        education.edit_session(db_session(), school.source_id, session_id, _facts(), expected_version=_version() or 0,
                               topics=settings().season.education_topics, today=local_today(), actor=actor)  # fmt: skip
    except DomainError as err:
        return _refused(err, "schoolwork/education.html", school=school, campaign=campaign, form={},
                        topics=settings().season.education_topics, today=local_today(),
                        rows=education.list_sessions(db_session(), school.source_id, campaign))  # fmt: skip
    db.session.commit()
    flash(_("Education session saved."), "success")
    return redirect(url_for("schoolwork.sessions", school_id=school.source_id))


@bp.route("/schools/<school_id>/education/<int:session_id>/delete", methods=["POST"])
@login_required
def delete_session(school_id: str, session_id: int) -> BaseResponse | str | tuple[str, int]:
    school, campaign = _school(school_id), live_campaign_or_404()
    actor = _writer(school)
    try:
        education.delete_session(db_session(), school.source_id, session_id,
                                 expected_version=_version() or 0, actor=actor)  # fmt: skip
    except DomainError as err:
        return _refused(err, "schoolwork/education.html", school=school, campaign=campaign, form={},
                        topics=settings().season.education_topics, today=local_today(),
                        rows=education.list_sessions(db_session(), school.source_id, campaign))  # fmt: skip
    db.session.commit()
    flash(_("Education session deleted."), "success")
    return redirect(url_for("schoolwork.sessions", school_id=school.source_id))


@bp.route("/education/county")
@login_required
def county() -> str:
    """Per school (and town totals): visit rate and anti-fraud coverage, two aggregate queries."""
    campaign, at, visible = live_campaign_or_404(), day_arg(), visible_schools()
    query = select(School.id, School.source_id, School.name, Town.name).outerjoin(Town, Town.id == School.town_id)
    if visible is not None:
        query = query.where(School.id.in_(visible))
    schools = db.session.execute(query.order_by(School.source_id)).all()
    window = Window(campaign=campaign, at=at, school_ids=[row[0] for row in schools])
    visits_m = MEASURES["home_visit_rate"](db_session(), window) if schools else {}
    fraud_m = MEASURES["anti_fraud_coverage"](db_session(), window) if schools else {}
    rows, towns = [], {}  # type: ignore[var-annotated]
    for sid, source_id, name, town in schools:
        v, f = visits_m.get(sid), fraud_m.get(sid)
        rows.append({"school": source_id, "name": name, "town": town, "visits": v, "fraud": f})
        t = towns.setdefault(town or "", [0, 0, 0, 0])
        for i, m in enumerate((v, f)):
            if m is not None:
                t[2 * i] += m.numerator
                t[2 * i + 1] += m.denominator
    return render_template("schoolwork/county.html", campaign=campaign, at=at, rows=rows, towns=towns)


__all__ = ["county", "delete_session", "edit_session", "sessions", "visits"]
