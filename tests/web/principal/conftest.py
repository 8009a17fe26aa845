"""Fixtures for the school leaders' agreement pages on the demo county."""

from __future__ import annotations

import datetime as dt

import pytest
from support import DEMO_PASSWORD


@pytest.fixture
def login(demo_app):  # type: ignore[no-untyped-def]
    def _login(username: str):  # type: ignore[no-untyped-def]
        client = demo_app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        return client

    return _login


@pytest.fixture
def make_campaign(demo_app):  # type: ignore[no-untyped-def]
    """``make_campaign(*school_ids)`` → id of a draft campaign with those schools generated."""
    from pathlib import Path

    from sqlalchemy import select

    from responsibility.agreements import PdfStore, create_campaign, generate
    from responsibility.extensions import db
    from responsibility.models import School

    def _make(*school_ids: str, name: str = "2024—2025年冬春季") -> int:
        with demo_app.app_context():
            campaign = create_campaign(
                db.session,
                name=name,
                start=dt.date(2024, 11, 15),
                end=dt.date(2025, 4, 30),
                actor="test",
                base_url="https://anquan.example.cn",
            )
            store = PdfStore(Path(demo_app.instance_path) / "agreements")
            for sid in school_ids:
                target = db.session.scalars(select(School).where(School.source_id == sid)).one()
                generate(db.session, campaign, storage=store, actor="test", school=target)
            db.session.commit()
            return campaign.id

    return _make


@pytest.fixture
def agreement_id(demo_app):  # type: ignore[no-untyped-def]
    """``agreement_id(campaign_id, school_id)`` → the agreement's database id."""
    from sqlalchemy import select

    from responsibility.extensions import db
    from responsibility.models import Agreement, School

    def _find(campaign_id: int, school_id: str) -> int:
        with demo_app.app_context():
            return db.session.scalars(
                select(Agreement.id)
                .join(School, School.id == Agreement.school_id)
                .where(Agreement.campaign_id == campaign_id, School.source_id == school_id)
            ).one()

    return _find
