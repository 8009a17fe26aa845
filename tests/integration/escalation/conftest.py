"""Fixtures of the escalation tests: the chain tests' county (the SMTP sink is ``fixtures.smtp``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chain"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "trace"))

from chain_county import County, build_county


@pytest.fixture
def county(session: Session) -> County:
    c = build_county(session)
    session.commit()
    return c
