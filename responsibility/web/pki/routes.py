"""The enrolment page: a post holder sets a signing PIN and gets a key pair and certificate.

The view checks who may enrol (a logged-in account with a person holding a post today), asks for
the login password again (a stolen session must not be able to re-key a signer), returns to the
page that sent the signer here (``?next=``, a local path only: the agreement being signed), and
leaves the rules — PIN policy, key making, revoking the previous certificate — to ``pki.enrolment``.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ...accounts.passwords import verify_password
from ...clock import as_utc
from ...extensions import db, db_session, limiter
from ...models import Person, User
from ...pki.enrolment import enrol, enrolment_of, may_enrol, min_pin_digits
from ...pki.errors import WeakPin
from ..clock import local_today
from ..rate_limits import enrol_rate_limit, user_and_address
from ..redirects import safe_next
from .blueprint import bp
from .common import instance_pki
from .forms import EnrolForm


def _account() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _enrolling_person() -> Person:
    user = _account()
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None or not may_enrol(db_session(), person, local_today()):
        abort(403, description=_("Only persons who hold a post can set a signing PIN."))
    return person


def _render(person: Person, form: EnrolForm, status: int = 200) -> tuple[str, int]:
    enrolment = enrolment_of(db_session(), person)
    certificate = enrolment.certificate if enrolment is not None else None
    return (
        render_template(
            "pki/enrol.html",
            form=form,
            person=person,
            enrolment=enrolment,
            certificate=certificate,
            not_after=as_utc(certificate.not_after) if certificate is not None else None,
            min_digits=min_pin_digits(current_app.config),
            next_url=safe_next(request.args.get("next")),
        ),
        status,
    )


@bp.route("/pki/enrol", methods=["GET"])
@login_required
def enrol_page() -> tuple[str, int]:
    return _render(_enrolling_person(), EnrolForm(formdata=None))


@bp.route("/pki/enrol", methods=["POST"])
@login_required
@limiter.limit(enrol_rate_limit, key_func=user_and_address)
def enrol_submit() -> Response | tuple[str, int]:
    person = _enrolling_person()
    form = EnrolForm()
    if not form.validate_on_submit():
        return _render(person, form, 400)
    if not verify_password(_account().password_hash, form.password.data or ""):
        form.password.errors = [_("The login password is wrong.")]
        return _render(person, form, 400)
    try:
        enrol(
            db_session(),
            instance_pki(),
            person,
            form.pin.data or "",
            key_kind=str(current_app.config.get("SIGNING_KEY_KIND") or "ecdsa-p256"),
            actor=f"user:{_account().username}",
            min_digits=min_pin_digits(current_app.config),
        )
    except WeakPin:
        db.session.rollback()
        form.pin.errors = [
            _(
                "The signing PIN must be at least %(count)d digits, not one repeated digit and not a simple sequence.",
                count=min_pin_digits(current_app.config),
            )
        ]
        return _render(person, form, 400)
    db.session.commit()
    flash(_("Your signing PIN is set and your signing certificate was issued."), "info")
    return redirect(safe_next(request.args.get("next")) or url_for("pki.enrol_page"))
