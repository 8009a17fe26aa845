"""``POST /evidence/dossier.zip``: the dossier ZIP of a place at a moment, for county-wide viewers.

A POST like the other evidence downloads: making it logs ``dossier.built`` and seals a checkpoint
(``dossier.package``). The form carries the place (``grid`` or ``building``) and ``at``, local
time, as the dossier page shows them.
"""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from ...chain import ChainSubject
from ...clock import iso_utc, local_moment
from ...dossier import build_dossier
from ...dossier.incident import incident_dossier, incident_dossier_zip
from ...dossier.package import dossier_zip
from ...errors import DomainError, NotFound
from ...extensions import db, db_session
from ...incidents import find_incident
from ...models import User
from ..clock import zone
from ..context import instance, settings
from ..messages import error_text
from .blueprint import bp
from .evidence import may_export_evidence


@bp.route("/evidence/dossier.zip", methods=["POST"])
@login_required
def evidence_dossier() -> Response:
    if not may_export_evidence():
        abort(404)
    place = [(k, request.form.get(k, "").strip()) for k in ("grid", "building") if request.form.get(k, "").strip()]
    if len(place) != 1:
        abort(404)
    kind, sid = place[0]
    try:
        moment = local_moment(request.form.get("at", ""), zone())
    except ValueError:
        abort(400, description=gettext("The time must look like 2025-01-31T08:30."))
    now = dt.datetime.now(dt.UTC)
    if moment > now:
        abort(400, description=gettext("The moment may not be in the future."))
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    subject = ChainSubject.grid(sid) if kind == "grid" else ChainSubject.building(sid)
    number = request.form.get("incident", "").strip()
    try:
        if number:
            incident = find_incident(db_session(), number)
            dossier = incident_dossier(db_session(), incident, zone=zone(), patrols=settings().patrols)
            data = incident_dossier_zip(db_session(), instance(), incident, dossier, actor=user.username, now=now)
        else:
            dossier = build_dossier(db_session(), subject, moment, zone=zone(), patrols=settings().patrols)
            data = dossier_zip(
                db_session(),
                instance(),
                dossier,
                subject=f"place:{sid}@{iso_utc(moment)}",
                actor=user.username,
                now=now,
            )
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as exc:
        db.session.rollback()
        flash(gettext("The evidence package could not be made: %(reason)s", reason=error_text(exc)), "error")
        return redirect(url_for("chain.dossier", **{kind: sid}))  # type: ignore[arg-type,return-value]
    db.session.commit()
    name = f"dossier-{number or sid}-{moment.astimezone(zone()).strftime('%Y%m%d%H%M')}.zip"
    return Response(data, mimetype="application/zip", headers={"Content-Disposition": f'attachment; filename="{name}"'})


__all__ = ["evidence_dossier"]
