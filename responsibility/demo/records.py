"""The demo county's safety records: last season's paper agreements, hazards (一患一案一档),
duty rosters (带班值班) and winter home-visit counts.

All records generated here are clean: agreements signed by both first responsible persons with
both seals and a complete cascade, hazards with a responsible person and a different verifier,
closed or within their deadline, major hazards supervised with interim measures, rosters with a
leader every day, home visits complete. The problems come from :mod:`.problems`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .catalog import clause_codes_for
from .context import BUREAU_ID, PERIOD, DemoContext

__all__ = [
    "SCHOOL_ROSTER_POSITIONS",
    "agreement_for",
    "bureau_roster",
    "clean_hazards",
    "home_visit_for",
    "make_hazard",
    "school_roster",
]

TEMPLATE_VERSION = "2024DC-v1"
HOME_VISIT_PERIOD = "2025年寒假"
_BUREAU_ROSTER = (dt.date(2025, 1, 18), 30)  # first day, days: the Spring Festival holiday and around it
_SCHOOL_ROSTER = (dt.date(2025, 1, 27), 8)
SCHOOL_ROSTER_POSITIONS = (1, 3, 20, 25, 26, 29)
"""Positions (1-based, within each block of 60) of the schools whose holiday roster is imported."""


def agreement_for(school: dict[str, Any], county: str, block_index: int, sign_day: int) -> dict[str, Any]:
    """Last season's paper agreement of ``school``: signed, sealed, cascade complete."""
    date = (dt.date(2024, 11, 15) + dt.timedelta(days=sign_day)).isoformat()
    lead = school["leadership"]
    party_b = [{"role": "校长（园长）", "person_id": lead["principal_person_id"], "date": date}]
    if lead["party_instructor_person_id"]:
        party_b.append(
            {"role": "党建指导员（代党组织负责人）", "person_id": lead["party_instructor_person_id"], "date": date}
        )
    else:
        party_b.append({"role": "党组织书记", "person_id": lead["party_secretary_person_id"], "date": date})
    return {
        "id": f"AGR-2024DC-{block_index:03d}",
        "title": f"{county}全县教体系统{PERIOD['name']}安全稳定暨消防安全目标责任书",
        "template_version": TEMPLATE_VERSION,
        "period": dict(PERIOD),
        "party_a": f"{county}教育体育和科技局",
        "party_b_school_id": school["id"],
        "items": clause_codes_for(school["features"]),
        "copies": 2,
        "status": "已签订",
        "signatures": {
            "party_a": [
                {"role": "党组书记", "person_id": "P00001", "date": date},
                {"role": "局长", "person_id": "P00001", "date": date, "note": "党组书记、局长由一人兼任，签一处"},
            ],
            "party_b": party_b,
        },
        "seals": {"party_a": True, "party_b": True},
        "cascade": {"staff_total": school["staff"], "staff_signed": school["staff"]},
    }


def home_visit_for(school: dict[str, Any], share: float) -> dict[str, Any]:
    planned = max(3, round(school["students"] * share))
    return {
        "school_id": school["id"],
        "period": HOME_VISIT_PERIOD,
        "key_students_planned": planned,
        "key_students_visited": planned,
        "categories": ["留守儿童", "困境儿童", "心理关注学生", "学业困难学生"],
        "content": ["寒假安全教育", "防溺水、防火、防一氧化碳中毒", "防范电信网络诈骗", "了解心理状况"],
    }


def bureau_roster(bureau: dict[str, Any]) -> list[dict[str, Any]]:
    leaders = [row["person_id"] for row in bureau["leaders"]]
    staff = [pid for s in bureau["sections"] for pid in (s["chief_person_id"], *s["staff_person_ids"])]
    first, days = _BUREAU_ROSTER
    rows = []
    for n in range(days):
        rows.append(
            {
                "org_id": BUREAU_ID,
                "date": (first + dt.timedelta(days=n)).isoformat(),
                "shift": "24h",
                "leader_on_duty_person_id": leaders[n % len(leaders)],
                "staff_on_duty_person_ids": [staff[(2 * n) % len(staff)], staff[(2 * n + 1) % len(staff)]],
            }
        )
    return rows


