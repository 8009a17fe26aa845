"""The one clock: store aware UTC, judge days and show times in the county's zone.

Every moment the system keeps is an aware UTC ``datetime`` (:func:`now_utc`); every calendar day
it judges ("who held the post today", "is the campaign overdue") is a day in the configured zone
(:func:`today`); every time a person reads is shown in that zone (:func:`local_display`,
:func:`pdf_date`). SQLite hands timezone-aware columns back naive; :func:`as_utc` is the one place
that says such a value was written in UTC.

The zone is the setting ``BABEL_DEFAULT_TIMEZONE`` (:data:`ZONE_SETTING`, default
``Asia/Shanghai``): Flask-Babel reads the same key, so the pages, the PDFs and the day rules can
never disagree about the zone. This module is a leaf: it imports nothing of the project and no
Flask, so every layer (``audit`` included) may use it; callers pass the zone in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_ZONE",
    "DEFAULT_ZONE_NAME",
    "ZONE_SETTING",
    "as_utc",
    "chinese_zone_label",
    "configured_zone",
    "iso_utc",
    "local_display",
    "now_utc",
    "pdf_date",
    "to_local",
    "today",
    "zone",
]

ZONE_SETTING = "BABEL_DEFAULT_TIMEZONE"
"""The configuration key naming the zone (an IANA name); shared with Flask-Babel."""
DEFAULT_ZONE_NAME = "Asia/Shanghai"


@cache
def zone(name: str | None = None) -> ZoneInfo:
    """The IANA zone ``name`` (default ``Asia/Shanghai``), looked up once per process."""
    return ZoneInfo(name or DEFAULT_ZONE_NAME)


DEFAULT_ZONE = zone()


def configured_zone(config: Mapping[str, Any]) -> ZoneInfo:
    """The zone a configuration mapping (``app.config``) names under :data:`ZONE_SETTING`."""
    return zone(config.get(ZONE_SETTING) or None)


def now_utc() -> dt.datetime:
    """Now, aware, in UTC: what is stored."""
    return dt.datetime.now(dt.UTC)


def today(tz: dt.tzinfo = DEFAULT_ZONE) -> dt.date:
    """The calendar day it is now in ``tz`` (in Beijing the day starts at 16:00 UTC)."""
    return dt.datetime.now(tz).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC datetime. A naive value is taken as UTC: that is how SQLite
    returns what was stored from an aware UTC datetime (PostgreSQL keeps the zone)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def to_local(moment: dt.datetime, tz: dt.tzinfo = DEFAULT_ZONE) -> dt.datetime:
    """``moment`` (aware, or naive UTC as read back from SQLite) in ``tz``."""
    return as_utc(moment).astimezone(tz)


def local_display(
    moment: dt.datetime, tz: dt.tzinfo = DEFAULT_ZONE, *, with_zone: str = "", seconds: bool = False
) -> str:
    """``2026-12-02 14:05`` in ``tz``, followed by ``with_zone`` as given.

    ``with_zone`` is the label a reader sees (``（北京时间）``, `` (Beijing time)``): it is text in
    the reader's language, so the caller (the web layer, through its catalogue) supplies it.
    """
    pattern = "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M"
    return to_local(moment, tz).strftime(pattern) + with_zone


def chinese_zone_label(tz: dt.tzinfo = DEFAULT_ZONE) -> str:
    """The zone label for documents written in Chinese only (evidence READMEs and report PDFs,
    which no catalogue translates): ``（北京时间）`` for Asia/Shanghai, else ``（<zone name>）``."""
    name = getattr(tz, "key", None) or str(tz)
    return "（北京时间）" if name == DEFAULT_ZONE_NAME else f"（{name}）"


def local_moment(value: str, tz: dt.tzinfo = DEFAULT_ZONE) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM[:SS]`` (or with a space) as aware UTC: local time in ``tz`` unless the
    value carries its own offset. Raises ``ValueError`` when unreadable."""
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return as_utc(moment)


def iso_utc(moment: dt.datetime) -> str:
    """``2026-12-02T06:05:00.000000Z``: the fixed-width UTC form hashed into audit records (a
    stored record's hash depends on it, so the format never changes)."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def pdf_date(moment: dt.datetime) -> str:
    """A PDF date string (ISO 32000-1 §7.9.4), ``D:20261202140500+08'00'``, in ``moment``'s own
    offset; a naive moment is written as UTC (``Z``)."""
    stamp = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is None:
        return stamp + "Z"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{stamp}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
