"""Fire-file rules without a database: the fields' validation and the status of a building."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from responsibility.errors import BadInput
from responsibility.season.firefile_queries import status_of
from responsibility.season.firefiles import FireFileFields, _changes, _validate

DAY = dt.date(2026, 12, 15)


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        (FireFileFields(floors=None), "floors"),
        (FireFileFields(floors=0), "floors"),
        (FireFileFields(floors=201), "floors"),
        (FireFileFields(floors=3, stairs=0), "staircase"),
        (FireFileFields(floors=3, child_rooms_top_floor=4), "young children"),
        (FireFileFields(floors=3, child_rooms_top_floor=0), "young children"),
        (FireFileFields(floors=3, hydrants=-1), "Equipment"),
        (FireFileFields(floors=3, stairs=-2), "stairs"),
    ],
)
def test_bad_fields_are_refused(fields: FireFileFields, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        _validate(fields)


def test_good_fields_pass_and_changes_name_what_moved() -> None:
    before = FireFileFields(floors=1, stairs=0)
    after = FireFileFields(floors=4, stairs=2, child_rooms_top_floor=4, extinguishers=12)
    _validate(before)
    _validate(after)  # a 4th-floor children's room is valid input; K1 reports it
    assert _changes(before, after, None, "ab" * 32) == {
        "floors": [1, 4],
        "stairs": [0, 2],
        "child_rooms_top_floor": [None, 4],
        "extinguishers": [None, 12],
        "plan_sha256": [None, "ab" * 32],
    }
    assert _changes(after, after, "x", "x") == {}


def _building(last: dt.date | None, *, plan: bool = True):  # type: ignore[no-untyped-def]
    return SimpleNamespace(fire_plan=SimpleNamespace(last_monthly_check=last) if plan else None)


def test_status_of_a_building() -> None:
    assert status_of(_building(None, plan=False), DAY) == "missing"
    assert status_of(_building(None), DAY) == "overdue"
    assert status_of(_building(DAY - dt.timedelta(days=32)), DAY) == "overdue"
    assert status_of(_building(dt.date(2026, 11, 20)), DAY) == "due"
    assert status_of(_building(dt.date(2026, 12, 1)), DAY) == "ok"
