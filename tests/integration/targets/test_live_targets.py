"""`flask assess targets`: every declared target's live value on the demo county, the records
behind each shortfall, and a live record moving the value."""

from __future__ import annotations

import json
from typing import Any

AS_OF = "2025-01-31"
NAME = "2024—2025年冬春季（目标）"


def _campaign(runner) -> int:  # type: ignore[no-untyped-def]
    made = runner.invoke(args=["campaign", "create", NAME, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    return int(made.output.split()[-1])


def _targets(runner, campaign: int, *args: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["assess", "targets", str(campaign), "--at", AS_OF, "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _value(doc: dict[str, Any], school: str, key: str) -> dict[str, Any]:
    (card,) = [c for c in doc["schools"] if c["school"] == school]
    (value,) = [t for t in card["targets"] if t["key"] == key]
    return value


def test_every_school_has_a_scorecard_whose_shortfalls_name_their_records(demo_runner) -> None:  # type: ignore[no-untyped-def]
    doc = _targets(demo_runner, _campaign(demo_runner))
    assert doc["at"] == AS_OF and len(doc["schools"]) == 60

    grid = _value(doc, "SCH025", "grid_coverage")  # G1 planted: a grid without an owner
    assert grid["status"] == "behind" and grid["goal"] == "100%"
    assert grid["numerator"] == grid["denominator"] - 1
    assert [r["key"] for r in grid["records"]] == ["G01270"]

    posts = _value(doc, "SCH028", "post_list_coverage")  # P1 planted
    assert posts["status"] == "behind" and "PA01228" in {r["key"] for r in posts["records"]}

    overdue = _value(doc, "SCH016", "overdue_hazards")  # H2 planted: an overdue hazard
    assert (
        overdue["status"] == "behind" and overdue["value"] >= 1 and "HZ0008" in {r["key"] for r in overdue["records"]}
    )
    assert _value(doc, "SCH016", "rectification_rate")["status"] == "behind"

    visits = _value(doc, "SCH014", "home_visit_rate")  # V1 planted
    assert visits["status"] == "behind" and visits["numerator"] < visits["denominator"]
    assert _value(doc, "SCH001", "home_visit_rate")["status"] == "met"

    signing = _value(doc, "SCH001", "signing_rate")  # nothing generated yet
    assert (signing["status"], signing["numerator"], signing["denominator"]) == ("behind", 0, 1)
    assert signing["records"] == [{"kind": "agreement", "key": "", "label": "missing"}]

    drills = _value(doc, "SCH001", "drills")  # no drill recorded: behind, linking to the school's sessions
    assert (drills["status"], drills["value"], drills["goal"]) == ("behind", 0, "1")
    assert drills["records"] == [{"kind": "sessions", "key": "drill", "label": "0"}]
    assert _value(doc, "SCH001", "meetings")["status"] == "unrecorded"
    clean = _value(doc, "SCH001", "grid_coverage")
    assert clean["status"] == "met" and clean["records"] == [] and clean["value"] == 1.0


def test_live_records_move_the_value(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    before = _value(_targets(demo_runner, campaign, "--school", "SCH014"), "SCH014", "home_visit_rate")
    assert before["status"] == "behind"
    recorded = demo_runner.invoke(
        args=["visits", "record", "SCH014", "--class", "一年级（1）班", "--planned", "4", "--done", "4",
              "--category", "留守儿童", "--period", NAME.split("（")[0]]
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    doc = _targets(demo_runner, campaign, "--school", "SCH014")
    assert len(doc["schools"]) == 1
    after = _value(doc, "SCH014", "home_visit_rate")
    assert (after["status"], after["numerator"], after["denominator"]) == ("met", 4, 4)


def test_the_day_judged_matters(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    early = demo_runner.invoke(args=["assess", "targets", str(campaign), "--at", "2024-11-16", "--json"])
    doc = json.loads(early.output)
    assert _value(doc, "SCH016", "overdue_hazards")["value"] == 0


def test_bad_input_is_one_line_and_exit_2(demo_runner) -> None:  # type: ignore[no-untyped-def]
    campaign = _campaign(demo_runner)
    for args in (
        ["assess", "targets", "no such campaign"],
        ["assess", "targets", str(campaign), "--school", "SCH999"],
        ["assess", "targets", str(campaign), "--at", "31.01.2025"],
    ):
        result = demo_runner.invoke(args=args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_school_behind_is_raised_to_its_chain_once_a_week(demo_runner, demo_app) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from responsibility.extensions import db
    from responsibility.models import AuditEvent, Notification, Person

    campaign = _campaign(demo_runner)
    first = demo_runner.invoke(args=["assess", "escalate", str(campaign), "--at", AS_OF, "--json"])
    assert first.exit_code == 0, first.output
    doc = json.loads(first.output)
    raised = {(r["school"], r["target"]): r["recipients"] for r in doc["raised"]}
    grid = raised[("SCH025", "grid_coverage")]
    assert grid, "the chain names somebody to tell"
    with demo_app.app_context():
        ids = set(db.session.scalars(select(Person.id).where(Person.source_id.in_(grid))))
        notes = db.session.scalars(
            select(Notification).where(Notification.kind == "target_behind", Notification.recipient_person_id.in_(ids))
        ).all()
        assert any("网格长覆盖率" in n.message and "SCH025" in (n.url or "") for n in notes)
        count = db.session.scalar(select(db.func.count()).select_from(Notification))
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "targets.escalated")) is not None
    again = demo_runner.invoke(args=["assess", "escalate", str(campaign), "--at", "2025-02-01", "--json"])
    assert again.exit_code == 0  # the same ISO week: nobody is told twice
    with demo_app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Notification)) == count
