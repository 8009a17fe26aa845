"""Each gap check on hand-made data: the clean two-school county gives no finding at all, and
one planted defect gives exactly the expected finding(s) — so every test also proves that the
other twenty checks stay silent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from gap_county import AT, agreement, assignments, grids, hazard, person, report, school
from sqlalchemy import select, update

from responsibility.chain.gaps import SEVERITY_CRITICAL, SEVERITY_HIGH, SEVERITY_NORMAL, run_gap_checks
from responsibility.demo import build_demo_county
from responsibility.models import DutyRoster, Grid, Organization

Data = dict[str, Any]


def test_clean_county_has_no_gaps(session) -> None:
    from gap_county import clean_county

    found = report(session, clean_county())
    assert found.findings == ()
    assert found.counts() == {code: 0 for code in found.checks}
    assert len(found.checks) == 21


def _a1_one_signer(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH011")
    a["signatures"]["party_b"] = [s for s in a["signatures"]["party_b"] if "校长" in s["role"]]
    return {("A1", "SCH011", a["id"])}


def _a1_no_bureau_seal(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH029")
    a["seals"]["party_a"] = False
    return {("A1", "SCH029", a["id"])}


def _a1_no_bureau_signature(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH029")
    a["signatures"]["party_a"] = []
    return {("A1", "SCH029", a["id"])}


def _a2_not_signed(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH011")
    a.update(status="待签订", signatures={"party_a": [], "party_b": []}, seals={"party_a": False, "party_b": False})
    return {("A2", "SCH011", a["id"])}


def _a2_no_agreement(d: Data) -> set[tuple[str, str, str]]:
    d["agreements"].remove(agreement(d, "SCH029"))
    return {("A2", "SCH029", "SCH029")}


def _a3_no_bus_clause(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH011")
    a["items"].remove("C08")
    return {("A3", "SCH011", a["id"])}


def _a4_cascade(d: Data) -> set[tuple[str, str, str]]:
    a = agreement(d, "SCH029")
    a["cascade"]["staff_signed"] = a["cascade"]["staff_total"] - 1
    return {("A4", "SCH029", a["id"])}


def _p1_local_post(d: Data) -> set[tuple[str, str, str]]:
    pa = dict(assignments(d, "SCH011", "S09")[0])
    pa.update(id="PA-LOCAL", post_code="X-LOCAL", local_post_name="图书室管理员（兼）", safety_duties=[])
    d["post_assignments"].append(pa)
    return {("P1", "SCH011", "PA-LOCAL")}


def _p1_no_business_duty(d: Data) -> set[tuple[str, str, str]]:
    pa = dict(assignments(d, "SCH011", "S09")[0])
    pa.update(id="PA-LOCAL2", post_code="X-LOCAL", local_post_name="临时岗位", business_duty=None)
    d["post_assignments"].append(pa)
    return {("P1", "SCH011", "PA-LOCAL2")}


def _p1_catalogue_fallback(d: Data) -> set[tuple[str, str, str]]:
    """An assignment whose file leaves its duties out carries its catalogue post's: no finding."""
    pa = assignments(d, "SCH011", "S09")[0]
    del pa["safety_duties"]
    pa["business_duty"] = None  # null is absent too
    return set()


def _p1_declared_empty_safety(d: Data) -> set[tuple[str, str, str]]:
    """``safety_duties: []`` is declared empty: a gap, although the catalogue post has duties."""
    pa = assignments(d, "SCH011", "S09")[0]
    pa["safety_duties"] = []
    return {("P1", "SCH011", pa["id"])}


def _p1_declared_empty_business(d: Data) -> set[tuple[str, str, str]]:
    pa = assignments(d, "SCH029", "S09")[0]
    pa["business_duty"] = ""
    return {("P1", "SCH029", pa["id"])}


def _p2_bus_attendant_short(d: Data) -> set[tuple[str, str, str]]:
    d["post_assignments"].remove(assignments(d, "SCH029", "S19")[0])
    return {("P2", "SCH029", "S19")}


