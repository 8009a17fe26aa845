"""The signer's pages: inbox, sign page (preview, confirmation, PIN), PDF, result, upload.

Thin: the rules are ``agreements.signers_required`` and ``agreements.signing_flow``. The PIN
attempt is committed on its own first (``pki.enrolment.unlock_and_commit``) so the wrong-PIN
count survives a refused signature; the signature itself then runs in a retried unit of work
that either stores and records the new revision or leaves everything as it was.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ...agreements.external_upload import accept_upload, record_upload_rejection
from ...agreements.signers_required import SigningPlan, authorise, required_signers
from ...agreements.signing_flow import sign_agreement
from ...agreements.signing_queries import InboxCursor, inbox_page
from ...agreements.signing_window import check_signing_window
from ...errors import DomainError
from ...extensions import db, db_session, limiter
from ...jobs.transactions import commit_with_retry, unlock_and_commit
from ...models import Agreement, Person
from ...pki.ca import Pki
from ...pki.enrolment import enrolment_of
from ...pki.errors import WrongPin
from ...verify.acceptance import DEFAULT_MAX_BYTES
from ..clock import local_today
from ..context import instance
from ..messages import error_text
from ..rate_limits import sign_rate_limit, user_and_address
from .blueprint import bp
from .ceremony import field_page, lock_message_of, progress, wrong_pin_message
from .common import (
    actor,
    environment,
    open_agreement,
    person_or_none,
    refusal_message,
    signing_person,
    store,
)
from .forms import SignForm, UploadForm

_agreement = open_agreement


@bp.route("/inbox")
@login_required
def inbox() -> str:
    person = person_or_none()
    after = _inbox_cursor()
    items, next_after = inbox_page(db_session(), person, local_today(), store(), after=after) if person else ([], None)
    enrolled = person is not None and enrolment_of(db_session(), person) is not None
    return render_template(
        "sign/inbox.html", items=items, person=person, enrolled=enrolled, after=after, next_after=next_after
    )


def _inbox_cursor() -> InboxCursor | None:
    """The ``?campaign=&after=`` of a later inbox page; anything malformed means the first page."""
    campaign, document = request.args.get("campaign", ""), request.args.get("after", "")
    return (int(campaign), document) if campaign.isdigit() and document else None


def _page(agreement: Agreement, *, form: SignForm | None = None, error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    person = person_or_none()
    plan: SigningPlan = required_signers(db_session(), agreement, local_today(), store=store())
    mine, refusal = [], None
    if person is not None:
        try:
            mine = authorise(plan, person, agreement.document_number)
        except DomainError as err:
            refusal = error_text(err)
    enrolment = enrolment_of(db_session(), person) if person is not None else None
    lock = lock_message_of(person) if mine else None
    return (
        render_template(
            "sign/sign.html",
            agreement=agreement,
            plan=plan,
            mine=mine,
            refusal=refusal,
            enrolled=enrolment is not None,
            form=form or SignForm(formdata=None),
            upload_form=UploadForm(formdata=None),
            error=error if error != lock else None,
            lock=lock,
            names=_names(plan),
            progress=progress(plan),
            field_page=field_page(agreement, plan, mine),
            enrol_url=url_for("pki.enrol_page", next=request.path),
        ),
        status,
    )


def _names(plan: SigningPlan) -> dict[int, str]:
    ids = {s.signed_by for s in plan.signatures if s.signed_by}
    return {p.id: p.name for p in db.session.query(Person).filter(Person.id.in_(ids))} if ids else {}


@bp.route("/<int:agreement_id>", methods=["GET"])
@login_required
def sign_page(agreement_id: int):  # type: ignore[no-untyped-def]
    return _page(_agreement(agreement_id))


@bp.route("/<int:agreement_id>", methods=["POST"])
@login_required
@limiter.limit(sign_rate_limit, key_func=user_and_address)
def sign_submit(agreement_id: int):  # type: ignore[no-untyped-def]
    agreement = _agreement(agreement_id)
    person = signing_person()
    form = SignForm()
    if not form.validate_on_submit():
        return _page(agreement, form=form, status=400)
    day = local_today()
    try:
        # Refuse who may not sign before the PIN is tried (no PIN count for a refused person).
        authorise(required_signers(db_session(), agreement, day, store=store()), person, agreement.document_number)
        limits = instance().settings.limits
        check_signing_window(agreement, day, grace_days=limits.signing_grace_days, zone_name=instance().settings.zone)
        db.session.rollback()
        unlocked = unlock_and_commit(db_session(), person, form.pin.data or "", pki=_pki())
        env = environment()
        outcome = commit_with_retry(
            db_session(),
            lambda: sign_agreement(db_session(), env, agreement_id, person, unlocked, day=day, actor=actor()),
        )
    except WrongPin as err:
        db.session.rollback()
        form.pin.errors = [wrong_pin_message(person)]
        return _page(agreement, form=form, status=err.http_status)
    except DomainError as err:
        db.session.rollback()
        return _page(agreement, error=refusal_message(err), status=err.http_status)  # rollback expired it: reloads
    return redirect(url_for("sign.result", agreement_id=agreement_id, seq=outcome.revisions[0].seq))


def _pki() -> Pki:
    return instance().pki


@bp.route("/<int:agreement_id>/pdf")
@login_required
def pdf(agreement_id: int) -> Response:
    """The current revision inline (the preview of the sign page)."""
    agreement = _agreement(agreement_id)
    response = Response(store().read(agreement.pdf_sha256), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{agreement.document_number}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["ETag"] = agreement.pdf_sha256
    return response


@bp.route("/<int:agreement_id>/done")
@login_required
def result(agreement_id: int) -> str:
    agreement = _agreement(agreement_id)
    person = person_or_none()
    signed = [r for r in agreement.revisions if person is not None and r.signer_person_id == person.id]
    plan = required_signers(db_session(), agreement, local_today(), store=store())
    return render_template(
        "sign/result.html",
        agreement=agreement,
        signed=signed,
        revisions=agreement.revisions,
        progress=progress(plan),
        posts_of={s.field: "、".join(s.posts) for s in plan.signatures},
    )


def _upload_limit() -> int:
    return int(current_app.config.get("SIGNED_UPLOAD_MAX_BYTES") or DEFAULT_MAX_BYTES)


@bp.route("/<int:agreement_id>/upload", methods=["POST"])
@login_required
def upload(agreement_id: int):  # type: ignore[no-untyped-def]
    """A PDF signed in another PAdES tool: accepted only through the acceptance gate."""
    agreement = _agreement(agreement_id)
    person = signing_person()
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(agreement, error=_("Choose the signed PDF file."), status=400)
    data = form.file.data.read(_upload_limit() + 1)
    if len(data) > _upload_limit():
        return _page(agreement, error=_("The file is too large."), status=413)
    try:
        env = environment()
        outcome = commit_with_retry(
            db_session(),
            lambda: accept_upload(db_session(), env, agreement_id, person, data, day=local_today(), actor=actor()),
        )
    except DomainError as err:
        db.session.rollback()
        record_upload_rejection(db_session(), agreement_id, person, str(err), actor=actor(), size=len(data))
        db.session.commit()
        message = _("The uploaded file was not accepted: %(reason)s", reason=error_text(err))
        return _page(agreement, error=message, status=err.http_status)  # rollback expired it: reloads
    return redirect(url_for("sign.result", agreement_id=agreement_id, seq=outcome.revisions[0].seq))
