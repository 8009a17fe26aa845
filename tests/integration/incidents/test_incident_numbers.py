"""Two schools reporting at once draw different incident numbers: the second report waits for the
first one's transaction (the chain-head lock taken before counting) instead of drawing the same
number and failing on the unique key."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy.orm import Session

from responsibility import incidents
from responsibility.extensions import db
from responsibility.instance import instance_of
from responsibility.models import Incident

AT = dt.datetime(2025, 1, 15, 0, 30, tzinfo=dt.UTC)


def _facts(school: str, place: str) -> incidents.IncidentFacts:
    return incidents.IncidentFacts(school=school, kind="E07", occurred_at=AT, place=place, severity="ordinary",
                                   description="学生摔伤")  # fmt: skip


def test_concurrent_reports_get_distinct_numbers(demo_app) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        limits = instance_of(demo_app).settings.incidents
        first, second = Session(db.engine), Session(db.engine)
        outcome: dict[str, object] = {}
        try:
            made = incidents.report_incident(first, _facts("SCH001", "G00002"), limits=limits, reported_at=AT)
            assert made.number == "SG-2025-0001"  # flushed: the first holds the lock, not committed

            def late_report() -> None:
                try:
                    row = incidents.report_incident(second, _facts("SCH002", "G00111"), limits=limits, reported_at=AT)
                    second.commit()
                    outcome["number"] = row.number
                except Exception as exc:
                    outcome["error"] = repr(exc)
                    second.rollback()

            thread = threading.Thread(target=late_report)
            thread.start()
            thread.join(timeout=1.0)  # it waits on the lock while the first is open
            first.commit()
            thread.join(timeout=60)
            assert not thread.is_alive()
        finally:
            first.close()
            second.close()
        assert outcome == {"number": "SG-2025-0002"}
        assert sorted(db.session.scalars(db.select(Incident.number))) == ["SG-2025-0001", "SG-2025-0002"]
