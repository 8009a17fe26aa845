"""The ledger's filters are conditions of its query and its pages LIMIT/OFFSET of it (issue 16):
held here to the meaning of each row (``state_of`` of its stored status, overdue on a day) on the
demo county with imported labels, stray whitespace and an unknown status among its hazards."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from responsibility.hazards.ledger import LedgerFilter, ledger_page, ledger_rows
from responsibility.hazards.states import OPEN_STATES, STATES
from responsibility.models import Hazard, School

AT = dt.date(2024, 12, 20)
STORED = ["已上报", " 整改中 ", "待整改", "已整改", "已销号", "作废", "不知道", "", "整改中\u3000", "rectifying"]
"""Statuses as an import may leave them: labels, imported labels, padded ones, an unknown one, an empty one."""


def _vary_the_hazards(session) -> None:  # type: ignore[no-untyped-def]
    hazards = session.scalars(select(Hazard).order_by(Hazard.id)).all()
    assert len(hazards) >= len(STORED)
    for i, hazard in enumerate(hazards):
        hazard.status = STORED[i % len(STORED)]
        hazard.deadline = None if i % 4 == 0 else AT + dt.timedelta(days=(i % 7) - 3)
    session.flush()


def _paged(session, f: LedgerFilter, size: int, school_ids=None) -> list[dict]:  # type: ignore[no-untyped-def]
    rows, total = ledger_page(session, f, at=AT, offset=0, limit=size, school_ids=school_ids)
    for page in itertools.count(1):
        if page * size >= total:
            break
        more, again = ledger_page(session, f, at=AT, offset=page * size, limit=size, school_ids=school_ids)
        assert again == total
        rows += more
    assert len(rows) == total
    return rows


def test_each_filter_keeps_exactly_the_rows_that_mean_it(demo_session) -> None:  # type: ignore[no-untyped-def]
    _vary_the_hazards(demo_session)
    every = ledger_rows(demo_session, LedgerFilter(), at=AT)
    assert len({r["id"] for r in every}) == len(every) > 10
    a_school = every[0]["school_id"]
    a_town = next(r["town_id"] for r in every if r["town_id"])
    cases = [LedgerFilter(state=state) for state in STATES] + [
        LedgerFilter(overdue=True),
        LedgerFilter(state="rectifying", overdue=True),
        LedgerFilter(level="一般"),
        LedgerFilter(area=every[0]["risk_area"]),
        LedgerFilter(town=a_town, overdue=True),
        LedgerFilter(school=a_school),
    ]
    for f in cases:
        expected = [
            r
            for r in every
            if (f.state is None or r["state"] == f.state)
            and (not f.overdue or (r["state"] in OPEN_STATES and r["deadline"] and r["deadline"] < AT.isoformat()))
            and (f.level is None or r["level"] == f.level)
            and (f.area is None or r["risk_area"] == f.area)
            and (f.town is None or r["town_id"] == f.town)
            and (f.school is None or r["school_id"] == f.school)
        ]
        assert ledger_rows(demo_session, f, at=AT) == expected, f
        assert _paged(demo_session, f, 3) == expected, f
    rectifying = ledger_rows(demo_session, LedgerFilter(state="rectifying"), at=AT)
    assert {r["status"] for r in rectifying} >= {" 整改中 ", "整改中\u3000", "rectifying"}
    assert all(r["overdue"] == (r["days_overdue"] > 0) for r in every)


def test_a_page_holds_only_the_schools_the_reader_may_see(demo_session) -> None:  # type: ignore[no-untyped-def]
    _vary_the_hazards(demo_session)
    every = ledger_rows(demo_session, LedgerFilter(), at=AT)
    source_id = every[-1]["school_id"]
    school_id = demo_session.scalar(select(School.id).where(School.source_id == source_id))
    mine = _paged(demo_session, LedgerFilter(), 2, school_ids=frozenset({school_id}))
    assert mine == [r for r in every if r["school_id"] == source_id] and mine
    assert ledger_page(demo_session, LedgerFilter(), at=AT, offset=0, limit=5, school_ids=frozenset()) == ([], 0)
    past_the_end, total = ledger_page(demo_session, LedgerFilter(), at=AT, offset=len(every), limit=5)
    assert past_the_end == [] and total == len(every)
