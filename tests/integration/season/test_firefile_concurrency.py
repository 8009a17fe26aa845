"""Two editors saving one building's fire file from the same version at once: one wins, the
other gets a 409 conflict and writes nothing (no version row, no event) — even without an
expected version, the compare-and-set on the fire plan's version catches the late one."""

from __future__ import annotations

import dataclasses

import pytest
from season_tools import DEPUTY, PRINCIPAL
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility import season
from responsibility.clock import today
from responsibility.extensions import db
from responsibility.models import AuditEvent, FireFileVersion
from responsibility.season.errors import SeasonConflict

BUILDING = "BLD0001"


def _edit(session: Session, by: str, stairs: int, version: int | None) -> FireFileVersion:
    building = season.find_building(session, BUILDING)
    fields = dataclasses.replace(season.current_fields(building), stairs=stairs)
    return season.edit_fire_file(
        session, BUILDING, by=by, fields=fields, today=today(), actor="test", expected_version=version
    )


@pytest.mark.parametrize("late_version", [0, None])
def test_concurrent_edits_leave_one_winner(demo_app, late_version) -> None:  # type: ignore[no-untyped-def]
    with demo_app.app_context():
        first, second = Session(db.engine), Session(db.engine)
        try:
            read = season.find_building(second, BUILDING).fire_plan  # the late editor has read version 0
            assert read is not None and read.version == 0
            assert _edit(first, DEPUTY, 6, 0).version == 1
            first.commit()
            with pytest.raises(SeasonConflict) as caught:
                _edit(second, PRINCIPAL, 7, late_version)
            assert caught.value.http_status == 409
            second.rollback()
        finally:
            first.close()
            second.close()
        rows = db.session.scalars(select(FireFileVersion)).all()
        assert [(r.version, r.stairs, r.by_person.source_id) for r in rows] == [(1, 6, DEPUTY)]
        assert season.find_building(db.session, BUILDING).stairs == 6
        assert db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "firefile.edit")) == 1
