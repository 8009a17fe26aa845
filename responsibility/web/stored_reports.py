"""Pages that read a stored report at a province's size (issue 16): the gap report and the season
board compute on each view up to ``LIVE_REPORT_SCHOOLS`` schools, and above it read what a job
stored (``chain.gaps.snapshots``, ``board.season``). One rule and one set of refresh messages
for both."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_babel import gettext
from sqlalchemy import func, select

from ..errors import DomainError
from ..extensions import db
from ..models import School
from .context import settings
from .messages import error_text

__all__ = ["reads_stored", "refresh_stored"]


def reads_stored() -> bool:
    """True when the county has more schools than ``LIVE_REPORT_SCHOOLS``."""
    schools = db.session.scalar(select(func.count(School.id))) or 0
    return schools > settings().limits.live_report_schools


def refresh_stored(compute_here: Callable[[], str], queue: Callable[[str, str, str], bool]) -> None:
    """Refresh a stored report and flash what became of it: ``queue(redis_url, queue_name,
    database_url)`` on an RQ worker when Redis is configured, else ``compute_here()`` in this
    request (it returns the success message; committed here, so that a refused one — someone
    else computed the same report at the same moment — is a message and nothing is kept)."""
    jobs = settings().jobs
    if not jobs.redis_url:
        try:
            message = compute_here()
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            flash(gettext("The report was not computed: %(reason)s", reason=error_text(err)), "error")
            return
        flash(message, "success")
        return
    try:
        queued = queue(jobs.redis_url, jobs.queue, jobs.database_url)
    except DomainError as err:
        flash(gettext("The report was not computed: %(reason)s", reason=error_text(err)), "error")
        return
    if queued:
        flash(gettext("The report is being computed by a worker: reload this page in a few minutes."), "info")
    else:
        flash(gettext("This report is already being computed."), "info")
