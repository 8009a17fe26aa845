"""Reading import files: size limit before reading, JSON errors, the workbook format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from responsibility.errors import BadInput
from responsibility.org.errors import ImportRejected
from responsibility.org.importing import read_import_file
from responsibility.org.importing.read_workbook import read_workbook
from responsibility.org.importing.workbook import SHEETS, write_workbook
from responsibility.org.vocabulary import accountability_role_code, school_type_code


def test_size_limit_is_checked_on_the_file_size(tmp_path: Path):
    path = tmp_path / "big.json"
    with open(path, "wb") as handle:
        handle.truncate(2048)
    with pytest.raises(BadInput, match=r"big.json: file is 0.0 MB, larger than the import limit"):
        read_import_file(path, max_bytes=1024)


def test_truncated_json_names_file_and_position(tmp_path: Path):
    path = tmp_path / "cut.json"
    path.write_text('{"county": {"name": "岚川', encoding="utf-8")
    with pytest.raises(BadInput, match=r"^cut.json: invalid JSON at line 1, column \d+"):
        read_import_file(path, max_bytes=10_000)


def test_top_level_must_be_an_object(tmp_path: Path):
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(BadInput, match="expected an object"):
        read_import_file(path, max_bytes=10_000)


def test_unknown_extension_and_missing_file(tmp_path: Path):
    with pytest.raises(BadInput, match="unsupported file type '.txt'"):
        read_import_file(tmp_path / "a.txt", max_bytes=10)
    with pytest.raises(BadInput, match="a.json: no such file"):
        read_import_file(tmp_path / "a.json", max_bytes=10)


def test_broken_workbook(tmp_path: Path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BadInput, match="x.xlsx: not a readable .xlsx workbook"):
        read_import_file(path, max_bytes=10_000)


def test_workbook_missing_sheet(tmp_path: Path):
    path = tmp_path / "org.xlsx"
    book = Workbook()
    book.active.title = "元数据"
    book.save(path)
    with pytest.raises(BadInput, match="org.xlsx: sheet 元数据: missing column 项目"):
        read_import_file(path, max_bytes=10**6)


def test_workbook_round_trips_the_dict_shape(tmp_path: Path):
    rows = {
        "元数据": [
            {"key": "bureau", "value": {"id": "B", "name": "局", "party_org": None}},
            {"key": "county", "value": {"name": "县", "bureau_id": "B"}},
        ],
        "学校": [
            {
                "id": "S1",
                "name": "一小",
                "type": "幼儿园",
                "features": ["canteen", "lab"],
                "students": 12,
                "direct_to_bureau": False,
            }
        ],
        "建筑": [
            {
                "id": "B1",
                "school_id": "S1",
                "name": "楼",
                "fire_plan": {"plan_no": "案", "last_monthly_check": dt.date(2025, 1, 4)},
            },
            {"id": "B2", "school_id": "S1", "name": "棚", "fire_plan": None},
        ],
        "岗位": [
            {"code": "S01", "name": "校长", "safety_duties": ["第一责任人", "消防安全责任人"], "party_role": True}
        ],
        "责任书": [{"id": "A1", "party_b_school_id": "S1", "seals": {"party_a": True, "party_b": False}}],
        "责任书签字": [
            {"agreement_id": "A1", "party": "乙方", "role": "校长", "person_id": "P1", "date": dt.date(2024, 11, 15)}
        ],
    }
    path = tmp_path / "org.xlsx"
    path.write_bytes(write_workbook(rows))
    data = read_workbook(path)
    bureau = {k: v for k, v in data["bureau"].items() if k != "_where"}
    assert bureau == {"id": "B", "name": "局", "party_org": None, "leaders": [], "sections": []}
    assert data["bureau"]["_where"] == "sheet 元数据, row 2"
    school = data["schools"][0]
    assert school["features"] == ["canteen", "lab"] and school["students"] == 12 and school["direct_to_bureau"] is False
    assert school["_where"] == "sheet 学校, row 2"
    assert [b["id"] for b in school["buildings"]] == ["B1", "B2"]
    assert school["buildings"][0]["fire_plan"]["last_monthly_check"] == "2025-01-04"
    assert school["buildings"][1]["fire_plan"] is None
    assert data["post_catalog"][0]["safety_duties"] == ["第一责任人", "消防安全责任人"]
    assert data["agreements"][0]["signatures"]["party_b"][0]["person_id"] == "P1"
    assert data["agreements"][0]["seals"] == {"party_a": True, "party_b": False}
    assert len(SHEETS) == len({s.name for s in SHEETS})


def test_vocabulary_maps_chinese_labels_and_accepts_codes():
    assert school_type_code("镇中心小学") == "town_central_primary"
    assert school_type_code("nine_year") == "nine_year"
    assert school_type_code("高校") is None
    assert accountability_role_code("分管领导具体抓") == "deputy_in_charge"
    assert accountability_role_code("督导考核") == "supervision"


def test_refusals_are_import_rejected_with_the_place_alone_in_where(tmp_path: Path):
    with pytest.raises(ImportRejected, match="unsupported file type") as caught:
        read_import_file(tmp_path / "org.csv", max_bytes=10)
    assert caught.value.where == ""  # the whole file is at fault
    path = tmp_path / "list.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ImportRejected, match="expected an object") as caught:
        read_import_file(path, max_bytes=100)
    assert caught.value.where == "$"
    book_path = tmp_path / "org.xlsx"
    book = Workbook()
    book.active.title = "元数据"
    book.save(book_path)
    with pytest.raises(ImportRejected, match="missing column") as caught:
        read_import_file(book_path, max_bytes=10**6)
    assert caught.value.where == "sheet 元数据"
