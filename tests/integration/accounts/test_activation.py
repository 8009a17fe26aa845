"""Activation links and initial passwords."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from responsibility.accounts.activation import (
    activate,
    issue_activation,
    set_initial_password,
    token_digest,
    user_for_activation,
)
from responsibility.accounts.errors import LoginFailed
from responsibility.accounts.service import authenticate
from responsibility.errors import BadInput, InvalidState, NotFound
from responsibility.models import KIND_PERSON, AuditEvent, Person, User


@pytest.fixture
def person_user(session) -> User:  # type: ignore[no-untyped-def]
    person = Person(source_id="P00027", name="王老师")
    user = User(username="P00027", display_name="王老师", kind=KIND_PERSON, person=person, password_hash=None)
    session.add_all([person, user])
    session.commit()
    return user


def actions(session) -> list[str]:  # type: ignore[no-untyped-def]
    return list(session.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


def test_only_the_token_digest_is_stored(session, person_user) -> None:  # type: ignore[no-untyped-def]
    token = issue_activation(session, person_user, actor="admin", hours=24)
    session.commit()
    assert len(token) >= 40
    assert person_user.activation_token_hash == token_digest(token) != token
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "auth.activation_issued")).scalar_one()
    assert event.actor == "admin" and event.subject == "user:P00027" and token not in str(event.data)


def test_activation_link_works_once(session, person_user) -> None:  # type: ignore[no-untyped-def]
    token = issue_activation(session, person_user, actor="admin", hours=24)
    session.commit()
    assert user_for_activation(session, token) is person_user
    activate(session, token, "my-own-password")
    session.commit()
    assert person_user.activation_token_hash is None and person_user.must_change_password is False
    assert authenticate(session, "P00027", "my-own-password") is person_user
    with pytest.raises(NotFound):
        activate(session, token, "another-password")
    assert actions(session)[-2:] == ["auth.password_changed", "auth.login"]


def test_activation_link_expires(session, person_user) -> None:  # type: ignore[no-untyped-def]
    issued_at = dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC)
    token = issue_activation(session, person_user, actor="admin", hours=2, now=issued_at)
    session.commit()
    session.expire_all()  # read the expiry back from the database (naive on SQLite)
    assert user_for_activation(session, token, now=issued_at + dt.timedelta(hours=1, minutes=59)) is person_user
    with pytest.raises(InvalidState, match="已过期"):
        activate(session, token, "my-own-password", now=issued_at + dt.timedelta(hours=2))
    session.rollback()
    # a link issued now with a past expiry really is expired against the clock
    token = issue_activation(
        session, person_user, actor="admin", hours=1, now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    )
    session.commit()
    with pytest.raises(InvalidState):
        user_for_activation(session, token)
    with pytest.raises(LoginFailed):
        authenticate(session, "P00027", "my-own-password")


def test_new_link_replaces_old_and_bad_tokens_are_not_found(session, person_user) -> None:  # type: ignore[no-untyped-def]
    first = issue_activation(session, person_user, actor="admin", hours=24)
    second = issue_activation(session, person_user, actor="admin", hours=24)
    session.commit()
    for bad in (first, "", "x" * 300, second + "x"):
        with pytest.raises(NotFound):
            user_for_activation(session, bad)
    assert user_for_activation(session, second) is person_user


def test_activation_enforces_policy_and_keeps_token(session, person_user) -> None:  # type: ignore[no-untyped-def]
    token = issue_activation(session, person_user, actor="admin", hours=24)
    session.commit()
    with pytest.raises(BadInput):
        activate(session, token, "123")
    session.rollback()
    assert user_for_activation(session, token) is person_user
    assert person_user.password_hash is None


@pytest.mark.parametrize("hours", [0, -1, 24 * 31])
def test_validity_hours_bounded(session, person_user, hours: int) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput):
        issue_activation(session, person_user, actor="admin", hours=hours)


def test_initial_password_forces_change_and_cancels_link(session, person_user) -> None:  # type: ignore[no-untyped-def]
    token = issue_activation(session, person_user, actor="admin", hours=24)
    set_initial_password(session, person_user, "given-by-admin", actor="admin")
    session.commit()
    assert person_user.must_change_password is True
    with pytest.raises(NotFound):
        user_for_activation(session, token)
    assert authenticate(session, "P00027", "given-by-admin") is person_user
    assert "auth.initial_password_set" in actions(session)


def test_disabled_account_gets_no_link(session, person_user) -> None:  # type: ignore[no-untyped-def]
    person_user.is_enabled = False
    session.commit()
    with pytest.raises(InvalidState):
        issue_activation(session, person_user, actor="admin", hours=24)
    with pytest.raises(InvalidState):
        set_initial_password(session, person_user, "given-by-admin", actor="admin")
