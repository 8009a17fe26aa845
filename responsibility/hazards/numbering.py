"""File numbers (一档编号) of live hazards.

Pattern: ``{school source id}-YH-{year}-{sequence:04d}``, e.g. ``SCH001-YH-2025-0007``: the school
the hazard belongs to, ``YH`` (隐患), the year of the day it was found, and a sequence per school
and year starting at 1. Imported hazards keep the numbers their ledger gave them (the demo's
``一患一档-SCH001-20241121``); a generated number that an imported one already uses is skipped.

The counter row (``HazardFileCounter``) is incremented with an ``UPDATE`` first, which takes
its write lock (PostgreSQL row lock, SQLite writer lock), so two reports at once never draw the
same number; the first report of a school and year inserts the row (in a savepoint: when another
transaction inserted it first, the increment is made on theirs).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import Hazard, HazardFileCounter, School

__all__ = ["FILE_NO_PATTERN", "allocate_file_no", "format_file_no"]

FILE_NO_PATTERN = "{school}-YH-{year}-{seq:04d}"


def format_file_no(school_source_id: str, year: int, seq: int) -> str:
    return FILE_NO_PATTERN.format(school=school_source_id, year=year, seq=seq)


def _bump(session: Session, school: School, year: int) -> int | None:
    return session.execute(
        update(HazardFileCounter)
        .where(HazardFileCounter.school_id == school.id, HazardFileCounter.year == year)
        .values(last=HazardFileCounter.last + 1)
        .returning(HazardFileCounter.last)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()


def _next(session: Session, school: School, year: int) -> int:
    bumped = _bump(session, school, year)
    if bumped is not None:
        return int(bumped)
    try:
        with session.begin_nested():  # two first reports of a school and year at once: one inserts
            session.add(HazardFileCounter(school_id=school.id, year=year, last=1))
        return 1
    except IntegrityError:
        again = _bump(session, school, year)
        if again is None:
            raise
        return int(again)


def allocate_file_no(session: Session, school: School, found: dt.date) -> str:
    """The next free file number of ``school`` for the year of ``found`` (flushes, no commit)."""
    while True:
        candidate = format_file_no(school.source_id, found.year, _next(session, school, found.year))
        taken = session.scalar(
            select(Hazard.id).where((Hazard.file_no == candidate) | (Hazard.source_id == candidate)).limit(1)
        )
        if taken is None:
            return candidate
