"""值班到岗率 and 全员疏散演练 from the live records, on the demo county: check-ins and drill
sessions move the targets, a shortfall names its roster days and the school's sessions, and the
season-end assessment deducts for them with that evidence."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from responsibility import season
from responsibility.extensions import db
from responsibility.models import DutyRoster, Organization, Person

SH = ZoneInfo("Asia/Shanghai")
SCHOOL = "SCH001"  # the demo plans its duty from 2025-01-27 for 8 days
AS_OF = "2025-01-29"  # the 27th and the 28th count; the 29th is not over yet
NAME = "2024—2025年冬春季（到岗）"


def _campaign(runner) -> int:  # type: ignore[no-untyped-def]
    made = runner.invoke(args=["campaign", "create", NAME, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def _value(runner, campaign: int, key: str, at: str = AS_OF) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["assess", "targets", str(campaign), "--at", at, "--json", "--school", SCHOOL])
    assert result.exit_code == 0, result.output
    (card,) = json.loads(result.output)["schools"]
    (value,) = [t for t in card["targets"] if t["key"] == key]
    return value


def _on_duty(day: dt.date) -> list[str]:
    """The people the roster names on ``day`` (leader, staff, 门卫/宿管), once each."""
    org = db.session.scalar(select(Organization.id).where(Organization.source_id == SCHOOL))
    people: list[str] = []
    for row in db.session.scalars(select(DutyRoster).where(DutyRoster.org_id == org, DutyRoster.date == day)):
        ids = [row.leader.source_id] if row.leader else []
        ids += [p.source_id for p in row.staff] + [v for v in (row.key_posts or {}).values() if v]
        people += [i for i in ids if i not in people]
    return people


def _check_in(demo_app, day: dt.date, people: list[str]) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime.combine(day, dt.time(8, 30), SH)
    with demo_app.app_context():
        for person in people:
            season.check_in(db.session, SCHOOL, person, at=moment, now=moment, zone=SH, actor="test")
        db.session.commit()


def test_check_ins_move_the_duty_rate_and_the_days_without_them_are_the_records(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    with demo_app.app_context():
        first, second = _on_duty(dt.date(2025, 1, 27)), _on_duty(dt.date(2025, 1, 28))
        assert len(first) >= 2 and db.session.scalar(select(Person.id).where(Person.source_id == first[0]))
    before = _value(demo_runner, campaign, "duty_rate")
    assert (before["status"], before["numerator"], before["denominator"]) == ("behind", 0, len(first) + len(second))
    assert [r["key"] for r in before["records"]] == ["2025-01-27", "2025-01-28"]
    assert before["records"][0] == {"kind": "roster", "key": "2025-01-27", "label": str(len(first))}

    _check_in(demo_app, dt.date(2025, 1, 27), first)
    _check_in(demo_app, dt.date(2025, 1, 28), second[:1])
    after = _value(demo_runner, campaign, "duty_rate")
    assert (after["status"], after["numerator"]) == ("behind", len(first) + 1)
    assert after["records"] == [{"kind": "roster", "key": "2025-01-28", "label": str(len(second) - 1)}]

    _check_in(demo_app, dt.date(2025, 1, 28), second[1:])
    done = _value(demo_runner, campaign, "duty_rate")
    assert (done["status"], done["value"], done["records"]) == ("met", 1.0, [])
    assert _value(demo_runner, campaign, "duty_rate", at="2025-01-27")["status"] == "no_data"  # nothing over yet


def test_a_drill_session_meets_the_drills_target(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    before = _value(demo_runner, campaign, "drills")
    assert (before["status"], before["value"]) == ("behind", 0)
    assert before["records"] == [{"kind": "sessions", "key": "drill", "label": "0"}]
    recorded = demo_runner.invoke(
        args=["education", "record", SCHOOL, "--topic", "drill", "--date", "2024-12-06",
              "--attendance", "900", "--enrolled", "900"]
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    after = _value(demo_runner, campaign, "drills")
    assert (after["status"], after["value"], after["records"]) == ("met", 1, [])
    assert _value(demo_runner, campaign, "drills", at="2024-12-05")["status"] == "behind"  # not held yet that day


def _deductions(runner, campaign: int) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["assess", "run", str(campaign), "--at", AS_OF, "--json", "--school", SCHOOL])
    assert result.exit_code == 0, result.output
    (school,) = json.loads(result.output)["schools"]
    return {d["rule"]: d for part in school["parts"] for d in part["deductions"]}


def test_the_assessment_deducts_for_a_drill_missing_and_a_duty_not_checked_in(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    found = _deductions(demo_runner, campaign)
    drill, duty = found["R05"], found["D05"]
    assert (drill["points"], drill["evidence"][0]["kind"], drill["evidence"][0]["ref"]) == (2, "target", "drills")
    assert "全员疏散演练：0（目标 1）" in drill["evidence"][0]["text"]
    assert duty["points"] == 1 and duty["evidence"][0]["ref"] == "duty_rate" and "0.0%" in duty["evidence"][0]["text"]
    demo_runner.invoke(
        args=["education", "record", SCHOOL, "--topic", "drill", "--date", "2024-12-06",
              "--attendance", "900", "--enrolled", "900"]
    )  # fmt: skip
    with demo_app.app_context():
        days = {d: _on_duty(d) for d in (dt.date(2025, 1, 27), dt.date(2025, 1, 28))}
    for day, people in days.items():
        _check_in(demo_app, day, people)
    assert not {"R05", "D05"} & set(_deductions(demo_runner, campaign))
