"""The demo county's planted problems: present as documented, and nothing else wrong.

``_gaps`` is an independent, dict-level reading of the gap checks of outline §2.4 (not the
product's gap report, which comes later and will be compared with ``PLANTED_PROBLEMS`` too).
It finds exactly the planted problems, so the generated county is otherwise clean.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import pytest

from responsibility.chain.gaps.base import CHECK_CODES
from responsibility.demo import (
    DEFAULT_SEED,
    PLANTED_PROBLEMS,
    PlantedProblem,
    build_demo_county,
    planted_problems,
)
from responsibility.demo.catalog import clause_codes_for

CHECKS = CHECK_CODES  # the outline's check codes, as the gap report defines them


def _required_posts(school: dict[str, Any]) -> list[tuple[str, int]]:
    f = set(school["features"])
    need = [("S01", 1), ("S03", 1), ("S24" if school["party_org_type"] == "instructor" else "S02", 1)]
    if "boarding" in f:
        need.append(("S15", 2))
    if school["school_buses"]:
        need += [("S18", school["school_buses"]), ("S19", school["school_buses"])]
    for feature, code in (("lab", "S14"), ("canteen", "S13"), ("special_equipment", "S21"), ("vocational", "S20")):
        if feature in f:
            need.append((code, 1))
    if len(school["campuses"]) > 1:
        need.append(("S22", len(school["campuses"]) - 1))
    return need


def _gaps(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    """(check, school id, subject id) of every problem found in an import-format county."""
    as_of = dt.date.fromisoformat(data["meta"]["as_of"])
    persons = {p["id"]: p for p in data["persons"]}
    schools = {s["id"]: s for s in data["schools"]}
    found: set[tuple[str, str, str]] = set()
    agreements = {a["party_b_school_id"]: a for a in data["agreements"]}
    for sid, school in schools.items():
        a = agreements.get(sid)
        if a is None or a["status"] != "已签订":
            found.add(("A2", sid, a["id"] if a else sid))
            continue
        roles_b = {s["role"] for s in a["signatures"]["party_b"]}
        roles_a = {s["role"] for s in a["signatures"]["party_a"]}
        party_ok = "党组织书记" in roles_b or "党建指导员（代党组织负责人）" in roles_b
        if not (
            "校长（园长）" in roles_b and party_ok and {"党组书记", "局长"} <= roles_a and all(a["seals"].values())
        ):
            found.add(("A1", sid, a["id"]))
        if not set(clause_codes_for(school["features"])) <= set(a["items"]):
            found.add(("A3", sid, a["id"]))
        if a["cascade"]["staff_signed"] < a["cascade"]["staff_total"]:
            found.add(("A4", sid, a["id"]))

    current = [pa for pa in data["post_assignments"] if not pa.get("valid_to")]
    holders: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pa in current:
        if not pa["safety_duties"] or not pa["business_duty"]:
            found.add(("P1", pa["org_id"], pa["id"]))
        if persons[pa["person_id"]]["active"]:
            holders[(pa["org_id"], pa["post_code"])].append(persons[pa["person_id"]])
    for sid, school in schools.items():
        for code, count in _required_posts(school):
            if len(holders[(sid, code)]) < count:
                found.add(("P2", sid, code))
        if "boarding" in school["features"] and not any(p["gender"] == "女" for p in holders[(sid, "S15")]):
            found.add(("P2", sid, "S15"))

    grids = {g["id"]: g for g in data["grids"]}
    roots: dict[str, list[str]] = defaultdict(list)
    for g in data["grids"]:
        owner = persons.get(g["owner_person_id"]) if g["owner_person_id"] else None
        if owner is None:
            found.add(("G1", g["school_id"], g["id"]))
        elif not owner["active"] or owner["org_id"] != g["school_id"]:
            found.add(("G2", g["school_id"], g["id"]))
        if g["parent_id"] is None:
            roots[g["school_id"]].append(g["id"])
    for sid, ids in roots.items():
        for gid in ids:
            if grids[gid]["scope_type"] != "学校":
                found.add(("G4", sid, gid))
    for g in data["grids"]:
        parent = grids.get(g["parent_id"]) if g["parent_id"] else None
        if parent is not None and (parent["school_id"] != g["school_id"] or parent["level"] + 1 != g["level"]):
            found.add(("G4", g["school_id"], g["id"]))  # a level that skips, a parent in another school
    for school in schools.values():
        for b in school["buildings"]:
            grid = grids.get(b["grid_id"]) if b["grid_id"] else None
            if grid is None or grid["school_id"] != school["id"]:
                found.add(("G3", school["id"], b["id"]))
            if b["fire_plan"] is None:
                found.add(("F1", school["id"], b["id"]))
            elif (as_of - dt.date.fromisoformat(b["fire_plan"]["last_monthly_check"])).days > 31:
                found.add(("F2", school["id"], b["id"]))
            if (b.get("child_rooms_top_floor") or 0) > 3:
                found.add(("K1", school["id"], b["id"]))

    sections = {s["id"]: {s["chief_person_id"], *s["staff_person_ids"]} for s in data["bureau"]["sections"]}
    liaisons = {li["school_id"]: li for li in data["liaison_assignments"]}
    for sid in schools:
        li = liaisons.get(sid)
        if li is None:
            found.add(("L1", sid, sid))
        elif li["liaison_person_id"] not in sections[li["section_id"]]:
            found.add(("L2", sid, li["liaison_person_id"]))

    for h in data["hazards"]:
        sid, closed = h["school_id"], h["status"] == "已销号"
        if not h["responsible_person_id"]:
            found.add(("H1", sid, h["id"]))
        if not closed and dt.date.fromisoformat(h["plan"]["deadline"]) < as_of:
            found.add(("H2", sid, h["id"]))
        if closed and h["verified_by_person_id"] in (None, h["responsible_person_id"]):
            found.add(("H3", sid, h["id"]))
        if h["level"] == "重大" and not (h["listed_for_supervision"] and h["plan"]["temporary_measures"]):
            found.add(("H4", sid, h["id"]))

    for row in data["duty_rosters"]:
        if not row["leader_on_duty_person_id"]:
            found.add(("D1", row["org_id"], row["date"]))
    for visit in data["home_visits"]:
        if visit["key_students_visited"] < visit["key_students_planned"]:
            found.add(("V1", visit["school_id"], visit["school_id"]))
    return found


def _as_set(problems: tuple[PlantedProblem, ...]) -> set[tuple[str, str, str]]:
    return {(p.check, p.school_id, p.subject_id) for p in problems}


@pytest.fixture(scope="module")
def county() -> dict[str, Any]:
    return build_demo_county()


def test_constant_matches_the_default_county() -> None:
    assert planted_problems(DEFAULT_SEED) == PLANTED_PROBLEMS


def test_every_check_is_planted_once_per_school(county: dict[str, Any]) -> None:
    assert {p.check for p in PLANTED_PROBLEMS} == set(CHECKS)
    schools = Counter(p.school_id for p in PLANTED_PROBLEMS)
    assert max(schools.values()) == 1, schools
    assert all(p.description for p in PLANTED_PROBLEMS)


def test_the_gap_checks_find_exactly_the_planted_problems(county: dict[str, Any]) -> None:
    assert _gaps(county) == _as_set(PLANTED_PROBLEMS)


@pytest.mark.parametrize("seed", [1, 77, 20250101])
def test_other_seeds_are_clean_apart_from_their_plants(seed: int) -> None:
    data = build_demo_county(seed)
    problems = planted_problems(seed)
    assert _gaps(data) == _as_set(problems)
    assert {(p.check, p.school_id) for p in problems} == {(p.check, p.school_id) for p in PLANTED_PROBLEMS}


def test_larger_counties_only_carry_the_first_blocks_plants() -> None:
    data = build_demo_county(scale=3)
    assert _gaps(data) == _as_set(planted_problems(scale=3)) == _as_set(PLANTED_PROBLEMS)


def test_without_plants_the_county_is_clean() -> None:
    assert _gaps(build_demo_county(plant=False)) == set()


def test_the_checker_is_not_blind(county: dict[str, Any]) -> None:
    """Spoiling clean records makes the checker report them (so the clean result means something)."""
    spoiled = build_demo_county()
    spoiled["grids"][0]["owner_person_id"] = None
    spoiled["hazards"][0]["verified_by_person_id"] = spoiled["hazards"][0]["responsible_person_id"]
    spoiled["home_visits"][0]["key_students_visited"] -= 1
    extra = _gaps(spoiled) - _gaps(county)
    assert {c for c, _, _ in extra} == {"G1", "H3", "V1"}


def test_mid_season_post_change_is_recorded_as_history(county: dict[str, Any]) -> None:
    """SCH015: the village-school head left on 2025-01-13; the safety officer took his post
    (same assignment id, new holder from that day) and a newcomer took the officer's."""
    rows = [pa for pa in county["post_assignments"] if pa["org_id"] == "SCH015" and ("valid_from" in pa)]
    closed = [pa for pa in rows if pa.get("valid_to")]
    opened = [pa for pa in rows if not pa.get("valid_to")]
    assert {pa["valid_to"] for pa in closed} == {"2025-01-13"} == {pa["valid_from"] for pa in opened}
    assert {pa["id"] for pa in closed} == {pa["id"] for pa in opened}
    by_id = {pa["id"]: pa for pa in opened}
    head_slot = next(pa for pa in closed if pa["post_code"] == "S22")
    officer_slot = next(pa for pa in closed if pa["post_code"] == "S07")
    mover = officer_slot["person_id"]
    assert by_id[head_slot["id"]]["person_id"] == mover
    assert by_id[officer_slot["id"]]["person_id"] != mover
    persons = {p["id"]: p for p in county["persons"]}
    assert persons[head_slot["person_id"]]["active"] is False
    # a dated leave with its reason: a trace before 2025-01-13 shows the head in service
    assert (persons[head_slot["person_id"]]["left_on"], persons[head_slot["person_id"]]["left_reason"]) == (
        "2025-01-13",
        "调离",
    )
    g2 = next(p for p in PLANTED_PROBLEMS if p.check == "G2")
    grid = next(g for g in county["grids"] if g["id"] == g2.subject_id)
    assert grid["owner_person_id"] == head_slot["person_id"]
