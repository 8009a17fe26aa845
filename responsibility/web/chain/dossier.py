"""``/chain/dossier?grid=…|building=…&at=YYYY-MM-DDTHH:MM``: the dossier of a place at a moment.

Thin: the same access as the chain page (whoever may see the place's school), the moment read as
local time, ``dossier.build_dossier`` for the links, their records and marks. The ZIP is a POST
on the evidence blueprint (it logs and seals a checkpoint), offered to county-wide viewers.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, request
from flask_babel import gettext
from flask_login import current_user, login_required

from ...accounts.access import visible_school_ids
from ...chain import ChainSubject
from ...clock import as_utc, local_moment
from ...dossier import build_dossier
from ...dossier.incident import incident_place
from ...errors import NotFound
from ...extensions import db, db_session
from ...incidents import find_incident
from ...models import Incident, School
from ..clock import local_today, zone
from ..context import settings
from .blueprint import bp
from .routes import school_of_subject, subject_name_of

PLACES = ("grid", "building")


@bp.route("/chain/dossier")
@login_required
def dossier() -> str:
    incident = _incident(request.args.get("incident", "").strip())
    if incident is not None:
        place = incident_place(incident)
        given: list[tuple[str, str]] = [(place.kind, place.source_id)]
    else:
        given = [(k, request.args.get(k, "").strip()) for k in PLACES if request.args.get(k, "").strip()]
    if len(given) != 1:
        abort(404)
    kind, sid = given[0]
    raw = request.args.get("at", "").strip()
    now = dt.datetime.now(dt.UTC)
    try:
        moment = as_utc(incident.occurred_at) if incident is not None else local_moment(raw, zone()) if raw else now
    except ValueError:
        abort(400, description=gettext("The time must look like 2025-01-31T08:30."))
    if moment > now:
        abort(400, description=gettext("The moment may not be in the future."))
    exists, school_id = school_of_subject(kind, sid)
    if not exists:
        abort(404)
    visible = visible_school_ids(db_session(), current_user._get_current_object(), local_today())  # type: ignore[attr-defined]
    if visible is not None and (school_id is None or school_id not in visible):
        abort(404)
    subject = ChainSubject.grid(sid) if kind == "grid" else ChainSubject.building(sid)
    try:
        result = build_dossier(db_session(), subject, moment, zone=zone(), patrols=settings().patrols)
    except NotFound:
        abort(404)
    return render_template(
        "chain/dossier.html",
        dossier=result,
        kind=kind,
        sid=sid,
        subject_name=subject_name_of(kind, sid),
        school=db.session.get(School, school_id) if school_id else None,
        at_value=moment.astimezone(zone()).strftime("%Y-%m-%dT%H:%M"),
        incident=incident,
        top_down=list(reversed(result.links)),
    )


def _incident(number: str) -> Incident | None:
    """The incident named by ``?incident=`` (404 when unknown): its place and moment fix the page's."""
    if not number:
        return None
    try:
        return find_incident(db_session(), number)
    except NotFound:
        abort(404)


__all__ = ["dossier"]
