"""Account life cycle: creating admin and auditor accounts, logging in, changing a password.

Every function takes an explicit session, never commits, and writes its audit event in the
caller's transaction (ARCHITECTURE rule 4). A failed login is a state change too (it is
recorded): :func:`authenticate` adds the ``auth.login_failed`` event *before* raising, so the
caller commits after catching :class:`~responsibility.accounts.errors.LoginFailed`.

Person accounts are made by ``provision.sync_accounts`` (username = the person's source id, no
password); activation links and initial passwords live in ``activation``.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import clock
from ..audit import append_event
from ..errors import BadInput
from ..messages import N_
from ..models import KIND_ADMIN, KIND_AUDITOR, User
from .errors import LoginFailed, PersonOutOfService
from .passwords import hash_password, needs_rehash, set_password, verify_password

__all__ = [
    "USERNAME_PATTERN",
    "authenticate",
    "change_password",
    "create_admin",
    "create_auditor",
    "find_accounts",
    "get_by_username",
    "subject_of",
]

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,63}$")
"""Usernames: 2–64 ASCII letters, digits and ``_ . @ -``; person accounts use their source id."""

_AUDIT_USERNAME_MAX = 64


def subject_of(user: User | str) -> str:
    """The audit subject naming an account: ``user:<username>``."""
    return f"user:{user if isinstance(user, str) else user.username}"


def get_by_username(session: Session, username: str) -> User | None:
    """The account called ``username`` (surrounding spaces ignored; case-insensitive when that
    names exactly one account, so ``p00027`` finds ``P00027``)."""
    name = (username or "").strip()
    if not name:
        return None
    exact = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    if exact is not None:
        return exact
    matches = session.execute(select(User).where(func.lower(User.username) == name.lower()).limit(2)).scalars().all()
    return matches[0] if len(matches) == 1 else None


def find_accounts(
    session: Session, *, query: str | None = None, kind: str | None = None, limit: int | None = None
) -> list[User]:
    """Accounts ordered by kind then username; ``query`` matches username or display name."""
    stmt = select(User)
    if query and query.strip():
        pattern = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(User.username).like(pattern), func.lower(User.display_name).like(pattern)))
    if kind:
        stmt = stmt.where(User.kind == kind)
    stmt = stmt.order_by(User.kind, User.username)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())


def _check_new_account(session: Session, username: str, display_name: str) -> tuple[str, str]:
    username = (username or "").strip()
    display_name = (display_name or "").strip()
    if not USERNAME_PATTERN.match(username):
        raise BadInput(
            f"用户名“{username}”无效：需 2–64 个字母、数字或 _ . @ -。"
            f" (Invalid username {username!r}: use 2-64 letters, digits or _ . @ -.)"
        )
    if not display_name or len(display_name) > 100:
        raise BadInput(N_("The display name must have 1-100 characters."))
    clash = session.execute(select(User.id).where(func.lower(User.username) == username.lower())).first()
    if clash is not None:
        raise BadInput(N_("The username %(username)s already exists."), username=f"“{username}”")
    return username, display_name


def _create(
    session: Session,
    *,
    kind: str,
    username: str,
    display_name: str,
    password: str | None,
    must_change: bool,
    actor: str,
) -> User:
    username, display_name = _check_new_account(session, username, display_name)
    user = User(username=username, display_name=display_name, kind=kind, password_hash=None, must_change_password=True)
    if password is not None:
        set_password(user, password, must_change=must_change)
    session.add(user)
    session.flush()
    append_event(
        session,
        actor=actor,
        action="account.created",
        subject=subject_of(user),
        data={"kind": kind, "display_name": display_name, "has_password": password is not None},
    )
    return user


def create_admin(session: Session, *, username: str, display_name: str, password: str, actor: str) -> User:
    """A bureau admin account (``kind="admin"``) with the password its owner chose.

    The password is checked against the policy; a duplicate username (in any letter case) is
    :class:`BadInput`. Audit event ``account.created``.
    """
    if password is None:
        raise BadInput(N_("An admin account needs a password."))
    return _create(
        session,
        kind=KIND_ADMIN,
        username=username,
        display_name=display_name,
        password=password,
        must_change=False,
        actor=actor,
    )


def create_auditor(session: Session, *, username: str, display_name: str, password: str | None, actor: str) -> User:
    """A read-only, county-wide auditor account (``kind="auditor"``).

    Without a password the account cannot log in until the admin issues an activation link; with
    one (chosen by the admin) the auditor must change it at first login.
    """
    return _create(
        session,
        kind=KIND_AUDITOR,
        username=username,
        display_name=display_name,
        password=password,
        must_change=True,
        actor=actor,
    )


def _record_failure(session: Session, attempted: str, reason: str, remote_addr: str | None) -> LoginFailed:
    attempted = attempted[:_AUDIT_USERNAME_MAX]
    append_event(
        session,
        actor="anonymous",
        action="auth.login_failed",
        subject=subject_of(attempted),
        data={"username": attempted, "reason": reason, "remote_addr": remote_addr},
    )
    return LoginFailed(reason)


def authenticate(
    session: Session, username: str, password: str, *, remote_addr: str | None = None, day: dt.date | None = None
) -> User:
    """The account whose password this is, or :class:`LoginFailed` (one message for every cause).

    Records ``auth.login`` or ``auth.login_failed`` (the attempted username and the reason, never
    the password). Accounts without a usable password (imported, not yet activated) and disabled
    accounts cannot log in. Nor can the account of a person out of service on ``day`` (the local
    day, default today: left, or not joined yet): that raises :class:`PersonOutOfService`, a
    ``LoginFailed`` the page may explain, since the password was right. A hash made with older
    argon2 parameters is replaced on success.
    """
    attempted = (username or "").strip()
    password = password or ""
    user = get_by_username(session, attempted)
    if user is None:
        verify_password(None, password)
        raise _record_failure(session, attempted, "unknown_user", remote_addr)
    matches = verify_password(user.password_hash, password)
    if user.password_hash is None:
        raise _record_failure(session, user.username, "not_activated", remote_addr)
    if not matches:
        raise _record_failure(session, user.username, "wrong_password", remote_addr)
    if not user.is_enabled:
        raise _record_failure(session, user.username, "disabled", remote_addr)
    person = user.person
    if person is not None and not person.in_service_on(day or clock.today()):
        _record_failure(session, user.username, "person_inactive", remote_addr)
        raise PersonOutOfService(left_on=person.left_on, joined_on=person.joined_on)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = dt.datetime.now(dt.UTC)
    append_event(
        session,
        actor=user.username,
        action="auth.login",
        subject=subject_of(user),
        data={"remote_addr": remote_addr},
    )
    return user


def change_password(session: Session, user: User, *, current_password: str, new_password: str) -> None:
    """The owner replaces their password (also the forced change after an initial password).

    The current password must be right and the new one must differ and pass the policy; the
    "must change" flag is cleared. Audit event ``auth.password_changed``.
    """
    if not verify_password(user.password_hash, current_password or ""):
        raise BadInput(N_("The current password is wrong."))
    if new_password == current_password:
        raise BadInput(N_("The new password must differ from the current one."))
    set_password(user, new_password, must_change=False)
    append_event(
        session, actor=user.username, action="auth.password_changed", subject=subject_of(user), data={"via": "change"}
    )
