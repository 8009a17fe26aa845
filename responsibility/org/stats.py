"""Counts per entity (``flask org stats``) and a content dump with natural keys.

:func:`content_dump` lists every row of every table with surrogate ids replaced by the source
ids they stand for, so two databases (or one database before and after an import) can be
compared for equality regardless of insertion order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from ..canonical import canonical_text
from ..clock import today
from ..models import (
    Base,
    Building,
    DutyRoster,
    Grid,
    Hazard,
    HomeVisit,
    Organization,
    PaperAgreement,
    Person,
    PostAssignment,
    Town,
    User,
)

__all__ = ["content_dump", "entity_counts"]

VOLATILE_COLUMNS = {"created_at", "last_login_at"}


def _count(session: Session, stmt: Any) -> int:
    return int(session.execute(stmt).scalar_one())


def entity_counts(session: Session, day: dt.date | None = None) -> dict[str, int]:
    """Rows per entity; ``post_assignments`` counts the assignments valid on ``day`` (today)."""
    day = day or today()

    def kind(k: str) -> int:
        return _count(session, select(func.count()).select_from(Organization).where(Organization.kind == k))

    def rows(model: Any) -> int:
        return _count(session, select(func.count()).select_from(model))

    current = (
        select(func.count())
        .select_from(PostAssignment)
        .where(PostAssignment.held_on(day))
    )
    return {
        "towns": rows(Town),
        "sections": kind("section"),
        "schools": kind("school"),
        "persons": rows(Person),
        "active_persons": _count(session, select(func.count()).select_from(Person).where(Person.active.is_(True))),
        "post_assignments": _count(session, current),
        "post_assignment_rows": rows(PostAssignment),
        "grids": rows(Grid),
        "buildings": rows(Building),
        "hazards": rows(Hazard),
        "duty_rosters": rows(DutyRoster),
        "home_visits": rows(HomeVisit),
        "paper_agreements": rows(PaperAgreement),
        "users": rows(User),
    }


def _natural_key(table: Table) -> str | None:
    for name in ("source_id", "code", "username"):
        if name in table.c:
            return name
    return None


def content_dump(session: Session, *, skip: tuple[str, ...] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples of (column, value), surrogate ids resolved.

    Foreign keys become the referenced row's natural key (``source_id``, ``code``,
    ``username``), or for tables without one the referenced row's resolved content. The ``id``
    column and timestamps of account activity are left out.
    """
    keys: dict[str, dict[Any, Any]] = {}
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        fks = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        nat = _natural_key(table)
        rows, ids = [], {}
        for r in session.execute(select(table)).mappings():
            item = []
            for col, value in r.items():
                if col == "id" or col in VOLATILE_COLUMNS:
                    continue
                if col in fks and fks[col] in keys:
                    value = keys[fks[col]].get(value, value)
                if isinstance(value, dict | list):
                    value = canonical_text(value)
                item.append((col, repr(value)))
            row = tuple(item)
            rows.append(row)
            if "id" in table.c:
                ids[r["id"]] = r[nat] if nat else row
        keys[table.name] = ids
        if table.name not in skip:
            out[table.name] = sorted(rows)
    return out
