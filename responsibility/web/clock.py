"""The clock as the pages see it: today in the configured zone, and times shown in that zone with
a label in the reader's language.

Views call :func:`local_today` for the default day; templates use the ``localtime`` and
``localdate`` filters (registered by :func:`init_clock`) for every stored datetime, so a UTC
value from the database is never shown as if it were local. The zone is the app's
``BABEL_DEFAULT_TIMEZONE`` (:data:`responsibility.clock.ZONE_SETTING`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask, current_app
from flask_babel import gettext as _

from .. import clock

__all__ = ["init_clock", "local_today", "localdate", "localtime", "zone", "zone_labelled"]

BEIJING = "Asia/Shanghai"


def zone() -> ZoneInfo:
    """The app's configured zone."""
    return clock.configured_zone(current_app.config)


def local_today() -> dt.date:
    """Today in the app's zone: the default day of every page that judges data "as of today"."""
    return clock.today(zone())


def zone_labelled(text: str) -> str:
    """``text`` (a local time) followed by the zone's name in the reader's language:
    ``14:05（北京时间）`` / ``14:05 (Beijing time)``."""
    key = zone().key
    if key == BEIJING:
        return _("%(time)s (Beijing time)", time=text)
    return _("%(time)s (%(zone)s time)", time=text, zone=key)


def localtime(moment: dt.datetime | None, fmt: str | None = None, *, seconds: bool = False, label: bool = True) -> str:
    """Filter: a stored datetime in the app's zone (``2026-12-02 14:05``, or ``fmt``), labelled
    with the zone unless ``label`` is false; ``None`` gives the empty string."""
    if moment is None:
        return ""
    if fmt is None:
        text = clock.local_display(moment, zone(), seconds=seconds)
    else:
        text = clock.to_local(moment, zone()).strftime(fmt)
    return zone_labelled(text) if label else text


def localdate(moment: dt.datetime | dt.date | None) -> str:
    """Filter: the calendar day of a stored datetime in the app's zone (a date is shown as is)."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return clock.to_local(moment, zone()).date().isoformat()
    return moment.isoformat()


def init_clock(app: Flask) -> None:
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(localdate, "localdate")
