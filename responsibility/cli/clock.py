"""The clock as the CLI sees it: today in the app's configured zone (``BABEL_DEFAULT_TIMEZONE``),
the default day of every command that judges data "as of today"."""

from __future__ import annotations

import datetime as dt

from flask import current_app

from .. import clock

__all__ = ["county_moment", "county_today"]


def county_today() -> dt.date:
    """Today in the configured zone (``Asia/Shanghai`` unless set)."""
    return clock.today(clock.configured_zone(current_app.config))


def county_moment(value: str) -> dt.datetime:
    """``clock.local_moment`` in the configured zone (``ValueError`` when unreadable)."""
    return clock.local_moment(value, clock.configured_zone(current_app.config))
