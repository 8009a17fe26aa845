"""End to end: a demo school's agreement signed through the project's own workflow (generate,
certify at issue, both school heads, the bureau's countersignature, the archive timestamp), then
verified through every door against the real database registry and instance PKI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from fixtures.instance_pki import install_pki
from fixtures.verify_doors import DOORS, codes, verify_via

WORKFLOW_TESTS = Path(__file__).resolve().parent.parent / "workflow"


@pytest.fixture
def workflow_tools():  # type: ignore[no-untyped-def]
    if not (WORKFLOW_TESTS / "workflow_tools.py").is_file():
        pytest.skip("the signing workflow's test helpers are not present")
    sys.path.insert(0, str(WORKFLOW_TESTS))
    try:
        import workflow_tools
    finally:
        sys.path.remove(str(WORKFLOW_TESTS))
    return workflow_tools


def test_agreement_signed_by_the_workflow_is_valid_through_every_door(
    demo_app,
    instance_pki_template,
    workflow_tools,
    tmp_path: Path,
) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db
    from responsibility.models import Agreement

    install_pki(instance_pki_template, demo_app.instance_path)
    wt = workflow_tools
    with demo_app.app_context():
        session = db.session
        (agreement,) = wt.issue_schools(demo_app, session, [wt.TWO_HEADS])
        people = wt.signers_of(session, agreement)
        for who in (people.party_head, people.principal, people.chief):
            wt.enrol_person(demo_app, session, who)
        for who in (people.principal, people.party_head, people.chief):
            wt.sign_as(demo_app, session, agreement.id, who)
        row = session.get(Agreement, agreement.id)
        assert row.state == "archived"
        store = wt.store_of(demo_app)
        files = [store.read(r.sha256) for r in sorted(row.revisions, key=lambda r: r.seq)]
        number = row.document_number
        session.remove()

    final = files[-1]
    for door in DOORS:
        report = verify_via(door, demo_app, final, tmp_path)
        assert report["verdict"] == "valid", (door, report["reasons"])
    report = verify_via("api", demo_app, final, tmp_path)
    assert report["document"]["document_number"] == number
    assert report["document"]["registry"]["match"] == "latest"
    assert all(s["valid"] and s["intact"] and s["trusted"] for s in report["signatures"])
    assert {s["post"] for s in report["signatures"]} >= {"单位印章"}

    earlier = verify_via("cli", demo_app, files[2], tmp_path)
    assert earlier["verdict"] == "incomplete" and "earlier_revision" in codes(earlier)
    tampered = final[: len(final) // 3] + bytes([final[len(final) // 3] ^ 1]) + final[len(final) // 3 + 1 :]
    assert verify_via("service", demo_app, tampered, tmp_path)["verdict"] == "invalid"
