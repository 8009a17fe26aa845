"""chain_at over hand-made data: the order of the links, who holds each on the day, and gaps."""

from __future__ import annotations

import datetime as dt

import pytest
from chain_county import DAY, START

from responsibility.chain import ChainSubject, Gap, chain_at
from responsibility.errors import BadInput, NotFound
from responsibility.models import GridOwnership, PostAssignment

SCHOOL_UP = ["safety_deputy", "principal", "school_party_secretary", "liaison", "section_chief", "bureau_leader"]
BUREAU_UP = ["deputy_in_charge", "bureau_chief"]
SCHOOL_PEOPLE = ["P-SAFE", "P-PRIN", "P-PARTY", "P-LIA", "P-SECCHIEF", "P-LEAD", "P-DEP", "P-CHIEF"]


def roles(path):
    return [link.role for link in path.links]


def people(path):
    return [link.person_id for link in path.links]


def by_role(path, role):
    (link,) = [link for link in path.links if link.role == role]
    return link


def test_three_level_grid_chain(county):
    path = chain_at(county.session, ChainSubject.grid("G-3"), DAY)
    assert roles(path) == ["grid_owner"] * 3 + SCHOOL_UP + BUREAU_UP
    assert people(path) == ["P-G3", "P-G2", "P-PRIN", *SCHOOL_PEOPLE]
    grids = path.links[:3]
    assert [(g.grid_source_id, g.level, g.parent_grid_source_id) for g in grids] == [
        ("G-3", 3, "G-2"),
        ("G-2", 2, "G-1"),
        ("G-1", 1, None),
    ]
    assert path.complete and path.gaps == ()
    chief = path.links[-1]
    assert (chief.post_code, chief.post_name, chief.org_source_id) == ("B01", "党组书记、局长", "ORG-B")
    liaison = by_role(path, "liaison")
    assert (liaison.post_code, liaison.org_source_id) == ("B06", "SEC-A")
    assert by_role(path, "bureau_leader").post_code == "B03"
    assert path.as_dict()["links"][0]["person_id"] == "P-G3"
    assert path.as_dict()["at"] == DAY.isoformat()


def test_vacant_safety_deputy_is_a_gap(county):
    pa = county.session.query(PostAssignment).filter_by(source_id="PA-SAFE").one()
    pa.valid_to = dt.date(2025, 1, 1)
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("G-2"), DAY)
    deputy = by_role(path, "safety_deputy")
    assert deputy.gap == Gap.VACANT and deputy.person_id is None
    assert (deputy.post_code, deputy.post_name) == ("S03", "分管安全副校长（副园长）")
    assert not path.complete and path.gaps == (deputy,)
    # Before the assignment ended the same trace is complete.
    assert chain_at(county.session, ChainSubject.grid("G-2"), dt.date(2024, 12, 31)).complete


def test_one_person_holds_party_secretary_and_principal(county):
    school = county.school("SCH-C", party_org_type="combined")
    county.person("P-BOTH", "SCH-C")
    county.post("P-BOTH", "SCH-C", "S01")
    county.post("P-BOTH", "SCH-C", "S02")
    county.person("P-SAFE-C", "SCH-C")
    county.post("P-SAFE-C", "SCH-C", "S03")
    county.grid("G-C1", "SCH-C", 1, None, "P-BOTH")
    county.liaison("SCH-C", "SEC-A", "P-LIA", "P-DEP")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.school(school.source_id), DAY)
    principal, party = by_role(path, "principal"), by_role(path, "school_party_secretary")
    assert principal.person_id == party.person_id == "P-BOTH"
    assert (principal.post_code, party.post_code) == ("S01", "S02")
    assert path.complete


def test_private_school_with_party_instructor(county):
    county.school("SCH-P", party_org_type="instructor", ownership="民办")
    county.person("P-INSTR", "ORG-INSTR")
    for sid, code in (("P-PRIN-P", "S01"), ("P-SAFE-P", "S03")):
        county.person(sid, "SCH-P")
        county.post(sid, "SCH-P", code)
    county.post("P-INSTR", "SCH-P", "S24")
    county.grid("G-P1", "SCH-P", 1, None, "P-PRIN-P")
    county.liaison("SCH-P", "SEC-A", "P-LIA", "P-LEAD")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("G-P1"), DAY)
    assert roles(path) == ["grid_owner", "safety_deputy", "principal", "party_instructor", *SCHOOL_UP[3:], *BUREAU_UP]
    instructor = by_role(path, "party_instructor")
    # The instructor belongs to another organisation by design: no not_in_school gap.
    assert (instructor.person_id, instructor.post_code, instructor.gap) == ("P-INSTR", "S24", None)
    assert path.complete


