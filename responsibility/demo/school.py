"""One demo school: its staff and posts, buildings with fire plans, and its three-level grid tree.

Staffing follows outline §2.3 YG4 so a clean school passes every gap check: principal, party
head (own secretary, the principal as 一肩挑, or a party instructor at private schools), safety
deputy, the key staff its features require (boarding → two dorm managers, one a woman; buses →
one driver and one attendant per bus; lab → lab technician; canteen → food-safety officer;
special equipment → certified operator; vocational → workshop instructors; campuses → one head
per member site), grade leaders and one class teacher per class of the main campus (plus a
nursery nurse per kindergarten class). Every grid gets an active owner of the school.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from .context import AS_OF, PARTY_INSTRUCTOR_ORG, DemoContext
from .plan import SchoolSpec

__all__ = ["build_school"]

_NUMERALS = "一二三四五六七八九十"
_KEY_ORDER = (
    "S04",
    "S05",
    "S06",
    "S07",
    "S10",
    "S11",
    "S17",
    "S12",
    "S16",
    "S13",
    "S14",
    "S15",
    "S18",
    "S19",
    "S20",
    "S21",
    "S22",
)
_STUDENTS_PER_STAFF = {
    "学前": 9,
    "小学": 17,
    "初中": 11,
    "普通高中": 13.5,
    "中职": 10,
    "特教": 3,
    "九年一贯": 11,
    "初高中": 11,
}
_MALE_POSTS = {"S16": 0.1, "S17": 0.05, "S18": 0.0, "S21": 0.1, "S05": 0.25}


def _key_staff_plan(spec: SchoolSpec) -> dict[str, int]:
    f = set(spec.features)
    plan: dict[str, int] = {}
    if not spec.kindergarten:
        for code in ("S04", "S05", "S06", "S07", "S10", "S11", "S17"):
            plan[code] = 1
    plan["S12"] = 1
    plan["S16"] = 2 if spec.students > 600 else 1
    if "canteen" in f:
        plan["S13"] = 1
    if "lab" in f:
        plan["S14"] = 2 if spec.classes >= 40 else 1
    if "boarding" in f:
        plan["S15"] = 2
    if spec.buses:
        plan["S18"] = spec.buses
        plan["S19"] = spec.buses
    if "vocational" in f:
        plan["S20"] = 4
    if "special_equipment" in f:
        plan["S21"] = 1
    if len(spec.campuses) > 1:
        plan["S22"] = len(spec.campuses) - 1
    return {code: plan[code] for code in _KEY_ORDER if code in plan}


def _staff(ctx: DemoContext, spec: SchoolSpec, rng: random.Random) -> dict[str, Any]:
    """Create the school's persons and post assignments; return who holds what."""
    sid = spec.id
    female = 0.9 if spec.kindergarten else 0.62

    def person(gender: str | None = None, share: float = female) -> dict[str, Any]:
        return ctx.new_person(rng, sid, gender, female_share=share)

    principal = person(share=0.85 if spec.kindergarten else 0.3)
    ctx.assign(sid, "S01", principal)
    secretary = instructor = None
    if spec.party_org_type == "combined":
        secretary = principal
        ctx.assign(sid, "S02", principal, note="书记、校长（园长）一肩挑")
    elif spec.party_org_type == "instructor":
        instructor = ctx.new_person(rng, PARTY_INSTRUCTOR_ORG, female_share=0.4)
        ctx.assign(sid, "S24", instructor)
    else:
        secretary = person(share=0.35)
        ctx.assign(sid, "S02", secretary)
    safety_vp = person(share=0.5 if spec.kindergarten else 0.25)
    ctx.assign(sid, "S03", safety_vp)

    key: dict[str, list[dict[str, Any]]] = {}
    for code, count in _key_staff_plan(spec).items():
        holders = []
        for k in range(count):
            if code == "S15":
                gender = "男" if k % 2 == 0 else "女"
            elif code == "S19":
                gender = "女" if rng.random() < 0.8 else "男"
            elif code in _MALE_POSTS:
                gender = "女" if rng.random() < _MALE_POSTS[code] else "男"
            else:
                gender = None
            holder = person(gender)
            ctx.assign(sid, code, holder)
            holders.append(holder)
        key[code] = holders

    grades: list[tuple[str, dict[str, Any] | None, list[tuple[str, dict[str, Any], dict[str, Any] | None]]]] = []
    per_grade = _spread(spec.main_classes, len(spec.grades))
    for grade, count in zip(spec.grades, per_grade, strict=True):
        leader = None
        if not spec.kindergarten:
            leader = person()
            ctx.assign(sid, "S08", leader)
        classes = []
        for n in range(1, count + 1):
            teacher = person()
            ctx.assign(sid, "S09", teacher)
            nurse = None
            if spec.kindergarten:
                nurse = person("女")
                ctx.assign(sid, "S23", nurse)
            classes.append((f"{grade}（{n}）班", teacher, nurse))
        grades.append((grade, leader, classes))
    return {
        "principal": principal,
        "secretary": secretary,
        "instructor": instructor,
        "safety_vp": safety_vp,
        "key": key,
        "grades": grades,
    }


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _building_plan(spec: SchoolSpec, rng: random.Random) -> list[tuple[str, str, int]]:
    """(name, type, floors) of each building, by school type and features."""
    f = set(spec.features)
    rows: list[tuple[str, str, int]] = []
    if spec.kindergarten:
        rows.append(("幼儿活动楼", "幼儿生活用房", rng.choice((2, 3)) if spec.classes < 9 else 3))
        if spec.classes >= 9:
            rows.append(("综合楼", "综合", 3))
    else:
        main = spec.main_classes
        count = 1 if main <= 20 else 2 if main <= 45 else 3
        small = main <= 12
        for n in range(count):
            rows.append((f"{_NUMERALS[n]}号教学楼", "教学楼", rng.choice((3, 4)) if small else rng.choice((4, 5))))
        if "lab" in f:
            if spec.direct or spec.type in ("教育集团", "民办学校") or main >= 24:
                rows.append(("实验楼", "实验楼", 4))
            else:
                rows.append(("综合楼（含实验室）", "实验楼", 3))
        if "vocational" in f:
            rows.append(("实训楼", "实训楼", 4))
        if "boarding" in f:
            floors = 5 if spec.boarders > 600 else 4
            rows.append(("男生公寓", "学生宿舍", floors))
            rows.append(("女生公寓", "学生宿舍", floors))
    if "canteen" in f:
        rows.append(("学生食堂", "食堂", 2 if spec.students > 600 else 1))
    return rows


