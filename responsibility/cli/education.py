"""`flask education …`: safety education sessions (安全教育) from the command line, a thin
wrapper over ``responsibility.season.education``.

Bad input — an unknown topic or school, attendance above enrolment, a negative count, a future
date or one outside the live campaign's term — is one line on stderr and exit 2, nothing written.
"""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..extensions import db, db_session
from ..season import education
from .clock import county_today
from .context import settings
from .errors import handle_domain_errors
from .hazard_common import parse_date, run_step

group = AppGroup("education", help="Safety education sessions 安全教育: record and list them.")

CLI_ACTOR = "cli"


@group.command("record")
@click.argument("school")
@click.option("--topic", required=True, help="A topic code (EDUCATION_TOPICS: anti_fraud, fire, holiday …).")
@click.option("--date", "date_text", required=True, help="YYYY-MM-DD, in the live campaign's term, not in the future.")
@click.option("--attendance", type=int, required=True)
@click.option("--enrolled", type=int, required=True, help="Students enrolled (in the class, or the school) then.")
@click.option("--class", "class_name", default="", help="The class; omitted for a whole-school session.")
@click.option("--note")
@handle_domain_errors
def record_command(
    school: str, topic: str, date_text: str, attendance: int, enrolled: int, class_name: str, note: str | None
) -> None:
    """Record one education session of SCHOOL; prints the new session's id last."""
    day = parse_date(date_text, "--date")
    assert day is not None  # --date is required
    facts = education.SessionFacts(topic, day, attendance, enrolled, class_name, note)
    row = run_step(
        lambda: education.record_session(
            db_session(),
            school,
            facts,
            topics=settings().season.education_topics,
            today=county_today(),
            actor=CLI_ACTOR,
        )  # fmt: skip
    )
    db.session.commit()
    where = row.class_name or "全校 (whole school)"
    click.echo(f"{school} {row.date} {row.topic} {where}: {row.attendance}/{row.enrolled}")
    click.echo(row.id)


@group.command("list")
@click.argument("school")
@click.option("--json", "as_json", is_flag=True)
@handle_domain_errors
def list_command(school: str, as_json: bool) -> None:
    """SCHOOL's education sessions in the live campaign, newest first."""
    rows = education.list_sessions(db_session(), school)
    if as_json:
        data = [
            {"id": r.id, "topic": r.topic, "date": r.date.isoformat(), "class": r.class_name,
             "attendance": r.attendance, "enrolled": r.enrolled, "note": r.note, "version": r.version,
             "recorded_by": r.recorded_by}
            for r in rows
        ]  # fmt: skip
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for r in rows:
        click.echo(f"{r.id} {r.date} {r.topic} {r.class_name or '全校'} {r.attendance}/{r.enrolled} (v{r.version})")
