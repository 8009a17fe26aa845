"""Arranging fetched rows into links (no database): ordering, gap rules, result shapes."""

from __future__ import annotations

import datetime as dt

import pytest

from responsibility.chain import ChainLink, ChainPath, ChainSubject, Gap, Role
from responsibility.chain.assemble import assemble
from responsibility.chain.sql import COLUMNS
from responsibility.chain.subjects import ROLE_OF_POST, ROLE_RANK


def row(kind: str, **values):
    out = dict.fromkeys(COLUMNS)
    out["kind"] = kind
    out.update(values)
    return out


def person(pid: int, sid: str, org: int, *, active: bool = True) -> dict:
    return {
        "person_id": pid,
        "person_sid": sid,
        "person_name": f"名{sid}",
        "person_active": active,
        "person_org_id": org,
    }


SCHOOL, OTHER = 10, 11


def grid(gid, sid, level, parent, owner=None, school=SCHOOL, valid_from=dt.date(2024, 9, 1)):
    values = {"org_id": school, "org_sid": f"SCH{school}", "grid_id": gid, "grid_sid": sid, "level": level}
    values |= {"parent_id": parent, "grid_name": sid, "valid_from": valid_from if owner else None}
    return row("grid", **values, **(owner or {}))


def root(gid, sid, school=SCHOOL, scope="学校"):
    return row("root", org_id=school, grid_id=gid, grid_sid=sid, level=1, extra=scope)


def rows_by_kind(*rows):
    out: dict[str, list] = {}
    for r in rows:
        out.setdefault(r["kind"], []).append(r)
    return out


def test_grids_are_ordered_by_tree_depth_not_by_level_column():
    # Level numbers disagree with the tree (data error): the order still follows the tree.
    rows = rows_by_kind(
        grid(1, "G1", 1, None, person(1, "P1", SCHOOL)),
        grid(2, "G2", 3, 1, person(2, "P2", SCHOOL)),
        grid(3, "G3", 2, 2, person(3, "P3", SCHOOL)),
        row("org", org_id=SCHOOL, org_sid="SCH10", org_kind="school"),
        root(1, "G1"),
    )
    links = assemble(ChainSubject.grid("G3"), rows)
    assert [link.grid_source_id for link in links if link.role == "grid_owner"] == ["G3", "G2", "G1"]
    assert [link.parent_grid_source_id for link in links[:3]] == ["G2", "G1", None]


def test_overlapping_ownerships_name_the_latest_holder():
    rows = rows_by_kind(
        grid(1, "G1", 1, None, person(1, "P-OLD", SCHOOL), valid_from=dt.date(2024, 9, 1)),
        grid(1, "G1", 1, None, person(2, "P-NEW", SCHOOL), valid_from=dt.date(2024, 12, 1)),
        root(1, "G1"),
    )
    links = assemble(ChainSubject.grid("G1"), rows)
    assert [link.person_id for link in links if link.role == "grid_owner"] == ["P-NEW"]


def test_gap_precedence_vacant_then_inactive_then_membership():
    rows = rows_by_kind(
        grid(1, "G1", 1, None, person(1, "P1", OTHER, active=False)),
        row("post", org_id=SCHOOL, post_code="S03", valid_from=dt.date(2024, 9, 1), **person(5, "P5", OTHER)),
        row("post", org_id=SCHOOL, post_code="S01", valid_from=dt.date(2024, 9, 1), **person(6, "P6", SCHOOL)),
        row("org", org_id=SCHOOL, org_sid="SCH10", org_kind="school", extra="independent"),
        root(1, "G1"),
    )
    links = assemble(ChainSubject.grid("G1"), rows)
    gaps = {link.role: link.gap for link in links}
    assert gaps["grid_owner"] == Gap.INACTIVE
    assert gaps["safety_deputy"] == Gap.NOT_IN_SCHOOL
    assert gaps["principal"] is None
    assert gaps["school_party_secretary"] == Gap.VACANT
    assert gaps["liaison"] == gaps["section_chief"] == gaps["bureau_leader"] == Gap.NO_LIAISON
    assert {link.org_source_id for link in links if link.gap == Gap.NO_LIAISON} == {"SCH10"}
    assert gaps["deputy_in_charge"] == gaps["bureau_chief"] == Gap.VACANT


