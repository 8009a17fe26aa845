"""Two people recording one class's home visits at once from the same version: one wins, the
other gets a 409-type conflict and writes nothing."""

from __future__ import annotations

import pytest
from season_tools import SCHOOL
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility import season
from responsibility.extensions import db
from responsibility.models import AuditEvent, HomeVisitCount
from responsibility.season.errors import SeasonConflict
from responsibility.settings import SeasonSettings

CATEGORIES = SeasonSettings().visit_categories


def _record(session: Session, done: int, version: int) -> HomeVisitCount:
    return season.record_visits(
        session,
        SCHOOL,
        class_name="高二5班",
        period="2025年寒假",
        planned=8,
        done=done,
        category="留守儿童",
        categories=CATEGORIES,
        actor="test",
        expected_version=version,
    )


def test_concurrent_recordings_leave_one_winner(demo_app) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        _record(db.session, 2, 0)
        db.session.commit()
        first, second = Session(db.engine), Session(db.engine)
        try:
            assert _record(first, 5, 1).version == 2
            first.commit()
            with pytest.raises(SeasonConflict) as caught:
                _record(second, 7, 1)
            assert caught.value.http_status == 409
            second.rollback()
        finally:
            first.close()
            second.close()
        db.session.expire_all()
        row = db.session.scalars(select(HomeVisitCount)).one()
        assert (row.visited, row.version) == (5, 2)
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "visits.record")) == 2
