"""Every kind of bad input: one line naming file and location, exit code 2, database unchanged."""

from __future__ import annotations

import copy
import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from responsibility.extensions import db
from responsibility.org.stats import content_dump


@pytest.fixture(scope="module")
def demo_source(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "domain" / "demo_county.json"
    if not path.is_file():
        pytest.skip("demo_county.json is not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def loaded(app, runner, shared_dir):  # type: ignore[no-untyped-def]
    """The demo county imported; returns a snapshot function of the whole database."""
    result = runner.invoke(args=["org", "import", str(shared_dir / "domain" / "demo_county.json")])
    assert result.exit_code == 0, result.output

    def snapshot() -> tuple[dict[str, Any], str]:
        with app.app_context():
            try:
                tables = content_dump(db.session)
            finally:
                db.session.remove()
        return tables, runner.invoke(args=["org", "stats", "--json"]).output

    return snapshot


def _grid(data: dict[str, Any], level: int) -> dict[str, Any]:
    return next(g for g in data["grids"] if g["level"] == level and g["school_id"] == "SCH002")


def _cycle(data: dict[str, Any]) -> None:
    parent = _grid(data, 2)
    child = next(g for g in data["grids"] if g["parent_id"] == parent["id"])
    parent["parent_id"] = child["id"]


def _duplicate(data: dict[str, Any]) -> None:
    data["persons"][5]["id"] = data["persons"][4]["id"]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(data: dict[str, Any]) -> None:
        target: Any = data
        *parts, last = path.split(".")
        for part in parts:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate


CASES = [
    ("unknown school type", _set("schools.3.type", "高校"), '$.schools[3].type: unknown school type "高校"'),
    (
        "unknown feature",
        lambda d: d["schools"][0]["features"].append("swimming_pool"),
        'unknown feature "swimming_pool"',
    ),
    ("missing parent", _set("grids.17.parent_id", "G09999"), "$.grids[17]: parent G09999 does not exist"),
    ("duplicate id", _duplicate, "$.persons[5]: duplicate person id"),
    ("cycle", _cycle, "cycle in the grid tree"),
    (
        "undefined person",
        _set("post_assignments.10.person_id", "P99999"),
        "$.post_assignments[10].person_id: person P99999 is referenced but not defined",
    ),
    ("bad date", _set("hazards.0.found_date", "2024-13-01"), "$.hazards[0].found_date: bad date '2024-13-01'"),
    ("bad date in meta", _set("meta.as_of", "31.01.2025"), "$.meta.as_of: bad date"),
    ("undefined school", _set("grids.5.school_id", "SCH999"), "school SCH999 is referenced but not defined"),
    ("unknown key", _set("grids.3.colour", "红"), "$.grids[3].colour: unknown key 'colour'"),
    ("unknown top-level key", _set("teachers", []), "$.teachers: unknown key 'teachers'"),
    (
        "bad period",
        _set("post_assignments.7.valid_to", "2020-01-01"),
        "$.post_assignments[7].valid_from: a closed period needs 'valid_from'",
    ),
]


def _assert_refused(result: Any, *expected: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    for text in expected:
        assert text in lines[0], lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("label", "mutate", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_json_record_is_refused_and_nothing_changes(loaded, runner, demo_source, tmp_path, label, mutate, message):
    before = loaded()
    data = copy.deepcopy(demo_source)
    data["schools"][1]["name"] = "改过的名称"  # a valid change that must not survive the failure
    mutate(data)
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    _assert_refused(runner.invoke(args=["org", "import", str(path)]), "demo.json: ", message)
    assert loaded() == before


def test_truncated_json(loaded, runner, demo_source, tmp_path):
    before = loaded()
    text = json.dumps(demo_source, ensure_ascii=False)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    _assert_refused(runner.invoke(args=["org", "import", str(path)]), "cut.json: invalid JSON at line 1")
    assert loaded() == before


def test_file_over_the_size_limit_is_refused_unread(loaded, runner, tmp_path):
    before = loaded()
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: no disk used, and reading it would be invalid JSON
    assert os.stat(path).st_size == 200 * 1024 * 1024
    _assert_refused(runner.invoke(args=["org", "import", str(path)]), "huge.json: file is 200.0 MB", "limit of 50.0 MB")
    assert loaded() == before


def test_unknown_extension(loaded, runner, tmp_path):
    path = tmp_path / "county.csv"
    path.write_text("id,name\n", encoding="utf-8")
    _assert_refused(runner.invoke(args=["org", "import", str(path)]), "county.csv: unsupported file type")


def _exported(runner: Any, tmp_path: Path) -> Any:
    out = tmp_path / "org.xlsx"
    result = runner.invoke(args=["org", "export", str(out)])
    assert result.exit_code == 0, result.output
    return load_workbook(io.BytesIO(out.read_bytes()))


def test_xlsx_missing_column(loaded, runner, tmp_path):
    book = _exported(runner, tmp_path)
    sheet = book["网格"]
    column = next(c.column for c in sheet[1] if c.value == "上级网格")
    sheet.delete_cols(column)
    book.save(tmp_path / "org.xlsx")
    before = loaded()
    _assert_refused(
        runner.invoke(args=["org", "import", str(tmp_path / "org.xlsx")]),
        "org.xlsx: sheet 网格: missing column 上级网格",
    )
    assert loaded() == before


def test_xlsx_unknown_column_is_refused(loaded, runner, tmp_path):
    """A column the format does not know would be dropped unseen: refused, naming it."""
    book = _exported(runner, tmp_path)
    sheet = book["网格"]
    sheet.cell(row=1, column=sheet.max_column + 1, value="联系电话")
    sheet.cell(row=2, column=sheet.max_column, value="0916-1234567")
    book.save(tmp_path / "org.xlsx")
    before = loaded()
    _assert_refused(
        runner.invoke(args=["org", "import", str(tmp_path / "org.xlsx")]),
        "org.xlsx: sheet 网格: unknown column 联系电话",
    )
    assert loaded() == before


def test_xlsx_missing_sheet_and_bad_row_name_the_sheet_and_row(loaded, runner, tmp_path):
    book = _exported(runner, tmp_path)
    sheet = book["网格"]
    column = next(c.column for c in sheet[1] if c.value == "上级网格")
    sheet.cell(row=17, column=column, value="G09999")
    book.save(tmp_path / "org.xlsx")
    before = loaded()
    _assert_refused(
        runner.invoke(args=["org", "import", str(tmp_path / "org.xlsx")]),
        "org.xlsx: sheet 网格, row 17: parent G09999 does not exist",
    )
    del book["家访"]
    book.save(tmp_path / "org.xlsx")
    _assert_refused(runner.invoke(args=["org", "import", str(tmp_path / "org.xlsx")]), "org.xlsx: missing sheet 家访")
    assert loaded() == before


def test_bad_effective_date_option(loaded, runner, shared_dir):
    result = runner.invoke(
        args=["org", "import", str(shared_dir / "domain" / "demo_county.json"), "--effective", "soon"]
    )
    _assert_refused(result, "--effective: bad date 'soon'")
