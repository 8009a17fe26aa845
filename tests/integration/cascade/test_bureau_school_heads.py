"""Annex 2 of the bureau agreements names each school's party head and principal (issue 16): the
heads are read for all the links' schools in one statement (a query per school was most of a
bureau chunk at a province's size) and are exactly the school's S01/S02/S24 holders on the day,
in post order, as ``school_assignments`` lists them."""

from __future__ import annotations

from sqlalchemy import event

from responsibility.agreements import bureau_issue
from responsibility.agreements.bureau_facts import bureau_facts
from responsibility.agreements.bureau_links import compose_bureau_links
from responsibility.agreements.compose import school_assignments
from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.pdf.content import PersonRef


def test_the_school_heads_of_every_link_in_one_statement(demo_app) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        session, day = db.session, today(DEFAULT_ZONE)
        facts = bureau_facts(session, day)
        links = compose_bureau_links(facts.chief, facts.leaders, facts.liaisons)
        statements: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            heads = bureau_issue._school_heads(session, facts, day, links)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert len([s for s in statements if "FROM post_assignments" in s]) == 1, statements
        wanted = {f.school.source_id for link in links for f in link.schools}
        assert set(heads) == wanted and len(wanted) > 20
        for sid in wanted:
            assignments = school_assignments(session, facts.schools[sid], day)
            expected = [pa.person for pa in assignments if pa.post_code in ("S01", "S02", "S24")]
            assert heads[sid] == tuple(dict.fromkeys(PersonRef(p.source_id, p.name) for p in expected)), sid
        assert sum(len(v) for v in heads.values()) > len(wanted)
