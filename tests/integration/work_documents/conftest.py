"""The demo county with the instance PKI installed (work-document tests)."""

from __future__ import annotations

import pytest


@pytest.fixture
def wd_app(pki_demo_app):  # type: ignore[no-untyped-def]
    return pki_demo_app


@pytest.fixture
def wd_session(pki_demo_session):  # type: ignore[no-untyped-def]
    return pki_demo_session
