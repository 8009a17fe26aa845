"""The import schema: one definition for JSON and workbook records, and refusals that name the
JSON path or the sheet, row and column."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from responsibility.errors import BadInput
from responsibility.org.errors import ImportRejected
from responsibility.org.importing.read_workbook import read_workbook
from responsibility.org.importing.schema import Grid, Person, School
from responsibility.org.importing.validation import validate_document
from responsibility.org.importing.workbook import write_workbook

SCHOOL = {
    "id": "S1",
    "name": "一小",
    "type": "镇中心小学",
    "town_id": "T1",
    "direct_to_bureau": False,
    "students": 120,
    "features": ["canteen", "lab"],
    "note": "",
    "campuses": [{"name": "东校区", "students": 40}],
    "buildings": [
        {
            "id": "B1",
            "school_id": "S1",
            "name": "教学楼",
            "floors": 4,
            "dense_occupancy": True,
            "fire_plan": {"plan_no": "案1", "hydrants": 3, "last_monthly_check": "2025-01-04"},
        }
    ],
}
GRIDS = [
    {"id": "G1", "school_id": "S1", "level": 1, "name": "全校", "scope_type": "school", "member_person_ids": []},
    {
        "id": "G2",
        "school_id": "S1",
        "level": 2,
        "name": "教学楼",
        "scope_type": "building",
        "parent_id": "G1",
        "owner_person_id": "P1",
        "owner_valid_from": "2024-09-01",
        "member_person_ids": ["P1", "P2"],
    },
]
DOCUMENT: dict[str, Any] = {
    "meta": {"as_of": "2025-01-31"},
    "county": {"name": "县", "bureau_id": "B"},
    "bureau": {"id": "B", "name": "局"},
    "schools": [SCHOOL],
    "persons": [{"id": "P1", "name": "甲", "org_id": "S1"}, {"id": "P2", "name": "乙", "org_id": "S1"}],
    "post_assignments": [],
    "grids": GRIDS,
}


def _as_workbook(tmp_path: Path, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` written as the import workbook and read back (the export's layout)."""
    school = {k: v for k, v in data["schools"][0].items() if k not in ("campuses", "buildings")}
    rows = {
        "元数据": [{"key": key, "value": data[key]} for key in ("meta", "county", "bureau")],
        "学校": [school],
        "校区": [{"school_id": "S1", **c} for c in data["schools"][0]["campuses"]],
        "建筑": data["schools"][0]["buildings"],
        "人员": data["persons"],
        "网格": data["grids"],
        "任职": data["post_assignments"],
    }
    path = tmp_path / "org.xlsx"
    path.write_bytes(write_workbook(rows))
    return read_workbook(path)


def test_a_json_record_and_the_same_workbook_row_validate_equal(tmp_path: Path):
    from_json = validate_document(DOCUMENT, source="org.json")
    from_book = validate_document(_as_workbook(tmp_path, DOCUMENT), source="org.xlsx")
    assert from_book.schools[0].where == "sheet 学校, row 2"
    for pick in (lambda d: d.schools[0], lambda d: d.grids[1], lambda d: d.persons[1], lambda d: d.county):
        assert pick(from_json).row() == pick(from_book).row()
    school = from_json.schools[0]
    assert school.school_type == "town_central_primary" and school.town == "T1" and school.note is None
    assert school.buildings[0].fire_plan is not None
    assert school.buildings[0].fire_plan.last_monthly_check == dt.date(2025, 1, 4)
    assert from_json.grids[1].members == ["P1", "P2"] and from_json.grids[1].owner_valid_from == dt.date(2024, 9, 1)


