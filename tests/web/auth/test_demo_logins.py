"""The documented demo logins work through the real login page on the generated demo county."""

from __future__ import annotations

import pytest
from support import DEMO_PASSWORD


@pytest.mark.parametrize("username", ["P00001", "P00027", "admin", "auditor"])
def test_demo_login_reaches_home(demo_client, username: str) -> None:  # type: ignore[no-untyped-def]
    response = demo_client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert demo_client.get("/").status_code == 200


def test_demo_admin_sees_imported_accounts_and_others_do_not(demo_app, demo_client) -> None:  # type: ignore[no-untyped-def]
    demo_client.post("/login", data={"username": "admin", "password": DEMO_PASSWORD})
    html = demo_client.get("/admin/users?q=P0002").get_data(as_text=True)
    assert "<td>P00027</td>" in html
    principal = demo_app.test_client()
    principal.post("/login", data={"username": "P00027", "password": DEMO_PASSWORD})
    assert principal.get("/admin/users").status_code == 404


def test_imported_account_without_demo_password_cannot_log_in(demo_app, demo_client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from responsibility.extensions import db
    from responsibility.models import User

    with demo_app.app_context():
        user = db.session.execute(select(User).where(User.username == "P00100")).scalar_one()
        assert user.password_hash is None and user.person is not None
    response = demo_client.post("/login", data={"username": "P00100", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert demo_client.get("/password").status_code == 302
