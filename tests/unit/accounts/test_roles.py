"""Role derivation rule (no database): which posts at which kind of org make which role."""

from __future__ import annotations

import pytest

from responsibility.accounts.roles import (
    ADMIN,
    AUDITOR,
    BUREAU_LEADER,
    GRID_OWNER,
    SCHOOL_LEADER,
    SECTION_STAFF,
    derive_roles,
)
from responsibility.models import KIND_ADMIN, KIND_AUDITOR, KIND_PERSON


@pytest.mark.parametrize("code", ["B01", "B02", "B03", "B04"])
def test_bureau_leader_posts_at_the_bureau(code: str) -> None:
    assert derive_roles(KIND_PERSON, [(code, "bureau")], False) == {BUREAU_LEADER}


@pytest.mark.parametrize("code", ["B05", "B06"])
def test_section_posts_at_a_section(code: str) -> None:
    assert derive_roles(KIND_PERSON, [(code, "section")], False) == {SECTION_STAFF}


@pytest.mark.parametrize("code", ["S01", "S02", "S03", "S24"])
def test_school_leader_posts(code: str) -> None:
    assert derive_roles(KIND_PERSON, [(code, "school")], False) == {SCHOOL_LEADER}


@pytest.mark.parametrize("code", ["S04", "S09", "S16", "S22"])
def test_other_school_posts_give_no_role(code: str) -> None:
    assert derive_roles(KIND_PERSON, [(code, "school")], False) == frozenset()


@pytest.mark.parametrize(
    ("code", "org_kind"),
    [("B05", "bureau"), ("B01", "section"), ("S01", "bureau"), ("B02", "school"), ("S03", "section")],
)
def test_a_post_counts_only_at_the_right_kind_of_org(code: str, org_kind: str) -> None:
    assert derive_roles(KIND_PERSON, [(code, org_kind)], False) == frozenset()


def test_grid_ownership_adds_grid_owner() -> None:
    assert derive_roles(KIND_PERSON, [], True) == {GRID_OWNER}
    assert derive_roles(KIND_PERSON, [("S01", "school")], True) == {SCHOOL_LEADER, GRID_OWNER}


def test_account_kinds() -> None:
    assert derive_roles(KIND_ADMIN, [], False) == {ADMIN}
    assert derive_roles(KIND_AUDITOR, [], False) == {AUDITOR}
    assert derive_roles(None, [], False) == frozenset()


def test_roles_accumulate_over_several_posts() -> None:
    held = [("B03", "bureau"), ("B05", "section"), ("S02", "school")]
    assert derive_roles(KIND_ADMIN, held, True) == {ADMIN, BUREAU_LEADER, SECTION_STAFF, SCHOOL_LEADER, GRID_OWNER}
