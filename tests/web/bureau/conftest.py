"""Fixtures for the campaign and agreement pages: shared with the other role's tests."""

from fixtures.campaign_pages import agreement_id, login, make_campaign

__all__ = ["agreement_id", "login", "make_campaign"]
