"""`flask chain trace` (who answered for a place on a day) and `flask escalate run|email`.

A thin wrapper over ``chain.trace``: it only reads (the transaction is rolled back). Unknown
ids and bad dates are one line on stderr and exit 2.
"""

from __future__ import annotations

import datetime as dt
import json

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..agreements import find_campaign
from ..chain import ChainSubject
from ..chain.escalation import run_escalation
from ..chain.subjects import SubjectKind
from ..chain.trace import trace
from ..errors import BadInput, NotFound
from ..extensions import db, db_session
from ..models import MailAddress, Person
from ..notify import deliver_mail
from .clock import county_today
from .context import instance
from .errors import handle_domain_errors

group = AppGroup("chain", help="The accountability chain: who answered for a place on a day.")


def _day(value: str | None) -> dt.date:
    if value is None:
        return county_today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"--at: bad date {value!r} (expected YYYY-MM-DD)") from None


@group.command("trace")
@click.option("--grid", "grid_id", help="Grid source id (e.g. G00002).")
@click.option("--building", "building_id", help="Building source id.")
@click.option("--school", "school_id", help="School source id.")
@click.option("--person", "person_id", help="Person source id.")
@click.option("--at", "at_text", help="The day (YYYY-MM-DD); default today.")
@click.option("--campaign", "campaign_key", help="Campaign (id or name); default the one covering the day.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handle_domain_errors
def trace_command(
    grid_id: str | None,
    building_id: str | None,
    school_id: str | None,
    person_id: str | None,
    at_text: str | None,
    campaign_key: str | None,
    as_json: bool,
) -> None:
    """Print the chain from the subject up to the bureau chief, with agreement states."""
    options: tuple[tuple[SubjectKind, str | None], ...] = (
        ("grid", grid_id),
        ("building", building_id),
        ("school", school_id),
        ("person", person_id),
    )
    given = [(k, v) for k, v in options if v]
    if len(given) != 1:
        raise BadInput("give exactly one of --grid, --building, --school, --person")
    kind, sid = given[0]
    day = _day(at_text)
    campaign = find_campaign(db_session(), campaign_key) if campaign_key else None
    result = trace(db_session(), ChainSubject(kind, sid.strip()), day, campaign=campaign)
    db.session.rollback()
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1))
        return
    click.echo(f"{kind} {sid} on {day.isoformat()} (campaign: {result.campaign_name or '—'})")
    for t in result.links:
        d = t.as_dict()
        click.echo(
            "\t".join(
                str(x or "—")
                for x in (
                    d["role"],
                    d["person_id"],
                    d["person_name"],
                    d["post"],
                    d["agreement_id"],
                    d["agreement_state"],
                    d["gap"],
                )
            )
        )


escalate_group = AppGroup("escalate", help="Escalation of overdue signatures and notification mail.")


@escalate_group.command("run")
@click.option("--at", "at_text", help="Judge overdue signatures on this day (YYYY-MM-DD); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@handle_domain_errors
def escalate_run(at_text: str | None, as_json: bool) -> None:
    """Raise overdue agreements (liaison section, then bureau leader), commit, then send e-mail."""
    day = _day(at_text)
    summary = run_escalation(db_session(), at=day, config=current_app.config)
    db.session.commit()
    mail = deliver_mail(db_session(), instance().settings.mail)
    db.session.commit()
    if as_json:
        data = summary.as_dict() | {"mail": {"sent": mail.sent, "no_address": mail.no_address, "failed": mail.failed}}
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for r in summary.raised:
        click.echo(f"level {r.level}\t{r.document_number}\t{r.school_id}\t{','.join(r.recipients) or '(nobody)'}")
    click.echo(
        f"{summary.overdue} overdue on {day.isoformat()}; raised {len(summary.raised)}; "
        f"{summary.notifications} notifications; mail sent {mail.sent}"
        + (f", {len(mail.failed)} failed" if mail.failed else "")
    )


@escalate_group.command("email")
@click.argument("person_id")
@click.argument("address", required=False)
@handle_domain_errors
def escalate_email(person_id: str, address: str | None) -> None:
    """Set (or with no ADDRESS, remove) where PERSON_ID's notifications are mailed."""
    person = db.session.scalars(select(Person).where(Person.source_id == person_id)).first()
    if person is None:
        raise NotFound(f"no person with id {person_id}")
    current = db.session.get(MailAddress, person.id)
    if address is None:
        if current is not None:
            db.session.delete(current)
        db.session.commit()
        click.echo(f"{person_id}: no e-mail address")
        return
    address = address.strip()
    if "@" not in address or " " in address or len(address) > 254:
        raise BadInput(f"not an e-mail address: {address!r}")
    if current is None:
        db.session.add(MailAddress(person_id=person.id, email=address))
    else:
        current.email = address
    db.session.commit()
    click.echo(f"{person_id}: {address}")
