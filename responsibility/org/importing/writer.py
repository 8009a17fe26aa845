"""The state shared by the write steps of one import (:mod:`.write_org`, :mod:`.write_grids`,
:mod:`.write_safety`): the session, the stored rows, the plan, the id maps filled on the way,
and one tally per entity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from .periods import sync_periods
from .plan import Plan
from .snapshot import Existing
from .write_rows import Tally, sync_children, sync_table

__all__ = ["Writer", "table_of"]

Row = dict[str, Any]


def table_of(model: Any) -> Table:
    """The Core table of a mapped class (the writes are set-based, on tables)."""
    return model.__table__  # type: ignore[no-any-return]


class Writer:
    """Writes a :class:`Plan` step by step; ``orgs``, ``persons`` and ``grids`` map source ids
    to row ids once the step that writes them has run."""

    def __init__(self, session: Session, existing: Existing, plan: Plan, *, effective: dt.date | None, today: dt.date):
        self.s, self.ex, self.plan = session, existing, plan
        self.effective, self.today = effective, today
        self.tallies: dict[str, Tally] = {}
        self.orgs: dict[str, int] = {}
        self.persons: dict[str, int] = {}
        self.grids: dict[str, int] = {}

    def effective_for(self, record_from: dt.date | None) -> dt.date:
        """The date a change takes effect: the option, else the record's start, else the file's."""
        return self.effective or record_from or self.plan.as_of or self.today

    def first_from(self) -> dt.date:
        return self.plan.period_start or self.effective_for(None)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    def sync(self, name: str, model: Any, key: Callable[[Row], Hashable], rows: list[Row], **kw: Any) -> None:
        """Upsert ``rows`` into ``model``'s table by ``key`` and count it under ``name``."""
        table = table_of(model)
        self.tally(name).add(sync_table(self.s, table, key, rows, self.ex.rows(table), **kw))
        self.ex.forget(table)

    def children(
        self, name: str, table: Table, parent: str, key: tuple[str, ...], rows: list[Row], parents: set[int]
    ) -> None:
        """Make the children of ``parents`` in ``table`` exactly ``rows``."""
        self.tallies[name] = sync_children(self.s, table, parent, key, rows, self.ex.rows(table), parents)
        self.ex.forget(table)

    def periods(
        self,
        name: str,
        model: Any,
        slot: str,
        identity: tuple[str, ...],
        current: dict[Any, Row],
        history: list[Row],
        covered: set[Any] | None,
    ) -> None:
        """History-keeping upsert of rows with validity periods (:mod:`.periods`)."""
        table = table_of(model)
        self.tallies[name] = sync_periods(
            self.s,
            table,
            slot_col=slot,
            identity=identity,
            current=current,
            history=history,
            stored=self.ex.rows(table),
            covered=covered,
            effective_for=self.effective_for,
            first_from=self.first_from,
            close_on=self.effective_for(None),
        )
        self.ex.forget(table)
