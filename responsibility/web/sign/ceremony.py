"""The guided parts of the sign page: who has signed and who is next, where the signer's field
is in the preview, how many PIN tries are left, the lock, and the "to sign" count.

Read-only helpers for the views (``routes``) and the templates (the ``to_sign_count`` context
function); the rules stay in ``agreements.signers_required`` and ``pki.pin_attempts``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import g
from flask_babel import gettext as _
from flask_login import current_user

from ...agreements.signers_required import RequiredSignature, SigningPlan
from ...agreements.signing_queries import inbox as inbox_items
from ...clock import as_utc, now_utc
from ...extensions import db, db_session
from ...models import Agreement, Person
from ...pdf.field_pages import signature_field_pages
from ...pki.enrolment import SigningLocked, enrolment_of
from ...pki.pin_attempts import MAX_PIN_FAILURES
from ..clock import local_today
from .blueprint import bp
from .common import refusal_message, store

__all__ = ["Progress", "field_page", "lock_message_of", "progress", "to_sign_count", "wrong_pin_message"]

_pages_cache: dict[str, dict[str, int]] = {}


@dataclass(frozen=True)
class Progress:
    signed: int
    total: int
    next: tuple[RequiredSignature, ...]
    """The signatures whose turn it is (name and posts on the plan's day); empty when complete."""


def progress(plan: SigningPlan) -> Progress:
    return Progress(sum(1 for s in plan.signatures if s.signed), len(plan.signatures), tuple(plan.pending_now()))


def field_page(agreement: Agreement, plan: SigningPlan, mine: list[RequiredSignature]) -> int | None:
    """The page of the field to look at: the viewer's own, else the next one to be signed."""
    wanted = [s.field for s in mine] or [s.field for s in plan.pending_now()]
    if not wanted:
        return None
    pages = _pages_cache.get(agreement.pdf_sha256)
    if pages is None:
        pages = signature_field_pages(store().read(agreement.pdf_sha256))
        if len(_pages_cache) > 512:
            _pages_cache.clear()
        _pages_cache[agreement.pdf_sha256] = pages
    return next((pages[f] for f in wanted if f in pages), None)


def _locked_until(person: Person) -> dt.datetime | None:
    enrolment = enrolment_of(db_session(), person)
    if enrolment is None or enrolment.locked_until is None:
        return None
    until = as_utc(enrolment.locked_until)
    return until if until > now_utc() else None


def lock_message_of(person: Person | None) -> str | None:
    """The lock and its local end time, while the person's signing is locked (seen on reload)."""
    until = _locked_until(person) if person is not None else None
    return refusal_message(SigningLocked("", until)) if until is not None else None


def wrong_pin_message(person: Person) -> str:
    """A wrong PIN, with how many tries are left before the lock (the count is committed)."""
    enrolment = enrolment_of(db_session(), person)
    failures = enrolment.failed_pin_count if enrolment is not None else 0
    left = max(MAX_PIN_FAILURES - int(failures or 0), 0)
    return _("The signing PIN is wrong: %(left)d tries left before signing is locked for 15 minutes.", left=left)


def to_sign_count() -> int | None:
    """How many agreements await the logged-in person's signature today (None: not a signer)."""
    if "to_sign_count" not in g:
        user = current_user
        person_id = getattr(user, "person_id", None) if user and user.is_authenticated else None
        person = db.session.get(Person, person_id) if person_id is not None else None
        g.to_sign_count = len(inbox_items(db_session(), person, local_today(), store())) if person else None
    return g.to_sign_count  # type: ignore[no-any-return]


@bp.app_context_processor
def _signing_context() -> dict[str, Any]:
    return {"to_sign_count": to_sign_count}
