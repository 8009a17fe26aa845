"""`flask assess run | adjust | veto` on the demo county: every deduction names its evidence, a
veto gives the lowest grade at any score, assessors' changes are kept with their reasons."""

from __future__ import annotations

import json
from typing import Any

AS_OF = "2025-03-20"  # HZ0009 (重大, no temporary controls) is past its deadline of 2025-03-15


def _campaign(runner) -> str:  # type: ignore[no-untyped-def]
    made = runner.invoke(args=["campaign", "create", "考核批次", "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    return made.output.split()[-1]


def _run(runner, campaign: str, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["assess", "run", campaign, "--at", AS_OF, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _school(doc: dict[str, Any], sid: str) -> dict[str, Any]:
    (found,) = [s for s in doc["schools"] if s["school"] == sid]
    return found


def _part(school: dict[str, Any], key: str) -> dict[str, Any]:
    (found,) = [p for p in school["parts"] if p["key"] == key]
    return found


def test_every_deduction_names_its_evidence_and_parts_follow_the_scheme(demo_runner) -> None:  # type: ignore[no-untyped-def]
    doc = _run(demo_runner, _campaign(demo_runner))
    assert doc["rules_version"] == "2025-v1" and len(doc["rules_sha256"]) == 64 and len(doc["schools"]) == 60
    for school in doc["schools"]:
        assert [p["points"] for p in school["parts"]] == [20, 25, 20, 20, 15]
        for part in school["parts"]:
            assert 0 <= part["score"] <= part["points"]
            assert part["score"] == max(0, part["points"] - sum(d["points"] for d in part["deductions"]))
            for d in part["deductions"]:
                assert d["count"] == len(d["evidence"]) > 0 and all(e["ref"] and e["text"] for e in d["evidence"])
        assert school["total"] == sum(p["score"] for p in school["parts"])
    overdue = {d["rule"]: d for d in _part(_school(doc, "SCH016"), "hazards")["deductions"]}
    assert [e["ref"] for e in overdue["H02"]["evidence"]] == ["H2:HZ0008"]
    grid = {d["rule"]: d for d in _part(_school(doc, "SCH025"), "responsibility")["deductions"]}
    assert grid["R02"]["evidence"][0]["ref"] == "G1:G01270"
    assert "D02" in {d["rule"] for d in _part(_school(doc, "SCH014"), "duty")["deductions"]}


def test_a_veto_gives_the_lowest_grade_at_any_score_until_an_assessor_dismisses_it(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    school = _school(_run(demo_runner, campaign, "--school", "SCH017"), "SCH017")
    (veto,) = school["vetoes"]
    assert veto["id"] == "X05" and veto["decision"] is None and veto["applies"]
    assert veto["evidence"][0]["ref"] == "HZ0009"
    assert school["total"] >= 70 and school["vetoed"] and school["grade"] == "不合格"  # 合格 by score
    early = json.loads(
        demo_runner.invoke(
            args=["assess", "run", campaign, "--at", "2025-03-01", "--json", "--school", "SCH017"]
        ).output
    )
    assert early["schools"][0]["vetoes"] == [] and early["schools"][0]["grade"] != "不合格"

    dismissed = demo_runner.invoke(
        args=[
            "assess",
            "veto",
            campaign,
            "SCH017",
            "X05",
            "--dismiss",
            "--reason",
            "临时管控措施已落实，台账漏填",
            "--by",
            "P00002",
        ]
    )
    assert dismissed.exit_code == 0, dismissed.output
    after = _school(_run(demo_runner, campaign, "--school", "SCH017"), "SCH017")
    assert after["vetoes"][0]["decision"] == "dismissed" and not after["vetoed"]
    assert after["grade"] == ("优秀" if after["total"] >= 90 else "合格")


def test_an_assessors_score_replaces_the_proposal_with_its_reason(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    done = demo_runner.invoke(
        args=[
            "assess",
            "adjust",
            campaign,
            "SCH016",
            "hazards",
            "20",
            "--reason",
            "抽查发现台账与现场不符",
            "--by",
            "P00002",
        ]
    )
    assert done.exit_code == 0, done.output
    part = _part(_school(_run(demo_runner, campaign, "--school", "SCH016"), "SCH016"), "hazards")
    # 25 − H02 (HZ0008) − H06 5 (the demo records no grid patrols)
    assert (part["proposed"], part["adjusted"], part["score"], part["reason"]) == (19, 20, 20, "抽查发现台账与现场不符")
    again = demo_runner.invoke(
        args=["assess", "adjust", campaign, "SCH016", "2", "22", "--reason", "复核后改为22分", "--by", "P00002"]
    )
    assert again.exit_code == 0, again.output
    assert _part(_school(_run(demo_runner, campaign, "--school", "SCH016"), "SCH016"), "hazards")["score"] == 22


def test_bad_adjustments_are_refused_and_change_nothing(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    cases = [
        (["SCH016", "hazards", "30", "--reason", "超出分值的分数", "--by", "P00002"], "outside the part's points"),
        (["--reason", "负数分数不行", "--by", "P00002", "--", "SCH016", "hazards", "-1"], "outside the part's points"),
        (["SCH016", "hazards", "20", "--reason", "  ", "--by", "P00002"], "reason is required"),
        (["SCH016", "nothing", "20", "--reason", "没有这个分项", "--by", "P00002"], "No part"),
        (["SCH016", "hazards", "20", "--reason", "学校自己改分", "--by", "P00027"], "only bureau staff assess"),
        (["SCH999", "hazards", "20", "--reason", "没有这所学校", "--by", "P00002"], "No school"),
    ]
    for args, expected in cases:
        result = demo_runner.invoke(args=["assess", "adjust", campaign, *args])
        assert result.exit_code == 2 and expected in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1
    veto = demo_runner.invoke(
        args=["assess", "veto", campaign, "SCH017", "X05", "--reason", "没有说确认还是否决", "--by", "P00002"]
    )
    assert veto.exit_code == 2 and "--confirm or --dismiss" in veto.output
    part = _part(_school(_run(demo_runner, campaign, "--school", "SCH016"), "SCH016"), "hazards")
    assert part["adjusted"] is None
