"""The admin's account pages: only admins see them; auditors are created and links issued there."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from responsibility.accounts.activation import set_initial_password
from responsibility.accounts.service import create_admin, create_auditor
from responsibility.extensions import db
from responsibility.models import KIND_AUDITOR, KIND_PERSON, AuditEvent, Person, User

ADMIN_PW = "admin-pass-2025"
OTHER_PW = "other-pass-2025"


@pytest.fixture
def accounts(app) -> None:  # type: ignore[no-untyped-def]
    """An admin, an auditor and a person account that can log in, plus an imported one."""
    with app.app_context():
        create_admin(db.session, username="admin", display_name="系统管理员", password=ADMIN_PW, actor="test")
        auditor = create_auditor(db.session, username="audit1", display_name="审计员", password=None, actor="test")
        auditor.password_hash = None
        set_initial_password(db.session, auditor, OTHER_PW, actor="test")
        auditor.must_change_password = False
        for source_id in ("P00001", "P00002"):
            person = Person(source_id=source_id, name=f"教师{source_id[-1]}")
            db.session.add_all(
                [person, User(username=source_id, display_name=person.name, kind=KIND_PERSON, person=person)]
            )
        db.session.flush()
        staff = db.session.execute(select(User).where(User.username == "P00001")).scalar_one()
        set_initial_password(db.session, staff, OTHER_PW, actor="test")
        staff.must_change_password = False
        db.session.commit()


def login(client, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def user_id(app, username: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(select(User.id).where(User.username == username)).scalar_one()


ADMIN_PATHS = [
    ("GET", "/admin/users"),
    ("POST", "/admin/users/auditors"),
    ("POST", "/admin/users/{id}/activation"),
    ("POST", "/admin/users/{id}/initial-password"),
]


@pytest.mark.parametrize("username", ["audit1", "P00001"])
@pytest.mark.parametrize(("method", "path"), ADMIN_PATHS)
def test_non_admins_get_404(app, client, accounts, username: str, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    login(client, username, OTHER_PW)
    url = path.format(id=user_id(app, "P00002"))
    data = {"username": "sneaky", "display_name": "x", "hours": "24", "password": "sneaky-pass-1"}
    response = client.open(url, method=method, data=data if method == "POST" else None)
    assert response.status_code == 404
    with app.app_context():
        assert db.session.execute(select(User).where(User.username == "sneaky")).first() is None
        target = db.session.get(User, user_id(app, "P00002"))
        assert target.password_hash is None and target.activation_token_hash is None


def test_anonymous_is_sent_to_login(client, accounts) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_admin_lists_and_searches(client, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin", ADMIN_PW)
    html = client.get("/admin/users").get_data(as_text=True)
    for username in ("admin", "audit1", "P00001", "P00002"):
        assert f"<td>{username}</td>" in html
    html = client.get("/admin/users?q=审计").get_data(as_text=True)
    assert "<td>audit1</td>" in html and "<td>P00001</td>" not in html


def test_admin_creates_auditor(app, client, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin", ADMIN_PW)
    response = client.post("/admin/users/auditors", data={"username": "audit-new", "display_name": "新审计员"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(select(User).where(User.username == "audit-new")).scalar_one()
        assert user.kind == KIND_AUDITOR and user.password_hash is None
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "account.created", AuditEvent.subject == "user:audit-new")
        ).scalar_one()
        assert event.actor == "admin"
    duplicate = client.post("/admin/users/auditors", data={"username": "AUDIT-NEW", "display_name": "重复"})
    assert duplicate.status_code == 200 and "已存在" in duplicate.get_data(as_text=True)


def test_admin_issues_working_activation_link(app, client, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin", ADMIN_PW)
    response = client.post(f"/admin/users/{user_id(app, 'P00002')}/activation", data={"hours": "48"})
    assert response.status_code == 200
    match = re.search(r'value="(http://127\.0\.0\.1:5000/activate/[^"]+)"', response.get_data(as_text=True))
    assert match is not None
    path = match.group(1).removeprefix("http://127.0.0.1:5000")
    holder = app.test_client()
    assert holder.get(path).status_code == 200
    done = holder.post(path, data={"new_password": "holder-pass-1", "confirm": "holder-pass-1"})
    assert done.status_code == 302
    login(holder, "P00002", "holder-pass-1")
    refused = client.post(f"/admin/users/{user_id(app, 'P00002')}/activation", data={"hours": "0"})
    assert refused.status_code == 302


def test_admin_sets_generated_initial_password(app, client, accounts) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin", ADMIN_PW)
    response = client.post(f"/admin/users/{user_id(app, 'P00002')}/initial-password", data={"password": ""})
    assert response.status_code == 200
    match = re.search(r'<code class="copy-field">([^<]+)</code>', response.get_data(as_text=True))
    assert match is not None
    holder = app.test_client()
    first = holder.post("/login", data={"username": "P00002", "password": match.group(1)})
    assert first.status_code == 302 and first.headers["Location"].startswith("/password")
    weak = client.post(f"/admin/users/{user_id(app, 'P00002')}/initial-password", data={"password": "12345678901"})
    assert weak.status_code == 302
    assert app.test_client().post("/login", data={"username": "P00002", "password": "12345678901"}).status_code == 200


def test_admin_forms_carry_csrf_tokens(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from support import make_app

    app = make_app(database_url, tmp_path / "csrf-admin", WTF_CSRF_ENABLED=True)
    try:
        with app.app_context():
            create_admin(db.session, username="admin", display_name="系统管理员", password=ADMIN_PW, actor="test")
            db.session.commit()
        client = app.test_client()

        def token_from(html: str) -> str:
            found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
            assert found is not None
            return found.group(1)

        token = token_from(client.get("/login").get_data(as_text=True))
        assert (
            client.post("/login", data={"username": "admin", "password": ADMIN_PW, "csrf_token": token}).status_code
            == 302
        )
        page = client.get("/admin/users").get_data(as_text=True)
        assert page.count('name="csrf_token"') >= 3  # create form, and one per row action (+ logout)
        refused = client.post("/admin/users/auditors", data={"username": "audit9", "display_name": "审计"})
        assert refused.status_code == 400
        created = client.post(
            "/admin/users/auditors", data={"username": "audit9", "display_name": "审计", "csrf_token": token_from(page)}
        )
        assert created.status_code == 302
        with app.app_context():
            assert db.session.execute(select(User).where(User.username == "audit9")).scalar_one().kind == KIND_AUDITOR
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
