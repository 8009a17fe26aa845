"""The school page shows a duty the import declared empty as a gap (in the reader's language),
not the catalogue's text; the auditor sees it on the demo county's planted P1 schools."""

from __future__ import annotations

import pytest

from responsibility.demo import PLANTED_PROBLEMS

GAPS = {"safety duties": "（未填写安全职责）", "business duty": "（未填写业务职责）"}


def _school(kind: str) -> str:
    (p,) = [p for p in PLANTED_PROBLEMS if p.check == "P1" and f"{kind} the file declares empty" in p.description]
    return p.school_id


@pytest.mark.parametrize("kind", list(GAPS))
def test_school_page_marks_the_declared_empty_duty(demo_login, kind) -> None:  # type: ignore[no-untyped-def]
    client = demo_login("auditor")
    page = client.get(f"/org/schools/{_school(kind)}").get_data(as_text=True)
    assert page.count(GAPS[kind]) == 1
    other = next(text for k, text in GAPS.items() if k != kind)
    assert other not in page
    english = client.get(f"/org/schools/{_school(kind)}?lang=en").get_data(as_text=True)
    assert english.count(f"({kind} not filled in)") == 1 and GAPS[kind] not in english


def test_a_clean_school_page_shows_no_gap(demo_login) -> None:  # type: ignore[no-untyped-def]
    page = demo_login("auditor").get("/org/schools/SCH001").get_data(as_text=True)
    assert not any(text in page for text in GAPS.values())
