"""The demo county with the instance PKI installed, and logged-in clients."""

from __future__ import annotations

import pytest
from fixtures.instance_pki import install_pki
from support import DEMO_PASSWORD


@pytest.fixture
def pki_demo_app(demo_app, instance_pki_template):  # type: ignore[no-untyped-def]
    install_pki(instance_pki_template, demo_app.instance_path)
    return demo_app


@pytest.fixture
def login(pki_demo_app):  # type: ignore[no-untyped-def]
    """``login(username)`` → a test client logged in as that demo account."""

    def _login(username: str):  # type: ignore[no-untyped-def]
        client = pki_demo_app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login
