"""The gap report judges the live campaign covering the day by default, and says which season it
judged — in the text, the JSON and the page (auditor)."""

from __future__ import annotations

import json

from responsibility.demo import PLANTED_PROBLEMS

PLANTED = {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}
AS_OF = "2025-01-31"
NAME = "2024—2025年冬春季（默认批次）"


def _campaign(demo_runner) -> int:  # type: ignore[no-untyped-def]
    made = demo_runner.invoke(args=["campaign", "create", NAME, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def _gaps(demo_runner, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    result = demo_runner.invoke(args=["audit", "gaps", "--at", AS_OF, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_without_a_campaign_the_report_says_it_judged_imported_records(demo_runner) -> None:  # type: ignore[no-untyped-def]
    doc = _gaps(demo_runner)
    assert doc["season"]["source"] == "imported_records" and doc["season"]["campaign_id"] is None
    assert doc["season"]["text"] == "no campaign covers this date: judged imported records only"
    text = demo_runner.invoke(args=["audit", "gaps", "--at", AS_OF, "--check", "G1"]).output
    assert text.splitlines()[-1] == "season: no campaign covers this date: judged imported records only"


def test_the_live_campaign_is_judged_by_default(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign_id = _campaign(demo_runner)
    doc = _gaps(demo_runner)
    season = doc["season"]
    assert (season["campaign_id"], season["campaign"], season["default"]) == (campaign_id, NAME, True)
    assert (season["term_start"], season["term_end"]) == ("2024-11-15", "2025-04-30")
    assert season["text"] == f"judged the live campaign {NAME} (id {campaign_id}, term 2024-11-15 – 2025-04-30)"
    assert doc["campaign"] == NAME
    a2 = {f["school_id"] for f in doc["findings"] if f["check"] == "A2"}
    assert len(a2) == 60  # nothing generated yet: every school lacks its agreement in the campaign
    assert not any(f["check"] == "A2" and "纸质" in f["message"] for f in doc["findings"])

    imported = _gaps(demo_runner, "--imported-only")
    assert imported["season"]["source"] == "imported_records" and imported["season"]["default"] is False
    assert {(f["check"], f["school_id"], f["subject_id"]) for f in imported["findings"]} == PLANTED
    named = _gaps(demo_runner, "--campaign", str(campaign_id))
    assert named["season"]["default"] is False and named["season"]["text"].startswith(f"judged campaign {NAME}")
    outside = demo_runner.invoke(args=["audit", "gaps", "--at", "2025-06-01", "--check", "A2"]).output
    assert "season: no campaign covers this date" in outside
    both = demo_runner.invoke(args=["audit", "gaps", "--campaign", str(campaign_id), "--imported-only"])
    assert both.exit_code == 2 and "exclude each other" in both.output


def test_the_page_says_which_season_it_judged(demo_app, demo_runner, demo_login) -> None:  # type: ignore[no-untyped-def]
    auditor = demo_login("auditor")
    page = auditor.get(f"/audit/gaps?at={AS_OF}&check=G1").get_data(as_text=True)
    assert "没有责任书批次覆盖该日期：仅依据导入的记录检查。" in page
    campaign_id = _campaign(demo_runner)
    page = auditor.get(f"/audit/gaps?at={AS_OF}&check=A2").get_data(as_text=True)
    assert f"依据责任书批次 {NAME}（编号 {campaign_id}，责任期限 2024-11-15 至 2025-04-30）检查。" in page
    page = auditor.get(f"/audit/gaps?at={AS_OF}&check=A2&campaign=imported").get_data(as_text=True)
    assert "仅依据导入的记录检查。" in page and "依据责任书批次" not in page
