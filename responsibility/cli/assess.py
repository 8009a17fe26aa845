"""`flask assess …`: the season-end side of the agreements (issue 13). ``targets`` prints every
school's live scorecard against the targets its campaign declared; bad input is one line and
exit 2."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .. import targets
from ..agreements.campaigns import find_campaign
from ..errors import NotFound
from ..extensions import db_session
from ..messages import N_
from ..models import School
from .clock import county_today
from .errors import handle_domain_errors
from .hazard_common import parse_date

group = AppGroup("assess", help="Targets and the season-end assessment (考核).")


def _percent(value: targets.TargetValue) -> str:
    if value.value is None:
        return "—"
    return f"{value.value:.1%}" if value.kind == "rate_min" else f"{value.value:g}"


@group.command("targets")
@click.argument("campaign")
@click.option("--school", "school_id", help="One school's import id (SCH001); default every school.")
@click.option("--at", "at_text", help="The day judged (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {campaign, at, schools: [...]}.")
@handle_domain_errors
def targets_command(campaign: str, school_id: str | None, at_text: str | None, as_json: bool) -> None:
    """Every declared target's live value, goal and status per school, with the records behind it."""
    session = db_session()
    the_campaign = find_campaign(session, campaign)
    at = parse_date(at_text, "--at") or county_today()
    ids = None
    if school_id is not None:
        found = session.scalar(select(School.id).where(School.source_id == school_id.strip()))
        if found is None:
            raise NotFound(N_("No school %(school)s."), school=repr(school_id))
        ids = [found]
    cards = targets.scorecards(session, the_campaign, at, ids)
    if as_json:
        payload = {"campaign": the_campaign.name, "at": at.isoformat(), "schools": [c.as_dict() for c in cards]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for card in cards:
        click.echo(f"{card.school} {card.name}: {len(card.behind)} behind")
        for value in card.values:
            goal = value.goal_text or "—"
            click.echo(f"  {value.label:<16} {_percent(value):>8}  goal {goal:<6} {value.status}")