def test_private_school_without_instructor_names_the_vacant_instructor(county):
    county.school("SCH-Q", party_org_type="instructor", ownership="民办")
    county.person("P-PRIN-Q", "SCH-Q")
    county.post("P-PRIN-Q", "SCH-Q", "S01")
    county.grid("G-Q1", "SCH-Q", 1, None, "P-PRIN-Q")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("G-Q1"), DAY)
    instructor = by_role(path, "party_instructor")
    assert (instructor.gap, instructor.post_code) == ("vacant", "S24")
    assert by_role(path, "liaison").gap == Gap.NO_LIAISON
    assert by_role(path, "bureau_leader").gap == Gap.NO_LIAISON


def test_post_holder_change_mid_season(county):
    change = dt.date(2025, 1, 10)
    pa = county.session.query(PostAssignment).filter_by(source_id="PA-SAFE").one()
    pa.valid_to = change
    county.person("P-SAFE2", "SCH-A")
    county.post("P-SAFE2", "SCH-A", "S03", valid_from=change, source_id="PA-SAFE")
    county.session.commit()

    def deputy_on(day):
        return by_role(chain_at(county.session, ChainSubject.grid("G-3"), day), "safety_deputy").person_id

    assert deputy_on(change - dt.timedelta(days=1)) == "P-SAFE"
    assert deputy_on(change) == "P-SAFE2"  # half-open: the new holder from the change day on
    assert deputy_on(DAY) == "P-SAFE2"
    # The post-assignment subject follows the same slot.
    before = chain_at(county.session, ChainSubject.post_assignment("PA-SAFE"), change - dt.timedelta(days=1))
    after = chain_at(county.session, ChainSubject.post_assignment("PA-SAFE"), change)
    assert before.links[0].person_id == "P-SAFE" and after.links[0].person_id == "P-SAFE2"
    assert before.links[0].role == after.links[0].role == "safety_deputy"


def test_grid_owner_change_mid_season(county):
    change = dt.date(2025, 1, 10)
    own = county.session.query(GridOwnership).filter_by(grid_id=county.grids["G-2"].id).one()
    own.valid_to = change
    county.person("P-G2B", "SCH-A")
    county.own("G-2", "P-G2B", valid_from=change)
    county.session.commit()

    def owner_on(day):
        return chain_at(county.session, ChainSubject.grid("G-3"), day).links[1].person_id

    assert owner_on(change - dt.timedelta(days=1)) == "P-G2"
    assert owner_on(change) == "P-G2B"
    # Before anyone owned it (before the season) the grid is vacant.
    early = chain_at(county.session, ChainSubject.grid("G-2"), START - dt.timedelta(days=1))
    assert early.links[0].gap == Gap.VACANT


def test_inactive_and_foreign_grid_owners(county):
    county.persons["P-G3"].left_on = DAY  # left on the day traced: out of service
    county.school("SCH-X")
    county.person("P-OTHER", "SCH-X")
    own = county.session.query(GridOwnership).filter_by(grid_id=county.grids["G-2"].id).one()
    own.person_id = county.persons["P-OTHER"].id
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("G-3"), DAY)
    assert [link.gap for link in path.links[:3]] == [Gap.INACTIVE, Gap.NOT_IN_SCHOOL, None]
    assert path.links[0].person_id == "P-G3"  # the holder is still named


