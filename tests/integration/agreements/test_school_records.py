"""The rows of many schools' agreements loaded at once (issue 16): ``school_records`` for the whole
demo county takes a few statements (not a few per school), and every school's content composed from them is
the content composed from that school's own queries (same data hash), so a batch, a single
regeneration and the stale check agree."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, select

from responsibility.agreements import create_campaign
from responsibility.agreements.compose import bureau_signers, compose_agreement, school_records
from responsibility.agreements.generation import campaign_template
from responsibility.agreements.parameters import agreement_parameters, data_day, document_number
from responsibility.clock import DEFAULT_ZONE, today
from responsibility.extensions import db
from responsibility.models import School


def test_the_batched_rows_compose_the_same_contents(demo_app) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        session, now = db.session, today(DEFAULT_ZONE)
        campaign = create_campaign(
            session, name="批量读取", start=now - dt.timedelta(days=10), end=now + dt.timedelta(days=90), actor="test",
            base_url="https://anquan.example.cn",
        )  # fmt: skip
        template, day = campaign_template(campaign), data_day(campaign, now)
        bureau = bureau_signers(session, day)
        schools = list(session.scalars(select(School).order_by(School.source_id)))
        statements: list[str] = []

        def count(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            records = school_records(session, schools, day)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        # three statements and their eager loads (by 500 rows each); school by school it was nine a school
        assert len(schools) >= 60 and len(statements) < len(schools) // 2, len(statements)
        composed = 0
        for school in schools:
            params = agreement_parameters(campaign, document_number(campaign, school))
            try:
                alone = compose_agreement(session, school, template=template, parameters=params, day=day, bureau=bureau)
            except Exception as exc:  # a school the demo plants with a gap is refused alike both ways
                try:
                    compose_agreement(
                        session, school, template=template, parameters=params, day=day, bureau=bureau,
                        records=records[school.id],
                    )  # fmt: skip
                except type(exc) as again:
                    assert str(again) == str(exc)
                    continue
                raise AssertionError(f"{school.source_id}: refused alone only") from exc
            batched = compose_agreement(
                session,
                school,
                template=template,
                parameters=params,
                day=day,
                bureau=bureau,
                records=records[school.id],
            )
            assert batched.content_hash == alone.content_hash, school.source_id
            composed += 1
        assert composed >= 50
