"""`flask assess …`: the season-end side of the agreements (issue 13). ``targets`` prints every
school's live scorecard against the targets its campaign declared; bad input is one line and
exit 2."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from .. import assessment, targets
from ..agreements.campaigns import find_campaign
from ..agreements.certification import certification_for_issue
from ..assessment.results import issue_results
from ..errors import BadInput, NotFound
from ..extensions import db, db_session
from ..messages import N_
from ..models import School
from ..targets.escalation import raise_behind_targets
from .clock import county_today
from .context import instance, settings
from .errors import handle_domain_errors
from .hazard_common import parse_date

group = AppGroup("assess", help="Targets and the season-end assessment (考核).")


def _percent(value: targets.TargetValue) -> str:
    if value.value is None:
        return "—"
    return f"{value.value:.1%}" if value.kind == "rate_min" else f"{value.value:g}"


def _school_id(source_id: str) -> int:
    found = db_session().scalar(select(School.id).where(School.source_id == source_id.strip()))
    if found is None:
        raise NotFound(N_("No school %(school)s."), school=repr(source_id))
    return int(found)


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
    ids = None if school_id is None else [_school_id(school_id)]
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


@group.command("escalate")
@click.argument("campaign")
@click.option("--at", "at_text", help="The day judged (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {at, schools_behind, raised: [...]}.")
@handle_domain_errors
def escalate_command(campaign: str, at_text: str | None, as_json: bool) -> None:
    """Notify the chain of every school behind a target (once per target and week); run daily."""
    session = db_session()
    the_campaign = find_campaign(session, campaign)
    at = parse_date(at_text, "--at") or county_today()
    summary = raise_behind_targets(session, the_campaign, at=at)
    db.session.commit()
    if as_json:
        click.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(f"{summary.schools_behind} schools behind; {len(summary.raised)} targets raised")


@group.command("run")
@click.argument("campaign")
@click.option("--school", "school_id", help="One school's import id; default every school.")
@click.option("--at", "at_text", help="The day judged (YYYY-MM-DD); default today.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print JSON: per school parts, deductions with evidence, vetoes, total, grade.",
)
@handle_domain_errors
def run_command(campaign: str, school_id: str | None, at_text: str | None, as_json: bool) -> None:
    """The proposed assessment of every school from the records and the rule table (writes nothing)."""
    session = db_session()
    the_campaign = find_campaign(session, campaign)
    at = parse_date(at_text, "--at") or county_today()
    ids = None if school_id is None else [_school_id(school_id)]
    proposal = assessment.propose(session, the_campaign, at, school_ids=ids, patrols=settings().patrols)
    if as_json:
        click.echo(json.dumps(proposal.as_dict(), ensure_ascii=False, indent=2))
        return
    for school in proposal.schools:
        veto = " 一票否决" if school.vetoed else ""
        click.echo(f"{school.school} {school.name}: {school.total:g} {school.grade}{veto}")
        for part in school.parts:
            click.echo(f"  {part.name}: {part.score:g}/{part.points:g}")
            for d in part.deductions:
                click.echo(f"    -{d.points:g} {d.rule} {d.text} ×{d.count}")


@group.command("adjust")
@click.argument("campaign")
@click.argument("school")
@click.argument("part")
@click.argument("points", type=float)
@click.option("--reason", required=True, help="Why the score changes (kept with the change).")
@click.option("--by", "by", required=True, help="The assessor's person id (bureau staff).")
@handle_domain_errors
def adjust_command(campaign: str, school: str, part: str, points: float, reason: str, by: str) -> None:
    """Set a part's score for a school (PART: its key or number), with a written reason."""
    session = db_session()
    row = assessment.adjust_part(
        session, find_campaign(session, campaign), school, part, points, reason=reason, by=by, day=county_today()
    )
    db.session.commit()
    click.echo(f"{school} {row.part_key}: {row.proposed:g} → {row.points:g}")


@group.command("veto")
@click.argument("campaign")
@click.argument("school")
@click.argument("veto_id")
@click.option("--confirm", "decision", flag_value="confirmed", help="The veto applies.")
@click.option("--dismiss", "decision", flag_value="dismissed", help="The veto does not apply.")
@click.option("--reason", required=True, help="Why (kept with the decision).")
@click.option("--by", "by", required=True, help="The assessor's person id (bureau staff).")
@handle_domain_errors
def veto_command(campaign: str, school: str, veto_id: str, decision: str | None, reason: str, by: str) -> None:
    """Confirm or dismiss a veto candidate (一票否决) of a school."""
    if decision is None:
        raise BadInput(N_("Say --confirm or --dismiss."))
    session = db_session()
    assessment.decide_veto(
        session, find_campaign(session, campaign), school, veto_id, decision, reason=reason, by=by, day=county_today()
    )
    db.session.commit()
    click.echo(f"{school} {veto_id}: {decision}")


@group.command("issue")
@click.argument("campaign")
@click.option("--school", "school_id", help="One school's import id; default every school.")
@click.option("--at", "at_text", help="The day assessed (YYYY-MM-DD); default today, at most the term's end.")
@handle_domain_errors
def issue_command(campaign: str, school_id: str | None, at_text: str | None) -> None:
    """Issue each school's result PDF, sealed by the bureau, for both heads to sign (refused while
    a veto candidate is undecided); prints the document numbers issued."""
    session = db_session()
    the_campaign = find_campaign(session, campaign)
    today = county_today()
    at = parse_date(at_text, "--at") or min(today, the_campaign.term_end)
    context = instance()
    summary = issue_results(
        session, the_campaign, at=at, day=today, storage=context.store,
        certify=certification_for_issue(session, context), actor="cli",
        school_ids=None if school_id is None else [_school_id(school_id)], template_root=context.template_root,
        patrols=context.settings.patrols,
    )  # fmt: skip
    db.session.commit()
    for number in summary.issued:
        click.echo(number)
    click.echo(
        f"{len(summary.issued)} issued, {len(summary.unchanged)} unchanged, {len(summary.superseded)} superseded",
        err=True,
    )
