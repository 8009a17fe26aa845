"""The demo bureau: its leaders with their accountability roles, its sections, and which
section, liaison person and bureau leader answer for each school (股室联校包抓).

The bureau is generated first, so its 26 persons are always ``P00001``–``P00026``: the chief
(党组书记、局长, one person holding both posts) is ``P00001`` and the deputy in charge of safety
is ``P00002`` at every seed and scale.
"""

from __future__ import annotations

from typing import Any

from .context import BUREAU_ID, PERIOD, DemoContext
from .plan import TOWNS_PER_BLOCK, SchoolSpec

__all__ = ["SECTIONS", "build_bureau", "liaison_for"]

# (id, name, business)
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("SEC01", "办公室", "公文运转、会务、督查督办、信息宣传"),
    ("SEC02", "安全稳定股", "学校安全管理、综治维稳、校车和消防安全监管"),
    ("SEC03", "基础教育股", "义务教育和普通高中教学管理"),
    ("SEC04", "计划财务股", "经费预算、资产管理、基建项目"),
    ("SEC05", "人事股", "教职工人事、职称评审、教师培训"),
    ("SEC06", "体育卫生与艺术教育股", "学校体育、卫生健康、食品安全和营养改善计划"),
    ("SEC07", "学前与职成教股", "学前教育、民办教育、职业与成人教育、科技"),
)
_SECTION_DUTY = "联校包抓：督促包抓学校落实责任书、网格管理和隐患整改，寒假前后开展专项检查"
# section answering for the schools of each town offset (county seat schools go by type)
_TOWN_SECTION = ("SEC03", "SEC01", "SEC04", "SEC05", "SEC04", "SEC01", "SEC06", "SEC06", "SEC03", "SEC05")


def build_bureau(ctx: DemoContext, county: str, town_names: list[str]) -> dict[str, Any]:
    """Create the bureau's persons and post assignments; return the ``bureau`` entry."""
    rng = ctx.rng_for("bureau")
    first = town_names[1:5]
    second = town_names[5:10]
    leader_rows = (
        ("B01", "主要领导负总责", f"全局工作；包联{county}第一高级中学", 0.2),
        ("B02", "分管领导具体抓", "分管安全稳定、后勤基建；包联局直学校和民办中小学", 0.2),
        (
            "B03",
            "班子成员一岗双责",
            "分管基础教育、学前教育；包片：" + "、".join(n.removesuffix("镇") for n in first),
            0.5,
        ),
        (
            "B03",
            "班子成员一岗双责",
            "分管职成教育、人事、科技；包片：" + "、".join(n.removesuffix("镇") for n in second),
            0.3,
        ),
        ("B04", "督导考核", "组织安全督导和责任书考核", 0.5),
    )
    titles = {
        "B01": "党组书记、局长",
        "B02": "党组成员、副局长（分管安全稳定）",
        "B03": "党组成员、副局长",
        "B04": "县政府教育督导室主任",
    }
    leaders = []
    for code, role, scope, female in leader_rows:
        person = ctx.new_person(rng, BUREAU_ID, female_share=female)
        ctx.assign(BUREAU_ID, code, person)
        leaders.append(
            {
                "person_id": person["id"],
                "name": person["name"],
                "post_code": code,
                "post": titles[code],
                "accountability_role": role,
                "scope": scope,
            }
        )
    sections = []
    for sec_id, name, business in SECTIONS:
        chief = ctx.new_person(rng, sec_id, female_share=0.4)
        ctx.assign(sec_id, "B05", chief)
        staff = []
        for _ in range(2):
            member = ctx.new_person(rng, sec_id, female_share=0.55)
            ctx.assign(sec_id, "B06", member)
            staff.append(member["id"])
        sections.append(
            {
                "id": sec_id,
                "name": name,
                "business": business,
                "chief_person_id": chief["id"],
                "staff_person_ids": staff,
                "safety_duty": _SECTION_DUTY,
            }
        )
    return {
        "id": BUREAU_ID,
        "name": f"{county}教育体育和科技局",
        "party_org": f"中共{county}教育体育和科技局党组",
        "leaders": leaders,
        "sections": sections,
    }


def liaison_for(ctx: DemoContext, spec: SchoolSpec, bureau: dict[str, Any]) -> dict[str, Any]:
    """The school's liaison assignment: a section by school type or town, one of its members
    (chief or staff), and the bureau leader whose area covers the school."""
    offset = spec.town % TOWNS_PER_BLOCK
    if spec.type in ("局直学校", "民办学校") and not spec.kindergarten:
        section = "SEC02"
    elif spec.type == "教育集团":
        section = "SEC07" if spec.kindergarten else "SEC03"
    elif spec.kindergarten and offset == 0:
        section = "SEC07"
    else:
        section = _TOWN_SECTION[offset]
    entry = next(s for s in bureau["sections"] if s["id"] == section)
    members = [entry["chief_person_id"], *entry["staff_person_ids"]]
    liaison = entry["staff_person_ids"][0] if spec.index == 1 else ctx.rng_for("liaison", spec.index).choice(members)
    leaders = [row["person_id"] for row in bureau["leaders"]]
    if spec.index == 1:
        leader = leaders[0]
    elif section == "SEC02":
        leader = leaders[1]
    else:
        leader = leaders[2] if offset < 5 else leaders[3]
    return {
        "school_id": spec.id,
        "section_id": section,
        "liaison_person_id": liaison,
        "bureau_leader_person_id": leader,
        "period": PERIOD["name"],
    }
