"""What the round pages share: the signed-in person, who counts as bureau staff, the labels of
the codes the pages show, and rendering a refusal in the reader's language."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ...accounts.access import sees_whole_county
from ...accounts.roles import ADMIN, BUREAU_LEADER, SECTION_STAFF, roles_of
from ...errors import DomainError
from ...extensions import db, db_session
from ...models import Person, User
from ..bilingual import in_reader_language
from ..clock import local_today

SCOPE_LABELS = {"school": _l("Whole school"), "building": _l("Per building"), "grid": _l("Per grid")}
RESULT_LABELS = {"pass": _l("Pass"), "fail": _l("Fail"), "na": _l("Not applicable")}
STATUS_LABELS = {"open": _l("Not submitted"), "submitted": _l("Submitted")}
OPENERS = frozenset({ADMIN, BUREAU_LEADER})


def label_of(table: dict[str, Any], code: str | None) -> str:
    return str(table.get(code or "", code or "—"))


def labels() -> dict[str, Any]:
    return {
        "scope_label": lambda c: label_of(SCOPE_LABELS, c),
        "result_label": lambda c: label_of(RESULT_LABELS, c),
        "status_label": lambda c: label_of(STATUS_LABELS, c),
    }


def user() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def roles() -> frozenset[str]:
    return roles_of(db_session(), user(), local_today())


def is_bureau_staff(held: frozenset[str]) -> bool:
    """Admins, auditors, bureau leaders (county-wide) and section staff see the bureau's pages."""
    return sees_whole_county(held) or SECTION_STAFF in held


def person_or_none() -> Person | None:
    pid = user().person_id
    return db.session.get(Person, pid) if pid is not None else None


def actor() -> str:
    person = person_or_none()
    return f"person:{person.source_id}" if person else f"user:{user().username}"


def refused(err: DomainError, template: str, **context: Any) -> tuple[str, int]:
    """The page again with the refusal (the caller rolled back before building ``context``)."""
    flash(in_reader_language(str(err)), "error")
    return render_template(template, **{**labels(), **context}), err.http_status


def require_bureau() -> frozenset[str]:
    held = roles()
    if not is_bureau_staff(held):
        abort(404)
    return held
