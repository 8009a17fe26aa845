"""A small hand-made county for chain tests, built directly with the models (no importer).

Bureau ``ORG-B`` (chief P-CHIEF, deputy in charge P-DEP, leader P-LEAD), section ``SEC-A`` (chief
P-SECCHIEF, staff P-LIA), public school ``SCH-A`` with a three-level grid tree
``G-1`` (school) > ``G-2`` (building ``BLD-A``) > ``G-3`` (floor), whose owners are the principal,
P-G2 and P-G3; the safety deputy P-SAFE, party secretary P-PARTY, canteen manager P-COOK.
Everything is valid from ``START`` with no end.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from responsibility.models import (
    Building,
    Bureau,
    BureauLeader,
    Grid,
    GridOwnership,
    LiaisonAssignment,
    Organization,
    Person,
    PostAssignment,
    PostType,
    School,
    Section,
    section_staff,
)

START = dt.date(2024, 11, 15)
DAY = dt.date(2025, 1, 15)

CATALOGUE = {
    "B01": "党组书记、局长",
    "B02": "党组成员、副局长（分管安全稳定）",
    "B03": "党组成员、副局长",
    "B05": "股室负责人",
    "B06": "股室干部（包抓责任人）",
    "S01": "校长（园长）",
    "S02": "党组织书记",
    "S03": "分管安全副校长（副园长）",
    "S13": "食堂管理员（食品安全员）",
    "S24": "党建指导员（民办学校/幼儿园）",
}


@dataclass
class County:
    """Handles to the hand-made county plus helpers to change it."""

    session: Session
    orgs: dict[str, Organization] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)
    counter: int = 0

    def person(self, sid: str, org: str, *, left_on: dt.date | None = None, left_reason: str | None = None) -> Person:
        person = Person(
            source_id=sid, name=f"姓名{sid}", org_id=self.orgs[org].id, left_on=left_on, left_reason=left_reason
        )
        self.session.add(person)
        self.session.flush()
        self.persons[sid] = person
        return person

    def post(
        self,
        person: str,
        org: str,
        code: str,
        *,
        valid_from: dt.date = START,
        valid_to: dt.date | None = None,
        source_id: str | None = None,
    ) -> PostAssignment:
        self.counter += 1
        pa = PostAssignment(
            source_id=source_id or f"PA{self.counter:05d}",
            org_id=self.orgs[org].id,
            post_code=code,
            person_id=self.persons[person].id,
            valid_from=valid_from,
            valid_to=valid_to,
            business_duty="业务",
            safety_duties=["安全"],
        )
        self.session.add(pa)
        self.session.flush()
        return pa

    def grid(
        self, sid: str, school: str, level: int, parent: str | None, owner: str | None, *, scope: str | None = None
    ) -> Grid:
        grid = Grid(
            source_id=sid,
            school_id=self.orgs[school].id,
            level=level,
            name=f"网格{sid}",
            scope_type=scope or ("学校" if level == 1 else "楼栋"),
            parent_id=self.grids[parent].id if parent else None,
        )
        self.session.add(grid)
        self.session.flush()
        self.grids[sid] = grid
        if owner:
            self.own(sid, owner)
        return grid

    def own(self, grid: str, person: str, *, valid_from: dt.date = START, valid_to: dt.date | None = None) -> None:
        self.session.add(
            GridOwnership(
                grid_id=self.grids[grid].id,
                person_id=self.persons[person].id,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
        self.session.flush()

    def school(self, sid: str, *, party_org_type: str = "independent", ownership: str = "公办") -> School:
        school = School(source_id=sid, name=f"学校{sid}", party_org_type=party_org_type, ownership=ownership)
        self.session.add(school)
        self.session.flush()
        self.orgs[sid] = school
        return school

    def liaison(
        self, school: str, section: str, liaison: str | None, leader: str | None, *, valid_from: dt.date = START
    ) -> LiaisonAssignment:
        la = LiaisonAssignment(
            school_id=self.orgs[school].id,
            section_id=self.orgs[section].id,
            liaison_person_id=self.persons[liaison].id if liaison else None,
            bureau_leader_person_id=self.persons[leader].id if leader else None,
            valid_from=valid_from,
        )
        self.session.add(la)
        self.session.flush()
        return la


def build_county(session: Session) -> County:
    c = County(session)
    for code, name in CATALOGUE.items():
        session.add(PostType(code=code, name=name, level="school" if code[0] == "S" else "bureau"))
    bureau = Bureau(source_id="ORG-B", name="岚川县教育体育和科技局")
    session.add(bureau)
    session.flush()
    c.orgs["ORG-B"] = bureau
    section = Section(source_id="SEC-A", name="安全稳定股", parent_id=bureau.id)
    session.add(section)
    session.flush()
    c.orgs["SEC-A"] = section
    c.orgs["ORG-INSTR"] = Section(source_id="ORG-INSTR", name="党建指导员", parent_id=bureau.id)
    session.add(c.orgs["ORG-INSTR"])
    session.flush()

    for sid, code in (("P-CHIEF", "B01"), ("P-DEP", "B02"), ("P-LEAD", "B03")):
        c.person(sid, "ORG-B")
        c.post(sid, "ORG-B", code)
        session.add(
            BureauLeader(
                person_id=c.persons[sid].id, post_code=code, post_title=CATALOGUE[code], accountability_role="x"
            )
        )
    c.person("P-SECCHIEF", "SEC-A")
    c.post("P-SECCHIEF", "SEC-A", "B05")
    section.chief_person_id = c.persons["P-SECCHIEF"].id
    c.person("P-LIA", "SEC-A")
    c.post("P-LIA", "SEC-A", "B06", source_id="PA-LIA")
    session.execute(section_staff.insert().values(section_id=section.id, person_id=c.persons["P-LIA"].id, position=0))

    c.school("SCH-A")
    for sid, code in (("P-PRIN", "S01"), ("P-PARTY", "S02"), ("P-SAFE", "S03"), ("P-COOK", "S13")):
        c.person(sid, "SCH-A")
        c.post(sid, "SCH-A", code, source_id=f"PA-{sid[2:]}")
    c.person("P-G2", "SCH-A")
    c.person("P-G3", "SCH-A")
    c.grid("G-1", "SCH-A", 1, None, "P-PRIN")
    c.grid("G-2", "SCH-A", 2, "G-1", "P-G2")
    c.grid("G-3", "SCH-A", 3, "G-2", "P-G3")
    session.add(Building(source_id="BLD-A", school_id=c.orgs["SCH-A"].id, name="一号教学楼", grid_id=c.grids["G-2"].id))
    c.liaison("SCH-A", "SEC-A", "P-LIA", "P-LEAD")
    session.flush()
    return c
