"""Problems planted in the demo county for the auditor's gap report (outline §2.4) to find.

Each check code gets at least one problem in the first block of 60 schools, each in its own
school, and everything else is generated clean, so a correct gap report lists exactly these.
School hooks run right after their school is generated (they touch persons, posts, buildings and
grids); record hooks run when the school's records are made. Both only ever append ids in the
school's own turn, so the planted subjects keep their ids at every ``scale``. Each hook returns
the :class:`~.problems.PlantedProblem` it made, named by the gap check that must find it.

The demo also shows one documented mid-season post change (SCH015): the head of a village
school was transferred on 2025-01-13 (his assignment is closed with ``valid_to``); the school's
safety officer took over that post the same day (the assignment continues with
``valid_from``), and a newly arrived teacher took the safety officer's post. The transferred
head still owns the village school's grid: the G2 problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ..chain.gaps.agreements_checks import check_a1, check_a2, check_a3, check_a4
from ..chain.gaps.duty_checks import check_d1
from ..chain.gaps.fire_checks import check_f1, check_f2, check_k1
from ..chain.gaps.grid_checks import check_g1, check_g2, check_g3, check_g4
from ..chain.gaps.hazard_checks import check_h1, check_h2, check_h3, check_h4
from ..chain.gaps.liaison_checks import check_l1, check_l2
from ..chain.gaps.posts_checks import check_p1, check_p2
from ..chain.gaps.visit_checks import check_v1
from .context import AS_OF, DemoContext
from .names import person_name
from .problems import PlantedProblem
from .records import make_hazard

__all__ = ["CHANGE_DATE", "plant_records", "plant_school", "problem_positions"]

CHANGE_DATE = dt.date(2025, 1, 13)

Hook = Callable[[DemoContext, dict[str, Any], dict[str, Any]], PlantedProblem]


def _school_grids(ctx: DemoContext, school: dict[str, Any]) -> list[dict[str, Any]]:
    return [g for g in ctx.grids if g["school_id"] == school["id"]]


def _pa(ctx: DemoContext, person_id: str, code: str) -> dict[str, Any]:
    return next(pa for pa in ctx.post_assignments if pa["person_id"] == person_id and pa["post_code"] == code)


def _person(ctx: DemoContext, person_id: str) -> dict[str, Any]:
    return next(p for p in ctx.persons if p["id"] == person_id)


def _p1_post_without_safety_duty(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    person = ctx.new_person(ctx.rng_for("p1", school["id"]), school["id"], "女")
    pa = ctx.assign(school["id"], "X-LOCAL", person, local_post=("图书室管理员（兼）", "图书借阅和图书室日常管理"))
    return PlantedProblem.of(check_p1, school["id"], pa["id"], "school-defined post with no safety duty")


def _p2_bus_attendant_left(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    attendant = school["key_staff"]["S19"][0]
    person = _person(ctx, attendant)
    person["active"] = False
    person["note"] = "2024年12月辞职，随车照管员岗位待补"
    ctx.post_assignments.remove(_pa(ctx, attendant, "S19"))
    school["key_staff"]["S19"] = []
    for grid in _school_grids(ctx, school):
        if attendant in grid["member_person_ids"]:
            grid["member_person_ids"].remove(attendant)
    return PlantedProblem.of(check_p2, school["id"], "S19", "school bus without an attendant (the attendant resigned)")


def _p2_no_female_dorm_manager(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    manager = _person(ctx, school["key_staff"]["S15"][-1])
    manager["gender"] = "男"
    manager["name"] = person_name(ctx.rng_for("p2b", school["id"]), "男")
    return PlantedProblem.of(check_p2, school["id"], "S15", "boarding school whose dorm managers are all men")


def _g1_grid_without_owner(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    grid = next(g for g in _school_grids(ctx, school) if g["name"] == "女生公寓3层")
    grid["owner_person_id"] = None
    return PlantedProblem.of(check_g1, school["id"], grid["id"], "grid without an owner")


def _g2_owner_transferred(ctx: DemoContext, school: dict[str, Any], spec: dict[str, Any]) -> PlantedProblem:
    """The village-school head leaves; the safety officer takes over his post mid-season."""
    head_id = school["key_staff"]["S22"][0]
    officer_id = school["key_staff"]["S07"][0]
    head = _person(ctx, head_id)
    head["active"] = False
    head["note"] = "2025年1月调往外县，校区网格未交接"
    head_pa = _pa(ctx, head_id, "S22")
    officer_pa = _pa(ctx, officer_id, "S07")
    start = spec["period_start"]
    newcomer = ctx.new_person(ctx.rng_for("g2", school["id"]), school["id"])
    history = []
    for pa in (head_pa, officer_pa):
        closed = dict(pa, valid_from=start, valid_to=CHANGE_DATE.isoformat())
        closed["id"] = pa["id"]
        history.append(closed)
    head_pa.update(
        person_id=officer_id,
        valid_from=CHANGE_DATE.isoformat(),
        note="2025年1月13日起由安全专干改任本校区负责人（原负责人调离）",
    )
    officer_pa.update(
        person_id=newcomer["id"], valid_from=CHANGE_DATE.isoformat(), note="2025年1月13日新调入，接任安全专干"
    )
    ctx.post_assignments.extend(history)
    school["key_staff"]["S22"][0] = officer_id
    school["key_staff"]["S07"][0] = newcomer["id"]
    grid = next(g for g in _school_grids(ctx, school) if g["owner_person_id"] == head_id)
    return PlantedProblem.of(check_g2, school["id"], grid["id"], "grid owner was transferred away (inactive)")


def _g3_building_outside_grids(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    name = "学生活动中心"
    building = {
        "id": ctx.next_building_id(),
        "school_id": school["id"],
        "name": name,
        "type": "综合",
        "floors": 2,
        "dense_occupancy": True,
        "stairs": 2,
        "fire_plan": {
            "plan_no": f"一楼一案-{school['id']}-{name}",
            "extinguishers": 10,
            "hydrants": 4,
            "emergency_lighting_ok": True,
            "evac_signs_ok": True,
            "last_monthly_check": (AS_OF - dt.timedelta(days=6)).isoformat(),
        },
        "note": "2025年1月交付使用，尚未划入网格",
        "grid_id": None,
    }
    school["buildings"].append(building)
    return PlantedProblem.of(check_g3, school["id"], building["id"], "building not covered by any grid")


def _g4_detached_subtree(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    """The lab building's grid hangs on nothing: a second root, so its chain never reaches the
    school grid (the importer only checks that levels follow parents, which they still do)."""
    grids = _school_grids(ctx, school)
    block = next(g for g in grids if g["level"] == 2 and g["scope_type"] == "楼栋" and "实验" in g["name"])
    block["level"], block["parent_id"] = 1, None
    for grid in grids:
        if grid["parent_id"] == block["id"]:
            grid["level"] = 2
    return PlantedProblem.of(check_g4, school["id"], block["id"], "grid subtree not linked to the school grid (second root)")


def _f1_no_fire_plan(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    building = next(b for b in school["buildings"] if b["type"] == "食堂")
    building["fire_plan"] = None
    return PlantedProblem.of(check_f1, school["id"], building["id"], "building without a fire plan")


def _f2_monthly_check_overdue(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    building = school["buildings"][0]
    building["fire_plan"]["last_monthly_check"] = (AS_OF - dt.timedelta(days=47)).isoformat()
    return PlantedProblem.of(check_f2, school["id"], building["id"], "last monthly fire check more than 31 days ago")


def _k1_children_above_third_floor(ctx: DemoContext, school: dict[str, Any], _: dict[str, Any]) -> PlantedProblem:
    building = next(b for b in school["buildings"] if b["type"] == "幼儿生活用房")
    grids = _school_grids(ctx, school)
    block = next(g for g in grids if g["id"] == building["grid_id"])
    floors = [g for g in grids if g["parent_id"] == block["id"]]
    for floor in range(building["floors"] + 1, 5):
        ctx.new_grid(
            school["id"], 3, f"{building['name']}{floor}层", "楼层", block, {"id": floors[-1]["owner_person_id"]}
        )
    building["floors"] = building["child_rooms_top_floor"] = 4
    building["note"] = "租用临街商住楼，四层设有大班活动室"
    return PlantedProblem.of(check_k1, school["id"], building["id"], "children's rooms above the third floor")


# position within the block -> hooks run right after the school is generated
SCHOOL_HOOKS: dict[int, tuple[Hook, ...]] = {
    13: (_p2_bus_attendant_left,),
    15: (_g2_owner_transferred,),
    18: (_f2_monthly_check_overdue,),
    19: (_f1_no_fire_plan,),
    20: (_p2_no_female_dorm_manager,),
    22: (_g3_building_outside_grids,),
    25: (_g1_grid_without_owner,),
    27: (_g4_detached_subtree,),
    28: (_p1_post_without_safety_duty,),
    60: (_k1_children_above_third_floor,),
}


def plant_school(ctx: DemoContext, position: int, school: dict[str, Any], period_start: str) -> None:
    for hook in SCHOOL_HOOKS.get(position, ()):
        ctx.planted.append(hook(ctx, school, {"period_start": period_start}))


def _grid_id(ctx: DemoContext, school: dict[str, Any], name: str) -> str:
    return next(g["id"] for g in _school_grids(ctx, school) if g["name"] == name)


def _a1_party_secretary_missing(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    agreement = rec["agreement"]
    agreement["signatures"]["party_b"] = agreement["signatures"]["party_b"][:1]
    agreement["remark"] = "党组织书记外出学习，未签字"
    return PlantedProblem.of(check_a1, school["id"], agreement["id"], "agreement signed by the principal only")


def _a2_not_signed(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    agreement = rec["agreement"]
    agreement.update(
        status="待签订", signatures={"party_a": [], "party_b": []}, seals={"party_a": False, "party_b": False}
    )
    return PlantedProblem.of(check_a2, school["id"], agreement["id"], "agreement not signed")


def _a3_bus_clause_missing(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    agreement = rec["agreement"]
    agreement["items"].remove("C08")
    return PlantedProblem.of(check_a3, school["id"], agreement["id"], "school bus but no school-bus clause C08")


def _a4_cascade_incomplete(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    agreement = rec["agreement"]
    agreement["cascade"]["staff_signed"] = agreement["cascade"]["staff_total"] - 3
    text = "internal post agreements not signed by every staff member"
    return PlantedProblem.of(check_a4, school["id"], agreement["id"], text)


def _l1_no_liaison(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    rec["liaison"] = None
    return PlantedProblem.of(check_l1, school["id"], school["id"], "no liaison section")


def _l2_liaison_outside_section(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    liaison = rec["liaison"]
    other = next(s for s in rec["bureau"]["sections"] if s["id"] not in ("SEC02", liaison["section_id"]))
    liaison["liaison_person_id"] = other["staff_person_ids"][0]
    text = "liaison person is not a member of the liaison section"
    return PlantedProblem.of(check_l2, school["id"], liaison["liaison_person_id"], text)


def _v1_home_visits_incomplete(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    visit = rec["home_visit"]
    visit["key_students_visited"] = visit["key_students_planned"] - 4
    return PlantedProblem.of(check_v1, school["id"], school["id"], "home visits to key students incomplete")


def _d1_day_without_leader(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    day = rec["roster"][1]
    day["leader_on_duty_person_id"] = None
    return PlantedProblem.of(check_d1, school["id"], day["date"], "holiday duty roster day without a leader on duty")


def _h1_no_responsible(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    h = make_hazard(
        ctx,
        school,
        _grid_id(ctx, school, "配电房及设备区"),
        risk_area="R09",
        level="一般",
        source="股室督查",
        found=dt.date(2025, 1, 16),
        description="配电房总配电柜线路老化，一处漏电保护器失效",
        measures="更换老化线路和漏电保护器",
        deadline=dt.date(2025, 2, 20),
        responsible=None,
        records=[(dt.date(2025, 1, 17), "已报总务处采购，整改责任人未明确", school["key_staff"]["S07"][0])],
    )
    return PlantedProblem.of(check_h1, school["id"], h["id"], "hazard without a responsible person")


def _h2_overdue(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    key = school["key_staff"]
    h = make_hazard(
        ctx,
        school,
        _grid_id(ctx, school, "校门及周界"),
        risk_area="R04",
        level="一般",
        source="学校自查",
        found=dt.date(2024, 12, 9),
        description="东侧围墙局部倾斜，墙体出现裂缝",
        measures="拆除重砌倾斜墙段",
        deadline=dt.date(2025, 1, 10),
        responsible=key["S05"][0],
        funds=18000,
        records=[(dt.date(2024, 12, 10), "设置警示标志，禁止靠近", key["S16"][0])],
    )
    return PlantedProblem.of(check_h2, school["id"], h["id"], "hazard past its deadline and not closed")


def _h3_closed_by_own_responsible(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    head = school["key_staff"]["S05"][0]
    h = make_hazard(
        ctx,
        school,
        _grid_id(ctx, school, "操场及体育设施"),
        risk_area="R12",
        level="一般",
        source="学校自查",
        found=dt.date(2024, 11, 22),
        description="操场改造工地与教学楼通道之间仅用警示带隔离",
        measures="设置2.5米硬质围挡，错时施工",
        deadline=dt.date(2024, 11, 26),
        responsible=head,
        records=[(dt.date(2024, 11, 25), "围挡完成", head)],
        verifier=head,
        closed=dt.date(2024, 11, 25),
    )
    return PlantedProblem.of(check_h3, school["id"], h["id"], "hazard closed by its own responsible person")


def _h4_major_unsupervised(ctx: DemoContext, school: dict[str, Any], rec: dict[str, Any]) -> PlantedProblem:
    head = school["key_staff"]["S05"][0]
    h = make_hazard(
        ctx,
        school,
        _grid_id(ctx, school, "女生公寓"),
        risk_area="R04",
        level="重大",
        source="局督查组",
        found=dt.date(2025, 1, 8),
        description="女生公寓后侧挡土墙鼓胀变形，存在垮塌风险",
        measures="委托设计单位出具加固方案并实施",
        deadline=dt.date(2025, 3, 15),
        responsible=head,
        funds=260000,
        records=[(dt.date(2025, 1, 9), "已联系设计单位现场勘察", head)],
    )
    text = "major hazard neither supervised nor under interim measures"
    return PlantedProblem.of(check_h4, school["id"], h["id"], text)


# position within the block -> hooks run when the school's records are made
RECORD_HOOKS: dict[int, tuple[Hook, ...]] = {
    7: (_h3_closed_by_own_responsible,),
    12: (_a4_cascade_incomplete,),
    14: (_v1_home_visits_incomplete,),
    16: (_h2_overdue,),
    17: (_h4_major_unsupervised,),
    21: (_a3_bus_clause_missing,),
    23: (_a1_party_secretary_missing,),
    24: (_h1_no_responsible,),
    26: (_d1_day_without_leader,),
    30: (_l2_liaison_outside_section,),
    46: (_l1_no_liaison,),
    52: (_a2_not_signed,),
}


def plant_records(ctx: DemoContext, position: int, school: dict[str, Any], rec: dict[str, Any]) -> None:
    """Spoil this school's records when its position carries a record-level problem.

    ``rec`` holds the school's ``agreement``, ``liaison`` (None removes it), ``home_visit``,
    ``roster`` (list) and the ``bureau`` entry; hazards are appended to the context.
    """
    for hook in RECORD_HOOKS.get(position, ()):
        ctx.planted.append(hook(ctx, school, rec))


def problem_positions() -> set[int]:
    """Positions (1-based, in the first block) of schools that carry a planted problem."""
    return set(SCHOOL_HOOKS) | set(RECORD_HOOKS)
