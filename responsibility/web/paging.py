"""Numbered pages: ``?page=N`` picks a view's page size of a list, so a province's page stays a few
hundred rows however many there are (a page listing 90,000 findings is tens of megabytes, more
than a phone's browser opens). The figures above such a list are still of the whole list.

``page_of`` pages a list a view computes in full (the gap report's findings, the season board's
schools); a list the database pages itself builds its ``Page`` from a LIMIT/OFFSET and a count (the
hazard ledger, ``hazards.ledger.ledger_page``). The campaign's agreements and the inbox use keyset
``after=`` links instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import abort, request
from flask_babel import gettext

__all__ = ["MAX_CHART_BARS", "Page", "page_arg", "page_of"]

T = TypeVar("T")
MAX_PAGE = 1_000_000
MAX_CHART_BARS = 40
"""A chart of more bars than this (a province's thousands of towns) is read by nobody and weighs
megabytes: above it a page draws the ones that matter (the furthest behind) or a table instead."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    """1-based."""
    size: int
    total: int

    @property
    def first(self) -> int:
        """The 1-based position of the page's first item (0 when the list is empty)."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def has_next(self) -> bool:
        return self.number * self.size < self.total

    @property
    def paged(self) -> bool:
        """More than one page (the pager is shown)."""
        return self.total > self.size or self.number > 1


def page_arg(name: str = "page") -> int:
    """``?page=N`` (or ``?<name>=N``; default 1); 400 with one line when it is not a whole number from 1."""
    raw = (request.args.get(name) or "1").strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        abort(400, description=gettext("The page must be a whole number from 1."))
    return int(raw)


def page_of(items: Sequence[T], number: int, size: int) -> Page[T]:
    """Page ``number`` of ``items``; a page past the end is empty (its pager links back)."""
    start = (number - 1) * size
    return Page(items[start : start + size], number, size, len(items))