def _fire_plan(sid: str, name: str, floors: int, rng: random.Random) -> dict[str, Any]:
    return {
        "plan_no": f"一楼一案-{sid}-{name}",
        "extinguishers": floors * rng.randint(4, 8),
        "hydrants": floors * 2 if floors > 1 else rng.choice((0, 2)),
        "emergency_lighting_ok": True,
        "evac_signs_ok": True,
        "last_monthly_check": (AS_OF - dt.timedelta(days=rng.randint(1, 28))).isoformat(),
    }


def _owners(staff: dict[str, Any]) -> dict[str, Any]:
    key = staff["key"]
    vp = staff["safety_vp"]

    def first(code: str, fallback: Any = vp) -> Any:
        return key[code][0] if key.get(code) else fallback

    return {
        "vp": vp,
        "s04": first("S04"),
        "s05": first("S05"),
        "s13": first("S13"),
        "s14": first("S14"),
        "s16": first("S16"),
        "s17": first("S17", first("S05")),
        "s20": first("S20"),
        "dorm_m": first("S15"),
        "dorm_f": key["S15"][-1] if key.get("S15") else vp,
    }


def _grids(
    ctx: DemoContext, spec: SchoolSpec, staff: dict[str, Any], buildings: list[dict[str, Any]], rng: random.Random
) -> None:
    sid = spec.id
    own = _owners(staff)
    teachers = [t for _, _, classes in staff["grades"] for _, t, _ in classes]
    top_members = [
        m
        for m in (
            staff["secretary"] if staff["secretary"] is not staff["principal"] else None,
            staff["instructor"],
            staff["safety_vp"],
        )
        if m
    ]
    root = ctx.new_grid(sid, 1, spec.name, "学校", None, staff["principal"], top_members)
    teaching_owners = [own["vp"], own["s05"], own["s04"]]
    for n, building in enumerate(buildings):
        kind, name = building["type"], building["name"]
        floor_owner: Any
        if kind == "教学楼":
            owner, floor_owner = teaching_owners[n % 3], None
        elif kind == "实验楼":
            owner = floor_owner = own["s14"]
        elif kind == "实训楼":
            owner = floor_owner = own["s20"]
        elif kind == "学生宿舍":
            owner = floor_owner = own["dorm_f"] if name.startswith("女") else own["dorm_m"]
        elif kind == "食堂":
            owner = floor_owner = own["s13"]
        else:
            owner, floor_owner = own["vp"], None
        block = ctx.new_grid(sid, 2, name, "楼栋", root, owner)
        building["grid_id"] = block["id"]
        for floor in range(1, building["floors"] + 1):
            ctx.new_grid(sid, 3, f"{name}{floor}层", "楼层", block, floor_owner or rng.choice(teachers))
    ctx.new_grid(sid, 2, "校门及周界", "区域", root, own["s16"])
    ctx.new_grid(sid, 2, "操场及体育设施", "区域", root, own["s04"])
    ctx.new_grid(sid, 2, "配电房及设备区", "区域", root, own["s17"])
    if spec.buses:
        park = ctx.new_grid(sid, 2, "校车及停车区", "区域", root, own["s05"])
        for n in range(spec.buses):
            ctx.new_grid(sid, 3, f"校车{n + 1}号车", "车辆", park, staff["key"]["S18"][n], [staff["key"]["S19"][n]])
    for campus, head in zip(spec.campuses[1:], staff["key"].get("S22", []), strict=True):
        ctx.new_grid(sid, 2, str(campus["name"]), "校区", root, head)
    for grade, leader, classes in staff["grades"]:
        grade_grid = ctx.new_grid(sid, 2, grade, "年级", root, leader or classes[0][1])
        for class_name, teacher, nurse in classes:
            ctx.new_grid(sid, 3, class_name, "班级", grade_grid, teacher, [nurse] if nurse else [])


