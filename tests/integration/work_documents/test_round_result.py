"""`flask round submit --pin-file`: the checklist result becomes a PDF sealed by the bureau and
signed by the inspector at submission; both school heads find it in their inbox and sign; valid."""

from __future__ import annotations

import datetime as dt

from fixtures.signing_workflow import holder, school, store_of
from tools import enrol, ok, refused, verify

from responsibility.agreements.signing_queries import inbox
from responsibility.clock import today as county_today
from responsibility.models import Agreement, InspectionChecklist, WorkDocument

SCHOOL, DEPUTY = "SCH001", "P00029"


def test_submit_signs_the_result_and_both_heads_acknowledge_it(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    today = county_today()
    ok(runner, "campaign", "create", "排查批次", "--start", (today - dt.timedelta(days=30)).isoformat(),
       "--end", (today + dt.timedelta(days=90)).isoformat())  # fmt: skip
    round_id = ok(runner, "round", "open", "冬季大排查", "--start", (today - dt.timedelta(days=3)).isoformat(),
                  "--end", (today + dt.timedelta(days=20)).isoformat(), "--areas", "R05,R12").split()[-1]  # fmt: skip
    ok(runner, "round", "answer", round_id, SCHOOL, "R05-06", "--by", DEPUTY, "--result", "pass")
    failed = ok(runner, "round", "answer", round_id, SCHOOL, "R05-07", "--by", DEPUTY, "--result", "fail",
                "--note", "校门口减速带缺失").split()[-1]  # fmt: skip
    sch = school(wd_session, SCHOOL)
    head, principal = holder(wd_session, sch, "S02"), holder(wd_session, sch, "S01")
    pin = enrol(runner, tmp_path, DEPUTY, head.source_id, principal.source_id)

    assert "signing PIN" in refused(runner, "round", "submit", round_id, SCHOOL, "--by", DEPUTY)
    wd_session.expire_all()
    assert wd_session.query(InspectionChecklist).filter_by(round_id=int(round_id), status="submitted").count() == 0
    out = ok(runner, "round", "submit", round_id, SCHOOL, "--by", DEPUTY, "--pin-file", pin).split()
    assert out[:2] == [SCHOOL, "submitted"]
    number = out[-1]
    wd_session.expire_all()
    doc = wd_session.query(Agreement).filter_by(document_number=number).one()
    assert [(r.kind, r.field_name) for r in doc.revisions] == [
        ("generated", None), ("certified", "sig_bureau_seal"), ("signed", "sig_superior"),
    ]  # fmt: skip
    row = wd_session.query(WorkDocument).filter_by(agreement_id=doc.id).one()
    assert row.kind == "round_result" and row.facts["counts"] == {"pass": 1, "fail": 1, "na": 0}
    assert [a["hazard"] for a in row.facts["answers"] if a["result"] == "fail"] == [failed]

    store = store_of(wd_app)
    for who in (head, principal):
        assert number in [item.agreement.document_number for item in inbox(wd_session, who, today, store)]
    for who in (principal, head):
        ok(runner, "sign", number, "--as", who.source_id, "--pin-file", pin)
    wd_session.expire_all()
    assert wd_session.query(Agreement).filter_by(document_number=number).one().state == "archived"
    code, report = verify(runner, tmp_path, number)
    assert code == 0, report
