"""People have history: a person's dated service (joined on / left on, with the reason) is
imported from JSON and .xlsx, judged by one SQL predicate, exported and read back; files that
only say ``active: true/false`` still import; what cannot be stored as one period is refused."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from integration.gaps.gap_county import assignments, clean_county, person
from openpyxl import load_workbook
from sqlalchemy import func, select

from responsibility.models import LEFT_UNDATED, Person
from responsibility.org.errors import ImportRejected
from responsibility.org.exporter import export_rows, export_workbook
from responsibility.org.importing import import_county
from responsibility.org.importing.read_workbook import read_workbook

LEFT = dt.date(2025, 1, 20)
JOINED = dt.date(2024, 12, 2)


def _with_history() -> tuple[dict[str, Any], dict[str, str]]:
    """The clean county with a campus head who transferred on LEFT, a newcomer who joined on
    JOINED, a bus attendant who resigned on a date the roster does not give, and a retiree given
    by the Chinese label."""
    data = clean_county()
    who = {
        "head": assignments(data, "SCH011", "S22")[0]["person_id"],
        "newcomer": assignments(data, "SCH011", "S13")[0]["person_id"],
        "undated": assignments(data, "SCH029", "S19")[0]["person_id"],
        "retiree": assignments(data, "SCH029", "S14")[0]["person_id"],
    }
    person(data, who["head"]).update(active=False, left_on=LEFT.isoformat(), left_reason="transferred")
    person(data, who["newcomer"]).update(joined_on=JOINED.isoformat())
    person(data, who["undated"]).update(active=False, left_reason="辞职")
    person(data, who["retiree"]).update(left_on="2025-01-06", left_reason="退休")
    person(data, who["retiree"]).pop("active", None)
    return data, who


def _stored(session: Any, sid: str) -> Person:
    return session.execute(select(Person).where(Person.source_id == sid)).scalar_one()


def test_json_import_stores_the_dated_service(session) -> None:  # type: ignore[no-untyped-def]
    data, who = _with_history()
    import_county(session, data, source="history.json")
    head, newcomer = _stored(session, who["head"]), _stored(session, who["newcomer"])
    undated, retiree = _stored(session, who["undated"]), _stored(session, who["retiree"])
    assert (head.joined_on, head.left_on, head.left_reason) == (None, LEFT, "transferred")
    assert (newcomer.joined_on, newcomer.left_on, newcomer.left_reason) == (JOINED, None, None)
    assert (undated.left_on, undated.left_reason) == (LEFT_UNDATED, "resigned")
    assert (retiree.left_on, retiree.left_reason) == (dt.date(2025, 1, 6), "retired")
    # A file that only says "active: true" (every other person) stores an open service.
    plain = next(p for p in data["persons"] if p["id"] not in who.values())
    assert (_stored(session, plain["id"]).joined_on, _stored(session, plain["id"]).left_on) == (None, None)


def test_in_service_is_one_sql_predicate_that_agrees_with_the_python_rule(session) -> None:  # type: ignore[no-untyped-def]
    data, who = _with_history()
    import_county(session, data, source="history.json")
    days = [JOINED - dt.timedelta(days=1), JOINED, LEFT - dt.timedelta(days=1), LEFT, dt.date(2030, 1, 1)]
    expected = {
        "head": [True, True, True, False, False],
        "newcomer": [False, True, True, True, True],
        "undated": [False] * 5,
    }
    for key, states in expected.items():
        row = _stored(session, who[key])
        for day, state in zip(days, states, strict=True):
            in_sql = session.execute(
                select(Person.source_id).where(Person.id == row.id, Person.in_service_on(day))
            ).scalar_one_or_none()
            assert (in_sql is not None) is state, (key, day)
            assert row.in_service_on(day) is state, (key, day)
    # The predicate also counts: everyone but the three who are out of service on LEFT.
    total = len(data["persons"])
    counted = session.scalar(select(func.count()).select_from(Person).where(Person.in_service_on(LEFT)))
    assert counted == total - 3  # head (left on LEFT), undated, retiree (left 01-06)


REFUSALS = [
    ("left_reason", "出国", 'unknown reason for leaving "出国"'),
    ("left_on", "2025-02-30", "bad date '2025-02-30'"),
]


@pytest.mark.parametrize(("key", "value", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_bad_service_values_are_refused_with_their_path(session, key, value, message) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    data["persons"][3].update(active=False, **{key: value})
    with pytest.raises(ImportRejected) as err:
        import_county(session, data, source="bad.json")
    assert str(err.value).startswith(f"bad.json: $.persons[3].{key}: {message}")


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"joined_on": "2025-01-10", "left_on": "2025-01-09"}, "left_on", "'left_on' is before 'joined_on'"),
        ({"active": True, "left_on": "2025-01-09"}, "active", "'active' is true but 'left_on' is given"),
        ({"left_reason": "调离"}, "left_reason", "'left_reason' is given but the person has not left"),
    ],
)
def test_a_service_that_is_not_one_period_is_refused(session, fields, where, message) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    data["persons"][4].pop("active", None)
    data["persons"][4].update(fields)
    with pytest.raises(ImportRejected) as err:
        import_county(session, data, source="bad.json")
    assert str(err.value) == f"bad.json: $.persons[4].{where}: {message}"
    assert session.scalar(select(Person.id).limit(1)) is None  # nothing written


def test_export_writes_the_service_columns_as_the_import_reads_them(session) -> None:  # type: ignore[no-untyped-def]
    data, who = _with_history()
    import_county(session, data, source="history.json")
    rows = {r["id"]: r for r in export_rows(session)["人员"]}
    assert {k: rows[who["head"]][k] for k in ("active", "joined_on", "left_on", "left_reason")} == {
        "active": False,
        "joined_on": None,
        "left_on": LEFT,
        "left_reason": "调离",
    }
    assert (rows[who["undated"]]["active"], rows[who["undated"]]["left_on"]) == (False, None)
    assert rows[who["undated"]]["left_reason"] == "辞职"
    assert (rows[who["newcomer"]]["active"], rows[who["newcomer"]]["joined_on"]) == (True, JOINED)
    book = load_workbook(io.BytesIO(export_workbook(session)), read_only=True)
    header = next(book["人员"].iter_rows(max_row=1, values_only=True))
    assert {"在岗", "入职日期", "离岗日期", "离岗原因"} <= set(header)


def _dump_people(session: Any) -> list[tuple[Any, ...]]:
    return [
        tuple(r)
        for r in session.execute(
            select(Person.source_id, Person.joined_on, Person.left_on, Person.left_reason).order_by(Person.source_id)
        )
    ]


def test_workbook_round_trip_keeps_the_history_and_a_reimport_changes_nothing(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, _ = _with_history()
    import_county(session, data, source="history.json")
    before = _dump_people(session)
    path = tmp_path / "org.xlsx"
    path.write_bytes(export_workbook(session))
    summary = import_county(session, read_workbook(path), source="org.xlsx")
    assert summary.counts("persons").updated == 0 and summary.counts("persons").closed == 0
    assert _dump_people(session) == before


def test_an_older_workbook_without_the_service_columns_still_imports(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    leaver = data["persons"][6]
    leaver["active"] = False
    import_county(session, data, source="v1.json")
    book = load_workbook(io.BytesIO(export_workbook(session)))
    sheet = book["人员"]
    for title in ("离岗原因", "离岗日期", "入职日期"):
        sheet.delete_cols(next(c.column for c in sheet[1] if c.value == title))
    path = tmp_path / "old.xlsx"
    book.save(path)
    before = _dump_people(session)
    summary = import_county(session, read_workbook(path), source="old.xlsx")
    assert summary.counts("persons").updated == 0
    assert _dump_people(session) == before
    assert _stored(session, leaver["id"]).left_on == LEFT_UNDATED  # 在岗=否 without a date


def test_a_json_file_with_history_reads_back_from_its_own_json(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The generator's JSON and the exported workbook are two spellings of one file: importing
    the JSON after the workbook changes nothing."""
    data, _ = _with_history()
    import_county(session, data, source="history.json")
    book = tmp_path / "org.xlsx"
    book.write_bytes(export_workbook(session))
    import_county(session, read_workbook(book), source="org.xlsx")
    again = import_county(session, data, source="history.json")
    assert again.counts("persons").updated == 0


def test_an_unknown_reason_in_a_workbook_names_the_sheet_row_and_column(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data, who = _with_history()
    import_county(session, data, source="history.json")
    book = load_workbook(io.BytesIO(export_workbook(session)))
    sheet = book["人员"]
    column = next(c.column for c in sheet[1] if c.value == "离岗原因")
    row = next(r[0].row for r in sheet.iter_rows(min_row=2) if r[0].value == who["head"])
    sheet.cell(row=row, column=column, value="出国")
    path = tmp_path / "org.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as err:
        import_county(session, read_workbook(path), source="org.xlsx")
    assert str(err.value) == f'org.xlsx: sheet 人员, row {row}, column 离岗原因: unknown reason for leaving "出国"'
