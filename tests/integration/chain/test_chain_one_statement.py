"""THE RULE of the chain query: one SQL statement per trace, whatever the subject and its size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from chain_county import DAY
from sqlalchemy import event, select

from responsibility.chain import ChainSubject, chain_at


@contextmanager
def counted(session) -> Iterator[list[str]]:
    """Every statement the session's engine sends to the database while the block runs."""
    engine = session.get_bind()
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    session.execute(select(1))  # connect and begin outside the count
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_every_subject_kind_is_one_statement(county):
    # A deeper tree and a person owning several grids: still one statement per trace.
    parent = "G-3"
    for depth in range(4, 9):
        county.grid(f"G-{depth}", "SCH-A", depth, parent, "P-G3")
        parent = f"G-{depth}"
    county.session.commit()
    county.session.expire_all()
    subjects = [
        ChainSubject.grid("G-8"),
        ChainSubject.grid("G-1"),
        ChainSubject.building("BLD-A"),
        ChainSubject.school("SCH-A"),
        ChainSubject.person("P-G3"),
        ChainSubject.person("P-COOK"),
        ChainSubject.person("P-LIA"),
        ChainSubject.post_assignment("PA-COOK"),
        ChainSubject.post_assignment("PA-LIA"),
    ]
    for subject in subjects:
        for day in (DAY, dt.date(2024, 1, 1)):
            with counted(county.session) as statements:
                path = chain_at(county.session, subject, day)
            assert len(statements) == 1, (subject, statements)
            assert statements[0].lstrip().upper().startswith("WITH RECURSIVE")
            assert path.links
    deep = chain_at(county.session, ChainSubject.grid("G-8"), DAY)
    assert [link.grid_source_id for link in deep.links[:8]] == [f"G-{n}" for n in range(8, 0, -1)]
