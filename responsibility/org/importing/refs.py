"""The cross-record rules of an import that the schema cannot see alone: every reference is
defined (in the file or the database), ids are unique, periods are well-formed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .fields import Record
from .validation import refusal

__all__ = ["Refs", "check_period", "unique"]


class Refs:
    """Source ids defined in the file plus those already stored, per kind of entity."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.known: dict[str, set[str]] = {}

    def define(self, kind: str, ids: Iterable[str]) -> None:
        self.known.setdefault(kind, set()).update(ids)

    def check(self, kind: str, value: str | None, rec: Record, field: str | None = None) -> None:
        """Refuse ``value`` (of ``rec``'s ``field``, or of the record) unless ``kind`` defines it.

        The location is worked out only for a refusal: the happy path checks ~10⁵ references.
        """
        if value is not None and value not in self.known.get(kind, set()):
            where = rec.at(field) if field else rec.where
            raise refusal(
                self.source, where, f"{kind} {value} is referenced but not defined (not in the file nor the database)"
            )


def unique(source: str, items: Iterable[tuple[str, str]], kind: str) -> set[str]:
    """``items`` are (id, where); a repeated id is an error naming the second occurrence."""
    seen: set[str] = set()
    for value, where in items:
        if value in seen:
            raise refusal(source, where, f"duplicate {kind} id {value}")
        seen.add(value)
    return seen


def check_period(source: str, rec: Record, valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    """A closed period needs a start, and cannot end before it starts."""
    if valid_to is not None:
        if valid_from is None:
            raise refusal(source, rec.at("valid_from"), "a closed period needs 'valid_from'")
        if valid_to < valid_from:
            raise refusal(source, rec.at("valid_to"), "'valid_to' is before 'valid_from'")
