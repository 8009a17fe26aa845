"""What the PKI views share: the instance PKI and today's date in the county."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import current_app

from ...pki.ca import Pki
from ..context import instance


def instance_pki() -> Pki:
    """The app's PKI, loaded once per process (``PkiMissing`` → 503 before ``flask pki init``)."""
    return instance().pki


def today() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()
