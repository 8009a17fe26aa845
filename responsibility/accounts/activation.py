"""One-time activation links and initial passwords: how an account gets its first password.

Imported person accounts (and auditors created without a password) have no usable password and
cannot log in. The admin either issues an activation link — a random token of which only the
SHA-256 is stored, with an expiry; opening it lets the owner choose a password, after which it
is gone — or sets an initial password that must be changed at the first login.

Only the hash of a token is kept, so a copy of the database does not let anyone activate an
account. Issuing a new link replaces the previous one; setting any password cancels it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import append_event
from ..clock import as_utc
from ..errors import BadInput, InvalidState, NotFound
from ..messages import N_
from ..models import User
from .passwords import set_password
from .service import subject_of

__all__ = [
    "MAX_HOURS",
    "activate",
    "issue_activation",
    "set_initial_password",
    "token_digest",
    "user_for_activation",
]

MAX_HOURS = 24 * 30
"""A link lives at most 30 days."""
_TOKEN_BYTES = 32


def token_digest(token: str) -> str:
    """What is stored for ``token``: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_activation(session: Session, user: User, *, actor: str, hours: int, now: dt.datetime | None = None) -> str:
    """Create a one-time activation token for ``user`` valid for ``hours``; returns the raw token.

    The raw token is shown once (as a link) and never stored. An existing password keeps working
    until the link is used. Audit event ``auth.activation_issued`` (with the expiry, not the token).
    """
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise BadInput(N_("The link must be valid for 1-%(hours)s hours."), hours=MAX_HOURS)
    if user.is_enabled is False:
        raise InvalidState(N_("Account %(username)s is disabled."), username=user.username)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    expires = (now or dt.datetime.now(dt.UTC)) + dt.timedelta(hours=hours)
    user.activation_token_hash = token_digest(token)
    user.activation_expires_at = expires
    append_event(
        session,
        actor=actor,
        action="auth.activation_issued",
        subject=subject_of(user),
        data={"expires_at": expires.isoformat(), "hours": hours},
    )
    session.flush()
    return token


def user_for_activation(session: Session, token: str, *, now: dt.datetime | None = None) -> User:
    """The account a still-valid token belongs to.

    :class:`NotFound` when the token is unknown (never issued, already used or replaced);
    :class:`InvalidState` when it has expired.
    """
    if not token or len(token) > 200:
        raise NotFound(N_("This activation link is invalid or was already used."))
    user = session.execute(select(User).where(User.activation_token_hash == token_digest(token))).scalar_one_or_none()
    if user is None or user.activation_expires_at is None:
        raise NotFound(N_("This activation link is invalid or was already used."))
    if as_utc(user.activation_expires_at) <= (now or dt.datetime.now(dt.UTC)):
        raise InvalidState(
            "激活链接已过期，请联系管理员重新发放。 (This activation link has expired; ask the administrator for a new one.)"
        )
    return user


def activate(session: Session, token: str, password: str, *, now: dt.datetime | None = None) -> User:
    """Use the token: set the owner's chosen password and destroy the token (works once).

    Audit event ``auth.password_changed`` with ``via="activation"``.
    """
    user = user_for_activation(session, token, now=now)
    set_password(user, password, must_change=False)
    append_event(
        session,
        actor=user.username,
        action="auth.password_changed",
        subject=subject_of(user),
        data={"via": "activation"},
    )
    session.flush()
    return user


def set_initial_password(session: Session, user: User, password: str, *, actor: str) -> None:
    """The admin sets a password for ``user``, who must change it at the first login.

    Cancels a pending activation link. Audit event ``auth.initial_password_set`` (never the
    password).
    """
    if user.is_enabled is False:
        raise InvalidState(N_("Account %(username)s is disabled."), username=user.username)
    set_password(user, password, must_change=True)
    append_event(session, actor=actor, action="auth.initial_password_set", subject=subject_of(user), data={})
    session.flush()
