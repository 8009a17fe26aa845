"""What the signing views share: the current account and person, the store,
the signing environment, and refusal messages in the reader's language."""

from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from ...agreements import PdfStore, find_agreement, viewer_may_open
from ...agreements.signing_env import SigningEnvironment
from ...agreements.signing_window import OutsideSigningWindow
from ...errors import DomainError, NotFound
from ...extensions import db, db_session
from ...models import Agreement, Person, User
from ...pki.enrolment import NotEnrolled, SigningLocked
from ...pki.errors import WrongPin
from ..clock import local_today, localtime
from ..context import instance
from ..messages import error_text


def account() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def actor() -> str:
    return f"user:{account().username}"


def person_or_none() -> Person | None:
    user = account()
    return db.session.get(Person, user.person_id) if user.person_id is not None else None


def signing_person() -> Person:
    person = person_or_none()
    if person is None:
        abort(403, description=_("Only accounts linked to a person can sign."))
    return person


def open_agreement(agreement_id: int) -> Agreement:
    """The agreement if the current account may open it, else 404 (unknown and forbidden look
    the same); the PDF, its page images and the sign page all check access here."""
    try:
        found = find_agreement(db_session(), agreement_id)
    except NotFound:
        abort(404)
    if not viewer_may_open(db_session(), account(), found, local_today()):
        abort(404)
    return found


def store() -> PdfStore:
    return instance().store


def environment() -> SigningEnvironment:
    return instance().signing_environment(db_session())


def refusal_message(err: DomainError) -> str:
    """The message shown for a refused signature, in the reader's language: PIN and window
    problems worded here, the workflow's own refusals through the catalogue (``error_text``)."""
    if isinstance(err, WrongPin):
        return _("The signing PIN is wrong. After five wrong PINs in a row signing is locked for 15 minutes.")
    if isinstance(err, SigningLocked):
        until = localtime(err.until, "%H:%M")
        return _("Too many wrong signing PINs: signing is locked until %(time)s.", time=until)
    if isinstance(err, OutsideSigningWindow):
        if err.early and err.first is not None:
            return _("This agreement was issued on %(day)s: it cannot be signed before that day.", day=err.first)
        return _("The signing window of this agreement ended on %(day)s: the campaign's term is over.", day=err.last)
    if isinstance(err, NotEnrolled):
        return _("You have not set a signing PIN yet.")
    return error_text(err)
