"""The gap report over the project's demo county finds exactly the planted problems, and over
the shared reference county exactly what an independent reading of that file shows."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

import pytest
from sqlalchemy import func, select

from responsibility.chain.gaps import CHECK_CODES, run_gap_checks
from responsibility.demo import PLANTED_PROBLEMS, planted_problems
from responsibility.models import AuditEvent, County
from responsibility.org.importing import import_county


def _as_of(session) -> dt.date:
    as_of = session.scalar(select(County.as_of))
    assert as_of == dt.date(2025, 1, 31)
    return as_of


def test_demo_report_equals_the_planted_problems(demo_session) -> None:
    events_before = demo_session.scalar(select(func.count()).select_from(AuditEvent))
    report = run_gap_checks(demo_session, at=_as_of(demo_session))
    planted = {(p.check, p.school_id, p.subject_id) for p in planted_problems()}
    assert planted == {(p.check, p.school_id, p.subject_id) for p in PLANTED_PROBLEMS}
    assert report.finding_keys() == planted
    assert len(report.findings) == len(planted)  # no duplicates either
    assert {p[0] for p in planted} == set(CHECK_CODES)
    # Read-only: nothing pending, no audit event.
    assert not (demo_session.new or demo_session.dirty or demo_session.deleted)
    assert demo_session.scalar(select(func.count()).select_from(AuditEvent)) == events_before


def test_demo_report_subset_of_checks_and_org_names(demo_session) -> None:
    report = run_gap_checks(demo_session, at=dt.date(2025, 1, 31), checks={"G1", "L1"})
    assert report.checks == ("G1", "L1")
    assert report.finding_keys() == {("G1", "SCH025", "G01270"), ("L1", "SCH046", "SCH046")}
    org = report.orgs["SCH046"]
    assert org.kind == "school" and org.name and org.town_id


# --- the shared reference county: independent expectations ---------------------------------


def _load_shared(session, shared_dir) -> dict[str, Any]:
    path = shared_dir / "domain" / "demo_county.json"
    if not path.is_file():
        pytest.skip("shared demo_county.json is absent")
    data = json.loads(path.read_text(encoding="utf-8"))
    import_county(session, data, source="shared", actor="test")
    session.flush()
    return data


def _held(rec: dict[str, Any], at: dt.date) -> bool:
    start = dt.date.fromisoformat(rec.get("valid_from") or "1900-01-01")
    end = rec.get("valid_to")
    return start <= at and (end is None or at < dt.date.fromisoformat(end))


def _expect_a(d: dict[str, Any]) -> set[tuple[str, str, str]]:
    out = set()
    by_school = {a["party_b_school_id"]: a for a in d["agreements"]}
    for s in d["schools"]:
        a = by_school.get(s["id"])
        if a is None:
            out.add(("A2", s["id"], s["id"]))
            continue
        if a["status"] != "已签订":
            out.add(("A2", s["id"], a["id"]))
        else:
            b_roles = " ".join(x["role"] for x in a["signatures"]["party_b"])
            a_roles = " ".join(x["role"] for x in a["signatures"]["party_a"])
            principal = "校长" in b_roles or "园长" in b_roles
            party = "党组织书记" in b_roles or "党建指导员" in b_roles
            bureau = "党组书记" in a_roles and "局长" in a_roles.replace("副局长", "")
            if not (principal and party and bureau and all(a["seals"].values())):
                out.add(("A1", s["id"], a["id"]))
        when = {c["code"]: c["applies_when"] for c in d["responsibility_item_templates"]}
        needed = {code for code, w in when.items() if w == "all" or w in s["features"]}
        if needed - set(a["items"]):
            out.add(("A3", s["id"], a["id"]))
        if a["cascade"]["staff_signed"] < a["cascade"]["staff_total"]:
            out.add(("A4", s["id"], a["id"]))
    return out


def _expect_p(d: dict[str, Any], at: dt.date) -> set[tuple[str, str, str]]:
    out = set()
    catalog = {p["code"]: p for p in d["post_catalog"]}
    persons = {p["id"]: p for p in d["persons"]}
    schools = {s["id"] for s in d["schools"]}
    holders: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for pa in d["post_assignments"]:
        if not _held(pa, at):
            continue
        post = catalog.get(pa["post_code"], {})
        # declared (even empty) counts as given; absent or null inherits the catalogue post's
        safety = pa["safety_duties"] if pa.get("safety_duties") is not None else post.get("safety_duties")
        business = pa["business_duty"] if pa.get("business_duty") is not None else post.get("business_duty")
        if not safety or not (business or "").strip():
            out.add(("P1", pa["org_id"], pa["id"]))
        if pa["org_id"] in schools and persons[pa["person_id"]]["active"]:
            holders[(pa["org_id"], pa["post_code"])].append(persons[pa["person_id"]])
    for s in d["schools"]:
        f, sid = set(s["features"]), s["id"]
        need = {}
        if "boarding" in f:
            need["S15"] = 2
        if "school_bus" in f or s["school_buses"]:
            need["S18"] = need["S19"] = max(s["school_buses"], 1)
        for code, feat in (("S14", "lab"), ("S13", "canteen"), ("S21", "special_equipment"), ("S20", "vocational")):
            if feat in f:
                need[code] = 1
        if len(s["campuses"]) > 1:
            need["S22"] = len(s["campuses"]) - 1
        for code, n in need.items():
            people = holders[(sid, code)]
            if len(people) < n or (code == "S15" and not any(p["gender"] == "女" for p in people)):
                out.add(("P2", sid, code))
    return out


def _expect_g(d: dict[str, Any], at: dt.date) -> set[tuple[str, str, str]]:
    out = set()
    persons = {p["id"]: p for p in d["persons"]}
    posts_at = {(pa["person_id"], pa["org_id"]) for pa in d["post_assignments"] if _held(pa, at)}
    by_id = {g["id"]: g for g in d["grids"]}
    for g in d["grids"]:
        owner = g.get("owner_person_id")
        if owner is None:
            out.add(("G1", g["school_id"], g["id"]))
        else:
            p = persons[owner]
            if not p["active"] or (p["org_id"] != g["school_id"] and (owner, g["school_id"]) not in posts_at):
                out.add(("G2", g["school_id"], g["id"]))
    for s in d["schools"]:
        for b in s["buildings"]:
            if b.get("grid_id") is None:
                out.add(("G3", s["id"], b["id"]))
        roots = sorted(g["id"] for g in d["grids"] if g["school_id"] == s["id"] and g["parent_id"] is None)
        school_roots = [r for r in roots if by_id[r]["scope_type"] == "学校"]
        main = (school_roots or roots or [None])[0]
        for r in roots:
            if r != main:
                out.add(("G4", s["id"], r))
    return out


def _expect_l(d: dict[str, Any]) -> set[tuple[str, str, str]]:
    out = set()
    sections = {s["id"]: s for s in d["bureau"]["sections"]}
    liaison = {x["school_id"]: x for x in d["liaison_assignments"]}
    for s in d["schools"]:
        x = liaison.get(s["id"])
        if x is None:
            out.add(("L1", s["id"], s["id"]))
            continue
        sec = sections[x["section_id"]]
        if x["liaison_person_id"] not in [sec["chief_person_id"], *sec["staff_person_ids"]]:
            out.add(("L2", s["id"], x["liaison_person_id"]))
    return out


def _expect_h(d: dict[str, Any], at: dt.date) -> set[tuple[str, str, str]]:
    out = set()
    for h in d["hazards"]:
        closed = h["status"] == "已销号" and (h["closed_date"] or "0") <= at.isoformat()
        overdue = not closed and h["plan"]["deadline"] < at.isoformat()
        if h["responsible_person_id"] is None:
            out.add(("H1", h["school_id"], h["id"]))
        if overdue:
            out.add(("H2", h["school_id"], h["id"]))
        if closed and h["verified_by_person_id"] in (None, h["responsible_person_id"]):
            out.add(("H3", h["school_id"], h["id"]))
        if h["level"] == "重大" and not (h["listed_for_supervision"] and h["plan"].get("temporary_measures")):
            out.add(("H4", h["school_id"], h["id"]))
    return out


def _expect_d(d: dict[str, Any], at: dt.date) -> set[tuple[str, str, str]]:
    out = set()
    days: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in d["duty_rosters"]:
        days[r["org_id"]][r["date"]].append(r["leader_on_duty_person_id"])
    for org, by_day in days.items():
        day, last = dt.date.fromisoformat(min(by_day)), min(dt.date.fromisoformat(max(by_day)), at)
        while day <= last:
            leaders = by_day.get(day.isoformat(), [])
            if not leaders or None in leaders:
                out.add(("D1", org, day.isoformat()))
            day += dt.timedelta(days=1)
    return out


def _expect_f_k_v(d: dict[str, Any], at: dt.date) -> set[tuple[str, str, str]]:
    out = set()
    for s in d["schools"]:
        for b in s["buildings"]:
            plan = b.get("fire_plan")
            if plan is None:
                out.add(("F1", s["id"], b["id"]))
            elif (at - dt.date.fromisoformat(plan["last_monthly_check"])).days > 31:
                out.add(("F2", s["id"], b["id"]))
            top = b.get("child_rooms_top_floor")
            if (top or 0) > 3 or (top is None and b["type"] == "幼儿生活用房" and b["floors"] > 3):
                out.add(("K1", s["id"], b["id"]))
    for v in d["home_visits"]:
        if v["key_students_visited"] < v["key_students_planned"]:
            out.add(("V1", v["school_id"], v["school_id"]))
    return out


def test_shared_reference_county(session, shared_dir) -> None:
    data = _load_shared(session, shared_dir)
    at = dt.date.fromisoformat(data["meta"]["as_of"])
    report = run_gap_checks(session, at=at)
    expected = {
        "A": _expect_a(data),
        "P": _expect_p(data, at),
        "G": _expect_g(data, at),
        "L": _expect_l(data),
        "H": _expect_h(data, at),
        "D": _expect_d(data, at),
        "FKV": _expect_f_k_v(data, at),
    }
    for group, keys in expected.items():
        got = {k for k in report.finding_keys() if k[0][0] in group}
        assert got == keys, group
    assert report.finding_keys() == set().union(*expected.values())
    # The file does hold problems of most kinds (so the comparison is not vacuous).
    assert len({k[0] for k in report.finding_keys()}) >= 14


def test_statement_count_does_not_grow_with_schools(demo_session) -> None:
    """Set-based: a handful of statements per check, never one per school (60 schools here)."""
    from sqlalchemy import event

    engine = demo_session.get_bind()
    seen: list[str] = []

    def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        run_gap_checks(demo_session, at=dt.date(2025, 1, 31))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert 21 <= len(seen) <= 40