def build_school(ctx: DemoContext, spec: SchoolSpec) -> dict[str, Any]:
    """Generate one school (persons, posts, buildings, grids) and return its ``schools`` entry."""
    rng = ctx.rng_for("school", spec.index)
    first_person = len(ctx.persons)
    staff = _staff(ctx, spec, rng)
    buildings = []
    for name, kind, floors in _building_plan(spec, rng):
        building: dict[str, Any] = {
            "id": ctx.next_building_id(),
            "school_id": spec.id,
            "name": name,
            "type": kind,
            "floors": floors,
            "dense_occupancy": True,
            "stairs": 1 if floors == 1 else 2,
            "fire_plan": _fire_plan(spec.id, name, floors, rng),
        }
        if spec.kindergarten and kind in ("幼儿生活用房", "综合"):
            building["child_rooms_top_floor"] = floors
        building["grid_id"] = None
        buildings.append(building)
    _grids(ctx, spec, staff, buildings, rng)
    on_staff = len(ctx.persons) - first_person - (1 if staff["instructor"] else 0)
    school: dict[str, Any] = {
        "id": spec.id,
        "name": spec.name,
        "type": spec.type,
        "subtype": spec.subtype,
        "ownership": spec.ownership,
        "town_id": f"T{spec.town + 1:02d}",
        "direct_to_bureau": spec.direct,
        "stage": spec.stage,
        "students": spec.students,
        "classes": spec.classes,
        "staff": max(on_staff, round(spec.students / _STUDENTS_PER_STAFF[spec.stage])),
        "boarders": spec.boarders,
        "school_buses": spec.buses,
        "features": list(spec.features),
        "party_org_type": spec.party_org_type,
        "campuses": [dict(c) for c in spec.campuses],
        "buildings": buildings,
        "leadership": {
            "principal_person_id": staff["principal"]["id"],
            "party_secretary_person_id": staff["secretary"]["id"] if staff["secretary"] else None,
            "party_instructor_person_id": staff["instructor"]["id"] if staff["instructor"] else None,
            "safety_vp_person_id": staff["safety_vp"]["id"],
        },
        "key_staff": {code: [p["id"] for p in holders] for code, holders in staff["key"].items()},
    }
    if spec.note:
        school["note"] = spec.note
    return school
