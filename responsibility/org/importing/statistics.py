"""The planner's statistics after an import. A county (or a province) import writes hundreds of
thousands of rows at once; until PostgreSQL's statistics know them the planner plans with the
row counts of before (none, on a new database) and picks plans fit for an empty table: at 20,000
schools the generation's grid-member lookup hash-joined all 636,000 persons for every grid
(0.7 s a statement instead of an index lookup) because the import had never been analysed
(autovacuum may be off, and even when on, it analyses only after its naptime). The entry points
that import (``flask org import``, ``flask demo load``) call :func:`refresh_statistics` after
their commit, as ``pg_restore`` users are told to ``ANALYZE`` after a bulk load."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

__all__ = ["refresh_statistics"]


def refresh_statistics(session: Session) -> bool:
    """``ANALYZE`` the database on PostgreSQL (it samples each table: seconds for a province);
    nothing on SQLite, whose planner has no such statistics unless asked. True when it ran.
    Run after the import's commit: the sample reads committed rows."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("ANALYZE"))
    return True
