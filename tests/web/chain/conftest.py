"""Fixtures of the chain pages: the demo county, logins, and the trace tests' row helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "integration" / "trace"))


@pytest.fixture
def login(demo_app):  # type: ignore[no-untyped-def]
    def _login(username: str):  # type: ignore[no-untyped-def]
        client = demo_app.test_client()
        response = client.post("/login", data={"username": username, "password": demo_app.config["DEMO_PASSWORD"]})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        return client

    return _login
