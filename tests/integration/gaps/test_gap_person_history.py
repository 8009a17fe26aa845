"""G2, P2 and L2 judge a person's service on the day asked: the campus head who transferred in
January is a sound owner and post holder in December, and a finding from the day they left."""

from __future__ import annotations

import datetime as dt

from gap_county import AT, assignments, clean_county, grids, load, person

from responsibility.chain.gaps import run_gap_checks

LEFT = dt.date(2025, 1, 20)
DECEMBER = dt.date(2024, 12, 15)


def _codes(found, *codes: str) -> set[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return {(f.check, f.school_id, f.subject_id) for f in found.findings if f.check in codes}


def test_g2_and_p2_before_and_after_a_dated_leave(session) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    head = assignments(data, "SCH011", "S22")[0]["person_id"]
    person(data, head).update(active=False, left_on=LEFT.isoformat(), left_reason="调离")
    owned = [g["id"] for g in grids(data, "SCH011") if g["owner_person_id"] == head]
    assert owned
    load(session, data)
    assert _codes(run_gap_checks(session, at=DECEMBER), "G2", "P2") == set()
    assert _codes(run_gap_checks(session, at=LEFT - dt.timedelta(days=1)), "G2", "P2") == set()
    after = run_gap_checks(session, at=AT)
    assert _codes(after, "G2", "P2") == {("P2", "SCH011", "S22")} | {("G2", "SCH011", g) for g in owned}
    # Nothing else changes: the other checks stay as silent as on the clean county.
    assert {f.check for f in after.findings} == {"G2", "P2"}
    g2 = next(f for f in after.findings if f.check == "G2")
    assert f"已于{LEFT.isoformat()}离岗（调离）" in g2.message


def test_an_undated_leave_fails_on_every_day_and_says_the_date_is_not_recorded(session) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    head = assignments(data, "SCH011", "S22")[0]["person_id"]
    person(data, head)["active"] = False
    load(session, data)
    for day in (DECEMBER, AT):
        assert ("P2", "SCH011", "S22") in _codes(run_gap_checks(session, at=day), "P2")
    g2 = next(f for f in run_gap_checks(session, at=DECEMBER).findings if f.check == "G2")
    assert "已离岗（原因未登记，日期未登记）" in g2.message


def test_a_newcomer_counts_from_the_day_they_join(session) -> None:  # type: ignore[no-untyped-def]
    """A post filled by someone who joins later is short before that day (P2), sound after."""
    data = clean_county()
    attendant = assignments(data, "SCH029", "S19")
    joined = dt.date(2025, 1, 10)
    for pa in attendant:
        person(data, pa["person_id"])["joined_on"] = joined.isoformat()
    load(session, data)
    assert ("P2", "SCH029", "S19") in _codes(run_gap_checks(session, at=joined - dt.timedelta(days=1)), "P2")
    assert _codes(run_gap_checks(session, at=joined), "P2") == set()


def test_l2_reports_a_liaison_person_from_the_day_they_retire(session) -> None:  # type: ignore[no-untyped-def]
    data = clean_county()
    liaison = next(x for x in data["liaison_assignments"] if x["school_id"] == "SCH029")["liaison_person_id"]
    person(data, liaison).update(active=False, left_on=LEFT.isoformat(), left_reason="退休")
    load(session, data)
    assert _codes(run_gap_checks(session, at=DECEMBER), "L2") == set()
    after = [f for f in run_gap_checks(session, at=AT).findings if f.check == "L2"]
    assert [(f.school_id, f.subject_id) for f in after] == [("SCH029", liaison)]
    assert f"已于{LEFT.isoformat()}离岗（退休）" in after[0].message
