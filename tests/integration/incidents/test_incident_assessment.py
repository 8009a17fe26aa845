"""Incidents in the season-end assessment and in accountability: a late report costs D03 2 points,
an unreported or concealed one D04 3 points, each with the incident as evidence; an incident of a
veto kind is an X01 candidate and its late or hidden report an X04 one, which assessors decide; a
decision on an incident names the heads in post on the incident's day, of the same school only."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

AS_OF = "2025-03-20"


def _ok(runner, *args: str) -> str:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return str(result.output)


def _report(runner, kind: str, at: str, reported: str, school: str = "SCH001", place: str = "G00002") -> str:  # type: ignore[no-untyped-def]
    return _ok(runner, "incident", "report", "--school", school, "--kind", kind, "--at", at, "--reported", reported,
               "--place", place, "--severity", "ordinary", "--description", "测试事件").split()[-1]  # fmt: skip


def _school(runner, campaign: str, sid: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    doc = json.loads(_ok(runner, "assess", "run", campaign, "--at", AS_OF, "--json", "--school", sid))
    (found,) = [s for s in doc["schools"] if s["school"] == sid]
    return dict(found)


def test_late_and_hidden_reports_cost_points_and_veto_kinds_are_candidates(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _ok(
        demo_runner, "campaign", "create", "考核批次", "--start", "2024-11-15", "--end", "2025-04-30"
    ).split()[-1]
    before = _school(demo_runner, campaign, "SCH001")
    in_time = _report(demo_runner, "E07", "2025-01-10 08:00", "2025-01-10 09:00")
    late_bus = _report(demo_runner, "E05", "2025-01-11 08:00", "2025-01-12 09:00")  # 25 h: 1 h late
    late_fire = _report(demo_runner, "E02", "2025-01-12 08:00", "2025-01-12 10:00")  # veto kind, 1 h late
    hidden = _ok(demo_runner, "incident", "record-unreported", "--school", "SCH001", "--kind", "E11", "--at",
                 "2025-02-01 06:00", "--place", "BLD0001", "--severity", "ordinary", "--description", "一氧化碳中毒未报",
                 "--by", "P00001").split()[-1]  # fmt: skip
    _report(demo_runner, "E01", "2025-06-01 08:00", "2025-06-01 08:30")  # after the term: not counted
    after = _school(demo_runner, campaign, "SCH001")
    (duty,) = [p for p in after["parts"] if p["key"] == "duty"]
    rules = {d["rule"]: d for d in duty["deductions"]}
    assert [e["ref"] for e in rules["D03"]["evidence"]] == [late_bus, late_fire] and rules["D03"]["points"] == 4
    assert [e["ref"] for e in rules["D04"]["evidence"]] == [hidden] and rules["D04"]["points"] == 3
    assert "迟报60分钟" in rules["D03"]["evidence"][0]["text"] and "漏报" in rules["D04"]["evidence"][0]["text"]
    assert in_time not in json.dumps(duty)
    (old_duty,) = [p for p in before["parts"] if p["key"] == "duty"]
    assert duty["proposed"] == max(0, old_duty["proposed"] - 7)
    vetoes = {v["id"]: v for v in after["vetoes"]}
    assert [e["ref"] for e in vetoes["X01"]["evidence"]] == [late_fire]
    assert [e["ref"] for e in vetoes["X04"]["evidence"]] == [late_fire]
    assert vetoes["X01"]["decision"] is None and after["grade"] == "不合格"
    for veto in ("X01", "X04"):
        _ok(demo_runner, "assess", "veto", campaign, "SCH001", veto, "--dismiss", "--reason", "火灾系一般火灾，已及时处置",
            "--by", "P00001")  # fmt: skip
    dismissed = _school(demo_runner, campaign, "SCH001")
    assert all(
        v["decision"] == "dismissed" and not v["applies"] for v in dismissed["vetoes"] if v["id"] in ("X01", "X04")
    )


def test_a_decision_on_an_incident_names_the_heads_of_its_day(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Organization, Person, PostAssignment

    with demo_app.app_context():  # P00027 leaves the principal's post on 2025-02-01; P00029 succeeds
        school = db.session.scalar(select(Organization).where(Organization.source_id == "SCH001"))
        old = db.session.scalar(select(PostAssignment).where(PostAssignment.org_id == school.id,
                                                             PostAssignment.post_code == "S01"))  # fmt: skip
        old.valid_to = dt.date(2025, 2, 1)
        new = db.session.scalar(select(Person).where(Person.source_id == "P00029"))
        db.session.add(PostAssignment(source_id="PA-NEW", org_id=school.id, post_code="S01", person_id=new.id,
                                      valid_from=dt.date(2025, 2, 2)))  # fmt: skip
        db.session.commit()
    incident = _report(demo_runner, "E07", "2025-01-20 08:00", "2025-01-20 08:30")
    other = _report(demo_runner, "E07", "2025-01-20 09:00", "2025-01-20 09:30", school="SCH002", place="G00111")
    base = ["accountability", "record", "--school", "SCH001", "--kind", "interview", "--reason", "踩踏事件处置不力",
            "--on", "2025-03-01", "--person", "P00028"]  # fmt: skip
    refused = demo_runner.invoke(args=[*base, "--person", "P00029", "--incident", incident])
    assert refused.exit_code == 2 and "principal" in refused.output  # P00029 was not principal on 01-20
    wrong = demo_runner.invoke(args=[*base, "--person", "P00027", "--incident", other])
    assert wrong.exit_code == 2 and "another school" in wrong.output
    missing = demo_runner.invoke(args=[*base, "--person", "P00027", "--incident", "SG-2025-9999"])
    assert missing.exit_code == 2 and "No incident" in missing.output
    _ok(demo_runner, *base, "--person", "P00027", "--incident", incident)
    _ok(demo_runner, *base, "--person", "P00029")  # without the incident: the heads of the decision's day
    rows = json.loads(_ok(demo_runner, "accountability", "list", "--school", "SCH001", "--json"))
    assert [r["basis"] for r in rows] == [{"kind": "other", "ref": ""}, {"kind": "incident", "ref": incident}]
    assert {p["person"]: p["roles"] for p in rows[1]["persons"]} == {"P00028": ["party_head"], "P00027": ["principal"]}
    person_level = _ok(demo_runner, "accountability", "record", "--person", "P00047", "--kind", "reminder", "--reason",
                       "课间值守不到位", "--incident", incident, "--on", "2025-03-01").split()[-1]  # fmt: skip
    rows = json.loads(_ok(demo_runner, "accountability", "list", "--school", "SCH001", "--json"))
    assert rows[0]["number"] == person_level and rows[0]["scope"] == "person"  # filed under the incident's school
