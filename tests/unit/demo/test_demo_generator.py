"""The demo-county generator: deterministic, in the import format, realistic, consistent."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from responsibility.demo import DEFAULT_SEED, DEMO_LOGINS, PLANTED_PROBLEMS, build_demo_county
from responsibility.errors import BadInput
from responsibility.org.vocabulary import FEATURES, school_type_code

DYNAMIC_MAPS = {"key_staff", "key_posts"}
"""Objects whose keys are data (post codes, post names), not format."""
OPTIONAL_EXTRAS = {
    "post_assignments[].valid_from",
    "post_assignments[].valid_to",
    "persons[].left_on",
    "persons[].left_reason",
}
"""Keys the demo uses beyond the reference: the mid-season post change and the dated leaves."""


@pytest.fixture(scope="module")
def county() -> dict[str, Any]:
    return build_demo_county()


@pytest.fixture(scope="module")
def reference(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "domain" / "demo_county.json"
    if not path.is_file():
        pytest.skip("reference demo_county.json is absent")
    return json.loads(path.read_text(encoding="utf-8"))


def _shape(value: Any, path: str = "", out: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """path -> JSON types seen there, lists collapsed to ``[]``; nulls are recorded as "null"."""
    out = {} if out is None else out
    kind = (
        "null"
        if value is None
        else "number"
        if isinstance(value, int | float) and not isinstance(value, bool)
        else type(value).__name__
    )
    out.setdefault(path, set()).add(kind)
    if isinstance(value, dict) and path.rsplit(".", 1)[-1] not in DYNAMIC_MAPS:
        for key, item in value.items():
            _shape(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list):
        for item in value:
            _shape(item, path + "[]", out)
    return out


def test_same_seed_same_county_and_fresh_objects() -> None:
    first, second = build_demo_county(), build_demo_county()
    assert first == second
    first["schools"][0]["name"] = "changed"
    assert build_demo_county()["schools"][0]["name"] != "changed"
    assert json.dumps(build_demo_county(7), ensure_ascii=False) == json.dumps(build_demo_county(7), ensure_ascii=False)


def test_different_seed_different_county(county: dict[str, Any]) -> None:
    other = build_demo_county(DEFAULT_SEED + 1)
    assert other != county
    assert [p["name"] for p in other["persons"]] != [p["name"] for p in county["persons"]]
    assert other["meta"]["seed"] == DEFAULT_SEED + 1


def test_bad_scale_is_refused() -> None:
    with pytest.raises(BadInput):
        build_demo_county(scale=0)


def test_same_keys_and_value_types_as_the_reference(county: dict[str, Any], reference: dict[str, Any]) -> None:
    ours, theirs = _shape(county), _shape(reference)
    assert set(theirs) - set(ours) == set(), "keys of the reference the demo never uses"
    assert set(ours) - set(theirs) == OPTIONAL_EXTRAS
    for path, kinds in theirs.items():
        assert ours[path] - {"null"} <= kinds | {"null"} or kinds == {"null"}, path
    assert list(county) == list(reference)


def test_vocabularies_match_the_reference(county: dict[str, Any], reference: dict[str, Any]) -> None:
    def values(data: dict[str, Any], getter: Any) -> set[Any]:
        return {v for item in getter(data) for v in item}

    for getter in (
        lambda d: [[s["type"], s["subtype"], s["ownership"], s["stage"], s["party_org_type"]] for s in d["schools"]],
        lambda d: [[b["type"]] for s in d["schools"] for b in s["buildings"]],
        lambda d: [[g["scope_type"], g["level"]] for g in d["grids"]],
        lambda d: [[h["level"], h["status"]] for h in d["hazards"]],
        lambda d: [[a["status"], a["template_version"], a["copies"]] for a in d["agreements"]],
        lambda d: [[r["role"] for r in a["signatures"]["party_b"]] for a in d["agreements"]],
        lambda d: [[p["gender"]] for p in d["persons"]],
    ):
        assert values(county, getter) <= values(reference, getter)
    assert [p["code"] for p in county["post_catalog"]] == [p["code"] for p in reference["post_catalog"]]
    assert [(c["code"], c["risk_area"], c["applies_when"]) for c in county["responsibility_item_templates"]] == [
        (c["code"], c["risk_area"], c["applies_when"]) for c in reference["responsibility_item_templates"]
    ]
    assert [r["code"] for r in county["risk_areas"]] == [r["code"] for r in reference["risk_areas"]]
    assert county["meta"]["as_of"] == reference["meta"]["as_of"]
    assert county["meta"]["period"] == reference["meta"]["period"]


def test_same_school_mix_as_the_reference(county: dict[str, Any], reference: dict[str, Any]) -> None:
    def mix(d: dict[str, Any]) -> Counter[tuple[str, str]]:
        return Counter((s["type"], s["party_org_type"] if s["ownership"] == "民办" else "-") for s in d["schools"])

    assert mix(county) == mix(reference)
    features = Counter(f for s in county["schools"] for f in s["features"])
    assert set(features) == FEATURES
    assert all(school_type_code(s["type"]) for s in county["schools"])


def test_own_names_not_the_references(county: dict[str, Any], reference: dict[str, Any]) -> None:
    assert county["county"]["name"] != reference["county"]["name"]
    assert not {t["name"] for t in county["towns"][1:]} & {t["name"] for t in reference["towns"]}
    assert not {s["name"] for s in county["schools"]} & {s["name"] for s in reference["schools"]}
    ours = [p["name"] for p in county["persons"]]
    theirs = [p["name"] for p in reference["persons"]]
    assert ours[:40] != theirs[:40]
    for key in ("business_duty", "safety_duties"):
        ours_text = {json.dumps(p[key], ensure_ascii=False) for p in county["post_catalog"]}
        assert ours_text.isdisjoint(json.dumps(p[key], ensure_ascii=False) for p in reference["post_catalog"])
    duties = {d for p in county["post_catalog"] for d in p["safety_duties"]}
    assert duties.isdisjoint(d for p in reference["post_catalog"] for d in p["safety_duties"])
    clauses = {c["clause"] for c in county["responsibility_item_templates"]}
    assert clauses.isdisjoint(c["clause"] for c in reference["responsibility_item_templates"])


def test_sizes_close_to_the_reference(county: dict[str, Any]) -> None:
    assert len(county["schools"]) == 60
    assert len(county["towns"]) == 10
    assert 1700 <= len(county["persons"]) <= 2100
    assert 1700 <= len(county["post_assignments"]) <= 2100
    assert 1900 <= len(county["grids"]) <= 2400
    assert 180 <= sum(len(s["buildings"]) for s in county["schools"]) <= 240
    assert len(county["agreements"]) == len(county["home_visits"]) == 60
    assert len(county["bureau"]["leaders"]) == 5 and len(county["bureau"]["sections"]) == 7


ID_FORMATS = {
    "schools": r"SCH\d{3,}",
    "persons": r"P\d{5,}",
    "post_assignments": r"PA\d{5,}",
    "grids": r"G\d{5,}",
    "hazards": r"HZ\d{4,}",
    "towns": r"T\d{2,}",
    "agreements": r"AGR-2024DC-\d{3,}",
}


@pytest.mark.parametrize("scale", [1, 2])
def test_ids_have_the_format_and_are_unique(scale: int) -> None:
    data = build_demo_county(scale=scale)
    for entity, pattern in ID_FORMATS.items():
        ids = [x["id"] for x in data[entity] if not x.get("valid_to")]
        assert all(re.fullmatch(pattern, i) for i in ids), entity
        assert len(ids) == len(set(ids)), entity
    history = [(pa["id"], pa.get("valid_from")) for pa in data["post_assignments"]]
    assert len(history) == len(set(history))
    buildings = [b["id"] for s in data["schools"] for b in s["buildings"]]
    assert all(re.fullmatch(r"BLD\d{4,}", b) for b in buildings) and len(buildings) == len(set(buildings))
    sections = [s["id"] for s in data["bureau"]["sections"]]
    assert all(re.fullmatch(r"SEC\d{2}", s) for s in sections)


def _referenced_persons(data: dict[str, Any]) -> list[str]:
    refs: list[str] = []
    b = data["bureau"]
    refs += [x["person_id"] for x in b["leaders"]]
    refs += [pid for s in b["sections"] for pid in (s["chief_person_id"], *s["staff_person_ids"])]
    for s in data["schools"]:
        refs += [v for v in s["leadership"].values() if v]
        refs += [pid for ids in s["key_staff"].values() for pid in ids]
    refs += [pa["person_id"] for pa in data["post_assignments"]]
    refs += [x for g in data["grids"] for x in (g["owner_person_id"], *g["member_person_ids"]) if x]
    refs += [x for li in data["liaison_assignments"] for x in (li["liaison_person_id"], li["bureau_leader_person_id"])]
    for h in data["hazards"]:
        refs += [x for x in (h["responsible_person_id"], h["verified_by_person_id"]) if x]
        refs += [r["by"] for r in h["records"]]
    for r in data["duty_rosters"]:
        refs += [x for x in (r["leader_on_duty_person_id"], *r["staff_on_duty_person_ids"]) if x]
        refs += list(r.get("key_posts", {}).values())
    refs += [s["person_id"] for a in data["agreements"] for side in a["signatures"].values() for s in side]
    return refs


def test_every_reference_is_defined(county: dict[str, Any]) -> None:
    persons = {p["id"] for p in county["persons"]}
    assert set(_referenced_persons(county)) <= persons
    schools = {s["id"] for s in county["schools"]}
    orgs = schools | {county["bureau"]["id"]} | {s["id"] for s in county["bureau"]["sections"]}
    assert {p["org_id"] for p in county["persons"]} <= orgs | {"ORG-BUREAU-PARTY-INSTRUCTOR"}
    assert {pa["org_id"] for pa in county["post_assignments"]} <= orgs
    codes = {p["code"] for p in county["post_catalog"]}
    assert {pa["post_code"] for pa in county["post_assignments"] if "local_post_name" not in pa} <= codes
    grids = {g["id"]: g for g in county["grids"]}
    assert all(g["parent_id"] in grids for g in county["grids"] if g["parent_id"])
    other_school = {
        g["id"] for g in county["grids"] if g["parent_id"] and grids[g["parent_id"]]["school_id"] != g["school_id"]
    }
    assert other_school == {p.subject_id for p in PLANTED_PROBLEMS if "another school" in p.description}  # planted
    for s in county["schools"]:
        assert s["town_id"] in {t["id"] for t in county["towns"]}
        for b in s["buildings"]:
            assert b["school_id"] == s["id"]
            assert b["grid_id"] is None or grids[b["grid_id"]]["school_id"] == s["id"]
    for h in county["hazards"]:
        assert grids[h["grid_id"]]["school_id"] == h["school_id"] in schools
        assert h["risk_area"] in {r["code"] for r in county["risk_areas"]}
    sections = {s["id"] for s in county["bureau"]["sections"]}
    assert all(li["section_id"] in sections and li["school_id"] in schools for li in county["liaison_assignments"])
    assert all(r["org_id"] in orgs for r in county["duty_rosters"])
    assert {a["party_b_school_id"] for a in county["agreements"]} == schools
    clauses = {c["code"] for c in county["responsibility_item_templates"]}
    assert all(set(a["items"]) <= clauses for a in county["agreements"])


def test_grid_trees_are_trees_with_one_school_root(county: dict[str, Any]) -> None:
    """Apart from the planted G4 breaks: a second root (SCH027), a level-3 root (SCH033), a
    level that skips (SCH035) and a parent in another school (SCH037)."""
    grids = {g["id"]: g for g in county["grids"]}
    roots: defaultdict[str, list[str]] = defaultdict(list)
    skips = set()
    for g in county["grids"]:
        seen = set()
        node = g
        while node["parent_id"]:
            assert node["id"] not in seen, "cycle"
            seen.add(node["id"])
            parent = grids[node["parent_id"]]
            if node["level"] != parent["level"] + 1:
                skips.add(node["id"])
            node = parent
        assert node["level"] == 1 or node["school_id"] == "SCH033"
        if g["parent_id"] is None:
            roots[g["school_id"]].append(g["scope_type"])
    assert set(roots) == {s["id"] for s in county["schools"]}
    detached = {sid: kinds for sid, kinds in roots.items() if kinds != ["学校"]}
    assert detached == {"SCH027": ["学校", "楼栋"], "SCH033": ["学校", "班级"]}, "only the planted G4 schools"
    g4 = {p.school_id: p.subject_id for p in PLANTED_PROBLEMS if p.check == "G4"}
    assert skips == {g4["SCH035"]}


def test_schools_are_staffed_as_their_features_require(county: dict[str, Any]) -> None:
    persons = {p["id"]: p for p in county["persons"]}
    for s in county["schools"]:
        lead = s["leadership"]
        assert lead["principal_person_id"] and lead["safety_vp_person_id"]
        if s["party_org_type"] == "combined":
            assert lead["party_secretary_person_id"] == lead["principal_person_id"]
        elif s["party_org_type"] == "instructor":
            assert s["ownership"] == "民办" and lead["party_instructor_person_id"]
            assert lead["party_secretary_person_id"] is None
        else:
            assert lead["party_secretary_person_id"] not in (None, lead["principal_person_id"])
        if "boarding" in s["features"] and s["id"] != "SCH020":
            genders = {persons[p]["gender"] for p in s["key_staff"]["S15"]}
            assert len(s["key_staff"]["S15"]) >= 2 and "女" in genders
        if "lab" in s["features"]:
            assert s["key_staff"]["S14"]
        assert s["school_buses"] == ("school_bus" in s["features"]) * s["school_buses"]
        assert ("kindergarten" in s["features"]) == (s["stage"] == "学前") != ("k12" in s["features"])
    combined = [s for s in county["schools"] if s["party_org_type"] == "combined"]
    assert len(combined) >= 10
    pa = county["post_assignments"]
    for s in combined:
        principal = s["leadership"]["principal_person_id"]
        assert {p["post_code"] for p in pa if p["person_id"] == principal} == {"S01", "S02"}


def test_buildings_have_fire_plans_and_school_grids(county: dict[str, Any]) -> None:
    grids = {g["id"]: g for g in county["grids"]}
    floors = Counter(g["parent_id"] for g in county["grids"] if g["scope_type"] == "楼层")
    for s in county["schools"]:
        assert s["buildings"]
        for b in s["buildings"]:
            assert b["fire_plan"] is None or b["fire_plan"]["plan_no"].endswith(b["name"])
            if b["grid_id"]:
                assert grids[b["grid_id"]]["name"] == b["name"]
                assert floors[b["grid_id"]] == b["floors"]


def test_demo_login_people_hold_the_documented_posts() -> None:
    for seed in (DEFAULT_SEED, 3, 99):
        data = build_demo_county(seed)
        held = {(pa["person_id"], pa["post_code"], pa["org_id"]) for pa in data["post_assignments"]}
        assert ("P00001", "B01", "ORG-BUREAU") in held
        assert ("P00002", "B02", "ORG-BUREAU") in held
        sch001 = data["schools"][0]
        assert sch001["leadership"]["principal_person_id"] == "P00027"
        assert sch001["leadership"]["party_secretary_person_id"] == "P00028"
        liaison = next(li for li in data["liaison_assignments"] if li["school_id"] == "SCH001")
        assert liaison["liaison_person_id"] == "P00010"
        assert ("P00047", "S09", "SCH001") in held
        assert any(g["owner_person_id"] == "P00047" and g["name"] == "高一（1）班" for g in data["grids"])
    assert [u for u, _, _ in DEMO_LOGINS][-2:] == ["admin", "auditor"]


def test_scale_multiplies_and_keeps_the_first_block() -> None:
    base = build_demo_county()
    big = build_demo_county(scale=20)
    assert len(big["schools"]) == 20 * len(base["schools"])
    assert len(big["towns"]) == 200
    assert 19 * len(base["persons"]) <= len(big["persons"]) <= 21 * len(base["persons"])
    assert 19 * len(base["grids"]) <= len(big["grids"]) <= 21 * len(base["grids"])
    assert big["schools"][:60] == base["schools"]
    assert len({s["name"] for s in big["schools"]}) == 1200
    assert len({t["name"] for t in big["towns"]}) == 200
