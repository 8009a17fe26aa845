"""Annex 1 prints a duty the import declared empty as a gap, never the catalogue post's text; a
duty the file left out is the catalogue's (issue 10, part 2)."""

from __future__ import annotations

import shutil

import pytest
from agreement_tools import matrix, school, text
from sqlalchemy import select, update

from responsibility.agreements import generate
from responsibility.demo import PLANTED_PROBLEMS
from responsibility.models import Agreement, PostAssignment
from responsibility.pdf.layout import BUSINESS_DUTY_GAP, SAFETY_DUTIES_GAP


@pytest.fixture(scope="module", autouse=True)
def _tools() -> None:
    missing = [t for t in ("pdftotext", "pdfdetach") if shutil.which(t) is None]
    if missing:
        pytest.skip(f"missing poppler tools {missing}")


def _declared_empty(kind: str) -> tuple[str, str]:
    """(school, assignment) of the demo's planted P1 whose ``kind`` duty is declared empty."""
    (p,) = [p for p in PLANTED_PROBLEMS if p.check == "P1" and f"{kind} the file declares empty" in p.description]
    return p.school_id, p.subject_id


@pytest.mark.parametrize(
    ("kind", "gap", "field"),
    [("safety duties", SAFETY_DUTIES_GAP, "safety_duties"), ("business duty", BUSINESS_DUTY_GAP, "business_duty")],
)
def test_declared_empty_duty_prints_as_a_gap(demo_session, campaign, store, tmp_path, kind, gap, field) -> None:  # type: ignore[no-untyped-def]
    school_id, pa_id = _declared_empty(kind)
    pa = demo_session.scalars(select(PostAssignment).where(PostAssignment.source_id == pa_id)).one()
    catalogue = getattr(pa.post_type, field)
    assert catalogue, "the catalogue post has text the annex must not borrow"
    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, school_id))
    agreement = demo_session.scalars(select(Agreement).where(Agreement.school_id == pa.org_id)).one()
    path = store.path(agreement.pdf_sha256)
    row = next(r for r in matrix(path, tmp_path)["posts"] if r["assignment_id"] == pa_id)
    assert row[field] in ("", [])
    other = "business_duty" if field == "safety_duties" else "safety_duties"
    assert row[other] == (pa.safety_duties if other == "safety_duties" else pa.business_duty)
    assert gap in "".join(text(path).split())


def test_absent_duties_inherit_the_catalogue(demo_session, campaign, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """NULL (the file left the keys out): the annex and the matrix carry the catalogue's duties."""
    school_id, pa_id = _declared_empty("safety duties")
    demo_session.execute(
        update(PostAssignment).where(PostAssignment.source_id == pa_id).values(safety_duties=None, business_duty=None)
    )
    demo_session.commit()
    pa = demo_session.scalars(select(PostAssignment).where(PostAssignment.source_id == pa_id)).one()
    assert pa.safety_duties is None and pa.business_duty is None
    generate(demo_session, campaign, storage=store, actor="test", school=school(demo_session, school_id))
    agreement = demo_session.scalars(select(Agreement).where(Agreement.school_id == pa.org_id)).one()
    path = store.path(agreement.pdf_sha256)
    row = next(r for r in matrix(path, tmp_path)["posts"] if r["assignment_id"] == pa_id)
    assert row["safety_duties"] == list(pa.post_type.safety_duties)
    assert row["business_duty"] == pa.post_type.business_duty
    assert SAFETY_DUTIES_GAP not in "".join(text(path).split())