def test_a_tree_that_ends_in_another_school_is_broken():
    rows = rows_by_kind(
        grid(1, "G1", 1, None, person(1, "P1", OTHER), school=OTHER),
        grid(2, "G2", 2, 1, person(2, "P2", SCHOOL)),
        row("org", org_id=SCHOOL, org_sid="SCH10", org_kind="school"),
        root(3, "G-SCHOOL"),
    )
    links = assemble(ChainSubject.grid("G2"), rows)
    assert [(link.role, link.org_source_id, link.grid_source_id, link.gap) for link in links][:4] == [
        ("grid_owner", "SCH10", "G2", None),
        ("grid_owner", "SCH11", "G1", None),
        ("grid_owner", "SCH10", None, "broken_tree"),
        ("safety_deputy", "SCH10", None, "vacant"),
    ]
    # The other school's leaders are not part of this chain.
    assert sum(link.role == "safety_deputy" for link in links) == 1


def test_a_second_level_one_root_is_broken():
    rows = rows_by_kind(
        grid(5, "G-LAB", 1, None, person(1, "P1", SCHOOL)),
        row("org", org_id=SCHOOL, org_sid="SCH10", org_kind="school"),
        root(5, "G-LAB", scope="楼栋"),
        root(4, "G-SCHOOL"),
    )
    links = assemble(ChainSubject.grid("G-LAB"), rows)
    assert [(link.grid_source_id, link.gap) for link in links[:2]] == [("G-LAB", None), (None, "broken_tree")]
    # Without the school-wide grid, the lowest source id among the level-1 roots is the school's.
    rows["root"] = [root(5, "G-LAB", scope="楼栋"), root(6, "G-ZZZ", scope="楼栋")]
    assert assemble(ChainSubject.grid("G-LAB"), rows)[1].role == "safety_deputy"


def test_missing_subject_gives_none():
    assert assemble(ChainSubject.grid("G404"), {}) is None
    assert assemble(ChainSubject.person("P404"), {}) is None
    assert assemble(ChainSubject.post_assignment("PA404"), {}) is None


def test_path_shape_and_completeness():
    sound = ChainLink("bureau_chief", "P1", "甲", "B01", "局长", "ORG", None, None, None)
    broken = ChainLink("safety_deputy", None, None, "S03", "副校长", "SCH", None, None, "vacant")
    path = ChainPath(ChainSubject.school("SCH"), dt.date(2025, 1, 31), (broken, sound))
    assert not path.complete and path.gaps == (broken,)
    assert ChainPath(ChainSubject.school("SCH"), dt.date(2025, 1, 31), (sound,)).complete
    assert not ChainPath(ChainSubject.school("SCH"), dt.date(2025, 1, 31), ()).complete
    data = path.as_dict()
    assert data["subject"] == {"kind": "school", "id": "SCH"} and data["at"] == "2025-01-31"
    assert data["links"][0]["gap"] == "vacant" and data["links"][1]["person_id"] == "P1"
    with pytest.raises(AttributeError):
        sound.gap = "vacant"  # type: ignore[misc]


def test_roles_use_the_glossary_names_and_rank_upward():
    assert {r.value for r in Role} >= {
        "grid_owner",
        "safety_deputy",
        "principal",
        "school_party_secretary",
        "party_instructor",
        "liaison",
        "section_chief",
        "bureau_leader",
        "deputy_in_charge",
        "bureau_chief",
    }
    chain = [ROLE_OF_POST[c] for c in ("S03", "S01", "B06", "B05", "B03", "B02", "B01")]
    assert [ROLE_RANK[r] for r in chain] == sorted(ROLE_RANK[r] for r in chain)
    assert ROLE_RANK[Role.PRINCIPAL] == ROLE_RANK[Role.SCHOOL_PARTY_SECRETARY] == ROLE_RANK[Role.PARTY_INSTRUCTOR]
