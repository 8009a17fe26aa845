"""The season board read from a stored snapshot (issue 16): the figures of the schools a reader
may see, added up per town in one aggregate query over the snapshot's rows, and the numbers of
the page of schools the board lists; never a row per school of the province in Python.

The figures have ``season_figures``' shape; their ``ByTown.schools`` hold the listed schools
only (the page shows no other), and a school with nothing to count has zeros, which the board
shows as it shows an absent one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..models import BOARD_SHARES, BoardSnapshot, BoardSnapshotSchool, School, Town
from .figures import ByTown, IncidentCounts, RoundFigure, Share
from .season import BOARD_COLUMNS

__all__ = ["StoredBoard", "stored_board"]

Ts = TypeVarTuple("Ts")
SchoolRow = tuple[int, tuple[str, str, str]]
"""A listed school: database id → (import id, name, town import id or ``""``)."""


@dataclass(frozen=True)
class StoredBoard:
    figures: dict[str, Any] | None
    """None without a snapshot."""
    towns: Mapping[str, str]
    """Town import id → name, the towns of the reader's schools in id order (``""``: no town)."""
    school_count: int
    listed: Sequence[SchoolRow]
    """The schools from ``offset``, by import id."""


def _scoped(query: Select[*Ts], visible: Collection[int] | None) -> Select[*Ts]:
    return query if visible is None else query.where(School.id.in_(list(visible)))


def _towns(session: Session, visible: Collection[int] | None) -> tuple[dict[str, str], int]:
    query = select(Town.source_id, Town.name, func.count(School.id)).select_from(School)
    query = _scoped(query.outerjoin(Town, Town.id == School.town_id), visible).group_by(Town.source_id, Town.name)
    found = session.execute(query).all()
    towns = dict(sorted(((town or ""), (name or "")) for town, name, _ in found))
    return towns, sum(int(count) for *_, count in found)


def _town_sums(session: Session, snapshot_id: int, visible: Collection[int] | None) -> dict[str, list[int]]:
    sums = [func.coalesce(func.sum(getattr(BoardSnapshotSchool, column)), 0) for column in BOARD_COLUMNS]
    query = (
        select(Town.source_id, *sums)
        .select_from(BoardSnapshotSchool)
        .join(School, School.id == BoardSnapshotSchool.school_id)
        .outerjoin(Town, Town.id == School.town_id)
        .where(BoardSnapshotSchool.snapshot_id == snapshot_id)
        .group_by(Town.source_id)
    )
    return {(town or ""): [int(n) for n in numbers] for town, *numbers in session.execute(_scoped(query, visible))}


def _listed(session: Session, visible: Collection[int] | None, offset: int, limit: int) -> list[SchoolRow]:
    query = select(School.id, School.source_id, School.name, Town.source_id).outerjoin(Town, Town.id == School.town_id)
    query = _scoped(query, visible).order_by(School.source_id).offset(offset).limit(limit)
    return [(i, (source, name, town or "")) for i, source, name, town in session.execute(query)]


def _school_numbers(session: Session, snapshot_id: int, school_ids: list[int]) -> dict[int, list[int]]:
    if not school_ids:
        return {}
    columns = [getattr(BoardSnapshotSchool, column) for column in BOARD_COLUMNS]
    query = select(BoardSnapshotSchool.school_id, *columns).where(
        BoardSnapshotSchool.snapshot_id == snapshot_id, BoardSnapshotSchool.school_id.in_(school_ids)
    )
    return {school_id: list(numbers) for school_id, *numbers in session.execute(query)}


def _figure(
    towns: Mapping[str, str], by_town: Mapping[str, list[int]], schools: Mapping[int, list[int]], at: int, make: Any
) -> ByTown[Any]:
    """The figure whose numbers start at column ``at``, built by ``make`` (Share or IncidentCounts)."""
    width = len(dataclasses.fields(make))
    zero = make()
    town_values = {town: make(*by_town[town][at : at + width]) if town in by_town else zero for town in towns}
    county = zero
    for value in town_values.values():
        county = county + value
    return ByTown({i: make(*numbers[at : at + width]) for i, numbers in schools.items()}, town_values, county)


def stored_board(
    session: Session, snapshot: BoardSnapshot | None, visible: Collection[int] | None, *, offset: int, limit: int
) -> StoredBoard:
    """The board of ``snapshot`` for the schools of ``visible`` (None: every school), listing
    ``limit`` of them from ``offset``; without a snapshot, the schools and no figures. Four
    statements whatever the number of schools."""
    towns, count = _towns(session, visible)
    if snapshot is None:
        return StoredBoard(None, towns, count, _listed(session, visible, offset, limit))
    by_town = _town_sums(session, snapshot.id, visible)
    listed = _listed(session, visible, offset, limit)
    schools = _school_numbers(session, snapshot.id, [i for i, _ in listed])
    figures: dict[str, Any] = {}
    for position, name in enumerate(BOARD_SHARES):
        figures[name] = _figure(towns, by_town, schools, 2 * position, Share)
    figures["incidents"] = _figure(towns, by_town, schools, 2 * len(BOARD_SHARES), IncidentCounts)
    submitted, found = figures.pop("round"), snapshot.figures.get("round")
    figures["round"] = None
    if found is not None:
        figures["round"] = RoundFigure(found["round_id"], found["name"], submitted, dict(found["fail_rates"]))
    return StoredBoard(figures, towns, count, listed)
