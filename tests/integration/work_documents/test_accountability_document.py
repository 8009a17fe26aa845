"""`flask accountability record` issues the decision as a PDF sealed by the bureau; the bureau
heads sign it with their own keys and PINs; the verifier finds it valid; `issue` again is a no-op."""

from __future__ import annotations

from sqlalchemy import select
from tools import enrol, ok, refused, verify

from responsibility.clock import today as county_today
from responsibility.models import AccountabilityDecision, Agreement, PostAssignment, WorkDocument


def test_the_decision_is_sealed_signed_by_the_bureau_heads_and_valid(wd_app, wd_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    runner = wd_app.test_cli_runner()
    ok(runner, "campaign", "create", "问责批次", "--start", "2024-11-15", "--end", "2025-04-30")
    result = runner.invoke(
        args=["accountability", "record", "--school", "SCH001", "--kind", "interview", "--reason", "寒假值班表未按期报局",
              "--on", "2025-01-31", "--person", "P00027", "--person", "P00028", "--degree", "P00027=principal"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    number = result.stdout.split()[-1]
    decision = wd_session.scalars(select(AccountabilityDecision).where(AccountabilityDecision.number == number)).one()
    doc = wd_session.get(Agreement, decision.agreement_id)
    assert doc is not None and doc.kind == "work" and doc.state == "issued" and doc.document_number in result.stderr
    row = wd_session.query(WorkDocument).filter_by(agreement_id=doc.id).one()
    assert row.kind == "accountability_decision" and row.subject_key == number
    assert {p["person_id"]: p["degree"] for p in row.facts["persons"]} == {"P00027": "principal", "P00028": "leading"}
    assert ok(runner, "accountability", "issue", number).strip() == doc.document_number  # nothing new
    assert wd_session.query(WorkDocument).count() == 1
    assert "No accountability decision" in refused(runner, "accountability", "issue", "AC-1999-0001")

    heads = {
        pa.person.source_id
        for pa in wd_session.scalars(
            select(PostAssignment).where(PostAssignment.post_code == "B01", PostAssignment.held_on(county_today()))
        )
    }
    pin = enrol(runner, tmp_path, "P00027", *heads)
    assert "does not hold a post" in refused(runner, "sign", doc.document_number, "--as", "P00027", "--pin-file", pin)
    for head in sorted(heads):
        ok(runner, "sign", doc.document_number, "--as", head, "--pin-file", pin)
    wd_session.expire_all()
    assert wd_session.get(Agreement, doc.id).state == "archived"  # type: ignore[union-attr]
    code, report = verify(runner, tmp_path, doc.document_number)
    assert code == 0, report
