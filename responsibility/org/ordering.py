"""The natural order of the organisation's codes: ``T2`` before ``T10``, as the import file lists
them, never the string order (``T10`` before ``T2``) nor the order of Chinese names by code point.

Towns are few (tens per county), so they are sorted here rather than by the database, which
would need a collation or a position column per backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from responsibility.models import Town

__all__ = ["NaturalKey", "natural_key", "sort_towns", "towns_in_order"]

_RUNS = re.compile(r"(\d+)")

#: Digit runs as ``(0, number)``, text as ``(1, text)``: tuples of one kind at each position.
NaturalKey = tuple[tuple[int, int | str], ...]


def natural_key(code: str | None) -> NaturalKey:
    """A sort key that compares the digit runs of ``code`` as numbers (``None`` sorts last)."""
    if code is None:
        return ((2, ""),)
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in _RUNS.split(code) if part)


def sort_towns(towns: Iterable[Town]) -> list[Town]:
    return sorted(towns, key=lambda town: (natural_key(town.source_id), town.id))


def towns_in_order(session: Session) -> list[Town]:
    """Every town in the natural order of its code (the import's order)."""
    return sort_towns(session.scalars(select(Town)))