def test_a_trace_before_the_owner_left_names_them_and_after_it_marks_them_left(county):
    """The teacher who left in January owned the floor in December: the trace of December
    names them as a sound owner; from the day they left the same owner is a gap (still named,
    since nobody took the grid over)."""
    left = dt.date(2025, 1, 6)
    teacher = county.persons["P-G3"]
    teacher.left_on, teacher.left_reason = left, "transferred"
    county.session.commit()
    december = chain_at(county.session, ChainSubject.grid("G-3"), dt.date(2024, 12, 15))
    assert (december.links[0].person_id, december.links[0].gap) == ("P-G3", None)
    assert december.complete
    assert chain_at(county.session, ChainSubject.grid("G-3"), left - dt.timedelta(days=1)).complete
    after = chain_at(county.session, ChainSubject.grid("G-3"), left)
    assert (after.links[0].person_id, after.links[0].gap) == ("P-G3", Gap.INACTIVE)
    assert after.gaps == (after.links[0],)
    # The person subject follows the same rule, and so do leaders: a principal not yet joined.
    assert chain_at(county.session, ChainSubject.person("P-G3"), dt.date(2024, 12, 15)).links[0].gap is None
    county.persons["P-PRIN"].joined_on = dt.date(2025, 1, 10)
    county.session.commit()
    before_joining = chain_at(county.session, ChainSubject.grid("G-3"), dt.date(2025, 1, 9))
    assert by_role(before_joining, "principal").gap == Gap.INACTIVE
    assert before_joining.links[2].gap == Gap.INACTIVE  # the principal also owns the school grid
    assert by_role(chain_at(county.session, ChainSubject.grid("G-3"), DAY), "principal").gap is None


def test_liaison_outside_the_section(county):
    county.person("P-STRAY", "ORG-B")
    la = county.session.query(PostAssignment).filter_by(source_id="PA-LIA").one()
    assert la is not None
    from responsibility.models import LiaisonAssignment

    assignment = county.session.query(LiaisonAssignment).one()
    assignment.liaison_person_id = county.persons["P-STRAY"].id
    county.session.commit()
    path = chain_at(county.session, ChainSubject.school("SCH-A"), DAY)
    assert by_role(path, "liaison").gap == Gap.NOT_IN_SECTION
    assert by_role(path, "section_chief").person_id == "P-SECCHIEF"


def test_section_chief_falls_back_to_the_recorded_chief(county):
    pa = county.session.query(PostAssignment).filter_by(post_code="B05").one()
    pa.valid_to = dt.date(2025, 1, 1)
    county.session.commit()
    chief = by_role(chain_at(county.session, ChainSubject.grid("G-1"), DAY), "section_chief")
    assert (chief.person_id, chief.post_code, chief.gap) == ("P-SECCHIEF", "B05", None)


def test_building_subject(county):
    path = chain_at(county.session, ChainSubject.building("BLD-A"), DAY)
    assert people(path)[:2] == ["P-G2", "P-PRIN"]
    assert path.links[0].grid_source_id == "G-2"


def test_building_without_grid(county):
    from responsibility.models import Building

    county.session.add(Building(source_id="BLD-Z", school_id=county.orgs["SCH-A"].id, name="仓库"))
    county.session.commit()
    path = chain_at(county.session, ChainSubject.building("BLD-Z"), DAY)
    assert (path.links[0].role, path.links[0].gap, path.links[0].org_source_id) == ("grid_owner", "no_grid", "SCH-A")
    assert people(path)[1:] == SCHOOL_PEOPLE


def test_school_subject_starts_at_the_level_one_grid(county):
    path = chain_at(county.session, ChainSubject.school("SCH-A"), DAY)
    assert roles(path) == ["grid_owner", *SCHOOL_UP, *BUREAU_UP]
    assert (path.links[0].grid_source_id, path.links[0].person_id) == ("G-1", "P-PRIN")


def test_broken_grid_tree(county):
    county.grid("G-ORPHAN", "SCH-A", 2, None, "P-G2")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("G-ORPHAN"), DAY)
    assert [(link.grid_source_id, link.gap) for link in path.links[:2]] == [("G-ORPHAN", None), (None, "broken_tree")]
    assert by_role(path, "safety_deputy").person_id == "P-SAFE"


def test_second_level_one_root_is_a_broken_tree(county):
    # "0-LAB" sorts before "G-1": the school grid is told apart by its whole-school scope.
    county.grid("0-LAB", "SCH-A", 1, None, "P-G2", scope="楼栋")
    county.grid("0-LAB-1", "SCH-A", 2, "0-LAB", "P-G3", scope="楼层")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.grid("0-LAB-1"), DAY)
    assert [(link.grid_source_id, link.gap) for link in path.links[:3]] == [
        ("0-LAB-1", None),
        ("0-LAB", None),
        (None, "broken_tree"),
    ]
    school = chain_at(county.session, ChainSubject.school("SCH-A"), DAY)
    assert school.links[0].grid_source_id == "G-1" and school.complete


