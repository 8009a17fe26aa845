"""Two people acting on one hazard: one wins, the other gets a conflict; posts judged on the day."""

from __future__ import annotations

import pytest
from hazard_tools import DEPUTY, GRID, LEADER, PRINCIPAL, RECTIFIER, REPORTER, SCHOOL, county_today, day
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from responsibility import hazards
from responsibility.extensions import db
from responsibility.models import AuditEvent, HazardRecord


def _awaiting(hz) -> str:  # type: ignore[no-untyped-def]
    args = ["--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "楼梯扶手松动", "--by", REPORTER]
    file_no = hz("report", *args).output.strip().splitlines()[-1]
    plan = ["--level", "一般", "--measures", "加固", "--rectifier", RECTIFIER, "--deadline", day(5)]
    assert hz("plan", file_no, "--by", DEPUTY, *plan).exit_code == 0
    assert hz("progress", file_no, "--by", RECTIFIER, "--note", "已加固", "--done").exit_code == 0
    return file_no


def test_concurrent_accept_and_reject_leave_one_outcome(hz, pki_demo_app) -> None:  # type: ignore[no-untyped-def]
    file_no = _awaiting(hz)
    today = county_today()
    with pki_demo_app.app_context():
        first, second = Session(db.engine), Session(db.engine)
        try:
            a = hazards.find_hazard(first, file_no)
            b = hazards.find_hazard(second, file_no)
            assert a.version == b.version
            hazards.accept_hazard(first, file_no, by=LEADER, on=today)
            first.commit()
            with pytest.raises(hazards.HazardConflict) as caught:
                hazards.reject_hazard(second, file_no, by=PRINCIPAL, on=today, note="不合格")
            assert caught.value.http_status == 409
            second.rollback()
        finally:
            first.close()
            second.close()
        view = hazards.hazard_view(db.session, hazards.find_hazard(db.session, file_no))
        assert view["state"] == "closed" and view["accepted_by_id"] == LEADER
        kinds = db.session.scalars(
            select(HazardRecord.kind).join(HazardRecord.hazard).where(hazards.Hazard.file_no == file_no)
        ).all()
        assert kinds.count("accept") == 1 and "reject" not in kinds
        events = db.session.scalar(select(func.count(AuditEvent.seq)).where(AuditEvent.action == "hazard.reject"))
        assert events == 0


def test_a_step_needs_the_post_on_its_day(hz, show) -> None:  # type: ignore[no-untyped-def]
    # The demo's posts start on 2024-11-15: the safety deputy could not plan before.
    args = ["--school", SCHOOL, "--grid", GRID, "--area", "R03", "--description", "配电箱未上锁", "--by", DEPUTY]
    file_no = hz("report", *args, "--found", "2024-11-10", "--on", "2024-11-10").output.strip().splitlines()[-1]
    plan = ["--level", "一般", "--measures", "加锁", "--rectifier", RECTIFIER, "--deadline", "2024-11-30"]
    early = hz("plan", file_no, "--by", DEPUTY, *plan, "--on", "2024-11-12")
    assert early.exit_code == 2 and "2024-11-12" in early.output
    assert show(file_no)["state"] == "reported"
    before_found = hz("plan", file_no, "--by", DEPUTY, *plan, "--on", "2024-11-09")
    assert before_found.exit_code == 2
    assert hz("plan", file_no, "--by", DEPUTY, *plan, "--on", "2024-11-16").exit_code == 0
    assert show(file_no)["state"] == "planned"
    future = hz("progress", file_no, "--by", RECTIFIER, "--note", "x", "--on", day(1))
    assert future.exit_code == 2
