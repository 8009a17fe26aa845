"""The demo county with the instance PKI installed (signing workflow tests): the shared
``pki_demo_app`` / ``pki_demo_session`` fixtures under this directory's names."""

from __future__ import annotations

import pytest


@pytest.fixture
def wf_app(pki_demo_app):  # type: ignore[no-untyped-def]
    return pki_demo_app


@pytest.fixture
def wf_session(pki_demo_session):  # type: ignore[no-untyped-def]
    return pki_demo_session
