"""Issue 13's season, played end to end on the demo county: its hazards and duty rosters with a gap
(as imported), a fire reported late at SCH001; the assessment names the evidence of every deduction,
the late report of a veto kind makes SCH001 a veto candidate, the assessors confirm it and SCH001 is
不合格 whatever its score; its result PDF, sealed by the bureau and acknowledged by both heads, passes
`flask verify`."""

from __future__ import annotations

import json

from fixtures.signing_workflow import TWO_HEADS, holder, school
from tools import enrol, ok, verify

from responsibility.models import Agreement, WorkDocument

AT = "2025-03-20"


def test_a_played_season_assessed_issued_acknowledged_and_verified(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    campaign = ok(runner, "campaign", "create", "冬春季考核", "--start", "2024-11-15", "--end", "2025-04-30").split()[
        -1
    ]
    late = ok(runner, "incident", "report", "--school", TWO_HEADS, "--kind", "E02", "--at", "2025-01-16 08:00",
              "--reported", "2025-01-16 10:30", "--place", "G00002", "--severity", "ordinary",
              "--description", "配电箱起火，已扑灭")  # fmt: skip
    assert "迟报 90 min" in late

    proposal = json.loads(ok(runner, "assess", "run", campaign, "--at", AT, "--json"))
    schools = {s["school"]: s for s in proposal["schools"]}
    deductions = [d for s in schools.values() for p in s["parts"] for d in p["deductions"]]
    assert deductions, "the demo season costs points somewhere"
    for d in deductions:  # every deduction names its evidence
        assert d["evidence"] and all(e["ref"] and e["kind"] for e in d["evidence"]), d
    rules = {d["rule"] for d in deductions}
    assert "D03" in rules  # the late report
    assert "D01" in rules  # the duty rosters with a gap (D1 on the imported rosters)
    assert rules & {"H02", "H03", "H05"}  # the hazards overdue or without controls
    first = schools[TWO_HEADS]
    late_rules = [d for p in first["parts"] for d in p["deductions"] if d["rule"] == "D03"]
    assert late_rules and any("SG-2025-" in e["ref"] for e in late_rules[0]["evidence"])
    candidates = {v["id"]: v for v in first["vetoes"]}
    assert {"X01", "X04"} <= set(candidates) and all(v["decision"] is None for v in candidates.values())
    assert first["vetoed"] and first["grade"] == "不合格"  # undecided candidates count until dismissed

    ok(
        runner,
        "assess",
        "veto",
        campaign,
        TWO_HEADS,
        "X04",
        "--confirm",
        "--reason",
        "火灾迟报 90 分钟",
        "--by",
        "P00002",
    )
    for other in set(candidates) - {"X04"}:
        ok(runner, "assess", "veto", campaign, TWO_HEADS, other, "--dismiss", "--reason", "一般火情，无人员伤亡",
           "--by", "P00002")  # fmt: skip
    after = {s["school"]: s for s in json.loads(ok(runner, "assess", "run", campaign, "--at", AT, "--json"))["schools"]}
    assert after[TWO_HEADS]["grade"] == "不合格" and after[TWO_HEADS]["vetoed"]
    assert after[TWO_HEADS]["total"] > 0  # a score that would pass on its own does not save it

    number = ok(runner, "assess", "issue", campaign, "--school", TWO_HEADS, "--at", AT).strip()
    wd_session.expire_all()
    doc = wd_session.query(Agreement).filter_by(document_number=number).one()
    facts = wd_session.query(WorkDocument).filter_by(agreement_id=doc.id).one().facts
    assert facts["grade"] == "不合格" and facts["vetoed"]
    sch = school(wd_session, TWO_HEADS)
    head, principal = holder(wd_session, sch, "S02"), holder(wd_session, sch, "S01")
    pin = enrol(runner, tmp_path, head.source_id, principal.source_id)
    for who in (principal, head):
        ok(runner, "sign", number, "--as", who.source_id, "--pin-file", pin)
    code, report = verify(runner, tmp_path, number)
    assert code == 0, report
