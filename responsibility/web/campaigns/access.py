"""Who may see the campaign pages, and the campaign a URL names (shared by the page modules)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ...accounts.access import sees_whole_county
from ...accounts.roles import roles_of
from ...extensions import db, db_session
from ...models import Campaign, User
from ..clock import local_today


def current_account() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def current_roles() -> frozenset[str]:
    return roles_of(db_session(), current_account(), local_today())


def require_county_viewer() -> frozenset[str]:
    """The reader's roles; 404 unless they see the whole county."""
    roles = current_roles()
    if not sees_whole_county(roles):
        abort(404)
    return roles


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign
