"""Every grid and building of the generated demo county traces up to the bureau chief, and the
chain's gaps are exactly the chain-related problems planted in the demo (found by tracing, not by
reading the data)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from responsibility.chain import ChainSubject, Gap, chain_at
from responsibility.models import Building, County, Grid, PostAssignment

TOP = [
    "safety_deputy",
    "principal",
    "party",
    "liaison",
    "section_chief",
    "bureau_leader",
    "deputy_in_charge",
    "bureau_chief",
]
PARTY = {"school_party_secretary", "party_instructor"}

# Which planted check each chain gap reveals.
CHECK_OF_GAP = {
    Gap.VACANT: "G1",
    Gap.INACTIVE: "G2",
    Gap.NOT_IN_SCHOOL: "G2",
    Gap.BROKEN_TREE: "G4",
    Gap.NO_GRID: "G3",
    Gap.NO_LIAISON: "L1",
    Gap.NOT_IN_SECTION: "L2",
}


def demo_day(session) -> dt.date:
    county = session.scalars(select(County)).one()
    return county.as_of or county.period_start


def test_every_grid_and_building_traces_to_the_bureau_chief(demo_session):
    from responsibility.demo import planted_problems

    day = demo_day(demo_session)
    found: set[tuple[str, str, str]] = set()
    grids = demo_session.scalars(select(Grid.source_id)).all()
    buildings = demo_session.scalars(select(Building.source_id)).all()
    assert grids and buildings
    subjects = [ChainSubject.grid(g) for g in grids] + [ChainSubject.building(b) for b in buildings]
    for subject in subjects:
        path = chain_at(demo_session, subject, day)
        roles = [link.role for link in path.links]
        owners = [link for link in path.links if link.role == "grid_owner"]
        assert owners and roles[: len(owners)] == ["grid_owner"] * len(owners), subject
        rest = ["party" if role in PARTY else role for role in roles[len(owners) :]]
        assert rest == TOP, subject
        chief = path.links[-1]
        assert chief.person_id and chief.gap is None and chief.post_code == "B01"
        for link in path.links:
            assert (link.person_id is None) == (link.gap in {Gap.VACANT, Gap.NO_LIAISON, Gap.NO_GRID, Gap.BROKEN_TREE})
            assert link.gap is None or link.gap in set(Gap), (subject, link)
        if subject.kind == "grid":
            assert owners[0].grid_source_id == subject.source_id
        for link in path.gaps:
            check = CHECK_OF_GAP[Gap(link.gap)]
            if check in {"G1", "G2"}:
                subject_id = link.grid_source_id
            elif check == "G3":
                subject_id = subject.source_id
            elif check == "G4":
                subject_id = owners[-2].grid_source_id  # the top of the detached subtree
            elif check == "L2":
                subject_id = link.person_id
            else:
                subject_id = link.org_source_id
            found.add((check, owners[0].org_source_id, subject_id))

    planted = {
        (p.check, p.school_id, p.subject_id)
        for p in planted_problems()
        if p.check in set(CHECK_OF_GAP.values()) and "directly under the level-1 grid" not in p.description
    }  # a level that skips still climbs to the school grid: its owner answers directly (G4 reports it)
    assert found == planted


def test_demo_mid_season_post_change(demo_session):
    """A closed assignment and its successor share a source id: the trace of that post names
    the old holder before the change day and the new one from that day on."""
    closed = demo_session.scalars(
        select(PostAssignment).where(PostAssignment.valid_to.is_not(None)).order_by(PostAssignment.id)
    ).first()
    assert closed is not None, "the demo should show a mid-season post change"
    successor = demo_session.scalars(
        select(PostAssignment).where(
            PostAssignment.source_id == closed.source_id, PostAssignment.valid_from == closed.valid_to
        )
    ).one()
    change = closed.valid_to
    before = chain_at(demo_session, ChainSubject.post_assignment(closed.source_id), change - dt.timedelta(days=1))
    after = chain_at(demo_session, ChainSubject.post_assignment(closed.source_id), change)
    assert before.links[0].person_id == closed.person.source_id
    assert after.links[0].person_id == successor.person.source_id
    assert before.links[0].person_id != after.links[0].person_id


def test_demo_owner_who_left_mid_season_is_sound_before_and_left_after(demo_session):
    """The G2 plant: the campus head transferred on 2025-01-13 and never handed the grid over.
    The trace of a day before names him as a sound owner; from that day he is out of service."""
    from responsibility.demo import planted_problems
    from responsibility.demo.plants import CHANGE_DATE

    g2 = next(p for p in planted_problems() if p.check == "G2" and "transferred" in p.description.lower())
    before = chain_at(demo_session, ChainSubject.grid(g2.subject_id), CHANGE_DATE - dt.timedelta(days=3))
    after = chain_at(demo_session, ChainSubject.grid(g2.subject_id), CHANGE_DATE)
    assert before.links[0].person_id == after.links[0].person_id is not None
    assert before.links[0].gap is None
    assert after.links[0].gap == Gap.INACTIVE
