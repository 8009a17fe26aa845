"""Fixtures of the trace tests: the chain tests' hand-made county plus a campaign and agreement."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "chain"))

from chain_county import County, build_county


@pytest.fixture
def county(session: Session) -> County:
    c = build_county(session)
    session.commit()
    return c