def school_roster(school: dict[str, Any]) -> list[dict[str, Any]]:
    lead, key = school["leadership"], school["key_staff"]
    leaders = [lead["principal_person_id"], lead["safety_vp_person_id"], *key.get("S05", []), *key.get("S06", [])]
    guard = key["S16"][0]
    first, days = _SCHOOL_ROSTER
    rows = []
    for n in range(days):
        row: dict[str, Any] = {
            "org_id": school["id"],
            "date": (first + dt.timedelta(days=n)).isoformat(),
            "shift": "24h",
            "leader_on_duty_person_id": leaders[n % len(leaders)],
            "staff_on_duty_person_ids": [key["S07"][0]] if key.get("S07") else [],
            "key_posts": {"门卫": guard},
        }
        if key.get("S15"):
            row["key_posts"]["宿管"] = key["S15"][n % len(key["S15"])]
        rows.append(row)
    return rows


def make_hazard(
    ctx: DemoContext,
    school: dict[str, Any],
    grid_id: str,
    *,
    risk_area: str,
    level: str,
    source: str,
    found: dt.date,
    description: str,
    measures: str,
    deadline: dt.date,
    responsible: str | None,
    records: list[tuple[dt.date, str, str]],
    verifier: str | None = None,
    closed: dt.date | None = None,
    temporary: str | None = None,
    funds: int = 0,
    listed: bool = False,
) -> dict[str, Any]:
    """Append one hazard file (一患一案一档) in the import format and return it."""
    hazard = {
        "id": ctx.next_hazard_id(),
        "file_no": f"一患一档-{school['id']}-{found:%Y%m%d}",
        "school_id": school["id"],
        "grid_id": grid_id,
        "risk_area": risk_area,
        "level": level,
        "source": source,
        "found_date": found.isoformat(),
        "description": description,
        "plan": {
            "measures": measures,
            "temporary_measures": temporary,
            "funds_yuan": funds,
            "deadline": deadline.isoformat(),
        },
        "responsible_person_id": responsible,
        "status": "已销号" if closed else "整改中",
        "records": [{"date": d.isoformat(), "action": a, "by": by} for d, a, by in records],
        "verified_by_person_id": verifier,
        "closed_date": closed.isoformat() if closed else None,
        "listed_for_supervision": listed,
    }
    ctx.hazards.append(hazard)
    return hazard


def _grid(grids: list[dict[str, Any]], name: str) -> str:
    return next(g["id"] for g in grids if g["name"] == name)


def _d(month: int, day: int) -> dt.date:
    return dt.date(2025 if month < 6 else 2024, month, day)


_Staff = dict[str, list[str]]
"""A school's key staff: post code (S05, S13, …) -> person ids."""


def clean_hazards(ctx: DemoContext, position: int, school: dict[str, Any], grids: list[dict[str, Any]]) -> None:
    """The well-handled hazards of the school at ``position`` in its block (most schools: none)."""
    make = _CLEAN_HAZARDS.get(position)
    if make is not None:
        make(ctx, school, grids, school["key_staff"], school["leadership"]["safety_vp_person_id"])


def _dormitory_light_and_canteen_gas(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """Two closed hazards: a dead emergency light and an old canteen gas hose."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "男生公寓3层"),
        risk_area="R03",
        level="一般",
        source="学校自查",
        found=_d(11, 21),
        description="男生公寓3层走廊一处应急照明灯不亮",
        measures="更换应急照明灯并试验",
        deadline=_d(11, 26),
        responsible=key["S05"][0],
        funds=300,
        records=[(_d(11, 23), "更换完成并试验正常", key["S17"][0])],
        verifier=vp,
        closed=_d(11, 24),
    )
    make_hazard(
        ctx,
        school,
        _grid(grids, "学生食堂"),
        risk_area="R10",
        level="一般",
        source="市场监管所检查",
        found=_d(11, 27),
        description="食堂燃气管道软管老化，未装紧急切断阀",
        measures="更换金属软管，加装紧急切断阀",
        deadline=_d(12, 12),
        responsible=key["S05"][0],
        funds=7600,
        records=[(_d(12, 6), "改造完成", key["S13"][0])],
        verifier=vp,
        closed=_d(12, 7),
    )


def _workshop_markings(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """A closed hazard: faded warning lines in the CNC workshop."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "实训楼"),
        risk_area="R07",
        level="一般",
        source="安全稳定股督查",
        found=_d(12, 4),
        description="数控实训车间安全警戒线褪色，操作规程未张贴",
        measures="重新施划警戒线，规程上墙并培训",
        deadline=_d(12, 14),
        responsible=key["S20"][0],
        records=[(_d(12, 11), "整改完成", key["S20"][0])],
        verifier=vp,
        closed=_d(12, 12),
    )


