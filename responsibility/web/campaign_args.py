"""Request arguments the campaign-wide pages share (targets, assessment): the campaign from the
path, the day judged (``?at=``), the viewer's visible schools, the live campaign. Not a blueprint:
blueprints stay independent of each other and import this instead."""

from __future__ import annotations

import datetime as dt

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import visible_school_ids
from ..errors import DomainError
from ..extensions import db, db_session
from ..models import Campaign
from ..season.seasons import live_campaign
from .clock import local_today

__all__ = ["campaign_or_404", "day_arg", "live_campaign_or_404", "visible_schools"]


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def live_campaign_or_404() -> Campaign:
    """The live campaign (latest by term start); 404 with the reason when there is none."""
    try:
        return live_campaign(db_session())
    except DomainError:
        abort(404, description=_("No campaign yet: there are no targets to follow."))


def day_arg() -> dt.date:
    """``?at=YYYY-MM-DD``, default today (local); 400 on a bad date."""
    text = request.args.get("at") or ""
    if not text:
        return local_today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        abort(400, description=_("The date must be YYYY-MM-DD."))


def visible_schools() -> set[int] | None:
    """The school ids the viewer may see today (None: all)."""
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    visible = visible_school_ids(db_session(), user, local_today())
    return None if visible is None else set(visible)
