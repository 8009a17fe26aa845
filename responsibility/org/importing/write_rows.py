"""Set-based writes for the importer: compare wanted rows with stored rows in memory, then one
bulk INSERT, one bulk UPDATE and one bulk DELETE per table, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, bindparam, tuple_
from sqlalchemy.orm import Session

__all__ = ["Tally", "insert_rows", "sync_children", "sync_table", "update_rows"]


@dataclass
class Tally:
    """Mutable counts for one entity while importing (frozen into ``EntityCounts`` at the end)."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0

    def add(self, other: Tally) -> None:
        self.created += other.created
        self.updated += other.updated
        self.closed += other.closed
        self.unchanged += other.unchanged


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(table.insert(), rows)


def update_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Bulk UPDATE by primary key ``id``; rows are grouped by the set of columns they change."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        cols = tuple(sorted(k for k in row if k != "id"))
        groups.setdefault(cols, []).append({"b_id": row["id"], **{f"b_{c}": row[c] for c in cols}})
    for cols, params in groups.items():
        stmt = table.update().where(table.c.id == bindparam("b_id")).values({c: bindparam(f"b_{c}") for c in cols})
        session.execute(stmt, params)


def sync_table(
    session: Session,
    table: Table,
    key: Callable[[dict[str, Any]], Hashable],
    wanted: Iterable[dict[str, Any]],
    stored: Iterable[dict[str, Any]],
    *,
    insert: bool = True,
) -> Tally:
    """Upsert ``wanted`` rows (column dicts without ``id``) against ``stored`` rows by ``key``.

    Only columns present in a wanted row are compared and updated. Stored rows without a wanted
    counterpart are left alone.
    """
    tally = Tally()
    by_key = {key(row): row for row in stored}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for row in wanted:
        old = by_key.get(key(row))
        if old is None:
            if insert:
                inserts.append(row)
                tally.created += 1
            continue
        changed = {c: v for c, v in row.items() if old.get(c) != v}
        if changed:
            updates.append({"id": old["id"], **changed})
            tally.updated += 1
        else:
            tally.unchanged += 1
    insert_rows(session, table, inserts)
    update_rows(session, table, updates)
    return tally


def sync_children(
    session: Session,
    table: Table,
    parent_col: str,
    key_cols: tuple[str, ...],
    wanted: list[dict[str, Any]],
    stored: list[dict[str, Any]],
    parents: set[int],
) -> Tally:
    """Make the children of each parent in ``parents`` exactly ``wanted`` (insert, update,
    delete); children of other parents are untouched. Works for link tables without ``id``:
    their rows are matched on ``key_cols`` and deleted by those columns."""
    tally = Tally()
    has_id = "id" in table.c
    mine = [row for row in stored if row[parent_col] in parents]
    by_key = {tuple(row[c] for c in key_cols): row for row in mine}
    seen: set[tuple[Any, ...]] = set()
    inserts, updates = [], []
    for row in wanted:
        k = tuple(row[c] for c in key_cols)
        seen.add(k)
        old = by_key.get(k)
        if old is None:
            inserts.append(row)
            tally.created += 1
            continue
        changed = {c: v for c, v in row.items() if old.get(c) != v}
        if not changed:
            tally.unchanged += 1
        elif has_id:
            updates.append({"id": old["id"], **changed})
            tally.updated += 1
        else:
            _delete_by_keys(session, table, key_cols, [k])
            inserts.append(row)
            tally.updated += 1
    gone = [k for k in by_key if k not in seen]
    tally.closed += len(gone)
    if gone:
        if has_id:
            ids = [by_key[k]["id"] for k in gone]
            for start in range(0, len(ids), 500):
                session.execute(table.delete().where(table.c.id.in_(ids[start : start + 500])))
        else:
            _delete_by_keys(session, table, key_cols, gone)
    update_rows(session, table, updates)
    insert_rows(session, table, inserts)
    return tally


def _delete_by_keys(session: Session, table: Table, key_cols: tuple[str, ...], keys: list[tuple[Any, ...]]) -> None:
    cols = [table.c[c] for c in key_cols]
    for start in range(0, len(keys), 300):
        chunk = keys[start : start + 300]
        if len(cols) == 1:
            session.execute(table.delete().where(cols[0].in_([k[0] for k in chunk])))
        else:
            session.execute(table.delete().where(and_(tuple_(*cols).in_(chunk))))