def _canteen_sample_log(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """An open hazard within its deadline: gaps in the sample fridge's temperature log."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "学生食堂"),
        risk_area="R13",
        level="一般",
        source="学校自查",
        found=_d(1, 20),
        description="食堂留样冰箱温度记录缺失3天",
        measures="更换带记录功能的温度计，落实专人登记",
        deadline=_d(2, 20),
        responsible=key["S13"][0],
        records=[(_d(1, 22), "已购置温度记录仪，待安装", key["S13"][0])],
    )


def _cracked_dormitory(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """A major hazard, listed for supervision, with interim measures: a C-rated dormitory."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "男生公寓"),
        risk_area="R04",
        level="重大",
        source="局督查组",
        found=_d(11, 29),
        description="男生公寓（1996年建）经鉴定为C级，山墙出现贯通裂缝",
        measures="停用男生公寓4—5层，学生调整至其余楼层；申报维修加固项目",
        funds=420000,
        temporary="每日专人观测裂缝监测点，雨雪天气加密观测并设置硬质围挡",
        deadline=_d(3, 31),
        responsible=key["S05"][0],
        listed=True,
        records=[
            (_d(11, 30), "停用4—5层并设置围挡", key["S15"][0]),
            (_d(12, 18), "加固方案通过专家论证，计划财务股已立项", key["S05"][0]),
        ],
    )


def _bus_extinguisher(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """A closed hazard: a school bus extinguisher low on pressure."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "校车1号车"),
        risk_area="R05",
        level="一般",
        source="县交警大队检查",
        found=_d(1, 7),
        description="校车车载灭火器压力不足",
        measures="更换灭火器",
        deadline=_d(1, 9),
        responsible=key["S18"][0],
        records=[(_d(1, 8), "已更换", key["S18"][0])],
        verifier=vp,
        closed=_d(1, 8),
    )


def _blocked_exit(ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str) -> None:
    """A hazard closed on the day: desks piled at a fire exit."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "一号教学楼2层"),
        risk_area="R03",
        level="一般",
        source="消防救援大队检查",
        found=_d(12, 17),
        description="一号教学楼2层安全出口处堆放桌椅",
        measures="立即清理，纳入每日巡查",
        deadline=_d(12, 17),
        responsible=key["S07"][0],
        records=[(_d(12, 17), "当场清理完毕", key["S07"][0])],
        verifier=vp,
        closed=_d(12, 17),
    )


def _gauge_calibration(
    ctx: DemoContext, school: dict[str, Any], grids: list[dict[str, Any]], key: _Staff, vp: str
) -> None:
    """A closed hazard: a pressure gauge whose calibration was running out."""
    make_hazard(
        ctx,
        school,
        _grid(grids, "配电房及设备区"),
        risk_area="R15",
        level="一般",
        source="学校自查",
        found=_d(12, 10),
        description="锅炉房压力表检定标签将于月底到期",
        measures="联系计量机构送检",
        deadline=_d(12, 30),
        responsible=key["S21"][0],
        records=[(_d(12, 24), "送检合格", key["S21"][0])],
        verifier=vp,
        closed=_d(12, 25),
    )


# position within the block (1-based) -> the well-handled hazards of that school
_CLEAN_HAZARDS: dict[int, Callable[[DemoContext, dict[str, Any], list[dict[str, Any]], _Staff, str], None]] = {
    1: _dormitory_light_and_canteen_gas,
    3: _workshop_markings,
    5: _canteen_sample_log,
    8: _cracked_dormitory,
    11: _bus_extinguisher,
    20: _blocked_exit,
    31: _gauge_calibration,
}
