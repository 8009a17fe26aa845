"""``/duty``: 今日值班 on the phone — the logged-in person's duty rows of today with a big 到岗
button each; ``/duty/checkin`` records the check-in now (``season.check_in``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ... import season
from ...clock import now_utc
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import Person
from ..bilingual import in_reader_language
from ..clock import local_today, zone
from ..messages import error_text
from .blueprint import bp


def _person() -> Person:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        abort(403, description=_("Only accounts linked to a person can check in for duty."))
    return person


def _page(person: Person) -> str:
    rows = season.rostered_today(db_session(), person, local_today())
    return render_template("rosters/duty.html", person=person, rows=rows, today=local_today())


@bp.route("/duty")
@login_required
def duty() -> str:
    return _page(_person())


@bp.route("/duty/checkin", methods=["POST"])
@login_required
def checkin() -> BaseResponse | tuple[str, int]:
    person = _person()
    now = now_utc()
    try:
        done = season.check_in(
            db_session(),
            request.form.get("org", "").strip(),
            person.source_id,
            at=now,
            now=now,
            zone=zone(),
            actor=f"person:{person.source_id}",
            shift=request.form.get("shift", "").strip() or None,
        )
    except DomainError as err:
        db.session.rollback()
        flash(in_reader_language(error_text(err)), "error")
        return _page(person), err.http_status
    db.session.commit()
    flash(_("Checked in for the %(shift)s shift.", shift=done.shift), "success")
    return redirect(url_for("rosters.duty"))


__all__ = ["checkin", "duty"]
