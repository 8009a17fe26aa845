"""`flask assess issue`: the result PDF of a school, sealed by the bureau, signed by both heads with
their own keys and PINs through the signing flow, valid in the verifier; refused while a veto is
undecided; re-issued after an adjustment, superseding (and keeping) the earlier result."""

from __future__ import annotations

from fixtures.signing_workflow import TWO_HEADS, holder, school
from tools import enrol, ok, refused, verify

from responsibility.models import Agreement, WorkDocument

VETOED = "SCH017"  # HZ0009: 重大, overdue without temporary controls → veto candidate X05; one head
AT = "2025-03-20"


def _campaign(runner) -> str:  # type: ignore[no-untyped-def]
    made = ok(runner, "campaign", "create", "考核结果批次", "--start", "2024-11-15", "--end", "2025-04-30")
    return made.split()[-1]


def _doc(session, number: str) -> Agreement:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.query(Agreement).filter_by(document_number=number).one()


def test_refused_while_a_veto_is_undecided_and_for_an_unknown_campaign(wd_app, wd_session) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    campaign = _campaign(runner)
    line = refused(runner, "assess", "issue", campaign, "--at", AT)
    assert f"{VETOED} X05" in line and "flask assess veto" in line
    assert wd_session.query(WorkDocument).count() == 0
    assert wd_session.query(Agreement).filter_by(kind="work").count() == 0
    assert "NOPE" in refused(runner, "assess", "issue", "NOPE")


def test_a_confirmed_veto_gives_a_failing_result_the_head_signs(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    campaign = _campaign(runner)
    ok(
        runner,
        "assess",
        "veto",
        campaign,
        VETOED,
        "X05",
        "--confirm",
        "--reason",
        "重大隐患逾期且无临时管控",
        "--by",
        "P00002",
    )
    number = ok(runner, "assess", "issue", campaign, "--school", VETOED, "--at", AT).strip()
    doc = _doc(wd_session, number)
    assert (
        doc.kind == "work" and doc.state == "issued" and [r.kind for r in doc.revisions] == ["generated", "certified"]
    )
    row = wd_session.query(WorkDocument).filter_by(agreement_id=doc.id).one()
    assert row.kind == "assessment_result" and row.facts["vetoed"] and row.facts["grade"] == "不合格"
    assert row.facts["total"] >= 70 and row.facts["vetoes"][0]["decision"] == "confirmed"  # 合格 by score
    head = holder(wd_session, school(wd_session, VETOED), "S01")  # 党组织书记 and 校长: one field
    pin = enrol(runner, tmp_path, head.source_id)
    ok(runner, "sign", number, "--as", head.source_id, "--pin-file", pin)
    assert _doc(wd_session, number).state == "archived"
    code, report = verify(runner, tmp_path, number)
    assert code == 0, report


def test_issue_seal_both_heads_sign_verify_and_reissue_after_an_adjustment(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    campaign = _campaign(runner)
    number = ok(runner, "assess", "issue", campaign, "--school", TWO_HEADS, "--at", AT).strip()
    doc = _doc(wd_session, number)
    assert [r.kind for r in doc.revisions] == ["generated", "certified"]
    assert ok(runner, "assess", "issue", campaign, "--school", TWO_HEADS, "--at", AT).strip() == ""  # same facts
    code, _ = verify(runner, tmp_path, number)
    assert code == 1  # sealed, the heads have not signed yet: incomplete

    sch = school(wd_session, TWO_HEADS)
    head, principal, chief = (
        holder(wd_session, sch, "S02"),
        holder(wd_session, sch, "S01"),
        holder(wd_session, None, "B01"),
    )
    pin = enrol(runner, tmp_path, head.source_id, principal.source_id, chief.source_id)
    assert "does not hold a post" in refused(runner, "sign", number, "--as", chief.source_id, "--pin-file", pin)
    ok(runner, "sign", number, "--as", principal.source_id, "--pin-file", pin)
    assert _doc(wd_session, number).state == "issued"
    ok(runner, "sign", number, "--as", head.source_id, "--pin-file", pin)
    doc = _doc(wd_session, number)
    assert doc.state == "archived"
    assert [r.field_name for r in doc.revisions if r.kind == "signed"] == [
        "sig_school_principal",
        "sig_school_party_head",
    ]
    code, report = verify(runner, tmp_path, number)
    assert code == 0, report

    ok(
        runner,
        "assess",
        "adjust",
        campaign,
        TWO_HEADS,
        "1",
        "0",
        "--reason",
        "复核发现责任落实不到位",
        "--by",
        "P00002",
    )
    again = ok(runner, "assess", "issue", campaign, "--school", TWO_HEADS, "--at", AT).strip()
    assert again and again != number
    assert _doc(wd_session, number).state == "superseded"  # kept, no longer live
    newer = wd_session.query(WorkDocument).filter_by(agreement_id=_doc(wd_session, again).id).one()
    assert newer.supersedes_agreement_id == doc.id and newer.facts["parts"][0]["score"] == 0
