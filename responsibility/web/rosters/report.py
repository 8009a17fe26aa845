"""``/rosters/<org_id>/report`` (报局: the principal signs the 值班表 with their PIN) and
``/rosters/reported`` (the bureau's list: who reported, when, per school and town).

Thin: the rules are ``season.roster_report``. The refusals that need no PIN (a day without a
leader, not the principal) come first, so a refused person's PIN is never tried; the PIN attempt
is then committed on its own (``unlock_and_commit``: the wrong-PIN count survives), and the
document is issued and signed in one retried unit of work.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from ...accounts.roles import roles_of
from ...agreements.certification import certification_for_issue
from ...errors import DomainError
from ...extensions import db, db_session, limiter
from ...jobs.transactions import commit_with_retry, unlock_and_commit
from ...models import Person
from ...season.roster_report import check_submission, submit_roster
from ...season.roster_reports import roster_reports
from ..bilingual import in_reader_language
from ..clock import local_today
from ..context import instance, settings
from ..messages import error_text
from ..rate_limits import sign_rate_limit, user_and_address
from .blueprint import bp
from .routes import BUREAU_ROLES, readable_org, refused_page


def _person() -> Person:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        abort(403, description=_("Only the principal reports the roster to the bureau."))
    return person


@bp.route("/rosters/<org_id>/report", methods=["POST"])
@login_required
@limiter.limit(sign_rate_limit, key_func=user_and_address)
def report(org_id: str) -> BaseResponse | tuple[str, int]:
    org = readable_org(org_id)
    person = _person()
    day, conf, context = local_today(), settings().season, instance()
    try:
        check_submission(db_session(), org.source_id, person.source_id, day, conf)
        db.session.rollback()
        unlocked = unlock_and_commit(db_session(), person, request.form.get("pin", ""), pki=context.pki)
        env = context.signing_environment(db_session())
        certify = certification_for_issue(db_session(), context)
        outcome = commit_with_retry(
            db_session(),
            lambda: submit_roster(
                db_session(), org.source_id, by=person.source_id, on=day, season=conf, env=env, unlocked=unlocked,
                certify=certify, template_root=context.template_root,
            ),
        )  # fmt: skip
    except DomainError as err:
        return refused_page(org, err)
    number = outcome.document.document_number
    if outcome.created:
        flash(_("The roster is reported to the bureau (%(number)s).", number=number), "success")
    else:
        flash(_("The roster has not changed since it was reported (%(number)s).", number=number), "success")
    return redirect(url_for("rosters.plan", org_id=org.source_id) + "#report")


@bp.route("/rosters/reported")
@login_required
def reported() -> str:
    """Every school (by town) and the bureau: reported or not, when, and the document."""
    session = db_session()
    if not roles_of(session, current_user._get_current_object(), local_today()) & BUREAU_ROLES:  # type: ignore[attr-defined]
        abort(403, description=_("Only the bureau sees which rosters were reported."))
    try:
        reports = roster_reports(session)
    except DomainError as err:
        abort(404, description=in_reader_language(error_text(err)))
    return render_template("rosters/reported.html", reports=reports)


__all__ = ["report", "reported"]
