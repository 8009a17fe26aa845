"""The ledger (台账): hazards per school or for the county, filtered, as rows or as .xlsx.

Filters: school, state (a state name), level (一般/重大), risk area, town, and overdue on a day
(open and past its deadline). Every filter is a condition of the query and a page of the ledger is
a LIMIT/OFFSET of it with its count from ``count(*)`` (``ledger_page``): a province's ledger
(hundreds of thousands of hazards) is never loaded to show a hundred of them. The .xlsx is the import workbook with only its 隐患 and 隐患记录
sheets filled (``org.export_safety.hazard_sheets``), so a ledger re-imports like any export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ..models import Grid, Hazard, Organization, Person, School, Town
from ..org.export_safety import hazard_sheets
from ..org.export_tables import SourceIds
from ..org.importing.workbook import write_workbook
from .errors import BadInput
from .states import OPEN_STATES, STATES, state_of

__all__ = ["LedgerFilter", "ledger_page", "ledger_rows", "ledger_xlsx"]


@dataclass(frozen=True)
class LedgerFilter:
    school: str | None = None
    state: str | None = None
    level: str | None = None
    area: str | None = None
    town: str | None = None
    overdue: bool = False

    def check(self) -> None:
        if self.state is not None and self.state not in STATES:
            raise BadInput(f"没有状态 {self.state!r}。 (Unknown state {self.state!r}; one of {', '.join(STATES)}.)")
        if self.level is not None and self.level not in ("一般", "重大"):
            raise BadInput("隐患等级须为 一般 或 重大。 (The level must be 一般 or 重大.)")


def _stored_statuses(session: Session, states: frozenset[str]) -> list[str]:
    """The stored statuses that :func:`state_of` reads as one of ``states``: the state filters
    compare the stored column with these, so they mean exactly what each row's state means (an
    imported label with stray whitespace included)."""
    stored = session.scalars(select(Hazard.status).where(Hazard.status.is_not(None)).distinct())
    return sorted(status for status in stored if state_of(status) in states)


def _select(session: Session, f: LedgerFilter, at: dt.date, school_ids: frozenset[int] | None) -> Any:
    """The ledger's query: every filter a condition, ordered by school, day found, file (and id, so
    that pages never share or skip a row). ``school_ids`` (None: all) is what the reader may see."""
    rectifier = aliased(Person)
    stmt = (
        select(Hazard, School.source_id, School.name, Town.source_id, Grid.source_id, rectifier.source_id)
        .join(School, School.id == Hazard.school_id)
        .outerjoin(Town, Town.id == School.town_id)
        .outerjoin(Grid, Grid.id == Hazard.grid_id)
        .outerjoin(rectifier, rectifier.id == Hazard.responsible_person_id)
        .order_by(School.source_id, Hazard.found_date, Hazard.source_id, Hazard.id)
    )
    if school_ids is not None:
        stmt = stmt.where(Hazard.school_id.in_(sorted(school_ids)))
    if f.school:
        stmt = stmt.where(School.source_id == f.school)
    if f.state:
        stmt = stmt.where(Hazard.status.in_(_stored_statuses(session, frozenset({f.state}))))
    if f.level:
        stmt = stmt.where(Hazard.level == f.level)
    if f.area:
        stmt = stmt.where(Hazard.risk_area_code == f.area)
    if f.town:
        stmt = stmt.where(Town.source_id == f.town)
    if f.overdue:
        open_statuses = _stored_statuses(session, OPEN_STATES)
        stmt = stmt.where(Hazard.status.in_(open_statuses), Hazard.deadline.is_not(None), Hazard.deadline < at)
    return stmt


def _checked(session: Session, f: LedgerFilter) -> None:
    f.check()
    if f.school and session.scalar(select(Organization.id).where(Organization.source_id == f.school)) is None:
        raise BadInput(f"没有学校 {f.school!r}。 (No school {f.school!r}.)")


def _row(found: Any, at: dt.date) -> dict[str, Any]:
    hazard, school_id, school_name, town_id, grid_id, rectifier_id = found
    state = state_of(hazard.status)
    overdue = state in OPEN_STATES and hazard.deadline is not None and hazard.deadline < at
    return {
        "id": hazard.id,
        "file_no": hazard.file_no,
        "school_id": school_id,
        "school": school_name,
        "town_id": town_id,
        "grid_id": grid_id,
        "risk_area": hazard.risk_area_code,
        "level": hazard.level or None,
        "state": state,
        "status": hazard.status,
        "found_date": hazard.found_date.isoformat() if hazard.found_date else None,
        "deadline": hazard.deadline.isoformat() if hazard.deadline else None,
        "rectifier_id": rectifier_id,
        "overdue": overdue,
        "days_overdue": (at - hazard.deadline).days if overdue and hazard.deadline else 0,
        "listed_for_supervision": bool(hazard.listed_for_supervision),
        "closed_date": hazard.closed_date.isoformat() if hazard.closed_date else None,
        "description": hazard.description,
    }


def ledger_rows(
    session: Session, f: LedgerFilter, *, at: dt.date, school_ids: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """One row per hazard matching ``f`` (of the schools ``school_ids``, None: all); ``overdue``
    judged on ``at``."""
    _checked(session, f)
    return [_row(found, at) for found in session.execute(_select(session, f, at, school_ids))]


def ledger_page(
    session: Session,
    f: LedgerFilter,
    *,
    at: dt.date,
    offset: int,
    limit: int,
    school_ids: frozenset[int] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """``limit`` rows of the ledger from ``offset``, and how many rows the whole ledger has."""
    _checked(session, f)
    stmt = _select(session, f, at, school_ids)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = [_row(found, at) for found in session.execute(stmt.offset(offset).limit(limit))]
    return rows, total


def ledger_xlsx(session: Session, rows: list[dict[str, Any]]) -> bytes:
    """The rows' hazards as the import workbook's 隐患 and 隐患记录 sheets."""
    ids = SourceIds(
        org=dict(session.execute(select(Organization.id, Organization.source_id)).all()),
        person={None: None, **dict(session.execute(select(Person.id, Person.source_id)).all())},
        grid={None: None, **dict(session.execute(select(Grid.id, Grid.source_id)).all())},
    )
    return write_workbook(hazard_sheets(session, ids, only=[r["id"] for r in rows]))
