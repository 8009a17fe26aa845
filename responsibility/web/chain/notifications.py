"""``/notifications`` (the person's notifications, mark read) and the header bell's count."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ...agreements.notices import KINDS as AGREEMENT_KINDS
from ...extensions import db, db_session
from ...models import Notification
from ...notify import mark_read, notifications_for, unread_count
from .blueprint import bp


def _person_id() -> int | None:
    if not (current_user and current_user.is_authenticated):
        return None
    return getattr(current_user, "person_id", None)


def notification_text(note: Notification) -> str:
    """The notification in the reader's language: its catalogue msgid with its parameters, or the
    stored text of rows written before messages had msgids (escalation)."""
    if note.msgid:
        try:
            return gettext(note.msgid, **(note.params or {}))
        except (KeyError, ValueError, TypeError):
            return note.message
    return note.message


def is_hazard_kind(kind: str) -> bool:
    """Hazard notifications (``overdue_hazard``, ``hazard_supervised``, ``hazard_…``) link to a hazard."""
    return kind.startswith("hazard_") or kind.endswith("_hazard")


def link_label(note: Notification) -> str:
    """What the notification's link opens, by its kind: a hazard, an agreement, or else the chain
    (an overdue signature's escalation links to the school's responsibility chain)."""
    if is_hazard_kind(note.kind):
        return gettext("See the hazard")
    if note.kind in AGREEMENT_KINDS:
        return gettext("See the agreement")
    return gettext("See the chain")


@bp.app_context_processor
def _notification_context() -> dict[str, Any]:
    context: dict[str, Any] = {
        "notification_text": notification_text,
        "notification_link_label": link_label,
    }
    person_id = _person_id()
    if person_id is not None:
        try:
            context["notification_count"] = unread_count(db_session(), person_id)
        except SQLAlchemyError:
            db.session.rollback()
    return context


@bp.route("/notifications")
@login_required
def notifications() -> str:
    person_id = _person_id()
    items = notifications_for(db_session(), person_id) if person_id is not None else []
    return render_template("chain/notifications.html", items=items)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read() -> Response:
    person_id = _person_id()
    if person_id is not None:
        raw = request.form.getlist("id")
        ids = [int(v) for v in raw if v.isdigit()] if raw else None
        done = mark_read(db_session(), person_id, ids)
        db.session.commit()
        flash(gettext("%(n)d notifications marked read.", n=done), "info")
    return redirect(url_for("chain.notifications"))


__all__ = ["is_hazard_kind", "link_label", "notification_text", "notifications", "read"]
