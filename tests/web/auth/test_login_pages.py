"""Login, logout, forced password change, activation pages and their protections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from support import make_app

from responsibility.accounts.activation import issue_activation, set_initial_password
from responsibility.accounts.service import create_admin
from responsibility.extensions import db
from responsibility.models import KIND_PERSON, AuditEvent, Person, User
from responsibility.web.auth.routes import safe_next

ADMIN_PW = "admin-pass-2025"


def add_admin(app, username: str = "admin", password: str = ADMIN_PW) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        create_admin(db.session, username=username, display_name="系统管理员", password=password, actor="test")
        db.session.commit()


def add_person(app, source_id: str = "P00027", *, initial_password: str | None = None) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        person = Person(source_id=source_id, name="王老师")
        user = User(username=source_id, display_name="王老师", kind=KIND_PERSON, person=person, password_hash=None)
        db.session.add_all([person, user])
        if initial_password:
            set_initial_password(db.session, user, initial_password, actor="admin")
        db.session.commit()


def login(client, username: str, password: str, next_url: str | None = None):  # type: ignore[no-untyped-def]
    data = {"username": username, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


def audit_actions(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(select(AuditEvent.action, AuditEvent.subject).order_by(AuditEvent.seq)).all()
        return [tuple(row) for row in rows]


def logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    """The password page needs a login: 200 when logged in, a redirect to /login otherwise."""
    response = client.get("/password")
    return response.status_code == 200


def test_login_page_renders_form(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/login?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="username"' in html and 'type="password"' in html and 'method="post"' in html


def test_login_success_redirects_home_and_records_event(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    response = login(client, "admin", ADMIN_PW)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in(client)
    assert ("auth.login", "user:admin") in audit_actions(app)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_failure_shows_message_and_records_event(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    client.get("/login?lang=en")
    response = login(client, "admin", "wrong-password-1")
    assert response.status_code == 200
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert "wrong-password-1" not in response.get_data(as_text=True)
    assert not logged_in(client)
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).scalar_one()
        assert event.data["username"] == "admin" and event.data["reason"] == "wrong_password"
        assert event.data["remote_addr"] == "127.0.0.1"


def test_imported_account_cannot_log_in_before_activation(app, client) -> None:  # type: ignore[no-untyped-def]
    add_person(app)
    response = login(client, "P00027", "any-password-1")
    assert response.status_code == 200 and not logged_in(client)
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).scalar_one()
        assert event.data["reason"] == "not_activated"


def test_safe_next_is_followed(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    response = login(client, "admin", ADMIN_PW, next_url="/org/schools/3?tab=grids")
    assert response.headers["Location"] == "/org/schools/3?tab=grids"


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/%0d%0aSet-Cookie:x=1\r\nX: y",
        " //evil.example",
    ],
)
def test_open_redirect_refused(app, client, evil: str) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    response = login(client, "admin", ADMIN_PW, next_url=evil)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert safe_next(evil) is None


def test_next_from_query_string_reaches_the_form(client) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/login?next=/admin/users").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/admin/users"' in html
    html = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    assert 'name="next" type="hidden" value=""' in html


def test_protected_page_redirects_to_login_with_next(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_needs_post(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    login(client, "admin", ADMIN_PW)
    assert client.get("/logout").status_code == 405
    assert logged_in(client)
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not logged_in(client)


def test_forced_password_change_on_first_login(app, client) -> None:  # type: ignore[no-untyped-def]
    add_person(app, initial_password="given-by-admin")
    response = login(client, "P00027", "given-by-admin", next_url="/org/schools/3")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/password")
    for path in ("/", "/admin/users", "/org/schools/3", "/no/such/page"):
        redirected = client.get(path)
        assert redirected.status_code == 302 and redirected.headers["Location"].startswith("/password"), path
    assert client.get("/password").status_code == 200
    refused = client.post(
        "/password",
        data={"current_password": "given-by-admin", "new_password": "given-by-admin", "confirm": "given-by-admin"},
    )
    assert refused.status_code == 200
    changed = client.post(
        "/password",
        data={
            "current_password": "given-by-admin",
            "new_password": "my-own-password",
            "confirm": "my-own-password",
            "next": "/org/schools/3",
        },
    )
    assert changed.status_code == 302 and changed.headers["Location"] == "/org/schools/3"
    assert not client.get("/").headers.get("Location", "").startswith("/password")
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == "P00027")).scalar_one()
        assert user.must_change_password is False
    assert ("auth.password_changed", "user:P00027") in audit_actions(app)


def test_password_change_mismatch_is_refused(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    login(client, "admin", ADMIN_PW)
    client.get("/password?lang=en")
    response = client.post(
        "/password", data={"current_password": ADMIN_PW, "new_password": "new-password-1", "confirm": "new-password-2"}
    )
    assert response.status_code == 200 and "The passwords differ." in response.get_data(as_text=True)
    assert login(client.application.test_client(), "admin", ADMIN_PW).status_code == 302


def test_session_ends_when_password_is_reset_elsewhere(app, client) -> None:  # type: ignore[no-untyped-def]
    add_admin(app)
    login(client, "admin", ADMIN_PW)
    assert logged_in(client)
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == "admin")).scalar_one()
        set_initial_password(db.session, user, "reset-by-someone", actor="other-admin")
        db.session.commit()
    response = client.get("/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def issue_token(app, username: str = "P00027", hours: int = 24) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == username)).scalar_one()
        token = issue_activation(db.session, user, actor="admin", hours=hours)
        db.session.commit()
        return token


def test_activation_page_sets_password_once(app, client) -> None:  # type: ignore[no-untyped-def]
    add_person(app)
    token = issue_token(app)
    page = client.get(f"/activate/{token}")
    assert page.status_code == 200 and "P00027" in page.get_data(as_text=True)
    mismatch = client.post(f"/activate/{token}", data={"new_password": "my-password-1", "confirm": "my-password-2"})
    assert mismatch.status_code == 200
    weak = client.post(f"/activate/{token}", data={"new_password": "1234567890", "confirm": "1234567890"})
    assert weak.status_code == 200 and "不能全是数字" in weak.get_data(as_text=True)
    done = client.post(f"/activate/{token}", data={"new_password": "my-password-1", "confirm": "my-password-1"})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert client.get(f"/activate/{token}").status_code == 404
    assert (
        client.post(f"/activate/{token}", data={"new_password": "x-password-2", "confirm": "x-password-2"}).status_code
        == 404
    )
    assert login(client, "P00027", "my-password-1").headers["Location"] == "/"


def test_expired_activation_link_is_gone(app, client) -> None:  # type: ignore[no-untyped-def]
    add_person(app)
    token = issue_token(app)
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == "P00027")).scalar_one()
        user.activation_expires_at = user.activation_expires_at.replace(year=2020)
        db.session.commit()
    client.get("/login?lang=en")
    response = client.get(f"/activate/{token}")
    assert response.status_code == 410 and "expired" in response.get_data(as_text=True)
    assert client.get("/activate/not-a-token").status_code == 404


def test_login_rate_limited_with_friendly_page(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path / "rl", RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    try:
        client = app.test_client()
        client.get("/login?lang=en")
        statuses = [login(client, "someone", "wrong-password-1").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        page = client.post("/login", data={"username": "x", "password": "y"})
        assert page.status_code == 429
        assert "Too many attempts" in page.get_data(as_text=True)
        assert "Traceback" not in page.get_data(as_text=True)
        assert client.get("/login").status_code == 200  # only POSTs count
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_csrf_refused_without_token(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path / "csrf", WTF_CSRF_ENABLED=True)
    try:
        add_admin(app)
        client = app.test_client()
        client.get("/login?lang=en")
        for path in ("/login", "/logout", "/password"):
            response = client.post(path, data={"username": "admin", "password": ADMIN_PW})
            assert response.status_code == 400, path
            assert "security token" in response.get_data(as_text=True)
        assert not logged_in(client)
        html = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
        assert token is not None
        ok = client.post("/login", data={"username": "admin", "password": ADMIN_PW, "csrf_token": token.group(1)})
        assert ok.status_code == 302 and logged_in(client)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_session_cookie_secure_by_default_config(database_url: str, tmp_path: Path) -> None:
    app = make_app(database_url, tmp_path / "secure", SESSION_COOKIE_SECURE=True)
    try:
        add_admin(app)
        response = login(app.test_client(), "admin", ADMIN_PW)
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _leave(app, source_id: str, left_on) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        person = db.session.execute(select(Person).where(Person.source_id == source_id)).scalar_one()
        person.left_on, person.left_reason = left_on, "transferred"
        db.session.commit()


def test_a_person_who_has_left_is_told_so_in_their_language(app, client) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    add_person(app, "P00031", initial_password="initial-pass-31")
    _leave(app, "P00031", dt.date(2020, 9, 1))
    page = login(client, "P00031", "initial-pass-31").get_data(as_text=True)
    assert "您已于 2020-09-01 离岗，此账户不能再登录。" in page and not logged_in(client)
    client.get("/login?lang=en")
    page = login(client, "P00031", "initial-pass-31").get_data(as_text=True)
    assert "You left service on 2020-09-01, so this account can no longer sign in." in page
    # A wrong password still gets the one message for every cause.
    page = login(client, "P00031", "wrong-password-9").get_data(as_text=True)
    assert "Wrong username or password." in page and "2020-09-01" not in page
    assert ("auth.login_failed", "user:P00031") in audit_actions(app)


def test_the_session_of_someone_who_leaves_ends(app, client) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    add_person(app, "P00032", initial_password="initial-pass-32")
    assert login(client, "P00032", "initial-pass-32").status_code == 302
    assert logged_in(client)
    _leave(app, "P00032", dt.date(2020, 9, 1))
    assert not logged_in(client)
