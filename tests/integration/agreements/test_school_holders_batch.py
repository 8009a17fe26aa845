"""The signing board resolves the school heads of a whole page in one query (issue 16): the
answer must be what each school's own facts say from all its posts, for every demo school
(private schools with a party instructor and schools missing a head included)."""

from __future__ import annotations

from sqlalchemy import select

from responsibility.agreements.compose import school_facts
from responsibility.agreements.signers_required import school_holders_of
from responsibility.clock import today
from responsibility.models import PostAssignment, School


def test_one_query_gives_each_schools_heads_as_its_own_facts_do(demo_app) -> None:  # type: ignore[no-untyped-def]
    from responsibility.extensions import db

    with demo_app.app_context():
        session = db.session
        day = today()
        schools = session.scalars(select(School).order_by(School.source_id)).all()
        batch = school_holders_of(session, schools, day)
        assert set(batch) == {s.id for s in schools}
        kinds = set()
        for school in schools:
            held = session.scalars(
                select(PostAssignment)
                .where(PostAssignment.org_id == school.id, PostAssignment.held_on(day))
                .order_by(PostAssignment.post_code, PostAssignment.source_id, PostAssignment.id)  # as it was
            ).all()
            facts = school_facts(school, list(held))
            expected = {
                "party_head": (facts.party_head.source_id if facts.party_head else None, facts.party_head_title),
                "principal": (facts.principal.source_id if facts.principal else None, facts.principal_title),
            }
            assert batch[school.id] == expected, school.source_id
            kinds.add((facts.party_head is None, facts.party_head_is_instructor))
        assert len(kinds) >= 2  # the demo has schools with and without a party head of their own
        assert school_holders_of(session, [], day) == {}
        db.session.remove()
