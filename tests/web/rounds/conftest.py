"""``round_login(person_id)``: a client logged in as any person of the demo county (the demo
sets passwords only for its listed logins; the safety deputy and staff get theirs here)."""

from __future__ import annotations

import pytest
from sqlalchemy import select


@pytest.fixture
def round_login(demo_app):  # type: ignore[no-untyped-def]
    from fixtures.campaign_pages import DEMO_PASSWORD

    from responsibility.accounts.passwords import set_password
    from responsibility.extensions import db
    from responsibility.models import User

    def _login(username: str):  # type: ignore[no-untyped-def]
        with demo_app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            set_password(user, DEMO_PASSWORD, must_change=False)
            db.session.commit()
            db.session.remove()
        client = demo_app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        return client

    return _login