def _p2_no_woman_dorm_manager(d: Data) -> set[tuple[str, str, str]]:
    for pa in assignments(d, "SCH029", "S15"):
        person(d, pa["person_id"])["gender"] = "男"
    return {("P2", "SCH029", "S15")}


def _p2_campus_head_left(d: Data) -> set[tuple[str, str, str]]:
    """The head of a member school has left but still holds the post and owns the campus grid:
    the post counts as vacant (P2) and the grid's owner is gone (G2)."""
    head = assignments(d, "SCH011", "S22")[0]["person_id"]
    person(d, head)["active"] = False
    owned = [g["id"] for g in grids(d, "SCH011") if g["owner_person_id"] == head]
    return {("P2", "SCH011", "S22")} | {("G2", "SCH011", g) for g in owned}


def _g1_no_owner(d: Data) -> set[tuple[str, str, str]]:
    g = next(g for g in grids(d, "SCH029") if g["level"] == 3)
    g["owner_person_id"] = None
    return {("G1", "SCH029", g["id"])}


def _g2_owner_of_other_school(d: Data) -> set[tuple[str, str, str]]:
    g = next(g for g in grids(d, "SCH011") if g["level"] == 3)
    g["owner_person_id"] = school(d, "SCH029")["leadership"]["safety_vp_person_id"]
    return {("G2", "SCH011", g["id"])}


def _g3_building_outside(d: Data) -> set[tuple[str, str, str]]:
    b = school(d, "SCH011")["buildings"][-1]
    b["grid_id"] = None
    return {("G3", "SCH011", b["id"])}


def _g4_second_root(d: Data) -> set[tuple[str, str, str]]:
    gs = grids(d, "SCH029")
    block = next(g for g in gs if g["level"] == 2 and g["scope_type"] == "楼栋")
    block["level"], block["parent_id"] = 1, None
    for g in gs:
        if g["parent_id"] == block["id"]:
            g["level"] = 2
            for h in gs:
                if h["parent_id"] == g["id"]:
                    h["level"] = 3
    return {("G4", "SCH029", block["id"])}


def _g4_level3_without_parent(d: Data) -> set[tuple[str, str, str]]:
    g = next(g for g in grids(d, "SCH011") if g["level"] == 3)
    g["parent_id"] = None
    return {("G4", "SCH011", g["id"])}


def _g4_level_skips(d: Data) -> set[tuple[str, str, str]]:
    """A level-3 grid hung straight under the school grid (level 2 skipped)."""
    gs = grids(d, "SCH029")
    root = next(g for g in gs if g["level"] == 1)
    g = next(g for g in gs if g["level"] == 3)
    g["parent_id"] = root["id"]
    return {("G4", "SCH029", g["id"])}


def _g4_parent_in_other_school(d: Data) -> set[tuple[str, str, str]]:
    """A level-2 grid under the other school's school grid: its whole subtree is cut off, one finding."""
    other_root = next(g for g in grids(d, "SCH029") if g["level"] == 1)
    g = next(g for g in grids(d, "SCH011") if g["level"] == 2 and any(c["parent_id"] == g["id"] for c in d["grids"]))
    g["parent_id"] = other_root["id"]
    return {("G4", "SCH011", g["id"])}


def _g4_school_without_grids(d: Data) -> set[tuple[str, str, str]]:
    """A school listed with no grid at all: stored, and its missing tree reported once (its
    buildings then lie in no grid: G3)."""
    d["grids"] = [g for g in d["grids"] if g["school_id"] != "SCH011"]
    for h in d["hazards"]:
        if h["school_id"] == "SCH011":
            h["grid_id"] = None
    buildings = school(d, "SCH011")["buildings"]
    for b in buildings:
        b["grid_id"] = None
    return {("G4", "SCH011", "SCH011")} | {("G3", "SCH011", b["id"]) for b in buildings}


def _l1_no_liaison(d: Data) -> set[tuple[str, str, str]]:
    d["liaison_assignments"] = [x for x in d["liaison_assignments"] if x["school_id"] != "SCH011"]
    return {("L1", "SCH011", "SCH011")}


