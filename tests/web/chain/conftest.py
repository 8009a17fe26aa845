"""Fixtures of the chain pages: the demo county, logins, and the trace tests' row helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "integration" / "trace"))


@pytest.fixture
def login(demo_login):  # type: ignore[no-untyped-def]
    """The demo-county login of ``fixtures.campaign_pages`` under the name these tests use."""
    return demo_login
