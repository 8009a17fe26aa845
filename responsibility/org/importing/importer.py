"""``import_county``: load a county (the JSON format or a workbook, read by :mod:`.reading`)
into the database, all or nothing, idempotently.

How it stays correct and fast:

- everything is validated first (:mod:`.schema` for each record, :mod:`.planner` across
  records); a bad file raises one ``ImportRejected`` line before a single row is written;
- stored rows are read once per table (:mod:`.snapshot`), compared in memory, and only the
  differences are written in bulk (:mod:`.write_rows`, in the steps of :mod:`.write_org`,
  :mod:`.write_grids`, :mod:`.write_safety`); post assignments, grid ownerships and liaison
  assignments keep their history (:mod:`.periods`);
- upsert by source id: importing the same file twice changes nothing. When nothing changed no
  audit event is written either, so a re-import leaves the database byte-for-byte as it was;
  any change writes exactly one ``org.import`` event with the summary counts;
- the caller owns the transaction: this function never commits, and on an error the caller
  rolls back (the CLI does).

Defects of the organisation (a broken grid tree, a grid without an owner, a duty declared
empty…) are written as the file states them, never repaired: the gap report judges them
(``docs/import_rules.md``). Not stored, because they are derived from post assignments: a school's ``leadership`` and
``key_staff`` blocks (their person references are still checked). Stored entities that a later
file no longer mentions are kept; only assignments are closed, and persons leave service on
the change date (``left_on``).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ... import clock
from ...accounts.provision import sync_accounts
from ...audit import append_event
from ...models import County
from .planner import build_plan
from .snapshot import Existing
from .write_grids import write_buildings, write_grids
from .write_org import write_assignments, write_catalogues, write_organisations, write_people
from .write_rows import Tally
from .write_safety import write_agreements, write_hazards, write_home_visits, write_rosters
from .writer import Writer

__all__ = ["EntityCounts", "ImportSummary", "import_county"]


@dataclass(frozen=True)
class EntityCounts:
    """What an import did to one entity's rows."""

    created: int = 0
    updated: int = 0
    closed: int = 0
    """Validity periods ended, persons' service ended (``left_on`` set), or child rows removed."""
    unchanged: int = 0


@dataclass(frozen=True)
class ImportSummary:
    """The result of one import, in entity order."""

    source: str
    entities: tuple[tuple[str, EntityCounts], ...]
    effective: dt.date | None = None
    """The import's effective date: ``effective`` if given, else the file's ``meta.as_of``, else
    the day it ran — the day the caller judges the imported data on (``flask audit gaps``)."""

    @property
    def changed(self) -> bool:
        """True when any row was created, updated or closed."""
        return any(c.created or c.updated or c.closed for _, c in self.entities)

    def counts(self, entity: str) -> EntityCounts:
        return dict(self.entities).get(entity, EntityCounts())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {name: vars(c).copy() for name, c in self.entities}


def import_county(
    session: Session,
    data: Mapping[str, Any],
    *,
    source: str,
    actor: str = "system",
    effective: dt.date | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Validate and write ``data`` in the caller's transaction; see the module docstring.

    ``effective`` dates the changes (closing and opening assignments); default: the record's
    ``valid_from``, else ``meta.as_of``, else ``today``: the day the import runs in the county's
    zone (the caller passes it; default :func:`responsibility.clock.today` in the default zone).
    """
    with _collector_paused():
        return _import(session, data, source=source, actor=actor, effective=effective, today=today)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while a county is validated and written.

    A county is tens of thousands of pydantic records and ORM rows, all alive until the import
    ends; each generation-2 collection would walk every one of them again (measured: the import
    took 1.5x as long with the collector on). Nothing the import makes is garbage before it
    ends, so the pause loses nothing; the collector resumes, with one collection, afterwards.
    Nested or concurrent imports keep it paused until the outermost one ends."""
    global _paused_imports
    with _pause_lock:
        if _paused_imports == 0:
            _was_enabled[0] = gc.isenabled()
            gc.disable()
        _paused_imports += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused_imports -= 1
            if _paused_imports == 0 and _was_enabled[0]:
                gc.enable()
                gc.collect(1)


_pause_lock = threading.Lock()
_paused_imports = 0
_was_enabled = [True]


def _import(
    session: Session,
    data: Mapping[str, Any],
    *,
    source: str,
    actor: str,
    effective: dt.date | None,
    today: dt.date | None,
) -> ImportSummary:
    existing = Existing(session)
    plan = build_plan(data, source=source, existing=existing)
    today = today or clock.today()
    writer = Writer(session, existing, plan, effective=effective, today=today)
    _write(writer)
    users = sync_accounts(session, today)
    writer.tallies["users"] = Tally(created=users)
    summary = ImportSummary(
        source=source,
        entities=tuple((name, EntityCounts(**vars(t))) for name, t in writer.tallies.items()),
        effective=effective or plan.as_of or today,
    )
    if summary.changed:
        append_event(session, actor=actor, action="org.import", subject=source, data=summary.as_dict())
    return summary


def _write(w: Writer) -> None:
    """The write steps, in dependency order (each needs the ids the previous ones stored)."""
    write_catalogues(w)
    stored_sections = write_organisations(w)
    write_people(w, stored_sections)
    write_assignments(w)
    write_grids(w)
    write_buildings(w)
    write_hazards(w)
    write_rosters(w)
    write_home_visits(w)
    write_agreements(w)
    _write_county(w)


def _write_county(w: Writer) -> None:
    p = w.plan
    row = {
        **p.document.county.row(),
        "title": p.meta.get("title"),
        "as_of": p.as_of,
        "period_name": p.period_name,
        "period_start": p.period_start,
        "period_end": p.period_end,
        "meta": p.meta,
        "assessment_scheme": p.assessment_scheme,
    }
    w.sync("county", County, lambda r: "the county", [row])
