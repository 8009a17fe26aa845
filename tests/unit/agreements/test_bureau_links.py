"""The composition of the bureau's internal agreements (no app, no database)."""

from __future__ import annotations

from responsibility.agreements.bureau_links import (
    BureauLink,
    LeaderFact,
    LiaisonFact,
    UnitRef,
    compose_bureau_links,
)
from responsibility.pdf.content import PersonRef

CHIEF = PersonRef("P1", "局长甲")
DEPUTY = PersonRef("P2", "副局长乙")
AREA = PersonRef("P3", "副局长丙")
INSPECTOR = PersonRef("P5", "督导室主任")
SEC_A_CHIEF, SEC_A_STAFF = PersonRef("P10", "股长一"), PersonRef("P11", "干部一")
SEC_B_CHIEF, SEC_B_STAFF = PersonRef("P20", "股长二"), PersonRef("P21", "干部二")
SEC_A, SEC_B = UnitRef("SEC-A", "安全稳定股"), UnitRef("SEC-B", "基础教育股")

LEADERS = [
    LeaderFact(CHIEF, "overall_responsibility", "党组书记、局长", "全局"),
    LeaderFact(DEPUTY, "deputy_in_charge", "副局长", "分管安全稳定"),
    LeaderFact(AREA, "leader_area", "副局长", "包片：东片"),
    LeaderFact(INSPECTOR, "supervision", "督导室主任", "组织督导"),
]


def _school(n: int, section: UnitRef, chief: PersonRef, liaison: PersonRef | None, leader: PersonRef | None):
    return LiaisonFact(UnitRef(f"SCH{n:03d}", f"学校{n}"), section, chief, liaison, leader)


LIAISONS = [
    _school(1, SEC_A, SEC_A_CHIEF, SEC_A_STAFF, CHIEF),  # the chief oversees this school himself
    _school(2, SEC_A, SEC_A_CHIEF, SEC_A_CHIEF, DEPUTY),  # the section chief is the liaison
    _school(3, SEC_A, SEC_A_CHIEF, SEC_A_STAFF, DEPUTY),
    _school(4, SEC_B, SEC_B_CHIEF, SEC_B_STAFF, AREA),
    _school(5, SEC_B, SEC_B_CHIEF, SEC_B_STAFF, AREA),
    _school(6, SEC_B, SEC_B_CHIEF, None, DEPUTY),  # no liaison person named
]


def _links() -> dict[tuple[str, str, str], BureauLink]:
    return {
        (lk.tier, lk.superior.source_id, lk.holder.source_id): lk
        for lk in compose_bureau_links(CHIEF, LEADERS, LIAISONS)
    }


def _schools(link: BureauLink) -> list[str]:
    return [f.school.source_id for f in link.schools]


def test_the_chief_signs_with_every_other_leader() -> None:
    leader_tier = [lk for lk in compose_bureau_links(CHIEF, LEADERS, LIAISONS) if lk.tier == "leader"]
    assert [(lk.superior, lk.holder) for lk in leader_tier] == [(CHIEF, DEPUTY), (CHIEF, AREA), (CHIEF, INSPECTOR)]
    links = _links()
    deputy = links[("leader", "P1", "P2")]
    assert _schools(deputy) == ["SCH002", "SCH003", "SCH006"]
    assert deputy.bindings[0] == ("deputy_in_charge", None)
    assert ("bureau_leader", "SCH003") in deputy.bindings
    assert links[("leader", "P1", "P3")].bindings == (("bureau_leader", "SCH004"), ("bureau_leader", "SCH005"))
    assert links[("leader", "P1", "P5")].schools == () and links[("leader", "P1", "P5")].bindings == ()


def test_each_leader_signs_with_the_chiefs_of_the_sections_they_oversee() -> None:
    links = _links()
    assert _schools(links[("section", "P1", "P10")]) == ["SCH001"]  # the chief as the school's leader
    deputy_a = links[("section", "P2", "P10")]
    assert _schools(deputy_a) == ["SCH002", "SCH003"]
    # The section chief who is school 2's liaison answers for it through this agreement.
    assert ("liaison", "SCH002") in deputy_a.bindings and ("liaison", "SCH003") not in deputy_a.bindings
    assert _schools(links[("section", "P2", "P20")]) == ["SCH006"]
    assert _schools(links[("section", "P3", "P20")]) == ["SCH004", "SCH005"]
    assert links[("section", "P3", "P20")].sections == (SEC_B,)


def test_each_section_chief_signs_with_their_liaison_staff() -> None:
    links = _links()
    staff_a = links[("liaison", "P10", "P11")]
    assert _schools(staff_a) == ["SCH001", "SCH003"]
    assert staff_a.bindings == (("liaison", "SCH001"), ("liaison", "SCH003"))
    assert _schools(links[("liaison", "P20", "P21")]) == ["SCH004", "SCH005"]
    liaison_tier = [key for key in links if key[0] == "liaison"]
    assert sorted(liaison_tier) == [("liaison", "P10", "P11"), ("liaison", "P20", "P21")]


def test_nobody_signs_with_themselves_and_every_school_link_is_bound_once() -> None:
    links = compose_bureau_links(CHIEF, LEADERS, LIAISONS)
    assert all(lk.superior.source_id != lk.holder.source_id for lk in links)
    for role in ("section_chief", "liaison"):
        bound = [sid for lk in links for r, sid in lk.bindings if r == role]
        assert len(bound) == len(set(bound))
    section_bound = {sid for lk in links for r, sid in lk.bindings if r == "section_chief"}
    assert section_bound == {f.school.source_id for f in LIAISONS}
    liaison_bound = {sid for lk in links for r, sid in lk.bindings if r == "liaison"}
    assert liaison_bound == {"SCH001", "SCH002", "SCH003", "SCH004", "SCH005"}  # SCH006 names no liaison


def test_the_composition_follows_the_data_not_names() -> None:
    renamed = [LeaderFact(PersonRef("X9", "新局长"), "overall_responsibility", "局长", "全局"), *LEADERS[1:]]
    new_chief = PersonRef("X9", "新局长")
    links = compose_bureau_links(new_chief, renamed, LIAISONS)
    assert {lk.superior for lk in links if lk.tier == "leader"} == {new_chief}
    assert ("leader", "P1", "P2") not in {(lk.tier, lk.superior.source_id, lk.holder.source_id) for lk in links}
    assert compose_bureau_links(CHIEF, [], []) == []
    again = compose_bureau_links(CHIEF, LEADERS, list(reversed(LIAISONS)))
    assert again == compose_bureau_links(CHIEF, LEADERS, LIAISONS)
