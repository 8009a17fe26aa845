"""What the exporter's sheet builders share: one table read as plain rows, and the maps from
database ids to the source ids the import format uses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

__all__ = ["Row", "SourceIds", "grouped", "table_rows"]

Row = dict[str, Any]


def table_rows(session: Session, model: Any, *order: Any) -> list[Row]:
    """Every row of ``model`` (a mapped class or a bare table) as a dict, in ``order`` if given."""
    table = getattr(model, "__table__", model)
    stmt = select(table).order_by(*order) if order else select(table)
    return [dict(r) for r in session.execute(stmt).mappings()]


def grouped(rows: list[Row], key: str, value: str) -> dict[int, list[Any]]:
    """``value`` of each association row, grouped by ``key`` and kept in ``position`` order."""
    out: dict[int, list[Any]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r[key], r["position"])):
        out[r[key]].append(r[value])
    return out


@dataclass(frozen=True)
class SourceIds:
    """Database id -> source id of organisations, persons and grids (``None`` maps to ``None``
    for persons and grids, whose references are optional)."""

    org: dict[int, str]
    person: dict[Any, Any]
    grid: dict[Any, Any]
