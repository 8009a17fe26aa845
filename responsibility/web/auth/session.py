"""Who is logged in: the Flask-Login user loader and the checks made before every request.

- A session is bound to a fingerprint of the password hash it logged in with: when the password
  changes (elsewhere, or reset by the admin) or the account is disabled, old sessions end; so do
  the sessions of a person who is no longer in service today (``Person.in_service_on``).
- While ``must_change_password`` is set, every page except the password form, logout and static
  files redirects to the password form.
"""

from __future__ import annotations

import hashlib

from flask import redirect, request, session, url_for
from flask_login import current_user, logout_user
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from ...extensions import db, login_manager
from ...messages import N_
from ...models import User
from ..clock import local_today
from .blueprint import bp

FINGERPRINT_KEY = "_pwfp"
LOGIN_MESSAGE = "Please log in to continue."
"""Flashed by Flask-Login; translated through ``localize_callback`` (msgid marked below)."""

_ALLOWED_WHILE_MUST_CHANGE = frozenset({"auth.change_password", "auth.logout", "static"})


N_("Please log in to continue.")


def password_fingerprint(user: User) -> str:
    """A short digest of the stored hash: changes whenever the password does."""
    return hashlib.sha256((user.password_hash or "").encode("utf-8")).hexdigest()[:32]


def remember_login(user: User) -> None:
    """Call after ``login_user`` and after a password change in this session."""
    session[FINGERPRINT_KEY] = password_fingerprint(user)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id), options=[joinedload(User.person)])
    except (TypeError, ValueError):
        return None
    if user is None or not user.is_enabled or user.password_hash is None:
        return None
    if user.person is not None and not user.person.in_service_on(local_today()):
        return None
    return user


@bp.before_app_request
def _check_session() -> Response | None:
    if not current_user.is_authenticated:
        return None
    if session.get(FINGERPRINT_KEY) != password_fingerprint(current_user):
        logout_user()
        session.pop(FINGERPRINT_KEY, None)
        return redirect(url_for("auth.login"))
    if current_user.must_change_password and request.endpoint not in _ALLOWED_WHILE_MUST_CHANGE:
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.change_password", next=target))
    return None
