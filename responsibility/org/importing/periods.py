"""History-keeping upserts for rows with validity periods ``[valid_from, valid_to)``: post
assignments, grid ownerships and liaison assignments.

A *slot* is what the rows succeed each other in (a post assignment id, a grid, a school). Per
slot the file gives at most one current row (no ``valid_to``) and any number of closed history
rows (as an export writes them). Rules:

- a history row is matched to a stored row of the slot with the same ``valid_from``; it is
  inserted or updated in place;
- a current row whose identity (who holds what where) equals the open stored row updates the
  other fields in place;
- a changed identity closes the open row (``valid_to = effective``) and opens a new one
  (``valid_from = effective``); when ``effective`` is not after the open row's start, the open
  row is corrected in place instead (a period cannot end before it begins);
- a brand-new slot starts at the record's ``valid_from``, else ``first_from`` (the period start);
- an open stored row whose slot is covered by the file but has no current row is closed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from .write_rows import Tally, insert_rows, update_rows

__all__ = ["sync_periods"]

Row = dict[str, Any]


class _Changes:
    """The inserts and per-row updates collected for one table, written in bulk at the end."""

    def __init__(self) -> None:
        self.inserts: list[Row] = []
        self.updates: dict[int, Row] = {}

    def change(self, row: Row, values: Row) -> bool:
        """Update the stored ``row`` (in memory and queued) to ``values``; False if equal."""
        diff = {k: v for k, v in values.items() if row.get(k) != v}
        if not diff:
            return False
        row.update(diff)
        self.updates.setdefault(row["id"], {"id": row["id"]}).update(diff)
        return True


def sync_periods(
    session: Session,
    table: Table,
    *,
    slot_col: str,
    identity: tuple[str, ...],
    current: dict[Hashable, Row],
    history: list[Row],
    stored: list[Row],
    covered: set[Hashable] | None,
    effective_for: Callable[[dt.date | None], dt.date],
    first_from: Callable[[], dt.date],
    close_on: dt.date,
) -> Tally:
    """Apply the rules above; ``current`` rows carry ``valid_from`` (explicit or None).

    ``effective_for(record_valid_from)`` gives the change date for a record; ``covered`` is the
    set of slots the file speaks for (None: every stored slot).
    """
    tally, changes = Tally(), _Changes()
    by_slot: dict[Hashable, list[Row]] = defaultdict(list)
    for row in stored:
        by_slot[row[slot_col]].append(dict(row))
    for item in history:
        _history_row(item, by_slot[item[slot_col]], changes, tally)
    slots = set(current) | (set(by_slot) if covered is None else (covered & set(by_slot)))
    for slot in slots:
        rows = by_slot.get(slot, [])
        open_rows = [r for r in rows if r["valid_to"] is None and r["id"] is not None]
        open_row = max(open_rows, key=lambda r: r["valid_from"]) if open_rows else None
        wanted = current.get(slot)
        if wanted is None:
            if open_row is not None:
                changes.change(open_row, {"valid_to": max(close_on, open_row["valid_from"])})
                tally.closed += 1
            continue
        wanted = dict(wanted)
        explicit = wanted.pop("valid_from", None)
        if open_row is not None:
            _succeed(open_row, wanted, explicit, rows, identity, effective_for, changes, tally)
        else:
            start = explicit if explicit is not None else (first_from() if not rows else effective_for(None))
            _open(rows, wanted, start, changes, tally)
    update_rows(session, table, list(changes.updates.values()))
    insert_rows(session, table, changes.inserts)
    return tally


def _history_row(item: Row, rows: list[Row], changes: _Changes, tally: Tally) -> None:
    """A closed row of the file: matched by its start within the slot, inserted or updated."""
    match = next((r for r in rows if r["valid_from"] == item["valid_from"]), None)
    if match is None:
        changes.inserts.append(dict(item))
        rows.append({**item, "id": None})
        tally.created += 1
    elif match["id"] is not None and changes.change(match, item):
        tally.updated += 1
    else:
        tally.unchanged += 1


def _succeed(
    open_row: Row,
    wanted: Row,
    explicit: dt.date | None,
    rows: list[Row],
    identity: tuple[str, ...],
    effective_for: Callable[[dt.date | None], dt.date],
    changes: _Changes,
    tally: Tally,
) -> None:
    """The slot has an open row: update it in place, or close it and open the successor."""
    if all(open_row.get(c) == wanted[c] for c in identity):
        taken = {r["valid_from"] for r in rows}
        if explicit is not None and explicit != open_row["valid_from"] and explicit not in taken:
            wanted["valid_from"] = explicit
        if changes.change(open_row, wanted):
            tally.updated += 1
        else:
            tally.unchanged += 1
        return
    day = effective_for(explicit)
    if day <= open_row["valid_from"]:
        changes.change(open_row, wanted)
        tally.updated += 1
        return
    changes.change(open_row, {"valid_to": day})
    tally.closed += 1
    changes.inserts.append({**wanted, "valid_from": day, "valid_to": None})
    tally.created += 1


def _open(rows: list[Row], wanted: Row, start: dt.date, changes: _Changes, tally: Tally) -> None:
    """The slot has no open row: reopen the stored row starting on ``start``, or insert one."""
    reopen = next((r for r in rows if r["valid_from"] == start and r["id"] is not None), None)
    if reopen is not None:
        changes.change(reopen, {**wanted, "valid_to": None})
        tally.updated += 1
    else:
        changes.inserts.append({**wanted, "valid_from": start, "valid_to": None})
        tally.created += 1
