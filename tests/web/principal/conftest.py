"""Fixtures for the campaign and agreement pages. ``make_campaign`` and ``agreement_id`` come from
``fixtures.campaign_pages`` (a plugin of the root conftest); ``login`` is its demo-county login
under the name these tests use."""

import pytest


@pytest.fixture
def login(demo_login):  # type: ignore[no-untyped-def]
    return demo_login
