"""The one validity rule: a period is half-open ``[valid_from, valid_to)``.

A row holds on ``day`` when ``valid_from <= day`` and (``valid_to`` is null or ``day < valid_to``):
the day a new holder starts is the first day the old one no longer holds, so a change of holder
never leaves a day with two holders or none. Post assignments, grid ownerships and liaison
assignments all keep their history this way; every query and every Python check uses the
functions here instead of spelling the rule out again.

- :func:`period_holds` is the rule on plain values (Python);
- :func:`held_on` is the same rule as a SQL expression over any two columns (ORM attributes,
  aliases, Core ``table.c`` columns) and any day (a date or a bound parameter);
- :class:`ValidityPeriod` gives a model ``Model.held_on(day)``, a hybrid method that is the
  Python rule on an instance and the SQL rule on the class (``select(M).where(M.held_on(day))``).

A period may also have an *open start* (``valid_from`` null: since before the records begin): a
person's service (``Person.joined_on`` / ``left_on``) is such a period, because a roster that
only says "in service" gives no joining date. Pass ``open_start=True`` to :func:`held_on`;
:func:`period_holds` treats a ``None`` start as open.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, or_
from sqlalchemy.ext.hybrid import hybrid_method

__all__ = ["ValidityPeriod", "held_on", "period_holds"]


def period_holds(valid_from: dt.date | None, valid_to: dt.date | None, day: dt.date) -> bool:
    """``day`` lies in the half-open period ``[valid_from, valid_to)`` (open-ended when ``valid_to``
    is None, open-started when ``valid_from`` is None)."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day < valid_to)


def held_on(valid_from: Any, valid_to: Any, day: Any, *, open_start: bool = False) -> ColumnElement[bool]:
    """SQL: the half-open period ``[valid_from, valid_to)`` contains ``day`` (same rule as
    :func:`period_holds`). ``open_start``: a null ``valid_from`` means "since ever" (only for
    columns that may be null; the others keep the plain comparison their indexes serve)."""
    starts = or_(valid_from.is_(None), valid_from <= day) if open_start else valid_from <= day
    return and_(starts, or_(valid_to.is_(None), valid_to > day))


class ValidityPeriod:
    """Mixin for a mapped class with ``valid_from`` / ``valid_to`` date columns.

    The columns stay declared on each model (their order and the committed migration are
    unchanged); the mixin adds the rule only.
    """

    if TYPE_CHECKING:
        valid_from: Any
        valid_to: Any

    def _held_on_row(self, day: dt.date) -> bool:
        return period_holds(self.valid_from, self.valid_to, day)

    def _held_on_sql(cls: Any, day: Any) -> ColumnElement[bool]:  # hybrid_method binds it to the class
        return held_on(cls.valid_from, cls.valid_to, day)

    held_on = hybrid_method(_held_on_row, _held_on_sql)
    """``row.held_on(day)``: this row's period contains ``day``; ``Model.held_on(day)``: the SQL
    condition for it (works on aliases too)."""
