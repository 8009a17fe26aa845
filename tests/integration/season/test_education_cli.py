"""`flask education record|list` on the demo county, and the targets 反诈教育覆盖率 and 消防教育
reading what it writes; each bad input is one line, exit 2, nothing written; edits are
compare-and-set."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from responsibility.clock import today as county_today
from responsibility.extensions import db
from responsibility.models import AuditEvent, EducationSession
from responsibility.season import education
from responsibility.season.errors import SeasonConflict

NAME = "2024—2025年冬春季（教育）"
AS_OF = "2025-01-31"
TOPICS = ("anti_fraud", "fire", "holiday")


@pytest.fixture
def cli(demo_app):  # type: ignore[no-untyped-def]
    runner = demo_app.test_cli_runner()
    made = runner.invoke(args=["campaign", "create", NAME, "--start", "2024-11-15", "--end", "2025-04-30"])
    assert made.exit_code == 0, made.output
    cli = lambda *args: runner.invoke(args=list(args))  # noqa: E731
    cli.campaign = int(made.output.split()[-1])  # type: ignore[attr-defined]
    return cli


def _count(model_or_action: Any) -> int:
    if isinstance(model_or_action, str):
        query = select(func.count(AuditEvent.seq)).where(AuditEvent.action == model_or_action)
    else:
        query = select(func.count()).select_from(model_or_action)
    return int(db.session.scalar(query) or 0)


def _target(cli, school: str, key: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    result = cli("assess", "targets", str(cli.campaign), "--at", AS_OF, "--json", "--school", school)
    assert result.exit_code == 0, result.output
    (card,) = json.loads(result.output)["schools"]
    (value,) = [t for t in card["targets"] if t["key"] == key]
    return value


def test_recording_sessions_moves_the_education_targets(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    before = _target(cli, "SCH001", "anti_fraud_coverage")
    assert before["status"] == "no_data" and before["value"] is None
    assert _target(cli, "SCH001", "fire_education")["status"] == "behind"
    for args in (
        [
            "--topic",
            "anti_fraud",
            "--date",
            "2024-12-02",
            "--attendance",
            "40",
            "--enrolled",
            "40",
            "--class",
            "七年级1班",
        ],
        [
            "--topic",
            "anti_fraud",
            "--date",
            "2024-12-03",
            "--attendance",
            "30",
            "--enrolled",
            "42",
            "--class",
            "七年级2班",
        ],
        [
            "--topic",
            "anti_fraud",
            "--date",
            "2024-12-09",
            "--attendance",
            "35",
            "--enrolled",
            "42",
            "--class",
            "七年级2班",
        ],
        ["--topic", "fire", "--date", "2024-12-10", "--attendance", "600", "--enrolled", "620"],
    ):
        result = cli("education", "record", "SCH001", *args)
        assert result.exit_code == 0, result.output
    coverage = _target(cli, "SCH001", "anti_fraud_coverage")
    assert (coverage["status"], coverage["numerator"], coverage["denominator"]) == ("behind", 75, 82)
    assert coverage["records"] == [{"kind": "education", "key": "七年级2班", "label": "7"}]
    fire = _target(cli, "SCH001", "fire_education")
    assert fire["value"] == 1.0 and fire["goal"] == "2" and fire["status"] == "behind"
    assert cli("education", "record", "SCH001", "--topic", "anti_fraud", "--date", "2025-01-06",
               "--attendance", "42", "--enrolled", "42", "--class", "七年级2班").exit_code == 0  # fmt: skip
    assert cli("education", "record", "SCH001", "--topic", "fire", "--date", "2025-01-07",
               "--attendance", "610", "--enrolled", "620").exit_code == 0  # fmt: skip
    after = _target(cli, "SCH001", "anti_fraud_coverage")
    assert (after["status"], after["numerator"], after["denominator"], after["records"]) == ("met", 82, 82, [])
    assert _target(cli, "SCH001", "fire_education")["status"] == "met"
    listed = cli("education", "list", "SCH001", "--json")
    assert listed.exit_code == 0
    rows = json.loads(listed.output)
    assert len(rows) == 6 and rows[0]["date"] == "2025-01-07" and rows[0]["class"] == ""
    with demo_app.app_context():
        assert _count("education.record") == 6
        assert {r.recorded_by for r in db.session.scalars(select(EducationSession))} == {"cli"}


def test_bad_input_is_one_line_exit_2_and_nothing_written(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    tomorrow = (county_today() + dt.timedelta(days=2)).isoformat()
    base = ["--attendance", "10", "--enrolled", "20"]
    cases = [
        (["SCH001", "--topic", "poetry", "--date", "2024-12-02", *base], "poetry"),
        (["SCH001", "--topic", "fire", "--date", "2024-12-02", "--attendance", "21", "--enrolled", "20"], "21"),
        (["SCH001", "--topic", "fire", "--date", "2024-12-02", "--attendance", "-1", "--enrolled", "20"], "-1"),
        (["SCH001", "--topic", "fire", "--date", "2024-10-01", *base], "2024-10-01"),
        (["SCH001", "--topic", "fire", "--date", tomorrow, *base], tomorrow),
        (["SCH999", "--topic", "fire", "--date", "2024-12-02", *base], "SCH999"),
        (["SCH001", "--topic", "fire", "--date", "2024/12/02", *base], "2024/12/02"),
    ]
    for args, says in cases:
        result = cli("education", "record", *args)
        assert result.exit_code == 2, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1 and says in result.output, result.output
    with demo_app.app_context():
        assert _count(EducationSession) == 0 and _count("education.record") == 0


def test_edit_and_delete_are_compare_and_set(cli, demo_app) -> None:  # type: ignore[no-untyped-def]
    made = cli("education", "record", "SCH001", "--topic", "holiday", "--date", "2025-01-10",
               "--attendance", "30", "--enrolled", "40", "--class", "八年级1班")  # fmt: skip
    assert made.exit_code == 0, made.output
    session_id = int(made.output.split()[-1])
    with demo_app.app_context():
        facts = education.SessionFacts("holiday", dt.date(2025, 1, 10), 38, 40, "八年级1班", "补课后")
        row = education.edit_session(db.session, "SCH001", session_id, facts, expected_version=1,
                                     topics=TOPICS, today=county_today(), actor="P00029")  # fmt: skip
        db.session.commit()
        assert (row.attendance, row.version, row.note, row.recorded_by) == (38, 2, "补课后", "P00029")
        with pytest.raises(SeasonConflict):  # a second writer still holding version 1
            education.edit_session(db.session, "SCH001", session_id, facts, expected_version=1,
                                   topics=TOPICS, today=county_today(), actor="P00027")  # fmt: skip
        db.session.rollback()
        with pytest.raises(SeasonConflict):
            education.delete_session(db.session, "SCH001", session_id, expected_version=1, actor="P00027")
        db.session.rollback()
        education.delete_session(db.session, "SCH001", session_id, expected_version=2, actor="P00027")
        db.session.commit()
        assert _count(EducationSession) == 0
        assert (_count("education.edit"), _count("education.delete")) == (1, 1)