def _l1_liaison_starts_later(d: Data) -> set[tuple[str, str, str]]:
    li = next(x for x in d["liaison_assignments"] if x["school_id"] == "SCH029")
    li["valid_from"] = (AT + dt.timedelta(days=10)).isoformat()
    return {("L1", "SCH029", "SCH029")}


def _l2_person_of_other_section(d: Data) -> set[tuple[str, str, str]]:
    li = next(x for x in d["liaison_assignments"] if x["school_id"] == "SCH011")
    other = next(s for s in d["bureau"]["sections"] if s["id"] != li["section_id"])
    li["liaison_person_id"] = other["staff_person_ids"][0]
    return {("L2", "SCH011", li["liaison_person_id"])}


def _h1_no_responsible(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH011", "HZ-T1", responsible_person_id=None)
    return {("H1", "SCH011", "HZ-T1")}


def _h1_overdue_without_responsible(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH011", "HZ-T2", responsible_person_id=None, plan={"deadline": "2025-01-20"})
    return {("H1", "SCH011", "HZ-T2"), ("H2", "SCH011", "HZ-T2")}


def _h2_overdue(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH029", "HZ-T3", plan={"deadline": "2025-01-30"})
    return {("H2", "SCH029", "HZ-T3")}


def _h2_closed_after_at(d: Data) -> set[tuple[str, str, str]]:
    """Closed on 2025-02-05: on AT it was still open and past its deadline."""
    verifier = school(d, "SCH029")["leadership"]["principal_person_id"]
    hazard(
        d,
        "SCH029",
        "HZ-T4",
        plan={"deadline": "2025-01-25"},
        status="已销号",
        closed_date="2025-02-05",
        verified_by_person_id=verifier,
    )
    return {("H2", "SCH029", "HZ-T4")}


def _h3_self_verified(d: Data) -> set[tuple[str, str, str]]:
    rec = hazard(d, "SCH011", "HZ-T5", status="已销号", closed_date="2025-01-20")
    rec["verified_by_person_id"] = rec["responsible_person_id"]
    return {("H3", "SCH011", "HZ-T5")}


def _h3_no_verifier(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH011", "HZ-T6", status="已销号", closed_date="2025-01-20")
    return {("H3", "SCH011", "HZ-T6")}


def _h4_major_unsupervised(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH029", "HZ-T7", level="重大", plan={"temporary_measures": "设置围挡"})
    return {("H4", "SCH029", "HZ-T7")}


def _h_clean_major(d: Data) -> set[tuple[str, str, str]]:
    hazard(d, "SCH029", "HZ-T8", level="重大", listed_for_supervision=True, plan={"temporary_measures": "设置围挡"})
    hazard(d, "SCH029", "HZ-T9", found_date=(AT + dt.timedelta(days=3)).isoformat(), responsible_person_id=None)
    return set()


def _d1_bureau_day_without_leader(d: Data) -> set[tuple[str, str, str]]:
    day = next(r for r in d["duty_rosters"] if r["org_id"] == "ORG-BUREAU" and r["date"] == "2025-01-20")
    day["leader_on_duty_person_id"] = None
    later = next(r for r in d["duty_rosters"] if r["org_id"] == "ORG-BUREAU" and r["date"] == "2025-02-10")
    later["leader_on_duty_person_id"] = None  # after AT: not judged yet
    return {("D1", "ORG-BUREAU", "2025-01-20")}


def _d1_school_day_missing(d: Data) -> set[tuple[str, str, str]]:
    d["duty_rosters"] = [r for r in d["duty_rosters"] if not (r["org_id"] == "SCH029" and r["date"] == "2025-01-29")]
    return {("D1", "SCH029", "2025-01-29")}


def _f1_no_fire_plan(d: Data) -> set[tuple[str, str, str]]:
    b = school(d, "SCH029")["buildings"][0]
    b["fire_plan"] = None
    return {("F1", "SCH029", b["id"])}


def _f2_check_too_old(d: Data) -> set[tuple[str, str, str]]:
    old, edge, future = school(d, "SCH029")["buildings"][:3]
    old["fire_plan"]["last_monthly_check"] = (AT - dt.timedelta(days=32)).isoformat()
    edge["fire_plan"]["last_monthly_check"] = (AT - dt.timedelta(days=31)).isoformat()
    future["fire_plan"]["last_monthly_check"] = (AT + dt.timedelta(days=2)).isoformat()
    return {("F2", "SCH029", old["id"])}


def _k1_children_on_fourth_floor(d: Data) -> set[tuple[str, str, str]]:
    b = school(d, "SCH011")["buildings"][0]
    b.update(floors=4, child_rooms_top_floor=4)
    return {("K1", "SCH011", b["id"])}


def _v1_visits_short(d: Data) -> set[tuple[str, str, str]]:
    v = next(v for v in d["home_visits"] if v["school_id"] == "SCH029")
    v["key_students_visited"] = v["key_students_planned"] - 1
    return {("V1", "SCH029", "SCH029")}


DEFECTS: list[Callable[[Data], set[tuple[str, str, str]]]] = [
    _a1_one_signer,
    _a1_no_bureau_seal,
    _a1_no_bureau_signature,
    _a2_not_signed,
    _a2_no_agreement,
    _a3_no_bus_clause,
    _a4_cascade,
    _p1_local_post,
    _p1_no_business_duty,
    _p1_catalogue_fallback,
    _p1_declared_empty_safety,
    _p1_declared_empty_business,
    _p2_bus_attendant_short,
    _p2_no_woman_dorm_manager,
    _p2_campus_head_left,
    _g1_no_owner,
    _g2_owner_of_other_school,
    _g3_building_outside,
    _g4_second_root,
    _g4_level3_without_parent,
    _g4_level_skips,
    _g4_parent_in_other_school,
    _g4_school_without_grids,
    _l1_no_liaison,
    _l1_liaison_starts_later,
    _l2_person_of_other_section,
    _h1_no_responsible,
    _h1_overdue_without_responsible,
    _h2_overdue,
    _h2_closed_after_at,
    _h3_self_verified,
    _h3_no_verifier,
    _h4_major_unsupervised,
    _h_clean_major,
    _d1_bureau_day_without_leader,
    _d1_school_day_missing,
    _f1_no_fire_plan,
    _f2_check_too_old,
    _k1_children_on_fourth_floor,
    _v1_visits_short,
]


@pytest.mark.parametrize("defect", DEFECTS, ids=lambda f: f.__name__.lstrip("_"))
def test_one_defect_one_finding(session, defect) -> None:
    from gap_county import clean_county

    data = clean_county()
    expected = defect(data)
    found = report(session, data)
    assert found.finding_keys() == expected
    for f in found.findings:
        assert f.message
        if f.school_id.startswith("SCH"):
            assert f.fix_url_hint is not None and f.fix_url_hint.startswith(f"/org/schools/{f.school_id}#")
        else:
            assert f.fix_url_hint is None  # the bureau has no school page


def test_severity_aggravated_and_escalated(session) -> None:
    from gap_county import clean_county

    data = clean_county()
    hazard(data, "SCH011", "HZ-S1", responsible_person_id=None, plan={"deadline": "2025-01-20"})
    hazard(data, "SCH011", "HZ-S2", responsible_person_id=None)
    hazard(
        data,
        "SCH029",
        "HZ-S3",
        level="重大",
        listed_for_supervision=True,
        plan={"deadline": "2025-01-20", "temporary_measures": "停用"},
    )
    found = report(session, data)
    severity = {(f.check, f.subject_id): f.severity for f in found.findings}
    assert severity == {
        ("H1", "HZ-S1"): SEVERITY_HIGH,
        ("H2", "HZ-S1"): SEVERITY_HIGH,
        ("H1", "HZ-S2"): SEVERITY_NORMAL,
        ("H2", "HZ-S3"): SEVERITY_CRITICAL,
    }


def test_judged_on_the_day(session) -> None:
    """The same data judged on two days: a liaison starting later, a change of grid owner, an
    overdue hazard and an old fire check count only on the day they apply to."""
    from gap_county import clean_county

    data = clean_county()
    _l1_liaison_starts_later(data)
    _h2_overdue(data)
    found_before = report(session, data, at=dt.date(2025, 1, 20))
    assert found_before.finding_keys() == {("L1", "SCH029", "SCH029")}
    later = run_gap_checks(session, at=dt.date(2025, 2, 15))
    assert ("L1", "SCH029", "SCH029") not in later.finding_keys()
    assert ("H2", "SCH029", "HZ-T3") in later.finding_keys()


def test_g4_grid_tree_without_root_and_with_a_cycle(session) -> None:
    """Data edited behind the importer's back: the school grid hangs under its own grandchild."""
    from gap_county import clean_county

    load_data = clean_county()
    report(session, load_data)
    root = session.scalars(
        select(Grid)
        .join(Organization, Organization.id == Grid.school_id)
        .where(Organization.source_id == "SCH011", Grid.level == 1)
    ).one()
    grandchild = session.scalars(select(Grid).where(Grid.school_id == root.school_id, Grid.level == 3)).first()
    session.execute(update(Grid).where(Grid.id == root.id).values(parent_id=grandchild.id))
    session.flush()
    found = run_gap_checks(session, at=AT, checks={"G4"})
    cycle = sorted([root.source_id, grandchild.source_id, grandchild.parent.source_id])
    assert found.finding_keys() == {("G4", "SCH011", "SCH011"), ("G4", "SCH011", cycle[0])}


G4_DETAILS = [
    (_g4_level3_without_parent, "层级为3却没有上级网格"),
    (_g4_level_skips, "层级3与上级网格"),
    (_g4_parent_in_other_school, "属于其他学校"),
    (_g4_second_root, "另立为根网格"),
]


@pytest.mark.parametrize(("defect", "detail"), G4_DETAILS, ids=lambda x: getattr(x, "__name__", x))
def test_g4_names_what_broke_the_tree(session, defect, detail) -> None:
    """The importer stores every broken tree it can; G4 tells the kinds of break apart."""
    from gap_county import clean_county

    data = clean_county()
    defect(data)
    (found,) = report(session, data, checks={"G4"}).findings
    assert detail in found.message and found.message.endswith("层级断链")


def test_p1_says_when_a_duty_was_declared_empty(session) -> None:
    from gap_county import clean_county

    data = clean_county()
    _p1_declared_empty_safety(data)
    _p1_local_post(data)
    messages = {f.subject_id: f.message for f in report(session, data, checks={"P1"}).findings}
    declared = assignments(data, "SCH011", "S09")[0]["id"]
    assert "没有安全职责（填报为空）" in messages[declared]
    assert "（填报为空）" in messages["PA-LOCAL"]  # the file says safety_duties: [] there too


def test_d1_roster_shift_without_leader(session) -> None:
    """A day with two shifts counts as led only when every shift names a leader."""
    from gap_county import clean_county

    report(session, clean_county())
    org = session.scalars(select(Organization).where(Organization.source_id == "SCH029")).one()
    session.add(DutyRoster(org_id=org.id, date=dt.date(2025, 1, 30), shift="night", leader_person_id=None))
    session.flush()
    found = run_gap_checks(session, at=AT, checks={"D1"})
    assert found.finding_keys() == {("D1", "SCH029", "2025-01-30")}


def test_demo_generator_still_has_the_two_schools_clean() -> None:
    """Guard for the fixture: the two schools carry no planted problem of the demo."""
    from responsibility.demo import PLANTED_PROBLEMS

    assert not {p.school_id for p in PLANTED_PROBLEMS} & {"SCH011", "SCH029"}
    assert {s["id"] for s in build_demo_county()["schools"]} >= {"SCH011", "SCH029"}
