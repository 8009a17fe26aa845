"""Two inspectors on one checklist at once: one wins, the other gets a conflict and writes nothing."""

from __future__ import annotations

import pytest
from round_tools import BUREAU_SAFETY, DEPUTY, SCHOOL, county_today
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility import inspections
from responsibility.extensions import db
from responsibility.hazards import photo_store
from responsibility.instance import instance_of
from responsibility.models import AuditEvent, InspectionAnswer


def test_concurrent_answers_leave_one_winner(open_round, demo_app) -> None:  # type: ignore[no-untyped-def]
    round_id = open_round()
    today = county_today()
    with demo_app.app_context():
        settings = instance_of(demo_app).settings
        store = photo_store(settings.storage)
        first, second = Session(db.engine), Session(db.engine)
        try:
            a = inspections.find_checklist(first, round_id, SCHOOL)
            b = inspections.find_checklist(second, round_id, SCHOOL)
            assert a.version == b.version == 1
            common = {"on": today, "result": "pass", "limits": settings.hazards, "store": store}
            inspections.answer_item(first, round_id, SCHOOL, "R08-01", by=DEPUTY, **common)
            first.commit()
            with pytest.raises(inspections.ChecklistConflict) as caught:
                inspections.answer_item(second, round_id, SCHOOL, "R08-02", by=BUREAU_SAFETY, **common)
            assert caught.value.http_status == 409
            second.rollback()
        finally:
            first.close()
            second.close()
        items = db.session.scalars(select(InspectionAnswer.item_id)).all()
        assert items == ["R08-01"]
        events = db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "inspection.answer"))
        assert events == 1
        assert inspections.find_checklist(db.session, round_id, SCHOOL).version == 2