@pytest.mark.parametrize(
    ("path", "value", "json_message", "book_message"),
    [
        (
            ("grids", 1, "level"),
            "二",
            "org.json: $.grids[1].level: 'level' must be a whole number, not '二'",
            "org.xlsx: sheet 网格, row 3, column 层级: 'level' must be a whole number, not '二'",
        ),
        (
            ("grids", 1, "owner_valid_from"),
            "2024-09-31",
            "org.json: $.grids[1].owner_valid_from: bad date '2024-09-31'",
            "org.xlsx: sheet 网格, row 3, column 网格长起: bad date '2024-09-31'",
        ),
        (
            ("schools", 0, "buildings", 0, "fire_plan", "hydrants"),
            "三个",
            "org.json: $.schools[0].buildings[0].fire_plan.hydrants: 'hydrants' must be a whole number",
            "org.xlsx: sheet 建筑, row 2, column 消火栓: 'hydrants' must be a whole number",
        ),
        (
            ("schools", 0, "type"),
            "高校",
            'org.json: $.schools[0].type: unknown school type "高校"',
            'org.xlsx: sheet 学校, row 2, column 类型: unknown school type "高校"',
        ),
        (
            ("persons", 1, "name"),
            "",
            "org.json: $.persons[1].name: missing 'name'",
            "org.xlsx: sheet 人员, row 3, column 姓名: missing 'name'",
        ),
    ],
)
def test_refusals_name_the_json_path_or_the_sheet_row_and_column(tmp_path, path, value, json_message, book_message):
    data = copy.deepcopy(DOCUMENT)
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    with pytest.raises(BadInput) as err:
        validate_document(data, source="org.json")
    assert str(err.value).startswith(json_message)
    with pytest.raises(BadInput) as err:
        validate_document(_as_workbook(tmp_path, data), source="org.xlsx")
    assert str(err.value).startswith(book_message)


def test_blank_values_are_absent_and_yes_no_is_not_a_number():
    person = Person.model_validate({"id": "P1", "name": "甲", "note": "", "active": None})
    assert person.note is None and person.active is None and person.left_on is None
    assert Person.model_validate({"id": 7, "name": "甲"}).source_id == "7"
    with pytest.raises(ValueError, match="level"):
        Grid.model_validate({"id": "G", "school_id": "S", "level": True, "name": "n", "scope_type": "s"})
    with pytest.raises(ValueError, match="features"):
        School.model_validate({"id": "S", "name": "n", "type": "幼儿园", "features": ["swimming_pool"]})


def test_the_top_level_must_be_an_object():
    with pytest.raises(BadInput, match=r"^f.json: \$: expected an object at the top level"):
        validate_document([], source="f.json")


def test_a_refusal_is_an_import_rejected_whose_where_is_the_json_path():
    data = copy.deepcopy(DOCUMENT)
    data["grids"][1]["level"] = "二"
    with pytest.raises(ImportRejected) as caught:
        validate_document(data, source="org.json")
    assert caught.value.where == "$.grids[1].level"
    assert str(caught.value).startswith("org.json: $.grids[1].level: ")
    assert isinstance(caught.value, BadInput) and caught.value.http_status == 400


ASSIGNMENT = {"id": "PA1", "org_id": "S1", "post_code": "S09", "person_id": "P1"}
DUTY_CASES = [
    ({}, (None, None)),
    ({"business_duty": None, "safety_duties": None}, (None, None)),
    ({"business_duty": "", "safety_duties": []}, ("", [])),
    ({"business_duty": "班级管理", "safety_duties": ["点名", "家访"]}, ("班级管理", ["点名", "家访"])),
    ({"business_duty": "班级管理"}, ("班级管理", None)),
]


@pytest.mark.parametrize(("given", "stored"), DUTY_CASES, ids=["absent", "null", "declared empty", "declared", "mixed"])
def test_declared_empty_duties_are_kept_apart_from_absent_ones(tmp_path: Path, given, stored):
    """JSON: a key left out (or null) is None — the catalogue's duties apply; ``""`` / ``[]`` are
    declared empty. The workbook writes None as the marker and empty as an empty cell, and reads
    both back the same (so an export round-trips the difference)."""
    from openpyxl import load_workbook

    from responsibility.org.importing.workbook import INHERITED

    data = copy.deepcopy(DOCUMENT)
    data["post_assignments"] = [{**ASSIGNMENT, **given}]
    from_json = validate_document(data, source="org.json").post_assignments[0]
    assert (from_json.business_duty, from_json.safety_duties) == stored
    from_book = validate_document(_as_workbook(tmp_path, data), source="org.xlsx").post_assignments[0]
    assert from_book.row() == from_json.row()
    sheet = load_workbook(tmp_path / "org.xlsx")["任职"]
    header = [c.value for c in sheet[1]]
    cells = [sheet.cell(row=2, column=header.index(title) + 1).value for title in ("业务职责", "安全职责")]
    business, safety = stored
    assert cells == [
        INHERITED if business is None else business or None,
        INHERITED if safety is None else "\n".join(safety) or None,
    ]
