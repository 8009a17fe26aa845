"""The whole order on demo schools through the service: certify at issue, school heads in either
order, the bureau's countersignature, the archive timestamp; every revision recorded, and the
final PDF valid and trusted with only the county root (pyHanko) and in poppler's pdfsig."""

from __future__ import annotations

import io
import shutil

import pytest
from cryptography.hazmat.primitives import serialization
from fixtures.signing_workflow import (
    TWO_HEADS,
    assert_all_valid_with_root_only,
    enrol_person,
    holder,
    issue_schools,
    pdfsig_blocks,
    sign_as,
    signers_of,
    store_of,
)
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import select

from responsibility.models import Agreement, AuditEvent, School
from responsibility.pki.instance import load_instance_pki


def _root(app):  # type: ignore[no-untyped-def]
    return load_instance_pki(app.instance_path, app.config).root_certificate


def test_full_order_archives_with_every_revision_recorded(wf_app, wf_session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    assert agreement.state == "issued"
    assert [r.kind for r in agreement.revisions] == ["generated", "certified"]
    people = signers_of(wf_session, agreement)
    for who in (people.party_head, people.principal, people.chief):
        enrol_person(wf_app, wf_session, who)
    assert sign_as(wf_app, wf_session, agreement.id, people.principal).state == "issued"
    assert sign_as(wf_app, wf_session, agreement.id, people.party_head).state == "school_signed"
    outcome = sign_as(wf_app, wf_session, agreement.id, people.chief)
    assert outcome.state == "archived"
    row = wf_session.get(Agreement, agreement.id)
    assert [(r.kind, r.field_name) for r in row.revisions] == [
        ("generated", None),
        ("certified", "sig_bureau_seal"),
        ("signed", "sig_school_principal"),
        ("signed", "sig_school_party_head"),
        ("countersigned", "sig_bureau_heads"),
        ("timestamped", "sig_archive_timestamp"),
    ]
    assert outcome.sha256 == row.pdf_sha256 == row.revisions[-1].sha256
    store = store_of(wf_app)
    pdf = store.read(row.pdf_sha256)
    for earlier in row.revisions:  # each revision is a byte prefix of the next
        assert pdf.startswith(store.read(earlier.sha256))
    root = _root(wf_app)
    names = assert_all_valid_with_root_only(pdf, root.public_bytes(serialization.Encoding.DER))
    assert names == [
        "sig_bureau_seal", "sig_school_principal", "sig_school_party_head", "sig_bureau_heads", "sig_archive_timestamp",
    ]  # fmt: skip
    first = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert first.sig_object.get("/Reference")  # DocMDP certification
    actions = list(wf_session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions.count("agreement.signed") == 2 and actions.count("agreement.certified") == 1
    assert "agreement.countersigned" in actions and actions[-1] == "agreement.archived"
    if shutil.which("pdfsig") and shutil.which("certutil"):
        blocks = pdfsig_blocks(pdf, root.public_bytes(serialization.Encoding.PEM), tmp_path)
        assert len(blocks) == 4
        for block in blocks:
            assert "Signature Validation: Signature is Valid." in block, block
            assert "Certificate Validation: Certificate is Trusted." in block, block


@pytest.mark.parametrize("kind", ["combined", "instructor"])
def test_one_head_signs_once_and_private_schools_sign_with_their_instructor(wf_app, wf_session, kind) -> None:  # type: ignore[no-untyped-def]
    sid = wf_session.scalars(
        select(School.source_id).where(School.party_org_type == kind).order_by(School.source_id)
    ).first()
    (agreement,) = issue_schools(wf_app, wf_session, [sid])
    school = agreement.school
    principal = holder(wf_session, school, "S01")
    chief = holder(wf_session, None, "B01")
    heads = [principal] if kind == "combined" else [holder(wf_session, school, "S24"), principal]
    for who in (*heads, chief):
        enrol_person(wf_app, wf_session, who)
    for who in heads:
        outcome = sign_as(wf_app, wf_session, agreement.id, who)
    assert outcome.state == "school_signed"
    assert sign_as(wf_app, wf_session, agreement.id, chief).state == "archived"
    fields = [r.field_name for r in wf_session.get(Agreement, agreement.id).revisions if r.kind == "signed"]
    assert fields == (["sig_school_heads"] if kind == "combined" else ["sig_school_party_head", "sig_school_principal"])
    pdf = store_of(wf_app).read(wf_session.get(Agreement, agreement.id).pdf_sha256)
    root = _root(wf_app).public_bytes(serialization.Encoding.DER)
    assert len(assert_all_valid_with_root_only(pdf, root)) == 2 + len(heads) + 1


def test_two_bureau_heads_countersign_in_either_order_then_archive(wf_app, wf_session) -> None:  # type: ignore[no-untyped-def]
    """党组书记 and 局长 held by two persons: two bureau fields, both required, any order."""
    import datetime as dt

    from fixtures.signing_workflow import TODAY

    from responsibility.models import Bureau, Person, PostAssignment

    bureau = wf_session.scalars(select(Bureau)).first()
    chief_assignment = wf_session.scalars(
        select(PostAssignment).where(PostAssignment.post_code == "B01", PostAssignment.org_id == bureau.id)
    ).one()
    chief_assignment.local_post_name = "局长"
    secretary = Person(source_id="P-SECRETARY", name="程书记", org_id=bureau.id)
    wf_session.add(secretary)
    wf_session.flush()
    wf_session.add(
        PostAssignment(
            source_id="A-SECRETARY", person_id=secretary.id, org_id=bureau.id, post_code="B01",
            local_post_name="党组书记", valid_from=TODAY - dt.timedelta(days=60),
            business_duty="主持局党组全面工作", safety_duties=["履行党政同责"],
        )
    )  # fmt: skip
    wf_session.commit()
    (agreement,) = issue_schools(wf_app, wf_session, [TWO_HEADS])
    people = signers_of(wf_session, agreement)
    for who in (people.party_head, people.principal, people.chief, secretary):
        enrol_person(wf_app, wf_session, who)
    for who in (people.party_head, people.principal):
        sign_as(wf_app, wf_session, agreement.id, who)
    assert sign_as(wf_app, wf_session, agreement.id, people.chief).state == "school_signed"
    assert sign_as(wf_app, wf_session, agreement.id, secretary).state == "archived"
    row = wf_session.get(Agreement, agreement.id)
    assert [r.field_name for r in row.revisions if r.kind == "countersigned"] == [
        "sig_bureau_chief",
        "sig_bureau_party_secretary",
    ]
    pdf = store_of(wf_app).read(row.pdf_sha256)
    root = _root(wf_app).public_bytes(serialization.Encoding.DER)
    assert len(assert_all_valid_with_root_only(pdf, root)) == 6
