"""Adding a row another transaction may be adding at the same moment (a stored report of one
day: unique per day and choice). The database's unique constraint decides who wins; the loser
gets :class:`~responsibility.errors.ConcurrentChange` instead of a driver error, inside a
savepoint so that the caller's transaction stays usable (it rolls back what it did besides)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import ConcurrentChange
from .models import Base

__all__ = ["add_unique"]


def add_unique(session: Session, row: Base) -> None:
    """Add and flush ``row``; :class:`ConcurrentChange` when its unique key is taken."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError as err:
        raise ConcurrentChange("someone else computed this report at the same moment; the page shows theirs") from err
