"""`flask incident …` on the demo county: a report in time, a late one (迟报, with how late), bad
input refused with one line and nothing written, and an incident the bureau records (漏报/瞒报)
that shows on the school's list."""

from __future__ import annotations

import json
from typing import Any

REPORT = ["incident", "report", "--school", "SCH001", "--place", "G00002", "--severity", "ordinary",
          "--description", "学生在一号教学楼楼梯摔伤"]  # fmt: skip


def _ok(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return str(result.output)


def _refused(runner, expected: str, *args: str) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 2, result.output
    assert expected in result.output and len(result.output.strip().splitlines()) == 1, result.output


def _list(runner, *args: str) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return list(json.loads(_ok(runner, "incident", "list", "--json", *args)))


def test_the_catalogue_lists_kinds_with_veto_and_limits(demo_runner) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(_ok(demo_runner, "incident", "kinds", "--json"))
    kinds = {k["code"]: k for k in doc["kinds"]}
    assert kinds["E01"]["name"] == "亡人责任事故" and kinds["E01"]["veto"] and kinds["E01"]["limit_minutes"] == 60
    assert not kinds["E05"]["veto"] and kinds["E05"]["limit_minutes"] == 24 * 60
    assert {"ordinary", "larger", "major"} <= {s["code"] for s in doc["severities"]}


def test_a_report_in_time_and_a_late_one(demo_runner) -> None:  # type: ignore[no-untyped-def]
    first = _ok(demo_runner, *REPORT, "--kind", "E07", "--at", "2025-01-15 08:30", "--reported", "2025-01-15 10:00",
                "--injuries", "2", "--by", "P00027").split()[-1]  # fmt: skip
    assert first == "SG-2025-0001"
    late = _ok(demo_runner, *REPORT, "--kind", "E02", "--at", "2025-01-16 08:00", "--reported", "2025-01-16 10:30")
    assert "迟报 90 min" in late
    rows = {r["id"]: r for r in _list(demo_runner, "--school", "SCH001")}
    assert rows[first]["status"] == "reported" and rows[first]["lateness_seconds"] == 0
    assert rows[first]["injuries"] == 2 and rows[first]["reporter"] == "P00027" and rows[first]["place"] == "G00002"
    # Beijing 08:30 is 00:30 UTC
    assert rows[first]["occurred_at"].startswith("2025-01-15T00:30:00")
    second = rows[late.split()[-1]]
    assert second["status"] == "late" and second["lateness_seconds"] == 90 * 60 and second["veto_kind"]


def test_bad_input_is_refused_with_one_line_and_nothing_written(demo_runner) -> None:  # type: ignore[no-untyped-def]
    ok = ["--kind", "E07", "--at", "2025-01-15 08:30"]
    _refused(demo_runner, "in the future", *REPORT, "--kind", "E07", "--at", "2099-01-01 08:00")
    other = [a if a != "G00002" else "G00111" for a in REPORT]  # a grid of SCH002
    _refused(demo_runner, "not of", *other, *ok)
    _refused(demo_runner, "No incident kind", *REPORT, "--kind", "E99", "--at", "2025-01-15 08:30")
    severe = [a if a != "ordinary" else "awful" for a in REPORT]
    _refused(demo_runner, "No severity", *severe, *ok)
    _refused(demo_runner, "No grid or building", *[a if a != "G00002" else "BLD9999" for a in REPORT], *ok)
    _refused(demo_runner, "before the incident", *REPORT, *ok, "--reported", "2025-01-15 08:00")
    _refused(demo_runner, "not on the staff", *REPORT, *ok, "--by", "P00001")
    _refused(demo_runner, "2025-13-01", *REPORT, "--kind", "E07", "--at", "2025-13-01 08:30")
    assert _list(demo_runner) == []


def test_the_bureau_records_an_unreported_incident_the_school_sees(demo_runner) -> None:  # type: ignore[no-untyped-def]
    base = ["incident", "record-unreported", "--school", "SCH001", "--kind", "E01", "--at", "2025-02-03 14:00",
            "--place", "BLD0001", "--severity", "larger", "--description", "学生坠楼身亡，学校未报告", "--deaths", "1"]  # fmt: skip
    _refused(demo_runner, "only bureau staff", *base, "--by", "P00027")
    number = _ok(demo_runner, *base, "--by", "P00001", "--concealed").split()[-1]
    (row,) = _list(demo_runner, "--school", "SCH001")
    assert row["id"] == number and row["status"] == "concealed" and row["reported_at"] is None
    assert row["recorded_by"] == "P00001" and row["place"] == "BLD0001" and row["deaths"] == 1
    assert _list(demo_runner, "--status", "concealed", "--town", "城关镇")[0]["id"] == number
    assert _list(demo_runner, "--school", "SCH002") == []
