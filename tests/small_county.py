"""A small hand-made county for access, query and page tests (importable as ``small_county``;
``tests/`` is on ``sys.path`` through the root conftest).

Layout on ``DAY`` (2025-01-15)::

    T01 城关镇: SCH-A 城关第一小学 (liaison SEC-1, person P-LIA), SCH-B 城关幼儿园 (liaison SEC-2)
    T02 青石镇: SCH-C 青石中学 (liaison SEC-1 ended 2024-12-31, now SEC-2)
    bureau: P-CHIEF (B01)
    SEC-1 安全稳定股: chief P-SCHIEF (B05), staff P-LIA (B06), P-LISTED (only in the staff list)
    SEC-2 基础教育股: chief P-S2CHIEF (B05)
    SCH-A: P-PRIN (S01), P-SEC (S02), P-SAFE (S03), P-TEACH (member, no post), P-OLD (S01 until 2024-09-01)
    SCH-B: P-BPRIN (S01); grid G-B1 owned by P-GRID (person of SCH-A!) from 2025-01-01
    SCH-A grids: G-A1 (school, owner P-PRIN) → G-A2 (building, owner P-SAFE, members P-TEACH)
                 → G-A3 (floor, owner P-TEACH; was P-OLD until 2024-09-01)
    users: every person above by source id, plus ``admin`` and ``auditor`` accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from responsibility.models import (
    KIND_ADMIN,
    KIND_AUDITOR,
    KIND_PERSON,
    Building,
    Bureau,
    County,
    FirePlan,
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Person,
    PostAssignment,
    PostType,
    School,
    Section,
    Town,
    User,
)

DAY = dt.date(2025, 1, 15)
START = dt.date(2024, 11, 15)


NAMES = {
    "P-CHIEF": "龚伟",
    "P-SCHIEF": "周敏",
    "P-LIA": "李娜",
    "P-LISTED": "陈刚",
    "P-S2CHIEF": "赵磊",
    "P-PRIN": "王芳",
    "P-SEC": "刘洋",
    "P-SAFE": "孙丽",
    "P-TEACH": "吴强",
    "P-OLD": "郑军",
    "P-GRID": "冯涛",
    "P-BPRIN": "何静",
}


@dataclass
class SmallCounty:
    schools: dict[str, School]
    persons: dict[str, Person]
    users: dict[str, User]
    sections: dict[str, Section]
    grids: dict[str, Grid]


POST_TYPES = [
    ("B01", "党组书记、局长", "bureau"),
    ("B05", "股室负责人", "bureau"),
    ("B06", "股室干部（包抓责任人）", "bureau"),
    ("S01", "校长（园长）", "school"),
    ("S02", "党组织书记", "school"),
    ("S03", "分管安全副校长（副园长）", "school"),
    ("S09", "班主任", "school"),
    ("S24", "党建指导员（民办学校/幼儿园）", "school"),
]


def build_small_county(session: Session) -> SmallCounty:
    """Add the small county to ``session`` and flush (the caller commits if it wants to)."""
    session.add(County(name="岚川县", bureau_source_id="ORG-BUREAU", meta={}))
    types = {}
    for code, name, level in POST_TYPES:
        types[code] = PostType(
            code=code,
            name=name,
            level=level,
            business_duty=f"{name}业务",
            safety_duties=[f"{name}安全职责一", f"{name}安全职责二"],
        )
        session.add(types[code])
    t1 = Town(source_id="T01", name="城关镇", villages=[])
    t2 = Town(source_id="T02", name="青石镇", villages=[])
    bureau = Bureau(source_id="ORG-BUREAU", name="岚川县教育体育和科技局")
    session.add_all([t1, t2, bureau])
    session.flush()
    sec1 = Section(source_id="SEC-1", name="安全稳定股", parent_id=bureau.id)
    sec2 = Section(source_id="SEC-2", name="基础教育股", parent_id=bureau.id)
    schools = {
        "SCH-A": School(
            source_id="SCH-A",
            name="岚川县城关第一小学",
            town=t1,
            school_type="镇中心小学",
            ownership="公办",
            stage="小学",
            students=900,
            classes=18,
            staff_count=50,
            features=["canteen", "boarding"],
            party_org_type="independent",
        ),
        "SCH-B": School(source_id="SCH-B", name="岚川县城关幼儿园", town=t1, school_type="幼儿园", features=[]),
        "SCH-C": School(source_id="SCH-C", name="岚川县青石中学", town=t2, school_type="单设初中", features=["lab"]),
    }
    session.add_all([sec1, sec2, *schools.values()])
    session.flush()

    org_of = {
        "P-CHIEF": bureau,
        "P-SCHIEF": sec1,
        "P-LIA": sec1,
        "P-LISTED": sec1,
        "P-S2CHIEF": sec2,
        "P-PRIN": schools["SCH-A"],
        "P-SEC": schools["SCH-A"],
        "P-SAFE": schools["SCH-A"],
        "P-TEACH": schools["SCH-A"],
        "P-OLD": schools["SCH-A"],
        "P-GRID": schools["SCH-A"],
        "P-BPRIN": schools["SCH-B"],
    }
    persons = {sid: Person(source_id=sid, name=NAMES[sid], org_id=org.id) for sid, org in org_of.items()}
    session.add_all(persons.values())
    session.flush()
    sec1.chief_person_id = persons["P-SCHIEF"].id
    sec2.chief_person_id = persons["P-S2CHIEF"].id
    sec1.staff = [persons["P-LIA"], persons["P-LISTED"]]

    def post(pa_id, org, code, person, valid_from=START, valid_to=None):  # type: ignore[no-untyped-def]
        pt = types[code]
        session.add(
            PostAssignment(
                source_id=pa_id,
                org_id=org.id,
                post_code=code,
                post_type_id=pt.id,
                person_id=persons[person].id,
                valid_from=valid_from,
                valid_to=valid_to,
                business_duty=pt.business_duty,
                safety_duties=list(pt.safety_duties),
            )
        )

    post("PA1", bureau, "B01", "P-CHIEF")
    post("PA2", sec1, "B05", "P-SCHIEF")
    post("PA3", sec1, "B06", "P-LIA")
    post("PA4", sec2, "B05", "P-S2CHIEF")
    post("PA5", schools["SCH-A"], "S01", "P-PRIN")
    post("PA6", schools["SCH-A"], "S02", "P-SEC")
    post("PA7", schools["SCH-A"], "S03", "P-SAFE")
    post("PA8", schools["SCH-A"], "S01", "P-OLD", dt.date(2020, 9, 1), dt.date(2024, 9, 1))
    post("PA9", schools["SCH-B"], "S01", "P-BPRIN")

    session.add_all(
        [
            LiaisonAssignment(
                school_id=schools["SCH-A"].id,
                section_id=sec1.id,
                liaison_person_id=persons["P-LIA"].id,
                bureau_leader_person_id=persons["P-CHIEF"].id,
                valid_from=START,
            ),
            LiaisonAssignment(school_id=schools["SCH-B"].id, section_id=sec2.id, valid_from=START),
            LiaisonAssignment(
                school_id=schools["SCH-C"].id, section_id=sec1.id, valid_from=START, valid_to=dt.date(2025, 1, 1)
            ),
            LiaisonAssignment(school_id=schools["SCH-C"].id, section_id=sec2.id, valid_from=dt.date(2025, 1, 1)),
        ]
    )

    a = schools["SCH-A"]
    g1 = Grid(source_id="G-A1", school_id=a.id, level=1, name="城关第一小学", scope_type="学校")
    session.add(g1)
    session.flush()
    g2 = Grid(source_id="G-A2", school_id=a.id, level=2, name="一号教学楼", scope_type="楼栋", parent_id=g1.id)
    session.add(g2)
    session.flush()
    g3 = Grid(source_id="G-A3", school_id=a.id, level=3, name="一号教学楼1层", scope_type="楼层", parent_id=g2.id)
    gb = Grid(source_id="G-B1", school_id=schools["SCH-B"].id, level=1, name="城关幼儿园", scope_type="学校")
    session.add_all([g3, gb])
    session.flush()
    g2.members = [persons["P-TEACH"]]
    session.add_all(
        [
            GridOwnership(grid_id=g1.id, person_id=persons["P-PRIN"].id, valid_from=START),
            GridOwnership(grid_id=g2.id, person_id=persons["P-SAFE"].id, valid_from=START),
            GridOwnership(
                grid_id=g3.id,
                person_id=persons["P-OLD"].id,
                valid_from=dt.date(2020, 9, 1),
                valid_to=dt.date(2024, 9, 1),
            ),
            GridOwnership(grid_id=g3.id, person_id=persons["P-TEACH"].id, valid_from=dt.date(2024, 9, 1)),
            GridOwnership(grid_id=gb.id, person_id=persons["P-GRID"].id, valid_from=dt.date(2025, 1, 1)),
        ]
    )
    building = Building(
        source_id="BLD-A1", school_id=a.id, name="一号教学楼", building_type="教学楼", floors=4, grid_id=g2.id
    )
    building.fire_plan = FirePlan(
        plan_no="一楼一案-SCH-A-一号教学楼",
        extinguishers=32,
        hydrants=8,
        emergency_lighting_ok=True,
        evac_signs_ok=False,
        last_monthly_check=dt.date(2025, 1, 10),
    )
    session.add(building)

    users = {
        sid: User(username=sid, display_name=p.name, kind=KIND_PERSON, person_id=p.id, must_change_password=False)
        for sid, p in persons.items()
    }
    users["admin"] = User(username="admin", display_name="管理员", kind=KIND_ADMIN, must_change_password=False)
    users["auditor"] = User(username="auditor", display_name="审计员", kind=KIND_AUDITOR, must_change_password=False)
    session.add_all(users.values())
    session.flush()
    return SmallCounty(
        schools=schools,
        persons=persons,
        users=users,
        sections={"SEC-1": sec1, "SEC-2": sec2},
        grids={"G-A1": g1, "G-A2": g2, "G-A3": g3, "G-B1": gb},
    )
