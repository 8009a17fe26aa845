"""What the database already holds, read once per import (one SELECT per table).

The importer compares the file against these rows in memory and writes only the differences in
bulk; it never issues a SELECT per record.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from ...models import Grid, Organization

__all__ = ["Existing"]


class Existing:
    """Cached rows of each table as plain dicts, and fresh ``source_id -> id`` maps on demand."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def rows(self, table: Table) -> list[dict[str, Any]]:
        if table.name not in self._rows:
            self._rows[table.name] = [dict(r) for r in self.session.execute(select(table)).mappings()]
        return self._rows[table.name]

    def forget(self, *tables: Table) -> None:
        for table in tables:
            self._rows.pop(table.name, None)

    def by_key(self, table: Table, cols: Iterable[str]) -> dict[Any, dict[str, Any]]:
        cols = tuple(cols)
        if len(cols) == 1:
            return {r[cols[0]]: r for r in self.rows(table)}
        return {tuple(r[c] for c in cols): r for r in self.rows(table)}

    def id_map(self, table: Table, col: str = "source_id") -> dict[str, int]:
        """A fresh map (after inserts) from a natural key column to the surrogate id."""
        return {k: v for k, v in self.session.execute(select(table.c[col], table.c.id))}

    def org_kinds(self) -> dict[str, str]:
        table = Organization.__table__
        return {r["source_id"]: r["kind"] for r in self.rows(table)}  # type: ignore[arg-type]

    def grid_facts(self) -> dict[str, tuple[str, str | None, int]]:
        """``grid source id -> (school source id, parent source id, level)`` of stored grids."""
        grids = self.rows(Grid.__table__)  # type: ignore[arg-type]
        orgs = {r["id"]: r["source_id"] for r in self.rows(Organization.__table__)}  # type: ignore[arg-type]
        by_id = {r["id"]: r["source_id"] for r in grids}
        return {r["source_id"]: (orgs.get(r["school_id"], ""), by_id.get(r["parent_id"]), r["level"]) for r in grids}