def test_person_subject_who_owns_grids(county):
    county.grid("G-4", "SCH-A", 3, "G-2", "P-G3")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.person("P-G3"), DAY)
    grids = [(link.grid_source_id, link.person_id) for link in path.links if link.role == "grid_owner"]
    assert grids == [("G-3", "P-G3"), ("G-4", "P-G3"), ("G-2", "P-G2"), ("G-1", "P-PRIN")]
    assert people(path)[4:] == SCHOOL_PEOPLE


def test_person_subject_by_post(county):
    cook = chain_at(county.session, ChainSubject.person("P-COOK"), DAY)
    assert roles(cook) == ["post_holder", *SCHOOL_UP, *BUREAU_UP]
    assert (cook.links[0].person_id, cook.links[0].post_code) == ("P-COOK", "S13")
    deputy = chain_at(county.session, ChainSubject.person("P-SAFE"), DAY)
    assert roles(deputy) == SCHOOL_UP + BUREAU_UP
    liaison = chain_at(county.session, ChainSubject.person("P-LIA"), DAY)
    assert people(liaison) == ["P-LIA", "P-SECCHIEF", "P-DEP", "P-CHIEF"]
    assert roles(liaison) == ["liaison", "section_chief", *BUREAU_UP]
    chief = chain_at(county.session, ChainSubject.person("P-CHIEF"), DAY)
    assert [(link.role, link.person_id) for link in chief.links] == [("bureau_chief", "P-CHIEF")]


def test_person_without_post(county):
    county.person("P-IDLE", "SCH-A")
    county.session.commit()
    path = chain_at(county.session, ChainSubject.person("P-IDLE"), DAY)
    assert [(link.role, link.person_id, link.gap) for link in path.links] == [("post_holder", "P-IDLE", "no_post")]


def test_post_assignment_subject(county):
    path = chain_at(county.session, ChainSubject.post_assignment("PA-COOK"), DAY)
    assert roles(path) == ["post_holder", *SCHOOL_UP, *BUREAU_UP]
    assert (path.links[0].person_id, path.links[0].post_name) == ("P-COOK", "食堂管理员（食品安全员）")
    # A post assignment on a day nobody held it: the slot is named, vacant.
    early = chain_at(county.session, ChainSubject.post_assignment("PA-COOK"), START - dt.timedelta(days=1))
    assert (early.links[0].person_id, early.links[0].gap, early.links[0].post_code) == (None, "vacant", "S13")
    liaison = chain_at(county.session, ChainSubject.post_assignment("PA-LIA"), DAY)
    assert roles(liaison) == ["liaison", "section_chief", *BUREAU_UP]


def test_liaison_change_changes_the_bureau_leader(county):
    from responsibility.models import LiaisonAssignment

    change = dt.date(2025, 1, 10)
    county.session.query(LiaisonAssignment).one().valid_to = change
    county.liaison("SCH-A", "SEC-A", "P-SECCHIEF", "P-DEP", valid_from=change)
    county.session.commit()
    before = chain_at(county.session, ChainSubject.school("SCH-A"), change - dt.timedelta(days=1))
    after = chain_at(county.session, ChainSubject.school("SCH-A"), change)
    assert (by_role(before, "liaison").person_id, by_role(before, "bureau_leader").person_id) == ("P-LIA", "P-LEAD")
    assert (by_role(after, "liaison").person_id, by_role(after, "bureau_leader").person_id) == ("P-SECCHIEF", "P-DEP")
    assert by_role(after, "bureau_leader").post_code == "B02"


def test_unknown_subjects(county):
    for subject in (
        ChainSubject.grid("G-NONE"),
        ChainSubject.building("BLD-NONE"),
        ChainSubject.school("SEC-A"),
        ChainSubject.person("P-NONE"),
        ChainSubject.post_assignment("PA-NONE"),
    ):
        with pytest.raises(NotFound):
            chain_at(county.session, subject, DAY)
    with pytest.raises(BadInput):
        chain_at(county.session, ChainSubject("campus", "X"), DAY)  # type: ignore[arg-type]
