"""Generating the whole demo county: every school's PDF is complete, stored content-addressed,
and byte-identical whether rendered on a process pool or in this process."""

from __future__ import annotations

import shutil
from collections import defaultdict

import pytest
from agreement_tools import TERM_END, fonts_embedded, form_fields, matrix, school, text
from sqlalchemy import select

from responsibility.agreements import generate
from responsibility.models import Agreement, AgreementRevision, PostAssignment, School


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [t for t in ("pdffonts", "pdftotext", "pdfdetach") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"missing poppler tools {missing}")


def _expected_school_fields(session) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """From the raw assignments on the data day: one field when principal and party head are one."""
    holders: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = session.execute(
        select(School.source_id, PostAssignment.post_code, PostAssignment.person_id)
        .join(School, School.id == PostAssignment.org_id)
        .where(
            PostAssignment.post_code.in_(("S01", "S02", "S24")),
            PostAssignment.valid_from <= TERM_END,
            (PostAssignment.valid_to.is_(None)) | (PostAssignment.valid_to > TERM_END),
        )
    ).all()
    for sid, code, pid in rows:
        holders[sid][code].add(pid)
    expected = {}
    for sid, posts in holders.items():
        party = posts.get("S02") or posts.get("S24")
        one = posts["S01"] == party
        expected[sid] = {"sig_school_heads"} if one else {"sig_school_party_head", "sig_school_principal"}
    return expected


def test_every_demo_school_generates_a_complete_pdf(demo_session, campaign, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps = []
    summary = generate(demo_session, campaign, storage=store, actor="test", progress=steps.append, workers=2)
    demo_session.commit()

    schools = demo_session.scalars(select(School).order_by(School.source_id)).all()
    assert summary.failures == ()
    assert summary.total == len(schools) == len(summary.generated) == 60
    assert [s.done for s in steps] == list(range(1, 61))
    agreements = demo_session.scalars(select(Agreement).where(Agreement.campaign_id == campaign.id)).all()
    assert len(agreements) == 60
    assert len({a.document_number for a in agreements}) == 60
    expected_fields = _expected_school_fields(demo_session)
    assert any(len(v) == 1 for v in expected_fields.values()) and any(len(v) == 2 for v in expected_fields.values())

    for agreement in agreements:
        path = store.path(agreement.pdf_sha256)
        data = path.read_bytes()
        assert path.name == f"{agreement.pdf_sha256}.pdf" and path.parent.name == agreement.pdf_sha256[:2]
        assert data.startswith(b"%PDF-") and len(data) == agreement.pdf_size
        assert [(r.seq, r.kind, r.sha256) for r in agreement.revisions] == [(1, "generated", agreement.pdf_sha256)]
        assert agreement.template_hash == campaign.template_hash and agreement.state == "draft"

        fonts = fonts_embedded(path)
        assert fonts and all(emb == "yes" and sub == "yes" for _, emb, sub in fonts), fonts
        body = text(path)
        assert agreement.school.name in body
        assert "党政同责" in body
        assert "岗位安全责任清单" in body and "网格责任清单" in body

        fields = form_fields(data)
        assert set(fields.values()) == {"/Sig"}, fields  # signature fields only, no text field
        sid = agreement.school.source_id
        assert set(fields) == {"sig_bureau_seal", "sig_bureau_heads"} | expected_fields[sid]

        attached = matrix(path, tmp_path)
        assert attached["school"]["id"] == sid
        assert attached["document_number"] == agreement.document_number
        assigned = demo_session.scalars(
            select(PostAssignment.source_id).where(
                PostAssignment.org_id == agreement.school_id,
                PostAssignment.valid_from <= TERM_END,
                (PostAssignment.valid_to.is_(None)) | (PostAssignment.valid_to > TERM_END),
            )
        ).all()
        assert sorted(p["assignment_id"] for p in attached["posts"]) == sorted(assigned)
        assert {g["grid_id"] for g in attached["grids"]} == {g.source_id for g in agreement.school.grids}

    # Rendering again in this process gives the very same bytes: nothing is rewritten.
    again = generate(demo_session, campaign, storage=store, actor="test", workers=1)
    demo_session.commit()
    assert again.failures == ()
    assert [g.changed for g in again.generated] == [False] * 60
    assert {g.sha256 for g in again.generated} == {a.pdf_sha256 for a in agreements}
    assert store.stray_temporaries() == []


def test_private_school_is_signed_by_its_party_instructor(demo_session, campaign, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    private = school(demo_session, "SCH029")
    assert private.party_org_type == "instructor"
    generate(demo_session, campaign, storage=store, actor="test", school=private)
    agreement = demo_session.scalars(select(Agreement).where(Agreement.school_id == private.id)).one()
    signers = matrix(store.path(agreement.pdf_sha256), tmp_path)["signers"]
    party = [s for s in signers if "party_instructor" in s["roles"]]
    instructor = demo_session.scalars(
        select(PostAssignment).where(PostAssignment.org_id == private.id, PostAssignment.post_code == "S24")
    ).one()
    assert [s["person_id"] for s in party] == [instructor.person.source_id]
    assert "党建指导员" in text(store.path(agreement.pdf_sha256))


def test_revision_rows_name_existing_files(demo_session, campaign, store) -> None:  # type: ignore[no-untyped-def]
    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, "SCH001"))
    demo_session.commit()
    revisions = demo_session.scalars(select(AgreementRevision)).all()
    assert len(revisions) == 1
    assert store.read(revisions[0].sha256)  # read() checks the bytes against the name
