"""Fixtures for the agreement services: a draft campaign over the demo county and a PDF store."""

from __future__ import annotations

from pathlib import Path

import pytest
from agreement_tools import CREATED, TERM_END, TERM_START


@pytest.fixture
def store(demo_app):  # type: ignore[no-untyped-def]
    from responsibility.agreements import PdfStore

    return PdfStore(Path(demo_app.instance_path) / "agreements")


@pytest.fixture
def campaign(demo_session):  # type: ignore[no-untyped-def]
    """A committed draft campaign for the demo county's season."""
    from responsibility.agreements import create_campaign

    made = create_campaign(
        demo_session,
        name="2024—2025年冬春季安全责任书",
        start=TERM_START,
        end=TERM_END,
        actor="test",
        base_url="https://anquan.example.cn",
        now=CREATED,
    )
    demo_session.commit()
    return made
