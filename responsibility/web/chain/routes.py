"""``/chain?grid=…|building=…|school=…|person=…&at=YYYY-MM-DD``.

Thin: resolve the subject's school for the access check (today's access, like the school page),
call ``chain.trace`` for the requested day, render the links reversed (bureau chief on top).
"""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ...accounts.access import visible_school_ids
from ...chain import ChainSubject
from ...chain.subjects import SubjectKind
from ...chain.trace import trace
from ...errors import NotFound
from ...extensions import db, db_session
from ...models import Building, Grid, Organization, Person, School
from ..clock import local_today
from .blueprint import bp

KINDS: tuple[SubjectKind, ...] = ("grid", "building", "school", "person")


def school_of_subject(kind: str, sid: str) -> tuple[bool, int | None]:
    """(subject exists, database id of its school or None when it belongs to no school)."""
    if kind == "grid":
        found = db.session.scalar(select(Grid.school_id).where(Grid.source_id == sid))
        return found is not None, found
    if kind == "building":
        found = db.session.scalar(select(Building.school_id).where(Building.source_id == sid))
        return found is not None, found
    if kind == "school":
        found = db.session.scalar(select(School.id).where(School.source_id == sid))
        return found is not None, found
    row = db.session.execute(
        select(Person.id, Organization.id, Organization.kind)
        .outerjoin(Organization, Organization.id == Person.org_id)
        .where(Person.source_id == sid)
    ).first()
    if row is None:
        return False, None
    return True, (row[1] if row[2] == "school" else None)


_NAMES = {"grid": (Grid.name, Grid.source_id), "building": (Building.name, Building.source_id),
          "school": (School.name, School.source_id), "person": (Person.name, Person.source_id)}  # fmt: skip


def subject_name_of(kind: str, sid: str) -> str | None:
    """What the page is titled by: the grid's, building's, school's or person's own name."""
    name, source_id = _NAMES[kind]
    return db.session.scalar(select(name).where(source_id == sid))


@bp.route("/chain")
@login_required
def page() -> str:
    given = [(k, request.args.get(k, "").strip()) for k in KINDS if request.args.get(k, "").strip()]
    if len(given) != 1:
        abort(404)
    kind, sid = given[0]
    raw = request.args.get("at", "").strip()
    try:
        day = dt.date.fromisoformat(raw) if raw else local_today()
    except ValueError:
        abort(400, description=gettext("The date must look like 2025-01-31."))
    exists, school_id = school_of_subject(kind, sid)
    if not exists:
        abort(404)
    visible = visible_school_ids(db_session(), current_user._get_current_object(), local_today())  # type: ignore[attr-defined]
    if visible is not None and (school_id is None or school_id not in visible):
        abort(404)
    try:
        result = trace(db_session(), ChainSubject(kind, sid), day)
    except NotFound:
        abort(404)
    school = db.session.get(School, school_id) if school_id else None
    return render_template(
        "chain/chain.html",
        result=result,
        kind=kind,
        sid=sid,
        subject_name=subject_name_of(kind, sid),
        day=day,
        school=school,
        top_down=list(reversed(result.links)),
    )


__all__ = ["page", "school_of_subject", "subject_name_of"]
