"""Account life cycle on a real database: creation, login, password change, audit events."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from responsibility.accounts.errors import LoginFailed, PersonOutOfService
from responsibility.accounts.passwords import verify_password
from responsibility.accounts.service import (
    authenticate,
    change_password,
    create_admin,
    create_auditor,
    find_accounts,
    get_by_username,
)
from responsibility.audit import verify_chain
from responsibility.errors import BadInput
from responsibility.models import KIND_ADMIN, KIND_AUDITOR, KIND_PERSON, LEFT_UNDATED, AuditEvent, Person, User

ADMIN_PW = "admin-pass-2025"


def events(session, action: str) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(
        session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).scalars()
    )


def imported_person(session, source_id: str = "P00027", *, active: bool = True) -> User:  # type: ignore[no-untyped-def]
    """What provisioning makes: a person account without a usable password."""
    person = Person(source_id=source_id, name="王老师", left_on=None if active else LEFT_UNDATED)
    user = User(username=source_id, display_name="王老师", kind=KIND_PERSON, person=person, password_hash=None)
    session.add_all([person, user])
    session.commit()
    return user


def test_create_admin_stores_hash_and_audits(session) -> None:  # type: ignore[no-untyped-def]
    user = create_admin(session, username="admin", display_name="系统管理员", password=ADMIN_PW, actor="cli")
    session.commit()
    stored = session.execute(select(User).where(User.username == "admin")).scalar_one()
    assert stored.id == user.id and stored.kind == KIND_ADMIN
    assert stored.must_change_password is False
    assert verify_password(stored.password_hash, ADMIN_PW)
    [event] = events(session, "account.created")
    assert event.actor == "cli" and event.subject == "user:admin" and event.data["kind"] == "admin"
    assert ADMIN_PW not in str(event.data)


@pytest.mark.parametrize("clash", ["admin", "ADMIN", " admin "])
def test_duplicate_username_is_bad_input_and_changes_nothing(session, clash: str) -> None:  # type: ignore[no-untyped-def]
    create_admin(session, username="admin", display_name="管理员", password=ADMIN_PW, actor="cli")
    session.commit()
    with pytest.raises(BadInput, match="already exists"):
        create_auditor(session, username=clash, display_name="审计", password=None, actor="cli")
    session.rollback()
    assert session.execute(select(User)).scalars().all() == [get_by_username(session, "admin")]
    assert len(events(session, "account.created")) == 1


@pytest.mark.parametrize("bad", ["", "a", "has space", "中文名", "x" * 65, "-leading"])
def test_invalid_username_refused(session, bad: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput):
        create_admin(session, username=bad, display_name="管理员", password=ADMIN_PW, actor="cli")


def test_admin_password_must_pass_policy(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BadInput, match="at least 10 characters"):
        create_admin(session, username="admin", display_name="管理员", password="short", actor="cli")
    session.rollback()
    assert session.execute(select(User)).first() is None


def test_auditor_without_password_cannot_log_in(session) -> None:  # type: ignore[no-untyped-def]
    auditor = create_auditor(session, username="audit1", display_name="审计员", password=None, actor="admin")
    session.commit()
    assert auditor.kind == KIND_AUDITOR and auditor.password_hash is None
    with pytest.raises(LoginFailed) as caught:
        authenticate(session, "audit1", "anything-at-all")
    assert caught.value.reason == "not_activated"


def test_auditor_with_initial_password_must_change_it(session) -> None:  # type: ignore[no-untyped-def]
    create_auditor(session, username="audit2", display_name="审计员", password="initial-pass-1", actor="admin")
    session.commit()
    user = authenticate(session, "audit2", "initial-pass-1")
    assert user.must_change_password is True


def test_login_success_records_event_and_last_login(session) -> None:  # type: ignore[no-untyped-def]
    create_admin(session, username="admin", display_name="管理员", password=ADMIN_PW, actor="cli")
    session.commit()
    user = authenticate(session, "admin", ADMIN_PW, remote_addr="10.0.0.5")
    session.commit()
    assert user.last_login_at is not None
    [event] = events(session, "auth.login")
    assert event.actor == "admin" and event.subject == "user:admin" and event.data["remote_addr"] == "10.0.0.5"


def test_username_lookup_ignores_case_and_spaces(session) -> None:  # type: ignore[no-untyped-def]
    imported_person(session, "P00027")
    from responsibility.accounts.activation import set_initial_password

    set_initial_password(session, get_by_username(session, "P00027"), "initial-pass-2", actor="admin")
    session.commit()
    assert authenticate(session, " p00027 ", "initial-pass-2").username == "P00027"


@pytest.mark.parametrize(
    ("username", "password", "reason"),
    [("admin", "wrong-password-1", "wrong_password"), ("nobody", ADMIN_PW, "unknown_user")],
)
def test_failed_login_records_username_and_reason_never_password(session, username, password, reason) -> None:  # type: ignore[no-untyped-def]
    create_admin(session, username="admin", display_name="管理员", password=ADMIN_PW, actor="cli")
    session.commit()
    with pytest.raises(LoginFailed) as caught:
        authenticate(session, username, password, remote_addr="10.0.0.9")
    session.commit()  # the caller commits the record of the attempt
    assert caught.value.reason == reason
    assert str(caught.value) == str(LoginFailed("other"))  # one message whatever the cause
    [event] = events(session, "auth.login_failed")
    assert event.data == {"username": username, "reason": reason, "remote_addr": "10.0.0.9"}
    assert password not in event.data.values() and password not in event.subject
    assert events(session, "auth.login") == []
    assert verify_chain(session).ok


def test_imported_account_cannot_log_in_before_activation(session) -> None:  # type: ignore[no-untyped-def]
    imported_person(session)
    for attempt in ("", "P00027", "demo-2025-lanchuan"):
        with pytest.raises(LoginFailed) as caught:
            authenticate(session, "P00027", attempt)
        assert caught.value.reason == "not_activated"


def test_disabled_account_and_inactive_person_cannot_log_in(session) -> None:  # type: ignore[no-untyped-def]
    from responsibility.accounts.activation import set_initial_password

    admin = create_admin(session, username="admin", display_name="管理员", password=ADMIN_PW, actor="cli")
    leaver = imported_person(session, "P00099", active=False)
    set_initial_password(session, leaver, "initial-pass-3", actor="admin")
    admin.is_enabled = False
    session.commit()
    with pytest.raises(LoginFailed) as caught:
        authenticate(session, "admin", ADMIN_PW)
    assert caught.value.reason == "disabled"
    with pytest.raises(LoginFailed) as caught:
        authenticate(session, "P00099", "initial-pass-3")
    assert caught.value.reason == "person_inactive"


def test_login_follows_the_persons_service_on_the_day(session) -> None:  # type: ignore[no-untyped-def]
    """A teacher who left on 2025-01-20 could log in the day before and cannot from that day on:
    the refusal names the leave (the password was right), and the audit log records it."""
    from responsibility.accounts.activation import set_initial_password

    user = imported_person(session, "P00100")
    set_initial_password(session, user, "initial-pass-5", actor="admin")
    assert user.person is not None
    user.person.left_on, user.person.left_reason = dt.date(2025, 1, 20), "transferred"
    session.commit()
    assert authenticate(session, "P00100", "initial-pass-5", day=dt.date(2025, 1, 19)) is user
    with pytest.raises(PersonOutOfService) as caught:
        authenticate(session, "P00100", "initial-pass-5", day=dt.date(2025, 1, 20))
    assert caught.value.left_on == dt.date(2025, 1, 20) and caught.value.reason == "person_inactive"
    assert events(session, "auth.login_failed")[-1].data["reason"] == "person_inactive"
    # A wrong password still says only "wrong password": the leave is not told to a stranger.
    with pytest.raises(LoginFailed) as wrong:
        authenticate(session, "P00100", "not-the-password", day=dt.date(2025, 1, 20))
    assert not isinstance(wrong.value, PersonOutOfService) and wrong.value.reason == "wrong_password"
    # Not joined yet: refused as well, with no leave date.
    user.person.left_on, user.person.joined_on = None, dt.date(2025, 3, 1)
    session.commit()
    with pytest.raises(PersonOutOfService) as early:
        authenticate(session, "P00100", "initial-pass-5", day=dt.date(2025, 2, 28))
    assert early.value.left_on is None and early.value.joined_on == dt.date(2025, 3, 1)


def test_login_upgrades_hash_made_with_old_parameters(session) -> None:  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    user = create_admin(session, username="admin", display_name="管理员", password=ADMIN_PW, actor="cli")
    old = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(ADMIN_PW)
    user.password_hash = old
    session.commit()
    authenticate(session, "admin", ADMIN_PW)
    session.commit()
    assert user.password_hash != old and "m=65536" in user.password_hash
    assert verify_password(user.password_hash, ADMIN_PW)


def test_change_password(session) -> None:  # type: ignore[no-untyped-def]
    user = create_auditor(session, username="audit3", display_name="审计员", password="initial-pass-4", actor="admin")
    session.commit()
    with pytest.raises(BadInput, match="current password is wrong"):
        change_password(session, user, current_password="wrong-one-123", new_password="my-new-password")
    with pytest.raises(BadInput, match="must differ from the current one"):
        change_password(session, user, current_password="initial-pass-4", new_password="initial-pass-4")
    with pytest.raises(BadInput, match="must not be all digits"):
        change_password(session, user, current_password="initial-pass-4", new_password="12345678901")
    session.rollback()
    change_password(session, user, current_password="initial-pass-4", new_password="my-new-password")
    session.commit()
    assert user.must_change_password is False
    assert authenticate(session, "audit3", "my-new-password") is user
    with pytest.raises(LoginFailed):
        authenticate(session, "audit3", "initial-pass-4")
    [event] = events(session, "auth.password_changed")
    assert event.actor == "audit3" and event.data == {"via": "change"}


def test_find_accounts_searches_username_and_name(session) -> None:  # type: ignore[no-untyped-def]
    create_admin(session, username="admin", display_name="系统管理员", password=ADMIN_PW, actor="cli")
    create_auditor(session, username="audit-zhao", display_name="赵审计", password=None, actor="admin")
    imported_person(session, "P00027")
    session.commit()
    assert [u.username for u in find_accounts(session, query="审计")] == ["audit-zhao"]
    assert [u.username for u in find_accounts(session, query="p000")] == ["P00027"]
    assert [u.username for u in find_accounts(session, kind="admin")] == ["admin"]
    assert len(find_accounts(session)) == 3
