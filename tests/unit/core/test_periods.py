"""The one validity rule, half-open ``[valid_from, valid_to)``, in Python and in SQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Column, Date, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.orm import aliased

from responsibility.models import GridOwnership, LiaisonAssignment, PostAssignment, held_on, period_holds

START, END = dt.date(2025, 9, 1), dt.date(2026, 9, 1)
DAYS = [START - dt.timedelta(days=1), START, dt.date(2026, 3, 1), END - dt.timedelta(days=1), END]


def test_period_is_half_open() -> None:
    assert not period_holds(START, END, START - dt.timedelta(days=1))
    assert period_holds(START, END, START)
    assert period_holds(START, END, END - dt.timedelta(days=1))
    assert not period_holds(START, END, END)
    assert period_holds(START, None, dt.date(2099, 1, 1))
    assert not period_holds(START, START, START)  # an empty period holds on no day


@pytest.mark.parametrize("model", [PostAssignment, GridOwnership, LiaisonAssignment])
def test_models_carry_the_rule(model: type) -> None:
    row = model(valid_from=START, valid_to=END)
    assert [row.held_on(d) for d in DAYS] == [period_holds(START, END, d) for d in DAYS]
    sql = str(select(model).where(model.held_on(START)).compile())
    assert "valid_from <=" in sql and "valid_to IS NULL" in sql and "valid_to >" in sql
    alias = aliased(model)
    assert "_1.valid_from" in str(alias.held_on(START).compile())


def test_sql_rule_agrees_with_python_rule() -> None:
    """Every (valid_from, valid_to, day) combination around the bounds gives the same answer in
    SQLite as in Python (the chain statement builds its Core predicate from the same ``held_on``)."""
    engine = create_engine("sqlite://")
    table = Table(
        "p", MetaData(), Column("id", Integer, primary_key=True), Column("valid_from", Date), Column("valid_to", Date)
    )
    table.metadata.create_all(engine)
    periods = [(START, END), (START, None), (START, START), (END, None)]
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": i, "valid_from": f, "valid_to": t} for i, (f, t) in enumerate(periods)])
        for day in DAYS:
            found = set(conn.scalars(select(table.c.id).where(held_on(table.c.valid_from, table.c.valid_to, day))))
            expected = {i for i, (f, t) in enumerate(periods) if period_holds(f, t, day)}
            assert found == expected, day


def test_chain_statement_uses_the_same_rule() -> None:
    from responsibility.chain.sql import DAY, POSTS, valid_on

    assert str(valid_on(POSTS).compile()) == str(held_on(POSTS.c.valid_from, POSTS.c.valid_to, DAY).compile())


def test_open_start_holds_since_ever_in_python_and_in_sql() -> None:
    """A person's service ``[joined_on, left_on)`` may start "before the records": a null start
    holds on every day before the end, in SQLite as in Python; the plain rule is unchanged."""
    assert period_holds(None, END, dt.date(1900, 1, 1)) and not period_holds(None, END, END)
    assert period_holds(None, None, dt.date(2099, 1, 1))
    engine = create_engine("sqlite://")
    table = Table(
        "s", MetaData(), Column("id", Integer, primary_key=True), Column("valid_from", Date), Column("valid_to", Date)
    )
    table.metadata.create_all(engine)
    periods = [(None, END), (None, None), (START, END), (None, START), (START, None)]
    with engine.begin() as conn:
        conn.execute(insert(table), [{"id": i, "valid_from": f, "valid_to": t} for i, (f, t) in enumerate(periods)])
        for day in [dt.date(2000, 1, 1), *DAYS]:
            rule = held_on(table.c.valid_from, table.c.valid_to, day, open_start=True)
            found = set(conn.scalars(select(table.c.id).where(rule)))
            assert found == {i for i, (f, t) in enumerate(periods) if period_holds(f, t, day)}, day
    plain = str(held_on(table.c.valid_from, table.c.valid_to, START).compile())
    assert "valid_from IS NULL" not in plain  # the indexed periods keep their plain comparison


def test_person_carries_the_service_rule() -> None:
    from responsibility.models import LEFT_UNDATED, Person, in_service

    joined, left = dt.date(2024, 9, 1), dt.date(2025, 1, 20)
    person = Person(joined_on=joined, left_on=left)
    days = [joined - dt.timedelta(days=1), joined, left - dt.timedelta(days=1), left]
    assert [person.in_service_on(d) for d in days] == [False, True, True, False]
    assert Person(left_on=None).in_service_on(dt.date(1990, 1, 1))
    assert not Person(left_on=LEFT_UNDATED).in_service_on(dt.date(1990, 1, 1))
    sql = str(select(Person.id).where(Person.in_service_on(joined)).compile())
    assert "joined_on IS NULL" in sql and "left_on IS NULL" in sql and "left_on >" in sql
    alias = aliased(Person)
    assert "persons_1.joined_on" in str(in_service(alias, joined).compile())
