"""Roles and school visibility on the hand-made small county (validity periods included)."""

from __future__ import annotations

import datetime as dt

import pytest
from small_county import DAY, SmallCounty, build_small_county

from responsibility.accounts.access import can_view_school, liaison_section_ids, visible_school_ids
from responsibility.accounts.roles import (
    ADMIN,
    AUDITOR,
    BUREAU_LEADER,
    GRID_OWNER,
    SCHOOL_LEADER,
    SECTION_STAFF,
    roles_of,
)


@pytest.fixture
def county(session) -> SmallCounty:  # type: ignore[no-untyped-def]
    return build_small_county(session)


def _visible(session, county: SmallCounty, username: str, day: dt.date = DAY):  # type: ignore[no-untyped-def]
    ids = visible_school_ids(session, county.users[username], day)
    if ids is None:
        return None
    by_id = {school.id: sid for sid, school in county.schools.items()}
    return {by_id[i] for i in ids}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("P-CHIEF", {BUREAU_LEADER}),
        ("P-SCHIEF", {SECTION_STAFF}),
        ("P-LIA", {SECTION_STAFF}),
        ("P-LISTED", frozenset()),
        ("P-PRIN", {SCHOOL_LEADER, GRID_OWNER}),
        ("P-SEC", {SCHOOL_LEADER}),
        ("P-SAFE", {SCHOOL_LEADER, GRID_OWNER}),
        ("P-TEACH", {GRID_OWNER}),
        ("P-OLD", frozenset()),
        ("P-GRID", {GRID_OWNER}),
        ("admin", {ADMIN}),
        ("auditor", {AUDITOR}),
    ],
)
def test_roles_on_the_day(session, county: SmallCounty, username: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert roles_of(session, county.users[username], DAY) == expected


def test_roles_follow_validity_periods(session, county: SmallCounty) -> None:  # type: ignore[no-untyped-def]
    old = county.users["P-OLD"]
    assert roles_of(session, old, dt.date(2024, 8, 31)) == {SCHOOL_LEADER, GRID_OWNER}
    assert roles_of(session, old, dt.date(2024, 9, 1)) == frozenset()  # valid_to is exclusive
    # P-GRID's ownership starts 2025-01-01; before that they are no grid owner.
    assert roles_of(session, county.users["P-GRID"], dt.date(2024, 12, 31)) == frozenset()
    # Before any post started nobody leads anything.
    assert roles_of(session, county.users["P-PRIN"], dt.date(2024, 11, 14)) == frozenset()


@pytest.mark.parametrize("username", ["P-CHIEF", "admin", "auditor"])
def test_county_wide_users_see_everything(session, county: SmallCounty, username: str) -> None:  # type: ignore[no-untyped-def]
    assert _visible(session, county, username) is None
    assert can_view_school(session, county.users[username], county.schools["SCH-C"].id, DAY)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("P-PRIN", {"SCH-A"}),
        ("P-TEACH", {"SCH-A"}),  # a member of the school without a post
        ("P-BPRIN", {"SCH-B"}),
        ("P-GRID", {"SCH-A", "SCH-B"}),  # own school, plus the school whose grid they own
        ("P-SCHIEF", {"SCH-A"}),  # SEC-1 liaises SCH-A; its SCH-C liaison ended 2025-01-01
        ("P-LIA", {"SCH-A"}),
        ("P-LISTED", {"SCH-A"}),  # listed as SEC-1 staff without a post
        ("P-S2CHIEF", {"SCH-B", "SCH-C"}),
    ],
)
def test_restricted_users_see_their_schools(session, county: SmallCounty, username: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert _visible(session, county, username) == expected
    for sid, school in county.schools.items():
        assert can_view_school(session, county.users[username], school.id, DAY) is (sid in expected)


def test_liaison_visibility_follows_the_liaison_period(session, county: SmallCounty) -> None:  # type: ignore[no-untyped-def]
    assert _visible(session, county, "P-SCHIEF", dt.date(2024, 12, 31)) == {"SCH-A", "SCH-C"}
    assert _visible(session, county, "P-S2CHIEF", dt.date(2024, 12, 31)) == {"SCH-B"}


def test_former_principal_keeps_only_membership(session, county: SmallCounty) -> None:  # type: ignore[no-untyped-def]
    assert _visible(session, county, "P-OLD") == {"SCH-A"}
    county.persons["P-OLD"].left_on = DAY
    session.flush()
    assert _visible(session, county, "P-OLD") == set()


def test_disabled_account_and_account_without_person_see_nothing(session, county: SmallCounty) -> None:  # type: ignore[no-untyped-def]
    from responsibility.models import KIND_PERSON, User

    bare = User(username="nobody", display_name="无名", kind=KIND_PERSON)
    session.add(bare)
    session.flush()
    assert visible_school_ids(session, bare, DAY) == frozenset()
    county.users["P-CHIEF"].is_enabled = False
    session.flush()
    assert visible_school_ids(session, county.users["P-CHIEF"], DAY) == frozenset()


def test_section_membership_sources(session, county: SmallCounty) -> None:  # type: ignore[no-untyped-def]
    sec1 = county.sections["SEC-1"].id
    assert liaison_section_ids(session, county.persons["P-SCHIEF"].id, DAY) == {sec1}
    assert liaison_section_ids(session, county.persons["P-LISTED"].id, DAY) == {sec1}
    assert liaison_section_ids(session, county.persons["P-PRIN"].id, DAY) == frozenset()
