"""The gap report's pure parts: check codes, fix links, role and post rules, the JSON shape and
the workbook (no app, no database)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from responsibility.chain.gaps import CHECK_CODES, CHECKS, Finding, GapReport, OrgInfo, fix_hint, parse_checks
from responsibility.chain.gaps.agreements_checks import _role_kinds
from responsibility.chain.gaps.posts_checks import _needs
from responsibility.chain.gaps.xlsx import HEADERS, fix_url, report_workbook
from responsibility.errors import BadInput


def test_every_outline_check_is_implemented_in_order() -> None:
    assert CHECK_CODES == (
        "A1", "A2", "A3", "A4", "P1", "P2", "G1", "G2", "G3", "G4", "L1", "L2",
        "H1", "H2", "H3", "H4", "D1", "F1", "F2", "K1", "V1",
    )  # fmt: skip
    assert tuple(CHECKS) == CHECK_CODES


def test_parse_checks() -> None:
    assert parse_checks(None) is None
    assert parse_checks(()) is None
    assert parse_checks(["g1, h2", "K1"]) == {"G1", "H2", "K1"}
    with pytest.raises(BadInput, match="unknown gap check X1"):
        parse_checks(["G1,X1"])


def test_fix_hints_point_at_the_school_page_section() -> None:
    assert fix_hint("G1", "SCH001") == "/org/schools/SCH001#grids"
    assert fix_hint("G3", "SCH001") == "/org/schools/SCH001#buildings"
    assert fix_hint("P2", "SCH001") == "/org/schools/SCH001#posts"
    assert fix_hint("L2", "SCH001") == "/org/schools/SCH001#liaison"
    assert fix_hint("F2", "SCH001") == "/org/schools/SCH001#buildings"
    assert fix_hint("A1", "SCH001") == "/org/schools/SCH001#leaders"
    assert fix_hint("D1", None) is None
    assert all(fix_hint(code, "S").startswith("/org/schools/S#") for code in CHECK_CODES)


@pytest.mark.parametrize(
    ("role", "kinds"),
    [
        ("校长（园长）", {"principal"}),
        ("党组织书记", {"school_party"}),
        ("党建指导员（代党组织负责人）", {"school_party"}),
        ("党组织书记、校长", {"principal", "school_party"}),
        ("党组书记", {"bureau_party"}),
        ("局长", {"bureau_chief"}),
        ("副局长", set()),
        ("党组书记、局长", {"bureau_party", "bureau_chief"}),
    ],
)
def test_signature_roles(role: str, kinds: set[str]) -> None:
    assert _role_kinds(role) == kinds


def test_required_posts_by_feature() -> None:
    assert _needs(set(), 0, 0) == {}
    assert _needs({"boarding"}, 0, 1) == {"S15": 2}
    assert _needs({"school_bus"}, 3, 0) == {"S18": 3, "S19": 3}
    assert _needs({"school_bus"}, 0, 0) == {"S18": 1, "S19": 1}
    assert _needs({"lab", "canteen", "special_equipment", "vocational"}, 0, 3) == {
        "S14": 1,
        "S13": 1,
        "S21": 1,
        "S20": 1,
        "S22": 2,
    }


def _report() -> GapReport:
    findings = (
        Finding("G1", "SCH001", "G00009", "网格无网格长", "normal", "/org/schools/SCH001#grids"),
        Finding("H2", "SCH002", "HZ0001", "重大隐患逾期", "critical", "/org/schools/SCH002#grids"),
        Finding("D1", "ORG-BUREAU", "2025-01-20", "无带班领导", "normal", None),
    )
    orgs = {"SCH001": OrgInfo("SCH001", "第一中学", "school", "T01", "城关镇")}
    return GapReport(at=dt.date(2025, 1, 31), campaign=None, checks=("G1", "H2", "D1"), findings=findings, orgs=orgs)


def test_report_json_shape_and_counts() -> None:
    report = _report()
    doc = report.as_dict()
    assert doc["at"] == "2025-01-31"
    assert doc["counts"] == {"G1": 1, "H2": 1, "D1": 1}
    first = doc["findings"][0]
    assert {k: first[k] for k in ("check", "school_id", "subject_id", "message")} == {
        "check": "G1",
        "school_id": "SCH001",
        "subject_id": "G00009",
        "message": "网格无网格长",
    }
    assert report.finding_keys() == {
        ("G1", "SCH001", "G00009"),
        ("H2", "SCH002", "HZ0001"),
        ("D1", "ORG-BUREAU", "2025-01-20"),
    }


def test_workbook_sheets_headers_and_links() -> None:
    report = _report()
    data = report_workbook(report, base_url="https://aq.example.gov.cn/")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["汇总", "G1", "H2", "D1"]
    g1 = wb["G1"]
    assert tuple(c.value for c in g1[2]) == HEADERS
    assert [c.value for c in g1[3]][:6] == ["SCH001", "第一中学", "城关镇", "G00009", "网格无网格长", "一般"]
    assert g1.cell(row=3, column=7).hyperlink.target == "https://aq.example.gov.cn/org/schools/SCH001#grids"
    assert wb["H2"].cell(row=3, column=6).value == "升级督办"
    assert wb["D1"].cell(row=3, column=7).hyperlink is None
    summary = {r[0]: r[2] for r in wb["汇总"].iter_rows(values_only=True) if r and r[0] in ("G1", "H2", "D1")}
    assert summary == {"G1": 1, "H2": 1, "D1": 1}


def test_fix_url() -> None:
    f = _report().findings[0]
    assert fix_url("http://x/", f) == "http://x/org/schools/SCH001#grids"
    assert fix_url("http://x", _report().findings[2]) is None
