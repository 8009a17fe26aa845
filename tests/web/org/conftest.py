"""Fixtures for the organisation pages: the hand-made small county with working logins."""

from __future__ import annotations

import functools

import pytest
from small_county import build_small_county

from responsibility.accounts.passwords import hash_password

PASSWORD = "small-county-pass-2025"


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def county_app(app):  # type: ignore[no-untyped-def]
    """``app`` whose database holds the small county; every account's password is PASSWORD."""
    from responsibility.extensions import db

    with app.app_context():
        county = build_small_county(db.session)
        for user in county.users.values():
            user.password_hash = _password_hash()
        db.session.commit()
    return app


@pytest.fixture
def login(county_app):  # type: ignore[no-untyped-def]
    """``login(username)`` → a test client logged in as that account."""

    def _login(username: str):  # type: ignore[no-untyped-def]
        client = county_app.test_client()
        response = client.post("/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login
