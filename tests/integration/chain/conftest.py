"""Fixtures of the chain tests: the hand-made county of ``chain_county``."""

from __future__ import annotations

import pytest
from chain_county import County, build_county
from sqlalchemy.orm import Session


@pytest.fixture
def county(session: Session) -> County:
    c = build_county(session)
    session.commit()
    return c
